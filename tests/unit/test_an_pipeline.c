/*
 * test_an_pipeline.c - SPEC §3.6 at T = 2025-06-30: the average cycle
 * (even-length lower median, the min_won default), every filter-2 miss
 * alone with its edge, every filter-1 miss alone, the decision-maker
 * fallback to the account's title, probability mapped or not, and the
 * verdict order.
 *
 * Won deals: cycles 10, 20, 30, 40 days (+ one closed after T and one
 * without close date, both ignored): avg_cycle = sorted[(4-1)/2] = 20.
 * The one closed after T (W5, created 2025-06-01) was still open at T
 * (SPEC §1.1 "State as of T"): it is in the pipeline.
 * So: next_step_too_far when > T + 20 = 2025-07-20; stale when
 * T - created > 2 x 20 = 40 days (created before 2025-05-21).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_an_fixture.h"

static void won_deals(const char *acc)
{
    fx_opp("W1", acc, NULL, "2025-01-01", SF_ST_WON, NULL, 100, NULL, "2025-01-11", "", NULL);
    fx_opp("W2", acc, NULL, "2025-01-01", SF_ST_WON, NULL, 100, NULL, "2025-01-21", "", NULL);
    fx_opp("W3", acc, NULL, "2025-01-01", SF_ST_WON, NULL, 100, NULL, "2025-01-31", "", NULL);
    fx_opp("W4", acc, NULL, "2025-01-01", SF_ST_WON, NULL, 100, NULL, "2025-02-10", "", NULL);
    fx_opp("W5", acc, NULL, "2025-06-01", SF_ST_WON, NULL, 100, NULL, "2025-07-01", "", NULL);
    fx_opp("W6", acc, NULL, "2025-01-01", SF_ST_WON, NULL, 100, NULL, "", "", NULL);
    fx_opp("L1", acc, NULL, "2025-01-01", SF_ST_LOST, NULL, 100, NULL, "2025-01-05", "", NULL);
}

static const sf_pipeline_row *row_of(const char *opp_id)
{
    for (uint32_t i = 0; i < fx_rep.pipeline.n; i++)
        if (strcmp(fx_ds->opps[fx_rep.pipeline.rows[i].opp].id, opp_id) == 0)
            return &fx_rep.pipeline.rows[i];
    fail_msg("opportunity %s not in the pipeline", opp_id);
    return NULL;
}

static void test_filter2_each_miss(void **state)
{
    (void)state;
    fx_config();
    fx_cfg.require_decision_maker = true;
    fx_begin("2025-06-30");
    fx_ds->files[SF_FILE_OPPORTUNITIES].mapped_header[SF_OF_PROBABILITY] = sf_strdup("probability");
    fx_account_full("ACC", "Ann", NULL, NULL, SF_NONE, SF_NONE, "Finance Director", NULL);
    fx_account_full("ACX", "Ann", NULL, NULL, SF_NONE, SF_NONE, "CEO", NULL);
    won_deals("ACC");
    /* id, account, owner, created, status, stage, amount, prob, close, next step, title */
    fx_opp("O_T", "ACC", NULL, "2025-06-20", SF_ST_OPEN, "proposal", 100, "50", "", "2025-06-30", NULL);
    fx_opp("O_NNS", "ACC", NULL, "2025-06-20", SF_ST_OPEN, NULL, 100, "50", "", "", NULL);
    fx_opp("O_OVD", "ACC", NULL, "2025-06-20", SF_ST_OPEN, NULL, 100, "50", "", "2025-06-29", NULL);
    fx_opp("O_FAR", "ACC", NULL, "2025-06-20", SF_ST_OPEN, NULL, 100, "50", "", "2025-07-21", NULL);
    fx_opp("O_FAR_EDGE", "ACC", NULL, "2025-06-20", SF_ST_OPEN, NULL, SF_NONE, "50", "", "2025-07-20", NULL);
    fx_opp("O_STALE", "ACC", NULL, "2025-05-20", SF_ST_OPEN, NULL, 100, "50", "", "2025-07-01", NULL);
    fx_opp("O_STALE_EDGE", "ACC", NULL, "2025-05-21", SF_ST_OPEN, NULL, 100, "50", "", "2025-07-01", NULL);
    fx_opp("O_P19", "ACC", NULL, "2025-06-20", SF_ST_OPEN, NULL, 100, "19", "", "2025-07-01", NULL);
    fx_opp("O_P20", "ACC", NULL, "2025-06-20", SF_ST_OPEN, NULL, 500, "20", "", "2025-07-01", NULL);
    fx_opp("O_PNONE", "ACC", NULL, "2025-06-20", SF_ST_OPEN, NULL, 100, NULL, "", "2025-07-01", NULL);
    fx_opp("O_BUYER", "ACC", NULL, "2025-06-20", SF_ST_OPEN, NULL, 100, "50", "", "2025-07-01", "Buyer");
    /* the deal's own title wins over the account's CEO */
    fx_opp("O_OFFICE", "ACX", NULL, "2025-06-20", SF_ST_OPEN, NULL, 100, "50", "", "2025-07-01", "Office Manager");
    fx_opp("O_FUTURE", "ACC", NULL, "2025-07-01", SF_ST_OPEN, NULL, 100, "50", "", "2025-07-05", NULL);
    fx_run();

    assert_int_equal(fx_rep.pipeline.avg_cycle_days, 20);
    assert_false(fx_rep.pipeline.avg_cycle_default);
    assert_false(fx_rep.pipeline.f1_configured);
    /* 12 open deals created <= T and W5, won after T so open at T;
     * O_FUTURE (created after T) and the deals closed by T left out */
    assert_int_equal(fx_rep.pipeline.n, 13);
    assert_int_equal(row_of("W5")->f2_misses, SF_F2_NO_NEXT_STEP | SF_F2_LOW_PROBABILITY);
    assert_int_equal(row_of("W5")->verdict, SF_VERDICT_QUALIFY);
    assert_int_equal(row_of("O_T")->f2_misses, 0);
    assert_int_equal(row_of("O_NNS")->f2_misses, SF_F2_NO_NEXT_STEP);
    assert_int_equal(row_of("O_OVD")->f2_misses, SF_F2_NEXT_STEP_OVERDUE);
    assert_int_equal(row_of("O_FAR")->f2_misses, SF_F2_NEXT_STEP_TOO_FAR);
    assert_int_equal(row_of("O_FAR_EDGE")->f2_misses, 0);
    assert_int_equal(row_of("O_STALE")->f2_misses, SF_F2_STALE);
    assert_int_equal(row_of("O_STALE_EDGE")->f2_misses, 0);
    assert_int_equal(row_of("O_P19")->f2_misses, SF_F2_LOW_PROBABILITY);
    assert_int_equal(row_of("O_P20")->f2_misses, 0);
    assert_int_equal(row_of("O_PNONE")->f2_misses, SF_F2_LOW_PROBABILITY);
    assert_int_equal(row_of("O_BUYER")->f2_misses, SF_F2_NO_DECISION_MAKER);
    assert_int_equal(row_of("O_OFFICE")->f2_misses, SF_F2_NO_DECISION_MAKER);
    assert_int_equal(row_of("O_NNS")->verdict, SF_VERDICT_QUALIFY);

    /* order: pursue by amount desc (500, 100 O_STALE_EDGE, 100 O_T, empty
     * O_FAR_EDGE last), then qualify by amount, id */
    const char *want[] = {"O_P20", "O_STALE_EDGE", "O_T", "O_FAR_EDGE", "O_BUYER", "O_FAR"};
    for (size_t i = 0; i < SF_ARRAY_LEN(want); i++)
        assert_string_equal(fx_ds->opps[fx_rep.pipeline.rows[i].opp].id, want[i]);
    assert_int_equal(fx_rep.summary.verdict_count[SF_VERDICT_PURSUE], 4);
    assert_int_equal(fx_rep.summary.verdict_count[SF_VERDICT_QUALIFY], 9);
    assert_int_equal(fx_rep.summary.f2_miss_count[4], 3); /* low_probability */
    fx_end();
}

/* Probability column not mapped: no low_probability miss at all. Only
 * two won deals with a cycle: fewer than min_won 3 -> default 60 days. */
static void test_probability_unmapped_and_default_cycle(void **state)
{
    (void)state;
    fx_config();
    fx_begin("2025-06-30");
    fx_account("ACC", "Ann");
    fx_opp("W1", "ACC", NULL, "2025-01-01", SF_ST_WON, NULL, 100, NULL, "2025-01-11", "", NULL);
    fx_opp("W2", "ACC", NULL, "2025-01-01", SF_ST_WON, NULL, 100, NULL, "2025-01-21", "", NULL);
    /* created 120 days before T: stale iff 120 > 2 x 60 -> no */
    fx_opp("O1", "ACC", NULL, "2025-03-02", SF_ST_OPEN, NULL, 100, NULL, "", "2025-08-29", NULL);
    /* 121 days: stale; next step T + 61 > T + 60: too far */
    fx_opp("O2", "ACC", NULL, "2025-03-01", SF_ST_OPEN, NULL, 100, NULL, "", "2025-08-30", NULL);
    fx_run();
    assert_int_equal(fx_rep.pipeline.avg_cycle_days, 60);
    assert_true(fx_rep.pipeline.avg_cycle_default);
    assert_int_equal(row_of("O1")->f2_misses, 0);
    assert_int_equal(row_of("O2")->f2_misses, SF_F2_NEXT_STEP_TOO_FAR | SF_F2_STALE);
    fx_end();
}

/* No next-step date column: its three criteria are skipped, stale still
 * judged. Deals entered at close: cycles 0, 1, 0 days, lower median 0 <
 * min_cycle_days 7, so the default 60 days stands in (stale after 120). */
static void test_no_next_step_column_short_cycle(void **state)
{
    (void)state;
    fx_config();
    fx_begin("2025-06-30");
    free(fx_ds->files[SF_FILE_OPPORTUNITIES].mapped_header[SF_OF_NEXT_STEP_DATE]);
    fx_ds->files[SF_FILE_OPPORTUNITIES].mapped_header[SF_OF_NEXT_STEP_DATE] = NULL;
    fx_account("ACC", "Ann");
    fx_tx("ACC", "2023-01-01", 100);
    fx_opp("W1", "ACC", NULL, "2025-01-10", SF_ST_WON, NULL, 100, NULL, "2025-01-10", "", NULL);
    fx_opp("W2", "ACC", NULL, "2025-02-01", SF_ST_WON, NULL, 100, NULL, "2025-02-02", "", NULL);
    fx_opp("W3", "ACC", NULL, "2025-03-01", SF_ST_WON, NULL, 100, NULL, "2025-03-01", "", NULL);
    fx_opp("O1", "ACC", NULL, "2025-03-02", SF_ST_OPEN, NULL, 100, NULL, "", "", NULL); /* 120 days */
    fx_opp("O2", "ACC", NULL, "2025-03-01", SF_ST_OPEN, NULL, 100, NULL, "", "", NULL); /* 121 days */
    fx_run();
    assert_true(fx_rep.pipeline.next_step_skipped);
    assert_true(fx_rep.pipeline.cycle_too_short);
    assert_int_equal(fx_rep.pipeline.measured_cycle_days, 0);
    assert_int_equal(fx_rep.pipeline.avg_cycle_days, 60);
    assert_int_equal(row_of("O1")->f2_misses, 0);
    assert_int_equal(row_of("O1")->verdict, SF_VERDICT_PURSUE);
    assert_int_equal(row_of("O2")->f2_misses, SF_F2_STALE);
    /* both said on the data-quality notes, in this order */
    const sf_quality_result *q = &fx_rep.quality;
    assert_int_equal(q->n, 2);
    assert_int_equal(q->v[0].kind, SF_NOTE_SHORT_CYCLE);
    assert_int_equal(q->v[0].n, 0);
    assert_int_equal(q->v[0].m, 60);
    assert_int_equal(q->v[1].kind, SF_NOTE_NO_NEXT_STEP);
    fx_end();
}

/* Filter 1, each criterion alone. Ideal: industry Retail, 20..500
 * employees, region North, company revenue >= 10,000.00, fit good. */
static void test_filter1_each_miss(void **state)
{
    (void)state;
    static const char *const ind[] = {"retail"}, *const reg[] = {"north"},
                             *const fit[] = {"good"};
    fx_config();
    fx_list(&fx_cfg.ic_industries, ind, 1);
    fx_list(&fx_cfg.ic_regions, reg, 1);
    fx_list(&fx_cfg.ic_fit_values, fit, 1);
    fx_cfg.has_min_employees = fx_cfg.has_max_employees = fx_cfg.has_min_company_revenue = true;
    fx_cfg.min_employees = 20;
    fx_cfg.max_employees = 500;
    fx_cfg.min_company_revenue = 1000000;
    fx_begin("2025-06-30");
    static const struct {
        const char *id, *ind, *reg, *fit;
        int64_t emp, rev;
        unsigned want;
    } a[] = {
        {"GOOD", "RETAIL", "North", "Good", 20, 1000000, 0},
        {"GOOD2", "Retail", "north", "good", 500, 5000000, 0},
        {"MI", "Software", "North", "good", 100, 5000000, SF_F1_INDUSTRY},
        {"MI0", NULL, "North", "good", 100, 5000000, SF_F1_INDUSTRY},
        {"ME_LO", "Retail", "North", "good", 19, 5000000, SF_F1_EMPLOYEES},
        {"ME_HI", "Retail", "North", "good", 501, 5000000, SF_F1_EMPLOYEES},
        {"ME_NONE", "Retail", "North", "good", SF_NONE, 5000000, SF_F1_EMPLOYEES},
        {"MR", "Retail", "South", "good", 100, 5000000, SF_F1_REGION},
        {"MC", "Retail", "North", "good", 100, 999999, SF_F1_COMPANY_REVENUE},
        {"MC0", "Retail", "North", "good", 100, SF_NONE, SF_F1_COMPANY_REVENUE},
        {"MF", "Retail", "North", "poor", 100, 5000000, SF_F1_FIT},
    };
    char oid[16];
    for (size_t i = 0; i < SF_ARRAY_LEN(a); i++) {
        fx_account_full(a[i].id, "Ann", a[i].ind, a[i].reg, a[i].emp, a[i].rev, NULL, a[i].fit);
        snprintf(oid, sizeof oid, "O-%s", a[i].id);
        fx_opp(oid, a[i].id, NULL, "2025-06-20", SF_ST_OPEN, NULL, 100, NULL, "", "2025-07-01", NULL);
    }
    fx_opp("O-UNKNOWN", "NOPE", "Bob", "2025-06-20", SF_ST_OPEN, NULL, 100, NULL, "", "2025-07-01", NULL);
    fx_run();
    assert_true(fx_rep.pipeline.f1_configured);
    for (size_t i = 0; i < SF_ARRAY_LEN(a); i++) {
        snprintf(oid, sizeof oid, "O-%s", a[i].id);
        assert_int_equal(row_of(oid)->f1_misses, a[i].want);
        assert_int_equal(row_of(oid)->verdict, a[i].want ? SF_VERDICT_DROP : SF_VERDICT_PURSUE);
        assert_int_equal(fx_rep.pipeline.account_f1_fail[sf_dataset_find(fx_ds, a[i].id)],
                         a[i].want != 0);
    }
    /* no account: every set criterion fails */
    assert_int_equal(row_of("O-UNKNOWN")->f1_misses, 0x1f);
    uint32_t bob = sf_dataset_owner(fx_ds, "Bob");
    assert_int_equal(fx_rep.summary.verdict_grid[bob][SF_VERDICT_DROP], 1);
    assert_int_equal(fx_rep.summary.f1_miss_count[1], 4); /* employees: 3 + unknown */
    fx_end();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filter2_each_miss),
        cmocka_unit_test(test_probability_unmapped_and_default_cycle),
        cmocka_unit_test(test_no_next_step_column_short_cycle),
        cmocka_unit_test(test_filter1_each_miss),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
