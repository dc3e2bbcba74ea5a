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

bool sf_sort_keys(uint32_t *perm, size_t n, uint64_t *const *keys, int nkeys)
{
    uint64_t *k = malloc((n + 1) * sizeof *k);
    if (!k)
        return false;
    for (size_t i = 0; i < n; i++)
        perm[i] = (uint32_t)i;
    bool ok = true;
    /* least significant key first: each pass is stable, so the earlier
     * passes' order survives among equal keys of the later ones */
    for (int j = nkeys - 1; ok && j >= 0; j--) {
        for (size_t i = 0; i < n; i++)
            k[i] = keys[j][perm[i]];
        ok = sf_sort_u64(k, perm, n);
    }
    free(k);
    return ok;
}

bool sf_permute(void *items, size_t size, const uint32_t *perm, size_t n)
{
    char *tmp = malloc(n * size + 1), *v = items;
    if (!tmp)
        return false;
    for (size_t i = 0; i < n; i++)
        memcpy(tmp + i * size, v + (size_t)perm[i] * size, size);
    memcpy(items, tmp, n * size);
    free(tmp);
    return true;
}

bool sf_sort_items(void *items, size_t size, size_t n, int nkeys,
                   void (*key)(const void *item, uint64_t *k))
{
    if (nkeys < 1 || nkeys > SF_SORT_MAX_KEYS)
        return false;
    uint64_t *k = malloc(((size_t)nkeys * n + 1) * sizeof *k);
    uint32_t *perm = malloc((n + 1) * sizeof *perm);
    bool ok = k && perm;
    const char *v = items;
    for (size_t i = 0; ok && i < n; i++) {
        uint64_t one[SF_SORT_MAX_KEYS];
        key(v + i * size, one);
        for (int j = 0; j < nkeys; j++)
            k[(size_t)j * n + i] = one[j];
    }
    uint64_t *keys[SF_SORT_MAX_KEYS];
    for (int j = 0; j < nkeys; j++)
        keys[j] = k + (size_t)j * n;
    ok = ok && sf_sort_keys(perm, n, keys, nkeys) && sf_permute(items, size, perm, n);
    free(k);
    free(perm);
    return ok;
}

static void swap_i64(int64_t *a, int64_t *b)
{
    int64_t t = *a;
    *a = *b;
    *b = t;
}

int64_t sf_select_i64(int64_t *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1; /* v[k] is within [lo, hi] */
    while (hi - lo > 16) {
        /* median of three as the pivot, then Hoare's partition */
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < v[lo])
            swap_i64(&v[mid], &v[lo]);
        if (v[hi] < v[lo])
            swap_i64(&v[hi], &v[lo]);
        if (v[hi] < v[mid])
            swap_i64(&v[hi], &v[mid]);
        int64_t p = v[mid];
        size_t i = lo, j = hi;
        for (;;) {
            while (v[i] < p)
                i++;
            while (v[j] > p)
                j--;
            if (i >= j)
                break;
            swap_i64(&v[i], &v[j]);
            i++;
            j--;
        }
        /* [lo, j] <= p <= [j + 1, hi] */
        if (k <= j)
            hi = j;
        else
            lo = j + 1;
    }
    for (size_t i = lo + 1; i <= hi; i++) {
        int64_t x = v[i];
        size_t j = i;
        for (; j > lo && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
    return v[k];
}
