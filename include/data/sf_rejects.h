/*
 * sf_rejects.h - the records an input could not use (SPEC §1, §1.1): each
 * with its file, the line on which it starts, a reason code, the field
 * (canonical name) and its raw text, and the counts per file and reason.
 *
 * Ingest fills it; a record's kept lines are dropped by ingest itself when
 * the record is rejected, and the lines come back in rejects.csv order.
 */
#ifndef SF_REJECTS_H
#define SF_REJECTS_H

#include "config/sf_config.h"

typedef enum {
    SF_REJ_FIELD_COUNT = 0,
    SF_REJ_BAD_QUOTE,
    SF_REJ_BAD_ENCODING,
    SF_REJ_MISSING_REQUIRED,
    SF_REJ_BAD_DATE,
    SF_REJ_BAD_NUMBER,
    SF_REJ_UNKNOWN_ACCOUNT,
    SF_REJ_UNKNOWN_CURRENCY,
    SF_REJ_DUPLICATE_ID,
    SF_REJ_BAD_VALUE,  /* a yes/no flag (is_won, is_closed) that is neither: kept */
    SF_REJ_TOO_LONG,   /* longer than [input] max_record_bytes: before any other */
    SF_REJ_N
} sf_reject_reason;
const char *sf_reject_reason_name(sf_reject_reason r); /* "field_count" ... */

typedef struct {
    sf_file_kind file;
    uint32_t line;             /* line on which the record starts (1-based) */
    sf_reject_reason reason;
    const char *field;         /* canonical field name, or NULL */
    bool kept;                 /* action kept (else rejected) */
    const char *raw;           /* UTF-8 (undecodable bytes as U+FFFD), borrowed */
    uint16_t part;             /* which of the kind's files (cfg->inputs[file]) */
} sf_reject;

/* One bad value of a reason, for `check` to show (the first few of each
 * file kind, reason and action). */
#define SF_REJ_EXAMPLES 3
#define SF_REJ_EXAMPLE_TEXT 80 /* bytes of a value kept, cut at a character */
typedef struct {
    uint16_t part;
    uint32_t line;
    const char *field;         /* canonical name (static) or NULL */
    char *value;               /* owned: the field's text, or a record's note */
} sf_reject_example;

/* One reader's lines in one file, spooled to an unlinked temporary file
 * (rejects.c). */
typedef struct sf_reject_seg sf_reject_seg;

/*
 * The rejects of a run. Only counts and a few examples are in memory:
 * each line is written, as the ingest finds it, to the spool of the reader
 * that found it (a segment: one file, read by one reader, in line order),
 * and read back by whoever walks the list, in rejects.csv order: by kind
 * (accounts, transactions, activities, opportunities, users), then the
 * kind's file, then line (the head of a split file before its tail, whose
 * lines are shifted when it is merged). A record's lines are written when
 * the record is done, a rejection without the kept lines it replaces (the
 * ingest's business).
 */
typedef struct {
    int64_t count[SF_FILE_N][SF_REJ_N]; /* rejected records by reason */
    int64_t kept_count[SF_FILE_N][SF_REJ_N];
    /* the first examples: [file][reason][kept] */
    sf_reject_example ex[SF_FILE_N][SF_REJ_N][2][SF_REJ_EXAMPLES];
    uint8_t n_ex[SF_FILE_N][SF_REJ_N][2];
    bool over_limit;           /* a file's rejected share exceeds max_reject_share */
    size_t n;                  /* lines, in every segment */
    char *dir;                 /* folder of the spool files; NULL: lines are only counted */
    sf_reject_seg **segs;
    size_t n_segs, cap_segs;
} sf_rejects;

/* Start empty. dir (copied): where the spool files go, unlinked at once
 * (the run's own folder); NULL to count lines without keeping them
 * (`check`). SF_OK or SF_ERR_NOMEM. */
sf_err sf_rejects_init(sf_rejects *r, const char *dir, sf_ctx *ctx);
/* A new segment for the lines of file f (the kind's file part) that one
 * reader finds (order: 0,
 * or 1 for the tail of a split file), owned by r. *seg is NULL when r
 * only counts. SF_ERR_OUTPUT when the spool cannot be made. */
sf_err sf_rejects_segment(sf_rejects *r, sf_file_kind f, uint16_t part, int order, sf_reject_seg **seg,
                          sf_ctx *ctx);
/* Append a line (raw[0..raw_n)) to seg of r and count it in count_file
 * (the file whose counters it adds to). SF_ERR_OUTPUT on a write error. */
sf_err sf_rejects_put(sf_rejects *r, sf_reject_seg *seg, const sf_reject *x, size_t raw_n, sf_file_kind count_file,
                      sf_ctx *ctx);
/* Move every segment and count of src into dst, src's lines shifted by
 * line_shift (the tail of a split file). src is left empty. */
sf_err sf_rejects_merge(sf_rejects *dst, sf_rejects *src, uint32_t line_shift, sf_ctx *ctx);
/* Flush the spool and put the segments in rejects.csv order: call once
 * every line is in, before reading. SF_ERR_OUTPUT on a write error. */
sf_err sf_rejects_finish(sf_rejects *r, sf_ctx *ctx);

/* Reading back, in order; one reader per walker (several may read at
 * once). */
typedef struct sf_rejects_reader sf_rejects_reader;
/* NULL on out of memory. */
sf_rejects_reader *sf_rejects_open(const sf_rejects *r);
/* Line i (0 <= i < r->n) into *out, its texts borrowed until the next
 * read; any order, fastest in order. False on a read error. */
bool sf_rejects_read(sf_rejects_reader *rd, size_t i, sf_reject *out);
void sf_rejects_close(sf_rejects_reader *rd); /* NULL-safe */

/* Close the spool and free everything; r is empty again. NULL-safe. */
void sf_rejects_release(sf_rejects *r);

/* Keep value (copied, cut to SF_REJ_EXAMPLE_TEXT bytes) as an example of
 * (file, reason, kept) when that slot has room. false on out of memory. */
bool sf_rejects_example(sf_rejects *r, sf_file_kind file, sf_reject_reason reason, bool kept,
                        uint16_t part, uint32_t line, const char *field, const char *value);
/* Drop the kept examples of one record (it was rejected after all). */
void sf_rejects_drop_kept_examples(sf_rejects *r, sf_file_kind file, uint16_t part, uint32_t line);
/* Move src's examples behind dst's (lines shifted by line_shift) while
 * dst has room; src's are freed. */
void sf_rejects_merge_examples(sf_rejects *dst, sf_rejects *src, uint32_t line_shift);

#endif
