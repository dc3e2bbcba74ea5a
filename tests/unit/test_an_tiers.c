/*
 * test_an_tiers.c - SPEC §3.1 on hand-built datasets: the 365-day window
 * edges, the leading group size k, the lookalike benchmark (after dropping
 * keys, even-length medians, size bands), negative revenue, the D rule and
 * the temperature bands. T = 2025-06-30 throughout.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_an_fixture.h"

/* A transaction on T - 365 is outside rev12 (window is (T-365, T]) and
 * inside rev_prev12 ((T-730, T-365]); one on T is inside; one on T-730
 * is outside both. rev12 = 50.00, prev = 100.00; growth = (50-100)/100. */
static void test_window_edges(void **state)
{
    (void)state;
    fx_config();
    fx_begin("2025-06-30");
    sf_date T = D("2025-06-30");
    fx_account("X", "Ann");
    fx_txd("X", T - 365, 10000);
    fx_txd("X", T, 5000);
    fx_txd("X", T - 730, 7000);
    fx_txd("X", T + 1, 9900); /* after T: outside every window */
    fx_run();
    const sf_account *x = &fx_ds->accounts[0];
    assert_int_equal(x->rev12, 5000);
    assert_int_equal(x->rev_prev12, 10000);
    assert_int_equal(fx_rep.summary.rev12_total, 5000);
    assert_int_equal(fx_rep.summary.rev_prev12_total, 10000);
    assert_int_equal(fx_rep.summary.growth, -5000); /* -50.00 / 100.00 = -0.5 */
    /* the only buyer: k = 1, L = 50.00, ratio 1, tier A, hot */
    assert_int_equal(fx_rep.tiers.n_buying, 1);
    assert_int_equal(fx_rep.tiers.k, 1);
    assert_int_equal(fx_rep.tiers.L, 5000);
    assert_int_equal(fx_res("X")->tier, SF_TIER_A);
    assert_int_equal(fx_res("X")->ratio, 10000);
    fx_end();
}

/* n = 10: k = max(1, ceil(0.10 x 10)) = 1, L = the largest (100.00). */
static void test_k_n10(void **state)
{
    (void)state;
    fx_config();
    fx_begin("2025-06-30");
    char id[16];
    for (int i = 1; i <= 10; i++) {
        snprintf(id, sizeof id, "A%02d", i);
        fx_account(id, "Ann");
        fx_tx(id, "2025-01-15", (int64_t)i * 1000); /* 10.00 .. 100.00 */
    }
    fx_run();
    assert_int_equal(fx_rep.tiers.n_buying, 10);
    assert_int_equal(fx_rep.tiers.k, 1);
    assert_int_equal(fx_rep.tiers.L, 10000);
    /* by_rev: rev12 descending */
    assert_string_equal(fx_id(fx_rep.tiers.by_rev[0]), "A10");
    assert_string_equal(fx_id(fx_rep.tiers.by_rev[9]), "A01");
    /* 80.00 / 100.00 = 0.80 >= a_min: A; 70.00: 0.70 -> B; 40.00: 0.40 -> C */
    assert_int_equal(fx_res("A08")->tier, SF_TIER_A);
    assert_int_equal(fx_res("A07")->tier, SF_TIER_B);
    assert_int_equal(fx_res("A04")->tier, SF_TIER_C);
    fx_end();
}

/* n = 11 buyers: 11, 10, 8, 7.99, 7, 5, 4.50, 4, 3, 2, 1 (euros).
 * k = ceil(0.10 x 11) = ceil(1.1) = 2, so L = 10.00 (the 2nd largest).
 * ratios: 11 -> 1.1 A; 8 -> 0.80 A (exactly a_min); 7.99 -> 0.799 B;
 * 4.50 -> 0.45 B (exactly b_min); 4 -> 0.40 C. */
static void test_k_n11_cut_points(void **state)
{
    (void)state;
    static const struct { const char *id; int64_t c; } b[] = {
        {"B01", 1100}, {"B02", 1000}, {"B03", 800}, {"B04", 799}, {"B05", 700},
        {"B06", 500},  {"B07", 450},  {"B08", 400}, {"B09", 300}, {"B10", 200},
        {"B11", 100}};
    fx_config();
    fx_begin("2025-06-30");
    for (size_t i = 0; i < SF_ARRAY_LEN(b); i++) {
        fx_account(b[i].id, "Ann");
        fx_tx(b[i].id, "2025-03-01", b[i].c);
    }
    fx_run();
    assert_int_equal(fx_rep.tiers.k, 2);
    assert_int_equal(fx_rep.tiers.L, 1000);
    assert_int_equal(fx_res("B01")->tier, SF_TIER_A);
    assert_int_equal(fx_res("B01")->ratio, 11000);
    assert_int_equal(fx_res("B03")->tier, SF_TIER_A);
    assert_int_equal(fx_res("B03")->ratio, 8000);
    assert_int_equal(fx_res("B04")->tier, SF_TIER_B);
    assert_int_equal(fx_res("B04")->ratio, 7990);
    assert_int_equal(fx_res("B07")->tier, SF_TIER_B);
    assert_int_equal(fx_res("B07")->ratio, 4500);
    assert_int_equal(fx_res("B08")->tier, SF_TIER_C);
    assert_int_equal(fx_res("B08")->ratio, 4000);
    /* accounts.csv order: A by potential desc (B01 B02 B03), then B ... */
    assert_string_equal(fx_id(fx_rep.tiers.order[0]), "B01");
    assert_string_equal(fx_id(fx_rep.tiers.order[2]), "B03");
    assert_string_equal(fx_id(fx_rep.tiers.order[3]), "B04");
    assert_string_equal(fx_id(fx_rep.tiers.order[10]), "B11");
    fx_end();
}

/* n = 1 and reference_top_share = 0: k = max(1, 0) = 1, L = maximum. */
static void test_k_n1_and_share_zero(void **state)
{
    (void)state;
    fx_config();
    fx_cfg.reference_top_share = 0;
    fx_begin("2025-06-30");
    fx_account("ONE", "Ann");
    fx_tx("ONE", "2025-06-01", 12345);
    fx_run();
    assert_int_equal(fx_rep.tiers.k, 1);
    assert_int_equal(fx_rep.tiers.L, 12345);
    fx_end();
}

/* Lookalike benchmark, segment_by industry, size_band, region, min_peers 3.
 *  T1 (Retail, 30 -> 10-49, North, 10.00): level 3 has only T1; level 2
 *     (Retail, 10-49) = T1 10, R2 20, R3 60 -> median idx 1 = 20.00.
 *  T2 (Software, 500 -> 250+, West, no revenue): level 3 none; level 2
 *     (Software, 250+) = S1 only; level 1 (Software) = S3 10, S4 30, S1 40,
 *     S2 80 -> even length 4, lower median idx (4-1)/2 = 1 = 30.00.
 *  N1 (no industry): no level -> no benchmark, potential = rev12.
 *  NEG (Retail, 15, South, rev12 -50.00, bought before the window):
 *     level 3 (Retail,10-49,South) buyers = R2 only; level 2 -> 20.00.
 * P = {T1 10, R2 20, R3 60, S1 40, S2 80, S3 10, S4 30, N1 5}: n = 8,
 * k = ceil(0.8) = 1, L = 80.00. */
static void test_benchmark_drop_keys(void **state)
{
    (void)state;
    fx_config();
    fx_begin("2025-06-30");
    fx_account_full("T1", "Ann", "Retail", "North", 30, SF_NONE, NULL, NULL);
    fx_account_full("R2", "Ann", "Retail", "South", 20, SF_NONE, NULL, NULL);
    fx_account_full("R3", "Ann", "Retail", "East", 40, SF_NONE, NULL, NULL);
    fx_account_full("T2", "Bob", "Software", "West", 500, SF_NONE, NULL, NULL);
    fx_account_full("S1", "Bob", "Software", "North", 300, SF_NONE, NULL, NULL);
    fx_account_full("S2", "Bob", "Software", "South", 5, SF_NONE, NULL, NULL);
    fx_account_full("S3", "Bob", "Software", "South", 50, SF_NONE, NULL, NULL);
    fx_account_full("S4", "Bob", "Software", "North", 12, SF_NONE, NULL, NULL);
    fx_account_full("N1", "Bob", NULL, "North", 30, SF_NONE, NULL, NULL);
    fx_account_full("NEG", "Ann", "Retail", "South", 15, SF_NONE, NULL, NULL);
    fx_tx("T1", "2025-05-01", 1000);
    fx_tx("R2", "2025-05-01", 2000);
    fx_tx("R3", "2025-05-01", 6000);
    fx_tx("S1", "2025-05-01", 4000);
    fx_tx("S2", "2025-05-01", 8000);
    fx_tx("S3", "2025-05-01", 1000);
    fx_tx("S4", "2025-05-01", 3000);
    fx_tx("N1", "2025-05-01", 500);
    fx_tx("NEG", "2023-05-01", 9000); /* ever bought, outside both windows */
    fx_tx("NEG", "2025-05-01", -5000);
    fx_run();
    assert_int_equal(fx_rep.tiers.n_buying, 8);
    assert_int_equal(fx_rep.tiers.L, 8000);

    const sf_account_result *t1 = fx_res("T1");
    assert_int_equal(t1->benchmark, 2000);
    assert_int_equal(t1->potential, 2000);
    assert_int_equal(t1->ratio, 2500);       /* 20 / 80 */
    assert_int_equal(t1->tier, SF_TIER_C);
    assert_int_equal(t1->realization, 5000); /* 10 / 20 */
    assert_int_equal(t1->temp, SF_TEMP_WARM);

    const sf_account_result *t2 = fx_res("T2");
    assert_int_equal(t2->benchmark, 3000);
    assert_int_equal(t2->potential, 3000);
    assert_int_equal(t2->tier, SF_TIER_D);   /* never bought, no open opps */
    assert_int_equal(t2->ratio, 3750);       /* 30 / 80, written for D too */
    assert_int_equal(t2->realization, 0);
    assert_int_equal(t2->temp, SF_TEMP_COLD);

    assert_int_equal(fx_res("N1")->benchmark, SF_NONE);
    assert_int_equal(fx_res("N1")->potential, 500);

    const sf_account_result *neg = fx_res("NEG");
    assert_int_equal(fx_ds->accounts[sf_dataset_find(fx_ds, "NEG")].rev12, -5000);
    assert_int_equal(neg->benchmark, 2000);
    assert_int_equal(neg->potential, 2000);  /* max(-50, 20) */
    assert_int_equal(neg->tier, SF_TIER_C);  /* ever bought: not D */
    assert_int_equal(neg->realization, 0);   /* max(rev12, 0) / potential */
    assert_int_equal(neg->temp, SF_TEMP_COLD);
    fx_end();
}

/* size_band alone: 0, 5 and 9 employees share `1-9` (0 counted in the
 * first band), 10 is `10-49`. Band 1-9 buyers 10, 20, 30 -> median 20;
 * E10 is alone in its band: no benchmark. Unknown employees: no band. */
static void test_size_bands(void **state)
{
    (void)state;
    fx_config();
    fx_cfg.segment_by[0] = SF_SEG_SIZE_BAND;
    fx_cfg.n_segment_by = 1;
    fx_begin("2025-06-30");
    fx_account_full("E0", "Ann", NULL, NULL, 0, SF_NONE, NULL, NULL);
    fx_account_full("E5", "Ann", NULL, NULL, 5, SF_NONE, NULL, NULL);
    fx_account_full("E9", "Ann", NULL, NULL, 9, SF_NONE, NULL, NULL);
    fx_account_full("E10", "Ann", NULL, NULL, 10, SF_NONE, NULL, NULL);
    fx_account_full("EX", "Ann", NULL, NULL, SF_NONE, SF_NONE, NULL, NULL);
    fx_tx("E0", "2025-06-01", 1000);
    fx_tx("E5", "2025-06-01", 2000);
    fx_tx("E9", "2025-06-01", 3000);
    fx_tx("E10", "2025-06-01", 9000);
    fx_tx("EX", "2025-06-01", 100);
    fx_run();
    assert_int_equal(fx_res("E0")->benchmark, 2000);
    assert_int_equal(fx_res("E9")->benchmark, 2000);
    assert_int_equal(fx_res("E10")->benchmark, SF_NONE);
    assert_int_equal(fx_res("EX")->benchmark, SF_NONE);
    assert_int_equal(fx_res("E0")->potential, 2000);
    fx_end();
}

/* Temperature: segment industry only, min_peers 3. Group X buyers:
 * 29.99, 30, 75, 100, 100, 100, 100 -> n 7, median idx 3 = 100.00.
 * realization 75/100 = 0.75 -> hot (= hot_min); 30/100 -> warm
 * (= cold_below); 29.99/100 = 0.2999 -> cold. */
static void test_temperature_bands(void **state)
{
    (void)state;
    static const struct { const char *id; int64_t c; } b[] = {
        {"H75", 7500}, {"W30", 3000}, {"C2999", 2999}, {"P1", 10000},
        {"P2", 10000}, {"P3", 10000}, {"P4", 10000}};
    fx_config();
    fx_cfg.segment_by[0] = SF_SEG_INDUSTRY;
    fx_cfg.n_segment_by = 1;
    fx_begin("2025-06-30");
    for (size_t i = 0; i < SF_ARRAY_LEN(b); i++) {
        fx_account_full(b[i].id, "Ann", "X", NULL, SF_NONE, SF_NONE, NULL, NULL);
        fx_tx(b[i].id, "2025-06-01", b[i].c);
    }
    fx_run();
    assert_int_equal(fx_res("H75")->potential, 10000);
    assert_int_equal(fx_res("H75")->realization, 7500);
    assert_int_equal(fx_res("H75")->temp, SF_TEMP_HOT);
    assert_int_equal(fx_res("W30")->realization, 3000);
    assert_int_equal(fx_res("W30")->temp, SF_TEMP_WARM);
    assert_int_equal(fx_res("C2999")->realization, 2999);
    assert_int_equal(fx_res("C2999")->temp, SF_TEMP_COLD);
    assert_int_equal(fx_res("P1")->temp, SF_TEMP_HOT);
    fx_end();
}

/* D rule: not ever_bought and no open opportunity. One buyer B1 (n = 1).
 *  NB1 nothing -> D; NB2 open opp created <= T -> not D (C: potential 0);
 *  NB3 open opp created after T -> ignored -> D; NB4 only a won opp -> D;
 *  OLD bought two years ago (rev12 0) -> ever bought -> C;
 *  NEG only a credit note -> never bought -> D. */
static void test_d_rule(void **state)
{
    (void)state;
    fx_config();
    fx_begin("2025-06-30");
    const char *ids[] = {"B1", "NB1", "NB2", "NB3", "NB4", "OLD", "NEG"};
    for (size_t i = 0; i < SF_ARRAY_LEN(ids); i++)
        fx_account(ids[i], "Ann");
    fx_tx("B1", "2025-06-01", 10000);
    fx_tx("OLD", "2023-06-01", 10000);
    fx_tx("NEG", "2025-06-01", -1000);
    fx_opp("O2", "NB2", NULL, "2025-06-30", SF_ST_OPEN, NULL, 100, NULL, "", "", NULL);
    fx_opp("O3", "NB3", NULL, "2025-07-01", SF_ST_OPEN, NULL, 100, NULL, "", "", NULL);
    fx_opp("O4", "NB4", NULL, "2025-01-01", SF_ST_WON, NULL, 100, NULL, "2025-02-01", "", NULL);
    fx_run();
    assert_int_equal(fx_res("B1")->tier, SF_TIER_A);
    assert_int_equal(fx_res("NB1")->tier, SF_TIER_D);
    assert_int_equal(fx_res("NB2")->tier, SF_TIER_C);
    assert_int_equal(fx_res("NB3")->tier, SF_TIER_D);
    assert_int_equal(fx_res("NB4")->tier, SF_TIER_D);
    assert_int_equal(fx_res("OLD")->tier, SF_TIER_C);
    assert_int_equal(fx_res("NEG")->tier, SF_TIER_D);
    assert_int_equal(fx_res("NB1")->ratio, 0); /* 0 / 100.00, L exists */
    assert_int_equal(fx_rep.summary.tier_accounts[SF_TIER_D], 4);
    assert_int_equal(fx_rep.summary.tier_revenue[SF_TIER_D], -1000);
    /* order: A, then C by potential (all 0) and id, then D by id */
    assert_string_equal(fx_id(fx_rep.tiers.order[0]), "B1");
    assert_string_equal(fx_id(fx_rep.tiers.order[1]), "NB2");
    assert_string_equal(fx_id(fx_rep.tiers.order[2]), "OLD");
    assert_string_equal(fx_id(fx_rep.tiers.order[3]), "NB1");
    fx_end();
}

/* n = 0: no L, every ratio empty, tiers C (with an open opp) or D. */
static void test_no_buyers(void **state)
{
    (void)state;
    fx_config();
    fx_begin("2025-06-30");
    fx_account("P", "Ann");
    fx_account("Q", "Ann");
    fx_opp("O1", "P", NULL, "2025-06-01", SF_ST_OPEN, NULL, 100, NULL, "", "", NULL);
    fx_run();
    assert_int_equal(fx_rep.tiers.n_buying, 0);
    assert_true(fx_rep.tiers.L == SF_NONE);
    assert_int_equal(fx_res("P")->tier, SF_TIER_C);
    assert_int_equal(fx_res("Q")->tier, SF_TIER_D);
    assert_true(fx_res("P")->ratio == SF_NONE);
    assert_int_equal(fx_res("P")->realization, 0);
    assert_true(fx_rep.summary.growth == SF_NONE);
    fx_end();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_edges),
        cmocka_unit_test(test_k_n10),
        cmocka_unit_test(test_k_n11_cut_points),
        cmocka_unit_test(test_k_n1_and_share_zero),
        cmocka_unit_test(test_benchmark_drop_keys),
        cmocka_unit_test(test_size_bands),
        cmocka_unit_test(test_temperature_bands),
        cmocka_unit_test(test_d_rule),
        cmocka_unit_test(test_no_buyers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
