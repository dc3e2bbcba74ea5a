/*
 * test_an_split.c - SPEC §3.5 at T = 2025-06-30 (actual window 90 days:
 * (2025-04-01, 2025-06-30]).
 *
 * Ann owns AK 100 (A, buying since 2023), AO 60 (B, since 2023), AN 40
 * (C, first purchase 2025-03-01: new), AP (prospect). Bob owns BN1 90 (A,
 * new), BN2 30 (C, new), BNEG (-20, old). Buyers 5 -> k 1, L = 100.
 *   Ann: key 100/200 = 0.5; new 40/200 = 0.2 -> existing; rec 0.25.
 *   Bob: key 90/120 = 0.75; new 120/120 = 1 > 0.5 -> new; rec 0.5625.
 *   all: key 190/320 = 0.59375 -> 0.5938; new 160/320 = 0.5, not > 0.5
 *        -> existing; rec 0.5 x 190/320 = 0.296875 -> 0.2969, rest
 *        1 - 0.296875 = 0.703125 -> 0.7031.
 * Minutes: Ann call AK 10 (default), meeting AO 30, email AP 5 (default),
 * visit AK on T-90 (outside); Bob call on Ann's AK 20, visit BN2 90.
 *   Ann 10/45 = 0.2222, 30/45 = 0.6667, 5/45 = 0.1111.
 *   Bob 20/110 = 0.1818, 90/110 = 0.8182, 0.
 *   all 30/155 = 0.1935, 120/155 = 0.7742, 5/155 = 0.0323.
 * Carl logged an activity before the window only: actual empty.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_an_fixture.h"

static void build(sf_split_mode mode, bool acts)
{
    fx_config();
    fx_cfg.split_mode = mode;
    fx_begin("2025-06-30");
    fx_ds->have_activities = acts;
    fx_account("AK", "Ann");
    fx_account("AO", "Ann");
    fx_account("AN", "Ann");
    fx_account("AP", "Ann");
    fx_account("BN1", "Bob");
    fx_account("BN2", "Bob");
    fx_account("BNEG", "Bob");
    fx_tx("AK", "2023-01-01", 1000);
    fx_tx("AK", "2025-03-01", 10000);
    fx_tx("AO", "2023-01-01", 500);
    fx_tx("AO", "2025-03-01", 6000);
    fx_tx("AN", "2025-03-01", 4000);
    fx_tx("BN1", "2025-01-01", 9000);
    fx_tx("BN2", "2025-02-01", 3000);
    fx_tx("BNEG", "2023-01-01", 5000);
    fx_tx("BNEG", "2025-03-01", -2000);
    if (acts) {
        fx_act("AK", NULL, "2025-06-01", SF_ACT_CALL, SF_OUT_NONE, 0);
        fx_act("AO", NULL, "2025-05-01", SF_ACT_MEETING, SF_OUT_NONE, 30);
        fx_act("AP", NULL, "2025-06-01", SF_ACT_EMAIL, SF_OUT_NONE, 0);
        fx_act("AK", NULL, "2025-04-01", SF_ACT_VISIT, SF_OUT_NONE, 0);
        fx_act("AK", "Bob", "2025-06-10", SF_ACT_CALL, SF_OUT_NONE, 20);
        fx_act("BN2", NULL, "2025-05-05", SF_ACT_VISIT, SF_OUT_NONE, 0);
        fx_act("AP", "Carl", "2025-01-01", SF_ACT_CALL, SF_OUT_NONE, 0);
    }
    fx_run();
}

static void expect(uint32_t i, const char *owner, int64_t key, bool mode_new, int64_t rec,
                   int64_t rest, int64_t ak, int64_t ao, int64_t ap)
{
    assert_true(i < fx_rep.split.n);
    const sf_split_row *r = &fx_rep.split.rows[i];
    if (owner)
        assert_string_equal(fx_ds->owners[r->owner], owner);
    else
        assert_int_equal(r->owner, SF_OWNER_ALL);
    assert_int_equal(r->key_share, key);
    assert_int_equal(r->mode_new, mode_new);
    assert_int_equal(r->recommended_key, rec);
    assert_int_equal(r->recommended_rest, rest);
    assert_true(r->actual_key == ak);
    assert_true(r->actual_other == ao);
    assert_true(r->actual_prospecting == ap);
}

static void test_auto(void **state)
{
    (void)state;
    build(SF_SPLIT_AUTO, true);
    assert_int_equal(fx_res("AK")->tier, SF_TIER_A);
    assert_int_equal(fx_res("BN1")->tier, SF_TIER_A);
    assert_int_equal(fx_rep.split.n, 4);
    expect(0, "Ann", 5000, false, 2500, 7500, 2222, 6667, 1111);
    expect(1, "Bob", 7500, true, 5625, 4375, 1818, 8182, 0);
    expect(2, "Carl", 0, false, 0, 10000, SF_NONE, SF_NONE, SF_NONE);
    expect(3, NULL, 5938, false, 2969, 7031, 1935, 7742, 323);
    assert_int_equal(fx_rep.split.rows[3].minutes, 155);
    fx_end();
}

/* mode = new forces factor 0.75: Ann 0.75 x 0.5 = 0.375. */
static void test_forced_new(void **state)
{
    (void)state;
    build(SF_SPLIT_NEW, true);
    expect(0, "Ann", 5000, true, 3750, 6250, 2222, 6667, 1111);
    fx_end();
}

/* mode = existing keeps factor 0.5 for Bob: 0.5 x 0.75 = 0.375. Without
 * activities the recommendation stays and the actual columns are empty. */
static void test_forced_existing_no_activities(void **state)
{
    (void)state;
    build(SF_SPLIT_EXISTING, false);
    assert_int_equal(fx_rep.split.n, 3); /* Ann, Bob, (all) */
    expect(1, "Bob", 7500, false, 3750, 6250, SF_NONE, SF_NONE, SF_NONE);
    fx_end();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auto),
        cmocka_unit_test(test_forced_new),
        cmocka_unit_test(test_forced_existing_no_activities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
