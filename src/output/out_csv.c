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
#define _GNU_SOURCE /* sync_file_range */
#include <fcntl.h>
#include <pthread.h>
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
#ifdef SYNC_FILE_RANGE_WRITE
    /* A list of tens of megabytes (explain.csv): its writing back to disk
     * starts now, beside the outputs still being rendered, instead of in
     * the commit's fsync. Only a head start: the commit still fsyncs. */
    if (fflush(w->fp) == 0 && ftell(w->fp) > (long)(8 << 20))
        (void)sync_file_range(fileno(w->fp), 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
    sf_err e = sf_stage_close(w->fp, w->path, ctx);
    free(w->path);
    free(w);
    return e;
}

/* Bytes that make a field quoted (RFC 4180) or end it: , " CR LF NUL. */
static inline bool csv_special(unsigned char c)
{
    return c <= '\r' ? c == '\0' || c == '\r' || c == '\n' : c == ',' || c == '"';
}

/* What a column wrote lately for a borrowed text (an id, a word), by the
 * text's address: a list that repeats texts row after row (explain.csv:
 * an id on nine rows, nine item names over and over) then scans each
 * once. Only for texts that stay put while the list is written (a list in
 * memory, not one read back through a reader's buffer). */
#define MEMO_WAYS 16
typedef struct {
    const char *p;
    size_t n;
    bool plain;
} field_memo;

static field_memo *memo_slot(field_memo *col, const char *s)
{
    uintptr_t h = (uintptr_t)s;
    return &col[(h ^ (h >> 4) ^ (h >> 9)) & (MEMO_WAYS - 1)];
}

/* One field; quoted when it holds a comma, quote, CR or LF (RFC 4180),
 * quotes doubled; behind a ' when guard (the formula guard). NULL writes
 * an empty field. memo: NULL, or the column's memo of s; plain: s is
 * known to need no quotes (a number or date the writer formatted). */
static void put_field_m(csv_out *w, const char *s, field_memo *memo, bool plain, bool guard)
{
    if (!s) {
        if (w->col++)
            put_char(w, ',');
        return;
    }
    size_t n = 0;
    if (plain) {
        n = strlen(s);
    } else if (memo && memo->p == s) {
        n = memo->n;
        plain = memo->plain;
    } else {
        /* fields are short (ids, numbers, dates): a plain loop beats the
         * set-up of a library scan, millions of times per run */
        while (!csv_special((unsigned char)s[n]))
            n++;
        plain = !s[n];
        if (memo)
            *memo = (field_memo){s, n, plain};
    }
    if (plain && !guard && n < 64 && CSV_BUFSZ - w->len > 64) {
        /* the common case, with one check of the room left */
        char *o = w->buf + w->len;
        if (w->col++)
            *o++ = ',';
        memcpy(o, s, n);
        w->len = (size_t)(o + n - w->buf);
        return;
    }
    if (w->col++)
        put_char(w, ',');
    if (plain) {
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

static void put(csv_out *w, const char *s) { put_field_m(w, s, NULL, false, false); }

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
 * every sort and comparison happened on the raw value before. Only the
 * first byte decides, but for a '-' (a plain number starts with '-' or a
 * digit): a switch on it, not a search of the six bytes for each field. */
bool sf_csv_needs_guard(const char *s)
{
    if (!s)
        return false;
    switch (*s) {
    case '=':
    case '+':
    case '@':
    case '\t':
    case '\r':
        return true;
    case '-':
        return !plain_number(s);
    default:
        return false;
    }
}

/* ---- the sink of a list that writes its own rows (sf_list.write_csv) ---- */

typedef struct {
    sf_csv_sink sink; /* first: the list sees only this */
    csv_out *w;
    bool guard;       /* [outputs] csv_formula_guard */
    field_memo memo[MEMO_WAYS];
} csv_sink;

static void sink_text(sf_csv_sink *s, const char *text)
{
    csv_sink *k = (csv_sink *)s;
    put_field_m(k->w, text, text ? memo_slot(k->memo, text) : NULL, false,
                k->guard && sf_csv_needs_guard(text));
}

/* Room for a field of up to 64 bytes and its comma, flushing first; the
 * place to write the field. */
static char *sink_room(csv_out *w)
{
    if (CSV_BUFSZ - w->len < 66)
        flush_buf(w);
    char *o = w->buf + w->len;
    if (w->col++)
        *o++ = ',';
    return o;
}

static void sink_word(sf_csv_sink *s, const char *text, size_t n)
{
    csv_out *w = ((csv_sink *)s)->w;
    if (n > 64) {
        if (w->col++)
            put_char(w, ',');
        put_bytes(w, text, n);
        return;
    }
    char *o = sink_room(w);
    for (size_t i = 0; i < n; i++) /* a short word: no call to memcpy */
        o[i] = text[i];
    w->len = (size_t)(o + n - w->buf);
}

/* A number or a date formatted in place, as sf_cell_text writes it (the
 * program's own text, so never behind the formula guard); false for
 * another type. */
static bool put_value(csv_out *w, sf_col_type type, int64_t v)
{
    int scale = type == SF_COL_MONEY ? 2 : type == SF_COL_INT ? 0
              : type == SF_COL_SHARE || type == SF_COL_DECIMAL || type == SF_COL_RATIO ? 4 : -1;
    if (scale < 0 && type != SF_COL_DATE)
        return false;
    char *o = sink_room(w);
    size_t n;
    if (scale >= 0) {
        n = sf_fmt_fixed(v, scale, o);
    } else {
        char d[16];
        sf_date_iso((sf_date)v, d);
        n = strlen(d);
        memcpy(o, d, n);
    }
    w->len = (size_t)(o + n - w->buf);
    return true;
}

static void sink_value(sf_csv_sink *s, sf_col_type type, int64_t v)
{
    csv_out *w = ((csv_sink *)s)->w;
    if (put_value(w, type, v))
        return;
    char b[SF_CELL_TEXT_MAX];
    const sf_column col = {.type = type};
    const sf_cell cell = {.v = v};
    const char *t = sf_cell_text(&col, &cell, b);
    put_field_m(w, t, NULL, t == b, false);
}

static void sink_end_row(sf_csv_sink *s)
{
    end_line(((csv_sink *)s)->w);
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
    if (l->write_csv) { /* rows straight from the list (sf_list.write_csv) */
        csv_sink k = {.sink = {sink_text, sink_word, sink_value, sink_end_row}, .w = w,
                      .guard = o->cfg->csv_formula_guard};
        l->write_csv(o->rep, &k.sink);
        return csv_close(w, ctx);
    }
    size_t n = l->count(o->rep);
    /* the memo holds a row's texts for the next: only in a list held in
     * memory do they stay put */
    bool stable = !l->read;
    field_memo memo[SF_LIST_MAX_COLS][MEMO_WAYS];
    memset(memo, 0, sizeof memo);
    char text[SF_CELL_TEXT_MAX];
    sf_list_ahead ra;
    if (!sf_list_ahead_open(&ra, l, o->rep, n)) {
        csv_close(w, ctx);
        return sf_ctx_nomem(ctx);
    }
    bool guard = o->cfg->csv_formula_guard;
    for (size_t r = 0; r < n; r++) {
        const sf_cell *cells = sf_list_ahead_row(&ra, r);
        if (!cells) {
            sf_list_ahead_close(&ra);
            csv_close(w, ctx);
            return sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s/csv/%s.csv: cannot read back row %zu of the list", o->out_dir,
                                l->name, r + 1);
        }
        for (int c = 0; c < l->n_cols; c++) {
            if (l->cols[c].sheet_only)
                continue;
            /* the columns whose text comes from the data; the program's
             * own numbers, dates and words never start a formula */
            sf_col_type t = l->cols[c].type == SF_COL_ANY ? cells[c].type : l->cols[c].type;
            if (put_value(w, t, cells[c].v))
                continue;
            bool data_text = t == SF_COL_TEXT || t == SF_COL_PERCENT;
            const char *v = sf_cell_text(&l->cols[c], &cells[c], text);
            bool own = v == text; /* formatted here: flags */
            put_field_m(w, v, own || !stable ? NULL : memo_slot(memo[c], v), own,
                        data_text && guard && sf_csv_needs_guard(v));
        }
        end_line(w);
    }
    sf_list_ahead_close(&ra);
    return csv_close(w, ctx);
}

/* A list written on a thread of its own, with its own error context. */
typedef struct {
    const sf_output_ctx *o;
    const sf_list *l;
    sf_ctx ctx;
    sf_err rc;
} list_job;

static void *list_thread(void *arg)
{
    list_job *j = arg;
    j->rc = sf_out_csv_list(j->o, j->l, &j->ctx);
    return NULL;
}

/* Writes every list that is part of the report. explain.csv (about ten
 * rows per account, half the bytes of all the lists) is written on a
 * second thread while the others are written here: each list is a file
 * of its own, so the bytes do not depend on it. A failure is reported as
 * the first failing list in the lists' order would be. Returns SF_OK,
 * SF_ERR_OUTPUT (ctx names the file) or SF_ERR_NOMEM; on failure the
 * staged temporaries are left for the caller's sf_stage_abort. */
sf_err sf_out_csv(const sf_output_ctx *o, sf_ctx *ctx)
{
    list_job side = {o, &sf_list_explain, {0}, SF_OK};
    bool present = !sf_list_explain.present || sf_list_explain.present(o->rep);
    pthread_t tid;
    bool threaded = present && !(o->set && o->set->single_thread) &&
                    pthread_create(&tid, NULL, list_thread, &side) == 0;
    sf_err e = SF_OK;
    size_t failed = sf_n_lists; /* the list that failed here */
    for (size_t i = 0; i < sf_n_lists && e == SF_OK; i++) {
        const sf_list *l = sf_lists[i];
        if (l->present && !l->present(o->rep))
            continue;
        if (l == side.l && threaded)
            continue;
        if ((e = sf_out_csv_list(o, l, ctx)) != SF_OK)
            failed = i;
    }
    if (threaded) {
        pthread_join(tid, NULL);
        size_t side_at = 0;
        while (sf_lists[side_at] != side.l)
            side_at++;
        if (side.rc != SF_OK && side_at < failed) {
            *ctx = side.ctx;
            e = side.rc;
        }
    }
    return e;
}
