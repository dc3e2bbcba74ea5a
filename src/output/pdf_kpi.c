/*
 * pdf_kpi.c - the four rep-KPI panels of report.pdf and the review pack
 * (sf_pdf_tables.h), drawn from the rep_kpis list against the benchmarks
 * of the configuration.
 */
#include "output/sf_pdf_tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A ratio or median over fewer cases than this is drawn grey: too few
 * to judge a rep by. */
#define SMALL_SAMPLE 5

/* The rep_kpis columns the panels show, in panel order, and those whose
 * sum weighs a rep (activity of any kind). */
static const char *const kpi_shown[4] = {"conv_to_appt", "calls_per_day", "close_ratio",
                                         "median_cycle_days"};
static const char *const kpi_weighed[5] = {"calls", "conversations", "won", "lost", "proposals"};
enum { W_CALLS, W_CONV, W_WON, W_LOST, W_PROPOSALS };

/* What the panels draw: m reps (categories), per panel p the values
 * val[p * n + j], whether they are missing, the counts behind them
 * (note, "1 / 3") and whether those are too few (muted). */
typedef struct {
    size_t n, m, n_others;
    const char **cats;
    bool *hl, *miss, *muted;
    double *val;
    char (*note)[64];
    const char **notes;
} kpi_rows;

static void kpi_rows_free(kpi_rows *k)
{
    free(k->cats);
    free(k->hl);
    free(k->miss);
    free(k->muted);
    free(k->val);
    free(k->note);
    free(k->notes);
}

/* The counts behind panel p's value of a rep whose cells are c: the note
 * and whether the sample is small. */
static void kpi_counts(const sf_output_ctx *o, int p, const sf_cell *c, const int *cw, int appt,
                       char *note, bool *small)
{
    char a[24], b[24];
    int64_t conv = c[cw[W_CONV]].v, won = c[cw[W_WON]].v, lost = c[cw[W_LOST]].v;
    note[0] = 0;
    *small = false;
    if (p == 0 && conv != SF_NONE && c[appt].v != SF_NONE) {
        sf_lang_fmt_int(o->lang, c[appt].v, a, sizeof a);
        sf_lang_fmt_int(o->lang, conv, b, sizeof b);
        snprintf(note, 64, "%s / %s", a, b);
        *small = conv < SMALL_SAMPLE;
    } else if (p == 2 && won != SF_NONE && lost != SF_NONE) {
        sf_lang_fmt_int(o->lang, won, a, sizeof a);
        sf_lang_fmt_int(o->lang, won + lost, b, sizeof b);
        snprintf(note, 64, "%s / %s", a, b);
        *small = won + lost < SMALL_SAMPLE;
    } else if (p == 3 && won != SF_NONE) {
        sf_lang_fmt_int(o->lang, won, a, sizeof a);
        snprintf(note, 64, "n = %s", a);
        *small = won < SMALL_SAMPLE;
    }
}

/* The reps' rows from sel[0..m) of list l into k. */
static void kpi_rows_fill(const sf_output_ctx *o, const sf_list *l, uint32_t highlight,
                          const size_t *sel, const int *cw, const int *cv, int appt, kpi_rows *k)
{
    size_t n = k->n;
    sf_cell c[SF_LIST_MAX_COLS];
    for (size_t j = 0; j < k->m; j++) {
        uint32_t owner = l->owner(o->rep, sel[j]);
        memset(c, 0, sizeof c);
        l->row(o->rep, sel[j], c);
        k->cats[j] = sf_pdf_owner_name(o, owner);
        k->hl[j] = owner == highlight;
        for (int p = 0; p < 4; p++) {
            size_t at = (size_t)p * n + j;
            int64_t v = c[cv[p]].v;
            k->miss[at] = v == SF_NONE;
            k->val[at] = v == SF_NONE ? 0 : (double)v;
            kpi_counts(o, p, c, cw, appt, k->note[at], &k->muted[at]);
            k->notes[at] = k->note[at];
        }
    }
}

/* Pick the reps of the rep_kpis list l (the heaviest, highlight always)
 * and fill k. False on out of memory or a column missing from the list. */
static bool kpi_rows_build(const sf_output_ctx *o, const sf_list *l, uint32_t highlight, kpi_rows *k)
{
    int cw[5], cv[4], appt = sf_list_col(l, "appointments");
    bool ok = appt >= 0;
    for (int i = 0; i < 5; i++)
        ok = ok && (cw[i] = sf_list_col(l, kpi_weighed[i])) >= 0;
    for (int p = 0; p < 4; p++)
        ok = ok && (cv[p] = sf_list_col(l, kpi_shown[p])) >= 0;
    size_t n = k->n, force = SIZE_MAX;
    uint64_t *w = malloc(n * sizeof *w);
    size_t *sel = malloc(n * sizeof *sel);
    k->cats = malloc(n * sizeof *k->cats);
    k->hl = calloc(n, sizeof *k->hl);
    k->miss = calloc(4 * n, sizeof *k->miss);
    k->muted = calloc(4 * n, sizeof *k->muted);
    k->val = malloc(4 * n * sizeof *k->val);
    k->note = calloc(4 * n, sizeof *k->note);
    k->notes = calloc(4 * n, sizeof *k->notes);
    ok = ok && w && sel && k->cats && k->hl && k->miss && k->muted && k->val && k->note && k->notes;
    sf_cell c[SF_LIST_MAX_COLS];
    for (size_t i = 0; ok && i < n; i++) {
        memset(c, 0, sizeof c);
        l->row(o->rep, i, c);
        double weight = 0;
        for (int j = 0; j < 5; j++)
            weight += c[cw[j]].v == SF_NONE ? 0 : (double)c[cw[j]].v;
        w[i] = (uint64_t)weight;
        if (l->owner(o->rep, i) == highlight)
            force = i;
    }
    if (ok) {
        k->m = sf_pdf_pick(w, n, SF_PDF_MAX_OWNERS, force, false, sel, &k->n_others);
        ok = k->m != SIZE_MAX;
    }
    if (ok)
        kpi_rows_fill(o, l, highlight, sel, cw, cv, appt, k);
    free(w);
    free(sel);
    return ok;
}

/* What panel p draws against, and its label: the conversion band, the
 * call quota, the team's median cycle over the reps' window; ratios on an
 * axis to 100 %. */
static void kpi_reference(const sf_output_ctx *o, int p, sf_bars *bars, char *label, size_t cap)
{
    const sf_config *cfg = o->cfg;
    const sf_kpi_result *kr = &o->rep->kpi;
    char lo[32], hi[32], win[96], stat[96];
    sf_pdf_label_nm(o, "kpi_window", cfg->kpi_window_days, 0, win, sizeof win);
    switch (p) {
    case 0:
        bars->fmt = sf_chart_fmt_pct;
        bars->axis_max = SF_E4;
        sf_lang_fmt_pct(o->lang, cfg->conv_to_appt_low / 100, 0, lo, sizeof lo);
        sf_lang_fmt_pct(o->lang, cfg->conv_to_appt_high / 100, 0, hi, sizeof hi);
        snprintf(label, cap, "%s %s–%s", sf_pdf_label(o, "kpi_band"), lo, hi);
        bars->band_lo = (double)cfg->conv_to_appt_low / 100.0;
        bars->band_hi = (double)cfg->conv_to_appt_high / 100.0;
        bars->band_label = label;
        break;
    case 1:
        bars->fmt = sf_chart_fmt_dec1;
        sf_pdf_label_nm(o, "kpi_quota", cfg->daily_call_quota, 0, label, cap);
        bars->ref = (double)cfg->daily_call_quota * SF_E4;
        bars->ref_label = label;
        break;
    case 2:
        bars->fmt = sf_chart_fmt_pct;
        bars->axis_max = SF_E4;
        break;
    default:
        bars->fmt = sf_chart_fmt_count;
        if (o->ds->have_opportunities && kr->team_cycle_days != SF_NONE) {
            sf_pdf_label_nm(o, "kpi_team_cycle", kr->team_cycle_days, 0, stat, sizeof stat);
            snprintf(label, cap, "%s, %s", stat, win);
            bars->ref = (double)kr->team_cycle_days;
            bars->ref_label = label;
        }
        break;
    }
}

/* The four panels of k in a 2 x 2 grid, each titled with its window and
 * drawn against its benchmark; a line of notes under them. */
static void kpi_draw(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, const kpi_rows *k)
{
    sf_chart *c = &d->ch;
    size_t n = k->n;
    double gw = (box.w - 20) / 2, gh = (box.h - 16 - 14) / 2;
    static const char *const titles[4] = {"kpi_conv", "kpi_calls", "kpi_close", "kpi_cycle"};
    static const sf_rgb colors[4] = {{0.13, 0.35, 0.62}, {0.30, 0.58, 0.80},
                                     {0.18, 0.60, 0.30}, {0.45, 0.45, 0.55}};
    char win[96];
    sf_pdf_label_nm(o, "kpi_window", o->cfg->kpi_window_days, 0, win, sizeof win);
    for (int p = 0; p < 4; p++) {
        sf_box b = {box.x + (p % 2) * (gw + 20), box.y + (p / 2) * (gh + 16), gw, gh};
        char title[256], label[256];
        snprintf(title, sizeof title, "%s · %s", sf_pdf_label(o, titles[p]), win);
        sf_chart_text(c, b.x, b.y, b.w, title, 10, true, SF_AL_LEFT, sf_rgb_text);
        b.y += 26;
        b.h -= 26;
        sf_bars bars = {.cats = k->cats, .n_cats = k->m, .values = k->val + (size_t)p * n,
                        .n_series = 1, .colors = &colors[p], .horizontal = true,
                        .value_labels = true, .band_lo = NAN, .band_hi = NAN, .ref = NAN,
                        .highlight = k->hl, .missing = k->miss + (size_t)p * n,
                        .notes = k->notes + (size_t)p * n, .muted = k->muted + (size_t)p * n};
        kpi_reference(o, p, &bars, label, sizeof label);
        sf_chart_bars(c, b, &bars);
    }
    char note[512], reps[128];
    reps[0] = 0;
    if (k->n_others)
        sf_pdf_label_nm(o, "showing_reps", (int64_t)k->m, (int64_t)(k->m + k->n_others), reps,
                        sizeof reps);
    sf_pdf_label_nm(o, "kpi_small", SMALL_SAMPLE, 0, note, sizeof note);
    size_t len = strlen(note);
    if (reps[0] && len + 2 < sizeof note)
        snprintf(note + len, sizeof note - len, " %s", reps);
    sf_chart_text(c, box.x, box.y + box.h - 10, box.w, note, 7, false, SF_AL_LEFT, sf_rgb_muted);
}

bool sf_pdf_kpi_panels(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t highlight)
{
    sf_chart *c = &d->ch;
    sf_box none = {box.x, box.y, box.w, 40};
    if (!o->ds->have_activities && !o->ds->have_opportunities) {
        sf_chart_nothing(c, none, sf_pdf_label(o, "no_kpi_inputs"));
        return true;
    }
    const sf_list *l = sf_list_find("rep_kpis");
    kpi_rows k = {.n = l ? l->count(o->rep) : 0};
    if (k.n == 0) {
        sf_chart_nothing(c, none, sf_pdf_label(o, "nothing"));
        return l != NULL;
    }
    bool ok = kpi_rows_build(o, l, highlight, &k);
    if (ok && k.m == 0)
        sf_chart_nothing(c, none, sf_pdf_label(o, "nothing"));
    else if (ok)
        kpi_draw(d, o, box, &k);
    kpi_rows_free(&k);
    return ok;
}
