/*
 * sf_sniff.h - guessing how an export is written, from its bytes and
 * values: the encoding, the delimiter, the date format, the number format,
 * and which canonical field a header names (synonyms in English, Russian,
 * Polish and Indonesian). Used by `salesfocus init`, `preset = auto` and
 * the hints of `salesfocus check`. Pure functions of their input, except
 * the *_file helpers, which read the start of a file.
 */
#ifndef SF_SNIFF_H
#define SF_SNIFF_H

#include "config/sf_config.h"

/* ---- encoding ---- */

/* The encoding of p[0..n): "UTF-8" when it is valid UTF-8 (ASCII
 * included; a sequence cut off at the end is forgiven), else the
 * single-byte code page whose decoding reads most like text, of CP1251,
 * KOI8-R, ISO-8859-1, CP1252, CP1250 and ISO-8859-2 (an iconv name;
 * static). The score: letters of the code page's languages count for it,
 * C1 controls, rare symbols, words mixing scripts and Latin words made
 * mostly of accented letters against it. */
const char *sf_sniff_encoding(const char *p, size_t n);

/* The same over the first 1 MiB of the file (after a UTF-8 BOM); NULL
 * when it cannot be read. A file that starts as a zip is "UTF-8" (XML). */
const char *sf_sniff_file_encoding(const char *path);

/* ---- delimiter ---- */

/* Counts of ',' [0], ';' [1] and tab [2] outside quotes in the first line
 * of line[0..len). */
void sf_sniff_delimiter_counts(const char *line, size_t len, size_t counts[3]);

/* The first line of a CSV file (raw bytes, up to 64 KiB, after a BOM) into
 * out; false when it cannot be read. */
bool sf_sniff_first_line(const char *path, char *out, size_t cap, size_t *len);

/* The delimiter's [input] delimiter word: "comma", "semicolon", "tab". */
const char *sf_delimiter_word(char d);

/* ---- dates ---- */

/* Of the usual formats (%Y-%m-%d, %d.%m.%Y, %d/%m/%Y, %m/%d/%Y, ... and
 * their two-digit-year forms), the one that parses the most of values
 * (empty values skipped). Ties go to `preferred` when it is among them,
 * else to the earlier in that list. *parsed: how many it parses (0 and
 * NULL returned when none parses any). *ambiguous (may be NULL): a
 * day-first and a month-first format parse exactly as many (every day was
 * 12 or less). */
const char *sf_sniff_date_format(const char *const *values, size_t n, const char *preferred, size_t *parsed,
                                 bool *ambiguous);

/* ---- numbers ---- */

typedef struct {
    char decimal;           /* '.' or ',' */
    sf_thousands thousands;
} sf_numfmt;

/* The decimal mark and thousands separator that parse the most of values
 * as money, then leave the most with at most two decimals ("1,234" is
 * 1234 rather than 1.234); then `preferred` (may be NULL); then the order
 * '.' none, ',' space, '.' comma, ',' dot, ',' none, '.' space, '.'
 * apostrophe. False when none parses any value. */
bool sf_sniff_number_format(const char *const *values, size_t n, const sf_numfmt *preferred, sf_numfmt *out,
                            size_t *parsed);

/* ---- headers ---- */

/* A header as compared for matching: trimmed, without a trailing '*' (a
 * required column in Pipedrive), Unicode lower-cased. Malloc'd, NULL when
 * out of memory. */
char *sf_header_norm(const char *h);

/* Equal headers up to case, surrounding blanks and a trailing '*'. */
bool sf_header_eq(const char *a, const char *b);

/* The alternatives of a column mapping "A | B | C" ("the first non-empty
 * of the columns"), trimmed, empty ones left out: pointers into buf (a
 * copy of mapping), at most max. Returns how many. */
int sf_alternatives(const char *mapping, char *buf, size_t cap, const char **alt, int max);

/* How strongly header h names canonical field `field` of file kind k:
 * 0 not at all; 1 a weak synonym (a word that often means it: "Stage" for
 * status); 2 a synonym; 3 the canonical name itself. Compared on letters
 * and digits only, lower-cased: "Close Date", "CloseDate", "close_date"
 * and "CLOSEDATE" are one name. */
int sf_synonym_strength(sf_file_kind k, int field, const char *h);

/* What else a header may be: the contact (person) rather than the company
 * - the client in a B2C book, an alternative for account_id; a subject
 * line - where activities without a type say what they were; a field of a
 * users export (login, e-mail, first and last name). */
typedef enum { SF_ROLE_NONE = 0, SF_ROLE_CONTACT, SF_ROLE_SUBJECT, SF_ROLE_USER } sf_header_role;
sf_header_role sf_header_role_of(const char *h);

/* ---- values ---- */

/* A status value read as a class: SF_ST_WON, SF_ST_LOST or SF_ST_OPEN
 * (words of the four languages, CRM codes such as closedwon, C6:WON,
 * LOSE, APOLOGY). *closed: the value reads as closed but neither as won
 * nor as lost ("Closed", "Закрыта") - a guess to check. */
sf_status sf_guess_status(const char *v, bool *closed);

/* An activity type read as a class (call, email, visit, meeting, other). */
sf_act_type sf_guess_act_type(const char *v);

/* An outcome read as a class (conversation, appointment, or none). */
sf_outcome sf_guess_outcome(const char *v);

#endif
