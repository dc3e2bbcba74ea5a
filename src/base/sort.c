/*
 * sort.c - a stable radix sort of 64-bit keys with a 32-bit value each,
 * for the lists of a million rows whose order is a total order on one
 * integer and the original position (the CLV rows by clv, then account):
 * any correct sort gives the same rows, and this one is linear.
 */
#include <stdlib.h>
#include <string.h>

#include "base/sf_common.h"

bool sf_sort_u64(uint64_t *key, uint32_t *val, size_t n)
{
    if (n < 2)
        return true;
    uint64_t *k2 = malloc(n * sizeof *k2);
    uint32_t *v2 = val ? malloc(n * sizeof *v2) : NULL;
    size_t(*count)[256] = calloc(8, sizeof *count);
    if (!k2 || (val && !v2) || !count) {
        free(k2);
        free(v2);
        free(count);
        return false;
    }
    /* every byte's histogram in one pass */
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < 8; d++)
            count[d][(key[i] >> (8 * d)) & 0xFF]++;
    uint64_t *ks = key, *kd = k2;
    uint32_t *vs = val, *vd = v2;
    for (int d = 0; d < 8; d++) {
        size_t *c = count[d];
        if (c[(key[0] >> (8 * d)) & 0xFF] == n) /* one digit for all: already in order */
            continue;
        size_t at = 0;
        for (int b = 0; b < 256; b++) {
            size_t m = c[b];
            c[b] = at;
            at += m;
        }
        for (size_t i = 0; i < n; i++) {
            size_t to = c[(ks[i] >> (8 * d)) & 0xFF]++;
            kd[to] = ks[i];
            if (vs)
                vd[to] = vs[i];
        }
        uint64_t *kt = ks;
        ks = kd;
        kd = kt;
        uint32_t *vt = vs;
        vs = vd;
        vd = vt;
    }
    if (ks != key) {
        memcpy(key, ks, n * sizeof *key);
        if (val)
            memcpy(val, vs, n * sizeof *val);
    }
    free(k2);
    free(v2);
    free(count);
    return true;
}
