/*
 * pdf_tables.c - the tables report.pdf and the review pack share (see
 * sf_pdf_tables.h), each a list description with a column subset, and the
 * flows that lay such tables out over as many pages as they need.
 *
 * The cells come from the list's row function, so a table shows what the
 * list holds (its sheet-only columns too: the deal's and the account's
 * names beside the pipeline's ids); only the wording is the PDF's
 * (localised names and numbers, "due in 5 days" for a days_overdue of -5,
 * a net credit instead of a drop beyond 100 %). Column widths come from the content (draw/sf_table.h):
 * long texts wrap and the row grows, nothing is cut.
 */
#include "output/sf_pdf_tables.h"
#include "output/sf_owner_rows.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw/sf_table.h"

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

/* A bit set as the labels of its bits, ", "-joined in bit order, after
 * what out already holds. */
static void flags_text(const sf_pdf_row *r, const sf_column *c, int64_t bits, const char *section,
                       char *out)
{
    size_t w = strlen(out);
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
        if (v->v != SF_NONE)
            sf_lang_fmt_int(lang, v->v, out, SF_PDF_CELL);
        break;
    case SF_COL_MONEY:
        if (v->v != SF_NONE)
            sf_lang_fmt_money(lang, v->v, 0, out, SF_PDF_CELL);
        break;
    case SF_COL_SHARE:
        if (v->v != SF_NONE)
            sf_lang_fmt_pct(lang, v->v, 0, out, SF_PDF_CELL);
        break;
    case SF_COL_DECIMAL: /* e4 as a number with two decimals */
    case SF_COL_RATIO:
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

/* days_overdue in words: "3 days overdue", "due today", "due in 5 days"
 * (the list's -5), with the language's plural forms. */
static void fmt_due_days(const sf_pdf_row *r, int col, const char *section, char *out)
{
    (void)section;
    int64_t d = r->cells[col].v;
    if (d == SF_NONE)
        out[0] = 0;
    else if (d == 0)
        cell_set(out, sf_pdf_label(r->o, "due_today"));
    else
        sf_pdf_label_nm(r->o, d > 0 ? "days_overdue" : "due_in_days", d > 0 ? d : -d, 0, out,
                        SF_PDF_CELL);
}

/* The current period of a decline: a negative figure (credit notes above
 * the sales) is a net credit, said so. */
static void fmt_decline_current(const sf_pdf_row *r, int col, const char *section, char *out)
{
    int64_t v = r->cells[col].v;
    if (v == SF_NONE || v >= 0) {
        fmt_by_type(r, col, section, out);
        return;
    }
    char num[64];
    sf_lang_fmt_money(r->o->lang, v, 0, num, sizeof num);
    snprintf(out, SF_PDF_CELL, "%s %s", sf_pdf_label(r->o, "net_credit"), num);
}

/* The drop share, left out where the current period is a net credit: a
 * drop of 196 % says less than "lost, net credit". */
static void fmt_decline_share(const sf_pdf_row *r, int col, const char *section, char *out)
{
    int cur = sf_list_col(r->l, "current");
    if (cur >= 0 && r->cells[cur].v != SF_NONE && r->cells[cur].v < 0)
        cell_set(out, "—");
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

/* The deal's account by name (the list's sheet-only account_name), its
 * id when the account is unknown. */
static void fmt_deal_account(const sf_pdf_row *r, int col, const char *section, char *out)
{
    (void)section;
    int n = sf_list_col(r->l, "account_name");
    const char *name = n >= 0 ? r->cells[n].text : NULL;
    cell_set(out, name && *name ? name : r->cells[col].text);
}

/* Both filters' misses of a deal ("industry, no next step"), the labels
 * "pdf.miss_<name>": what explains its verdict. */
static void fmt_misses(const sf_pdf_row *r, int col, const char *section, char *out)
{
    (void)col;
    out[0] = 0;
    static const char *const cols[2] = {"filter1_misses", "filter2_misses"};
    for (int i = 0; i < 2; i++) {
        int c = sf_list_col(r->l, cols[i]);
        if (c >= 0)
            flags_text(r, &r->l->cols[c], r->cells[c].v, section, out);
    }
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

/* column, header, wraps, alignment, wording, section of its words */
static const sf_pdf_col due_cols[] = {
    {"name", "col_account", true, SF_AL_LEFT, NULL, NULL},
    {"owner", "col_owner", true, SF_AL_LEFT, fmt_owner, NULL},
    {"tier", "col_tier", false, SF_AL_CENTER, NULL, NULL},
    {"last_contact", "col_last_contact", false, SF_AL_RIGHT, fmt_date_or_never, NULL},
    {"next_due", "col_next_due", false, SF_AL_RIGHT, NULL, NULL},
    {"days_overdue", "col_overdue", false, SF_AL_RIGHT, fmt_due_days, NULL},
    {"channel", "col_channel", true, SF_AL_LEFT, NULL, NULL},
};
const sf_pdf_table_def sf_pdf_tab_due = {"cadence_due", due_cols, SF_ARRAY_LEN(due_cols), NULL,
                                         mark_tier};

static const sf_pdf_col decline_cols[] = {
    {"name", "col_account", true, SF_AL_LEFT, NULL, NULL},
    {"owner", "col_owner", true, SF_AL_LEFT, fmt_owner, NULL},
    {"tier", "col_tier", false, SF_AL_CENTER, NULL, NULL},
    {"prior", "col_prior", false, SF_AL_RIGHT, NULL, NULL},
    {"current", "col_current", true, SF_AL_RIGHT, fmt_decline_current, NULL},
    {"drop", "col_drop", false, SF_AL_RIGHT, NULL, NULL},
    {"drop_share", "col_drop_share", false, SF_AL_RIGHT, fmt_decline_share, NULL},
    {"severity", "col_severity", false, SF_AL_LEFT, fmt_bare_word, NULL},
};
const sf_pdf_table_def sf_pdf_tab_declines = {"decline_alerts", decline_cols,
                                              SF_ARRAY_LEN(decline_cols), NULL, NULL};

static const sf_pdf_col fire_cols[] = {
    {"name", "col_account", true, SF_AL_LEFT, NULL, NULL},
    {"owner", "col_owner", true, SF_AL_LEFT, fmt_owner, NULL},
    {"tier", "col_tier", false, SF_AL_CENTER, NULL, NULL},
    {"rev12", "col_rev12", false, SF_AL_RIGHT, NULL, NULL},
    {"margin12", "col_margin12", false, SF_AL_RIGHT, NULL, NULL},
    {"cost12", "col_cost12", false, SF_AL_RIGHT, NULL, NULL},
    {"net_value", "col_net", false, SF_AL_RIGHT, NULL, NULL},
    {"reasons", "col_reasons", true, SF_AL_LEFT, NULL, "pdf."},
};
const sf_pdf_table_def sf_pdf_tab_fire = {"fire_candidates", fire_cols, SF_ARRAY_LEN(fire_cols),
                                          NULL, NULL};

/* The deals to pursue pass both filters: no misses to show. */
static const sf_pdf_col pursue_cols[] = {
    {"opportunity_id", "col_opportunity", false, SF_AL_LEFT, NULL, NULL}, /* an id stays whole */
    {"deal_name", "col_deal", true, SF_AL_LEFT, NULL, NULL},
    {"account_id", "col_account", true, SF_AL_LEFT, fmt_deal_account, NULL},
    {"owner", "col_owner", true, SF_AL_LEFT, fmt_owner, NULL},
    {"stage", "col_stage", true, SF_AL_LEFT, NULL, NULL},
    {"amount", "col_amount", false, SF_AL_RIGHT, NULL, NULL},
    {"probability", "col_probability", false, SF_AL_RIGHT, NULL, NULL},
    {"next_step_date", "col_next_step", false, SF_AL_RIGHT, NULL, NULL},
    {"verdict", "col_verdict", false, SF_AL_LEFT, NULL, "common."},
};
const sf_pdf_table_def sf_pdf_tab_pursue = {"pipeline", pursue_cols, SF_ARRAY_LEN(pursue_cols),
                                            keep_pursue, mark_verdict};

/* Every open deal: the misses beside the verdict they explain. */
static const sf_pdf_col deal_cols[] = {
    {"opportunity_id", "col_opportunity", false, SF_AL_LEFT, NULL, NULL}, /* an id stays whole */
    {"deal_name", "col_deal", true, SF_AL_LEFT, NULL, NULL},
    {"account_id", "col_account", true, SF_AL_LEFT, fmt_deal_account, NULL},
    {"owner", "col_owner", true, SF_AL_LEFT, fmt_owner, NULL},
    {"stage", "col_stage", true, SF_AL_LEFT, NULL, NULL},
    {"amount", "col_amount", false, SF_AL_RIGHT, NULL, NULL},
    {"probability", "col_probability", false, SF_AL_RIGHT, NULL, NULL},
    {"next_step_date", "col_next_step", false, SF_AL_RIGHT, NULL, NULL},
    {"verdict", "col_verdict", false, SF_AL_LEFT, NULL, "common."},
    {"filter1_misses", "col_misses", true, SF_AL_LEFT, fmt_misses, "pdf."},
};
const sf_pdf_table_def sf_pdf_tab_deals = {"pipeline", deal_cols, SF_ARRAY_LEN(deal_cols), NULL,
                                           mark_verdict};

/* ---- the cells of a table ---- */

/* The cells of the rows shown, and what the table needs per column. */
typedef struct {
    char *text;            /* n_rows * n_cols cells of SF_PDF_CELL bytes */
    char **ptrs;
    sf_rgb *marks;
    const char **headers;
    sf_align *align;
    bool *wrap;
    int *col;              /* the list's column index of each table column */
    const sf_pdf_col **def; /* each table column's definition */
    size_t n_cols, n_rows;
} cellbuf;

static void cells_free(cellbuf *b)
{
    free(b->text);
    free(b->ptrs);
    free(b->marks);
    free(b->headers);
    free(b->align);
    free(b->wrap);
    free(b->col);
    free(b->def);
    memset(b, 0, sizeof *b);
}

/* A page of one owner's rows leaves the owner column out. */
static bool col_shown(const sf_pdf_col *c, uint32_t owner)
{
    return owner == SF_OWNER_ALL || strcmp(c->col, "owner") != 0;
}

/* Room for rows rows of t for owner; false on out of memory or when a
 * column is not in the list (a table out of step with its list). */
static bool cells_new(cellbuf *b, const sf_output_ctx *o, const sf_pdf_table_def *t,
                      const sf_list *l, size_t rows, uint32_t owner)
{
    size_t nc = 0;
    for (size_t k = 0; k < t->n_cols; k++)
        nc += col_shown(&t->cols[k], owner);
    size_t n = (rows ? rows : 1) * (nc ? nc : 1);
    memset(b, 0, sizeof *b);
    b->n_cols = nc;
    b->text = calloc(n, SF_PDF_CELL);
    b->ptrs = calloc(n, sizeof *b->ptrs);
    b->marks = calloc(rows ? rows : 1, sizeof *b->marks);
    b->headers = calloc(t->n_cols, sizeof *b->headers);
    b->align = calloc(t->n_cols, sizeof *b->align);
    b->wrap = calloc(t->n_cols, sizeof *b->wrap);
    b->col = calloc(t->n_cols, sizeof *b->col);
    b->def = calloc(t->n_cols, sizeof *b->def);
    bool ok = b->text && b->ptrs && b->marks && b->headers && b->align && b->wrap && b->col && b->def;
    for (size_t i = 0; ok && i < n; i++)
        b->ptrs[i] = b->text + i * SF_PDF_CELL;
    for (size_t k = 0, j = 0; ok && k < t->n_cols; k++) {
        if (!col_shown(&t->cols[k], owner))
            continue;
        b->def[j] = &t->cols[k];
        b->col[j] = sf_list_col(l, t->cols[k].col);
        b->headers[j] = sf_pdf_label(o, t->cols[k].header);
        b->align[j] = t->cols[k].align;
        b->wrap[j] = t->cols[k].wrap;
        ok = b->col[j] >= 0;
        j++;
    }
    if (!ok)
        cells_free(b);
    return ok;
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
    if (!r->l->row)
        return false; /* a list read back from disk (the rejects) has no PDF table */
    if (fill || t->keep) {
        memset(cells, 0, SF_LIST_MAX_COLS * sizeof *cells);
        r->l->row(rep, i, cells);
    }
    return !t->keep || t->keep(r);
}

/* The rows of the list to visit for owner: rows[0 .. *n) when the owner
 * index has them (each of owner's rows, in order), else NULL and every
 * row 0 .. *n of the list. */
static const uint32_t *rows_to_visit(const sf_pdf_row *r, uint32_t owner, size_t *n)
{
    const uint32_t *rows = sf_owner_rows_of(r->o->by_owner, r->l, owner, n);
    if (!rows)
        *n = r->l ? r->l->count(r->o->rep) : 0;
    return rows;
}

/* Fill cb with the first `show` rows taken; returns how many. */
static size_t fill_rows(const sf_pdf_table_def *t, sf_pdf_row *r, cellbuf *cb, size_t show,
                        uint32_t owner)
{
    sf_cell cells[SF_LIST_MAX_COLS];
    size_t count, k = 0;
    const uint32_t *rows = rows_to_visit(r, owner, &count);
    r->cells = cells;
    for (size_t j = 0; j < count && k < show; j++) {
        if (!row_taken(t, r, cells, rows ? rows[j] : j, owner, true))
            continue;
        for (size_t c = 0; c < cb->n_cols; c++) {
            sf_pdf_cell_fmt fmt = cb->def[c]->fmt ? cb->def[c]->fmt : fmt_by_type;
            fmt(r, cb->col[c], cb->def[c]->section, cb->ptrs[k * cb->n_cols + c]);
        }
        if (t->mark)
            cb->marks[k] = t->mark(r);
        k++;
    }
    return k;
}

/* The rows of t for owner counted (total) and the first `max` of them
 * worded into cb. False on out of memory. */
static bool table_cells(const sf_output_ctx *o, const sf_pdf_table_def *t, uint32_t owner,
                        size_t max, cellbuf *cb, size_t *total)
{
    const sf_list *l = sf_list_find(t->list);
    sf_cell cells[SF_LIST_MAX_COLS];
    sf_pdf_row r = {.o = o, .l = l, .cells = cells};
    size_t count;
    const uint32_t *rows = rows_to_visit(&r, owner, &count);
    *total = 0;
    for (size_t j = 0; j < count; j++)
        *total += row_taken(t, &r, cells, rows ? rows[j] : j, owner, false);
    size_t show = *total < max ? *total : max;
    if (!l || !cells_new(cb, o, t, l, show, owner))
        return false;
    cb->n_rows = fill_rows(t, &r, cb, show, owner);
    return true;
}

static sf_table table_of(const sf_pdf_table_def *t, const cellbuf *cb)
{
    return (sf_table){.headers = cb->headers, .align = cb->align, .wrap = cb->wrap,
                      .n_cols = cb->n_cols, .cells = cb->ptrs, .n_rows = cb->n_rows,
                      .row_mark = t->mark ? cb->marks : NULL};
}

/* ---- captions ---- */

#define CAPTION_H 18.0
#define NOTHING_H 40.0
#define FLOW_GAP 16.0

/* Caption "title" left and "top N of M" / "all M" right; part > 0 adds
 * "continued" to the title. */
static void caption(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, const char *title,
                    size_t shown, size_t total, bool continued)
{
    char buf[192], head[256];
    if (continued) {
        snprintf(head, sizeof head, "%s (%s)", title, sf_pdf_label(o, "continued"));
        title = head;
    }
    sf_chart_text(&d->ch, box.x, box.y, box.w * 0.7, title, 11, true, SF_AL_LEFT, sf_rgb_text);
    if (total > 0) {
        if (shown < total)
            sf_pdf_label_nm(o, "top_of", (int64_t)shown, (int64_t)total, buf, sizeof buf);
        else
            sf_pdf_label_nm(o, "all_of", (int64_t)total, 0, buf, sizeof buf);
        sf_chart_text(&d->ch, box.x + box.w, box.y + 2, 0, buf, 8, false, SF_AL_RIGHT, sf_rgb_muted);
    }
}

double sf_pdf_table(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, const sf_pdf_table_def *t,
                    uint32_t owner, size_t max_rows, const char *title)
{
    cellbuf cb;
    size_t total = 0;
    if (!table_cells(o, t, owner, max_rows, &cb, &total)) {
        caption(d, o, box, title, 0, total, false);
        return CAPTION_H;
    }
    sf_table tb = table_of(t, &cb);
    sf_table_layout lay;
    size_t to = 0;
    if (cb.n_rows > 0 && sf_table_layout_new(&d->ch, box.w, &tb, &lay)) {
        double h = CAPTION_H + lay.head_h;
        while (to < cb.n_rows && h + lay.row_h[to] <= box.h + 1e-6)
            h += lay.row_h[to++];
        caption(d, o, box, title, to, total, false);
        double used = CAPTION_H + sf_table_draw(&d->ch, box.x, box.y + CAPTION_H, &tb, &lay, 0, to);
        sf_table_layout_free(&lay);
        cells_free(&cb);
        return used;
    }
    caption(d, o, box, title, 0, total, false);
    double nh = fmin(box.h - CAPTION_H, NOTHING_H);
    if (cb.n_rows == 0)
        sf_chart_nothing(&d->ch, (sf_box){box.x, box.y + CAPTION_H, box.w, nh},
                         sf_pdf_label(o, "nothing"));
    cells_free(&cb);
    return CAPTION_H + nh;
}

/* ---- flows: tables that continue on the next pages ---- */

/* One table of a flow, worded and laid out. */
typedef struct {
    const sf_pdf_flow_item *item;
    bool absent;           /* its input is missing: a note instead */
    cellbuf cb;
    sf_table tb;
    sf_table_layout lay;
    size_t total;
} flow_table;

/* A piece of a table on a part (page): caption, header and rows [from, to). */
typedef struct {
    int part;
    size_t table;
    size_t from, to;
    double y;              /* from the top of the content box */
    bool continued;
} flow_slice;

struct sf_pdf_flow {
    const sf_output_ctx *o;
    flow_table *t;
    size_t n;
    flow_slice *s;
    size_t n_s, cap_s;
    int parts;
};

void sf_pdf_flow_free(sf_pdf_flow *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        sf_table_layout_free(&f->t[i].lay);
        cells_free(&f->t[i].cb);
    }
    free(f->t);
    free(f->s);
    free(f);
}

static bool slice_add(sf_pdf_flow *f, flow_slice s)
{
    if (f->n_s == f->cap_s) {
        size_t cap = f->cap_s ? 2 * f->cap_s : 8;
        flow_slice *v = realloc(f->s, cap * sizeof *v);
        if (!v)
            return false;
        f->s = v;
        f->cap_s = cap;
    }
    f->s[f->n_s++] = s;
    if (s.part + 1 > f->parts)
        f->parts = s.part + 1;
    return true;
}

/* Cut table i into slices from (*part, *y) on, starting a new part when
 * the next row does not fit; a table always starts with its caption,
 * header and first row together. */
static bool flow_cut(sf_pdf_flow *f, size_t i, double h, int *part, double *y)
{
    flow_table *ft = &f->t[i];
    size_t n = ft->cb.n_rows;
    double first = CAPTION_H + (n && !ft->absent ? ft->lay.head_h + ft->lay.row_h[0] : NOTHING_H);
    if (*y > 0 && *y + FLOW_GAP + first > h) {
        (*part)++;
        *y = 0;
    } else if (*y > 0) {
        *y += FLOW_GAP;
    }
    if (ft->absent || n == 0) {
        flow_slice s = {*part, i, 0, 0, *y, false};
        *y += CAPTION_H + NOTHING_H;
        return slice_add(f, s);
    }
    size_t from = 0;
    while (from < n) {
        double top = *y, used = CAPTION_H + ft->lay.head_h;
        size_t to = from;
        while (to < n && (to == from || top + used + ft->lay.row_h[to] <= h + 1e-6))
            used += ft->lay.row_h[to++];
        if (!slice_add(f, (flow_slice){*part, i, from, to, top, from > 0}))
            return false;
        *y = top + used;
        from = to;
        if (from < n) {
            (*part)++;
            *y = 0;
        }
    }
    return true;
}

sf_pdf_flow *sf_pdf_flow_plan(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box,
                              const sf_pdf_flow_item *items, size_t n, uint32_t owner, int *n_parts)
{
    sf_pdf_flow *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->o = o;
    f->t = calloc(n ? n : 1, sizeof *f->t);
    bool ok = f->t != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        flow_table *ft = &f->t[i];
        f->n = i + 1;
        ft->item = &items[i];
        ft->absent = items[i].absent && items[i].absent(o);
        if (ft->absent)
            continue;
        size_t max_rows = items[i].max_rows;
        if (max_rows == SF_PDF_ROWS_REVIEW)
            max_rows = o->cfg->review_max_rows > 0 ? (size_t)o->cfg->review_max_rows : SIZE_MAX;
        ok = table_cells(o, items[i].table, owner, max_rows, &ft->cb, &ft->total);
        ft->tb = table_of(items[i].table, &ft->cb);
        if (ok && ft->cb.n_rows > 0)
            ok = sf_table_layout_new(&d->ch, box.w, &ft->tb, &ft->lay);
    }
    int part = 0;
    double y = 0;
    for (size_t i = 0; ok && i < n; i++)
        ok = flow_cut(f, i, box.h, &part, &y);
    if (!ok) {
        sf_pdf_flow_free(f);
        return NULL;
    }
    *n_parts = f->parts ? f->parts : 1;
    return f;
}

void sf_pdf_flow_draw(sf_pdf_doc *d, const sf_pdf_flow *f, sf_box box, int part)
{
    const sf_output_ctx *o = f->o;
    for (size_t k = 0; k < f->n_s; k++) {
        const flow_slice *s = &f->s[k];
        if (s->part != part)
            continue;
        const flow_table *ft = &f->t[s->table];
        sf_box b = {box.x, box.y + s->y, box.w, box.h - s->y};
        const char *title = sf_pdf_label(o, ft->item->caption);
        if (ft->absent) {
            caption(d, o, b, title, 0, 0, false);
            sf_chart_nothing(&d->ch, (sf_box){b.x, b.y + CAPTION_H, b.w, NOTHING_H},
                             sf_pdf_label(o, ft->item->absent_note));
            continue;
        }
        caption(d, o, b, title, ft->cb.n_rows, ft->total, s->continued);
        if (ft->cb.n_rows == 0)
            sf_chart_nothing(&d->ch, (sf_box){b.x, b.y + CAPTION_H, b.w, NOTHING_H},
                             sf_pdf_label(o, "nothing"));
        else
            sf_table_draw(&d->ch, b.x, b.y + CAPTION_H, &ft->tb, &ft->lay, s->from, s->to);
    }
}
