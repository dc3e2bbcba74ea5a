/*
 * sniff.c - how an export is written (include/input/sf_sniff.h): the
 * encoding, the delimiter, the date format and the number format. Header
 * synonyms and value classes are in synonyms.c.
 *
 * The encoding guess decodes a sample with each candidate code page
 * (iconv) and scores what comes out as text would read: a Russian export
 * decoded as CP1251 is words of Cyrillic letters, decoded as ISO-8859-1 it
 * is words made only of accented letters, decoded as KOI8-R its
 * capitalised words come out with the case inverted; a Polish export
 * decoded as ISO-8859-1 shows superscripts and C1 controls where CP1250
 * shows ą, ł, ś. The sample is the lines that are not valid UTF-8, from
 * anywhere in the first 64 MiB: a Latin-1 name deep in a file counts.
 */
#include "input/sf_sniff.h"
#include "input/sf_ingest.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- encoding ------------------------------------------------------------------ */

#define SAMPLE_CAP ((size_t)256 << 10)
#define SCAN_LIMIT ((int64_t)64 << 20)

/* Length of the valid UTF-8 sequence at s (NUL allowed), 0 if invalid,
 * -1 if cut off by the end. */
static int seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    int len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    for (int i = 1; i < len; i++) {
        if ((size_t)i >= n)
            return -1;
        if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xBF))
            return 0;
    }
    return len;
}

/* The next code point of UTF-8 text at *p (valid: iconv wrote it). */
static uint32_t next_cp(const unsigned char **p, const unsigned char *end)
{
    const unsigned char *s = *p;
    int k = seq_len(s, (size_t)(end - s));
    if (k <= 0) {
        (*p)++;
        return 0xFFFD;
    }
    uint32_t cp = k == 1 ? s[0] : k == 2 ? s[0] & 0x1Fu : k == 3 ? s[0] & 0x0Fu : s[0] & 0x07u;
    for (int i = 1; i < k; i++)
        cp = (cp << 6) | (s[i] & 0x3Fu);
    *p += k;
    return cp;
}

typedef enum { CP_CYRILLIC, CP_WESTERN, CP_CENTRAL } cp_group;

typedef struct {
    const char *name;
    cp_group group;
} candidate;

/* Order breaks ties: a text that reads the same in two (ISO-8859-1 and
 * CP1252 without bytes 0x80-0x9F) is named by the first. */
static const candidate candidates[] = {
    {"CP1251", CP_CYRILLIC}, {"KOI8-R", CP_CYRILLIC}, {"ISO-8859-1", CP_WESTERN},
    {"CP1252", CP_WESTERN},  {"CP1250", CP_CENTRAL},  {"ISO-8859-2", CP_CENTRAL},
};

static bool is_cyr(uint32_t c) { return c >= 0x400 && c <= 0x45F; }
static bool is_cyr_upper(uint32_t c) { return (c >= 0x400 && c <= 0x42F); }
static bool is_latin_ext(uint32_t c)
{
    return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}
static bool is_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_latin_ext(c) || is_cyr(c);
}

/* How each letter of U+00C0..U+017F reads in each group: 2 common in its
 * languages, 1 possible, 0 foreign (built once per guess). */
#define LW_FIRST 0xC0u
#define LW_LAST 0x17Fu
typedef struct {
    int8_t w[3][LW_LAST - LW_FIRST + 1];
} letter_weights;

static void weights_init(letter_weights *lw)
{
    static const char *const common[3] = {
        "", "áéíóúñüçàèìòùâêîôûäöëïãõåøæßÿÁÉÍÓÚÑÜÇÀÈÌÒÙÂÊÎÔÛÄÖËÏÃÕÅØÆ", "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"};
    for (int g = 0; g < 3; g++) {
        memset(lw->w[g], g == CP_CYRILLIC ? 0 : 1, sizeof lw->w[g]);
        const unsigned char *p = (const unsigned char *)common[g], *end = p + strlen(common[g]);
        while (p < end) {
            uint32_t c = next_cp(&p, end);
            if (c >= LW_FIRST && c <= LW_LAST)
                lw->w[g][c - LW_FIRST] = 2;
        }
    }
}

static int latin_weight(const letter_weights *lw, uint32_t c, cp_group g)
{
    if (c >= LW_FIRST && c <= LW_LAST)
        return lw->w[g][c - LW_FIRST];
    return g == CP_CYRILLIC ? 0 : 1;
}

/* Symbols text is made of (typographic quotes, dashes, currency, NBSP). */
static bool plausible_symbol(uint32_t c)
{
    static const uint32_t ok[] = {0xA0, 0xA7, 0xA9, 0xAB, 0xAE, 0xB0, 0xB1, 0xB7, 0xBB, 0xBF, 0xA1,
                                  0x2013, 0x2014, 0x2018, 0x2019, 0x201A, 0x201C, 0x201D, 0x201E,
                                  0x2022, 0x2026, 0x20AC, 0x2116, 0x2122, 0xA3, 0xA5};
    for (size_t i = 0; i < SF_ARRAY_LEN(ok); i++)
        if (ok[i] == c)
            return true;
    return false;
}

/* Score of one word of letters w[0..n) decoded in group g. */
static long word_score(const letter_weights *lw, const uint32_t *w, size_t n, cp_group g)
{
    size_t ascii = 0, cyr = 0, latin = 0, upper_after = 0, lower = 0;
    long s = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = w[i];
        if (c < 0x80) {
            ascii++;
        } else if (is_cyr(c)) {
            cyr++;
            if (is_cyr_upper(c)) {
                if (i > 0 && lower)
                    upper_after++; /* "пРИВЕТ", "хБЮМНБ": case turned over */
            } else {
                lower++;
            }
            s += g == CP_CYRILLIC ? (c >= 0x410 && c <= 0x451 ? 2 : 1) : -2;
        } else {
            latin++;
            s += latin_weight(lw, c, g);
        }
    }
    size_t high = cyr + latin;
    if (!high)
        return 0;
    if (cyr && (ascii || latin))
        return -3 * (long)high; /* scripts mixed in one word */
    if (latin && n >= 2 && 2 * latin > n)
        return -3 * (long)latin; /* a Latin word of mostly accented letters */
    if (cyr && upper_after)
        return s - 2 * (long)n;
    return s;
}

/* Score of UTF-8 text t[0..n) as decoded from group g; bad: bytes that
 * did not decode at all. */
static long text_score(const letter_weights *lw, const char *t, size_t n, cp_group g, size_t bad)
{
    const unsigned char *p = (const unsigned char *)t, *end = p + n;
    long s = -10 * (long)bad;
    uint32_t word[64];
    size_t wn = 0;
    for (;;) {
        uint32_t c = p < end ? next_cp(&p, end) : 0;
        if (c && is_letter(c)) {
            if (wn < SF_ARRAY_LEN(word))
                word[wn++] = c;
            continue;
        }
        if (wn) {
            s += word_score(lw, word, wn, g);
            wn = 0;
        }
        if (!c)
            break;
        if (c >= 0x80 && c <= 0x9F)
            s -= 10; /* a C1 control */
        else if (c == 0xFFFD)
            s -= 10;
        else if (c >= 0x80)
            s += plausible_symbol(c) ? 1 : -2;
    }
    return s;
}

/* Decode with one candidate into *out (grown); bytes it cannot decode are
 * skipped and counted. False when iconv does not know it. */
static bool decode_as(const char *name, const char *p, size_t n, char **out, size_t *out_n, size_t *bad)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return false;
    size_t cap = 4 * n + 16;
    char *o = realloc(*out, cap);
    if (!o) {
        iconv_close(cd);
        return false;
    }
    *out = o;
    char *in = (char *)p, *dst = o;
    size_t in_left = n, out_left = cap;
    *bad = 0;
    while (in_left) {
        if (iconv(cd, &in, &in_left, &dst, &out_left) != (size_t)-1)
            break;
        if (errno == E2BIG)
            break; /* cannot happen: 4 bytes per byte */
        in++;
        in_left--;
        (*bad)++;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    *out_n = (size_t)(dst - o);
    iconv_close(cd);
    return true;
}

static bool valid_utf8(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    for (size_t i = 0; i < n;) {
        int k = seq_len(s + i, n - i);
        if (k < 0)
            return true; /* cut off by the end of the sample */
        if (k == 0)
            return false;
        i += (size_t)k;
    }
    return true;
}

const char *sf_sniff_encoding(const char *p, size_t n)
{
    if (valid_utf8(p, n))
        return "UTF-8";
    const char *best = NULL;
    long best_score = 0;
    char *buf = NULL;
    letter_weights lw;
    weights_init(&lw);
    for (size_t i = 0; i < SF_ARRAY_LEN(candidates); i++) {
        size_t on, bad;
        if (!decode_as(candidates[i].name, p, n, &buf, &on, &bad))
            continue;
        long s = text_score(&lw, buf, on, candidates[i].group, bad);
        if (!best || s > best_score) {
            best = candidates[i].name;
            best_score = s;
        }
    }
    free(buf);
    return best ? best : "ISO-8859-1";
}

/* Append the line around offset i of b[0..n) to the sample. */
static size_t sample_line(const char *b, size_t n, size_t i, char *sample, size_t *sn)
{
    size_t a = i, z = i;
    while (a > 0 && b[a - 1] != '\n')
        a--;
    while (z < n && b[z] != '\n')
        z++;
    size_t len = z - a;
    if (*sn + len + 1 > SAMPLE_CAP)
        len = SAMPLE_CAP - *sn - 1;
    memcpy(sample + *sn, b + a, len);
    *sn += len;
    sample[(*sn)++] = '\n';
    return z;
}

const char *sf_sniff_file_encoding(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    enum { BLOCK = 1 << 20 };
    char *b = malloc(BLOCK + 4), *sample = malloc(SAMPLE_CAP);
    const char *res = NULL;
    if (!b || !sample)
        goto done;
    size_t carry = 0, sn = 0;
    int64_t total = 0;
    bool first = true, eof = false;
    while (!eof && total < SCAN_LIMIT && sn + 1024 < SAMPLE_CAP) {
        ssize_t k;
        do
            k = read(fd, b + carry, BLOCK);
        while (k < 0 && errno == EINTR);
        if (k < 0)
            goto done;
        eof = k == 0;
        size_t n = carry + (size_t)k, i = 0;
        total += k;
        if (first && n >= 2 && memcmp(b, "PK", 2) == 0) {
            res = "UTF-8";
            goto done;
        }
        if (first && n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0)
            i = 3;
        first = false;
        while (i < n) {
            int q = seq_len((const unsigned char *)b + i, n - i);
            if (q < 0 && !eof)
                break; /* completed by the next block */
            if (q > 0) {
                i += (size_t)q;
                continue;
            }
            i = sample_line(b, n, i, sample, &sn) + 1;
            if (sn + 1024 >= SAMPLE_CAP)
                break;
        }
        carry = i < n ? n - i : 0; /* a sequence the next block completes */
        memmove(b, b + n - carry, carry);
    }
    res = sn ? sf_sniff_encoding(sample, sn) : "UTF-8";
done:
    close(fd);
    free(b);
    free(sample);
    return res;
}

/* ---- delimiter ------------------------------------------------------------------ */

void sf_sniff_delimiter_counts(const char *line, size_t len, size_t counts[3])
{
    counts[0] = counts[1] = counts[2] = 0;
    bool quoted = false;
    for (size_t i = 0; i < len; i++) {
        char c = line[i];
        if (c == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == ',')
            counts[0]++;
        else if (c == ';')
            counts[1]++;
        else if (c == '\t')
            counts[2]++;
        else if (c == '\n' || c == '\r')
            break;
    }
}

bool sf_sniff_first_line(const char *path, char *out, size_t cap, size_t *len)
{
    if (cap < 2)
        return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t k;
    do
        k = read(fd, out, cap - 1);
    while (k < 0 && errno == EINTR);
    close(fd);
    if (k < 0)
        return false;
    size_t n = (size_t)k, a = 0;
    if (n >= 3 && memcmp(out, "\xEF\xBB\xBF", 3) == 0)
        a = 3;
    while (a < n && (out[a] == '\r' || out[a] == '\n'))
        a++; /* blank lines before the header */
    bool q = false;
    size_t z = a;
    for (; z < n; z++) {
        if (out[z] == '"')
            q = !q;
        else if (!q && (out[z] == '\n' || out[z] == '\r'))
            break;
    }
    memmove(out, out + a, z - a);
    *len = z - a;
    out[*len] = '\0';
    return true;
}

const char *sf_delimiter_word(char d)
{
    return d == ';' ? "semicolon" : d == '\t' ? "tab" : "comma";
}

/* ---- dates ------------------------------------------------------------------------ */

static const char *const date_formats[] = {
    "%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%m/%d/%Y", "%Y/%m/%d", "%d-%m-%Y", "%m-%d-%Y", "%Y.%m.%d",
    "%d.%m.%y", "%d/%m/%y", "%m/%d/%y", "%y-%m-%d",
};

/* The same format with day and month swapped, or NULL. */
static int swapped(size_t i)
{
    const char *f = date_formats[i];
    for (size_t j = 0; j < SF_ARRAY_LEN(date_formats); j++) {
        const char *g = date_formats[j];
        if (j == i || strlen(f) != strlen(g))
            continue;
        bool same = true;
        for (size_t k = 0; f[k] && same; k++)
            same = f[k] == g[k] || (f[k] == 'd' && g[k] == 'm') || (f[k] == 'm' && g[k] == 'd');
        if (same)
            return (int)j;
    }
    return -1;
}

const char *sf_sniff_date_format(const char *const *values, size_t n, const char *preferred, size_t *parsed,
                                 bool *ambiguous)
{
    size_t counts[SF_ARRAY_LEN(date_formats)] = {0};
    for (size_t i = 0; i < n; i++) {
        if (!values[i] || !*values[i])
            continue;
        for (size_t f = 0; f < SF_ARRAY_LEN(date_formats); f++) {
            sf_date d;
            counts[f] += sf_parse_date(values[i], date_formats[f], &d);
        }
    }
    int best = -1;
    for (size_t f = 0; f < SF_ARRAY_LEN(date_formats); f++) {
        bool pref = preferred && strcmp(preferred, date_formats[f]) == 0;
        if (counts[f] && (best < 0 || counts[f] > counts[best] || (counts[f] == counts[best] && pref)))
            best = (int)f;
    }
    if (ambiguous) {
        int s = best >= 0 ? swapped((size_t)best) : -1;
        *ambiguous = s >= 0 && counts[s] == counts[best];
    }
    *parsed = best >= 0 ? counts[best] : 0;
    return best >= 0 ? date_formats[best] : NULL;
}

/* ---- numbers ---------------------------------------------------------------------- */

static const sf_numfmt num_formats[] = {
    {'.', SF_THOUSANDS_NONE},  {',', SF_THOUSANDS_SPACE}, {'.', SF_THOUSANDS_COMMA}, {',', SF_THOUSANDS_DOT},
    {',', SF_THOUSANDS_NONE},  {'.', SF_THOUSANDS_SPACE}, {'.', SF_THOUSANDS_APOS},
};

/* Decimals written in s with decimal mark d (digits after the last d that
 * is followed by a digit), 0 when none. */
static int decimals_of(const char *s, char d)
{
    const char *p = strrchr(s, d);
    if (!p || p[1] < '0' || p[1] > '9')
        return 0;
    int k = 0;
    for (p++; *p >= '0' && *p <= '9'; p++)
        k++;
    return k;
}

bool sf_sniff_number_format(const char *const *values, size_t n, const sf_numfmt *preferred, sf_numfmt *out,
                            size_t *parsed)
{
    int best = -1;
    size_t best_p = 0, best_q = 0;
    for (size_t f = 0; f < SF_ARRAY_LEN(num_formats); f++) {
        size_t p = 0, q = 0;
        for (size_t i = 0; i < n; i++) {
            int64_t cents;
            if (!values[i] || !*values[i] ||
                !sf_parse_money(values[i], num_formats[f].decimal, num_formats[f].thousands, &cents, NULL))
                continue;
            p++;
            q += decimals_of(values[i], num_formats[f].decimal) <= 2;
        }
        bool pref = preferred && preferred->decimal == num_formats[f].decimal &&
                    preferred->thousands == num_formats[f].thousands;
        bool better = best < 0 || p > best_p || (p == best_p && q > best_q) || (p == best_p && q == best_q && pref);
        if (p && better) {
            best = (int)f;
            best_p = p;
            best_q = q;
        }
    }
    *parsed = best_p;
    if (best < 0)
        return false;
    *out = num_formats[best];
    return true;
}
