/*
 * out_pdf.c - report.pdf: the charts of SPEC §4 on titled A4 landscape
 * pages, a table of page functions (report_pages) written by
 * sf_pdf_write; the action lists and KPI panels are the tables it shares
 * with the review pack (pdf_tables.c).
 *
 * Only the result structs of sf_report and dataset names are rendered.
 * Charts stay readable on real data: at most SF_PDF_MAX_OWNERS owners
 * (the rest folded into one "others" row), tables show the top N rows, the
 * Pareto curve is sampled, so the work is bounded however large the data.
 */
#include "output/sf_pdf_pages.h"
#include "output/sf_pdf_clv.h"
#include "output/sf_pdf_quality.h"
#include "output/sf_pdf_history.h"
#include "output/sf_pdf_tables.h"

#include "draw/sf_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_ROWS 20
#define DECLINE_BARS 15

/* ---- owners ---- */

static size_t n_owner_ids(const sf_dataset *ds)
{
    return ds->n_owners;
}

/* Owner id at sorted position k (owner_order when present). */
static uint32_t owner_at(const sf_dataset *ds, size_t k)
{
    return ds->owner_order ? ds->owner_order[k] : (uint32_t)k;
}

/* ---- per-owner rows of the summary grids ---- */

/* Rows of an owners x cols grid as the chart shows them: owners with a
 * non-zero row in name order, at most SF_PDF_MAX_OWNERS rows, the
 * lightest folded into a last "others (N)" row. vals[r * cols + c]. */
typedef struct {
    const char **names;
    double *vals;       /* bar values */
    uint32_t *count;    /* temperature grid counts (cols = SF_TIER_N) */
    int64_t *rsum;
    size_t n;
    char others[96];
} owner_rows;

static void owner_rows_free(owner_rows *r)
{
    free(r->names);
    free(r->vals);
    free(r->count);
    free(r->rsum);
    memset(r, 0, sizeof *r);
}

/* cell(id, c) gives the grid value; temp = fill count/rsum from temp_grid.
 * Returns false on out of memory. */
typedef double (*grid_cell_fn)(const sf_summary_result *s, uint32_t id, size_t c);

static double cell_due(const sf_summary_result *s, uint32_t id, size_t c)
{
    return s->due_grid ? (double)s->due_grid[id][c] : 0;
}
static double cell_verdict(const sf_summary_result *s, uint32_t id, size_t c)
{
    return s->verdict_grid ? (double)s->verdict_grid[id][c] : 0;
}
static double cell_temp(const sf_summary_result *s, uint32_t id, size_t c)
{
    return s->temp_grid ? (double)s->temp_grid[id][c].count : 0;
}

static bool owner_rows_build(const sf_output_ctx *o, grid_cell_fn fn, size_t cols, bool temp,
                             owner_rows *out)
{
    const sf_dataset *ds = o->ds;
    const sf_summary_result *s = &o->rep->summary;
    size_t n = n_owner_ids(ds), n_others = 0;
    memset(out, 0, sizeof *out);
    uint64_t *w = calloc(n ? n : 1, sizeof *w);
    size_t *sel = calloc(n ? n : 1, sizeof *sel);
    bool *shown = calloc(n ? n : 1, sizeof *shown);
    size_t cap = SF_PDF_MAX_OWNERS + 1;
    out->names = calloc(cap, sizeof *out->names);
    out->vals = calloc(cap * cols, sizeof *out->vals);
    out->count = calloc(cap * SF_TIER_N, sizeof *out->count);
    out->rsum = calloc(cap * SF_TIER_N, sizeof *out->rsum);
    bool ok = w && sel && shown && out->names && out->vals && out->count && out->rsum;
    if (ok) {
        for (size_t k = 0; k < n; k++) {
            uint32_t id = owner_at(ds, k);
            double t = 0;
            for (size_t c = 0; c < cols; c++)
                t += fn(s, id, c);
            w[k] = (uint64_t)t;
        }
        size_t m = sf_pdf_pick(w, n, SF_PDF_MAX_OWNERS, SIZE_MAX, false, sel, &n_others);
        ok = m != SIZE_MAX;
        if (ok) {
            for (size_t j = 0; j < m; j++)
                shown[sel[j]] = true;
            out->n = m + (n_others > 0);
            for (size_t k = 0; k < n; k++) {
                if (w[k] == 0)
                    continue;
                uint32_t id = owner_at(ds, k);
                size_t r = m; /* others */
                if (shown[k]) {
                    for (r = 0; r < m && sel[r] != k; r++)
                        ;
                    out->names[r] = sf_pdf_owner_name(o, id);
                }
                for (size_t c = 0; c < cols; c++)
                    out->vals[r * cols + c] += fn(s, id, c);
                if (temp && s->temp_grid)
                    for (size_t c = 0; c < SF_TIER_N; c++) {
                        out->count[r * SF_TIER_N + c] += s->temp_grid[id][c].count;
                        out->rsum[r * SF_TIER_N + c] += s->temp_grid[id][c].realization_sum;
                    }
            }
            if (n_others) {
                sf_pdf_label_nm(o, "others", (int64_t)n_others, 0, out->others, sizeof out->others);
                out->names[m] = out->others;
            }
        }
    }
    free(w);
    free(sel);
    free(shown);
    if (!ok)
        owner_rows_free(out);
    return ok;
}

/* ---- pages ---- */

static void fmt_growth(const sf_output_ctx *o, int64_t e4, char *out, size_t n)
{
    if (e4 == SF_NONE) {
        snprintf(out, n, "—");
        return;
    }
    char p[48];
    sf_lang_fmt_pct(o->lang, e4, 1, p, sizeof p);
    snprintf(out, n, "%s%s", e4 > 0 ? "+" : "", p);
}

static bool page_cover(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    (void)owner;
    const sf_summary_result *s = &o->rep->summary;
    const sf_dataset *ds = o->ds;
    sf_chart *c = &d->ch;
    char v[96], v2[200], note[256], a[48], b[48];
    /* room under the tiles: the notes, and first the warning of a book
     * without revenue */
    double foot = s->no_revenue ? 58 : 30;
    double tw = (box.w - 3 * 12) / 4, th = (box.h - foot - 2 * 12) / 3;
#define TILE(i) ((sf_box){box.x + ((i) % 4) * (tw + 12), box.y + ((i) / 4) * (th + 12), tw, th})
    /* revenue and growth */
    sf_lang_fmt_money_short(o->lang, s->rev12_total, v, sizeof v);
    sf_lang_fmt_money_short(o->lang, s->rev_prev12_total, a, sizeof a);
    snprintf(note, sizeof note, "%s: %s %s", sf_pdf_label(o, "prev_year"), a,
             o->cfg && o->cfg->currency ? o->cfg->currency : "");
    snprintf(v2, sizeof v2, "%s %s", v, o->cfg && o->cfg->currency ? o->cfg->currency : "");
    sf_chart_tile(c, TILE(0), sf_pdf_label(o, "tile_revenue"), v2, note, sf_rgb_accent);
    fmt_growth(o, s->growth, v, sizeof v);
    /* growth the data cannot support is "—" with the reason */
    sf_note gn = {.kind = SF_NOTE_GROWTH_PARTIAL, .d1 = s->first_tx, .d2 = s->prior_start};
    if (s->growth == SF_NONE)
        sf_pdf_label_note(o, s->growth_why == SF_GROWTH_PARTIAL ? "growth_na_partial" : "growth_na_no_prior", &gn,
                          note, sizeof note);
    sf_chart_tile(c, TILE(1), sf_pdf_label(o, "tile_growth"), v,
                  s->growth == SF_NONE ? note : sf_pdf_label(o, "tile_growth_note"),
                  s->growth != SF_NONE && s->growth < 0 ? sf_rgb_bad : s->growth == SF_NONE ? sf_rgb_muted : sf_rgb_good);
    /* tiers */
    for (int t = 0; t < SF_TIER_N; t++) {
        char lab[96];
        snprintf(lab, sizeof lab, "%s %s", sf_pdf_label(o, "tier"), sf_pdf_tier_label(o, (sf_tier)t));
        sf_lang_fmt_int(o->lang, s->tier_accounts[t], a, sizeof a);
        snprintf(v, sizeof v, "%s", a);
        sf_lang_fmt_money_short(o->lang, s->tier_revenue[t], b, sizeof b);
        snprintf(note, sizeof note, "%s · %s: %s", sf_pdf_label(o, "accounts"),
                 sf_pdf_label(o, "revenue"), b);
        sf_chart_tile(c, TILE(2 + t), lab, v, note, sf_pdf_rgb_tier[t]);
    }
    /* actions */
    sf_lang_fmt_int(o->lang, s->due_count, v, sizeof v);
    sf_chart_tile(c, TILE(6), sf_pdf_label(o, "tile_due"), v, sf_pdf_label(o, "tile_due_note"),
                  sf_rgb_accent);
    sf_lang_fmt_int(o->lang, s->alert_count, v, sizeof v);
    sf_pdf_label_nm(o, "tile_alerts_note", s->lost_count, 0, note, sizeof note);
    sf_chart_tile(c, TILE(7), sf_pdf_label(o, "tile_alerts"), v, note, sf_rgb_bad);
    sf_lang_fmt_int(o->lang, s->fire_count, v, sizeof v);
    sf_pdf_label_nm(o, "tile_fire_note", o->rep->fire.eligible, 0, note, sizeof note);
    sf_chart_tile(c, TILE(8), sf_pdf_label(o, "tile_fire"), v, note, sf_rgb_muted);
    char p0[24], p1[24], p2[24];
    sf_lang_fmt_int(o->lang, s->verdict_count[0], p0, sizeof p0);
    sf_lang_fmt_int(o->lang, s->verdict_count[1], p1, sizeof p1);
    sf_lang_fmt_int(o->lang, s->verdict_count[2], p2, sizeof p2);
    snprintf(v, sizeof v, "%s / %s / %s", p0, p1, p2);
    snprintf(note, sizeof note, "%s / %s / %s", sf_pdf_verdict_label(o, SF_VERDICT_PURSUE), sf_pdf_verdict_label(o, SF_VERDICT_QUALIFY),
             sf_pdf_verdict_label(o, SF_VERDICT_DROP));
    sf_chart_tile(c, TILE(9), sf_pdf_label(o, "tile_pipeline"), v, note, sf_pdf_rgb_verdict[0]);
    int64_t read = 0;
    for (int f = 0; f < SF_FILE_N; f++)
        read += ds->files[f].present ? ds->files[f].read : 0;
    sf_lang_fmt_int(o->lang, s->rejected_total, v, sizeof v);
    sf_pdf_label_nm(o, "tile_rejected_note", read, 0, note, sizeof note);
    sf_chart_tile(c, TILE(10), sf_pdf_label(o, "tile_rejected"), v, note,
                  s->rejected_total > 0 ? sf_rgb_bad : sf_rgb_good);
    sf_lang_fmt_int(o->lang, ds->n_accounts, v, sizeof v);
    sf_pdf_label_nm(o, "tile_accounts_note", o->rep->tiers.n_buying, 0, note, sizeof note);
    sf_chart_tile(c, TILE(11), sf_pdf_label(o, "tile_accounts"), v, note, sf_rgb_accent2);
#undef TILE
    /* missing inputs: say which parts are left out and why */
    double y = box.y + box.h - 22;
    if (s->no_revenue) /* a report of zeros is no result: say so first */
        sf_chart_text_wrap(c, box.x, box.y + box.h - foot + 6, box.w, sf_pdf_label(o, "warn_no_revenue"), 10,
                           sf_rgb_bad, 2);
    if (!ds->have_activities)
        y -= sf_chart_text(c, box.x, y, box.w, sf_pdf_label(o, "no_activities"), 8, false,
                           SF_AL_LEFT, sf_rgb_muted);
    if (!ds->have_opportunities)
        sf_chart_text(c, box.x, y + 10, box.w, sf_pdf_label(o, "no_opportunities"), 8, false,
                      SF_AL_LEFT, sf_rgb_muted);
    return true;
}

static bool page_tiers(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    (void)owner;
    const sf_summary_result *s = &o->rep->summary;
    sf_chart *c = &d->ch;
    const char *cats[SF_TIER_N];
    double acc[SF_TIER_N], rev[SF_TIER_N];
    for (int t = 0; t < SF_TIER_N; t++) {
        cats[t] = sf_pdf_tier_label(o, (sf_tier)t);
        acc[t] = s->tier_accounts[t];
        rev[t] = (double)s->tier_revenue[t];
    }
    double gw = (box.w - 30) / 2, th = 15.0 * SF_TIER_N + 26 + 8; /* a header of up to two lines */
    sf_box b1 = {box.x, box.y, gw, box.h - 30 - th}, b2 = {box.x + gw + 30, box.y, gw, box.h - 30 - th};
    sf_chart_text(c, b1.x, b1.y, gw, sf_pdf_label(o, "chart_accounts"), 11, true, SF_AL_LEFT, sf_rgb_text);
    char rl[160];
    snprintf(rl, sizeof rl, "%s (%s)", sf_pdf_label(o, "chart_revenue"),
             o->cfg && o->cfg->currency ? o->cfg->currency : "");
    sf_chart_text(c, b2.x, b2.y, gw, rl, 11, true, SF_AL_LEFT, sf_rgb_text);
    b1.y += 24;
    b1.h -= 24;
    b2.y += 24;
    b2.h -= 24;
    /* one series per tier, so each bar gets its tier's colour */
    double va[SF_TIER_N * SF_TIER_N] = {0}, vr[SF_TIER_N * SF_TIER_N] = {0};
    for (int t = 0; t < SF_TIER_N; t++) {
        va[t * SF_TIER_N + t] = acc[t];
        vr[t * SF_TIER_N + t] = rev[t];
    }
    sf_bars ba = {.cats = cats, .n_cats = SF_TIER_N, .values = va, .n_series = SF_TIER_N,
                  .colors = sf_pdf_rgb_tier, .stacked = true, .value_labels = true,
                  .fmt = sf_chart_fmt_count, .band_lo = NAN, .band_hi = NAN, .ref = NAN};
    sf_chart_bars(c, b1, &ba);
    sf_bars br = ba;
    br.values = vr;
    br.fmt = sf_chart_fmt_money;
    sf_chart_bars(c, b2, &br);
    /* the exact figures under the bars */
    char cells[SF_TIER_N][3][64];
    char *ptrs[SF_TIER_N * 3];
    for (int t = 0; t < SF_TIER_N; t++) {
        snprintf(cells[t][0], 64, "%s", cats[t]);
        sf_lang_fmt_int(o->lang, s->tier_accounts[t], cells[t][1], 64);
        sf_lang_fmt_money(o->lang, s->tier_revenue[t], 0, cells[t][2], 64);
        for (int k = 0; k < 3; k++)
            ptrs[t * 3 + k] = cells[t][k];
    }
    const char *hdr[3] = {sf_pdf_label(o, "col_tier"), sf_pdf_label(o, "col_accounts"), rl};
    static const double wd[3] = {0.2, 0.3, 0.5};
    static const sf_align al[3] = {SF_AL_CENTER, SF_AL_RIGHT, SF_AL_RIGHT};
    sf_table tb = {.headers = hdr, .widths = wd, .align = al, .n_cols = 3, .cells = ptrs,
                   .n_rows = SF_TIER_N, .row_mark = sf_pdf_rgb_tier};
    sf_chart_table(c, (sf_box){box.x, box.y + box.h - 26 - th, gw, th}, &tb);
    sf_chart_text_wrap(c, box.x, box.y + box.h - 22, box.w, sf_pdf_label(o, "tiers_note"), 8,
                       sf_rgb_muted, 2);
    return true;
}

static bool page_pareto(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    (void)owner;
    const sf_tiers_result *t = &o->rep->tiers;
    const sf_dataset *ds = o->ds;
    sf_chart *c = &d->ch;
    cairo_t *cr = d->cr;
    if (t->n_buying == 0 || !t->by_rev) {
        sf_chart_nothing(c, (sf_box){box.x, box.y, box.w, 40}, sf_pdf_label(o, "nothing"));
        return true;
    }
    /* total of the curve's own points: the last cumulative value */
    double total = 0;
    for (uint32_t i = 0; i < t->n_buying; i++)
        total += (double)ds->accounts[t->by_rev[i]].rev12;
    if (!(total > 0)) {
        sf_chart_nothing(c, (sf_box){box.x, box.y, box.w, 40}, sf_pdf_label(o, "nothing"));
        return true;
    }
    sf_box p = {box.x + 50, box.y + 20, box.w - 70, box.h - 100};
    char buf[64];
    /* grid and axes 0..100 % both ways, 10 % steps */
    cairo_set_line_width(cr, 0.5);
    for (int i = 0; i <= 10; i++) {
        double fx = p.x + p.w * i / 10.0, fy = p.y + p.h - p.h * i / 10.0;
        cairo_set_source_rgb(cr, sf_rgb_grid.r, sf_rgb_grid.g, sf_rgb_grid.b);
        cairo_move_to(cr, fx, p.y);
        cairo_line_to(cr, fx, p.y + p.h);
        cairo_move_to(cr, p.x, fy);
        cairo_line_to(cr, p.x + p.w, fy);
        cairo_stroke(cr);
        sf_lang_fmt_pct(o->lang, i * 1000, 0, buf, sizeof buf);
        sf_chart_text(c, fx, p.y + p.h + 16, 0, buf, 7, false, SF_AL_CENTER, sf_rgb_muted);
        sf_chart_text(c, p.x - 4, fy - 5, 0, buf, 7, false, SF_AL_RIGHT, sf_rgb_muted);
    }
    sf_chart_text(c, p.x, p.y + p.h + 28, p.w, sf_pdf_label(o, "pareto_x"), 8.5, false, SF_AL_CENTER,
                  sf_rgb_text);
    sf_chart_text(c, box.x, box.y, p.w, sf_pdf_label(o, "pareto_y"), 8.5, false, SF_AL_LEFT,
                  sf_rgb_text);
    /* tier strip under the axis: each client's x range in its tier's colour;
     * one colour per device column so 100 000 clients cost ~700 rectangles */
    uint32_t n = t->n_buying;
    uint32_t cols = (uint32_t)p.w, steps = n <= cols ? n : cols;
    for (uint32_t k = 0; k < steps; k++) {
        uint32_t i = n <= cols ? k : (uint32_t)((uint64_t)k * n / cols);
        sf_tier tr = t->acc ? t->acc[t->by_rev[i]].tier : SF_TIER_C;
        double x0 = p.x + p.w * (double)k / steps, x1 = p.x + p.w * (double)(k + 1) / steps;
        cairo_set_source_rgb(cr, sf_pdf_rgb_tier[tr].r, sf_pdf_rgb_tier[tr].g, sf_pdf_rgb_tier[tr].b);
        cairo_rectangle(cr, x0, p.y + p.h + 3, x1 - x0 + 0.3, 9);
        cairo_fill(cr);
    }
    /* the curve, sampled to at most ~2 points per device unit */
    uint32_t stride = n / 1200 + 1;
    double cum = 0;
    cairo_set_source_rgb(cr, sf_rgb_accent.r, sf_rgb_accent.g, sf_rgb_accent.b);
    cairo_set_line_width(cr, 2);
    cairo_move_to(cr, p.x, p.y + p.h);
    for (uint32_t i = 0; i < n; i++) {
        cum += (double)ds->accounts[t->by_rev[i]].rev12;
        if ((i + 1) % stride == 0 || i + 1 == n)
            cairo_line_to(cr, p.x + p.w * (double)(i + 1) / n, p.y + p.h - p.h * cum / total);
    }
    cairo_stroke(cr);
    /* diagonal: every client equal */
    double dash[] = {3, 3};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_source_rgb(cr, sf_rgb_muted.r, sf_rgb_muted.g, sf_rgb_muted.b);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, p.x, p.y + p.h);
    cairo_line_to(cr, p.x + p.w, p.y);
    cairo_stroke(cr);
    /* the leading group that sets the A level */
    if (t->k > 0 && t->k <= n) {
        double kx = p.x + p.w * (double)t->k / n;
        cairo_set_source_rgb(cr, sf_rgb_bad.r, sf_rgb_bad.g, sf_rgb_bad.b);
        cairo_move_to(cr, kx, p.y);
        cairo_line_to(cr, kx, p.y + p.h);
        cairo_stroke(cr);
        char lbl[160];
        sf_pdf_label_nm(o, "pareto_leading", t->k, n, lbl, sizeof lbl);
        if (kx + 4 + sf_chart_text_width(c, lbl, 8, false) > p.x + p.w)
            sf_chart_text(c, kx - 4, p.y + 4, 0, lbl, 8, false, SF_AL_RIGHT, sf_rgb_bad);
        else
            sf_chart_text(c, kx + 4, p.y + 4, 0, lbl, 8, false, SF_AL_LEFT, sf_rgb_bad);
    }
    cairo_set_dash(cr, NULL, 0, 0);
    const char *names[SF_TIER_N];
    for (int i = 0; i < SF_TIER_N; i++)
        names[i] = sf_pdf_tier_label(o, (sf_tier)i);
    sf_chart_text(c, box.x, box.y + box.h - 24, 0, sf_pdf_label(o, "pareto_strip"), 8, false,
                  SF_AL_LEFT, sf_rgb_muted);
    sf_chart_legend(c, box.x + sf_chart_text_width(c, sf_pdf_label(o, "pareto_strip"), 8, false) + 10,
                    box.y + box.h - 24, 300, names, sf_pdf_rgb_tier, SF_TIER_N);
    return true;
}

static void temp_legend(sf_pdf_doc *d, const sf_output_ctx *o, double x, double y, double w)
{
    char l0[96], l1[96], l2[96], hp[32], cp[32];
    sf_lang_fmt_pct(o->lang, o->cfg->hot_min / 100, 0, hp, sizeof hp);
    sf_lang_fmt_pct(o->lang, o->cfg->cold_below / 100, 0, cp, sizeof cp);
    snprintf(l0, sizeof l0, "%s ≥ %s", sf_lang_get(o->lang, "common.temp_hot"), hp);
    snprintf(l1, sizeof l1, "%s %s–%s", sf_lang_get(o->lang, "common.temp_warm"), cp, hp);
    snprintf(l2, sizeof l2, "%s < %s", sf_lang_get(o->lang, "common.temp_cold"), cp);
    const char *names[3] = {l0, l1, l2};
    sf_chart_legend(&d->ch, x, y, w, names, sf_rgb_heat, 3);
}

static bool page_temperature(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    (void)owner;
    owner_rows rows;
    if (!owner_rows_build(o, cell_temp, SF_TIER_N, true, &rows))
        return false;
    temp_legend(d, o, box.x, box.y, box.w);
    sf_chart_text_wrap(&d->ch, box.x, box.y + box.h - 22, box.w, sf_pdf_label(o, "temp_note"), 8,
                       sf_rgb_muted, 2);
    sf_box g = {box.x, box.y + 20, box.w, box.h - 48};
    if (rows.n == 0) {
        sf_chart_nothing(&d->ch, (sf_box){g.x, g.y, g.w, 40}, sf_pdf_label(o, "nothing"));
    } else {
        const char *tiers[SF_TIER_N];
        for (int t = 0; t < SF_TIER_N; t++)
            tiers[t] = sf_pdf_tier_label(o, (sf_tier)t);
        sf_heatgrid tg = {.rows = rows.names, .n_rows = rows.n, .cols = tiers, .n_cols = SF_TIER_N,
                          .count = rows.count, .rsum = rows.rsum,
                          .hot_min = o->cfg->hot_min, .cold_below = o->cfg->cold_below};
        sf_chart_heatgrid(&d->ch, g, &tg);
    }
    owner_rows_free(&rows);
    return true;
}

static bool page_due(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    (void)owner;
    owner_rows rows;
    if (!owner_rows_build(o, cell_due, SF_TIER_N, false, &rows))
        return false;
    if (!o->ds->have_activities)
        sf_chart_text(&d->ch, box.x, box.y + box.h - 12, box.w, sf_pdf_label(o, "no_activities"), 8,
                      false, SF_AL_LEFT, sf_rgb_muted);
    if (rows.n == 0) {
        sf_chart_nothing(&d->ch, (sf_box){box.x, box.y, box.w, 40}, sf_pdf_label(o, "nothing_due"));
    } else {
        const char *names[SF_TIER_N];
        for (int i = 0; i < SF_TIER_N; i++)
            names[i] = sf_pdf_tier_label(o, (sf_tier)i);
        sf_bars b = {.cats = rows.names, .n_cats = rows.n, .values = rows.vals, .n_series = SF_TIER_N,
                     .colors = sf_pdf_rgb_tier, .series_names = names, .stacked = true, .horizontal = true,
                     .value_labels = true, .fmt = sf_chart_fmt_count, .band_lo = NAN, .band_hi = NAN,
                     .ref = NAN};
        sf_chart_bars(&d->ch, (sf_box){box.x, box.y, box.w, box.h - 16}, &b);
    }
    owner_rows_free(&rows);
    return true;
}

static bool page_declines(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    (void)owner;
    const sf_decline_result *dr = &o->rep->decline;
    size_t n = dr->n < DECLINE_BARS ? dr->n : DECLINE_BARS;
    if (n == 0) {
        sf_chart_nothing(&d->ch, (sf_box){box.x, box.y, box.w, 40}, sf_pdf_label(o, "nothing_declines"));
        return true;
    }
    const char *cats[DECLINE_BARS];
    double vals[DECLINE_BARS * 2];
    for (size_t i = 0; i < n; i++) {
        const sf_decline_row *r = &dr->rows[i];
        cats[i] = o->ds->accounts[r->account].name;
        vals[i * 2] = r->lost ? 0 : (double)r->drop;
        vals[i * 2 + 1] = r->lost ? (double)r->drop : 0;
    }
    const char *names[2] = {sf_pdf_label(o, "declining"), sf_pdf_label(o, "lost")};
    const sf_rgb colors[2] = {sf_rgb_heat[SF_HEAT_WARM], sf_rgb_bad};
    sf_bars b = {.cats = cats, .n_cats = n, .values = vals, .n_series = 2, .colors = colors,
                 .series_names = names, .stacked = true, .horizontal = true, .value_labels = true,
                 .fmt = sf_chart_fmt_money, .band_lo = NAN, .band_hi = NAN, .ref = NAN};
    /* what the bars compare: "top 15 of 49 · last 90 days against the same
     * 90 days a year earlier" */
    char cap[512], top[160], win[320];
    sf_pdf_label_nm(o, "top_of", (int64_t)n, dr->n, top, sizeof top);
    sf_pdf_label_nm(o, o->cfg->decline_compare == SF_CMP_YOY ? "declines_yoy" : "declines_previous",
                    o->cfg->decline_window_days, 0, win, sizeof win);
    snprintf(cap, sizeof cap, "%s · %s", top, win);
    sf_chart_text(&d->ch, box.x + box.w, box.y, 0, cap, 8, false, SF_AL_RIGHT, sf_rgb_muted);
    sf_chart_bars(&d->ch, (sf_box){box.x, box.y, box.w, box.h - 24}, &b);
    sf_chart_text_wrap(&d->ch, box.x, box.y + box.h - 16, box.w, sf_pdf_label(o, "declines_note"), 8,
                       sf_rgb_muted, 2);
    return true;
}

/* Time split: recommended vs actual share of time on A clients, per
 * owner; the (all) row last and bold. */
static bool page_split(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    (void)owner;
    const sf_split_result *sr = &o->rep->split;
    if (sr->n == 0) {
        sf_chart_nothing(&d->ch, (sf_box){box.x, box.y, box.w, 40}, sf_pdf_label(o, "nothing"));
        return true;
    }
    size_t n = sr->n, n_others = 0;
    uint64_t *w = calloc(n, sizeof *w);
    size_t *sel = calloc(n, sizeof *sel);
    const char **cats = calloc(n, sizeof *cats);
    double *vals = calloc(2 * n, sizeof *vals);
    bool *hl = calloc(n, sizeof *hl);
    bool ok = w && sel && cats && vals && hl;
    size_t m = 0, all_idx = SIZE_MAX;
    if (ok) {
        for (size_t i = 0; i < n; i++) {
            /* owners with revenue or logged time; (all) is always kept */
            w[i] = (uint64_t)(sr->rows[i].minutes > 0 ? sr->rows[i].minutes : 0) +
                   (sr->rows[i].key_share > 0 || sr->rows[i].recommended_key > 0);
            if (sr->rows[i].owner == SF_OWNER_ALL)
                all_idx = i;
        }
        m = sf_pdf_pick(w, n, SF_PDF_MAX_OWNERS, all_idx, false, sel, &n_others);
        ok = m != SIZE_MAX;
    }
    if (ok) {
        for (size_t j = 0; j < m; j++) {
            const sf_split_row *r = &sr->rows[sel[j]];
            /* the row of everyone reads "Team", not the lists' "(all)" */
            cats[j] = r->owner == SF_OWNER_ALL ? sf_pdf_label(o, "team") : sf_pdf_owner_name(o, r->owner);
            hl[j] = r->owner == SF_OWNER_ALL;
            vals[j * 2] = (double)r->recommended_key;
            vals[j * 2 + 1] = r->actual_key == SF_NONE ? NAN : (double)r->actual_key;
        }
        const char *names[2] = {sf_pdf_label(o, "split_recommended"), sf_pdf_label(o, "split_actual")};
        const sf_rgb colors[2] = {sf_rgb_accent2, sf_rgb_accent};
        sf_bars b = {.cats = cats, .n_cats = m, .values = vals, .n_series = 2, .colors = colors,
                     .series_names = names, .horizontal = true, .value_labels = true,
                     .fmt = sf_chart_fmt_pct, .band_lo = NAN, .band_hi = NAN, .ref = NAN,
                     .highlight = hl, .axis_max = SF_E4};
        char win[256];
        sf_pdf_label_nm(o, "split_window", o->cfg->actual_window_days, 0, win, sizeof win);
        sf_chart_text(&d->ch, box.x + box.w, box.y, 0, win, 8, false, SF_AL_RIGHT, sf_rgb_muted);
        sf_chart_bars(&d->ch, (sf_box){box.x, box.y, box.w, box.h - 30}, &b);
        sf_chart_text_wrap(&d->ch, box.x, box.y + box.h - 22, box.w,
                           sf_pdf_label(o, o->ds->have_activities ? "split_note" : "no_activities"), 8,
                           sf_rgb_muted, 2);
    }
    free(w);
    free(sel);
    free(cats);
    free(vals);
    free(hl);
    return ok;
}

static bool page_pipeline(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    (void)owner;
    const sf_summary_result *s = &o->rep->summary;
    sf_chart *c = &d->ch;
    if (!o->ds->have_opportunities) {
        sf_chart_nothing(c, (sf_box){box.x, box.y, box.w, 40}, sf_pdf_label(o, "no_opportunities"));
        return true;
    }
    double gw = (box.w - 30) * 0.55, gw2 = box.w - 30 - gw;
    sf_box b1 = {box.x, box.y, gw, box.h}, b2 = {box.x + gw + 30, box.y, gw2, box.h};
    sf_chart_text(c, b1.x, b1.y, gw, sf_pdf_label(o, "pipeline_owners"), 11, true, SF_AL_LEFT, sf_rgb_text);
    sf_chart_text(c, b2.x, b2.y, gw2, sf_pdf_label(o, "pipeline_misses"), 11, true, SF_AL_LEFT, sf_rgb_text);
    b1.y += 22;
    b1.h -= 22;
    b2.y += 22;
    b2.h -= 22;
    owner_rows rows;
    if (!owner_rows_build(o, cell_verdict, 3, false, &rows))
        return false;
    if (rows.n == 0) {
        sf_chart_nothing(c, (sf_box){b1.x, b1.y, b1.w, 40}, sf_pdf_label(o, "nothing"));
    } else {
        const char *names[3] = {sf_pdf_verdict_label(o, SF_VERDICT_PURSUE), sf_pdf_verdict_label(o, SF_VERDICT_QUALIFY), sf_pdf_verdict_label(o, SF_VERDICT_DROP)};
        sf_bars b = {.cats = rows.names, .n_cats = rows.n, .values = rows.vals, .n_series = 3,
                     .colors = sf_pdf_rgb_verdict, .series_names = names, .stacked = true,
                     .horizontal = true, .value_labels = true, .fmt = sf_chart_fmt_count,
                     .band_lo = NAN, .band_hi = NAN, .ref = NAN};
        sf_chart_bars(c, b1, &b);
    }
    owner_rows_free(&rows);
    /* filter misses, most common first */
    static const char *const keys[SF_F1_MISS_N + SF_F2_MISS_N] = {
        "miss_industry", "miss_employees", "miss_region", "miss_company_revenue", "miss_fit",
        "miss_no_next_step", "miss_next_step_overdue", "miss_next_step_too_far", "miss_stale",
        "miss_low_probability", "miss_no_decision_maker"};
    size_t nm = SF_F1_MISS_N + SF_F2_MISS_N;
    uint64_t cnt[SF_F1_MISS_N + SF_F2_MISS_N];
    sf_pdf_weighted order[SF_F1_MISS_N + SF_F2_MISS_N];
    size_t k = 0;
    for (size_t i = 0; i < nm; i++) {
        cnt[i] = i < SF_F1_MISS_N ? s->f1_miss_count[i] : s->f2_miss_count[i - SF_F1_MISS_N];
        if (cnt[i] > 0)
            order[k++] = (sf_pdf_weighted){i, cnt[i]};
    }
    if (o->rep->pipeline.next_step_skipped) /* the report says so (SPEC §3.6 as amended) */
        sf_chart_text_wrap(c, b2.x, b2.y + b2.h - 24, b2.w, sf_pdf_label(o, "pipeline_no_next_step"), 8,
                           sf_rgb_muted, 2);
    if (k == 0) {
        sf_chart_nothing(c, (sf_box){b2.x, b2.y, b2.w, 40}, sf_pdf_label(o, "nothing_misses"));
        return true;
    }
    qsort(order, k, sizeof *order, sf_pdf_cmp_weighted);
    const char *cats[SF_F1_MISS_N + SF_F2_MISS_N];
    double vals[(SF_F1_MISS_N + SF_F2_MISS_N) * 2];
    for (size_t i = 0; i < k; i++) {
        bool f1 = order[i].idx < SF_F1_MISS_N;
        cats[i] = sf_pdf_label(o, keys[order[i].idx]);
        vals[i * 2] = f1 ? (double)order[i].w : 0;
        vals[i * 2 + 1] = f1 ? 0 : (double)order[i].w;
    }
    const char *names[2] = {sf_pdf_label(o, "filter1"), sf_pdf_label(o, "filter2")};
    const sf_rgb colors[2] = {sf_pdf_rgb_verdict[SF_VERDICT_DROP], sf_pdf_rgb_verdict[SF_VERDICT_QUALIFY]};
    sf_bars b = {.cats = cats, .n_cats = k, .values = vals, .n_series = 2, .colors = colors,
                 .series_names = names, .stacked = true, .horizontal = true, .value_labels = true,
                 .fmt = sf_chart_fmt_count, .band_lo = NAN, .band_hi = NAN, .ref = NAN};
    double bh = fmin(b2.h, 30 + 26.0 * (double)k);
    sf_chart_bars(c, (sf_box){b2.x, b2.y, b2.w, bh}, &b);
    return true;
}

/* ---- the report ---- */

static bool page_kpi(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    return sf_pdf_kpi_panels(d, o, box, owner);
}

/* The action lists: the top TABLE_ROWS of a shared table each, on as many
 * pages as their wrapped rows need. */
static const sf_pdf_flow_item flow_due[] = {{&sf_pdf_tab_due, "tab_due", TABLE_ROWS, NULL, NULL}};
static const sf_pdf_flow_item flow_declines[] = {
    {&sf_pdf_tab_declines, "tab_declines", TABLE_ROWS, NULL, NULL}};
static const sf_pdf_flow_item flow_fire[] = {{&sf_pdf_tab_fire, "tab_fire", TABLE_ROWS, NULL, NULL}};
static const sf_pdf_flow_item flow_pursue[] = {
    {&sf_pdf_tab_pursue, "tab_pursue", TABLE_ROWS, NULL, NULL}};

#define FLOW(items) NULL, NULL, (items), SF_ARRAY_LEN(items)

/* The report's pages in order (SPEC §4); every page is part of every
 * report, a page that has nothing to show says so. */
static const sf_pdf_page_def report_pages[] = {
    {"page_cover", page_cover, NULL, NULL, 0},
    {"page_tiers", page_tiers, NULL, NULL, 0},
    {"page_pareto", page_pareto, NULL, NULL, 0},
    {"page_temperature", page_temperature, NULL, NULL, 0},
    {"page_due", page_due, NULL, NULL, 0},
    {"page_declines", page_declines, NULL, NULL, 0},
    {"page_reorder", sf_pdf_page_reorder, NULL, NULL, 0},
    {"page_split", page_split, NULL, NULL, 0},
    {"page_pipeline", page_pipeline, NULL, NULL, 0},
    {"page_kpi", page_kpi, NULL, NULL, 0},
    {"page_tab_due", FLOW(flow_due)},
    {"page_tab_declines", FLOW(flow_declines)},
    {"page_tab_fire", FLOW(flow_fire)},
    {"page_tab_pursue", FLOW(flow_pursue)},
    {"page_clv", sf_pdf_page_clv, sf_pdf_clv_shown, NULL, 0},
    {"page_quality", sf_pdf_page_quality, NULL, NULL, 0},
    {"page_since", sf_pdf_page_since, sf_pdf_history_shown, NULL, 0},
    {"page_trend", sf_pdf_page_trend, sf_pdf_history_shown, NULL, 0},
};
#undef FLOW

sf_err sf_out_pdf(const sf_output_ctx *o, sf_ctx *ctx)
{
    size_t plen = strlen(o->out_dir) + 16;
    char *path = malloc(plen);
    if (!path)
        return sf_ctx_nomem(ctx);
    snprintf(path, plen, "%s/report.pdf", o->out_dir);
    sf_err rc = sf_pdf_write(o, path, sf_pdf_label(o, "report_title"), report_pages,
                             SF_ARRAY_LEN(report_pages), SF_OWNER_ALL, NULL, ctx);
    free(path);
    return rc;
}
