/*
 * test_an_fixture.h - small dataset builder shared by the analysis unit
 * tests (tests/unit/test_an_*.c). Each test builds its accounts,
 * transactions, activities and opportunities by hand so every expected
 * number can be worked out on paper. Include after cmocka.
 */
#ifndef TEST_AN_FIXTURE_H
#define TEST_AN_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_report.h"

#define FX_FN static __attribute__((unused))

static sf_config fx_cfg;
static sf_dataset *fx_ds;
static sf_report fx_rep;
static sf_ctx fx_ctx;

/* "YYYY-MM-DD" -> day number. */
FX_FN sf_date D(const char *iso)
{
    int y, m, d;
    if (sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3)
        return SF_NODATE;
    return sf_date_from_ymd(y, m, d);
}

/* Fresh config with SPEC defaults; change fx_cfg before fx_begin(). */
FX_FN void fx_config(void)
{
    memset(&fx_cfg, 0, sizeof fx_cfg);
    memset(&fx_ctx, 0, sizeof fx_ctx);
    memset(&fx_rep, 0, sizeof fx_rep);
    assert_int_equal(sf_config_init(&fx_cfg), SF_OK);
}

/* Dataset for as-of date T with every input file present. */
FX_FN void fx_begin(const char *T)
{
    fx_ds = sf_dataset_new(&fx_cfg, D(T));
    assert_non_null(fx_ds);
    fx_ds->have_activities = true;
    fx_ds->have_opportunities = true;
    for (int f = 0; f < SF_FILE_N; f++)
        fx_ds->files[f].present = true;
    /* the opportunities file has a next-step date column (without one,
     * filter 2 skips its criteria: test_an_pipeline.c) */
    fx_ds->files[SF_FILE_OPPORTUNITIES].mapped_header[SF_OF_NEXT_STEP_DATE] = sf_strdup("next_step_date");
}

FX_FN uint32_t fx_account_full(const char *id, const char *owner, const char *industry,
                                const char *region, int64_t employees, int64_t revenue,
                                const char *title, const char *fit)
{
    bool dup = false;
    uint32_t a = sf_dataset_add_account(fx_ds, id, id, owner, industry, region, employees,
                                        revenue, title, fit, 0, &dup);
    assert_int_not_equal(a, SF_NO_ACCOUNT);
    return a;
}

FX_FN uint32_t fx_account(const char *id, const char *owner)
{
    return fx_account_full(id, owner, NULL, NULL, SF_NONE, SF_NONE, NULL, NULL);
}

/* A transaction of `cents` on `date` (margin = amount x gross_margin). */
FX_FN void fx_tx(const char *id, const char *date, int64_t cents)
{
    uint32_t a = sf_dataset_find(fx_ds, id);
    assert_int_not_equal(a, SF_NO_ACCOUNT);
    assert_true(sf_dataset_add_transaction(fx_ds, a, D(date), cents, SF_NONE));
}

/* Same, on a day number (for T - 365 and the like). */
FX_FN void fx_txd(const char *id, sf_date date, int64_t cents)
{
    uint32_t a = sf_dataset_find(fx_ds, id);
    assert_int_not_equal(a, SF_NO_ACCOUNT);
    assert_true(sf_dataset_add_transaction(fx_ds, a, date, cents, SF_NONE));
}

/* An activity; owner NULL = the account's owner; minutes 0 = default. */
FX_FN void fx_act(const char *id, const char *owner, const char *date, sf_act_type type,
                   sf_outcome outcome, int64_t minutes)
{
    uint32_t a = id ? sf_dataset_find(fx_ds, id) : SF_NO_ACCOUNT;
    uint32_t o = owner ? sf_dataset_owner(fx_ds, owner) : UINT32_MAX;
    assert_true(sf_dataset_add_activity(fx_ds, a, o, D(date), type, outcome, minutes));
}

/* An opportunity; dates "" = empty, amount SF_NONE = empty, prob NULL =
 * empty. Owner NULL = the account's owner. */
FX_FN void fx_opp(const char *id, const char *acc, const char *owner, const char *created,
                   sf_status st, const char *stage, int64_t amount, const char *prob,
                   const char *close, const char *next_step, const char *title)
{
    sf_opportunity o;
    memset(&o, 0, sizeof o);
    o.id = (char *)id;
    o.account_id = (char *)acc;
    o.account = sf_dataset_find(fx_ds, acc);
    o.created = *created ? D(created) : SF_NODATE;
    o.status = st;
    o.stage = (char *)stage;
    o.amount = amount;
    o.probability_text = (char *)prob;
    o.probability = prob ? (int64_t)atoi(prob) * 1000000 : SF_NONE;
    o.close_date = *close ? D(close) : SF_NODATE;
    o.next_step_date = *next_step ? D(next_step) : SF_NODATE;
    o.owner = owner ? sf_dataset_owner(fx_ds, owner) : UINT32_MAX;
    o.contact_title = (char *)title;
    assert_true(sf_dataset_add_opportunity(fx_ds, &o));
}

/* Finish the dataset and run every analysis into fx_rep. */
FX_FN void fx_run(void)
{
    assert_int_equal(sf_dataset_finish(fx_ds, &fx_ctx), SF_OK);
    assert_int_equal(sf_analyze(fx_ds, &fx_cfg, true, &fx_rep, &fx_ctx), SF_OK);
}

FX_FN void fx_end(void)
{
    sf_report_release(&fx_rep);
    sf_dataset_free(fx_ds);
    fx_ds = NULL;
    sf_config_release(&fx_cfg);
}

FX_FN const sf_account_result *fx_res(const char *id)
{
    uint32_t a = sf_dataset_find(fx_ds, id);
    assert_int_not_equal(a, SF_NO_ACCOUNT);
    return &fx_rep.tiers.acc[a];
}

FX_FN const char *fx_id(uint32_t account)
{
    return fx_ds->accounts[account].id;
}

/* Set a list-valued config entry from a comma-free list of values. */
FX_FN void fx_list(sf_valmap *m, const char *const *values, size_t n)
{
    sf_strlist_clear(&m->values);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sf_strlist_push(&m->values, values[i]), SF_OK);
    m->set = n > 0;
}

#endif
