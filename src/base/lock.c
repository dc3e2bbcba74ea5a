/*
 * lock.c - one salesfocus run at a time (SPEC §5, exit code 5).
 *
 * The lock is flock(2) on [run] lock_file, not fcntl: flock locks belong to
 * the open file description, so they survive fork, are released by the
 * kernel when the process dies (no stale locks after a crash or kill -9),
 * and can be held from a shell with flock(1) for maintenance or tests.
 * The file is never unlinked: removing it would let a second run lock a
 * fresh inode while the first still holds the old one.
 *
 * The lock file sits in a folder others may write to, and a run may be
 * root: it is opened with O_NOFOLLOW (a planted symbolic link is refused,
 * never followed), created with mode 0600, and must be a regular file
 * with one link (a planted hard link to another file is refused) before
 * anything is written to it.
 */
#include "base/sf_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Create every missing folder above the file named by buf (mkdir -p of
 * its dirname). Returns 0, or -1 with errno set and buf cut down to the
 * folder that could not be created (buf is modified either way). */
static int make_parents(char *buf)
{
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
            return -1; /* buf now names the failing folder */
        }
        *p = '/';
    }
    return 0;
}

/* The PID recorded by the holder, or -1 when the file is empty or not a
 * number (the holder may not have written it yet). */
static long read_holder_pid(int fd)
{
    char buf[32];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    char *end;
    errno = 0;
    long pid = strtol(buf, &end, 10);
    if (errno != 0 || end == buf || pid <= 0)
        return -1;
    return pid;
}

/*
 * Take the lock at path. On success lk->fd holds it and the file contains
 * our PID; lk->path is owned (freed by sf_lock_release). On failure lk is
 * left released (fd -1, path NULL) and ctx names the lock file.
 */
sf_err sf_lock_acquire(sf_lock *lk, const char *path, sf_ctx *ctx)
{
    lk->fd = -1;
    lk->path = NULL;
    if (path == NULL || path[0] == '\0')
        return sf_ctx_error(ctx, SF_ERR_USAGE, "lock file path is empty");

    char *dirs = sf_strdup(path);
    if (dirs == NULL)
        return sf_ctx_nomem(ctx);
    if (make_parents(dirs) != 0) {
        int e = errno;
        sf_err rc = sf_ctx_error(ctx, SF_ERR_OUTPUT, "cannot create folder '%s' for lock '%s': %s",
                                 dirs, path, strerror(e));
        free(dirs);
        return rc;
    }
    free(dirs);

    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0600);
    if (fd < 0 && errno == ELOOP)
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "lock '%s' is a symbolic link: refused (remove it)", path);
    if (fd < 0)
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "cannot open lock '%s': %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_nlink != 1) {
        close(fd);
        return sf_ctx_error(ctx, SF_ERR_OUTPUT,
                            "lock '%s' is not a regular file of its own (a folder, device, FIFO or a hard link "
                            "to another file): refused (remove it)",
                            path);
    }

    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        sf_err rc;
        if (e == EWOULDBLOCK) {
            long pid = read_holder_pid(fd);
            if (pid > 0)
                rc = sf_ctx_error(ctx, SF_ERR_LOCK,
                                  "lock '%s' is held by another salesfocus run (pid %ld)", path, pid);
            else
                rc = sf_ctx_error(ctx, SF_ERR_LOCK,
                                  "lock '%s' is held by another salesfocus run (pid unknown)", path);
        } else {
            rc = sf_ctx_error(ctx, SF_ERR_OUTPUT, "cannot lock '%s': %s", path, strerror(e));
        }
        close(fd);
        return rc;
    }

    /* Record our PID so that a refused run can say who holds the lock. A
     * failure here is not fatal to the lock itself, but a lock file we
     * cannot write is a sign of a broken setup: report it. */
    char pidbuf[32];
    int len = snprintf(pidbuf, sizeof pidbuf, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pidbuf, (size_t)len, 0) != (ssize_t)len) {
        int e = errno;
        close(fd);
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "cannot write pid to lock '%s': %s", path, strerror(e));
    }

    lk->path = sf_strdup(path);
    if (lk->path == NULL) {
        close(fd);
        return sf_ctx_nomem(ctx);
    }
    lk->fd = fd;
    return SF_OK;
}

void sf_lock_forget(sf_lock *lk)
{
    if (lk == NULL)
        return;
    if (lk->fd >= 0)
        close(lk->fd); /* flock belongs to the open file: the parent keeps it */
    lk->fd = -1;
    free(lk->path);
    lk->path = NULL;
}

/* Release the lock and free lk->path. The PID is cleared while we still
 * hold the lock, so a later reader never sees a stale PID. NULL-safe. */
void sf_lock_release(sf_lock *lk)
{
    if (lk == NULL)
        return;
    if (lk->fd >= 0) {
        if (ftruncate(lk->fd, 0) != 0) {
            /* Nothing to do: the lock goes with the descriptor anyway. */
        }
        flock(lk->fd, LOCK_UN);
        close(lk->fd);
        lk->fd = -1;
    }
    free(lk->path);
    lk->path = NULL;
}
