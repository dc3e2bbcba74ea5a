/*
 * stage.c - atomic outputs. Each file of a run is written to a temporary
 * name in its final folder; only when every output is complete are they
 * fsynced and renamed into place, so a crash, a full disk or a failed
 * output leaves the previous run's files untouched and no temporaries.
 */
#include "output/sf_output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdir -p; returns 0 or -1 with errno. */
static int mkdir_p(const char *dir)
{
    char *p = sf_strdup(dir);
    if (!p) {
        errno = ENOMEM;
        return -1;
    }
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = mkdir(p, 0777);
    int e = errno;
    free(p);
    if (rc != 0 && e != EEXIST) {
        errno = e;
        return -1;
    }
    struct stat st;
    if (stat(dir, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return sf_strdup(".");
    if (slash == path)
        return sf_strdup("/");
    return sf_strndup(path, (size_t)(slash - path));
}

/* Room for `more` entries; false on out of memory. */
static bool stage_reserve(sf_stage *st, size_t more)
{
    if (st->n + more <= st->cap)
        return true;
    size_t cap = st->cap ? st->cap * 2 : 16;
    while (cap < st->n + more)
        cap *= 2;
    sf_staged *v = realloc(st->v, cap * sizeof *v);
    if (!v)
        return false;
    st->v = v;
    st->cap = cap;
    return true;
}

sf_err sf_stage_adopt(sf_stage *dst, sf_stage *src, sf_ctx *ctx)
{
    if (!stage_reserve(dst, src->n))
        return sf_ctx_nomem(ctx);
    if (src->n)
        memcpy(dst->v + dst->n, src->v, src->n * sizeof *src->v);
    dst->n += src->n;
    free(src->v);
    src->v = NULL;
    src->n = src->cap = 0;
    return SF_OK;
}

sf_err sf_stage_path(sf_stage *st, const char *final_path, const char **tmp_path, sf_ctx *ctx)
{
    char *dir = dir_of(final_path);
    if (!dir)
        return sf_ctx_nomem(ctx);
    if (mkdir_p(dir) != 0) {
        sf_err e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot create folder: %s", dir, strerror(errno));
        free(dir);
        return e;
    }
    free(dir);
    if (!stage_reserve(st, 1))
        return sf_ctx_nomem(ctx);
    size_t n = strlen(final_path) + 64;
    char *tmp = malloc(n);
    char *fin = sf_strdup(final_path);
    if (!tmp || !fin) {
        free(tmp);
        free(fin);
        return sf_ctx_nomem(ctx);
    }
    /* Hidden name in the same folder, so rename(2) is atomic. */
    const char *base = strrchr(final_path, '/');
    size_t dlen = base ? (size_t)(base - final_path) + 1 : 0;
    snprintf(tmp, n, "%.*s.%s.tmp-%ld-%zu", (int)dlen, final_path, base ? base + 1 : final_path,
             (long)getpid(), st->n);
    st->v[st->n].final_path = fin;
    st->v[st->n].tmp_path = tmp;
    st->n++;
    *tmp_path = tmp;
    return SF_OK;
}

sf_err sf_stage_fopen(sf_stage *st, const char *final_path, FILE **fp, sf_ctx *ctx)
{
    const char *tmp;
    sf_err e = sf_stage_path(st, final_path, &tmp, ctx);
    if (e)
        return e;
    *fp = fopen(tmp, "wb");
    if (!*fp)
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot write: %s", final_path, strerror(errno));
    return SF_OK;
}

sf_err sf_stage_close(FILE *fp, const char *final_path, sf_ctx *ctx)
{
    int bad = ferror(fp);
    int e = errno;
    if (fclose(fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad)
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: write failed: %s", final_path, strerror(e ? e : EIO));
    return SF_OK;
}

static int fsync_path(const char *path, bool dir)
{
    int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    /* Some filesystems refuse fsync on a directory; that is not a failure. */
    return (rc != 0 && dir && (e == EINVAL || e == EBADF)) ? 0 : rc;
}

sf_err sf_stage_commit(sf_stage *st, sf_ctx *ctx)
{
    /* First make every temporary durable; only then replace anything, so a
     * failure here still leaves all previous files in place. */
    for (size_t i = 0; i < st->n; i++) {
        if (!st->v[i].tmp_path)
            continue;
        if (fsync_path(st->v[i].tmp_path, false) != 0) {
            sf_err e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot flush: %s", st->v[i].final_path,
                                    strerror(errno));
            sf_stage_abort(st);
            return e;
        }
    }
    for (size_t i = 0; i < st->n; i++) {
        if (!st->v[i].tmp_path)
            continue;
        if (rename(st->v[i].tmp_path, st->v[i].final_path) != 0) {
            sf_err e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot rename into place: %s",
                                    st->v[i].final_path, strerror(errno));
            sf_stage_abort(st);
            return e;
        }
        free(st->v[i].tmp_path);
        st->v[i].tmp_path = NULL;
        char *dir = dir_of(st->v[i].final_path);
        if (dir) {
            fsync_path(dir, true);
            free(dir);
        }
    }
    return SF_OK;
}

void sf_stage_abort(sf_stage *st)
{
    for (size_t i = 0; i < st->n; i++) {
        if (st->v[i].tmp_path) {
            unlink(st->v[i].tmp_path);
            free(st->v[i].tmp_path);
            st->v[i].tmp_path = NULL;
        }
    }
}

void sf_stage_release(sf_stage *st)
{
    if (!st)
        return;
    sf_stage_abort(st);
    for (size_t i = 0; i < st->n; i++)
        free(st->v[i].final_path);
    free(st->v);
    st->v = NULL;
    st->n = st->cap = 0;
}
