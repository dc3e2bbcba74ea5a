/*
 * analyze.c - runs every analysis of SPEC §3 in dependency order into one
 * sf_report, frees it again, and holds the names every output writes
 * (tiers, temperatures, fire reasons, filter misses, verdicts).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_report.h"

const char *sf_tier_name(sf_tier t)
{
    static const char *const names[SF_TIER_N] = {"A", "B", "C", "D"};
    return (unsigned)t < SF_TIER_N ? names[t] : "";
}

const char *sf_temp_name(sf_temp t)
{
    static const char *const names[] = {"hot", "warm", "cold"};
    return (unsigned)t < SF_ARRAY_LEN(names) ? names[t] : "";
}

const char *sf_fire_reason_name(int bit_index)
{
    static const char *const names[SF_FIRE_REASON_N] = {
        "negative_net", "high_cost", "cold", "declining", "icp_miss"};
    return bit_index >= 0 && bit_index < SF_FIRE_REASON_N ? names[bit_index] : "";
}

const char *sf_f1_miss_name(int bit_index)
{
    static const char *const names[SF_F1_MISS_N] = {
        "industry", "employees", "region", "company_revenue", "fit"};
    return bit_index >= 0 && bit_index < SF_F1_MISS_N ? names[bit_index] : "";
}

const char *sf_f2_miss_name(int bit_index)
{
    static const char *const names[SF_F2_MISS_N] = {
        "no_next_step", "next_step_overdue", "next_step_too_far",
        "stale", "low_probability", "no_decision_maker"};
    return bit_index >= 0 && bit_index < SF_F2_MISS_N ? names[bit_index] : "";
}

const char *sf_verdict_name(sf_verdict v)
{
    static const char *const names[] = {"pursue", "qualify", "drop"};
    return (unsigned)v < SF_ARRAY_LEN(names) ? names[v] : "";
}

const char *sf_report_owner_name(const sf_report *rep, uint32_t owner)
{
    if (owner == SF_OWNER_ALL)
        return "(all)";
    return owner < rep->ds->n_owners ? rep->ds->owners[owner] : "";
}

/* Frees every array the report owns; the borrowed dataset and config are
 * left alone. Safe on a zeroed or half-filled report and twice in a row. */
void sf_report_release(sf_report *rep)
{
    if (!rep)
        return;
    free(rep->tiers.acc);
    free(rep->tiers.order);
    free(rep->tiers.by_rev);
    free(rep->tiers.id_rank);
    free(rep->reorder.rows);
    free(rep->reorder.status);
    free(rep->cadence.rows);
    free(rep->cadence.next_due);
    free(rep->cadence.pulled);
    free(rep->decline.rows);
    free(rep->decline.alerted);
    free(rep->pipeline.rows);
    free(rep->pipeline.account_f1_fail);
    free(rep->fire.rows);
    free(rep->split.rows);
    free(rep->kpi.rows);
    free(rep->summary.temp_grid);
    free(rep->summary.due_grid);
    free(rep->summary.verdict_grid);
    sf_explain_release(&rep->explain);
    sf_clv_release(&rep->clv);
    free(rep->quality.v);
    memset(&rep->quality, 0, sizeof rep->quality);
    memset(&rep->tiers, 0, sizeof rep->tiers);
    memset(&rep->reorder, 0, sizeof rep->reorder);
    memset(&rep->cadence, 0, sizeof rep->cadence);
    memset(&rep->decline, 0, sizeof rep->decline);
    memset(&rep->pipeline, 0, sizeof rep->pipeline);
    memset(&rep->fire, 0, sizeof rep->fire);
    memset(&rep->split, 0, sizeof rep->split);
    memset(&rep->kpi, 0, sizeof rep->kpi);
    memset(&rep->summary, 0, sizeof rep->summary);
    sf_history_release(&rep->history);
    rep->hist = NULL;
    rep->n_skipped = 0;
}

static void add_skipped(sf_report *rep, const char *why)
{
    if (rep->n_skipped < (int)SF_ARRAY_LEN(rep->skipped))
        rep->skipped[rep->n_skipped++] = why;
}

typedef struct {
    const sf_dataset *ds;
    const sf_config *cfg;
    sf_report *rep;
    bool threads;
    sf_err rc;
} side_job;

static void *side_analyses(void *arg)
{
    side_job *j = arg;
    j->rc = sf_analyze_pipeline(j->ds, j->cfg, &j->rep->pipeline);
    if (j->rc == SF_OK)
        j->rc = sf_analyze_kpi(j->ds, j->cfg, &j->rep->kpi);
    if (j->rc == SF_OK)
        j->rc = sf_analyze_clv(j->ds, j->cfg, j->threads, &j->rep->clv);
    return NULL;
}

/* Zeroes rep, then fills it. Returns SF_OK, or SF_ERR_NOMEM with ctx set
 * and rep released (the caller owns nothing then). The report borrows ds
 * and cfg: both must outlive it. */
sf_err sf_analyze(const sf_dataset *ds, const sf_config *cfg, bool threads, sf_report *rep, sf_ctx *ctx)
{
    sf_err rc;

    memset(rep, 0, sizeof *rep);
    rep->ds = ds;
    rep->cfg = cfg;
    rep->as_of = ds->as_of;

    /* The skipped lines tell the reader why a list is empty, not that it
     * was computed and found empty. */
    if (!ds->have_activities) {
        add_skipped(rep, "cadence due list: no activities file, last contact unknown");
        add_skipped(rep, "time split: no activities file, actual time left empty");
        add_skipped(rep, "fire candidates: no activities file, cost12 is 0.00");
    }
    if (!ds->have_opportunities)
        add_skipped(rep, "pipeline: no opportunities file");
    if (!ds->have_activities && !ds->have_opportunities)
        add_skipped(rep, "rep KPIs: no activities or opportunities file");
    else if (!ds->have_activities)
        add_skipped(rep, "rep KPIs: no activities file, call and meeting counts left empty");
    else if (!ds->have_opportunities)
        add_skipped(rep, "rep KPIs: no opportunities file, proposal and close counts left empty");
    if (ds->have_opportunities && !ds->files[SF_FILE_OPPORTUNITIES].mapped_header[SF_OF_NEXT_STEP_DATE])
        add_skipped(rep, "pipeline: no next-step date column, the next-step criteria of filter 2 are skipped");

    /* The pipeline, the KPIs and the expected-value fit need no other
     * result: they run on a second thread while the tiers and what follows
     * from them run here (each analysis writes only its own result). */
    side_job side = {ds, cfg, rep, threads, SF_OK};
    pthread_t tid;
    bool threaded = threads && pthread_create(&tid, NULL, side_analyses, &side) == 0;
    if (!threaded)
        side_analyses(&side);
    rc = sf_analyze_tiers(ds, cfg, &rep->tiers);
    if (rc == SF_OK)
        rc = sf_analyze_reorder(ds, cfg, &rep->tiers, &rep->reorder);
    if (rc == SF_OK)
        rc = sf_analyze_cadence(ds, cfg, &rep->tiers, &rep->reorder, &rep->cadence);
    if (rc == SF_OK)
        rc = sf_analyze_decline(ds, cfg, &rep->tiers, &rep->decline);
    if (threaded)
        pthread_join(tid, NULL);
    if (rc == SF_OK)
        rc = side.rc;
    if (rc == SF_OK)
        rc = sf_clv_order(ds, &rep->tiers, &rep->clv);
    if (rc == SF_OK && rep->clv.enabled && !rep->clv.fitted)
        add_skipped(rep, rep->clv.why);
    if (rc != SF_OK ||
        (rc = sf_analyze_fire(ds, cfg, &rep->tiers, &rep->decline, &rep->pipeline,
                              &rep->fire)) != SF_OK ||
        (rc = sf_analyze_split(ds, cfg, &rep->tiers, &rep->split)) != SF_OK ||
        (rc = sf_analyze_summary(rep, &rep->summary)) != SF_OK ||
        (rc = sf_analyze_explain(rep, &rep->explain)) != SF_OK ||
        (rc = sf_analyze_quality(rep, &rep->quality)) != SF_OK) {
        sf_report_release(rep);
        if (rc == SF_ERR_NOMEM)
            return sf_ctx_nomem(ctx);
        return sf_ctx_error(ctx, rc, "analyses failed");
    }
    return SF_OK;
}
