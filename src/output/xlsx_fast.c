/*
 * xlsx_fast.c - the workbook's fast path ([outputs] xlsx_fast = yes, the
 * default): list rows formatted here, in the XML libxlsxwriter writes for
 * them, and compressed ahead on a worker (sf_zip_rows, zip_deflate.c).
 *
 * It relies on libxlsxwriter internals (constant-memory mode's row file
 * ws->file, lxw_worksheet_write_single_row, the dim_* fields): with the
 * switch off every cell goes through the library's public API, and
 * tests/e2e/xlsx_fast.sh compares the sheet XML of both paths, so a
 * library upgrade that changes what it writes fails a test instead of
 * the workbook.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/sf_xlsx.h"

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
 * header row, the Excel table, the widths and everything else still go
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
size_t xl_u64_text(uint64_t u, char *out)
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
size_t xl_scaled_text(int64_t v, int dec, char *out)
{
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, p = 1;
    for (int i = 0; i < dec; i++)
        p *= 10;
    size_t n = 0;
    if (v < 0)
        out[n++] = '-';
    n += xl_u64_text(u / p, out + n);
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
void xl_rows_begin(xl *x, xl_sheet *sh)
{
    if (xl_failed(x) || !x->fast_path || !sh->ws->optimize || !sh->ws->file)
        return;
    lxw_worksheet_write_single_row(sh->ws);
    if (!(sh->zr = sf_zip_rows_new(!(x->o->set && x->o->set->single_thread), sf_stage_work_dir(x->o->stage)))) {
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
void xl_rows_end(xl *x, xl_sheet *sh)
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
        w->rtxt_n = xl_u64_text((uint64_t)r + 1, w->rtxt);
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
        w->len += xl_u64_text((uint64_t)style, w->buf + w->len);
        w->buf[w->len++] = '"';
    }
    return true;
}

void xl_rows_number(xl *x, xl_sheet *sh, lxw_row_t r, int c, const char *v, size_t n, lxw_format *fmt)
{
    if (!rows_cell(x, sh, r, c, fmt, n + 16))
        return;
    xl_rows *w = &x->rows;
    ROWS_LIT(w, "><v>");
    rows_put(w, v, n);
    ROWS_LIT(w, "</v></c>");
}

void xl_rows_blank(xl *x, xl_sheet *sh, lxw_row_t r, int c, lxw_format *fmt)
{
    if (rows_cell(x, sh, r, c, fmt, 4))
        ROWS_LIT(&x->rows, "/>");
}

/* An inline string as the library writes it: control characters other
 * than tab and line feed as _xHHHH_, then & < > escaped, and
 * xml:space="preserve" when it starts or ends with white space. */
void xl_rows_string(xl *x, xl_sheet *sh, lxw_row_t r, int c, const char *s, size_t n, lxw_format *fmt)
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
