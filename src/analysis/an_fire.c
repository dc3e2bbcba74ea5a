/*
 * an_fire.c - SPEC §3.4: the bottom fraction of established, unprotected
 * clients by net value (margin12 - cost12), with the reasons a manager
 * would give for letting each go.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_list.h"

typedef struct {
    int64_t net, rev;
    uint32_t rank; /* of account_id */
    uint32_t idx;
} fire_item;

/* net_value, rev12, account_id, all ascending. */
static void item_keys(const void *p, uint64_t *k)
{
    const fire_item *it = p;
    k[0] = sf_sort_key_i64(it->net);
    k[1] = sf_sort_key_i64(it->rev);
    k[2] = it->rank;
}

static bool sort_items(fire_item *it, uint32_t n)
{
    return sf_sort_items(it, sizeof *it, n, 3, item_keys);
}

/* net_value saturates instead of overflowing (margin and cost are each
 * bounded sums, their difference is not). */
static int64_t net_value(int64_t margin, int64_t cost)
{
    __int128 v = (__int128)margin - cost;
    if (v > INT64_MAX)
        return INT64_MAX;
    if (v < INT64_MIN + 1)
        return INT64_MIN + 1;
    return (int64_t)v;
}

/* Fills out (zeroed first; owns rows). Reads the tiers (tier, temperature),
 * the decline alerts and the filter-1 result per account. Returns SF_OK or
 * SF_ERR_NOMEM. */
sf_err sf_analyze_fire(const sf_dataset *ds, const sf_config *cfg, const sf_tiers_result *t,
                       const sf_decline_result *d, const sf_pipeline_result *p,
                       sf_fire_result *out)
{
    memset(out, 0, sizeof *out);
    fire_item *it = malloc((size_t)(ds->n_accounts ? ds->n_accounts : 1) * sizeof *it);
    if (!it)
        return SF_ERR_NOMEM;

    const int64_t tenure_end = (int64_t)ds->as_of - cfg->min_tenure_days;
    uint32_t m = 0;
    for (uint32_t a = 0; a < ds->n_accounts; a++) {
        const sf_account *ac = &ds->accounts[a];
        if (ac->first_purchase == SF_NODATE || (int64_t)ac->first_purchase > tenure_end ||
            cfg->protect_tiers[t->acc[a].tier])
            continue;
        it[m].net = net_value(ac->margin12, ac->cost12);
        it[m].rev = ac->rev12;
        it[m].rank = t->id_rank[a];
        it[m].idx = a;
        m++;
    }
    out->eligible = m;
    if (!sort_items(it, m)) {
        free(it);
        return SF_ERR_NOMEM;
    }
    int64_t take = sf_div_ceil((__int128)cfg->fire_fraction * m, SF_PPM);
    if (take > (int64_t)m)
        take = m;
    if (take < 0)
        take = 0;

    out->rows = malloc((size_t)(take ? take : 1) * sizeof *out->rows);
    if (!out->rows) {
        free(it);
        return SF_ERR_NOMEM;
    }
    for (int64_t i = 0; i < take; i++) {
        uint32_t a = it[i].idx;
        const sf_account *ac = &ds->accounts[a];
        sf_fire_row *r = &out->rows[i];
        r->account = a;
        r->rev12 = ac->rev12;
        r->margin12 = ac->margin12;
        r->cost12 = ac->cost12;
        r->net_value = it[i].net;
        r->reasons = 0;
        if (r->net_value < 0)
            r->reasons |= SF_FIRE_NEGATIVE_NET;
        if (ac->cost12 > 0 &&
            (__int128)ac->cost12 * SF_PPM > (__int128)cfg->high_cost_share * ac->margin12)
            r->reasons |= SF_FIRE_HIGH_COST;
        if (t->acc[a].temp == SF_TEMP_COLD)
            r->reasons |= SF_FIRE_COLD;
        if (d->alerted && d->alerted[a])
            r->reasons |= SF_FIRE_DECLINING;
        if (p->f1_configured && p->account_f1_fail && p->account_f1_fail[a])
            r->reasons |= SF_FIRE_ICP_MISS;
    }
    out->n = (uint32_t)take;
    free(it);
    return SF_OK;
}

/* ---- fire_candidates.csv -------------------------------------------------------- */

static const sf_column fire_cols[] = {
    SF_COLUMN("account_id", SF_COL_TEXT), SF_COLUMN("name", SF_COL_TEXT), SF_COLUMN("owner", SF_COL_TEXT),
    SF_COLUMN("tier", SF_COL_TIER), SF_COLUMN("rev12", SF_COL_MONEY), SF_COLUMN("margin12", SF_COL_MONEY),
    SF_COLUMN("cost12", SF_COL_MONEY), SF_COLUMN("net_value", SF_COL_MONEY),
    SF_COLUMN_FLAGS("reasons", sf_fire_reason_name, SF_FIRE_REASON_N, "reason_"),
};

static size_t fire_count(const sf_report *rep) { return rep->fire.n; }

static uint32_t fire_owner(const sf_report *rep, size_t row)
{
    return rep->ds->accounts[rep->fire.rows[row].account].owner;
}

static const char *fire_key(const sf_report *rep, size_t row)
{
    return rep->ds->accounts[rep->fire.rows[row].account].id;
}

static void fire_prefetch(const sf_report *rep, size_t row)
{
    sf_report_account_prefetch(rep, rep->fire.rows[row].account);
}

static void fire_row(const sf_report *rep, size_t row, sf_cell *c)
{
    const sf_fire_row *r = &rep->fire.rows[row];
    sf_report_account_cells(rep, r->account, c);
    c[4].v = r->rev12;
    c[5].v = r->margin12;
    c[6].v = r->cost12;
    c[7].v = r->net_value;
    c[8].v = r->reasons;
}

const sf_list sf_list_fire = {
    .name = "fire_candidates",
    .sheet_key = "sheet_fire",
    .cols = fire_cols,
    .n_cols = (int)SF_ARRAY_LEN(fire_cols),
    .count = fire_count,
    .owner = fire_owner,
    .row = fire_row,
    .prefetch = fire_prefetch,
    .key = fire_key,
};
