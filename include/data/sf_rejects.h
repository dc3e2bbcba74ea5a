/*
 * sf_rejects.h - the records an input could not use (SPEC §1, §1.1): each
 * with its file, the line on which it starts, a reason code, the field
 * (canonical name) and its raw text, and the counts per file and reason.
 *
 * Ingest fills it; a record's kept lines are dropped by ingest itself when
 * the record is rejected later, so after sf_rejects_sort the list is in
 * rejects.csv order and every output writes it as it stands.
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
    SF_REJ_N
} sf_reject_reason;
const char *sf_reject_reason_name(sf_reject_reason r); /* "field_count" ... */

typedef struct {
    sf_file_kind file;
    uint32_t line;             /* line on which the record starts (1-based) */
    sf_reject_reason reason;
    const char *field;         /* canonical field name (static) or NULL */
    bool kept;                 /* action kept (else rejected) */
    char *raw;                 /* owned, UTF-8 (undecodable bytes as U+FFFD) */
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

typedef struct {
    sf_reject *v;
    size_t n, cap;
    int64_t count[SF_FILE_N][SF_REJ_N]; /* rejected records by reason */
    int64_t kept_count[SF_FILE_N][SF_REJ_N];
    /* the first examples: [file][reason][kept] */
    sf_reject_example ex[SF_FILE_N][SF_REJ_N][2][SF_REJ_EXAMPLES];
    uint8_t n_ex[SF_FILE_N][SF_REJ_N][2];
    bool over_limit;           /* a file's rejected share exceeds max_reject_share */
} sf_rejects;

/* Sort by file (accounts, transactions, activities, opportunities,
 * users), then the kind's file, then line; a rejection after kept lines
 * of the same record replaces them. */
void sf_rejects_sort(sf_rejects *r);
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
