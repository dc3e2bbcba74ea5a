/*
 * an_trend.c - SPEC §7 "tier_migration.csv" (from which tier to which the
 * accounts of both runs moved, with their revenue now) and "trend.csv"
 * (the headline figures of the stored runs up to this one).
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_list.h"

static void migration(const sf_hist_run *now, const sf_hist_run *prev, sf_history_result *out)
{
    size_t i = 0, j = 0;
    while (i < now->n_acc && j < prev->n_acc) {
        int c = strcmp(now->acc[i].id, prev->acc[j].id);
        if (c < 0) {
            i++;
        } else if (c > 0) {
            j++;
        } else {
            const sf_hist_account *n = &now->acc[i++], *p = &prev->acc[j++];
            if (n->tier < SF_TIER_N && p->tier < SF_TIER_N) {
                out->migration[p->tier][n->tier]++;
                out->migration_rev12[p->tier][n->tier] += n->rev12;
            }
        }
    }
}

sf_err sf_analyze_trend(const sf_report *rep, const sf_history_view *view, sf_history_result *out)
{
    int64_t keep = rep->cfg->history_trend_runs > 0 ? rep->cfg->history_trend_runs : 1;
    memset(out->migration, 0, sizeof out->migration);
    memset(out->migration_rev12, 0, sizeof out->migration_rev12);
    if (view->have_prev)
        migration(&out->now, &view->prev, out);
    /* the stored runs before T (oldest first), the latest keep - 1 */
    size_t skip = view->n_runs > (size_t)(keep - 1) ? view->n_runs - (size_t)(keep - 1) : 0;
    size_t n = view->n_runs - skip + 1;
    out->trend = malloc(n * sizeof *out->trend);
    if (!out->trend)
        return SF_ERR_NOMEM;
    if (n > 1)
        memcpy(out->trend, view->runs + skip, (n - 1) * sizeof *out->trend);
    out->trend[n - 1] = out->now.fig;
    out->n_trend = n;
    return SF_OK;
}

/* ---- tier_migration.csv ---------------------------------------------------- */

static const sf_column migration_cols[] = {
    SF_COLUMN("from_tier", SF_COL_TIER), SF_COLUMN("to_tier", SF_COL_TIER),
    SF_COLUMN("accounts", SF_COL_INT),   SF_COLUMN("rev12", SF_COL_MONEY),
};

/* The 16 pairs in tier order, zeros included; none on a first run. */
static size_t migration_count(const sf_report *rep)
{
    return rep->hist && !rep->history.first_run ? SF_TIER_N * SF_TIER_N : 0;
}

static uint32_t team_owner(const sf_report *rep, size_t row)
{
    (void)rep;
    (void)row;
    return SF_OWNER_ALL;
}

static void migration_row(const sf_report *rep, size_t row, sf_cell *c)
{
    size_t from = row / SF_TIER_N, to = row % SF_TIER_N;
    c[0].v = (int64_t)from;
    c[1].v = (int64_t)to;
    c[2].v = rep->history.migration[from][to];
    c[3].v = rep->history.migration_rev12[from][to];
}

const sf_list sf_list_tier_migration = {
    .name = "tier_migration",
    .sheet_key = "sheet_changes",
    .cols = migration_cols,
    .n_cols = (int)SF_ARRAY_LEN(migration_cols),
    .present = sf_history_present,
    .count = migration_count,
    .owner = team_owner,
    .row = migration_row,
    .own_sheet = true,
};

/* ---- trend.csv ---------------------------------------------------------------- */

static const sf_column trend_cols[] = {
    SF_COLUMN("as_of", SF_COL_DATE),     SF_COLUMN("accounts", SF_COL_INT),
    SF_COLUMN("rev12", SF_COL_MONEY),    SF_COLUMN("a_accounts", SF_COL_INT),
    SF_COLUMN("b_accounts", SF_COL_INT), SF_COLUMN("c_accounts", SF_COL_INT),
    SF_COLUMN("d_accounts", SF_COL_INT), SF_COLUMN("a_rev12", SF_COL_MONEY),
    SF_COLUMN("b_rev12", SF_COL_MONEY),  SF_COLUMN("c_rev12", SF_COL_MONEY),
    SF_COLUMN("cold_a", SF_COL_INT),     SF_COLUMN("due", SF_COL_INT),
    SF_COLUMN("alerts", SF_COL_INT),     SF_COLUMN("fire", SF_COL_INT),
    SF_COLUMN("pursue", SF_COL_INT),     SF_COLUMN("qualify", SF_COL_INT),
    SF_COLUMN("drop", SF_COL_INT),
};

static size_t trend_count(const sf_report *rep) { return rep->hist ? rep->history.n_trend : 0; }

static void trend_row(const sf_report *rep, size_t row, sf_cell *c)
{
    const sf_hist_figures *f = &rep->history.trend[row];
    c[0].v = f->as_of;
    c[1].v = f->accounts;
    c[2].v = f->rev12;
    for (int t = 0; t < SF_TIER_N; t++)
        c[3 + t].v = f->tier_accounts[t];
    for (int t = 0; t < 3; t++)
        c[7 + t].v = f->tier_rev12[t];
    c[10].v = f->cold_a;
    c[11].v = f->due;
    c[12].v = f->alerts;
    c[13].v = f->fire;
    for (int v = 0; v < 3; v++)
        c[14 + v].v = f->verdicts[v];
}

const sf_list sf_list_trend = {
    .name = "trend",
    .sheet_key = "sheet_trend",
    .cols = trend_cols,
    .n_cols = (int)SF_ARRAY_LEN(trend_cols),
    .present = sf_history_present,
    .count = trend_count,
    .owner = team_owner,
    .row = trend_row,
};
