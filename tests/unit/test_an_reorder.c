/*
 * test_an_reorder.c - SPEC §8 at T = 2025-06-30, worked by hand: the
 * statuses at their exact boundaries, lower medians of even-length gap
 * lists, a fractional spread_factor, purchase days that a credit note
 * cancels, the lookback edge, min_gaps, revenue at risk, the tier filter,
 * the list order and the cadence pull.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_an_fixture.h"

static sf_date T;

/* Purchases of `cents` each on T - back[i] (i = 0 .. n-1). */
static void buys(const char *id, const int *back, int n, int64_t cents)
{
    for (int i = 0; i < n; i++)
        fx_txd(id, T - back[i], cents);
}

static const sf_reorder_row *row_of(const char *id)
{
    uint32_t a = sf_dataset_find(fx_ds, id);
    for (uint32_t i = 0; i < fx_rep.reorder.n; i++)
        if (fx_rep.reorder.rows[i].account == a)
            return &fx_rep.reorder.rows[i];
    return NULL;
}

static sf_reorder_status status_of(const char *id)
{
    return (sf_reorder_status)fx_rep.reorder.status[sf_dataset_find(fx_ds, id)];
}

/* gaps 30, 30, 30: typical 30, spread 0 -> late when since > 30 + 7,
 * lapsed when since > max(2 x 30, 30) = 60. */
static void test_boundaries(void **state)
{
    (void)state;
    fx_config();
    fx_begin("2025-06-30");
    T = D("2025-06-30");
    const int on37[] = {127, 97, 67, 37}, on38[] = {128, 98, 68, 38};
    const int on60[] = {150, 120, 90, 60}, on61[] = {151, 121, 91, 61};
    fx_account("ON37", "Ann");
    fx_account("ON38", "Ann");
    fx_account("ON60", "Ann");
    fx_account("ON61", "Ann");
    buys("ON37", on37, 4, 10000);
    buys("ON38", on38, 4, 10000);
    buys("ON60", on60, 4, 10000);
    buys("ON61", on61, 4, 10000);
    fx_run();
    assert_int_equal(status_of("ON37"), SF_REORDER_NONE);
    assert_null(row_of("ON37"));
    assert_int_equal(status_of("ON38"), SF_REORDER_LATE);
    assert_int_equal(status_of("ON60"), SF_REORDER_LATE);
    assert_int_equal(status_of("ON61"), SF_REORDER_LAPSED);
    const sf_reorder_row *r = row_of("ON38");
    assert_non_null(r);
    assert_int_equal(r->typical, 30);
    assert_int_equal(r->spread, 0);
    assert_int_equal(r->since, 38);
    assert_int_equal(r->purchases, 4);
    assert_int_equal(r->last_purchase, T - 38);
    assert_int_equal(r->expected_date, T - 8);
    assert_int_equal(r->days_late, 8);
    assert_int_equal(r->late_ratio, 12667); /* 38 / 30 = 1.26666.. */
    assert_int_equal(r->order_value, 10000);
    assert_int_equal(r->revenue_at_risk, 10000); /* floor(38 / 30) = 1 */
    r = row_of("ON61");
    assert_int_equal(r->revenue_at_risk, 20000); /* floor(61 / 30) = 2 */
    /* order: late before lapsed; same tier (all A); revenue at risk
     * descending (ON60: floor(60 / 30) = 2 orders at risk) */
    assert_int_equal(fx_rep.reorder.n, 3);
    assert_string_equal(fx_id(fx_rep.reorder.rows[0].account), "ON60");
    assert_string_equal(fx_id(fx_rep.reorder.rows[1].account), "ON38");
    assert_string_equal(fx_id(fx_rep.reorder.rows[2].account), "ON61");
    fx_end();
}

/* gaps 20, 30, 40, 50 (chronological): lower median of 20 30 40 50 is 30;
 * |gap - 30| = 10 0 10 20 -> lower median 10; spread_factor 2 -> slack
 * max(7, 20) = 20: late when since > 50, lapsed when > max(60, 50) = 60.
 * Day sums 100..500: order value = lower median = 300. */
static void test_spread_and_medians(void **state)
{
    (void)state;
    fx_config();
    fx_begin("2025-06-30");
    T = D("2025-06-30");
    const int day[] = {195, 175, 145, 105, 55};
    fx_account("S55", "Ann");
    for (int i = 0; i < 5; i++)
        fx_txd("S55", T - day[i], (int64_t)(i + 1) * 10000);
    /* the same rhythm, last purchase 50 days ago: on rhythm */
    fx_account("S50", "Ann");
    for (int i = 0; i < 5; i++)
        fx_txd("S50", T - day[i] + 5, 10000);
    fx_run();
    const sf_reorder_row *r = row_of("S55");
    assert_non_null(r);
    assert_int_equal(r->typical, 30);
    assert_int_equal(r->spread, 10);
    assert_int_equal(r->status, SF_REORDER_LATE);
    assert_int_equal(r->order_value, 30000);
    assert_int_equal(r->revenue_at_risk, 30000); /* floor(55 / 30) = 1 */
    assert_int_equal(status_of("S50"), SF_REORDER_NONE);
    fx_end();

    /* spread_factor 0.75: ceil(0.75 x 10) = 8 > 7, so late from since 39 */
    fx_config();
    fx_cfg.reorder_spread_factor = 750000;
    fx_begin("2025-06-30");
    fx_account("G39", "Ann");
    fx_account("G38", "Ann");
    /* gaps 30, 30, 30 would have spread 0: make them 20, 40, 30 (sorted 20
     * 30 40 -> typical 30, deviations 10 10 0 -> spread 10) */
    const int g39[] = {129, 109, 69, 39}, g38[] = {128, 108, 68, 38};
    buys("G39", g39, 4, 10000);
    buys("G38", g38, 4, 10000);
    fx_run();
    assert_int_equal(row_of("G39")->spread, 10);
    assert_int_equal(status_of("G39"), SF_REORDER_LATE);
    assert_int_equal(status_of("G38"), SF_REORDER_NONE);
    fx_end();
}

/* A credit note that takes a day's sum to 0 removes that purchase day;
 * days at or before T - lookback_days do not count; fewer than min_gaps
 * gaps: no rhythm. */
static void test_purchase_days(void **state)
{
    (void)state;
    fx_config();
    fx_cfg.reorder_lookback_days = 200;
    fx_begin("2025-06-30");
    T = D("2025-06-30");
    /* T-200 is outside (T-200, T]; T-190 .. T-70 every 40 days, and T-70
     * cancelled: purchase days T-190, T-150, T-110 -> 2 gaps: not enough */
    const int days[] = {200, 190, 150, 110, 70};
    fx_account("CN", "Ann");
    buys("CN", days, 5, 5000);
    fx_txd("CN", T - 70, -5000);
    /* the same without the credit note: T-190 .. T-70, 3 gaps of 40,
     * since 70 <= 40 + 7? no: 70 > 47 -> late; 70 <= 80 -> not lapsed */
    fx_account("NC", "Ann");
    buys("NC", days, 5, 5000);
    fx_run();
    assert_int_equal(status_of("CN"), SF_REORDER_NONE);
    const sf_reorder_row *r = row_of("NC");
    assert_non_null(r);
    assert_int_equal(r->purchases, 4);
    assert_int_equal(r->typical, 40);
    assert_int_equal(r->status, SF_REORDER_LATE);
    fx_end();
}

/* The tier filter and the cadence pull: only listed accounts are pulled,
 * and never later than they were due. */
static void test_tiers_and_pull(void **state)
{
    (void)state;
    fx_config();
    fx_cfg.reorder_tiers[SF_TIER_C] = false;
    fx_begin("2025-06-30");
    T = D("2025-06-30");
    const int late[] = {128, 98, 68, 38};
    /* BIG is the A client (the largest); SMALL a C client */
    fx_account("BIG", "Ann");
    fx_account("SMALL", "Ann");
    buys("BIG", late, 4, 1000000);
    buys("SMALL", late, 4, 1000);
    fx_act("BIG", "Ann", "2025-06-20", SF_ACT_CALL, SF_OUT_NONE, 0);
    fx_act("SMALL", "Ann", "2025-06-20", SF_ACT_CALL, SF_OUT_NONE, 0);
    fx_run();
    uint32_t big = sf_dataset_find(fx_ds, "BIG"), small = sf_dataset_find(fx_ds, "SMALL");
    assert_int_equal(fx_rep.tiers.acc[big].tier, SF_TIER_A);
    assert_int_equal(fx_rep.tiers.acc[small].tier, SF_TIER_C);
    /* both late; only the A client is listed and pulled */
    assert_int_equal(status_of("SMALL"), SF_REORDER_LATE);
    assert_null(row_of("SMALL"));
    assert_non_null(row_of("BIG"));
    assert_int_equal(fx_rep.cadence.next_due[big], T);           /* 06-20 + 30 pulled to T */
    assert_true(fx_rep.cadence.pulled[big]);
    assert_int_equal(fx_rep.cadence.next_due[small], D("2025-09-18")); /* 06-20 + 90 */
    assert_false(fx_rep.cadence.pulled[small]);
    fx_end();

    /* pull_cadence = no: next_due as the cadence gives it */
    fx_config();
    fx_cfg.reorder_pull_cadence = false;
    fx_begin("2025-06-30");
    fx_account("BIG", "Ann");
    buys("BIG", late, 4, 1000000);
    fx_act("BIG", "Ann", "2025-06-20", SF_ACT_CALL, SF_OUT_NONE, 0);
    fx_run();
    assert_int_equal(fx_rep.cadence.next_due[sf_dataset_find(fx_ds, "BIG")], D("2025-07-20"));
    fx_end();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_spread_and_medians),
        cmocka_unit_test(test_purchase_days),
        cmocka_unit_test(test_tiers_and_pull),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
