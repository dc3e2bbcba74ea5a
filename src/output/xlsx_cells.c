/*
 * xlsx_cells.c - the workbook's typed cells, sheets and list frames: texts
 * always as strings (never formulas, cut at Excel's cell limit), numbers
 * from exact integers, dates as real date cells, sheet names made valid
 * and unique, list headers and their Excel table, the empty-list note and
 * widths.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "output/sf_xlsx.h"

/* ---------------------------------------------------------------------
 * Small helpers
 * --------------------------------------------------------------------- */

/* Label "xlsx.<key>" (or "<section>.<key>" when key has a dot) in the
 * report language; never NULL, borrowed from the sf_lang. */
const char *xl_label(const xl *x, const char *key)
{
    char full[96];
    if (strchr(key, '.'))
        snprintf(full, sizeof full, "%s", key);
    else
        snprintf(full, sizeof full, "xlsx.%s", key);
    return sf_lang_get(x->o->lang, full);
}

/* Keep the first libxlsxwriter failure with a note of where it was. */
void xl_check(xl *x, lxw_error e, const char *what)
{
    if (e == LXW_NO_ERROR || x->err != LXW_NO_ERROR)
        return;
    x->err = e;
    snprintf(x->err_what, sizeof x->err_what, "%s", what);
}

bool xl_failed(const xl *x)
{
    return x->err != LXW_NO_ERROR || x->nomem;
}

/* Number of UTF-8 characters in s (continuation bytes not counted). */
size_t xl_utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* Byte length of the first max_chars UTF-8 characters of s. */
size_t xl_utf8_prefix(const char *s, size_t max_chars)
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

void xl_track(xl_sheet *sh, int col, double chars)
{
    if (col < XL_MAX_COLS && chars > sh->width[col])
        sh->width[col] = chars;
}

/* ---------------------------------------------------------------------
 * Cell writers: each skips empty values (the CSV's empty field becomes an
 * empty cell) and records the first library error.
 * --------------------------------------------------------------------- */

/* Characters in s, and whether it holds U+FFFE or U+FFFF: valid UTF-8
 * but not allowed in XML, so libxlsxwriter would write a file that no
 * reader opens. */
static size_t text_scan(const char *s, bool *non_xml)
{
    size_t n = 0;
    *non_xml = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) != 0x80)
            n++;
        if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF))
            *non_xml = true;
    }
    return n;
}

/* Text from data or labels, always as a string (never a formula); longer
 * than Excel's cell limit is cut at a character boundary; U+FFFE/U+FFFF
 * become U+FFFD (as undecodable input bytes do). */
void xl_cell_str(xl *x, xl_sheet *sh, lxw_row_t r, int c, const char *s, lxw_format *fmt)
{
    if (xl_failed(x))
        return;
    if (!s || !*s) {
        if (fmt && sh->fast)
            xl_rows_blank(x, sh, r, c, fmt);
        else if (fmt)
            xl_check(x, worksheet_write_blank(sh->ws, r, (lxw_col_t)c, fmt), "blank cell");
        return;
    }
    bool non_xml;
    size_t chars = text_scan(s, &non_xml);
    if (chars <= XL_STR_MAX && !non_xml) {
        if (sh->fast)
            xl_rows_string(x, sh, r, c, s, strlen(s), fmt);
        else
            xl_check(x, worksheet_write_string(sh->ws, r, (lxw_col_t)c, s, fmt), "text cell");
        xl_track(sh, c, (double)chars);
        return;
    }
    size_t n = chars > XL_STR_MAX ? xl_utf8_prefix(s, XL_STR_MAX) : strlen(s);
    char *copy = sf_strndup(s, n);
    if (!copy) {
        x->nomem = true;
        return;
    }
    for (unsigned char *p = (unsigned char *)copy; p[0] && p[1] && p[2]; p++)
        if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF))
            p[2] = 0xBD;
    if (sh->fast)
        xl_rows_string(x, sh, r, c, copy, strlen(copy), fmt);
    else
        xl_check(x, worksheet_write_string(sh->ws, r, (lxw_col_t)c, copy, fmt), "text cell");
    free(copy);
    xl_track(sh, c, (double)(chars > XL_STR_MAX ? XL_STR_MAX : chars));
}

void xl_cell_num(xl *x, xl_sheet *sh, lxw_row_t r, int c, double v, lxw_format *fmt, double shown_chars)
{
    if (xl_failed(x))
        return;
    if (sh->fast) {
        char t[40];
        int n = snprintf(t, sizeof t, "%.16G", v);
        xl_rows_number(x, sh, r, c, t, n > 0 ? (size_t)n : 0, fmt);
    } else {
        xl_check(x, worksheet_write_number(sh->ws, r, (lxw_col_t)c, v, fmt), "number cell");
    }
    xl_track(sh, c, shown_chars);
}

/* v / 10^dec as a number cell; exact text on the fast path. */
void xl_cell_scaled(xl *x, xl_sheet *sh, lxw_row_t r, int c, int64_t v, int dec, lxw_format *fmt,
                        double shown_chars)
{
    if (xl_failed(x))
        return;
    if (!sh->fast) {
        double p = 1;
        for (int i = 0; i < dec; i++)
            p *= 10;
        xl_cell_num(x, sh, r, c, (double)v / p, fmt, shown_chars);
        return;
    }
    char t[40];
    xl_rows_number(x, sh, r, c, t, xl_scaled_text(v, dec, t), fmt);
    xl_track(sh, c, shown_chars);
}

/* Decimal digits of |v| (at least 1), plus one for a minus sign: the
 * shown width without a printf per cell (100k-row lists). */
int xl_digits(int64_t v)
{
    int n = v < 0 ? 2 : 1;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    while (u >= 10) {
        u /= 10;
        n++;
    }
    return n;
}

void xl_cell_int(xl *x, xl_sheet *sh, lxw_row_t r, int c, int64_t v, lxw_format *fmt)
{
    if (v == SF_NONE)
        return;
    xl_cell_scaled(x, sh, r, c, v, 0, fmt, (double)xl_digits(v));
}

/* Money cents as a currency-formatted number: cents / 100, exactly the
 * value the CSV's two decimals give. */
void xl_cell_money(xl *x, xl_sheet *sh, lxw_row_t r, int c, int64_t cents, lxw_format *fmt)
{
    if (cents == SF_NONE)
        return;
    /* "1,234.56 EUR": integer digits with separators, 3 decimals, currency */
    int n = xl_digits(cents / 100) + (cents < 0 && cents > -100);
    double shown = n + (n - 1) / 3 + 3 + x->cur_chars;
    xl_cell_scaled(x, sh, r, c, cents, 2, fmt ? fmt : x->f.money, shown);
}

/* A share (e4) as a fraction in percent format: e4 / 10000. */
void xl_cell_pct(xl *x, xl_sheet *sh, lxw_row_t r, int c, int64_t e4, lxw_format *fmt)
{
    if (e4 == SF_NONE)
        return;
    /* "12.34%" */
    int n = xl_digits(e4 / 100) + (e4 < 0 && e4 > -100) + 4;
    xl_cell_scaled(x, sh, r, c, e4, 4, fmt ? fmt : x->f.pct, (double)n);
}

/* A date as an Excel serial day with a date format (a real date cell). */
void xl_cell_date(xl *x, xl_sheet *sh, lxw_row_t r, int c, sf_date d)
{
    if (d == SF_NODATE)
        return;
    if ((int64_t)d + XL_EXCEL_1970 < XL_EXCEL_1900_03_01) {
        /* Excel's serials before March 1900 carry its 1900 leap-year bug:
         * show such a date as ISO text rather than a day off */
        char iso[16];
        sf_date_iso(d, iso);
        xl_cell_str(x, sh, r, c, iso, NULL);
        return;
    }
    xl_cell_scaled(x, sh, r, c, (int64_t)d + XL_EXCEL_1970, 0, x->f.date, 10.0);
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
    size_t cut = xl_utf8_prefix(s, XL_NAME_MAX);
    snprintf(base, sizeof base, "%.*s", (int)cut, s);
    if (!sheet_name_taken(x, base) && strcasecmp(base, "History") != 0)
        return sf_strdup(base);
    for (int i = 2; i < 100; i++) {
        char suffix[8], cand[256];
        int sl = snprintf(suffix, sizeof suffix, " (%d)", i);
        size_t keep = xl_utf8_prefix(base, (size_t)(XL_NAME_MAX - sl));
        snprintf(cand, sizeof cand, "%.*s%s", (int)keep, base, suffix);
        if (!sheet_name_taken(x, cand))
            return sf_strdup(cand);
    }
    return NULL;
}

/* Add a worksheet named from the label key; NULL after recording the
 * failure. The xl owns the name until the workbook is closed. */
xl_sheet *xl_sheet_add(xl *x, const char *label_key)
{
    if (xl_failed(x))
        return NULL;
    if (x->n_sheets == XL_MAX_SHEETS) {
        xl_check(x, LXW_ERROR_PARAMETER_VALIDATION, "too many sheets");
        return NULL;
    }
    char *name = sheet_name_make(x, xl_label(x, label_key));
    if (!name) {
        x->nomem = true;
        return NULL;
    }
    lxw_error e = workbook_validate_sheet_name(x->wb, name);
    lxw_worksheet *ws = e == LXW_NO_ERROR ? workbook_add_worksheet(x->wb, name) : NULL;
    if (!ws) {
        xl_check(x, e != LXW_NO_ERROR ? e : LXW_ERROR_MEMORY_MALLOC_FAILED, "adding a sheet");
        free(name);
        return NULL;
    }
    xl_sheet *sh = &x->sheets[x->n_sheets++];
    memset(sh, 0, sizeof *sh);
    sh->ws = ws;
    sh->name = name;
    return sh;
}

/* A list sheet: localised header row (bold, frozen) and the Excel table
 * over it. The header's texts are "xlsx.col_<name>"; the table's column
 * names must be those texts, or Excel repairs the file. */
xl_sheet *xl_list_begin(xl *x, const sf_list *l, uint32_t nrows, int part)
{
    xl_sheet *sh = xl_sheet_add(x, l->sheet_key);
    if (!sh)
        return NULL;
    const char *headers[SF_LIST_MAX_COLS];
    sh->ncols = l->n_cols;
    for (int c = 0; c < l->n_cols; c++) {
        char key[64];
        snprintf(key, sizeof key, "col_%s", l->cols[c].name);
        headers[c] = xl_label(x, key);
        xl_cell_str(x, sh, 0, c, headers[c], x->f.hdr);
        sh->width[c] += 2; /* room for the filter's drop-down button */
    }
    xl_list_table(x, sh, l, headers, nrows, part);
    worksheet_freeze_panes(sh->ws, 1, 0);
    xl_rows_begin(x, sh);
    return sh;
}

/* Close a list: the "nothing due" note under an empty list's table, the
 * conditional formats, column widths from the longest text and the print
 * setup. */
void xl_list_end(xl *x, xl_sheet *sh, const sf_list *l, uint32_t nrows)
{
    if (!sh || xl_failed(x))
        return;
    double note_w = sh->width[0];
    if (nrows == 0) {
        /* below the table's blank row */
        xl_cell_str(x, sh, 2, 0, xl_label(x, "empty_list"), x->f.note);
        sh->width[0] = note_w; /* the note may spill over; keep column A narrow */
    }
    /* on the library's own path the last row is still pending: write it out
     * before a data bar turns on Excel 2010 attributes for the rows written
     * after it, so that both paths write the same rows */
    if (!sh->fast && sh->ws->optimize)
        lxw_worksheet_write_single_row(sh->ws);
    xl_rows_end(x, sh);
    xl_list_rules(x, sh, l, nrows);
    for (int c = 0; c < sh->ncols && c < XL_MAX_COLS; c++) {
        double w = sh->width[c] + 2.0;
        if (w > XL_WIDTH_MAX)
            w = XL_WIDTH_MAX;
        xl_check(x, worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL), "column width");
    }
    xl_print_setup(x, sh, true, 0);
}
