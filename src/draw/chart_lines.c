/*
 * chart_lines.c - two more drawings of sf_chart.h: a line chart (series
 * of values over ordered categories, such as the runs of a history) and a
 * matrix of coloured cells with row and column headers (such as a tier
 * migration). Like chart.c they only place what they are given.
 */
#include "draw/sf_chart.h"

#include <math.h>
#include <stdio.h>

static void set_rgb(cairo_t *cr, sf_rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/* The value range of the chart, 0 always included. */
static void lines_range(const sf_lines *l, double *lo, double *hi)
{
    *lo = 0;
    *hi = 0;
    for (size_t i = 0; i < l->n_series * l->n_points; i++) {
        double v = l->values[i];
        if (!isfinite(v))
            continue;
        if (v < *lo)
            *lo = v;
        if (v > *hi)
            *hi = v;
    }
    if (*hi == *lo)
        *hi = *lo + 1;
}

/* Category labels under the axis, every k-th so that they do not meet. */
static void lines_x_labels(sf_chart *c, const sf_lines *l, double x0, double step, double y)
{
    double widest = 0;
    for (size_t i = 0; i < l->n_points; i++) {
        double w = sf_chart_text_width(c, l->cats[i], 7, false);
        if (w > widest)
            widest = w;
    }
    size_t every = 1;
    while (step > 0 && (double)every * step < widest + 6 && every < l->n_points)
        every++;
    for (size_t i = 0; i < l->n_points; i++) {
        /* the last point always, the others every `every` back from it */
        if ((l->n_points - 1 - i) % every != 0)
            continue;
        sf_chart_text(c, x0 + step * (double)i, y, 0, l->cats[i], 7, false, SF_AL_CENTER, sf_rgb_muted);
    }
}

void sf_chart_lines(sf_chart *c, sf_box box, const sf_lines *l)
{
    cairo_t *cr = c->cr;
    double y = box.y;
    if (l->title) {
        y += sf_chart_text(c, box.x, y, box.w, l->title, 9.5, true, SF_AL_LEFT, sf_rgb_text) + 4;
    }
    if (l->series_names)
        y += sf_chart_legend(c, box.x, y, box.w, l->series_names, l->colors, l->n_series) + 2;
    if (l->n_points == 0)
        return;
    double lo, hi, t0, t1;
    lines_range(l, &lo, &hi);
    double stepv = sf_chart_nice_step(lo, hi, 5, &t0, &t1);
    if (l->whole && stepv < 1) { /* counts: no tick between two whole numbers */
        stepv = 1;
        t0 = floor(lo);
        t1 = ceil(hi);
    }
    double axis_w = 0;
    char buf[64];
    for (double v = t0; v <= t1 + stepv / 2; v += stepv) {
        l->fmt(c->lang, v, buf, sizeof buf);
        double w = sf_chart_text_width(c, buf, 7, false);
        if (w > axis_w)
            axis_w = w;
    }
    sf_box p = {box.x + axis_w + 6, y + 4, box.w - axis_w - 14, box.y + box.h - y - 20};
    if (p.h < 10 || p.w < 10)
        return;
    /* grid and value axis */
    cairo_set_line_width(cr, 0.5);
    for (double v = t0; v <= t1 + stepv / 2; v += stepv) {
        double gy = p.y + p.h - p.h * (v - t0) / (t1 - t0);
        set_rgb(cr, sf_rgb_grid);
        cairo_move_to(cr, p.x, gy);
        cairo_line_to(cr, p.x + p.w, gy);
        cairo_stroke(cr);
        l->fmt(c->lang, v, buf, sizeof buf);
        sf_chart_text(c, p.x - 4, gy - 4.5, 0, buf, 7, false, SF_AL_RIGHT, sf_rgb_muted);
    }
    /* one point alone stands in the middle */
    double step = l->n_points > 1 ? p.w / (double)(l->n_points - 1) : 0;
    double x0 = l->n_points > 1 ? p.x : p.x + p.w / 2;
    lines_x_labels(c, l, x0, step, p.y + p.h + 4);
    for (size_t s = 0; s < l->n_series; s++) {
        set_rgb(cr, l->colors[s]);
        cairo_set_line_width(cr, 1.8);
        bool open = false;
        for (size_t i = 0; i < l->n_points; i++) {
            double v = l->values[s * l->n_points + i];
            if (!isfinite(v)) {
                open = false;
                continue;
            }
            double px = x0 + step * (double)i, py = p.y + p.h - p.h * (v - t0) / (t1 - t0);
            if (open)
                cairo_line_to(cr, px, py);
            else
                cairo_move_to(cr, px, py);
            open = true;
        }
        cairo_stroke(cr);
        for (size_t i = 0; i < l->n_points; i++) {
            double v = l->values[s * l->n_points + i];
            if (!isfinite(v))
                continue;
            cairo_arc(cr, x0 + step * (double)i, p.y + p.h - p.h * (v - t0) / (t1 - t0), 2.2, 0, 2 * M_PI);
            cairo_fill(cr);
        }
    }
}

double sf_chart_matrix(sf_chart *c, sf_box box, const sf_matrix *m)
{
    cairo_t *cr = c->cr;
    double label_w = fmin(box.w * 0.25, 90);
    double cw = (box.w - label_w) / (double)(m->n_cols ? m->n_cols : 1);
    double rh = fmin(box.h / (double)(m->n_rows + 1), 26);
    double fs = fmin(9, fmax(6, rh * 0.38));
    if (m->corner)
        sf_chart_text(c, box.x, box.y + rh / 2 - fs * 0.65, label_w - 4, m->corner, fs - 1, false, SF_AL_LEFT,
                      sf_rgb_muted);
    for (size_t j = 0; j < m->n_cols; j++) {
        double x = box.x + label_w + cw * (double)j;
        if (m->head_fill) {
            set_rgb(cr, m->head_fill[j]);
            cairo_rectangle(cr, x + 1, box.y + 1, cw - 2, rh - 2);
            cairo_fill(cr);
        }
        sf_chart_text(c, x, box.y + rh / 2 - fs * 0.65, cw, m->cols[j], fs, true, SF_AL_CENTER,
                      m->head_fill ? m->head_ink : sf_rgb_text);
    }
    for (size_t i = 0; i < m->n_rows; i++) {
        double y = box.y + rh * (double)(i + 1);
        if (m->head_fill) {
            set_rgb(cr, m->head_fill[i]);
            cairo_rectangle(cr, box.x + label_w - rh, y + 1, rh - 2, rh - 2);
            cairo_fill(cr);
        }
        sf_chart_text(c, box.x, y + rh / 2 - fs * 0.65, label_w - rh - 4, m->rows[i], fs, true, SF_AL_RIGHT,
                      sf_rgb_text);
        for (size_t j = 0; j < m->n_cols; j++) {
            double x = box.x + label_w + cw * (double)j;
            set_rgb(cr, m->fill[i * m->n_cols + j]);
            cairo_rectangle(cr, x + 1, y + 1, cw - 2, rh - 2);
            cairo_fill(cr);
            const char *t = m->cells[i * m->n_cols + j];
            if (t)
                sf_chart_text(c, x + 2, y + rh / 2 - fs * 0.65, cw - 4, t, fs, false, SF_AL_CENTER, sf_rgb_text);
        }
    }
    return rh * (double)(m->n_rows + 1);
}
