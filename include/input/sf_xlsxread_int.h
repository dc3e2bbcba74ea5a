/*
 * sf_xlsxread_int.h - inside the XLSX reader only: the reader's state, shared
 * by xlsxread.c (the zip, the workbook's parts, open and free) and
 * xlsxread_sheet.c (the sheet streamed row by row, the records). Not for use
 * outside those two files.
 */
#ifndef SF_XLSXREAD_INT_H
#define SF_XLSXREAD_INT_H

#include "input/sf_xlsxread.h"

#include <expat.h>

#define SF_XLSX_PIECE ((size_t)256 << 10) /* XML fed to expat at a time */

/* A growable byte buffer; p[n] is always NUL once anything was added. */
typedef struct {
    char *p;
    size_t n, cap;
} sf_xbuf;

/* Append s[0..n) (and keep a NUL after it). False when out of memory. */
bool sf_xbuf_add(sf_xbuf *b, const char *s, size_t n);

struct sf_xlsxread {
    sf_ctx *ctx;
    char *path, *sheet_name, *date_format;
    sf_xlsx_opts o;
    void *zf;             /* minizip's unzFile */
    bool date1904;
    char stage[160];
    sf_csv_progress_fn progress;
    void *puser;
    XML_Parser cur;       /* the parser running, for handlers that fail */
    sf_err err;           /* set by a handler that stopped the parser */

    /* styles: what each cellXfs entry shows a number as (sf_xstyle) */
    uint8_t *xf;
    size_t n_xf;
    /* shared strings: NUL-terminated, one after the other */
    sf_xbuf ss;
    size_t *ss_off;
    size_t n_ss, cap_ss;

    /* the sheet's parser */
    XML_Parser xp;
    bool entry_open, suspended, fed_last, xml_done;
    bool at_data;         /* <sheetData> was reached */
    int64_t entry_size, entry_read, next_progress;
    size_t rows_hint;

    /* the row being read */
    uint32_t row, last_row, col_next;
    bool row_ready, in_row;
    /* the cell being read */
    uint32_t cell_col;
    char cell_t[12];
    long cell_s;
    int in_text;          /* inside <v>, or a <t> of <is> that counts */
    bool in_is, in_rph, has_v;
    sf_xbuf txt;
    /* the row's cells: column c has text rowbuf[slot_off[c]..+slot_len[c])
     * when slot_gen[c] == gen */
    size_t *slot_off, *slot_len;
    uint32_t *slot_gen;
    uint8_t *slot_kind;
    size_t slot_cap;
    uint32_t gen;
    size_t row_last;      /* last column with a value, +1 */
    sf_xbuf rowbuf;

    /* the record handed out */
    size_t width;
    sf_csvrec rec;
    sf_xbuf fb;
    size_t *fo;
    uint8_t *kinds;
    size_t nf, fo_cap;
    sf_xbuf raw;
};

/* Record error e (already in ctx) and stop the running parser. */
void sf_xlsx_fail(sf_xlsxread *x, sf_err e);

/* The local part of an element or attribute name ("x:row" -> "row"), and
 * an attribute by local name (NULL when absent). */
const char *sf_xlsx_local(const char *name);
const char *sf_xlsx_attr(const char **atts, const char *name);

/* Make the zip entry current: its exact name, else ignoring case. */
bool sf_xlsx_locate(sf_xlsxread *x, const char *entry);

/* xlsxread_sheet.c: open the sheet's zip entry and set up its parser. */
sf_err sf_xlsx_sheet_open(sf_xlsxread *x, const char *entry);

#endif
