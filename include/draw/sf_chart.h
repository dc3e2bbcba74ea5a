/*
 * sf_chart.h - drawing on a cairo context: text through pangocairo
 * ("DejaVu Sans", so Cyrillic and Polish text render and embed); value
 * axes with 1-2-5 ticks; bar charts (vertical/horizontal, grouped/stacked,
 * with a shaded band or a reference line); a heat grid; tables; headline
 * tiles. The PDF document they are drawn on is sf_pdfdoc.h.
 *
 * Everything here only draws what it is given: it knows no report, no
 * list and no output, only base types (texts, numbers, the language's
 * number formats). Drawing calls never fail one by one; cairo records the
 * first error in the context and the document reports it when closed.
 */
#ifndef SF_CHART_H
#define SF_CHART_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include "base/sf_lang.h"

typedef struct {
    double r, g, b;
} sf_rgb;

/* The heat of a cell of the heat grid: a mean against two thresholds. */
typedef enum { SF_HEAT_HOT = 0, SF_HEAT_WARM, SF_HEAT_COLD, SF_HEAT_N } sf_heat;

extern const sf_rgb sf_rgb_heat[SF_HEAT_N]; /* hot red, warm amber, cold blue */
extern const sf_rgb sf_rgb_text, sf_rgb_muted, sf_rgb_grid, sf_rgb_accent,
    sf_rgb_accent2, sf_rgb_bad, sf_rgb_good;

typedef struct {
    double x, y, w, h;
} sf_box;

typedef enum { SF_AL_LEFT = 0, SF_AL_CENTER, SF_AL_RIGHT } sf_align;

/* Text drawing state: the laid-out texts of one cairo context, kept by
 * their text and settings (a document measures each table cell, then
 * draws it, and repeats headers, labels and short values on every page:
 * each is shaped once). */
typedef struct {
    cairo_t *cr;
    PangoContext *ctx;            /* owned: shared by every layout */
    PangoFontDescription *font;   /* owned */
    GHashTable *layouts;          /* owned: key string -> PangoLayout */
    cairo_matrix_t ctm;           /* cr's matrix that ctx was last fitted to */
    const sf_lang *lang;          /* borrowed */
    /* Tests only: when set, every table cell drawn writes its box as a
     * line "cell PAGE X0 Y0 X1 Y1" (points, tab-separated), so a test can
     * tell text that overflows its cell from the rendered page. */
    FILE *geom;                   /* borrowed, NULL: none */
    int page;                     /* the page being drawn, 1-based */
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
/* Text wrapped at word boundaries (inside a word when a word alone is
 * wider) inside width w, at most max_lines lines (ellipsised), aligned al.
 * Returns the height used. */
double sf_chart_text_lines(sf_chart *c, double x, double y, double w, const char *text, double size,
                           bool bold, sf_align al, sf_rgb col, int max_lines);
/* The height sf_chart_text_lines would use, without drawing. */
double sf_chart_text_height(sf_chart *c, const char *text, double size, bool bold, double w,
                            int max_lines);
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
 * band / reference line. NAN band_lo or ref means none. A value label
 * that would leave the chart on the right goes inside its bar. */
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
    /* The value axis ends at axis_max (a ratio's 100 %) unless a value or
     * the band goes beyond it; NAN: from the values. */
    double axis_max;
    /* Per value (values' index): a short text after its label, e.g. the
     * counts behind a ratio "1 / 1"; NULL or NULL entries: none. */
    const char *const *notes;
    /* Per category: drawn grey (a sample too small to judge); NULL. */
    const bool *muted;
} sf_bars;

/* The grey of a muted bar. */
extern const sf_rgb sf_rgb_muted_bar;

void sf_chart_bars(sf_chart *c, sf_box box, const sf_bars *b);

/* Legend row of coloured squares with names, from (x, y); returns its
 * height. */
double sf_chart_legend(sf_chart *c, double x, double y, double w, const char *const *names,
                       const sf_rgb *colors, size_t n);

/* Heat grid: n_rows x n_cols cells under the column headers cols;
 * count[r * n_cols + c] items with the sum rsum[r * n_cols + c] (e4) of
 * their values. A cell shows "count · mean" on the colour of its heat
 * (the mean against hot_min / cold_below, ppm); empty cells light grey. */
typedef struct {
    const char *const *rows;
    size_t n_rows;
    const char *const *cols;
    size_t n_cols;
    const uint32_t *count;
    const int64_t *rsum;
    const bool *bold_row;              /* NULL or per row */
    int64_t hot_min, cold_below;       /* ppm */
} sf_heatgrid;

void sf_chart_heatgrid(sf_chart *c, sf_box box, const sf_heatgrid *g);
/* Heat of a mean (e4) against the ppm thresholds. */
sf_heat sf_chart_heat_of(int64_t mean_e4, int64_t hot_min, int64_t cold_below);

/* A headline tile: label, a large value, a smaller note line. */
void sf_chart_tile(sf_chart *c, sf_box box, const char *label, const char *value,
                   const char *note, sf_rgb accent);

/* ---- chart_lines.c ---- */

/* A line chart: n_series series of n_points values each over the ordered
 * categories cats (values[series * n_points + point], NAN = no value:
 * the line breaks there), with points marked; the value axis includes 0.
 * title and series_names (the legend) may be NULL. */
typedef struct {
    const char *title;
    const char *const *cats;
    size_t n_points;
    const double *values;
    size_t n_series;
    const sf_rgb *colors;              /* per series */
    const char *const *series_names;
    sf_chart_fmt fmt;                  /* value axis labels */
    bool whole;                        /* counts: ticks at whole numbers only */
} sf_lines;

void sf_chart_lines(sf_chart *c, sf_box box, const sf_lines *l);

/* A matrix of coloured cells under column headers and beside row headers:
 * cells[row * n_cols + col] (NULL: no text) on fill[row * n_cols + col];
 * head_fill (or NULL) colours the headers, by row and by column index,
 * head_ink their text; corner is the top-left text. Returns the height
 * used. */
typedef struct {
    const char *const *rows;
    const char *const *cols;
    size_t n_rows, n_cols;
    const char *corner;
    const char *const *cells;
    const sf_rgb *fill;
    const sf_rgb *head_fill;
    sf_rgb head_ink;
} sf_matrix;

double sf_chart_matrix(sf_chart *c, sf_box box, const sf_matrix *m);

#endif
