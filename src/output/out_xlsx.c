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
 * written strictly row by row, top to bottom; the list rows themselves are
 * formatted here and go to the zip compressed (see "Fast rows"). Data texts
 * are always strings (worksheet_write_string, or the row writer's inline
 * strings): a name such as =HYPERLINK(...) stays text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <xlsxwriter.h>

#include "output/sf_output.h"

#define XL_MAX_COLS 16
#define XL_MAX_SHEETS 16
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
} xl_formats;

/* One worksheet being written, and the widest text seen per column (in
 * characters) for the column widths set once its rows are written. */
typedef struct {
    lxw_worksheet *ws;
    char *name;          /* owned; charts refer to the sheet by it */
    int ncols;
    double width[XL_MAX_COLS];
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

/* The input's base name as rejects.csv writes it (same lookup order as
 * out_csv.c). Borrowed. */
static const char *file_base(const sf_output_ctx *o, sf_file_kind k)
{
    const char *p = o->cfg->file[k];
    if (!p && o->ds)
        p = o->ds->files[k].path;
    if (!p)
        return sf_file_kind_name(k);
    const char *slash = strrchr(p, '/');
    return slash ? slash + 1 : p;
}

/* ---------------------------------------------------------------------
 * Fast rows. libxlsxwriter spends microseconds per cell (a calloc'd cell,
 * fprintf of its reference and a %.16G number): most of the time of a
 * 100,000-account workbook. In constant-memory mode the library streams
 * each finished row as XML into the sheet's row file (ws->file) and copies
 * that file into the sheet when the workbook closes. A list's data rows are
 * therefore formatted here, in exactly the XML the library writes for them
 * (the same elements, escapes and style ids), and handed to the zip layer
 * (sf_zip_rows, zip_deflate.c), which compresses them on the other core;
 * the row file gets only a marker where they belong. The
 * header row, the autofilter, the widths and everything else still go
 * through the library. One difference: a cell that directly follows the
 * previous one in its row has no r="" reference (it is optional), which
 * makes a fifth less XML to write and compress. Numbers are written from the exact integers (cents,
 * e4 shares), the decimal that the library's %.16G prints for them.
 * --------------------------------------------------------------------- */

#define XL_ROWS_FLUSH ((size_t)1 << 18)

static bool rows_flush(xl *x, xl_sheet *sh)
{
    xl_rows *w = &x->rows;
    if (w->len && !sf_zip_rows_write(sh->zr, w->buf, w->len)) {
        x->nomem = true;
        w->len = 0;
        return false;
    }
    w->len = 0;
    return true;
}

/* Room for need more bytes, flushing first when the buffer is full. */
static bool rows_reserve(xl *x, xl_sheet *sh, size_t need)
{
    xl_rows *w = &x->rows;
    if (w->len + need <= w->cap)
        return true;
    if (!rows_flush(x, sh))
        return false;
    if (need <= w->cap)
        return true;
    size_t cap = need > XL_ROWS_FLUSH ? need : XL_ROWS_FLUSH;
    char *b = realloc(w->buf, cap);
    if (!b) {
        x->nomem = true;
        return false;
    }
    w->buf = b;
    w->cap = cap;
    return true;
}

static void rows_put(xl_rows *w, const char *s, size_t n)
{
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

#define ROWS_LIT(w, lit) rows_put((w), (lit), sizeof(lit) - 1)

/* Decimal digits of u into out (no terminator); returns the length. */
static size_t u64_text(uint64_t u, char *out)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

/* v / 10^dec exactly, without trailing zeros: 45095449,2 -> "450954.49". */
static size_t scaled_text(int64_t v, int dec, char *out)
{
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, p = 1;
    for (int i = 0; i < dec; i++)
        p *= 10;
    size_t n = 0;
    if (v < 0)
        out[n++] = '-';
    n += u64_text(u / p, out + n);
    uint64_t f = u % p;
    if (f) {
        out[n++] = '.';
        for (uint64_t q = p / 10; q && f; q /= 10) {
            out[n++] = (char)('0' + f / q);
            f %= q;
        }
    }
    return n;
}

/* Start the row stream of a list sheet after its header: the library
 * writes out the header row now, the rest is appended behind it. Leaves
 * the sheet on the library's own path when it is not in constant-memory
 * mode (then there is no row stream to append to). */
static void rows_begin(xl *x, xl_sheet *sh)
{
    if (xl_failed(x) || !sh->ws->optimize || !sh->ws->file)
        return;
    lxw_worksheet_write_single_row(sh->ws);
    if (!(sh->zr = sf_zip_rows_new(!(x->o->set && x->o->set->single_thread)))) {
        x->nomem = true;
        return;
    }
    if (fwrite(sf_zip_rows_marker(sh->zr), 1, SF_ZIP_MARK_LEN, sh->ws->file) != SF_ZIP_MARK_LEN) {
        xl_check(x, LXW_ERROR_CREATING_TMPFILE, "writing the row file");
        return;
    }
    sh->fast = true;
    x->rows.open = false;
    x->rows.max_row = 0;
    x->rows.max_col = -1;
}

/* Close the last row, hand the stream back and widen the sheet's
 * dimension (the <dimension> element) over the rows written here. */
static void rows_end(xl *x, xl_sheet *sh)
{
    if (!sh->fast)
        return;
    xl_rows *w = &x->rows;
    if (w->open && rows_reserve(x, sh, 8))
        ROWS_LIT(w, "</row>");
    w->open = false;
    if (rows_flush(x, sh) && !sf_zip_rows_finish(sh->zr))
        x->nomem = true;
    sh->fast = false;
    lxw_worksheet *ws = sh->ws;
    if (w->max_col >= 0) {
        if (ws->dim_rowmin > 1)
            ws->dim_rowmin = 1;
        if (ws->dim_rowmax == LXW_ROW_MAX || ws->dim_rowmax < w->max_row)
            ws->dim_rowmax = w->max_row;
        if (ws->dim_colmin > 0)
            ws->dim_colmin = 0;
        if (ws->dim_colmax == LXW_COL_MAX || ws->dim_colmax < (lxw_col_t)w->max_col)
            ws->dim_colmax = (lxw_col_t)w->max_col;
    }
}

/* Open cell (r, c): `<c r="E7"` plus ` s="n"` for a format. need is the
 * room the caller appends after it. False after recording a failure. */
static bool rows_cell(xl *x, xl_sheet *sh, lxw_row_t r, int c, lxw_format *fmt, size_t need)
{
    xl_rows *w = &x->rows;
    if (r >= LXW_ROW_MAX || c < 0 || c >= LXW_COL_MAX || (w->open && r < w->row)) {
        xl_check(x, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE, "list row");
        return false;
    }
    if (!rows_reserve(x, sh, need + 64))
        return false;
    if (!w->open || r != w->row) {
        if (w->open)
            ROWS_LIT(w, "</row>");
        w->row = r;
        w->open = true;
        w->last_col = -1;
        w->rtxt_n = u64_text((uint64_t)r + 1, w->rtxt);
        ROWS_LIT(w, "<row r=\"");
        rows_put(w, w->rtxt, w->rtxt_n);
        ROWS_LIT(w, "\">");
    }
    if (r > w->max_row)
        w->max_row = r;
    if (c > w->max_col)
        w->max_col = c;
    if (c == w->last_col + 1) {
        /* the reference is optional for the cell right after the previous
         * one (ECMA-376 CT_Cell): a fifth of the sheet's bytes saved */
        ROWS_LIT(w, "<c");
    } else {
        char col[8];
        lxw_col_to_name(col, (lxw_col_t)c, 0);
        ROWS_LIT(w, "<c r=\"");
        rows_put(w, col, strlen(col));
        rows_put(w, w->rtxt, w->rtxt_n);
        w->buf[w->len++] = '"';
    }
    w->last_col = c;
    int32_t style = fmt ? lxw_format_get_xf_index(fmt) : 0;
    if (style > 0) {
        ROWS_LIT(w, " s=\"");
        w->len += u64_text((uint64_t)style, w->buf + w->len);
        w->buf[w->len++] = '"';
    }
    return true;
}

static void rows_number(xl *x, xl_sheet *sh, lxw_row_t r, int c, const char *v, size_t n, lxw_format *fmt)
{
    if (!rows_cell(x, sh, r, c, fmt, n + 16))
        return;
    xl_rows *w = &x->rows;
    ROWS_LIT(w, "><v>");
    rows_put(w, v, n);
    ROWS_LIT(w, "</v></c>");
}

static void rows_blank(xl *x, xl_sheet *sh, lxw_row_t r, int c, lxw_format *fmt)
{
    if (rows_cell(x, sh, r, c, fmt, 4))
        ROWS_LIT(&x->rows, "/>");
}

/* An inline string as the library writes it: control characters other
 * than tab and line feed as _xHHHH_, then & < > escaped, and
 * xml:space="preserve" when it starts or ends with white space. */
static void rows_string(xl *x, xl_sheet *sh, lxw_row_t r, int c, const char *s, size_t n, lxw_format *fmt)
{
    if (!rows_cell(x, sh, r, c, fmt, 7 * n + 64))
        return;
    xl_rows *w = &x->rows;
    unsigned char first = (unsigned char)s[0], last = (unsigned char)s[n - 1];
    bool keep_space = first == ' ' || first == '\t' || first == '\n' || last == ' ' || last == '\t' ||
                      last == '\n';
    if (keep_space)
        ROWS_LIT(w, " t=\"inlineStr\"><is><t xml:space=\"preserve\">");
    else
        ROWS_LIT(w, " t=\"inlineStr\"><is><t>");
    static const char hex[] = "0123456789ABCDEF";
    char *o = w->buf + w->len;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x20 && ch != '&' && ch != '<' && ch != '>') {
            *o++ = (char)ch;
        } else if (ch == '&') {
            memcpy(o, "&amp;", 5);
            o += 5;
        } else if (ch == '<') {
            memcpy(o, "&lt;", 4);
            o += 4;
        } else if (ch == '>') {
            memcpy(o, "&gt;", 4);
            o += 4;
        } else if (ch == '\t' || ch == '\n') {
            *o++ = (char)ch;
        } else {
            memcpy(o, "_x00", 4);
            o[4] = hex[ch >> 4];
            o[5] = hex[ch & 15];
            o[6] = '_';
            o += 7;
        }
    }
    w->len = (size_t)(o - w->buf);
    ROWS_LIT(w, "</t></is></c>");
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
static void cell_str(xl *x, xl_sheet *sh, lxw_row_t r, int c, const char *s, lxw_format *fmt)
{
    if (xl_failed(x))
        return;
    if (!s || !*s) {
        if (fmt && sh->fast)
            rows_blank(x, sh, r, c, fmt);
        else if (fmt)
            xl_check(x, worksheet_write_blank(sh->ws, r, (lxw_col_t)c, fmt), "blank cell");
        return;
    }
    bool non_xml;
    size_t chars = text_scan(s, &non_xml);
    if (chars <= XL_STR_MAX && !non_xml) {
        if (sh->fast)
            rows_string(x, sh, r, c, s, strlen(s), fmt);
        else
            xl_check(x, worksheet_write_string(sh->ws, r, (lxw_col_t)c, s, fmt), "text cell");
        xl_track(sh, c, (double)chars);
        return;
    }
    size_t n = chars > XL_STR_MAX ? utf8_prefix(s, XL_STR_MAX) : strlen(s);
    char *copy = sf_strndup(s, n);
    if (!copy) {
        x->nomem = true;
        return;
    }
    for (unsigned char *p = (unsigned char *)copy; p[0] && p[1] && p[2]; p++)
        if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF))
            p[2] = 0xBD;
    if (sh->fast)
        rows_string(x, sh, r, c, copy, strlen(copy), fmt);
    else
        xl_check(x, worksheet_write_string(sh->ws, r, (lxw_col_t)c, copy, fmt), "text cell");
    free(copy);
    xl_track(sh, c, (double)(chars > XL_STR_MAX ? XL_STR_MAX : chars));
}

static void cell_num(xl *x, xl_sheet *sh, lxw_row_t r, int c, double v, lxw_format *fmt, double shown_chars)
{
    if (xl_failed(x))
        return;
    if (sh->fast) {
        char t[40];
        int n = snprintf(t, sizeof t, "%.16G", v);
        rows_number(x, sh, r, c, t, n > 0 ? (size_t)n : 0, fmt);
    } else {
        xl_check(x, worksheet_write_number(sh->ws, r, (lxw_col_t)c, v, fmt), "number cell");
    }
    xl_track(sh, c, shown_chars);
}

/* v / 10^dec as a number cell; exact text on the fast path. */
static void cell_scaled(xl *x, xl_sheet *sh, lxw_row_t r, int c, int64_t v, int dec, lxw_format *fmt,
                        double shown_chars)
{
    if (xl_failed(x))
        return;
    if (!sh->fast) {
        double p = 1;
        for (int i = 0; i < dec; i++)
            p *= 10;
        cell_num(x, sh, r, c, (double)v / p, fmt, shown_chars);
        return;
    }
    char t[40];
    rows_number(x, sh, r, c, t, scaled_text(v, dec, t), fmt);
    xl_track(sh, c, shown_chars);
}

/* Decimal digits of |v| (at least 1), plus one for a minus sign: the
 * shown width without a printf per cell (100k-row lists). */
static int digits(int64_t v)
{
    int n = v < 0 ? 2 : 1;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    while (u >= 10) {
        u /= 10;
        n++;
    }
    return n;
}

static void cell_int(xl *x, xl_sheet *sh, lxw_row_t r, int c, int64_t v, lxw_format *fmt)
{
    if (v == SF_NONE)
        return;
    cell_scaled(x, sh, r, c, v, 0, fmt, (double)digits(v));
}

/* Money cents as a currency-formatted number: cents / 100, exactly the
 * value the CSV's two decimals give. */
static void cell_money(xl *x, xl_sheet *sh, lxw_row_t r, int c, int64_t cents, lxw_format *fmt)
{
    if (cents == SF_NONE)
        return;
    /* "1,234.56 EUR": integer digits with separators, 3 decimals, currency */
    int n = digits(cents / 100) + (cents < 0 && cents > -100);
    double shown = n + (n - 1) / 3 + 3 + x->cur_chars;
    cell_scaled(x, sh, r, c, cents, 2, fmt ? fmt : x->f.money, shown);
}

/* A share (e4) as a fraction in percent format: e4 / 10000. */
static void cell_pct(xl *x, xl_sheet *sh, lxw_row_t r, int c, int64_t e4, lxw_format *fmt)
{
    if (e4 == SF_NONE)
        return;
    /* "12.34%" */
    int n = digits(e4 / 100) + (e4 < 0 && e4 > -100) + 4;
    cell_scaled(x, sh, r, c, e4, 4, fmt ? fmt : x->f.pct, (double)n);
}

/* A date as an Excel serial day with a date format (a real date cell). */
static void cell_date(xl *x, xl_sheet *sh, lxw_row_t r, int c, sf_date d)
{
    if (d == SF_NODATE)
        return;
    if ((int64_t)d + XL_EXCEL_1970 < XL_EXCEL_1900_03_01) {
        /* Excel's serials before March 1900 carry its 1900 leap-year bug:
         * show such a date as ISO text rather than a day off */
        char iso[16];
        sf_date_iso(d, iso);
        cell_str(x, sh, r, c, iso, NULL);
        return;
    }
    cell_scaled(x, sh, r, c, (int64_t)d + XL_EXCEL_1970, 0, x->f.date, 10.0);
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

/* Add a worksheet named from the label key; NULL after recording the
 * failure. The xl owns the name until the workbook is closed. */
static xl_sheet *sheet_add(xl *x, const char *label_key)
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

/* A list sheet: localised header row (bold, frozen). cols are the CSV
 * column names of SPEC §4; "xlsx.col_<name>" gives each header. */
static xl_sheet *list_begin(xl *x, const char *sheet_key, const char *const *cols, int ncols)
{
    xl_sheet *sh = sheet_add(x, sheet_key);
    if (!sh)
        return NULL;
    sh->ncols = ncols;
    for (int c = 0; c < ncols; c++) {
        char key[64];
        snprintf(key, sizeof key, "col_%s", cols[c]);
        cell_str(x, sh, 0, c, xl_label(x, key), x->f.hdr);
        sh->width[c] += 2; /* room for the autofilter's drop-down button */
    }
    worksheet_freeze_panes(sh->ws, 1, 0);
    rows_begin(x, sh);
    return sh;
}

/* Close a list: the "nothing due" note for an empty list, the autofilter
 * over header and data, and column widths from the longest text. */
static void list_end(xl *x, xl_sheet *sh, uint32_t nrows)
{
    if (!sh || xl_failed(x))
        return;
    /* before the note: in constant memory mode a range may not end above
     * the row being written */
    xl_check(x, worksheet_autofilter(sh->ws, 0, 0, nrows, (lxw_col_t)(sh->ncols - 1)), "autofilter");
    double note_w = sh->width[0];
    if (nrows == 0) {
        cell_str(x, sh, 1, 0, xl_label(x, "empty_list"), x->f.note);
        sh->width[0] = note_w; /* the note may spill over; keep column A narrow */
    }
    rows_end(x, sh);
    for (int c = 0; c < sh->ncols && c < XL_MAX_COLS; c++) {
        double w = sh->width[c] + 2.0;
        if (w > XL_WIDTH_MAX)
            w = XL_WIDTH_MAX;
        xl_check(x, worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL), "column width");
    }
}

/* ';'-joined names of the set bits, in bit order (as the CSV writes). */
static void join_bits(unsigned bits, int n, const char *(*name)(int), char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (!(bits & (1u << i)))
            continue;
        int w = snprintf(out + len, size - len, "%s%s", len ? ";" : "", name(i));
        if (w < 0 || (size_t)w >= size - len)
            break;
        len += (size_t)w;
    }
}

/* The four account columns every account list starts with. */
static void account_cells(xl *x, xl_sheet *sh, lxw_row_t r, uint32_t a)
{
    const sf_dataset *ds = x->o->ds;
    const sf_account *acc = &ds->accounts[a];
    sf_tier t = x->o->rep->tiers.acc[a].tier;
    cell_str(x, sh, r, 0, acc->id, NULL);
    cell_str(x, sh, r, 1, acc->name, NULL);
    cell_str(x, sh, r, 2, owner_name(ds, acc->owner), NULL);
    cell_str(x, sh, r, 3, sf_tier_name(t), x->f.tier[t]);
}

/* ---------------------------------------------------------------------
 * The list sheets, in the column order and row order of out_csv.c.
 * --------------------------------------------------------------------- */

static void sheet_accounts(xl *x)
{
    static const char *const cols[] = {"account_id", "name", "owner", "tier", "rev12", "potential",
                                       "ratio", "realization", "temperature", "last_contact", "next_due"};
    xl_sheet *sh = list_begin(x, "sheet_accounts", cols, (int)SF_ARRAY_LEN(cols));
    if (!sh)
        return;
    const sf_dataset *ds = x->o->ds;
    const sf_tiers_result *t = &x->o->rep->tiers;
    uint32_t n = t->order ? ds->n_accounts : 0;
    for (uint32_t i = 0; i < n && !xl_failed(x); i++) {
        uint32_t a = t->order[i];
        const sf_account_result *res = &t->acc[a];
        lxw_row_t r = i + 1;
        account_cells(x, sh, r, a);
        cell_money(x, sh, r, 4, ds->accounts[a].rev12, NULL);
        cell_money(x, sh, r, 5, res->potential, NULL);
        cell_pct(x, sh, r, 6, res->ratio, NULL);
        cell_pct(x, sh, r, 7, res->realization, NULL);
        cell_str(x, sh, r, 8, sf_temp_name(res->temp), x->f.temp[res->temp]);
        cell_date(x, sh, r, 9, ds->accounts[a].last_contact);
        cell_date(x, sh, r, 10, res->next_due);
    }
    list_end(x, sh, n);
}

static void sheet_cadence(xl *x)
{
    static const char *const cols[] = {"account_id", "name", "owner", "tier", "last_contact",
                                       "next_due", "days_overdue", "channel"};
    xl_sheet *sh = list_begin(x, "sheet_cadence", cols, (int)SF_ARRAY_LEN(cols));
    if (!sh)
        return;
    const sf_cadence_result *cr = &x->o->rep->cadence;
    for (uint32_t i = 0; i < cr->n && !xl_failed(x); i++) {
        const sf_cadence_row *row = &cr->rows[i];
        lxw_row_t r = i + 1;
        account_cells(x, sh, r, row->account);
        cell_date(x, sh, r, 4, row->last_contact);
        cell_date(x, sh, r, 5, row->next_due);
        cell_int(x, sh, r, 6, row->days_overdue, x->f.integer);
        cell_str(x, sh, r, 7, row->channel, NULL);
    }
    list_end(x, sh, cr->n);
}

static void sheet_declines(xl *x)
{
    static const char *const cols[] = {"account_id", "name", "owner", "tier", "prior",
                                       "current", "drop", "drop_share", "severity"};
    xl_sheet *sh = list_begin(x, "sheet_declines", cols, (int)SF_ARRAY_LEN(cols));
    if (!sh)
        return;
    const sf_decline_result *dr = &x->o->rep->decline;
    for (uint32_t i = 0; i < dr->n && !xl_failed(x); i++) {
        const sf_decline_row *row = &dr->rows[i];
        lxw_row_t r = i + 1;
        account_cells(x, sh, r, row->account);
        cell_money(x, sh, r, 4, row->prior, NULL);
        cell_money(x, sh, r, 5, row->current, NULL);
        cell_money(x, sh, r, 6, row->drop, NULL);
        cell_pct(x, sh, r, 7, row->drop_share, NULL);
        cell_str(x, sh, r, 8, row->lost ? "lost" : "declining", NULL);
    }
    list_end(x, sh, dr->n);
}

static void sheet_fire(xl *x)
{
    static const char *const cols[] = {"account_id", "name", "owner", "tier", "rev12",
                                       "margin12", "cost12", "net_value", "reasons"};
    xl_sheet *sh = list_begin(x, "sheet_fire", cols, (int)SF_ARRAY_LEN(cols));
    if (!sh)
        return;
    const sf_fire_result *fr = &x->o->rep->fire;
    for (uint32_t i = 0; i < fr->n && !xl_failed(x); i++) {
        const sf_fire_row *row = &fr->rows[i];
        lxw_row_t r = i + 1;
        char reasons[256];
        join_bits(row->reasons, SF_FIRE_REASON_N, sf_fire_reason_name, reasons, sizeof reasons);
        account_cells(x, sh, r, row->account);
        cell_money(x, sh, r, 4, row->rev12, NULL);
        cell_money(x, sh, r, 5, row->margin12, NULL);
        cell_money(x, sh, r, 6, row->cost12, NULL);
        cell_money(x, sh, r, 7, row->net_value, NULL);
        cell_str(x, sh, r, 8, reasons, NULL);
    }
    list_end(x, sh, fr->n);
}

static void sheet_split(xl *x)
{
    static const char *const cols[] = {"owner", "key_share", "mode", "recommended_key",
                                       "recommended_rest", "actual_key", "actual_other",
                                       "actual_prospecting"};
    xl_sheet *sh = list_begin(x, "sheet_time_split", cols, (int)SF_ARRAY_LEN(cols));
    if (!sh)
        return;
    const sf_split_result *sr = &x->o->rep->split;
    for (uint32_t i = 0; i < sr->n && !xl_failed(x); i++) {
        const sf_split_row *row = &sr->rows[i];
        lxw_row_t r = i + 1;
        cell_str(x, sh, r, 0, owner_name(x->o->ds, row->owner), NULL);
        cell_pct(x, sh, r, 1, row->key_share, NULL);
        cell_str(x, sh, r, 2, row->mode_new ? "new" : "existing", NULL);
        cell_pct(x, sh, r, 3, row->recommended_key, NULL);
        cell_pct(x, sh, r, 4, row->recommended_rest, NULL);
        cell_pct(x, sh, r, 5, row->actual_key, NULL);
        cell_pct(x, sh, r, 6, row->actual_other, NULL);
        cell_pct(x, sh, r, 7, row->actual_prospecting, NULL);
    }
    list_end(x, sh, sr->n);
}

static void sheet_pipeline(xl *x)
{
    static const char *const cols[] = {"opportunity_id", "account_id", "owner", "stage", "amount",
                                       "probability", "next_step_date", "filter1", "filter1_misses",
                                       "filter2", "filter2_misses", "verdict"};
    xl_sheet *sh = list_begin(x, "sheet_pipeline", cols, (int)SF_ARRAY_LEN(cols));
    if (!sh)
        return;
    const sf_pipeline_result *pr = &x->o->rep->pipeline;
    for (uint32_t i = 0; i < pr->n && !xl_failed(x); i++) {
        const sf_pipeline_row *row = &pr->rows[i];
        const sf_opportunity *op = &x->o->ds->opps[row->opp];
        lxw_row_t r = i + 1;
        char m1[256], m2[256];
        join_bits(row->f1_misses, SF_F1_MISS_N, sf_f1_miss_name, m1, sizeof m1);
        join_bits(row->f2_misses, SF_F2_MISS_N, sf_f2_miss_name, m2, sizeof m2);
        cell_str(x, sh, r, 0, op->id, NULL);
        cell_str(x, sh, r, 1, op->account_id, NULL);
        cell_str(x, sh, r, 2, owner_name(x->o->ds, op->owner), NULL);
        cell_str(x, sh, r, 3, op->stage, NULL);
        cell_money(x, sh, r, 4, op->amount, NULL);
        if (op->probability_text && op->probability != SF_NONE) {
            /* as a number where the CSV shows the text as given; ppm of a
             * percentage point: 60 % is 60000000 */
            char buf[32];
            int w = snprintf(buf, sizeof buf, "%g", (double)op->probability / SF_PPM);
            cell_num(x, sh, r, 5, (double)op->probability / SF_PPM, NULL, (double)w);
        }
        cell_date(x, sh, r, 6, op->next_step_date);
        cell_str(x, sh, r, 7, row->f1_misses ? "fail" : "pass", NULL);
        cell_str(x, sh, r, 8, m1, NULL);
        cell_str(x, sh, r, 9, row->f2_misses ? "fail" : "pass", NULL);
        cell_str(x, sh, r, 10, m2, NULL);
        cell_str(x, sh, r, 11, sf_verdict_name(row->verdict), NULL);
    }
    list_end(x, sh, pr->n);
}

static void sheet_kpis(xl *x)
{
    static const char *const cols[] = {"owner", "calls", "calls_per_day", "conversations",
                                       "appointments", "conv_to_appt", "proposals",
                                       "appt_to_proposal", "won", "lost", "close_ratio",
                                       "median_cycle_days", "avg_sale"};
    xl_sheet *sh = list_begin(x, "sheet_kpis", cols, (int)SF_ARRAY_LEN(cols));
    if (!sh)
        return;
    const sf_config *cfg = x->o->cfg;
    const sf_kpi_result *kr = &x->o->rep->kpi;
    for (uint32_t i = 0; i < kr->n && !xl_failed(x); i++) {
        const sf_kpi_row *row = &kr->rows[i];
        lxw_row_t r = i + 1;
        /* benchmark bands of SPEC §3.7: quota in calls, band in ppm */
        bool low_calls = row->calls_per_day != SF_NONE &&
                         (__int128)row->calls_per_day < (__int128)cfg->daily_call_quota * SF_E4;
        bool off_band = row->conv_to_appt != SF_NONE &&
                        ((__int128)row->conv_to_appt * 100 < cfg->conv_to_appt_low ||
                         (__int128)row->conv_to_appt * 100 > cfg->conv_to_appt_high);
        cell_str(x, sh, r, 0, owner_name(x->o->ds, row->owner), NULL);
        cell_int(x, sh, r, 1, row->calls, x->f.integer);
        if (row->calls_per_day != SF_NONE) {
            char buf[32];
            int w = snprintf(buf, sizeof buf, "%.2f", (double)row->calls_per_day / SF_E4);
            cell_num(x, sh, r, 2, (double)row->calls_per_day / SF_E4,
                     low_calls ? x->f.bad_dec : x->f.dec2, (double)w);
        }
        cell_int(x, sh, r, 3, row->conversations, x->f.integer);
        cell_int(x, sh, r, 4, row->appointments, x->f.integer);
        cell_pct(x, sh, r, 5, row->conv_to_appt, off_band ? x->f.bad_pct : NULL);
        cell_int(x, sh, r, 6, row->proposals, x->f.integer);
        cell_pct(x, sh, r, 7, row->appt_to_proposal, NULL);
        cell_int(x, sh, r, 8, row->won, x->f.integer);
        cell_int(x, sh, r, 9, row->lost, x->f.integer);
        cell_pct(x, sh, r, 10, row->close_ratio, NULL);
        cell_int(x, sh, r, 11, row->median_cycle_days, x->f.integer);
        cell_money(x, sh, r, 12, row->avg_sale, NULL);
    }
    list_end(x, sh, kr->n);
}

/* rejects.csv order without touching the (const) list: file, line, then
 * position, exactly as out_csv.c sorts. The keys are copied so that the
 * comparison needs no global (outputs may run in threads). */
typedef struct {
    sf_file_kind file;
    uint32_t line;
    size_t pos;
} xl_rej_key;

static int cmp_reject(const void *pa, const void *pb)
{
    const xl_rej_key *p = pa, *q = pb;
    if (p->file != q->file)
        return p->file < q->file ? -1 : 1;
    if (p->line != q->line)
        return p->line < q->line ? -1 : 1;
    return p->pos < q->pos ? -1 : p->pos > q->pos;
}

static void sheet_rejects(xl *x)
{
    static const char *const cols[] = {"file", "line", "reason", "field", "action", "raw"};
    xl_sheet *sh = list_begin(x, "sheet_rejects", cols, (int)SF_ARRAY_LEN(cols));
    if (!sh)
        return;
    const sf_rejects *rj = x->o->rejects;
    size_t n = rj ? rj->n : 0;
    xl_rej_key *ix = malloc((n ? n : 1) * sizeof *ix);
    if (!ix) {
        x->nomem = true;
        return;
    }
    for (size_t i = 0; i < n; i++)
        ix[i] = (xl_rej_key){rj->v[i].file, rj->v[i].line, i};
    if (n)
        qsort(ix, n, sizeof *ix, cmp_reject);

    lxw_row_t r = 0;
    for (size_t s = 0; s < n && !xl_failed(x);) {
        /* one record = same file and line; once rejected, the lines for
         * fields it kept earlier are moot (SPEC §1.1), as in rejects.csv */
        size_t end = s + 1;
        bool rejected = !rj->v[ix[s].pos].kept;
        while (end < n && ix[end].file == ix[s].file && ix[end].line == ix[s].line) {
            rejected |= !rj->v[ix[end].pos].kept;
            end++;
        }
        for (size_t i = s; i < end; i++) {
            const sf_reject *rec = &rj->v[ix[i].pos];
            if (rejected && rec->kept)
                continue;
            r++;
            cell_str(x, sh, r, 0, file_base(x->o, rec->file), NULL);
            cell_int(x, sh, r, 1, rec->line, x->f.integer);
            cell_str(x, sh, r, 2, sf_reject_reason_name(rec->reason), NULL);
            cell_str(x, sh, r, 3, rec->field, NULL);
            cell_str(x, sh, r, 4, rec->kept ? "kept" : "rejected", NULL);
            cell_str(x, sh, r, 5, rec->raw, NULL);
        }
        s = end;
    }
    free(ix);
    list_end(x, sh, r);
}

/* ---------------------------------------------------------------------
 * The Summary sheet: headline figures, then the tables the charts draw
 * on (kept visible: they are the charts' numbers), written top to bottom.
 * --------------------------------------------------------------------- */

/* Row numbers of the chart data tables on the Summary sheet. */
typedef struct {
    lxw_row_t tier_first;             /* 4 rows A..D: tier, accounts, revenue */
    lxw_row_t split_first, split_last;
    lxw_row_t verdict_first, verdict_last;
    lxw_row_t pareto_first, pareto_last;
} xl_summary_rows;

static void kv_label(xl *x, xl_sheet *sh, lxw_row_t r, const char *key)
{
    cell_str(x, sh, r, 0, xl_label(x, key), x->f.label);
}

static void section(xl *x, xl_sheet *sh, lxw_row_t r, const char *key, const char *const *cols, int n)
{
    cell_str(x, sh, r, 0, xl_label(x, key), x->f.section);
    for (int c = 0; c < n; c++)
        cell_str(x, sh, r, c + 1, xl_label(x, cols[c]), x->f.hdr);
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

static void sheet_summary(xl *x, xl_summary_rows *rows)
{
    xl_sheet *sh = sheet_add(x, "sheet_summary");
    if (!sh)
        return;
    const sf_config *cfg = x->o->cfg;
    const sf_dataset *ds = x->o->ds;
    const sf_report *rep = x->o->rep;
    const sf_summary_result *s = &rep->summary;
    lxw_row_t r = 0;

    cell_str(x, sh, r, 0, xl_label(x, "title"), x->f.title);
    sh->width[0] = 0; /* the title spills over; it does not size column A */
    r += 2;
    kv_label(x, sh, r, "as_of");
    cell_date(x, sh, r++, 1, rep->as_of);
    kv_label(x, sh, r, "period");
    const char *period = cfg->period ? cfg->period : "";
    if (strcmp(period, "weekly") == 0)
        period = xl_label(x, "period_weekly");
    else if (strcmp(period, "monthly") == 0)
        period = xl_label(x, "period_monthly");
    cell_str(x, sh, r++, 1, period, NULL);
    kv_label(x, sh, r, "currency");
    cell_str(x, sh, r++, 1, cfg->currency, NULL);
    r++;

    cell_str(x, sh, r++, 0, xl_label(x, "headline"), x->f.section);
    kv_label(x, sh, r, "rev12_total");
    cell_money(x, sh, r++, 1, s->rev12_total, NULL);
    kv_label(x, sh, r, "rev_prev12_total");
    cell_money(x, sh, r++, 1, s->rev_prev12_total, NULL);
    kv_label(x, sh, r, "growth");
    cell_pct(x, sh, r++, 1, s->growth, NULL);
    kv_label(x, sh, r, "due_count");
    cell_int(x, sh, r++, 1, s->due_count, x->f.integer);
    kv_label(x, sh, r, "alert_count");
    cell_int(x, sh, r++, 1, s->alert_count, x->f.integer);
    kv_label(x, sh, r, "lost_count");
    cell_int(x, sh, r++, 1, s->lost_count, x->f.integer);
    kv_label(x, sh, r, "fire_count");
    cell_int(x, sh, r++, 1, s->fire_count, x->f.integer);
    static const char *const vkeys[3] = {"verdict_pursue_count", "verdict_qualify_count",
                                         "verdict_drop_count"};
    for (int v = 0; v < 3; v++) {
        kv_label(x, sh, r, vkeys[v]);
        cell_int(x, sh, r++, 1, s->verdict_count[v], x->f.integer);
    }
    kv_label(x, sh, r, "rejected_total");
    cell_int(x, sh, r++, 1, s->rejected_total, x->f.integer);
    r++;

    static const char *const tier_cols[] = {"accounts", "revenue"};
    section(x, sh, r++, "tiers", tier_cols, 2);
    rows->tier_first = r;
    for (int t = 0; t < SF_TIER_N; t++) {
        cell_str(x, sh, r, 0, sf_tier_name((sf_tier)t), x->f.tier[t]);
        cell_int(x, sh, r, 1, s->tier_accounts[t], x->f.integer);
        cell_money(x, sh, r++, 2, s->tier_revenue[t], NULL);
    }
    r++;

    static const char *const file_cols[] = {"read", "accepted", "rejected"};
    section(x, sh, r++, "input_files", file_cols, 3);
    for (int k = 0; k < SF_FILE_N; k++) {
        const sf_file_stats *fs = &ds->files[k];
        if (!fs->present)
            continue;
        cell_str(x, sh, r, 0, file_base(x->o, (sf_file_kind)k), NULL);
        cell_int(x, sh, r, 1, fs->read, x->f.integer);
        cell_int(x, sh, r, 2, fs->accepted, x->f.integer);
        cell_int(x, sh, r++, 3, fs->rejected, x->f.integer);
    }
    r++;

    static const char *const split_cols[] = {"col_recommended_key", "col_actual_key"};
    section(x, sh, r++, "time_split", split_cols, 2);
    rows->split_first = r;
    for (uint32_t i = 0; i < rep->split.n; i++) {
        const sf_split_row *row = &rep->split.rows[i];
        cell_str(x, sh, r, 0, owner_name(ds, row->owner), NULL);
        cell_pct(x, sh, r, 1, row->recommended_key, NULL);
        cell_pct(x, sh, r++, 2, row->actual_key, NULL);
    }
    if (r == rows->split_first) /* a chart needs one row, even an empty one */
        cell_str(x, sh, r++, 0, "(all)", NULL);
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
        cell_str(x, sh, r, 0, owner_name(ds, id), NULL);
        for (int v = 0; v < 3; v++)
            cell_int(x, sh, r, 1 + v, g[v], x->f.integer);
        r++;
    }
    if (r == rows->verdict_first) {
        cell_str(x, sh, r, 0, "(all)", NULL);
        for (int v = 0; v < 3; v++)
            cell_int(x, sh, r, 1 + v, s->verdict_count[v], x->f.integer);
        r++;
    }
    rows->verdict_last = r - 1;
    r++;

    if (rep->n_skipped > 0) {
        cell_str(x, sh, r++, 0, xl_label(x, "notes"), x->f.section);
        double w = sh->width[0];
        for (int i = 0; i < rep->n_skipped; i++)
            cell_str(x, sh, r++, 0, rep->skipped[i], x->f.note);
        sh->width[0] = w;
        r++;
    }

    double px[XL_PARETO_POINTS], py[XL_PARETO_POINTS];
    int np = pareto_points(rep, ds, px, py);
    static const char *const pareto_cols[] = {"pareto_clients", "pareto_revenue"};
    section(x, sh, r++, "pareto", pareto_cols, 2);
    rows->pareto_first = r;
    for (int i = 0; i < np; i++) {
        cell_num(x, sh, r, 1, px[i], x->f.pct, 8);
        cell_num(x, sh, r++, 2, py[i], x->f.pct, 8);
    }
    rows->pareto_last = r - 1;

    double wa = sh->width[0] + 2 > XL_WIDTH_MAX ? XL_WIDTH_MAX : sh->width[0] + 2;
    xl_check(x, worksheet_set_column(sh->ws, 0, 0, wa, NULL), "column width");
    for (int c = 1; c <= 3; c++) {
        double w = sh->width[c] + 2 > XL_WIDTH_MAX ? XL_WIDTH_MAX : sh->width[c] + 2;
        xl_check(x, worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL), "column width");
    }
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
    lxw_chart_options opt = {.x_scale = 1.0, .y_scale = 1.0};
    xl_check(x, worksheet_insert_chart_opt(sh->ws, r, (lxw_col_t)c, ch, &opt), "placing a chart");
}

/* The Summary's native charts, each drawn on a table of the sheet. */
static void summary_charts(xl *x, xl_sheet *sh, const xl_summary_rows *rows)
{
    const char *sn = sh->name;
    lxw_row_t t0 = rows->tier_first, t1 = rows->tier_first + SF_TIER_N - 1;

    lxw_chart *ch = chart_new(x, LXW_CHART_COLUMN, "chart_tier_accounts");
    series_add(x, ch, sn, t0, t1, 0, 1, xl_label(x, "accounts"), 0x4472C4);
    if (ch)
        chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
    chart_place(x, sh, 0, 5, ch);

    ch = chart_new(x, LXW_CHART_COLUMN, "chart_tier_revenue");
    series_add(x, ch, sn, t0, t1, 0, 2, xl_label(x, "revenue"), 0xED7D31);
    if (ch) {
        chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
        chart_axis_set_num_format(ch->y_axis, "#,##0");
    }
    chart_place(x, sh, 0, 13, ch);

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
    chart_place(x, sh, 16, 5, ch);

    ch = chart_new(x, LXW_CHART_BAR, "chart_time_split");
    series_add(x, ch, sn, rows->split_first, rows->split_last, 0, 1, xl_label(x, "col_recommended_key"),
               0x70AD47);
    series_add(x, ch, sn, rows->split_first, rows->split_last, 0, 2, xl_label(x, "col_actual_key"),
               0x4472C4);
    if (ch) {
        chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
        /* in a bar chart x_axis is the horizontal value axis */
        chart_axis_set_num_format(ch->x_axis, "0%");
        chart_axis_set_min(ch->x_axis, 0);
        chart_axis_set_reverse(ch->y_axis); /* first owner on top, as in the table */
        chart_axis_set_crossing_max(ch->y_axis); /* and the values below */
    }
    chart_place(x, sh, 16, 13, ch);

    ch = chart_new(x, LXW_CHART_COLUMN_STACKED, "chart_verdicts");
    static const char *const vk[3] = {"common.verdict_pursue", "common.verdict_qualify",
                                      "common.verdict_drop"};
    static const uint32_t vc[3] = {0x70AD47, 0xFFC000, 0xA5A5A5};
    for (int v = 0; v < 3; v++)
        series_add(x, ch, sn, rows->verdict_first, rows->verdict_last, 0, 1 + v, xl_label(x, vk[v]), vc[v]);
    if (ch)
        chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    chart_place(x, sh, 32, 5, ch);
}

/* ---------------------------------------------------------------------
 * Formats and the workbook
 * --------------------------------------------------------------------- */

static lxw_format *fmt_new(xl *x)
{
    lxw_format *f = workbook_add_format(x->wb);
    if (!f)
        x->nomem = true;
    return f;
}

static lxw_format *fmt_fill(xl *x, uint32_t bg, uint32_t fg)
{
    lxw_format *f = fmt_new(x);
    if (f) {
        format_set_bg_color(f, bg);
        format_set_font_color(f, fg);
    }
    return f;
}

/* Money format "#,##0.00 "EUR"" with the report currency as a literal
 * (characters that would end the literal are dropped). */
static void money_format(xl *x)
{
    const char *cur = x->o->cfg->currency ? x->o->cfg->currency : "";
    char lit[64];
    size_t n = 0;
    for (const char *p = cur; *p && n + 1 < sizeof lit; p++)
        if (*p != '"' && *p != '\\')
            lit[n++] = *p;
    lit[n] = '\0';
    x->cur_chars = n ? (double)utf8_len(lit) + 1 : 0;
    if (n)
        snprintf(x->money_fmt, sizeof x->money_fmt, "#,##0.00 \"%s\"", lit);
    else
        snprintf(x->money_fmt, sizeof x->money_fmt, "#,##0.00");
}

static void formats_init(xl *x)
{
    xl_formats *f = &x->f;
    const char *date_fmt = xl_label(x, "date_format");
    if (strncmp(date_fmt, "xlsx.", 5) == 0) /* label missing: ISO */
        date_fmt = "yyyy-mm-dd";
    money_format(x);

    if ((f->hdr = fmt_new(x))) {
        format_set_bold(f->hdr);
        format_set_bg_color(f->hdr, 0xD9E1F2);
        format_set_bottom(f->hdr, LXW_BORDER_THIN);
    }
    if ((f->title = fmt_new(x))) {
        format_set_bold(f->title);
        format_set_font_size(f->title, 16);
    }
    if ((f->section = fmt_new(x))) {
        format_set_bold(f->section);
        format_set_font_size(f->section, 12);
    }
    f->label = NULL; /* plain text */
    if ((f->note = fmt_new(x))) {
        format_set_italic(f->note);
        format_set_font_color(f->note, 0x595959);
    }
    if ((f->money = fmt_new(x)))
        format_set_num_format(f->money, x->money_fmt);
    if ((f->pct = fmt_new(x)))
        format_set_num_format(f->pct, "0.00%");
    if ((f->date = fmt_new(x)))
        format_set_num_format(f->date, date_fmt);
    if ((f->dec2 = fmt_new(x)))
        format_set_num_format(f->dec2, "0.00");
    if ((f->integer = fmt_new(x)))
        format_set_num_format(f->integer, "0");
    /* temperature map of SPEC §3.1: hot red, warm amber, cold blue */
    f->temp[SF_TEMP_HOT] = fmt_fill(x, 0xF8696B, 0x000000);
    f->temp[SF_TEMP_WARM] = fmt_fill(x, 0xFFC000, 0x000000);
    f->temp[SF_TEMP_COLD] = fmt_fill(x, 0x5B9BD5, 0xFFFFFF);
    f->tier[SF_TIER_A] = fmt_fill(x, 0x00B050, 0xFFFFFF);
    f->tier[SF_TIER_B] = fmt_fill(x, 0x92D050, 0x000000);
    f->tier[SF_TIER_C] = fmt_fill(x, 0xFFE699, 0x000000);
    f->tier[SF_TIER_D] = fmt_fill(x, 0xD9D9D9, 0x000000);
    for (int t = 0; t < SF_TIER_N; t++)
        if (f->tier[t])
            format_set_align(f->tier[t], LXW_ALIGN_CENTER);
    if ((f->bad_pct = fmt_fill(x, 0xFFC7CE, 0x9C0006)))
        format_set_num_format(f->bad_pct, "0.00%");
    if ((f->bad_dec = fmt_fill(x, 0xFFC7CE, 0x9C0006)))
        format_set_num_format(f->bad_dec, "0.00");
}

static void xl_release(xl *x)
{
    for (int i = 0; i < x->n_sheets; i++) {
        sf_zip_rows_free(x->sheets[i].zr);
        x->sheets[i].zr = NULL;
    }
    free(x->rows.buf);
    x->rows.buf = NULL;
    for (int i = 0; i < x->n_sheets; i++)
        free(x->sheets[i].name);
    x->n_sheets = 0;
}

/* Write OUT/workbook.xlsx through the stage. Returns SF_OK, or
 * SF_ERR_OUTPUT naming the file and libxlsxwriter's reason (the staged
 * temporary is left for sf_stage_abort), or SF_ERR_NOMEM. */
sf_err sf_out_xlsx(const sf_output_ctx *o, sf_ctx *ctx)
{
    size_t plen = strlen(o->out_dir) + sizeof "/workbook.xlsx";
    char *final_path = malloc(plen);
    if (!final_path)
        return sf_ctx_nomem(ctx);
    snprintf(final_path, plen, "%s/workbook.xlsx", o->out_dir);

    const char *tmp_path = NULL;
    sf_err rc = sf_stage_path(o->stage, final_path, &tmp_path, ctx);
    if (rc != SF_OK) {
        free(final_path);
        return rc;
    }

    xl x;
    memset(&x, 0, sizeof x);
    x.o = o;
    x.ctx = ctx;
    x.final_path = final_path;
    x.err = LXW_NO_ERROR;

    /* constant memory: rows stream to temporaries beside the output, so
     * 100k accounts cost little memory; sheets are written row by row. */
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = (char *)o->out_dir};
    x.wb = workbook_new_opt(tmp_path, &opts);
    if (!x.wb) {
        rc = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot create the workbook (temporary files in %s)",
                          final_path, o->out_dir);
        free(final_path);
        return rc;
    }

    char subject[160], date_iso[16];
    sf_date_iso(o->rep->as_of, date_iso);
    snprintf(subject, sizeof subject, "%s %s", xl_label(&x, "doc_subject"), date_iso);
    lxw_doc_properties props = {
        .title = (char *)xl_label(&x, "title"),
        .subject = subject,
        .author = (char *)"salesfocus",
        .company = (char *)"salesfocus",
        .keywords = (char *)"salesfocus",
        .created = (time_t)o->rep->as_of * 86400,
    };
    xl_check(&x, workbook_set_properties(x.wb, &props), "document properties");

    formats_init(&x);
    xl_summary_rows rows;
    memset(&rows, 0, sizeof rows);
    sheet_summary(&x, &rows);
    sheet_accounts(&x);
    sheet_cadence(&x);
    sheet_declines(&x);
    sheet_fire(&x);
    sheet_split(&x);
    sheet_pipeline(&x);
    sheet_kpis(&x);
    sheet_rejects(&x);
    if (x.n_sheets > 0)
        summary_charts(&x, &x.sheets[0], &rows);

    if (xl_failed(&x)) {
        lxw_workbook_free(x.wb);
        if (x.nomem)
            rc = sf_ctx_nomem(ctx);
        else
            rc = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: %s: %s", final_path, x.err_what, lxw_strerror(x.err));
    } else {
        lxw_error e = workbook_close(x.wb);
        if (e != LXW_NO_ERROR)
            rc = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot write the workbook: %s", final_path,
                              lxw_strerror(e));
        for (int i = 0; rc == SF_OK && i < x.n_sheets; i++)
            if (x.sheets[i].zr && !sf_zip_rows_used(x.sheets[i].zr))
                rc = sf_ctx_error(ctx, SF_ERR_OUTPUT,
                                  "%s: the rows of sheet '%s' did not reach the zip (is the "
                                  "libxlsxwriter/minizip in use the one salesfocus was built for?)",
                                  final_path, x.sheets[i].name);
    }
    xl_release(&x);
    free(final_path);
    return rc;
}
