/*
 * lang.c - labels from templates/lang/<code>.ini and the number and date
 * conventions of each report language.
 *
 * The label files are read with a small parser of their own rather than
 * inih: labels may be longer than inih's 200-byte line buffer.
 */
#include "base/sf_lang.h"
#include "base/sf_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *key;   /* "section.key" */
    char *value;
} label;

struct sf_lang {
    char code[8];
    label *v;
    size_t n, cap;
};

static const char *const k_langs[] = {"en", "ru", "pl", "id"};

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

static int cmp_label(const void *a, const void *b)
{
    return strcmp(((const label *)a)->key, ((const label *)b)->key);
}

/* A value may use \n for a line break and \t for a tab. */
static void unescape(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (p[0] == '\\' && p[1] == 'n') {
            *o++ = '\n';
            p++;
        } else if (p[0] == '\\' && p[1] == 't') {
            *o++ = '\t';
            p++;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
}

sf_err sf_lang_load(const char *share_dir, const char *code, sf_lang **out, sf_ctx *ctx)
{
    *out = NULL;
    bool known = false;
    for (size_t i = 0; i < SF_ARRAY_LEN(k_langs); i++)
        known |= strcmp(code, k_langs[i]) == 0;
    if (!known)
        return sf_ctx_error(ctx, SF_ERR_USAGE, "language '%s' is not one of en, ru, pl, id", code);
    char path[4096];
    snprintf(path, sizeof path, "%s/templates/lang/%s.ini", share_dir, code);
    char why[160];
    FILE *f = sf_fopen_regular(path, why, sizeof why);
    if (!f)
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: cannot open label file: %s", path, why);
    sf_lang *l = calloc(1, sizeof *l);
    if (!l) {
        fclose(f);
        return sf_ctx_nomem(ctx);
    }
    snprintf(l->code, sizeof l->code, "%s", code);
    char section[128] = "";
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 0;
    sf_err err = SF_OK;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        char *s = line;
        if (lineno == 1 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
            s += 3;
        s = trim(s);
        if (*s == '\0' || *s == ';' || *s == '#')
            continue;
        if (*s == '[') {
            char *e = strchr(s, ']');
            if (!e) {
                err = sf_ctx_error(ctx, SF_ERR_USAGE, "%s:%d: malformed section header", path, lineno);
                break;
            }
            *e = '\0';
            snprintf(section, sizeof section, "%s", trim(s + 1));
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            err = sf_ctx_error(ctx, SF_ERR_USAGE, "%s:%d: expected 'key = text'", path, lineno);
            break;
        }
        *eq = '\0';
        char *k = trim(s), *v = trim(eq + 1);
        unescape(v);
        if (l->n == l->cap) {
            size_t nc = l->cap ? l->cap * 2 : 256;
            label *nv = realloc(l->v, nc * sizeof *nv);
            if (!nv) {
                err = sf_ctx_nomem(ctx);
                break;
            }
            l->v = nv;
            l->cap = nc;
        }
        size_t kl = strlen(section) + strlen(k) + 2;
        char *key = malloc(kl);
        char *val = sf_strdup(v);
        if (!key || !val) {
            free(key);
            free(val);
            err = sf_ctx_nomem(ctx);
            break;
        }
        snprintf(key, kl, "%s.%s", section, k);
        l->v[l->n].key = key;
        l->v[l->n].value = val;
        l->n++;
    }
    free(line);
    fclose(f);
    if (err) {
        sf_lang_free(l);
        return err;
    }
    qsort(l->v, l->n, sizeof *l->v, cmp_label);
    *out = l;
    return SF_OK;
}

void sf_lang_free(sf_lang *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].key);
        free(l->v[i].value);
    }
    free(l->v);
    free(l);
}

const char *sf_lang_get(const sf_lang *l, const char *key)
{
    if (!l)
        return key;
    label probe = {(char *)(uintptr_t)key, NULL};
    const label *hit = bsearch(&probe, l->v, l->n, sizeof *l->v, cmp_label);
    return hit ? hit->value : key;
}

const char *sf_lang_code(const sf_lang *l)
{
    return l ? l->code : "en";
}

int sf_lang_plural_forms(const sf_lang *l)
{
    const char *c = sf_lang_code(l);
    if (strcmp(c, "ru") == 0 || strcmp(c, "pl") == 0)
        return 3;
    return strcmp(c, "id") == 0 ? 1 : 2;
}

int sf_lang_plural_form(const sf_lang *l, int64_t n)
{
    const char *c = sf_lang_code(l);
    uint64_t a = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    uint64_t m10 = a % 10, m100 = a % 100;
    bool few = m10 >= 2 && m10 <= 4 && !(m100 >= 12 && m100 <= 14);
    if (strcmp(c, "ru") == 0)
        return m10 == 1 && m100 != 11 ? 0 : few ? 1 : 2;
    if (strcmp(c, "pl") == 0)
        return a == 1 ? 0 : few ? 1 : 2;
    if (strcmp(c, "id") == 0)
        return 0;
    return a == 1 ? 0 : 1;
}

void sf_lang_plural_pick(const sf_lang *l, const char *text, int64_t n, char *out, size_t cap)
{
    if (cap == 0)
        return;
    int want = sf_lang_plural_form(l, n);
    const char *p = text ? text : "";
    for (int i = 0; i < want; i++) {
        const char *bar = strchr(p, '|');
        if (!bar)
            break;
        p = bar + 1;
    }
    size_t len = strcspn(p, "|");
    if (len >= cap)
        len = cap - 1;
    memcpy(out, p, len);
    out[len] = '\0';
}

/* Conventions per language. */
typedef struct {
    const char *thousands; /* UTF-8 */
    char decimal;
    const char *pct_suffix;
    int date_style;        /* 0 ISO, 1 DD.MM.YYYY, 2 DD/MM/YYYY */
    const char *k, *m, *b; /* abbreviations of 10^3, 10^6, 10^9 */
} conventions;

static const conventions *conv_of(const sf_lang *l)
{
    static const conventions en = {",", '.', "%", 0, "k", "M", "B"};
    static const conventions ru = {"\xC2\xA0", ',', "\xC2\xA0%", 1, "\xC2\xA0тыс.", "\xC2\xA0млн", "\xC2\xA0млрд"};
    static const conventions pl = {"\xC2\xA0", ',', "%", 1, "\xC2\xA0tys.", "\xC2\xA0mln", "\xC2\xA0mld"};
    static const conventions id = {".", ',', "%", 2, "\xC2\xA0rb", "\xC2\xA0jt", "\xC2\xA0M"};
    const char *c = sf_lang_code(l);
    if (strcmp(c, "ru") == 0)
        return &ru;
    if (strcmp(c, "pl") == 0)
        return &pl;
    if (strcmp(c, "id") == 0)
        return &id;
    return &en;
}

/* v / 10^scale with `decimals` decimals (rounded half away from zero),
 * grouped in thousands. */
static void fmt_grouped(const conventions *cv, int64_t v, int scale, int decimals, char *out, size_t n)
{
    if (v == SF_NONE) {
        if (n) out[0] = '\0';
        return;
    }
    int64_t div = 1;
    for (int i = decimals; i < scale; i++)
        div *= 10;
    int64_t r = sf_div_round(v, div); /* now scaled by 10^decimals */
    bool neg = r < 0;
    uint64_t a = neg ? (uint64_t)0 - (uint64_t)r : (uint64_t)r;
    uint64_t p = 1;
    for (int i = 0; i < decimals; i++)
        p *= 10;
    uint64_t ip = a / p, fp = a % p;
    char digits[32];
    snprintf(digits, sizeof digits, "%llu", (unsigned long long)ip);
    char buf[96];
    size_t o = 0, nd = strlen(digits);
    if (neg)
        buf[o++] = '-';
    for (size_t i = 0; i < nd; i++) {
        if (i && (nd - i) % 3 == 0) {
            size_t tl = strlen(cv->thousands);
            memcpy(buf + o, cv->thousands, tl);
            o += tl;
        }
        buf[o++] = digits[i];
    }
    if (decimals > 0) {
        buf[o++] = cv->decimal;
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%0*llu", decimals, (unsigned long long)fp);
    }
    buf[o] = '\0';
    snprintf(out, n, "%s", buf);
}

void sf_lang_fmt_money(const sf_lang *l, int64_t cents, int decimals, char *out, size_t n)
{
    fmt_grouped(conv_of(l), cents, 2, decimals < 0 ? 0 : decimals > 2 ? 2 : decimals, out, n);
}

void sf_lang_fmt_int(const sf_lang *l, int64_t v, char *out, size_t n)
{
    fmt_grouped(conv_of(l), v, 0, 0, out, n);
}

void sf_lang_fmt_pct(const sf_lang *l, int64_t e4, int decimals, char *out, size_t n)
{
    if (e4 == SF_NONE) {
        if (n) out[0] = '\0';
        return;
    }
    /* e4 is a fraction in ten-thousandths; percent = e4 / 100. */
    char num[64];
    fmt_grouped(conv_of(l), e4, 2, decimals < 0 ? 0 : decimals > 2 ? 2 : decimals, num, sizeof num);
    snprintf(out, n, "%s%s", num, conv_of(l)->pct_suffix);
}

void sf_lang_fmt_date(const sf_lang *l, sf_date d, char *out, size_t n)
{
    if (d == SF_NODATE) {
        if (n) out[0] = '\0';
        return;
    }
    int y, m, dd;
    sf_date_to_ymd(d, &y, &m, &dd);
    switch (conv_of(l)->date_style) {
    case 1: snprintf(out, n, "%02d.%02d.%04d", dd, m, y); break;
    case 2: snprintf(out, n, "%02d/%02d/%04d", dd, m, y); break;
    default: snprintf(out, n, "%04d-%02d-%02d", y, m, dd); break;
    }
}

void sf_lang_fmt_money_short(const sf_lang *l, int64_t cents, char *out, size_t n)
{
    const conventions *cv = conv_of(l);
    if (cents == SF_NONE) {
        if (n) out[0] = '\0';
        return;
    }
    int64_t a = cents < 0 ? -(cents / 100) : cents / 100;
    const char *suffix = "";
    int64_t unit = 1;
    if (a >= 1000000000) {
        suffix = cv->b;
        unit = 1000000000;
    } else if (a >= 1000000) {
        suffix = cv->m;
        unit = 1000000;
    } else if (a >= 1000) {
        suffix = cv->k;
        unit = 1000;
    }
    if (unit == 1) {
        fmt_grouped(cv, cents, 2, 0, out, n);
        return;
    }
    /* one decimal of the unit: cents / (unit*100) scaled by 10 */
    int64_t tenths = sf_div_round(cents, (__int128)unit * 10);
    char num[64];
    if (tenths % 10 == 0 || tenths >= 1000 || tenths <= -1000)
        fmt_grouped(cv, sf_div_round(tenths, 10), 0, 0, num, sizeof num);
    else
        fmt_grouped(cv, tenths, 1, 1, num, sizeof num);
    snprintf(out, n, "%s%s", num, suffix);
}
