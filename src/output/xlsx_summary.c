/*
 * xlsx_summary.c - the workbook's Summary sheet: the headline figures of
 * SPEC §3.8, accounts and revenue per tier and the input files' counts
 * beside five native charts, laid out to print on one landscape page; the
 * tables the charts draw on live on a hidden "chart data" sheet at the end
 * of the workbook (unhide it to see the charts' numbers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/sf_template.h"
#include "output/sf_xlsx.h"

/* Where the charts go on the Summary: two columns of charts right of the
 * figures (columns F.. and N..), each CHART_ROWS rows tall. */
#define CHART_COL0 5
#define CHART_COL1 13
#define CHART_COLS 8       /* default-width columns a chart covers */
#define CHART_ROWS 16
#define CHART_SCALE 0.95

static void kv_label(xl *x, xl_sheet *sh, lxw_row_t r, const char *key)
{
    xl_cell_str(x, sh, r, 0, xl_label(x, key), x->f.label);
}

static void section(xl *x, xl_sheet *sh, lxw_row_t r, const char *key, const char *const *cols, int n)
{
    xl_cell_str(x, sh, r, 0, xl_label(x, key), x->f.section);
    for (int c = 0; c < n; c++)
        xl_cell_str(x, sh, r, c + 1, xl_label(x, cols[c]), x->f.hdr);
}

/* Points of the concentration curve: (share of clients, cumulative share
 * of revenue) over the buying accounts in rev12 order, at most
 * XL_PARETO_POINTS of them including (0, 0). Returns the count. */
static int pareto_points(const sf_report *rep, const sf_dataset *ds, double *px, double *py)
{
    uint32_t n = rep->tiers.n_buying;
    const uint32_t *by_rev = rep->tiers.by_rev;
    if (n == 0 || !by_rev) {
        px[0] = 0;
        py[0] = 0;
        return 1;
    }
    __int128 total = 0;
    for (uint32_t i = 0; i < n; i++)
        total += ds->accounts[by_rev[i]].rev12;
    uint32_t segs = n < XL_PARETO_POINTS - 1 ? n : XL_PARETO_POINTS - 1;
    __int128 cum = 0;
    uint32_t done = 0;
    for (uint32_t j = 0; j <= segs; j++) {
        uint32_t k = (uint32_t)((uint64_t)j * n / segs);
        while (done < k)
            cum += ds->accounts[by_rev[done++]].rev12;
        px[j] = (double)k / n;
        py[j] = total > 0 ? (double)cum / (double)total : 0.0;
    }
    return (int)segs + 1;
}

/* Title, as-of date, period and currency; returns the next free row. */
static lxw_row_t summary_head(xl *x, xl_sheet *sh, lxw_row_t r)
{
    const sf_config *cfg = x->o->cfg;
    xl_cell_str(x, sh, r, 0, xl_label(x, "title"), x->f.title);
    sh->width[0] = 0; /* the title spills over; it does not size column A */
    r += 2;
    kv_label(x, sh, r, "as_of");
    xl_cell_date(x, sh, r++, 1, x->o->rep->as_of);
    kv_label(x, sh, r, "period");
    const char *period = cfg->period ? cfg->period : "";
    if (strcmp(period, "weekly") == 0)
        period = xl_label(x, "period_weekly");
    else if (strcmp(period, "monthly") == 0)
        period = xl_label(x, "period_monthly");
    xl_cell_str(x, sh, r++, 1, period, NULL);
    kv_label(x, sh, r, "currency");
    xl_cell_str(x, sh, r++, 1, cfg->currency, NULL);
    return r + 1;
}

/* The headline figures of SPEC §3.8. */
static lxw_row_t summary_headline(xl *x, xl_sheet *sh, lxw_row_t r)
{
    const sf_summary_result *s = &x->o->rep->summary;
    xl_cell_str(x, sh, r++, 0, xl_label(x, "headline"), x->f.section);
    kv_label(x, sh, r, "rev12_total");
    xl_cell_money(x, sh, r++, 1, s->rev12_total, NULL);
    kv_label(x, sh, r, "rev_prev12_total");
    xl_cell_money(x, sh, r++, 1, s->rev_prev12_total, NULL);
    kv_label(x, sh, r, "growth");
    xl_cell_pct(x, sh, r++, 1, s->growth, NULL);
    static const char *const keys[] = {"due_count", "alert_count", "lost_count", "fire_count",
                                       "verdict_pursue_count", "verdict_qualify_count",
                                       "verdict_drop_count", "rejected_total"};
    const int64_t vals[] = {s->due_count, s->alert_count, s->lost_count, s->fire_count,
                            s->verdict_count[0], s->verdict_count[1], s->verdict_count[2],
                            s->rejected_total};
    for (size_t i = 0; i < SF_ARRAY_LEN(keys); i++) {
        kv_label(x, sh, r, keys[i]);
        xl_cell_int(x, sh, r++, 1, vals[i], x->f.integer);
    }
    return r + 1;
}

/* Accounts and revenue per tier (the tier charts' table), then the
 * records read, accepted and rejected per input file. */
static lxw_row_t summary_tiers_files(xl *x, xl_sheet *sh, lxw_row_t r)
{
    const sf_summary_result *s = &x->o->rep->summary;
    static const char *const tier_cols[] = {"accounts", "revenue"};
    section(x, sh, r++, "tiers", tier_cols, 2);
    for (int t = 0; t < SF_TIER_N; t++) {
        xl_cell_str(x, sh, r, 0, sf_tier_name((sf_tier)t), x->f.tier[t]);
        xl_cell_int(x, sh, r, 1, s->tier_accounts[t], x->f.integer);
        xl_cell_money(x, sh, r++, 2, s->tier_revenue[t], NULL);
    }
    r++;
    enum { XL_FILES_APART = 6 };
    static const char *const file_cols[] = {"read", "accepted", "rejected"};
    section(x, sh, r++, "input_files", file_cols, 3);
    for (int k = 0; k < SF_FILE_N; k++) {
        const sf_file_stats *kind = &x->o->ds->files[k];
        if (!kind->present)
            continue;
        /* each file of a kind that has a few (Task.csv, Event.csv); many
         * (monthly invoices) as one row, so the Summary stays one page */
        uint32_t np = kind->n_parts > 1 && kind->n_parts <= XL_FILES_APART ? kind->n_parts : 1;
        for (uint32_t p = 0; p < np; p++) {
            const sf_file_stats *fs = np > 1 ? &kind->parts[p] : kind;
            char many[160];
            const char *name = sf_report_part_base(x->o->rep, (sf_file_kind)k, p);
            if (kind->n_parts > XL_FILES_APART) {
                snprintf(many, sizeof many, "%s (%u)", sf_file_kind_name((sf_file_kind)k), kind->n_parts);
                name = many;
            }
            xl_cell_str(x, sh, r, 0, name, NULL);
            xl_cell_int(x, sh, r, 1, fs->read, x->f.integer);
            xl_cell_int(x, sh, r, 2, fs->accepted, x->f.integer);
            xl_cell_int(x, sh, r++, 3, fs->rejected, x->f.integer);
        }
    }
    return r + 1;
}

/* Time on key clients per owner, and pipeline verdicts per owner (the
 * tables of two charts; a chart needs one row, even an empty one). */
static lxw_row_t data_owner_tables(xl *x, xl_sheet *sh, lxw_row_t r, xl_summary_rows *rows)
{
    const sf_dataset *ds = x->o->ds;
    const sf_report *rep = x->o->rep;
    const sf_summary_result *s = &rep->summary;
    static const char *const split_cols[] = {"col_recommended_key", "col_actual_key"};
    section(x, sh, r++, "time_split", split_cols, 2);
    rows->split_first = r;
    for (uint32_t i = 0; i < rep->split.n; i++) {
        const sf_split_row *row = &rep->split.rows[i];
        xl_cell_str(x, sh, r, 0, sf_report_owner_name(x->o->rep, row->owner), NULL);
        xl_cell_pct(x, sh, r, 1, row->recommended_key, NULL);
        xl_cell_pct(x, sh, r++, 2, row->actual_key, NULL);
    }
    if (r == rows->split_first)
        xl_cell_str(x, sh, r++, 0, "(all)", NULL);
    rows->split_last = r - 1;
    r++;
    static const char *const verdict_cols[] = {"common.verdict_pursue", "common.verdict_qualify",
                                               "common.verdict_drop"};
    section(x, sh, r++, "verdicts", verdict_cols, 3);
    rows->verdict_first = r;
    for (uint32_t i = 0; s->verdict_grid && ds->owner_order && i < ds->n_owners; i++) {
        uint32_t id = ds->owner_order[i];
        const uint32_t *g = s->verdict_grid[id];
        if (g[0] + g[1] + g[2] == 0)
            continue;
        xl_cell_str(x, sh, r, 0, sf_report_owner_name(x->o->rep, id), NULL);
        for (int v = 0; v < 3; v++)
            xl_cell_int(x, sh, r, 1 + v, g[v], x->f.integer);
        r++;
    }
    if (r == rows->verdict_first) {
        xl_cell_str(x, sh, r, 0, "(all)", NULL);
        for (int v = 0; v < 3; v++)
            xl_cell_int(x, sh, r, 1 + v, s->verdict_count[v], x->f.integer);
        r++;
    }
    rows->verdict_last = r - 1;
    return r + 1;
}

/* A list longer than a sheet: where its rows go on (its sheets are
 * "<sheet> (2)" and on, xl_sheet_add's numbering). False on out of
 * memory. */
static bool note_continued(xl *x, xl_sheet *sh, lxw_row_t r, const sf_list *l, size_t n)
{
    char rows[32], max[32], more[32];
    sf_lang_fmt_int(x->o->lang, (int64_t)n, rows, sizeof rows);
    sf_lang_fmt_int(x->o->lang, (int64_t)SF_SHEET_ROWS, max, sizeof max);
    sf_lang_fmt_int(x->o->lang, (int64_t)sf_sheets_for(n) - 1, more, sizeof more);
    sf_tvars vt = {0};
    sf_tvars_set(&vt, "sheet", xl_label(x, l->sheet_key));
    sf_tvars_set(&vt, "rows", rows);
    sf_tvars_set(&vt, "max", max);
    sf_tvars_set(&vt, "more", more);
    sf_buf b = {0};
    sf_ctx ctx = {0};
    bool ok = !vt.oom && sf_template_render(xl_label(x, "list_continued"), &vt, "xlsx.list_continued", false, &b,
                                            &ctx) == SF_OK && !b.oom;
    if (ok)
        xl_cell_str(x, sh, r, 0, sf_buf_str(&b), x->f.note);
    sf_buf_free(&b);
    sf_tvars_free(&vt);
    return ok;
}

/* The notes: analyses that were skipped, lists that continue on more
 * sheets. Returns the next free row. */
static lxw_row_t summary_notes(xl *x, xl_sheet *sh, lxw_row_t r)
{
    const sf_report *rep = x->o->rep;
    bool any = rep->n_skipped > 0;
    for (size_t i = 0; i < sf_n_lists && !any; i++)
        any = (!sf_lists[i]->present || sf_lists[i]->present(rep)) && sf_lists[i]->count(rep) > SF_SHEET_ROWS;
    if (!any)
        return r;
    xl_cell_str(x, sh, r++, 0, xl_label(x, "notes"), x->f.section);
    double w = sh->width[0];
    for (int i = 0; i < rep->n_skipped; i++)
        xl_cell_str(x, sh, r++, 0, rep->skipped[i], x->f.note);
    for (size_t i = 0; i < sf_n_lists; i++) {
        const sf_list *l = sf_lists[i];
        size_t n = (!l->present || l->present(rep)) ? l->count(rep) : 0;
        if (n > SF_SHEET_ROWS && !note_continued(x, sh, r++, l, n))
            x->nomem = true;
    }
    sh->width[0] = w;
    return r + 1;
}

/* Column widths of a sheet from what was written, capped. */
static void widths_set(xl *x, xl_sheet *sh, int ncols)
{
    for (int c = 0; c < ncols; c++) {
        double w = sh->width[c] + 2 > XL_WIDTH_MAX ? XL_WIDTH_MAX : sh->width[c] + 2;
        xl_check(x, worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL), "column width");
    }
}

void xl_sheet_summary(xl *x)
{
    xl_sheet *sh = xl_sheet_add(x, "sheet_summary");
    if (!sh)
        return;
    lxw_row_t r = summary_head(x, sh, 0);
    r = summary_headline(x, sh, r);
    r = summary_tiers_files(x, sh, r);
    r = summary_notes(x, sh, r);
    sh->ncols = 4;
    sh->last_row = r;
    widths_set(x, sh, 4);
}

/* The tables the charts draw on: accounts and revenue per tier, time on
 * key clients and verdicts per owner, the Pareto points. */
xl_sheet *xl_sheet_chart_data(xl *x, xl_summary_rows *rows)
{
    xl_sheet *sh = xl_sheet_add(x, "sheet_chart_data");
    if (!sh)
        return NULL;
    const sf_summary_result *s = &x->o->rep->summary;
    lxw_row_t r = 0;
    static const char *const tier_cols[] = {"accounts", "revenue"};
    section(x, sh, r++, "tiers", tier_cols, 2);
    rows->tier_first = r;
    for (int t = 0; t < SF_TIER_N; t++) {
        xl_cell_str(x, sh, r, 0, sf_tier_name((sf_tier)t), NULL);
        xl_cell_int(x, sh, r, 1, s->tier_accounts[t], x->f.integer);
        xl_cell_money(x, sh, r++, 2, s->tier_revenue[t], NULL);
    }
    r = data_owner_tables(x, sh, r + 1, rows);
    double px[XL_PARETO_POINTS], py[XL_PARETO_POINTS];
    int np = pareto_points(x->o->rep, x->o->ds, px, py);
    static const char *const pareto_cols[] = {"pareto_clients", "pareto_revenue"};
    section(x, sh, r++, "pareto", pareto_cols, 2);
    rows->pareto_first = r;
    for (int i = 0; i < np; i++) {
        xl_cell_num(x, sh, r, 1, px[i], x->f.pct, 8);
        xl_cell_num(x, sh, r++, 2, py[i], x->f.pct, 8);
    }
    rows->pareto_last = r - 1;
    widths_set(x, sh, 4);
    worksheet_hide(sh->ws);
    xl_print_setup(x, sh, false, 0);
    return sh;
}

/* A chart placed on the Summary sheet; NULL after recording a failure. */
static lxw_chart *chart_new(xl *x, uint8_t type, const char *title_key)
{
    if (xl_failed(x))
        return NULL;
    lxw_chart *ch = workbook_add_chart(x->wb, type);
    if (!ch) {
        xl_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "adding a chart");
        return NULL;
    }
    chart_title_set_name(ch, xl_label(x, title_key));
    return ch;
}

static lxw_chart_series *series_add(xl *x, lxw_chart *ch, const char *sheet, lxw_row_t r0, lxw_row_t r1,
                                    int cat_col, int val_col, const char *name, uint32_t color)
{
    if (!ch || xl_failed(x))
        return NULL;
    lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
    if (!se) {
        xl_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "adding a chart series");
        return NULL;
    }
    chart_series_set_categories(se, sheet, r0, (lxw_col_t)cat_col, r1, (lxw_col_t)cat_col);
    chart_series_set_values(se, sheet, r0, (lxw_col_t)val_col, r1, (lxw_col_t)val_col);
    if (name)
        chart_series_set_name(se, name);
    if (color) {
        lxw_chart_fill fill = {.color = color};
        chart_series_set_fill(se, &fill);
        lxw_chart_line line = {.color = color};
        chart_series_set_line(se, &line);
    }
    return se;
}

static void chart_place(xl *x, xl_sheet *sh, lxw_row_t r, int c, lxw_chart *ch)
{
    if (!ch || xl_failed(x))
        return;
    lxw_chart_options opt = {.x_scale = CHART_SCALE, .y_scale = CHART_SCALE};
    xl_check(x, worksheet_insert_chart_opt(sh->ws, r, (lxw_col_t)c, ch, &opt), "placing a chart");
}

/* The Summary's native charts, each drawn on a table of the chart-data
 * sheet, in two columns right of the figures; then the print area over
 * figures and charts, printed on one landscape page. */
void xl_summary_charts(xl *x, xl_sheet *sh, const xl_sheet *data, const xl_summary_rows *rows)
{
    const char *sn = data->name;
    lxw_row_t t0 = rows->tier_first, t1 = rows->tier_first + SF_TIER_N - 1;

    lxw_chart *ch = chart_new(x, LXW_CHART_COLUMN, "chart_tier_accounts");
    series_add(x, ch, sn, t0, t1, 0, 1, xl_label(x, "accounts"), 0x4472C4);
    if (ch)
        chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
    chart_place(x, sh, 0, CHART_COL0, ch);

    ch = chart_new(x, LXW_CHART_COLUMN, "chart_tier_revenue");
    series_add(x, ch, sn, t0, t1, 0, 2, xl_label(x, "revenue"), 0xED7D31);
    if (ch) {
        chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
        chart_axis_set_num_format(ch->y_axis, "#,##0");
    }
    chart_place(x, sh, 0, CHART_COL1, ch);

    ch = chart_new(x, LXW_CHART_SCATTER_STRAIGHT, "chart_pareto");
    series_add(x, ch, sn, rows->pareto_first, rows->pareto_last, 1, 2, xl_label(x, "pareto_revenue"),
               0xC00000);
    if (ch) {
        chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
        chart_axis_set_name(ch->x_axis, xl_label(x, "pareto_clients"));
        chart_axis_set_name(ch->y_axis, xl_label(x, "pareto_revenue"));
        chart_axis_set_min(ch->x_axis, 0);
        chart_axis_set_max(ch->x_axis, 1);
        chart_axis_set_min(ch->y_axis, 0);
        chart_axis_set_max(ch->y_axis, 1);
        chart_axis_set_num_format(ch->x_axis, "0%");
        chart_axis_set_num_format(ch->y_axis, "0%");
    }
    chart_place(x, sh, CHART_ROWS, CHART_COL0, ch);

    ch = chart_new(x, LXW_CHART_BAR, "chart_time_split");
    series_add(x, ch, sn, rows->split_first, rows->split_last, 0, 1, xl_label(x, "col_recommended_key"),
               0x70AD47);
    series_add(x, ch, sn, rows->split_first, rows->split_last, 0, 2, xl_label(x, "col_actual_key"),
               0x4472C4);
    if (ch) {
        chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
        /* in a bar chart x_axis is the horizontal value axis: shares to 100 % */
        chart_axis_set_num_format(ch->x_axis, "0%");
        chart_axis_set_min(ch->x_axis, 0);
        chart_axis_set_max(ch->x_axis, 1);
        chart_axis_set_reverse(ch->y_axis); /* first owner on top, as in the table */
        chart_axis_set_crossing_max(ch->y_axis); /* and the values below */
    }
    chart_place(x, sh, CHART_ROWS, CHART_COL1, ch);

    ch = chart_new(x, LXW_CHART_COLUMN_STACKED, "chart_verdicts");
    static const char *const vk[3] = {"common.verdict_pursue", "common.verdict_qualify",
                                      "common.verdict_drop"};
    static const uint32_t vc[3] = {0x70AD47, 0xFFC000, 0xA5A5A5};
    for (int v = 0; v < 3; v++)
        series_add(x, ch, sn, rows->verdict_first, rows->verdict_last, 0, 1 + v, xl_label(x, vk[v]), vc[v]);
    if (ch)
        chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    chart_place(x, sh, 2 * CHART_ROWS, CHART_COL0, ch);

    /* one page: the figures and the three rows of charts */
    lxw_row_t last = sh->last_row > 3 * CHART_ROWS ? sh->last_row : 3 * CHART_ROWS;
    xl_check(x, worksheet_print_area(sh->ws, 0, 0, last, CHART_COL1 + CHART_COLS - 1), "print area");
    xl_print_setup(x, sh, false, 1);
}
