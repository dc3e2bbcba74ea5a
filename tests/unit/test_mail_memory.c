/*
 * test_mail_memory.c - the mails' memory (sf_mail_memory.h): when an item
 * mailed before "got worse" (hand-set cases at each rule's edge), the
 * digest of a mail's items (FNV-1a 64, computed independently in Python),
 * and finding an item among sorted ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "analysis/sf_mail_memory.h"

static sf_mail_item item(sf_item_kind k, int tier, int64_t overdue, int64_t drop, int reorder)
{
    return (sf_mail_item){.kind = (uint8_t)k, .id = "C1", .tier = (int8_t)tier, .days_overdue = overdue,
                          .drop = drop, .reorder = (int8_t)reorder};
}

static void test_worse(void **state)
{
    (void)state;
    const int64_t quarter = 250000; /* escalate_share 0.25 in ppm */
    sf_mail_item then, now;
    /* a tier fell (A = 0 .. D = 3), whatever the kind */
    then = item(SF_ITEM_FIRE, 1, SF_NONE, SF_NONE, 0);
    now = item(SF_ITEM_FIRE, 2, SF_NONE, SF_NONE, 0);
    assert_true(sf_mail_item_worse(&then, &now, quarter));
    now.tier = 0; /* rose: not worse */
    assert_false(sf_mail_item_worse(&then, &now, quarter));
    /* due: 0 days (due today) then, 1 now: became overdue */
    then = item(SF_ITEM_DUE, 2, 0, SF_NONE, 0);
    now = item(SF_ITEM_DUE, 2, 1, SF_NONE, 0);
    assert_true(sf_mail_item_worse(&then, &now, quarter));
    /* due soon (-5) then, still not overdue (0) now */
    then.days_overdue = -5;
    now.days_overdue = 0;
    assert_false(sf_mail_item_worse(&then, &now, quarter));
    /* 98 then: 195 is not double, 196 is */
    then.days_overdue = 98;
    now.days_overdue = 195;
    assert_false(sf_mail_item_worse(&then, &now, quarter));
    now.days_overdue = 196;
    assert_true(sf_mail_item_worse(&then, &now, quarter));
    /* decline: drop 177.08 then; +25 % is 221.35: 221.34 is not, 221.35 is */
    then = item(SF_ITEM_DECLINE, 2, SF_NONE, 17708, 0);
    now = item(SF_ITEM_DECLINE, 2, SF_NONE, 22134, 0);
    assert_false(sf_mail_item_worse(&then, &now, quarter));
    now.drop = 22135;
    assert_true(sf_mail_item_worse(&then, &now, quarter));
    /* reorder: late (1) to lapsed (2) only */
    then = item(SF_ITEM_REORDER, 2, SF_NONE, SF_NONE, 1);
    now = item(SF_ITEM_REORDER, 2, SF_NONE, SF_NONE, 2);
    assert_true(sf_mail_item_worse(&then, &now, quarter));
    assert_false(sf_mail_item_worse(&now, &now, quarter));
    /* a deal has no "worse" but its account's tier */
    then = item(SF_ITEM_PURSUE, -1, SF_NONE, SF_NONE, 0);
    assert_false(sf_mail_item_worse(&then, &then, quarter));
}

static void test_digest_find(void **state)
{
    (void)state;
    sf_mail_item v[3] = {{.kind = SF_ITEM_DECLINE, .id = "C002"},
                         {.kind = SF_ITEM_DUE, .id = "C013"},
                         {.kind = SF_ITEM_DUE, .id = "C001"}};
    char d[17];
    sf_mail_items_digest(v, 3, d);
    /* fnv1a64(b"due:C001\ndue:C013\ndecline:C002\n") */
    assert_string_equal(d, "b69f6edab652bccd");
    /* sorted now: by kind, then id */
    assert_string_equal(v[0].id, "C001");
    assert_string_equal(v[2].id, "C002");
    assert_non_null(sf_mail_items_find(v, 3, SF_ITEM_DUE, "C013"));
    assert_null(sf_mail_items_find(v, 3, SF_ITEM_DECLINE, "C013"));
    sf_mail_items_digest(v, 0, d);
    assert_string_equal(d, "");
    assert_string_equal(sf_item_kind_name(SF_ITEM_REORDER), "reorder");
    assert_int_equal(sf_item_kind_of("qualify"), SF_ITEM_QUALIFY);
    assert_int_equal(sf_item_kind_of("nope"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_worse), cmocka_unit_test(test_digest_find)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
