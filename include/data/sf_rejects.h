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
    SF_REJ_TOO_LONG,  /* longer than [input] max_record_bytes: before any other */
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
} sf_reject;

typedef struct {
    sf_reject *v;
    size_t n, cap;
    int64_t count[SF_FILE_N][SF_REJ_N]; /* rejected records by reason */
    int64_t kept_count[SF_FILE_N][SF_REJ_N];
    bool over_limit;           /* a file's rejected share exceeds max_reject_share */
} sf_rejects;

/* Sort by file (accounts, transactions, activities, opportunities), then
 * line; a rejection after kept lines of the same record replaces them. */
void sf_rejects_sort(sf_rejects *r);
void sf_rejects_release(sf_rejects *r);

#endif
