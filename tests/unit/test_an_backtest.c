/*
 * test_an_backtest.c - SPEC §10 on a tiny book worked out by hand.
 *
 * T = 2025-06-30, H = 90, N = 3, S = 90: t_0 = 2025-04-01, t_1 =
 * 2025-01-01, t_2 = 2024-10-03. Decline alerts compare the previous
 * window (compare = previous, 90 days): at t, current (t-90, t] and prior
 * (t-180, t-90]. [fire] fraction 0: no fire candidate. No segment values:
 * every buying client is hot, so never cold A; nobody was ever contacted,
 * so nobody is overdue. Amounts in currency units:
 *
 *        2024-09-01 10-01 10-21 11-10 11-30 12-01 2025-02-01 03-01 05-01
 *   A1        100                           100              100
 *   A2        200                           100               50
 *   A3        200                           100              150   150
 *   A4                                                 100
 *   A5                                      100               80  79.99
 *   A6        100
 *   A7              100   100   100   100
 *   A8 buys 100 on 2025-01-31, 02-10, 02-20 and 03-02, then nothing
 *
 * Population (revenue of (t-90, t] > 0) and declined (revenue of (t, t+90]
 * below 0.8 x that):
 *   t_2 (Jul 5, Oct 3] -> (Oct 3, Jan 1]: A1 100->100; A2 200->100 declined;
 *       A3 200->100 declined; A6 100->0 declined; A7 100->300.
 *       Population 5, declined 3.
 *   t_1 (Oct 3, Jan 1] -> (Jan 1, Apr 1]: A1 100->100; A2 100->50 declined;
 *       A3 100->150; A5 100->80 (not below 80: exact); A7 300->0 declined.
 *       Population 5, declined 2.
 *   t_0 (Jan 1, Apr 1] -> (Apr 1, Jun 30]: A1 100->0 declined; A2 50->0
 *       declined; A3 150->150; A4 100->0 declined; A5 80->79.99 (not below
 *       64); A8 400->0 declined. Population 6, declined 4.
 *   Sums: population 16, declined 9, base rate 9/16 = 0.5625.
 *
 * decline_alert: t_2 none (no prior revenue yet); t_1 A2 (declined: hit),
 * A3 (did not), A6 (lost, but not in the population); t_0 A2 (hit), A5
 * (prior 100, current 80: exactly 20 %; did not decline), A7 (lost, not in
 * the population). Flagged 4, hits 2: precision 0.5000, recall 2/9 =
 * 0.2222, lift (2 x 16) / (4 x 9) = 0.8889: not predictive here.
 * late_reorder: A7 buys every 20 days; at t_1 32 days since its last
 * order > 20 + 7: late, in the population, declined (hit); at t_0 lapsed
 * but out of the population. A8 buys every 10 days: at t_0 30 days since
 * its last order > max(2 x 10, 10): lapsed, in the population, declined
 * (hit). Flagged 2, hits 2: precision 1.0000, recall 2/9 = 0.2222, lift
 * (2 x 16) / (2 x 9) = 1.7778.
 * cold_a, fire, overdue_a_b flag nobody: precision and lift empty (a
 * denominator of 0), recall 0.0000.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "analysis/sf_list.h"
#include "test_an_fixture.h"

static void tiny_book(void)
{
    fx_config();
    fx_cfg.decline_compare = SF_CMP_PREVIOUS;
    fx_cfg.fire_fraction = 0;
    fx_begin("2025-06-30");
    static const struct {
        const char *id, *date;
        int64_t cents;
    } tx[] = {
        {"A1", "2024-09-01", 10000}, {"A1", "2024-12-01", 10000}, {"A1", "2025-03-01", 10000},
        {"A2", "2024-09-01", 20000}, {"A2", "2024-12-01", 10000}, {"A2", "2025-03-01", 5000},
        {"A3", "2024-09-01", 20000}, {"A3", "2024-12-01", 10000}, {"A3", "2025-03-01", 15000},
        {"A3", "2025-05-01", 15000}, {"A4", "2025-02-01", 10000}, {"A5", "2024-12-01", 10000},
        {"A5", "2025-03-01", 8000},  {"A5", "2025-05-01", 7999},  {"A6", "2024-09-01", 10000},
        {"A7", "2024-10-01", 10000}, {"A7", "2024-10-21", 10000}, {"A7", "2024-11-10", 10000},
        {"A7", "2024-11-30", 10000}, {"A8", "2025-01-31", 10000}, {"A8", "2025-02-10", 10000},
        {"A8", "2025-02-20", 10000}, {"A8", "2025-03-02", 10000},
    };
    const char *ids[] = {"A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8"};
    for (size_t i = 0; i < SF_ARRAY_LEN(ids); i++)
        fx_account(ids[i], "Ann");
    for (size_t i = 0; i < SF_ARRAY_LEN(tx); i++)
        fx_tx(tx[i].id, tx[i].date, tx[i].cents);
    assert_int_equal(sf_dataset_finish(fx_ds, &fx_ctx), SF_OK);
}

static void expect(const sf_backtest_row *r, int64_t flagged, int64_t hits, int64_t precision,
                   int64_t recall, int64_t lift)
{
    assert_int_equal(r->points, 3);
    assert_int_equal(r->population, 16);
    assert_int_equal(r->declined, 9);
    assert_int_equal(r->base_rate, 5625);
    assert_int_equal(r->flagged, flagged);
    assert_int_equal(r->hits, hits);
    assert_int_equal(r->precision, precision);
    assert_int_equal(r->recall, recall);
    assert_int_equal(r->lift, lift);
}

static sf_date seen[8];
static int n_seen;
static void progress(void *arg, int64_t k, sf_date t)
{
    (void)arg;
    assert_int_equal(k, n_seen);
    seen[n_seen++] = t;
}

static void test_tiny_book(void **state)
{
    (void)state;
    tiny_book();
    sf_backtest_result bt;
    n_seen = 0;
    assert_int_equal(sf_backtest(fx_ds, &fx_cfg, D("2025-06-30"), 90, 3, 90, true, progress, NULL, &bt, &fx_ctx),
                     SF_OK);
    assert_int_equal(n_seen, 3);
    assert_int_equal(seen[0], D("2025-04-01"));
    assert_int_equal(seen[1], D("2025-01-01"));
    assert_int_equal(seen[2], D("2024-10-03"));
    expect(&bt.rows[SF_BT_DECLINE_ALERT], 4, 2, 5000, 2222, 8889);
    expect(&bt.rows[SF_BT_LATE_REORDER], 2, 2, 10000, 2222, 17778);
    expect(&bt.rows[SF_BT_COLD_A], 0, 0, SF_NONE, 0, SF_NONE);
    expect(&bt.rows[SF_BT_FIRE], 0, 0, SF_NONE, 0, SF_NONE);
    expect(&bt.rows[SF_BT_OVERDUE_A_B], 0, 0, SF_NONE, 0, SF_NONE);

    /* backtest.csv's rows through its list description */
    sf_report rep = {.ds = fx_ds, .cfg = &fx_cfg, .as_of = D("2025-06-30"), .backtest = &bt};
    const sf_list *l = &sf_list_backtest;
    assert_int_equal(l->count(&rep), SF_BT_RULES);
    assert_true(l->present(&rep));
    static const char *const want[SF_BT_RULES] = {
        "decline_alert,3,16,9,4,2,0.5000,0.2222,0.5625,0.8889",
        "late_reorder,3,16,9,2,2,1.0000,0.2222,0.5625,1.7778",
        "cold_a,3,16,9,0,0,,0.0000,0.5625,",
        "fire,3,16,9,0,0,,0.0000,0.5625,",
        "overdue_a_b,3,16,9,0,0,,0.0000,0.5625,",
    };
    for (size_t r = 0; r < SF_BT_RULES; r++) {
        sf_cell c[SF_LIST_MAX_COLS];
        char line[512] = "", buf[SF_CELL_TEXT_MAX];
        memset(c, 0, sizeof c);
        l->row(&rep, r, c);
        for (int k = 0; k < l->n_cols; k++) {
            strcat(line, k ? "," : "");
            strcat(line, sf_cell_text(&l->cols[k], &c[k], buf));
        }
        assert_string_equal(line, want[r]);
    }
    fx_end();
}

/* One point, nobody declines (G grows from 150.00 to 150.01, the only
 * client in the population): recall and lift have a denominator of 0;
 * with nobody in the population, the base rate too. */
static void test_empty_denominators(void **state)
{
    (void)state;
    fx_config();
    fx_begin("2025-06-30");
    fx_account("G", "Ann");
    fx_account("Z", "Ann"); /* a credit note only: never in the population */
    fx_tx("G", "2025-03-01", 15000);
    fx_tx("G", "2025-05-01", 15001);
    fx_tx("Z", "2025-03-01", -500);
    assert_int_equal(sf_dataset_finish(fx_ds, &fx_ctx), SF_OK);
    sf_backtest_result bt;
    assert_int_equal(sf_backtest(fx_ds, &fx_cfg, D("2025-06-30"), 90, 1, 28, false, NULL, NULL, &bt, &fx_ctx),
                     SF_OK);
    for (int r = 0; r < SF_BT_RULES; r++) {
        assert_int_equal(bt.rows[r].population, 1);
        assert_int_equal(bt.rows[r].declined, 0);
        assert_int_equal(bt.rows[r].recall, SF_NONE);
        assert_int_equal(bt.rows[r].base_rate, 0);
        assert_int_equal(bt.rows[r].lift, SF_NONE);
    }
    /* a point before any purchase: nobody in the population */
    assert_int_equal(sf_backtest(fx_ds, &fx_cfg, D("2025-01-01"), 90, 2, 28, false, NULL, NULL, &bt, &fx_ctx),
                     SF_OK);
    assert_int_equal(bt.rows[0].population, 0);
    assert_int_equal(bt.rows[0].base_rate, SF_NONE);
    assert_int_equal(bt.rows[0].precision, SF_NONE);
    fx_end();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tiny_book),
        cmocka_unit_test(test_empty_denominators),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
