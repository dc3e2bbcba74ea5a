/*
 * xlsx_look.c - what makes the workbook's sheets usable beyond their
 * cells: every list an Excel table (banded rows, a filter button per
 * column, a name a pivot table or a formula can refer to), conditional
 * formats that follow the values (KPIs outside their band, days overdue,
 * the temperature, data bars for revenue), and the print setup of every
 * sheet (landscape A4, one page wide, the header row on every page, the
 * title and page numbers in the header and footer).
 *
 * Tables in constant-memory mode: worksheet_add_table writes the header
 * cells itself, so it is called right after the list's own header row is
 * written and before that row is flushed (xl_list_begin); by then the
 * table's extent is known from the list's row count. The rows that follow
 * may come through the fast path: the table is an XML part of its own
 * and never touches the row stream.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/sf_xlsx.h"

/* ---------------------------------------------------------------------
 * Conditional formats, by column name: the same rules on every list that
 * has the column.
 * --------------------------------------------------------------------- */

typedef enum {
    RULE_KPI_BAND,   /* outside [conv_to_appt_low, conv_to_appt_high] */
    RULE_KPI_QUOTA,  /* below the daily call quota */
    RULE_OVERDUE,    /* more than 0 days overdue */
    RULE_TEMP,       /* hot / warm / cold fills */
    RULE_DATA_BAR    /* revenue as a bar in its cell */
} rule_kind;

static const struct {
    const char *col;
    rule_kind kind;
} k_rules[] = {
    {"conv_to_appt", RULE_KPI_BAND}, {"calls_per_day", RULE_KPI_QUOTA},
    {"days_overdue", RULE_OVERDUE},  {"temperature", RULE_TEMP},
    {"rev12", RULE_DATA_BAR},        {"drop", RULE_DATA_BAR},
    {"revenue_at_risk", RULE_DATA_BAR},
};

bool xl_col_has_rule(const char *col)
{
    for (size_t i = 0; i < SF_ARRAY_LEN(k_rules); i++)
        if (strcmp(k_rules[i].col, col) == 0)
            return true;
    return false;
}

static void rule_add(xl *x, xl_sheet *sh, int c, uint32_t nrows, lxw_conditional_format *cf,
                     const char *what)
{
    xl_check(x, worksheet_conditional_format_range(sh->ws, 1, (lxw_col_t)c, nrows, (lxw_col_t)c, cf),
             what);
}

/* The rule of kind k on column c of rows 1..nrows. The thresholds are the
 * configuration's, written exactly: a value on the band's edge is inside,
 * as the analysis judges it (an_kpi.c). */
static void rule_column(xl *x, xl_sheet *sh, int c, uint32_t nrows, rule_kind k)
{
    const sf_config *cfg = x->o->cfg;
    lxw_conditional_format cf;
    memset(&cf, 0, sizeof cf);
    switch (k) {
    case RULE_KPI_BAND:
        cf.type = LXW_CONDITIONAL_TYPE_CELL;
        cf.criteria = LXW_CONDITIONAL_CRITERIA_NOT_BETWEEN;
        cf.min_value = (double)cfg->conv_to_appt_low / SF_PPM;
        cf.max_value = (double)cfg->conv_to_appt_high / SF_PPM;
        cf.format = x->f.bad;
        rule_add(x, sh, c, nrows, &cf, "conditional format (band)");
        break;
    case RULE_KPI_QUOTA:
        cf.type = LXW_CONDITIONAL_TYPE_CELL;
        cf.criteria = LXW_CONDITIONAL_CRITERIA_LESS_THAN;
        cf.value = (double)cfg->daily_call_quota;
        cf.format = x->f.bad;
        rule_add(x, sh, c, nrows, &cf, "conditional format (quota)");
        break;
    case RULE_OVERDUE:
        cf.type = LXW_CONDITIONAL_TYPE_CELL;
        cf.criteria = LXW_CONDITIONAL_CRITERIA_GREATER_THAN;
        cf.value = 0;
        cf.format = x->f.bad;
        rule_add(x, sh, c, nrows, &cf, "conditional format (overdue)");
        break;
    case RULE_TEMP:
        for (int t = 0; t < 3; t++) {
            char quoted[16];
            snprintf(quoted, sizeof quoted, "\"%s\"", sf_temp_name((sf_temp)t));
            cf.type = LXW_CONDITIONAL_TYPE_CELL;
            cf.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO;
            cf.value_string = quoted;
            cf.format = x->f.temp[t];
            rule_add(x, sh, c, nrows, &cf, "conditional format (temperature)");
        }
        break;
    case RULE_DATA_BAR:
        cf.type = LXW_CONDITIONAL_DATA_BAR;
        cf.bar_color = 0x638EC6;
        cf.bar_solid = LXW_TRUE;
        rule_add(x, sh, c, nrows, &cf, "conditional format (data bar)");
        break;
    }
}

void xl_list_rules(xl *x, xl_sheet *sh, const sf_list *l, uint32_t nrows)
{
    if (!sh || nrows == 0 || xl_failed(x))
        return;
    for (int c = 0; c < l->n_cols; c++)
        for (size_t i = 0; i < SF_ARRAY_LEN(k_rules); i++)
            if (strcmp(k_rules[i].col, l->cols[c].name) == 0)
                rule_column(x, sh, c, nrows, k_rules[i].kind);
}

/* ---------------------------------------------------------------------
 * Excel tables
 * --------------------------------------------------------------------- */

void xl_list_table(xl *x, xl_sheet *sh, const sf_list *l, const char *const *headers, uint32_t nrows, int part)
{
    if (!sh || xl_failed(x))
        return;
    lxw_table_column cols[XL_MAX_COLS];
    lxw_table_column *ptrs[XL_MAX_COLS + 1];
    int n = l->n_cols < XL_MAX_COLS ? l->n_cols : XL_MAX_COLS;
    memset(cols, 0, sizeof cols);
    for (int c = 0; c < n; c++) {
        cols[c].header = (char *)headers[c];
        cols[c].header_format = x->f.hdr;
        ptrs[c] = &cols[c];
    }
    ptrs[n] = NULL;
    /* the list's own name ("cadence_due"): the same in every language, so a
     * pivot table or a query built on one week's workbook works on the next;
     * the continuation sheets of a long list "rejects_2", ... (a table's
     * name is unique in a workbook) */
    char name[64];
    if (part > 0)
        snprintf(name, sizeof name, "%s_%d", l->name, part + 1);
    else
        snprintf(name, sizeof name, "%s", l->name);
    lxw_table_options opt = {.name = name,
                             .style_type = LXW_TABLE_STYLE_TYPE_LIGHT,
                             .style_type_number = 9,
                             .columns = ptrs};
    /* an empty list keeps one blank row: a table needs one */
    lxw_row_t last = nrows ? nrows : 1;
    /* libxlsxwriter refuses tables in constant-memory mode (1.1.4: "not
     * supported") because worksheet_add_table writes the header cells
     * itself, which that mode cannot do for a row already flushed. Here the
     * header row is still the current one and holds those very texts, so
     * the call is made with the mode switched off: the header cells it
     * writes go to the in-memory cell table, which a constant-memory sheet
     * never writes out (the row file is). tests/e2e/xlsx_fast.sh and the
     * workbook checks read the result back. */
    uint8_t optimize = sh->ws->optimize;
    sh->ws->optimize = LXW_FALSE;
    lxw_error e = worksheet_add_table(sh->ws, 0, 0, last, (lxw_col_t)(n - 1), &opt);
    sh->ws->optimize = optimize;
    xl_check(x, e, "Excel table");
}

/* ---------------------------------------------------------------------
 * Print setup
 * --------------------------------------------------------------------- */

/* Append s to out (cap) with '&' doubled: a header text is a code where
 * "&P" is the page number. */
static void hf_put(char *out, size_t cap, const char *s)
{
    size_t n = strlen(out);
    for (; *s && n + 2 < cap; s++) {
        if (*s == '&')
            out[n++] = '&';
        out[n++] = *s;
    }
    out[n] = '\0';
}

/* "Page {n} of {m}" of the language as a footer code: "Page &P of &N". */
static void hf_page_of(const xl *x, char *out, size_t cap)
{
    const char *pat = xl_label(x, "pdf.page_of");
    char lit[2] = {0, 0};
    for (const char *p = pat; *p; p++) {
        if (p[0] == '{' && (p[1] == 'n' || p[1] == 'm') && p[2] == '}') {
            size_t len = strlen(out);
            if (len + 3 < cap)
                snprintf(out + len, cap - len, "&%c", p[1] == 'n' ? 'P' : 'N');
            p += 2;
            continue;
        }
        lit[0] = *p;
        hf_put(out, cap, lit);
    }
}

void xl_print_setup(xl *x, xl_sheet *sh, bool repeat_header, uint16_t pages_tall)
{
    if (!sh || xl_failed(x))
        return;
    lxw_worksheet *ws = sh->ws;
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4, as the PDF report */
    worksheet_fit_to_pages(ws, 1, pages_tall);
    if (repeat_header)
        xl_check(x, worksheet_repeat_rows(ws, 0, 0), "print titles");
    /* the header: the workbook's title left, the sheet's name and the
     * as-of date right; the footer: salesfocus left, page N of M right */
    char date[16], head[256] = "&L", foot[256] = "&Lsalesfocus&R";
    sf_date_iso(x->o->rep->as_of, date);
    hf_put(head, sizeof head, xl_label(x, "title"));
    size_t len = strlen(head);
    snprintf(head + len, sizeof head - len, "&R&A · ");
    hf_put(head, sizeof head, xl_label(x, "as_of"));
    hf_put(head, sizeof head, " ");
    hf_put(head, sizeof head, date);
    hf_page_of(x, foot, sizeof foot);
    xl_check(x, worksheet_set_header(ws, head), "page header");
    xl_check(x, worksheet_set_footer(ws, foot), "page footer");
}
