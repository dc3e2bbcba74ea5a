/*
 * ingest_map.c - a file's header line mapped to canonical fields (SPEC
 * §1.1 "Headers", §6): which column each field reads, with the choices
 * written in docs/ingest.md, "Header and columns":
 *
 * - a configured header matches a header of the file exactly first (the
 *   first of duplicated headers), as SPEC §6 says; only when none does, a
 *   tolerant match is tried: case (Unicode lower-casing), surrounding
 *   blanks and a trailing '*' (Pipedrive's required columns) ignored. It
 *   is taken when it names one header; two different headers that match
 *   tolerantly are ambiguous and match neither;
 * - "A | B" maps a field to the first non-empty of several columns (a B2C
 *   deal's contact when it has no company); when the whole text is a
 *   header of the file it is that one header;
 * - a header looked for and not found names the closest headers of the
 *   file (edit distance on lower-cased characters).
 */
#include "input/sf_ingest_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- closeness -------------------------------------------------------------- */

#define CP_MAX 64

/* The code points of UTF-8 text s (at most CP_MAX; invalid bytes count
 * as one each). */
static size_t code_points(const char *s, uint32_t *out)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && n < CP_MAX) {
        uint32_t c = *p;
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
        for (size_t i = 1; i < k; i++)
            if ((p[i] & 0xC0) != 0x80)
                k = 1;
        if (k > 1) {
            c &= 0x3F >> (k - 1);
            for (size_t i = 1; i < k; i++)
                c = (c << 6) | (p[i] & 0x3F);
        }
        out[n++] = c;
        p += k;
    }
    return n;
}

/* Edit distance (insert, delete, substitute, swap of neighbours) of two
 * texts, both already lower-cased; 99 for texts over CP_MAX characters. */
static int distance(const char *a, const char *b)
{
    uint32_t x[CP_MAX], y[CP_MAX];
    if (strlen(a) > 4 * CP_MAX || strlen(b) > 4 * CP_MAX)
        return 99;
    size_t la = code_points(a, x), lb = code_points(b, y);
    int d[CP_MAX + 1][CP_MAX + 1];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int v = d[i - 1][j - 1] + (x[i - 1] != y[j - 1]);
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

/* Lower-cased copy of s without surrounding blanks and one trailing '*'
 * (with the blanks before it): how headers compare tolerantly. */
static char *tolerant_key(const char *s)
{
    char *low = sf_utf8_lower(s);
    if (!low)
        return NULL;
    char *b = low;
    while (*b == ' ' || *b == '\t')
        b++;
    size_t n = strlen(b);
    while (n && (b[n - 1] == ' ' || b[n - 1] == '\t'))
        n--;
    if (n && b[n - 1] == '*') {
        n--;
        while (n && (b[n - 1] == ' ' || b[n - 1] == '\t'))
            n--;
    }
    memmove(low, b, n);
    low[n] = '\0';
    return low;
}

/* ", closest: 'a', 'b'" of the (up to three) headers nearest to want, or
 * nothing when none is near (a distance of at most a third of the longer
 * text, and at least 1 off at 2 characters). */
static void closest_headers(const sf_ingest_reader *g, char *const *keys, const char *want, char *out,
                            size_t cap)
{
    out[0] = '\0';
    const sf_file_stats *st = g->st;
    char *wk = tolerant_key(want);
    if (!wk)
        return;
    int best[3] = {99, 99, 99};
    int idx[3] = {-1, -1, -1};
    size_t wl = strlen(wk);
    for (size_t i = 0; i < st->headers_found.n; i++) {
        if (!keys[i])
            continue;
        size_t hl = strlen(keys[i]);
        int lim = (int)((wl > hl ? wl : hl) / 3);
        if (lim < 2)
            lim = 2;
        int d = distance(wk, keys[i]);
        if (d > lim || d == 0)
            continue;
        bool dup = false;
        for (int k = 0; k < 3; k++)
            dup |= idx[k] >= 0 && strcmp(st->headers_found.v[idx[k]], st->headers_found.v[i]) == 0;
        if (dup)
            continue;
        for (int k = 0; k < 3; k++) {
            if (d < best[k]) {
                for (int m = 2; m > k; m--) {
                    best[m] = best[m - 1];
                    idx[m] = idx[m - 1];
                }
                best[k] = d;
                idx[k] = (int)i;
                break;
            }
        }
    }
    free(wk);
    size_t o = 0;
    for (int k = 0; k < 3 && idx[k] >= 0; k++) {
        int w = snprintf(out + o, cap - o, "%s'%s'", k ? ", " : "; closest: ", st->headers_found.v[idx[k]]);
        if (w < 0 || (size_t)w >= cap - o)
            break;
        o += (size_t)w;
    }
}

/* ---- finding a header ------------------------------------------------------- */

enum { NOT_FOUND = -1, AMBIGUOUS = -2 };

/* Index of the header that want names: exact first, else the one header
 * that matches tolerantly; AMBIGUOUS when different headers do, with
 * amb[0] and amb[1] set to the first two of them. */
static int find_header(const sf_file_stats *st, char *const *keys, const char *want, int amb[2])
{
    for (size_t i = 0; i < st->headers_found.n; i++)
        if (strcmp(st->headers_found.v[i], want) == 0)
            return (int)i;
    char *wk = tolerant_key(want);
    if (!wk)
        return NOT_FOUND;
    int hit = NOT_FOUND;
    for (size_t i = 0; i < st->headers_found.n; i++) {
        if (!keys[i] || strcmp(keys[i], wk) != 0)
            continue;
        if (hit < 0) {
            hit = (int)i;
        } else if (strcmp(st->headers_found.v[hit], st->headers_found.v[i]) != 0) {
            amb[0] = hit;
            amb[1] = (int)i;
            hit = AMBIGUOUS;
            break;
        }
    }
    free(wk);
    return hit;
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

/* The alternatives of a mapping "A | B | C", trimmed, into alt[] (at most
 * SF_ALT_MAX; pointers into buf). */
static int split_alternatives(const char *want, char *buf, size_t cap, const char **alt)
{
    snprintf(buf, cap, "%s", want);
    int n = 0;
    for (char *p = buf; n < SF_ALT_MAX;) {
        char *bar = strchr(p, '|');
        if (bar)
            *bar = '\0';
        char *e = p + strlen(p);
        while (*p == ' ' || *p == '\t')
            p++;
        while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
            *--e = '\0';
        if (*p)
            alt[n++] = p;
        if (!bar)
            break;
        p = bar + 1;
    }
    return n;
}

/* One field's columns. Returns SF_OK (col/alt set, or left unmapped with a
 * warning), or SF_ERR_INPUT for a missing required column. */
static sf_err map_field(sf_ingest_reader *g, char *const *keys, int f, const sf_colmap *cm)
{
    sf_file_stats *st = g->st;
    const bool header = cm->kind == SF_MAP_HEADER;
    const char *want = header ? cm->header : cm->kind == SF_MAP_DEFAULT ? sf_field_name(g->kind, f) : NULL;
    if (!want)
        return SF_OK;
    int amb[2] = {0, 0}, found[SF_ALT_MAX], nfound = 0;
    const char *alts[SF_ALT_MAX];
    char buf[1024];
    int nalt = 1;
    int idx = find_header(st, keys, want, amb);
    if (idx >= 0) {
        found[nfound++] = idx;
        alts[0] = want;
    } else if (header && strchr(want, '|')) {
        nalt = split_alternatives(want, buf, sizeof buf, alts);
        for (int a = 0; a < nalt; a++) {
            int amb2[2], k = find_header(st, keys, alts[a], amb2);
            if (k >= 0)
                found[nfound++] = k;
        }
    }
    if (nfound) {
        g->col[f] = found[0];
        g->nalt[f] = (uint8_t)(nfound - 1);
        for (int a = 1; a < nfound; a++)
            g->alt[f][a - 1] = found[a];
        size_t o = 0;
        buf[0] = '\0';
        for (int a = 0; a < nfound; a++) {
            int w = snprintf(buf + o, sizeof buf - o, "%s%s", a ? " | " : "", st->headers_found.v[found[a]]);
            if (w < 0 || (size_t)w >= sizeof buf - o)
                break;
            o += (size_t)w;
        }
        return (st->mapped_header[f] = sf_strdup(buf)) ? SF_OK : sf_ctx_nomem(g->ctx);
    }
    char near[600] = "";
    if (idx == AMBIGUOUS)
        snprintf(near, sizeof near, "; headers '%s' and '%s' both match it but for case, blanks or '*'",
                 st->headers_found.v[amb[0]], st->headers_found.v[amb[1]]);
    else
        closest_headers(g, keys, nalt > 1 ? alts[0] : want, near, sizeof near);
    if (!sf_field_required(g->kind, f)) {
        if (!header)
            return SF_OK;
        char w[1200];
        snprintf(w, sizeof w, "%s: mapped optional header '%s' for field '%s' not found%s", g->path, want,
                 sf_field_name(g->kind, f), near);
        return sf_strlist_push(&st->warnings, w) == SF_OK ? SF_OK : sf_ctx_nomem(g->ctx);
    }
    if (g->kind == SF_FILE_TRANSACTIONS && f == SF_TF_AMOUNT && !header)
        return SF_OK; /* quantity x unit_price may stand in: judged by the caller */
    char found_list[1400] = "";
    list_headers(st, found_list, sizeof found_list);
    return sf_ctx_error(g->ctx, SF_ERR_INPUT, "%s: missing required column for '%s': looked for header '%s'; found: %s%s",
                        g->path, sf_field_name(g->kind, f), want, found_list, near);
}

sf_err sf_ingest_map_columns(sf_ingest_reader *g)
{
    const sf_config *cfg = g->cfg;
    sf_file_stats *st = g->st;
    int nfields = sf_field_count(g->kind);
    sf_err e = SF_OK;
    for (int f = 0; f < SF_FIELD_MAX; f++) {
        g->col[f] = -1;
        g->nalt[f] = 0;
    }
    char **keys = calloc(st->headers_found.n ? st->headers_found.n : 1, sizeof *keys);
    if (!keys)
        return sf_ctx_nomem(g->ctx);
    for (size_t i = 0; i < st->headers_found.n; i++)
        keys[i] = tolerant_key(st->headers_found.v[i]); /* NULL (no memory): never matches */
    for (int f = 0; f < nfields && e == SF_OK; f++) {
        const sf_colmap *cm = sf_config_column(cfg, g->kind, g->file_no, f);
        /* amount first without its error: quantity x unit_price may stand in */
        if (g->kind == SF_FILE_TRANSACTIONS && f == SF_TF_AMOUNT && cm->kind != SF_MAP_HEADER)
            continue;
        e = map_field(g, keys, f, cm);
    }
    g->by_product = false;
    if (e == SF_OK && g->kind == SF_FILE_TRANSACTIONS) {
        const sf_colmap *cm = sf_config_column(cfg, g->kind, g->file_no, SF_TF_AMOUNT);
        if (cm->kind == SF_MAP_DEFAULT)
            e = map_field(g, keys, SF_TF_AMOUNT, cm);
        if (e == SF_OK && g->col[SF_TF_AMOUNT] < 0) {
            if (g->col[SF_TF_QUANTITY] >= 0 && g->col[SF_TF_UNIT_PRICE] >= 0) {
                g->by_product = true;
            } else if (cm->kind != SF_MAP_HEADER) {
                char found_list[1400] = "";
                list_headers(st, found_list, sizeof found_list);
                e = sf_ctx_error(g->ctx, SF_ERR_INPUT,
                                 "%s: missing required column for 'amount': looked for header 'amount'; found: %s",
                                 g->path, found_list);
            }
        }
    }
    for (size_t i = 0; i < st->headers_found.n; i++)
        free(keys[i]);
    free(keys);
    if (e != SF_OK)
        return e;
    /* the columns that cost a record when they hold undecodable bytes */
    g->n_used = 0;
    for (int f = 0; f < nfields; f++) {
        for (int a = -1; a < (int)g->nalt[f]; a++) {
            int c = a < 0 ? g->col[f] : g->alt[f][a];
            if (c < 0)
                continue;
            bool seen = false;
            for (size_t k = 0; k < g->n_used; k++)
                seen |= g->used[k] == c;
            if (!seen)
                g->used[g->n_used++] = c;
        }
    }
    return SF_OK;
}
