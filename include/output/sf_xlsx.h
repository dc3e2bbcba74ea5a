/*
 * sf_xlsx.h - the workbook output's own header, shared by its files:
 * out_xlsx.c (the workbook, its formats and the list sheets),
 * xlsx_cells.c (typed cells, sheets, list headers and widths),
 * xlsx_fast.c (list rows formatted here and compressed ahead, the fast
 * path behind [outputs] xlsx_fast), xlsx_summary.c (the Summary sheet, the
 * hidden chart-data sheet and the native charts) and xlsx_look.c (Excel
 * tables, conditional formats, print setup). No other output includes it.
 */
#ifndef SF_XLSX_H
#define SF_XLSX_H

#include <xlsxwriter.h>

#include "output/sf_output.h"

#define XL_MAX_COLS 16
#define XL_MAX_SHEETS 64     /* the Summary, every list, and the continuations of long ones */
#define XL_NAME_MAX 31       /* Excel's limit on sheet names, in characters */
#define XL_STR_MAX 32767     /* Excel's limit on a cell's text, in characters */
#define XL_WIDTH_MAX 60.0    /* widest column we set, in characters */
#define XL_PARETO_POINTS 200 /* points of the concentration curve, at most */
#define XL_EXCEL_1970 25569  /* Excel serial day of 1970-01-01 */
#define XL_EXCEL_1900_03_01 61 /* first serial day Excel counts correctly */

/* Cell formats shared by every sheet; created once per workbook. */
typedef struct {
    lxw_format *hdr, *title, *section, *label, *note;
    lxw_format *money, *pct, *date, *dec2, *integer;
    lxw_format *temp[3];          /* hot, warm, cold */
    lxw_format *tier[SF_TIER_N];  /* A..D */
    lxw_format *bad_pct, *bad_dec;
    lxw_format *bad;              /* conditional: outside a benchmark */
} xl_formats;

/* One worksheet being written, and the widest text seen per column (in
 * characters) for the column widths set once its rows are written. */
typedef struct {
    lxw_worksheet *ws;
    char *name;          /* owned; charts refer to the sheet by it */
    int ncols;
    double width[XL_MAX_COLS];
    lxw_row_t last_row;  /* the Summary: rows written, for its print area */
    bool fast;           /* data rows go through the row writer below */
    sf_zip_rows *zr;     /* where they go (owned) */
} xl_sheet;

/* The list rows' writer (see "Fast rows"): one list sheet at a time. */
typedef struct {
    char *buf;
    size_t len, cap;
    lxw_row_t row;       /* the open <row>, when open */
    bool open;
    char rtxt[12];       /* its number as text, for the cells' r="" */
    size_t rtxt_n;
    lxw_row_t max_row;   /* extent written, for the sheet's dimension */
    int max_col;
    int last_col;        /* column of the row's previous cell, -1 at its start */
} xl_rows;

typedef struct {
    const sf_output_ctx *o;
    sf_ctx *ctx;
    const char *final_path;
    lxw_workbook *wb;
    xl_formats f;
    char money_fmt[96];
    double cur_chars;    /* width of " EUR" in the money format */
    xl_sheet sheets[XL_MAX_SHEETS];
    int n_sheets;
    xl_rows rows;
    lxw_error err;       /* first libxlsxwriter error, LXW_NO_ERROR if none */
    char err_what[128];  /* what was being written when it happened */
    bool nomem;
    bool fast_path;      /* [outputs] xlsx_fast: list rows through xlsx_fast.c */
} xl;

/* Row numbers of the chart data tables on the chart-data sheet. */
typedef struct {
    lxw_row_t tier_first;             /* 4 rows A..D: tier, accounts, revenue */
    lxw_row_t split_first, split_last;
    lxw_row_t verdict_first, verdict_last;
    lxw_row_t pareto_first, pareto_last;
} xl_summary_rows;

/* ---- xlsx_cells.c ---- */

/* Label "xlsx.<key>" (or "<section>.<key>" when key has a dot) in the
 * report language; never NULL, borrowed from the sf_lang. */
const char *xl_label(const xl *x, const char *key);
/* Keep the first libxlsxwriter failure with a note of where it was. */
void xl_check(xl *x, lxw_error e, const char *what);
bool xl_failed(const xl *x);
size_t xl_utf8_len(const char *s);                   /* characters of UTF-8 s */
size_t xl_utf8_prefix(const char *s, size_t max_chars); /* bytes of its first max_chars */
/* Widest text seen in a column, for its width. */
void xl_track(xl_sheet *sh, int col, double chars);
/* Decimal digits of |v| (at least 1), plus one for a minus sign. */
int xl_digits(int64_t v);
/* Cell writers: each skips empty values (the CSV's empty field becomes an
 * empty cell) and records the first library error. Texts are always
 * strings, never formulas. */
void xl_cell_str(xl *x, xl_sheet *sh, lxw_row_t r, int c, const char *s, lxw_format *fmt);
void xl_cell_num(xl *x, xl_sheet *sh, lxw_row_t r, int c, double v, lxw_format *fmt, double shown_chars);
void xl_cell_scaled(xl *x, xl_sheet *sh, lxw_row_t r, int c, int64_t v, int dec, lxw_format *fmt,
                    double shown_chars);
void xl_cell_int(xl *x, xl_sheet *sh, lxw_row_t r, int c, int64_t v, lxw_format *fmt);
void xl_cell_money(xl *x, xl_sheet *sh, lxw_row_t r, int c, int64_t cents, lxw_format *fmt);
void xl_cell_pct(xl *x, xl_sheet *sh, lxw_row_t r, int c, int64_t e4, lxw_format *fmt);
void xl_cell_date(xl *x, xl_sheet *sh, lxw_row_t r, int c, sf_date d);
/* A worksheet named from a label key (valid and unique); NULL after
 * recording the failure. */
xl_sheet *xl_sheet_add(xl *x, const char *label_key);
/* A list sheet of nrows rows: localised header row ("xlsx.col_<name>"),
 * frozen, an Excel table over header and rows; its rows then go through
 * the fast path when it is on. part: 0, or the continuation sheets of a
 * list longer than a sheet (1: "<sheet> (2)", table "<name>_2", ...). */
xl_sheet *xl_list_begin(xl *x, const sf_list *l, uint32_t nrows, int part);
/* The empty-list note, conditional formats, column widths, print setup. */
void xl_list_end(xl *x, xl_sheet *sh, const sf_list *l, uint32_t nrows);

/* ---- xlsx_fast.c ---- */

size_t xl_u64_text(uint64_t u, char *out);
/* v / 10^dec exactly, without trailing zeros: 45095449,2 -> "450954.49". */
size_t xl_scaled_text(int64_t v, int dec, char *out);
/* Start / end the row stream of a list sheet (after its header). Without
 * the fast path, or outside constant-memory mode, rows go through the
 * library's public calls instead. */
void xl_rows_begin(xl *x, xl_sheet *sh);
void xl_rows_end(xl *x, xl_sheet *sh);
void xl_rows_number(xl *x, xl_sheet *sh, lxw_row_t r, int c, const char *v, size_t n, lxw_format *fmt);
void xl_rows_blank(xl *x, xl_sheet *sh, lxw_row_t r, int c, lxw_format *fmt);
void xl_rows_string(xl *x, xl_sheet *sh, lxw_row_t r, int c, const char *s, size_t n, lxw_format *fmt);

/* ---- xlsx_summary.c ---- */

/* The Summary sheet: title, headline figures, tiers, input files; laid out
 * to print on one page with its charts. */
void xl_sheet_summary(xl *x);
/* The hidden "chart data" sheet (the last): the tables the Summary's
 * charts draw on. NULL after a failure. */
xl_sheet *xl_sheet_chart_data(xl *x, xl_summary_rows *rows);
/* The Summary's native charts, each drawn on a table of the chart-data
 * sheet, and the Summary's print area around them. */
void xl_summary_charts(xl *x, xl_sheet *summary, const xl_sheet *data, const xl_summary_rows *rows);

/* ---- xlsx_look.c ---- */

/* An Excel table named after the list (part > 0: "<name>_<part + 1>")
 * over its header and nrows rows (one blank row when empty); before the
 * header row is flushed. */
void xl_list_table(xl *x, xl_sheet *sh, const sf_list *l, const char *const *headers, uint32_t nrows, int part);
/* The conditional formats of the list's columns over rows 1..nrows. */
void xl_list_rules(xl *x, xl_sheet *sh, const sf_list *l, uint32_t nrows);
/* Does a conditional format mark the column (then its cells carry no
 * fixed alert or temperature fill)? */
bool xl_col_has_rule(const char *col);
/* Landscape A4, one page wide and at most pages_tall pages tall (0: as
 * many as needed), the first row repeated on every page when asked, the
 * title and "page N of M" in the header and footer. */
void xl_print_setup(xl *x, xl_sheet *sh, bool repeat_header, uint16_t pages_tall);

#endif
