/*
 * file.c - regular files only, for everything a person names
 * (base/sf_file.h).
 */
#define _GNU_SOURCE /* O_TMPFILE, mkostemp */
#include "base/sf_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_text(mode_t m)
{
    if (S_ISDIR(m))
        return NULL; /* the system's own "Is a directory" */
    if (S_ISFIFO(m))
        return "is a FIFO (named pipe), not a regular file";
    if (S_ISCHR(m) || S_ISBLK(m))
        return "is a device, not a regular file";
    if (S_ISSOCK(m))
        return "is a socket, not a regular file";
    return "is not a regular file";
}

int sf_open_regular(const char *path, char *why, size_t why_n)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, why_n, "%s", strerror(errno));
        return -1;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        snprintf(why, why_n, "%s", strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(sb.st_mode)) {
        const char *k = kind_text(sb.st_mode);
        snprintf(why, why_n, "%s", k ? k : strerror(EISDIR));
        close(fd);
        errno = S_ISDIR(sb.st_mode) ? EISDIR : EINVAL;
        return -1;
    }
    /* reads of a regular file never block; drop the flag all the same */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

FILE *sf_fopen_regular(const char *path, char *why, size_t why_n)
{
    int fd = sf_open_regular(path, why, why_n);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "r");
    if (!f) {
        snprintf(why, why_n, "%s", strerror(errno));
        close(fd);
    }
    return f;
}

int sf_read_regular(const char *path, size_t max, char **data, size_t *len, char *why, size_t why_n)
{
    *data = NULL;
    *len = 0;
    int fd = sf_open_regular(path, why, why_n);
    if (fd < 0)
        return errno ? errno : EIO;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    int err = buf ? 0 : ENOMEM;
    while (!err) {
        if (n == cap) {
            if (cap > max) {
                err = EFBIG;
                break;
            }
            char *b = realloc(buf, 2 * cap + 1);
            if (!b) {
                err = ENOMEM;
                break;
            }
            buf = b;
            cap *= 2;
        }
        ssize_t k = read(fd, buf + n, cap - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            err = errno;
        else if (k == 0)
            break;
        else
            n += (size_t)k;
    }
    close(fd);
    if (!err && n > max)
        err = EFBIG;
    if (err) {
        if (err == EFBIG)
            snprintf(why, why_n, "larger than %zu bytes", max);
        else
            snprintf(why, why_n, "%s", strerror(err));
        free(buf);
        return err;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

/* An unlinked temporary file in dir: never seen in the folder, gone with
 * the process whatever happens. */
int sf_tmpfile(const char *dir)
{
    int fd = open(dir, O_RDWR | O_TMPFILE | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
        return fd;
    size_t n = strlen(dir) + 32;
    char *p = malloc(n);
    if (!p) {
        errno = ENOMEM;
        return -1;
    }
    snprintf(p, n, "%s/.spool-XXXXXX", dir);
    fd = mkostemp(p, O_CLOEXEC);
    if (fd >= 0)
        unlink(p);
    free(p);
    return fd;
}
