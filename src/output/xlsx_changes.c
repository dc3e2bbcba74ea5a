/*
 * xlsx_changes.c - the workbook's Changes sheet (SPEC §7, with the history
 * on): since when, whether the rules changed, the tier migration matrix
 * (accounts, then revenue now; a move up green, down red, the same tier
 * plain) and below it the changes list with its cells typed by change
 * kind (tiers coloured, money, dates, days) in an Excel table named
 * "changes"; set up to print. The CSV lists changes.csv and
 * tier_migration.csv are the same numbers.
 */
#include <stdio.h>
#include <string.h>

#include "output/sf_xlsx.h"

#define COL_FROM 5 /* from, to, delta: columns 5, 6, 7 of changes.csv */

typedef struct {
    lxw_format *up, *down, *same;         /* counts */
    lxw_format *up_m, *down_m, *same_m;   /* money */
} move_formats;

static lxw_format *fill_format(xl *x, uint32_t bg, const char *num)
{
    lxw_format *f = workbook_add_format(x->wb);
    if (!f) {
        x->nomem = true;
        return NULL;
    }
    format_set_bg_color(f, bg);
    format_set_num_format(f, num);
    return f;
}

static void move_formats_init(xl *x, move_formats *m)
{
    m->up = fill_format(x, 0xC6EFCE, "0");
    m->down = fill_format(x, 0xFFC7CE, "0");
    m->same = fill_format(x, 0xF2F2F2, "0");
    m->up_m = fill_format(x, 0xC6EFCE, x->money_fmt);
    m->down_m = fill_format(x, 0xFFC7CE, x->money_fmt);
    m->same_m = fill_format(x, 0xF2F2F2, x->money_fmt);
}

/* One 4 x 4 matrix under a section line: rows the tier then, columns the
 * tier now. Returns the next free row. */
static lxw_row_t matrix(xl *x, xl_sheet *sh, lxw_row_t r, const char *title_key, bool money,
                        const move_formats *m)
{
    const sf_history_result *h = &x->o->rep->history;
    xl_cell_str(x, sh, r++, 0, xl_label(x, title_key), x->f.section);
    xl_cell_str(x, sh, r, 0, xl_label(x, "migration_corner"), x->f.hdr);
    for (int t = 0; t < SF_TIER_N; t++)
        xl_cell_str(x, sh, r, 1 + t, sf_tier_name((sf_tier)t), x->f.tier[t]);
    r++;
    for (int from = 0; from < SF_TIER_N; from++, r++) {
        xl_cell_str(x, sh, r, 0, sf_tier_name((sf_tier)from), x->f.tier[from]);
        for (int to = 0; to < SF_TIER_N; to++) {
            bool up = to < from, down = to > from;
            if (money)
                xl_cell_money(x, sh, r, 1 + to, h->migration_rev12[from][to],
                              up ? m->up_m : down ? m->down_m : m->same_m);
            else
                xl_cell_int(x, sh, r, 1 + to, h->migration[from][to], up ? m->up : down ? m->down : m->same);
        }
    }
    return r + 1;
}

/* from, to (which = 0, 1) or delta (2) of a change row, typed. */
static void value_cell(xl *x, xl_sheet *sh, lxw_row_t r, int c, const sf_change_row *row, int which)
{
    sf_change_kind k = (sf_change_kind)row->kind;
    sf_change_value t = which == 2 ? sf_change_delta_type(k) : sf_change_from_type(k);
    int64_t v = which == 0 ? row->from : which == 1 ? row->to : row->delta;
    switch (t) {
    case SF_CHV_TIER:
        if (v != SF_NONE && v >= 0 && v < SF_TIER_N)
            xl_cell_str(x, sh, r, c, sf_tier_name((sf_tier)v), x->f.tier[v]);
        break;
    case SF_CHV_TEMP:
        if (v != SF_NONE && v >= 0 && v < 3)
            xl_cell_str(x, sh, r, c, sf_temp_name((sf_temp)v), x->f.temp[v]);
        break;
    case SF_CHV_MONEY:
        xl_cell_money(x, sh, r, c, v, NULL);
        break;
    case SF_CHV_DATE:
        xl_cell_date(x, sh, r, c, v == SF_NONE ? SF_NODATE : (sf_date)v);
        break;
    case SF_CHV_DAYS:
        xl_cell_int(x, sh, r, c, v, x->f.integer);
        break;
    case SF_CHV_TEXT: {
        /* the stages as given */
        const char *s = which == 1 ? row->to_text : which == 0 ? row->from_text : NULL;
        if (s && *s)
            xl_cell_str(x, sh, r, c, s, NULL);
        break;
    }
    case SF_CHV_REORDER:
        /* the status word, as in the CSV */
        if (row->cell[which][0])
            xl_cell_str(x, sh, r, c, row->cell[which], NULL);
        break;
    case SF_CHV_NONE:
        break;
    }
}

/* The Excel table "changes" over the header at row r and the n rows below
 * it (a blank one when there are none), as every list has (xlsx_look.c):
 * added while the header row is still the current one. */
static void excel_table(xl *x, xl_sheet *sh, const sf_list *l, const char *const *headers, lxw_row_t r, size_t n)
{
    lxw_table_column cols[SF_LIST_MAX_COLS];
    lxw_table_column *ptrs[SF_LIST_MAX_COLS + 1];
    memset(cols, 0, sizeof cols);
    for (int c = 0; c < l->n_cols; c++) {
        cols[c].header = (char *)headers[c];
        cols[c].header_format = x->f.hdr;
        ptrs[c] = &cols[c];
    }
    ptrs[l->n_cols] = NULL;
    lxw_table_options opt = {.name = (char *)l->name, .style_type = LXW_TABLE_STYLE_TYPE_LIGHT,
                             .style_type_number = 9, .columns = ptrs};
    uint8_t optimize = sh->ws->optimize;
    sh->ws->optimize = LXW_FALSE; /* see xl_list_table */
    lxw_error e = worksheet_add_table(sh->ws, r, 0, (lxw_row_t)(r + (n ? n : 1)), (lxw_col_t)(l->n_cols - 1), &opt);
    sh->ws->optimize = optimize;
    xl_check(x, e, "Excel table");
}

/* The changes list from row r: its header (localised, bold) and table,
 * then a row per change. */
static void changes_table(xl *x, xl_sheet *sh, lxw_row_t r)
{
    const sf_list *l = &sf_list_changes;
    const sf_report *rep = x->o->rep;
    const char *headers[SF_LIST_MAX_COLS];
    for (int c = 0; c < l->n_cols; c++) {
        headers[c] = xl_col_label(x, l->name, l->cols[c].name);
        xl_cell_str(x, sh, r, c, headers[c], x->f.hdr);
        sh->width[c] += 2; /* the filter's button */
    }
    size_t n = l->count(rep);
    excel_table(x, sh, l, headers, r, n);
    /* tens of thousands of rows on a busy week: the fast row writer */
    xl_rows_begin(x, sh);
    sf_cell cells[SF_LIST_MAX_COLS];
    for (size_t i = 0; i < n && !xl_failed(x); i++) {
        lxw_row_t rr = (lxw_row_t)(r + 1 + i);
        memset(cells, 0, sizeof cells);
        l->row(rep, i, cells);
        for (int c = 0; c < COL_FROM; c++)
            if (cells[c].text && cells[c].text[0])
                xl_cell_str(x, sh, rr, c, cells[c].text, NULL);
        for (int k = 0; k < 3; k++)
            value_cell(x, sh, rr, COL_FROM + k, &rep->history.rows[i], k);
        xl_cell_date(x, sh, rr, COL_FROM + 3, (sf_date)cells[COL_FROM + 3].v);
    }
    if (n == 0 && !rep->history.first_run) {
        double w = sh->width[0]; /* below the table's blank row */
        xl_cell_str(x, sh, r + 2, 0, xl_label(x, "empty_changes"), x->f.note);
        sh->width[0] = w;
    }
    xl_rows_end(x, sh);
}

void xl_sheet_changes(xl *x)
{
    xl_sheet *sh = xl_sheet_add(x, "sheet_changes");
    if (!sh)
        return;
    const sf_history_result *h = &x->o->rep->history;
    sh->ncols = sf_list_changes.n_cols;
    lxw_row_t r = 0;
    double w0 = sh->width[0];
    if (h->first_run) {
        xl_cell_str(x, sh, r++, 0, xl_label(x, "first_run"), x->f.section);
    } else {
        xl_cell_str(x, sh, r, 0, xl_label(x, "changes_since"), x->f.section);
        xl_cell_date(x, sh, r++, 1, h->since);
    }
    if (h->rules_changed)
        xl_cell_str(x, sh, r++, 0, xl_label(x, "rules_changed"), x->f.note);
    sh->width[0] = w0; /* the notes spill over; they do not size column A */
    r++;
    if (!h->first_run) {
        move_formats m;
        move_formats_init(x, &m);
        r = matrix(x, sh, r, "migration_accounts", false, &m);
        r = matrix(x, sh, r, "migration_revenue", true, &m);
    }
    changes_table(x, sh, r);
    for (int c = 0; c < sh->ncols && c < XL_MAX_COLS; c++) {
        double w = sh->width[c] + 2.0;
        xl_check(x, worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c, w > XL_WIDTH_MAX ? XL_WIDTH_MAX : w,
                                         NULL),
                 "column width");
    }
    xl_print_setup(x, sh, false, 0);
}
