/*
 * xlsx_trend.c - the Trend sheet's native line charts (SPEC §7, with the
 * history on): the trend list (trend.csv, one row per stored run up to
 * this one) is the sheet's table, and the charts drawn on it show revenue
 * by tier, accounts by tier, the action lists (cold A clients, contacts
 * due, decline alerts, fire candidates) and the pipeline verdicts over the
 * runs, beside the table.
 */
#include <stdio.h>
#include <string.h>

#include "output/sf_xlsx.h"

/* Columns of trend.csv (an_trend.c): as_of 0, accounts 1, rev12 2,
 * a..d_accounts 3-6, a..c_rev12 7-9, cold_a 10, due 11, alerts 12,
 * fire 13, pursue 14, qualify 15, drop 16. */
#define COL_AS_OF 0
#define CHART_COL 18 /* the charts start right of the table (column S) */
#define CHART_ROWS 16

typedef struct {
    const char *col_key; /* "col_<name>": the series is named as its column */
    int col;
    uint32_t color;
} series_def;

static lxw_chart *line_chart(xl *x, const char *title_key, bool money)
{
    if (xl_failed(x))
        return NULL;
    lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_LINE);
    if (!ch) {
        xl_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "adding a chart");
        return NULL;
    }
    chart_title_set_name(ch, xl_label(x, title_key));
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    chart_axis_set_num_format(ch->y_axis, money ? "#,##0" : "0");
    chart_axis_set_min(ch->y_axis, 0);
    chart_axis_set_num_format(ch->x_axis, xl_label(x, "date_format"));
    return ch;
}

static void add_series(xl *x, lxw_chart *ch, const xl_sheet *sh, lxw_row_t last, const series_def *d)
{
    if (!ch || xl_failed(x))
        return;
    lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
    if (!se) {
        xl_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "adding a chart series");
        return;
    }
    chart_series_set_categories(se, sh->name, 1, COL_AS_OF, last, COL_AS_OF);
    chart_series_set_values(se, sh->name, 1, (lxw_col_t)d->col, last, (lxw_col_t)d->col);
    chart_series_set_name(se, xl_col_label(x, "trend", d->col_key + 4));
    lxw_chart_line line = {.color = d->color, .width = 2.0};
    chart_series_set_line(se, &line);
    chart_series_set_marker_type(se, LXW_CHART_MARKER_CIRCLE);
    lxw_chart_fill fill = {.color = d->color};
    chart_series_set_marker_fill(se, &fill);
}

static void place(xl *x, const xl_sheet *sh, lxw_row_t r, lxw_chart *ch)
{
    if (!ch || xl_failed(x))
        return;
    lxw_chart_options opt = {.x_scale = 1.2, .y_scale = 1.0};
    xl_check(x, worksheet_insert_chart_opt(sh->ws, r, CHART_COL, ch, &opt), "placing a chart");
}

void xl_trend_charts(xl *x, xl_sheet *sh)
{
    if (!sh || xl_failed(x) || x->o->rep->history.n_trend == 0)
        return;
    lxw_row_t last = (lxw_row_t)x->o->rep->history.n_trend;
    static const series_def revenue[] = {
        {"col_rev12", 2, 0x404040}, {"col_a_rev12", 7, 0x00B050}, {"col_b_rev12", 8, 0x92D050},
        {"col_c_rev12", 9, 0xFFC000}};
    static const series_def accounts[] = {
        {"col_a_accounts", 3, 0x00B050}, {"col_b_accounts", 4, 0x92D050}, {"col_c_accounts", 5, 0xFFC000},
        {"col_d_accounts", 6, 0xA5A5A5}};
    static const series_def actions[] = {
        {"col_cold_a", 10, 0x5B9BD5}, {"col_due", 11, 0x4472C4}, {"col_alerts", 12, 0xC00000},
        {"col_fire", 13, 0x7F7F7F}};
    static const series_def verdicts[] = {
        {"col_pursue", 14, 0x70AD47}, {"col_qualify", 15, 0xFFC000}, {"col_drop", 16, 0xA5A5A5}};
    static const struct {
        const char *title;
        const series_def *s;
        size_t n;
        bool money;
    } charts[] = {
        {"chart_trend_revenue", revenue, SF_ARRAY_LEN(revenue), true},
        {"chart_trend_accounts", accounts, SF_ARRAY_LEN(accounts), false},
        {"chart_trend_actions", actions, SF_ARRAY_LEN(actions), false},
        {"chart_trend_verdicts", verdicts, SF_ARRAY_LEN(verdicts), false},
    };
    for (size_t i = 0; i < SF_ARRAY_LEN(charts); i++) {
        lxw_chart *ch = line_chart(x, charts[i].title, charts[i].money);
        for (size_t k = 0; k < charts[i].n; k++)
            add_series(x, ch, sh, last, &charts[i].s[k]);
        place(x, sh, (lxw_row_t)(i * CHART_ROWS), ch);
    }
}
