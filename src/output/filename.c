/*
 * filename.c - sf_safe_filename (sf_filename.h): an owner name as a part of
 * a file name, the same for the mail and the review pack.
 */
#include "output/sf_filename.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SAFE_MAX 80 /* bytes of the owner part of a file name */

/* Characters that must not reach a file name although they are valid
 * UTF-8: they hide or reorder what a person sees (bidi controls turn
 * "review-x\u202Efdp.exe" into "…exe.pdf"), show nothing, or look like a
 * separator ('/' or '.' look-alikes), so a name would read as something
 * it is not. Each becomes '_' like any other separator. */
static bool misleading(uint32_t cp)
{
    static const uint32_t ranges[][2] = {
        {0x00A0, 0x00A0}, {0x00AD, 0x00AD},   /* no-break space, soft hyphen */
        {0x034F, 0x034F},                     /* combining grapheme joiner */
        {0x061C, 0x061C},                     /* Arabic letter mark */
        {0x115F, 0x1160}, {0x17B4, 0x17B5},   /* Hangul / Khmer fillers */
        {0x1680, 0x1680}, {0x1735, 0x1735},   /* Ogham space, Philippine single punctuation */
        {0x180E, 0x180E},                     /* Mongolian vowel separator */
        {0x2000, 0x200F},                     /* spaces, ZWSP, ZWNJ, ZWJ, LRM, RLM */
        {0x2024, 0x2024},                     /* one dot leader */
        {0x2028, 0x202F},                     /* line/para separators, LRE..RLO, narrow nbsp */
        {0x2044, 0x2044},                     /* fraction slash */
        {0x205F, 0x206F},                     /* math space, word joiner, invisible ops, LRI..PDI */
        {0x2215, 0x2216},                     /* division slash, set minus */
        {0x2571, 0x2572},                     /* box drawing diagonals */
        {0x27CB, 0x27CB}, {0x27CD, 0x27CD},   /* mathematical rising / falling diagonal */
        {0x2800, 0x2800},                     /* braille blank */
        {0x29F5, 0x29F5}, {0x29F8, 0x29F9},   /* reverse solidus operator, big solidus */
        {0x3000, 0x3000}, {0x3033, 0x3035},   /* ideographic space, vertical kana repeat marks */
        {0x3164, 0x3164},                     /* Hangul filler */
        {0xFE00, 0xFE0F},                     /* variation selectors */
        {0xFE52, 0xFE52}, {0xFE68, 0xFE68},   /* small full stop, small reverse solidus */
        {0xFEFF, 0xFEFF},                     /* zero width no-break space */
        {0xFF0E, 0xFF0F}, {0xFF3C, 0xFF3C},   /* fullwidth . / \ */
        {0xFFA0, 0xFFA0},                     /* halfwidth Hangul filler */
        {0xFFF9, 0xFFFB},                     /* interlinear annotation */
        {0x1D173, 0x1D17A},                   /* musical formatting */
        {0xE0000, 0xE007F},                   /* tags */
        {0xE0100, 0xE01EF},                   /* variation selectors supplement */
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (cp >= ranges[i][0] && cp <= ranges[i][1])
            return true;
    return false;
}

/* Length of the valid UTF-8 sequence at s (2-4 bytes, no overlong forms,
 * no surrogates, no C1 controls), or 0; its code point in *cp. */
static size_t utf8_seq(const unsigned char *s, uint32_t *out)
{
    unsigned c = s[0];
    size_t n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp <= 0x9F))
        return 0;
    *out = cp;
    return n;
}

/* Letters and digits (any script, as valid UTF-8), '-', '_' and single
 * dots are kept; everything else (separators, spaces, control characters,
 * shell and Windows specials, invalid bytes, and the misleading characters
 * above: bidi controls, invisible ones, slash and dot look-alikes)
 * becomes '_', runs of '_'
 * collapse, ".." cannot occur, no leading or trailing '.'/'_', at most
 * SAFE_MAX bytes; "owner" when nothing is left. Deterministic: the same
 * name always gives the same result. Returns malloc'd text or NULL. */
char *sf_safe_filename(const char *name)
{
    char *out = malloc(SAFE_MAX + 8);
    if (!out)
        return NULL;
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)(name ? name : "");
    while (*p && w < SAFE_MAX) {
        unsigned c = *p;
        if (c < 0x80) {
            char ch = (char)c;
            bool keep = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        c == '-' || c == '.';
            if (!keep)
                ch = '_';
            if (ch == '.' && w > 0 && out[w - 1] == '.')
                out[w - 1] = '_'; /* ".." -> "_" */
            else if (ch == '_' && w > 0 && out[w - 1] == '_')
                ; /* collapse */
            else
                out[w++] = ch;
            p++;
            continue;
        }
        uint32_t cp = 0;
        size_t n = utf8_seq(p, &cp);
        if (n == 0 || misleading(cp)) {
            if (!(w > 0 && out[w - 1] == '_'))
                out[w++] = '_';
            p += n ? n : 1;
            continue;
        }
        if (w + n > SAFE_MAX)
            break;
        memcpy(out + w, p, n);
        w += n;
        p += n;
    }
    /* collapse a "_" left before a collapsed "..", then trim the ends */
    size_t r = 0;
    for (size_t i = 0; i < w; i++) {
        if (out[i] == '_' && r > 0 && out[r - 1] == '_')
            continue;
        out[r++] = out[i];
    }
    w = r;
    size_t start = 0;
    while (start < w && (out[start] == '.' || out[start] == '_'))
        start++;
    while (w > start && (out[w - 1] == '.' || out[w - 1] == '_'))
        w--;
    memmove(out, out + start, w - start);
    w -= start;
    if (w == 0) {
        memcpy(out, "owner", 6);
        return out;
    }
    out[w] = 0;
    return out;
}
