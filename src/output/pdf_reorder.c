/*
 * pdf_reorder.c - the reorder rhythm (SPEC §8) in the PDFs: in report.pdf
 * a page of the clients late to reorder per owner and tier beside the
 * largest revenue at risk; in the review pack the rep's late clients as a
 * table read from the reorder_due list.
 */
#include "output/sf_pdf_pages.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RISK_BARS 15   /* accounts in the revenue-at-risk chart */

/* Late and lapsed clients per owner (name order, the heaviest
 * SF_PDF_MAX_OWNERS, the rest in one "others" row) and tier, stacked. */
static bool chart_by_owner(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box)
{
    const sf_dataset *ds = o->ds;
    const sf_reorder_result *ro = &o->rep->reorder;
    size_t n = ds->n_owners ? ds->n_owners : 1, cap = SF_PDF_MAX_OWNERS + 1, n_others = 0;
    uint32_t(*cnt)[SF_TIER_N] = calloc(n, sizeof *cnt);
    uint64_t *w = calloc(n, sizeof *w);
    size_t *sel = calloc(n, sizeof *sel);
    bool *shown = calloc(n, sizeof *shown);
    const char **names = calloc(cap, sizeof *names);
    double *vals = calloc(cap * SF_TIER_N, sizeof *vals);
    bool ok = cnt && w && sel && shown && names && vals;
    for (uint32_t i = 0; ok && i < ro->n; i++) {
        uint32_t a = ro->rows[i].account;
        uint32_t ow = ds->accounts[a].owner;
        if (ow < ds->n_owners)
            cnt[ow][o->rep->tiers.acc[a].tier]++;
    }
    size_t m = 0;
    if (ok) {
        for (size_t k = 0; k < ds->n_owners; k++) {
            uint32_t id = ds->owner_order ? ds->owner_order[k] : (uint32_t)k;
            for (int t = 0; t < SF_TIER_N; t++)
                w[k] += cnt[id][t];
        }
        m = sf_pdf_pick(w, ds->n_owners, SF_PDF_MAX_OWNERS, SIZE_MAX, false, sel, &n_others);
        ok = m != SIZE_MAX;
    }
    char others[96];
    if (ok) {
        for (size_t j = 0; j < m; j++)
            shown[sel[j]] = true;
        for (size_t k = 0; k < ds->n_owners; k++) {
            if (w[k] == 0)
                continue;
            uint32_t id = ds->owner_order ? ds->owner_order[k] : (uint32_t)k;
            size_t r = m; /* others */
            if (shown[k]) {
                for (r = 0; r < m && sel[r] != k; r++)
                    ;
                names[r] = sf_pdf_owner_name(o, id);
            }
            for (int t = 0; t < SF_TIER_N; t++)
                vals[r * SF_TIER_N + t] += cnt[id][t];
        }
        if (n_others) {
            sf_pdf_label_nm(o, "others", (int64_t)n_others, 0, others, sizeof others);
            names[m] = others;
        }
        const char *series[SF_TIER_N];
        for (int t = 0; t < SF_TIER_N; t++)
            series[t] = sf_pdf_tier_label(o, (sf_tier)t);
        sf_bars b = {.cats = names, .n_cats = m + (n_others > 0), .values = vals, .n_series = SF_TIER_N,
                     .colors = sf_pdf_rgb_tier, .series_names = series, .stacked = true,
                     .horizontal = true, .value_labels = true, .fmt = sf_chart_fmt_count,
                     .band_lo = NAN, .band_hi = NAN, .ref = NAN};
        sf_chart_bars(&d->ch, box, &b);
    }
    free(cnt);
    free(w);
    free(sel);
    free(shown);
    free(names);
    free(vals);
    return ok;
}

/* The RISK_BARS largest revenues at risk (ties: list order), late and
 * lapsed in their own colours. */
static void chart_at_risk(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box)
{
    const sf_reorder_result *ro = &o->rep->reorder;
    size_t top[RISK_BARS], m = 0;
    for (size_t i = 0; i < ro->n; i++) {
        int64_t v = ro->rows[i].revenue_at_risk;
        if (m == RISK_BARS && ro->rows[top[m - 1]].revenue_at_risk >= v)
            continue;
        size_t j = m < RISK_BARS ? m++ : m - 1;
        while (j > 0 && ro->rows[top[j - 1]].revenue_at_risk < v) {
            top[j] = top[j - 1];
            j--;
        }
        top[j] = i;
    }
    const char *cats[RISK_BARS];
    double vals[RISK_BARS * 2];
    for (size_t k = 0; k < m; k++) {
        const sf_reorder_row *r = &ro->rows[top[k]];
        bool lapsed = r->status == SF_REORDER_LAPSED;
        cats[k] = o->ds->accounts[r->account].name;
        vals[k * 2] = lapsed ? 0 : (double)r->revenue_at_risk;
        vals[k * 2 + 1] = lapsed ? (double)r->revenue_at_risk : 0;
    }
    const char *names[2] = {sf_lang_get(o->lang, "common.reorder_late"),
                            sf_lang_get(o->lang, "common.reorder_lapsed")};
    const sf_rgb colors[2] = {sf_rgb_heat[SF_HEAT_WARM], sf_rgb_bad};
    sf_bars b = {.cats = cats, .n_cats = m, .values = vals, .n_series = 2, .colors = colors,
                 .series_names = names, .stacked = true, .horizontal = true, .value_labels = true,
                 .fmt = sf_chart_fmt_money, .band_lo = NAN, .band_hi = NAN, .ref = NAN};
    char cap[160];
    sf_pdf_label_nm(o, "top_of", (int64_t)m, ro->n, cap, sizeof cap);
    sf_chart_text(&d->ch, box.x + box.w, box.y - 18, 0, cap, 8, false, SF_AL_RIGHT, sf_rgb_muted);
    sf_chart_bars(&d->ch, box, &b);
}

bool sf_pdf_page_reorder(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    (void)owner;
    sf_chart *c = &d->ch;
    if (o->rep->reorder.n == 0) {
        sf_chart_nothing(c, (sf_box){box.x, box.y, box.w, 40}, sf_pdf_label(o, "nothing_reorder"));
    } else {
        double half = (box.w - 30) / 2, h = box.h - 22 - 30;
        sf_chart_text(c, box.x, box.y, half, sf_pdf_label(o, "reorder_by_owner"), 11, true, SF_AL_LEFT,
                      sf_rgb_text);
        sf_chart_text(c, box.x + half + 30, box.y, half, sf_pdf_label(o, "reorder_at_risk"), 11, true,
                      SF_AL_LEFT, sf_rgb_text);
        if (!chart_by_owner(d, o, (sf_box){box.x, box.y + 22, half, h}))
            return false;
        chart_at_risk(d, o, (sf_box){box.x + half + 30, box.y + 22, half, h});
    }
    sf_chart_text_wrap(c, box.x, box.y + box.h - 24, box.w, sf_pdf_label(o, "reorder_note"), 8,
                       sf_rgb_muted, 2);
    return true;
}

/* ---- the review pack ---- */

static const sf_pdf_col reorder_cols[] = {
    {"name", "col_account", true, SF_AL_LEFT, NULL, NULL},
    {"tier", "col_tier", false, SF_AL_CENTER, NULL, NULL},
    {"last_purchase", "col_last_purchase", false, SF_AL_RIGHT, NULL, NULL},
    {"typical_gap_days", "col_typical_gap", false, SF_AL_RIGHT, NULL, NULL},
    {"expected_date", "col_expected", false, SF_AL_RIGHT, NULL, NULL},
    {"days_late", "col_days_late", false, SF_AL_RIGHT, NULL, NULL},
    {"status", "col_status", false, SF_AL_LEFT, NULL, "common."},
    {"revenue_at_risk", "col_at_risk", false, SF_AL_RIGHT, NULL, NULL},
};

static sf_rgb mark_status(const sf_pdf_row *r)
{
    int c = sf_list_col(r->l, "status");
    bool lapsed = c >= 0 && r->cells[c].text && strcmp(r->cells[c].text, "lapsed") == 0;
    return lapsed ? sf_rgb_bad : sf_rgb_heat[SF_HEAT_WARM];
}

const sf_pdf_table_def sf_pdf_tab_reorder = {"reorder_due", reorder_cols, SF_ARRAY_LEN(reorder_cols), NULL,
                                             mark_status};
