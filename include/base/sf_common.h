/*
 * sf_common.h - shared types of salesfocus: error codes, the per-run error
 * context, dates as day numbers, money as int64 cents, string lists.
 *
 * Every module includes this. Modules never print or exit: they record the
 * first error in an sf_ctx and return its code; only the CLI prints it.
 */
#ifndef SF_COMMON_H
#define SF_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes of SPEC §5; every fallible function returns one (0 = OK). */
typedef enum {
    SF_OK = 0,
    SF_ERR_USAGE = 2,  /* usage or configuration error */
    SF_ERR_INPUT = 3,  /* input error: missing file/column, reject limit */
    SF_ERR_OUTPUT = 4, /* output error: cannot write a report file */
    SF_ERR_LOCK = 5,   /* another run holds the lock */
    SF_ERR_NOMEM = 1   /* out of memory or internal failure */
} sf_err;

/* Error context of one run, filled SQLite-style by the first failure.
 * msg is "FILE:LINE: what is wrong" where a file and line are known. */
typedef struct {
    sf_err code;
    char msg[2048];
} sf_ctx;

/* Record an error (printf-style) if none is recorded yet; returns code. */
sf_err sf_ctx_error(sf_ctx *ctx, sf_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Shorthand for out of memory. */
sf_err sf_ctx_nomem(sf_ctx *ctx);

/* "Empty / not applicable" marker for int64 numbers in result structs. */
#define SF_NONE INT64_MIN

/* A date is a day number: days since 1970-01-01 (proleptic Gregorian). */
typedef int32_t sf_date;
#define SF_NODATE INT32_MIN

sf_date sf_date_from_ymd(int y, int m, int d); /* no validation */
void sf_date_to_ymd(sf_date day, int *y, int *m, int *d);
bool sf_date_valid_ymd(int y, int m, int d);
int sf_date_weekday(sf_date day); /* 0 = Monday .. 6 = Sunday */
/* The ISO 8601 week of day: "2025-W27" (the year of the week's Thursday,
 * weeks from Monday) into out (16 bytes); SF_NODATE writes "". */
void sf_date_iso_week(sf_date day, char out[16]);
/* Writes "YYYY-MM-DD" (11 bytes with NUL); SF_NODATE writes "". */
void sf_date_iso(sf_date day, char out[16]);
/* Today in local time. */
sf_date sf_date_today(void);
/* Seconds on the monotonic clock (stage timings). */
double sf_now_s(void);
/* The calling thread yields the cores to the run's others when they are
 * short (nice 10; on Linux the nice value is the thread's own): for work
 * beside the run's longest path, which must not lengthen it. Best effort. */
void sf_thread_background(void);

/* Money: int64 cents. Shares and ratios in results: int64 ten-thousandths
 * (value * 10000, rounded half away from zero), SF_NONE when empty. */
#define SF_E4 10000

/* Round num/den (den != 0) half away from zero to an integer. */
int64_t sf_div_round(__int128 num, __int128 den);
/* num/den as ten-thousandths, half away from zero; SF_NONE if den == 0. */
int64_t sf_share_e4(__int128 num, __int128 den);
/* ceil(num/den) for den > 0. */
int64_t sf_div_ceil(__int128 num, __int128 den);

/* Formatting for CSV and text: cents -> "-1234.56"; e4 -> "0.1234";
 * SF_NONE -> "". Buffers of 32 bytes. */
void sf_fmt_money(int64_t cents, char out[32]);
void sf_fmt_e4(int64_t e4, char out[32]);
/* v as a decimal integer ("" for SF_NONE). */
void sf_fmt_int(int64_t v, char out[32]);
/* The same for v / 10^scale with `scale` decimals; returns the length
 * (0 for SF_NONE). */
size_t sf_fmt_fixed(int64_t v, int scale, char out[32]);

/* Sorts key[0..n) ascending, stably, carrying val[i] (NULL: none) with
 * each key: a least-significant-digit radix sort, linear in n, where a
 * qsort of a million rows through a comparison function costs a tenth of
 * a second. Byte positions on which every key agrees are skipped. False
 * on out of memory (the arrays are then unchanged). */
bool sf_sort_u64(uint64_t *key, uint32_t *val, size_t n);
/* perm[0..n) = the items 0..n-1 in order of keys[0][i], then keys[1][i]
 * .. keys[nkeys-1][i], each ascending (sf_sort_key_i64 for a signed
 * value, its complement for descending); ties keep the items' order, so
 * when the last key is a rank (unique) the order is that of any sort by
 * all the keys. False on out of memory. */
bool sf_sort_keys(uint32_t *perm, size_t n, uint64_t *const *keys, int nkeys);
/* items[i] = the old items[perm[i]], for n items of size bytes. False on
 * out of memory (items unchanged). */
bool sf_permute(void *items, size_t size, const uint32_t *perm, size_t n);
/* Sorts n items of size bytes by the nkeys (at most SF_SORT_MAX_KEYS)
 * keys key() gives each, in the order of sf_sort_keys: the key columns,
 * the sort and the permutation in one call. False on out of memory
 * (items then unchanged) or a bad nkeys. */
#define SF_SORT_MAX_KEYS 8
bool sf_sort_items(void *items, size_t size, size_t n, int nkeys,
                   void (*key)(const void *item, uint64_t *k));
/* The k-th smallest of v[0..n) (k < n; the lower median is k = (n - 1) /
 * 2): v is reordered in place so that v[k] holds it, with nothing larger
 * before it and nothing smaller after. Linear on average, no allocation
 * (a qsort per account, which allocates, cost a twentieth of a run of
 * ten million transactions for three medians per account). */
int64_t sf_select_i64(int64_t *v, size_t n, size_t k);
/* The key of a signed value that sorts like it (ascending) as unsigned;
 * its complement sorts descending. */
static inline uint64_t sf_sort_key_i64(int64_t v) { return (uint64_t)v ^ ((uint64_t)1 << 63); }

/* A growable list of owned NUL-terminated strings. */
typedef struct {
    char **v;
    size_t n;
    size_t cap;
} sf_strlist;

sf_err sf_strlist_push(sf_strlist *l, const char *s); /* copies s */
void sf_strlist_clear(sf_strlist *l);                  /* frees items */

/* 64-bit hash of a string (FNV-1a with a final mix): the account and
 * owner indexes and the duplicate-id set all use it. */
uint64_t sf_hash_str(const char *s);

/* Checked allocation helpers: return NULL on failure (callers check). */
void *sf_xcalloc(size_t n, size_t size);
/* Zeroed, 64-byte-aligned memory for a table that is hit at random
 * (account array, hash tables); from 2 MiB on it is 2 MiB-aligned and asks
 * for huge pages, which spares a TLB miss per lookup. Free with free(). */
void *sf_table_alloc(size_t bytes);
/* The same, not zeroed: pages are only touched (and resident) once used. */
void *sf_table_alloc_uninit(size_t bytes);
char *sf_strdup(const char *s);
char *sf_strndup(const char *s, size_t n);

/* Unicode-aware lower-casing of UTF-8 text (ASCII, Latin-1/Latin Ext-A
 * incl. Polish, Cyrillic); returns a malloc'd string or NULL. */
char *sf_utf8_lower(const char *s);
/* Case-insensitive (Unicode lower) equality / substring test. */
bool sf_utf8_ieq(const char *a, const char *b);
bool sf_utf8_icontains(const char *haystack, const char *needle);
/* True if s[0..n) is valid UTF-8 without NUL bytes. */
bool sf_utf8_valid(const char *s, size_t n);

#define SF_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
