/*
 * idset.c - the set of record ids of a file (see sf_idset.h).
 *
 * An id is split into a prefix and its trailing digits (1 to 18 of them,
 * so the number fits; the whole id at most ID_MAX bytes). Its family is
 * (prefix, number of digits): "INV-007" and "INV-0007" are different
 * families, so leading zeros keep their meaning. A family is in one of
 * three states:
 *
 * - SMALL: its first SMALL_MAX numbers in a small hash set;
 * - BITMAP: then, if those numbers span at most DENSE_SPAN times their
 *   count, one bit per number in 4 KiB pages (32768 numbers each) found
 *   through a page table; a family whose new pages would cost more than
 *   BITMAP_BYTES_PER_ID bytes per id (plus a 64 KiB allowance) turns
 *   SPARSE;
 * - SPARSE: its ids are hashed like any other id (the numbers it held are
 *   rewritten as their ids and hashed).
 *
 * Ids without a family (no trailing digits, too long, or more than
 * MAX_FAMILIES families) are kept in the spool (sf_idspool.h: a temporary
 * file in the run's folder) and found through one open-addressing table
 * (linear probing, any size, load at most 0.9) of 64-bit entries: 24 bits
 * of the id's 64-bit hash (a tag) and its offset in the spool. The home
 * slot comes from the whole hash; an entry whose tag matches is compared
 * with the id itself, read back from the spool, so a match is exact (a
 * different id with the same tag costs one read: about once in 2^24
 * comparisons). The table grows by walking the spool, hashing each id again.
 *
 * The same id always has the same form within one set: its family exists
 * from its first id on, and only moves from SMALL to BITMAP or SPARSE, and
 * from BITMAP to SPARSE, taking every number along. Two sets (the head and
 * the tail of one file) may hold one family in different forms;
 * sf_idset_meet compares form by form.
 */
#include "input/sf_idset.h"

#include "input/sf_idspool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define ID_MAX 256            /* longer ids are hashed */
#define DIGITS_MAX 18         /* numbers below 10^18 fit uint64 */
#define SMALL_MAX 1024        /* numbers a family holds before it chooses */
#define DENSE_SPAN 64         /* bitmap if span <= 64 x count (1 byte per id) */
#define BITMAP_BYTES_PER_ID 8 /* a bitmap may cost what the hash table would */
#define PAGE_BITS 15          /* 32768 numbers, 4 KiB per page */
#define PAGE_WORDS ((1u << PAGE_BITS) / 64)
#define MAX_FAMILIES 256

enum { FAM_SMALL, FAM_BITMAP, FAM_SPARSE };

/* open addressing over uint64 keys, 0 = empty (callers never store 0) */
typedef struct {
    uint64_t *v;
    size_t cap, n;
} u64set;

typedef struct {
    uint64_t key;   /* page number + 1 */
    uint64_t *bits; /* PAGE_WORDS words */
} page_slot;

typedef struct {
    char *prefix;
    size_t plen;
    int width;
    int state;
    uint64_t hash;      /* of (prefix, width), for the family table */
    size_t count;       /* ids of the family in the set */
    /* SMALL: numbers + 1 */
    u64set small;
    uint64_t min, max;
    /* BITMAP */
    page_slot *pages;
    size_t page_cap, n_pages;
    uint64_t last_key;  /* the page found last (ids often come in order) */
    uint64_t *last_bits;
} family;

struct sf_idset {
    u64set hashed;      /* tag << 40 | (spool offset + 1) of the hashed ids */
    sf_idspool spool;   /* the hashed ids themselves */
    size_t expected, count, seen;
    bool sized;
    family *fam;
    size_t n_fam, cap_fam;
    int32_t *fam_tab;   /* family index + 1 by hash of (prefix, width) */
    size_t fam_tab_cap;
    bool fam_full;      /* MAX_FAMILIES reached: later prefixes are hashed */
    int32_t last_fam;   /* the family found last, -1 none */
};

/* ---- uint64 sets ---------------------------------------------------------------- */

/* Home slot: the key's high bits scaled to the table, so any size works. */
static size_t home(const u64set *t, uint64_t k)
{
    return (size_t)(((unsigned __int128)(k * 0x9E3779B97F4A7C15ULL) * t->cap) >> 64);
}

static bool u64_has(const u64set *t, uint64_t k)
{
    if (!t->n)
        return false;
    size_t i = home(t, k);
    while (t->v[i] && t->v[i] != k)
        i = i + 1 == t->cap ? 0 : i + 1;
    return t->v[i] == k;
}

static bool u64_resize(u64set *t, size_t cap)
{
    u64set b = {.cap = cap, .n = t->n};
    if (!(b.v = sf_table_alloc(cap * sizeof *b.v)))
        return false;
    for (size_t i = 0; i < t->cap; i++) {
        uint64_t k = t->v[i];
        if (!k)
            continue;
        size_t j = home(&b, k);
        while (b.v[j])
            j = j + 1 == cap ? 0 : j + 1;
        b.v[j] = k;
    }
    free(t->v);
    *t = b;
    return true;
}

/* Insert k (known absent). The table grows by doubling at a load of 0.9;
 * min_cap lets the caller size it once for what it expects. */
static bool u64_add(u64set *t, uint64_t k, size_t min_cap)
{
    if (10 * (t->n + 1) > 9 * t->cap || t->cap < min_cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        if (cap < min_cap)
            cap = min_cap;
        if (cap > ((size_t)1 << 34) || !u64_resize(t, cap))
            return false;
    }
    size_t i = home(t, k);
    while (t->v[i])
        i = i + 1 == t->cap ? 0 : i + 1;
    t->v[i] = k;
    t->n++;
    return true;
}

static void u64_free(u64set *t)
{
    free(t->v);
    memset(t, 0, sizeof *t);
}

/* ---- ids and families ------------------------------------------------------------ */

/* The hash of a hashed id: eight bytes a step (sf_hash_str's byte loop
 * was a sixth of the ingest of ids of 36 characters), then a 64-bit
 * finaliser, so that both the tag (the top 24 bits) and the home slot
 * depend on every byte. */
uint64_t sf_idset_hash(const char *id, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)n * 0xbf58476d1ce4e5b9ULL);
    const unsigned char *p = (const unsigned char *)id;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0x94d049bb133111ebULL;
        h ^= h >> 31;
    }
    uint64_t w = 0;
    memcpy(&w, p, n);
    h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h ? h : 1; /* 0 marks an empty slot */
}

static uint64_t id_hash(const char *s) { return sf_idset_hash(s, strlen(s)); }

/* The hash of a family (prefix, width): asked of every id with trailing
 * digits, random ones included (most UUIDs end in a digit), hence
 * sf_idset_hash's word steps rather than a byte loop. */
static uint64_t family_hash(const char *prefix, size_t plen, int width)
{
    uint64_t h = sf_idset_hash(prefix, plen) ^ ((uint64_t)width * 0x9E3779B97F4A7C15ULL);
    return h ? h : 1;
}

/* Split id into prefix length, digit count and number. False: no family. */
static bool split_id(const char *id, size_t *plen, int *width, uint64_t *number)
{
    size_t n = strlen(id);
    if (n == 0 || n > ID_MAX)
        return false;
    size_t i = n;
    while (i > 0 && id[i - 1] >= '0' && id[i - 1] <= '9')
        i--;
    size_t w = n - i;
    if (w == 0 || w > DIGITS_MAX)
        return false;
    uint64_t v = 0;
    for (size_t k = i; k < n; k++)
        v = v * 10 + (uint64_t)(id[k] - '0');
    *plen = i;
    *width = (int)w;
    *number = v;
    return true;
}

/* The id of number in family f, written into buf (ID_MAX + 1 bytes). */
static void family_id(const family *f, uint64_t number, char *buf)
{
    memcpy(buf, f->prefix, f->plen);
    char *d = buf + f->plen + f->width;
    *d = '\0';
    for (int k = 0; k < f->width; k++) {
        *--d = (char)('0' + number % 10);
        number /= 10;
    }
}

static int32_t family_find(const sf_idset *s, const char *id, size_t plen, int width, uint64_t h)
{
    if (!s->fam_tab_cap)
        return -1;
    for (size_t i = h & (s->fam_tab_cap - 1); s->fam_tab[i]; i = (i + 1) & (s->fam_tab_cap - 1)) {
        const family *f = &s->fam[s->fam_tab[i] - 1];
        if (f->hash == h && f->width == width && f->plen == plen && memcmp(f->prefix, id, plen) == 0)
            return s->fam_tab[i] - 1;
    }
    return -1;
}

/* Family of (prefix, width); created when absent (unless the families are
 * full: then -1, and the id is hashed). -2 on out of memory. */
static int32_t family_get(sf_idset *s, const char *id, size_t plen, int width)
{
    if (s->last_fam >= 0) {
        const family *f = &s->fam[s->last_fam];
        if (f->width == width && f->plen == plen && memcmp(f->prefix, id, plen) == 0)
            return s->last_fam;
    }
    uint64_t h = family_hash(id, plen, width);
    int32_t fi = family_find(s, id, plen, width, h);
    if (fi >= 0)
        return s->last_fam = fi;
    if (s->fam_full)
        return -1;
    if (s->n_fam == MAX_FAMILIES) {
        s->fam_full = true;
        return -1;
    }
    if (s->n_fam == s->cap_fam) {
        size_t cap = s->cap_fam ? s->cap_fam * 2 : 4;
        family *v = realloc(s->fam, cap * sizeof *v);
        if (!v)
            return -2;
        s->fam = v;
        s->cap_fam = cap;
    }
    if (2 * (s->n_fam + 1) > s->fam_tab_cap) {
        size_t cap = s->fam_tab_cap ? s->fam_tab_cap * 2 : 16;
        int32_t *t = calloc(cap, sizeof *t);
        if (!t)
            return -2;
        for (size_t k = 0; k < s->n_fam; k++) {
            size_t i = s->fam[k].hash & (cap - 1);
            while (t[i])
                i = (i + 1) & (cap - 1);
            t[i] = (int32_t)k + 1;
        }
        free(s->fam_tab);
        s->fam_tab = t;
        s->fam_tab_cap = cap;
    }
    family *f = &s->fam[s->n_fam];
    memset(f, 0, sizeof *f);
    if (!(f->prefix = malloc(plen + 1)))
        return -2;
    memcpy(f->prefix, id, plen);
    f->prefix[plen] = '\0';
    f->plen = plen;
    f->width = width;
    f->hash = h;
    f->state = FAM_SMALL;
    size_t i = h & (s->fam_tab_cap - 1);
    while (s->fam_tab[i])
        i = (i + 1) & (s->fam_tab_cap - 1);
    s->fam_tab[i] = (int32_t)s->n_fam + 1;
    return s->last_fam = (int32_t)s->n_fam++;
}

/* ---- bitmaps -------------------------------------------------------------------- */

static uint64_t *page_find(const family *f, uint64_t key)
{
    if (!f->page_cap)
        return NULL;
    for (size_t i = (size_t)(key * 0x9E3779B97F4A7C15ULL >> 32) & (f->page_cap - 1); f->pages[i].key;
         i = (i + 1) & (f->page_cap - 1))
        if (f->pages[i].key == key)
            return f->pages[i].bits;
    return NULL;
}

static bool bit_test(const uint64_t *bits, uint64_t number)
{
    uint64_t b = number & ((1u << PAGE_BITS) - 1);
    return bits && ((bits[b / 64] >> (b % 64)) & 1);
}

/* Is number's bit set? (remembers the page: ids often come in order) */
static bool bit_has(family *f, uint64_t number)
{
    uint64_t key = (number >> PAGE_BITS) + 1;
    uint64_t *bits = key == f->last_key ? f->last_bits : page_find(f, key);
    if (bits) {
        f->last_key = key;
        f->last_bits = bits;
    }
    return bit_test(bits, number);
}

static bool bit_has_const(const family *f, uint64_t number)
{
    return bit_test(page_find(f, (number >> PAGE_BITS) + 1), number);
}

/* Set the bit of number, adding its page when needed. *too_sparse is set
 * (nothing changed) when the new page would break the memory budget. */
static bool bit_set(family *f, uint64_t number, bool *too_sparse)
{
    *too_sparse = false;
    uint64_t key = (number >> PAGE_BITS) + 1;
    uint64_t *bits = key == f->last_key ? f->last_bits : page_find(f, key);
    if (!bits) {
        size_t bytes = (f->n_pages + 1) * (PAGE_WORDS * 8 + 2 * sizeof(page_slot));
        if (bytes > BITMAP_BYTES_PER_ID * (f->count + 1) + ((size_t)64 << 10)) {
            *too_sparse = true;
            return true;
        }
        if (2 * (f->n_pages + 1) > f->page_cap) {
            size_t cap = f->page_cap ? f->page_cap * 2 : 8;
            page_slot *t = calloc(cap, sizeof *t);
            if (!t)
                return false;
            for (size_t k = 0; k < f->page_cap; k++) {
                if (!f->pages[k].key)
                    continue;
                size_t i = (size_t)(f->pages[k].key * 0x9E3779B97F4A7C15ULL >> 32) & (cap - 1);
                while (t[i].key)
                    i = (i + 1) & (cap - 1);
                t[i] = f->pages[k];
            }
            free(f->pages);
            f->pages = t;
            f->page_cap = cap;
        }
        if (!(bits = calloc(PAGE_WORDS, sizeof *bits)))
            return false;
        size_t i = (size_t)(key * 0x9E3779B97F4A7C15ULL >> 32) & (f->page_cap - 1);
        while (f->pages[i].key)
            i = (i + 1) & (f->page_cap - 1);
        f->pages[i] = (page_slot){key, bits};
        f->n_pages++;
    }
    f->last_key = key;
    f->last_bits = bits;
    uint64_t b = number & ((1u << PAGE_BITS) - 1);
    bits[b / 64] |= (uint64_t)1 << (b % 64);
    return true;
}

static void pages_free(family *f)
{
    for (size_t i = 0; i < f->page_cap; i++)
        free(f->pages[i].bits);
    free(f->pages);
    f->pages = NULL;
    f->page_cap = f->n_pages = 0;
    f->last_key = 0;
    f->last_bits = NULL;
}

/* Calls fn(number) for every number of a SMALL or BITMAP family, in no
 * particular order; stops when fn returns true (and returns true). */
typedef bool (*number_fn)(const family *f, uint64_t number, void *arg);
static bool each_number(const family *f, number_fn fn, void *arg)
{
    if (f->state == FAM_SMALL) {
        for (size_t i = 0; i < f->small.cap; i++)
            if (f->small.v[i] && fn(f, f->small.v[i] - 1, arg))
                return true;
    } else if (f->state == FAM_BITMAP) {
        for (size_t i = 0; i < f->page_cap; i++) {
            const uint64_t *bits = f->pages[i].bits;
            if (!f->pages[i].key)
                continue;
            uint64_t base = (f->pages[i].key - 1) << PAGE_BITS;
            for (unsigned w = 0; w < PAGE_WORDS; w++)
                for (uint64_t x = bits[w]; x; x &= x - 1)
                    if (fn(f, base + w * 64 + (uint64_t)__builtin_ctzll(x), arg))
                        return true;
        }
    }
    return false;
}

/* ---- state changes ------------------------------------------------------------- */

#define TAG_SHIFT 40
#define ENTRY_OFF_MASK (((uint64_t)1 << TAG_SHIFT) - 1)

static uint64_t entry_of(uint64_t h, uint64_t off) { return (h >> TAG_SHIFT) << TAG_SHIFT | (off + 1); }

/* Is id (n bytes, hash h) among the hashed ids? 1, 0, or -1 when the spool
 * could not be read back. */
static int hashed_find(const sf_idset *s, const char *id, size_t n, uint64_t h)
{
    const u64set *t = &s->hashed;
    if (!t->n)
        return 0;
    uint64_t tag = h >> TAG_SHIFT;
    for (size_t i = home(t, h); t->v[i]; i = i + 1 == t->cap ? 0 : i + 1) {
        if (t->v[i] >> TAG_SHIFT != tag)
            continue;
        int eq = sf_idspool_equal(&s->spool, (t->v[i] & ENTRY_OFF_MASK) - 1, id, n);
        if (eq)
            return eq;
    }
    return 0;
}

static void place(u64set *t, uint64_t h, uint64_t entry)
{
    size_t i = home(t, h);
    while (t->v[i])
        i = i + 1 == t->cap ? 0 : i + 1;
    t->v[i] = entry;
}

static bool place_spooled(const char *id, size_t n, uint64_t off, void *arg)
{
    (void)n;
    uint64_t h = id_hash(id);
    place(arg, h, entry_of(h, off));
    return true;
}

/* A new table of cap slots, filled from the spool. */
static bool hashed_resize(sf_idset *s, size_t cap)
{
    u64set b = {.cap = cap, .n = s->hashed.n};
    if (cap > ((size_t)1 << 34) || !(b.v = sf_table_alloc(cap * sizeof *b.v)))
        return false;
    if (sf_idspool_each(&s->spool, place_spooled, &b) != 0) {
        free(b.v);
        return false;
    }
    free(s->hashed.v);
    s->hashed = b;
    return true;
}

/* Add id (n bytes, hash h; known absent) to the hashed ids. */
static bool hashed_add(sf_idset *s, const char *id, size_t n, uint64_t h)
{
    u64set *t = &s->hashed;
    size_t min_cap = 0;
    if (!s->sized && t->n >= 4096) {
        /* size the table once for the share of ids that need hashing */
        s->sized = true;
        if (s->expected > s->seen && s->seen)
            min_cap = (size_t)((double)s->expected * (double)t->n / (double)s->seen / 0.8);
    }
    if (10 * (t->n + 1) > 9 * t->cap || t->cap < min_cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        if (!hashed_resize(s, cap < min_cap ? min_cap : cap))
            return false;
    }
    uint64_t off;
    if (!sf_idspool_add(&s->spool, id, n, &off))
        return false;
    place(t, h, entry_of(h, off));
    t->n++;
    return true;
}

static bool to_hashed(const family *f, uint64_t number, void *arg)
{
    char buf[ID_MAX + 1];
    family_id(f, number, buf);
    return !hashed_add(arg, buf, strlen(buf), id_hash(buf)); /* stop on out of memory */
}

/* The family's numbers move into the hash table; later ids are hashed. */
static bool make_sparse(sf_idset *s, family *f)
{
    if (each_number(f, to_hashed, s))
        return false;
    u64_free(&f->small);
    pages_free(f);
    f->state = FAM_SPARSE;
    return true;
}

static bool to_bitmap(const family *f, uint64_t number, void *arg)
{
    (void)f;
    bool sparse;
    return !bit_set(arg, number, &sparse) || sparse;
}

/* A full SMALL family chooses: a bitmap if its numbers are dense. */
static bool small_full(sf_idset *s, family *f)
{
    if (f->max - f->min + 1 > (uint64_t)DENSE_SPAN * f->count)
        return make_sparse(s, f);
    family b = *f;
    b.pages = NULL;
    b.page_cap = b.n_pages = 0;
    b.last_key = 0;
    b.last_bits = NULL;
    b.state = FAM_BITMAP; /* b.count: the page budget counts the ids already in */
    if (each_number(f, to_bitmap, &b)) {
        pages_free(&b);
        return make_sparse(s, f);
    }
    u64_free(&f->small);
    f->pages = b.pages;
    f->page_cap = b.page_cap;
    f->n_pages = b.n_pages;
    f->last_key = b.last_key;
    f->last_bits = b.last_bits;
    f->state = FAM_BITMAP;
    return true;
}

/* ---- the set -------------------------------------------------------------------- */

sf_idset *sf_idset_new(size_t expected, const char *dir)
{
    sf_idset *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (!sf_idspool_init(&s->spool, dir)) {
        free(s);
        return NULL;
    }
    s->expected = expected;
    s->last_fam = -1;
    return s;
}

void sf_idset_free(sf_idset *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_fam; i++) {
        free(s->fam[i].prefix);
        u64_free(&s->fam[i].small);
        pages_free(&s->fam[i]);
    }
    free(s->fam);
    free(s->fam_tab);
    u64_free(&s->hashed);
    sf_idspool_release(&s->spool);
    free(s);
}

size_t sf_idset_count(const sf_idset *s) { return s->count; }

size_t sf_idset_bytes(const sf_idset *s)
{
    size_t b = sizeof *s + s->hashed.cap * 8 + sf_idspool_bytes(&s->spool) + s->cap_fam * sizeof(family) + s->fam_tab_cap * 4;
    for (size_t i = 0; i < s->n_fam; i++)
        b += s->fam[i].small.cap * 8 + s->fam[i].page_cap * sizeof(page_slot) +
             s->fam[i].n_pages * PAGE_WORDS * 8 + s->fam[i].plen + 1;
    return b;
}

void sf_idset_prefetch(const sf_idset *s, const char *id, size_t n, sf_idset_key *key)
{
    key->hash = 0;
    if (!s || !s->hashed.n)
        return; /* no id hashed yet: ids of families cost no hash */
    key->hash = sf_idset_hash(id, n);
    __builtin_prefetch(&s->hashed.v[home(&s->hashed, key->hash)]);
}

bool sf_idset_probe(sf_idset *s, const char *id, sf_idset_key *key, bool *found)
{
    size_t plen;
    int width;
    uint64_t number;
    uint64_t given = key->hash; /* sf_idset_prefetch's, or 0 */
    key->hash = 0; /* kept only when the id is kept as a hash */
    key->family = -1;
    key->number = 0;
    if (split_id(id, &plen, &width, &number)) {
        int32_t fi = family_get(s, id, plen, width);
        if (fi == -2)
            return false;
        if (fi >= 0) {
            family *f = &s->fam[fi];
            key->number = number;
            if (f->state == FAM_SMALL) {
                key->family = fi;
                *found = u64_has(&f->small, number + 1);
                return true;
            }
            if (f->state == FAM_BITMAP) {
                key->family = fi;
                *found = bit_has(f, number);
                return true;
            }
        }
    }
    key->hash = given ? given : id_hash(id);
    int r = hashed_find(s, id, strlen(id), key->hash);
    *found = r == 1;
    return r >= 0;
}

bool sf_idset_put(sf_idset *s, const char *id, const sf_idset_key *key)
{
    uint64_t h = key->hash;
    s->seen++;
    if (key->family >= 0) {
        family *f = &s->fam[key->family];
        uint64_t num = key->number;
        if (f->state == FAM_SMALL) {
            if (!u64_add(&f->small, num + 1, 0))
                return false;
            if (f->count == 0 || num < f->min)
                f->min = num;
            if (f->count == 0 || num > f->max)
                f->max = num;
            f->count++;
            s->count++;
            return f->count < SMALL_MAX || small_full(s, f);
        }
        if (f->state == FAM_BITMAP) {
            bool sparse;
            if (!bit_set(f, num, &sparse))
                return false;
            if (!sparse) {
                f->count++;
                s->count++;
                return true;
            }
            if (!make_sparse(s, f))
                return false;
        }
        /* SPARSE now: this id is hashed too, from its text (a family id
         * was not hashed at the probe) */
        char buf[ID_MAX + 1];
        family_id(f, num, buf);
        f->count++;
        if (!hashed_add(s, buf, strlen(buf), id_hash(buf)))
            return false;
        s->count++;
        return true;
    }
    if (!hashed_add(s, id, strlen(id), h))
        return false;
    s->count++;
    return true;
}

/* ---- two sets ------------------------------------------------------------------- */

typedef struct {
    const sf_idset *other;
} meet_arg;

/* Is number of family f (of one set) an id of the other set? */
static bool in_other(const family *f, uint64_t number, void *arg)
{
    const sf_idset *o = ((const meet_arg *)arg)->other;
    int32_t fi = family_find(o, f->prefix, f->plen, f->width, f->hash);
    if (fi >= 0) {
        const family *g = &o->fam[fi];
        if (g->state == FAM_SMALL)
            return u64_has(&g->small, number + 1);
        if (g->state == FAM_BITMAP)
            return bit_has_const(g, number);
    }
    /* hashed there (sparse family, or no family for it) */
    char buf[ID_MAX + 1];
    family_id(f, number, buf);
    /* an id that cannot be read back counts as met: the caller then reads
     * the file with one reader, which is exact */
    return hashed_find(o, buf, strlen(buf), id_hash(buf)) != 0;
}

static bool pages_meet(const family *a, const family *b)
{
    for (size_t i = 0; i < b->page_cap; i++) {
        if (!b->pages[i].key)
            continue;
        const uint64_t *x = page_find(a, b->pages[i].key), *y = b->pages[i].bits;
        if (!x)
            continue;
        for (unsigned w = 0; w < PAGE_WORDS; w++)
            if (x[w] & y[w])
                return true;
    }
    return false;
}

/* A walk of one set's spool against the other set's table, MEET_AHEAD ids
 * ahead: each id's slot is loaded while the ids before it are looked up
 * (one lookup at a time waited on memory for each: 0.9 s of the two
 * halves of ten million random ids, after both readers had finished). */
#define MEET_AHEAD 16
typedef struct {
    const sf_idset *other;
    size_t n;          /* ids taken so far */
    bool met;          /* an id of the other set, or one not read back */
    uint64_t h[MEET_AHEAD];
    size_t len[MEET_AHEAD];
    char id[MEET_AHEAD][ID_MAX + 1];
} meet_ring;

static bool ring_check(meet_ring *r, size_t j)
{
    if (hashed_find(r->other, r->id[j], r->len[j], r->h[j]) != 0)
        r->met = true;
    return !r->met;
}

static bool not_in(const char *id, size_t n, uint64_t off, void *arg)
{
    (void)off;
    meet_ring *r = arg;
    uint64_t h = sf_idset_hash(id, n);
    if (n > ID_MAX) { /* rare: looked up at once */
        r->met = hashed_find(r->other, id, n, h) != 0;
        return !r->met;
    }
    size_t j = r->n % MEET_AHEAD;
    if (r->n++ >= MEET_AHEAD && !ring_check(r, j))
        return false;
    const u64set *t = &r->other->hashed;
    size_t at = home(t, h);
    for (size_t k = 0; k < 24; k += 8) /* a miss scans some 23 slots at a load of 0.85 */
        __builtin_prefetch(&t->v[at + k < t->cap ? at + k : at + k - t->cap]);
    r->h[j] = h;
    r->len[j] = n;
    memcpy(r->id[j], id, n + 1);
    return true;
}

/* The ids of small's spool in [from, to) against large's table: a ring
 * walk, then the ids still in the ring. */
typedef struct {
    const sf_idset *small, *large;
    uint64_t from, to;
    bool met;
} meet_half;

static void *walk_half(void *arg)
{
    meet_half *m = arg;
    meet_ring r = {.other = m->large};
    int rc = sf_idspool_each_range(&m->small->spool, m->from, m->to, not_in, &r);
    m->met = rc != 0; /* met, or a read error: met is the safe answer */
    size_t held = r.n < MEET_AHEAD ? r.n : MEET_AHEAD;
    for (size_t k = 0; k < held && !m->met; k++)
        m->met = !ring_check(&r, (r.n - held + k) % MEET_AHEAD);
    return NULL;
}

/* Does an id of small's spool belong to large's table? With two threads
 * the spool is walked in two halves at once (the check runs after both
 * readers of a split file, with nothing else to do meanwhile). */
static bool spool_meets(const sf_idset *small, const sf_idset *large, bool two_threads)
{
    uint64_t size = sf_idspool_size(&small->spool), mid = size;
    if (!two_threads || !sf_idspool_middle(&small->spool, &mid))
        mid = size;
    meet_half lo = {small, large, 0, mid, false}, hi = {small, large, mid, size, false};
    pthread_t tid;
    bool threaded = mid < size && pthread_create(&tid, NULL, walk_half, &hi) == 0;
    walk_half(&lo);
    if (threaded)
        pthread_join(tid, NULL);
    else if (mid < size)
        walk_half(&hi);
    return lo.met || hi.met;
}

bool sf_idset_meet(const sf_idset *a, const sf_idset *b, bool two_threads, bool *oom)
{
    *oom = false;
    if (!a->count || !b->count)
        return false;
    /* b's hashed ids against a's hashed ids: the smaller set's spool read
     * in order, each id looked up in the other */
    const sf_idset *small = b, *large = a;
    if (small->hashed.n > large->hashed.n) {
        small = a;
        large = b;
    }
    if (small->hashed.n && large->hashed.n && spool_meets(small, large, two_threads))
        return true;
    /* b's family ids against all of a */
    meet_arg to_a = {a};
    for (size_t k = 0; k < b->n_fam; k++) {
        const family *f = &b->fam[k];
        if (f->state == FAM_SPARSE)
            continue; /* hashed: above, and below against a's families */
        int32_t fi = family_find(a, f->prefix, f->plen, f->width, f->hash);
        const family *g = fi >= 0 ? &a->fam[fi] : NULL;
        if (!g && !a->fam_full)
            continue; /* a never saw an id of this family */
        if (g && f->state == FAM_BITMAP && g->state == FAM_BITMAP) {
            if (pages_meet(g, f))
                return true;
        } else if (g && f->state == FAM_BITMAP && g->state == FAM_SMALL) {
            meet_arg to_b = {b};
            if (each_number(g, in_other, &to_b))
                return true;
        } else if (each_number(f, in_other, &to_a)) {
            return true;
        }
    }
    /* a's family ids against b's hashed ids: only where b hashed that
     * family (sparse there, or b had no room for it) */
    meet_arg to_b = {b};
    for (size_t k = 0; k < a->n_fam; k++) {
        const family *g = &a->fam[k];
        if (g->state == FAM_SPARSE || !b->hashed.n)
            continue;
        int32_t fi = family_find(b, g->prefix, g->plen, g->width, g->hash);
        bool hashed_in_b = fi >= 0 ? b->fam[fi].state == FAM_SPARSE : b->fam_full;
        if (hashed_in_b && each_number(g, in_other, &to_b))
            return true;
    }
    return false;
}
