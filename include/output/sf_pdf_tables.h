/*
 * sf_pdf_tables.h - the tables report.pdf and the review pack share, built
 * from the list descriptions (analysis/sf_list.h), and the rep-KPI panels.
 *
 * A PDF table is a list, a subset of its columns with widths and
 * alignment, and per column the cell's wording: by default the column's
 * type in the language's formats (money without cents, percentages,
 * dates, tier names); a formatter where the PDF's wording differs from the
 * CSV text (owner display names, "never" for an empty date). Optional: a
 * row filter and a coloured dot per row.
 */
#ifndef SF_PDF_TABLES_H
#define SF_PDF_TABLES_H

#include "output/sf_pdf_kit.h"

/* Bytes of one table cell; longer text is ellipsised when drawn anyway. */
#define SF_PDF_CELL 192

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
    double width;           /* share of the table's width */
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
 * and every open deal. */
extern const sf_pdf_table_def sf_pdf_tab_due, sf_pdf_tab_declines, sf_pdf_tab_fire,
    sf_pdf_tab_pursue, sf_pdf_tab_deals;

/* The table t of owner's rows (SF_OWNER_ALL: every row) into box: a
 * caption "title — top N of M" and at most max_rows rows (as many as fit),
 * or a "nothing to show" line. Returns the height used. On out of memory
 * only the caption is drawn. */
double sf_pdf_table(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, const sf_pdf_table_def *t,
                    uint32_t owner, size_t max_rows, const char *caption);

/* The four rep-KPI panels (the rep_kpis list) against their benchmarks;
 * highlight (or SF_OWNER_ALL) is always shown and drawn bold. Returns
 * false on out of memory. */
bool sf_pdf_kpi_panels(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t highlight);

#endif
