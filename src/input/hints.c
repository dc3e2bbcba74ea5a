/*
 * hints.c - what would fix a file (include/input/sf_hints.h): the
 * encoding it decodes as, the delimiter its header has more of, the date
 * format that parses most of its dates. Each hint names the key to set
 * and why; nothing here changes how the run reads.
 */
#include "input/sf_hints.h"
#include "input/sf_ingest.h"
#include "input/sf_recsrc.h"
#include "input/sf_sniff.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define MAX_DATE_VALUES 50000

/* Encoding names compared loosely: case, '-' and '_' aside, windows-125x
 * is cp125x, latin1 is iso88591. */
static void enc_key(const char *e, char out[32])
{
    size_t o = 0;
    for (; e && *e && o + 1 < 32; e++)
        if (*e != '-' && *e != '_')
            out[o++] = (char)tolower((unsigned char)*e);
    out[o] = '\0';
    if (strncmp(out, "windows", 7) == 0) {
        memmove(out + 2, out + 7, strlen(out + 7) + 1);
        out[0] = 'c';
        out[1] = 'p';
    } else if (strcmp(out, "latin1") == 0) {
        strcpy(out, "iso88591");
    } else if (strcmp(out, "latin2") == 0) {
        strcpy(out, "iso88592");
    } else if (strcmp(out, "utf8") == 0 || !*out) {
        strcpy(out, "utf8");
    }
}

static bool same_encoding(const char *a, const char *b)
{
    char x[32], y[32];
    enc_key(a, x);
    enc_key(b, y);
    return strcmp(x, y) == 0;
}

/* "the file decodes as X: set [input] encoding = X" when the file is text
 * and decodes as another encoding than the configured one. */
static bool encoding_hint(const sf_config *cfg, const char *path, char *out, size_t cap)
{
    if (sf_file_format_of(path) != SF_FMT_TEXT)
        return false;
    const char *enc = sf_sniff_file_encoding(path);
    if (!enc || same_encoding(enc, cfg->encoding))
        return false;
    snprintf(out, cap, "set [input] encoding = %s: the file is not valid %s and decodes as %s", enc,
             cfg->encoding && *cfg->encoding ? cfg->encoding : "UTF-8", enc);
    return true;
}

/* The delimiter hint: the configured delimiter is rarer in the header
 * than another one. */
static bool delimiter_hint(const sf_config *cfg, const char *path, char *out, size_t cap)
{
    static const char delims[3] = {',', ';', '\t'};
    static const char *const shown[3] = {"','", "';'", "tab"};
    char line[65536];
    size_t len, c[3];
    if (!cfg->delimiter || sf_file_format_of(path) != SF_FMT_TEXT ||
        !sf_sniff_first_line(path, line, sizeof line, &len))
        return false;
    sf_sniff_delimiter_counts(line, len, c);
    int used = cfg->delimiter == ';' ? 1 : cfg->delimiter == '\t' ? 2 : 0, best = used;
    for (int i = 0; i < 3; i++)
        if (c[i] > c[best])
            best = i;
    if (best == used)
        return false;
    snprintf(out, cap, "set [input] delimiter = %s: the header has %zu %s and %zu %s", sf_delimiter_word(delims[best]),
             c[best], shown[best], c[used], shown[used]);
    return true;
}

void sf_hint_header_error(const sf_config *cfg, const char *path, sf_ctx *ctx)
{
    char h[512];
    if (!encoding_hint(cfg, path, h, sizeof h) && !delimiter_hint(cfg, path, h, sizeof h))
        return;
    size_t n = strlen(ctx->msg);
    snprintf(ctx->msg + n, sizeof ctx->msg - n, " (hint: %s)", h);
}

/* The non-empty values of the date columns of kind k, read again. */
static sf_err date_values(const sf_config *cfg, sf_file_kind k, const sf_file_stats *st, sf_strlist *vals)
{
    static const int tx[3] = {SF_TF_DATE, -1, -1}, act[3] = {SF_VF_DATE, -1, -1},
                     opp[3] = {SF_OF_CREATED, SF_OF_CLOSE_DATE, SF_OF_NEXT_STEP_DATE}, none[3] = {-1, -1, -1};
    const int *fields = k == SF_FILE_TRANSACTIONS ? tx : k == SF_FILE_ACTIVITIES ? act
                        : k == SF_FILE_OPPORTUNITIES ? opp : none;
    int cols[3], nc = 0;
    for (int i = 0; i < 3; i++) {
        int f = fields[i];
        const char *h = f >= 0 ? st->mapped_header[f] : NULL;
        for (size_t c = 0; h && c < st->headers_found.n; c++)
            if (strcmp(st->headers_found.v[c], h) == 0) {
                cols[nc++] = (int)c;
                break;
            }
    }
    if (!nc)
        return SF_OK;
    sf_ctx ctx = {0};
    sf_recsrc s;
    sf_xlsx_opts xo = {.date_format = cfg->date_format, .decimal = cfg->decimal};
    xo.sheet = sf_config_sheet(cfg, k, &xo.sheet_key);
    sf_err e = sf_recsrc_init(&s, cfg->encoding, "encoding", cfg->delimiter, &xo, &ctx);
    int64_t blank = 0;
    if (e == SF_OK && (e = sf_recsrc_open(&s, st->path, NULL, NULL)) == SF_OK)
        e = sf_recsrc_header(&s, &blank);
    while (e == SF_OK && vals->n < MAX_DATE_VALUES) {
        sf_csv_event ev;
        if ((e = sf_recsrc_next(&s, &ev)) != SF_OK || ev != SF_CSV_RECORD)
            break;
        if (s.rec->blank || (e = sf_recsrc_fields(&s)) != SF_OK)
            continue;
        for (int i = 0; i < nc && e == SF_OK; i++)
            if (*sf_recsrc_field(&s, (size_t)cols[i]))
                e = sf_strlist_push(vals, sf_recsrc_field(&s, (size_t)cols[i]));
    }
    sf_recsrc_release(&s);
    return e == SF_ERR_NOMEM ? SF_ERR_NOMEM : SF_OK;
}

static sf_err date_hint(const sf_config *cfg, sf_file_kind k, const sf_file_stats *st, sf_strlist *out)
{
    sf_strlist vals = {0};
    sf_err e = date_values(cfg, k, st, &vals);
    size_t ok = 0, parsed = 0;
    for (size_t i = 0; e == SF_OK && i < vals.n; i++) {
        sf_date d;
        ok += sf_parse_date(vals.v[i], cfg->date_format, &d);
    }
    const char *best = e == SF_OK ? sf_sniff_date_format((const char *const *)vals.v, vals.n, cfg->date_format,
                                                         &parsed, NULL)
                                  : NULL;
    if (best && parsed > ok && strcmp(best, cfg->date_format) != 0) {
        char h[512];
        snprintf(h, sizeof h, "set [input] date_format = %s: %zu of %zu dates do not parse as %s, %s parses %zu of them",
                 best, vals.n - ok, vals.n, cfg->date_format, best, parsed);
        e = sf_strlist_push(out, h);
    }
    sf_strlist_clear(&vals);
    return e;
}

sf_err sf_check_hints(const sf_config *cfg, sf_file_kind k, const sf_file_stats *st, const sf_rejects *rj,
                      sf_strlist *out, sf_ctx *ctx)
{
    if (!st->present || !st->path || !cfg->file[k])
        return SF_OK;
    char h[512];
    sf_err e = SF_OK;
    if (rj->count[k][SF_REJ_BAD_ENCODING] && encoding_hint(cfg, st->path, h, sizeof h))
        e = sf_strlist_push(out, h);
    if (e == SF_OK && delimiter_hint(cfg, st->path, h, sizeof h))
        e = sf_strlist_push(out, h);
    if (e == SF_OK && (rj->count[k][SF_REJ_BAD_DATE] || rj->kept_count[k][SF_REJ_BAD_DATE]))
        e = date_hint(cfg, k, st, out);
    return e == SF_OK ? SF_OK : sf_ctx_nomem(ctx);
}
