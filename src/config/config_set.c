/*
 * config_set.c - one setter per key type: parse a value as written in a
 * file, check it, and store it in the key's member. cfg_set_key dispatches
 * by the key's type (the CFG_TYPES list); the same code parses the built-in
 * defaults, so a default can never be something a user could not write.
 * Every message names FILE:LINE, the section and the key (cfg_key_error).
 */
#include "config/sf_config_schema.h"

#include <ctype.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ */
/* Text helpers shared by the layer                                    */
/* ------------------------------------------------------------------ */

char *cfg_trim_dup(const char *s, size_t n)
{
    while (n > 0 && cfg_is_blank(*s)) {
        s++;
        n--;
    }
    while (n > 0 && (cfg_is_blank(s[n - 1]) || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    return sf_strndup(s, n);
}

void cfg_fmt_ppm(int64_t v, char out[32])
{
    bool neg = v < 0;
    uint64_t u = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int n = snprintf(out, 32, "%s%llu.%06llu", neg ? "-" : "",
                     (unsigned long long)(u / SF_PPM), (unsigned long long)(u % SF_PPM));
    while (n > 0 && out[n - 1] == '0')
        out[--n] = '\0';
    if (n > 0 && out[n - 1] == '.')
        out[--n] = '\0';
}

void cfg_fmt_cents(int64_t v, char out[32])
{
    cfg_fmt_ppm(v * 10000, out); /* MONEY_MAX * 1e4 stays inside int64 */
}

int cfg_parse_fixed(const char *s, int scale, int64_t *out)
{
    const char *p = s;
    bool neg = false;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    __int128 v = 0;
    int digits = 0, decimals = 0;
    bool dot = false;
    for (; *p; p++) {
        if (*p == '.' && !dot) {
            dot = true;
            continue;
        }
        if (*p < '0' || *p > '9')
            return 1;
        if (dot) {
            if (++decimals > scale)
                return 2;
        }
        digits++;
        v = v * 10 + (*p - '0');
        if (v > (__int128)INT64_MAX)
            return 3;
    }
    if (digits == 0)
        return 1;
    for (int i = decimals; i < scale; i++) {
        v *= 10;
        if (v > (__int128)INT64_MAX)
            return 3;
    }
    *out = (int64_t)(neg ? -v : v);
    return 0;
}

void cfg_choices_text(const char *choices, char *out, size_t n)
{
    size_t o = 0;
    for (const char *p = choices; *p && o + 3 < n; p++) {
        if (*p == ' ') {
            out[o++] = ',';
            out[o++] = ' ';
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

/* Index of word `v` in a space-separated list, -1 if absent. */
static int choice_index(const char *choices, const char *v)
{
    size_t vl = strlen(v);
    int i = 0;
    for (const char *p = choices; *p; i++) {
        const char *e = strchr(p, ' ');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == vl && strncmp(p, v, l) == 0)
            return i;
        if (!e)
            break;
        p = e + 1;
    }
    return -1;
}

/* Strip one pair of surrounding double quotes, for values such as ";"
 * that inih would otherwise read as a comment. Returns a pointer into buf. */
static const char *unquote(const char *v, char *buf, size_t n)
{
    size_t l = strlen(v);
    if (l >= 2 && v[0] == '"' && v[l - 1] == '"' && l - 2 < n) {
        memcpy(buf, v + 1, l - 2);
        buf[l - 2] = '\0';
        return buf;
    }
    return v;
}

static bool ieq(const char *a, const char *b) { return strcasecmp(a, b) == 0; }

/* Split a list value (items separated by commas or by continuation-line
 * breaks) into trimmed, non-empty items appended to out. */
static sf_err split_list(const char *v, sf_strlist *out)
{
    const char *p = v;
    for (;;) {
        size_t l = strcspn(p, ",\n");
        char *item = cfg_trim_dup(p, l);
        if (!item)
            return SF_ERR_NOMEM;
        sf_err rc = SF_OK;
        if (*item)
            rc = sf_strlist_push(out, item);
        free(item);
        if (rc)
            return rc;
        if (!p[l])
            break;
        p += l + 1;
    }
    return SF_OK;
}

void cfg_printable(const char *s, char *out, size_t n)
{
    size_t o = 0;
    for (; s && *s && o + 1 < n; s++)
        out[o++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s;
    out[o] = '\0';
}

sf_err cfg_key_error(cfg_loader *ld, const cfg_entry *e, int line, const char *fmt, ...)
                     {
                     char what[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char sec[128], key[128];
    cfg_printable(e->section, sec, sizeof sec);
    cfg_printable(e->key, key, sizeof key);
    if (ld->defaults) /* a broken built-in default is a bug, not a user error */
        return sf_ctx_error(ld->ctx, SF_ERR_NOMEM, "internal: default [%s] %s: %s", sec, key, what);
    return sf_ctx_error(ld->ctx, SF_ERR_USAGE, "%s:%d: [%s] %s: %s", ld->path,
                        line ? line : e->line, sec, key, what);
}

/* Replace the string *dst with a copy of v (empty_null: "" becomes NULL). */
static sf_err set_str(char **dst, const char *v, bool empty_null)
{
    char *n = NULL;
    if (*v || !empty_null) {
        n = sf_strdup(v);
        if (!n)
            return SF_ERR_NOMEM;
    }
    free(*dst);
    *dst = n;
    return SF_OK;
}

/* Resolve a path relative to the config file's directory; malloc'd. */
static char *resolve_path(const sf_config *cfg, const char *v)
{
    if (v[0] == '/' || !cfg->dir || strcmp(cfg->dir, ".") == 0)
        return sf_strdup(v);
    size_t a = strlen(cfg->dir), b = strlen(v);
    char *p = malloc(a + b + 2);
    if (!p)
        return NULL;
    memcpy(p, cfg->dir, a);
    p[a] = '/';
    memcpy(p + a + 1, v, b + 1);
    return p;
}

/* ------------------------------------------------------------------ */
/* Scalars                                                             */
/* ------------------------------------------------------------------ */

/* INT, FRAC, MONEY: a decimal with 0, 6 or 2 decimals, in [min, max]. */
static sf_err set_number(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    const char *v = e->value;
    bool *flag = k->aux != NOFLAG ? (bool *)((char *)ld->cfg + k->aux) : NULL;
    if (!*v && flag) {
        *flag = false;
        *(int64_t *)p = 0;
        return SF_OK;
    }
    int scale = k->type == K_INT ? 0 : k->type == K_FRAC ? 6 : 2;
    int64_t x = 0;
    int r = cfg_parse_fixed(v, scale, &x);
    char lo[32], hi[32];
    if (k->type == K_FRAC) {
        cfg_fmt_ppm(k->min, lo);
        cfg_fmt_ppm(k->max, hi);
    } else if (k->type == K_MONEY) {
        cfg_fmt_cents(k->min, lo);
        cfg_fmt_cents(k->max, hi);
    } else {
        snprintf(lo, sizeof lo, "%lld", (long long)k->min);
        snprintf(hi, sizeof hi, "%lld", (long long)k->max);
    }
    if (r == 2)
        return cfg_key_error(ld, e, 0, "'%s' has more than %d decimals", v, scale);
    if (r == 1)
        return cfg_key_error(ld, e, 0, "expected %s from %s to %s, got '%s'",
                             k->type == K_INT ? "a whole number"
                             : k->type == K_FRAC ? "a decimal number" : "an amount",
                             lo, hi, v);
    if (r == 3 || x < k->min || x > k->max)
        return cfg_key_error(ld, e, 0, "%s is out of range (allowed: %s to %s)", v, lo, hi);
    *(int64_t *)p = x;
    if (flag)
        *flag = true;
    return SF_OK;
}

static sf_err set_bool(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    (void)k;
    const char *v = e->value;
    bool b;
    if (ieq(v, "yes") || ieq(v, "true") || ieq(v, "on") || strcmp(v, "1") == 0)
        b = true;
    else if (ieq(v, "no") || ieq(v, "false") || ieq(v, "off") || strcmp(v, "0") == 0)
        b = false;
    else
        return cfg_key_error(ld, e, 0, "expected yes or no (or true/false, on/off, 1/0), got '%s'", v);
    *(bool *)p = b;
    return SF_OK;
}

/* STR: any text but empty. */
static sf_err set_text(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    (void)k;
    if (!*e->value)
        return cfg_key_error(ld, e, 0, "must not be empty");
    return set_str(p, e->value, false) ? sf_ctx_nomem(ld->ctx) : SF_OK;
}

/* OSTR: any text; empty is NULL. */
static sf_err set_optional_text(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    (void)k;
    return set_str(p, e->value, true) ? sf_ctx_nomem(ld->ctx) : SF_OK;
}

/* PATH: relative to the config file; empty is NULL. */
static sf_err set_path(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    (void)k;
    char *r = NULL;
    if (*e->value && !(r = resolve_path(ld->cfg, e->value)))
        return sf_ctx_nomem(ld->ctx);
    free(*(char **)p);
    *(char **)p = r;
    return SF_OK;
}

/* CHOICE: the word itself as a string; ENUM: its index in the choices
 * (the member is int-sized: config_schema.c checks). */
static sf_err set_choice(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    const char *v = e->value;
    int i = choice_index(k->choices, v);
    if (i < 0) {
        char list[256];
        cfg_choices_text(k->choices, list, sizeof list);
        return cfg_key_error(ld, e, 0, "expected one of %s, got '%s'", list, v);
    }
    if (k->type == K_CHOICE)
        return set_str(p, v, false) ? sf_ctx_nomem(ld->ctx) : SF_OK;
    memcpy(p, &i, sizeof i);
    return SF_OK;
}

/* DATE: YYYY-MM-DD, a real date; empty is SF_NODATE. */
static sf_err set_date(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    (void)k;
    const char *v = e->value;
    int y, m, d, used = 0;
    if (!*v) {
        *(sf_date *)p = SF_NODATE;
        return SF_OK;
    }
    if (strlen(v) != 10 || sscanf(v, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10 ||
        !isdigit((unsigned char)v[5]) || !isdigit((unsigned char)v[8]))
        return cfg_key_error(ld, e, 0, "expected a date YYYY-MM-DD, got '%s'", v);
    if (!sf_date_valid_ymd(y, m, d))
        return cfg_key_error(ld, e, 0, "'%s' is not a real date", v);
    *(sf_date *)p = sf_date_from_ymd(y, m, d);
    return SF_OK;
}

static sf_err set_delimiter(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    (void)k;
    char ubuf[64];
    const char *u = unquote(e->value, ubuf, sizeof ubuf);
    char c;
    if (ieq(u, "auto"))
        c = 0;
    else if (strcmp(u, ",") == 0 || ieq(u, "comma"))
        c = ',';
    else if (strcmp(u, ";") == 0 || ieq(u, "semicolon"))
        c = ';';
    else if (ieq(u, "tab") || strcmp(u, "\\t") == 0 || strcmp(u, "\t") == 0)
        c = '\t';
    else
        return cfg_key_error(ld, e, 0,
                             "expected auto, comma, semicolon or tab, got '%s' (a bare ; starts a comment: write semicolon)",
                             e->value);
    *(char *)p = c;
    return SF_OK;
}

static sf_err set_decimal(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    (void)k;
    char ubuf[64];
    const char *u = unquote(e->value, ubuf, sizeof ubuf);
    char c;
    if (strcmp(u, ".") == 0 || ieq(u, "dot") || ieq(u, "point"))
        c = '.';
    else if (strcmp(u, ",") == 0 || ieq(u, "comma"))
        c = ',';
    else
        return cfg_key_error(ld, e, 0, "expected . or , (or dot, comma), got '%s'", e->value);
    *(char *)p = c;
    return SF_OK;
}

/* THOUSANDS: an sf_thousands (int-sized: config_schema.c checks). */
static sf_err set_thousands(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    (void)k;
    char ubuf[64];
    const char *u = unquote(e->value, ubuf, sizeof ubuf);
    int t;
    if (ieq(u, "none") || !*u)
        t = SF_THOUSANDS_NONE;
    else if (ieq(u, "space") || strcmp(u, " ") == 0)
        t = SF_THOUSANDS_SPACE;
    else if (strcmp(u, ",") == 0 || ieq(u, "comma"))
        t = SF_THOUSANDS_COMMA;
    else if (strcmp(u, ".") == 0 || ieq(u, "dot"))
        t = SF_THOUSANDS_DOT;
    else if (strcmp(u, "'") == 0 || ieq(u, "apostrophe"))
        t = SF_THOUSANDS_APOS;
    else
        return cfg_key_error(ld, e, 0, "expected none, space, comma, dot or apostrophe, got '%s'",
                             e->value);
    memcpy(p, &t, sizeof t);
    return SF_OK;
}

/* ENCODING: a name iconv knows. */
static sf_err set_encoding(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    (void)k;
    const char *v = e->value;
    if (!*v)
        return cfg_key_error(ld, e, 0, "must not be empty");
    iconv_t cd = iconv_open("UTF-8", v);
    if (cd == (iconv_t)-1)
        return cfg_key_error(ld, e, 0, "unknown encoding '%s' (iconv does not know it)", v);
    iconv_close(cd);
    return set_str(p, v, false) ? sf_ctx_nomem(ld->ctx) : SF_OK;
}

/* DATEFMT: one year (%Y or %y), one %m and one %d; other text literal. */
static sf_err set_date_format(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    (void)k;
    int y = 0, m = 0, d = 0;
    bool bad = false;
    for (const char *f = e->value; !bad && *f; f++) {
        if (*f != '%')
            continue;
        f++;
        if (*f == 'Y' || *f == 'y')
            y++;
        else if (*f == 'm')
            m++;
        else if (*f == 'd')
            d++;
        else
            bad = true;
    }
    if (bad || y != 1 || m != 1 || d != 1)
        return cfg_key_error(ld, e, 0,
                             "expected a format with one year (%%Y or %%y), one %%m and one %%d between separators, got '%s'",
                             e->value);
    return set_str(p, e->value, false) ? sf_ctx_nomem(ld->ctx) : SF_OK;
}

/* ------------------------------------------------------------------ */
/* Lists                                                               */
/* ------------------------------------------------------------------ */

/* VALMAP: values lower-cased; aux VM_EMPTY_UNSETS: empty = not configured. */
static sf_err set_valmap(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    sf_valmap *m = p;
    sf_strlist items = {0};
    if (split_list(e->value, &items))
        goto nomem;
    for (size_t i = 0; i < items.n; i++) {
        char *low = sf_utf8_lower(items.v[i]);
        if (!low)
            goto nomem;
        free(items.v[i]);
        items.v[i] = low;
    }
    sf_strlist_clear(&m->values);
    m->values = items;
    m->set = !(k->aux == VM_EMPTY_UNSETS && items.n == 0);
    m->wild = false;
    for (size_t i = 0; i < items.n; i++)
        m->wild |= strchr(items.v[i], '*') != NULL;
    return SF_OK;
nomem:
    sf_strlist_clear(&items);
    return sf_ctx_nomem(ld->ctx);
}

static sf_err set_strlist(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    (void)k;
    sf_strlist items = {0};
    if (split_list(e->value, &items)) {
        sf_strlist_clear(&items);
        return sf_ctx_nomem(ld->ctx);
    }
    sf_strlist_clear(p);
    *(sf_strlist *)p = items;
    return SF_OK;
}

/* Parse one item list into flags of a fixed name set (tiers, types). */
static sf_err set_flags(cfg_loader *ld, const cfg_entry *e, const char *const *names, int n,
                        bool *flags, bool allow_empty, const char *expected)
{
    sf_strlist items = {0};
    if (split_list(e->value, &items)) {
        sf_strlist_clear(&items);
        return sf_ctx_nomem(ld->ctx);
    }
    bool tmp[8] = {false};
    sf_err rc = SF_OK;
    for (size_t i = 0; i < items.n && !rc; i++) {
        int k = -1;
        for (int j = 0; j < n; j++)
            if (ieq(items.v[i], names[j]))
                k = j;
        if (k < 0)
            rc = cfg_key_error(ld, e, 0, "'%s' is not one of %s", items.v[i], expected);
        else
            tmp[k] = true;
    }
    if (!rc && items.n == 0 && !allow_empty)
        rc = cfg_key_error(ld, e, 0, "expected at least one of %s", expected);
    if (!rc)
        memcpy(flags, tmp, (size_t)n * sizeof *flags);
    sf_strlist_clear(&items);
    return rc;
}

static sf_err set_tiers(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    (void)k;
    return set_flags(ld, e, cfg_tier_names, SF_TIER_N, p, true, "A, B, C, D");
}

static sf_err set_act_types(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    (void)k;
    return set_flags(ld, e, cfg_act_names, SF_ACT_N, p, false, "call, email, visit, meeting, other");
}

/* SEGMENTS: distinct segment keys in order; the count goes to aux. */
static sf_err set_segments(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    sf_strlist items = {0};
    if (split_list(e->value, &items)) {
        sf_strlist_clear(&items);
        return sf_ctx_nomem(ld->ctx);
    }
    sf_segment_key seg[CFG_N_SEGMENTS];
    int n = 0;
    sf_err rc = SF_OK;
    if (items.n == 0)
        rc = cfg_key_error(ld, e, 0, "expected a list of industry, size_band, region, fit, owner");
    for (size_t i = 0; i < items.n && !rc; i++) {
        int s = -1;
        for (int j = 0; j < CFG_N_SEGMENTS; j++)
            if (ieq(items.v[i], cfg_segment_names[j]))
                s = j;
        if (s < 0) {
            rc = cfg_key_error(ld, e, 0, "'%s' is not one of industry, size_band, region, fit, owner",
                               items.v[i]);
            break;
        }
        for (int j = 0; j < n; j++)
            if ((int)seg[j] == s)
                rc = cfg_key_error(ld, e, 0, "'%s' is listed twice", items.v[i]);
        if (!rc)
            seg[n++] = (sf_segment_key)s; /* distinct, so at most CFG_N_SEGMENTS */
    }
    if (!rc) {
        _Static_assert(CFG_N_SEGMENTS * sizeof(sf_segment_key) <= CFG_SIZE_SEGMENTS,
                       "segment_by holds every segment key");
        memcpy(p, seg, (size_t)n * sizeof seg[0]);
        *(int *)((char *)ld->cfg + k->aux) = n;
    }
    sf_strlist_clear(&items);
    return rc;
}

/* SIZEBANDS: 1 to 16 strictly ascending counts; the count goes to aux. */
static sf_err set_size_bands(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    sf_strlist items = {0};
    if (split_list(e->value, &items)) {
        sf_strlist_clear(&items);
        return sf_ctx_nomem(ld->ctx);
    }
    enum { CAP = CFG_SIZE_SIZEBANDS / sizeof(int64_t) };
    int64_t v[CAP];
    int n = 0;
    sf_err rc = SF_OK;
    if (items.n == 0 || items.n > (size_t)CAP)
        rc = cfg_key_error(ld, e, 0, "expected 1 to %d ascending employee counts, got %zu", (int)CAP,
                           items.n);
    for (size_t i = 0; i < items.n && !rc; i++) {
        int64_t x;
        if (cfg_parse_fixed(items.v[i], 0, &x) || x < 1 || x > 1000000000)
            rc = cfg_key_error(ld, e, 0, "expected a whole number from 1 to 1000000000, got '%s'",
                               items.v[i]);
        else if (n > 0 && x <= v[n - 1])
            rc = cfg_key_error(ld, e, 0, "sizes must be ascending ('%s' after %lld)", items.v[i],
                               (long long)v[n - 1]);
        else
            v[n++] = x;
    }
    if (!rc) {
        memcpy(p, v, (size_t)n * sizeof v[0]);
        *(int *)((char *)ld->cfg + k->aux) = n;
    }
    sf_strlist_clear(&items);
    return rc;
}

/* ------------------------------------------------------------------ */
/* [input] files and preset                                            */
/* ------------------------------------------------------------------ */

/* INPUT: paths relative to the config file, comma-separated (several
 * files of one kind, glob patterns expanded by sf_config_load), or
 * (transactions) @won. file[k] keeps the first item until expansion. */
static sf_err set_input(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    sf_config *cfg = ld->cfg;
    char **file = p;
    sf_file_kind kind = (sf_file_kind)k->aux;
    bool is_tx = kind == SF_FILE_TRANSACTIONS;
    if (ld->preset)
        return cfg_key_error(ld, e, 0, "a preset cannot name input files (it carries only mappings and formats)");
    if (is_tx)
        cfg->transactions_from_won = false;
    free(*file);
    *file = NULL;
    sf_strlist_clear(&cfg->input_items[kind]);
    sf_strlist_clear(&cfg->input_given[kind]);
    if (is_tx && strcmp(e->value, "@won") == 0) {
        cfg->transactions_from_won = true;
        return SF_OK;
    }
    sf_strlist items = {0};
    if (split_list(e->value, &items)) {
        sf_strlist_clear(&items);
        return sf_ctx_nomem(ld->ctx);
    }
    sf_err rc = SF_OK;
    for (size_t i = 0; i < items.n && !rc; i++) {
        if (strcmp(items.v[i], "@won") == 0) {
            rc = cfg_key_error(ld, e, 0, is_tx ? "@won stands alone: it cannot be listed with files"
                                               : "@won is for transactions only");
            break;
        }
        for (size_t j = 0; j < i && !rc; j++)
            if (strcmp(items.v[i], items.v[j]) == 0)
                rc = cfg_key_error(ld, e, 0, "'%s' is listed twice", items.v[i]);
        char *r = rc ? NULL : resolve_path(cfg, items.v[i]);
        if (!rc && (!r || sf_strlist_push(&cfg->input_items[kind], r) ||
                    sf_strlist_push(&cfg->input_given[kind], items.v[i])))
            rc = sf_ctx_nomem(ld->ctx);
        free(r);
    }
    sf_strlist_clear(&items);
    if (!rc && cfg->input_items[kind].n && !(*file = sf_strdup(cfg->input_items[kind].v[0])))
        rc = sf_ctx_nomem(ld->ctx);
    return rc;
}

/* PRESET: loaded by sf_config_load before this file's keys; here only the
 * rule that a preset names none. */
static sf_err set_preset(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *p)
{
    (void)k;
    (void)p;
    if (ld->preset)
        return cfg_key_error(ld, e, 0, "a preset cannot name another preset");
    return SF_OK;
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */
/* ------------------------------------------------------------------ */

typedef sf_err (*cfg_setter)(cfg_loader *ld, const cfg_key *k, const cfg_entry *e, void *member);

sf_err cfg_set_key(cfg_loader *ld, const cfg_key *k, const cfg_entry *e)
{
#define CFG_TYPE_SETTER(T, size, list, setter, release, doc, allowed) [K_##T] = setter,
    static const cfg_setter setters[K_N] = {CFG_TYPES(CFG_TYPE_SETTER)};
#undef CFG_TYPE_SETTER
    if (e->cont_line && !cfg_type_is_list(k->type))
        return cfg_key_error(ld, e, e->cont_line, CFG_NOT_A_LIST);
    return setters[k->type](ld, k, e, (char *)ld->cfg + k->off);
}
