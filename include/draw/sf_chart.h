/*
 * sf_chart.h - drawing helpers shared by the PDF report (out_pdf.c) and the
 * coach's review pack (out_review.c): a PDF document with titled pages,
 * header and footer; text through pangocairo ("DejaVu Sans", so Cyrillic
 * and Polish text render and embed); value axes with 1-2-5 ticks; bar
 * charts (vertical/horizontal, grouped/stacked, with a shaded band or a
 * reference line); the temperature grid; tables; headline tiles.
 *
 * Everything here only draws what it is given: no analysis happens here.
 * Drawing calls never fail one by one; cairo records the first error in
 * the context and sf_pdf_close reports it.
 */
#ifndef SF_CHART_H
#define SF_CHART_H

#include <cairo.h>
#include <stdio.h>
#include <pango/pangocairo.h>
#include "output/sf_output.h"

/* A4 landscape in points. */
#define SF_PAGE_W 842.0
#define SF_PAGE_H 595.0
#define SF_MARGIN 36.0

/* Charts show at most this many owners; the rest are aggregated. */
#define SF_CHART_MAX_OWNERS 25

typedef struct {
    double r, g, b;
} sf_rgb;

extern const sf_rgb sf_rgb_tier[SF_TIER_N];
extern const sf_rgb sf_rgb_temp[3];    /* hot red, warm amber, cold blue */
extern const sf_rgb sf_rgb_verdict[3]; /* pursue, qualify, drop */
extern const sf_rgb sf_rgb_text, sf_rgb_muted, sf_rgb_grid, sf_rgb_accent,
    sf_rgb_accent2, sf_rgb_bad, sf_rgb_good;

typedef struct {
    double x, y, w, h;
} sf_box;

typedef enum { SF_AL_LEFT = 0, SF_AL_CENTER, SF_AL_RIGHT } sf_align;

/* Text drawing state: one reusable PangoLayout per cairo context. */
typedef struct {
    cairo_t *cr;
    PangoLayout *layout;          /* owned */
    PangoFontDescription *font;   /* owned */
    const sf_lang *lang;          /* borrowed */
} sf_chart;

/* Bind to cr (borrowed). Returns false on out of memory. */
bool sf_chart_init(sf_chart *c, cairo_t *cr, const sf_lang *lang);
void sf_chart_release(sf_chart *c); /* safe on a zeroed chart */

/* One line of text with its top-left at (x, y) inside width w (w <= 0:
 * unbounded), ellipsised at the end when too long. Returns its height. */
double sf_chart_text(sf_chart *c, double x, double y, double w, const char *text,
                     double size, bool bold, sf_align al, sf_rgb col);
/* Wrapped text inside width w, at most max_lines lines (ellipsised).
 * Returns the height used. */
double sf_chart_text_wrap(sf_chart *c, double x, double y, double w, const char *text,
                          double size, sf_rgb col, int max_lines);
/* Width of one line of text. */
double sf_chart_text_width(sf_chart *c, const char *text, double size, bool bold);

/* A grey centred "nothing to show" line in box. */
void sf_chart_nothing(sf_chart *c, sf_box box, const char *text);

/* 1-2-5 x 10^n tick step so that [lo, hi] holds at most max_ticks steps;
 * *t0 and *t1 receive lo and hi rounded outwards to that step. */
double sf_chart_nice_step(double lo, double hi, int max_ticks, double *t0, double *t1);

/* Value formatter for axis and bar labels (v in the chart's unit). */
typedef void (*sf_chart_fmt)(const sf_lang *l, double v, char *out, size_t n);
void sf_chart_fmt_money(const sf_lang *l, double cents, char *out, size_t n);
void sf_chart_fmt_count(const sf_lang *l, double v, char *out, size_t n);
void sf_chart_fmt_pct(const sf_lang *l, double e4, char *out, size_t n);
void sf_chart_fmt_dec1(const sf_lang *l, double e4, char *out, size_t n);

/* A bar chart: n_cats categories of n_series values each (values[cat *
 * n_series + series]). Stacked or grouped; vertical bars (categories
 * along x) or horizontal (categories down the y axis, long labels
 * ellipsised). The value axis always includes 0, negative values and the
 * band / reference line. NAN band_lo or ref means none. */
typedef struct {
    const char *const *cats;
    size_t n_cats;
    const double *values;
    size_t n_series;
    const sf_rgb *colors;              /* per series */
    const char *const *series_names;   /* legend; NULL = none */
    bool stacked, horizontal, value_labels;
    sf_chart_fmt fmt;
    double band_lo, band_hi;           /* shaded band on the value axis */
    const char *band_label;
    double ref;                        /* reference line */
    const char *ref_label;
    const bool *highlight;             /* per category: bold label; NULL */
    const bool *missing;               /* per category: value empty; NULL */
} sf_bars;

void sf_chart_bars(sf_chart *c, sf_box box, const sf_bars *b);

/* Legend row of coloured squares with names, from (x, y); returns its
 * height. */
double sf_chart_legend(sf_chart *c, double x, double y, double w, const char *const *names,
                       const sf_rgb *colors, size_t n);

/* Temperature grid: rows x SF_TIER_N cells; count[r*4+t] accounts with
 * realisation sum rsum[r*4+t] (e4). Cells coloured by the mean against
 * hot_min / cold_below (ppm); empty cells light grey. */
typedef struct {
    const char *const *rows;
    size_t n_rows;
    const uint32_t *count;
    const int64_t *rsum;
    const bool *bold_row;              /* NULL or per row */
    int64_t hot_min, cold_below;       /* ppm */
} sf_tempgrid;

void sf_chart_tempgrid(sf_chart *c, sf_box box, const sf_tempgrid *g);
/* Temperature of a mean realisation (e4) against the ppm thresholds. */
sf_temp sf_chart_temp_of(int64_t mean_e4, int64_t hot_min, int64_t cold_below);

/* A table: a header row then rows of cells (cells[row * n_cols + col],
 * NULL = empty); each cell is one ellipsised line. widths are fractions
 * of box.w. Returns the height used. */
typedef struct {
    const char *const *headers;
    const double *widths;
    const sf_align *align;
    size_t n_cols;
    char *const *cells;
    size_t n_rows;
    const sf_rgb *row_mark;            /* NULL or per-row colour dot */
} sf_table;

double sf_chart_table(sf_chart *c, sf_box box, const sf_table *t);

/* A headline tile: label, a large value, a smaller note line. */
void sf_chart_tile(sf_chart *c, sf_box box, const char *label, const char *value,
                   const char *note, sf_rgb accent);

/* ---- a PDF document of titled A4 landscape pages ---- */
typedef struct {
    cairo_surface_t *surface;
    cairo_t *cr;
    sf_chart ch;
    const char *final_path;    /* borrowed */
    char *title;               /* owned: report title (header, left) */
    char *sub;                 /* owned: "as of DATE · period" (header, right) */
    int page, n_pages;
    const sf_lang *lang;
    FILE *fp;                  /* staged temporary the surface streams into */
    int write_errno;           /* first failed write (cairo hides errors of its final flush) */
} sf_pdf_doc;

/* Stage final_path (o->stage) and open a PDF surface on its temporary path.
 * n_pages is the exact number of pages that will be drawn (footer
 * "page N of M"). title goes into the header and the PDF metadata. On
 * error everything is released and the sf_err is returned. */
sf_err sf_pdf_open(sf_pdf_doc *d, const sf_output_ctx *o, const char *final_path,
                   const char *title, int n_pages, sf_ctx *ctx);
/* Start a page: header, page title; returns the content box below. */
sf_box sf_pdf_page(sf_pdf_doc *d, const char *page_title);
/* Finish the current page (footer) and emit it. */
void sf_pdf_page_end(sf_pdf_doc *d);
/* Finish the file and release; SF_ERR_OUTPUT naming the file when cairo
 * failed at any point. Safe after a failed sf_pdf_open. */
sf_err sf_pdf_close(sf_pdf_doc *d, sf_ctx *ctx);
/* Release without checking (error paths). */
void sf_pdf_discard(sf_pdf_doc *d);
/* sf_pdf_close when the pages were drawn (ok), else sf_pdf_discard and
 * SF_ERR_NOMEM (what made a page fail). */
sf_err sf_pdf_finish(sf_pdf_doc *d, bool ok, sf_ctx *ctx);

/* Display name of an owner id: the language's "(unassigned)" for id 0. */
const char *sf_pdf_owner_name(const sf_output_ctx *o, uint32_t owner);
/* "pdf.KEY" label. */
const char *sf_pdf_label(const sf_output_ctx *o, const char *key);

/* ---- report pieces shared with the review pack (out_pdf.c) ----
 * owner = SF_OWNER_ALL: every owner; else only that owner's rows. Each
 * draws a caption "top N of M" and at most max_rows rows into box, or a
 * "nothing to show" line; returns the height used. */
double sf_pdf_table_due(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner,
                        size_t max_rows, const char *caption);
double sf_pdf_table_declines(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner,
                             size_t max_rows, const char *caption);
double sf_pdf_table_fire(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner,
                         size_t max_rows, const char *caption);
/* Open deals with verdict <= max_verdict (PURSUE: deals to pursue). */
double sf_pdf_table_deals(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner,
                          sf_verdict max_verdict, size_t max_rows, const char *caption);
/* The four rep-KPI panels against their benchmarks; highlight (or
 * SF_OWNER_ALL) is always shown and drawn bold. Returns false on out of
 * memory. */
bool sf_pdf_kpi_panels(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t highlight);

#endif
