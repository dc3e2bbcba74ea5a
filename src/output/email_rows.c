/*
 * email_rows.c - a row of an action list as the mail shows it
 * (sf_email.h): read through the list's description (sf_list.h), it gives
 * the placeholders of its line (the text and the HTML table use the same
 * values, in the language's number and date formats) and the item the
 * send log remembers (its key and the state "got worse" compares).
 */
#include "output/sf_email.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/sf_explain_text.h"

/* ---------------------------------------------------------------- labels */

const char *sf_email_label(const sf_email_text *t, const char *key)
{
    return sf_lang_get(t->lang, key);
}

static const char *L(const sf_email_text *m, const char *key)
{
    return sf_email_label(m, key);
}

static const char *owner_label(const sf_email_text *m, uint32_t id)
{
    if (id == SF_OWNER_UNASSIGNED || id >= m->ds->n_owners)
        return L(m, "common.unassigned");
    return m->ds->owners[id];
}

sf_err sf_email_label_render(const sf_email_text *t, const char *key, const sf_tvars *vt, sf_buf *out,
                             sf_ctx *ctx)
{
    if (vt->oom)
        return sf_ctx_nomem(ctx);
    char where[160];
    const char *dot = strchr(key, '.');
    snprintf(where, sizeof where, "%s [%.*s] %s", t->lang_file, dot ? (int)(dot - key) : 0, key,
             dot ? dot + 1 : key);
    return sf_template_render(L(t, key), vt, where, false, out, ctx);
}

/* ------------------------------------------------------ values formatted */

void sf_email_put_money(const sf_email_text *m, sf_tvars *vt, const char *name, int64_t cents)
{
    char b[64];
    if (cents == SF_NONE)
        snprintf(b, sizeof b, "%s", L(m, "email.not_available"));
    else
        sf_lang_fmt_money(m->lang, cents, 2, b, sizeof b);
    sf_tvars_set(vt, name, b);
}

void sf_email_put_int(const sf_email_text *m, sf_tvars *vt, const char *name, int64_t v)
{
    char b[64];
    sf_lang_fmt_int(m->lang, v, b, sizeof b);
    sf_tvars_set(vt, name, b);
}

void sf_email_put_date(const sf_email_text *m, sf_tvars *vt, const char *name, int64_t d)
{
    char b[64];
    if (d == SF_NODATE)
        snprintf(b, sizeof b, "%s", L(m, "email.never"));
    else
        sf_lang_fmt_date(m->lang, (sf_date)d, b, sizeof b);
    sf_tvars_set(vt, name, b);
}

void sf_email_put_pct(const sf_email_text *m, sf_tvars *vt, const char *name, int64_t e4, bool sign)
{
    char b[64], s[80];
    if (e4 == SF_NONE) {
        sf_tvars_set(vt, name, L(m, "email.not_available"));
        return;
    }
    sf_lang_fmt_pct(m->lang, e4, 1, b, sizeof b);
    snprintf(s, sizeof s, "%s%s", sign && e4 > 0 ? "+" : "", b);
    sf_tvars_set(vt, name, s);
}

/* ------------------------------------------------- rows through the lists */

/* One row of a list, read through its description. A column the list
 * does not have reads as an empty cell and marks the row: an internal
 * error, reported once the line is done. */
typedef struct {
    const sf_list *l;
    sf_cell c[SF_LIST_MAX_COLS];
    uint32_t owner;          /* l->owner of the row */
    const char *missing;     /* the first column not found, or NULL */
} row_view;

static void row_read(row_view *r, const sf_report *rep, size_t i)
{
    memset(r->c, 0, sizeof r->c);
    if (r->l->row) /* a list read back from disk (the rejects) is no mail section */
        r->l->row(rep, i, r->c);
    r->owner = r->l->owner(rep, i);
}

/* Index of column name, or -1 (recorded in r->missing). */
static int col_index(row_view *r, const char *name)
{
    int i = sf_list_col(r->l, name);
    if (i < 0 && !r->missing)
        r->missing = name;
    return i;
}

static const sf_cell *at(row_view *r, const char *name)
{
    static const sf_cell empty = {.v = SF_NONE};
    int i = col_index(r, name);
    return i < 0 ? &empty : &r->c[i];
}

static const char *text_at(row_view *r, const char *name)
{
    const char *t = at(r, name)->text;
    return t ? t : "";
}

static sf_err row_check(const row_view *r, sf_ctx *ctx)
{
    if (!r->missing)
        return SF_OK;
    return sf_ctx_error(ctx, SF_ERR_NOMEM, "internal error: list '%s' has no column '%s'", r->l->name,
                        r->missing);
}

/* The verdict a pipeline row's "verdict" cell names, or -1. */
static int verdict_of(row_view *r)
{
    const char *t = text_at(r, "verdict");
    for (int k = SF_VERDICT_PURSUE; k <= SF_VERDICT_DROP; k++)
        if (strcmp(t, sf_verdict_name((sf_verdict)k)) == 0)
            return k;
    return -1;
}

/* The mail's label of a word of a fixed vocabulary ("lost"):
 * "email.<label_prefix><word>". */
static const char *word_label(const sf_email_text *m, row_view *r, const char *name)
{
    int i = col_index(r, name);
    if (i < 0)
        return "";
    char key[96];
    snprintf(key, sizeof key, "email.%s%s", r->l->cols[i].label_prefix ? r->l->cols[i].label_prefix : "",
             r->c[i].text ? r->c[i].text : "");
    return L(m, key);
}

/* The labels of the set bits of a flags cell, ", "-joined:
 * "email.<label_prefix><bit name>" each. */
static void flag_labels(const sf_email_text *m, row_view *r, const char *name, sf_tvars *vt, const char *var)
{
    int i = col_index(r, name);
    sf_buf out = {0};
    const sf_column *col = i < 0 ? NULL : &r->l->cols[i];
    for (int b = 0; col && b < col->n_flags; b++) {
        if (!(r->c[i].v & ((int64_t)1 << b)))
            continue;
        char k[64];
        snprintf(k, sizeof k, "email.%s%s", col->label_prefix ? col->label_prefix : "", col->flag_name(b));
        if (out.n)
            sf_buf_puts(&out, ", ");
        sf_buf_puts(&out, L(m, k));
    }
    sf_tvars_set(vt, var, sf_buf_str(&out));
    if (out.oom)
        vt->oom = true;
    sf_buf_free(&out);
}

/* The common per-account placeholders of a list line, from the cells
 * account_id, name and tier of r and the account's owner. */
static void account_vars(const sf_email_text *m, sf_tvars *vt, row_view *r, uint32_t owner)
{
    const char *id = text_at(r, "account_id"), *name = at(r, "name")->text;
    char tk[32];
    snprintf(tk, sizeof tk, "common.tier_%s", sf_tier_name((sf_tier)at(r, "tier")->v));
    sf_tvars_set_flat(vt, "account_id", id);
    sf_tvars_set_flat(vt, "name", name ? name : id);
    sf_tvars_set_flat(vt, "owner", owner_label(m, owner));
    sf_tvars_set(vt, "tier", L(m, tk));
    sf_tvars_set(vt, "currency", m->cfg->currency ? m->cfg->currency : "");
}

void sf_email_explain_vars(const sf_email_text *t, uint32_t a, sf_tvars *vt)
{
    row_view acc = {.l = &sf_list_accounts};
    sf_report_account_cells(t->rep, a, acc.c);
    account_vars(t, vt, &acc, t->ds->accounts[a].owner);
}

static void line_due(const sf_email_text *m, row_view *r, sf_tvars *vt, const char **key)
{
    account_vars(m, vt, r, r->owner);
    int64_t days = at(r, "days_overdue")->v;
    sf_email_put_int(m, vt, "days", days < 0 ? -days : days);
    sf_email_put_date(m, vt, "next_due", at(r, "next_due")->v);
    sf_email_put_date(m, vt, "last_contact", at(r, "last_contact")->v);
    sf_tvars_set_flat(vt, "channel", text_at(r, "channel"));
    *key = days > 0 ? "email.line_due" : "email.line_due_soon";
    /* the HTML table's cell: "16 days overdue" or the date due */
    char when[256];
    if (days > 0) {
        char form[256], num[40];
        sf_lang_plural_pick(m->lang, L(m, "email.when_overdue"), days, form, sizeof form);
        sf_lang_fmt_int(m->lang, days, num, sizeof num);
        const char *at_n = strstr(form, "{n}");
        if (at_n)
            snprintf(when, sizeof when, "%.*s%s%s", (int)(at_n - form), form, num, at_n + 3);
        else
            snprintf(when, sizeof when, "%s", form);
        sf_tvars_set_flat(vt, "when", when);
    } else {
        const char *due = sf_tvars_get(vt, "next_due", strlen("next_due"));
        sf_tvars_set_flat(vt, "when", due ? due : "");
    }
}

static void line_decline(const sf_email_text *m, row_view *r, sf_tvars *vt, const char **key)
{
    account_vars(m, vt, r, r->owner);
    int64_t prior = at(r, "prior")->v, cur = at(r, "current")->v;
    sf_email_put_money(m, vt, "prior", prior);
    sf_email_put_money(m, vt, "current", cur);
    /* what ends the alert (SPEC §9), as explain.csv's to_clear */
    sf_email_put_money(m, vt, "to_clear", prior > 0 ? sf_explain_to_clear(m->cfg, prior, cur) : SF_NONE);
    sf_email_put_money(m, vt, "drop", at(r, "drop")->v);
    sf_email_put_pct(m, vt, "drop_share", at(r, "drop_share")->v, false);
    sf_tvars_set(vt, "severity", word_label(m, r, "severity"));
    /* credit notes above the sales: "lost, net credit -1,061", not a drop of 196 % */
    *key = cur != SF_NONE && cur < 0 ? "email.line_decline_credit" : "email.line_decline";
}

static void line_fire(const sf_email_text *m, row_view *r, sf_tvars *vt, const char **key)
{
    account_vars(m, vt, r, r->owner);
    sf_email_put_money(m, vt, "rev12", at(r, "rev12")->v);
    sf_email_put_money(m, vt, "net_value", at(r, "net_value")->v);
    flag_labels(m, r, "reasons", vt, "reasons");
    *key = "email.line_fire";
}

/* A client late to reorder (SPEC §8), against its own rhythm. */
static void line_reorder(const sf_email_text *m, row_view *r, sf_tvars *vt, const char **key)
{
    account_vars(m, vt, r, r->owner);
    sf_email_put_int(m, vt, "typical", at(r, "typical_gap_days")->v);
    sf_email_put_int(m, vt, "days_late", at(r, "days_late")->v);
    sf_email_put_date(m, vt, "last", at(r, "last_purchase")->v);
    sf_email_put_date(m, vt, "expected", at(r, "expected_date")->v);
    sf_email_put_money(m, vt, "at_risk", at(r, "revenue_at_risk")->v);
    sf_tvars_set(vt, "status", word_label(m, r, "status"));
    *key = "email.line_reorder";
}

/* The account of a deal: its index, SF_NO_ACCOUNT when not known. The
 * same account the deal was linked to at ingest, as every account is
 * known before the opportunities are linked. */
static uint32_t deal_account(const sf_email_text *m, row_view *r)
{
    uint32_t a = sf_dataset_find(m->ds, text_at(r, "account_id"));
    return a < m->ds->n_accounts ? a : SF_NO_ACCOUNT;
}

/* A deal to pursue or qualify. Its account's name and tier are not cells
 * of the pipeline list: they are the account cells (sf_report_account_cells,
 * read as the accounts list's) of the account its account_id cell names. */
static void line_deal(const sf_email_text *m, row_view *r, sf_tvars *vt, const char **key)
{
    const char *aid = text_at(r, "account_id");
    uint32_t a = deal_account(m, r);
    row_view acc = {.l = &sf_list_accounts};
    if (a != SF_NO_ACCOUNT) {
        sf_report_account_cells(m->rep, a, acc.c);
        account_vars(m, vt, &acc, r->owner); /* the deal's owner, not the account's */
        if (acc.missing)
            r->missing = acc.missing;
    } else {
        sf_tvars_set_flat(vt, "account_id", aid);
        sf_tvars_set_flat(vt, "name", aid);
        sf_tvars_set_flat(vt, "owner", owner_label(m, r->owner));
        sf_tvars_set(vt, "tier", "");
        sf_tvars_set(vt, "currency", m->cfg->currency ? m->cfg->currency : "");
    }
    /* the deal by its name when the export gives one, else its id */
    const char *deal = text_at(r, "deal_name");
    sf_tvars_set_flat(vt, "opportunity", deal && *deal ? deal : text_at(r, "opportunity_id"));
    sf_tvars_set_flat(vt, "opportunity_id", text_at(r, "opportunity_id"));
    sf_tvars_set_flat(vt, "stage", text_at(r, "stage"));
    sf_email_put_money(m, vt, "amount", at(r, "amount")->v);
    int64_t next = at(r, "next_step_date")->v;
    if (next == SF_NODATE)
        sf_tvars_set(vt, "next_step_date", L(m, "email.no_next_step"));
    else
        sf_email_put_date(m, vt, "next_step_date", next);
    flag_labels(m, r, "filter2_misses", vt, "misses");
    *key = verdict_of(r) == SF_VERDICT_PURSUE ? "email.line_pursue" : "email.line_qualify";
}

/* ---------------------------------------------------------- the sections */

/* One top-N section: its placeholder in the body, its list, the verdict
 * its rows must have (pipeline) and the line's placeholders. Indexed by
 * sf_item_kind. */
typedef struct {
    const char *var;
    const sf_list *list;
    int verdict; /* -1: every row */
    void (*line)(const sf_email_text *m, row_view *r, sf_tvars *vt, const char **key);
} top_section;

static const top_section k_sections[SF_ITEM_N] = {
    [SF_ITEM_DUE] = {"top_due", &sf_list_cadence, -1, line_due},
    [SF_ITEM_DECLINE] = {"top_declines", &sf_list_decline, -1, line_decline},
    [SF_ITEM_FIRE] = {"top_fire", &sf_list_fire, -1, line_fire},
    [SF_ITEM_PURSUE] = {"top_pursue", &sf_list_pipeline, SF_VERDICT_PURSUE, line_deal},
    [SF_ITEM_QUALIFY] = {"top_qualify", &sf_list_pipeline, SF_VERDICT_QUALIFY, line_deal},
    [SF_ITEM_REORDER] = {"top_reorder", &sf_list_reorder, -1, line_reorder},
};

const sf_list *sf_email_section_list(int sec)
{
    return k_sections[sec].list;
}

const char *sf_email_section_var(int sec)
{
    return k_sections[sec].var;
}

int sf_email_row_verdict(const sf_email_text *t, uint32_t row)
{
    row_view r = {.l = &sf_list_pipeline};
    row_read(&r, t->rep, row);
    return verdict_of(&r);
}

bool sf_email_row_lost(const sf_email_text *t, uint32_t row)
{
    row_view r = {.l = &sf_list_decline};
    row_read(&r, t->rep, row);
    return strcmp(text_at(&r, "severity"), "lost") == 0;
}

int sf_email_section_verdict(int sec)
{
    return k_sections[sec].verdict;
}

sf_err sf_email_row_vars(const sf_email_text *t, int sec, uint32_t row, sf_tvars *vt, const char **key,
                         sf_ctx *ctx)
{
    const top_section *s = &k_sections[sec];
    row_view r = {.l = s->list};
    row_read(&r, t->rep, row);
    s->line(t, &r, vt, key);
    sf_err e = row_check(&r, ctx);
    return !e && vt->oom ? sf_ctx_nomem(ctx) : e;
}

sf_err sf_email_row_item(const sf_email_text *t, int sec, uint32_t row, sf_mail_item *it, sf_ctx *ctx)
{
    const top_section *s = &k_sections[sec];
    row_view r = {.l = s->list};
    row_read(&r, t->rep, row);
    *it = (sf_mail_item){.kind = (uint8_t)sec, .mailed = t->rep->as_of, .tier = -1, .days_overdue = SF_NONE,
                         .drop = SF_NONE};
    if (sec == SF_ITEM_PURSUE || sec == SF_ITEM_QUALIFY) {
        it->id = text_at(&r, "opportunity_id");
        uint32_t a = deal_account(t, &r);
        if (a != SF_NO_ACCOUNT && t->rep->tiers.acc)
            it->tier = (int8_t)t->rep->tiers.acc[a].tier;
    } else {
        it->id = text_at(&r, "account_id");
        int64_t tier = at(&r, "tier")->v;
        it->tier = tier >= 0 && tier < SF_TIER_N ? (int8_t)tier : -1;
    }
    if (sec == SF_ITEM_DUE)
        it->days_overdue = at(&r, "days_overdue")->v;
    if (sec == SF_ITEM_DECLINE)
        it->drop = at(&r, "drop")->v;
    if (sec == SF_ITEM_REORDER) {
        const char *st = text_at(&r, "status");
        it->reorder = strcmp(st, "lapsed") == 0 ? 2 : strcmp(st, "late") == 0 ? 1 : 0;
    }
    return row_check(&r, ctx);
}
