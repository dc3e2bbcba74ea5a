/*
 * sf_table.h - tables drawn with sf_chart.h: a header row and rows of
 * cells whose column widths come from the content (or from given
 * fractions), long texts wrapped onto several lines so that a row grows
 * instead of cutting its text, and a layout computed once so that a long
 * table can be drawn a page's worth of rows at a time.
 *
 * Like the rest of the draw layer it knows no report: cells are strings.
 */
#ifndef SF_TABLE_H
#define SF_TABLE_H

#include <stdio.h>
#include "draw/sf_chart.h"

/* Lines a wrapped cell may take before it is ellipsised (only absurd data
 * gets there: a name of hundreds of characters). */
#define SF_TABLE_MAX_LINES 8

/* A table: a header row then rows of cells (cells[row * n_cols + col],
 * NULL or "" = empty). */
typedef struct {
    const char *const *headers;
    const sf_align *align;
    const bool *wrap;                  /* per column: may take several lines (texts);
                                        * NULL: none. Headers always may. */
    size_t n_cols;
    char *const *cells;
    size_t n_rows;
    const sf_rgb *row_mark;            /* NULL or per-row colour dot */
    const double *widths;              /* NULL: from the content; else fractions of the width */
} sf_table;

/* Where everything goes in a table of a given width (sf_table_layout_new). */
typedef struct {
    double width;      /* the whole table */
    double mark;       /* room left of the columns for the row marks */
    double *col_w;     /* owned, n_cols */
    bool *wrapped;     /* owned, n_cols: the column wraps (a text column may
                        * be made to wrap when the table is too wide) */
    double head_h;
    double *row_h;     /* owned, n_rows */
    size_t n_cols, n_rows;
} sf_table_layout;

/* Lay t out in width w: column widths and the height of the header and of
 * every row. Returns false on out of memory (lay is then zeroed). */
bool sf_table_layout_new(sf_chart *c, double w, const sf_table *t, sf_table_layout *lay);
void sf_table_layout_free(sf_table_layout *lay); /* safe on a zeroed layout */

/* Draw the header and rows [from, to) of t with their top-left corner at
 * (x, y). Returns the height used. */
double sf_table_draw(sf_chart *c, double x, double y, const sf_table *t, const sf_table_layout *lay,
                     size_t from, size_t to);

/* Lay out and draw in box as many rows as fit (a short table of its own
 * page: the tier tables). Returns the height used; on out of memory only
 * nothing is drawn and 0 is returned. */
double sf_chart_table(sf_chart *c, sf_box box, const sf_table *t);

#endif
