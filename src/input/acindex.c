/*
 * acindex.c - finding an account by its id during the ingest (see
 * sf_acindex and sf_acache in sf_ingest_int.h).
 *
 * Every transaction and activity names its account: at a million records
 * the lookup was over a third of the ingest (each reader built its own
 * cache, asking sf_dataset_find, three dependent memory reads and a
 * strcmp, for every account the first time it saw it). With an accounts
 * file the ids are fixed before the first transaction, so they are
 * indexed once here and the readers share the index without a lock.
 */
#include "input/sf_ingest_int.h"

#include <stdlib.h>
#include <string.h>

uint64_t sf_acache_hash(const char *id)
{
    uint64_t h = sf_hash_str(id);
    return h ? h : 1; /* 0 marks an empty cache slot */
}

/* Put an entry in a table with room for it (load below one half). */
static void acache_put(sf_acache *c, uint64_t h, const char *id, size_t len, uint32_t idx)
{
    size_t i = (size_t)h & (c->cap - 1);
    while (c->v[i].h)
        i = (i + 1) & (c->cap - 1);
    c->v[i].h = h;
    c->v[i].idx = idx;
    c->v[i].len = (uint8_t)len;
    memcpy(c->v[i].key, id, len);
    c->n++;
}

void sf_acache_add(sf_acache *c, uint64_t h, const char *id, size_t len, uint32_t idx)
{
    if (2 * (c->n + 1) > c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        sf_acache_ent *v = sf_table_alloc(cap * sizeof *v);
        if (!v)
            return; /* the cache is optional */
        for (size_t i = 0; i < c->cap; i++) {
            if (!c->v[i].h)
                continue;
            size_t j = (size_t)c->v[i].h & (cap - 1);
            while (v[j].h)
                j = (j + 1) & (cap - 1);
            v[j] = c->v[i];
        }
        free(c->v);
        c->v = v;
        c->cap = cap;
    }
    acache_put(c, h, id, len, idx);
}

/* The number of id when it is one of the family's: the prefix, then the
 * number in `width` digits, zero-padded (C000123), or in more when it
 * needs more, without a leading zero (C1000000). One text per number, so
 * an id the family's number finds is exactly the account's id: C0000001
 * (a leading zero past the width) and C00001 (short of it) are none. */
static bool dense_number(const sf_acindex *x, const char *id, size_t len, uint64_t *num)
{
    if (len < x->plen + x->width || len - x->plen > 18 || memcmp(id, x->prefix, x->plen) != 0 ||
        (len - x->plen > x->width && id[x->plen] == '0'))
        return false;
    uint64_t v = 0;
    for (size_t i = x->plen; i < len; i++) {
        unsigned d = (unsigned char)id[i] - '0';
        if (d > 9)
            return false;
        v = v * 10 + d;
    }
    *num = v;
    return true;
}

/* The trailing digits of id (at most 18, at least one): their count, or 0. */
static size_t trailing_digits(const char *id, size_t len)
{
    size_t k = 0;
    while (k < len && k < 18 && id[len - 1 - k] >= '0' && id[len - 1 - k] <= '9')
        k++;
    return k < len && id[len - 1 - k] >= '0' && id[len - 1 - k] <= '9' ? 0 : k;
}

/* Are all ids one family (one prefix, then a number in at least the
 * fewest digits any id has: see dense_number) whose numbers span at most
 * four times their count (4 bytes per number: 16 bytes per account at
 * worst, what the hash would take)? Sets the family. A book past its ids'
 * width (C999999, then C1000000) or numeric ids of several lengths
 * (1 .. 150000) is still one family. */
static bool dense_family(sf_acindex *x, const sf_dataset *ds)
{
    uint32_t n = ds->n_accounts;
    if (!n)
        return false;
    const char *id0 = ds->accounts[0].id;
    size_t len0 = strlen(id0), w = trailing_digits(id0, len0);
    if (!w || len0 - w >= SF_ACINDEX_PREFIX)
        return false;
    x->plen = len0 - w;
    memcpy(x->prefix, id0, x->plen);
    /* the width: the fewest digits after the prefix */
    for (uint32_t a = 0; a < n; a++) {
        const char *id = ds->accounts[a].id;
        size_t len = strlen(id);
        if (len <= x->plen || memcmp(id, x->prefix, x->plen) != 0)
            return false;
        if (len - x->plen < w)
            w = len - x->plen;
    }
    x->width = w;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (uint32_t a = 0; a < n; a++) {
        const char *id = ds->accounts[a].id;
        uint64_t v;
        if (!dense_number(x, id, strlen(id), &v))
            return false;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    if (hi - lo >= 4 * (uint64_t)n + 1024)
        return false;
    x->base = lo;
    x->span = hi - lo + 1;
    return true;
}

sf_err sf_acindex_build(sf_acindex *x, const sf_dataset *ds)
{
    memset(x, 0, sizeof *x);
    uint32_t n = ds->n_accounts;
    if (dense_family(x, ds)) {
        if (!(x->slot = sf_table_alloc(x->span * sizeof *x->slot)))
            return SF_ERR_NOMEM;
        for (uint32_t a = 0; a < n; a++) {
            uint64_t v = 0;
            const char *id = ds->accounts[a].id;
            (void)dense_number(x, id, strlen(id), &v);
            x->slot[v - x->base] = a + 1;
        }
        x->dense = true;
        x->live = true;
        return SF_OK;
    }
    size_t cap = 1024;
    while (cap < 2 * ((size_t)n + 1))
        cap *= 2;
    if (!(x->hash.v = sf_table_alloc(cap * sizeof *x->hash.v)))
        return SF_ERR_NOMEM;
    x->hash.cap = cap;
    for (uint32_t a = 0; a < n; a++) {
        const char *id = ds->accounts[a].id;
        size_t len = strlen(id);
        if (len <= SF_ACACHE_KEY)
            acache_put(&x->hash, sf_acache_hash(id), id, len, a);
    }
    x->live = true;
    return SF_OK;
}

void sf_acindex_free(sf_acindex *x)
{
    if (!x)
        return;
    free(x->slot);
    free(x->hash.v);
    memset(x, 0, sizeof *x);
}

uint64_t sf_acindex_prefetch(const sf_acindex *x, const char *id, size_t len)
{
    if (x->dense) {
        uint64_t v;
        if (dense_number(x, id, len, &v) && v - x->base < x->span)
            __builtin_prefetch(&x->slot[v - x->base]);
        return 0;
    }
    if (len > SF_ACACHE_KEY)
        return 0;
    uint64_t h = sf_acache_hash(id);
    __builtin_prefetch(&x->hash.v[(size_t)h & (x->hash.cap - 1)]);
    return h;
}

uint32_t sf_acindex_find(const sf_acindex *x, const sf_dataset *ds, const char *id, size_t len, uint64_t h)
{
    if (x->dense) {
        /* every account is of the family: an id that is not is none */
        uint64_t v;
        if (!dense_number(x, id, len, &v) || v < x->base || v - x->base >= x->span)
            return SF_NO_ACCOUNT;
        return x->slot[v - x->base] ? x->slot[v - x->base] - 1 : SF_NO_ACCOUNT;
    }
    if (len > SF_ACACHE_KEY)
        return sf_dataset_find(ds, id);
    const sf_acache *c = &x->hash;
    for (size_t i = (size_t)h & (c->cap - 1); c->v[i].h; i = (i + 1) & (c->cap - 1))
        if (c->v[i].h == h && c->v[i].len == len && memcmp(c->v[i].key, id, len) == 0)
            return c->v[i].idx;
    return SF_NO_ACCOUNT;
}
