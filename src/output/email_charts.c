/*
 * email_charts.c - the charts of the mail's HTML body (sf_email.h), as
 * PNG images drawn by the draw layer (sf_png.h) from the figures handed
 * to it: the revenue of the scope's clients by tier; the action items
 * (contacts due, decline alerts, clients late to reorder, fire
 * candidates) by owner for the team, by kind for a rep; with the history,
 * the team's revenue over the stored runs. 600 x 260 CSS pixels each,
 * drawn at twice that for sharp screens.
 */
#include "output/sf_email.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw/sf_png.h"

#define W 600
#define H 260
#define SCALE 2.0
#define MAX_OWNERS 12

static const char *L(const sf_email_text *t, const char *key)
{
    return sf_email_label(t, key);
}

static bool in_scope(const sf_email_scope *s, uint32_t owner)
{
    return s->owner == SF_OWNER_ALL || s->owner == owner;
}

/* One image into img (its file name, Content-ID and alt text). */
static void name_image(sf_email_image *img, const char *kind, const char *id_base, const char *alt)
{
    snprintf(img->name, sizeof img->name, "%s.png", kind);
    snprintf(img->cid, sizeof img->cid, "%s.%s", kind, id_base);
    img->alt = alt;
    img->w = W;
    img->h = H;
}

/* Revenue of the last 12 months by tier, for the scope's accounts. */
static bool chart_tiers(const sf_email_text *t, const sf_email_content *c, sf_email_image *img)
{
    double v[SF_TIER_N] = {0};
    const char *cats[SF_TIER_N];
    char names[SF_TIER_N][32];
    for (uint32_t a = 0; a < t->ds->n_accounts && t->rep->tiers.acc; a++)
        if (in_scope(&c->s, t->ds->accounts[a].owner))
            v[t->rep->tiers.acc[a].tier] += (double)t->ds->accounts[a].rev12;
    for (int k = 0; k < SF_TIER_N; k++) {
        char key[32];
        snprintf(key, sizeof key, "common.tier_%s", sf_tier_name((sf_tier)k));
        snprintf(names[k], sizeof names[k], "%s", L(t, key));
        cats[k] = names[k];
    }
    const sf_rgb colors[1] = {sf_rgb_accent};
    sf_bars b = {.cats = cats, .n_cats = SF_TIER_N, .values = v, .n_series = 1, .colors = colors,
                 .value_labels = true, .fmt = sf_chart_fmt_money, .band_lo = NAN, .band_hi = NAN, .ref = NAN,
                 .axis_max = NAN};
    return sf_png_bars(W, H, SCALE, t->lang, L(t, "email.chart_tiers"), &b, &img->png, &img->len);
}

/* The action items per owner: counts[owner * 4 + kind]. */
enum { K_DUE, K_ALERTS, K_LATE, K_FIRE, K_N };
static const int k_lists[K_N] = {SF_ITEM_DUE, SF_ITEM_DECLINE, SF_ITEM_REORDER, SF_ITEM_FIRE};
static const char *const k_series[K_N] = {"email.card_due", "email.card_alerts", "email.card_late",
                                          "email.card_fire"};

typedef struct {
    uint32_t owner, total;
} owner_total;

static int cmp_total(const void *a, const void *b)
{
    const owner_total *x = a, *y = b;
    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    return x->owner < y->owner ? -1 : x->owner > y->owner;
}

/* The team: stacked bars of the owners with the most items. */
static bool chart_owners(const sf_email_text *t, sf_email_image *img)
{
    const sf_dataset *ds = t->ds;
    uint32_t n_ids = ds->n_owners + 1; /* the last slot: unassigned */
    uint32_t *counts = calloc((size_t)n_ids * K_N, sizeof *counts);
    owner_total *tot = calloc(n_ids, sizeof *tot);
    double *v = calloc((size_t)MAX_OWNERS * K_N, sizeof *v);
    const char **cats = calloc(MAX_OWNERS, sizeof *cats);
    bool ok = counts && tot && v && cats;
    for (int k = 0; ok && k < K_N; k++) {
        const sf_list *l = sf_email_section_list(k_lists[k]);
        for (size_t i = 0, n = l->count(t->rep); i < n; i++) {
            uint32_t o = l->owner(t->rep, i);
            counts[(size_t)(o < ds->n_owners ? o : ds->n_owners) * K_N + k]++;
        }
    }
    size_t n = 0;
    for (uint32_t o = 0; ok && o < n_ids; o++) {
        uint32_t sum = 0;
        for (int k = 0; k < K_N; k++)
            sum += counts[(size_t)o * K_N + k];
        if (sum)
            tot[n++] = (owner_total){o, sum};
    }
    if (ok)
        qsort(tot, n, sizeof *tot, cmp_total);
    if (n > MAX_OWNERS)
        n = MAX_OWNERS;
    for (size_t i = 0; ok && i < n; i++) {
        uint32_t o = tot[i].owner;
        cats[i] = o != SF_OWNER_UNASSIGNED && o < ds->n_owners ? ds->owners[o] : L(t, "common.unassigned");
        for (int k = 0; k < K_N; k++)
            v[i * K_N + k] = counts[(size_t)o * K_N + k];
    }
    const char *series[K_N];
    for (int k = 0; k < K_N; k++)
        series[k] = L(t, k_series[k]);
    const sf_rgb colors[K_N] = {sf_rgb_accent, sf_rgb_bad, sf_rgb_heat[1], sf_rgb_muted};
    sf_bars b = {.cats = cats, .n_cats = n, .values = v, .n_series = K_N, .colors = colors,
                 .series_names = series, .stacked = true, .horizontal = true, .fmt = sf_chart_fmt_count,
                 .band_lo = NAN, .band_hi = NAN, .ref = NAN, .axis_max = NAN};
    if (ok && n == 0) {
        static const char *const none[1] = {""};
        static const double zero[K_N] = {0};
        b.cats = none;
        b.n_cats = 1;
        b.values = zero;
    }
    ok = ok && sf_png_bars(W, H, SCALE, t->lang, L(t, "email.chart_actions"), &b, &img->png, &img->len);
    free(counts);
    free(tot);
    free(v);
    free(cats);
    return ok;
}

/* A rep: one bar per kind of item. */
static bool chart_kinds(const sf_email_text *t, const sf_email_content *c, sf_email_image *img)
{
    const char *cats[K_N];
    double v[K_N] = {c->s.due, c->s.alerts, c->s.late, c->s.fire};
    for (int k = 0; k < K_N; k++)
        cats[k] = L(t, k_series[k]);
    const sf_rgb colors[1] = {sf_rgb_accent};
    sf_bars b = {.cats = cats, .n_cats = K_N, .values = v, .n_series = 1, .colors = colors, .horizontal = true,
                 .value_labels = true, .fmt = sf_chart_fmt_count, .band_lo = NAN, .band_hi = NAN, .ref = NAN,
                 .axis_max = NAN};
    return sf_png_bars(W, H, SCALE, t->lang, L(t, "email.chart_actions_owner"), &b, &img->png, &img->len);
}

/* The team's revenue over the stored runs and this one. */
static bool chart_trend(const sf_email_text *t, sf_email_image *img)
{
    const sf_history_result *h = &t->rep->history;
    size_t n = h->n_trend;
    double *v = calloc(n, sizeof *v);
    char (*dates)[32] = calloc(n, sizeof *dates);
    const char **cats = calloc(n, sizeof *cats);
    bool ok = v && dates && cats;
    for (size_t i = 0; ok && i < n; i++) {
        sf_lang_fmt_date(t->lang, h->trend[i].as_of, dates[i], sizeof dates[i]);
        cats[i] = dates[i];
        v[i] = (double)h->trend[i].rev12;
    }
    const sf_rgb colors[1] = {sf_rgb_accent};
    sf_lines l = {.title = L(t, "email.chart_trend"), .cats = cats, .n_points = n, .values = v, .n_series = 1,
                  .colors = colors, .fmt = sf_chart_fmt_money};
    ok = ok && sf_png_lines(W, H, SCALE, t->lang, &l, &img->png, &img->len);
    free(v);
    free(dates);
    free(cats);
    return ok;
}

sf_err sf_email_charts(const sf_email_text *t, const sf_email_content *c, const char *id_base,
                       sf_email_image img[SF_EMAIL_IMAGES_MAX], size_t *n, sf_ctx *ctx)
{
    *n = 0;
    memset(img, 0, SF_EMAIL_IMAGES_MAX * sizeof *img);
    bool team = c->s.owner == SF_OWNER_ALL;
    name_image(&img[0], "tiers", id_base, L(t, "email.chart_tiers"));
    if (!chart_tiers(t, c, &img[0]))
        goto fail;
    *n = 1;
    name_image(&img[1], "actions", id_base, L(t, team ? "email.chart_actions" : "email.chart_actions_owner"));
    if (!(team ? chart_owners(t, &img[1]) : chart_kinds(t, c, &img[1])))
        goto fail;
    *n = 2;
    if (team && t->rep->hist && t->rep->history.n_trend >= 2) {
        name_image(&img[2], "trend", id_base, L(t, "email.chart_trend"));
        if (!chart_trend(t, &img[2]))
            goto fail;
        *n = 3;
    }
    return SF_OK;
fail:
    sf_email_images_free(img, SF_EMAIL_IMAGES_MAX);
    *n = 0;
    return sf_ctx_error(ctx, SF_ERR_NOMEM, "mail chart: cannot draw it (out of memory)");
}

void sf_email_images_free(sf_email_image *img, size_t n)
{
    for (size_t i = 0; img && i < n; i++) {
        free(img[i].png);
        img[i].png = NULL;
        img[i].len = 0;
    }
}
