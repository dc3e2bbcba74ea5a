/*
 * sf_buf.h - a growable byte buffer, the output wing's way to assemble
 * text (mail messages, rendered templates) before it is written.
 *
 * An allocation failure sets oom and turns later appends into no-ops, so a
 * caller appends freely and checks once at the end.
 */
#ifndef SF_BUF_H
#define SF_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *p;       /* owned; NUL-terminated once anything was added */
    size_t n, cap; /* bytes held (without the NUL), bytes allocated */
    bool oom;
} sf_buf;

void sf_buf_add(sf_buf *b, const void *s, size_t n);
void sf_buf_puts(sf_buf *b, const char *s);
void sf_buf_putc(sf_buf *b, char c);
void sf_buf_printf(sf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text so far ("" when empty); borrowed, valid until the next append. */
const char *sf_buf_str(const sf_buf *b);
/* Hand the text to the caller (malloc'd, "" when empty; NULL on out of
 * memory or after an earlier oom) and leave b empty. */
char *sf_buf_take(sf_buf *b);
/* Free the text and reset b to empty. NULL-safe. */
void sf_buf_free(sf_buf *b);

#endif
