/*
 * tally.c - distinct (value, class) pairs of a mapped column with their
 * counts (data/sf_tally.h): a small open-addressing table keyed by the
 * value's hash and the class.
 */
#include "data/sf_tally.h"

#include <stdlib.h>
#include <string.h>

static uint64_t pair_hash(const char *v, int cls)
{
    return sf_hash_str(v) ^ ((uint64_t)(unsigned)cls * 0x9E3779B97F4A7C15ULL);
}

static bool grow_slots(sf_tally *t)
{
    uint32_t n = t->n_slots ? t->n_slots * 2 : 64;
    uint32_t *s = calloc(n, sizeof *s);
    if (!s)
        return false;
    for (uint32_t i = 0; i < t->n; i++) {
        uint32_t j = (uint32_t)pair_hash(t->v[i].value, t->v[i].cls) & (n - 1);
        while (s[j])
            j = (j + 1) & (n - 1);
        s[j] = i + 1;
    }
    free(t->slots);
    t->slots = s;
    t->n_slots = n;
    return true;
}

static bool add_count(sf_tally *t, const char *value, int cls, int64_t count)
{
    if (!value)
        value = "";
    if (2 * (t->n + 1) > t->n_slots && !grow_slots(t))
        return false;
    uint64_t h = pair_hash(value, cls);
    uint32_t j = (uint32_t)h & (t->n_slots - 1);
    for (; t->slots[j]; j = (j + 1) & (t->n_slots - 1)) {
        sf_tally_ent *e = &t->v[t->slots[j] - 1];
        if (e->cls == cls && strcmp(e->value, value) == 0) {
            e->count += count;
            return true;
        }
    }
    if (t->n >= SF_TALLY_MAX) {
        t->overflow += count;
        return true;
    }
    if (t->n == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 16;
        sf_tally_ent *v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return false;
        t->v = v;
        t->cap = cap;
    }
    char *c = sf_strdup(value);
    if (!c)
        return false;
    t->v[t->n] = (sf_tally_ent){.value = c, .cls = cls, .count = count};
    t->slots[j] = ++t->n;
    return true;
}

bool sf_tally_add(sf_tally *t, const char *value, int cls)
{
    return add_count(t, value, cls, 1);
}

bool sf_tally_merge(sf_tally *dst, const sf_tally *src)
{
    for (uint32_t i = 0; i < src->n; i++)
        if (!add_count(dst, src->v[i].value, src->v[i].cls, src->v[i].count))
            return false;
    dst->overflow += src->overflow;
    return true;
}

/* qsort has no context: the entries travel with their index. */
typedef struct {
    const sf_tally_ent *e;
    uint32_t i;
} ord_ent;

static int cmp_ord(const void *pa, const void *pb)
{
    const sf_tally_ent *a = ((const ord_ent *)pa)->e, *b = ((const ord_ent *)pb)->e;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    int c = strcmp(a->value, b->value);
    return c ? c : (a->cls > b->cls) - (a->cls < b->cls);
}

uint32_t *sf_tally_order(const sf_tally *t)
{
    if (!t->n)
        return NULL;
    ord_ent *o = malloc(t->n * sizeof *o);
    uint32_t *idx = malloc(t->n * sizeof *idx);
    if (!o || !idx) {
        free(o);
        free(idx);
        return NULL;
    }
    for (uint32_t i = 0; i < t->n; i++)
        o[i] = (ord_ent){&t->v[i], i};
    qsort(o, t->n, sizeof *o, cmp_ord);
    for (uint32_t i = 0; i < t->n; i++)
        idx[i] = o[i].i;
    free(o);
    return idx;
}

void sf_tally_release(sf_tally *t)
{
    if (!t)
        return;
    for (uint32_t i = 0; i < t->n; i++)
        free(t->v[i].value);
    free(t->v);
    free(t->slots);
    memset(t, 0, sizeof *t);
}
