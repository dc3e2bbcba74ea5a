/*
 * an_decline.c - SPEC §3.3: accounts whose revenue in the current decline
 * window fell against the prior window (year over year or the previous
 * window, as the dataset folded them) by at least min_drop_share and
 * min_drop_amount. Each is a feedback call for the owner.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_list.h"

typedef struct {
    sf_decline_row row;
    uint32_t rank; /* of account_id */
} dec_item;

/* drop descending, then account_id. */
static void item_keys(const void *p, uint64_t *k)
{
    const dec_item *it = p;
    k[0] = ~sf_sort_key_i64(it->row.drop);
    k[1] = it->rank;
}

static bool sort_items(dec_item *it, uint32_t n)
{
    return sf_sort_items(it, sizeof *it, n, 2, item_keys);
}

/* Fills out (zeroed first; owns rows and alerted, alerted sized
 * ds->n_accounts). Returns SF_OK or SF_ERR_NOMEM. */
sf_err sf_analyze_decline(const sf_dataset *ds, const sf_config *cfg,
                          const sf_tiers_result *t, sf_decline_result *out)
{
    size_t n = ds->n_accounts ? ds->n_accounts : 1;
    memset(out, 0, sizeof *out);
    out->alerted = calloc(n, sizeof *out->alerted);
    dec_item *it = malloc(n * sizeof *it);
    if (!out->alerted || !it)
        goto nomem;

    uint32_t m = 0;
    for (uint32_t a = 0; a < ds->n_accounts; a++) {
        const sf_account *ac = &ds->accounts[a];
        int64_t prior = ac->dec_prior, cur = ac->dec_current;
        if (prior <= 0)
            continue;
        /* both are sums of int64 cents that fit; the difference may not */
        __int128 drop = (__int128)prior - cur;
        if (drop * SF_PPM < (__int128)cfg->min_drop_share * prior ||
            drop < cfg->min_drop_amount || drop > INT64_MAX)
            continue;
        it[m].row.account = a;
        it[m].row.prior = prior;
        it[m].row.current = cur;
        it[m].row.drop = (int64_t)drop;
        it[m].row.drop_share = sf_share_e4(drop, prior);
        it[m].row.lost = cur <= 0;
        it[m].rank = t->id_rank[a];
        out->alerted[a] = true;
        m++;
    }
    if (!sort_items(it, m))
        goto nomem;
    out->rows = malloc((size_t)(m ? m : 1) * sizeof *out->rows);
    if (!out->rows)
        goto nomem;
    for (uint32_t i = 0; i < m; i++)
        out->rows[i] = it[i].row;
    out->n = m;
    free(it);
    return SF_OK;

nomem:
    free(it);
    free(out->alerted);
    free(out->rows);
    memset(out, 0, sizeof *out);
    return SF_ERR_NOMEM;
}

/* ---- decline_alerts.csv --------------------------------------------------------- */

static const sf_column decline_cols[] = {
    SF_COLUMN("account_id", SF_COL_TEXT), SF_COLUMN("name", SF_COL_TEXT), SF_COLUMN("owner", SF_COL_TEXT),
    SF_COLUMN("tier", SF_COL_TIER), SF_COLUMN("prior", SF_COL_MONEY), SF_COLUMN("current", SF_COL_MONEY),
    SF_COLUMN("drop", SF_COL_MONEY), SF_COLUMN("drop_share", SF_COL_SHARE),
    SF_COLUMN_WORDS("severity", "severity_"),
};

static size_t decline_count(const sf_report *rep) { return rep->decline.n; }

static uint32_t decline_owner(const sf_report *rep, size_t row)
{
    return rep->ds->accounts[rep->decline.rows[row].account].owner;
}

static const char *decline_key(const sf_report *rep, size_t row)
{
    return rep->ds->accounts[rep->decline.rows[row].account].id;
}

static void decline_prefetch(const sf_report *rep, size_t row)
{
    sf_report_account_prefetch(rep, rep->decline.rows[row].account);
}

static void decline_row(const sf_report *rep, size_t row, sf_cell *c)
{
    const sf_decline_row *r = &rep->decline.rows[row];
    sf_report_account_cells(rep, r->account, c);
    c[4].v = r->prior;
    c[5].v = r->current;
    c[6].v = r->drop;
    c[7].v = r->drop_share;
    c[8].text = r->lost ? "lost" : "declining";
}

const sf_list sf_list_decline = {
    .name = "decline_alerts",
    .sheet_key = "sheet_declines",
    .cols = decline_cols,
    .n_cols = (int)SF_ARRAY_LEN(decline_cols),
    .count = decline_count,
    .owner = decline_owner,
    .row = decline_row,
    .prefetch = decline_prefetch,
    .key = decline_key,
};
