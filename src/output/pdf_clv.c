/*
 * pdf_clv.c - the expected-value page of SPEC §11, in report.pdf and in
 * each review pack: the largest expected values over the horizon (the
 * clv list's first rows), the valuable clients least likely to be alive
 * (revenue to date in the top quarter, p_alive below 50 %, by owner; in
 * the report also their revenue per owner as bars), and one line saying
 * which models gave the figures. When the lists are empty the page says
 * why instead.
 *
 * Everything shown comes from the clv result (an_clv.c): nothing is
 * estimated here.
 */
#include "output/sf_pdf_clv.h"
#include "output/sf_pdf_tables.h"
#include "output/sf_template.h"

#include "draw/sf_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP_ROWS 20
#define RISK_ROWS 20
#define RISK_COLS 7

bool sf_pdf_clv_shown(const sf_output_ctx *o, uint32_t owner)
{
    (void)owner;
    return o->rep->clv.enabled;
}

/* Copy s into a table cell, cut at a UTF-8 character boundary. */
static void cell_copy(char *cell, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n >= SF_PDF_CELL) {
        n = SF_PDF_CELL - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    if (n)
        memcpy(cell, s, n);
    cell[n] = 0;
}

/* The owner as the reader knows them ("(unassigned)" in the language). */
static void fmt_owner(const sf_pdf_row *r, int col, const char *section, char *out)
{
    (void)col;
    (void)section;
    cell_copy(out, sf_pdf_owner_name(r->o, r->owner));
}

/* The largest expected values: the first rows of the clv list (a pack of
 * one owner's rows leaves the owner column out, sf_pdf_table). */
static const sf_pdf_col top_cols[] = {
    {"name", "col_account", true, SF_AL_LEFT, NULL, NULL},
    {"owner", "col_owner", true, SF_AL_LEFT, fmt_owner, NULL},
    {"tier", "col_tier", false, SF_AL_CENTER, NULL, NULL},
    {"p_alive", "col_alive", false, SF_AL_RIGHT, NULL, NULL},
    {"expected_purchases", "col_exp_purchases", false, SF_AL_RIGHT, NULL, NULL},
    {"expected_order_value", "col_exp_order", false, SF_AL_RIGHT, NULL, NULL},
    {"clv", "col_clv", false, SF_AL_RIGHT, NULL, NULL},
};
static const sf_pdf_table_def top_table = {"clv", top_cols, SF_ARRAY_LEN(top_cols), NULL, NULL};

/* The line under the tables: the models and how many clients they saw. */
static void model_note(const sf_output_ctx *o, char *out, size_t cap)
{
    const sf_clv_result *c = &o->rep->clv;
    char key[48], n[40];
    snprintf(key, sizeof key, "clv_model_%s", sf_clv_model_name(c->fits.chosen));
    sf_lang_fmt_int(o->lang, c->modelled, n, sizeof n);
    sf_tvars t = {0};
    sf_tvars_set(&t, "model", sf_pdf_label(o, key));
    sf_tvars_set(&t, "spend", sf_pdf_label(o, c->fits.spend.gammagamma ? "clv_spend_gg" : "clv_spend_own"));
    sf_tvars_set(&t, "n", n);
    sf_buf b = {0};
    sf_ctx ctx = {0};
    out[0] = 0;
    if (!t.oom && sf_template_render(sf_pdf_label(o, "clv_model_note"), &t, "clv_model_note", false, &b,
                                     &ctx) == SF_OK)
        snprintf(out, cap, "%s", sf_buf_str(&b));
    sf_buf_free(&b);
    sf_tvars_free(&t);
}

/* ---- the clients at risk ---- */

/* The at-risk rows of owner (SF_OWNER_ALL: all) as RISK_COLS cells each
 * (owner first) into cells, at most max of them (*shown); returns how
 * many there are in all. */
static size_t risk_cells(const sf_output_ctx *o, uint32_t owner, size_t max, char *cells, size_t *shown)
{
    const sf_clv_result *c = &o->rep->clv;
    const sf_dataset *ds = o->ds;
    size_t total = 0, k = 0;
    for (uint32_t i = 0; i < c->n_at_risk; i++) {
        const sf_clv_row *r = &c->rows[c->at_risk[i]];
        const sf_account *ac = &ds->accounts[r->account];
        if (owner != SF_OWNER_ALL && ac->owner != owner)
            continue;
        total++;
        if (k >= max)
            continue;
        char *row = cells + k * RISK_COLS * SF_PDF_CELL;
        cell_copy(row, sf_pdf_owner_name(o, ac->owner));
        cell_copy(row + SF_PDF_CELL, ac->name);
        cell_copy(row + 2 * SF_PDF_CELL, sf_pdf_tier_label(o, o->rep->tiers.acc[r->account].tier));
        sf_lang_fmt_money(o->lang, r->revenue, 0, row + 3 * SF_PDF_CELL, SF_PDF_CELL);
        sf_lang_fmt_date(o->lang, (sf_date)(o->rep->as_of - r->age_days + r->recency_days),
                         row + 4 * SF_PDF_CELL, SF_PDF_CELL);
        sf_lang_fmt_pct(o->lang, r->p_alive, 0, row + 5 * SF_PDF_CELL, SF_PDF_CELL);
        sf_lang_fmt_money(o->lang, r->clv, 0, row + 6 * SF_PDF_CELL, SF_PDF_CELL);
        k++;
    }
    *shown = k;
    return total;
}

/* The table of the clients at risk into box, as many rows as fit, under
 * its caption "top N of M"; false on out of memory. */
static bool risk_table(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    char *text = calloc((size_t)RISK_ROWS * RISK_COLS, SF_PDF_CELL);
    char **ptrs = calloc((size_t)RISK_ROWS * RISK_COLS, sizeof *ptrs);
    if (!text || !ptrs) {
        free(text);
        free(ptrs);
        return false;
    }
    size_t have, total = risk_cells(o, owner, RISK_ROWS, text, &have);
    /* the owner column only where rows of several owners are shown */
    size_t first = owner == SF_OWNER_ALL ? 0 : 1, nc = RISK_COLS - first;
    for (size_t r = 0; r < have; r++)
        for (size_t k = 0; k < nc; k++)
            ptrs[r * nc + k] = text + (r * RISK_COLS + first + k) * SF_PDF_CELL;
    static const char *const keys[RISK_COLS] = {"col_owner", "col_account", "col_tier", "col_revenue_to_date",
                                                "col_last_purchase", "col_alive", "col_clv"};
    static const sf_align al[RISK_COLS] = {SF_AL_LEFT, SF_AL_LEFT, SF_AL_CENTER, SF_AL_RIGHT,
                                           SF_AL_RIGHT, SF_AL_RIGHT, SF_AL_RIGHT};
    static const bool wrap[RISK_COLS] = {true, true, false, false, false, false, false};
    const char *hdr[RISK_COLS];
    for (size_t k = 0; k < nc; k++)
        hdr[k] = sf_pdf_label(o, keys[first + k]);
    /* column widths from the content */
    sf_table t = {.headers = hdr, .align = al + first, .wrap = wrap + first, .n_cols = nc, .cells = ptrs,
                  .n_rows = have};
    sf_box tb = {box.x, box.y + 18, box.w, box.h - 18};
    sf_table_layout lay = {0};
    bool ok = have == 0 || sf_table_layout_new(&d->ch, tb.w, &t, &lay);
    size_t fit = 0;
    for (double h = lay.head_h; ok && fit < have && h + lay.row_h[fit] <= tb.h; fit++)
        h += lay.row_h[fit];
    sf_chart_text(&d->ch, box.x, box.y, box.w * 0.6, sf_pdf_label(o, "clv_at_risk"), 11, true, SF_AL_LEFT,
                  sf_rgb_text);
    if (ok && total > 0) {
        char cap[160];
        if (fit < total)
            sf_pdf_label_nm(o, "top_of", (int64_t)fit, (int64_t)total, cap, sizeof cap);
        else
            sf_pdf_label_nm(o, "all_of", (int64_t)total, 0, cap, sizeof cap);
        sf_chart_text(&d->ch, box.x + box.w, box.y + 2, 0, cap, 8, false, SF_AL_RIGHT, sf_rgb_muted);
    }
    if (ok && fit == 0)
        sf_chart_nothing(&d->ch, (sf_box){tb.x, tb.y, tb.w, fmin(tb.h, 40)}, sf_pdf_label(o, "nothing"));
    else if (ok)
        sf_table_draw(&d->ch, tb.x, tb.y, &t, &lay, 0, fit);
    sf_table_layout_free(&lay);
    free(text);
    free(ptrs);
    return ok;
}

/* Revenue to date of the clients at risk per owner, as bars (the report
 * only); false on out of memory. */
static bool risk_owners(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box)
{
    const sf_clv_result *c = &o->rep->clv;
    const sf_dataset *ds = o->ds;
    size_t n = ds->n_owners, n_others = 0;
    double *sum = calloc(n ? n : 1, sizeof *sum);
    uint64_t *w = calloc(n ? n : 1, sizeof *w);
    size_t *sel = calloc(n ? n : 1, sizeof *sel);
    const char **cats = calloc(SF_PDF_MAX_OWNERS + 1, sizeof *cats);
    double *vals = calloc(SF_PDF_MAX_OWNERS + 1, sizeof *vals);
    bool ok = sum && w && sel && cats && vals;
    sf_chart_text(&d->ch, box.x, box.y, box.w, sf_pdf_label(o, "clv_at_risk_owners"), 11, true, SF_AL_LEFT,
                  sf_rgb_text);
    sf_box bb = {box.x, box.y + 20, box.w, box.h - 20};
    for (uint32_t i = 0; ok && i < c->n_at_risk; i++) {
        const sf_clv_row *r = &c->rows[c->at_risk[i]];
        sum[ds->accounts[r->account].owner] += (double)r->revenue;
    }
    /* owners in name order, the heaviest kept, the rest folded */
    for (size_t k = 0; ok && k < n; k++) {
        uint32_t id = ds->owner_order ? ds->owner_order[k] : (uint32_t)k;
        w[k] = (uint64_t)sum[id];
    }
    size_t m = ok ? sf_pdf_pick(w, n, SF_PDF_MAX_OWNERS, SIZE_MAX, false, sel, &n_others) : 0;
    ok = ok && m != SIZE_MAX;
    char others[96];
    if (ok && m == 0) {
        sf_chart_nothing(&d->ch, (sf_box){bb.x, bb.y, bb.w, fmin(bb.h, 40)}, sf_pdf_label(o, "nothing"));
    } else if (ok) {
        double rest = 0;
        for (size_t k = 0; k < n; k++) {
            uint32_t id = ds->owner_order ? ds->owner_order[k] : (uint32_t)k;
            rest += sum[id];
        }
        for (size_t j = 0; j < m; j++) {
            uint32_t id = ds->owner_order ? ds->owner_order[sel[j]] : (uint32_t)sel[j];
            cats[j] = sf_pdf_owner_name(o, id);
            vals[j] = sum[id];
            rest -= sum[id];
        }
        if (n_others) {
            sf_pdf_label_nm(o, "others", (int64_t)n_others, 0, others, sizeof others);
            cats[m] = others;
            vals[m++] = rest;
        }
        const sf_rgb col[1] = {sf_rgb_bad};
        sf_bars b = {.cats = cats, .n_cats = m, .values = vals, .n_series = 1, .colors = col,
                     .horizontal = true, .value_labels = true, .fmt = sf_chart_fmt_money,
                     .band_lo = NAN, .band_hi = NAN, .ref = NAN};
        sf_chart_bars(&d->ch, bb, &b);
    }
    free(sum);
    free(w);
    free(sel);
    free(cats);
    free(vals);
    return ok;
}

/* ---- the page ---- */

/* Why the lists are empty, in the reader's language. */
static void empty_reason(const sf_output_ctx *o, char *out, size_t cap)
{
    const sf_clv_result *c = &o->rep->clv;
    switch (c->state) {
    case SF_CLV_TOO_FEW:
        sf_pdf_label_nm(o, "clv_too_few", c->modelled, o->cfg->clv_min_accounts, out, cap);
        break;
    case SF_CLV_NO_REPEAT:
        snprintf(out, cap, "%s", sf_pdf_label(o, "clv_no_repeat"));
        break;
    default:
        snprintf(out, cap, "%s", sf_pdf_label(o, "clv_not_finite"));
        break;
    }
}

bool sf_pdf_page_clv(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    const sf_clv_result *c = &o->rep->clv;
    char text[512];
    if (!c->fitted) {
        empty_reason(o, text, sizeof text);
        double y = box.y + 10;
        y += sf_chart_text_wrap(&d->ch, box.x, y, box.w, text, 12, sf_rgb_text, 3) + 12;
        sf_chart_text_wrap(&d->ch, box.x, y, box.w, sf_pdf_label(o, "clv_empty_note"), 10, sf_rgb_muted, 4);
        return true;
    }
    double notes = 30, half = (box.h - notes) / 2;
    char cap[200];
    sf_pdf_label_nm(o, "clv_top", o->cfg->clv_horizon_days, 0, cap, sizeof cap);
    sf_pdf_table(d, o, (sf_box){box.x, box.y, box.w, half - 8}, &top_table, owner, TOP_ROWS, cap);
    sf_box low = {box.x, box.y + half + 4, box.w, half - 4};
    bool ok = true;
    if (owner == SF_OWNER_ALL) {
        double rw = box.w * 0.32;
        ok = risk_table(d, o, (sf_box){low.x, low.y, low.w - rw - 20, low.h}, owner);
        ok = ok && risk_owners(d, o, (sf_box){low.x + low.w - rw, low.y, rw, low.h});
    } else {
        ok = risk_table(d, o, low, owner);
    }
    double y = box.y + box.h - notes + 4;
    y += sf_chart_text_wrap(&d->ch, box.x, y, box.w, sf_pdf_label(o, "clv_at_risk_rule"), 8, sf_rgb_muted, 1);
    model_note(o, text, sizeof text);
    sf_chart_text_wrap(&d->ch, box.x, y + 2, box.w, text, 8, sf_rgb_muted, 1);
    return ok;
}
