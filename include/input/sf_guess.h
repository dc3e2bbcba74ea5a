/*
 * sf_guess.h - `salesfocus init`: a starter configuration guessed from a
 * user's export files (docs/init.md).
 *
 * sf_guess_files reads each file: its format by content (CSV or XLSX; an
 * .xls or an HTML page is named with why it cannot be used), the encoding
 * and delimiter of a CSV, its headers; picks the preset whose headers the
 * files have most of; gives each file the kind its headers fit best (the
 * preset's mapping, then canonical names and synonyms); then reads every
 * row of the files it uses for the date and number formats, the currency,
 * the share of empty values in each mapped column (a mostly empty one gets
 * a fuller alternative: "A | B") and every distinct status, activity type
 * and outcome with its count and class. A kind may have several files (a
 * Salesforce Task.csv and Event.csv), each mapped on its own. sf_guess_write writes the INI, each
 * guess with a comment.
 */
#ifndef SF_GUESS_H
#define SF_GUESS_H

#include "input/sf_autoconf.h"

#define SF_GUESS_ALTS 4   /* columns of one field ("A | B | C") */
#define SF_GUESS_FILES 16 /* files of one kind */

/* How a field's column was found. */
typedef enum {
    SF_HOW_NONE = 0,
    SF_HOW_PRESET,    /* the preset's header */
    SF_HOW_CANONICAL, /* the canonical name (as an API writes it, too) */
    SF_HOW_SYNONYM,
    SF_HOW_WEAK       /* a word that often means it */
} sf_map_how;

/* A distinct value of a status, activity-type, outcome or currency column. */
typedef struct {
    char *value;
    int64_t count;
    int cls;          /* sf_status, sf_act_type or sf_outcome */
    bool by_preset;   /* the preset's lists class it */
    bool closed;      /* a status that reads as closed, neither won nor lost */
} sf_guess_value;

typedef struct {
    sf_guess_value *v;
    size_t n, cap;
    int64_t blank;    /* rows where the column is empty */
    bool truncated;   /* more distinct values than are kept (500) */
} sf_guess_values;

typedef struct {
    char *path;             /* as given */
    bool usable;
    char why[700];          /* usable: what it is; else why not */
    bool xlsx;
    char *sheet;            /* XLSX: the sheet read */
    const char *encoding;   /* CSV: as sniffed (static) */
    char delimiter;         /* CSV: of its header */
    bool non_ascii;         /* CSV: holds bytes above 127 */
    sf_strlist headers;
    sf_file_kind kind;
    int score[SF_FILE_N];   /* how well it fits each kind; -1: it cannot be one */
    /* each canonical field's columns (the first non-empty of them is read):
     * header indexes, col[f][0] -1 when the field has none */
    int col[SF_FIELD_MAX][SF_GUESS_ALTS];
    int ncol[SF_FIELD_MAX];
    sf_map_how how[SF_FIELD_MAX];
    int added[SF_FIELD_MAX]; /* a fuller column added for a mostly empty field, -1: none */
    int64_t rows;
    int64_t empty[SF_FIELD_MAX];       /* rows where every column of the field is empty */
    int64_t before_empty[SF_FIELD_MAX]; /* the same before added[f] was added */
} sf_guess_file;

typedef struct {
    const char *share_dir;
    sf_guess_file *files;
    size_t n;
    int file_of[SF_FILE_N];   /* the first file read as each kind, -1: none */
    int of[SF_FILE_N][SF_GUESS_FILES]; /* every file of each kind, in the order given */
    int n_of[SF_FILE_N];
    sf_preset_choice presets; /* how each preset matched; chosen, "" none */
    sf_config preset;         /* the chosen preset's settings (defaults when none) */
    bool preset_live;
    bool tx_from_won;

    /* formats */
    const char *encoding;     /* of the CSV files (static) */
    char delimiter;           /* 0: auto (the files differ) */
    const char *date_format;  /* NULL: no text dates (the preset's stays) */
    size_t dates_parsed, dates_total;
    bool dates_ambiguous;
    char *date_other;         /* the commonest text in a date column that is no date */
    int64_t date_other_n;
    sf_numfmt num;
    bool num_found;
    size_t nums_parsed, nums_total;
    char currency[8];
    char currency_why[160];
    sf_guess_values currencies; /* every currency met, with counts */
    const char *language;     /* en ru pl id */

    /* values, with counts and classes */
    sf_guess_values status, types, outcomes;
    int status_col_file;      /* for the comments: the file and header */

    sf_strlist notes;         /* what the user must still do, one line each */
} sf_guess;

/* Guess from the files at paths[0..n) (share_dir: where config/crm is).
 * SF_OK when at least transactions (or opportunities for @won) were
 * found; SF_ERR_INPUT naming every file and why when not; SF_ERR_NOMEM.
 * Release g in every case. */
sf_err sf_guess_files(const char *share_dir, const char *const *paths, size_t n, sf_guess *g, sf_ctx *ctx);
void sf_guess_release(sf_guess *g);

/* Write the configuration to out; file paths relative to config_dir (the
 * folder the configuration is written to). today: the date in its first
 * comment. SF_ERR_OUTPUT on a write error. */
sf_err sf_guess_write(const sf_guess *g, const char *config_dir, sf_date today, FILE *out);

/* guess_values.c: read every row of the usable files (formats, values,
 * empty columns), then settle the formats and value classes. */
sf_err sf_guess_read_values(sf_guess *g, sf_ctx *ctx);

#endif
