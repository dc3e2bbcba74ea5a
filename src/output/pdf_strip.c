/*
 * pdf_strip.c - the review pack's page of SPEC §7: the owner's accounts
 * (in accounts.csv order: tier, then potential) over the last stored runs
 * and this one, a strip per account: each cell the account's tier in the
 * colour of its temperature then, grey where it was not in that run. A
 * coach sees at a glance who is cooling, who climbed, who is new.
 */
#include "output/sf_pdf_history.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define ROW_H 17.0
#define NAME_SHARE 0.30

bool sf_pdf_strip_shown(const sf_output_ctx *o, uint32_t owner)
{
    (void)owner;
    return o->rep->hist && o->rep->hist->n_strip > 0 && o->rep->hist->strip_tier;
}

/* One cell: the tier's letter on its temperature's colour. */
static void cell(sf_pdf_doc *d, const sf_output_ctx *o, double x, double y, double w, uint8_t tier, uint8_t temp)
{
    cairo_t *cr = d->cr;
    bool absent = tier >= SF_TIER_N || temp >= SF_HEAT_N;
    sf_rgb fill = absent ? (sf_rgb){0.92, 0.92, 0.93} : sf_rgb_heat[temp];
    cairo_set_source_rgb(cr, fill.r, fill.g, fill.b);
    cairo_rectangle(cr, x + 1.5, y + 1.5, w - 3, ROW_H - 3);
    cairo_fill(cr);
    sf_chart_text(&d->ch, x, y + 3, w, absent ? "—" : sf_pdf_tier_label(o, (sf_tier)tier), 8, !absent, SF_AL_CENTER,
                  absent ? sf_rgb_muted : (sf_rgb){1, 1, 1});
}

bool sf_pdf_page_strip(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    const sf_history_view *v = o->rep->hist;
    const sf_dataset *ds = o->ds;
    const sf_tiers_result *t = &o->rep->tiers;
    size_t runs = v->n_strip + 1, fit = (size_t)((box.h - 60) / ROW_H);
    double name_w = box.w * NAME_SHARE, cw = (box.w - name_w) / (double)runs;
    if (cw > 60)
        cw = 60;
    /* the runs' dates, then "now" */
    for (size_t r = 0; r < runs; r++) {
        char date[48];
        if (r < v->n_strip)
            sf_lang_fmt_date(o->lang, v->strip_as_of[r], date, sizeof date);
        else
            snprintf(date, sizeof date, "%s", sf_pdf_label(o, "strip_now"));
        sf_chart_text(&d->ch, box.x + name_w + cw * (double)r, box.y, cw, date, 6.5, r + 1 == runs, SF_AL_CENTER,
                      sf_rgb_muted);
    }
    sf_chart_text(&d->ch, box.x, box.y, name_w - 6, sf_pdf_label(o, "col_account"), 8, true, SF_AL_LEFT,
                  sf_rgb_text);
    double y = box.y + 16;
    size_t shown = 0, total = 0;
    for (uint32_t k = 0; t->order && k < ds->n_accounts; k++) {
        uint32_t a = t->order[k];
        if (ds->accounts[a].owner != owner)
            continue;
        total++;
        if (shown == fit)
            continue;
        shown++;
        sf_chart_text(&d->ch, box.x, y + 3, name_w - 6, ds->accounts[a].name, 8, false, SF_AL_LEFT, sf_rgb_text);
        for (size_t r = 0; r < v->n_strip; r++) {
            size_t i = r * v->n_strip_accounts + a;
            cell(d, o, box.x + name_w + cw * (double)r, y, cw, a < v->n_strip_accounts ? v->strip_tier[i] : 0xFF,
                 a < v->n_strip_accounts ? v->strip_temp[i] : 0xFF);
        }
        cell(d, o, box.x + name_w + cw * (double)v->n_strip, y, cw, (uint8_t)t->acc[a].tier, (uint8_t)t->acc[a].temp);
        y += ROW_H;
    }
    if (total == 0)
        sf_chart_nothing(&d->ch, (sf_box){box.x, y, box.w, 36}, sf_pdf_label(o, "nothing"));
    double ny = box.y + box.h - 30;
    if (total > shown) {
        char more[160];
        sf_pdf_label_nm(o, "strip_more", (int64_t)shown, (int64_t)total, more, sizeof more);
        sf_chart_text(&d->ch, box.x, ny - 12, box.w, more, 8, false, SF_AL_LEFT, sf_rgb_muted);
    }
    sf_chart_text_wrap(&d->ch, box.x, ny, box.w, sf_pdf_label(o, "strip_note"), 8, sf_rgb_muted, 2);
    return true;
}
