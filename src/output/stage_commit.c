/*
 * stage_commit.c - the commit of a run's folder (sf_stage_commit): flush,
 * check every final path, carry over what the run does not write, switch
 * with one atomic exchange, remove the previous folder; and the sweep of
 * what killed runs left (sf_stage_sweep).
 *
 * Why a folder and not file by file: renaming ten files is ten steps, and
 * a failure or a kill between two of them left a mix of two runs. The
 * exchange of two folders (renameat2 RENAME_EXCHANGE, Linux 3.15, ext4,
 * xfs, btrfs, tmpfs, ...) is one step: before it the previous folder is
 * untouched, after it the new one is complete. On a file system without
 * it the previous folder is renamed aside and the new one renamed in: a
 * kill between the two leaves no output folder, and the next run's sweep
 * renames the previous one back.
 */
#define _GNU_SOURCE /* renameat2, RENAME_EXCHANGE */
#include "output/sf_stage_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- removing a tree ----------------------------------------------------- */

static int remove_at(int dfd, const char *name)
{
    if (unlinkat(dfd, name, 0) == 0 || errno == ENOENT)
        return 0;
    if (errno != EISDIR && errno != EPERM)
        return -1;
    int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (remove_at(fd, de->d_name) != 0)
            rc = -1;
    }
    closedir(d);
    if (unlinkat(dfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
        rc = -1;
    return rc;
}

int sf_stage_int_remove_tree(const char *path)
{
    return remove_at(AT_FDCWD, path);
}

/* ---- before the switch ------------------------------------------------ */

static int fsync_path(const char *path, bool dir)
{
    int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    /* some file systems refuse fsync on a folder: not a failure */
    return (rc != 0 && dir && (e == EINVAL || e == EBADF)) ? 0 : rc;
}

/* Every staged file on disk before anything is replaced. */
static sf_err flush_files(const sf_stage *st, sf_ctx *ctx)
{
    size_t i = 0;
    const char *rel, *path;
    while ((rel = sf_stage_int_each(st, &i, &path)) != NULL)
        if (fsync_path(path, false) != 0)
            return sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s/%s: cannot flush: %s", st->out_dir, rel, strerror(errno));
    return SF_OK;
}

static const char *kind_of(mode_t m)
{
    return S_ISDIR(m) ? "a folder" : S_ISLNK(m) ? "a symbolic link" : "a special file";
}

/* In the output folder, every path where the run puts a file must be
 * free or a file, every folder above it free or a folder: otherwise the
 * switch would remove something that is not the previous run's. */
static sf_err check_finals(const sf_stage *st, sf_ctx *ctx)
{
    size_t i = 0;
    const char *rel;
    while ((rel = sf_stage_int_each(st, &i, NULL)) != NULL) {
        char *p = sf_stage_int_join(st->dir, rel);
        if (!p)
            return sf_ctx_nomem(ctx);
        size_t skip = strlen(st->dir) + 1;
        sf_err e = SF_OK;
        for (char *s = p + skip;; s++) {
            bool last = *s == '\0';
            if (!last && *s != '/')
                continue;
            *s = '\0';
            struct stat sb;
            if (lstat(p, &sb) == 0 && (last ? !S_ISREG(sb.st_mode) : !S_ISDIR(sb.st_mode)))
                e = sf_ctx_error(ctx, SF_ERR_OUTPUT,
                                 "%s: is %s where the run writes a %s; nothing was replaced (move it away "
                                 "and run again)",
                                 p, kind_of(sb.st_mode), last ? "file" : "folder");
            if (last || e)
                break;
            *s = '/';
        }
        free(p);
        if (e)
            return e;
    }
    return SF_OK;
}

/* A copy of a file that cannot be hard-linked (another owner under
 * protected_hardlinks, a file system without links). */
static int copy_at(int from, const char *name, int to, mode_t mode)
{
    int in = openat(from, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0)
        return -1;
    int out = openat(to, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 0777);
    if (out < 0) {
        close(in);
        return -1;
    }
    char buf[65536];
    ssize_t n;
    int rc = 0;
    while ((n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = -1;
            break;
        }
        for (ssize_t o = 0; o < n;) {
            ssize_t w = write(out, buf + o, (size_t)(n - o));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                rc = -1;
                break;
            }
            o += w;
        }
        if (rc)
            break;
    }
    int e = errno;
    if (rc == 0 && (fsync(out) != 0 || fchmod(out, mode & 07777) != 0))
        rc = -1, e = errno;
    close(in);
    close(out);
    errno = e;
    return rc;
}

typedef struct {
    const sf_stage *st;
    sf_ctx *ctx;
    char rel[4096];
} carry_walk;

static sf_err carry_dir(carry_walk *w, int from, int to, size_t rel_len);

/* One entry of the previous folder into the new one. */
static sf_err carry_entry(carry_walk *w, int from, int to, const char *name, size_t rel_len)
{
    size_t k = strlen(name);
    if (rel_len + k + 2 > sizeof w->rel)
        return sf_ctx_error(w->ctx, SF_ERR_OUTPUT, "%s/%s/%s: path too long to carry over", w->st->dir, w->rel, name);
    size_t at = rel_len;
    if (rel_len)
        w->rel[at++] = '/';
    memcpy(w->rel + at, name, k + 1);
    size_t len = at + k;
    struct stat sb, tb;
    if (fstatat(from, name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? SF_OK : sf_ctx_error(w->ctx, SF_ERR_OUTPUT, "%s/%s: %s", w->st->dir, w->rel, strerror(errno));
    if (S_ISDIR(sb.st_mode)) {
        bool made = fstatat(to, name, &tb, AT_SYMLINK_NOFOLLOW) != 0;
        if (made && mkdirat(to, name, 0700) != 0)
            return sf_ctx_error(w->ctx, SF_ERR_OUTPUT, "%s/%s: cannot carry the folder over: %s", w->st->dir, w->rel,
                                strerror(errno));
        int f2 = openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int t2 = openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        sf_err e = f2 < 0 || t2 < 0 ? sf_ctx_error(w->ctx, SF_ERR_OUTPUT, "%s/%s: %s", w->st->dir, w->rel, strerror(errno))
                                    : carry_dir(w, f2, t2, len);
        if (!e && fchmod(t2, sb.st_mode & 07777) != 0)
            e = sf_ctx_error(w->ctx, SF_ERR_OUTPUT, "%s/%s: %s", w->st->dir, w->rel, strerror(errno));
        if (f2 >= 0)
            close(f2);
        if (t2 >= 0)
            close(t2);
        return e;
    }
    if (sf_stage_int_staged(w->st, w->rel))
        return SF_OK; /* the new run's file takes its place */
    if (S_ISREG(sb.st_mode)) {
        if (linkat(from, name, to, name, 0) == 0 || copy_at(from, name, to, sb.st_mode) == 0)
            return SF_OK;
    } else if (S_ISLNK(sb.st_mode)) {
        char target[4096];
        ssize_t n = readlinkat(from, name, target, sizeof target - 1);
        if (n >= 0) {
            target[n] = '\0';
            if (symlinkat(target, to, name) == 0)
                return SF_OK;
        }
    } else {
        return sf_ctx_error(w->ctx, SF_ERR_OUTPUT,
                            "%s/%s: a special file (FIFO, socket or device) in the output folder cannot be "
                            "carried over into the new one; nothing was replaced (move it away and run again)",
                            w->st->dir, w->rel);
    }
    return sf_ctx_error(w->ctx, SF_ERR_OUTPUT, "%s/%s: cannot carry it over into the new folder: %s", w->st->dir,
                        w->rel, strerror(errno));
}

static sf_err carry_dir(carry_walk *w, int from, int to, size_t rel_len)
{
    int fd = dup(from);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        w->rel[rel_len] = '\0';
        return sf_ctx_error(w->ctx, SF_ERR_OUTPUT, "%s/%s: cannot read the folder: %s", w->st->dir, w->rel,
                            strerror(errno));
    }
    sf_err e = SF_OK;
    struct dirent *de;
    while (!e && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        e = carry_entry(w, from, to, de->d_name, rel_len);
        w->rel[rel_len] = '\0';
    }
    closedir(d);
    return e;
}

/* Everything of the previous folder that the run does not write. */
static sf_err carry_over(const sf_stage *st, sf_ctx *ctx)
{
    carry_walk *w = calloc(1, sizeof *w);
    if (!w)
        return sf_ctx_nomem(ctx);
    w->st = st;
    w->ctx = ctx;
    int from = open(st->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int to = open(st->work, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    sf_err e = from < 0 || to < 0 ? sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: %s", st->out_dir, strerror(errno))
                                  : carry_dir(w, from, to, 0);
    struct stat sb;
    /* the new folder gets the previous one's permissions */
    if (!e && (fstat(from, &sb) != 0 || fchmod(to, sb.st_mode & 07777) != 0))
        e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: %s", st->out_dir, strerror(errno));
    if (from >= 0)
        close(from);
    if (to >= 0)
        close(to);
    free(w);
    return e;
}

/* fsync every folder of the new tree (their entries are what the switch
 * publishes). */
static int fsync_tree(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = 0;
    int fd2 = dup(fd);
    DIR *d = fd2 >= 0 ? fdopendir(fd2) : NULL;
    if (d) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (de->d_type != DT_DIR || strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            char *sub = sf_stage_int_join(path, de->d_name);
            if (!sub || fsync_tree(sub) != 0)
                rc = -1;
            free(sub);
        }
        closedir(d);
    } else if (fd2 >= 0) {
        close(fd2);
    }
    if (fsync(fd) != 0 && errno != EINVAL && errno != EBADF)
        rc = -1;
    close(fd);
    return rc;
}

/* ---- the switch ------------------------------------------------------- */

/* Put st->work in st->dir's place. *old receives where the previous
 * folder now is (malloc'd), NULL when there was none. */
static sf_err switch_in(sf_stage *st, char **old, sf_ctx *ctx)
{
    *old = NULL;
    if (!st->existed) {
        if (rename(st->work, st->dir) != 0)
            return sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot move the new folder into place: %s", st->out_dir,
                                strerror(errno));
        return SF_OK;
    }
    if (renameat2(AT_FDCWD, st->work, AT_FDCWD, st->dir, RENAME_EXCHANGE) == 0) {
        *old = st->work; /* the previous folder is now under the new one's name */
        st->work = NULL;
        return SF_OK;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot exchange the new folder with the previous one: %s",
                            st->out_dir, strerror(errno));
    /* no exchange on this file system: two renames */
    char *aside = sf_stage_int_sibling(st, "old");
    if (!aside)
        return sf_ctx_nomem(ctx);
    if (rename(st->dir, aside) != 0) {
        sf_err e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot move the previous folder aside: %s", st->out_dir,
                                strerror(errno));
        free(aside);
        return e;
    }
    if (rename(st->work, st->dir) != 0) {
        sf_err e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot move the new folder into place: %s", st->out_dir,
                                strerror(errno));
        if (rename(aside, st->dir) != 0) {
            /* left for the next run's sweep, which renames it back */
        }
        free(aside);
        return e;
    }
    *old = aside;
    return SF_OK;
}

/* The one file of sf_stage_begin_file: flushed, renamed over its final
 * path (not over a folder), the folder flushed. */
static sf_err commit_single(sf_stage *st, sf_ctx *ctx)
{
    struct stat sb;
    sf_err e = SF_OK;
    if (fsync_path(st->work, false) != 0)
        e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot flush: %s", st->dir, strerror(errno));
    else if (lstat(st->dir, &sb) == 0 && S_ISDIR(sb.st_mode))
        e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: is a folder", st->dir);
    else if (rename(st->work, st->dir) != 0)
        e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot rename into place: %s", st->dir, strerror(errno));
    if (e) {
        sf_stage_abort(st);
        return e;
    }
    free(st->work);
    st->work = NULL;
    st->switched = true;
    fsync_path(st->parent, true);
    return SF_OK;
}

sf_err sf_stage_commit(sf_stage *st, sf_ctx *ctx)
{
    if (!st->began || st->switched)
        return SF_OK;
    if (st->single)
        return st->work ? commit_single(st, ctx) : SF_OK;
    if (!st->work)
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: the run's folder is gone", st->out_dir);
    sf_err e = flush_files(st, ctx);
    if (!e && st->existed)
        e = check_finals(st, ctx);
    if (!e && st->existed)
        e = carry_over(st, ctx);
    if (!e && !st->existed) {
        mode_t mask = umask(0);
        umask(mask);
        if (chmod(st->work, 0755 & ~mask) != 0)
            e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: %s", st->out_dir, strerror(errno));
    }
    if (!e && fsync_tree(st->work) != 0)
        e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot flush the new folder: %s", st->out_dir, strerror(errno));
    char *old = NULL;
    if (!e)
        e = switch_in(st, &old, ctx);
    if (e) {
        sf_stage_abort(st);
        return e;
    }
    st->switched = true;
    free(st->work);
    st->work = NULL;
    fsync_path(st->parent, true);
    if (old) {
        sf_stage_int_remove_tree(old); /* what stays is the next sweep's */
        free(old);
    }
    return SF_OK;
}

/* ---- the sweep ---------------------------------------------------------- */

static bool pid_gone(long pid)
{
    return pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* ".<X>.<kind>-<pid>-<16 hex>": the pid and X's length, or false. */
static bool parse_sibling(const char *name, const char *kind, long *pid, size_t *xlen)
{
    char tag[16];
    snprintf(tag, sizeof tag, ".%s-", kind);
    if (name[0] != '.')
        return false;
    const char *t = NULL;
    for (const char *p = strstr(name + 1, tag); p; p = strstr(p + 1, tag))
        t = p;
    if (!t || t == name + 1)
        return false;
    char *end;
    *pid = strtol(t + strlen(tag), &end, 10);
    if (*end != '-' || strlen(end + 1) != 16 || strspn(end + 1, "0123456789abcdef") != 16)
        return false;
    *xlen = (size_t)(t - name - 1);
    return true;
}

static sf_err note(sf_strlist *done, sf_ctx *ctx, const char *what, const char *dir, const char *name)
{
    char msg[1200];
    snprintf(msg, sizeof msg, "%s %s/%s", what, dir, name);
    return sf_strlist_push(done, msg) == SF_OK ? SF_OK : sf_ctx_nomem(ctx);
}

/* The run folders of dead runs beside the output folder. */
static sf_err sweep_siblings(const char *parent, sf_strlist *done, sf_ctx *ctx)
{
    int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (pfd < 0)
        return SF_OK; /* nothing there yet */
    int fd2 = dup(pfd);
    DIR *d = fd2 >= 0 ? fdopendir(fd2) : NULL;
    sf_err e = SF_OK;
    struct dirent *de;
    while (d && !e && (de = readdir(d)) != NULL) {
        long pid;
        size_t xlen;
        bool is_old = parse_sibling(de->d_name, "old", &pid, &xlen);
        if (!is_old && !parse_sibling(de->d_name, "new", &pid, &xlen))
            continue;
        struct stat sb;
        if (!pid_gone(pid) || fstatat(pfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(sb.st_mode))
            continue;
        char x[NAME_MAX + 1];
        snprintf(x, sizeof x, "%.*s", (int)xlen, de->d_name + 1);
        if (is_old && fstatat(pfd, x, &sb, AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT &&
            renameat(pfd, de->d_name, pfd, x) == 0) {
            e = note(done, ctx, "restored the previous output folder", parent, x);
            continue;
        }
        if (remove_at(pfd, de->d_name) == 0)
            e = note(done, ctx, "removed the folder of a dead run", parent, de->d_name);
    }
    if (d)
        closedir(d);
    else if (fd2 >= 0)
        close(fd2);
    close(pfd);
    return e;
}

/* The ".<file>.tmp-<pid>-<n>" temporaries of older versions in dir. */
static sf_err sweep_tmp(const char *dir, int depth, sf_strlist *done, sf_ctx *ctx)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return SF_OK;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return SF_OK;
    }
    sf_err e = SF_OK;
    struct dirent *de;
    while (!e && (de = readdir(d)) != NULL) {
        struct stat sb;
        if (de->d_name[0] == '.' && (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0))
            continue;
        if (fstatat(fd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (S_ISDIR(sb.st_mode) && depth > 0) {
            char *sub = sf_stage_int_join(dir, de->d_name);
            e = sub ? sweep_tmp(sub, depth - 1, done, ctx) : sf_ctx_nomem(ctx);
            free(sub);
            continue;
        }
        const char *t = strstr(de->d_name, ".tmp-");
        char *end;
        long pid = t ? strtol(t + 5, &end, 10) : 0;
        if (de->d_name[0] != '.' || !t || *end != '-' || !end[1] || strspn(end + 1, "0123456789") != strlen(end + 1) ||
            !S_ISREG(sb.st_mode) || !pid_gone(pid))
            continue;
        if (unlinkat(fd, de->d_name, 0) == 0)
            e = note(done, ctx, "removed the temporary file of a dead run", dir, de->d_name);
    }
    closedir(d);
    return e;
}

sf_err sf_stage_sweep(const char *out_dir, sf_strlist *done, sf_ctx *ctx)
{
    char *dir, *parent, *base;
    sf_ctx quiet = {0};
    /* a folder that cannot be resolved yet has nothing to sweep; the run
     * reports it when it creates the folder */
    if (sf_stage_int_resolve(out_dir, &dir, &parent, &base, false, &quiet) != SF_OK)
        return quiet.code == SF_ERR_NOMEM ? sf_ctx_nomem(ctx) : SF_OK;
    sf_err e = sweep_siblings(parent, done, ctx);
    if (!e)
        e = sweep_tmp(dir, 1, done, ctx);
    free(dir);
    free(parent);
    free(base);
    return e;
}
