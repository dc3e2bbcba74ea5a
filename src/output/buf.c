/*
 * buf.c - the growable byte buffer of the output wing (sf_buf.h).
 */
#include "output/sf_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What b holds to its spill file, then empty. */
static void spill_out(sf_buf *b)
{
    if (b->n && fwrite(b->p, 1, b->n, b->spill) != b->n)
        b->spill_err = true;
    b->n = 0;
    b->p[0] = '\0';
}

void sf_buf_spill_to(sf_buf *b, FILE *fp)
{
    b->spill = fp;
    b->spill_err = false;
}

bool sf_buf_spill_end(sf_buf *b)
{
    if (b->spill && b->p && !b->oom)
        spill_out(b);
    b->spill = NULL;
    return !b->spill_err && !b->oom;
}

void sf_buf_add(sf_buf *b, const void *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    if (b->spill && b->n >= SF_BUF_SPILL)
        spill_out(b);
}

void sf_buf_puts(sf_buf *b, const char *s)
{
    sf_buf_add(b, s, strlen(s));
}

void sf_buf_putc(sf_buf *b, char c)
{
    sf_buf_add(b, &c, 1);
}

void sf_buf_printf(sf_buf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if ((size_t)n < sizeof tmp) {
        sf_buf_add(b, tmp, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->oom = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sf_buf_add(b, big, (size_t)n);
    free(big);
}

const char *sf_buf_str(const sf_buf *b)
{
    return b->p ? b->p : "";
}

char *sf_buf_take(sf_buf *b)
{
    if (!b->oom && !b->p)
        sf_buf_add(b, "", 0);
    char *p = b->oom ? NULL : b->p;
    if (!p)
        free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
    b->oom = false;
    return p;
}

void sf_buf_free(sf_buf *b)
{
    if (!b)
        return;
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
    b->oom = false;
    b->spill = NULL;
    b->spill_err = false;
}
