/*
 * table.c - tables whose columns fit their content (see sf_table.h).
 *
 * The widths: every column first gets what its widest cell and its header
 * need on one line. When that is wider than the table, numbers and other
 * one-line columns keep their width (their header may take two lines),
 * and the columns that may wrap share what is left in proportion to what
 * they lack, never below their longest word (capped: a 300-character
 * "word" breaks inside). When even that does not fit, every left-aligned
 * column is allowed to wrap, and last of all the columns are scaled down.
 * A cell is ellipsised only past SF_TABLE_MAX_LINES lines.
 */
#include "draw/sf_table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FS 7.5          /* cell text size */
#define PAD_X 3.0       /* left and right of a cell's text */
#define PAD_TOP 3.5
#define PAD_BOTTOM 3.0
#define MIN_ROW 15.0    /* a row of one line */
#define WORD_CAP 90.0   /* longest word a wrapping column must hold whole */
#define MARK_W 10.0     /* room of the row marks */

static void set_rgb(cairo_t *cr, sf_rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

static const char *cell_at(const sf_table *t, size_t r, size_t k)
{
    const char *s = t->cells[r * t->n_cols + k];
    return s && *s ? s : NULL;
}

/* Width of the widest space-separated word of s. */
static double word_width(sf_chart *c, const char *s, bool bold)
{
    char buf[256];
    double best = 0;
    while (s && *s) {
        while (*s == ' ')
            s++;
        size_t n = strcspn(s, " ");
        if (n == 0)
            break;
        size_t k = n < sizeof buf - 1 ? n : sizeof buf - 1;
        memcpy(buf, s, k);
        buf[k] = 0;
        best = fmax(best, sf_chart_text_width(c, buf, FS, bold));
        s += n;
    }
    return best;
}

/* What each column asks for: one-line width of its cells (nat), of its
 * header (head), its header's longest word (head_min), and the least a
 * wrapping column may get (wrap_min, measured only when the table does
 * not fit on one line: the words of a long table cost time). */
typedef struct {
    double *nat, *head, *head_min, *wrap_min;
    bool have_wrap_min;
} col_need;

static bool needs_measure(sf_chart *c, const sf_table *t, const double *cell_w, col_need *n)
{
    size_t nc = t->n_cols;
    n->nat = calloc(nc, sizeof *n->nat);
    n->head = calloc(nc, sizeof *n->head);
    n->head_min = calloc(nc, sizeof *n->head_min);
    n->wrap_min = calloc(nc, sizeof *n->wrap_min);
    if (!n->nat || !n->head || !n->head_min || !n->wrap_min)
        return false;
    for (size_t k = 0; k < nc; k++) {
        const char *h = t->headers[k] ? t->headers[k] : "";
        n->head[k] = sf_chart_text_width(c, h, FS, true) + 2 * PAD_X;
        n->head_min[k] = word_width(c, h, true) + 2 * PAD_X;
        for (size_t r = 0; r < t->n_rows; r++)
            n->nat[k] = fmax(n->nat[k], cell_w[r * nc + k] + 2 * PAD_X);
    }
    return true;
}

/* The longest word of each left-aligned column (capped), once. */
static void needs_words(sf_chart *c, const sf_table *t, col_need *n)
{
    if (n->have_wrap_min)
        return;
    n->have_wrap_min = true;
    for (size_t k = 0; k < t->n_cols; k++) {
        double word = 0;
        for (size_t r = 0; t->align[k] == SF_AL_LEFT && r < t->n_rows && word < WORD_CAP; r++) {
            const char *s = cell_at(t, r, k);
            if (s)
                word = fmax(word, word_width(c, s, false));
        }
        n->wrap_min[k] = fmax(n->head_min[k], fmin(word, WORD_CAP) + 2 * PAD_X);
    }
}

static void needs_free(col_need *n)
{
    free(n->nat);
    free(n->head);
    free(n->head_min);
    free(n->wrap_min);
}

/* Share room among the wrapping columns: each starts at its minimum and
 * gets a part of the spare room in proportion to what it lacks of its
 * one-line width. False when the minimums alone do not fit. */
static bool share_wrapping(const sf_table_layout *lay, const col_need *n, double room)
{
    double min_sum = 0, lack = 0;
    for (size_t k = 0; k < lay->n_cols; k++)
        if (lay->wrapped[k]) {
            double want = fmax(n->nat[k], n->head_min[k]);
            min_sum += fmin(n->wrap_min[k], want);
            lack += fmax(0, want - n->wrap_min[k]);
        }
    if (min_sum > room + 1e-6)
        return false;
    double spare = room - min_sum;
    for (size_t k = 0; k < lay->n_cols; k++)
        if (lay->wrapped[k]) {
            double want = fmax(n->nat[k], n->head_min[k]);
            double lo = fmin(n->wrap_min[k], want);
            double more = lack > 0 ? spare * fmax(0, want - n->wrap_min[k]) / lack : 0;
            lay->col_w[k] = fmin(want, lo + more);
        }
    return true;
}

/* Spread extra room over every column in proportion to its width. */
static void spread(sf_table_layout *lay, double total)
{
    double sum = 0;
    for (size_t k = 0; k < lay->n_cols; k++)
        sum += lay->col_w[k];
    if (!(sum > 0))
        return;
    for (size_t k = 0; k < lay->n_cols; k++)
        lay->col_w[k] *= total / sum;
}

/* Column widths from the content (see the top of the file). */
static bool widths_from_content(sf_chart *c, const sf_table *t, const double *cell_w,
                                sf_table_layout *lay, double room)
{
    col_need n = {0};
    bool ok = needs_measure(c, t, cell_w, &n);
    for (int pass = 0; ok && pass < 2; pass++) {
        double one_line = 0, fixed = 0;
        for (size_t k = 0; k < t->n_cols; k++) {
            one_line += fmax(n.nat[k], n.head[k]);
            lay->wrapped[k] = (t->wrap && t->wrap[k]) || (pass == 1 && t->align[k] == SF_AL_LEFT);
        }
        if (one_line <= room) { /* everything on one line: spread the rest */
            for (size_t k = 0; k < t->n_cols; k++)
                lay->col_w[k] = fmax(n.nat[k], n.head[k]);
            spread(lay, room);
            break;
        }
        needs_words(c, t, &n);
        for (size_t k = 0; k < t->n_cols; k++)
            if (!lay->wrapped[k]) {
                lay->col_w[k] = fmax(n.nat[k], n.head_min[k]);
                fixed += lay->col_w[k];
            }
        if (share_wrapping(lay, &n, room - fixed)) {
            double used = 0;
            for (size_t k = 0; k < t->n_cols; k++)
                used += lay->col_w[k];
            if (used < room)
                spread(lay, room);
            break;
        }
        if (pass == 1) { /* nothing else gives: scale every column down */
            for (size_t k = 0; k < t->n_cols; k++)
                if (lay->wrapped[k])
                    lay->col_w[k] = n.wrap_min[k];
            spread(lay, room);
        }
    }
    needs_free(&n);
    return ok;
}

/* A cell's text height in its column: one line unless it wraps and its
 * one-line width (one_w) does not fit. */
static double cell_height(sf_chart *c, const char *s, double one_w, double w, bool wrapped,
                          double line_h)
{
    if (!s || !*s || !wrapped || one_w <= w - 2 * PAD_X)
        return line_h;
    return sf_chart_text_height(c, s, FS, false, w - 2 * PAD_X, SF_TABLE_MAX_LINES);
}

void sf_table_layout_free(sf_table_layout *lay)
{
    free(lay->col_w);
    free(lay->wrapped);
    free(lay->row_h);
    memset(lay, 0, sizeof *lay);
}

bool sf_table_layout_new(sf_chart *c, double w, const sf_table *t, sf_table_layout *lay)
{
    memset(lay, 0, sizeof *lay);
    size_t nc = t->n_cols ? t->n_cols : 1;
    lay->n_cols = t->n_cols;
    lay->n_rows = t->n_rows;
    lay->width = w;
    lay->mark = t->row_mark ? MARK_W : 0;
    lay->col_w = calloc(nc, sizeof *lay->col_w);
    lay->wrapped = calloc(nc, sizeof *lay->wrapped);
    lay->row_h = calloc(t->n_rows ? t->n_rows : 1, sizeof *lay->row_h);
    /* every cell's width on one line, measured once */
    double *cell_w = calloc(t->n_rows * nc + 1, sizeof *cell_w);
    bool ok = lay->col_w && lay->wrapped && lay->row_h && cell_w;
    for (size_t r = 0; ok && r < t->n_rows; r++)
        for (size_t k = 0; k < t->n_cols; k++) {
            const char *s = cell_at(t, r, k);
            cell_w[r * nc + k] = s ? sf_chart_text_width(c, s, FS, false) : 0;
        }
    double room = w - lay->mark;
    if (ok && t->widths) {
        for (size_t k = 0; k < t->n_cols; k++) {
            lay->col_w[k] = t->widths[k] * room;
            lay->wrapped[k] = t->wrap && t->wrap[k];
        }
    } else if (ok) {
        ok = widths_from_content(c, t, cell_w, lay, room);
    }
    if (!ok) {
        free(cell_w);
        sf_table_layout_free(lay);
        return false;
    }
    double line_h = sf_chart_text_height(c, "Ag", FS, false, 0, 1);
    double head = line_h;
    for (size_t k = 0; k < t->n_cols; k++)
        head = fmax(head, sf_chart_text_height(c, t->headers[k] ? t->headers[k] : "", FS, true,
                                               lay->col_w[k] - 2 * PAD_X, 3));
    lay->head_h = fmax(MIN_ROW, head + PAD_TOP + PAD_BOTTOM);
    for (size_t r = 0; r < t->n_rows; r++) {
        double h = line_h;
        for (size_t k = 0; k < t->n_cols; k++)
            h = fmax(h, cell_height(c, cell_at(t, r, k), cell_w[r * nc + k], lay->col_w[k],
                                    lay->wrapped[k], line_h));
        lay->row_h[r] = fmax(MIN_ROW, h + PAD_TOP + PAD_BOTTOM);
    }
    free(cell_w);
    return true;
}

/* One cell's text inside its box, and the box on the geometry side file. */
static void cell_draw(sf_chart *c, double x, double y, double w, double h, const char *s, bool bold,
                      bool wrapped, sf_align al)
{
    if (c->geom)
        fprintf(c->geom, "cell\t%d\t%.2f\t%.2f\t%.2f\t%.2f\n", c->page, x, y, x + w, y + h);
    if (!s || !*s)
        return;
    if (wrapped || bold) /* headers may always take more lines */
        sf_chart_text_lines(c, x + PAD_X, y + PAD_TOP, w - 2 * PAD_X, s, FS, bold, al, sf_rgb_text,
                            bold ? 3 : SF_TABLE_MAX_LINES);
    else
        sf_chart_text(c, x + PAD_X, y + PAD_TOP, w - 2 * PAD_X, s, FS, bold, al, sf_rgb_text);
}

double sf_table_draw(sf_chart *c, double x0, double y0, const sf_table *t, const sf_table_layout *lay,
                     size_t from, size_t to)
{
    cairo_t *cr = c->cr;
    double y = y0, x = x0 + lay->mark;
    for (size_t k = 0; k < t->n_cols; k++) {
        cell_draw(c, x, y, lay->col_w[k], lay->head_h, t->headers[k], true, true, t->align[k]);
        x += lay->col_w[k];
    }
    y += lay->head_h;
    set_rgb(cr, sf_rgb_muted);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x0 + lay->width, y);
    cairo_stroke(cr);
    for (size_t r = from; r < to && r < t->n_rows; r++) {
        double rh = lay->row_h[r];
        if (r % 2 == 1) {
            set_rgb(cr, (sf_rgb){0.96, 0.97, 0.98});
            cairo_rectangle(cr, x0, y, lay->width, rh);
            cairo_fill(cr);
        }
        if (t->row_mark) {
            set_rgb(cr, t->row_mark[r]);
            cairo_new_path(cr); /* no line from the last text's point */
            cairo_arc(cr, x0 + 5, y + PAD_TOP + 4, 3, 0, 2 * G_PI);
            cairo_fill(cr);
        }
        x = x0 + lay->mark;
        for (size_t k = 0; k < t->n_cols; k++) {
            cell_draw(c, x, y, lay->col_w[k], rh, cell_at(t, r, k), false, lay->wrapped[k], t->align[k]);
            x += lay->col_w[k];
        }
        y += rh;
    }
    return y - y0;
}

double sf_chart_table(sf_chart *c, sf_box box, const sf_table *t)
{
    sf_table_layout lay;
    if (!sf_table_layout_new(c, box.w, t, &lay))
        return 0;
    size_t to = 0;
    double h = lay.head_h;
    while (to < t->n_rows && h + lay.row_h[to] <= box.h + 1e-6)
        h += lay.row_h[to++];
    double used = sf_table_draw(c, box.x, box.y, t, &lay, 0, to);
    sf_table_layout_free(&lay);
    return used;
}
