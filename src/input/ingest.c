/*
 * ingest.c - read the CRM's CSV exports into the dataset (SPEC §1, §1.1).
 *
 * Each file is read in 1 MiB blocks. A small quote-aware scanner that
 * mirrors libcsv's non-strict quoting finds where each record ends (so a
 * quoted newline stays inside its record) and on which line it starts; a
 * record that runs past the block is carried over to the next read, so
 * memory follows the longest record, not the file. The record is decoded
 * to UTF-8 (validated, or converted with iconv), split into fields by
 * libcsv, typed, checked in the reject precedence of §1.1 and folded into
 * the dataset. Every record ends accepted, rejected (a line in rejects),
 * blank or footer: read = accepted + rejected + blank + footer.
 *
 * Choices where SPEC leaves room (also in docs/ingest.md):
 * - duplicate transaction and opportunity ids are found through an
 *   sf_idset: a bitmap per id family (prefix + zero-padded counter, the
 *   usual invoice number), else 64-bit hashes (a false "duplicate" needs a
 *   64-bit collision, ~3e-8 for a million ids);
 * - with `transactions = @won` a won deal that yields no transaction is a
 *   rejected line of the opportunities file (file = opportunities, reason
 *   missing_required or bad_number) counted in files[SF_FILE_TRANSACTIONS]
 *   and rejects->count[SF_FILE_TRANSACTIONS]; the opportunity itself stays
 *   accepted;
 * - a currency code written in the amount ("USD 12.50") is the record's
 *   currency when the currency field is unmapped or empty.
 */
#include "input/sf_ingest.h"
#include "input/sf_idset.h"

#include <csv.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* From parse.c: money scaled by 1e9, for the exact quantity x price. */
bool sf_parse_money_e9(const char *s, char decimal, sf_thousands th, __int128 *v, char code[4]);

#define BLOCK_SIZE ((size_t)1 << 20)

/* ---- a cache of account lookups ------------------------------------------------ */

/* sf_dataset_find chases three pointers per lookup (slot, account, id
 * string); at a million transactions that is most of the ingest time. This
 * cache keeps short ids inline in one 32-byte entry: one cache line per
 * hit. Only found accounts are cached (accounts are never removed). */
#define ACACHE_KEY 19
typedef struct {
    uint64_t h; /* 0 = empty */
    uint32_t idx;
    uint8_t len;
    char key[ACACHE_KEY];
} acache_ent;

typedef struct {
    acache_ent *v;
    size_t cap, n;
} acache;

static void acache_add(acache *c, uint64_t h, const char *id, size_t len, uint32_t idx)
{
    if (2 * (c->n + 1) > c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        acache_ent *v = sf_table_alloc(cap * sizeof *v);
        if (!v)
            return; /* the cache is optional */
        for (size_t i = 0; i < c->cap; i++) {
            if (!c->v[i].h)
                continue;
            size_t j = (size_t)c->v[i].h & (cap - 1);
            while (v[j].h)
                j = (j + 1) & (cap - 1);
            v[j] = c->v[i];
        }
        free(c->v);
        c->v = v;
        c->cap = cap;
    }
    size_t i = (size_t)h & (c->cap - 1);
    while (c->v[i].h)
        i = (i + 1) & (c->cap - 1);
    c->v[i].h = h;
    c->v[i].idx = idx;
    c->v[i].len = (uint8_t)len;
    memcpy(c->v[i].key, id, len);
    c->n++;
}

/* ---- the reader state ------------------------------------------------------ */

typedef struct reader reader;
struct reader {
    sf_dataset *ds;
    const sf_config *cfg;
    sf_rejects *rj;
    sf_ctx *ctx;
    sf_progress_fn progress;
    void *puser;

    /* the file being read */
    sf_file_kind kind;
    const char *path;
    sf_file_stats *st;
    int fd;
    char *buf;
    size_t cap, len, pos;
    bool eof;
    int64_t size, done, next_progress;
    char stage[128];
    char delim;
    bool utf8;
    iconv_t cd;
    struct csv_parser csv;
    bool csv_live;
    uint32_t line;  /* line on which the next record starts */
    bool skip_lf;   /* the last record ended in CR: a following LF is its */
    bool footer;

    /* the record being handled */
    uint32_t rec_line;
    const char *text; /* UTF-8 (decoded, or lossy when invalid) */
    size_t text_n;
    char *dec;
    size_t dec_cap;
    char *fb;         /* field bytes, each NUL-terminated */
    size_t fb_cap, fb_len;
    size_t *fo;       /* field offsets into fb */
    size_t nf, fo_cap;
    bool oom;
    size_t rec_mark;  /* rejects->n when the record started */
    int kept_lines;

    /* header mapping */
    size_t ncols;
    int col[SF_FIELD_MAX];
    bool by_product;  /* transactions: amount = quantity x unit_price */

    sf_idset *ids;        /* of the file being read, made at its first id */
    size_t ids_hint;      /* records expected in the part read */
    acache accounts;
    struct { char key[32]; int val; } memo[3][8]; /* recent mapped values */
    unsigned memo_next[3];
    sf_opportunity *opps; /* accepted opportunities, added at end of file */
    size_t n_opps, cap_opps;

    /* a transactions file split across two readers (see sf_ingest) */
    sf_tx_part *part;      /* fold transactions here, not into the dataset */
    sf_file_stats *st_own; /* count into these, not ds->files[kind] */
    int64_t start;         /* first record at this offset (a line start) */
    int64_t limit;         /* stop before the record starting here; -1: none */
    sf_err (*on_limit)(reader *g, bool *done);
    void *limit_arg;
};

static const char *fld(const reader *g, int field)
{
    int c = g->col[field];
    return (c < 0 || (size_t)c >= g->nf) ? "" : g->fb + g->fo[c];
}

static bool has(const reader *g, int field) { return *fld(g, field) != '\0'; }

/* Map a CRM value (activity type, outcome, status) to its canonical enum.
 * The mapping lower-cases (and allocates) per call and a file repeats a
 * handful of values a million times, so recent answers are remembered. */
enum { MEMO_TYPE, MEMO_OUTCOME, MEMO_STATUS };
static int map_value(reader *g, int kind, const char *v)
{
    size_t n = strlen(v);
    if (n < sizeof g->memo[0][0].key) {
        for (int i = 0; i < 8; i++)
            if (g->memo[kind][i].key[0] && strcmp(g->memo[kind][i].key, v) == 0)
                return g->memo[kind][i].val;
    }
    int val = kind == MEMO_TYPE      ? (int)sf_config_act_type(g->cfg, v)
              : kind == MEMO_OUTCOME ? (int)sf_config_outcome(g->cfg, v)
                                     : (int)sf_config_status(g->cfg, v);
    if (n && n < sizeof g->memo[0][0].key) {
        unsigned slot = g->memo_next[kind]++ % 8;
        memcpy(g->memo[kind][slot].key, v, n + 1);
        g->memo[kind][slot].val = val;
    }
    return val;
}


static uint64_t id_hash(const char *s)
{
    uint64_t h = sf_hash_str(s);
    return h ? h : 1; /* 0 marks an empty cache slot */
}

/* sf_dataset_find through the cache. */
/* The hash of id for find_account_h (0 when too long to be cached), its
 * cache slot asked for early: the lookup follows a parse of the rest of
 * the record, which hides the memory's latency. */
static uint64_t acache_prefetch(const reader *g, const char *id, size_t len)
{
    if (len > ACACHE_KEY)
        return 0;
    uint64_t h = id_hash(id);
    if (g->accounts.cap)
        __builtin_prefetch(&g->accounts.v[(size_t)h & (g->accounts.cap - 1)]);
    return h;
}

static uint32_t find_account_h(reader *g, const char *id, size_t len, uint64_t h)
{
    if (len > ACACHE_KEY)
        return sf_dataset_find(g->ds, id);
    acache *c = &g->accounts;
    if (c->cap) {
        for (size_t i = (size_t)h & (c->cap - 1); c->v[i].h; i = (i + 1) & (c->cap - 1))
            if (c->v[i].h == h && c->v[i].len == len && memcmp(c->v[i].key, id, len) == 0)
                return c->v[i].idx;
    }
    uint32_t idx = sf_dataset_find(g->ds, id);
    if (idx != SF_NO_ACCOUNT)
        acache_add(c, h, id, len, idx);
    return idx;
}

static uint32_t find_account(reader *g, const char *id)
{
    size_t len = strlen(id);
    return find_account_h(g, id, len, acache_prefetch(g, id, len));
}

/* ---- rejects ---------------------------------------------------------------- */

/* Append one line for the current record: `line_file` is the file shown,
 * `count_file` the file whose counters it adds to. */
static sf_err push_line(reader *g, sf_file_kind line_file, sf_file_kind count_file,
                        sf_reject_reason reason, const char *field, bool kept)
{
    sf_rejects *r = g->rj;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        sf_reject *v = realloc(r->v, cap * sizeof *v);
        if (!v)
            return sf_ctx_nomem(g->ctx);
        r->v = v;
        r->cap = cap;
    }
    char *raw = sf_strndup(g->text, g->text_n);
    if (!raw)
        return sf_ctx_nomem(g->ctx);
    r->v[r->n++] = (sf_reject){.file = line_file, .line = g->rec_line, .reason = reason,
                               .field = field, .kept = kept, .raw = raw};
    if (kept)
        r->kept_count[count_file][reason]++;
    else
        r->count[count_file][reason]++;
    return SF_OK;
}

/* Reject the current record: its kept lines are dropped (SPEC §1.1: only
 * the rejection is written). */
static sf_err reject(reader *g, sf_reject_reason reason, const char *field)
{
    sf_rejects *r = g->rj;
    while (r->n > g->rec_mark) {
        sf_reject *x = &r->v[--r->n];
        if (x->kept)
            r->kept_count[x->file][x->reason]--;
        free(x->raw);
    }
    g->kept_lines = 0;
    g->st->rejected++;
    return push_line(g, g->kind, g->kind, reason, field, false);
}

/* The record is kept with `field` left empty. */
static sf_err keep(reader *g, sf_reject_reason reason, const char *field)
{
    g->kept_lines++;
    return push_line(g, g->kind, g->kind, reason, field, true);
}

static void widen_dates(sf_file_stats *st, sf_date d)
{
    if (d == SF_NODATE)
        return;
    if (st->min_date == SF_NODATE || d < st->min_date)
        st->min_date = d;
    if (st->max_date == SF_NODATE || d > st->max_date)
        st->max_date = d;
}

static void accept(reader *g, sf_date main_date)
{
    g->st->accepted++;
    if (g->kept_lines)
        g->st->kept_with_fault++;
    widen_dates(g->st, main_date);
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

static bool dec_reserve(reader *g, size_t need)
{
    if (need <= g->dec_cap)
        return true;
    size_t cap = g->dec_cap ? g->dec_cap : 4096;
    while (cap < need)
        cap *= 2;
    char *d = realloc(g->dec, cap);
    if (!d)
        return false;
    g->dec = d;
    g->dec_cap = cap;
    return true;
}

/* U+FFFD REPLACEMENT CHARACTER */
static const char replacement[3] = {(char)0xEF, (char)0xBF, (char)0xBD};

/* UTF-8 with every invalid byte (and NUL) replaced by U+FFFD, into dec. */
static bool lossy_utf8(reader *g, const char *p, size_t n)
{
    if (!dec_reserve(g, 3 * n + 1))
        return false;
    const unsigned char *s = (const unsigned char *)p;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq(s + i, n - i);
        if (k) {
            memcpy(g->dec + o, s + i, k);
            o += k;
            i += k;
        } else {
            memcpy(g->dec + o, replacement, 3);
            o += 3;
            i++;
        }
    }
    g->dec[o] = '\0';
    g->text = g->dec;
    g->text_n = o;
    return true;
}

/* Convert with iconv into dec; strict: false at the first undecodable
 * byte, lossy: U+FFFD for it. Returns -1 on out of memory. */
static int iconv_record(reader *g, const char *p, size_t n, bool lossy)
{
    size_t out_len = 0;
    if (!dec_reserve(g, 4 * n + 16))
        return -1;
    iconv(g->cd, NULL, NULL, NULL, NULL);
    char *in = (char *)p;
    size_t in_left = n;
    while (in_left > 0) {
        char *out = g->dec + out_len;
        size_t out_left = g->dec_cap - out_len - 1;
        size_t r = iconv(g->cd, &in, &in_left, &out, &out_left);
        out_len = (size_t)(out - g->dec);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG) {
            if (!dec_reserve(g, g->dec_cap * 2))
                return -1;
            continue;
        }
        if (!lossy)
            return 0;
        /* EILSEQ or EINVAL: one byte becomes U+FFFD */
        if (!dec_reserve(g, out_len + 3 + 4 * in_left + 16))
            return -1;
        memcpy(g->dec + out_len, replacement, 3);
        out_len += 3;
        in++;
        in_left--;
        iconv(g->cd, NULL, NULL, NULL, NULL);
    }
    g->dec[out_len] = '\0';
    g->text = g->dec;
    g->text_n = out_len;
    if (memchr(g->dec, '\0', out_len)) {
        if (!lossy)
            return 0;
        for (size_t i = 0; i < out_len; i++)
            if (!g->dec[i])
                g->dec[i] = '?'; /* rare: keep the raw text a C string */
    }
    return 1;
}

/* Decode raw record bytes into g->text. Returns 1 when valid, 0 when not
 * (text is then the lossy rendering), -1 on out of memory. */
static int decode(reader *g, const char *p, size_t n)
{
    if (g->utf8) {
        if (utf8_ok(p, n)) {
            g->text = p;
            g->text_n = n;
            return 1;
        }
        return lossy_utf8(g, p, n) ? 0 : -1;
    }
    int r = iconv_record(g, p, n, false);
    if (r != 0)
        return r;
    return iconv_record(g, p, n, true) < 0 ? -1 : 0;
}

/* ---- splitting into fields ----------------------------------------------------- */

/* Add a field, trimmed of spaces and tabs (SPEC §1.1). */
static void add_field(reader *g, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (g->nf == g->fo_cap) {
        size_t cap = g->fo_cap ? g->fo_cap * 2 : 32;
        size_t *v = realloc(g->fo, cap * sizeof *v);
        if (!v) {
            g->oom = true;
            return;
        }
        g->fo = v;
        g->fo_cap = cap;
    }
    if (g->fb_len + n + 1 > g->fb_cap) {
        size_t cap = g->fb_cap ? g->fb_cap : 4096;
        while (cap < g->fb_len + n + 1)
            cap *= 2;
        char *b = realloc(g->fb, cap);
        if (!b) {
            g->oom = true;
            return;
        }
        g->fb = b;
        g->fb_cap = cap;
    }
    g->fo[g->nf++] = g->fb_len;
    if (n)
        memcpy(g->fb + g->fb_len, s, n);
    g->fb[g->fb_len + n] = '\0';
    g->fb_len += n + 1;
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

/* Split g->text into fields. A record without any quote splits at the
 * delimiter directly (exactly what libcsv would give, far cheaper);
 * anything quoted goes through libcsv. Returns SF_OK or SF_ERR_NOMEM. */
static sf_err split(reader *g)
{
    g->nf = 0;
    g->fb_len = 0;
    g->oom = false;
    const char *t = g->text;
    size_t n = g->text_n;
    if (!memchr(t, '"', n)) {
        const char *s = t, *end = t + n;
        for (;;) {
            const char *d = memchr(s, g->delim, (size_t)(end - s));
            if (!d) {
                add_field(g, s, (size_t)(end - s));
                break;
            }
            add_field(g, s, (size_t)(d - s));
            s = d + 1;
        }
    } else {
        /* libcsv grows its field buffer by a fixed block: give it the whole
         * record's size at once, or a 20 MB field costs 160,000 reallocs. */
        csv_set_blk_size(&g->csv, n < 128 ? 128 : n + 1);
        if (csv_parse(&g->csv, t, n, cb_field, cb_row, g) != n ||
            csv_fini(&g->csv, cb_field, cb_row, g) != 0)
            return sf_ctx_nomem(g->ctx);
    }
    return g->oom ? sf_ctx_nomem(g->ctx) : SF_OK;
}

/* ---- record scanning --------------------------------------------------------- */

enum { SCAN_MORE, SCAN_RECORD, SCAN_OPEN_QUOTE };

/*
 * Find the end of the record at buf[pos..len). Mirrors libcsv without
 * CSV_STRICT: a quote opens a quoted field only at the start of a field
 * (after blanks); inside it "" is a quote and a quote followed by other
 * text continues the quoted field; a quote in an unquoted field is text.
 * CR, LF and CRLF end lines. Sets the record length (no terminator), the
 * bytes consumed, the lines consumed and whether it ended in CR.
 */
static int scan_record(const reader *g, size_t *rec_n, size_t *used, uint32_t *lines, bool *cr)
{
    enum { START, UNQUOTED, QUOTED, QUOTE_END } state = START;
    const unsigned char *s = (const unsigned char *)g->buf + g->pos;
    size_t n = g->len - g->pos, i;
    unsigned char d = (unsigned char)g->delim, prev = 0, c = 0;
    bool spaces = false;
    uint32_t nl = 0;
    for (i = 0; i < n; i++) {
        c = s[i];
        switch (state) {
        case START:
            if (c == '\n' || c == '\r')
                goto end;
            if (c == '"')
                state = QUOTED;
            else if (c != d && c != ' ' && c != '\t')
                state = UNQUOTED;
            break;
        case UNQUOTED: {
            /* the common case: run to the next delimiter or line end */
            while (i < n && s[i] != d && s[i] != '\n' && s[i] != '\r')
                i++;
            if (i == n)
                goto out;
            c = s[i];
            if (c == '\n' || c == '\r')
                goto end;
            state = START;
            break;
        }
        case QUOTED:
            if (c == '"') {
                state = QUOTE_END;
                spaces = false;
            } else if (c == '\r' || (c == '\n' && prev != '\r')) {
                nl++;
            }
            break;
        case QUOTE_END:
            if (c == '\n' || c == '\r')
                goto end;
            if (c == d)
                state = START;
            else if (c == ' ' || c == '\t')
                spaces = true;
            else if (c == '"') {
                /* after blanks a quote is text (libcsv keeps the field
                 * open for its end); right after the closing quote, ""
                 * was an escaped quote */
                state = spaces ? QUOTE_END : QUOTED;
                spaces = false;
            } else
                state = QUOTED;
            break;
        }
        prev = c;
    }
out:
    if (!g->eof)
        return SCAN_MORE;
    *rec_n = n;
    *used = n;
    *lines = nl;
    *cr = false;
    return state == QUOTED ? SCAN_OPEN_QUOTE : SCAN_RECORD;
end:
    *rec_n = i;
    *used = i + 1;
    *lines = nl + 1;
    *cr = c == '\r';
    return SCAN_RECORD;
}

/* Compact the buffer and read the next block; sets eof at end of file. */
static sf_err fill(reader *g)
{
    if (g->pos) {
        memmove(g->buf, g->buf + g->pos, g->len - g->pos);
        g->len -= g->pos;
        g->pos = 0;
    }
    if (g->len == g->cap) {
        size_t cap = g->cap * 2;
        char *b = realloc(g->buf, cap);
        if (!b)
            return sf_ctx_nomem(g->ctx);
        g->buf = b;
        g->cap = cap;
    }
    ssize_t r;
    do
        r = read(g->fd, g->buf + g->len, g->cap - g->len);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        return sf_ctx_error(g->ctx, SF_ERR_INPUT, "%s: cannot read: %s", g->path, strerror(errno));
    if (r == 0)
        g->eof = true;
    g->len += (size_t)r;
    g->done += r;
    if (g->progress && g->size > 0 && g->done >= g->next_progress) {
        g->progress(g->puser, g->stage, (double)g->done / (double)g->size);
        g->next_progress = g->done + (int64_t)BLOCK_SIZE;
    }
    return SF_OK;
}

/* Take the LF of a CRLF split over two blocks. Returns SF_OK; *again is
 * set when more data must be read first. */
static sf_err eat_lf(reader *g, bool *again)
{
    *again = false;
    if (!g->skip_lf)
        return SF_OK;
    if (g->pos < g->len) {
        if (g->buf[g->pos] == '\n')
            g->pos++;
        g->skip_lf = false;
    } else if (g->eof) {
        g->skip_lf = false;
    } else {
        *again = true;
        return fill(g);
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

/* ---- typed records ------------------------------------------------------------- */


/* Currency rate for a code; NULL/empty code = report currency. */
static bool rate_of(const sf_config *cfg, const char *code, int64_t *rate)
{
    if (!code || !*code)
        code = cfg->currency ? cfg->currency : "EUR";
    return sf_config_rate(cfg, code, rate);
}

static sf_err do_account(reader *g)
{
    const sf_config *cfg = g->cfg;
    const char *id = fld(g, SF_AF_ACCOUNT_ID), *name = fld(g, SF_AF_NAME);
    if (!*id)
        return reject(g, SF_REJ_MISSING_REQUIRED, "account_id");
    if (!*name)
        return reject(g, SF_REJ_MISSING_REQUIRED, "name");
    /* a duplicate id is found by sf_dataset_add_account below; its
     * rejection drops any kept line of the record (SPEC §1.1) */
    sf_err e;
    int64_t employees = SF_NONE, revenue = SF_NONE;
    if (has(g, SF_AF_EMPLOYEES) &&
        !sf_parse_int(fld(g, SF_AF_EMPLOYEES), cfg->decimal, cfg->thousands, &employees)) {
        employees = SF_NONE;
        if ((e = keep(g, SF_REJ_BAD_NUMBER, "employees")) != SF_OK)
            return e;
    }
    if (has(g, SF_AF_COMPANY_REVENUE)) {
        char code[4] = "";
        int64_t rate;
        if (!sf_parse_money(fld(g, SF_AF_COMPANY_REVENUE), cfg->decimal, cfg->thousands, &revenue,
                            code)) {
            revenue = SF_NONE;
            e = keep(g, SF_REJ_BAD_NUMBER, "company_revenue");
        } else if (!rate_of(cfg, code, &rate)) {
            revenue = SF_NONE;
            e = keep(g, SF_REJ_UNKNOWN_CURRENCY, "company_revenue");
        } else if (!sf_convert_cents(revenue, rate, &revenue)) {
            revenue = SF_NONE;
            e = keep(g, SF_REJ_BAD_NUMBER, "company_revenue");
        } else {
            e = SF_OK;
        }
        if (e != SF_OK)
            return e;
    }
    bool dup;
    uint32_t a = sf_dataset_add_account(g->ds, id, name, fld(g, SF_AF_OWNER), fld(g, SF_AF_INDUSTRY),
                                        fld(g, SF_AF_REGION), employees, revenue,
                                        fld(g, SF_AF_CONTACT_TITLE), fld(g, SF_AF_FIT), g->rec_line, &dup);
    if (a == SF_NO_ACCOUNT)
        return dup ? reject(g, SF_REJ_DUPLICATE_ID, "account_id") : sf_ctx_nomem(g->ctx);
    accept(g, SF_NODATE);
    return SF_OK;
}

/* quantity x unit_price rounded half away from zero to cents (both parsed
 * at nine decimals, exact for up to nine). False on overflow. */
static bool product_cents(__int128 q, __int128 p, int64_t *cents)
{
    __int128 prod;
    if (__builtin_mul_overflow(q, p, &prod))
        return false;
    const __int128 den = (__int128)10000000000000000LL; /* 1e18 / 1e2 */
    __int128 c = prod / den, r = prod % den;
    if (r < 0)
        r = -r;
    if (2 * r >= den)
        c += prod < 0 ? -1 : 1;
    if (c > INT64_MAX || c < -INT64_MAX)
        return false;
    *cents = (int64_t)c;
    return true;
}

/* Find or, with accounts derived, create the account of a transaction.
 * Returns SF_OK with *acc set, or SF_ERR_NOMEM. */
static sf_err tx_account(reader *g, const char *aid, uint32_t *acc)
{
    *acc = find_account(g, aid);
    if (*acc != SF_NO_ACCOUNT)
        return SF_OK;
    bool dup;
    *acc = sf_dataset_add_account(g->ds, aid, aid, NULL, NULL, NULL, SF_NONE, SF_NONE, NULL, NULL, 0, &dup);
    return *acc == SF_NO_ACCOUNT ? sf_ctx_nomem(g->ctx) : SF_OK;
}

static sf_err do_transaction(reader *g)
{
    const sf_config *cfg = g->cfg;
    const char *aid = fld(g, SF_TF_ACCOUNT_ID);
    if (!*aid)
        return reject(g, SF_REJ_MISSING_REQUIRED, "account_id");
    if (!has(g, SF_TF_DATE))
        return reject(g, SF_REJ_MISSING_REQUIRED, "date");
    if (!g->by_product && !has(g, SF_TF_AMOUNT))
        return reject(g, SF_REJ_MISSING_REQUIRED, "amount");
    if (g->by_product && !has(g, SF_TF_QUANTITY))
        return reject(g, SF_REJ_MISSING_REQUIRED, "quantity");
    if (g->by_product && !has(g, SF_TF_UNIT_PRICE))
        return reject(g, SF_REJ_MISSING_REQUIRED, "unit_price");
    /* the account's cache line is fetched while the values are parsed */
    size_t aid_len = strlen(aid);
    uint64_t aid_h = acache_prefetch(g, aid, aid_len);
    sf_date date;
    if (!sf_parse_date(fld(g, SF_TF_DATE), cfg->date_format, &date))
        return reject(g, SF_REJ_BAD_DATE, "date");
    int64_t amount;
    char code[4] = "";
    const char *amount_field = "amount";
    if (!g->by_product) {
        if (!sf_parse_money(fld(g, SF_TF_AMOUNT), cfg->decimal, cfg->thousands, &amount, code))
            return reject(g, SF_REJ_BAD_NUMBER, "amount");
    } else {
        __int128 q, p;
        char qcode[4];
        if (!sf_parse_money_e9(fld(g, SF_TF_QUANTITY), cfg->decimal, cfg->thousands, &q, qcode) || qcode[0])
            return reject(g, SF_REJ_BAD_NUMBER, "quantity");
        if (!sf_parse_money_e9(fld(g, SF_TF_UNIT_PRICE), cfg->decimal, cfg->thousands, &p, code))
            return reject(g, SF_REJ_BAD_NUMBER, "unit_price");
        amount_field = "unit_price";
        if (!product_cents(q, p, &amount))
            return reject(g, SF_REJ_BAD_NUMBER, "unit_price");
    }
    const char *cur = fld(g, SF_TF_CURRENCY), *cur_field = "currency";
    if (!*cur && code[0]) {
        cur = code;
        cur_field = amount_field;
    }
    int64_t rate;
    if (!rate_of(cfg, cur, &rate))
        return reject(g, SF_REJ_UNKNOWN_CURRENCY, cur_field);
    if (!sf_convert_cents(amount, rate, &amount))
        return reject(g, SF_REJ_BAD_NUMBER, amount_field);
    uint32_t acc = find_account_h(g, aid, aid_len, aid_h);
    if (acc == SF_NO_ACCOUNT && !g->ds->accounts_derived)
        return reject(g, SF_REJ_UNKNOWN_ACCOUNT, "account_id");
    if (acc != SF_NO_ACCOUNT)
        sf_tx_prefetch(g->ds, g->part, acc); /* while the id and margin are checked */
    sf_idset_key idk;
    bool has_id = has(g, SF_TF_TRANSACTION_ID);
    if (has_id) {
        bool found;
        if ((!g->ids && !(g->ids = sf_idset_new(g->ids_hint))) ||
            !sf_idset_probe(g->ids, fld(g, SF_TF_TRANSACTION_ID), &idk, &found))
            return sf_ctx_nomem(g->ctx);
        if (found)
            return reject(g, SF_REJ_DUPLICATE_ID, "transaction_id");
    }
    sf_err e;
    int64_t margin = SF_NONE;
    if (has(g, SF_TF_MARGIN)) {
        if (!sf_parse_money(fld(g, SF_TF_MARGIN), cfg->decimal, cfg->thousands, &margin, NULL) ||
            !sf_convert_cents(margin, rate, &margin)) {
            margin = SF_NONE;
            if ((e = keep(g, SF_REJ_BAD_NUMBER, "margin")) != SF_OK)
                return e;
        }
    }
    if (acc == SF_NO_ACCOUNT && (e = tx_account(g, aid, &acc)) != SF_OK)
        return e;
    if (g->part ? !sf_tx_part_add(g->part, acc, date, amount, margin)
                : !sf_dataset_add_transaction(g->ds, acc, date, amount, margin))
        return reject(g, SF_REJ_BAD_NUMBER, amount_field);
    if (has_id && !sf_idset_put(g->ids, &idk))
        return sf_ctx_nomem(g->ctx);
    accept(g, date);
    return SF_OK;
}

/* Owner id of a record: UINT32_MAX ("the account's owner") when empty. */
static sf_err owner_of(reader *g, const char *name, uint32_t *owner)
{
    *owner = UINT32_MAX;
    if (!*name)
        return SF_OK;
    *owner = sf_dataset_owner(g->ds, name);
    return *owner == UINT32_MAX ? sf_ctx_nomem(g->ctx) : SF_OK;
}

static sf_err do_activity(reader *g)
{
    const sf_config *cfg = g->cfg;
    const char *aid = fld(g, SF_VF_ACCOUNT_ID);
    if (!*aid)
        return reject(g, SF_REJ_MISSING_REQUIRED, "account_id");
    if (!has(g, SF_VF_DATE))
        return reject(g, SF_REJ_MISSING_REQUIRED, "date");
    if (!has(g, SF_VF_TYPE))
        return reject(g, SF_REJ_MISSING_REQUIRED, "type");
    size_t aid_len = strlen(aid);
    uint64_t aid_h = acache_prefetch(g, aid, aid_len);
    sf_date date;
    if (!sf_parse_date(fld(g, SF_VF_DATE), cfg->date_format, &date))
        return reject(g, SF_REJ_BAD_DATE, "date");
    uint32_t acc = find_account_h(g, aid, aid_len, aid_h);
    if (acc == SF_NO_ACCOUNT && !g->ds->accounts_derived)
        return reject(g, SF_REJ_UNKNOWN_ACCOUNT, "account_id");
    if (acc != SF_NO_ACCOUNT)
        sf_activity_prefetch(g->ds, acc);
    sf_err e;
    int64_t minutes = 0;
    if (has(g, SF_VF_DURATION_MIN) &&
        !sf_parse_int(fld(g, SF_VF_DURATION_MIN), cfg->decimal, cfg->thousands, &minutes)) {
        minutes = 0;
        if ((e = keep(g, SF_REJ_BAD_NUMBER, "duration_min")) != SF_OK)
            return e;
    }
    uint32_t owner;
    if ((e = owner_of(g, fld(g, SF_VF_OWNER), &owner)) != SF_OK)
        return e;
    sf_act_type type = (sf_act_type)map_value(g, MEMO_TYPE, fld(g, SF_VF_TYPE));
    sf_outcome outcome = has(g, SF_VF_OUTCOME) ? (sf_outcome)map_value(g, MEMO_OUTCOME, fld(g, SF_VF_OUTCOME)) : SF_OUT_NONE;
    if (!sf_dataset_add_activity(g->ds, acc, owner, date, type, outcome, minutes))
        return sf_ctx_nomem(g->ctx);
    accept(g, date);
    return SF_OK;
}

static char *dup_or_null(const char *s, bool *oom)
{
    if (!s || !*s)
        return NULL;
    char *c = sf_strdup(s);
    if (!c)
        *oom = true;
    return c;
}

/* With transactions = @won: the won deal becomes a transaction, or a
 * missing_required / bad_number line (see the file comment). */
static sf_err derive_transaction(reader *g, const sf_opportunity *o)
{
    sf_file_stats *tst = &g->ds->files[SF_FILE_TRANSACTIONS];
    tst->read++;
    const char *miss = o->close_date == SF_NODATE ? "close_date" : o->amount == SF_NONE ? "amount" : NULL;
    sf_reject_reason why = SF_REJ_MISSING_REQUIRED;
    if (!miss) {
        uint32_t acc;
        sf_err e = tx_account(g, o->account_id, &acc);
        if (e != SF_OK)
            return e;
        if (sf_dataset_add_transaction(g->ds, acc, o->close_date, o->amount, SF_NONE)) {
            tst->accepted++;
            widen_dates(tst, o->close_date);
            return SF_OK;
        }
        miss = "amount";
        why = SF_REJ_BAD_NUMBER;
    }
    tst->rejected++;
    return push_line(g, SF_FILE_OPPORTUNITIES, SF_FILE_TRANSACTIONS, why, miss, false);
}

static sf_err do_opportunity(reader *g)
{
    const sf_config *cfg = g->cfg;
    const char *id = fld(g, SF_OF_OPPORTUNITY_ID), *aid = fld(g, SF_OF_ACCOUNT_ID);
    if (!*id)
        return reject(g, SF_REJ_MISSING_REQUIRED, "opportunity_id");
    if (!*aid)
        return reject(g, SF_REJ_MISSING_REQUIRED, "account_id");
    if (!has(g, SF_OF_CREATED))
        return reject(g, SF_REJ_MISSING_REQUIRED, "created");
    sf_date created;
    if (!sf_parse_date(fld(g, SF_OF_CREATED), cfg->date_format, &created))
        return reject(g, SF_REJ_BAD_DATE, "created");
    if (!g->ds->accounts_derived && find_account(g, aid) == SF_NO_ACCOUNT)
        return reject(g, SF_REJ_UNKNOWN_ACCOUNT, "account_id");
    sf_idset_key idk;
    bool found;
    if ((!g->ids && !(g->ids = sf_idset_new(g->ids_hint))) ||
        !sf_idset_probe(g->ids, id, &idk, &found))
        return sf_ctx_nomem(g->ctx);
    if (found)
        return reject(g, SF_REJ_DUPLICATE_ID, "opportunity_id");

    sf_err e = SF_OK;
    sf_opportunity o;
    memset(&o, 0, sizeof o);
    o.account = SF_NO_ACCOUNT;
    o.created = created;
    o.line = g->rec_line;
    o.status = has(g, SF_OF_STATUS) ? (sf_status)map_value(g, MEMO_STATUS, fld(g, SF_OF_STATUS)) : SF_ST_OPEN;
    o.amount = SF_NONE;
    o.probability = SF_NONE;
    o.close_date = o.next_step_date = SF_NODATE;

    char code[4] = "";
    if (has(g, SF_OF_AMOUNT) &&
        !sf_parse_money(fld(g, SF_OF_AMOUNT), cfg->decimal, cfg->thousands, &o.amount, code)) {
        o.amount = SF_NONE;
        if ((e = keep(g, SF_REJ_BAD_NUMBER, "amount")) != SF_OK)
            return e;
    }
    const char *cur = has(g, SF_OF_CURRENCY) ? fld(g, SF_OF_CURRENCY) : code;
    int64_t rate;
    if (!rate_of(cfg, cur, &rate)) {
        o.amount = SF_NONE;
        if ((e = keep(g, SF_REJ_UNKNOWN_CURRENCY, "currency")) != SF_OK)
            return e;
    } else if (o.amount != SF_NONE && !sf_convert_cents(o.amount, rate, &o.amount)) {
        o.amount = SF_NONE;
        if ((e = keep(g, SF_REJ_BAD_NUMBER, "amount")) != SF_OK)
            return e;
    }
    const char *prob = fld(g, SF_OF_PROBABILITY);
    if (*prob) {
        /* "60%" is accepted as 60 */
        char tmp[64];
        size_t pn = strlen(prob);
        int64_t ppm;
        bool ok = pn < sizeof tmp;
        if (ok) {
            memcpy(tmp, prob, pn + 1);
            if (pn && tmp[pn - 1] == '%')
                tmp[pn - 1] = '\0';
            ok = sf_parse_decimal_ppm(tmp, cfg->decimal, cfg->thousands, &ppm) && ppm >= 0 &&
                 ppm <= 100 * (int64_t)SF_PPM;
        }
        if (ok) {
            o.probability = ppm;
        } else if ((e = keep(g, SF_REJ_BAD_NUMBER, "probability")) != SF_OK) {
            return e;
        }
    }
    if (has(g, SF_OF_CLOSE_DATE) && !sf_parse_date(fld(g, SF_OF_CLOSE_DATE), cfg->date_format, &o.close_date)) {
        o.close_date = SF_NODATE;
        if ((e = keep(g, SF_REJ_BAD_DATE, "close_date")) != SF_OK)
            return e;
    }
    if (has(g, SF_OF_NEXT_STEP_DATE) &&
        !sf_parse_date(fld(g, SF_OF_NEXT_STEP_DATE), cfg->date_format, &o.next_step_date)) {
        o.next_step_date = SF_NODATE;
        if ((e = keep(g, SF_REJ_BAD_DATE, "next_step_date")) != SF_OK)
            return e;
    }
    if ((e = owner_of(g, fld(g, SF_OF_OWNER), &o.owner)) != SF_OK)
        return e;

    bool oom = false;
    o.id = dup_or_null(id, &oom);
    o.account_id = dup_or_null(aid, &oom);
    o.stage = dup_or_null(fld(g, SF_OF_STAGE), &oom);
    o.probability_text = o.probability != SF_NONE ? dup_or_null(prob, &oom) : NULL;
    o.next_step = dup_or_null(fld(g, SF_OF_NEXT_STEP), &oom);
    o.contact_title = dup_or_null(fld(g, SF_OF_CONTACT_TITLE), &oom);
    if (!oom && g->n_opps == g->cap_opps) {
        size_t cap = g->cap_opps ? g->cap_opps * 2 : 64;
        sf_opportunity *v = realloc(g->opps, cap * sizeof *v);
        if (v) {
            g->opps = v;
            g->cap_opps = cap;
        } else {
            oom = true;
        }
    }
    if (oom) {
        sf_opportunity_release(&o);
        return sf_ctx_nomem(g->ctx);
    }
    if (!sf_idset_put(g->ids, &idk)) {
        sf_opportunity_release(&o);
        return sf_ctx_nomem(g->ctx);
    }
    g->opps[g->n_opps++] = o;
    accept(g, created);
    if (cfg->transactions_from_won && o.status == SF_ST_WON)
        return derive_transaction(g, &o);
    return SF_OK;
}

/* Hand the buffered opportunities to the dataset. They wait until the end
 * of the file so that, with accounts derived from won deals, an open deal
 * finds an account created by a later won one. */
static sf_err flush_opps(reader *g)
{
    sf_err e = SF_OK;
    for (size_t i = 0; i < g->n_opps; i++) {
        sf_opportunity *o = &g->opps[i];
        o->account = find_account(g, o->account_id);
        if (e == SF_OK && !sf_dataset_add_opportunity(g->ds, o))
            e = sf_ctx_nomem(g->ctx);
        sf_opportunity_release(o);
    }
    g->n_opps = 0;
    return e;
}

/* ---- one record, one file ------------------------------------------------------ */

static sf_err handle_record(reader *g, const char *rec, size_t n, bool open_quote)
{
    sf_file_stats *st = g->st;
    st->read++;
    if (g->footer) {
        st->footer++;
        return SF_OK;
    }
    if (!open_quote && is_blank(rec, n)) {
        st->blank++;
        return SF_OK;
    }
    int ok = decode(g, rec, n);
    if (ok < 0)
        return sf_ctx_nomem(g->ctx);
    sf_err e = split(g);
    if (e != SF_OK)
        return e;
    const char *marker = g->cfg->end_marker;
    if (marker && *marker && g->nf > 0 && strncmp(g->fb, marker, strlen(marker)) == 0) {
        g->footer = true;
        st->footer++;
        return SF_OK;
    }
    g->rec_mark = g->rj->n;
    g->kept_lines = 0;
    if (open_quote)
        return reject(g, SF_REJ_BAD_QUOTE, NULL);
    if (!ok)
        return reject(g, SF_REJ_BAD_ENCODING, NULL);
    if (g->nf != g->ncols)
        return reject(g, SF_REJ_FIELD_COUNT, NULL);
    switch (g->kind) {
    case SF_FILE_ACCOUNTS:
        return do_account(g);
    case SF_FILE_TRANSACTIONS:
        return do_transaction(g);
    case SF_FILE_ACTIVITIES:
        return do_activity(g);
    case SF_FILE_OPPORTUNITIES:
        return do_opportunity(g);
    case SF_FILE_N:
        break;
    }
    return SF_OK;
}

/* Append "'h', " items of the headers found to buf. */
static void list_headers(const sf_file_stats *st, char *buf, size_t cap)
{
    size_t o = strlen(buf);
    for (size_t i = 0; i < st->headers_found.n && o + 1 < cap; i++) {
        int w = snprintf(buf + o, cap - o, "%s'%s'", i ? ", " : "", st->headers_found.v[i]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
}

static int header_index(const sf_file_stats *st, const char *h)
{
    for (size_t i = 0; i < st->headers_found.n; i++)
        if (strcmp(st->headers_found.v[i], h) == 0)
            return (int)i;
    return -1;
}

/* Map canonical fields to columns (SPEC §1.1 Headers). Missing required
 * column: SF_ERR_INPUT with the message of SPEC §1. */
static sf_err resolve_columns(reader *g)
{
    const sf_config *cfg = g->cfg;
    sf_file_stats *st = g->st;
    int nfields = sf_field_count(g->kind);
    for (int f = 0; f < SF_FIELD_MAX; f++)
        g->col[f] = -1;
    for (int f = 0; f < nfields; f++) {
        const sf_colmap *cm = &cfg->columns[g->kind][f];
        const char *want = cm->kind == SF_MAP_HEADER ? cm->header
                           : cm->kind == SF_MAP_DEFAULT ? sf_field_name(g->kind, f) : NULL;
        if (!want)
            continue;
        int idx = header_index(st, want);
        if (idx >= 0) {
            g->col[f] = idx;
            if (!(st->mapped_header[f] = sf_strdup(st->headers_found.v[idx])))
                return sf_ctx_nomem(g->ctx);
        } else if (cm->kind == SF_MAP_HEADER && !sf_field_required(g->kind, f)) {
            char w[512];
            snprintf(w, sizeof w, "%s: mapped optional header '%s' for field '%s' not found", g->path,
                     want, sf_field_name(g->kind, f));
            if (sf_strlist_push(&st->warnings, w) != SF_OK)
                return sf_ctx_nomem(g->ctx);
        }
    }
    g->by_product = false;
    if (g->kind == SF_FILE_TRANSACTIONS && g->col[SF_TF_AMOUNT] < 0 &&
        cfg->columns[g->kind][SF_TF_AMOUNT].kind != SF_MAP_HEADER && g->col[SF_TF_QUANTITY] >= 0 &&
        g->col[SF_TF_UNIT_PRICE] >= 0)
        g->by_product = true;
    for (int f = 0; f < nfields; f++) {
        if (!sf_field_required(g->kind, f) || g->col[f] >= 0)
            continue;
        if (g->kind == SF_FILE_TRANSACTIONS && f == SF_TF_AMOUNT && g->by_product)
            continue;
        const sf_colmap *cm = &cfg->columns[g->kind][f];
        const char *want = cm->kind == SF_MAP_HEADER ? cm->header : sf_field_name(g->kind, f);
        char found[1400] = "";
        list_headers(st, found, sizeof found);
        return sf_ctx_error(g->ctx, SF_ERR_INPUT,
                            "%s: missing required column for '%s': looked for header '%s'; found: %s",
                            g->path, sf_field_name(g->kind, f), want, found);
    }
    if (g->kind == SF_FILE_TRANSACTIONS)
        g->ds->margin_mapped = g->col[SF_TF_MARGIN] >= 0;
    return SF_OK;
}

/* Length of the first line at buf[pos..) (quotes toggled, for sniffing);
 * SIZE_MAX when more data is needed. */
static size_t first_line_len(const reader *g)
{
    bool q = false;
    for (size_t i = g->pos; i < g->len; i++) {
        char c = g->buf[i];
        if (c == '"')
            q = !q;
        else if (!q && (c == '\n' || c == '\r'))
            return i - g->pos;
    }
    return g->eof ? g->len - g->pos : SIZE_MAX;
}

/* Read the header record (the first non-blank line). */
static sf_err read_header(reader *g)
{
    sf_err e;
    for (;;) {
        bool again;
        if ((e = eat_lf(g, &again)) != SF_OK)
            return e;
        if (again)
            continue;
        if (g->pos == g->len) {
            if (g->eof)
                return sf_ctx_error(g->ctx, SF_ERR_INPUT, "%s: empty file (no header line)", g->path);
            if ((e = fill(g)) != SF_OK)
                return e;
            continue;
        }
        if (!g->cfg->delimiter) {
            size_t l = first_line_len(g);
            if (l == SIZE_MAX) {
                if ((e = fill(g)) != SF_OK)
                    return e;
                continue;
            }
            g->delim = sf_sniff_delimiter(g->buf + g->pos, l);
        }
        size_t n, used;
        uint32_t lines;
        bool cr;
        int r = scan_record(g, &n, &used, &lines, &cr);
        if (r == SCAN_MORE) {
            if ((e = fill(g)) != SF_OK)
                return e;
            continue;
        }
        const char *rec = g->buf + g->pos;
        g->rec_line = g->line;
        g->line += lines;
        g->pos += used;
        g->skip_lf = cr;
        if (is_blank(rec, n)) {
            g->st->read++;
            g->st->blank++;
            continue;
        }
        int ok = decode(g, rec, n);
        if (ok < 0)
            return sf_ctx_nomem(g->ctx);
        if (!ok)
            return sf_ctx_error(g->ctx, SF_ERR_INPUT,
                                "%s:%u: header line is not valid %s (check [input] encoding)", g->path,
                                (unsigned)g->rec_line, g->cfg->encoding ? g->cfg->encoding : "UTF-8");
        csv_set_delim(&g->csv, (unsigned char)g->delim);
        csv_set_space_func(&g->csv, g->delim == '\t' ? space_only : space_tab);
        if ((e = split(g)) != SF_OK)
            return e;
        for (size_t i = 0; i < g->nf; i++) {
            const char *h = g->fb + g->fo[i];
            while (strncmp(h, "\xEF\xBB\xBF", 3) == 0)
                h += 3;
            while (*h == ' ' || *h == '\t')
                h++;
            if (sf_strlist_push(&g->st->headers_found, h) != SF_OK)
                return sf_ctx_nomem(g->ctx);
        }
        g->ncols = g->nf;
        return resolve_columns(g);
    }
}

/* Read the data records after the header. */
static sf_err read_records(reader *g)
{
    sf_err e;
    for (;;) {
        bool again;
        if ((e = eat_lf(g, &again)) != SF_OK)
            return e;
        if (again)
            continue;
        if (g->limit >= 0) {
            /* the offset of the next record: at the limit, the other
             * reader's part starts here; past it, that part began inside
             * a record of ours and cannot be used */
            int64_t off = g->done - (int64_t)(g->len - g->pos);
            if (off >= g->limit) {
                bool done = false;
                if (off > g->limit)
                    g->st->split_note = "tail read again: the split point is inside a quoted field";
                else if ((e = g->on_limit(g, &done)) != SF_OK)
                    return e;
                g->limit = -1;
                if (done)
                    return SF_OK;
            }
        }
        if (g->pos == g->len) {
            if (g->eof)
                return SF_OK;
            if ((e = fill(g)) != SF_OK)
                return e;
            continue;
        }
        size_t n, used;
        uint32_t lines;
        bool cr;
        int r = scan_record(g, &n, &used, &lines, &cr);
        if (r == SCAN_MORE) {
            if ((e = fill(g)) != SF_OK)
                return e;
            continue;
        }
        g->rec_line = g->line;
        /* A quote left open runs to the end of the file; the file's last
         * line break is still a terminator, not part of the raw text. */
        size_t rn = n;
        if (r == SCAN_OPEN_QUOTE)
            while (rn && (g->buf[g->pos + rn - 1] == '\n' || g->buf[g->pos + rn - 1] == '\r'))
                rn--;
        if ((e = handle_record(g, g->buf + g->pos, rn, r == SCAN_OPEN_QUOTE)) != SF_OK)
            return e;
        g->line += lines;
        g->pos += used;
        g->skip_lf = cr;
    }
}

static sf_err read_file(reader *g, sf_file_kind kind, const char *path)
{
    double t0 = sf_now_s();
    sf_file_stats *st = g->st_own ? g->st_own : &g->ds->files[kind];
    g->kind = kind;
    g->path = path;
    g->st = st;
    st->present = true;
    st->min_date = st->max_date = SF_NODATE;
    if (!st->path && !(st->path = sf_strdup(path)))
        return sf_ctx_nomem(g->ctx);
    g->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (g->fd < 0)
        return sf_ctx_error(g->ctx, SF_ERR_INPUT, "%s: cannot open: %s", path, strerror(errno));
    struct stat sb;
    g->size = fstat(g->fd, &sb) == 0 ? (int64_t)sb.st_size : 0;
    g->done = 0;
    g->next_progress = 0;
    const char *base = strrchr(path, '/');
    snprintf(g->stage, sizeof g->stage, "reading %s", base ? base + 1 : path);
    g->pos = g->len = 0;
    g->eof = false;
    g->line = 1;
    g->skip_lf = false;
    g->footer = false;
    g->delim = g->cfg->delimiter ? g->cfg->delimiter : ',';
    sf_err e = SF_OK;
    if (csv_init(&g->csv, CSV_APPEND_NULL) != 0) {
        close(g->fd);
        return sf_ctx_nomem(g->ctx);
    }
    g->csv_live = true;
    sf_idset_free(g->ids);
    g->ids = NULL;
    g->ids_hint = 0;
    if ((e = fill(g)) != SF_OK)
        goto done;
    /* Rows expected in the part read, from the line length of its start. */
    int64_t span = (g->limit >= 0 ? g->limit : g->size) - g->start;
    if (g->len && span > (int64_t)g->len) {
        size_t nl = 0;
        for (const char *p = g->buf, *end = g->buf + g->len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
            nl++;
        g->ids_hint = (size_t)((double)span * (double)(nl ? nl : 1) / (double)g->len);
    }
    /* the account table sized once from the estimate (best effort: it
     * grows as needed anyway) */
    if (kind == SF_FILE_ACCOUNTS && g->ids_hint)
        (void)sf_dataset_reserve_accounts(g->ds, g->ids_hint < ((size_t)1 << 24)
                                                     ? g->ids_hint + g->ids_hint / 8
                                                     : ((size_t)1 << 24));
    if (g->utf8 && g->len >= 3 && memcmp(g->buf, "\xEF\xBB\xBF", 3) == 0)
        g->pos = 3;
    if ((e = read_header(g)) != SF_OK)
        goto done;
    if (g->start > 0) {
        /* the tail of a split file: records from `start`, lines counted
         * from 1 there (the caller shifts them) */
        if (g->done - (int64_t)(g->len - g->pos) > g->start ||
            lseek(g->fd, (off_t)g->start, SEEK_SET) != (off_t)g->start) {
            e = sf_ctx_error(g->ctx, SF_ERR_INPUT, "%s: cannot seek to byte %lld", path,
                             (long long)g->start);
            goto done;
        }
        g->pos = g->len = 0;
        g->eof = false;
        g->done = g->start;
        g->line = 1;
        g->skip_lf = false;
    }
    if ((e = read_records(g)) != SF_OK)
        goto done;
    if (kind == SF_FILE_OPPORTUNITIES)
        e = flush_opps(g);
    if (g->progress)
        g->progress(g->puser, g->stage, 1.0);
done:
    close(g->fd);
    csv_free(&g->csv);
    g->csv_live = false;
    st->seconds += sf_now_s() - t0;
    return e;
}

/* Reject shares over the limit, all files named in one message. */
static sf_err check_shares(reader *g)
{
    char msg[1800] = "";
    size_t o = 0;
    for (int f = 0; f < SF_FILE_N; f++) {
        const sf_file_stats *st = &g->ds->files[f];
        int64_t total = st->accepted + st->rejected;
        if (!st->present || total == 0 ||
            (__int128)st->rejected * SF_PPM <= (__int128)g->cfg->max_reject_share * total)
            continue;
        int64_t pct = (int64_t)(((__int128)st->rejected * 10000 + total / 2) / total);
        int64_t lim = (g->cfg->max_reject_share + 50) / 100;
        int w = snprintf(msg + o, sizeof msg - o,
                         "%s%s: %lld of %lld records rejected (%lld.%02lld%%), more than "
                         "max_reject_share %lld.%02lld%%",
                         o ? "; " : "", st->path ? st->path : sf_file_kind_name(f), (long long)st->rejected,
                         (long long)total, (long long)(pct / 100), (long long)(pct % 100),
                         (long long)(lim / 100), (long long)(lim % 100));
        if (w < 0 || (size_t)w >= sizeof msg - o)
            break;
        o += (size_t)w;
    }
    if (o) {
        g->rj->over_limit = true;
        return sf_ctx_error(g->ctx, SF_ERR_INPUT, "%s (see rejects.csv)", msg);
    }
    return SF_OK;
}

static bool is_utf8_name(const char *enc)
{
    return !enc || !*enc || strcasecmp(enc, "UTF-8") == 0 || strcasecmp(enc, "UTF8") == 0;
}

static const char *input_path(const sf_config *cfg, sf_file_kind k)
{
    const char *p = cfg->file[k];
    return (p && *p) ? p : NULL;
}

/* Set up a reader over ds; SF_OK or an error in ctx. */
static sf_err reader_init(reader *g, sf_dataset *ds, const sf_config *cfg, sf_rejects *rejects,
                          sf_progress_fn progress, void *progress_user, sf_ctx *ctx)
{
    memset(g, 0, sizeof *g);
    g->ds = ds;
    g->cfg = cfg;
    g->rj = rejects;
    g->ctx = ctx;
    g->progress = progress;
    g->puser = progress_user;
    g->fd = -1;
    g->limit = -1;
    g->cd = (iconv_t)-1;
    g->utf8 = is_utf8_name(cfg->encoding);
    if (!g->utf8) {
        g->cd = iconv_open("UTF-8", cfg->encoding);
        if (g->cd == (iconv_t)-1)
            return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: [input] encoding '%s' is not known to iconv",
                                cfg->path ? cfg->path : "config", cfg->encoding);
    }
    g->cap = BLOCK_SIZE;
    if (!(g->buf = malloc(g->cap))) {
        if (!g->utf8)
            iconv_close(g->cd);
        g->cd = (iconv_t)-1;
        return sf_ctx_nomem(ctx);
    }
    return SF_OK;
}

static void reader_release(reader *g)
{
    for (size_t i = 0; i < g->n_opps; i++)
        sf_opportunity_release(&g->opps[i]);
    free(g->opps);
    sf_idset_free(g->ids);
    free(g->accounts.v);
    free(g->buf);
    free(g->dec);
    free(g->fb);
    free(g->fo);
    if (g->cd != (iconv_t)-1)
        iconv_close(g->cd);
    memset(g, 0, sizeof *g);
}

/* ---- two readers ------------------------------------------------------------ */

/*
 * With the account table fixed (an accounts file), the second core reads
 * the activities file and the tail of the transactions file while the
 * first reads the head of the transactions file:
 *
 * - the tail starts at a line break near the point that balances the two
 *   threads' bytes; it is folded into a private sf_tx_part, with its own
 *   counters, rejects (lines counted from the tail's start) and id set;
 * - the head's reader stops when its next record starts exactly at the
 *   tail's first byte, waits for the other thread and merges the tail:
 *   counters added, reject lines shifted by the head's line count,
 *   accumulators merged;
 * - the tail is used only if it is exactly what a single reader would have
 *   read there: the head ends on its first byte (not inside a quoted line
 *   break), the head did not end in the footer (end_marker), no
 *   transaction id of the tail was already in the head, and the merged
 *   book totals fit. Otherwise it is dropped and the head's reader reads on
 *   to the end of the file itself, as one reader would.
 *
 * While the second thread reads the tail, the first reads the
 * opportunities file (once the activities are done: both intern owner
 * names, which keeps the owners in the order one reader gives them).
 *
 * Transactions and activities fold into disjoint fields of the accounts
 * (sf_dataset.h), and only activities and opportunities touch owners, so
 * nothing else needs a lock. A test compares every output with a
 * single-threaded run.
 */
typedef struct {
    reader g;
    sf_rejects rj;      /* activities */
    sf_ctx ctx;
    const char *act;    /* activities file, or NULL */
    const char *tx;     /* transactions file whose tail is read here, or NULL */
    const char *opp;    /* opportunities file the head's reader reads meanwhile */
    bool opp_done;
    sf_err err;         /* of the activities */
    pthread_mutex_t mu; /* guards act_done */
    pthread_cond_t cv;
    bool act_done;
    /* the transactions tail */
    int64_t tx_start;
    sf_tx_part *part;
    sf_file_stats tail_st;
    sf_rejects tail_rj;
    sf_idset *tail_ids;
    bool tail_read;     /* read to its end without error */
    /* the thread */
    pthread_t tid;
    bool started, joined;
} side_read;

static void *side_thread(void *arg)
{
    side_read *sr = arg;
    reader *g = &sr->g;
    sr->err = SF_OK;
    if (sr->act)
        sr->err = read_file(g, SF_FILE_ACTIVITIES, sr->act);
    pthread_mutex_lock(&sr->mu);
    sr->act_done = true;
    pthread_cond_broadcast(&sr->cv);
    pthread_mutex_unlock(&sr->mu);
    if (sr->err == SF_OK && sr->tx) {
        g->rj = &sr->tail_rj;
        g->part = sr->part;
        g->st_own = &sr->tail_st;
        g->start = sr->tx_start;
        sf_err e = read_file(g, SF_FILE_TRANSACTIONS, sr->tx);
        /* keep the tail's ids for the check against the head's */
        sr->tail_ids = g->ids;
        g->ids = NULL;
        /* an error in the tail is the head reader's to find (or not):
         * the tail is then read again by it */
        sr->tail_read = e == SF_OK;
    }
    return NULL;
}

static void side_join(side_read *sr)
{
    if (sr->started && !sr->joined) {
        pthread_join(sr->tid, NULL);
        sr->joined = true;
    }
}

/* Move every line and count of src into dst (ownership of raw moves);
 * line numbers of src are shifted by line_shift. */
static sf_err rejects_merge(sf_rejects *dst, sf_rejects *src, uint32_t line_shift, sf_ctx *ctx)
{
    if (src->n) {
        if (dst->n + src->n > dst->cap) {
            size_t cap = dst->n + src->n;
            sf_reject *v = realloc(dst->v, cap * sizeof *v);
            if (!v)
                return sf_ctx_nomem(ctx);
            dst->v = v;
            dst->cap = cap;
        }
        for (size_t i = 0; i < src->n; i++) {
            dst->v[dst->n + i] = src->v[i];
            dst->v[dst->n + i].line += line_shift;
        }
        dst->n += src->n;
        src->n = 0;
    }
    for (int f = 0; f < SF_FILE_N; f++) {
        for (int r = 0; r < SF_REJ_N; r++) {
            dst->count[f][r] += src->count[f][r];
            dst->kept_count[f][r] += src->kept_count[f][r];
            src->count[f][r] = src->kept_count[f][r] = 0;
        }
    }
    return SF_OK;
}

/* The opportunities file, read by the head's thread while the other one
 * reads the tail: after the activities (see "two readers"). */
static sf_err read_opps_meanwhile(reader *g, side_read *sr)
{
    pthread_mutex_lock(&sr->mu);
    while (!sr->act_done)
        pthread_cond_wait(&sr->cv, &sr->mu);
    pthread_mutex_unlock(&sr->mu);
    if (sr->err != SF_OK)
        return SF_OK; /* reported by take_tail */
    reader o;
    sf_err e = reader_init(&o, g->ds, g->cfg, g->rj, g->progress, g->puser, g->ctx);
    if (e == SF_OK)
        e = read_file(&o, SF_FILE_OPPORTUNITIES, sr->opp);
    reader_release(&o);
    sr->opp_done = e == SF_OK;
    return e;
}

/* The head reader is at the tail's first byte: take the tail, or not. */
static sf_err take_tail(reader *g, bool *done)
{
    side_read *sr = g->limit_arg;
    *done = false;
    sf_err e = sr->opp ? read_opps_meanwhile(g, sr) : SF_OK;
    bool oom = false;
    side_join(sr);
    if (e != SF_OK)
        return e;
    if (sr->err != SF_OK)
        return sf_ctx_error(g->ctx, sr->err, "%s", sr->ctx.msg);
    sf_file_stats *st = g->st, *t = &sr->tail_st;
    /* otherwise read on: the head's reader reads the tail itself */
    if (!sr->tail_read)
        st->split_note = "tail read again: it could not be read on its own";
    else if (g->footer)
        st->split_note = "tail read again: the footer starts before it";
    else if (g->ids && sr->tail_ids && sf_idset_meet(g->ids, sr->tail_ids, &oom))
        st->split_note = "tail read again: it repeats a transaction id of the head";
    else if (oom)
        return sf_ctx_nomem(g->ctx);
    else if (!sf_dataset_merge_tx_part(g->ds, sr->part))
        st->split_note = "tail read again: the book's totals would overflow";
    else
        st->split_note = "tail read in parallel";
    if (strcmp(st->split_note, "tail read in parallel") != 0)
        return SF_OK;
    st->read += t->read;
    st->accepted += t->accepted;
    st->rejected += t->rejected;
    st->kept_with_fault += t->kept_with_fault;
    st->blank += t->blank;
    st->footer += t->footer;
    widen_dates(st, t->min_date);
    widen_dates(st, t->max_date);
    *done = true;
    return rejects_merge(g->rj, &sr->tail_rj, g->line - 1, g->ctx);
}

/* Offset just after the first line feed at or after `from`, or -1. */
static int64_t line_start_after(const char *path, int64_t from)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char buf[65536];
    int64_t found = -1;
    for (int64_t off = from; found < 0 && off < from + ((int64_t)1 << 20);) {
        ssize_t r = pread(fd, buf, sizeof buf, (off_t)off);
        if (r <= 0)
            break;
        const char *nl = memchr(buf, '\n', (size_t)r);
        if (nl)
            found = off + (nl - buf) + 1;
        off += r;
    }
    close(fd);
    return found;
}

static int64_t file_size(const char *path)
{
    struct stat sb;
    return path && stat(path, &sb) == 0 ? (int64_t)sb.st_size : 0;
}

/* Where the transactions tail starts, or 0 for no split. The head is
 * sized so that both threads read about as many bytes (head and
 * opportunities on the first, activities and tail on the second); a tail
 * below sf_settings.split_min bytes (default 1 MiB) is not worth a second pass of
 * the header. */
static int64_t split_point(const char *tx, const char *act, const char *opp, int64_t min)
{
    if (min < 1)
        min = 1;
    int64_t t = file_size(tx), a = file_size(act), o = file_size(opp);
    int64_t head = (t + a - o) / 2;
    if (head < 0)
        head = 0;
    if (head >= t || t - head < min)
        return 0;
    int64_t at = line_start_after(tx, head);
    return at > 0 && at < t ? at : 0;
}

static void side_release(side_read *sr)
{
    if (!sr)
        return;
    side_join(sr);
    pthread_mutex_destroy(&sr->mu);
    pthread_cond_destroy(&sr->cv);
    sf_rejects_release(&sr->rj);
    sf_rejects_release(&sr->tail_rj);
    sf_file_stats_release(&sr->tail_st);
    sf_idset_free(sr->tail_ids);
    sf_tx_part_free(sr->part);
    reader_release(&sr->g);
    free(sr);
}

sf_err sf_ingest(sf_dataset *ds, const sf_config *cfg, const sf_settings *set, sf_rejects *rejects,
                 sf_progress_fn progress, void *progress_user, sf_ctx *ctx)
{
    sf_settings defaults;
    if (!set) {
        sf_settings_default(&defaults);
        set = &defaults;
    }
    const char *tx = cfg->transactions_from_won ? NULL : input_path(cfg, SF_FILE_TRANSACTIONS);
    const char *opp = input_path(cfg, SF_FILE_OPPORTUNITIES);
    const char *act = input_path(cfg, SF_FILE_ACTIVITIES);
    if (cfg->transactions_from_won && !opp)
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: [input] transactions = @won needs an opportunities file",
                            cfg->path ? cfg->path : "config");
    if (!cfg->transactions_from_won && !tx)
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: [input] transactions is required",
                            cfg->path ? cfg->path : "config");
    reader g;
    sf_err e = reader_init(&g, ds, cfg, rejects, progress, progress_user, ctx);
    if (e != SF_OK)
        return e;

    ds->accounts_derived = !input_path(cfg, SF_FILE_ACCOUNTS);
    ds->have_activities = act != NULL;
    ds->have_opportunities = opp != NULL;
    if (!ds->accounts_derived)
        e = read_file(&g, SF_FILE_ACCOUNTS, input_path(cfg, SF_FILE_ACCOUNTS));

    /* The second thread (see "two readers"): the activities file and the
     * tail of the transactions file. */
    bool parallel = e == SF_OK && tx && !ds->accounts_derived && !cfg->transactions_from_won &&
                    !set->single_thread;
    int64_t tail = parallel ? split_point(tx, act, opp, set->split_min) : 0;
    side_read *sr = NULL;
    if (parallel && (act || tail) && (sr = calloc(1, sizeof *sr)) != NULL &&
        (pthread_mutex_init(&sr->mu, NULL) != 0 || pthread_cond_init(&sr->cv, NULL) != 0)) {
        free(sr); /* (cannot happen with default attributes on Linux) */
        sr = NULL;
    }
    if (sr && reader_init(&sr->g, ds, cfg, &sr->rj, NULL, NULL, &sr->ctx) == SF_OK) {
        sr->act = act;
        if (tail && (sr->part = sf_tx_part_new(ds)) != NULL) {
            sr->tx = tx;
            sr->tx_start = tail;
            sr->opp = opp;
        }
        sr->started = pthread_create(&sr->tid, NULL, side_thread, sr) == 0;
        if (sr->started && sr->tx) {
            ds->files[SF_FILE_TRANSACTIONS].split_at = tail;
            g.limit = tail;
            g.on_limit = take_tail;
            g.limit_arg = sr;
        }
    }
    bool act_done = sr && sr->started && act;

    if (e == SF_OK && cfg->transactions_from_won) {
        sf_file_stats *t = &ds->files[SF_FILE_TRANSACTIONS];
        t->present = true;
        t->min_date = t->max_date = SF_NODATE;
        if (!t->path && !(t->path = sf_strdup("@won")))
            e = sf_ctx_nomem(ctx);
        if (e == SF_OK)
            e = read_file(&g, SF_FILE_OPPORTUNITIES, opp);
    } else if (e == SF_OK) {
        e = read_file(&g, SF_FILE_TRANSACTIONS, tx);
    }
    g.limit = -1;
    if (act_done) {
        side_join(sr);
        if (e == SF_OK && sr->err != SF_OK)
            e = sf_ctx_error(ctx, sr->err, "%s", sr->ctx.msg);
        if (e == SF_OK)
            e = rejects_merge(rejects, &sr->rj, 0, ctx);
    } else if (e == SF_OK && act) {
        e = read_file(&g, SF_FILE_ACTIVITIES, act);
    }
    bool opp_done = sr && sr->opp_done;
    side_release(sr);
    if (e == SF_OK && opp && !cfg->transactions_from_won && !opp_done)
        e = read_file(&g, SF_FILE_OPPORTUNITIES, opp);
    if (e == SF_OK)
        e = check_shares(&g);
    reader_release(&g);
    return e;
}
