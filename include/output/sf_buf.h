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
#include <stdio.h>

typedef struct {
    char *p;       /* owned; NUL-terminated once anything was added */
    size_t n, cap; /* bytes held (without the NUL), bytes allocated */
    bool oom;
    FILE *spill;   /* sf_buf_spill_to: where the text goes past SF_BUF_SPILL bytes */
    bool spill_err;
} sf_buf;

/* Past this many bytes held, a spilling buffer writes them out. */
#define SF_BUF_SPILL ((size_t)1 << 20)

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
/* From now on, whenever b holds SF_BUF_SPILL bytes or more, write them to
 * fp (borrowed) and keep appending from empty: a text larger than memory
 * should hold (a mail with a workbook attached) goes to its file as it is
 * made. sf_buf_str then gives only what was not written yet. */
void sf_buf_spill_to(sf_buf *b, FILE *fp);
/* Write what b still holds to its spill file and stop spilling; false if
 * any write failed or memory ran out (errno: the write's). */
bool sf_buf_spill_end(sf_buf *b);

#endif
