/*
 * test_an_summary.c - SPEC §3.8: totals, growth and the per-owner grids.
 * T = 2025-06-30; rev12 window (2024-06-30, 2025-06-30], previous
 * (2023-07-01, 2024-06-30] (2024 is a leap year: T - 730 = 2023-07-01).
 *
 * J1 100.00 + J2 29.00 now (rev12 129.00); J1 60.00 + J2 40.00 a year
 * before (prev 100.00): growth (129 - 100) / 100 = 0.29 (John's 29 %).
 * Tiers: n = 2, k = 1, L = 100: J1 A (hot), J2 ratio 0.29 -> C (hot,
 * realization 1). P1 prospect with an open deal: C, cold, realization 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_an_fixture.h"

static void test_totals_and_grids(void **state)
{
    (void)state;
    fx_config();
    fx_begin("2025-06-30");
    fx_account("J1", "John");
    fx_account("J2", "John");
    fx_account("P1", "");
    fx_tx("J1", "2025-01-10", 10000);
    fx_tx("J2", "2025-02-10", 2900);
    fx_tx("J1", "2024-01-10", 6000);
    fx_tx("J2", "2024-06-30", 4000);   /* T - 365: previous year */
    fx_tx("J2", "2023-07-01", 99900);  /* T - 730: outside both */
    fx_opp("O1", "P1", NULL, "2025-06-01", SF_ST_OPEN, NULL, 5000, NULL, "", "2025-07-01", NULL);
    fx_run();
    const sf_summary_result *s = &fx_rep.summary;
    assert_int_equal(s->rev12_total, 12900);
    assert_int_equal(s->rev_prev12_total, 10000);
    assert_int_equal(s->growth, 2900);
    assert_int_equal(s->tier_accounts[SF_TIER_A], 1);
    assert_int_equal(s->tier_accounts[SF_TIER_C], 2);
    assert_int_equal(s->tier_revenue[SF_TIER_A], 10000);
    assert_int_equal(s->tier_revenue[SF_TIER_C], 2900);
    uint32_t john = sf_dataset_owner(fx_ds, "John");
    assert_int_equal(s->temp_grid[john][SF_TIER_A].count, 1);
    assert_int_equal(s->temp_grid[john][SF_TIER_A].realization_sum, 10000);
    assert_int_equal(s->temp_grid[john][SF_TIER_C].count, 1);
    assert_int_equal(s->temp_grid[SF_OWNER_UNASSIGNED][SF_TIER_C].count, 1);
    assert_int_equal(s->temp_grid[SF_OWNER_UNASSIGNED][SF_TIER_C].realization_sum, 0);
    assert_int_equal(fx_res("P1")->temp, SF_TEMP_COLD);
    assert_int_equal(s->verdict_count[SF_VERDICT_PURSUE], 1);
    assert_int_equal(s->verdict_grid[SF_OWNER_UNASSIGNED][SF_VERDICT_PURSUE], 1);
    /* P1 never contacted -> due today; J1, J2 never contacted either */
    assert_int_equal(s->due_count, 3);
    assert_int_equal(s->due_grid[john][SF_TIER_A], 1);
    /* (unassigned) is an owner row because P1 has no owner */
    assert_int_equal(fx_rep.split.n, 3);
    assert_int_equal(fx_rep.split.rows[0].owner, SF_OWNER_UNASSIGNED);
    fx_end();
}

/* Growth needs the whole previous year (T-730, T-365] = (2023-07-01,
 * 2024-06-30]: transactions beginning on its first day 2023-07-02 give
 * a growth; beginning a day later, "n/a" with the reason. */
static void test_growth_coverage(void **state)
{
    (void)state;
    for (int late = 0; late < 2; late++) {
        fx_config();
        fx_begin("2025-06-30");
        fx_account("J1", "John");
        fx_tx("J1", late ? "2023-07-03" : "2023-07-02", 5000);
        fx_tx("J1", "2024-01-10", 5000);
        fx_tx("J1", "2025-01-10", 15000);
        fx_run();
        const sf_summary_result *s = &fx_rep.summary;
        assert_int_equal(s->rev_prev12_total, 10000);
        assert_int_equal(s->prior_start, D("2023-07-02"));
        assert_int_equal(s->first_tx, D(late ? "2023-07-03" : "2023-07-02"));
        if (late) {
            assert_int_equal(s->growth, SF_NONE);
            assert_int_equal(s->growth_why, SF_GROWTH_PARTIAL);
            assert_int_equal(fx_rep.quality.n, 1);
            assert_int_equal(fx_rep.quality.v[0].kind, SF_NOTE_GROWTH_PARTIAL);
            char text[256];
            sf_note_text(&fx_rep.quality.v[0], text, sizeof text);
            assert_string_equal(text, "growth is n/a: the transactions begin on 2023-07-03, after the first day "
                                      "of the previous 365 days (2023-07-02)");
        } else {
            assert_int_equal(s->growth, 5000); /* (150 - 100) / 100 */
            assert_int_equal(fx_rep.quality.n, 0);
        }
        fx_end();
    }
}

/* A book whose transactions are all credit notes or zero: no revenue at
 * all, said first; growth n/a as the transactions begin this year. */
static void test_no_revenue(void **state)
{
    (void)state;
    fx_config();
    fx_begin("2025-06-30");
    fx_account("J1", "John");
    fx_tx("J1", "2025-01-10", 0);
    fx_tx("J1", "2025-02-10", -500);
    fx_run();
    assert_true(fx_rep.summary.no_revenue);
    assert_int_equal(fx_rep.summary.growth_why, SF_GROWTH_PARTIAL);
    assert_int_equal(fx_rep.quality.n, 2);
    assert_int_equal(fx_rep.quality.v[0].kind, SF_NOTE_NO_REVENUE);
    assert_int_equal(fx_rep.quality.v[1].kind, SF_NOTE_GROWTH_PARTIAL);
    fx_end();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_totals_and_grids),
        cmocka_unit_test(test_growth_coverage),
        cmocka_unit_test(test_no_revenue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
