/*
 * stage.c - the folder of one run being built (sf_output.h): where the
 * outputs write, the names taken in it, what is done after the switch.
 * The commit that puts it in place, and the sweep of what killed runs
 * left, are in stage_commit.c.
 *
 * Every file of a run is created in a fresh folder beside the output
 * folder, ".<name>.new-<pid>-<random>": mode 0700 until the commit, made
 * with mkdir (which never follows a planted link), its files created with
 * O_CREAT | O_EXCL | O_NOFOLLOW. Nobody else can plant a link in it, and
 * its random part cannot be guessed before it exists. The pid in the name
 * tells the next run's sweep whether its owner is gone.
 */
#include "output/sf_output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "output/sf_stage_int.h"

/* ---- names taken in the new folder ------------------------------------- */

struct sf_stage_name {
    char *name;     /* relative to the folder ("csv/accounts.csv"); NULL = empty slot */
    char *path;     /* where it is written, once staged */
    uint32_t next;  /* sf_stage_unique: the next number to try after this name */
    bool taken;     /* reserved or staged */
    bool staged;    /* created in the new folder */
};

static sf_stage_name *name_find(const sf_stage *st, const char *name)
{
    if (!st->cap_names)
        return NULL;
    size_t mask = st->cap_names - 1;
    for (size_t i = (size_t)sf_hash_str(name) & mask; st->names[i].name; i = (i + 1) & mask)
        if (strcmp(st->names[i].name, name) == 0)
            return &st->names[i];
    return NULL;
}

/* The entry of name, added when absent; NULL on out of memory. The
 * pointer lives until the next name_get. */
static sf_stage_name *name_get(sf_stage *st, const char *name)
{
    sf_stage_name *e = name_find(st, name);
    if (e)
        return e;
    if (2 * (st->n_names + 1) > st->cap_names) {
        size_t cap = st->cap_names ? 2 * st->cap_names : 64;
        sf_stage_name *v = calloc(cap, sizeof *v);
        if (!v)
            return NULL;
        for (size_t i = 0; i < st->cap_names; i++) {
            if (!st->names[i].name)
                continue;
            size_t j = (size_t)sf_hash_str(st->names[i].name) & (cap - 1);
            while (v[j].name)
                j = (j + 1) & (cap - 1);
            v[j] = st->names[i];
        }
        free(st->names);
        st->names = v;
        st->cap_names = cap;
    }
    char *copy = sf_strdup(name);
    if (!copy)
        return NULL;
    size_t i = (size_t)sf_hash_str(name) & (st->cap_names - 1);
    while (st->names[i].name)
        i = (i + 1) & (st->cap_names - 1);
    st->names[i] = (sf_stage_name){.name = copy};
    st->n_names++;
    return &st->names[i];
}

bool sf_stage_int_staged(const sf_stage *st, const char *rel)
{
    const sf_stage_name *e = name_find(st, rel);
    return e && e->staged;
}

const char *sf_stage_int_each(const sf_stage *st, size_t *i, const char **path)
{
    for (; *i < st->cap_names; (*i)++) {
        const sf_stage_name *e = &st->names[*i];
        if (e->name && e->staged) {
            (*i)++;
            if (path)
                *path = e->path;
            return e->name;
        }
    }
    return NULL;
}

/* ---- paths ----------------------------------------------------------------- */

/* final_path relative to the run's out_dir, slashes collapsed; NULL when
 * it is not inside it or names "." / ".." (malloc'd). */
static char *rel_of(const sf_stage *st, const char *final_path)
{
    size_t n = strlen(st->out_dir);
    if (strncmp(final_path, st->out_dir, n) != 0)
        return NULL;
    const char *r = final_path + n;
    if (*r != '/' && !(n && st->out_dir[n - 1] == '/'))
        return NULL;
    char *out = malloc(strlen(r) + 1);
    if (!out)
        return NULL;
    size_t w = 0;
    while (*r) {
        while (*r == '/')
            r++;
        size_t k = strcspn(r, "/");
        if (!k)
            break;
        if ((k == 1 && r[0] == '.') || (k == 2 && r[0] == '.' && r[1] == '.')) {
            free(out);
            return NULL;
        }
        if (w)
            out[w++] = '/';
        memcpy(out + w, r, k);
        w += k;
        r += k;
    }
    out[w] = '\0';
    if (!w) {
        free(out);
        return NULL;
    }
    return out;
}

char *sf_stage_int_join(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *p = malloc(na + nb + 2);
    if (p) {
        memcpy(p, a, na);
        p[na] = '/';
        memcpy(p + na + 1, b, nb + 1);
    }
    return p;
}

/* Create the folders of rel (every component but the last) in the new
 * folder. 0 or -1 with errno. */
static int make_subdirs(const sf_stage *st, const char *rel)
{
    char *p = sf_stage_int_join(st->work, rel);
    if (!p) {
        errno = ENOMEM;
        return -1;
    }
    size_t skip = strlen(st->work) + 1;
    for (char *s = p + skip; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        struct stat sb;
        if (mkdir(p, 0755) != 0 && (errno != EEXIST || lstat(p, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
            int e = errno == EEXIST ? ENOTDIR : errno;
            free(p);
            errno = e;
            return -1;
        }
        *s = '/';
    }
    free(p);
    return 0;
}

/* The single file of sf_stage_begin_file, created beside its final path. */
static sf_err stage_create_single(sf_stage *st, const char *final_path, int *fd, const char **tmp, sf_ctx *ctx)
{
    if (strcmp(final_path, st->dir) != 0 || st->n_files)
        return sf_ctx_error(ctx, SF_ERR_NOMEM, "internal error: %s staged beside %s", final_path, st->dir);
    for (int tries = 0;; tries++) {
        size_t n = strlen(st->parent) + strlen(st->base) + 64;
        char *p = malloc(n);
        if (!p)
            return sf_ctx_nomem(ctx);
        snprintf(p, n, "%s/.%s.tmp-%ld-%llu", st->parent, st->base, (long)getpid(),
                 (unsigned long long)(sf_stage_int_random() % 1000000000000ULL));
        *fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (*fd >= 0) {
            st->work = p;
            st->n_files = 1;
            *tmp = p;
            return SF_OK;
        }
        int e = errno;
        free(p);
        if (e != EEXIST || tries == 8)
            return sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot write: %s", final_path, strerror(e));
    }
}

/* Reserve and create final_path in the new folder; *fd is its open
 * descriptor (write only) and *tmp the path. Called with mu held. */
static sf_err stage_create(sf_stage *st, const char *final_path, int *fd, const char **tmp, sf_ctx *ctx)
{
    if (st->began && st->single)
        return stage_create_single(st, final_path, fd, tmp, ctx);
    if (!st->began || !st->work)
        return sf_ctx_error(ctx, SF_ERR_NOMEM, "internal error: %s staged outside a run", final_path);
    char *rel = rel_of(st, final_path);
    if (!rel)
        return sf_ctx_error(ctx, SF_ERR_NOMEM, "internal error: %s is not inside the output folder %s",
                            final_path, st->out_dir);
    sf_stage_name *e = name_get(st, rel);
    char *path = e ? sf_stage_int_join(st->work, rel) : NULL;
    sf_err rc = SF_OK;
    if (!e || !path) {
        rc = sf_ctx_nomem(ctx);
    } else if (e->staged) {
        rc = sf_ctx_error(ctx, SF_ERR_NOMEM, "internal error: %s written twice in one run", final_path);
    } else if (make_subdirs(st, rel) != 0) {
        rc = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot create its folder: %s", final_path, strerror(errno));
    } else if ((*fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644)) < 0) {
        rc = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot write: %s", final_path, strerror(errno));
    } else {
        e->taken = e->staged = true;
        e->path = path;
        path = NULL;
        st->n_files++;
        *tmp = e->path;
    }
    free(path);
    free(rel);
    return rc;
}

sf_err sf_stage_path(sf_stage *st, const char *final_path, const char **tmp_path, sf_ctx *ctx)
{
    int fd = -1;
    pthread_mutex_lock(&st->mu);
    sf_err e = stage_create(st, final_path, &fd, tmp_path, ctx);
    pthread_mutex_unlock(&st->mu);
    if (fd >= 0)
        close(fd);
    return e;
}

sf_err sf_stage_fopen(sf_stage *st, const char *final_path, FILE **fp, sf_ctx *ctx)
{
    int fd = -1;
    const char *tmp;
    *fp = NULL;
    pthread_mutex_lock(&st->mu);
    sf_err e = stage_create(st, final_path, &fd, &tmp, ctx);
    pthread_mutex_unlock(&st->mu);
    if (e)
        return e;
    *fp = fdopen(fd, "wb");
    if (!*fp) {
        int err = errno;
        close(fd);
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot write: %s", final_path, strerror(err));
    }
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

/* "<prefix><name><ext>" (k == 1) or "<prefix><name>-<k><ext>". */
static char *candidate(const char *prefix, const char *name, const char *ext, uint32_t k)
{
    size_t n = strlen(prefix) + strlen(name) + strlen(ext) + 16;
    char *c = malloc(n);
    if (!c)
        return NULL;
    if (k <= 1)
        snprintf(c, n, "%s%s%s", prefix, name, ext);
    else
        snprintf(c, n, "%s%s-%u%s", prefix, name, (unsigned)k, ext);
    return c;
}

/* sf_stage_unique with mu held. */
static sf_err unique_locked(sf_stage *st, const char *prefix, const char *name, const char *ext, char **rel,
                            sf_ctx *ctx)
{
    char *key = candidate(prefix, name, ext, 1);
    sf_stage_name *e = key ? name_get(st, key) : NULL;
    if (!e) {
        free(key);
        return sf_ctx_nomem(ctx);
    }
    uint32_t k = e->next ? e->next : 1;
    for (;; k++) {
        char *c = candidate(prefix, name, ext, k);
        sf_stage_name *ce = c ? name_get(st, c) : NULL;
        if (!ce) {
            free(c);
            free(key);
            return sf_ctx_nomem(ctx);
        }
        if (!ce->taken) {
            ce->taken = true;
            *rel = c;
            break;
        }
        free(c);
    }
    /* the entries may have moved: look the key up again */
    name_find(st, key)->next = k + 1;
    free(key);
    return SF_OK;
}

sf_err sf_stage_unique(sf_stage *st, const char *prefix, const char *name, const char *ext, char **final_path,
                       sf_ctx *ctx)
{
    char *rel = NULL;
    *final_path = NULL;
    pthread_mutex_lock(&st->mu);
    sf_err e = unique_locked(st, prefix, name, ext, &rel, ctx);
    pthread_mutex_unlock(&st->mu);
    if (e)
        return e;
    *final_path = sf_stage_int_join(st->out_dir, rel);
    free(rel);
    return *final_path ? SF_OK : sf_ctx_nomem(ctx);
}

char *sf_stage_find(sf_stage *st, const char *final_path)
{
    if (!st->began)
        return NULL;
    char *rel = rel_of(st, final_path);
    if (!rel)
        return NULL;
    pthread_mutex_lock(&st->mu);
    const sf_stage_name *e = name_find(st, rel);
    char *p = e && e->staged ? sf_strdup(e->path) : NULL;
    pthread_mutex_unlock(&st->mu);
    free(rel);
    return p;
}

/* The output folder as a reader of the mail finds it: out_dir as the run
 * names it when absolute (a link stays a link), else its resolved parent
 * and its name. malloc'd; NULL on out of memory. */
static char *final_dir(const sf_stage *st)
{
    if (st->out_dir[0] == '/') {
        char *d = sf_strdup(st->out_dir);
        size_t n = d ? strlen(d) : 0;
        while (n > 1 && d[n - 1] == '/')
            d[--n] = '\0';
        return d;
    }
    char *parent = realpath(st->parent, NULL);
    if (!parent)
        return sf_strdup(st->dir); /* gone meanwhile: as resolved at begin */
    char *d = strcmp(parent, "/") == 0 ? sf_stage_int_join("", st->base) : sf_stage_int_join(parent, st->base);
    free(parent);
    return d;
}

char *sf_stage_final_abs(const sf_stage *st, const char *final_path)
{
    if (!st->out_dir || !st->parent || st->single)
        return NULL;
    char *rel = rel_of(st, final_path), *dir = rel ? final_dir(st) : NULL;
    char *p = dir ? sf_stage_int_join(dir, rel) : NULL;
    free(rel);
    free(dir);
    return p;
}

/* ---- the run's folder -------------------------------------------------- */

/* mkdir -p; 0 or -1 with errno. */
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
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = mkdir(p, 0755);
    int e = errno;
    free(p);
    if (rc != 0 && e != EEXIST) {
        errno = e;
        return -1;
    }
    return 0;
}

sf_err sf_stage_int_resolve(const char *out_dir, char **dir, char **parent, char **base, bool create_parent,
                            sf_ctx *ctx)
{
    *dir = *parent = *base = NULL;
    char *d = sf_strdup(out_dir);
    if (!d)
        return sf_ctx_nomem(ctx);
    size_t n = strlen(d);
    while (n > 1 && d[n - 1] == '/')
        d[--n] = '\0';
    const char *slash = strrchr(d, '/');
    const char *last = slash ? slash + 1 : d;
    if (create_parent && slash && slash != d) {
        char *p = sf_strndup(d, (size_t)(slash - d));
        int rc = p ? mkdir_p(p) : -1;
        int e = p ? errno : ENOMEM;
        if (rc != 0) {
            sf_err r = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot create folder: %s", p ? p : d, strerror(e));
            free(p);
            free(d);
            return r;
        }
        free(p);
    }
    struct stat sb;
    bool dots = strcmp(last, ".") == 0 || strcmp(last, "..") == 0;
    if (dots || (lstat(d, &sb) == 0 && S_ISLNK(sb.st_mode))) {
        /* the folder a link or "." stands for is the one replaced */
        char *real = realpath(d, NULL);
        if (!real) {
            sf_err r = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot resolve the output folder: %s", out_dir,
                                    strerror(errno));
            free(d);
            return r;
        }
        free(d);
        d = real;
    }
    slash = strrchr(d, '/');
    if ((slash && !slash[1]) || !*d) {
        sf_err r = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: the output folder cannot be the root folder", out_dir);
        free(d);
        return r;
    }
    *parent = slash ? (slash == d ? sf_strdup("/") : sf_strndup(d, (size_t)(slash - d))) : sf_strdup(".");
    *base = sf_strdup(slash ? slash + 1 : d);
    *dir = d;
    if (!*parent || !*base) {
        free(*parent);
        free(*base);
        free(d);
        *dir = *parent = *base = NULL;
        return sf_ctx_nomem(ctx);
    }
    return SF_OK;
}

uint64_t sf_stage_int_random(void)
{
    uint64_t r = 0;
    if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r || r == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        r ^= ((uint64_t)ts.tv_nsec << 20) ^ ((uint64_t)ts.tv_sec << 40) ^ (uint64_t)getpid() ^ (uint64_t)(uintptr_t)&r;
    }
    return r;
}

char *sf_stage_int_sibling(const sf_stage *st, const char *kind)
{
    size_t n = strlen(st->parent) + strlen(st->base) + 64;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/.%s.%s-%ld-%016llx", st->parent, st->base, kind, (long)getpid(),
                 (unsigned long long)sf_stage_int_random());
    return p;
}

/* Check the folder replaced: absent, or a folder on its parent's file
 * system. */
static sf_err check_dir(sf_stage *st, sf_ctx *ctx)
{
    struct stat sb, pb;
    if (lstat(st->dir, &sb) != 0) {
        if (errno == ENOENT)
            return SF_OK;
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: %s", st->out_dir, strerror(errno));
    }
    if (!S_ISDIR(sb.st_mode))
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: exists and is not a folder", st->out_dir);
    if (stat(st->parent, &pb) != 0)
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: %s", st->parent, strerror(errno));
    if (pb.st_dev != sb.st_dev)
        return sf_ctx_error(ctx, SF_ERR_OUTPUT,
                            "%s: is a mount point; the run replaces its output folder as a whole, so "
                            "output_dir must be a folder inside it",
                            st->out_dir);
    st->existed = true;
    return SF_OK;
}

sf_err sf_stage_begin(sf_stage *st, const char *out_dir, sf_ctx *ctx)
{
    memset(st, 0, sizeof *st);
    if (!(st->out_dir = sf_strdup(out_dir)))
        return sf_ctx_nomem(ctx);
    sf_err e = sf_stage_int_resolve(out_dir, &st->dir, &st->parent, &st->base, true, ctx);
    if (!e)
        e = check_dir(st, ctx);
    for (int tries = 0; !e && !st->work; tries++) {
        if (!(st->work = sf_stage_int_sibling(st, "new")))
            return sf_ctx_nomem(ctx);
        if (mkdir(st->work, 0700) == 0)
            break;
        int err = errno;
        free(st->work);
        st->work = NULL;
        if (err != EEXIST || tries == 8)
            e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot create the run's folder in %s: %s", out_dir,
                             st->parent, strerror(err));
    }
    if (e)
        return e;
    if (pthread_mutex_init(&st->mu, NULL) != 0) {
        rmdir(st->work);
        return sf_ctx_nomem(ctx);
    }
    st->began = true;
    return SF_OK;
}

sf_err sf_stage_begin_file(sf_stage *st, const char *final_path, sf_ctx *ctx)
{
    memset(st, 0, sizeof *st);
    st->single = true;
    if (!(st->out_dir = sf_strdup(final_path)) || !(st->dir = sf_strdup(final_path)))
        return sf_ctx_nomem(ctx);
    const char *slash = strrchr(final_path, '/');
    st->parent = slash ? (slash == final_path ? sf_strdup("/") : sf_strndup(final_path, (size_t)(slash - final_path)))
                       : sf_strdup(".");
    st->base = sf_strdup(slash ? slash + 1 : final_path);
    if (!st->parent || !st->base)
        return sf_ctx_nomem(ctx);
    if (!*st->base)
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: not a file name", final_path);
    if (pthread_mutex_init(&st->mu, NULL) != 0)
        return sf_ctx_nomem(ctx);
    st->began = true;
    return SF_OK;
}

/* ---- after the switch ------------------------------------------------- */

sf_err sf_stage_defer(sf_stage *st, sf_err (*fn)(void *arg, sf_ctx *ctx), void *arg, void (*release)(void *arg),
                      sf_ctx *ctx)
{
    pthread_mutex_lock(&st->mu);
    if (st->n_deferred == st->cap_deferred) {
        size_t cap = st->cap_deferred ? 2 * st->cap_deferred : 4;
        sf_stage_deferred *v = realloc(st->deferred, cap * sizeof *v);
        if (!v) {
            pthread_mutex_unlock(&st->mu);
            if (release)
                release(arg);
            return sf_ctx_nomem(ctx);
        }
        st->deferred = v;
        st->cap_deferred = cap;
    }
    st->deferred[st->n_deferred++] = (sf_stage_deferred){.fn = fn, .arg = arg, .release = release};
    pthread_mutex_unlock(&st->mu);
    return SF_OK;
}

sf_err sf_stage_deliver(sf_stage *st, sf_ctx *ctx)
{
    sf_err first = SF_OK;
    for (size_t i = 0; st->switched && i < st->n_deferred; i++) {
        sf_err e = st->deferred[i].fn(st->deferred[i].arg, ctx);
        if (e && !first)
            first = e;
    }
    return first;
}

void sf_stage_abort(sf_stage *st)
{
    if (!st || !st->work)
        return;
    if (st->single)
        unlink(st->work);
    else
        sf_stage_int_remove_tree(st->work);
    free(st->work);
    st->work = NULL;
}

void sf_stage_release(sf_stage *st)
{
    if (!st)
        return;
    sf_stage_abort(st);
    for (size_t i = 0; i < st->n_deferred; i++)
        if (st->deferred[i].release)
            st->deferred[i].release(st->deferred[i].arg);
    free(st->deferred);
    for (size_t i = 0; i < st->cap_names; i++) {
        free(st->names[i].name);
        free(st->names[i].path);
    }
    free(st->names);
    if (st->began)
        pthread_mutex_destroy(&st->mu);
    free(st->out_dir);
    free(st->dir);
    free(st->parent);
    free(st->base);
    memset(st, 0, sizeof *st);
}
