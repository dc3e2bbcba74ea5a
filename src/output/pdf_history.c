/*
 * pdf_history.c - report.pdf's pages of SPEC §7, with the history on:
 * "Since <date>" (the tier migration of the accounts in both runs, as
 * counts and as revenue; how many rows of each change kind; the largest
 * tier moves by revenue) and the trend over the stored runs (revenue by
 * tier, cold A clients, the action lists, the pipeline verdicts, each a
 * line over the runs). On a first run the first page says so.
 */
#include "output/sf_pdf_history.h"
#include "draw/sf_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MOVES 12  /* rows of the largest moves */
#define CELL 96

static const sf_rgb rgb_up = {0.78, 0.94, 0.81}, rgb_down = {1.0, 0.78, 0.81}, rgb_same = {0.95, 0.95, 0.95};

bool sf_pdf_history_shown(const sf_output_ctx *o, uint32_t owner)
{
    (void)owner;
    return o->rep->hist != NULL;
}

/* ---- Since <date> ------------------------------------------------------------- */

static void migration(sf_pdf_doc *d, const sf_output_ctx *o, sf_box b, bool money)
{
    const sf_history_result *h = &o->rep->history;
    char text[SF_TIER_N * SF_TIER_N][48];
    const char *cells[SF_TIER_N * SF_TIER_N], *names[SF_TIER_N];
    sf_rgb fill[SF_TIER_N * SF_TIER_N];
    for (int t = 0; t < SF_TIER_N; t++)
        names[t] = sf_pdf_tier_label(o, (sf_tier)t);
    for (int f = 0; f < SF_TIER_N; f++)
        for (int t = 0; t < SF_TIER_N; t++) {
            int k = f * SF_TIER_N + t;
            if (money)
                sf_lang_fmt_money_short(o->lang, h->migration_rev12[f][t], text[k], sizeof text[k]);
            else
                sf_lang_fmt_int(o->lang, h->migration[f][t], text[k], sizeof text[k]);
            cells[k] = text[k];
            fill[k] = t < f ? rgb_up : t > f ? rgb_down : rgb_same;
        }
    double y = b.y + sf_chart_text(&d->ch, b.x, b.y, b.w,
                                   sf_pdf_label(o, money ? "since_migration_rev" : "since_migration"), 10, true,
                                   SF_AL_LEFT, sf_rgb_text) + 4;
    sf_matrix m = {.rows = names, .cols = names, .n_rows = SF_TIER_N, .n_cols = SF_TIER_N,
                   .corner = sf_pdf_label(o, "since_corner"), .cells = cells, .fill = fill,
                   .head_fill = sf_pdf_rgb_tier, .head_ink = {1, 1, 1}};
    sf_chart_matrix(&d->ch, (sf_box){b.x, y, b.w, b.y + b.h - y}, &m);
}

/* One table of the counts of the change kinds first .. last - 1 that
 * occur, titled by the entity; none occurring: a grey line. */
static void count_table(sf_pdf_doc *d, const sf_output_ctx *o, sf_box b, int first, int last, const char *entity)
{
    const sf_history_result *h = &o->rep->history;
    char text[SF_CHG_N][2][CELL];
    char *cells[SF_CHG_N * 2];
    size_t n = 0;
    for (int k = first; k < last; k++) {
        if (!h->count[k])
            continue;
        char key[64];
        snprintf(key, sizeof key, "common.change_%s", sf_change_name((sf_change_kind)k));
        snprintf(text[n][0], CELL, "%s", sf_lang_get(o->lang, key));
        sf_lang_fmt_int(o->lang, h->count[k], text[n][1], CELL);
        cells[n * 2] = text[n][0];
        cells[n * 2 + 1] = text[n][1];
        n++;
    }
    if (n == 0) {
        sf_chart_nothing(&d->ch, (sf_box){b.x, b.y, b.w, 36}, sf_pdf_label(o, "nothing_changed"));
        return;
    }
    const char *hdr[2] = {sf_lang_get(o->lang, entity), sf_pdf_label(o, "col_count")};
    static const double wd[2] = {0.78, 0.22};
    static const sf_align al[2] = {SF_AL_LEFT, SF_AL_RIGHT};
    sf_table tb = {.headers = hdr, .widths = wd, .align = al, .n_cols = 2, .cells = cells, .n_rows = n};
    sf_chart_table(&d->ch, b, &tb);
}

/* How many rows of each change kind, the accounts' beside the deals'. */
static void counts(sf_pdf_doc *d, const sf_output_ctx *o, sf_box b)
{
    sf_chart_text(&d->ch, b.x, b.y, b.w, sf_pdf_label(o, "since_counts"), 10, true, SF_AL_LEFT, sf_rgb_text);
    double w = (b.w - 16) / 2;
    count_table(d, o, (sf_box){b.x, b.y + 18, w, b.h - 18}, SF_CHG_RULES_CHANGED + 1, SF_CHG_FIRST_DEAL,
                "pdf.since_accounts");
    count_table(d, o, (sf_box){b.x + w + 16, b.y + 18, w, b.h - 18}, SF_CHG_FIRST_DEAL, SF_CHG_N,
                "pdf.since_deals");
}

/* The largest tier moves of the owner (all: SF_OWNER_ALL), in the order
 * of the analysis (rep->history.moves), under a caption "m of k". */
static bool moves(sf_pdf_doc *d, const sf_output_ctx *o, sf_box b, uint32_t owner)
{
    const sf_history_result *h = &o->rep->history;
    const sf_change_row *v[MOVES];
    size_t k = 0; /* the owner's moves; the first MOVES in v */
    for (size_t i = 0; i < h->n_moves; i++) {
        const sf_change_row *r = &h->rows[h->moves[i]];
        if (owner == SF_OWNER_ALL || r->owner == owner) {
            if (k < MOVES)
                v[k] = r;
            k++;
        }
    }
    char cap[160];
    sf_pdf_label_nm(o, "since_moves", (int64_t)(k < MOVES ? k : MOVES), (int64_t)k, cap, sizeof cap);
    sf_chart_text(&d->ch, b.x, b.y, b.w, cap, 10, true, SF_AL_LEFT, sf_rgb_text);
    sf_box t = {b.x, b.y + 18, b.w, b.h - 18};
    if (k == 0) {
        sf_chart_nothing(&d->ch, (sf_box){t.x, t.y, t.w, 36}, sf_pdf_label(o, "since_no_moves"));
        return true;
    }
    size_t m = k < MOVES ? k : MOVES;
    char text[MOVES][5][CELL];
    char *cells[MOVES * 5];
    sf_rgb mark[MOVES];
    for (size_t i = 0; i < m; i++) {
        const sf_change_row *r = v[i];
        snprintf(text[i][0], CELL, "%s", r->name ? r->name : r->id);
        snprintf(text[i][1], CELL, "%s", r->owner_name ? r->owner_name : "");
        snprintf(text[i][2], CELL, "%s", sf_pdf_tier_label(o, (sf_tier)r->from));
        snprintf(text[i][3], CELL, "%s", sf_pdf_tier_label(o, (sf_tier)r->to));
        char money[48];
        sf_lang_fmt_money(o->lang, r->delta, 0, money, sizeof money);
        snprintf(text[i][4], CELL, "%s%s", r->delta > 0 ? "+" : "", money);
        for (int c = 0; c < 5; c++)
            cells[i * 5 + c] = text[i][c];
        mark[i] = r->kind == SF_CHG_TIER_UP ? sf_rgb_good : sf_rgb_bad;
    }
    const char *hdr[5] = {sf_pdf_label(o, "col_account"), sf_pdf_label(o, "col_owner"), sf_pdf_label(o, "col_from"),
                          sf_pdf_label(o, "col_to"), sf_pdf_label(o, "col_delta")};
    static const double wd[5] = {0.36, 0.22, 0.1, 0.1, 0.22};
    static const sf_align al[5] = {SF_AL_LEFT, SF_AL_LEFT, SF_AL_CENTER, SF_AL_CENTER, SF_AL_RIGHT};
    sf_table tb = {.headers = hdr, .widths = wd, .align = al, .n_cols = 5, .cells = cells, .n_rows = m,
                   .row_mark = mark};
    sf_chart_table(&d->ch, t, &tb);
    return true;
}

bool sf_pdf_page_since(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    const sf_history_result *h = &o->rep->history;
    if (h->first_run) {
        sf_chart_nothing(&d->ch, (sf_box){box.x, box.y, box.w, 60}, sf_pdf_label(o, "first_run"));
        return true;
    }
    double y = box.y;
    if (h->rules_changed)
        y += sf_chart_text_wrap(&d->ch, box.x, y, box.w, sf_pdf_label(o, "rules_changed"), 9, sf_rgb_bad, 2) + 6;
    double lw = box.w * 0.42, top_h = 250;
    migration(d, o, (sf_box){box.x, y, lw, 118}, false);
    migration(d, o, (sf_box){box.x, y + 128, lw, 118}, true);
    counts(d, o, (sf_box){box.x + lw + 30, y, box.w - lw - 30, top_h});
    return moves(d, o, (sf_box){box.x, y + top_h + 12, box.w, box.y + box.h - y - top_h - 12}, owner);
}

/* ---- the trend ---------------------------------------------------------------- */

typedef struct {
    const char *title_key;
    int n;
    int cols[4];          /* figures: 0-3 tier revenue A..C then total; see value() */
    sf_chart_fmt fmt;
} trend_chart;

/* Figure k of a trend row: 0-2 A..C revenue, 3 total revenue, 4 cold A,
 * 5 due, 6 alerts, 7 fire, 8-10 pursue, qualify, drop. */
static double value(const sf_hist_figures *f, int k)
{
    switch (k) {
    case 0: case 1: case 2: return (double)f->tier_rev12[k];
    case 3: return (double)f->rev12;
    case 4: return f->cold_a;
    case 5: return f->due;
    case 6: return f->alerts;
    case 7: return f->fire;
    default: return f->verdicts[k - 8];
    }
}

static const char *series_name(const sf_output_ctx *o, int k)
{
    static const char *const keys[] = {"common.tier_A", "common.tier_B", "common.tier_C", "pdf.trend_total",
                                       "pdf.trend_cold_a", "pdf.tile_due", "pdf.tile_alerts", "pdf.tile_fire",
                                       "common.verdict_pursue", "common.verdict_qualify", "common.verdict_drop"};
    return sf_lang_get(o->lang, keys[k]);
}

static sf_rgb series_color(int k)
{
    static const sf_rgb c[] = {{0.13, 0.35, 0.62}, {0.30, 0.58, 0.80}, {0.55, 0.74, 0.88}, {0.25, 0.25, 0.28},
                               {0.19, 0.45, 0.85}, {0.13, 0.35, 0.62}, {0.80, 0.20, 0.18}, {0.45, 0.45, 0.50},
                               {0.18, 0.60, 0.30}, {0.96, 0.65, 0.10}, {0.75, 0.22, 0.20}};
    return c[k];
}

bool sf_pdf_page_trend(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    (void)owner;
    const sf_history_result *h = &o->rep->history;
    size_t n = h->n_trend;
    static const trend_chart charts[4] = {
        {"trend_revenue", 4, {0, 1, 2, 3}, sf_chart_fmt_money},
        {"trend_cold_a", 1, {4}, sf_chart_fmt_count},
        {"trend_actions", 3, {5, 6, 7}, sf_chart_fmt_count},
        {"trend_verdicts", 3, {8, 9, 10}, sf_chart_fmt_count},
    };
    char (*dates)[32] = calloc(n ? n : 1, sizeof *dates);
    const char **cats = calloc(n ? n : 1, sizeof *cats);
    double *vals = calloc((n ? n : 1) * 4, sizeof *vals);
    bool ok = dates && cats && vals;
    for (size_t i = 0; ok && i < n; i++) {
        sf_lang_fmt_date(o->lang, h->trend[i].as_of, dates[i], sizeof dates[i]);
        cats[i] = dates[i];
    }
    double gw = (box.w - 30) / 2, gh = (box.h - 40) / 2;
    for (int c = 0; ok && c < 4; c++) {
        const char *names[4];
        sf_rgb colors[4];
        for (int s = 0; s < charts[c].n; s++) {
            names[s] = series_name(o, charts[c].cols[s]);
            colors[s] = series_color(charts[c].cols[s]);
            for (size_t i = 0; i < n; i++)
                vals[(size_t)s * n + i] = value(&h->trend[i], charts[c].cols[s]);
        }
        sf_lines l = {.title = sf_pdf_label(o, charts[c].title_key), .cats = cats, .n_points = n, .values = vals,
                      .n_series = (size_t)charts[c].n, .colors = colors,
                      .series_names = charts[c].n > 1 ? names : NULL, .fmt = charts[c].fmt,
                      .whole = charts[c].fmt == sf_chart_fmt_count};
        sf_chart_lines(&d->ch, (sf_box){box.x + (c % 2) * (gw + 30), box.y + (c / 2) * (gh + 16), gw, gh}, &l);
    }
    if (ok && n < 2)
        sf_chart_text_wrap(&d->ch, box.x, box.y + box.h - 20, box.w, sf_pdf_label(o, "trend_one_run"), 8,
                           sf_rgb_muted, 2);
    free(dates);
    free(cats);
    free(vals);
    return ok;
}
