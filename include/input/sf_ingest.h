/*
 * sf_ingest.h - read the CRM's CSV exports into a dataset (SPEC §1).
 *
 * Streaming: each file is read in blocks; a record's raw bytes are located
 * (quote-aware, so embedded newlines stay in their record), decoded to
 * UTF-8 (iconv for legacy encodings), split into fields by libcsv, typed
 * and validated, then folded into the dataset. Every record is accepted or
 * lands in the rejects list with its file, the line on which it starts,
 * a reason code, the field and its raw text.
 */
#ifndef SF_INGEST_H
#define SF_INGEST_H

#include "data/sf_dataset.h"
#include "data/sf_rejects.h"
#include "base/sf_settings.h"
#include "input/sf_csvread.h" /* sf_sniff_delimiter */

/* Progress callback: stage name ("reading FILE"), fraction done 0..1. */
typedef sf_csv_progress_fn sf_progress_fn;

/* Read every configured input into ds (created by the caller with the
 * as-of date), collecting rejects. Returns:
 *   SF_OK           all files read, reject shares within the limit;
 *   SF_ERR_INPUT    a file is missing/unreadable/empty, a required column
 *                   is missing (message names file, canonical field, the
 *                   header looked for and the headers found), or a file's
 *                   reject share exceeds max_reject_share (every file is
 *                   read first; rejects holds all their lines);
 *   SF_ERR_USAGE    e.g. transactions = @won without opportunities;
 *   SF_ERR_NOMEM.
 * set: threads and the split threshold (NULL: sf_settings_default).
 * Counts per file are in ds->files[]. */
sf_err sf_ingest(sf_dataset *ds, const sf_config *cfg, const sf_settings *set, sf_rejects *rejects,
                 sf_progress_fn progress, void *progress_user, sf_ctx *ctx);

/* --- value parsers (exposed for tests and fuzzers) --- */

/* Parse a date in `fmt` (%Y %y %m %d + literal separators); day and month
 * may lack the leading zero; trailing text starting with ' ' or 'T' is a
 * time of day and ignored. Returns false for bad/impossible dates. */
bool sf_parse_date(const char *s, const char *fmt, sf_date *out);

/* Parse money to cents: decimal mark, thousands separator, optional
 * currency symbol/code before or after, minus before or after a leading
 * sign, >2 decimals rounded half away from zero. If `code` is non-NULL it
 * receives an uppercase 3-letter code found next to the number (or "").
 * Returns false on a malformed number or int64 overflow. */
bool sf_parse_money(const char *s, char decimal, sf_thousands th, int64_t *cents, char code[4]);

/* Parse a plain decimal number to millionths (probability, quantity);
 * same separators; no currency. False on malformed/overflow. */
bool sf_parse_decimal_ppm(const char *s, char decimal, sf_thousands th, int64_t *ppm);

/* Parse a non-negative integer (employees, duration). */
bool sf_parse_int(const char *s, char decimal, sf_thousands th, int64_t *out);

/* A number exactly as written (quantity, unit price): its significant
 * digits, most significant first, and how many of them are decimals. */
#define SF_DECIMAL_DIGITS 60
typedef struct {
    bool neg;
    int scale;
    size_t n;
    unsigned char d[SF_DECIMAL_DIGITS];
} sf_decimal;
/* Parse s with the money grammar (separators, sign, currency sign or code
 * into code) without rounding. False when malformed, or when it has more
 * than SF_DECIMAL_DIGITS significant digits. */
bool sf_parse_decimal_exact(const char *s, char decimal, sf_thousands th, sf_decimal *out, char code[4]);
/* a x b rounded once, half away from zero, to cents (SPEC §1.1: the exact
 * product). False when it is beyond int64 cents. */
bool sf_decimal_mul_cents(const sf_decimal *a, const sf_decimal *b, int64_t *cents);

/* Convert amount cents at rate (ppm): round half away from zero. False on
 * overflow. */
bool sf_convert_cents(int64_t cents, int64_t rate_ppm, int64_t *out);

#endif
