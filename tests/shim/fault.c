/*
 * fault.c - an LD_PRELOAD shim that makes the file-system calls of a
 * salesfocus run fail or kills the run at one of them, for the tests of
 * the all-or-nothing commit (tests/e2e/atomic_commit.sh).
 *
 *   SHIM_KILL_AT=N      SIGKILL the process at the Nth counted call
 *                       (before it is made); the calls counted are
 *                       rename, renameat, renameat2, link, linkat, unlink,
 *                       unlinkat, mkdir, mkdirat, rmdir, symlinkat
 *   SHIM_FAIL=LIST      make every call of the functions of LIST fail:
 *                       "renameat2:22,rename" (NAME[:ERRNO], default EIO)
 *   SHIM_COUNT_FILE=F   append the number of counted calls made to F at exit
 *   SHIM_SLEEP_ON=NAME:TEXT  sleep 1000 s in the first call of NAME whose
 *                       (first) path contains TEXT (a run that hangs there)
 *
 * Built by the test with cc -shared -fPIC; glibc only.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static atomic_long calls;

static void count_file(void)
{
    const char *f = getenv("SHIM_COUNT_FILE");
    if (!f)
        return;
    FILE *fp = fopen(f, "a");
    if (fp) {
        fprintf(fp, "%ld\n", (long)atomic_load(&calls));
        fclose(fp);
    }
}

__attribute__((constructor)) static void init(void) { atexit(count_file); }

/* 1 when the call must fail (errno set); kills at the chosen call. */
static int hook(const char *name, const char *path)
{
    const char *sl = getenv("SHIM_SLEEP_ON");
    size_t nl = strlen(name);
    if (sl && strncmp(sl, name, nl) == 0 && sl[nl] == ':' && path && strstr(path, sl + nl + 1))
        sleep(1000);
    long n = atomic_fetch_add(&calls, 1) + 1;
    const char *k = getenv("SHIM_KILL_AT");
    if (k && atol(k) == n)
        kill(getpid(), SIGKILL);
    const char *f = getenv("SHIM_FAIL");
    size_t n_len = strlen(name);
    for (const char *p = f; p && *p;) {
        size_t k = strcspn(p, ",:");
        int err = EIO;
        const char *q = p + k;
        if (*q == ':')
            err = atoi(q + 1);
        if (k == n_len && strncmp(p, name, k) == 0) {
            errno = err;
            return 1;
        }
        p = strchr(p, ',');
        p = p ? p + 1 : NULL;
    }
    return 0;
}

#define NEXT(type, name, args) \
    static type(*next) args;   \
    if (!next)                 \
        next = (type(*) args)dlsym(RTLD_NEXT, name);

int rename(const char *a, const char *b)
{
    NEXT(int, "rename", (const char *, const char *));
    return hook("rename", a) ? -1 : next(a, b);
}

int renameat(int fa, const char *a, int fb, const char *b)
{
    NEXT(int, "renameat", (int, const char *, int, const char *));
    return hook("renameat", a) ? -1 : next(fa, a, fb, b);
}

int renameat2(int fa, const char *a, int fb, const char *b, unsigned flags)
{
    NEXT(int, "renameat2", (int, const char *, int, const char *, unsigned));
    return hook("renameat2", a) ? -1 : next(fa, a, fb, b, flags);
}

int link(const char *a, const char *b)
{
    NEXT(int, "link", (const char *, const char *));
    return hook("link", a) ? -1 : next(a, b);
}

int linkat(int fa, const char *a, int fb, const char *b, int flags)
{
    NEXT(int, "linkat", (int, const char *, int, const char *, int));
    return hook("linkat", a) ? -1 : next(fa, a, fb, b, flags);
}

int unlink(const char *a)
{
    NEXT(int, "unlink", (const char *));
    return hook("unlink", a) ? -1 : next(a);
}

int unlinkat(int fd, const char *a, int flags)
{
    NEXT(int, "unlinkat", (int, const char *, int));
    return hook("unlinkat", a) ? -1 : next(fd, a, flags);
}

int mkdir(const char *a, mode_t m)
{
    NEXT(int, "mkdir", (const char *, mode_t));
    return hook("mkdir", a) ? -1 : next(a, m);
}

int mkdirat(int fd, const char *a, mode_t m)
{
    NEXT(int, "mkdirat", (int, const char *, mode_t));
    return hook("mkdirat", a) ? -1 : next(fd, a, m);
}

int rmdir(const char *a)
{
    NEXT(int, "rmdir", (const char *));
    return hook("rmdir", a) ? -1 : next(a);
}

int symlinkat(const char *t, int fd, const char *a)
{
    NEXT(int, "symlinkat", (const char *, int, const char *));
    return hook("symlinkat", a) ? -1 : next(t, fd, a);
}
