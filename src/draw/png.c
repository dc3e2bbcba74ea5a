/*
 * png.c - charts as PNG images in memory (sf_png.h): cairo's image
 * surface, the chart drawing of chart.c and chart_lines.c, and
 * cairo_surface_write_to_png_stream into a growing buffer.
 */
#include "draw/sf_png.h"

#include <stdlib.h>
#include <string.h>

#define MARGIN 8.0

/* The PNG bytes as cairo writes them. */
typedef struct {
    unsigned char *p;
    size_t n, cap;
    bool oom;
} png_buf;

static cairo_status_t png_write(void *closure, const unsigned char *data, unsigned int length)
{
    png_buf *b = closure;
    if (b->n + length > b->cap) {
        size_t cap = b->cap ? b->cap : 16384;
        while (cap < b->n + length)
            cap *= 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, data, length);
    b->n += length;
    return CAIRO_STATUS_SUCCESS;
}

bool sf_png_render(int w, int h, double scale, const sf_lang *lang, const char *title, sf_png_draw draw,
                   const void *arg, unsigned char **png, size_t *len)
{
    *png = NULL;
    *len = 0;
    if (w <= 0 || h <= 0 || scale <= 0)
        return false;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(w * scale), (int)(h * scale));
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return false;
    }
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    sf_chart c;
    bool ok = sf_chart_init(&c, cr, lang);
    if (ok) {
        sf_box box = {MARGIN, MARGIN, w - 2 * MARGIN, h - 2 * MARGIN};
        if (title && *title) {
            double th = sf_chart_text(&c, box.x, box.y, box.w, title, 12, true, SF_AL_LEFT, sf_rgb_text);
            box.y += th + 6;
            box.h -= th + 6;
        }
        draw(&c, box, arg);
        sf_chart_release(&c);
    }
    ok = ok && cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_flush(s);
    png_buf b = {0};
    if (ok)
        ok = cairo_surface_write_to_png_stream(s, png_write, &b) == CAIRO_STATUS_SUCCESS && !b.oom;
    cairo_surface_destroy(s);
    if (!ok) {
        free(b.p);
        return false;
    }
    *png = b.p;
    *len = b.n;
    return true;
}

static void draw_bars(sf_chart *c, sf_box box, const void *arg)
{
    sf_chart_bars(c, box, arg);
}

static void draw_lines(sf_chart *c, sf_box box, const void *arg)
{
    sf_chart_lines(c, box, arg);
}

bool sf_png_bars(int w, int h, double scale, const sf_lang *lang, const char *title, const sf_bars *b,
                 unsigned char **png, size_t *len)
{
    return sf_png_render(w, h, scale, lang, title, draw_bars, b, png, len);
}

bool sf_png_lines(int w, int h, double scale, const sf_lang *lang, const sf_lines *l, unsigned char **png,
                  size_t *len)
{
    return sf_png_render(w, h, scale, lang, NULL, draw_lines, l, png, len);
}
