/*
 * test_an_cadence.c - SPEC §3.2: next_due, the horizon edge, never
 * contacted accounts, ties on days_overdue, the tiers filter, contact
 * types and the list without an activities file. T = 2025-06-30.
 *
 * Buyers BIG 100, A2 90, C1 10, C2 10, C3 5 (euros): n = 5,
 * k = ceil(0.5) = 1, L = 100 -> BIG, A2 are A (30 days); C1..C3 are C
 * (90 days); D1, D2 never bought: D (180 days).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_an_fixture.h"

static void build(bool with_email_contact_type)
{
    fx_config();
    if (!with_email_contact_type)
        fx_cfg.contact_types[SF_ACT_EMAIL] = false;
    fx_begin("2025-06-30");
    /* added out of id order so the id tie-break is really exercised */
    fx_account("C2", "Ann");
    fx_account("C1", "Ann");
    fx_account("BIG", "Ann");
    fx_account("A2", "Bob");
    fx_account("C3", "Bob");
    fx_account("D2", "Bob");
    fx_account("D1", "Bob");
    fx_tx("BIG", "2025-05-01", 10000);
    fx_tx("A2", "2025-05-01", 9000);
    fx_tx("C1", "2025-05-01", 1000);
    fx_tx("C2", "2025-05-01", 1000);
    fx_tx("C3", "2025-05-01", 500);
    /* BIG: 06-07 + 30 = 07-07 = T + 7 -> listed (horizon 7), overdue -7 */
    fx_act("BIG", NULL, "2025-06-07", SF_ACT_CALL, SF_OUT_NONE, 0);
    /* A2: 06-08 + 30 = 07-08 = T + 8 -> not listed */
    fx_act("A2", NULL, "2025-06-08", SF_ACT_VISIT, SF_OUT_NONE, 0);
    /* C1, C2: 03-01 + 90 = 05-30 -> overdue 31, a tie */
    fx_act("C1", NULL, "2025-03-01", SF_ACT_CALL, SF_OUT_NONE, 0);
    fx_act("C2", NULL, "2025-03-01", SF_ACT_MEETING, SF_OUT_NONE, 0);
    fx_act("C2", NULL, "2025-02-01", SF_ACT_CALL, SF_OUT_NONE, 0); /* older: no effect */
    /* C3: only an email (counts unless email is not a contact type) */
    fx_act("C3", NULL, "2025-06-29", SF_ACT_EMAIL, SF_OUT_NONE, 0);
    /* D2: 01-01 + 180 = 06-30 -> overdue 0; D1 never contacted -> T */
    fx_act("D2", NULL, "2025-01-01", SF_ACT_EMAIL, SF_OUT_NONE, 0);
    fx_run();
}

static void expect_row(uint32_t i, const char *id, const char *next_due, int64_t overdue,
                       const char *channel)
{
    assert_true(i < fx_rep.cadence.n);
    const sf_cadence_row *r = &fx_rep.cadence.rows[i];
    assert_string_equal(fx_id(r->account), id);
    assert_int_equal(r->next_due, D(next_due));
    assert_int_equal(r->days_overdue, overdue);
    assert_string_equal(r->channel, channel);
}

static void test_due_list(void **state)
{
    (void)state;
    build(false);
    /* C3's email is not a contact: never contacted -> due T, overdue 0 */
    assert_int_equal(fx_ds->accounts[sf_dataset_find(fx_ds, "C3")].last_contact, SF_NODATE);
    assert_int_equal(fx_rep.cadence.n, 6);
    expect_row(0, "BIG", "2025-07-07", -7, "call/visit");
    expect_row(1, "C1", "2025-05-30", 31, "call");
    expect_row(2, "C2", "2025-05-30", 31, "call");
    expect_row(3, "C3", "2025-06-30", 0, "call");
    expect_row(4, "D1", "2025-06-30", 0, "email");
    expect_row(5, "D2", "2025-06-30", 0, "email");
    assert_int_equal(fx_rep.cadence.rows[4].last_contact, SF_NODATE);
    /* next_due is kept for every account, listed or not */
    assert_int_equal(fx_rep.cadence.next_due[sf_dataset_find(fx_ds, "A2")], D("2025-07-08"));
    assert_int_equal(fx_rep.summary.due_count, 6);
    /* due grid: Ann owns BIG (A), C1, C2 (C) */
    uint32_t ann = sf_dataset_owner(fx_ds, "Ann");
    assert_int_equal(fx_rep.summary.due_grid[ann][SF_TIER_A], 1);
    assert_int_equal(fx_rep.summary.due_grid[ann][SF_TIER_C], 2);
    fx_end();
}

static void test_email_contact_counts(void **state)
{
    (void)state;
    build(true);
    /* C3: 06-29 + 90 = 09-27 -> not due */
    assert_int_equal(fx_rep.cadence.next_due[sf_dataset_find(fx_ds, "C3")], D("2025-09-27"));
    assert_int_equal(fx_rep.cadence.n, 5);
    expect_row(3, "D1", "2025-06-30", 0, "email");
    fx_end();
}

static void test_tiers_filter(void **state)
{
    (void)state;
    fx_config();
    fx_cfg.cadence_tiers[SF_TIER_D] = false;
    fx_cfg.cadence_tiers[SF_TIER_A] = false;
    fx_begin("2025-06-30");
    fx_account("BIG", "Ann");
    fx_account("D1", "Ann");
    fx_tx("BIG", "2025-05-01", 10000);
    fx_run();
    assert_int_equal(fx_rep.cadence.n, 0);
    fx_end();
}

/* Without activities nothing is known about contacts: empty list, empty
 * next_due (rather than every account "due today"). */
static void test_no_activities(void **state)
{
    (void)state;
    fx_config();
    fx_begin("2025-06-30");
    fx_ds->have_activities = false;
    fx_account("BIG", "Ann");
    fx_tx("BIG", "2025-05-01", 10000);
    fx_run();
    assert_int_equal(fx_rep.cadence.n, 0);
    assert_int_equal(fx_rep.cadence.next_due[sf_dataset_find(fx_ds, "BIG")], SF_NODATE);
    assert_true(fx_rep.n_skipped >= 1);
    fx_end();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_due_list),
        cmocka_unit_test(test_email_contact_counts),
        cmocka_unit_test(test_tiers_filter),
        cmocka_unit_test(test_no_activities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
