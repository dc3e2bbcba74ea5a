/*
 * test_an_fire.c - SPEC §3.4 at T = 2025-06-30, min_tenure 180 (first
 * purchase on or before 2025-01-01), gross_margin 0.30, fraction 0.5.
 *
 * Buyers (rev12): TOP 1000 (A, L = 1000 with n = 7, k = 1), EDGE 500
 * (ratio 0.5: B), F1 100, F2 50, F3 50, F4 40, NEW 10 (all C).
 *   F1: margin 30.00, two visits 240.00 -> net -210.00
 *   F4: margin 12.00, one call 15.00   -> net -3.00
 *   F2, F3: margin 15.00, no cost      -> net 15.00, rev 50: a tie
 *   EDGE: first purchase 2025-01-01 (= T-180, eligible), net 150.00
 *   NEW: first purchase 2025-01-02 -> too new; TOP: protected A.
 * eligible = 5, ceil(0.5 x 5) = ceil(2.5) = 3 -> F1, F4, F2 (F2 before
 * F3 on account_id).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_an_fixture.h"

static void build(bool protect_b, bool protect_a)
{
    static const char *const retail[] = {"retail"};
    fx_config();
    fx_cfg.fire_fraction = 500000;
    fx_cfg.protect_tiers[SF_TIER_A] = protect_a;
    fx_cfg.protect_tiers[SF_TIER_B] = protect_b;
    fx_list(&fx_cfg.ic_industries, retail, 1);
    fx_begin("2025-06-30");
    fx_account_full("TOP", "Ann", "Retail", NULL, SF_NONE, SF_NONE, NULL, NULL);
    fx_account_full("EDGE", "Ann", "RETAIL", NULL, SF_NONE, SF_NONE, NULL, NULL);
    fx_account("F1", "Ann");
    fx_account("F3", "Bob");
    fx_account("F2", "Bob");
    fx_account_full("F4", "Bob", "retail", NULL, SF_NONE, SF_NONE, NULL, NULL);
    fx_account("NEW", "Bob");
    fx_tx("TOP", "2024-12-01", 100000);
    fx_tx("EDGE", "2025-01-01", 50000);
    fx_tx("F1", "2024-12-01", 10000);
    fx_tx("F2", "2024-12-01", 5000);
    fx_tx("F2", "2024-05-01", 10000); /* yoy prior 100, current 0: declining */
    fx_tx("F3", "2024-12-01", 5000);
    fx_tx("F4", "2024-12-01", 4000);
    fx_tx("NEW", "2025-01-02", 1000);
    fx_act("F1", NULL, "2025-03-01", SF_ACT_VISIT, SF_OUT_NONE, 0);
    fx_act("F1", NULL, "2025-04-01", SF_ACT_VISIT, SF_OUT_NONE, 0);
    fx_act("F1", NULL, "2024-06-30", SF_ACT_VISIT, SF_OUT_NONE, 0); /* T-365: no cost */
    fx_act("F4", NULL, "2025-06-30", SF_ACT_CALL, SF_OUT_NONE, 0);
    fx_run();
}

static void test_candidates_and_reasons(void **state)
{
    (void)state;
    build(false, true);
    assert_int_equal(fx_res("EDGE")->tier, SF_TIER_B);
    assert_int_equal(fx_rep.fire.eligible, 5);
    assert_int_equal(fx_rep.fire.n, 3);
    const sf_fire_row *r = fx_rep.fire.rows;
    assert_string_equal(fx_id(r[0].account), "F1");
    assert_int_equal(r[0].rev12, 10000);
    assert_int_equal(r[0].margin12, 3000);
    assert_int_equal(r[0].cost12, 24000);
    assert_int_equal(r[0].net_value, -21000);
    /* negative net; 240 > 0.5 x 30; no industry -> fails filter 1 */
    assert_int_equal(r[0].reasons, SF_FIRE_NEGATIVE_NET | SF_FIRE_HIGH_COST | SF_FIRE_ICP_MISS);
    assert_string_equal(fx_id(r[1].account), "F4");
    assert_int_equal(r[1].net_value, -300);
    /* industry "retail" matches the list: no icp_miss */
    assert_int_equal(r[1].reasons, SF_FIRE_NEGATIVE_NET | SF_FIRE_HIGH_COST);
    assert_string_equal(fx_id(r[2].account), "F2");
    assert_int_equal(r[2].net_value, 1500);
    assert_int_equal(r[2].reasons, SF_FIRE_DECLINING | SF_FIRE_ICP_MISS);
    assert_int_equal(fx_rep.summary.fire_count, 3);
    fx_end();
}

/* protect_tiers = A, B: EDGE leaves; eligible 4, ceil(2.0) = 2. */
static void test_protect_b(void **state)
{
    (void)state;
    build(true, true);
    assert_int_equal(fx_rep.fire.eligible, 4);
    assert_int_equal(fx_rep.fire.n, 2);
    assert_string_equal(fx_id(fx_rep.fire.rows[1].account), "F4");
    fx_end();
}

/* Nothing protected: TOP joins (net 300.00); eligible 6, ceil(3.0) = 3. */
static void test_protect_none(void **state)
{
    (void)state;
    build(false, false);
    assert_int_equal(fx_rep.fire.eligible, 6);
    assert_int_equal(fx_rep.fire.n, 3);
    assert_string_equal(fx_id(fx_rep.fire.rows[2].account), "F2");
    fx_end();
}

/* ceil(0.07 x 100) = 7 exactly (a float product would give 7.000000001). */
static void test_fraction_exact(void **state)
{
    (void)state;
    fx_config();
    fx_cfg.fire_fraction = 70000;
    fx_begin("2025-06-30");
    char id[16];
    for (int i = 0; i < 100; i++) {
        snprintf(id, sizeof id, "X%03d", i);
        fx_account(id, "Ann");
        fx_tx(id, "2024-10-01", 1000 + i);
    }
    fx_cfg.protect_tiers[SF_TIER_A] = false;
    fx_run();
    assert_int_equal(fx_rep.fire.eligible, 100);
    assert_int_equal(fx_rep.fire.n, 7);
    assert_string_equal(fx_id(fx_rep.fire.rows[0].account), "X000");
    fx_end();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_candidates_and_reasons),
        cmocka_unit_test(test_protect_b),
        cmocka_unit_test(test_protect_none),
        cmocka_unit_test(test_fraction_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
