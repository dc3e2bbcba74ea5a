/*
 * replay.c - run a libFuzzer harness without libFuzzer: every file named on
 * the command line (directories are walked one level deep) is read and
 * passed to LLVMFuzzerTestOneInput once. tests/e2e/fuzz_regressions.sh
 * links each fuzz/fuzz_*.c with this driver and the normal build's objects,
 * so `make check` replays the seed corpora and any saved reproducers
 * through the harnesses' invariants even where clang is missing.
 *
 * Exit status: 0 when every input ran (a harness aborts on a broken
 * invariant, which ends the process), 2 on an unreadable input.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Read a whole file; returns a malloc'd buffer (caller frees) or NULL. */
static uint8_t *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (len < cap)
            break;
        uint8_t *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    if (ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *n = len;
    return buf;
}

static int run_file(const char *path)
{
    size_t n = 0;
    uint8_t *buf = slurp(path, &n);
    if (!buf) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        return 2;
    }
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, n);
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    int rc = 0, count = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: no such input %s\n", argv[i]);
            rc = 2;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            rc = run_file(argv[i]) ? 2 : rc;
            count++;
            continue;
        }
        DIR *d = opendir(argv[i]);
        if (!d) {
            rc = 2;
            continue;
        }
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char p[4096];
            snprintf(p, sizeof p, "%s/%s", argv[i], e->d_name);
            if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
                rc = run_file(p) ? 2 : rc;
                count++;
            }
        }
        closedir(d);
    }
    printf("replay: %d inputs\n", count);
    return rc;
}
