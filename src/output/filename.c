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

/* Length of the valid UTF-8 sequence at s (2-4 bytes, no overlong forms,
 * no surrogates, no C1 controls), or 0. */
static size_t utf8_seq(const unsigned char *s)
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
        (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 ||
        cp == 0x2029 || cp == 0xFEFF)
        return 0;
    return n;
}

/* Letters and digits (any script, as valid UTF-8), '-', '_' and single
 * dots are kept; everything else (separators, spaces, control characters,
 * shell and Windows specials, invalid bytes) becomes '_', runs of '_'
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
        size_t n = utf8_seq(p);
        if (n == 0) {
            if (!(w > 0 && out[w - 1] == '_'))
                out[w++] = '_';
            p++;
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
