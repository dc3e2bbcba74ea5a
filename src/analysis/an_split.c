/*
 * an_split.c - SPEC §3.5: how each rep should split their time between the
 * key (A) clients and everything else, and how they actually did over the
 * actual-time window. Recommendation by account owner; actual time by the
 * owner who logged the activity.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_list.h"

typedef struct {
    __int128 pos_rev, key_rev, new_rev;  /* positive rev12: all, A, new */
    int64_t min_key, min_other, min_prosp;
} split_acc;

/* Turns the sums of one owner (or of everyone) into a row. */
static void finish_row(const sf_config *cfg, bool have_acts, const split_acc *s,
                       uint32_t owner, sf_split_row *r)
{
    r->owner = owner;
    r->key_share = s->pos_rev > 0 ? sf_share_e4(s->key_rev, s->pos_rev) : 0;
    if (cfg->split_mode == SF_SPLIT_NEW)
        r->mode_new = true;
    else if (cfg->split_mode == SF_SPLIT_EXISTING)
        r->mode_new = false;
    else /* new_share > new_business_share; new_share is 0 without revenue */
        r->mode_new = s->pos_rev > 0
                          ? s->new_rev * SF_PPM > (__int128)cfg->new_business_share * s->pos_rev
                          : 0 > cfg->new_business_share;
    int64_t factor = r->mode_new ? cfg->new_factor : cfg->existing_factor;
    /* recommended_key = factor x key_rev/pos_rev, exact until the one
     * rounding to e4; the rest is 1 minus that exact value */
    if (s->pos_rev > 0) {
        __int128 den = s->pos_rev * SF_PPM;
        __int128 num = (__int128)factor * s->key_rev;
        r->recommended_key = sf_share_e4(num, den);
        r->recommended_rest = sf_share_e4(den - num, den);
    } else {
        r->recommended_key = 0;
        r->recommended_rest = SF_E4;
    }
    int64_t total = s->min_key + s->min_other + s->min_prosp;
    r->minutes = have_acts ? total : 0;
    if (!have_acts || total <= 0) {
        r->actual_key = r->actual_other = r->actual_prospecting = SF_NONE;
    } else {
        r->actual_key = sf_share_e4(s->min_key, total);
        r->actual_other = sf_share_e4(s->min_other, total);
        r->actual_prospecting = sf_share_e4(s->min_prosp, total);
    }
}

/* Fills out (zeroed first; owns rows): one row per owner seen, in owner
 * name order, then (all). Returns SF_OK or SF_ERR_NOMEM. */
sf_err sf_analyze_split(const sf_dataset *ds, const sf_config *cfg,
                        const sf_tiers_result *t, sf_split_result *out)
{
    memset(out, 0, sizeof *out);
    split_acc *acc = calloc((size_t)ds->n_owners + 1, sizeof *acc);
    out->rows = calloc((size_t)ds->n_owners + 1, sizeof *out->rows);
    if (!acc || !out->rows) {
        free(acc);
        free(out->rows);
        out->rows = NULL;
        return SF_ERR_NOMEM;
    }
    split_acc *all = &acc[ds->n_owners];
    const int64_t T = ds->as_of;

    for (uint32_t a = 0; a < ds->n_accounts; a++) {
        const sf_account *ac = &ds->accounts[a];
        sf_tier tier = t->acc[a].tier;
        if (ac->rev12 > 0 && ac->owner < ds->n_owners) {
            bool is_new = ac->first_purchase != SF_NODATE &&
                          sf_in_window(ac->first_purchase, (sf_date)T, 365);
            split_acc *o = &acc[ac->owner];
            o->pos_rev += ac->rev12;
            all->pos_rev += ac->rev12;
            if (tier == SF_TIER_A) {
                o->key_rev += ac->rev12;
                all->key_rev += ac->rev12;
            }
            if (is_new) {
                o->new_rev += ac->rev12;
                all->new_rev += ac->rev12;
            }
        }
        for (uint32_t i = 0; i < ac->n_split_minutes; i++) {
            const sf_owner_minutes *om = &ac->split_minutes[i];
            if (om->owner >= ds->n_owners || om->minutes <= 0)
                continue;
            int64_t *slot_o, *slot_all;
            if (tier == SF_TIER_A) {
                slot_o = &acc[om->owner].min_key;
                slot_all = &all->min_key;
            } else if (ac->first_purchase != SF_NODATE) {
                slot_o = &acc[om->owner].min_other;
                slot_all = &all->min_other;
            } else {
                slot_o = &acc[om->owner].min_prosp;
                slot_all = &all->min_prosp;
            }
            *slot_o += om->minutes;
            *slot_all += om->minutes;
        }
    }

    uint32_t m = 0;
    for (uint32_t i = 0; i < ds->n_owners; i++) {
        uint32_t id = ds->owner_order ? ds->owner_order[i] : i;
        if (ds->owner_seen && !ds->owner_seen[id])
            continue;
        finish_row(cfg, ds->have_activities, &acc[id], id, &out->rows[m++]);
    }
    finish_row(cfg, ds->have_activities, all, SF_OWNER_ALL, &out->rows[m++]);
    out->n = m;
    free(acc);
    return SF_OK;
}

/* ---- time_split.csv ------------------------------------------------------------- */

static const sf_column split_cols[] = {
    SF_COLUMN("owner", SF_COL_TEXT), SF_COLUMN("key_share", SF_COL_SHARE),
    SF_COLUMN_WORDS("mode", "mode_"), SF_COLUMN("recommended_key", SF_COL_SHARE),
    SF_COLUMN("recommended_rest", SF_COL_SHARE), SF_COLUMN("actual_key", SF_COL_SHARE),
    SF_COLUMN("actual_other", SF_COL_SHARE), SF_COLUMN("actual_prospecting", SF_COL_SHARE),
};

static size_t split_count(const sf_report *rep) { return rep->split.n; }

static uint32_t split_owner(const sf_report *rep, size_t row) { return rep->split.rows[row].owner; }

static void split_row(const sf_report *rep, size_t row, sf_cell *c)
{
    const sf_split_row *r = &rep->split.rows[row];
    c[0].text = sf_report_owner_name(rep, r->owner);
    c[1].v = r->key_share;
    c[2].text = r->mode_new ? "new" : "existing";
    c[3].v = r->recommended_key;
    c[4].v = r->recommended_rest;
    c[5].v = r->actual_key;
    c[6].v = r->actual_other;
    c[7].v = r->actual_prospecting;
}

const sf_list sf_list_split = {
    .name = "time_split",
    .sheet_key = "sheet_time_split",
    .cols = split_cols,
    .n_cols = (int)SF_ARRAY_LEN(split_cols),
    .count = split_count,
    .owner = split_owner,
    .row = split_row,
};
