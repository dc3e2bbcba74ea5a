/*
 * pdf_kit.c - what report.pdf and the review pack share besides their
 * tables (see sf_pdf_kit.h): the report's labels and colours, picking the
 * owners a chart shows, and writing a staged PDF from a table of pages
 * whose page count is counted from the table.
 */
#include "output/sf_pdf_kit.h"
#include "output/sf_pdf_tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const sf_rgb sf_pdf_rgb_tier[SF_TIER_N] = {
    {0.13, 0.35, 0.62}, {0.30, 0.58, 0.80}, {0.55, 0.74, 0.88}, {0.75, 0.75, 0.75}};
const sf_rgb sf_pdf_rgb_verdict[3] = {{0.18, 0.60, 0.30}, {0.96, 0.65, 0.10}, {0.75, 0.22, 0.20}};

const char *sf_pdf_label(const sf_output_ctx *o, const char *key)
{
    char k[96];
    snprintf(k, sizeof k, "pdf.%s", key);
    return sf_lang_get(o->lang, k);
}

const char *sf_pdf_owner_name(const sf_output_ctx *o, uint32_t owner)
{
    if (owner == SF_OWNER_ALL)
        return sf_lang_get(o->lang, "common.all_owners");
    if (owner == SF_OWNER_UNASSIGNED || owner >= o->ds->n_owners || !o->ds->owners[owner])
        return sf_lang_get(o->lang, "common.unassigned");
    return o->ds->owners[owner];
}

const char *sf_pdf_tier_label(const sf_output_ctx *o, sf_tier t)
{
    static const char *const keys[SF_TIER_N] = {"common.tier_A", "common.tier_B", "common.tier_C",
                                                "common.tier_D"};
    return sf_lang_get(o->lang, keys[(unsigned)t < SF_TIER_N ? t : SF_TIER_D]);
}

const char *sf_pdf_verdict_label(const sf_output_ctx *o, sf_verdict v)
{
    static const char *const keys[3] = {"common.verdict_pursue", "common.verdict_qualify",
                                        "common.verdict_drop"};
    return sf_lang_get(o->lang, keys[(unsigned)v < 3 ? v : SF_VERDICT_DROP]);
}

void sf_pdf_label_nm(const sf_output_ctx *o, const char *key, int64_t n, int64_t m, char *out,
                     size_t cap)
{
    char pat[512];
    sf_lang_plural_pick(o->lang, sf_pdf_label(o, key), n, pat, sizeof pat);
    char num[40];
    size_t w = 0;
    for (const char *p = pat; *p && w + 1 < cap;) {
        if (p[0] == '{' && (p[1] == 'n' || p[1] == 'm') && p[2] == '}') {
            sf_lang_fmt_int(o->lang, p[1] == 'n' ? n : m, num, sizeof num);
            size_t k = strlen(num);
            if (w + k >= cap)
                break;
            memcpy(out + w, num, k);
            w += k;
            p += 3;
        } else {
            out[w++] = *p++;
        }
    }
    out[w] = 0;
}

/* ---- picking ---- */

int sf_pdf_cmp_weighted(const void *a, const void *b)
{
    const sf_pdf_weighted *x = a, *y = b;
    if (x->w != y->w)
        return x->w > y->w ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int cmp_idx(const void *a, const void *b)
{
    const sf_pdf_weighted *x = a, *y = b;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

size_t sf_pdf_pick(const uint64_t *weight, size_t n, size_t max, size_t force, bool keep_zero,
                   size_t *sel, size_t *n_others)
{
    sf_pdf_weighted *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return SIZE_MAX;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (weight[i] > 0 || keep_zero || i == force)
            v[k++] = (sf_pdf_weighted){i, i == force ? UINT64_MAX : weight[i]};
    *n_others = 0;
    if (k > max) {
        qsort(v, k, sizeof *v, sf_pdf_cmp_weighted);
        *n_others = k - (max - 1);
        k = max - 1;
        qsort(v, k, sizeof *v, cmp_idx);
    }
    for (size_t i = 0; i < k; i++)
        sel[i] = v[i].idx;
    free(v);
    return k;
}

/* ---- a PDF from a table of pages ---- */

/* The header's right side: "As of DATE · weekly|monthly"; malloc'd. */
static char *subtitle(const sf_output_ctx *o)
{
    char asof[64];
    sf_lang_fmt_date(o->lang, o->rep->as_of, asof, sizeof asof);
    const char *period = o->cfg && o->cfg->period && strcmp(o->cfg->period, "monthly") == 0
                             ? sf_pdf_label(o, "period_monthly")
                             : sf_pdf_label(o, "period_weekly");
    const char *as_of = sf_pdf_label(o, "as_of");
    size_t cap = strlen(asof) + strlen(period) + strlen(as_of) + 16;
    char *sub = malloc(cap);
    if (sub)
        snprintf(sub, cap, "%s %s · %s", as_of, asof, period);
    return sub;
}

/* The pages of a document: per page of pages[] its plan (flow pages) and
 * how many pages it takes (0: not shown). */
typedef struct {
    sf_pdf_flow **plan;
    int *parts;
    size_t n;
    int total;
} doc_plan;

static void doc_plan_free(doc_plan *p)
{
    for (size_t i = 0; p->plan && i < p->n; i++)
        sf_pdf_flow_free(p->plan[i]);
    free(p->plan);
    free(p->parts);
}

/* Lay out every flow page with d's fonts and count the pages. False on
 * out of memory. */
static bool doc_plan_make(sf_pdf_doc *d, const sf_output_ctx *o, const sf_pdf_page_def *pages,
                          size_t n, uint32_t owner, doc_plan *p)
{
    memset(p, 0, sizeof *p);
    p->n = n;
    p->plan = calloc(n ? n : 1, sizeof *p->plan);
    p->parts = calloc(n ? n : 1, sizeof *p->parts);
    if (!p->plan || !p->parts)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (pages[i].shown && !pages[i].shown(o, owner))
            continue;
        p->parts[i] = 1;
        if (pages[i].flow) {
            p->plan[i] = sf_pdf_flow_plan(d, o, sf_pdf_content_box(), pages[i].flow, pages[i].n_flow,
                                          owner, &p->parts[i]);
            if (!p->plan[i])
                return false;
        }
        p->total += p->parts[i];
    }
    return true;
}

/* Every shown page: header and title, content, footer. False when a page
 * ran out of memory (the rest are still started and ended, not drawn). */
static bool draw_pages(sf_pdf_doc *d, const sf_output_ctx *o, const sf_pdf_page_def *pages,
                       const doc_plan *p, uint32_t owner, const char *who)
{
    bool ok = true;
    for (size_t i = 0; i < p->n; i++) {
        const char *title = sf_pdf_label(o, pages[i].title_key);
        char buf[512];
        if (who) {
            snprintf(buf, sizeof buf, "%s — %s", title, who);
            title = buf;
        }
        for (int part = 0; part < p->parts[i]; part++) {
            sf_box box = sf_pdf_page(d, title);
            if (p->plan[i])
                sf_pdf_flow_draw(d, p->plan[i], box, part);
            else
                ok = ok && pages[i].draw(d, o, box, owner);
            sf_pdf_page_end(d);
        }
    }
    return ok;
}

/* The tests' cell-box side file for final_path, when asked for; NULL
 * otherwise or when it cannot be opened (it is a debugging aid: the test
 * that asked for it fails on its absence). */
static FILE *cells_file(const sf_output_ctx *o, const char *final_path)
{
    if (!o->set || !o->set->debug_cells)
        return NULL;
    const char *base = strrchr(final_path, '/');
    base = base ? base + 1 : final_path;
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s.cells", o->set->debug_cells, base) >= (int)sizeof path)
        return NULL;
    return fopen(path, "w");
}

sf_err sf_pdf_write(const sf_output_ctx *o, const char *final_path, const char *title,
                    const sf_pdf_page_def *pages, size_t n, uint32_t owner, const char *who,
                    sf_ctx *ctx)
{
    FILE *fp;
    sf_err rc = sf_stage_fopen(o->stage, final_path, &fp, ctx);
    if (rc)
        return rc;
    char *sub = subtitle(o);
    if (!sub) {
        fclose(fp);
        return sf_ctx_nomem(ctx);
    }
    sf_pdf_info info = {.title = title,
                        .subtitle = sub,
                        .footer = "salesfocus",
                        .page_of = sf_pdf_label(o, "page_of"),
                        .creator = "salesfocus",
                        .date = o->rep->as_of,
                        .n_pages = 0};
    sf_pdf_doc d;
    rc = sf_pdf_doc_open(&d, fp, final_path, &info, o->lang, ctx);
    free(sub);
    if (rc) {
        fclose(fp);
        return rc;
    }
    doc_plan plan;
    FILE *cells = NULL;
    bool ok = doc_plan_make(&d, o, pages, n, owner, &plan);
    if (ok) {
        sf_pdf_doc_set_pages(&d, plan.total);
        d.ch.geom = cells = cells_file(o, final_path);
        ok = draw_pages(&d, o, pages, &plan, owner, who);
        d.ch.geom = NULL;
    }
    doc_plan_free(&plan);
    if (cells)
        fclose(cells);
    if (!ok) {
        sf_pdf_doc_discard(&d);
        fclose(fp);
        return sf_ctx_nomem(ctx);
    }
    rc = sf_pdf_doc_close(&d, ctx);
    if (rc) {
        fclose(fp);
        return rc;
    }
    return sf_stage_close(fp, final_path, ctx);
}
