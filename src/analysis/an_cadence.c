/*
 * an_cadence.c - SPEC §3.2: the next contact of every account (accounts.csv
 * shows it) from its last contact and its tier's interval, pulled to T for
 * a client late to reorder (§8, pull_cadence); and the contact due list:
 * the accounts of the configured tiers that fall due within the horizon,
 * most overdue first.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_list.h"

typedef struct {
    sf_cadence_row row;
    int tier;
    uint32_t rank; /* of account_id */
} cad_item;

/* tier, days_overdue descending, account_id. */
static void item_keys(const void *p, uint64_t *k)
{
    const cad_item *it = p;
    k[0] = sf_sort_key_i64(it->tier);
    k[1] = ~sf_sort_key_i64(it->row.days_overdue);
    k[2] = it->rank;
}

static bool sort_items(cad_item *it, uint32_t n)
{
    return sf_sort_items(it, sizeof *it, n, 3, item_keys);
}

/* next_due of every account: never contacted, T; else last contact plus
 * the interval of its tier; at the latest T when the account is in the
 * reorder list (§8). Unknown without an activities file: the column stays
 * empty rather than claiming every account is due. */
static void next_due(const sf_dataset *ds, const sf_config *cfg, const sf_tiers_result *t,
                     const sf_reorder_result *ro, sf_cadence_result *out)
{
    const sf_date T = ds->as_of;
    for (uint32_t a = 0; a < ds->n_accounts; a++) {
        sf_tier tier = t->acc[a].tier;
        const sf_account *ac = &ds->accounts[a];
        sf_date due;
        if (!ds->have_activities)
            due = SF_NODATE;
        else if (ac->last_contact == SF_NODATE)
            due = T;
        else
            due = (sf_date)(ac->last_contact + cfg->cadence_days[tier]);
        bool listed = ro && ro->status && ro->status[a] != SF_REORDER_NONE && cfg->reorder_tiers[tier];
        if (cfg->reorder_pull_cadence && listed && due != SF_NODATE && due > T) {
            due = T;
            out->pulled[a] = true;
        }
        out->next_due[a] = due;
    }
}

/* Fills out (zeroed first; owns rows, next_due, pulled). Without an
 * activities file the list is empty: no last contact is known, and
 * listing every account as due today would bury the real calls. ro may be
 * NULL (no reorder pull). Returns SF_OK or SF_ERR_NOMEM. */
sf_err sf_analyze_cadence(const sf_dataset *ds, const sf_config *cfg, const sf_tiers_result *t,
                          const sf_reorder_result *ro, sf_cadence_result *out)
{
    memset(out, 0, sizeof *out);
    out->next_due = malloc(((size_t)ds->n_accounts + 1) * sizeof *out->next_due);
    out->pulled = calloc((size_t)ds->n_accounts + 1, sizeof *out->pulled);
    if (!out->next_due || !out->pulled) {
        free(out->next_due);
        free(out->pulled);
        memset(out, 0, sizeof *out);
        return SF_ERR_NOMEM;
    }
    next_due(ds, cfg, t, ro, out);
    if (!ds->have_activities || ds->n_accounts == 0)
        return SF_OK;

    cad_item *it = malloc((size_t)ds->n_accounts * sizeof *it);
    if (!it)
        return SF_ERR_NOMEM;
    int64_t limit = (int64_t)ds->as_of + cfg->horizon_days;
    uint32_t m = 0;
    for (uint32_t a = 0; a < ds->n_accounts; a++) {
        const sf_account_result *r = &t->acc[a];
        sf_date due = out->next_due[a];
        if (!cfg->cadence_tiers[r->tier] || due == SF_NODATE || (int64_t)due > limit)
            continue;
        it[m].row.account = a;
        it[m].row.last_contact = ds->accounts[a].last_contact;
        it[m].row.next_due = due;
        it[m].row.days_overdue = (int64_t)ds->as_of - due;
        it[m].row.channel = cfg->cadence_channel[r->tier];
        it[m].tier = (int)r->tier;
        it[m].rank = t->id_rank[a];
        m++;
    }
    if (!sort_items(it, m)) {
        free(it);
        return SF_ERR_NOMEM;
    }
    out->rows = malloc((size_t)(m ? m : 1) * sizeof *out->rows);
    if (!out->rows) {
        free(it);
        return SF_ERR_NOMEM;
    }
    for (uint32_t i = 0; i < m; i++)
        out->rows[i] = it[i].row;
    out->n = m;
    free(it);
    return SF_OK;
}

/* ---- cadence_due.csv ----------------------------------------------------------- */

static const sf_column cadence_cols[] = {
    SF_COLUMN("account_id", SF_COL_TEXT), SF_COLUMN("name", SF_COL_TEXT), SF_COLUMN("owner", SF_COL_TEXT),
    SF_COLUMN("tier", SF_COL_TIER), SF_COLUMN("last_contact", SF_COL_DATE), SF_COLUMN("next_due", SF_COL_DATE),
    SF_COLUMN("days_overdue", SF_COL_INT), SF_COLUMN("channel", SF_COL_TEXT),
};

static size_t cadence_count(const sf_report *rep) { return rep->cadence.n; }

static uint32_t cadence_owner(const sf_report *rep, size_t row)
{
    return rep->ds->accounts[rep->cadence.rows[row].account].owner;
}

static const char *cadence_key(const sf_report *rep, size_t row)
{
    return rep->ds->accounts[rep->cadence.rows[row].account].id;
}

static void cadence_prefetch(const sf_report *rep, size_t row)
{
    sf_report_account_prefetch(rep, rep->cadence.rows[row].account);
}

static void cadence_row(const sf_report *rep, size_t row, sf_cell *c)
{
    const sf_cadence_row *r = &rep->cadence.rows[row];
    sf_report_account_cells(rep, r->account, c);
    c[4].v = r->last_contact;
    c[5].v = r->next_due;
    c[6].v = r->days_overdue;
    c[7].text = r->channel;
}

const sf_list sf_list_cadence = {
    .name = "cadence_due",
    .sheet_key = "sheet_cadence",
    .cols = cadence_cols,
    .n_cols = (int)SF_ARRAY_LEN(cadence_cols),
    .count = cadence_count,
    .owner = cadence_owner,
    .row = cadence_row,
    .prefetch = cadence_prefetch,
    .key = cadence_key,
};
