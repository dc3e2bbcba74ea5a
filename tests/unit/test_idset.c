/*
 * test_idset.c - the id set behind duplicate_id: every form an id can take
 * (family bitmap, small family, hashed) answers membership exactly, the
 * memory follows the ids' density, and two sets (a file's head and tail)
 * meet exactly when they share an id, checked against a plain reference.
 * Hashed ids are compared with the ids themselves: two different ids whose
 * hashes share the table's tag and home slot are both kept, from memory
 * and from the spool file alike.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sf_common.h"
#include "input/sf_idset.h"

#include <unistd.h>

/* A scratch folder for the spool files, made once (removed at the end). */
static char scratch[64];
static const char *spool_dir(void)
{
    if (!scratch[0]) {
        snprintf(scratch, sizeof scratch, "/tmp/sf-idset-XXXXXX");
        assert_non_null(mkdtemp(scratch));
    }
    return scratch;
}

/* Add id; returns whether it was already there. The probe takes the hash
 * from sf_idset_prefetch here, and computes it in has(). */
static bool add(sf_idset *s, const char *id)
{
    sf_idset_key k;
    bool found;
    sf_idset_prefetch(s, id, strlen(id), &k);
    assert_true(sf_idset_probe(s, id, &k, &found));
    if (!found)
        assert_true(sf_idset_put(s, id, &k));
    return found;
}

static bool has(sf_idset *s, const char *id)
{
    sf_idset_key k = {0};
    bool found;
    assert_true(sf_idset_probe(s, id, &k, &found));
    return found;
}

static uint64_t rng_state = 88172645463325252ULL;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void test_sequential_invoices(void **state)
{
    (void)state;
    sf_idset *s = sf_idset_new(200000, NULL);
    char id[32];
    for (int i = 1; i <= 200000; i++) {
        snprintf(id, sizeof id, "INV-%07d", i);
        assert_false(add(s, id));
    }
    assert_int_equal(sf_idset_count(s), 200000);
    /* a bitmap: well under a byte per id, where a hash table takes ~10 */
    assert_true(sf_idset_bytes(s) < 200000);
    assert_true(has(s, "INV-0000001"));
    assert_true(has(s, "INV-0200000"));
    assert_false(has(s, "INV-0200001"));
    assert_false(has(s, "INV-200000"));   /* another width: another id */
    assert_false(has(s, "INV-00000001"));
    assert_false(has(s, "INV-0000000"));
    assert_false(has(s, "inv-0000001"));
    assert_true(add(s, "INV-0123456"));   /* a duplicate */
    sf_idset_free(s);
}

static void test_leading_zeros_and_plain(void **state)
{
    (void)state;
    sf_idset *s = sf_idset_new(0, NULL);
    assert_false(add(s, "A01"));
    assert_false(add(s, "A1"));
    assert_false(add(s, "A001"));
    assert_true(add(s, "A01"));
    assert_false(add(s, "0"));
    assert_false(add(s, "00"));
    assert_true(add(s, "00"));
    assert_false(add(s, "abc"));          /* no digits: hashed */
    assert_true(add(s, "abc"));
    assert_false(add(s, "abc1def"));
    assert_true(add(s, "abc1def"));
    assert_false(add(s, "9999999999999999999")); /* 19 digits: hashed */
    assert_true(add(s, "9999999999999999999"));
    assert_false(add(s, "999999999999999999"));  /* 18: a family */
    assert_true(add(s, "999999999999999999"));
    assert_int_equal(sf_idset_count(s), 9);
    sf_idset_free(s);
}

/* Random 18-digit numbers: far too sparse for a bitmap, so the family
 * turns to hashing, and still answers exactly. */
static void test_sparse_family(void **state)
{
    (void)state;
    sf_idset *s = sf_idset_new(20000, spool_dir());
    enum { N = 20000 };
    static char ids[N][24];
    for (int i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "X%018llu", (unsigned long long)(rnd() % 1000000000000000000ULL));
        add(s, ids[i]);
    }
    for (int i = 0; i < N; i++)
        assert_true(has(s, ids[i]));
    /* the table (about 10 bytes per id) and the spool's buffer (at most
     * a megabyte; the ids past it go to the file) */
    assert_true(sf_idset_bytes(s) < (size_t)N * 12 + ((size_t)1 << 20) + 4096);
    sf_idset_free(s);
}

/* Dense at first (a bitmap), then numbers far apart: the family turns to
 * hashing on the way and keeps every id it held. */
static void test_bitmap_turns_sparse(void **state)
{
    (void)state;
    sf_idset *s = sf_idset_new(0, NULL);
    char id[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(id, sizeof id, "D%010d", i);
        assert_false(add(s, id));
    }
    for (int i = 0; i < 3000; i++) {
        snprintf(id, sizeof id, "D%010d", 1000000 + i * 99991);
        assert_false(add(s, id));
    }
    for (int i = 0; i < 5000; i++) {
        snprintf(id, sizeof id, "D%010d", i);
        assert_true(has(s, id));
    }
    for (int i = 0; i < 3000; i++) {
        snprintf(id, sizeof id, "D%010d", 1000000 + i * 99991);
        assert_true(has(s, id));
    }
    assert_false(has(s, "D0000005001"));
    assert_int_equal(sf_idset_count(s), 8000);
    sf_idset_free(s);
}

/* More prefixes than families: the rest are hashed, all still exact. */
static void test_many_families(void **state)
{
    (void)state;
    sf_idset *s = sf_idset_new(0, NULL);
    char id[48];
    for (int p = 0; p < 600; p++)
        for (int i = 0; i < 20; i++) {
            snprintf(id, sizeof id, "P%d-%04d", p, i);
            assert_false(add(s, id));
        }
    for (int p = 0; p < 600; p++)
        for (int i = 0; i < 20; i++) {
            snprintf(id, sizeof id, "P%d-%04d", p, i);
            assert_true(has(s, id));
        }
    assert_false(has(s, "P599-0020"));
    sf_idset_free(s);
}


/* The table keeps 24 bits of an id's 64-bit hash (its top bits, the tag)
 * and finds its home slot from the whole hash; at the first size (16
 * slots) the home is the top 4 bits of hash x 0x9E3779B97F4A7C15. Two ids
 * with the same tag and the same home look alike to the table: find such
 * a pair and check that the second is not taken for a duplicate of the
 * first (a table comparing tags alone fails here). */
static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static bool find_twins(char *x, char *y)
{
    enum { N = 1 << 17 };
    uint64_t *key = malloc(N * sizeof *key);
    assert_non_null(key);
    char id[40];
    for (uint64_t i = 0; i < N; i++) {
        snprintf(id, sizeof id, "twin-%llu-z", (unsigned long long)i);
        uint64_t h = sf_idset_hash(id, strlen(id));
        uint64_t home = (h * 0x9E3779B97F4A7C15ULL) >> 60;
        key[i] = ((h >> 40) << 4 | home) << 20 | i; /* i < 2^17 */
    }
    qsort(key, N, sizeof *key, cmp_u64);
    bool ok = false;
    for (uint64_t i = 1; i < N && !ok; i++)
        if (key[i] >> 20 == key[i - 1] >> 20) {
            snprintf(x, 40, "twin-%llu-z", (unsigned long long)(key[i - 1] & 0xfffff));
            snprintf(y, 40, "twin-%llu-z", (unsigned long long)(key[i] & 0xfffff));
            ok = true;
        }
    free(key);
    return ok;
}


static void test_tag_twins_are_not_duplicates(void **state)
{
    (void)state;
    char x[40], y[40];
    assert_true(find_twins(x, y));
    assert_string_not_equal(x, y);
    sf_idset *s = sf_idset_new(0, NULL);
    assert_false(add(s, x));
    assert_false(add(s, y)); /* not a duplicate: another id */
    assert_true(add(s, x));
    assert_true(add(s, y));
    assert_int_equal(sf_idset_count(s), 2);
    sf_idset_free(s);
}

/* Ids of any shape (random UUIDs, 18-character Salesforce-style ids),
 * enough of them that the spool goes to its file and the table grows by
 * reading it back: every id found, every repeat a duplicate, nothing else;
 * the memory held is the table, not the ids. */
static void test_random_ids_spooled(void **state)
{
    (void)state;
    enum { N = 120000 };
    static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    char (*ids)[40] = malloc((size_t)N * 40);
    assert_non_null(ids);
    sf_idset *s = sf_idset_new(0, spool_dir());
    for (int i = 0; i < N; i++) {
        uint64_t a = rnd(), b = rnd();
        if (i % 2)
            snprintf(ids[i], 40, "%08llx-%04llx-4%03llx-a%03llx-%012llx", (unsigned long long)(a >> 32),
                     (unsigned long long)(a & 0xffff), (unsigned long long)(b >> 52),
                     (unsigned long long)((b >> 40) & 0xfff), (unsigned long long)(b & 0xffffffffffffULL));
        else {
            memcpy(ids[i], "0065g00000", 10);
            for (int k = 10; k < 18; k++, a /= 62)
                ids[i][k] = b62[a % 62];
            ids[i][18] = '\0';
        }
        assert_false(add(s, ids[i]));
    }
    for (int i = 0; i < N; i += 7)
        assert_true(add(s, ids[i]));
    assert_false(has(s, "00000000-0000-4000-a000-000000000000"));
    assert_false(has(s, "0065g00000AAAAAAAA"));
    assert_int_equal(sf_idset_count(s), N);
    /* the ids (3.2 MB) are in the file, not in memory as without a folder */
    sf_idset *m = sf_idset_new(0, NULL);
    for (int i = 0; i < N; i++)
        assert_false(add(m, ids[i]));
    assert_true(sf_idset_bytes(s) + ((size_t)2 << 20) < sf_idset_bytes(m));
    sf_idset_free(m);
    /* a tail with one id of the head, and one without */
    sf_idset *t = sf_idset_new(0, spool_dir()), *u = sf_idset_new(0, spool_dir());
    char id[40];
    for (int i = 0; i < N; i++) {
        snprintf(id, sizeof id, "tail-%d-%llx", i, (unsigned long long)rnd());
        add(t, id);
        add(u, id);
    }
    add(t, ids[N / 3]);
    /* and one whose shared id is late in the head's spool: in the second
     * half when it is walked in two */
    sf_idset *late = sf_idset_new(0, spool_dir());
    for (int i = 0; i < N; i++) {
        snprintf(id, sizeof id, "late-%d-%llx", i, (unsigned long long)rnd());
        add(late, id);
    }
    add(late, ids[N - 5]);
    bool oom;
    assert_true(sf_idset_meet(s, late, false, &oom));
    assert_true(sf_idset_meet(s, late, true, &oom));
    sf_idset_free(late);
    assert_true(sf_idset_meet(s, t, false, &oom));
    assert_true(sf_idset_meet(s, t, true, &oom));
    assert_false(oom);
    assert_false(sf_idset_meet(s, u, false, &oom));
    assert_false(sf_idset_meet(s, u, true, &oom));
    assert_false(oom);
    sf_idset_free(s);
    sf_idset_free(t);
    sf_idset_free(u);
    free(ids);
}

/* ---- two sets ----------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* One id from one of several generators (dense, sparse, plain, many
 * prefixes, two widths). */
static void gen_id(int kind, uint64_t i, char *out)
{
    switch (kind) {
    case 0: snprintf(out, 40, "INV-%07llu", (unsigned long long)i); break;
    case 1: snprintf(out, 40, "S%015llu", (unsigned long long)(i * 7919993ULL % 1000000000000000ULL)); break;
    case 2: snprintf(out, 40, "id-%llx-x", (unsigned long long)(i * 0x9E3779B97F4A7C15ULL)); break;
    case 3: snprintf(out, 40, "F%llu-%03llu", (unsigned long long)(i % 400), (unsigned long long)(i / 400)); break;
    default: snprintf(out, 40, "%llu", (unsigned long long)i); break;
    }
}

/* Head and tail from the same generators with a chosen overlap (an id of
 * the head at the tail's place `at`); meet must equal the reference
 * intersection. */
static void meet_case_at(int kind_a, int kind_b, uint64_t na, uint64_t nb, bool overlap, uint64_t offset,
                         uint64_t at)
{
    /* the head's spool in a file once it passes a megabyte, the tail's in memory */
    sf_idset *a = sf_idset_new(na, spool_dir()), *b = sf_idset_new(nb, NULL);
    char **ra = malloc(na * sizeof *ra), **rb = malloc(nb * sizeof *rb);
    assert_non_null(ra);
    assert_non_null(rb);
    char id[40];
    for (uint64_t i = 0; i < na; i++) {
        gen_id(kind_a, i, id);
        add(a, id);
        ra[i] = strdup(id);
    }
    for (uint64_t i = 0; i < nb; i++) {
        gen_id(kind_b, offset + i, id);
        if (overlap && i == at)
            gen_id(kind_a, na / 3, id); /* one id of the head */
        add(b, id);
        rb[i] = strdup(id);
    }
    qsort(ra, na, sizeof *ra, cmp_str);
    bool want = false;
    for (uint64_t i = 0; i < nb && !want; i++)
        want = bsearch(&rb[i], ra, na, sizeof *ra, cmp_str) != NULL;
    bool oom;
    assert_int_equal(sf_idset_meet(a, b, false, &oom), want);
    assert_false(oom);
    assert_int_equal(sf_idset_meet(a, b, true, &oom), want); /* the spool walked in two halves */
    assert_false(oom);
    if (overlap)
        assert_true(want);
    for (uint64_t i = 0; i < na; i++)
        free(ra[i]);
    for (uint64_t i = 0; i < nb; i++)
        free(rb[i]);
    free(ra);
    free(rb);
    sf_idset_free(a);
    sf_idset_free(b);
}

static void meet_case(int kind_a, int kind_b, uint64_t na, uint64_t nb, bool overlap, uint64_t offset)
{
    meet_case_at(kind_a, kind_b, na, nb, overlap, offset, nb / 2);
}

static void test_meet(void **state)
{
    (void)state;
    for (int ka = 0; ka < 5; ka++)
        for (int kb = 0; kb < 5; kb++) {
            meet_case(ka, kb, 3000, 3000, false, 1000000);
            meet_case(ka, kb, 3000, 3000, true, 1000000);
        }
    /* a bitmap head against a small tail and the other way round */
    meet_case(0, 0, 50000, 500, true, 60000);
    meet_case(0, 0, 500, 50000, true, 60000);
    meet_case(0, 0, 50000, 50000, false, 50000);
    meet_case(0, 0, 50000, 50000, true, 50000);
    /* adjacent, not overlapping, ranges of one dense family */
    meet_case(0, 0, 40000, 40000, false, 40000);
    /* families full on one side only */
    /* the smaller set's spool is walked some ids ahead of its lookups: the
     * shared id first, last (looked up after the walk), and in a walk
     * shorter than the look-ahead */
    for (uint64_t nb = 5; nb <= 5000; nb *= 1000) {
        meet_case_at(2, 2, 20000, nb, true, 1000000, 0);
        meet_case_at(2, 2, 20000, nb, true, 1000000, nb - 1);
        meet_case_at(2, 2, 20000, nb, true, 1000000, nb - 3);
        meet_case_at(2, 2, 20000, nb, false, 1000000, 0);
    }
    meet_case(3, 3, 200000, 2000, true, 200000);
    meet_case(3, 3, 2000, 200000, true, 2000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sequential_invoices),
        cmocka_unit_test(test_leading_zeros_and_plain),
        cmocka_unit_test(test_sparse_family),
        cmocka_unit_test(test_bitmap_turns_sparse),
        cmocka_unit_test(test_many_families),
        cmocka_unit_test(test_meet),
        cmocka_unit_test(test_tag_twins_are_not_duplicates),
        cmocka_unit_test(test_random_ids_spooled),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    if (scratch[0])
        rmdir(scratch);
    return rc;
}
