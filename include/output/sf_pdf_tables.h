/*
 * sf_pdf_tables.h - the tables report.pdf and the review pack share, built
 * from the list descriptions (analysis/sf_list.h), the flows that lay
 * tables out over as many pages as they need, and the rep-KPI panels.
 *
 * A PDF table is a list, a subset of its columns with alignment and
 * whether a column may wrap (widths come from the content, see
 * draw/sf_table.h), and per column the cell's wording: by default the
 * column's type in the language's formats (money without cents,
 * percentages, dates, tier names); a formatter where the PDF's wording
 * differs from the CSV text (owner display names, "never" for an empty
 * date, "due in 5 days"). Optional: a row filter and a coloured dot per
 * row. A table of one owner's rows leaves the list's "owner" column out.
 */
#ifndef SF_PDF_TABLES_H
#define SF_PDF_TABLES_H

#include "output/sf_pdf_kit.h"

/* Bytes of one table cell (longer texts are cut at a character). */
#define SF_PDF_CELL 256

/* One row of a list as a formatter, filter or mark sees it. */
typedef struct {
    const sf_output_ctx *o;
    const sf_list *l;
    size_t row;            /* index in the list */
    uint32_t owner;        /* l->owner of the row */
    const sf_cell *cells;  /* every cell of the row (l->n_cols) */
} sf_pdf_row;

/* Write the text of column col (index in the list) of row r into out
 * (SF_PDF_CELL bytes). */
typedef void (*sf_pdf_cell_fmt)(const sf_pdf_row *r, int col, const char *section, char *out);

typedef struct {
    const char *col;        /* the list's column name */
    const char *header;     /* its heading: label "pdf.<header>" */
    bool wrap;              /* a text that may take several lines (the row grows) */
    sf_align align;
    sf_pdf_cell_fmt fmt;    /* NULL: by the column's type */
    /* A word or flag column shows the label "<section><label_prefix><word>"
     * (the column's label_prefix); NULL: "pdf." */
    const char *section;
} sf_pdf_col;

typedef struct {
    const char *list;       /* sf_list_find name */
    const sf_pdf_col *cols;
    size_t n_cols;
    bool (*keep)(const sf_pdf_row *r);  /* NULL: every row */
    sf_rgb (*mark)(const sf_pdf_row *r); /* NULL: no dot */
} sf_pdf_table_def;

/* Contacts due, revenue declines, fire candidates; open deals to pursue,
 * and every open deal with the misses that explain its verdict. */
extern const sf_pdf_table_def sf_pdf_tab_due, sf_pdf_tab_declines, sf_pdf_tab_fire,
    sf_pdf_tab_pursue, sf_pdf_tab_deals;

/* The table t of owner's rows (SF_OWNER_ALL: every row) into box: a
 * caption "title", "top N of M" (or "all M") and at most max_rows rows,
 * as many as fit, or a "nothing to show" line. Returns the height used.
 * On out of memory only the caption is drawn. */
double sf_pdf_table(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, const sf_pdf_table_def *t,
                    uint32_t owner, size_t max_rows, const char *caption);

/* ---- flows: tables one after the other, continued on the next pages ---- */

/* One table of a flow: its caption "pdf.<caption>", at most max_rows rows
 * (SIZE_MAX: all of them; SF_PDF_ROWS_REVIEW: [outputs] review_max_rows),
 * and optionally a test for a missing input that shows the note
 * "pdf.<absent_note>" instead. */
#define SF_PDF_ROWS_REVIEW (SIZE_MAX - 1)
struct sf_pdf_flow_item {
    const sf_pdf_table_def *table;
    const char *caption;
    size_t max_rows;
    bool (*absent)(const sf_output_ctx *o);
    const char *absent_note;
};

/* Lay the items out for owner in pages of box's size (the content box):
 * each table starts with its caption, header and first row on one page;
 * a table that does not fit continues on the next page under its caption
 * "(continued)" and its header. Measures the text with d's fonts; draws
 * nothing. *n_parts receives the number of pages. NULL on out of memory. */
sf_pdf_flow *sf_pdf_flow_plan(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box,
                              const sf_pdf_flow_item *items, size_t n, uint32_t owner, int *n_parts);
/* Draw page `part` (0-based) of the plan into box. */
void sf_pdf_flow_draw(sf_pdf_doc *d, const sf_pdf_flow *f, sf_box box, int part);
void sf_pdf_flow_free(sf_pdf_flow *f); /* NULL-safe */

/* The four rep-KPI panels (the rep_kpis list) against their benchmarks;
 * highlight (or SF_OWNER_ALL) is always shown and drawn bold. Returns
 * false on out of memory. */
bool sf_pdf_kpi_panels(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t highlight);

#endif
