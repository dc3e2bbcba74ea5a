/*
 * xlsxread_cells.c - what an XLSX cell shows (sf_xlsxread.h): which number
 * formats are dates, times or percentages, and the text of a number, a
 * date serial or an escaped string.
 *
 * Why text at all: the ingest's rules take text (the CSV reader's fields),
 * and one configuration reads the CSV and the XLSX export of the same CRM.
 * So a date cell is written in the configured date format (a serial is
 * only a number of days; the format the user configured for the CSV
 * export must not make it a bad date), and a number with the configured
 * decimal mark and no thousands separator (every thousands setting parses
 * it). Choices in docs/ingest.md, "XLSX".
 */
#include "input/sf_xlsxread.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- number formats ---------------------------------------------------------- */

static sf_xstyle builtin_style(int id)
{
    if (id == 9 || id == 10)
        return SF_XSTYLE_PERCENT;
    if ((id >= 14 && id <= 17) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58))
        return SF_XSTYLE_DATE;
    if (id == 22)
        return SF_XSTYLE_DATETIME;
    if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47))
        return SF_XSTYLE_TIME;
    return SF_XSTYLE_GENERAL;
}

/* Is s (case-insensitive) the word w? */
static bool word_at(const char *s, const char *w)
{
    for (; *w; s++, w++)
        if ((*s | 0x20) != *w)
            return false;
    return true;
}

sf_xstyle sf_xlsx_numfmt_style(int id, const char *code)
{
    if (!code)
        return builtin_style(id);
    bool date = false, time = false, month = false, pct = false;
    for (const char *p = code; *p && *p != ';'; p++) {
        char c = *p;
        if (c == '"') { /* quoted literal text */
            while (p[1] && p[1] != '"')
                p++;
            if (p[1])
                p++;
        } else if (c == '\\' || c == '_' || c == '*') { /* escaped, padding, fill: the next char */
            if (p[1])
                p++;
        } else if (c == '[') { /* colour, locale, condition, or elapsed [h] [mm] [ss] */
            const char *q = strchr(p, ']');
            if (!q)
                break;
            char b = (char)(p[1] | 0x20);
            if (b == 'h' || b == 'm' || b == 's') {
                bool elapsed = true;
                for (const char *r = p + 1; r < q; r++)
                    elapsed &= (*r | 0x20) == b;
                time |= elapsed;
            }
            p = q;
        } else if (word_at(p, "general")) {
            p += 6;
        } else if (word_at(p, "am/pm") || word_at(p, "a/p")) {
            time = true;
            p += (p[1] == '/' ? 2 : 4);
        } else {
            char l = (char)(c | 0x20);
            if (l == 'y' || l == 'd')
                date = true;
            else if (l == 'h' || l == 's')
                time = true;
            else if (l == 'm')
                month = true;
            else if (c == '%')
                pct = true;
        }
    }
    if (date || (month && !time))
        return time ? SF_XSTYLE_DATETIME : SF_XSTYLE_DATE;
    if (time)
        return SF_XSTYLE_TIME;
    return pct ? SF_XSTYLE_PERCENT : SF_XSTYLE_GENERAL;
}

/* ---- numbers ----------------------------------------------------------------- */

/* Append s to out[*o..cap-1) (truncating). */
static void put(char *out, size_t cap, size_t *o, const char *s, size_t n)
{
    if (*o + 1 >= cap)
        return;
    if (n > cap - 1 - *o)
        n = cap - 1 - *o;
    memcpy(out + *o, s, n);
    *o += n;
    out[*o] = '\0';
}

/* Significant digits of a plain decimal "-?D+(.D+)?", or -1 if not one. */
static int plain_digits(const char *v)
{
    const char *p = v;
    if (*p == '-')
        p++;
    int sig = 0, n = 0;
    bool lead = true, dot = false;
    for (; *p; p++) {
        if (*p == '.' && !dot && n) {
            dot = true;
            continue;
        }
        if (*p < '0' || *p > '9')
            return -1;
        n++;
        if (*p != '0')
            lead = false;
        if (!lead)
            sig++;
    }
    if (!n || p[-1] == '.')
        return -1;
    return sig;
}

/* "-1.2345e+20" (from %.15g) written out plainly: "-123450000000000000000". */
static void sci_to_plain(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    if (*s == '-')
        put(out, cap, &o, s++, 1);
    char digits[32];
    size_t nd = 0;
    int point = 0; /* digits before the point */
    bool seen_point = false;
    for (; *s && *s != 'e' && *s != 'E'; s++) {
        if (*s == '.') {
            seen_point = true;
            continue;
        }
        if (nd < sizeof digits)
            digits[nd++] = *s;
        if (!seen_point)
            point++;
    }
    int exp = (*s == 'e' || *s == 'E') ? atoi(s + 1) : 0;
    point += exp;
    while (nd > 1 && digits[nd - 1] == '0' && (int)nd > point)
        nd--;
    if (point <= 0) {
        put(out, cap, &o, "0.", 2);
        for (int i = 0; i < -point; i++)
            put(out, cap, &o, "0", 1);
        put(out, cap, &o, digits, nd);
        return;
    }
    for (int i = 0; i < point; i++)
        put(out, cap, &o, i < (int)nd ? &digits[i] : "0", 1);
    if ((int)nd > point) {
        put(out, cap, &o, ".", 1);
        put(out, cap, &o, digits + point, nd - (size_t)point);
    }
}

/* d as Excel shows a General number: 15 significant digits, no exponent,
 * no trailing zeros; text v is kept when it is already such a number. */
static void general_text(double d, const char *v, char *out, size_t cap)
{
    int sig = v ? plain_digits(v) : -1;
    if (sig >= 0 && sig <= 15) {
        size_t n = strlen(v);
        if (memchr(v, '.', n)) {
            while (v[n - 1] == '0')
                n--;
            if (v[n - 1] == '.')
                n--;
        }
        size_t o = 0;
        out[0] = '\0';
        put(out, cap, &o, v, n);
        if (strcmp(out, "-0") == 0)
            memmove(out, out + 1, 2);
        return;
    }
    char s[64];
    snprintf(s, sizeof s, "%.15g", d == 0 ? 0.0 : d);
    const char *e = strpbrk(s, "eE");
    if (e && abs(atoi(e + 1)) > 60) { /* no money or count: as Excel writes it, never cut short */
        snprintf(out, cap, "%s", s);
        return;
    }
    sci_to_plain(s, out, cap);
}

size_t sf_xlsx_date_text(sf_date d, int secs, const sf_xlsx_opts *o, char *out, size_t cap)
{
    int y, m, dd;
    sf_date_to_ymd(d, &y, &m, &dd);
    const char *f = (o && o->date_format && *o->date_format) ? o->date_format : "%Y-%m-%d";
    size_t n = 0;
    out[0] = '\0';
    /* digits by hand: a million date cells are worth no printf each */
    for (; *f; f++) {
        char b[4];
        size_t w = 2;
        int v = -1;
        if (*f == '%' && f[1]) {
            f++;
            v = *f == 'Y' ? y : *f == 'y' ? y % 100 : *f == 'm' ? m : *f == 'd' ? dd : -1;
        }
        if (v < 0) {
            put(out, cap, &n, f, 1);
            continue;
        }
        if (*f == 'Y') {
            b[0] = (char)('0' + v / 1000);
            b[1] = (char)('0' + v / 100 % 10);
            b[2] = (char)('0' + v / 10 % 10);
            b[3] = (char)('0' + v % 10);
            w = 4;
        } else {
            b[0] = (char)('0' + v / 10);
            b[1] = (char)('0' + v % 10);
        }
        put(out, cap, &n, b, w);
    }
    if (secs >= 0) {
        char t[9] = {' ', (char)('0' + secs / 36000), (char)('0' + secs / 3600 % 10), ':',
                     (char)('0' + secs / 600 % 6), (char)('0' + secs / 60 % 10), ':',
                     (char)('0' + secs % 60 / 10), (char)('0' + secs % 10)};
        put(out, cap, &n, t, sizeof t);
    }
    return n;
}

/* A duration or time of day as H:MM:SS (hours may pass 24). */
static size_t time_text(double d, char *out, size_t cap)
{
    long long s = llround(d * 86400.0);
    if (s < 0)
        s = -s;
    int w = snprintf(out, cap, "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    return w < 0 ? 0 : (size_t)w < cap ? (size_t)w : cap - 1;
}

/* A date serial as a date: false when out of the years 1..9999. */
static bool serial_date(double d, bool date1904, sf_date *day, int *secs)
{
    double whole = floor(d);
    if (d < 0 || whole > 3000000.0) /* Excel shows no negative dates */
        return false;
    long days = (long)whole;
    long s = lround((d - whole) * 86400.0);
    if (s >= 86400) {
        days++;
        s -= 86400;
    }
    long unix_day;
    if (date1904)
        unix_day = days + (long)sf_date_from_ymd(1904, 1, 1);
    else
        unix_day = days + (long)sf_date_from_ymd(1899, 12, days >= 61 ? 30 : 31);
    if (unix_day < (long)sf_date_from_ymd(1, 1, 1) || unix_day > (long)sf_date_from_ymd(9999, 12, 31))
        return false;
    *day = (sf_date)unix_day;
    *secs = (int)s;
    return true;
}

size_t sf_xlsx_number_text(const char *v, sf_xstyle st, bool date1904, const sf_xlsx_opts *o, char *out,
                           size_t cap, sf_xcell_kind *kind)
{
    *kind = SF_XCELL_NUMBER;
    out[0] = '\0';
    while (*v == ' ')
        v++;
    char *end;
    double d = strtod(v, &end);
    while (*end == ' ')
        end++;
    if (end == v || *end || !isfinite(d) || cap < 2)
        return 0;
    size_t n;
    /* a duration beyond ten million days is no time anyone exported: a number */
    if ((st == SF_XSTYLE_TIME && fabs(d) < 1e7) ||
        ((st == SF_XSTYLE_DATE || st == SF_XSTYLE_DATETIME) && d >= 0 && d < 1)) {
        *kind = SF_XCELL_DATE;
        return time_text(d, out, cap);
    }
    if (st == SF_XSTYLE_DATE || st == SF_XSTYLE_DATETIME) {
        sf_date day;
        int secs;
        if (serial_date(d, date1904, &day, &secs)) {
            *kind = SF_XCELL_DATE;
            return sf_xlsx_date_text(day, st == SF_XSTYLE_DATETIME ? secs : -1, o, out, cap);
        }
    }
    if (st == SF_XSTYLE_PERCENT) {
        general_text(d * 100.0, NULL, out, cap - 1);
        n = strlen(out);
        out[n++] = '%';
        out[n] = '\0';
    } else {
        general_text(d, v, out, cap);
        n = strlen(out);
    }
    char dec = o && o->decimal ? o->decimal : '.';
    if (dec != '.') {
        char *p = strchr(out, '.');
        if (p)
            *p = dec;
    }
    return n;
}

/* ---- strings ------------------------------------------------------------------ */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

size_t sf_xlsx_unescape(char *s, size_t n)
{
    if (!memchr(s, '_', n))
        return n;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp = 0;
        bool esc = i + 7 <= n && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_';
        for (int k = 2; esc && k < 6; k++) {
            int h = hexval(s[i + k]);
            esc = h >= 0;
            cp = cp * 16 + (unsigned)(h < 0 ? 0 : h);
        }
        if (!esc) {
            s[o++] = s[i++];
            continue;
        }
        i += 7;
        if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
            cp = 0xFFFD;
        if (cp < 0x80) {
            s[o++] = (char)cp;
        } else if (cp < 0x800) {
            s[o++] = (char)(0xC0 | (cp >> 6));
            s[o++] = (char)(0x80 | (cp & 0x3F));
        } else {
            s[o++] = (char)(0xE0 | (cp >> 12));
            s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            s[o++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    return o;
}
