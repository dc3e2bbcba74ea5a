/*
 * test_chart_text.c - sf_chart's kept layouts (src/draw/chart.c) draw
 * exactly what a fresh pango layout bounded to the cell's width draws:
 * texts measured first (as a table does) and then drawn left-, right- and
 * centre-aligned in many widths at fractional positions, some fitting and
 * some ellipsised, go into one PDF through sf_chart and into another
 * through plain pango; the two files must be the same bytes. A wrong
 * offset of a right-aligned line, a layout reused with other settings or
 * a stale one would show as a difference.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw/sf_chart.h"

static const char *texts[] = {
    "12,345.67", "£1,204,000", "Acme Logistics Ltd", "Zażółć gęślą jaźń", "Дмитрий Соколов",
    "2025-06-30", "A", "", "Revenue fell from 304.37 to 0; 243.50 more in this period ends the alert",
    "Acme Logistics Ltd", /* again: drawn from the kept layout */
};

typedef struct {
    unsigned char *data;
    size_t n, cap;
} membuf;

static cairo_status_t mem_write(void *closure, const unsigned char *data, unsigned int len)
{
    membuf *m = closure;
    if (m->n + len > m->cap) {
        size_t cap = (m->n + len) * 2;
        unsigned char *p = realloc(m->data, cap);
        if (!p)
            return CAIRO_STATUS_NO_MEMORY;
        m->data = p;
        m->cap = cap;
    }
    memcpy(m->data + m->n, data, len);
    m->n += len;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *pdf_open(membuf *m)
{
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(mem_write, m, 595, 842);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "2026-01-01T00:00:00Z");
    return s;
}

/* Where and how each text goes: every combination once. */
#define N_W 7
static const double widths[N_W] = {20.3, 47.1, 61.77, 80.0, 93.413, 130.9, 251.26};

static void place(size_t i, size_t k, int al, double *x, double *y, double *w)
{
    *w = widths[k];
    *x = 10.37 + 0.13 * (double)i + (double)al * 0.011;
    *y = 12.5 + 13.1 * (double)((i * N_W + k) * 3 + (size_t)al);
}

static void draw_ours(cairo_t *cr)
{
    sf_chart c;
    assert_true(sf_chart_init(&c, cr, NULL));
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        for (size_t k = 0; k < N_W; k++)
            for (int al = 0; al < 3; al++) {
                double x, y, w;
                place(i, k, al, &x, &y, &w);
                (void)sf_chart_text_width(&c, texts[i], 7.5, false); /* as a table measures */
                sf_chart_text(&c, x, y, w, texts[i], 7.5, false, (sf_align)al, sf_rgb_text);
            }
    sf_chart_release(&c);
}

static void draw_pango(cairo_t *cr)
{
    PangoLayout *ly = pango_cairo_create_layout(cr);
    PangoFontDescription *font = pango_font_description_from_string("DejaVu Sans");
    pango_font_description_set_weight(font, PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(font, 7.5 * PANGO_SCALE);
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        for (size_t k = 0; k < N_W; k++)
            for (int al = 0; al < 3; al++) {
                double x, y, w;
                place(i, k, al, &x, &y, &w);
                pango_layout_set_font_description(ly, font);
                pango_layout_set_text(ly, texts[i], -1);
                pango_layout_set_single_paragraph_mode(ly, TRUE);
                pango_layout_set_width(ly, (int)(w * PANGO_SCALE));
                pango_layout_set_ellipsize(ly, PANGO_ELLIPSIZE_END);
                pango_layout_set_wrap(ly, PANGO_WRAP_WORD_CHAR);
                pango_layout_set_height(ly, -1);
                pango_layout_set_alignment(ly, al == SF_AL_RIGHT    ? PANGO_ALIGN_RIGHT
                                               : al == SF_AL_CENTER ? PANGO_ALIGN_CENTER
                                                                    : PANGO_ALIGN_LEFT);
                cairo_set_source_rgb(cr, sf_rgb_text.r, sf_rgb_text.g, sf_rgb_text.b);
                cairo_move_to(cr, x, y);
                pango_cairo_update_layout(cr, ly);
                pango_cairo_show_layout(cr, ly);
            }
    pango_font_description_free(font);
    g_object_unref(ly);
}

static void render(membuf *m, void (*draw)(cairo_t *))
{
    cairo_surface_t *s = pdf_open(m);
    cairo_t *cr = cairo_create(s);
    draw(cr);
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
}

static void test_same_bytes_as_pango(void **state)
{
    (void)state;
    membuf a = {0}, b = {0};
    render(&a, draw_ours);
    render(&b, draw_pango);
    assert_true(a.n > 1000);
    assert_int_equal(a.n, b.n);
    assert_memory_equal(a.data, b.data, a.n);
    free(a.data);
    free(b.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_bytes_as_pango),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
