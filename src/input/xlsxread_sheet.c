/*
 * xlsxread_sheet.c - the sheet of an XLSX workbook streamed row by row
 * (sf_xlsxread.h): expat is fed the zip entry a piece at a time and
 * suspended at each </row>; the row's cells, kept by column, become the
 * record's fields and its raw text.
 */
#include "input/sf_xlsxread_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unzip.h>

#define MAX_COLS 16384u /* XFD, Excel's last column */

/* Column of a cell reference ("AB12" -> 27); false without letters. */
static bool ref_col(const char *r, uint32_t *col)
{
    uint32_t c = 0;
    int n = 0;
    for (; (*r >= 'A' && *r <= 'Z') || (*r >= 'a' && *r <= 'z'); r++, n++) {
        c = c * 26 + (uint32_t)((*r | 0x20) - 'a' + 1);
        if (c > MAX_COLS)
            return *col = MAX_COLS, true;
    }
    if (!n)
        return false;
    *col = c - 1;
    return true;
}

/* The row number of a reference or of a row's r ("12" or "B12"). */
static uint32_t ref_row(const char *r)
{
    while ((*r >= 'A' && *r <= 'Z') || (*r >= 'a' && *r <= 'z'))
        r++;
    unsigned long v = strtoul(r, NULL, 10);
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static void col_name(uint32_t c, char out[8])
{
    char t[8];
    int n = 0;
    for (c++; c && n < 7; c = (c - 1) / 26)
        t[n++] = (char)('A' + (c - 1) % 26);
    for (int i = 0; i < n; i++)
        out[i] = t[n - 1 - i];
    out[n] = '\0';
}

static bool is_blank_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

/* Make room for column c in the slots. */
static bool slots_reserve(sf_xlsxread *x, uint32_t c)
{
    if (c < x->slot_cap)
        return true;
    size_t cap = x->slot_cap ? x->slot_cap : 64;
    while (cap <= c)
        cap *= 2;
    size_t *a = realloc(x->slot_off, cap * sizeof *a);
    if (a)
        x->slot_off = a;
    size_t *b = a ? realloc(x->slot_len, cap * sizeof *b) : NULL;
    if (b)
        x->slot_len = b;
    uint32_t *g = b ? realloc(x->slot_gen, cap * sizeof *g) : NULL;
    if (g)
        x->slot_gen = g;
    uint8_t *k = g ? realloc(x->slot_kind, cap) : NULL;
    if (!k)
        return false;
    x->slot_kind = k;
    memset(x->slot_gen + x->slot_cap, 0, (cap - x->slot_cap) * sizeof *g);
    x->slot_cap = cap;
    return true;
}

/* An ISO 8601 date or date-time (a t="d" cell) in the configured format. */
static size_t iso_cell(sf_xlsxread *x, const char *v, char *out, size_t cap)
{
    int y, m, d, hh = 0, mm = 0, ss = 0, n = 0;
    if (sscanf(v, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || !sf_date_valid_ymd(y, m, d))
        return 0;
    bool t = v[n] == 'T' && sscanf(v + n + 1, "%2d:%2d:%2d", &hh, &mm, &ss) >= 2;
    return sf_xlsx_date_text(sf_date_from_ymd(y, m, d), t ? hh * 3600 + mm * 60 + ss : -1, &x->o, out, cap);
}

/* The cell just closed: its text and kind into the row's slot. */
static void end_cell(sf_xlsxread *x)
{
    const char *v = x->txt.p ? x->txt.p : "";
    size_t n = x->txt.n;
    char num[128];
    sf_xcell_kind kind = SF_XCELL_TEXT;
    const char *t = x->cell_t;
    if (!x->has_v || !n) {
        return; /* an empty cell (a style only) */
    } else if (strcmp(t, "s") == 0) {
        char *end;
        unsigned long i = strtoul(v, &end, 10);
        if (end == v || i >= x->n_ss) {
            char cn[8];
            col_name(x->cell_col, cn);
            sf_xlsx_fail(x, sf_ctx_error(x->ctx, SF_ERR_INPUT, "%s: sheet '%s', cell %s%u: shared string '%s' "
                                                               "does not exist: a damaged workbook",
                                         x->path, x->sheet_name, cn, (unsigned)x->row, v));
            return;
        }
        v = x->ss.p + x->ss_off[i];
        n = strlen(v);
    } else if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0) {
        n = sf_xlsx_unescape(x->txt.p, n);
    } else if (strcmp(t, "b") == 0) {
        v = strcmp(v, "1") == 0 || strcmp(v, "true") == 0 ? "TRUE" : "FALSE";
        n = strlen(v);
        kind = SF_XCELL_BOOL;
    } else if (strcmp(t, "e") == 0) {
        kind = SF_XCELL_ERROR;
    } else if (strcmp(t, "d") == 0) {
        size_t k = iso_cell(x, v, num, sizeof num);
        if (k) {
            v = num;
            n = k;
            kind = SF_XCELL_DATE;
        }
    } else {
        sf_xstyle st = x->cell_s >= 0 && (size_t)x->cell_s < x->n_xf ? (sf_xstyle)x->xf[x->cell_s]
                                                                     : SF_XSTYLE_GENERAL;
        size_t k = sf_xlsx_number_text(v, st, x->date1904, &x->o, num, sizeof num, &kind);
        if (k) {
            v = num;
            n = k;
        } else {
            kind = SF_XCELL_TEXT; /* not a number after all: as written */
        }
    }
    uint32_t c = x->cell_col;
    if (!slots_reserve(x, c)) {
        sf_xlsx_fail(x, sf_ctx_nomem(x->ctx));
        return;
    }
    size_t off = x->rowbuf.n;
    if (!sf_xbuf_add(&x->rowbuf, v, n)) {
        sf_xlsx_fail(x, sf_ctx_nomem(x->ctx));
        return;
    }
    x->slot_off[c] = off;
    x->slot_len[c] = n;
    x->slot_kind[c] = (uint8_t)kind;
    x->slot_gen[c] = x->gen;
    if (!is_blank_text(v, n) && c + 1 > x->row_last)
        x->row_last = c + 1;
}

static void start_row(sf_xlsxread *x, const char **atts)
{
    const char *r = sf_xlsx_attr(atts, "r");
    x->row = r ? ref_row(r) : x->last_row + 1;
    x->in_row = true;
    x->col_next = 0;
    x->row_last = 0;
    x->rowbuf.n = 0;
    if (++x->gen == 0) { /* wrapped: old marks could match again */
        if (x->slot_cap)
            memset(x->slot_gen, 0, x->slot_cap * sizeof *x->slot_gen);
        x->gen = 1;
    }
}

static void start_cell(sf_xlsxread *x, const char **atts)
{
    const char *r = sf_xlsx_attr(atts, "r"), *t = sf_xlsx_attr(atts, "t"), *s = sf_xlsx_attr(atts, "s");
    uint32_t c;
    x->cell_col = r && ref_col(r, &c) ? c : x->col_next;
    if (x->cell_col >= MAX_COLS) {
        sf_xlsx_fail(x, sf_ctx_error(x->ctx, SF_ERR_INPUT, "%s: sheet '%s', row %u: a cell beyond column XFD",
                                     x->path, x->sheet_name, (unsigned)x->row));
        return;
    }
    x->col_next = x->cell_col + 1;
    size_t tn = t ? strlen(t) : 0;
    if (!t || tn >= sizeof x->cell_t)
        t = "n", tn = 1; /* no type, or none Excel writes: a number */
    memcpy(x->cell_t, t, tn + 1);
    x->cell_s = s ? strtol(s, NULL, 10) : 0;
    x->has_v = false;
    x->in_is = false;
    x->in_rph = false;
    x->in_text = 0;
    x->txt.n = 0;
    if (x->txt.p)
        x->txt.p[0] = '\0';
}

static void XMLCALL sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sf_xlsxread *x = ud;
    const char *n = sf_xlsx_local(name);
    if (n[0] == 'c' && !n[1]) {
        start_cell(x, atts);
    } else if (n[0] == 'v' && !n[1]) {
        x->in_text++;
    } else if (n[0] == 't' && !n[1]) {
        if (x->in_is && !x->in_rph)
            x->in_text++;
    } else if (strcmp(n, "is") == 0) {
        x->in_is = true;
    } else if (strcmp(n, "rPh") == 0) {
        x->in_rph = true;
    } else if (strcmp(n, "row") == 0) {
        start_row(x, atts);
    } else if (strcmp(n, "sheetData") == 0) {
        x->at_data = true; /* the head (dimension) is read: sf_xlsx_sheet_open returns */
        XML_StopParser(x->xp, XML_TRUE);
    } else if (strcmp(n, "dimension") == 0) {
        const char *ref = sf_xlsx_attr(atts, "ref");
        const char *colon = ref ? strchr(ref, ':') : NULL;
        if (colon)
            x->rows_hint = ref_row(colon + 1);
    }
}

static void XMLCALL sh_text(void *ud, const XML_Char *t, int len)
{
    sf_xlsxread *x = ud;
    if (x->in_text > 0 && !sf_xbuf_add(&x->txt, t, (size_t)len))
        sf_xlsx_fail(x, sf_ctx_nomem(x->ctx));
}

static void XMLCALL sh_end(void *ud, const XML_Char *name)
{
    sf_xlsxread *x = ud;
    const char *n = sf_xlsx_local(name);
    if (n[0] == 'v' && !n[1]) {
        if (x->in_text > 0)
            x->in_text--;
        x->has_v = true;
    } else if (n[0] == 't' && !n[1]) {
        if (x->in_is && !x->in_rph && x->in_text > 0)
            x->in_text--;
    } else if (strcmp(n, "rPh") == 0) {
        x->in_rph = false;
    } else if (strcmp(n, "is") == 0) {
        x->in_is = false;
        x->has_v = true;
    } else if (n[0] == 'c' && !n[1]) {
        if (x->in_row)
            end_cell(x);
    } else if (strcmp(n, "row") == 0) {
        x->in_row = false;
        x->last_row = x->row;
        x->row_ready = true;
        XML_StopParser(x->xp, XML_TRUE); /* hand the row out; resumed by the next call */
    }
}

static void XMLCALL sh_doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub,
                               int has_internal)
{
    (void)name, (void)sys, (void)pub, (void)has_internal;
    sf_xlsxread *x = ud;
    sf_xlsx_fail(x, sf_ctx_error(x->ctx, SF_ERR_INPUT, "%s: the sheet declares a document type: not an XLSX "
                                                       "workbook written by a spreadsheet program", x->path));
}

static sf_err feed(sf_xlsxread *x);

sf_err sf_xlsx_sheet_open(sf_xlsxread *x, const char *entry)
{
    if (!sf_xlsx_locate(x, entry))
        return sf_ctx_error(x->ctx, SF_ERR_INPUT, "%s: sheet '%s' (%s) is missing from the zip: a damaged workbook",
                            x->path, x->sheet_name, entry);
    unz_file_info64 info;
    if (unzGetCurrentFileInfo64(x->zf, &info, NULL, 0, NULL, 0, NULL, 0) == UNZ_OK)
        x->entry_size = (int64_t)info.uncompressed_size;
    if (unzOpenCurrentFile(x->zf) != UNZ_OK)
        return sf_ctx_error(x->ctx, SF_ERR_INPUT, "%s: cannot open %s in the zip", x->path, entry);
    x->entry_open = true;
    if (!(x->xp = XML_ParserCreate(NULL)))
        return sf_ctx_nomem(x->ctx);
    XML_SetUserData(x->xp, x);
    XML_SetElementHandler(x->xp, sh_start, sh_end);
    XML_SetCharacterDataHandler(x->xp, sh_text);
    XML_SetStartDoctypeDeclHandler(x->xp, sh_doctype);
    const char *base = strrchr(x->path, '/');
    snprintf(x->stage, sizeof x->stage, "reading %s", base ? base + 1 : x->path);
    /* read the sheet's head up to its data: the dimension (rows_hint) */
    while (!x->at_data && !x->fed_last) {
        sf_err e = feed(x);
        if (e)
            return e;
    }
    return SF_OK;
}

/* ---- records -------------------------------------------------------------------- */

static bool add_field(sf_xlsxread *x, const char *s, size_t n, uint8_t kind)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (x->nf == x->fo_cap) {
        size_t cap = x->fo_cap ? x->fo_cap * 2 : 32;
        size_t *v = realloc(x->fo, cap * sizeof *v);
        if (v)
            x->fo = v;
        uint8_t *k = v ? realloc(x->kinds, cap) : NULL;
        if (!k)
            return false;
        x->kinds = k;
        x->fo_cap = cap;
    }
    x->fo[x->nf] = x->fb.n;
    x->kinds[x->nf++] = n ? kind : SF_XCELL_EMPTY;
    if (!sf_xbuf_add(&x->fb, s, n))
        return false;
    x->fb.n++; /* keep the NUL: each field is a C string */
    /* the raw text: the values joined, quoted as in CSV where they must be */
    char d = x->o.delimiter;
    bool quote = false;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == d || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (x->nf > 1 && !sf_xbuf_add(&x->raw, &d, 1))
        return false;
    if (!quote)
        return sf_xbuf_add(&x->raw, s, n);
    if (!sf_xbuf_add(&x->raw, "\"", 1))
        return false;
    for (const char *q; n && (q = memchr(s, '"', n)); n -= (size_t)(q + 1 - s), s = q + 1)
        if (!sf_xbuf_add(&x->raw, s, (size_t)(q + 1 - s)) || !sf_xbuf_add(&x->raw, "\"", 1))
            return false;
    return sf_xbuf_add(&x->raw, s, n) && sf_xbuf_add(&x->raw, "\"", 1);
}

/* The row just read as the current record. */
static sf_err build_record(sf_xlsxread *x)
{
    size_t nf = x->width > x->row_last ? x->width : x->row_last;
    x->nf = 0;
    x->fb.n = 0;
    x->raw.n = 0;
    if (!sf_xbuf_add(&x->raw, "", 0))
        return sf_ctx_nomem(x->ctx);
    for (size_t c = 0; c < nf; c++) {
        bool set = c < x->slot_cap && x->slot_gen[c] == x->gen;
        if (!add_field(x, set ? x->rowbuf.p + x->slot_off[c] : "", set ? x->slot_len[c] : 0,
                       set ? x->slot_kind[c] : SF_XCELL_EMPTY))
            return sf_ctx_nomem(x->ctx);
    }
    x->rec = (sf_csvrec){.bytes = x->raw.p, .n = x->raw.n, .line = x->row, .blank = x->row_last == 0,
                         .text = x->raw.p, .text_n = x->raw.n};
    return SF_OK;
}

/* Feed the parser: resume it, or give it the next piece of the entry. */
static sf_err feed(sf_xlsxread *x)
{
    enum XML_Status st;
    x->cur = x->xp;
    if (x->suspended) {
        x->suspended = false;
        st = XML_ResumeParser(x->xp);
    } else {
        void *buf = XML_GetBuffer(x->xp, (int)SF_XLSX_PIECE);
        if (!buf)
            return sf_ctx_nomem(x->ctx);
        int n = unzReadCurrentFile(x->zf, buf, (unsigned)SF_XLSX_PIECE);
        if (n < 0)
            return sf_ctx_error(x->ctx, SF_ERR_INPUT, "%s: sheet '%s' cannot be unpacked (zip error %d)", x->path,
                                x->sheet_name, n);
        x->entry_read += n;
        if (x->progress && x->entry_size > 0 && x->entry_read >= x->next_progress) {
            x->progress(x->puser, x->stage, (double)x->entry_read / (double)x->entry_size);
            x->next_progress = x->entry_read + ((int64_t)1 << 20);
        }
        x->fed_last = n == 0;
        st = XML_ParseBuffer(x->xp, n, n == 0);
    }
    if (st == XML_STATUS_ERROR) {
        if (x->err)
            return x->err;
        return sf_ctx_error(x->ctx, SF_ERR_INPUT,
                            "%s: sheet '%s' is not well-formed XML (after row %u: %s): a damaged workbook",
                            x->path, x->sheet_name, (unsigned)x->last_row,
                            XML_ErrorString(XML_GetErrorCode(x->xp)));
    }
    if (st == XML_STATUS_SUSPENDED)
        x->suspended = true;
    return SF_OK;
}

sf_err sf_xlsxread_next(sf_xlsxread *x, sf_csv_event *ev)
{
    x->row_ready = false;
    while (!x->row_ready) {
        if (x->xml_done || (x->fed_last && !x->suspended)) {
            x->xml_done = true;
            *ev = SF_CSV_END;
            return SF_OK;
        }
        sf_err e = feed(x);
        if (e)
            return e;
    }
    *ev = SF_CSV_RECORD;
    return build_record(x);
}
