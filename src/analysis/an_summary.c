/*
 * an_summary.c - SPEC §3.8: the headline figures (revenue and its growth,
 * tiers, counts of every action list, input counts) and the per-owner
 * grids the charts draw, so that no output has to re-scan the data.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_report.h"

/* Fills out (zeroed first; owns the three grids, each sized ds->n_owners
 * rows, indexed by owner id). Reads every other result of rep, which must
 * be complete. Returns SF_OK or SF_ERR_NOMEM. */
sf_err sf_analyze_summary(const sf_report *rep, sf_summary_result *out)
{
    const sf_dataset *ds = rep->ds;
    size_t no = ds->n_owners ? ds->n_owners : 1;

    memset(out, 0, sizeof *out);
    out->temp_grid = calloc(no, sizeof *out->temp_grid);
    out->due_grid = calloc(no, sizeof *out->due_grid);
    out->verdict_grid = calloc(no, sizeof *out->verdict_grid);
    if (!out->temp_grid || !out->due_grid || !out->verdict_grid) {
        free(out->temp_grid);
        free(out->due_grid);
        free(out->verdict_grid);
        memset(out, 0, sizeof *out);
        return SF_ERR_NOMEM;
    }

    __int128 cur = 0, prev = 0;
    for (uint32_t a = 0; a < ds->n_accounts; a++) {
        const sf_account *ac = &ds->accounts[a];
        const sf_account_result *r = &rep->tiers.acc[a];
        cur += ac->rev12;
        prev += ac->rev_prev12;
        out->tier_accounts[r->tier]++;
        out->tier_revenue[r->tier] += ac->rev12;
        if (ac->owner < ds->n_owners) {
            out->temp_grid[ac->owner][r->tier].count++;
            out->temp_grid[ac->owner][r->tier].realization_sum += r->realization;
        }
    }
    out->rev12_total = (int64_t)cur;
    out->rev_prev12_total = (int64_t)prev;
    /* Growth needs the whole prior year, (T-730, T-365]: transactions
     * that begin inside it would compare a full year with part of one. */
    out->first_tx = SF_NODATE;
    out->no_revenue = true;
    for (uint32_t a = 0; a < ds->n_accounts; a++) {
        uint32_t nd;
        const sf_tx_day *d = sf_account_days(ds, a, &nd);
        if (nd && (out->first_tx == SF_NODATE || d[0].date < out->first_tx))
            out->first_tx = d[0].date;
        for (uint32_t i = 0; i < nd && out->no_revenue; i++)
            out->no_revenue = d[i].positive == 0;
    }
    out->prior_start = (sf_date)(rep->as_of - 729);
    out->growth = SF_NONE;
    if (out->first_tx != SF_NODATE && out->first_tx > out->prior_start)
        out->growth_why = SF_GROWTH_PARTIAL;
    else if (prev <= 0)
        out->growth_why = SF_GROWTH_NO_PRIOR;
    else
        out->growth = sf_share_e4(cur - prev, prev);

    out->due_count = rep->cadence.n;
    for (uint32_t i = 0; i < rep->cadence.n; i++) {
        uint32_t a = rep->cadence.rows[i].account;
        uint32_t o = ds->accounts[a].owner;
        if (o < ds->n_owners)
            out->due_grid[o][rep->tiers.acc[a].tier]++;
    }

    out->alert_count = rep->decline.n;
    for (uint32_t i = 0; i < rep->decline.n; i++)
        if (rep->decline.rows[i].lost)
            out->lost_count++;
    out->fire_count = rep->fire.n;

    for (uint32_t i = 0; i < rep->pipeline.n; i++) {
        const sf_pipeline_row *p = &rep->pipeline.rows[i];
        const sf_opportunity *o = &ds->opps[p->opp];
        out->verdict_count[p->verdict]++;
        if (o->owner < ds->n_owners)
            out->verdict_grid[o->owner][p->verdict]++;
        for (int b = 0; b < SF_F1_MISS_N; b++)
            if (p->f1_misses & (1u << b))
                out->f1_miss_count[b]++;
        for (int b = 0; b < SF_F2_MISS_N; b++)
            if (p->f2_misses & (1u << b))
                out->f2_miss_count[b]++;
    }

    for (int f = 0; f < SF_FILE_N; f++)
        out->rejected_total += ds->files[f].rejected;
    return SF_OK;
}
