/*
 * test_an_kpi.c - SPEC §3.7 at T = 2025-06-30 (a Monday).
 *
 * window 7 = (06-23, 06-30] = Tue 24 .. Mon 30, spanning the weekend of
 * 28/29: weekdays = 5. window 3 = Sat 28, Sun 29, Mon 30: 1 weekday.
 * Ann's activities in the window: calls 24 (conversation), 28
 * (appointment), 30; meeting 29 (appointment); a call on 23 is outside.
 *   calls 3, calls/day 3/5 = 0.6; conversations 3, appointments 2,
 *   conv_to_appt 2/3 = 0.6667.
 * Ann's deals: proposals = P1 (stage "Proposal", created 24), P2 (won,
 * created 25), P7 (negotiation, created 26) = 3 -> appt_to_proposal 3/2 =
 * 1.5. Won in the window: P2 (cycle 2, 100.01), P3 (10, 200.00), P6 (19,
 * no amount), P8 (6, 0.01); lost P4 -> close 4/5 = 0.8; cycles 2 6 10 19
 * -> lower median 6; avg_sale 300.02/3 = 100.0067 -> 100.01. The team's
 * median cycle is over the same deals (test_team_cycle).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_an_fixture.h"

static void build(int64_t window, bool acts, bool opps)
{
    fx_config();
    fx_cfg.kpi_window_days = window;
    fx_begin("2025-06-30");
    fx_ds->have_activities = acts;
    fx_ds->have_opportunities = opps;
    fx_account("AC", "Ann");
    fx_account("BC", "Bob");
    if (acts) {
        fx_act("AC", NULL, "2025-06-23", SF_ACT_CALL, SF_OUT_CONVERSATION, 0);
        fx_act("AC", NULL, "2025-06-24", SF_ACT_CALL, SF_OUT_CONVERSATION, 0);
        fx_act("AC", NULL, "2025-06-28", SF_ACT_CALL, SF_OUT_APPOINTMENT, 0);
        fx_act("AC", NULL, "2025-06-30", SF_ACT_CALL, SF_OUT_NONE, 0);
        fx_act("AC", NULL, "2025-06-29", SF_ACT_MEETING, SF_OUT_APPOINTMENT, 0);
    }
    if (opps) {
        fx_opp("P1", "AC", NULL, "2025-06-24", SF_ST_OPEN, "Proposal", 100, NULL, "", "", NULL);
        fx_opp("P2", "AC", NULL, "2025-06-25", SF_ST_WON, "qualification", 10001, NULL, "2025-06-27", "", NULL);
        fx_opp("P3", "AC", NULL, "2025-06-20", SF_ST_WON, NULL, 20000, NULL, "2025-06-30", "", NULL);
        fx_opp("P4", "AC", NULL, "2025-06-01", SF_ST_LOST, "proposal", 100, NULL, "2025-06-26", "", NULL);
        fx_opp("P5", "AC", NULL, "2025-06-01", SF_ST_WON, NULL, 100, NULL, "2025-06-23", "", NULL);
        fx_opp("P6", "AC", NULL, "2025-06-10", SF_ST_WON, NULL, SF_NONE, NULL, "2025-06-29", "", NULL);
        fx_opp("P7", "AC", NULL, "2025-06-26", SF_ST_OPEN, "negotiation", 100, NULL, "", "", NULL);
        fx_opp("P8", "AC", NULL, "2025-06-22", SF_ST_WON, NULL, 1, NULL, "2025-06-28", "", NULL);
        fx_opp("B1", "BC", NULL, "2025-01-01", SF_ST_OPEN, "proposal", 100, NULL, "", "", NULL);
    }
    fx_run();
}

static void test_week_window(void **state)
{
    (void)state;
    build(7, true, true);
    assert_int_equal(fx_rep.kpi.weekdays, 5);
    assert_int_equal(fx_rep.kpi.n, 2);
    const sf_kpi_row *a = &fx_rep.kpi.rows[0];
    assert_string_equal(fx_ds->owners[a->owner], "Ann");
    assert_int_equal(a->calls, 3);
    assert_int_equal(a->calls_per_day, 6000);
    assert_int_equal(a->conversations, 3);
    assert_int_equal(a->appointments, 2);
    assert_int_equal(a->conv_to_appt, 6667);
    assert_int_equal(a->proposals, 3);
    assert_int_equal(a->appt_to_proposal, 15000);
    assert_int_equal(a->won, 4);
    assert_int_equal(a->lost, 1);
    assert_int_equal(a->close_ratio, 8000);
    assert_int_equal(a->median_cycle_days, 6);
    assert_int_equal(a->avg_sale, 10001);
    /* Bob: seen through an old deal only: zero counts, empty ratios */
    const sf_kpi_row *b = &fx_rep.kpi.rows[1];
    assert_string_equal(fx_ds->owners[b->owner], "Bob");
    assert_int_equal(b->calls, 0);
    assert_int_equal(b->calls_per_day, 0);
    assert_true(b->conv_to_appt == SF_NONE);
    assert_true(b->appt_to_proposal == SF_NONE);
    assert_int_equal(b->proposals, 0);
    assert_true(b->close_ratio == SF_NONE);
    assert_true(b->median_cycle_days == SF_NONE);
    assert_true(b->avg_sale == SF_NONE);
    /* the team's median cycle over the same deals: Ann's 2 6 10 19 */
    assert_int_equal(fx_rep.kpi.team_won, 4);
    assert_int_equal(fx_rep.kpi.team_cycle_days, 6);
    fx_end();
}

/* The team line of the cycle panel: the lower median over every rep's
 * deals won in the window, not the pipeline's all-time figure. Ann's
 * cycles 2 6 10 19 (P5, won 06-23, and Bob's B0, won in March, are
 * outside the week), Bob's B2 (06-01 .. 06-29) 28: team 2 6 10 19 28 ->
 * 10; Bob's own median 28. */
static void test_team_cycle(void **state)
{
    (void)state;
    fx_config();
    fx_cfg.kpi_window_days = 7;
    fx_begin("2025-06-30");
    fx_ds->have_activities = false;
    fx_ds->have_opportunities = true;
    fx_account("AC", "Ann");
    fx_account("BC", "Bob");
    fx_opp("P2", "AC", NULL, "2025-06-25", SF_ST_WON, NULL, 100, NULL, "2025-06-27", "", NULL);
    fx_opp("P3", "AC", NULL, "2025-06-20", SF_ST_WON, NULL, 100, NULL, "2025-06-30", "", NULL);
    fx_opp("P5", "AC", NULL, "2025-06-01", SF_ST_WON, NULL, 100, NULL, "2025-06-23", "", NULL);
    fx_opp("P6", "AC", NULL, "2025-06-10", SF_ST_WON, NULL, 100, NULL, "2025-06-29", "", NULL);
    fx_opp("P8", "AC", NULL, "2025-06-22", SF_ST_WON, NULL, 100, NULL, "2025-06-28", "", NULL);
    fx_opp("B0", "BC", NULL, "2025-01-01", SF_ST_WON, NULL, 100, NULL, "2025-03-01", "", NULL);
    fx_opp("B2", "BC", NULL, "2025-06-01", SF_ST_WON, NULL, 100, NULL, "2025-06-29", "", NULL);
    fx_run();
    assert_int_equal(fx_rep.kpi.rows[0].median_cycle_days, 6);
    assert_int_equal(fx_rep.kpi.rows[1].median_cycle_days, 28);
    assert_int_equal(fx_rep.kpi.team_won, 5);
    assert_int_equal(fx_rep.kpi.team_cycle_days, 10);
    fx_end();
}

/* Sat, Sun, Mon: one weekday; calls 28 and 30 -> 2 / 1 = 2.0. */
static void test_weekend_window(void **state)
{
    (void)state;
    build(3, true, false);
    assert_int_equal(fx_rep.kpi.weekdays, 1);
    const sf_kpi_row *a = &fx_rep.kpi.rows[0];
    assert_int_equal(a->calls, 2);
    assert_int_equal(a->calls_per_day, 20000);
    /* no opportunities file: its columns are empty */
    assert_true(a->proposals == SF_NONE);
    assert_true(a->won == SF_NONE);
    assert_true(a->appt_to_proposal == SF_NONE);
    fx_end();
}

/* 90 days back from Monday 2025-06-30: (04-01, 06-30] = Wed 04-02 ..
 * Mon 04-07 (4 weekdays) + 12 full weeks 04-08 .. 06-30 (60) = 64.
 * Proposals in it: P1, P4, P7 by stage, P2 P3 P5 P6 P8 won = 8. Without
 * activities the activity columns are empty. */
static void test_quarter_no_activities(void **state)
{
    (void)state;
    build(90, false, true);
    assert_int_equal(fx_rep.kpi.weekdays, 64);
    const sf_kpi_row *a = &fx_rep.kpi.rows[0];
    assert_true(a->calls == SF_NONE);
    assert_true(a->calls_per_day == SF_NONE);
    assert_true(a->conv_to_appt == SF_NONE);
    assert_int_equal(a->proposals, 8);
    fx_end();
}

/* Neither file: no rows (rep_kpis.csv is header only). */
static void test_neither(void **state)
{
    (void)state;
    build(90, false, false);
    assert_int_equal(fx_rep.kpi.n, 0);
    assert_true(fx_rep.kpi.team_cycle_days == SF_NONE);
    assert_int_equal(fx_rep.kpi.team_won, 0);
    fx_end();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_week_window),
        cmocka_unit_test(test_team_cycle),
        cmocka_unit_test(test_weekend_window),
        cmocka_unit_test(test_quarter_no_activities),
        cmocka_unit_test(test_neither),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
