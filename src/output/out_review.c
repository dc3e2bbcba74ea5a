/*
 * out_review.c - the coach's review pack: review-<owner>.pdf, A4
 * landscape pages on one rep's book (tiers and temperature, time split;
 * due list and declines; clients late to reorder; fire candidates and open
 * deals; why each verdict is what it is; KPIs against the benchmarks),
 * with the team's figures beside the rep's; a table of page functions
 * (review_pages) written by sf_pdf_write, the action lists and KPI panels
 * shared with report.pdf (pdf_tables.c). The action lists hold every one
 * of the rep's rows and continue on as many pages as they need.
 */
#include "output/sf_filename.h"
#include "output/sf_owner_rows.h"
#include "output/sf_pdf_history.h"
#include "output/sf_pdf_clv.h"
#include "output/sf_pdf_tables.h"
#include "output/sf_pdf_pages.h"
#include "draw/sf_table.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The review file name for owner, made unique among the files of this
 * run ("-2", "-3", ... after the name) so that two owners whose names map
 * to the same safe form never overwrite each other: in linear time, the
 * stage keeps the next number per name. *path is malloc'd. */
static sf_err review_path(const sf_output_ctx *o, const char *owner_name, char **path, sf_ctx *ctx)
{
    char *safe = sf_safe_filename(owner_name);
    if (!safe)
        return sf_ctx_nomem(ctx);
    sf_err e = sf_stage_unique(o->stage, "review-", safe, ".pdf", path, ctx);
    free(safe);
    return e;
}

/* The temperature of the rep's book beside the team's, in the left half
 * of box: the rep's row from the grid, the team's as the column sums of
 * the same grid. count receives both rows (rep, team) of counts. */
static void book_temperature(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner,
                             uint32_t count[2 * SF_TIER_N])
{
    const sf_summary_result *s = &o->rep->summary;
    const sf_dataset *ds = o->ds;
    int64_t rsum[2 * SF_TIER_N] = {0};
    memset(count, 0, 2 * SF_TIER_N * sizeof *count);
    if (s->temp_grid) {
        for (uint32_t id = 0; id < ds->n_owners; id++)
            for (int t = 0; t < SF_TIER_N; t++) {
                if (id == owner) {
                    count[t] = s->temp_grid[id][t].count;
                    rsum[t] = s->temp_grid[id][t].realization_sum;
                }
                count[SF_TIER_N + t] += s->temp_grid[id][t].count;
                rsum[SF_TIER_N + t] += s->temp_grid[id][t].realization_sum;
            }
    }
    double half = (box.w - 30) / 2;
    sf_chart_text(&d->ch, box.x, box.y, half, sf_pdf_label(o, "page_temperature"), 11, true,
                  SF_AL_LEFT, sf_rgb_text);
    const char *rows[2] = {sf_pdf_owner_name(o, owner), sf_pdf_label(o, "team")};
    const bool bold[2] = {true, false};
    const char *tiers[SF_TIER_N];
    for (int t = 0; t < SF_TIER_N; t++)
        tiers[t] = sf_pdf_tier_label(o, (sf_tier)t);
    sf_heatgrid tg = {.rows = rows, .n_rows = 2, .cols = tiers, .n_cols = SF_TIER_N, .count = count,
                      .rsum = rsum, .bold_row = bold, .hot_min = o->cfg->hot_min,
                      .cold_below = o->cfg->cold_below};
    sf_chart_heatgrid(&d->ch, (sf_box){box.x, box.y + 20, half, 96}, &tg);
}

/* Accounts and revenue per tier, the rep's beside the team's, in the right
 * half of box; count: the rep's accounts per tier (book_temperature). The
 * rep's revenue is summed here from the dataset (the summary keeps only
 * the team's totals). */
static void book_tiers(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner,
                       const uint32_t *count)
{
    const sf_summary_result *s = &o->rep->summary;
    const sf_dataset *ds = o->ds;
    const char *team = sf_pdf_label(o, "team");
    int64_t rev[SF_TIER_N] = {0};
    size_t n;
    /* the accounts list's rows of owner (tiers.order positions), else all */
    const uint32_t *rows = sf_owner_rows_of(o->by_owner, &sf_list_accounts, owner, &n);
    if (!rows)
        n = ds->n_accounts;
    for (size_t j = 0; j < n && o->rep->tiers.acc; j++) {
        uint32_t i = rows ? o->rep->tiers.order[rows[j]] : (uint32_t)j;
        if (ds->accounts[i].owner == owner)
            rev[o->rep->tiers.acc[i].tier] += ds->accounts[i].rev12;
    }
    double half = (box.w - 30) / 2, x2 = box.x + half + 30;
    sf_chart_text(&d->ch, x2, box.y, half, sf_pdf_label(o, "page_tiers"), 11, true, SF_AL_LEFT,
                  sf_rgb_text);
    char cells[SF_TIER_N][5][64];
    char *ptrs[SF_TIER_N * 5];
    for (int t = 0; t < SF_TIER_N; t++) {
        snprintf(cells[t][0], 64, "%s", sf_pdf_tier_label(o, (sf_tier)t));
        sf_lang_fmt_int(o->lang, count[t], cells[t][1], 64);
        sf_lang_fmt_money_short(o->lang, rev[t], cells[t][2], 64);
        sf_lang_fmt_int(o->lang, s->tier_accounts[t], cells[t][3], 64);
        sf_lang_fmt_money_short(o->lang, s->tier_revenue[t], cells[t][4], 64);
        for (int k = 0; k < 5; k++)
            ptrs[t * 5 + k] = cells[t][k];
    }
    char h1[160], h2[160], h3[160], h4[160];
    snprintf(h1, sizeof h1, "%s", sf_pdf_label(o, "accounts"));
    snprintf(h2, sizeof h2, "%s", sf_pdf_label(o, "revenue"));
    snprintf(h3, sizeof h3, "%s: %s", team, sf_pdf_label(o, "accounts"));
    snprintf(h4, sizeof h4, "%s: %s", team, sf_pdf_label(o, "revenue"));
    const char *hdr[5] = {sf_pdf_label(o, "col_tier"), h1, h2, h3, h4};
    static const double wd[5] = {0.12, 0.2, 0.22, 0.22, 0.24};
    static const sf_align al[5] = {SF_AL_CENTER, SF_AL_RIGHT, SF_AL_RIGHT, SF_AL_RIGHT, SF_AL_RIGHT};
    sf_table tb = {.headers = hdr, .widths = wd, .align = al, .n_cols = 5, .cells = ptrs,
                   .n_rows = SF_TIER_N, .row_mark = sf_pdf_rgb_tier};
    sf_chart_table(&d->ch, (sf_box){x2, box.y + 22, half, 100}, &tb);
}

/* The time split under both: the rep's row and the (all) row. */
static void book_split(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    sf_chart *c = &d->ch;
    const sf_split_row *mine = NULL, *all = NULL;
    for (uint32_t i = 0; i < o->rep->split.n; i++) {
        if (o->rep->split.rows[i].owner == owner)
            mine = &o->rep->split.rows[i];
        if (o->rep->split.rows[i].owner == SF_OWNER_ALL)
            all = &o->rep->split.rows[i];
    }
    double y = box.y + 140;
    sf_box sb = {box.x, y, box.w, box.y + box.h - y - 24};
    sf_chart_text(c, sb.x, sb.y, sb.w, sf_pdf_label(o, "page_split"), 11, true, SF_AL_LEFT, sf_rgb_text);
    sb.y += 22;
    sb.h -= 22;
    if (!mine || !all) {
        sf_chart_nothing(c, (sf_box){sb.x, sb.y, sb.w, 40}, sf_pdf_label(o, "nothing"));
        return;
    }
    const char *cats[4] = {sf_pdf_label(o, "split_recommended"), sf_pdf_label(o, "split_actual"),
                           sf_pdf_label(o, "split_other"), sf_pdf_label(o, "split_prospecting")};
    const sf_split_row *r2[2] = {mine, all};
    double vals[8];
    for (int k = 0; k < 2; k++) {
        int64_t v[4] = {r2[k]->recommended_key, r2[k]->actual_key, r2[k]->actual_other,
                        r2[k]->actual_prospecting};
        for (int j = 0; j < 4; j++)
            vals[j * 2 + k] = v[j] == SF_NONE ? NAN : (double)v[j];
    }
    const char *names[2] = {sf_pdf_owner_name(o, owner), sf_pdf_label(o, "team")};
    const sf_rgb colors[2] = {sf_rgb_accent, sf_rgb_accent2};
    sf_bars b = {.cats = cats, .n_cats = 4, .values = vals, .n_series = 2, .colors = colors,
                 .series_names = names, .horizontal = true, .value_labels = true,
                 .fmt = sf_chart_fmt_pct, .band_lo = NAN, .band_hi = NAN, .ref = NAN,
                 .axis_max = SF_E4};
    sf_chart_bars(c, sb, &b);
    sf_chart_text_wrap(c, box.x, box.y + box.h - 20, box.w,
                       sf_pdf_label(o, o->ds->have_activities ? "split_note" : "no_activities"), 8,
                       sf_rgb_muted, 2);
}

/* The rep's book beside the team's: temperature grid (two rows),
 * accounts and revenue per tier, time split. */
static bool page_book(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    uint32_t count[2 * SF_TIER_N];
    book_temperature(d, o, box, owner, count);
    book_tiers(d, o, box, owner, count);
    book_split(d, o, box, owner);
    return true;
}

static bool no_opportunities(const sf_output_ctx *o)
{
    return !o->ds->have_opportunities;
}

/* The rep's contacts due, then the rep's declines; then the rep's fire
 * candidates and every open deal with its misses: the rep's rows, up to
 * [outputs] review_max_rows of each list (a rep with 20,000 contacts due
 * would otherwise get a pack of 900 pages; the rest are in the CSV). */
static const sf_pdf_flow_item flow_due[] = {
    {&sf_pdf_tab_due, "tab_due", SF_PDF_ROWS_REVIEW, NULL, NULL},
    {&sf_pdf_tab_declines, "tab_declines", SF_PDF_ROWS_REVIEW, NULL, NULL},
};
/* The rep's clients late to reorder (SPEC §8). */
static const sf_pdf_flow_item flow_reorder[] = {
    {&sf_pdf_tab_reorder, "tab_reorder", SF_PDF_ROWS_REVIEW, NULL, NULL},
};
static const sf_pdf_flow_item flow_fire[] = {
    {&sf_pdf_tab_fire, "tab_fire", SF_PDF_ROWS_REVIEW, NULL, NULL},
    {&sf_pdf_tab_deals, "tab_deals", SF_PDF_ROWS_REVIEW, no_opportunities, "no_opportunities"},
};

/* The KPI panels with the rep drawn bold. */
static bool page_kpi(sf_pdf_doc *d, const sf_output_ctx *o, sf_box b, uint32_t owner)
{
    return sf_pdf_kpi_panels(d, o, b, owner);
}

/* The pack's pages in order; each title is followed by the rep's name. */
static const sf_pdf_page_def review_pages[] = {
    {"review_book", page_book, NULL, NULL, 0},
    {"review_history", sf_pdf_page_strip, sf_pdf_strip_shown, NULL, 0},
    {"review_due", NULL, NULL, flow_due, SF_ARRAY_LEN(flow_due)},
    {"review_reorder", NULL, NULL, flow_reorder, SF_ARRAY_LEN(flow_reorder)},
    {"review_fire", NULL, NULL, flow_fire, SF_ARRAY_LEN(flow_fire)},
    {"review_explain", sf_pdf_page_review_explain, NULL, NULL, 0},
    {"review_clv", sf_pdf_page_clv, sf_pdf_clv_shown, NULL, 0},
    {"page_kpi", page_kpi, NULL, NULL, 0},
};

/* Owner's pack at path (reserved by review_path). */
static sf_err review_at(const sf_output_ctx *o, uint32_t owner, const char *path, sf_ctx *ctx)
{
    const char *name = sf_pdf_owner_name(o, owner);
    size_t tcap = strlen(sf_pdf_label(o, "review_title")) + strlen(name) + 8;
    char *title = malloc(tcap);
    if (!title)
        return sf_ctx_nomem(ctx);
    snprintf(title, tcap, "%s: %s", sf_pdf_label(o, "review_title"), name);
    sf_err rc = sf_pdf_write(o, path, title, review_pages, SF_ARRAY_LEN(review_pages), owner, name,
                             ctx);
    free(title);
    return rc;
}

/* The file name uses the owner's name as in the data, so it does not
 * change with the report language. */
static const char *raw_name(const sf_output_ctx *o, uint32_t owner)
{
    return owner < o->ds->n_owners && o->ds->owners[owner] ? o->ds->owners[owner] : "unassigned";
}

sf_err sf_out_review(const sf_output_ctx *o, uint32_t owner, sf_ctx *ctx)
{
    return sf_out_review_file(o, owner, NULL, ctx);
}

sf_err sf_out_review_file(const sf_output_ctx *o, uint32_t owner, char **final_path, sf_ctx *ctx)
{
    if (final_path)
        *final_path = NULL;
    char *path;
    sf_err rc = review_path(o, raw_name(o, owner), &path, ctx);
    if (rc)
        return rc;
    rc = review_at(o, owner, path, ctx);
    if (!rc && final_path)
        *final_path = path; /* the caller's now */
    else
        free(path);
    return rc;
}

/* The packs being written by two threads: each takes the next pack. */
typedef struct {
    const sf_output_ctx *o;
    const uint32_t *owners;
    char **paths;
    size_t n;
    pthread_mutex_t mu;
    size_t next;        /* the next pack to take */
    size_t failed;      /* the first pack (in order) that failed, n: none */
    sf_ctx err;         /* its error */
} packs;

static void *packs_worker(void *arg)
{
    packs *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->failed < p->n ? p->n : p->next++;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->n)
            return NULL;
        sf_ctx ctx = {0};
        if (review_at(p->o, p->owners[i], p->paths[i], &ctx) != SF_OK) {
            pthread_mutex_lock(&p->mu);
            if (i < p->failed) {
                p->failed = i;
                p->err = ctx;
            }
            pthread_mutex_unlock(&p->mu);
        }
    }
}

sf_err sf_out_reviews(const sf_output_ctx *o, const uint32_t *owners, size_t n, bool threads, sf_ctx *ctx)
{
    sf_output_ctx oo = *o;
    sf_owner_rows *by_owner = NULL;
    packs p = {.o = &oo, .owners = owners, .n = n, .failed = n};
    sf_err rc = SF_OK;
    if (n > 1 && !oo.by_owner) {
        rc = sf_owner_rows_build(o->rep, &by_owner, ctx);
        oo.by_owner = by_owner;
    }
    /* the file names in the owners' order (a name taken twice numbered
     * as one pack at a time would number it), then the packs in any order */
    p.paths = rc ? NULL : calloc(n ? n : 1, sizeof *p.paths);
    if (!rc && !p.paths)
        rc = sf_ctx_nomem(ctx);
    for (size_t i = 0; i < n && !rc; i++)
        rc = review_path(&oo, raw_name(&oo, owners[i]), &p.paths[i], ctx);
    if (!rc && pthread_mutex_init(&p.mu, NULL) != 0)
        rc = sf_ctx_error(ctx, SF_ERR_NOMEM, "cannot start the review packs' threads");
    if (!rc) {
        pthread_t t;
        bool two = threads && n > 1 && pthread_create(&t, NULL, packs_worker, &p) == 0;
        packs_worker(&p);
        if (two)
            pthread_join(t, NULL);
        pthread_mutex_destroy(&p.mu);
        if (p.failed < n)
            rc = sf_ctx_error(ctx, p.err.code ? p.err.code : SF_ERR_NOMEM, "%s", p.err.msg);
    }
    for (size_t i = 0; p.paths && i < n; i++)
        free(p.paths[i]);
    free(p.paths);
    sf_owner_rows_free(by_owner);
    return rc;
}
