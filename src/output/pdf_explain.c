/*
 * pdf_explain.c - the review pack's page of explanations (SPEC §9): why
 * each verdict on the rep's book is what it is and what would change it,
 * in sentences with exactly the numbers of explain.csv (explain_text.c).
 * Four blocks, each as many items as the page holds: the key clients
 * below their potential and the clients nearest the next tier, what ends
 * each decline alert, the fire candidates, the deals to qualify.
 */
#include "output/sf_explain_text.h"
#include "output/sf_owner_rows.h"
#include "output/sf_pdf_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_ACCOUNTS 4  /* key clients below potential */
#define NEXT_ACCOUNTS 6 /* clients nearest the next tier */
#define BLOCK_ITEMS 6   /* items of each other block, at most */
#define TEXT_SIZE 8.5
#define ITEM_ROOM 34.0  /* height kept for an item: three lines */

typedef struct {
    sf_pdf_doc *d;
    const sf_output_ctx *o;
    sf_explain_text x;
    sf_box box;
    double y;           /* where the next line goes */
    bool full;          /* the page is full: nothing more is drawn */
    sf_err err;
} page;

/* A block's heading, when there is room for it and one item. */
static bool heading(page *p, const char *key)
{
    if (p->full || p->y + 18 + ITEM_ROOM > p->box.y + p->box.h) {
        p->full = true;
        return false;
    }
    p->y += sf_chart_text(&p->d->ch, p->box.x, p->y, p->box.w, sf_pdf_label(p->o, key), 10.5, true,
                          SF_AL_LEFT, sf_rgb_text) + 3;
    return true;
}

/* One item: who (bold, left) and what the sentences say (wrapped). */
static void item(page *p, const char *who, const sf_buf *text)
{
    if (p->full || p->y + ITEM_ROOM > p->box.y + p->box.h) {
        p->full = true;
        return;
    }
    sf_chart *c = &p->d->ch;
    double wl = p->box.w * 0.24, gap = 10;
    sf_chart_text(c, p->box.x, p->y, wl, who, TEXT_SIZE, true, SF_AL_LEFT, sf_rgb_text);
    double h = sf_chart_text_wrap(c, p->box.x + wl + gap, p->y, p->box.w - wl - gap, sf_buf_str(text), TEXT_SIZE,
                                  sf_rgb_text, 3);
    p->y += (h > 12 ? h : 12) + 4;
}

/* The sentences of one item, rendered by fn, drawn under who. */
typedef sf_err (*text_fn)(const sf_explain_text *x, size_t i, sf_buf *out, sf_ctx *ctx);

static void draw_item(page *p, const char *who, text_fn fn, size_t i)
{
    if (p->err || p->full)
        return;
    sf_buf b = {0};
    sf_ctx ctx = {0};
    p->err = fn(&p->x, i, &b, &ctx);
    if (!p->err && b.oom)
        p->err = SF_ERR_NOMEM;
    if (!p->err)
        item(p, who, &b);
    sf_buf_free(&b);
}

static sf_err account_fn(const sf_explain_text *x, size_t i, sf_buf *out, sf_ctx *ctx)
{
    return sf_explain_account_text(x, (uint32_t)i, out, ctx);
}

/* The rows of list l to visit for owner: the owner index's (each of the
 * owner's rows, in order) when it has them, else NULL and all n rows
 * (the caller skips the rows of other owners). */
static const uint32_t *rows_of(const page *p, const sf_list *l, uint32_t owner, size_t all, size_t *n)
{
    const uint32_t *rows = sf_owner_rows_of(p->o->by_owner, l, owner, n);
    if (!rows)
        *n = all;
    return rows;
}

static void block_accounts(page *p, uint32_t owner)
{
    uint32_t pick[KEY_ACCOUNTS + NEXT_ACCOUNTS];
    size_t n_pos;
    /* the accounts list's rows are explain's positions (accounts.csv order) */
    const uint32_t *pos = sf_owner_rows_of(p->o->by_owner, &sf_list_accounts, owner, &n_pos);
    size_t n = sf_explain_pick(p->o->rep, owner, pos, n_pos, KEY_ACCOUNTS, NEXT_ACCOUNTS, pick);
    if (n == 0 || !heading(p, "explain_accounts"))
        return;
    for (size_t k = 0; k < n; k++)
        draw_item(p, p->o->ds->accounts[pick[k]].name, account_fn, pick[k]);
}

static void block_declines(page *p, uint32_t owner)
{
    const sf_report *rep = p->o->rep;
    size_t shown = 0, n;
    const uint32_t *rows = rows_of(p, &sf_list_decline, owner, rep->decline.n, &n);
    for (size_t j = 0; j < n && shown < BLOCK_ITEMS; j++) {
        size_t i = rows ? rows[j] : j;
        const sf_account *ac = &p->o->ds->accounts[rep->decline.rows[i].account];
        if (ac->owner != owner)
            continue;
        if (shown++ == 0 && !heading(p, "explain_declines"))
            return;
        draw_item(p, ac->name, sf_explain_decline_text, i);
    }
}

static void block_fire(page *p, uint32_t owner)
{
    const sf_report *rep = p->o->rep;
    size_t shown = 0, n;
    const uint32_t *rows = rows_of(p, &sf_list_fire, owner, rep->fire.n, &n);
    for (size_t j = 0; j < n && shown < BLOCK_ITEMS; j++) {
        size_t i = rows ? rows[j] : j;
        const sf_account *ac = &p->o->ds->accounts[rep->fire.rows[i].account];
        if (ac->owner != owner)
            continue;
        if (shown++ == 0 && !heading(p, "explain_fire"))
            return;
        draw_item(p, ac->name, sf_explain_fire_text, i);
    }
}

/* The rep's deals to qualify: filter 2 is what they miss. */
static void block_deals(page *p, uint32_t owner)
{
    const sf_report *rep = p->o->rep;
    const sf_dataset *ds = p->o->ds;
    size_t shown = 0, n;
    const uint32_t *rows = rows_of(p, &sf_list_pipeline, owner, rep->pipeline.n, &n);
    for (size_t j = 0; j < n && shown < BLOCK_ITEMS; j++) {
        size_t i = rows ? rows[j] : j;
        const sf_opportunity *op = &ds->opps[rep->pipeline.rows[i].opp];
        if (op->owner != owner || rep->pipeline.rows[i].verdict != SF_VERDICT_QUALIFY)
            continue;
        if (shown++ == 0 && !heading(p, "explain_deals"))
            return;
        char who[SF_PDF_CELL];
        const char *acc = op->account != SF_NO_ACCOUNT ? ds->accounts[op->account].name : op->account_id;
        snprintf(who, sizeof who, "%s · %s", op->id, acc ? acc : "");
        draw_item(p, who, sf_explain_deal_text, i);
    }
}

bool sf_pdf_page_review_explain(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    char lang_file[64];
    snprintf(lang_file, sizeof lang_file, "templates/lang/%s.ini", sf_lang_code(o->lang));
    page p = {.d = d, .o = o, .x = {o->rep, o->lang, lang_file}, .box = box, .y = box.y};
    block_accounts(&p, owner);
    block_declines(&p, owner);
    block_fire(&p, owner);
    block_deals(&p, owner);
    if (p.y == box.y && !p.err)
        sf_chart_nothing(&d->ch, (sf_box){box.x, box.y, box.w, 40}, sf_pdf_label(o, "nothing"));
    /* only memory fails a page: a template with an unknown placeholder
     * would cut its sentence short, and tests/e2e/lang_complete.sh keeps
     * every language's placeholders those of English, which the tests read */
    return p.err != SF_ERR_NOMEM;
}
