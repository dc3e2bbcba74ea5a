/*
 * readhook.c - an LD_PRELOAD shim that changes an input file while
 * salesfocus reads it, for tests/e2e/consistent_read.sh.
 *
 *   SHIM_PATH=P     the file watched (an absolute path)
 *   SHIM_ACTION=A   done once, just before the first read(2) or pread(2)
 *                   of a descriptor open on P:
 *                     rename:SRC   rename SRC over P (a new export arrives)
 *                     truncate:N   cut P to N bytes
 *                     append:TEXT  append TEXT to P
 *                     rewrite:TEXT write TEXT over the start of P (same size)
 *
 * Built by the test with cc -shared -fPIC; glibc only.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static atomic_int done;

static void maybe_act(int fd)
{
    const char *path = getenv("SHIM_PATH"), *act = getenv("SHIM_ACTION");
    if (!path || !act || atomic_load(&done))
        return;
    char link[64], target[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0)
        return;
    target[n] = '\0';
    if (strcmp(target, path) != 0 || atomic_exchange(&done, 1))
        return;
    if (strncmp(act, "rename:", 7) == 0) {
        rename(act + 7, path);
    } else if (strncmp(act, "truncate:", 9) == 0) {
        truncate(path, atol(act + 9));
    } else if (strncmp(act, "append:", 7) == 0 || strncmp(act, "rewrite:", 8) == 0) {
        bool app = act[0] == 'a';
        const char *text = strchr(act, ':') + 1;
        int w = open(path, O_WRONLY | (app ? O_APPEND : 0));
        if (w >= 0) {
            if (write(w, text, strlen(text)) < 0)
                perror("readhook");
            close(w);
        }
    }
}

ssize_t read(int fd, void *buf, size_t n)
{
    static ssize_t (*next)(int, void *, size_t);
    if (!next)
        next = (ssize_t(*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
    maybe_act(fd);
    return next(fd, buf, n);
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
    static ssize_t (*next)(int, void *, size_t, off_t);
    if (!next)
        next = (ssize_t(*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT, "pread");
    maybe_act(fd);
    return next(fd, buf, n, off);
}

ssize_t pread64(int fd, void *buf, size_t n, off_t off)
{
    static ssize_t (*next)(int, void *, size_t, off_t);
    if (!next)
        next = (ssize_t(*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT, "pread64");
    maybe_act(fd);
    return next(fd, buf, n, off);
}
