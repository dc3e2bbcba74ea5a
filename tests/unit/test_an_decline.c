/*
 * test_an_decline.c - SPEC §3.3 with window 90 at T = 2025-06-30:
 *   current (2025-04-01, 2025-06-30];
 *   yoy prior (2024-04-01, 2024-06-30]; previous prior (2025-01-01, 2025-04-01].
 * Lost vs declining, the exact 0.20 threshold, credit notes, the window
 * edges, min_drop_amount, ties on drop, and yoy vs previous.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_an_fixture.h"

static void expect_row(uint32_t i, const char *id, int64_t prior, int64_t cur, int64_t drop,
                       int64_t share, bool lost)
{
    assert_true(i < fx_rep.decline.n);
    const sf_decline_row *r = &fx_rep.decline.rows[i];
    assert_string_equal(fx_id(r->account), id);
    assert_int_equal(r->prior, prior);
    assert_int_equal(r->current, cur);
    assert_int_equal(r->drop, drop);
    assert_int_equal(r->drop_share, share);
    assert_int_equal(r->lost, lost);
}

static void build_yoy(int64_t min_drop_amount)
{
    fx_config();
    fx_cfg.min_drop_amount = min_drop_amount;
    fx_begin("2025-06-30");
    const char *ids[] = {"L1", "DC", "NO", "NEGC", "ZP", "EDGE"};
    for (size_t i = 0; i < SF_ARRAY_LEN(ids); i++)
        fx_account(ids[i], "Ann");
    fx_tx("L1", "2024-05-01", 10000);     /* prior 100, current 0 -> lost */
    fx_tx("DC", "2024-05-01", 10000);     /* prior 100 */
    fx_tx("DC", "2025-05-01", 8000);      /* current 80: drop 20 = 0.20 exactly */
    fx_tx("NO", "2024-05-01", 10000);
    fx_tx("NO", "2025-05-01", 8001);      /* drop 19.99 = 0.1999: no alert */
    fx_tx("NEGC", "2024-05-01", 5000);    /* prior 50 */
    fx_tx("NEGC", "2025-05-01", -1000);   /* current -10: drop 60, 1.2, lost */
    fx_tx("ZP", "2025-05-01", 1000);      /* no prior: never an alert */
    fx_tx("EDGE", "2024-04-02", 10000);   /* first day of the prior window */
    fx_tx("EDGE", "2024-04-01", 7777);    /* T-455: outside the prior window */
    fx_tx("EDGE", "2025-04-01", 10000);   /* T-90: outside current -> lost */
    fx_run();
}

static void test_yoy(void **state)
{
    (void)state;
    build_yoy(0);
    assert_int_equal(fx_rep.decline.n, 4);
    /* drop descending; EDGE and L1 tie on 100.00 -> account_id */
    expect_row(0, "EDGE", 10000, 0, 10000, 10000, true);
    expect_row(1, "L1", 10000, 0, 10000, 10000, true);
    expect_row(2, "NEGC", 5000, -1000, 6000, 12000, true);
    expect_row(3, "DC", 10000, 8000, 2000, 2000, false);
    assert_true(fx_rep.decline.alerted[sf_dataset_find(fx_ds, "DC")]);
    assert_false(fx_rep.decline.alerted[sf_dataset_find(fx_ds, "NO")]);
    assert_int_equal(fx_rep.summary.alert_count, 4);
    assert_int_equal(fx_rep.summary.lost_count, 3);
    fx_end();
}

/* min_drop_amount 20.01 drops DC (drop 20.00); 20.00 keeps it. */
static void test_min_drop_amount(void **state)
{
    (void)state;
    build_yoy(2001);
    assert_int_equal(fx_rep.decline.n, 3);
    assert_false(fx_rep.decline.alerted[sf_dataset_find(fx_ds, "DC")]);
    fx_end();
    build_yoy(2000);
    assert_int_equal(fx_rep.decline.n, 4);
    fx_end();
}

/* compare = previous: prior (2025-01-01, 2025-04-01]. P1 prior 100
 * (02-01), current 50 (05-01) -> drop 50, 0.5, declining; its 1000.00 a
 * year ago is ignored. P2 only a year ago -> prior 0. P3 on 2025-01-01
 * (T-180) is outside the prior window -> prior 0. */
static void test_previous(void **state)
{
    (void)state;
    fx_config();
    fx_cfg.decline_compare = SF_CMP_PREVIOUS;
    fx_begin("2025-06-30");
    fx_account("P1", "Ann");
    fx_account("P2", "Ann");
    fx_account("P3", "Ann");
    fx_tx("P1", "2025-02-01", 10000);
    fx_tx("P1", "2025-05-01", 5000);
    fx_tx("P1", "2024-05-01", 100000);
    fx_tx("P2", "2024-05-01", 10000);
    fx_tx("P3", "2025-01-01", 10000);
    fx_run();
    assert_int_equal(fx_rep.decline.n, 1);
    expect_row(0, "P1", 10000, 5000, 5000, 5000, false);
    fx_end();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yoy),
        cmocka_unit_test(test_min_drop_amount),
        cmocka_unit_test(test_previous),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
