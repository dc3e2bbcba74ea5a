/*
 * an_backtest.c - SPEC §10: do the warnings work on this team's own data?
 * The analyses are replayed as of past dates t_k = T - H - k x S on the
 * one book (sf_dataset_at gives its state as of t_k, SPEC §1.1), and each
 * warning rule is scored against what then happened: whether the
 * account's revenue of (t_k, t_k + H] fell below (1 - min_drop_share) x
 * its revenue of (t_k - H, t_k]. Counts are summed over the points; the
 * ratios are exact fractions of the sums, in ten-thousandths.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_list.h"

const char *sf_bt_rule_name(sf_bt_rule r)
{
    static const char *const names[SF_BT_RULES] = {"decline_alert", "late_reorder", "cold_a", "fire",
                                                   "overdue_a_b"};
    return (unsigned)r < SF_BT_RULES ? names[r] : "";
}

/* The rules that flag each account as of the report's T, as bits. */
static void flag_accounts(const sf_report *rep, uint8_t *flags)
{
    const sf_dataset *ds = rep->ds;
    memset(flags, 0, (size_t)ds->n_accounts);
    for (uint32_t a = 0; a < ds->n_accounts; a++) {
        const sf_account_result *r = &rep->tiers.acc[a];
        if (rep->decline.alerted && rep->decline.alerted[a])
            flags[a] |= 1u << SF_BT_DECLINE_ALERT;
        if (rep->reorder.status && rep->reorder.status[a] != SF_REORDER_NONE)
            flags[a] |= 1u << SF_BT_LATE_REORDER;
        if (r->tier == SF_TIER_A && r->temp == SF_TEMP_COLD)
            flags[a] |= 1u << SF_BT_COLD_A;
    }
    for (uint32_t i = 0; i < rep->fire.n; i++)
        flags[rep->fire.rows[i].account] |= 1u << SF_BT_FIRE;
    for (uint32_t i = 0; i < rep->cadence.n; i++) {
        const sf_cadence_row *c = &rep->cadence.rows[i];
        sf_tier t = rep->tiers.acc[c->account].tier;
        if ((t == SF_TIER_A || t == SF_TIER_B) && c->days_overdue > 0)
            flags[c->account] |= 1u << SF_BT_OVERDUE_A_B;
    }
}

/* Score the flags of point t: the population (revenue of (t - H, t] > 0),
 * who of it declined in (t, t + H], and per rule the flagged and the hits. */
static void score(const sf_dataset *ds, const sf_config *cfg, sf_date t, int64_t H, const uint8_t *flags,
                  sf_backtest_result *out)
{
    const __int128 keep = SF_PPM - cfg->min_drop_share;
    for (uint32_t a = 0; a < ds->n_accounts; a++) {
        uint32_t n;
        const sf_tx_day *d = sf_account_days(ds, a, &n);
        int64_t before = 0, after = 0;
        for (uint32_t i = 0; i < n; i++) {
            if (sf_in_window(d[i].date, t, H))
                before += d[i].amount;
            else if (sf_in_window(d[i].date, (sf_date)(t + H), H))
                after += d[i].amount;
        }
        if (before <= 0)
            continue;
        bool declined = (__int128)after * SF_PPM < keep * before;
        for (int r = 0; r < SF_BT_RULES; r++) {
            sf_backtest_row *row = &out->rows[r];
            bool flagged = flags[a] & (1u << r);
            row->population++;
            row->declined += declined;
            row->flagged += flagged;
            row->hits += flagged && declined;
        }
    }
}

/* The ratios of the summed counts (SPEC §10): empty when a denominator is 0. */
static void ratios(sf_backtest_row *r)
{
    r->precision = sf_share_e4(r->hits, r->flagged);
    r->recall = sf_share_e4(r->hits, r->declined);
    r->base_rate = sf_share_e4(r->declined, r->population);
    /* precision / base_rate = (hits / flagged) / (declined / population),
     * taken from the counts, not from the rounded ratios */
    r->lift = r->flagged > 0 && r->declined > 0 && r->population > 0
                  ? sf_share_e4((__int128)r->hits * r->population, (__int128)r->flagged * r->declined)
                  : SF_NONE;
}

sf_err sf_backtest(sf_dataset *ds, const sf_config *cfg, sf_date T, int64_t horizon, int64_t points,
                   int64_t step, bool threads, void (*progress)(void *arg, int64_t k, sf_date t),
                   void *arg, sf_backtest_result *out, sf_ctx *ctx)
{
    memset(out, 0, sizeof *out);
    out->as_of = T;
    out->horizon = horizon;
    out->points = points;
    out->step = step;
    uint8_t *flags = malloc((size_t)ds->n_accounts + 1);
    if (!flags)
        return sf_ctx_nomem(ctx);
    sf_err e = SF_OK;
    for (int64_t k = 0; k < points && e == SF_OK; k++) {
        sf_date t = (sf_date)(T - horizon - k * step);
        sf_report rep;
        if ((e = sf_dataset_at(ds, t, ctx)) != SF_OK || (e = sf_analyze(ds, cfg, threads, &rep, ctx)) != SF_OK)
            break;
        flag_accounts(&rep, flags);
        sf_report_release(&rep);
        score(ds, cfg, t, horizon, flags, out);
        if (progress)
            progress(arg, k, t);
    }
    free(flags);
    for (int r = 0; r < SF_BT_RULES; r++) {
        out->rows[r].points = points;
        ratios(&out->rows[r]);
    }
    return e;
}

/* ---- backtest.csv (SPEC §10) ----------------------------------------------- */

static const sf_column backtest_cols[] = {
    SF_COLUMN_WORDS("rule", "backtest_"),  SF_COLUMN("points", SF_COL_INT),
    SF_COLUMN("population", SF_COL_INT),   SF_COLUMN("declined", SF_COL_INT),
    SF_COLUMN("flagged", SF_COL_INT),      SF_COLUMN("hits", SF_COL_INT),
    SF_COLUMN("precision", SF_COL_SHARE),  SF_COLUMN("recall", SF_COL_SHARE),
    SF_COLUMN("base_rate", SF_COL_SHARE),  SF_COLUMN("lift", SF_COL_DECIMAL),
};

static bool backtest_present(const sf_report *rep) { return rep->backtest != NULL; }

static size_t backtest_count(const sf_report *rep) { return rep->backtest ? SF_BT_RULES : 0; }

static uint32_t backtest_owner(const sf_report *rep, size_t row)
{
    (void)rep;
    (void)row;
    return SF_OWNER_ALL;
}

static void backtest_row(const sf_report *rep, size_t row, sf_cell *c)
{
    const sf_backtest_row *r = &rep->backtest->rows[row];
    c[0].text = sf_bt_rule_name((sf_bt_rule)row);
    c[1].v = r->points;
    c[2].v = r->population;
    c[3].v = r->declined;
    c[4].v = r->flagged;
    c[5].v = r->hits;
    c[6].v = r->precision;
    c[7].v = r->recall;
    c[8].v = r->base_rate;
    c[9].v = r->lift;
}

const sf_list sf_list_backtest = {
    .name = "backtest",
    .sheet_key = "sheet_backtest",
    .cols = backtest_cols,
    .n_cols = (int)SF_ARRAY_LEN(backtest_cols),
    .present = backtest_present,
    .count = backtest_count,
    .owner = backtest_owner,
    .row = backtest_row,
};
