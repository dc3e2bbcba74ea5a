/*
 * sf_xlsxread.h - an XLSX record reader: one sheet of a workbook, row by
 * row, as the same records the CSV reader gives (sf_csvrec and fields).
 *
 * The workbook is a zip (minizip) of XML parts (expat). The small parts are
 * read whole: the workbook (its sheets and the 1904 date system), its
 * relationships (where each sheet is), the styles (which cell formats are
 * dates, times or percentages) and the shared strings (kept in one arena:
 * memory follows the distinct strings). The sheet itself is streamed from
 * its zip entry through expat, which is suspended at the end of each row:
 * a million-row sheet is never in memory.
 *
 * A cell becomes the text the export shows (docs/ingest.md, "XLSX"):
 * strings as they are (shared or inline, rich-text runs joined, _xHHHH_
 * escapes decoded); numbers without floating-point noise (15 significant
 * digits, no exponent) with the configured decimal mark; a number in a
 * date style as a date in the configured date format (with " HH:MM:SS"
 * when the style shows a time), a time style as HH:MM:SS, a percent style
 * as the percentage with "%"; booleans TRUE / FALSE; errors as written.
 * Each field is trimmed of spaces and tabs, as a CSV field is.
 *
 * A record's line is the sheet's row number. Rows the sheet leaves out are
 * no records; a row whose cells are all empty is blank. Once the width is
 * set (the header's), shorter rows are padded with empty fields and a row
 * with a value beyond it keeps its extra fields (a field_count reject).
 * The record's raw text (rec.text) is the row's values joined with the
 * delimiter, each quoted as in CSV where it must be.
 *
 * Use: sf_xlsxread_open, then sf_xlsxread_next until SF_CSV_END;
 * sf_xlsxread_free.
 */
#ifndef SF_XLSXREAD_H
#define SF_XLSXREAD_H

#include "input/sf_csvread.h"

typedef struct sf_xlsxread sf_xlsxread;

/* What a cell held, for callers that care (init's sniffers skip typed
 * dates and numbers: their text is the reader's, not the export's). */
typedef enum {
    SF_XCELL_EMPTY = 0,
    SF_XCELL_TEXT,   /* a string */
    SF_XCELL_NUMBER, /* a number (also a percentage) */
    SF_XCELL_DATE,   /* a number in a date or time style */
    SF_XCELL_BOOL,
    SF_XCELL_ERROR   /* #N/A and the like */
} sf_xcell_kind;

typedef struct {
    const char *sheet;       /* by name; NULL or "": the first sheet */
    const char *sheet_key;   /* the [input] key that named it, for the
                              * error of a missing sheet; NULL: "sheet" */
    const char *date_format; /* date cells are written in it; NULL: %Y-%m-%d */
    char decimal;            /* decimal mark of the numbers written; 0: '.' */
    char delimiter;          /* joins a row's raw text; 0: ',' */
    const char *open_path;   /* where the zip is opened (/proc/self/fd/N of a
                              * file opened once); NULL: path */
} sf_xlsx_opts;

/* Open the workbook at path and its sheet (opts copied). Errors
 * (SF_ERR_INPUT, in ctx, naming the file): not a zip, not a workbook, no
 * such sheet (the sheets it has are named), a part that is not well-formed
 * XML. progress (may be NULL) is told as the sheet is read. */
sf_err sf_xlsxread_open(sf_xlsxread **out, const char *path, const sf_xlsx_opts *opts,
                        sf_csv_progress_fn progress, void *user, sf_ctx *ctx);

/* Close and free; NULL-safe. */
void sf_xlsxread_free(sf_xlsxread *x);

/* The next row that the sheet holds: *ev SF_CSV_RECORD (record and fields
 * below) or SF_CSV_END. SF_ERR_INPUT on a damaged sheet (file, sheet and
 * row named), SF_ERR_NOMEM. */
sf_err sf_xlsxread_next(sf_xlsxread *x, sf_csv_event *ev);

/* Pad the following rows to n fields (0: no padding). */
void sf_xlsxread_set_width(sf_xlsxread *x, size_t n);

/* The current record (bytes = text = the raw text; never open_quote or
 * bad_encoding) and its fields: fb holds them NUL-terminated at offsets
 * fo[0..nf). Valid until the next call. */
const sf_csvrec *sf_xlsxread_rec(const sf_xlsxread *x);
void sf_xlsxread_fields(const sf_xlsxread *x, const char **fb, const size_t **fo, size_t *nf);
sf_xcell_kind sf_xlsxread_cell_kind(const sf_xlsxread *x, size_t i);

/* The sheet read, "reading NAME" for progress, and the rows the sheet
 * declares (its dimension; 0 when it does not say). */
const char *sf_xlsxread_sheet(const sf_xlsxread *x);
const char *sf_xlsxread_stage(const sf_xlsxread *x);
size_t sf_xlsxread_rows_hint(const sf_xlsxread *x);

/* --- cells (xlsxread_cells.c; exposed for tests) --- */

/* What a cell style shows a number as. */
typedef enum {
    SF_XSTYLE_GENERAL = 0,
    SF_XSTYLE_DATE,     /* a date */
    SF_XSTYLE_DATETIME, /* a date and a time of day */
    SF_XSTYLE_TIME,     /* a time of day or a duration */
    SF_XSTYLE_PERCENT
} sf_xstyle;

/* The style of number format `id` (built-in when code is NULL, else the
 * workbook's own format code). */
sf_xstyle sf_xlsx_numfmt_style(int id, const char *code);

/* The text of a number cell `v` (as stored: "45658.5", "1E-3") shown in
 * style st; date1904: the workbook's date system. Returns the length
 * written to out (at most cap-1, NUL-terminated), or 0 when v is not a
 * number; *kind says whether it became a date or stayed a number (a date
 * out of range is written as a number). */
size_t sf_xlsx_number_text(const char *v, sf_xstyle st, bool date1904, const sf_xlsx_opts *o, char *out,
                           size_t cap, sf_xcell_kind *kind);

/* A date (and seconds of the day, -1: none) in the format of o
 * (%Y %y %m %d and literal text), " HH:MM:SS" after it when secs >= 0. */
size_t sf_xlsx_date_text(sf_date d, int secs, const sf_xlsx_opts *o, char *out, size_t cap);

/* Decode OOXML's _xHHHH_ escapes in s[0..n) in place (a character XML
 * cannot carry, e.g. _x000D_ for CR; NUL becomes U+FFFD); returns the new
 * length. */
size_t sf_xlsx_unescape(char *s, size_t n);

#endif
