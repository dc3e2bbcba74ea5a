/*
 * csvread.c - the CSV record reader (include/input/sf_csvread.h): blocks,
 * record boundaries and line numbers, decoding to UTF-8, fields.
 *
 * What a record means (blank, footer, reject) is the caller's business;
 * this file only finds records and their fields, exactly as libcsv
 * without CSV_STRICT would on the whole file (docs/ingest.md, "Flow").
 */
#include "input/sf_csvread.h"
#include "base/sf_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_utf8_name(const char *enc)
{
    return !enc || !*enc || strcasecmp(enc, "UTF-8") == 0 || strcasecmp(enc, "UTF8") == 0;
}

sf_err sf_csvread_init(sf_csvread *r, const char *encoding, const char *enc_origin, char delimiter,
                       sf_ctx *ctx)
{
    memset(r, 0, sizeof *r);
    r->ctx = ctx;
    r->limit = -1;
    r->max_rec = SF_CSV_MAX_RECORD;
    r->delim_cfg = delimiter;
    r->utf8 = is_utf8_name(encoding);
    if (!r->utf8) {
        r->cd = iconv_open("UTF-8", encoding);
        r->cd_live = r->cd != (iconv_t)-1;
        if (!r->cd_live)
            return sf_ctx_error(ctx, SF_ERR_USAGE, "%s '%s' is not known to iconv", enc_origin, encoding);
    }
    r->cap = SF_CSV_BLOCK;
    if (!(r->buf = malloc(r->cap))) {
        sf_csvread_release(r);
        return sf_ctx_nomem(ctx);
    }
    return SF_OK;
}

void sf_csvread_close(sf_csvread *r)
{
    if (r->fd_live && r->fd_own)
        close(r->fd);
    r->fd_live = r->fd_own = false;
    if (r->csv_live)
        csv_free(&r->csv);
    r->csv_live = false;
}

void sf_csvread_release(sf_csvread *r)
{
    if (!r)
        return;
    sf_csvread_close(r);
    free(r->buf);
    free(r->dec);
    free(r->fb);
    free(r->fo);
    if (r->cd_live)
        iconv_close(r->cd);
    memset(r, 0, sizeof *r);
}

/* ---- decoding ---------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s[0..n) (no NUL), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c && c < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

/* Valid UTF-8 without NUL bytes; ASCII is checked eight bytes at a time. */
static bool utf8_ok(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;
    while (i < n) {
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if ((w & 0x8080808080808080ULL) ||
                ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL))
                break;
            i += 8;
        }
        if (i >= n)
            break;
        size_t k = utf8_seq(s + i, n - i);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

static bool dec_reserve(sf_csvread *r, size_t need)
{
    if (need <= r->dec_cap)
        return true;
    size_t cap = r->dec_cap ? r->dec_cap : 4096;
    while (cap < need)
        cap *= 2;
    char *d = realloc(r->dec, cap);
    if (!d)
        return false;
    r->dec = d;
    r->dec_cap = cap;
    return true;
}

/* U+FFFD REPLACEMENT CHARACTER */
static const char replacement[3] = {(char)0xEF, (char)0xBF, (char)0xBD};

/* UTF-8 with every invalid byte (and NUL) replaced by U+FFFD, into dec. */
static bool lossy_utf8(sf_csvread *r, const char *p, size_t n)
{
    if (!dec_reserve(r, 3 * n + 1))
        return false;
    const unsigned char *s = (const unsigned char *)p;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq(s + i, n - i);
        if (k) {
            memcpy(r->dec + o, s + i, k);
            o += k;
            i += k;
        } else {
            memcpy(r->dec + o, replacement, 3);
            o += 3;
            i++;
        }
    }
    r->dec[o] = '\0';
    r->rec.text = r->dec;
    r->rec.text_n = o;
    return true;
}

/* Convert with iconv into dec; strict: false at the first undecodable
 * byte, lossy: U+FFFD for it. Returns -1 on out of memory. */
static int iconv_record(sf_csvread *r, const char *p, size_t n, bool lossy)
{
    size_t out_len = 0;
    if (!dec_reserve(r, 4 * n + 16))
        return -1;
    iconv(r->cd, NULL, NULL, NULL, NULL);
    char *in = (char *)p;
    size_t in_left = n;
    while (in_left > 0) {
        char *out = r->dec + out_len;
        size_t out_left = r->dec_cap - out_len - 1;
        size_t k = iconv(r->cd, &in, &in_left, &out, &out_left);
        out_len = (size_t)(out - r->dec);
        if (k != (size_t)-1)
            break;
        if (errno == E2BIG) {
            if (!dec_reserve(r, r->dec_cap * 2))
                return -1;
            continue;
        }
        if (!lossy)
            return 0;
        /* EILSEQ or EINVAL: one byte becomes U+FFFD */
        if (!dec_reserve(r, out_len + 3 + 4 * in_left + 16))
            return -1;
        memcpy(r->dec + out_len, replacement, 3);
        out_len += 3;
        in++;
        in_left--;
        iconv(r->cd, NULL, NULL, NULL, NULL);
    }
    r->dec[out_len] = '\0';
    r->rec.text = r->dec;
    r->rec.text_n = out_len;
    if (memchr(r->dec, '\0', out_len)) {
        if (!lossy)
            return 0;
        /* a NUL (rich-text export fields hold them) becomes U+FFFD as in
         * UTF-8 input, so the field it sits in is known to be damaged and
         * the raw text stays a C string */
        size_t nul = 0;
        for (size_t i = 0; i < out_len; i++)
            nul += !r->dec[i];
        if (!dec_reserve(r, out_len + 2 * nul + 1))
            return -1;
        size_t o = out_len + 2 * nul;
        r->dec[o] = '\0';
        for (size_t i = out_len; i-- > 0;) {
            if (r->dec[i]) {
                r->dec[--o] = r->dec[i];
            } else {
                o -= 3;
                memcpy(r->dec + o, replacement, 3);
            }
        }
        r->rec.text = r->dec;
        r->rec.text_n = out_len + 2 * nul;
    }
    return 1;
}

/* Decode raw record bytes into rec.text. Returns 1 when valid, 0 when not
 * (text is then the lossy rendering), -1 on out of memory. */
static int decode(sf_csvread *r, const char *p, size_t n)
{
    if (r->utf8 || r->bom_utf8) {
        if (utf8_ok(p, n)) {
            r->rec.text = p;
            r->rec.text_n = n;
            return 1;
        }
        return lossy_utf8(r, p, n) ? 0 : -1;
    }
    int k = iconv_record(r, p, n, false);
    if (k != 0)
        return k;
    return iconv_record(r, p, n, true) < 0 ? -1 : 0;
}

/* ---- splitting into fields ----------------------------------------------------- */

/* Add a field, trimmed of spaces and tabs (SPEC §1.1). */
static void add_field(sf_csvread *r, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (r->nf == r->fo_cap) {
        size_t cap = r->fo_cap ? r->fo_cap * 2 : 32;
        size_t *v = realloc(r->fo, cap * sizeof *v);
        if (!v) {
            r->oom = true;
            return;
        }
        r->fo = v;
        r->fo_cap = cap;
    }
    if (r->fb_len + n + 1 > r->fb_cap) {
        size_t cap = r->fb_cap ? r->fb_cap : 4096;
        while (cap < r->fb_len + n + 1)
            cap *= 2;
        char *b = realloc(r->fb, cap);
        if (!b) {
            r->oom = true;
            return;
        }
        r->fb = b;
        r->fb_cap = cap;
    }
    r->fo[r->nf++] = r->fb_len;
    if (n)
        memcpy(r->fb + r->fb_len, s, n);
    r->fb[r->fb_len + n] = '\0';
    r->fb_len += n + 1;
}

static void cb_field(void *s, size_t n, void *data)
{
    add_field(data, s ? s : "", s ? n : 0);
}

static void cb_row(int c, void *data)
{
    (void)c;
    (void)data;
}

static int space_tab(unsigned char c) { return c == ' ' || c == '\t'; }
static int space_only(unsigned char c) { return c == ' '; }

/* Split rec.text into fields. A record without any quote splits at the
 * delimiter directly (exactly what libcsv would give, far cheaper);
 * anything quoted goes through libcsv. Returns SF_OK or SF_ERR_NOMEM. */
static sf_err split(sf_csvread *r)
{
    r->nf = 0;
    r->fb_len = 0;
    r->oom = false;
    const char *t = r->rec.text;
    size_t n = r->rec.text_n;
    if (!memchr(t, '"', n)) {
        const char *s = t, *end = t + n;
        for (;;) {
            const char *d = memchr(s, r->delim, (size_t)(end - s));
            if (!d) {
                add_field(r, s, (size_t)(end - s));
                break;
            }
            add_field(r, s, (size_t)(d - s));
            s = d + 1;
        }
    } else {
        /* libcsv grows its field buffer by a fixed block: give it the whole
         * record's size at once, or a 20 MB field costs 160,000 reallocs. */
        csv_set_blk_size(&r->csv, n < 128 ? 128 : n + 1);
        if (csv_parse(&r->csv, t, n, cb_field, cb_row, r) != n || csv_fini(&r->csv, cb_field, cb_row, r) != 0)
            return sf_ctx_nomem(r->ctx);
    }
    return r->oom ? sf_ctx_nomem(r->ctx) : SF_OK;
}

/* The text of a too-long record: its head, lossy, then "…". */
static sf_err long_text(sf_csvread *r)
{
    int ok = decode(r, r->rec.bytes, r->rec.n);
    if (ok < 0)
        return sf_ctx_nomem(r->ctx);
    r->rec.bad_encoding = !ok;
    if (!dec_reserve(r, r->rec.text_n + 4))
        return sf_ctx_nomem(r->ctx);
    if (r->rec.text != r->dec)
        memcpy(r->dec, r->rec.text, r->rec.text_n);
    memcpy(r->dec + r->rec.text_n, "\xE2\x80\xA6", 4); /* U+2026 and NUL */
    r->rec.text = r->dec;
    r->rec.text_n += 3;
    r->nf = 0;
    return SF_OK;
}

sf_err sf_csvread_fields(sf_csvread *r)
{
    if (r->fields_ready)
        return r->oom ? sf_ctx_nomem(r->ctx) : SF_OK;
    if (r->rec.too_long)
        return long_text(r);
    int ok = decode(r, r->rec.bytes, r->rec.n);
    if (ok < 0)
        return sf_ctx_nomem(r->ctx);
    r->rec.bad_encoding = !ok;
    return split(r);
}

/* ---- record scanning --------------------------------------------------------- */

enum { SCAN_MORE, SCAN_RECORD, SCAN_OPEN_QUOTE };
enum { ST_START, ST_UNQUOTED, ST_QUOTED, ST_QUOTE_END };

/* Where a scan of a record stands: it may go on over the next block. */
typedef struct {
    int state;
    unsigned char prev;
    bool spaces;
    uint32_t nl;
} scan_state;

/*
 * Scan s[0..n) of a record from *sc. Mirrors libcsv without CSV_STRICT: a
 * quote opens a quoted field only at the start of a field (after blanks);
 * inside it "" is a quote and a quote followed by other text continues
 * the quoted field; a quote in an unquoted field is text. CR, LF and CRLF
 * end lines. Returns the index of the byte that ends the record (*endc
 * set to it), or n when the record goes on.
 */
static size_t scan_run(scan_state *sc, const unsigned char *s, size_t n, unsigned char d, unsigned char *endc)
{
    size_t i;
    unsigned char c = 0, prev = sc->prev;
    for (i = 0; i < n; i++) {
        c = s[i];
        switch (sc->state) {
        case ST_START:
            if (c == '\n' || c == '\r')
                goto end;
            if (c == '"')
                sc->state = ST_QUOTED;
            else if (c != d && c != ' ' && c != '\t')
                sc->state = ST_UNQUOTED;
            break;
        case ST_UNQUOTED: {
            /* the common case: run to the next delimiter or line end */
            while (i < n && s[i] != d && s[i] != '\n' && s[i] != '\r')
                i++;
            if (i == n) {
                prev = s[n - 1];
                goto out;
            }
            c = s[i];
            if (c == '\n' || c == '\r')
                goto end;
            sc->state = ST_START;
            break;
        }
        case ST_QUOTED:
            if (c == '"') {
                sc->state = ST_QUOTE_END;
                sc->spaces = false;
            } else if (c == '\r' || (c == '\n' && prev != '\r')) {
                sc->nl++;
            }
            break;
        case ST_QUOTE_END:
            if (c == '\n' || c == '\r')
                goto end;
            if (c == d)
                sc->state = ST_START;
            else if (c == ' ' || c == '\t')
                sc->spaces = true;
            else if (c == '"') {
                /* after blanks a quote is text (libcsv keeps the field
                 * open for its end); right after the closing quote, ""
                 * was an escaped quote */
                sc->state = sc->spaces ? ST_QUOTE_END : ST_QUOTED;
                sc->spaces = false;
            } else
                sc->state = ST_QUOTED;
            break;
        }
        prev = c;
    }
out:
    sc->prev = prev;
    return n;
end:
    *endc = c;
    return i;
}

/* Find the end of the record at buf[pos..len): its length (no
 * terminator), the bytes and lines it uses and whether it ended in CR. */
static int scan_record(const sf_csvread *r, size_t *rec_n, size_t *used, uint32_t *lines, bool *cr)
{
    scan_state sc = {.state = ST_START};
    size_t n = r->len - r->pos;
    unsigned char c = 0;
    size_t i = scan_run(&sc, (const unsigned char *)r->buf + r->pos, n, (unsigned char)r->delim, &c);
    if (i == n) {
        if (!r->eof)
            return SCAN_MORE;
        *rec_n = n;
        *used = n;
        *lines = sc.nl;
        *cr = false;
        return sc.state == ST_QUOTED ? SCAN_OPEN_QUOTE : SCAN_RECORD;
    }
    *rec_n = i;
    *used = i + 1;
    *lines = sc.nl + 1;
    *cr = c == '\r';
    return SCAN_RECORD;
}

/* Compact the buffer and read the next block with pread; sets eof at the
 * file's size when opened. A file that ends before it was cut while it was
 * read: SF_ERR_INPUT. */
static sf_err fill(sf_csvread *r)
{
    if (r->pos) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->pos = 0;
    }
    if (r->len == r->cap) {
        size_t cap = r->cap * 2;
        char *b = realloc(r->buf, cap);
        if (!b)
            return sf_ctx_nomem(r->ctx);
        r->buf = b;
        r->cap = cap;
    }
    size_t want = r->cap - r->len;
    if ((int64_t)want > r->end - r->done)
        want = (size_t)(r->end - r->done);
    ssize_t k = 0;
    if (want > 0) {
        do
            k = pread(r->fd, r->buf + r->len, want, (off_t)r->done);
        while (k < 0 && errno == EINTR);
        if (k < 0)
            return sf_ctx_error(r->ctx, SF_ERR_INPUT, "%s: cannot read: %s", r->path, strerror(errno));
        if (k == 0)
            return sf_ctx_error(r->ctx, SF_ERR_INPUT,
                                "%s: the file became shorter while it was read (it ends at byte %lld, it "
                                "had %lld bytes): read it again once the export is complete",
                                r->path, (long long)r->done, (long long)r->end);
    }
    if (k == 0)
        r->eof = true;
    r->len += (size_t)k;
    r->done += k;
    if (r->progress && r->size > 0 && r->done >= r->next_progress) {
        r->progress(r->puser, r->stage, (double)r->done / (double)r->size);
        r->next_progress = r->done + (int64_t)SF_CSV_BLOCK;
    }
    return SF_OK;
}

/* Take the LF of a CRLF split over two blocks. Returns SF_OK; *again is
 * set when more data must be read first. */
static sf_err eat_lf(sf_csvread *r, bool *again)
{
    *again = false;
    if (!r->skip_lf)
        return SF_OK;
    if (r->pos < r->len) {
        if (r->buf[r->pos] == '\n')
            r->pos++;
        r->skip_lf = false;
    } else if (r->eof) {
        r->skip_lf = false;
    } else {
        *again = true;
        return fill(r);
    }
    return SF_OK;
}

static bool is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

/* ---- files ------------------------------------------------------------------- */

sf_err sf_csvread_open_fd(sf_csvread *r, int fd, int64_t size, const char *path, sf_csv_progress_fn progress,
                          void *user)
{
    sf_csvread_close(r);
    r->path = path;
    r->fd = fd;
    r->fd_live = true;
    r->size = r->end = size;
    r->done = 0;
    r->next_progress = 0;
    r->progress = progress;
    r->puser = user;
    const char *base = strrchr(path, '/');
    snprintf(r->stage, sizeof r->stage, "reading %s", base ? base + 1 : path);
    r->pos = r->len = 0;
    r->eof = false;
    r->line = 1;
    r->skip_lf = false;
    r->limit = -1;
    r->nf = 0;
    r->fields_ready = false;
    r->delim = r->delim_cfg ? r->delim_cfg : ',';
    if (csv_init(&r->csv, CSV_APPEND_NULL) != 0) {
        sf_csvread_close(r);
        return sf_ctx_nomem(r->ctx);
    }
    r->csv_live = true;
    sf_err e = fill(r);
    if (e != SF_OK) {
        sf_csvread_close(r);
        return e;
    }
    /* a UTF-8 byte-order mark says the file is UTF-8, whatever encoding
     * the configuration names (a CP1251 preset on a portal set to UTF-8) */
    r->bom_utf8 = false;
    if (r->len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
        r->pos = 3;
        r->bom_utf8 = !r->utf8;
    }
    return SF_OK;
}

sf_err sf_csvread_open(sf_csvread *r, const char *path, sf_csv_progress_fn progress, void *user)
{
    sf_csvread_close(r);
    char why[160];
    int fd = sf_open_regular(path, why, sizeof why);
    struct stat sb;
    if (fd < 0)
        return sf_ctx_error(r->ctx, SF_ERR_INPUT, "%s: cannot open: %s", path, why);
    if (fstat(fd, &sb) != 0) {
        int e = errno;
        close(fd);
        return sf_ctx_error(r->ctx, SF_ERR_INPUT, "%s: cannot open: %s", path, strerror(e));
    }
    sf_err e = sf_csvread_open_fd(r, fd, (int64_t)sb.st_size, path, progress, user);
    if (e != SF_OK) {
        close(fd);
        return e;
    }
    r->fd_own = true;
    return SF_OK;
}

size_t sf_csvread_rows_hint(const sf_csvread *r, int64_t start, int64_t end)
{
    int64_t span = (end >= 0 ? end : r->size) - start;
    if (!r->len || span <= (int64_t)r->len)
        return 0;
    size_t nl = 0;
    for (const char *p = r->buf, *e = r->buf + r->len; (p = memchr(p, '\n', (size_t)(e - p))); p++)
        nl++;
    return (size_t)((double)span * (double)(nl ? nl : 1) / (double)r->len);
}

/* Length of the first line at buf[pos..) (quotes toggled, for sniffing);
 * SIZE_MAX when more data is needed. */
static size_t first_line_len(const sf_csvread *r)
{
    bool q = false;
    for (size_t i = r->pos; i < r->len; i++) {
        char c = r->buf[i];
        if (c == '"')
            q = !q;
        else if (!q && (c == '\n' || c == '\r'))
            return i - r->pos;
    }
    return r->eof ? r->len - r->pos : SIZE_MAX;
}

/* Take the record at pos (scanned as n, used, lines, cr) as the current
 * one and step past it. */
static void take(sf_csvread *r, size_t n, size_t used, uint32_t lines, bool cr, bool open_quote)
{
    r->rec.bytes = r->buf + r->pos;
    r->rec.n = n;
    r->rec.line = r->line;
    r->rec.open_quote = open_quote;
    r->rec.too_long = false;
    r->rec.blank = !open_quote && is_blank(r->rec.bytes, n);
    r->line += lines;
    r->pos += used;
    r->skip_lf = cr;
}

/* Keep the first bytes of the record at pos as the head of a too-long
 * record (cut before a UTF-8 sequence it would split). */
static size_t keep_head(sf_csvread *r)
{
    size_t h = r->len - r->pos;
    if (h > SF_CSV_LONG_HEAD) {
        h = SF_CSV_LONG_HEAD;
        for (int k = 0; k < 3 && h > 0 && ((unsigned char)r->buf[r->pos + h] & 0xC0) == 0x80; k++)
            h--;
    }
    memcpy(r->long_head, r->buf + r->pos, h);
    return h;
}

/* The record at pos is longer than max_rec: keep its head, skip the rest
 * to its end block by block (nothing more is held), and make it the
 * current record, too_long. */
static sf_err skip_long(sf_csvread *r)
{
    size_t h = keep_head(r);
    uint32_t line = r->line, lines;
    scan_state sc = {.state = ST_START};
    bool cr = false, open = false;
    for (;;) {
        size_t n = r->len - r->pos;
        unsigned char c = 0;
        size_t i = scan_run(&sc, (const unsigned char *)r->buf + r->pos, n, (unsigned char)r->delim, &c);
        if (i < n) {
            r->pos += i + 1;
            lines = sc.nl + 1;
            cr = c == '\r';
            break;
        }
        r->pos = r->len;
        if (r->eof) {
            lines = sc.nl;
            open = sc.state == ST_QUOTED;
            break;
        }
        sf_err e = fill(r);
        if (e != SF_OK)
            return e;
    }
    r->rec = (sf_csvrec){.bytes = r->long_head, .n = h, .line = line, .open_quote = open, .too_long = true};
    r->line += lines;
    r->skip_lf = cr;
    return SF_OK;
}

static sf_err header_too_long(const sf_csvread *r)
{
    return sf_ctx_error(r->ctx, SF_ERR_INPUT,
                        "%s:%u: the header line is longer than %lld bytes ([input] max_record_bytes)", r->path,
                        (unsigned)r->line, (long long)r->max_rec);
}

sf_err sf_csvread_header(sf_csvread *r, int64_t *blank)
{
    sf_err e;
    r->fields_ready = false;
    for (;;) {
        bool again;
        if ((e = eat_lf(r, &again)) != SF_OK)
            return e;
        if (again)
            continue;
        if (r->pos == r->len) {
            if (r->eof)
                return sf_ctx_error(r->ctx, SF_ERR_INPUT, "%s: empty file (no header line)", r->path);
            if ((e = fill(r)) != SF_OK)
                return e;
            continue;
        }
        if (!r->delim_cfg) {
            size_t l = first_line_len(r);
            if (l == SIZE_MAX && (int64_t)(r->len - r->pos) > r->max_rec)
                return header_too_long(r);
            if (l == SIZE_MAX) {
                if ((e = fill(r)) != SF_OK)
                    return e;
                continue;
            }
            r->delim = sf_sniff_delimiter(r->buf + r->pos, l);
        }
        size_t n, used;
        uint32_t lines;
        bool cr;
        if (scan_record(r, &n, &used, &lines, &cr) == SCAN_MORE) {
            if ((int64_t)(r->len - r->pos) > r->max_rec)
                return header_too_long(r);
            if ((e = fill(r)) != SF_OK)
                return e;
            continue;
        }
        if ((int64_t)n > r->max_rec)
            return header_too_long(r);
        /* an open quote in the header is left to the field count */
        take(r, n, used, lines, cr, false);
        if (r->rec.blank) {
            (*blank)++;
            continue;
        }
        int ok = decode(r, r->rec.bytes, r->rec.n);
        if (ok < 0)
            return sf_ctx_nomem(r->ctx);
        r->rec.bad_encoding = !ok;
        r->nf = 0;
        if (!ok)
            return SF_OK;
        csv_set_delim(&r->csv, (unsigned char)r->delim);
        csv_set_space_func(&r->csv, r->delim == '\t' ? space_only : space_tab);
        return split(r);
    }
}

sf_err sf_csvread_seek(sf_csvread *r, int64_t start)
{
    if (r->done - (int64_t)(r->len - r->pos) > start || start > r->end)
        return sf_ctx_error(r->ctx, SF_ERR_INPUT, "%s: cannot seek to byte %lld", r->path, (long long)start);
    r->pos = r->len = 0;
    r->eof = false;
    r->done = start;
    r->line = 1;
    r->skip_lf = false;
    return SF_OK;
}

/* The byte classes of fast_record for the current delimiter: 1 ends a
 * field (the delimiter), 2 ends the record (CR, LF), 3 needs the full
 * scanner (a quote, NUL); 0 is plain text. */
static void stop_table(sf_csvread *r)
{
    memset(r->stop, 0, sizeof r->stop);
    r->stop['\n'] = r->stop['\r'] = 2;
    r->stop['"'] = r->stop[0] = 3;
    r->stop[(unsigned char)r->delim] = 1;
    r->stop_delim = r->delim;
}

/*
 * The common record in one pass: UTF-8 input, no quote and no NUL before
 * the line end, the whole line in the buffer and not too long. It is
 * found and split at once (what scan_record, decode and split give for
 * it, without their separate passes over the bytes); anything else
 * returns false and goes the full way, from the same position.
 */
static bool fast_record(sf_csvread *r)
{
    if (r->no_fast || !(r->utf8 || r->bom_utf8) || r->delim == '"' || !r->delim || (unsigned char)r->delim >= 0x80)
        return false;
    if (r->stop_delim != r->delim)
        stop_table(r);
    const unsigned char *s = (const unsigned char *)r->buf + r->pos, *end = (const unsigned char *)r->buf + r->len;
    const unsigned char *p = s;
    unsigned char high = 0, k;
    r->nf = 0;
    r->fb_len = 0;
    r->oom = false;
    for (;;) {
        const unsigned char *f = p;
        while (p < end && !r->stop[*p])
            high |= *p++;
        if (p == end || (k = r->stop[*p]) == 3)
            return false;
        add_field(r, (const char *)f, (size_t)(p - f));
        if (k == 2)
            break;
        p++;
    }
    size_t n = (size_t)(p - s);
    if ((int64_t)n > r->max_rec || ((high & 0x80) && !utf8_ok((const char *)s, n)))
        return false;
    bool cr = *p == '\r';
    r->rec = (sf_csvrec){.bytes = (const char *)s, .n = n, .line = r->line, .blank = is_blank((const char *)s, n),
                         .text = (const char *)s, .text_n = n};
    r->line++;
    r->pos += n + 1;
    r->skip_lf = cr;
    r->fields_ready = true;
    return true;
}

sf_err sf_csvread_next(sf_csvread *r, sf_csv_event *ev)
{
    sf_err e;
    r->fields_ready = false;
    for (;;) {
        bool again;
        if ((e = eat_lf(r, &again)) != SF_OK)
            return e;
        if (again)
            continue;
        if (r->limit >= 0) {
            /* the offset of the next record */
            int64_t off = r->done - (int64_t)(r->len - r->pos);
            if (off >= r->limit) {
                *ev = off > r->limit ? SF_CSV_PAST_LIMIT : SF_CSV_AT_LIMIT;
                r->limit = -1;
                return SF_OK;
            }
        }
        if (r->pos == r->len) {
            if (r->eof) {
                *ev = SF_CSV_END;
                return SF_OK;
            }
            if ((e = fill(r)) != SF_OK)
                return e;
            continue;
        }
        if (fast_record(r)) {
            *ev = SF_CSV_RECORD;
            return SF_OK;
        }
        size_t n, used;
        uint32_t lines;
        bool cr;
        int k = scan_record(r, &n, &used, &lines, &cr);
        if (k == SCAN_MORE && (int64_t)(r->len - r->pos) > r->max_rec) {
            if ((e = skip_long(r)) != SF_OK)
                return e;
            *ev = SF_CSV_RECORD;
            return SF_OK;
        }
        if (k == SCAN_MORE) {
            if ((e = fill(r)) != SF_OK)
                return e;
            continue;
        }
        /* A quote left open runs to the end of the file; the file's last
         * line break is still a terminator, not part of the raw text. */
        if (k == SCAN_OPEN_QUOTE)
            while (n && (r->buf[r->pos + n - 1] == '\n' || r->buf[r->pos + n - 1] == '\r'))
                n--;
        take(r, n, used, lines, cr, k == SCAN_OPEN_QUOTE);
        if ((int64_t)n > r->max_rec) {
            /* found whole in the buffer, but too long all the same */
            r->pos -= used;
            size_t h = keep_head(r);
            r->pos += used;
            r->rec.bytes = r->long_head;
            r->rec.n = h;
            r->rec.too_long = true;
            r->rec.blank = false;
        }
        *ev = SF_CSV_RECORD;
        return SF_OK;
    }
}

/* ---- delimiter ------------------------------------------------------------- */

char sf_sniff_delimiter(const char *line, size_t len)
{
    size_t comma = 0, semi = 0, tab = 0;
    bool quoted = false;
    for (size_t i = 0; i < len; i++) {
        char c = line[i];
        if (c == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == ',')
            comma++;
        else if (c == ';')
            semi++;
        else if (c == '\t')
            tab++;
        else if (c == '\n' || c == '\r')
            break;
    }
    if (comma >= semi && comma >= tab)
        return ',';
    if (semi >= tab)
        return ';';
    return '\t';
}
