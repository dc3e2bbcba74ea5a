/*
 * sf_lang.h - report labels in the report language, from
 * templates/lang/<language>.ini ([section] key = text, UTF-8).
 */
#ifndef SF_LANG_H
#define SF_LANG_H

#include "base/sf_common.h"

typedef struct sf_lang sf_lang;

/* Load templates/lang/<code>.ini under share_dir, with English as the
 * fallback for nothing (every language is complete: a test checks).
 * SF_ERR_USAGE for an unknown language. */
sf_err sf_lang_load(const char *share_dir, const char *code, sf_lang **out, sf_ctx *ctx);
void sf_lang_free(sf_lang *l);

/* Label for "section.key" (e.g. "xlsx.sheet_accounts"); never NULL: a
 * missing key returns the key itself. Borrowed until sf_lang_free. */
const char *sf_lang_get(const sf_lang *l, const char *key);
const char *sf_lang_code(const sf_lang *l);

/* Plural forms. A label may hold several forms of a phrase with a number,
 * separated by '|': en "{n} day|{n} days" (one, other), ru and pl three
 * (one, few, many: "{n} день|{n} дня|{n} дней"), id one. The form for n:
 * its index by the language's rule (CLDR's, for integers); and the text
 * of that form of label (the last form when the label has fewer), into
 * out (cap bytes). */
int sf_lang_plural_form(const sf_lang *l, int64_t n);
int sf_lang_plural_forms(const sf_lang *l); /* how many forms the language has */
void sf_lang_plural_pick(const sf_lang *l, const char *label, int64_t n, char *out, size_t cap);

/* Locale conventions for numbers and dates of the language:
 * en/id: "1,234.56"? id uses "1.234,56"; ru/pl "1 234,56"; dates
 * en ISO "2025-06-30", ru/pl "30.06.2025", id "30/06/2025". */
void sf_lang_fmt_money(const sf_lang *l, int64_t cents, int decimals, char *out, size_t n);
void sf_lang_fmt_int(const sf_lang *l, int64_t v, char *out, size_t n);
void sf_lang_fmt_pct(const sf_lang *l, int64_t e4, int decimals, char *out, size_t n);
void sf_lang_fmt_date(const sf_lang *l, sf_date d, char *out, size_t n);
/* Abbreviated money: 12.3k / 4.5M (en), 12,3 тыс. / 4,5 млн (ru) ... */
void sf_lang_fmt_money_short(const sf_lang *l, int64_t cents, char *out, size_t n);

#endif
