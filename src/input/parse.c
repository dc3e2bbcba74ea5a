/*
 * parse.c - the value parsers of the CSV ingest (SPEC §1.1): dates, money,
 * plain decimals and integers, currency conversion,
 * and the helpers of the reject list.
 *
 * Numbers are parsed from their decimal text exactly, digit by digit into
 * 128-bit integers, never through a double: "2.675" is 268 cents and
 * "1.005" is 101. Rounding is half away from zero, decided by the first
 * dropped digit alone (for that rule the later digits cannot matter).
 */
#include "input/sf_ingest.h"

#include <stdlib.h>
#include <string.h>

/* ---- numbers ---------------------------------------------------------- */

/* Values beyond this many units (at the requested scale) are overflow; it
 * keeps every intermediate product of two parsed numbers inside __int128. */
/* 1e28: the integer part times 10^9 (quantity, unit_price keep nine
 * decimals) must still fit __int128; anything this large is far beyond
 * int64 cents and stays bad_number anyway. */
#define NUM_LIMIT ((__int128)1000000000000000000LL * 10000000000LL) /* 1e28 */

/* Length of a blank at p (space, tab, U+00A0, U+202F), 0 if none. */
static size_t blank_len(const char *p, const char *end)
{
    const unsigned char *u = (const unsigned char *)p;
    if (p >= end)
        return 0;
    if (*u == ' ' || *u == '\t')
        return 1;
    if (end - p >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
        return 2;
    if (end - p >= 3 && u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0xAF)
        return 3;
    return 0;
}

static const char *skip_blanks(const char *p, const char *end)
{
    size_t k;
    while ((k = blank_len(p, end)) > 0)
        p += k;
    return p;
}

/* Trim blanks on both sides of s; sets *b and *e. */
static void trim_span(const char *s, const char **b, const char **e)
{
    const char *end = s + strlen(s);
    const char *p = skip_blanks(s, end);
    for (;;) {
        if (end > p && (end[-1] == ' ' || end[-1] == '\t')) {
            end--;
        } else if (end - p >= 2 && (unsigned char)end[-2] == 0xC2 && (unsigned char)end[-1] == 0xA0) {
            end -= 2;
        } else if (end - p >= 3 && (unsigned char)end[-3] == 0xE2 && (unsigned char)end[-2] == 0x80 &&
                   (unsigned char)end[-1] == 0xAF) {
            end -= 3;
        } else {
            break;
        }
    }
    *b = p;
    *e = end;
}

/* Length of a thousands separator at p for setting th, 0 if none. */
static size_t thousands_len(const char *p, const char *end, sf_thousands th, char decimal)
{
    switch (th) {
    case SF_THOUSANDS_NONE:
        return 0;
    case SF_THOUSANDS_SPACE:
        return blank_len(p, end);
    case SF_THOUSANDS_COMMA:
        return (p < end && *p == ',' && decimal != ',') ? 1 : 0;
    case SF_THOUSANDS_DOT:
        return (p < end && *p == '.' && decimal != '.') ? 1 : 0;
    case SF_THOUSANDS_APOS:
        return (p < end && *p == '\'') ? 1 : 0;
    }
    return 0;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/*
 * Parse the unsigned numeric core at p: digits, thousands separators
 * between groups of exactly three digits (the first group 1-3 digits),
 * an optional decimal mark followed by at least one digit. The value is
 * returned scaled by 10^keep, rounded half away from zero on the first
 * dropped digit. Parsing stops at the first character that cannot
 * continue the number (a separator not followed by a digit is not
 * consumed). Returns the end of the number, or NULL if there is no number
 * or it is malformed or too large.
 */
static const char *parse_core(const char *p, const char *end, char decimal, sf_thousands th,
                              int keep, __int128 *out)
{
    /* the digits go into 64 bits while they surely fit (below 10^17 before
     * the next digit), into 128 from there: the common amount never pays
     * for 128-bit arithmetic; the value only grows, so the limit is the
     * same either way */
    __int128 v = 0;
    uint64_t u = 0;
    bool wide = false;
    int digits = 0, group = 0;
    bool grouped = false;
    for (;;) {
        if (p < end && is_digit(*p)) {
            if (!wide && u < 100000000000000000ULL) {
                u = u * 10 + (uint64_t)(*p - '0');
            } else {
                if (!wide)
                    v = u;
                wide = true;
                v = v * 10 + (*p - '0');
                if (v >= NUM_LIMIT)
                    return NULL;
            }
            digits++;
            group++;
            p++;
            continue;
        }
        size_t t = thousands_len(p, end, th, decimal);
        if (t && digits && p + t < end && is_digit(p[t])) {
            if (grouped ? group != 3 : group > 3)
                return NULL;
            grouped = true;
            group = 0;
            p += t;
            continue;
        }
        break;
    }
    if (grouped && group != 3)
        return NULL;
    int kept = 0;
    bool round_up = false;
    if (p < end && *p == decimal) {
        const char *f = p + 1;
        int fd = 0;
        while (f < end && is_digit(*f)) {
            if (kept < keep && !wide && u < 100000000000000000ULL) {
                u = u * 10 + (uint64_t)(*f - '0');
                kept++;
            } else if (kept < keep) {
                if (!wide)
                    v = u;
                wide = true;
                v = v * 10 + (*f - '0');
                kept++;
            } else if (fd == keep) {
                round_up = *f >= '5';
            }
            fd++;
            f++;
        }
        if (fd == 0)
            return NULL; /* "5." is not a number we accept */
        digits += fd;
        p = f;
    }
    if (digits == 0)
        return NULL;
    if (!wide)
        v = u;
    for (; kept < keep; kept++)
        v *= 10;
    if (round_up)
        v++;
    if (v >= NUM_LIMIT)
        return NULL;
    *out = v;
    return p;
}

/* Currency signs of SPEC §1.1; longer spellings first so that "руб."
 * wins over "р." and "р". The undotted Russian forms are common too. */
static const char *const currency_signs[] = {
    "руб.", "руб", "р.", "р", "zł", "Rp", "$", "€", "£", "¥", "₽", "₹",
};

static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_alpha(char c) { return is_upper(c) || (c >= 'a' && c <= 'z'); }

/* Length of a currency sign or 3-letter code at p (0 if none); a code is
 * copied to code[] (else code is untouched). */
static size_t currency_len(const char *p, const char *end, char code[4])
{
    if (end - p >= 3 && is_upper(p[0]) && is_upper(p[1]) && is_upper(p[2]) &&
        (end - p == 3 || !is_alpha(p[3]))) {
        if (code) {
            memcpy(code, p, 3);
            code[3] = '\0';
        }
        return 3;
    }
    unsigned char c0 = p < end ? (unsigned char)*p : 0;
    if (c0 < 0x80 && c0 != '$' && c0 != 'z' && c0 != 'R')
        return 0; /* the common case: a digit, a sign or the end */
    for (size_t i = 0; i < SF_ARRAY_LEN(currency_signs); i++) {
        size_t n = strlen(currency_signs[i]);
        if ((size_t)(end - p) >= n && memcmp(p, currency_signs[i], n) == 0)
            return n;
    }
    return 0;
}

/*
 * The whole money grammar: [-] [sign|code [blanks]] [-] core [[blanks]
 * sign|code], the currency on one side only, the minus before the number
 * (before or after a leading currency). Value scaled by 10^keep. A code
 * found is stored in code[] ("" when none). False when malformed.
 */
static bool parse_money_scaled(const char *s, char decimal, sf_thousands th, int keep,
                               __int128 *out, char code[4], const char **core_b, const char **core_e,
                               bool *neg_out)
{
    char tmp[4] = "";
    const char *p, *end;
    trim_span(s, &p, &end);
    bool neg = false, has_cur = false, has_sign = false;
    if (p < end && (*p == '-' || *p == '+')) {
        neg = *p == '-';
        has_sign = true;
        p++;
    }
    size_t c = currency_len(p, end, tmp);
    if (c) {
        has_cur = true;
        p = skip_blanks(p + c, end);
        if (p < end && (*p == '-' || *p == '+')) {
            if (has_sign)
                return false; /* "-$-5": one sign only */
            neg = *p == '-';
            p++;
        }
    }
    __int128 v;
    const char *q = parse_core(p, end, decimal, th, keep, &v);
    if (!q)
        return false;
    if (q < end) {
        const char *r = skip_blanks(q, end);
        if (has_cur)
            return false;
        c = currency_len(r, end, tmp);
        if (!c || r + c != end)
            return false;
    }
    if (code)
        memcpy(code, tmp, 4);
    *out = neg ? -v : v;
    if (core_b) {
        *core_b = p;
        *core_e = q;
        *neg_out = neg;
    }
    return true;
}

bool sf_parse_money(const char *s, char decimal, sf_thousands th, int64_t *cents, char code[4])
{
    __int128 v;
    if (!s || !parse_money_scaled(s, decimal, th, 2, &v, code, NULL, NULL, NULL))
        return false;
    if (v > INT64_MAX || v < -INT64_MAX) /* INT64_MIN is SF_NONE */
        return false;
    *cents = (int64_t)v;
    return true;
}

/* Parse an unsigned-or-signed plain decimal scaled by 10^keep. */
static bool parse_plain(const char *s, char decimal, sf_thousands th, int keep, bool allow_neg,
                        __int128 *out)
{
    const char *p, *end;
    if (!s)
        return false;
    trim_span(s, &p, &end);
    bool neg = false;
    if (p < end && (*p == '-' || *p == '+')) {
        if (*p == '-' && !allow_neg)
            return false;
        neg = *p == '-';
        p++;
    }
    __int128 v;
    const char *q = parse_core(p, end, decimal, th, keep, &v);
    if (!q || q != end)
        return false;
    *out = neg ? -v : v;
    return true;
}

bool sf_parse_decimal_ppm(const char *s, char decimal, sf_thousands th, int64_t *ppm)
{
    __int128 v;
    if (!parse_plain(s, decimal, th, 6, true, &v) || v > INT64_MAX || v < -INT64_MAX)
        return false;
    *ppm = (int64_t)v;
    return true;
}

bool sf_parse_int(const char *s, char decimal, sf_thousands th, int64_t *out)
{
    __int128 v;
    /* parsed at 6 decimals so that "12.5" is refused rather than rounded */
    if (!parse_plain(s, decimal, th, 6, false, &v) || v % SF_PPM != 0 || v < 0)
        return false;
    v /= SF_PPM;
    if (v > INT64_MAX)
        return false;
    *out = (int64_t)v;
    return true;
}

/* ---- quantity x unit price, exactly -------------------------------------- */

bool sf_parse_decimal_exact(const char *s, char decimal, sf_thousands th, sf_decimal *out, char code[4])
{
    __int128 v;
    const char *b, *e;
    /* the grammar, the currency and the sign as for money; then every
     * digit of the number, not rounded */
    bool neg;
    if (!s || !parse_money_scaled(s, decimal, th, 0, &v, code, &b, &e, &neg))
        return false;
    memset(out, 0, sizeof *out);
    out->neg = neg;
    /* trailing zeros of the fraction change nothing: stop before them */
    bool frac = false;
    const char *stop = b;
    for (const char *p = b; p < e; p++) {
        if (*p == decimal)
            frac = true;
        else if (is_digit(*p) && (!frac || *p != '0'))
            stop = p + 1;
    }
    frac = false;
    for (const char *p = b; p < stop; p++) {
        if (*p == decimal) {
            frac = true;
            continue;
        }
        if (!is_digit(*p))
            continue; /* a thousands separator */
        if (frac)
            out->scale++;
        if (out->n == 0 && *p == '0')
            continue; /* leading zeros */
        if (out->n == SF_DECIMAL_DIGITS)
            return false;
        out->d[out->n++] = (unsigned char)(*p - '0');
    }
    if (out->n == 0)
        out->neg = false;
    return true;
}

bool sf_decimal_mul_cents(const sf_decimal *a, const sf_decimal *b, int64_t *cents)
{
    /* the exact product, digit by digit (most significant first) */
    unsigned r[2 * SF_DECIMAL_DIGITS + 1] = {0};
    size_t n = a->n + b->n;
    if (a->n == 0 || b->n == 0) {
        *cents = 0;
        return true;
    }
    for (size_t i = a->n; i-- > 0;)
        for (size_t j = b->n; j-- > 0;)
            r[i + j + 1] += (unsigned)a->d[i] * b->d[j];
    for (size_t k = n; k-- > 1;) {
        r[k - 1] += r[k] / 10;
        r[k] %= 10;
    }
    /* r[0..n) is the product, scaled by 10^scale; keep scale - 2 digits
     * fewer, rounding half away from zero on the first one dropped */
    int scale = a->scale + b->scale;
    __int128 v = 0;
    size_t keep = scale <= 2 ? n : (size_t)scale - 2 >= n ? 0 : n - ((size_t)scale - 2);
    for (size_t k = 0; k < keep; k++) {
        v = v * 10 + r[k];
        if (v > INT64_MAX)
            return false;
    }
    for (int k = scale; k < 2; k++) {
        v *= 10;
        if (v > INT64_MAX)
            return false;
    }
    /* the first digit dropped: r[keep] when every dropped digit is one of
     * the product's, else a zero before them (no rounding) */
    if (scale > 2 && (size_t)scale - 2 <= n && r[keep] >= 5) {
        v++;
        if (v > INT64_MAX)
            return false;
    }
    *cents = (int64_t)((a->neg != b->neg) ? -v : v);
    return true;
}

/* ---- dates ------------------------------------------------------------ */

/* Read between min and max digits at *pp into *v; false if fewer than min. */
static bool read_digits(const char **pp, int min, int max, int *v)
{
    const char *p = *pp;
    int n = 0, x = 0;
    while (n < max && is_digit(*p)) {
        x = x * 10 + (*p - '0');
        p++;
        n++;
    }
    if (n < min)
        return false;
    *pp = p;
    *v = x;
    return true;
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

bool sf_parse_date(const char *s, const char *fmt, sf_date *out)
{
    if (!s || !fmt)
        return false;
    while (*s == ' ' || *s == '\t')
        s++;
    int y = -1, m = -1, d = -1;
    const char *p = s;
    for (const char *f = fmt; *f; f++) {
        if (*f == '%') {
            f++;
            switch (*f) {
            case 'Y':
                if (!read_digits(&p, 4, 4, &y))
                    return false;
                break;
            case 'y':
                if (!read_digits(&p, 2, 2, &y))
                    return false;
                y += y >= 69 ? 1900 : 2000;
                break;
            case 'm':
                if (!read_digits(&p, 1, 2, &m))
                    return false;
                break;
            case 'd':
                if (!read_digits(&p, 1, 2, &d))
                    return false;
                break;
            case '%':
                if (*p++ != '%')
                    return false;
                break;
            default:
                return false; /* unknown directive or a lone trailing '%' */
            }
        } else if (*p++ != *f) {
            return false;
        }
    }
    /* a time of day may follow; anything else is not a date */
    if (*p && *p != ' ' && *p != 'T' && *p != '\t')
        return false;
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return false;
    *out = sf_date_from_ymd(y, m, d);
    return true;
}

/* ---- conversion ----------------------------------------------------------- */

bool sf_convert_cents(int64_t cents, int64_t rate_ppm, int64_t *out)
{
    /* the common product fits 64 bits: the same rounding without the
     * 128-bit division (two library calls per amount) */
    int64_t n64;
    if (!__builtin_mul_overflow(cents, rate_ppm, &n64)) {
        int64_t q64 = n64 / SF_PPM, r64 = n64 % SF_PPM;
        if (r64 < 0)
            r64 = -r64;
        if (2 * r64 >= SF_PPM)
            q64 += n64 < 0 ? -1 : 1;
        *out = q64;
        return true;
    }
    __int128 num = (__int128)cents * rate_ppm;
    __int128 q = num / SF_PPM, r = num % SF_PPM;
    if (r < 0)
        r = -r;
    if (2 * r >= SF_PPM)
        q += num < 0 ? -1 : 1;
    if (q > INT64_MAX || q < -INT64_MAX)
        return false;
    *out = (int64_t)q;
    return true;
}
