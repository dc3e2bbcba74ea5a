/*
 * an_reorder.c - SPEC §8: the reorder rhythm. A client who usually orders
 * every five weeks and has not ordered for ten is slipping long before a
 * 90-day comparison shows it: each account is held against its own
 * interval between purchase days.
 *
 * Purchase days are the dates in the lookback window whose transactions
 * sum to more than 0 (a credit note on the day of an order can cancel it).
 * Every median is the lower median; every threshold is exact integer
 * arithmetic (spread_factor is in ppm).
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_list.h"

/* Lower median of v[0..n), n > 0; reorders v. */
static int64_t lower_median(int64_t *v, uint32_t n)
{
    return sf_select_i64(v, n, (n - 1) / 2);
}

/* The rhythm of one account as of T into *r (status SF_REORDER_NONE when
 * it has fewer than min_gaps gaps, or is on rhythm). buf holds room for
 * two values per day of the account. */
static void account_rhythm(const sf_dataset *ds, const sf_config *cfg, uint32_t a, int64_t *buf,
                           sf_reorder_row *r)
{
    const sf_date T = ds->as_of;
    uint32_t n;
    const sf_tx_day *d = sf_account_days(ds, a, &n);
    int64_t *sums = buf, *gaps = buf + n;
    uint32_t days = 0, ngaps = 0;
    int64_t largest = 0;
    sf_date prev = SF_NODATE;
    memset(r, 0, sizeof *r);
    r->account = a;
    r->status = SF_REORDER_NONE;
    for (uint32_t i = 0; i < n; i++) {
        if (!sf_in_window(d[i].date, T, cfg->reorder_lookback_days) || d[i].amount <= 0)
            continue;
        sums[days++] = d[i].amount;
        if (prev != SF_NODATE) {
            int64_t g = (int64_t)d[i].date - prev;
            gaps[ngaps++] = g;
            if (g > largest)
                largest = g;
        }
        prev = d[i].date;
    }
    if (ngaps == 0 || (int64_t)ngaps < cfg->reorder_min_gaps)
        return;
    r->last_purchase = prev;
    r->purchases = days;
    r->typical = lower_median(gaps, ngaps);
    for (uint32_t i = 0; i < ngaps; i++)
        gaps[i] = gaps[i] > r->typical ? gaps[i] - r->typical : r->typical - gaps[i];
    r->spread = lower_median(gaps, ngaps);
    r->since = (int64_t)T - prev;
    int64_t lapse = 2 * r->typical > largest ? 2 * r->typical : largest;
    int64_t slack = sf_div_ceil((__int128)cfg->reorder_spread_factor * r->spread, SF_PPM);
    if (slack < cfg->reorder_min_late_days)
        slack = cfg->reorder_min_late_days;
    if (r->since > lapse)
        r->status = SF_REORDER_LAPSED;
    else if (r->since > r->typical + slack)
        r->status = SF_REORDER_LATE;
    else
        return;
    r->expected_date = (sf_date)(prev + r->typical);
    r->days_late = r->since - r->typical;
    r->late_ratio = sf_share_e4(r->since, r->typical);
    r->order_value = lower_median(sums, days);
    /* order_value is bounded by the book's total, the factor by the
     * lookback: the product fits unless a single day sums near the int64
     * limit, which then shows the limit rather than wrapping */
    __int128 risk = (__int128)r->order_value * (r->since / r->typical);
    r->revenue_at_risk = risk > INT64_MAX ? INT64_MAX : (int64_t)risk;
}

typedef struct {
    sf_reorder_row row;
    int tier;
    uint32_t rank;
} reorder_item;

/* late before lapsed, tier, revenue_at_risk descending, account_id. */
static void item_keys(const void *p, uint64_t *k)
{
    const reorder_item *it = p;
    k[0] = it->row.status == SF_REORDER_LATE ? 0 : 1;
    k[1] = sf_sort_key_i64(it->tier);
    k[2] = ~sf_sort_key_i64(it->row.revenue_at_risk);
    k[3] = it->rank;
}

static bool sort_items(reorder_item *it, uint32_t n)
{
    return sf_sort_items(it, sizeof *it, n, 4, item_keys);
}

/* Fills out (zeroed first; owns rows and status). Returns SF_OK or
 * SF_ERR_NOMEM (out released then). */
sf_err sf_analyze_reorder(const sf_dataset *ds, const sf_config *cfg, const sf_tiers_result *t,
                          sf_reorder_result *out)
{
    memset(out, 0, sizeof *out);
    uint32_t most = 0;
    for (uint32_t a = 0; a < ds->n_accounts; a++) {
        uint32_t n;
        (void)sf_account_days(ds, a, &n);
        if (n > most)
            most = n;
    }
    int64_t *buf = malloc(((size_t)most * 2 + 1) * sizeof *buf);
    reorder_item *it = malloc(((size_t)ds->n_accounts + 1) * sizeof *it);
    out->status = calloc((size_t)ds->n_accounts + 1, sizeof *out->status);
    if (!buf || !it || !out->status)
        goto oom;
    uint32_t m = 0;
    for (uint32_t a = 0; a < ds->n_accounts; a++) {
        sf_reorder_row r;
        account_rhythm(ds, cfg, a, buf, &r);
        out->status[a] = (uint8_t)r.status;
        if (r.status == SF_REORDER_NONE || !cfg->reorder_tiers[t->acc[a].tier])
            continue;
        it[m].row = r;
        it[m].tier = (int)t->acc[a].tier;
        it[m].rank = t->id_rank[a];
        m++;
    }
    if (!sort_items(it, m))
        goto oom;
    out->rows = malloc(((size_t)m + 1) * sizeof *out->rows);
    if (!out->rows)
        goto oom;
    for (uint32_t i = 0; i < m; i++)
        out->rows[i] = it[i].row;
    out->n = m;
    free(buf);
    free(it);
    return SF_OK;
oom:
    free(buf);
    free(it);
    free(out->status);
    free(out->rows);
    memset(out, 0, sizeof *out);
    return SF_ERR_NOMEM;
}

/* ---- reorder_due.csv (SPEC §8) --------------------------------------------- */

static const sf_column reorder_cols[] = {
    SF_COLUMN("account_id", SF_COL_TEXT),    SF_COLUMN("name", SF_COL_TEXT),
    SF_COLUMN("owner", SF_COL_TEXT),         SF_COLUMN("tier", SF_COL_TIER),
    SF_COLUMN("last_purchase", SF_COL_DATE), SF_COLUMN("purchases", SF_COL_INT),
    SF_COLUMN("typical_gap_days", SF_COL_INT), SF_COLUMN("expected_date", SF_COL_DATE),
    SF_COLUMN("days_late", SF_COL_INT),      SF_COLUMN("late_ratio", SF_COL_RATIO),
    SF_COLUMN_WORDS("status", "reorder_"),   SF_COLUMN("revenue_at_risk", SF_COL_MONEY),
};

const char *sf_reorder_status_name(sf_reorder_status s)
{
    return s == SF_REORDER_LATE ? "late" : s == SF_REORDER_LAPSED ? "lapsed" : "";
}

static size_t reorder_count(const sf_report *rep) { return rep->reorder.n; }

static uint32_t reorder_owner(const sf_report *rep, size_t row)
{
    return rep->ds->accounts[rep->reorder.rows[row].account].owner;
}

static const char *reorder_key(const sf_report *rep, size_t row)
{
    return rep->ds->accounts[rep->reorder.rows[row].account].id;
}

static void reorder_prefetch(const sf_report *rep, size_t row)
{
    sf_report_account_prefetch(rep, rep->reorder.rows[row].account);
}

static void reorder_row(const sf_report *rep, size_t row, sf_cell *c)
{
    const sf_reorder_row *r = &rep->reorder.rows[row];
    sf_report_account_cells(rep, r->account, c);
    c[4].v = r->last_purchase;
    c[5].v = r->purchases;
    c[6].v = r->typical;
    c[7].v = r->expected_date;
    c[8].v = r->days_late;
    c[9].v = r->late_ratio;
    c[10].text = sf_reorder_status_name(r->status);
    c[11].v = r->revenue_at_risk;
}

const sf_list sf_list_reorder = {
    .name = "reorder_due",
    .sheet_key = "sheet_reorder",
    .cols = reorder_cols,
    .n_cols = (int)SF_ARRAY_LEN(reorder_cols),
    .count = reorder_count,
    .owner = reorder_owner,
    .row = reorder_row,
    .prefetch = reorder_prefetch,
    .key = reorder_key,
};
