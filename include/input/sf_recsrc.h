/*
 * sf_recsrc.h - where the ingest's records come from: a CSV file (the CSV
 * reader, sf_csvread.h) or one sheet of an XLSX workbook (sf_xlsxread.h).
 *
 * The two are told apart by the file's first bytes, never by its name: a
 * zip (PK) is a workbook; an Excel 97-2003 .xls and an HTML page (what
 * Bitrix24's "Excel" export is) are errors that name the fix; anything
 * else is CSV. Both readers give the same records (sf_csvrec: line, blank,
 * raw text) and fields, so the record rules of ingest.c read either
 * through the calls below and never ask which. The CSV path is the
 * reader's own calls plus one branch per record: it stays the hot path of
 * `make bench`.
 *
 * Only a CSV file can be started at an offset or stopped at a limit (the
 * two-thread split of a large transactions file).
 */
#ifndef SF_RECSRC_H
#define SF_RECSRC_H

#include "input/sf_csvread.h"
#include "input/sf_xlsxread.h"

/* What a file is, from its first bytes. */
typedef enum {
    SF_FMT_TEXT = 0, /* CSV (or anything else that is not below) */
    SF_FMT_ZIP,      /* a zip archive: XLSX */
    SF_FMT_XLS,      /* an Excel 97-2003 workbook (OLE2) */
    SF_FMT_HTML      /* an HTML page, e.g. a table saved as .xls */
} sf_file_format;

/* The format of the file at path (SF_FMT_TEXT when it cannot be read: the
 * reader that opens it reports that). */
sf_file_format sf_file_format_of(const char *path);
/* The same from an open descriptor (read with pread: its offset stays). */
sf_file_format sf_file_format_of_fd(int fd);

typedef struct {
    sf_csvread csv;       /* reads CSV files (set up once, buffers kept) */
    sf_xlsxread *xlsx;    /* the open workbook; NULL while a CSV file is */
    sf_xlsx_opts xo;      /* how cells become text (strings borrowed) */
    sf_ctx *ctx;
    const char *path;     /* the open file (borrowed) */
    char fd_path[32];     /* /proc/self/fd/N of sf_recsrc_open_fd's workbook */
    /* the current record and, after sf_recsrc_fields, its fields */
    const sf_csvrec *rec;
    const char *fb;
    const size_t *fo;
    size_t nf;
} sf_recsrc;

/* Set up: encoding and delimiter as sf_csvread_init; xo (copied; its
 * strings borrowed for the source's life) for workbooks, where the
 * encoding does not apply (XML is Unicode) and the delimiter only joins
 * the raw text of a row. SF_OK, SF_ERR_USAGE (an unknown encoding) or
 * SF_ERR_NOMEM; on error the source is left released. */
sf_err sf_recsrc_init(sf_recsrc *s, const char *encoding, const char *enc_origin, char delimiter,
                      const sf_xlsx_opts *xo, sf_ctx *ctx);
void sf_recsrc_release(sf_recsrc *s); /* NULL-safe; a zeroed source is released */

/* Open path (borrowed until close) as CSV or XLSX by its content.
 * SF_ERR_INPUT: cannot open, a damaged workbook, an .xls or an HTML page
 * (the message names the fix). */
sf_err sf_recsrc_open(sf_recsrc *s, const char *path, sf_csv_progress_fn progress, void *user);
void sf_recsrc_close(sf_recsrc *s);
/* The same on a descriptor the caller opened (borrowed; size: the file's
 * when opened): a CSV file is read from it with pread (sf_csvread_open_fd),
 * a workbook through /proc/self/fd/FD, the same file whatever happens to
 * path meanwhile; path names it in messages. */
sf_err sf_recsrc_open_fd(sf_recsrc *s, int fd, int64_t size, const char *path, sf_csv_progress_fn progress,
                         void *user);

static inline bool sf_recsrc_is_xlsx(const sf_recsrc *s) { return s->xlsx != NULL; }

/* Records expected (sf_csvread_rows_hint; a sheet's declared rows). */
size_t sf_recsrc_rows_hint(const sf_recsrc *s, int64_t start, int64_t end);

/* The header: the first record that is not blank, split into fields
 * (blank records before it added to *blank). CSV as sf_csvread_header (a
 * header that does not decode has rec->bad_encoding and no fields); a
 * workbook's rows are then padded to the header's width. SF_ERR_INPUT for
 * a file or sheet without one. */
sf_err sf_recsrc_header(sf_recsrc *s, int64_t *blank);

/* CSV only: sf_csvread_seek and sf_csvread_set_limit. */
sf_err sf_recsrc_seek(sf_recsrc *s, int64_t start);
static inline void sf_recsrc_set_limit(sf_recsrc *s, int64_t limit) { sf_csvread_set_limit(&s->csv, limit); }

/* The next record (s->rec; fields not yet split). */
sf_err sf_recsrc_next(sf_recsrc *s, sf_csv_event *ev);

/* Split the current record into fields (a workbook's come split). */
sf_err sf_recsrc_fields(sf_recsrc *s);

/* Field i of the current record, NUL-terminated; "" past the last. */
static inline const char *sf_recsrc_field(const sf_recsrc *s, size_t i)
{
    return i < s->nf ? s->fb + s->fo[i] : "";
}

/* "reading NAME", for progress. */
const char *sf_recsrc_stage(const sf_recsrc *s);

#endif
