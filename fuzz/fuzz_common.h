/*
 * fuzz_common.h - what the libFuzzer harnesses share: an invariant check
 * that aborts with its text, writing a scratch file, and the scratch
 * folder (in /dev/shm when it can, so that the file writes cost no disk).
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define CHECK(c)                                                             \
    do {                                                                     \
        if (!(c)) {                                                          \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,       \
                    __LINE__, #c);                                           \
            abort();                                                         \
        }                                                                    \
    } while (0)

/* Write n bytes to path (truncating). Aborts on failure: a harness that
 * cannot write its scratch file would silently test nothing. */
static inline void write_file(const char *path, const void *buf, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(buf, 1, n, f) != n) || fclose(f) != 0)
        abort();
}

/* A new folder sf-fuzz-<name>-XXXXXX under $TMPDIR, /dev/shm or /tmp,
 * into dir (size bytes). Aborts when it cannot be made. */
static inline void scratch_dir(char *dir, size_t size, const char *name)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir, size, "%s/sf-fuzz-%s-XXXXXX", base, name);
    if (!mkdtemp(dir))
        abort();
}

#endif
