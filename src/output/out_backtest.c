/*
 * out_backtest.c - what `salesfocus backtest` writes (SPEC §10): the list
 * csv/backtest.csv (the CSV writer), backtest.xlsx with its sheet (the
 * workbook writer), and backtest.pdf: one page with each rule's precision
 * and recall against the base rate, and a table saying which rules
 * predicted a decline on this data (lift > 1) and which did not. Every
 * file goes through the stage: the caller commits them together.
 */
#include "output/sf_pdf_tables.h"
#include "output/sf_template.h"
#include "draw/sf_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The label of a rule ("common.backtest_<rule>"). */
static const char *rule_label(const sf_output_ctx *o, int r)
{
    char k[64];
    snprintf(k, sizeof k, "common.backtest_%s", sf_bt_rule_name((sf_bt_rule)r));
    return sf_lang_get(o->lang, k);
}

/* What the rule's lift says, in words: predictive (lift > 1, compared
 * exactly on the counts), not predictive (lift <= 1), or cannot tell. */
static void verdict(const sf_output_ctx *o, const sf_backtest_row *r, char *out, size_t n)
{
    if (r->flagged == 0) {
        snprintf(out, n, "%s", sf_pdf_label(o, "bt_nothing_flagged"));
    } else if (r->declined == 0) {
        snprintf(out, n, "%s", sf_pdf_label(o, "bt_nobody_declined"));
    } else if ((__int128)r->hits * r->population <= (__int128)r->flagged * r->declined) {
        snprintf(out, n, "%s", sf_pdf_label(o, "bt_not_predictive"));
    } else {
        char lift[48], k[96];
        sf_lang_fmt_money(o->lang, sf_div_round(r->lift, 100), 2, lift, sizeof lift);
        snprintf(k, sizeof k, "%s", sf_pdf_label(o, "bt_predictive"));
        const char *p = strstr(k, "{lift}");
        if (p)
            snprintf(out, n, "%.*s%s%s", (int)(p - k), k, lift, p + 6);
        else
            snprintf(out, n, "%s", k);
    }
}

/* The line under the title: which dates were replayed against what. */
static void intro(sf_pdf_doc *d, const sf_output_ctx *o, const sf_backtest_result *bt, sf_box box)
{
    sf_tvars vt = {0};
    char b[64];
    sf_lang_fmt_int(o->lang, bt->points, b, sizeof b);
    sf_tvars_set(&vt, "n", b);
    sf_lang_fmt_date(o->lang, (sf_date)(bt->as_of - bt->horizon - (bt->points - 1) * bt->step), b, sizeof b);
    sf_tvars_set(&vt, "first", b);
    sf_lang_fmt_date(o->lang, (sf_date)(bt->as_of - bt->horizon), b, sizeof b);
    sf_tvars_set(&vt, "last", b);
    sf_lang_fmt_int(o->lang, bt->horizon, b, sizeof b);
    sf_tvars_set(&vt, "h", b);
    sf_lang_fmt_int(o->lang, bt->step, b, sizeof b);
    sf_tvars_set(&vt, "s", b);
    sf_lang_fmt_pct(o->lang, o->cfg->min_drop_share / 100, 0, b, sizeof b);
    sf_tvars_set(&vt, "share", b);
    sf_buf text = {0};
    sf_ctx ctx = {0};
    if (!vt.oom && sf_template_render(sf_pdf_label(o, "bt_intro"), &vt, "[pdf] bt_intro", false, &text, &ctx) == SF_OK)
        sf_chart_text_wrap(&d->ch, box.x, box.y, box.w, sf_buf_str(&text), 9, sf_rgb_muted, 3);
    sf_buf_free(&text);
    sf_tvars_free(&vt);
}

/* Precision and recall per rule, the base rate as a reference line (an
 * empty precision, nothing flagged, is drawn as no bar). */
static void chart(sf_pdf_doc *d, const sf_output_ctx *o, const sf_backtest_result *bt, sf_box box)
{
    const char *cats[SF_BT_RULES];
    double vals[SF_BT_RULES * 2];
    for (int r = 0; r < SF_BT_RULES; r++) {
        const sf_backtest_row *row = &bt->rows[r];
        cats[r] = rule_label(o, r);
        vals[r * 2] = row->precision == SF_NONE ? 0 : (double)row->precision;
        vals[r * 2 + 1] = row->recall == SF_NONE ? 0 : (double)row->recall;
    }
    const char *names[2] = {sf_pdf_label(o, "bt_precision"), sf_pdf_label(o, "bt_recall")};
    const sf_rgb colors[2] = {sf_rgb_accent, sf_rgb_accent2};
    int64_t base = bt->rows[0].base_rate;
    char ref[96], pct[48];
    sf_lang_fmt_pct(o->lang, base == SF_NONE ? 0 : base, 1, pct, sizeof pct);
    snprintf(ref, sizeof ref, "%s %s", sf_pdf_label(o, "bt_base_rate"), pct);
    sf_bars b = {.cats = cats, .n_cats = SF_BT_RULES, .values = vals, .n_series = 2, .colors = colors,
                 .series_names = names, .horizontal = true, .value_labels = true, .fmt = sf_chart_fmt_pct,
                 .band_lo = NAN, .band_hi = NAN, .ref = base == SF_NONE ? NAN : (double)base,
                 .ref_label = ref};
    sf_chart_bars(&d->ch, box, &b);
}

/* The counts and the verdict of each rule. */
static void table(sf_pdf_doc *d, const sf_output_ctx *o, const sf_backtest_result *bt, sf_box box)
{
    enum { NC = 7 };
    char cells[SF_BT_RULES][NC][SF_PDF_CELL];
    char *ptrs[SF_BT_RULES * NC];
    for (int r = 0; r < SF_BT_RULES; r++) {
        const sf_backtest_row *row = &bt->rows[r];
        snprintf(cells[r][0], SF_PDF_CELL, "%s", rule_label(o, r));
        sf_lang_fmt_int(o->lang, row->flagged, cells[r][1], SF_PDF_CELL);
        sf_lang_fmt_int(o->lang, row->hits, cells[r][2], SF_PDF_CELL);
        sf_lang_fmt_pct(o->lang, row->precision, 1, cells[r][3], SF_PDF_CELL);
        sf_lang_fmt_pct(o->lang, row->recall, 1, cells[r][4], SF_PDF_CELL);
        if (row->lift == SF_NONE)
            cells[r][5][0] = '\0';
        else
            sf_lang_fmt_money(o->lang, sf_div_round(row->lift, 100), 2, cells[r][5], SF_PDF_CELL);
        verdict(o, row, cells[r][6], SF_PDF_CELL);
        for (int c = 0; c < NC; c++)
            ptrs[r * NC + c] = cells[r][c];
    }
    const char *hdr[NC] = {sf_pdf_label(o, "bt_col_rule"),      sf_pdf_label(o, "bt_col_flagged"),
                           sf_pdf_label(o, "bt_col_hits"),      sf_pdf_label(o, "bt_col_precision"),
                           sf_pdf_label(o, "bt_col_recall"),    sf_pdf_label(o, "bt_col_lift"),
                           sf_pdf_label(o, "bt_col_verdict")};
    static const sf_align al[NC] = {SF_AL_LEFT,  SF_AL_RIGHT, SF_AL_RIGHT, SF_AL_RIGHT,
                                    SF_AL_RIGHT, SF_AL_RIGHT, SF_AL_LEFT};
    static const bool wrap[NC] = {true, false, false, false, false, false, true};
    sf_table tb = {.headers = hdr, .align = al, .wrap = wrap, .n_cols = NC, .cells = ptrs,
                   .n_rows = SF_BT_RULES};
    sf_chart_table(&d->ch, box, &tb);
}

static bool page_backtest(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    (void)owner;
    const sf_backtest_result *bt = o->rep->backtest;
    intro(d, o, bt, (sf_box){box.x, box.y, box.w, 36});
    double top = box.y + 40, h = box.h - 40;
    chart(d, o, bt, (sf_box){box.x, top, box.w, h * 0.52});
    table(d, o, bt, (sf_box){box.x, top + h * 0.56, box.w, h * 0.30});
    sf_chart_text_wrap(&d->ch, box.x, box.y + box.h - 24, box.w, sf_pdf_label(o, "bt_note"), 8, sf_rgb_muted, 2);
    return true;
}

static const sf_pdf_page_def backtest_pages[] = {
    {"page_backtest", page_backtest, NULL, NULL, 0},
};

sf_err sf_out_backtest(const sf_output_ctx *o, sf_ctx *ctx)
{
    if (!o->rep->backtest)
        return sf_ctx_error(ctx, SF_ERR_NOMEM, "internal error: no backtest to write");
    static const sf_list *const lists[] = {&sf_list_backtest};
    sf_err e = o->cfg->out_csv ? sf_out_csv_list(o, &sf_list_backtest, ctx) : SF_OK;
    if (!e && o->cfg->out_xlsx)
        e = sf_out_xlsx_book(o, "backtest.xlsx", "title_backtest", lists, 1, false, ctx);
    if (!e && o->cfg->out_pdf) {
        size_t plen = strlen(o->out_dir) + sizeof "/backtest.pdf";
        char *path = malloc(plen);
        if (!path)
            return sf_ctx_nomem(ctx);
        snprintf(path, plen, "%s/backtest.pdf", o->out_dir);
        e = sf_pdf_write(o, path, sf_pdf_label(o, "backtest_title"), backtest_pages,
                         SF_ARRAY_LEN(backtest_pages), SF_OWNER_ALL, NULL, ctx);
        free(path);
    }
    return e;
}
