/*
 * sf_csvread.h - a CSV record reader: one file, record by record.
 *
 * The file is read in 1 MiB blocks. A quote-aware scanner that mirrors
 * libcsv's non-strict quoting finds where each record ends (a quoted line
 * break stays in its record) and on which line it starts; CR, LF and CRLF
 * end lines; a UTF-8 BOM at the start is skipped. A record that runs past
 * the block is carried over to the next read, so memory follows the
 * longest record, not the file. On request the record is decoded to UTF-8
 * (validated, or converted with iconv; invalid input gives a lossy text
 * with U+FFFD; a file that starts with a UTF-8 BOM is UTF-8 whatever the
 * configured encoding) and split into fields by libcsv, each trimmed of spaces and
 * tabs. Reading may start at a byte offset and report when it reaches a
 * limit (the two-thread split of a large file).
 *
 * The reader knows nothing of what the records mean: its caller decides
 * what a blank, open-quoted or undecodable record is worth.
 *
 * Use: sf_csvread_init once; per file sf_csvread_open, sf_csvread_header,
 * optionally sf_csvread_seek and sf_csvread_set_limit, then
 * sf_csvread_next (+ sf_csvread_fields for records wanted) until
 * SF_CSV_END, and sf_csvread_close; sf_csvread_release at the end.
 */
#ifndef SF_CSVREAD_H
#define SF_CSVREAD_H

#include "base/sf_common.h"

#include <csv.h>
#include <iconv.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SF_CSV_BLOCK ((size_t)1 << 20)
/* The default longest record ([input] max_record_bytes): a longer one is
 * skipped to its end without being held, and reported too_long. */
#define SF_CSV_MAX_RECORD ((int64_t)16 << 20)
/* Bytes of a too-long record kept as its raw text (then "…"). */
#define SF_CSV_LONG_HEAD 1000

/* Progress of a file: stage ("reading NAME"), fraction done 0..1. */
typedef void (*sf_csv_progress_fn)(void *user, const char *stage, double done);

/* What sf_csvread_next found. */
typedef enum {
    SF_CSV_RECORD,     /* a record: r->rec */
    SF_CSV_END,        /* end of file */
    SF_CSV_AT_LIMIT,   /* the next record starts exactly at the limit */
    SF_CSV_PAST_LIMIT  /* the limit fell inside a record (a quoted line break) */
} sf_csv_event;

/* The current record; valid until the next call on the reader. */
typedef struct {
    const char *bytes;   /* raw bytes as in the file, no line terminator */
    size_t n;
    uint32_t line;       /* line on which it starts (1 = first line read) */
    bool open_quote;     /* a quote left open runs to the end of the file */
    bool blank;          /* only spaces and tabs (never with open_quote) */
    bool too_long;       /* longer than the maximum: bytes are its first
                          * SF_CSV_LONG_HEAD bytes only, it has no fields */
    /* set by sf_csvread_fields (and sf_csvread_header): */
    bool bad_encoding;   /* not valid in the encoding: text is lossy */
    const char *text;    /* UTF-8 (U+FFFD for bad bytes), not NUL-terminated */
    size_t text_n;
} sf_csvrec;

/* The reader. Members are read by the caller through the functions below
 * and the inline accessors; `rec`, `nf`, `line` and `stage` may be read
 * directly. */
typedef struct {
    sf_ctx *ctx;
    char delim_cfg;      /* configured delimiter; 0: sniffed per file */
    bool utf8;           /* else converted with cd */
    bool bom_utf8;       /* this file starts with a UTF-8 BOM: read as UTF-8 */
    iconv_t cd;
    bool cd_live;

    /* the file: read with pread at off (so that two readers may share one
     * descriptor; done is the offset of the next read), never past end,
     * its size when it was opened */
    const char *path;
    int fd;
    bool fd_live;        /* an open descriptor ... */
    bool fd_own;         /* ... that close closes */
    int64_t end;
    int64_t max_rec;     /* the longest record held */
    char long_head[SF_CSV_LONG_HEAD + 4];
    char *buf;
    size_t cap, len, pos;
    bool eof;
    int64_t size, done, next_progress;
    sf_csv_progress_fn progress;
    void *puser;
    char stage[128];
    char delim;
    struct csv_parser csv;
    bool csv_live;
    uint32_t line;       /* line on which the next record starts */
    bool skip_lf;        /* the last record ended in CR: a following LF is its */
    int64_t limit;       /* report the record starting at/after this; -1: none */

    /* the record and its fields */
    sf_csvrec rec;
    char *dec;           /* decoded text when not the raw bytes */
    size_t dec_cap;
    char *fb;            /* field bytes, each NUL-terminated */
    size_t fb_cap, fb_len;
    size_t *fo;          /* field offsets into fb */
    size_t nf, fo_cap;
    bool oom;
    bool fields_ready;   /* the fast path split the record (csvread.c) */
    bool no_fast;        /* tests: every record the full way */
    char stop_delim;     /* the delimiter `stop` was made for; 0: none */
    unsigned char stop[256]; /* bytes that end a run of plain text */
} sf_csvread;

/* Set up a reader. encoding: NULL, "", "UTF-8" or "UTF8" for UTF-8, else
 * an iconv name; enc_origin names where it was set, for the message when
 * iconv does not know it ("<enc_origin> 'X' is not known to iconv",
 * SF_ERR_USAGE). delimiter: 0 to sniff it from each file's header line.
 * ctx receives every error of the reader. SF_OK, SF_ERR_USAGE or
 * SF_ERR_NOMEM; on error the reader is left released. */
sf_err sf_csvread_init(sf_csvread *r, const char *encoding, const char *enc_origin, char delimiter,
                       sf_ctx *ctx);

/* Close any open file and free everything; after sf_csvread_init,
 * whatever it returned. A zeroed reader is released. NULL-safe. */
void sf_csvread_release(sf_csvread *r);

/* Open path (borrowed until close) and read its first block; progress (may
 * be NULL) is told after each block. SF_ERR_INPUT when it cannot be opened
 * or read, or is not a regular file. */
sf_err sf_csvread_open(sf_csvread *r, const char *path, sf_csv_progress_fn progress, void *user);
/* The same on a descriptor the caller opened (borrowed: close leaves it
 * open) and whose size it took: the reader reads bytes [0, size) with
 * pread, so that another reader may read the same descriptor. A file
 * that ends before size (it was cut while read) is SF_ERR_INPUT. */
sf_err sf_csvread_open_fd(sf_csvread *r, int fd, int64_t size, const char *path, sf_csv_progress_fn progress,
                          void *user);
/* The longest record held, in bytes (default SF_CSV_MAX_RECORD): a longer
 * record is skipped to its end and reported with rec.too_long; a longer
 * header is SF_ERR_INPUT. */
static inline void sf_csvread_set_max_record(sf_csvread *r, int64_t max) { r->max_rec = max; }

/* Close the file (the buffers are kept for the next one). Idempotent. */
void sf_csvread_close(sf_csvread *r);

/* Records expected in bytes [start, end) of the file (end < 0: its size),
 * from the line length of the first block; 0 when the first block holds
 * the whole span. Call right after sf_csvread_open. */
size_t sf_csvread_rows_hint(const sf_csvread *r, int64_t start, int64_t end);

/* Read the header: the first record that is not blank. Blank lines before
 * it are added to *blank (also on error). Without a configured delimiter
 * it is sniffed from each line first (sf_sniff_delimiter). The header is
 * decoded; when valid it is split into fields with that delimiter, else
 * rec.bad_encoding is set and nf is 0. SF_ERR_INPUT for a file without a
 * header ("empty file"). */
sf_err sf_csvread_header(sf_csvread *r, int64_t *blank);

/* Go on reading at byte `start` (a line start after the header), lines
 * counted from 1 there. SF_ERR_INPUT if the header runs past it. */
sf_err sf_csvread_seek(sf_csvread *r, int64_t start);

/* Report (once) the record starting at or after byte `limit`: reading
 * stops there with SF_CSV_AT_LIMIT or SF_CSV_PAST_LIMIT; the next call
 * reads on. -1: none. */
static inline void sf_csvread_set_limit(sf_csvread *r, int64_t limit) { r->limit = limit; }

/* Find the next record (r->rec, without fields). SF_OK with *ev set, or
 * an error (a read error). */
sf_err sf_csvread_next(sf_csvread *r, sf_csv_event *ev);

/* Decode the current record and split it into fields (rec.text,
 * rec.bad_encoding, nf). A too-long record gets its kept head as text,
 * followed by "…", and no fields. SF_OK or SF_ERR_NOMEM. */
sf_err sf_csvread_fields(sf_csvread *r);

/* Field i of the current record, NUL-terminated; "" past the last. */
static inline const char *sf_csvread_field(const sf_csvread *r, size_t i)
{
    return i < r->nf ? r->fb + r->fo[i] : "";
}

/* Choose the delimiter of a header line: the most frequent of , ; TAB
 * outside quotes; ties prefer ',', then ';', then TAB. */
char sf_sniff_delimiter(const char *line, size_t len);

#endif
