/*
 * common.c - error context, calendar arithmetic, exact rounding, number
 * formatting, string lists and UTF-8 helpers shared by every module.
 */
#include "base/sf_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

sf_err sf_ctx_error(sf_ctx *ctx, sf_err code, const char *fmt, ...)
{
    if (ctx && ctx->code == SF_OK) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
        va_end(ap);
        ctx->code = code;
    }
    return code;
}

sf_err sf_ctx_nomem(sf_ctx *ctx)
{
    return sf_ctx_error(ctx, SF_ERR_NOMEM, "out of memory");
}

/* Howard Hinnant's days_from_civil / civil_from_days: exact for the whole
 * proleptic Gregorian calendar, no time zones involved. */
sf_date sf_date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2u) / 5u + (unsigned)d - 1u;
    const unsigned doe = yoe * 365u + yoe / 4u - yoe / 100u + doy;
    return (sf_date)(era * 146097 + (int)doe - 719468);
}

void sf_date_to_ymd(sf_date day, int *y, int *m, int *d)
{
    int z = day + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460u + doe / 36524u - doe / 146096u) / 365u;
    const int yy = (int)yoe + era * 400;
    const unsigned doy = doe - (365u * yoe + yoe / 4u - yoe / 100u);
    const unsigned mp = (5u * doy + 2u) / 153u;
    const unsigned dd = doy - (153u * mp + 2u) / 5u + 1u;
    const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (mm <= 2);
    *m = (int)mm;
    *d = (int)dd;
}

bool sf_date_valid_ymd(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
        return false;
    int lim = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        lim = 29;
    return d <= lim;
}

int sf_date_weekday(sf_date day)
{
    /* 1970-01-01 was a Thursday (3 with Monday = 0). */
    int w = (int)(((int64_t)day + 3) % 7);
    return w < 0 ? w + 7 : w;
}

void sf_date_iso_week(sf_date day, char out[16])
{
    if (day == SF_NODATE) {
        out[0] = '\0';
        return;
    }
    /* the week belongs to the year of its Thursday; week 1 holds the
     * year's first Thursday */
    sf_date thu = (sf_date)(day - sf_date_weekday(day) + 3);
    int y, m, d;
    sf_date_to_ymd(thu, &y, &m, &d);
    int week = (int)((thu - sf_date_from_ymd(y, 1, 1)) / 7) + 1;
    snprintf(out, 16, "%04d-W%02d", y % 100000, week % 100);
}

void sf_date_iso(sf_date day, char out[16])
{
    if (day == SF_NODATE) {
        out[0] = '\0';
        return;
    }
    int y, m, d;
    sf_date_to_ymd(day, &y, &m, &d);
    if (y < 0 || y > 9999) {
        snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
        return;
    }
    /* by hand: the lists write a date per row, snprintf was a tenth of them */
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

double sf_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sf_thread_background(void)
{
    (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
}

sf_date sf_date_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm))
        return sf_date_from_ymd(1970, 1, 1);
    return sf_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int64_t sf_div_round(__int128 num, __int128 den)
{
    if (den < 0) {
        num = -num;
        den = -den;
    }
    __int128 q = num / den, r = num % den;
    if (r < 0)
        r = -r;
    if (2 * r >= den)
        q += num < 0 ? -1 : 1;
    return (int64_t)q;
}

int64_t sf_share_e4(__int128 num, __int128 den)
{
    if (den == 0)
        return SF_NONE;
    return sf_div_round(num * SF_E4, den);
}

int64_t sf_div_ceil(__int128 num, __int128 den)
{
    __int128 q = num / den;
    if (num % den != 0 && ((num < 0) == (den < 0)))
        q += 1;
    return (int64_t)q;
}

/* Fixed-point v / 10^scale with exactly `scale` decimals (none and no
 * point for scale 0). By hand: a list row formats several of these. */
size_t sf_fmt_fixed(int64_t v, int scale, char out[32])
{
    if (v == SF_NONE) {
        out[0] = '\0';
        return 0;
    }
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char tmp[32];
    int n = 0;
    for (int i = 0; i < scale; i++) {
        tmp[n++] = (char)('0' + a % 10);
        a /= 10;
    }
    if (scale > 0)
        tmp[n++] = '.';
    do {
        tmp[n++] = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    if (v < 0)
        tmp[n++] = '-';
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return (size_t)n;
}

void sf_fmt_money(int64_t cents, char out[32]) { sf_fmt_fixed(cents, 2, out); }
void sf_fmt_e4(int64_t e4, char out[32]) { sf_fmt_fixed(e4, 4, out); }
void sf_fmt_int(int64_t v, char out[32]) { sf_fmt_fixed(v, 0, out); }

sf_err sf_strlist_push(sf_strlist *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return SF_ERR_NOMEM;
        l->v = v;
        l->cap = cap;
    }
    char *c = sf_strdup(s);
    if (!c)
        return SF_ERR_NOMEM;
    l->v[l->n++] = c;
    return SF_OK;
}

void sf_strlist_clear(sf_strlist *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

void *sf_xcalloc(size_t n, size_t size)
{
    return calloc(n ? n : 1, size ? size : 1);
}

uint64_t sf_hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

void *sf_table_alloc_uninit(size_t bytes)
{
    const size_t huge = (size_t)2 << 20;
    void *p = NULL;
    size_t align = bytes < huge ? 64 : huge;
    size_t n = (bytes ? bytes : 1) + align - 1;
    n -= n % align;
    if (posix_memalign(&p, align, n) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    if (align == huge)
        (void)madvise(p, n, MADV_HUGEPAGE);
#endif
    return p;
}

void *sf_table_alloc(size_t bytes)
{
    const size_t huge = (size_t)2 << 20;
    void *p = NULL;
    if (bytes < huge) { /* cache-line aligned: sf_account is _Alignas(64) */
        size_t n = bytes ? (bytes + 63) / 64 * 64 : 64;
        if (posix_memalign(&p, 64, n) != 0)
            return NULL;
        memset(p, 0, n);
        return p;
    }
    size_t n = (bytes + huge - 1) / huge * huge;
    if (posix_memalign(&p, huge, n) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    (void)madvise(p, n, MADV_HUGEPAGE); /* a hint; without it, plain pages */
#endif
    memset(p, 0, n);
    return p;
}

char *sf_strdup(const char *s)
{
    return s ? sf_strndup(s, strlen(s)) : NULL;
}

char *sf_strndup(const char *s, size_t n)
{
    char *c = malloc(n + 1);
    if (!c)
        return NULL;
    memcpy(c, s, n);
    c[n] = '\0';
    return c;
}

/* Decode one UTF-8 sequence; returns its length (0 if invalid). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if ((c & 0xE0) == 0xC0) {
        len = 2; v = c & 0x1F; min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3; v = c & 0x0F; min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4; v = c & 0x07; min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

static size_t utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Simple lower-case mapping for the scripts of the four report languages
 * (and Latin-1/Latin Extended-A generally). */
static uint32_t cp_lower(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c < 0x80)
        return c;
    if ((c >= 0xC0 && c <= 0xDE && c != 0xD7))
        return c + 32;
    if (c >= 0x100 && c <= 0x17F) {
        if (c == 0x130)
            return 'i';
        if (c == 0x138)
            return c;
        if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
            return (c & 1) ? c + 1 : c;
        if (c == 0x178)
            return 0xFF;
        return (c & 1) ? c : c + 1;
    }
    if (c >= 0x410 && c <= 0x42F) /* А-Я */
        return c + 32;
    if (c >= 0x400 && c <= 0x40F) /* Ѐ-Џ incl. Ё */
        return c + 80;
    if (c >= 0x460 && c <= 0x4FF && !(c & 1))
        return c + 1;
    return c;
}

char *sf_utf8_lower(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, o = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = utf8_decode(p + i, n - i, &cp);
        if (len == 0) { /* keep invalid bytes as they are */
            out[o++] = (char)p[i++];
            continue;
        }
        uint32_t lc = cp_lower(cp);
        char buf[4];
        size_t el = utf8_encode(lc, buf);
        if (el != len) { /* never happens for the ranges above; stay safe */
            memcpy(out + o, p + i, len);
            o += len;
        } else {
            memcpy(out + o, buf, el);
            o += el;
        }
        i += len;
    }
    out[o] = '\0';
    return out;
}

bool sf_utf8_ieq(const char *a, const char *b)
{
    char *la = sf_utf8_lower(a), *lb = sf_utf8_lower(b);
    bool eq = la && lb && strcmp(la, lb) == 0;
    free(la);
    free(lb);
    return eq;
}

bool sf_utf8_icontains(const char *haystack, const char *needle)
{
    char *lh = sf_utf8_lower(haystack), *ln = sf_utf8_lower(needle);
    bool found = lh && ln && strstr(lh, ln) != NULL;
    free(lh);
    free(ln);
    return found;
}

bool sf_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (p[i] == 0)
            return false;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = utf8_decode(p + i, n - i, &cp);
        if (len == 0)
            return false;
        i += len;
    }
    return true;
}
