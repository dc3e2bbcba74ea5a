/*
 * rejects.c - reason names and the spool of the rejects list
 * (data/sf_rejects.h).
 *
 * A misconfigured date format can reject every record of a 50 MB export;
 * holding each raw line until the end once cost four times the file in
 * memory. Each reader's lines go instead to its own unlinked temporary
 * file in the run's folder (a segment), through a small buffer, and come
 * back from there, in order, to the CSV writer and the workbook.
 *
 * A line in the spool: line (u32), file, reason, kept (u8 each), the
 * field's length (u8), the raw text's length (u32), the kind's file (u16),
 * the field, the raw text. A few examples per reason stay in memory for
 * `check`.
 */
#define _GNU_SOURCE /* O_TMPFILE */
#include "data/sf_rejects.h"

#include "base/sf_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *sf_reject_reason_name(sf_reject_reason r)
{
    static const char *const names[SF_REJ_N] = {
        [SF_REJ_FIELD_COUNT] = "field_count",
        [SF_REJ_BAD_QUOTE] = "bad_quote",
        [SF_REJ_BAD_ENCODING] = "bad_encoding",
        [SF_REJ_MISSING_REQUIRED] = "missing_required",
        [SF_REJ_BAD_DATE] = "bad_date",
        [SF_REJ_BAD_NUMBER] = "bad_number",
        [SF_REJ_UNKNOWN_ACCOUNT] = "unknown_account",
        [SF_REJ_UNKNOWN_CURRENCY] = "unknown_currency",
        [SF_REJ_DUPLICATE_ID] = "duplicate_id",
        [SF_REJ_BAD_VALUE] = "bad_value",
        [SF_REJ_TOO_LONG] = "too_long",
    };
    return (unsigned)r < SF_REJ_N ? names[r] : "unknown";
}

#define SEG_BUF ((size_t)1 << 16)
#define HEAD 14 /* the fixed part of a line */

struct sf_reject_seg {
    sf_file_kind file;
    uint16_t part;
    int order;
    uint32_t line_shift; /* added to its lines when read back */
    int fd;
    size_t n;            /* lines */
    int64_t bytes;       /* written to fd */
    size_t len;          /* in buf */
    char buf[SEG_BUF];
};

sf_err sf_rejects_init(sf_rejects *r, const char *dir, sf_ctx *ctx)
{
    memset(r, 0, sizeof *r);
    if (dir && !(r->dir = sf_strdup(dir)))
        return sf_ctx_nomem(ctx);
    return SF_OK;
}

sf_err sf_rejects_segment(sf_rejects *r, sf_file_kind f, uint16_t part, int order, sf_reject_seg **seg,
                          sf_ctx *ctx)
{
    *seg = NULL;
    if (!r->dir)
        return SF_OK;
    if (r->n_segs == r->cap_segs) {
        size_t cap = r->cap_segs ? 2 * r->cap_segs : 8;
        sf_reject_seg **v = realloc(r->segs, cap * sizeof *v);
        if (!v)
            return sf_ctx_nomem(ctx);
        r->segs = v;
        r->cap_segs = cap;
    }
    sf_reject_seg *s = calloc(1, sizeof *s);
    if (!s)
        return sf_ctx_nomem(ctx);
    s->file = f;
    s->part = part;
    s->order = order;
    if ((s->fd = sf_tmpfile(r->dir)) < 0) {
        int e = errno;
        free(s);
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot create the spool of rejected records: %s", r->dir,
                            strerror(e));
    }
    r->segs[r->n_segs++] = s;
    *seg = s;
    return SF_OK;
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static sf_err seg_flush(const sf_rejects *r, sf_reject_seg *s, sf_ctx *ctx)
{
    if (s->len && !write_all(s->fd, s->buf, s->len))
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot write the spool of rejected records: %s", r->dir,
                            strerror(errno ? errno : EIO));
    s->bytes += (int64_t)s->len;
    s->len = 0;
    return SF_OK;
}

static sf_err seg_write(const sf_rejects *r, sf_reject_seg *s, const void *p, size_t n, sf_ctx *ctx)
{
    if (s->len + n > SEG_BUF) {
        sf_err e = seg_flush(r, s, ctx);
        if (e)
            return e;
    }
    if (n > SEG_BUF) { /* a long record: straight through */
        if (!write_all(s->fd, p, n))
            return sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot write the spool of rejected records: %s", r->dir,
                                strerror(errno ? errno : EIO));
        s->bytes += (int64_t)n;
        return SF_OK;
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    return SF_OK;
}

sf_err sf_rejects_put(sf_rejects *r, sf_reject_seg *seg, const sf_reject *x, size_t raw_n, sf_file_kind count_file,
                      sf_ctx *ctx)
{
    if (x->kept)
        r->kept_count[count_file][x->reason]++;
    else
        r->count[count_file][x->reason]++;
    r->n++;
    if (!seg)
        return SF_OK;
    size_t fl = x->field ? strlen(x->field) : 0;
    if (fl > 255)
        fl = 255;
    if (raw_n > UINT32_MAX)
        raw_n = UINT32_MAX;
    unsigned char h[HEAD];
    uint32_t line = x->line, rn = (uint32_t)raw_n;
    memcpy(h, &line, 4);
    h[4] = (unsigned char)x->file;
    h[5] = (unsigned char)x->reason;
    h[6] = x->kept;
    h[7] = (unsigned char)fl;
    memcpy(h + 8, &rn, 4);
    memcpy(h + 12, &x->part, 2);
    sf_err e = seg_write(r, seg, h, HEAD, ctx);
    if (!e && fl)
        e = seg_write(r, seg, x->field, fl, ctx);
    if (!e && raw_n)
        e = seg_write(r, seg, x->raw, raw_n, ctx);
    if (!e)
        seg->n++;
    return e;
}

sf_err sf_rejects_merge(sf_rejects *dst, sf_rejects *src, uint32_t line_shift, sf_ctx *ctx)
{
    if (dst->n_segs + src->n_segs > dst->cap_segs) {
        size_t cap = dst->n_segs + src->n_segs + 4;
        sf_reject_seg **v = realloc(dst->segs, cap * sizeof *v);
        if (!v)
            return sf_ctx_nomem(ctx);
        dst->segs = v;
        dst->cap_segs = cap;
    }
    for (size_t i = 0; i < src->n_segs; i++) {
        src->segs[i]->line_shift += line_shift;
        dst->segs[dst->n_segs++] = src->segs[i];
    }
    src->n_segs = 0;
    dst->n += src->n;
    src->n = 0;
    for (int f = 0; f < SF_FILE_N; f++) {
        for (int k = 0; k < SF_REJ_N; k++) {
            dst->count[f][k] += src->count[f][k];
            dst->kept_count[f][k] += src->kept_count[f][k];
            src->count[f][k] = src->kept_count[f][k] = 0;
        }
    }
    sf_rejects_merge_examples(dst, src, line_shift);
    return SF_OK;
}

static bool seg_after(const sf_reject_seg *a, const sf_reject_seg *b)
{
    if (a->file != b->file)
        return a->file > b->file;
    if (a->part != b->part)
        return a->part > b->part;
    return a->order > b->order;
}

sf_err sf_rejects_finish(sf_rejects *r, sf_ctx *ctx)
{
    for (size_t i = 0; i < r->n_segs; i++) {
        sf_err e = seg_flush(r, r->segs[i], ctx);
        if (e)
            return e;
    }
    /* by kind, then the kind's file, then the head of a split file before
     * its tail; stable */
    for (size_t i = 1; i < r->n_segs; i++) {
        sf_reject_seg *x = r->segs[i];
        size_t j = i;
        while (j > 0 && seg_after(r->segs[j - 1], x)) {
            r->segs[j] = r->segs[j - 1];
            j--;
        }
        r->segs[j] = x;
    }
    return SF_OK;
}

void sf_rejects_release(sf_rejects *r)
{
    if (!r)
        return;
    for (int f = 0; f < SF_FILE_N; f++)
        for (int reason = 0; reason < SF_REJ_N; reason++)
            for (int k = 0; k < 2; k++)
                for (uint8_t i = 0; i < r->n_ex[f][reason][k]; i++)
                    free(r->ex[f][reason][k][i].value);
    for (size_t i = 0; i < r->n_segs; i++) {
        close(r->segs[i]->fd);
        free(r->segs[i]);
    }
    free(r->segs);
    free(r->dir);
    memset(r, 0, sizeof *r);
}

/* ---- examples for check ------------------------------------------------------ */

/* A copy of s cut to at most SF_REJ_EXAMPLE_TEXT bytes at a UTF-8
 * character boundary, "..." added when cut. */
static char *example_text(const char *s)
{
    size_t n = strlen(s);
    bool cut = n > SF_REJ_EXAMPLE_TEXT;
    if (cut) {
        n = SF_REJ_EXAMPLE_TEXT;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    char *c = malloc(n + 4);
    if (!c)
        return NULL;
    memcpy(c, s, n);
    memcpy(c + n, cut ? "..." : "", cut ? 4 : 1);
    return c;
}

bool sf_rejects_example(sf_rejects *r, sf_file_kind file, sf_reject_reason reason, bool kept,
                        uint16_t part, uint32_t line, const char *field, const char *value)
{
    uint8_t *n = &r->n_ex[file][reason][kept];
    if (*n >= SF_REJ_EXAMPLES)
        return true;
    char *v = example_text(value ? value : "");
    if (!v)
        return false;
    r->ex[file][reason][kept][(*n)++] = (sf_reject_example){.part = part, .line = line, .field = field, .value = v};
    return true;
}

void sf_rejects_drop_kept_examples(sf_rejects *r, sf_file_kind file, uint16_t part, uint32_t line)
{
    for (int reason = 0; reason < SF_REJ_N; reason++) {
        uint8_t *n = &r->n_ex[file][reason][1];
        sf_reject_example *v = r->ex[file][reason][1];
        uint8_t w = 0;
        for (uint8_t i = 0; i < *n; i++) {
            if (v[i].part == part && v[i].line == line)
                free(v[i].value);
            else
                v[w++] = v[i];
        }
        *n = w;
    }
}

void sf_rejects_merge_examples(sf_rejects *dst, sf_rejects *src, uint32_t line_shift)
{
    for (int f = 0; f < SF_FILE_N; f++)
        for (int reason = 0; reason < SF_REJ_N; reason++)
            for (int k = 0; k < 2; k++) {
                uint8_t *nd = &dst->n_ex[f][reason][k];
                for (uint8_t i = 0; i < src->n_ex[f][reason][k]; i++) {
                    sf_reject_example x = src->ex[f][reason][k][i];
                    if (*nd < SF_REJ_EXAMPLES) {
                        x.line += line_shift;
                        dst->ex[f][reason][k][(*nd)++] = x;
                    } else {
                        free(x.value);
                    }
                }
                src->n_ex[f][reason][k] = 0;
            }
}

/* ---- reading back --------------------------------------------------------- */

#define READ_BUF ((size_t)1 << 16)

struct sf_rejects_reader {
    const sf_rejects *r;
    size_t seg;      /* segment being read */
    int64_t off;     /* of the next line in it */
    size_t next;     /* index of the next line */
    char *buf;       /* bytes [at, at + len) of the segment */
    size_t cap, len;
    int64_t at;
    char *text;      /* field and raw text of the last line read */
    size_t text_cap;
};

sf_rejects_reader *sf_rejects_open(const sf_rejects *r)
{
    sf_rejects_reader *rd = calloc(1, sizeof *rd);
    if (!rd)
        return NULL;
    rd->r = r;
    rd->at = -1;
    return rd;
}

void sf_rejects_close(sf_rejects_reader *rd)
{
    if (!rd)
        return;
    free(rd->buf);
    free(rd->text);
    free(rd);
}

/* Bytes [off, off + n) of the current segment, from the buffer (read
 * ahead a block at a time); NULL on a read error or past the end. */
static const char *bytes_at(sf_rejects_reader *rd, int64_t off, size_t n)
{
    const sf_reject_seg *s = rd->r->segs[rd->seg];
    if (off + (int64_t)n > s->bytes)
        return NULL;
    if (rd->at >= 0 && off >= rd->at && off + (int64_t)n <= rd->at + (int64_t)rd->len)
        return rd->buf + (off - rd->at);
    size_t want = n > READ_BUF ? n : READ_BUF;
    if ((int64_t)want > s->bytes - off)
        want = (size_t)(s->bytes - off);
    if (want > rd->cap) {
        char *b = realloc(rd->buf, want);
        if (!b)
            return NULL;
        rd->buf = b;
        rd->cap = want;
    }
    size_t got = 0;
    while (got < want) {
        ssize_t k = pread(s->fd, rd->buf + got, want - got, (off_t)(off + (int64_t)got));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            rd->at = -1;
            return NULL;
        }
        got += (size_t)k;
    }
    rd->at = off;
    rd->len = got;
    return rd->buf;
}

/* The next line's header, moving on to the next segment at the end of
 * one. NULL at the end or on a read error. */
static const unsigned char *next_head(sf_rejects_reader *rd)
{
    const sf_rejects *r = rd->r;
    while (rd->seg < r->n_segs && rd->off >= r->segs[rd->seg]->bytes) {
        rd->seg++;
        rd->off = 0;
        rd->at = -1;
    }
    return rd->seg < r->n_segs ? (const unsigned char *)bytes_at(rd, rd->off, HEAD) : NULL;
}

bool sf_rejects_read(sf_rejects_reader *rd, size_t i, sf_reject *out)
{
    if (i < rd->next) {
        rd->seg = 0;
        rd->off = 0;
        rd->next = 0;
        rd->at = -1;
    }
    const unsigned char *h;
    uint32_t line, rn;
    size_t fl;
    for (;;) {
        if (!(h = next_head(rd)))
            return false;
        memcpy(&rn, h + 8, 4);
        fl = h[7];
        if (rd->next == i)
            break;
        rd->off += (int64_t)(HEAD + fl + rn); /* skip a line before i */
        rd->next++;
    }
    memcpy(&line, h, 4);
    sf_reject x = {.file = (sf_file_kind)h[4], .line = line + rd->r->segs[rd->seg]->line_shift,
                   .reason = (sf_reject_reason)h[5], .kept = h[6] != 0};
    memcpy(&x.part, h + 12, 2);
    size_t need = fl + rn + 2;
    if (need > rd->text_cap) {
        char *t = realloc(rd->text, need);
        if (!t)
            return false;
        rd->text = t;
        rd->text_cap = need;
    }
    const char *body = bytes_at(rd, rd->off + HEAD, fl + rn);
    if (!body)
        return false;
    memcpy(rd->text, body, fl);
    rd->text[fl] = '\0';
    memcpy(rd->text + fl + 1, body + fl, rn);
    rd->text[fl + 1 + rn] = '\0';
    x.field = fl ? rd->text : NULL;
    x.raw = rd->text + fl + 1;
    *out = x;
    rd->off += (int64_t)(HEAD + fl + rn);
    rd->next++;
    return true;
}
