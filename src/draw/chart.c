/*
 * chart.c - drawing on a cairo context: pangocairo text, 1-2-5 axes, bar
 * charts, the heat grid, tables, tiles (see sf_chart.h). Nothing is
 * computed here beyond positions: the figures come from the caller.
 */
#include "draw/sf_chart.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const sf_rgb sf_rgb_heat[SF_HEAT_N] = {{0.84, 0.19, 0.15}, {0.96, 0.65, 0.10}, {0.19, 0.45, 0.85}};
const sf_rgb sf_rgb_text = {0.13, 0.13, 0.15};
const sf_rgb sf_rgb_muted = {0.45, 0.45, 0.50};
const sf_rgb sf_rgb_grid = {0.86, 0.86, 0.88};
const sf_rgb sf_rgb_accent = {0.13, 0.35, 0.62};
const sf_rgb sf_rgb_accent2 = {0.55, 0.74, 0.88};
const sf_rgb sf_rgb_bad = {0.80, 0.20, 0.18};
const sf_rgb sf_rgb_good = {0.18, 0.60, 0.30};
const sf_rgb sf_rgb_muted_bar = {0.78, 0.78, 0.80};

static const sf_rgb rgb_empty = {0.94, 0.94, 0.95};

static void set_rgb(cairo_t *cr, sf_rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/* Past this many kept layouts the cache starts again: a long book's
 * tables hold many distinct texts, and memory stays bounded. */
#define LAYOUTS_MAX 8192

bool sf_chart_init(sf_chart *c, cairo_t *cr, const sf_lang *lang)
{
    memset(c, 0, sizeof *c);
    c->cr = cr;
    c->lang = lang;
    c->ctx = pango_cairo_create_context(cr); /* fitted to cr's matrix and font options */
    cairo_get_matrix(cr, &c->ctm);
    c->font = pango_font_description_from_string("DejaVu Sans");
    c->layouts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
    if (!c->ctx || !c->font || !c->layouts) {
        sf_chart_release(c);
        return false;
    }
    return true;
}

void sf_chart_release(sf_chart *c)
{
    if (c->layouts)
        g_hash_table_destroy(c->layouts);
    if (c->ctx)
        g_object_unref(c->ctx);
    if (c->font)
        pango_font_description_free(c->font);
    c->layouts = NULL;
    c->ctx = NULL;
    c->font = NULL;
}

/* Configure a new layout for text; invalid UTF-8 (which the ingest never
 * lets through, but a label file might hold) is repaired so pango draws
 * it instead of dropping the whole string. */
static void layout_config(sf_chart *c, PangoLayout *ly, const char *text, double size, bool bold,
                          double w, int max_lines, sf_align al)
{
    pango_font_description_set_weight(c->font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(c->font, size * PANGO_SCALE);
    pango_layout_set_font_description(ly, c->font);
    if (g_utf8_validate(text, -1, NULL)) {
        pango_layout_set_text(ly, text, -1);
    } else {
        gchar *ok = g_utf8_make_valid(text, -1);
        pango_layout_set_text(ly, ok ? ok : "", -1);
        g_free(ok);
    }
    pango_layout_set_single_paragraph_mode(ly, max_lines <= 1);
    if (w > 0) {
        pango_layout_set_width(ly, (int)(w * PANGO_SCALE));
        pango_layout_set_ellipsize(ly, PANGO_ELLIPSIZE_END);
        pango_layout_set_wrap(ly, PANGO_WRAP_WORD_CHAR);
        pango_layout_set_height(ly, max_lines <= 1 ? -1 : -max_lines);
        pango_layout_set_alignment(ly, al == SF_AL_RIGHT    ? PANGO_ALIGN_RIGHT
                                       : al == SF_AL_CENTER ? PANGO_ALIGN_CENTER
                                                            : PANGO_ALIGN_LEFT);
    }
}

/* Fit the context to cr again only when cr's matrix changed since:
 * pango_cairo_update_layout would mark the context changed on every call
 * (pango sets its matrix anew), and every kept layout would be laid out
 * again at its next use. */
static void sync_context(sf_chart *c)
{
    cairo_matrix_t m;
    cairo_get_matrix(c->cr, &m);
    if (memcmp(&m, &c->ctm, sizeof m) != 0) {
        pango_cairo_update_context(c->cr, c->ctx);
        c->ctm = m;
    }
}

/* The cache key of a layout: its settings in hex (no printf: this runs
 * for every text drawn or measured), then the text. g_malloc'd. */
static gchar *layout_key(double size, bool bold, int wi, int max_lines, sf_align al, const char *text)
{
    uint64_t bits;
    memcpy(&bits, &size, sizeof bits);
    uint32_t more[3] = {(uint32_t)wi, (uint32_t)max_lines, (uint32_t)al << 1 | (bold ? 1u : 0u)};
    size_t n = strlen(text);
    gchar *key = g_try_malloc(16 + 3 * 8 + n + 1);
    if (!key)
        return NULL;
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++)
        key[i] = hex[(bits >> (60 - 4 * i)) & 15];
    for (int j = 0; j < 3; j++)
        for (int i = 0; i < 8; i++)
            key[16 + 8 * j + i] = hex[(more[j] >> (28 - 4 * i)) & 15];
    memcpy(key + 40, text, n + 1);
    return key;
}

/* The layout of text with these settings (borrowed from the cache; valid
 * until the next call), or NULL when out of memory. The key holds every
 * setting that changes the layout, and the text last, whole. */
static PangoLayout *layout_get(sf_chart *c, const char *text, double size, bool bold, double w,
                               int max_lines, sf_align al)
{
    if (!text)
        text = "";
    sync_context(c);
    int wi = w > 0 ? (int)(w * PANGO_SCALE) : -1;
    if (w <= 0)
        al = SF_AL_LEFT;
    gchar *key = layout_key(size, bold, wi, max_lines <= 1 ? 1 : max_lines, al, text);
    if (!key)
        return NULL;
    PangoLayout *ly = g_hash_table_lookup(c->layouts, key);
    if (ly) {
        g_free(key);
        return ly;
    }
    ly = pango_layout_new(c->ctx);
    if (!ly) {
        g_free(key);
        return NULL;
    }
    layout_config(c, ly, text, size, bold, w, max_lines, al);
    if (g_hash_table_size(c->layouts) >= LAYOUTS_MAX)
        g_hash_table_remove_all(c->layouts);
    g_hash_table_insert(c->layouts, key, ly); /* the table owns both */
    return ly;
}

static double draw_layout(sf_chart *c, PangoLayout *ly, double x, double y, double w, sf_align al,
                          sf_rgb col)
{
    if (!ly)
        return 0;
    int pw, ph;
    pango_layout_get_size(ly, &pw, &ph);
    double tw = (double)pw / PANGO_SCALE, th = (double)ph / PANGO_SCALE;
    if (w <= 0) { /* unbounded: x is the anchor of the alignment */
        if (al == SF_AL_RIGHT)
            x -= tw;
        else if (al == SF_AL_CENTER)
            x -= tw / 2;
    }
    set_rgb(c->cr, col);
    cairo_move_to(c->cr, x, y);
    pango_cairo_show_layout(c->cr, ly);
    return th;
}

/* Whether text is one paragraph whatever the layout's mode: no line or
 * paragraph separator (pango breaks at \n, \r, U+2028 and U+2029). */
static bool one_paragraph(const char *text)
{
    return text && !strpbrk(text, "\n\r") && !strstr(text, "\xe2\x80\xa8") &&
           !strstr(text, "\xe2\x80\xa9");
}

/* Draw text of at most max_lines lines in width w (> 0) with its natural
 * one-line layout when that fits: the one its width was measured with,
 * so a table cell is shaped once, not twice. Pango would place the line
 * at the same point: a left-aligned line at x, a right-aligned one
 * (w - its width) further, added to cairo's current point, which cairo
 * keeps in 1/256 pt steps; so a right-aligned line takes this path only
 * when that offset is a whole number of such steps, and only on an
 * unscaled surface: the pages stay byte for byte what the bounded layout
 * draws. False: not drawn, the caller lays out the bounded text. */
static bool draw_natural(sf_chart *c, double x, double y, double w, const char *text, double size,
                         bool bold, sf_align al, sf_rgb col, double *height)
{
    if (!(w > 0) || al == SF_AL_CENTER || !one_paragraph(text))
        return false;
    cairo_matrix_t m;
    cairo_get_matrix(c->cr, &m);
    if (m.xx != 1 || m.yy != 1 || m.xy != 0 || m.yx != 0 || m.x0 != 0 || m.y0 != 0)
        return false;
    PangoLayout *ly = layout_get(c, text, size, bold, 0, 1, SF_AL_LEFT);
    if (!ly || pango_layout_get_line_count(ly) != 1)
        return false;
    int pw, ph, wi = (int)(w * PANGO_SCALE);
    pango_layout_get_size(ly, &pw, &ph);
    int off = al == SF_AL_RIGHT ? wi - pw : 0;
    if (pw >= wi || off % (PANGO_SCALE / 256) != 0)
        return false;
    double qx, qy;
    set_rgb(c->cr, col);
    cairo_move_to(c->cr, x, y);
    cairo_get_current_point(c->cr, &qx, &qy);
    cairo_move_to(c->cr, qx + (double)off / PANGO_SCALE, qy);
    pango_cairo_show_layout(c->cr, ly);
    *height = (double)ph / PANGO_SCALE;
    return true;
}

double sf_chart_text(sf_chart *c, double x, double y, double w, const char *text,
                     double size, bool bold, sf_align al, sf_rgb col)
{
    double h;
    if (draw_natural(c, x, y, w, text, size, bold, al, col, &h))
        return h;
    return draw_layout(c, layout_get(c, text, size, bold, w, 1, al), x, y, w, al, col);
}

double sf_chart_text_wrap(sf_chart *c, double x, double y, double w, const char *text,
                          double size, sf_rgb col, int max_lines)
{
    double h;
    if (draw_natural(c, x, y, w, text, size, false, SF_AL_LEFT, col, &h))
        return h;
    PangoLayout *ly = layout_get(c, text, size, false, w, max_lines < 2 ? 2 : max_lines, SF_AL_LEFT);
    return draw_layout(c, ly, x, y, w, SF_AL_LEFT, col);
}

double sf_chart_text_lines(sf_chart *c, double x, double y, double w, const char *text, double size,
                           bool bold, sf_align al, sf_rgb col, int max_lines)
{
    double h;
    if (draw_natural(c, x, y, w, text, size, bold, al, col, &h))
        return h;
    PangoLayout *ly = layout_get(c, text, size, bold, w, max_lines < 2 ? 2 : max_lines, al);
    return draw_layout(c, ly, x, y, w, al, col);
}

double sf_chart_text_height(sf_chart *c, const char *text, double size, bool bold, double w,
                            int max_lines)
{
    int pw, ph;
    PangoLayout *ly = layout_get(c, text, size, bold, w, max_lines < 2 ? 2 : max_lines, SF_AL_LEFT);
    if (!ly)
        return 0;
    pango_layout_get_size(ly, &pw, &ph);
    return (double)ph / PANGO_SCALE;
}

double sf_chart_text_width(sf_chart *c, const char *text, double size, bool bold)
{
    int pw, ph;
    PangoLayout *ly = layout_get(c, text, size, bold, 0, 1, SF_AL_LEFT);
    if (!ly)
        return 0;
    pango_layout_get_size(ly, &pw, &ph);
    return (double)pw / PANGO_SCALE;
}

void sf_chart_nothing(sf_chart *c, sf_box box, const char *text)
{
    cairo_save(c->cr);
    set_rgb(c->cr, rgb_empty);
    cairo_rectangle(c->cr, box.x, box.y, box.w, box.h);
    cairo_fill(c->cr);
    cairo_restore(c->cr);
    sf_chart_text(c, box.x + 8, box.y + box.h / 2 - 6, box.w - 16, text, 10, false,
                  SF_AL_CENTER, sf_rgb_muted);
}

double sf_chart_nice_step(double lo, double hi, int max_ticks, double *t0, double *t1)
{
    if (!(hi > lo)) {
        double m = fabs(hi) > 0 ? fabs(hi) : 1.0;
        lo = lo < 0 ? lo - m : 0;
        hi = hi > 0 ? hi + m : (lo < 0 ? 0 : 1);
        if (!(hi > lo))
            hi = lo + 1;
    }
    if (max_ticks < 1)
        max_ticks = 1;
    double raw = (hi - lo) / max_ticks;
    double mag = pow(10.0, floor(log10(raw)));
    double norm = raw / mag, step;
    if (norm <= 1.0)
        step = mag;
    else if (norm <= 2.0)
        step = 2 * mag;
    else if (norm <= 5.0)
        step = 5 * mag;
    else
        step = 10 * mag;
    *t0 = floor(lo / step + 1e-9) * step;
    *t1 = ceil(hi / step - 1e-9) * step;
    if (*t1 <= *t0)
        *t1 = *t0 + step;
    return step;
}

void sf_chart_fmt_money(const sf_lang *l, double cents, char *out, size_t n)
{
    sf_lang_fmt_money_short(l, (int64_t)llround(cents), out, n);
}

void sf_chart_fmt_count(const sf_lang *l, double v, char *out, size_t n)
{
    sf_lang_fmt_int(l, (int64_t)llround(v), out, n);
}

void sf_chart_fmt_pct(const sf_lang *l, double e4, char *out, size_t n)
{
    sf_lang_fmt_pct(l, (int64_t)llround(e4), 0, out, n);
}

/* e4 as a number with one decimal (calls per day): 12345 -> "1.2"; the
 * money formatter with one decimal gives the language's decimal mark. */
void sf_chart_fmt_dec1(const sf_lang *l, double e4, char *out, size_t n)
{
    sf_lang_fmt_money(l, (int64_t)llround(e4 / 100.0), 1, out, n);
}

typedef struct {
    double lo, hi, step;
    double p0, p1; /* pixel positions of lo and hi */
} axis;

static double axis_pos(const axis *a, double v)
{
    return a->p0 + (v - a->lo) / (a->hi - a->lo) * (a->p1 - a->p0);
}

double sf_chart_legend(sf_chart *c, double x, double y, double w, const char *const *names,
                       const sf_rgb *colors, size_t n)
{
    double cx = x;
    for (size_t i = 0; i < n; i++) {
        double tw = sf_chart_text_width(c, names[i], 8, false);
        if (tw > w - 14)
            tw = w - 14; /* only a name wider than the chart is cut */
        if (cx > x && cx + 14 + tw > x + w) {
            cx = x;
            y += 12;
        }
        set_rgb(c->cr, colors[i]);
        cairo_rectangle(c->cr, cx, y + 1.5, 8, 8);
        cairo_fill(c->cr);
        sf_chart_text(c, cx + 11, y, tw + 1, names[i], 8, false, SF_AL_LEFT, sf_rgb_text);
        cx += 11 + tw + 12;
    }
    return 14;
}

/* Value range of a bar chart: stacked sums positives and negatives apart. */
static void bars_range(const sf_bars *b, double *vmin, double *vmax)
{
    double lo = 0, hi = 0;
    for (size_t i = 0; i < b->n_cats; i++) {
        double pos = 0, neg = 0;
        for (size_t s = 0; s < b->n_series; s++) {
            double v = b->values[i * b->n_series + s];
            if (!isfinite(v))
                continue;
            if (b->stacked) {
                if (v > 0)
                    pos += v;
                else
                    neg += v;
            } else {
                if (v > hi)
                    hi = v;
                if (v < lo)
                    lo = v;
            }
        }
        if (pos > hi)
            hi = pos;
        if (neg < lo)
            lo = neg;
    }
    if (!isnan(b->band_lo)) {
        lo = fmin(lo, b->band_lo);
        hi = fmax(hi, b->band_hi);
    }
    if (!isnan(b->ref)) {
        lo = fmin(lo, b->ref);
        hi = fmax(hi, b->ref);
    }
    if (b->axis_max > 0 && hi <= b->axis_max) {
        hi = b->axis_max; /* labels that do not fit go inside their bars */
        lo -= lo < 0 ? (hi - lo) * 0.06 : 0;
    } else if (b->value_labels) { /* headroom for the labels at the bar ends */
        hi += (hi - lo) * 0.06;
        lo -= lo < 0 ? (hi - lo) * 0.06 : 0;
    }
    *vmin = lo;
    *vmax = hi;
}

/* Where a bar chart goes inside its box (below the legend). */
typedef struct {
    axis a;
    sf_box box;      /* the chart's box below the legend */
    sf_box p;        /* plot area */
    double label_w;  /* category labels of horizontal bars */
    double band;     /* room per category along the category axis */
} bars_geom;

/* The value axis (1-2-5 ticks, whole steps for counts), plot area and
 * category band of a chart of at least one category. */
static void bars_layout(sf_chart *c, const sf_bars *b, sf_box box, bars_geom *g)
{
    double vmin, vmax;
    bars_range(b, &vmin, &vmax);
    axis a;
    int max_ticks = b->horizontal ? (int)(box.w / 70) : (int)(box.h / 40);
    a.step = sf_chart_nice_step(vmin, vmax, max_ticks < 2 ? 2 : max_ticks, &a.lo, &a.hi);
    if (b->fmt == sf_chart_fmt_count && a.step < 1) { /* no half accounts */
        a.step = 1;
        a.lo = floor(a.lo);
        a.hi = ceil(a.hi);
        if (a.hi <= a.lo)
            a.hi = a.lo + 1;
    }

    /* plot area and category band geometry */
    sf_box p = box;
    double label_w = 0;
    if (b->horizontal) { /* the widest label, up to a third of the chart */
        double widest = 0;
        for (size_t i = 0; i < b->n_cats; i++)
            widest = fmax(widest, sf_chart_text_width(c, b->cats[i], 8, true));
        label_w = fmin(box.w * 0.36, fmax(60, widest + 4));
        p.x += label_w + 6;
        p.w -= label_w + 6 + 30;
        p.h -= 16;
        a.p0 = p.x;
        a.p1 = p.x + p.w;
    } else {
        p.x += 52;
        p.w -= 52;
        p.h -= 18;
        a.p0 = p.y + p.h;
        a.p1 = p.y;
    }
    double band = (b->horizontal ? p.h : p.w) / (double)b->n_cats;
    if (b->horizontal && band > 34) { /* few bars: keep them slim, at the top */
        band = 34;
        p.h = band * (double)b->n_cats;
    }
    *g = (bars_geom){.a = a, .box = box, .p = p, .label_w = label_w, .band = band};
}

/* The shaded band, then the grid lines with their tick labels. */
static void bars_grid(sf_chart *c, const sf_bars *b, const bars_geom *g)
{
    cairo_t *cr = c->cr;
    axis a = g->a;
    sf_box p = g->p;
    char buf[64];
    if (!isnan(b->band_lo)) {
        double q0 = axis_pos(&a, b->band_lo), q1 = axis_pos(&a, b->band_hi);
        cairo_set_source_rgba(cr, 0.18, 0.60, 0.30, 0.15);
        if (b->horizontal)
            cairo_rectangle(cr, q0, p.y, q1 - q0, p.h);
        else
            cairo_rectangle(cr, p.x, q1, p.w, q0 - q1);
        cairo_fill(cr);
    }
    cairo_set_line_width(cr, 0.5);
    for (double t = a.lo; t <= a.hi + a.step * 1e-6; t += a.step) {
        double q = axis_pos(&a, t);
        set_rgb(cr, sf_rgb_grid);
        if (b->horizontal) {
            cairo_move_to(cr, q, p.y);
            cairo_line_to(cr, q, p.y + p.h);
        } else {
            cairo_move_to(cr, p.x, q);
            cairo_line_to(cr, p.x + p.w, q);
        }
        cairo_stroke(cr);
        b->fmt(c->lang, fabs(t) < a.step * 1e-6 ? 0 : t, buf, sizeof buf);
        if (b->horizontal)
            sf_chart_text(c, q, p.y + p.h + 3, 0, buf, 7, false, SF_AL_CENTER, sf_rgb_muted);
        else
            sf_chart_text(c, p.x - 4, q - 5, 0, buf, 7, false, SF_AL_RIGHT, sf_rgb_muted);
    }
}

/* The label of a horizontal bar from q0 to q1 at y: the value, then the
 * note in grey ("1 / 3"), right of the bar's end; inside the bar, in
 * white, when that would leave the chart (a ratio at 100 % on an axis
 * that ends there). */
static void bar_label_h(sf_chart *c, const bars_geom *g, const char *value, const char *note,
                        double q0, double q1, double y, bool muted)
{
    char text[160];
    snprintf(text, sizeof text, "%s%s%s", value, note && *note ? "  " : "", note ? note : "");
    double tw = sf_chart_text_width(c, text, 6.5, false);
    double right = g->box.x + g->box.w;
    bool neg = q1 < q0;
    if (!neg && q1 + 2 + tw > right && q1 - q0 > tw + 4) {
        sf_chart_text(c, q1 - 2, y, 0, text, 6.5, false, SF_AL_RIGHT,
                      muted ? sf_rgb_text : (sf_rgb){1, 1, 1});
        return;
    }
    double x = neg ? q1 - 2 : q1 + 2;
    sf_align al = neg ? SF_AL_RIGHT : SF_AL_LEFT;
    if (!note || !*note || neg) {
        sf_chart_text(c, x, y, 0, text, 6.5, false, al, muted ? sf_rgb_muted : sf_rgb_text);
        return;
    }
    sf_chart_text(c, x, y, 0, value, 6.5, false, al, muted ? sf_rgb_muted : sf_rgb_text);
    double vw = sf_chart_text_width(c, value, 6.5, false);
    sf_chart_text(c, x + vw + 4, y, 0, note, 6.5, false, al, sf_rgb_muted);
}

/* Category i: its label, then its bars (or a dash for a missing value)
 * with their value labels. */
static void bars_category(sf_chart *c, const sf_bars *b, const bars_geom *g, size_t i)
{
    cairo_t *cr = c->cr;
    axis a = g->a;
    sf_box p = g->p;
    sf_box box = g->box;
    double band = g->band, label_w = g->label_w;
    char buf[64];
    double thick = band * 0.7;
    if (thick > 40)
        thick = 40;
    double fsize = b->horizontal ? fmin(8, fmax(5, band * 0.6)) : 8;
    double zero = axis_pos(&a, 0);
    double mid = (b->horizontal ? p.y : p.x) + band * (i + 0.5);
    bool bold = b->highlight && b->highlight[i];
    if (b->horizontal)
        sf_chart_text(c, box.x, mid - fsize * 0.65, label_w, b->cats[i], fsize, bold,
                      SF_AL_RIGHT, sf_rgb_text);
    else
        sf_chart_text(c, p.x + band * i + 2, p.y + p.h + 3, band - 4, b->cats[i], 8, bold,
                      SF_AL_CENTER, sf_rgb_text);
    if (b->missing && b->missing[i]) {
        if (b->horizontal)
            sf_chart_text(c, zero + 3, mid - fsize * 0.65, 0, "—", fsize, false,
                          SF_AL_LEFT, sf_rgb_muted);
        else
            sf_chart_text(c, mid, zero - 12, 0, "—", 8, false, SF_AL_CENTER, sf_rgb_muted);
        return;
    }
    double pos = 0, neg = 0, end = 0;
    size_t ns = b->n_series;
    bool muted = b->muted && b->muted[i];
    double sub = b->stacked ? thick : thick / (double)ns;
    for (size_t s = 0; s < ns; s++) {
        double v = b->values[i * ns + s];
        if (!isfinite(v))
            continue;
        if (v == 0 && !b->stacked && b->value_labels && band >= 9) {
            b->fmt(c->lang, 0, buf, sizeof buf);
            double off0 = -thick / 2 + sub * s;
            if (b->horizontal)
                bar_label_h(c, g, buf, b->notes ? b->notes[i * ns + s] : NULL, zero, zero,
                            mid + off0 + sub / 2 - 4, muted);
            else
                sf_chart_text(c, mid + off0 + sub / 2, zero - 10, 0, buf, 7, false,
                              SF_AL_CENTER, sf_rgb_text);
        }
        if (v == 0)
            continue;
        double from, to;
        if (b->stacked) {
            from = v > 0 ? pos : neg;
            to = from + v;
            if (v > 0)
                pos = to;
            else
                neg = to;
        } else {
            from = 0;
            to = v;
        }
        double q0 = axis_pos(&a, from), q1 = axis_pos(&a, to);
        double off = b->stacked ? -thick / 2 : -thick / 2 + sub * s;
        set_rgb(cr, muted ? sf_rgb_muted_bar : b->colors[s]);
        if (b->horizontal)
            cairo_rectangle(cr, fmin(q0, q1), mid + off, fabs(q1 - q0), sub);
        else
            cairo_rectangle(cr, mid + off, fmin(q0, q1), sub, fabs(q1 - q0));
        cairo_fill(cr);
        if (b->value_labels && !b->stacked && band >= 9) {
            b->fmt(c->lang, v, buf, sizeof buf);
            const char *note = b->notes ? b->notes[i * ns + s] : NULL;
            if (b->horizontal)
                bar_label_h(c, g, buf, note, q0, q1, mid + off + sub / 2 - 4, muted);
            else
                sf_chart_text(c, mid + off + sub / 2, v >= 0 ? q1 - 10 : q1 + 1, 0, buf, 7, false,
                              SF_AL_CENTER, muted ? sf_rgb_muted : sf_rgb_text);
        }
    }
    end = pos != 0 ? pos : neg;
    if (b->value_labels && b->stacked && end != 0 && band >= 9) {
        double q = axis_pos(&a, end);
        b->fmt(c->lang, pos + neg, buf, sizeof buf);
        if (b->horizontal)
            sf_chart_text(c, end > 0 ? q + 2 : q - 2, mid - 4, 0, buf, 6.5, false,
                          end > 0 ? SF_AL_LEFT : SF_AL_RIGHT, sf_rgb_text);
        else
            sf_chart_text(c, mid, end > 0 ? q - 10 : q + 1, 0, buf, 7, false, SF_AL_CENTER,
                          sf_rgb_text);
    }
}

/* The zero line and the reference line on top of the bars, and the
 * labels of the reference line and of the band. */
static void bars_overlay(sf_chart *c, const sf_bars *b, const bars_geom *g)
{
    cairo_t *cr = c->cr;
    axis a = g->a;
    sf_box p = g->p;
    sf_box box = g->box;
    double zero = axis_pos(&a, 0);
    set_rgb(cr, sf_rgb_muted);
    cairo_set_line_width(cr, 0.8);
    if (b->horizontal) {
        cairo_move_to(cr, zero, p.y);
        cairo_line_to(cr, zero, p.y + p.h);
    } else {
        cairo_move_to(cr, p.x, zero);
        cairo_line_to(cr, p.x + p.w, zero);
    }
    cairo_stroke(cr);
    if (!isnan(b->ref)) {
        double q = axis_pos(&a, b->ref);
        set_rgb(cr, sf_rgb_bad);
        cairo_set_line_width(cr, 1.2);
        double dash[] = {4, 3};
        cairo_set_dash(cr, dash, 2, 0);
        if (b->horizontal) {
            cairo_move_to(cr, q, p.y);
            cairo_line_to(cr, q, p.y + p.h);
        } else {
            cairo_move_to(cr, p.x, q);
            cairo_line_to(cr, p.x + p.w, q);
        }
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        if (b->ref_label) {
            double lw = sf_chart_text_width(c, b->ref_label, 7, false);
            if (b->horizontal && q + 2 + lw > box.x + box.w) /* keep it on the page */
                sf_chart_text(c, q - 2, p.y - 10, 0, b->ref_label, 7, false, SF_AL_RIGHT, sf_rgb_bad);
            else if (b->horizontal)
                sf_chart_text(c, q + 2, p.y - 10, 0, b->ref_label, 7, false, SF_AL_LEFT, sf_rgb_bad);
            else
                sf_chart_text(c, p.x + p.w, q - 10, 0, b->ref_label, 7, false, SF_AL_RIGHT,
                              sf_rgb_bad);
        }
    }
    if (!isnan(b->band_lo) && b->band_label) {
        double q = axis_pos(&a, b->band_hi);
        double lw = sf_chart_text_width(c, b->band_label, 7, false);
        bool flip = b->horizontal && q + 2 + lw > box.x + box.w;
        sf_chart_text(c, b->horizontal ? (flip ? q - 2 : q + 2) : p.x + 2,
                      b->horizontal ? p.y - 10 : q - 10, 0, b->band_label, 7, false,
                      flip ? SF_AL_RIGHT : SF_AL_LEFT, sf_rgb_good);
    }
}

void sf_chart_bars(sf_chart *c, sf_box box, const sf_bars *b)
{
    if (b->series_names) {
        sf_chart_legend(c, box.x, box.y, box.w, b->series_names, b->colors, b->n_series);
        box.y += 16;
        box.h -= 16;
    }
    if (b->n_cats == 0)
        return;
    bars_geom g;
    bars_layout(c, b, box, &g);
    bars_grid(c, b, &g);
    for (size_t i = 0; i < b->n_cats; i++)
        bars_category(c, b, &g, i);
    bars_overlay(c, b, &g);
}

sf_heat sf_chart_heat_of(int64_t mean_e4, int64_t hot_min, int64_t cold_below)
{
    int64_t ppm = mean_e4 * 100;
    if (ppm >= hot_min)
        return SF_HEAT_HOT;
    if (ppm >= cold_below)
        return SF_HEAT_WARM;
    return SF_HEAT_COLD;
}

void sf_chart_heatgrid(sf_chart *c, sf_box box, const sf_heatgrid *g)
{
    cairo_t *cr = c->cr;
    char n1[32], n2[32], buf[96];
    size_t nc = g->n_cols ? g->n_cols : 1;
    double label_w = fmin(box.w * 0.28, 180);
    double cw = (box.w - label_w) / (double)nc;
    double rh = box.h / (double)(g->n_rows + 1);
    if (rh > 40)
        rh = 40;
    double fs = fmin(9, fmax(5, rh * 0.42));
    for (size_t t = 0; t < g->n_cols; t++)
        sf_chart_text(c, box.x + label_w + cw * (double)t, box.y + rh / 2 - 6, cw, g->cols[t], 10, true,
                      SF_AL_CENTER, sf_rgb_text);
    for (size_t r = 0; r < g->n_rows; r++) {
        double y = box.y + rh * (double)(r + 1);
        bool bold = g->bold_row && g->bold_row[r];
        sf_chart_text(c, box.x, y + rh / 2 - fs * 0.65, label_w - 6, g->rows[r], fs, bold,
                      SF_AL_RIGHT, sf_rgb_text);
        for (size_t t = 0; t < g->n_cols; t++) {
            uint32_t n = g->count[r * g->n_cols + t];
            double x = box.x + label_w + cw * (double)t;
            sf_rgb fill = rgb_empty, ink = sf_rgb_muted;
            buf[0] = 0;
            if (n > 0) {
                int64_t mean = sf_div_round(g->rsum[r * g->n_cols + t], n);
                fill = sf_rgb_heat[sf_chart_heat_of(mean, g->hot_min, g->cold_below)];
                ink = (sf_rgb){1, 1, 1};
                sf_lang_fmt_int(c->lang, n, n1, sizeof n1);
                sf_lang_fmt_pct(c->lang, mean, 0, n2, sizeof n2);
                snprintf(buf, sizeof buf, "%s · %s", n1, n2);
            }
            set_rgb(cr, fill);
            cairo_rectangle(cr, x + 1, y + 1, cw - 2, rh - 2);
            cairo_fill(cr);
            if (buf[0])
                sf_chart_text(c, x + 2, y + rh / 2 - fs * 0.65, cw - 4, buf, fs, bold, SF_AL_CENTER,
                              ink);
        }
    }
}

void sf_chart_tile(sf_chart *c, sf_box box, const char *label, const char *value,
                   const char *note, sf_rgb accent)
{
    cairo_t *cr = c->cr;
    set_rgb(cr, (sf_rgb){0.96, 0.97, 0.98});
    cairo_rectangle(cr, box.x, box.y, box.w, box.h);
    cairo_fill(cr);
    set_rgb(cr, accent);
    cairo_rectangle(cr, box.x, box.y, 4, box.h);
    cairo_fill(cr);
    double w = box.w - 18;
    sf_chart_text_wrap(c, box.x + 12, box.y + 8, w, label, 8.5, sf_rgb_muted, 2);
    sf_chart_text(c, box.x + 12, box.y + 32, w, value, 20, true, SF_AL_LEFT, sf_rgb_text);
    if (note && *note)
        sf_chart_text_wrap(c, box.x + 12, box.y + 60, w, note, 7.5, sf_rgb_muted,
                           (int)((box.h - 62) / 9.5));
}
