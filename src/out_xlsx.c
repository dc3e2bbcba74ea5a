/*
 * out_xlsx.c - the manager's workbook (workbook.xlsx) with libxlsxwriter.
 *
 * A Summary sheet (headline figures of SPEC §3.8, the chart data tables and
 * native Excel charts drawn on those tables), then one sheet per CSV list
 * with the same columns and rows as src/out_csv.c writes, typed cells and
 * the report language's labels. It only renders sf_report, the dataset's
 * names and the rejects: nothing is analysed here.
 *
 * The workbook is written in libxlsxwriter's constant_memory mode (rows
 * stream to temporary files in the output folder), so every sheet is
 * written strictly row by row, top to bottom. Data texts always go through
 * worksheet_write_string: a name such as =HYPERLINK(...) stays text.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <xlsxwriter.h>

#include "sf_output.h"

#define XL_MAX_COLS 16
#define XL_MAX_SHEETS 16
#define XL_NAME_MAX 31       /* Excel's limit on sheet names, in characters */
#define XL_STR_MAX 32767     /* Excel's limit on a cell's text, in characters */
#define XL_WIDTH_MAX 60.0    /* widest column we set, in characters */
#define XL_PARETO_POINTS 200 /* points of the concentration curve, at most */
#define XL_EXCEL_1970 25569  /* Excel serial day of 1970-01-01 */

/* Cell formats shared by every sheet; created once per workbook. */
typedef struct {
    lxw_format *hdr, *title, *section, *label, *note;
    lxw_format *money, *pct, *date, *dec2, *integer;
    lxw_format *temp[3];          /* hot, warm, cold */
    lxw_format *tier[SF_TIER_N];  /* A..D */
    lxw_format *bad_pct, *bad_dec;
} xl_formats;

/* One worksheet being written: its row cursor and the widest text seen per
 * column (in characters) for the column widths set at the end. */
typedef struct {
    lxw_worksheet *ws;
    char *name;          /* owned; charts refer to the sheet by it */
    int ncols;
    double width[XL_MAX_COLS];
} xl_sheet;

typedef struct {
    const sf_output_ctx *o;
    sf_ctx *ctx;
    const char *final_path;
    lxw_workbook *wb;
    xl_formats f;
    char money_fmt[96];
    xl_sheet sheets[XL_MAX_SHEETS];
    int n_sheets;
    lxw_error err;       /* first libxlsxwriter error, LXW_NO_ERROR if none */
    char err_what[128];  /* what was being written when it happened */
    bool nomem;
} xl;

/* ---------------------------------------------------------------------
 * Small helpers
 * --------------------------------------------------------------------- */

/* Label "xlsx.<key>" (or "<section>.<key>" when key has a dot) in the
 * report language; never NULL, borrowed from the sf_lang. */
static const char *xl_label(const xl *x, const char *key)
{
    char full[96];
    if (strchr(key, '.'))
        snprintf(full, sizeof full, "%s", key);
    else
        snprintf(full, sizeof full, "xlsx.%s", key);
    return sf_lang_get(x->o->lang, full);
}

/* Keep the first libxlsxwriter failure with a note of where it was. */
static void xl_check(xl *x, lxw_error e, const char *what)
{
    if (e == LXW_NO_ERROR || x->err != LXW_NO_ERROR)
        return;
    x->err = e;
    snprintf(x->err_what, sizeof x->err_what, "%s", what);
}

static bool xl_failed(const xl *x)
{
    return x->err != LXW_NO_ERROR || x->nomem;
}

/* Number of UTF-8 characters in s (continuation bytes not counted). */
static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* Byte length of the first max_chars UTF-8 characters of s. */
static size_t utf8_prefix(const char *s, size_t max_chars)
{
    size_t i = 0, chars = 0;
    while (s[i]) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (chars == max_chars)
                break;
            chars++;
        }
        i++;
    }
    return i;
}

static bool iscntrl_byte(char c)
{
    unsigned char u = (unsigned char)c;
    return u < 0x20 || u == 0x7f;
}

static void xl_track(xl_sheet *sh, int col, double chars)
{
    if (col < XL_MAX_COLS && chars > sh->width[col])
        sh->width[col] = chars;
}

static const char *owner_name(const sf_dataset *ds, uint32_t owner)
{
    if (owner == SF_OWNER_ALL)
        return "(all)";
    if (owner < ds->n_owners && ds->owners[owner])
        return ds->owners[owner];
    return "(unassigned)";
}

/* The input's base name as rejects.csv writes it. Borrowed. */
static const char *file_base(const sf_output_ctx *o, sf_file_kind k, char *buf, size_t n)
{
    const char *p = o->ds->files[k].path;
    if (!p)
        p = o->cfg->file[k];
    if (!p || !*p) {
        snprintf(buf, n, "%s", sf_file_kind_name(k));
        return buf;
    }
    const char *slash = strrchr(p, '/');
    return slash ? slash + 1 : p;
}

/* ---------------------------------------------------------------------
 * Cell writers: each skips empty values (the CSV's empty field becomes an
 * empty cell) and records the first library error.
 * --------------------------------------------------------------------- */

/* Text from data or labels, always as a string (never a formula); longer
 * than Excel's cell limit is cut at a character boundary. */
static void cell_str(xl *x, xl_sheet *sh, lxw_row_t r, int c, const char *s, lxw_format *fmt)
{
    if (xl_failed(x))
        return;
    if (!s || !*s) {
        if (fmt)
            xl_check(x, worksheet_write_blank(sh->ws, r, (lxw_col_t)c, fmt), "blank cell");
        return;
    }
    size_t chars = utf8_len(s);
    if (chars > XL_STR_MAX) {
        size_t n = utf8_prefix(s, XL_STR_MAX);
        char *cut = sf_strndup(s, n);
        if (!cut) {
            x->nomem = true;
            return;
        }
        xl_check(x, worksheet_write_string(sh->ws, r, (lxw_col_t)c, cut, fmt), "text cell");
        free(cut);
        chars = XL_STR_MAX;
    } else {
        xl_check(x, worksheet_write_string(sh->ws, r, (lxw_col_t)c, s, fmt), "text cell");
    }
    xl_track(sh, c, (double)chars);
}

static void cell_num(xl *x, xl_sheet *sh, lxw_row_t r, int c, double v, lxw_format *fmt, double shown_chars)
{
    if (xl_failed(x))
        return;
    xl_check(x, worksheet_write_number(sh->ws, r, (lxw_col_t)c, v, fmt), "number cell");
    xl_track(sh, c, shown_chars);
}

static void cell_int(xl *x, xl_sheet *sh, lxw_row_t r, int c, int64_t v, lxw_format *fmt)
{
    if (v == SF_NONE)
        return;
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%lld", (long long)v);
    cell_num(x, sh, r, c, (double)v, fmt, (double)n);
}

/* Money cents as a currency-formatted number: cents / 100, exactly the
 * value the CSV's two decimals give. */
static void cell_money(xl *x, xl_sheet *sh, lxw_row_t r, int c, int64_t cents, lxw_format *fmt)
{
    if (cents == SF_NONE)
        return;
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%.2f", (double)cents / 100.0);
    double shown = n + (n - 4) / 3 + (double)utf8_len(x->o->cfg->currency ? x->o->cfg->currency : "") + 1;
    cell_num(x, sh, r, c, (double)cents / 100.0, fmt ? fmt : x->f.money, shown);
}

/* A share (e4) as a fraction in percent format: e4 / 10000. */
static void cell_pct(xl *x, xl_sheet *sh, lxw_row_t r, int c, int64_t e4, lxw_format *fmt)
{
    if (e4 == SF_NONE)
        return;
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%.2f%%", (double)e4 / 100.0);
    cell_num(x, sh, r, c, (double)e4 / SF_E4, fmt ? fmt : x->f.pct, (double)n);
}

/* A date as an Excel serial day with a date format (a real date cell). */
static void cell_date(xl *x, xl_sheet *sh, lxw_row_t r, int c, sf_date d)
{
    if (d == SF_NODATE)
        return;
    cell_num(x, sh, r, c, (double)d + XL_EXCEL_1970, x->f.date, 10.0);
}

/* ---------------------------------------------------------------------
 * Sheets
 * --------------------------------------------------------------------- */

/* Case-insensitive equality of sheet names as Excel judges uniqueness. */
static bool sheet_name_taken(const xl *x, const char *name)
{
    for (int i = 0; i < x->n_sheets; i++)
        if (sf_utf8_ieq(x->sheets[i].name, name))
            return true;
    return false;
}

/* A valid, unique sheet name from a label: none of []:*?/\, no leading or
 * trailing apostrophe, at most 31 characters, not "History" (reserved by
 * Excel), unique ignoring case. Returns a malloc'd string or NULL. */
static char *sheet_name_make(const xl *x, const char *label)
{
    char buf[256];
    size_t n = 0;
    for (const char *p = label ? label : ""; *p && n + 1 < sizeof buf; p++)
        buf[n++] = strchr("[]:*?/\\", *p) ? '_' : (iscntrl_byte(*p) ? ' ' : *p);
    buf[n] = '\0';
    /* apostrophes at either end would be read as quoting */
    char *s = buf;
    while (*s == '\'' || *s == ' ')
        s++;
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == '\'' || s[len - 1] == ' '))
        s[--len] = '\0';
    if (!*s)
        s = (char *)"Sheet";
    char base[256];
    size_t cut = utf8_prefix(s, XL_NAME_MAX);
    snprintf(base, sizeof base, "%.*s", (int)cut, s);
    if (!sheet_name_taken(x, base) && strcasecmp(base, "History") != 0)
        return sf_strdup(base);
    for (int i = 2; i < 100; i++) {
        char suffix[8], cand[256];
        int sl = snprintf(suffix, sizeof suffix, " (%d)", i);
        size_t keep = utf8_prefix(base, (size_t)(XL_NAME_MAX - sl));
        snprintf(cand, sizeof cand, "%.*s%s", (int)keep, base, suffix);
        if (!sheet_name_taken(x, cand))
            return sf_strdup(cand);
    }
    return NULL;
}
