/*
 * test_common.c - calendar, exact rounding, formatting, UTF-8 lower-casing,
 * language number conventions, the radix sort, and the dataset
 * accumulators' windows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/sf_common.h"
#include "config/sf_config.h"
#include "data/sf_dataset.h"
#include "base/sf_lang.h"

static void test_dates(void **state)
{
    (void)state;
    assert_int_equal(sf_date_from_ymd(1970, 1, 1), 0);
    assert_int_equal(sf_date_from_ymd(2000, 3, 1), 11017);
    int y, m, d;
    sf_date_to_ymd(sf_date_from_ymd(2024, 2, 29), &y, &m, &d);
    assert_int_equal(y, 2024);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
    sf_date_to_ymd(sf_date_from_ymd(1, 1, 1), &y, &m, &d);
    assert_int_equal(y * 10000 + m * 100 + d, 10101);
    assert_true(sf_date_valid_ymd(2024, 2, 29));
    assert_false(sf_date_valid_ymd(2023, 2, 29));
    assert_false(sf_date_valid_ymd(2025, 2, 30));
    assert_false(sf_date_valid_ymd(0, 1, 1));
    assert_false(sf_date_valid_ymd(2000, 13, 1));
    assert_true(sf_date_valid_ymd(1900, 2, 28));
    assert_false(sf_date_valid_ymd(1900, 2, 29));
    assert_true(sf_date_valid_ymd(2000, 2, 29));
    /* 2025-06-30 is a Monday, 2025-06-29 a Sunday. */
    assert_int_equal(sf_date_weekday(sf_date_from_ymd(2025, 6, 30)), 0);
    assert_int_equal(sf_date_weekday(sf_date_from_ymd(2025, 6, 29)), 6);
    assert_int_equal(sf_date_weekday(sf_date_from_ymd(1969, 12, 31)), 2);
    char iso[16];
    /* ISO weeks (Python's isocalendar): a week belongs to its Thursday's year */
    static const struct { int y, m, d; const char *week; } weeks[] = {
        {2025, 6, 30, "2025-W27"}, {2025, 7, 6, "2025-W27"}, {2024, 12, 30, "2025-W01"},
        {2021, 1, 3, "2020-W53"},  {2026, 12, 31, "2026-W53"}, {2027, 1, 1, "2026-W53"},
        {2020, 12, 31, "2020-W53"}, {1969, 12, 29, "1970-W01"}};
    for (size_t i = 0; i < sizeof weeks / sizeof weeks[0]; i++) {
        sf_date_iso_week(sf_date_from_ymd(weeks[i].y, weeks[i].m, weeks[i].d), iso);
        assert_string_equal(iso, weeks[i].week);
    }
    sf_date_iso_week(SF_NODATE, iso);
    assert_string_equal(iso, "");
    sf_date_iso(sf_date_from_ymd(2025, 6, 3), iso);
    assert_string_equal(iso, "2025-06-03");
    sf_date_iso(SF_NODATE, iso);
    assert_string_equal(iso, "");
}

static void test_rounding(void **state)
{
    (void)state;
    assert_int_equal(sf_div_round(5, 2), 3);   /* 2.5 -> 3 */
    assert_int_equal(sf_div_round(-5, 2), -3); /* -2.5 -> -3 */
    assert_int_equal(sf_div_round(7, 3), 2);
    assert_int_equal(sf_div_round(-7, 3), -2);
    assert_int_equal(sf_div_round(5, -2), -3);
    /* 2 calls over 64 weekdays = 0.03125 -> 0.0313 (half away from zero) */
    assert_int_equal(sf_share_e4(2, 64), 313);
    assert_int_equal(sf_share_e4(1, 0), SF_NONE);
    assert_int_equal(sf_share_e4(-1, 3), -3333);
    /* ceil(0.07 x 100) is 7 when done in ppm: 70000 * 100 / 1e6 */
    assert_int_equal(sf_div_ceil((__int128)70000 * 100, 1000000), 7);
    assert_int_equal(sf_div_ceil(1, 10), 1);
    assert_int_equal(sf_div_ceil(10, 10), 1);
    assert_int_equal(sf_div_ceil(0, 10), 0);
    assert_int_equal(sf_div_ceil(-5, 10), 0);
}

static void test_format(void **state)
{
    (void)state;
    char b[32];
    sf_fmt_money(123456, b);
    assert_string_equal(b, "1234.56");
    sf_fmt_money(-50, b);
    assert_string_equal(b, "-0.50");
    sf_fmt_money(0, b);
    assert_string_equal(b, "0.00");
    sf_fmt_money(INT64_MAX, b);
    assert_string_equal(b, "92233720368547758.07");
    sf_fmt_money(SF_NONE, b);
    assert_string_equal(b, "");
    sf_fmt_e4(6759, b);
    assert_string_equal(b, "0.6759");
    sf_fmt_e4(10000, b);
    assert_string_equal(b, "1.0000");
    sf_fmt_e4(-5, b);
    assert_string_equal(b, "-0.0005");
}

/* The radix sort against a comparison sort of the same pairs: signed
 * keys both ways, ties kept in their original order (stable), keys that
 * differ only in a high byte (the skipped passes), and values carried. */
typedef struct {
    uint64_t k;
    uint32_t v;
} kv;

static int cmp_kv(const void *a, const void *b)
{
    const kv *x = a, *y = b;
    if (x->k != y->k)
        return x->k < y->k ? -1 : 1;
    return (x->v > y->v) - (x->v < y->v); /* v is the original place: stable */
}

static int cmp_i64v(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return (a > b) - (a < b);
}

/* sf_select_i64 gives the k-th smallest, as a full sort would, and leaves
 * nothing larger before it and nothing smaller after: every k of small
 * arrays, the medians and ends of larger ones; random values, many ties,
 * all equal, ascending, descending, extremes. */
static void test_select_i64(void **state)
{
    (void)state;
    enum { N = 3000 };
    int64_t *v = malloc(N * sizeof *v), *w = malloc(N * sizeof *w), *ref = malloc(N * sizeof *ref);
    assert_non_null(v);
    assert_non_null(w);
    assert_non_null(ref);
    uint64_t seed = 9;
    static const size_t sizes[] = {1, 2, 3, 16, 17, 18, 33, 100, 257, N};
    for (int shape = 0; shape < 6; shape++)
        for (size_t si = 0; si < SF_ARRAY_LEN(sizes); si++) {
            size_t n = sizes[si];
            for (size_t i = 0; i < n; i++) {
                seed = seed * 6364136223846793005u + 1442695040888963407u;
                v[i] = shape == 0 ? (int64_t)seed
                     : shape == 1 ? (int64_t)(seed >> 61)                /* many ties */
                     : shape == 2 ? 7                                     /* all equal */
                     : shape == 3 ? (int64_t)i                            /* ascending */
                     : shape == 4 ? (int64_t)(n - i)                      /* descending */
                                  : (i % 2 ? INT64_MIN : INT64_MAX);      /* extremes */
            }
            memcpy(ref, v, n * sizeof *v);
            qsort(ref, n, sizeof *ref, cmp_i64v);
            size_t ks[] = {0, (n - 1) / 2, n / 3, n - 1};
            for (size_t t = 0; t < (n <= 100 ? n : SF_ARRAY_LEN(ks)); t++) {
                size_t k = n <= 100 ? t : ks[t];
                memcpy(w, v, n * sizeof *v);
                assert_true(sf_select_i64(w, n, k) == ref[k]);
                assert_true(w[k] == ref[k]);
                for (size_t i = 0; i < n; i++)
                    assert_true(i < k ? w[i] <= w[k] : i > k ? w[i] >= w[k] : true);
            }
        }
    free(v);
    free(w);
    free(ref);
}

static void test_sort_u64(void **state)
{
    (void)state;
    enum { N = 5000 };
    uint64_t *key = malloc(N * sizeof *key);
    uint32_t *val = malloc(N * sizeof *val);
    kv *ref = malloc(N * sizeof *ref);
    assert_non_null(key);
    assert_non_null(val);
    assert_non_null(ref);
    uint64_t seed = 42;
    for (int round = 0; round < 3; round++) {
        for (uint32_t i = 0; i < N; i++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            int64_t v = round == 0 ? (int64_t)(seed >> 40) % 200 - 100    /* many ties, negatives */
                      : round == 1 ? (int64_t)((seed >> 60) << 48) - (1LL << 50) /* high bytes only */
                                   : (int64_t)seed;                          /* full range */
            key[i] = round == 0 ? ~sf_sort_key_i64(v) : sf_sort_key_i64(v);
            val[i] = i;
            ref[i] = (kv){key[i], i};
        }
        qsort(ref, N, sizeof *ref, cmp_kv);
        assert_true(sf_sort_u64(key, val, N));
        for (uint32_t i = 0; i < N; i++) {
            assert_true(key[i] == ref[i].k);
            assert_int_equal(val[i], ref[i].v);
        }
    }
    /* descending signed order by the complement */
    int64_t vs[5] = {3, -7, 0, INT64_MIN, INT64_MAX};
    for (int i = 0; i < 5; i++)
        key[i] = ~sf_sort_key_i64(vs[i]);
    assert_true(sf_sort_u64(key, NULL, 5));
    int64_t want[5] = {INT64_MAX, 3, 0, -7, INT64_MIN};
    for (int i = 0; i < 5; i++)
        assert_true((int64_t)(~key[i] ^ ((uint64_t)1 << 63)) == want[i]);
    assert_true(sf_sort_u64(key, val, 0));
    free(key);
    free(val);
    free(ref);
}

/* sf_sort_keys and sf_permute against qsort by (group ascending, value
 * descending, rank ascending), the lists' usual order. */
typedef struct {
    int64_t group, value;
    uint32_t rank;
} kitem;

static int cmp_kitem(const void *a, const void *b)
{
    const kitem *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if (x->value != y->value)
        return x->value > y->value ? -1 : 1;
    return (x->rank > y->rank) - (x->rank < y->rank);
}

static void kitem_keys(const void *p, uint64_t *k)
{
    const kitem *x = p;
    k[0] = sf_sort_key_i64(x->group);
    k[1] = ~sf_sort_key_i64(x->value);
    k[2] = x->rank;
}

static void test_sort_keys(void **state)
{
    (void)state;
    enum { N = 3000 };
    kitem *it = malloc(N * sizeof *it), *ref = malloc(N * sizeof *ref);
    uint64_t *k = malloc(3 * N * sizeof *k);
    uint32_t *perm = malloc(N * sizeof *perm);
    assert_true(it && ref && k && perm);
    uint64_t seed = 7;
    for (uint32_t i = 0; i < N; i++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        it[i] = (kitem){(int64_t)(seed >> 61) - 3, (int64_t)(seed >> 20) % 50 - 25, (i * 2654435761u) % N};
        k[i] = sf_sort_key_i64(it[i].group);
        k[N + i] = ~sf_sort_key_i64(it[i].value);
        k[2 * N + i] = it[i].rank;
    }
    memcpy(ref, it, N * sizeof *ref);
    qsort(ref, N, sizeof *ref, cmp_kitem);
    uint64_t *const keys[3] = {k, k + N, k + 2 * N};
    assert_true(sf_sort_keys(perm, N, keys, 3));
    assert_true(sf_permute(it, sizeof *it, perm, N));
    for (uint32_t i = 0; i < N; i++) {
        assert_true(it[i].group == ref[i].group);
        assert_true(it[i].value == ref[i].value);
        assert_int_equal(it[i].rank, ref[i].rank);
    }
    /* sf_sort_items: the same order from a key function per item */
    seed = 7;
    for (uint32_t i = 0; i < N; i++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        it[N - 1 - i] = (kitem){(int64_t)(seed >> 61) - 3, (int64_t)(seed >> 20) % 50 - 25, (i * 2654435761u) % N};
    }
    assert_true(sf_sort_items(it, sizeof *it, N, 3, kitem_keys));
    for (uint32_t i = 0; i < N; i++) {
        assert_true(it[i].group == ref[i].group);
        assert_true(it[i].value == ref[i].value);
        assert_int_equal(it[i].rank, ref[i].rank);
    }
    assert_false(sf_sort_items(it, sizeof *it, N, SF_SORT_MAX_KEYS + 1, kitem_keys));
    assert_true(sf_sort_items(it, sizeof *it, 0, 3, kitem_keys));
    free(it);
    free(ref);
    free(k);
    free(perm);
}

static void test_utf8(void **state)
{
    (void)state;
    char *s = sf_utf8_lower("Директор ПРОДАЖ Ёж ŁÓDŹ Żółć ABC");
    assert_non_null(s);
    assert_string_equal(s, "директор продаж ёж łódź żółć abc");
    free(s);
    assert_true(sf_utf8_ieq("Генеральный ДИРЕКТОР", "генеральный директор"));
    assert_true(sf_utf8_icontains("Chief Financial Officer (CFO)", "cfo"));
    assert_true(sf_utf8_icontains("Генеральный Директор", "директор"));
    assert_false(sf_utf8_icontains("Buyer", "owner"));
    assert_true(sf_utf8_valid("abc Ж", 6));
    assert_false(sf_utf8_valid("\xC0\xAF", 2));     /* overlong */
    assert_false(sf_utf8_valid("\xED\xA0\x80", 3)); /* surrogate */
    assert_false(sf_utf8_valid("a\0b", 3));         /* NUL */
    assert_false(sf_utf8_valid("\xD0", 1));         /* truncated */
}

static void test_lang_formats(void **state)
{
    (void)state;
    const char *share = getenv("SALESFOCUS_SHARE");
    sf_ctx ctx = {0};
    char b[64];
    sf_lang *en = NULL, *ru = NULL, *id = NULL;
    assert_int_equal(sf_lang_load(share ? share : ".", "en", &en, &ctx), SF_OK);
    assert_int_equal(sf_lang_load(share ? share : ".", "ru", &ru, &ctx), SF_OK);
    assert_int_equal(sf_lang_load(share ? share : ".", "id", &id, &ctx), SF_OK);
    sf_lang_fmt_money(en, 123456789, 2, b, sizeof b);
    assert_string_equal(b, "1,234,567.89");
    sf_lang_fmt_money(ru, 123456789, 2, b, sizeof b);
    assert_string_equal(b, "1\xC2\xA0" "234\xC2\xA0" "567,89");
    sf_lang_fmt_money(id, -123456789, 0, b, sizeof b);
    assert_string_equal(b, "-1.234.568");
    sf_lang_fmt_date(ru, sf_date_from_ymd(2025, 6, 3), b, sizeof b);
    assert_string_equal(b, "03.06.2025");
    sf_lang_fmt_date(en, sf_date_from_ymd(2025, 6, 3), b, sizeof b);
    assert_string_equal(b, "2025-06-03");
    sf_lang_fmt_pct(en, 1234, 1, b, sizeof b);
    assert_string_equal(b, "12.3%");
    sf_lang_fmt_money_short(en, 1234500, b, sizeof b); /* 12,345.00 */
    assert_string_equal(b, "12.3k");
    sf_lang_fmt_money_short(en, 450000000, b, sizeof b); /* 4.5M */
    assert_string_equal(b, "4.5M");
    sf_lang_fmt_money_short(ru, 450000000, b, sizeof b);
    assert_string_equal(b, "4,5\xC2\xA0млн");
    sf_lang_fmt_money_short(en, 99900, b, sizeof b);
    assert_string_equal(b, "999");
    assert_string_equal(sf_lang_get(ru, "common.temp_cold"), "холодный");
    assert_string_equal(sf_lang_get(en, "common.no_such_key"), "common.no_such_key");
    /* plural forms: en one/other; ru one/few/many by the last two digits;
     * pl one only for 1; id one form */
    static const struct { const char *lang; int64_t n; int form; } pl_cases[] = {
        {"en", 1, 0}, {"en", 0, 1}, {"en", 2, 1}, {"en", 21, 1},
        {"ru", 1, 0}, {"ru", 21, 0}, {"ru", 101, 0}, {"ru", 11, 2}, {"ru", 2, 1}, {"ru", 24, 1},
        {"ru", 12, 2}, {"ru", 14, 2}, {"ru", 5, 2}, {"ru", 0, 2}, {"ru", -3, 1}, {"ru", 111, 2},
        {"pl", 1, 0}, {"pl", 21, 2}, {"pl", 22, 1}, {"pl", 12, 2}, {"pl", 5, 2}, {"pl", 104, 1},
        {"id", 1, 0}, {"id", 7, 0},
    };
    sf_lang *pl = NULL;
    assert_int_equal(sf_lang_load(share ? share : ".", "pl", &pl, &ctx), SF_OK);
    for (size_t i = 0; i < sizeof pl_cases / sizeof *pl_cases; i++) {
        const char *c = pl_cases[i].lang;
        sf_lang *l = strcmp(c, "en") == 0 ? en : strcmp(c, "ru") == 0 ? ru : strcmp(c, "pl") == 0 ? pl : id;
        assert_int_equal(sf_lang_plural_form(l, pl_cases[i].n), pl_cases[i].form);
    }
    assert_int_equal(sf_lang_plural_forms(ru), 3);
    assert_int_equal(sf_lang_plural_forms(en), 2);
    sf_lang_plural_pick(ru, "{n} день|{n} дня|{n} дней", 22, b, sizeof b);
    assert_string_equal(b, "{n} дня");
    sf_lang_plural_pick(ru, "{n} день|{n} дня", 5, b, sizeof b); /* fewer forms: the last */
    assert_string_equal(b, "{n} дня");
    sf_lang_plural_pick(en, "plain", 5, b, sizeof b);
    assert_string_equal(b, "plain");
    sf_lang_plural_pick(en, "{n} day|{n} days", 1, b, 4); /* cut to the buffer */
    assert_string_equal(b, "{n}");
    sf_lang_free(pl);
    sf_lang *xx = NULL;
    assert_int_equal(sf_lang_load(".", "xx", &xx, &ctx), SF_ERR_USAGE);
    assert_null(xx);
    sf_lang_free(en);
    sf_lang_free(ru);
    sf_lang_free(id);
}

/* A dataset as of T with one account: A1, "Acme", of Ann (index 0). */
static sf_dataset *one_account(sf_config *cfg, sf_date T)
{
    assert_int_equal(sf_config_init(cfg), SF_OK);
    sf_dataset *ds = sf_dataset_new(cfg, T);
    assert_non_null(ds);
    bool dup;
    assert_int_equal(sf_dataset_add_account(ds, "A1", "Acme", "Ann", NULL, NULL, SF_NONE, SF_NONE, NULL, NULL, 2, &dup), 0);
    return ds;
}

/* The accumulators hold exactly the windows of SPEC §2: (T-365, T]. */
static void test_dataset_windows(void **state)
{
    (void)state;
    sf_config cfg;
    sf_date T = sf_date_from_ymd(2025, 6, 30);
    sf_dataset *ds = one_account(&cfg, T);
    uint32_t a = 0;
    bool dup;
    assert_int_equal(sf_dataset_add_account(ds, "A1", "x", NULL, NULL, NULL, SF_NONE, SF_NONE, NULL, NULL, 3, &dup),
                     SF_NO_ACCOUNT);
    assert_true(dup);
    /* exactly T-365: outside rev12, inside the previous year (T-730, T-365] */
    assert_true(sf_dataset_add_transaction(ds, a, T - 365, 10000, SF_NONE));
    /* exactly T: inside */
    assert_true(sf_dataset_add_transaction(ds, a, T, 2500, SF_NONE));
    /* after T: outside every window, not a purchase */
    assert_true(sf_dataset_add_transaction(ds, a, T + 1, 99900, SF_NONE));
    /* a credit note inside the window */
    assert_true(sf_dataset_add_transaction(ds, a, T - 10, -500, 0));
    /* a book whose total of absolute amounts would overflow is refused */
    assert_false(sf_dataset_add_transaction(ds, a, T, INT64_MAX, 0));
    /* activities: last contact, cost, minutes, KPI counters */
    assert_true(sf_dataset_add_activity(ds, a, UINT32_MAX, T - 5, SF_ACT_CALL, SF_OUT_CONVERSATION, 0));
    assert_true(sf_dataset_add_activity(ds, a, UINT32_MAX, T - 400, SF_ACT_VISIT, SF_OUT_NONE, 30));
    sf_ctx ctx = {0};
    assert_int_equal(sf_dataset_finish(ds, &ctx), SF_OK);
    const sf_account *acc = &ds->accounts[a];
    assert_int_equal(acc->rev12, 2000);
    assert_int_equal(acc->rev_prev12, 10000);
    /* margin: 2500 x 0.30 = 750, the credit note's own margin 0 */
    assert_int_equal(acc->margin12, 750);
    assert_int_equal(acc->first_purchase, T - 365);
    assert_int_equal(acc->last_purchase, T);
    /* decline yoy over 90 days: current (T-90, T] = 2000; prior (T-455, T-365] = 10000 */
    assert_int_equal(acc->dec_current, 2000);
    assert_int_equal(acc->dec_prior, 10000);
    assert_int_equal(acc->last_contact, T - 5);
    assert_int_equal(acc->cost12, 1500); /* only the call is in (T-365, T] */
    assert_int_equal(acc->n_split_minutes, 1);
    assert_int_equal(acc->split_minutes[0].minutes, 10); /* call default */
    uint32_t ann = sf_dataset_owner(ds, "Ann");
    assert_int_equal(ds->owner_acts[ann].calls, 1);
    assert_int_equal(ds->owner_acts[ann].conversations, 1);
    assert_false(ds->owner_seen[SF_OWNER_UNASSIGNED]);
    assert_int_equal(sf_dataset_owner(ds, "  "), SF_OWNER_UNASSIGNED);
    assert_true(ds->owner_seen[SF_OWNER_UNASSIGNED]);
    assert_int_equal(sf_dataset_finish(ds, &ctx), SF_OK);
    assert_string_equal(ds->owners[ds->owner_order[0]], "(unassigned)");
    assert_string_equal(ds->owners[ds->owner_order[1]], "Ann");
    sf_dataset_free(ds);
    sf_config_release(&cfg);
}

/* One book, figures for several dates (backfill, backtest): each date sees
 * only its own past, and a deal won after T is open at T (SPEC §1.1). */

/* Accounts of 1 to 3,000 transactions in random, reversed and sorted
 * order over a few or many dates (the days' own sort: insertion for few,
 * quicksort for many, every date repeated): each day must be the sum of
 * its transactions, the days in date order, counted by brute force. */
/* two_threads: the days summed on two threads (the book is large enough:
 * 28,527 transactions, more than two chunks of the log). */
static void check_days_sorted(bool two_threads)
{
    sf_config cfg;
    assert_int_equal(sf_config_init(&cfg), SF_OK);
    sf_date T = sf_date_from_ymd(2025, 6, 30);
    sf_dataset *ds = sf_dataset_new(&cfg, T);
    assert_non_null(ds);
    ds->two_threads = two_threads;
    enum { NA = 12, SPAN = 400 };
    static const uint32_t counts[NA] = {1, 2, 24, 25, 26, 49, 100, 300, 1000, 9000, 9000, 9000};
    static int64_t sum[NA][SPAN];
    static uint32_t pos[NA][SPAN], cnt[NA][SPAN];
    memset(sum, 0, sizeof sum);
    memset(pos, 0, sizeof pos);
    memset(cnt, 0, sizeof cnt);
    uint64_t seed = 7;
    for (int k = 0; k < NA; k++) {
        char id[16];
        snprintf(id, sizeof id, "A%d", k);
        bool dup;
        uint32_t a = sf_dataset_add_account(ds, id, id, NULL, NULL, NULL, SF_NONE, SF_NONE, NULL, NULL, 2, &dup);
        assert_int_equal(a, (uint32_t)k);
        uint32_t span = k % 3 == 0 ? 5 : SPAN; /* few dates: long runs of equal keys */
        for (uint32_t i = 0; i < counts[k]; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            uint32_t day = k == 10 ? span - 1 - i % span : k == 11 ? i * span / counts[k] : (uint32_t)(seed >> 33) % span;
            int64_t cents = (int64_t)((seed >> 20) % 100000) - 20000;
            assert_true(sf_dataset_add_transaction(ds, a, T - 1000 + (sf_date)day, cents, 0));
            sum[k][day] += cents;
            pos[k][day] += cents > 0;
            cnt[k][day]++;
        }
    }
    sf_ctx ctx = {0};
    assert_int_equal(sf_dataset_finish(ds, &ctx), SF_OK);
    for (int k = 0; k < NA; k++) {
        uint32_t n, want = 0;
        const sf_tx_day *d = sf_account_days(ds, (uint32_t)k, &n);
        for (uint32_t day = 0; day < SPAN; day++) {
            if (!cnt[k][day])
                continue;
            assert_true(want < n);
            assert_int_equal(d[want].date, T - 1000 + (sf_date)day);
            assert_int_equal(d[want].amount, sum[k][day]);
            assert_int_equal(d[want].positive, pos[k][day]);
            want++;
        }
        assert_int_equal(n, want);
    }
    sf_dataset_free(ds);
    sf_config_release(&cfg);
}

static void test_dataset_days_sorted(void **state)
{
    (void)state;
    check_days_sorted(false);
    check_days_sorted(true);
}

/* The log keeps most transactions as two int32 figures: the ones that do
 * not fit, at and past each bound, and purchase counts past an entry's
 * own, sum to the same days. */
static void test_dataset_wide_figures(void **state)
{
    (void)state;
    sf_config cfg;
    sf_date T = sf_date_from_ymd(2025, 6, 30);
    sf_dataset *ds = one_account(&cfg, T);
    uint32_t a = 0;
    const int64_t big = 3000000000000LL; /* 30 billion in cents */
    /* day 1: each bound, and one past it */
    assert_true(sf_dataset_add_transaction(ds, a, T - 1, INT32_MAX, INT32_MIN));
    assert_true(sf_dataset_add_transaction(ds, a, T - 1, (int64_t)INT32_MAX + 1, 5));
    assert_true(sf_dataset_add_transaction(ds, a, T - 1, 7, (int64_t)INT32_MIN - 1));
    /* day 2: wide figures of both signs, a narrow one between */
    assert_true(sf_dataset_add_transaction(ds, a, T - 2, big, -big));
    assert_true(sf_dataset_add_transaction(ds, a, T - 2, -12345, 678));
    assert_true(sf_dataset_add_transaction(ds, a, T - 2, -big, 1));
    /* day 3: an aggregated row of 200 purchases, and a wide one of 70 */
    assert_true(sf_dataset_add_transactions(ds, a, T - 3, 100, 40, 200));
    assert_true(sf_dataset_add_transactions(ds, a, T - 3, big, SF_NONE, 70));
    sf_ctx ctx = {0};
    assert_int_equal(sf_dataset_finish(ds, &ctx), SF_OK);
    uint32_t n;
    const sf_tx_day *d = sf_account_days(ds, a, &n);
    assert_int_equal(n, 3);
    assert_int_equal(d[2].date, T - 1);
    assert_int_equal(d[2].amount, (int64_t)INT32_MAX + (int64_t)INT32_MAX + 1 + 7);
    assert_int_equal(d[2].margin, (int64_t)INT32_MIN + 5 + (int64_t)INT32_MIN - 1);
    assert_int_equal(d[2].positive, 3);
    assert_int_equal(d[1].date, T - 2);
    assert_int_equal(d[1].amount, -12345);
    assert_int_equal(d[1].margin, -big + 678 + 1);
    assert_int_equal(d[1].positive, 1);
    assert_int_equal(d[0].date, T - 3);
    assert_int_equal(d[0].amount, 100 + big);
    assert_int_equal(d[0].margin, 40 + big * 30 / 100); /* gross_margin 30 % */
    assert_int_equal(d[0].positive, 270);
    sf_dataset_free(ds);
    sf_config_release(&cfg);
}

static void test_dataset_at(void **state)
{
    (void)state;
    sf_config cfg;
    sf_date T = sf_date_from_ymd(2025, 6, 30);
    sf_dataset *ds = one_account(&cfg, T);
    uint32_t a = 0;
    /* out of date order, two on one day (summed into one day entry), a
     * credit note that makes a day's sum negative */
    assert_true(sf_dataset_add_transaction(ds, a, T - 10, 700, SF_NONE));
    assert_true(sf_dataset_add_transaction(ds, a, T - 400, 1000, SF_NONE));
    assert_true(sf_dataset_add_transaction(ds, a, T - 10, 300, SF_NONE));
    assert_true(sf_dataset_add_transaction(ds, a, T - 200, 500, SF_NONE));
    assert_true(sf_dataset_add_transaction(ds, a, T - 200, -800, SF_NONE));
    assert_true(sf_dataset_add_activity(ds, a, UINT32_MAX, T - 100, SF_ACT_CALL, SF_OUT_NONE, 0));
    sf_opportunity o;
    memset(&o, 0, sizeof o);
    o.id = (char *)"O1";
    o.account_id = (char *)"A1";
    o.account = a;
    o.owner = UINT32_MAX;
    o.created = T - 50;
    o.status = SF_ST_WON;
    o.close_date = T - 5;
    o.amount = o.probability = SF_NONE;
    o.next_step_date = SF_NODATE;
    assert_true(sf_dataset_add_opportunity(ds, &o));
    sf_ctx ctx = {0};
    assert_int_equal(sf_dataset_finish(ds, &ctx), SF_OK);
    /* days: T-400 1000, T-200 -300 (one positive transaction), T-10 1000 */
    assert_int_equal(ds->n_days, 3);
    uint32_t n;
    const sf_tx_day *d = sf_account_days(ds, a, &n);
    assert_int_equal(n, 3);
    assert_int_equal(d[0].date, T - 400);
    assert_int_equal(d[1].amount, -300);
    assert_int_equal(d[1].positive, 1);
    assert_int_equal(d[2].amount, 1000);
    assert_int_equal(d[2].margin, 210 + 90); /* rounded per transaction */
    const sf_account *acc = &ds->accounts[a];
    assert_int_equal(acc->rev12, 700);
    assert_int_equal(acc->first_purchase, T - 400);
    assert_int_equal(acc->last_purchase, T - 10);
    assert_int_equal(acc->last_contact, T - 100);
    assert_int_equal(ds->opps[0].status, SF_ST_WON);
    assert_int_equal(acc->open_opps, 0);

    /* 20 days earlier: the deal (closed T-5) was open, the T-10 sale and
     * nothing later had happened */
    assert_int_equal(sf_dataset_at(ds, T - 20, &ctx), SF_OK);
    assert_int_equal(ds->as_of, T - 20);
    assert_int_equal(acc->rev12, -300);
    assert_int_equal(acc->last_purchase, T - 200);
    assert_int_equal(ds->opps[0].status, SF_ST_OPEN);
    assert_int_equal(acc->open_opps, 1);
    assert_int_equal(acc->last_contact, T - 100);
    /* before the deal was created: not open (ignored), not won */
    assert_int_equal(sf_dataset_at(ds, T - 60, &ctx), SF_OK);
    assert_int_equal(acc->open_opps, 0);
    /* before any activity and any purchase */
    assert_int_equal(sf_dataset_at(ds, T - 500, &ctx), SF_OK);
    assert_int_equal(acc->rev12, 0);
    assert_int_equal(acc->first_purchase, SF_NODATE);
    assert_int_equal(acc->last_contact, SF_NODATE);
    assert_int_equal(acc->cost12, 0);
    /* and back: the same figures as the first time */
    assert_int_equal(sf_dataset_at(ds, T, &ctx), SF_OK);
    assert_int_equal(acc->rev12, 700);
    assert_int_equal(acc->cost12, 1500);
    assert_int_equal(acc->n_split_minutes, 0); /* T-100 is outside the 90-day window */
    assert_int_equal(ds->opps[0].status, SF_ST_WON);
    sf_dataset_free(ds);
    sf_config_release(&cfg);
}

/* sf_thread_background lowers the nice value of the thread that calls it
 * and of no other: the run's main thread, which cannot raise it again,
 * keeps its own. */
static void *background_thread(void *arg)
{
    int *nice_after = arg;
    sf_thread_background();
    errno = 0;
    *nice_after = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
    return NULL;
}

static void test_thread_background(void **state)
{
    (void)state;
    errno = 0;
    int before = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
    int after = -100;
    pthread_t tid;
    assert_int_equal(pthread_create(&tid, NULL, background_thread, &after), 0);
    assert_int_equal(pthread_join(tid, NULL), 0);
    assert_int_equal(after, before + 10 > 19 ? 19 : before + 10);
    assert_int_equal(getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid)), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),         cmocka_unit_test(test_rounding),
        cmocka_unit_test(test_format),        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_lang_formats),  cmocka_unit_test(test_dataset_windows),
        cmocka_unit_test(test_dataset_at),
        cmocka_unit_test(test_dataset_wide_figures),
        cmocka_unit_test(test_sort_u64),
        cmocka_unit_test(test_select_i64),
        cmocka_unit_test(test_sort_keys),
        cmocka_unit_test(test_dataset_days_sorted),
        cmocka_unit_test(test_thread_background),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
