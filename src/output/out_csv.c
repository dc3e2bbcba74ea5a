/*
 * out_csv.c - the CSV lists of SPEC §4 in <out_dir>/csv/, one writer for
 * every list of sf_lists[]: UTF-8 with a byte-order mark (unless csv_bom =
 * no), comma, RFC 4180 quoting, CRLF, the header line first. They are
 * meant to be imported back into the CRM, so the columns and number
 * formats are fixed (sf_cell_text): money with two decimals, shares with
 * four, ISO dates, empty for "not applicable".
 *
 * Texts from the data that a spreadsheet would run as a formula are
 * written behind a ' (the formula guard of SPEC §4, [outputs]
 * csv_formula_guard).
 *
 * Every file goes through the staging area (temporary name, renamed into
 * place at commit), so a failed run never leaves a half-written list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_list.h"
#include "output/sf_output.h"

#define CSV_BUFSZ (1 << 16)

/* Lines are assembled in our own buffer and handed to stdio in large
 * blocks: per-character putc (which locks the FILE each time) would cost
 * more than all the analyses on 100,000 accounts. */
typedef struct {
    FILE *fp;
    char *path;    /* final path, owned */
    int col;       /* fields written on the current line */
    size_t len;
    char buf[CSV_BUFSZ];
} csv_out;

static void flush_buf(csv_out *w)
{
    if (w->len && w->fp)
        fwrite(w->buf, 1, w->len, w->fp); /* errors surface in ferror at close */
    w->len = 0;
}

static void put_bytes(csv_out *w, const char *s, size_t n)
{
    if (n > CSV_BUFSZ - w->len) {
        flush_buf(w);
        if (n > CSV_BUFSZ) {
            fwrite(s, 1, n, w->fp);
            return;
        }
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static void put_char(csv_out *w, char c)
{
    if (w->len == CSV_BUFSZ)
        flush_buf(w);
    w->buf[w->len++] = c;
}

/* Opens <out_dir>/csv/<name>.csv through the stage and writes the BOM and
 * the header line (the column names: no field of it needs quoting). On
 * success *out is a new writer the caller ends with csv_close. */
static void put(csv_out *w, const char *s);
static void end_line(csv_out *w);

static sf_err csv_open(const sf_output_ctx *o, const sf_list *l, const char *path, csv_out **out, sf_ctx *ctx)
{
    csv_out *w = calloc(1, sizeof *w);
    *out = NULL;
    if (!w)
        return sf_ctx_nomem(ctx);
    if (path) {
        w->path = sf_strdup(path);
    } else {
        size_t n = strlen(o->out_dir) + strlen(l->name) + 12;
        if ((w->path = malloc(n)))
            snprintf(w->path, n, "%s/csv/%s.csv", o->out_dir, l->name);
    }
    if (!w->path) {
        free(w);
        return sf_ctx_nomem(ctx);
    }
    sf_err e = sf_stage_fopen(o->stage, w->path, &w->fp, ctx);
    if (e != SF_OK) {
        free(w->path);
        free(w);
        return e;
    }
    if (o->cfg->csv_bom)
        put_bytes(w, "\xEF\xBB\xBF", 3);
    for (int c = 0; c < l->n_cols; c++)
        if (!l->cols[c].sheet_only)
            put(w, l->cols[c].name);
    end_line(w);
    *out = w;
    return SF_OK;
}

/* Flushes and closes the file (a write or close failure is SF_ERR_OUTPUT
 * naming the file) and frees the writer. */
static sf_err csv_close(csv_out *w, sf_ctx *ctx)
{
    flush_buf(w);
    sf_err e = sf_stage_close(w->fp, w->path, ctx);
    free(w->path);
    free(w);
    return e;
}

/* One field; quoted when it holds a comma, quote, CR or LF (RFC 4180),
 * quotes doubled; behind a ' when guard (the formula guard). NULL writes
 * an empty field. */
static void put_field(csv_out *w, const char *s, bool guard)
{
    if (w->col++)
        put_char(w, ',');
    if (!s)
        return;
    size_t n = strcspn(s, ",\"\r\n");
    if (!s[n]) {
        if (guard)
            put_char(w, '\'');
        put_bytes(w, s, n);
        return;
    }
    put_char(w, '"');
    if (guard)
        put_char(w, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            put_char(w, '"');
        put_char(w, *p);
    }
    put_char(w, '"');
}

static void put(csv_out *w, const char *s) { put_field(w, s, false); }

static void end_line(csv_out *w)
{
    put_bytes(w, "\r\n", 2);
    w->col = 0;
}

/* A plain number as the lists write numbers: -?digits[.digits]. */
static bool plain_number(const char *s)
{
    if (*s == '-')
        s++;
    if (*s < '0' || *s > '9')
        return false;
    while (*s >= '0' && *s <= '9')
        s++;
    if (*s == '.') {
        s++;
        if (*s < '0' || *s > '9')
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

/* The formula guard of SPEC §4: a text from the data that a spreadsheet
 * would run as a formula (it starts with = + - @ TAB or CR and is not a
 * plain number) is written behind a '. Only the written text changes:
 * every sort and comparison happened on the raw value before. */
bool sf_csv_needs_guard(const char *s)
{
    return s && *s && strchr("=+-@\t\r", *s) && !plain_number(s);
}

/* One list, every row. */
sf_err sf_out_csv_list(const sf_output_ctx *o, const sf_list *l, sf_ctx *ctx)
{
    return sf_out_csv_list_at(o, l, NULL, ctx);
}

sf_err sf_out_csv_list_at(const sf_output_ctx *o, const sf_list *l, const char *path, sf_ctx *ctx)
{
    csv_out *w;
    sf_err e = csv_open(o, l, path, &w, ctx);
    if (e)
        return e;
    size_t n = l->count(o->rep);
    sf_cell cells[SF_LIST_MAX_COLS];
    char text[SF_CELL_TEXT_MAX];
    sf_list_walk lw;
    if (!sf_list_walk_open(&lw, l, o->rep)) {
        csv_close(w, ctx);
        return sf_ctx_nomem(ctx);
    }
    for (size_t r = 0; r < n; r++) {
        if (!sf_list_walk_row(&lw, r, cells)) {
            sf_list_walk_close(&lw);
            csv_close(w, ctx);
            return sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s/csv/%s.csv: cannot read back row %zu of the list", o->out_dir,
                                l->name, r + 1);
        }
        for (int c = 0; c < l->n_cols; c++) {
            if (l->cols[c].sheet_only)
                continue;
            /* the columns whose text comes from the data; the program's
             * own numbers, dates and words never start a formula */
            sf_col_type t = l->cols[c].type;
            bool data_text = t == SF_COL_TEXT || t == SF_COL_PERCENT;
            const char *v = sf_cell_text(&l->cols[c], &cells[c], text);
            put_field(w, v, data_text && o->cfg->csv_formula_guard && sf_csv_needs_guard(v));
        }
        end_line(w);
    }
    sf_list_walk_close(&lw);
    return csv_close(w, ctx);
}

/* Writes every list that is part of the report. Returns SF_OK,
 * SF_ERR_OUTPUT (ctx names the file) or SF_ERR_NOMEM; on failure the
 * staged temporaries are left for the caller's sf_stage_abort. */
sf_err sf_out_csv(const sf_output_ctx *o, sf_ctx *ctx)
{
    for (size_t i = 0; i < sf_n_lists; i++) {
        const sf_list *l = sf_lists[i];
        if (l->present && !l->present(o->rep))
            continue;
        sf_err e = sf_out_csv_list(o, l, ctx);
        if (e != SF_OK)
            return e;
    }
    return SF_OK;
}
