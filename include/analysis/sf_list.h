/*
 * sf_list.h - every list of salesfocus described once.
 *
 * A list (accounts.csv, cadence_due.csv, ..., rejects.csv) is a table of
 * typed columns over the rows of one analysis result. Its description sits
 * beside its analysis (src/analysis/an_*.c) and says everything an output
 * needs: the file name, the label key of its sheet, the columns (name and
 * type), how many rows, which owner a row belongs to and the cells of a
 * row. The outputs hold no list of their own: the CSV writer and the
 * workbook's list sheets walk sf_lists[]; the PDF tables and the email's
 * top-N pick a list and a subset of its columns.
 *
 * Adding a list = its analysis, its sf_list, a line in sf_lists[]
 * (src/analysis/lists.c) and its labels (templates/lang/ *.ini: the sheet
 * name and one col_<name> per column); see docs/architecture.md.
 */
#ifndef SF_LIST_H
#define SF_LIST_H

#include "analysis/sf_report.h"

/* How a cell is typed, and so how each output writes it. */
typedef enum {
    SF_COL_TEXT = 0, /* text: ids, names, stages, fixed words ("lost"); NULL = empty */
    SF_COL_INT,      /* integer; SF_NONE = empty */
    SF_COL_MONEY,    /* cents; two decimals; SF_NONE = empty */
    SF_COL_SHARE,    /* fraction in ten-thousandths (e4): four decimals in CSV,
                      * a percentage in the workbook; SF_NONE = empty */
    SF_COL_DECIMAL,  /* a plain number in e4 (calls per day): four decimals in
                      * CSV, two in the workbook; SF_NONE = empty */
    SF_COL_DATE,     /* sf_date; SF_NODATE = empty */
    SF_COL_TIER,     /* sf_tier: "A".."D", coloured in the workbook */
    SF_COL_TEMP,     /* sf_temp: hot warm cold, coloured in the workbook */
    SF_COL_FLAGS,    /* a bit set, written as the ';'-joined names of its bits */
    SF_COL_PERCENT,  /* a percentage as the data gave it (probability): the
                      * text as given in CSV, the number (v, ppm of a point)
                      * in the workbook; text NULL = empty */
    SF_COL_RATIO,    /* a ratio of two amounts in e4 (potential / A-level,
                      * gap so far / typical gap): four decimals in CSV like
                      * a share, but a plain number ("1.68", not "168 %") in
                      * the workbook and the PDF; SF_NONE = empty */
    SF_COL_ANY       /* each cell says its own type (sf_cell.type, one of the
                      * above but FLAGS): a long list of items of several
                      * kinds, e.g. explain.csv's value column */
} sf_col_type;

typedef struct {
    const char *name;  /* CSV header; the label key is "xlsx.col_<name>" */
    sf_col_type type;
    /* SF_COL_FLAGS: the name of bit i (0 .. n_flags-1) */
    const char *(*flag_name)(int bit);
    int n_flags;
    /* SF_COL_TEXT of a fixed vocabulary ("pursue", "lost"): outputs that a
     * person reads show the label "<label_prefix><text>" instead; NULL:
     * the text is data and shown as it is */
    const char *label_prefix;
    /* Shown in the workbook's sheet of the list only (and to the PDF and
     * email, which pick columns by name), never in its CSV file, whose
     * columns SPEC §4 fixes: a figure a person reads beside the list's own,
     * e.g. the deal's and the account's names beside the pipeline's ids,
     * the accounts sheet's "to next tier" and "to warm" (SPEC §9), p_alive and clv (§11). The CSV
     * writer skips the column; `salesfocus lists` marks it NAME:TYPE:sheet. */
    bool sheet_only;
} sf_column;

/* Column initialisers: a plain column, a text of a fixed vocabulary shown
 * through labels, a column of the workbook only, a bit set. */
#define SF_COLUMN(n, t) {.name = (n), .type = (t)}
#define SF_COLUMN_WORDS(n, prefix) {.name = (n), .type = SF_COL_TEXT, .label_prefix = (prefix)}
#define SF_COLUMN_FLAGS(n, fn, count, prefix) \
    {.name = (n), .type = SF_COL_FLAGS, .flag_name = (fn), .n_flags = (count), .label_prefix = (prefix)}
#define SF_COLUMN_SHEET(n, t) {.name = (n), .type = (t), .sheet_only = true}

/* One cell of a row, as the row function fills it. Texts are borrowed from
 * the dataset, the report or static storage, and live as long as they. */
typedef struct {
    const char *text;  /* SF_COL_TEXT, SF_COL_PERCENT */
    int64_t v;         /* every other type (tier and temp as their enum) */
    bool alert;        /* outside its benchmark band: the workbook marks it */
    sf_col_type type;  /* SF_COL_ANY columns only: this cell's type */
} sf_cell;

#define SF_LIST_MAX_COLS 24

/* Where a list that writes its own CSV rows (sf_list.write_csv) puts
 * them: the CSV writer's, with the writer's rules for every field. Each
 * call appends one field; end_row ends the line. */
typedef struct sf_csv_sink sf_csv_sink;
struct sf_csv_sink {
    /* a text of the data (an id; NULL = empty): quoted when it must be */
    void (*text)(sf_csv_sink *s, const char *text);
    /* a text the list knows needs no quoting (a fixed word), of n bytes */
    void (*word)(sf_csv_sink *s, const char *text, size_t n);
    /* a value of a column type, as sf_cell_text writes it (SF_NONE / SF_NODATE = empty) */
    void (*value)(sf_csv_sink *s, sf_col_type type, int64_t v);
    void (*end_row)(sf_csv_sink *s);
};

typedef struct sf_list {
    const char *name;       /* "accounts": the file csv/accounts.csv */
    /* label of its workbook sheet, "xlsx.<sheet_key>"; NULL: the list is a
     * CSV file only (explain.csv: about ten rows per account, a machine's
     * list; the workbook shows its figures as columns of other sheets) */
    const char *sheet_key;
    const sf_column *cols;
    int n_cols;
    /* Is the list part of this report at all (NULL: always)? A list that
     * is not present is not written (e.g. the history lists without a
     * history store); a present list with no rows is written with its
     * header only. */
    bool (*present)(const sf_report *rep);
    size_t (*count)(const sf_report *rep);
    /* The owner id a row belongs to (per-owner mail and review packs), or
     * SF_OWNER_ALL for a row of the whole team (the time split's "(all)",
     * a reject). */
    uint32_t (*owner)(const sf_report *rep, size_t row);
    /* Fill cells[0 .. n_cols) of row `row` (0 <= row < count). NULL for a
     * list whose rows are not in memory (below). */
    void (*row)(const sf_report *rep, size_t row, sf_cell *cells);
    /* Optional: start fetching into the cache what row() of `row` will
     * read, a few rows before it is read (the CSV writer). For the lists
     * whose rows jump about the accounts: each row's account record is
     * a cache miss on a large book. */
    void (*prefetch)(const sf_report *rep, size_t row);
    /* Optional: the id the row is about, exactly as its key column reads
     * (account_id, or opportunity_id for the deals): the mail looks a row
     * up in what it sent before without reading the whole row. */
    const char *(*key)(const sf_report *rep, size_t row);
    /* Optional (NULL: the CSV writer reads row() cell by cell): write
     * every row into the sink, exactly as the cells of row() read (the
     * unit tests compare the two). For a list of very many rows
     * (explain.csv: about ten per account), where reading each row's
     * cells costs more than writing them. */
    void (*write_csv)(const sf_report *rep, sf_csv_sink *sink);
    /* A list whose rows are read back from disk (the rejects, from their
     * spool): each walk opens a reader of its own (NULL on out of memory),
     * reads rows through it (texts valid until its next read; any order,
     * fastest in order; false on a read error) and closes it. Walk every
     * list with sf_list_walk_*, which picks row or these (the PDF tables
     * and the mail's sections take lists in memory only). */
    void *(*open)(const sf_report *rep);
    bool (*read)(void *reader, size_t row, sf_cell *cells);
    void (*close)(void *reader);
    /* The workbook shows the list on a sheet of its own making (the
     * sheet of sheet_key, written by its own file, e.g. xlsx_changes.c),
     * not as a plain list sheet. */
    bool own_sheet;
} sf_list;

/* A walk over the rows of a list, whatever holds them. */
typedef struct {
    const sf_list *l;
    const sf_report *rep;
    void *reader;
} sf_list_walk;
/* False on out of memory. */
bool sf_list_walk_open(sf_list_walk *w, const sf_list *l, const sf_report *rep);
/* Fill cells (zeroed first) with row `row`; false when it cannot be read
 * (an I/O error on the rejects' spool: the output fails). */
bool sf_list_walk_row(sf_list_walk *w, size_t row, sf_cell *cells);
void sf_list_walk_close(sf_list_walk *w); /* safe on a walk not opened */

/* The rows of a list in order, each read SF_LIST_AHEAD rows before it is
 * asked for, its texts fetched meanwhile, and the list's own records
 * (sf_list.prefetch) asked for as far again: a list's rows jump about the
 * accounts (accounts in tier order, clv by clv), and the texts of each
 * (an id, a name) are as many cache misses. A list read back through a
 * reader reuses its buffer, so it is read row by row (no rows ahead). */
#define SF_LIST_AHEAD 6
typedef struct {
    sf_list_walk w;
    size_t n, ahead, next; /* rows, rows read ahead, next row to read */
    sf_cell ring[SF_LIST_AHEAD + 1][SF_LIST_MAX_COLS];
} sf_list_ahead;
/* Over rows 0 .. n - 1 of l. False on out of memory. */
bool sf_list_ahead_open(sf_list_ahead *a, const sf_list *l, const sf_report *rep, size_t n);
/* Row r, asked for in order from 0 (valid until the next call); NULL when
 * a row cannot be read back. */
const sf_cell *sf_list_ahead_row(sf_list_ahead *a, size_t r);
void sf_list_ahead_close(sf_list_ahead *a);

/* Every list, in the order the outputs write them (SPEC §4). */
extern const sf_list *const sf_lists[];
extern const size_t sf_n_lists;

/* The list of that name ("accounts"), or NULL. */
const sf_list *sf_list_find(const char *name);
/* Index of the column of that name in l, or -1. */
int sf_list_col(const sf_list *l, const char *name);

/* The text a CSV field gets for a cell: money with two decimals, shares
 * with four, ISO dates, "" for empty; flags joined with ';'; an SF_COL_ANY
 * cell by its own type. Returns out
 * (at least SF_CELL_TEXT_MAX bytes) or, for text cells, the cell's own
 * text (never NULL). */
#define SF_CELL_TEXT_MAX 512
const char *sf_cell_text(const sf_column *col, const sf_cell *cell, char *out);

/* account_id, name, owner, tier: the four cells most account lists open
 * with (cells[0..3]). */
void sf_report_account_cells(const sf_report *rep, uint32_t account, sf_cell *cells);
/* Starts fetching what sf_report_account_cells reads of that account
 * (a list's prefetch). */
void sf_report_account_prefetch(const sf_report *rep, uint32_t account);

/* backtest.csv (SPEC §10): written by `salesfocus backtest` only, so not
 * one of sf_lists[] (the lists of a run); its rows are rep->backtest's. */
extern const sf_list sf_list_backtest;

/* The lists' descriptions, defined beside their analyses. */
extern const sf_list sf_list_accounts, sf_list_cadence, sf_list_decline, sf_list_fire,
    sf_list_split, sf_list_pipeline, sf_list_kpis, sf_list_rejects, sf_list_reorder,
    sf_list_explain, sf_list_clv, sf_list_clv_model;
/* §7, present with the history on (sf_history_present) */
extern const sf_list sf_list_changes, sf_list_tier_migration, sf_list_trend;
bool sf_history_present(const sf_report *rep);

#endif
