/*
 * pdf_tables.c - the tables report.pdf and the review pack share (see
 * sf_pdf_tables.h), each a list description with a column subset, and
 * the rep-KPI panels drawn from the rep_kpis list.
 *
 * The cells come from the list's row function, so a table shows what the
 * CSV list holds; only the wording is the PDF's (localised names and
 * numbers). One detail the list cannot give: the deal tables show the
 * account's name where the pipeline list has its id (fmt_deal_account).
 */
#include "output/sf_pdf_tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- cell wording ---- */

/* Copy s into a cell, cutting at a UTF-8 character boundary. */
static void cell_set(char *cell, const char *s)
{
    if (!s) {
        cell[0] = 0;
        return;
    }
    size_t n = strlen(s);
    if (n >= SF_PDF_CELL) {
        n = SF_PDF_CELL - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(cell, s, n);
    cell[n] = 0;
}

/* The label "<section><prefix><word>" of a word of a fixed vocabulary. */
static const char *word_label(const sf_output_ctx *o, const char *section, const char *prefix,
                              const char *word)
{
    char key[128];
    snprintf(key, sizeof key, "%s%s%s", section ? section : "pdf.", prefix ? prefix : "", word);
    return sf_lang_get(o->lang, key);
}

/* A bit set as the labels of its bits, ", "-joined in bit order. */
static void flags_text(const sf_pdf_row *r, const sf_column *c, int64_t bits, const char *section,
                       char *out)
{
    size_t w = 0;
    out[0] = 0;
    for (int i = 0; i < c->n_flags; i++) {
        if (!(bits & ((int64_t)1 << i)))
            continue;
        const char *label = word_label(r->o, section, c->label_prefix, c->flag_name(i));
        int n = snprintf(out + w, SF_PDF_CELL - w, "%s%s", w ? ", " : "", label);
        if (n < 0 || (size_t)n >= SF_PDF_CELL - w)
            break;
        w += (size_t)n;
    }
}

/* The default wording: the column's type in the language's formats. */
static void fmt_by_type(const sf_pdf_row *r, int col, const char *section, char *out)
{
    const sf_column *c = &r->l->cols[col];
    const sf_cell *v = &r->cells[col];
    const sf_lang *lang = r->o->lang;
    out[0] = 0;
    switch (c->type) {
    case SF_COL_TEXT:
        cell_set(out, c->label_prefix && v->text ? word_label(r->o, section, c->label_prefix, v->text)
                                                 : v->text);
        break;
    case SF_COL_INT:
        sf_lang_fmt_int(lang, v->v, out, SF_PDF_CELL);
        break;
    case SF_COL_MONEY:
        sf_lang_fmt_money(lang, v->v, 0, out, SF_PDF_CELL);
        break;
    case SF_COL_SHARE:
        sf_lang_fmt_pct(lang, v->v, 0, out, SF_PDF_CELL);
        break;
    case SF_COL_DECIMAL: /* e4 as a number with two decimals */
        if (v->v != SF_NONE)
            sf_lang_fmt_money(lang, sf_div_round(v->v, 100), 2, out, SF_PDF_CELL);
        break;
    case SF_COL_DATE:
        sf_lang_fmt_date(lang, (sf_date)v->v, out, SF_PDF_CELL);
        break;
    case SF_COL_TIER:
        cell_set(out, sf_pdf_tier_label(r->o, (sf_tier)v->v));
        break;
    case SF_COL_TEMP:
        cell_set(out, word_label(r->o, "common.", "temp_", sf_temp_name((sf_temp)v->v)));
        break;
    case SF_COL_FLAGS:
        flags_text(r, c, v->v, section, out);
        break;
    case SF_COL_PERCENT: /* v in ppm of a point: e4 of the fraction */
        if (v->v != SF_NONE)
            sf_lang_fmt_pct(lang, sf_div_round(v->v, 10000), 0, out, SF_PDF_CELL);
        break;
    case SF_COL_ANY: /* no table shows such a column */
        break;
    }
}

/* The row's owner as the reader knows it ("(unassigned)" in the
 * language, where the CSV list leaves the field empty). */
static void fmt_owner(const sf_pdf_row *r, int col, const char *section, char *out)
{
    (void)col;
    (void)section;
    cell_set(out, sf_pdf_owner_name(r->o, r->owner));
}

/* A date, "never" when empty (the last contact). */
static void fmt_date_or_never(const sf_pdf_row *r, int col, const char *section, char *out)
{
    if ((sf_date)r->cells[col].v == SF_NODATE)
        cell_set(out, sf_pdf_label(r->o, "never"));
    else
        fmt_by_type(r, col, section, out);
}

/* A word shown as the PDF's own label of that word, without the column's
 * prefix ("pdf.lost", which the declines chart's legend uses too). */
static void fmt_bare_word(const sf_pdf_row *r, int col, const char *section, char *out)
{
    (void)section;
    const char *w = r->cells[col].text;
    cell_set(out, w ? sf_pdf_label(r->o, w) : NULL);
}

/* The deal's account by name, its id when the account is unknown. The
 * pipeline list has only the id: the name comes from the pipeline row. */
static void fmt_deal_account(const sf_pdf_row *r, int col, const char *section, char *out)
{
    (void)section;
    const sf_dataset *ds = r->o->ds;
    const sf_opportunity *op = &ds->opps[r->o->rep->pipeline.rows[r->row].opp];
    cell_set(out, op->account != SF_NO_ACCOUNT ? ds->accounts[op->account].name : r->cells[col].text);
}

/* ---- the tables ---- */

static sf_rgb mark_tier(const sf_pdf_row *r)
{
    int c = sf_list_col(r->l, "tier");
    sf_tier t = c >= 0 ? (sf_tier)r->cells[c].v : SF_TIER_D;
    return sf_pdf_rgb_tier[(unsigned)t < SF_TIER_N ? t : SF_TIER_D];
}

/* The verdict of a pipeline row, from the name its list writes. */
static sf_verdict row_verdict(const sf_pdf_row *r)
{
    int c = sf_list_col(r->l, "verdict");
    const char *name = c >= 0 ? r->cells[c].text : NULL;
    for (int v = SF_VERDICT_PURSUE; name && v <= SF_VERDICT_DROP; v++)
        if (strcmp(name, sf_verdict_name((sf_verdict)v)) == 0)
            return (sf_verdict)v;
    return SF_VERDICT_DROP;
}

static sf_rgb mark_verdict(const sf_pdf_row *r)
{
    return sf_pdf_rgb_verdict[row_verdict(r)];
}

static bool keep_pursue(const sf_pdf_row *r)
{
    return row_verdict(r) == SF_VERDICT_PURSUE;
}

static const sf_pdf_col due_cols[] = {
    {"name", "col_account", 0.32, SF_AL_LEFT, NULL, NULL},
    {"owner", "col_owner", 0.18, SF_AL_LEFT, fmt_owner, NULL},
    {"tier", "col_tier", 0.06, SF_AL_CENTER, NULL, NULL},
    {"last_contact", "col_last_contact", 0.12, SF_AL_RIGHT, fmt_date_or_never, NULL},
    {"next_due", "col_next_due", 0.12, SF_AL_RIGHT, NULL, NULL},
    {"days_overdue", "col_overdue", 0.09, SF_AL_RIGHT, NULL, NULL},
    {"channel", "col_channel", 0.11, SF_AL_LEFT, NULL, NULL},
};
const sf_pdf_table_def sf_pdf_tab_due = {"cadence_due", due_cols, SF_ARRAY_LEN(due_cols), NULL,
                                         mark_tier};

static const sf_pdf_col decline_cols[] = {
    {"name", "col_account", 0.30, SF_AL_LEFT, NULL, NULL},
    {"owner", "col_owner", 0.17, SF_AL_LEFT, fmt_owner, NULL},
    {"tier", "col_tier", 0.05, SF_AL_CENTER, NULL, NULL},
    {"prior", "col_prior", 0.11, SF_AL_RIGHT, NULL, NULL},
    {"current", "col_current", 0.11, SF_AL_RIGHT, NULL, NULL},
    {"drop", "col_drop", 0.11, SF_AL_RIGHT, NULL, NULL},
    {"drop_share", "col_drop_share", 0.07, SF_AL_RIGHT, NULL, NULL},
    {"severity", "col_severity", 0.08, SF_AL_LEFT, fmt_bare_word, NULL},
};
const sf_pdf_table_def sf_pdf_tab_declines = {"decline_alerts", decline_cols,
                                              SF_ARRAY_LEN(decline_cols), NULL, NULL};

static const sf_pdf_col fire_cols[] = {
    {"name", "col_account", 0.24, SF_AL_LEFT, NULL, NULL},
    {"owner", "col_owner", 0.14, SF_AL_LEFT, fmt_owner, NULL},
    {"tier", "col_tier", 0.05, SF_AL_CENTER, NULL, NULL},
    {"rev12", "col_rev12", 0.10, SF_AL_RIGHT, NULL, NULL},
    {"margin12", "col_margin12", 0.10, SF_AL_RIGHT, NULL, NULL},
    {"cost12", "col_cost12", 0.09, SF_AL_RIGHT, NULL, NULL},
    {"net_value", "col_net", 0.10, SF_AL_RIGHT, NULL, NULL},
    {"reasons", "col_reasons", 0.18, SF_AL_LEFT, NULL, "pdf."},
};
const sf_pdf_table_def sf_pdf_tab_fire = {"fire_candidates", fire_cols, SF_ARRAY_LEN(fire_cols),
                                          NULL, NULL};

static const sf_pdf_col deal_cols[] = {
    {"opportunity_id", "col_opportunity", 0.11, SF_AL_LEFT, NULL, NULL},
    {"account_id", "col_account", 0.25, SF_AL_LEFT, fmt_deal_account, NULL},
    {"owner", "col_owner", 0.15, SF_AL_LEFT, fmt_owner, NULL},
    {"stage", "col_stage", 0.12, SF_AL_LEFT, NULL, NULL},
    {"amount", "col_amount", 0.10, SF_AL_RIGHT, NULL, NULL},
    {"probability", "col_probability", 0.08, SF_AL_RIGHT, NULL, NULL},
    {"next_step_date", "col_next_step", 0.10, SF_AL_RIGHT, NULL, NULL},
    {"verdict", "col_verdict", 0.09, SF_AL_LEFT, NULL, "common."},
};
const sf_pdf_table_def sf_pdf_tab_pursue = {"pipeline", deal_cols, SF_ARRAY_LEN(deal_cols),
                                            keep_pursue, mark_verdict};
const sf_pdf_table_def sf_pdf_tab_deals = {"pipeline", deal_cols, SF_ARRAY_LEN(deal_cols), NULL,
                                           mark_verdict};

/* ---- drawing a table ---- */

/* The cells of the rows shown, and what the table needs per column. */
typedef struct {
    char *text;            /* n_rows * n_cols cells of SF_PDF_CELL bytes */
    char **ptrs;
    sf_rgb *marks;
    const char **headers;
    double *widths;
    sf_align *align;
    int *col;              /* the list's column index of each table column */
    size_t n_cols, n_rows;
} cellbuf;

static void cells_free(cellbuf *b)
{
    free(b->text);
    free(b->ptrs);
    free(b->marks);
    free(b->headers);
    free(b->widths);
    free(b->align);
    free(b->col);
}

/* Room for rows rows of t; false on out of memory or when a column is not
 * in the list (a table out of step with its list). */
static bool cells_new(cellbuf *b, const sf_output_ctx *o, const sf_pdf_table_def *t,
                      const sf_list *l, size_t rows)
{
    size_t nc = t->n_cols, n = (rows ? rows : 1) * nc;
    memset(b, 0, sizeof *b);
    b->n_cols = nc;
    b->text = calloc(n, SF_PDF_CELL);
    b->ptrs = calloc(n, sizeof *b->ptrs);
    b->marks = calloc(rows ? rows : 1, sizeof *b->marks);
    b->headers = calloc(nc, sizeof *b->headers);
    b->widths = calloc(nc, sizeof *b->widths);
    b->align = calloc(nc, sizeof *b->align);
    b->col = calloc(nc, sizeof *b->col);
    bool ok = b->text && b->ptrs && b->marks && b->headers && b->widths && b->align && b->col;
    for (size_t i = 0; ok && i < n; i++)
        b->ptrs[i] = b->text + i * SF_PDF_CELL;
    for (size_t k = 0; ok && k < nc; k++) {
        b->col[k] = sf_list_col(l, t->cols[k].col);
        b->headers[k] = sf_pdf_label(o, t->cols[k].header);
        b->widths[k] = t->cols[k].width;
        b->align[k] = t->cols[k].align;
        ok = b->col[k] >= 0;
    }
    if (!ok)
        cells_free(b);
    return ok;
}

/* Caption "title — top N of M" above a table. */
static double caption(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, const char *title,
                      size_t shown, size_t total)
{
    char buf[160];
    sf_chart_text(&d->ch, box.x, box.y, box.w * 0.6, title, 11, true, SF_AL_LEFT, sf_rgb_text);
    if (total > 0) {
        sf_pdf_label_nm(o, "top_of", (int64_t)shown, (int64_t)total, buf, sizeof buf);
        sf_chart_text(&d->ch, box.x + box.w, box.y + 2, 0, buf, 8, false, SF_AL_RIGHT, sf_rgb_muted);
    }
    return 18;
}

static size_t rows_fit(sf_box box, size_t max_rows)
{
    double avail = box.h - 18 - 15; /* caption + header row */
    size_t fit = avail > 0 ? (size_t)(avail / 15) : 0;
    return fit < max_rows ? fit : max_rows;
}

/* Is row i one of the table's rows for owner? Fills r, and its cells when
 * the filter needs them or `fill`. */
static bool row_taken(const sf_pdf_table_def *t, sf_pdf_row *r, sf_cell *cells, size_t i,
                      uint32_t owner, bool fill)
{
    const sf_report *rep = r->o->rep;
    r->row = i;
    r->owner = r->l->owner(rep, i);
    if (owner != SF_OWNER_ALL && owner != r->owner)
        return false;
    if (fill || t->keep) {
        memset(cells, 0, SF_LIST_MAX_COLS * sizeof *cells);
        r->l->row(rep, i, cells);
    }
    return !t->keep || t->keep(r);
}

/* Fill cb with the first cb-capacity rows taken; returns how many. */
static size_t fill_rows(const sf_pdf_table_def *t, sf_pdf_row *r, cellbuf *cb, size_t show,
                        uint32_t owner)
{
    sf_cell cells[SF_LIST_MAX_COLS];
    size_t count = r->l->count(r->o->rep), k = 0;
    r->cells = cells;
    for (size_t i = 0; i < count && k < show; i++) {
        if (!row_taken(t, r, cells, i, owner, true))
            continue;
        for (size_t c = 0; c < cb->n_cols; c++) {
            sf_pdf_cell_fmt fmt = t->cols[c].fmt ? t->cols[c].fmt : fmt_by_type;
            fmt(r, cb->col[c], t->cols[c].section, cb->ptrs[k * cb->n_cols + c]);
        }
        if (t->mark)
            cb->marks[k] = t->mark(r);
        k++;
    }
    return k;
}

double sf_pdf_table(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, const sf_pdf_table_def *t,
                    uint32_t owner, size_t max_rows, const char *title)
{
    const sf_list *l = sf_list_find(t->list);
    size_t total = 0, count = l ? l->count(o->rep) : 0;
    sf_cell cells[SF_LIST_MAX_COLS];
    sf_pdf_row r = {.o = o, .l = l, .cells = cells};
    for (size_t i = 0; i < count; i++)
        total += row_taken(t, &r, cells, i, owner, false);
    size_t fit = rows_fit(box, max_rows), show = total < fit ? total : fit;
    double used = caption(d, o, box, title, show, total);
    cellbuf cb;
    if (!l || !cells_new(&cb, o, t, l, show))
        return used;
    cb.n_rows = fill_rows(t, &r, &cb, show, owner);
    box.y += used;
    box.h -= used;
    if (cb.n_rows == 0) {
        sf_box nb = {box.x, box.y, box.w, fmin(box.h, 40)};
        sf_chart_nothing(&d->ch, nb, sf_pdf_label(o, "nothing"));
        used += nb.h;
    } else {
        sf_table tb = {.headers = cb.headers, .widths = cb.widths, .align = cb.align,
                       .n_cols = cb.n_cols, .cells = cb.ptrs, .n_rows = cb.n_rows,
                       .row_mark = t->mark ? cb.marks : NULL};
        used += sf_chart_table(&d->ch, box, &tb);
    }
    cells_free(&cb);
    return used;
}

/* ---- KPI panels ---- */

/* The rep_kpis columns the panels show, in panel order, and those whose
 * sum weighs a rep (activity of any kind). */
static const char *const kpi_shown[4] = {"conv_to_appt", "calls_per_day", "close_ratio",
                                         "median_cycle_days"};
static const char *const kpi_weighed[5] = {"calls", "conversations", "won", "lost", "proposals"};

/* What the panels draw: m reps (categories), per panel p the values
 * val[p * n + j] and whether they are missing. */
typedef struct {
    size_t n, m, n_others;
    const char **cats;
    bool *hl, *miss;
    double *val;
} kpi_rows;

static void kpi_rows_free(kpi_rows *k)
{
    free(k->cats);
    free(k->hl);
    free(k->miss);
    free(k->val);
}

/* Pick the reps of the rep_kpis list l (the heaviest, highlight always)
 * and fill k. False on out of memory or a column missing from the list. */
static bool kpi_rows_build(const sf_output_ctx *o, const sf_list *l, uint32_t highlight, kpi_rows *k)
{
    int cw[5], cv[4];
    bool ok = true;
    for (int i = 0; i < 5; i++)
        ok = ok && (cw[i] = sf_list_col(l, kpi_weighed[i])) >= 0;
    for (int p = 0; p < 4; p++)
        ok = ok && (cv[p] = sf_list_col(l, kpi_shown[p])) >= 0;
    size_t n = k->n, force = SIZE_MAX;
    uint64_t *w = malloc(n * sizeof *w);
    size_t *sel = malloc(n * sizeof *sel);
    k->cats = malloc(n * sizeof *k->cats);
    k->hl = calloc(n, sizeof *k->hl);
    k->miss = calloc(4 * n, sizeof *k->miss);
    k->val = malloc(4 * n * sizeof *k->val);
    ok = ok && w && sel && k->cats && k->hl && k->miss && k->val;
    sf_cell c[SF_LIST_MAX_COLS];
    for (size_t i = 0; ok && i < n; i++) {
        memset(c, 0, sizeof c);
        l->row(o->rep, i, c);
        double weight = 0;
        for (int j = 0; j < 5; j++)
            weight += (double)c[cw[j]].v;
        w[i] = (uint64_t)weight;
        if (l->owner(o->rep, i) == highlight)
            force = i;
    }
    if (ok) {
        k->m = sf_pdf_pick(w, n, SF_PDF_MAX_OWNERS, force, false, sel, &k->n_others);
        ok = k->m != SIZE_MAX;
    }
    for (size_t j = 0; ok && j < k->m; j++) {
        uint32_t owner = l->owner(o->rep, sel[j]);
        memset(c, 0, sizeof c);
        l->row(o->rep, sel[j], c);
        k->cats[j] = sf_pdf_owner_name(o, owner);
        k->hl[j] = owner == highlight;
        for (int p = 0; p < 4; p++) {
            int64_t v = c[cv[p]].v;
            k->miss[(size_t)p * n + j] = v == SF_NONE;
            k->val[(size_t)p * n + j] = v == SF_NONE ? 0 : (double)v;
        }
    }
    free(w);
    free(sel);
    return ok;
}

/* The four panels of k in a 2 x 2 grid, each against its benchmark. */
static void kpi_draw(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, const kpi_rows *k)
{
    const sf_config *cfg = o->cfg;
    sf_chart *c = &d->ch;
    size_t n = k->n;
    double gw = (box.w - 20) / 2, gh = (box.h - 16) / 2;
    char band[96], lo[32], hi[32], quota[64], cyc[64];
    sf_lang_fmt_pct(o->lang, cfg->conv_to_appt_low / 100, 0, lo, sizeof lo);
    sf_lang_fmt_pct(o->lang, cfg->conv_to_appt_high / 100, 0, hi, sizeof hi);
    snprintf(band, sizeof band, "%s %s–%s", sf_pdf_label(o, "kpi_band"), lo, hi);
    sf_pdf_label_nm(o, "kpi_quota", cfg->daily_call_quota, 0, quota, sizeof quota);
    sf_pdf_label_nm(o, "kpi_team_cycle", o->rep->pipeline.avg_cycle_days, 0, cyc, sizeof cyc);
    static const char *const titles[4] = {"kpi_conv", "kpi_calls", "kpi_close", "kpi_cycle"};
    static const sf_rgb colors[4] = {{0.13, 0.35, 0.62}, {0.30, 0.58, 0.80},
                                     {0.18, 0.60, 0.30}, {0.45, 0.45, 0.55}};
    for (int p = 0; p < 4; p++) {
        sf_box b = {box.x + (p % 2) * (gw + 20), box.y + (p / 2) * (gh + 16), gw, gh};
        sf_chart_text(c, b.x, b.y, b.w, sf_pdf_label(o, titles[p]), 10, true, SF_AL_LEFT,
                      sf_rgb_text);
        b.y += 26;
        b.h -= 26;
        sf_bars bars = {.cats = k->cats, .n_cats = k->m, .values = k->val + (size_t)p * n,
                        .n_series = 1, .colors = &colors[p], .horizontal = true,
                        .value_labels = true, .band_lo = NAN, .band_hi = NAN, .ref = NAN,
                        .highlight = k->hl, .missing = k->miss + (size_t)p * n};
        switch (p) {
        case 0:
            bars.fmt = sf_chart_fmt_pct;
            bars.band_lo = (double)cfg->conv_to_appt_low / 100.0;
            bars.band_hi = (double)cfg->conv_to_appt_high / 100.0;
            bars.band_label = band;
            break;
        case 1:
            bars.fmt = sf_chart_fmt_dec1;
            bars.ref = (double)cfg->daily_call_quota * SF_E4;
            bars.ref_label = quota;
            break;
        case 2:
            bars.fmt = sf_chart_fmt_pct;
            break;
        default:
            bars.fmt = sf_chart_fmt_count;
            if (o->ds->have_opportunities) {
                bars.ref = (double)o->rep->pipeline.avg_cycle_days;
                bars.ref_label = cyc;
            }
            break;
        }
        sf_chart_bars(c, b, &bars);
    }
    if (k->n_others) {
        char note[128];
        sf_pdf_label_nm(o, "showing_reps", (int64_t)k->m, (int64_t)(k->m + k->n_others), note,
                        sizeof note);
        sf_chart_text(c, box.x, box.y + box.h - 2, box.w, note, 7, false, SF_AL_LEFT, sf_rgb_muted);
    }
}

bool sf_pdf_kpi_panels(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t highlight)
{
    sf_chart *c = &d->ch;
    sf_box none = {box.x, box.y, box.w, 40};
    if (!o->ds->have_activities && !o->ds->have_opportunities) {
        sf_chart_nothing(c, none, sf_pdf_label(o, "no_kpi_inputs"));
        return true;
    }
    const sf_list *l = sf_list_find("rep_kpis");
    kpi_rows k = {.n = l ? l->count(o->rep) : 0};
    if (k.n == 0) {
        sf_chart_nothing(c, none, sf_pdf_label(o, "nothing"));
        return l != NULL;
    }
    bool ok = kpi_rows_build(o, l, highlight, &k);
    if (ok && k.m == 0)
        sf_chart_nothing(c, none, sf_pdf_label(o, "nothing"));
    else if (ok)
        kpi_draw(d, o, box, &k);
    kpi_rows_free(&k);
    return ok;
}
