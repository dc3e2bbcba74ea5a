/*
 * email_body.c - what a mail says (sf_email.h): the counts and totals of
 * the team or one rep, the top-N sections of the body (contacts due,
 * declines, fire candidates, deals to pursue / qualify, clients late to
 * reorder) read through the list descriptions (sf_list.h), the
 * explanations of the clients most worth explaining (sf_explain_text.h),
 * and the subject and body rendered from the language's templates. No
 * I/O: out_email.c loads the template and makes, writes and sends the
 * messages.
 */
#include "output/sf_email.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/sf_buf.h"
#include "output/sf_explain_text.h"
#include "output/sf_mime.h"
#include "output/sf_template.h"

#define TOP_N 10 /* lines of each action list in the body */

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

static bool in_scope(const sf_email_scope *s, uint32_t owner)
{
    return s->owner == SF_OWNER_ALL || s->owner == owner;
}

/* ------------------------------------------------- rows through the lists */

/* The list of that name; an internal error when it does not exist. */
static const sf_list *find_list(const char *name, sf_ctx *ctx)
{
    const sf_list *l = sf_list_find(name);
    if (!l)
        sf_ctx_error(ctx, SF_ERR_NOMEM, "internal error: no list '%s'", name);
    return l;
}

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

/* The lists' counts for scope s: due contacts, declines (and the lost
 * among them), fire candidates, deals by verdict. */
static sf_err scope_counts(const sf_email_text *m, sf_email_scope *s, sf_ctx *ctx)
{
    const sf_report *rep = m->rep;
    row_view declines = {.l = find_list("decline_alerts", ctx)}, deals = {.l = find_list("pipeline", ctx)};
    const sf_list *due = find_list("cadence_due", ctx), *fire = find_list("fire_candidates", ctx);
    const sf_list *late = find_list("reorder_due", ctx);
    if (!due || !declines.l || !fire || !deals.l || !late)
        return ctx->code;
    for (size_t i = 0, n = due->count(rep); i < n; i++)
        s->due += in_scope(s, due->owner(rep, i));
    for (size_t i = 0, n = late->count(rep); i < n; i++)
        s->late += in_scope(s, late->owner(rep, i));
    for (size_t i = 0, n = fire->count(rep); i < n; i++)
        s->fire += in_scope(s, fire->owner(rep, i));
    for (size_t i = 0, n = declines.l->count(rep); i < n; i++) {
        if (!in_scope(s, declines.l->owner(rep, i)))
            continue;
        row_read(&declines, rep, i);
        s->alerts++;
        s->lost += strcmp(text_at(&declines, "severity"), "lost") == 0;
    }
    for (size_t i = 0, n = deals.l->count(rep); i < n; i++) {
        if (!in_scope(s, deals.l->owner(rep, i)))
            continue;
        row_read(&deals, rep, i);
        int k = verdict_of(&deals);
        if (k >= 0)
            s->verdict[k]++;
    }
    sf_err e = row_check(&declines, ctx);
    return e ? e : row_check(&deals, ctx);
}

sf_err sf_email_scope_compute(const sf_email_text *m, sf_email_scope *s, sf_ctx *ctx)
{
    sf_err e = scope_counts(m, s, ctx);
    if (e)
        return e;
    if (s->owner == SF_OWNER_ALL) {
        s->rev = m->rep->summary.rev12_total;
        s->rev_prev = m->rep->summary.rev_prev12_total;
    } else {
        for (uint32_t a = 0; a < m->ds->n_accounts; a++)
            if (m->ds->accounts[a].owner == s->owner) {
                s->rev += m->ds->accounts[a].rev12;
                s->rev_prev += m->ds->accounts[a].rev_prev12;
            }
    }
    s->growth = s->rev_prev > 0 ? sf_share_e4((__int128)s->rev - s->rev_prev, s->rev_prev) : SF_NONE;
    return SF_OK;
}

bool sf_email_scope_empty(const sf_email_scope *s)
{
    return s->due == 0 && s->alerts == 0 && s->fire == 0 && s->verdict[SF_VERDICT_PURSUE] == 0 &&
           s->verdict[SF_VERDICT_QUALIFY] == 0 && s->late == 0;
}

/* ------------------------------------------------------ placeholder values */

static void put_money(const sf_email_text *m, sf_tvars *vt, const char *name, int64_t cents)
{
    char b[64];
    if (cents == SF_NONE)
        snprintf(b, sizeof b, "%s", L(m, "email.not_available"));
    else
        sf_lang_fmt_money(m->lang, cents, 2, b, sizeof b);
    sf_tvars_set(vt, name, b);
}

static void put_int(const sf_email_text *m, sf_tvars *vt, const char *name, int64_t v)
{
    char b[64];
    sf_lang_fmt_int(m->lang, v, b, sizeof b);
    sf_tvars_set(vt, name, b);
}

static void put_date(const sf_email_text *m, sf_tvars *vt, const char *name, int64_t d)
{
    char b[64];
    if (d == SF_NODATE)
        snprintf(b, sizeof b, "%s", L(m, "email.never"));
    else
        sf_lang_fmt_date(m->lang, (sf_date)d, b, sizeof b);
    sf_tvars_set(vt, name, b);
}

static void put_pct(const sf_email_text *m, sf_tvars *vt, const char *name, int64_t e4, bool sign)
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

/* Render one list line from the language file key `key` into out as
 * "- text\n". */
static sf_err list_line(const sf_email_text *m, const char *key, const sf_tvars *vt, sf_buf *out, sf_ctx *ctx)
{
    if (vt->oom)
        return sf_ctx_nomem(ctx);
    char where[160];
    const char *dot = strchr(key, '.');
    snprintf(where, sizeof where, "%s [email] %s", m->lang_file, dot ? dot + 1 : key);
    sf_buf_puts(out, "- ");
    sf_err e = sf_template_render(L(m, key), vt, where, false, out, ctx);
    sf_buf_putc(out, '\n');
    return e;
}

/* Close a list: "(none)" when nothing was listed, "... and N more" when
 * more than TOP_N matched. */
static sf_err list_end(const sf_email_text *m, uint32_t total, sf_buf *out, sf_ctx *ctx)
{
    if (total == 0) {
        sf_buf_puts(out, L(m, "email.none"));
        sf_buf_putc(out, '\n');
    } else if (total > TOP_N) {
        sf_tvars vt = {0};
        put_int(m, &vt, "n", total - TOP_N);
        put_int(m, &vt, "total", total);
        char where[160];
        snprintf(where, sizeof where, "%s [email] more", m->lang_file);
        sf_err e =
            vt.oom ? sf_ctx_nomem(ctx) : sf_template_render(L(m, "email.more"), &vt, where, false, out, ctx);
        sf_buf_putc(out, '\n');
        sf_tvars_free(&vt);
        return e;
    }
    return SF_OK;
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

static void line_due(const sf_email_text *m, row_view *r, sf_tvars *vt, const char **key)
{
    account_vars(m, vt, r, r->owner);
    int64_t days = at(r, "days_overdue")->v;
    put_int(m, vt, "days", days < 0 ? -days : days);
    put_date(m, vt, "next_due", at(r, "next_due")->v);
    put_date(m, vt, "last_contact", at(r, "last_contact")->v);
    sf_tvars_set_flat(vt, "channel", text_at(r, "channel"));
    *key = days > 0 ? "email.line_due" : "email.line_due_soon";
}

static void line_decline(const sf_email_text *m, row_view *r, sf_tvars *vt, const char **key)
{
    account_vars(m, vt, r, r->owner);
    int64_t prior = at(r, "prior")->v, cur = at(r, "current")->v;
    put_money(m, vt, "prior", prior);
    put_money(m, vt, "current", cur);
    /* what ends the alert (SPEC §9), as explain.csv's to_clear */
    put_money(m, vt, "to_clear", prior > 0 ? sf_explain_to_clear(m->cfg, prior, cur) : SF_NONE);
    put_money(m, vt, "drop", at(r, "drop")->v);
    put_pct(m, vt, "drop_share", at(r, "drop_share")->v, false);
    sf_tvars_set(vt, "severity", word_label(m, r, "severity"));
    /* credit notes above the sales: "lost, net credit -1,061", not a drop of 196 % */
    *key = cur != SF_NONE && cur < 0 ? "email.line_decline_credit" : "email.line_decline";
}

static void line_fire(const sf_email_text *m, row_view *r, sf_tvars *vt, const char **key)
{
    account_vars(m, vt, r, r->owner);
    put_money(m, vt, "rev12", at(r, "rev12")->v);
    put_money(m, vt, "net_value", at(r, "net_value")->v);
    flag_labels(m, r, "reasons", vt, "reasons");
    *key = "email.line_fire";
}

/* A client late to reorder (SPEC §8), against its own rhythm. */
static void line_reorder(const sf_email_text *m, row_view *r, sf_tvars *vt, const char **key)
{
    account_vars(m, vt, r, r->owner);
    put_int(m, vt, "typical", at(r, "typical_gap_days")->v);
    put_int(m, vt, "days_late", at(r, "days_late")->v);
    put_date(m, vt, "last", at(r, "last_purchase")->v);
    put_date(m, vt, "expected", at(r, "expected_date")->v);
    put_money(m, vt, "at_risk", at(r, "revenue_at_risk")->v);
    sf_tvars_set(vt, "status", word_label(m, r, "status"));
    *key = "email.line_reorder";
}

/* A deal to pursue or qualify. Its account's name and tier are not cells
 * of the pipeline list: they are the account cells (sf_report_account_cells,
 * read as the accounts list's) of the account its account_id cell names;
 * the same account the deal was linked to at ingest, as every account is
 * known before the opportunities are linked. */
static void line_deal(const sf_email_text *m, row_view *r, sf_tvars *vt, const char **key)
{
    const char *aid = text_at(r, "account_id");
    uint32_t a = sf_dataset_find(m->ds, aid);
    row_view acc = {.l = &sf_list_accounts};
    if (a != SF_NO_ACCOUNT && a < m->ds->n_accounts) {
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
    put_money(m, vt, "amount", at(r, "amount")->v);
    int64_t next = at(r, "next_step_date")->v;
    if (next == SF_NODATE)
        sf_tvars_set(vt, "next_step_date", L(m, "email.no_next_step"));
    else
        put_date(m, vt, "next_step_date", next);
    flag_labels(m, r, "filter2_misses", vt, "misses");
    *key = verdict_of(r) == SF_VERDICT_PURSUE ? "email.line_pursue" : "email.line_qualify";
}

/* One top-N section of the body: placeholder, list, the verdict its rows
 * must have (pipeline) and the line's placeholders. */
typedef struct {
    const char *var;
    const char *list;
    int verdict; /* -1: every row */
    void (*line)(const sf_email_text *m, row_view *r, sf_tvars *vt, const char **key);
} top_section;

static const top_section k_sections[] = {
    {"top_due", "cadence_due", -1, line_due},
    {"top_declines", "decline_alerts", -1, line_decline},
    {"top_fire", "fire_candidates", -1, line_fire},
    {"top_pursue", "pipeline", SF_VERDICT_PURSUE, line_deal},
    {"top_qualify", "pipeline", SF_VERDICT_QUALIFY, line_deal},
    {"top_reorder", "reorder_due", -1, line_reorder},
};

/* The first TOP_N rows of section t in scope s, one line each, then the
 * list's end; into out. */
static sf_err top_lines(const sf_email_text *m, const top_section *t, const sf_email_scope *s, sf_buf *out,
                        sf_ctx *ctx)
{
    row_view r = {.l = find_list(t->list, ctx)};
    if (!r.l)
        return ctx->code;
    uint32_t total = 0;
    sf_err e = SF_OK;
    for (size_t i = 0, n = r.l->count(m->rep); i < n && !e; i++) {
        r.owner = r.l->owner(m->rep, i);
        if (!in_scope(s, r.owner))
            continue;
        if (total < TOP_N || t->verdict >= 0)
            row_read(&r, m->rep, i);
        if (t->verdict >= 0 && verdict_of(&r) != t->verdict)
            continue;
        if (total++ >= TOP_N)
            continue;
        sf_tvars vt = {0};
        const char *key = NULL;
        t->line(m, &r, &vt, &key);
        e = row_check(&r, ctx);
        if (!e)
            e = list_line(m, key, &vt, out, ctx);
        sf_tvars_free(&vt);
    }
    return e ? e : list_end(m, total, out, ctx);
}

/* The explanations (SPEC §9) of the clients in scope most worth
 * explaining: the key clients below their potential, then those nearest
 * the next tier; one line each, "(none)" when there are none. */
#define EXPLAIN_KEY 5
#define EXPLAIN_NEXT 5
static sf_err explain_lines(const sf_email_text *m, const sf_email_scope *s, sf_buf *out, sf_ctx *ctx)
{
    uint32_t pick[EXPLAIN_KEY + EXPLAIN_NEXT];
    size_t n = sf_explain_pick(m->rep, s->owner, NULL, 0, EXPLAIN_KEY, EXPLAIN_NEXT, pick);
    const sf_explain_text x = {m->rep, m->lang, m->lang_file};
    sf_err e = SF_OK;
    for (size_t k = 0; k < n && !e; k++) {
        row_view acc = {.l = &sf_list_accounts};
        sf_tvars vt = {0};
        sf_buf why = {0};
        sf_report_account_cells(m->rep, pick[k], acc.c);
        account_vars(m, &vt, &acc, m->ds->accounts[pick[k]].owner);
        e = sf_explain_account_text(&x, pick[k], &why, ctx);
        if (!e && why.oom)
            e = sf_ctx_nomem(ctx);
        if (!e) {
            sf_tvars_set(&vt, "why", sf_buf_str(&why));
            e = list_line(m, "email.line_explain", &vt, out, ctx);
        }
        sf_buf_free(&why);
        sf_tvars_free(&vt);
    }
    return e ? e : list_end(m, (uint32_t)n, out, ctx);
}

/* ------------------------------------------------------- subject and body */

/* Fill every placeholder of the body and subject for scope s. */
static sf_err scope_vars(const sf_email_text *m, const sf_email_scope *s, sf_tvars *vt, sf_ctx *ctx)
{
    put_date(m, vt, "as_of", m->rep->as_of);
    const char *period = m->cfg->period ? m->cfg->period : "";
    char pk[64];
    snprintf(pk, sizeof pk, "email.period_%s", period);
    const char *pl = L(m, pk);
    sf_tvars_set(vt, "period", strcmp(pl, pk) == 0 ? period : pl);
    sf_tvars_set(vt, "currency", m->cfg->currency ? m->cfg->currency : "");
    /* not flattened: the subject check must see a line break in a name */
    sf_tvars_set(vt, "owner", s->owner == SF_OWNER_ALL ? L(m, "email.whole_team") : owner_label(m, s->owner));
    put_money(m, vt, "revenue", s->rev);
    put_money(m, vt, "revenue_prev", s->rev_prev);
    put_pct(m, vt, "growth", s->growth, true);
    put_int(m, vt, "due_count", s->due);
    put_int(m, vt, "alert_count", s->alerts);
    put_int(m, vt, "lost_count", s->lost);
    put_int(m, vt, "fire_count", s->fire);
    put_int(m, vt, "pursue", s->verdict[SF_VERDICT_PURSUE]);
    put_int(m, vt, "qualify", s->verdict[SF_VERDICT_QUALIFY]);
    put_int(m, vt, "drop", s->verdict[SF_VERDICT_DROP]);
    /* the rejected records belong to no rep: a rep's mail leaves the line out */
    if (s->owner == SF_OWNER_ALL)
        put_int(m, vt, "rejected", m->rep->summary.rejected_total);
    else
        sf_tvars_omit(vt, "rejected");
    sf_buf since = {0};
    sf_err se = sf_email_since(m, s, &since, ctx);
    if (!se)
        sf_tvars_set(vt, "since", sf_buf_str(&since));
    sf_buf_free(&since);
    if (se)
        return se;

    put_int(m, vt, "late_count", s->late);
    for (size_t i = 0; i <= SF_ARRAY_LEN(k_sections); i++) {
        sf_buf b = {0};
        bool explain = i == SF_ARRAY_LEN(k_sections); /* the last section */
        sf_err e = explain ? explain_lines(m, s, &b, ctx) : top_lines(m, &k_sections[i], s, &b, ctx);
        if (!e && b.oom)
            e = sf_ctx_nomem(ctx);
        /* drop the final newline: the template decides what follows */
        if (!e && b.n && b.p[b.n - 1] == '\n')
            b.p[--b.n] = '\0';
        if (!e)
            sf_tvars_set(vt, explain ? "top_explain" : k_sections[i].var, sf_buf_str(&b));
        sf_buf_free(&b);
        if (e)
            return e;
    }
    return vt->oom ? sf_ctx_nomem(ctx) : SF_OK;
}

/* The subject for scope s (checked: it may hold an owner's name) into sb. */
static sf_err render_subject(const sf_email_text *m, const sf_email_scope *s, const sf_tvars *vt, sf_buf *sb,
                             sf_ctx *ctx)
{
    /* the configured template, else the language's */
    const char *stmpl;
    char where[512];
    bool per_owner = s->owner != SF_OWNER_ALL;
    if (m->cfg->email_subject && m->cfg->email_subject[0]) {
        stmpl = m->cfg->email_subject;
        snprintf(where, sizeof where, "%s: [email] subject", m->cfg->path ? m->cfg->path : "config");
    } else {
        stmpl = L(m, per_owner ? "email.subject_owner" : "email.subject");
        snprintf(where, sizeof where, "%s [email] %s", m->lang_file, per_owner ? "subject_owner" : "subject");
    }
    sf_err e = sf_template_render(stmpl, vt, where, false, sb, ctx);
    if (e)
        return e;
    if (sb->oom)
        return sf_ctx_nomem(ctx);
    return sf_mime_check_value(where, sf_buf_str(sb), ctx);
}

sf_err sf_email_render(const sf_email_text *m, const sf_email_scope *s, const char *notes, char **subject,
                       char **body, sf_ctx *ctx)
{
    *subject = *body = NULL;
    sf_tvars vt = {0};
    sf_buf sb = {0}, bb = {0};
    sf_err e = scope_vars(m, s, &vt, ctx);
    if (!e)
        e = render_subject(m, s, &vt, &sb, ctx);
    if (!e)
        e = sf_template_render(m->body_tmpl, &vt, m->body_path, true, &bb, ctx);
    if (e)
        goto out;
    if (notes && notes[0]) {
        if (bb.n && bb.p[bb.n - 1] != '\n')
            sf_buf_putc(&bb, '\n');
        sf_buf_printf(&bb, "\n%s\n%s", L(m, "email.notes"), notes);
    }
    if (bb.oom || sb.oom) {
        e = sf_ctx_nomem(ctx);
        goto out;
    }
    *subject = sf_buf_take(&sb);
    *body = sf_buf_take(&bb);
    if (!*subject || !*body) {
        free(*subject);
        free(*body);
        *subject = *body = NULL;
        e = sf_ctx_nomem(ctx);
    }
out:
    sf_buf_free(&sb);
    sf_buf_free(&bb);
    sf_tvars_free(&vt);
    return e;
}

/* ------------------------------------------------------------ the check */

/* The placeholders each template receives: what scope_vars, account_vars
 * and the line functions above set (keep them together). */
#define ACCOUNT_VARS "account_id", "name", "owner", "tier", "currency"
static const char *const k_scope_vars[] = {
    "as_of", "period", "currency", "owner", "revenue", "revenue_prev", "growth", "due_count", "alert_count",
    "lost_count", "fire_count", "pursue", "qualify", "drop", "rejected", "top_due", "top_declines", "top_fire",
    "top_pursue", "top_qualify", "late_count", "top_reorder", "top_explain"};
static const char *const k_due_vars[] = {ACCOUNT_VARS, "days", "next_due", "last_contact", "channel"};
static const char *const k_decline_vars[] = {ACCOUNT_VARS, "prior", "current", "drop", "drop_share", "severity",
                                             "to_clear"};
static const char *const k_reorder_vars[] = {ACCOUNT_VARS, "typical", "days_late", "last", "expected", "at_risk",
                                             "status"};
static const char *const k_explain_vars[] = {ACCOUNT_VARS, "why"};
static const char *const k_fire_vars[] = {ACCOUNT_VARS, "rev12", "net_value", "reasons"};
static const char *const k_deal_vars[] = {ACCOUNT_VARS, "opportunity", "opportunity_id", "stage", "amount",
                                          "next_step_date", "misses"};
static const char *const k_more_vars[] = {"n", "total"};
/* the body also gets the "Since" section (email_since.c), which spans lines */
static const char *const k_body_vars[] = {
    "as_of", "period", "currency", "owner", "revenue", "revenue_prev", "growth", "due_count", "alert_count",
    "lost_count", "fire_count", "pursue", "qualify", "drop", "rejected", "top_due", "top_declines", "top_fire",
    "top_pursue", "top_qualify", "late_count", "top_reorder", "top_explain", "since"};
static const char *const k_since_vars[] = {"since", "n"};
static const char *const k_count_vars[] = {"change", "n"};
static const char *const k_move_vars[] = {"name", "account_id", "owner", "from", "to", "delta", "currency"};
static const char *const k_owner_vars[] = {"owner"};

typedef struct {
    const char *key; /* in the language file */
    const char *const *vars;
    size_t n;
} template_vars;

#define TV(key, v) {key, v, SF_ARRAY_LEN(v)}
static const template_vars k_templates[] = {
    TV("email.subject", k_scope_vars),        TV("email.subject_owner", k_scope_vars),
    TV("email.line_due", k_due_vars),         TV("email.line_due_soon", k_due_vars),
    TV("email.line_decline", k_decline_vars), TV("email.line_decline_credit", k_decline_vars),
    TV("email.line_fire", k_fire_vars),
    TV("email.line_pursue", k_deal_vars),     TV("email.line_qualify", k_deal_vars),
    TV("email.line_reorder", k_reorder_vars), TV("email.line_explain", k_explain_vars),
    TV("email.more", k_more_vars),            TV("messages.owner_no_address", k_owner_vars),
    TV("email.since_title", k_since_vars),    TV("email.since_nothing", k_since_vars),
    TV("email.since_count", k_count_vars),    TV("email.line_move", k_move_vars),
};

sf_err sf_email_check_templates(const sf_email_text *m, sf_ctx *ctx)
{
    char where[512];
    for (size_t i = 0; i < SF_ARRAY_LEN(k_templates); i++) {
        const char *key = k_templates[i].key, *dot = strchr(key, '.');
        snprintf(where, sizeof where, "%s [%.*s] %s", m->lang_file, (int)(dot - key), key, dot + 1);
        sf_err e = sf_template_check(L(m, key), k_templates[i].vars, k_templates[i].n, where, false, ctx);
        if (e)
            return e;
    }
    /* the explanations' sentences the mail carries (SPEC §9) */
    sf_err ee = sf_explain_check_templates(m->lang, m->lang_file, ctx);
    if (ee)
        return ee;
    if (m->cfg->email_subject && m->cfg->email_subject[0]) {
        snprintf(where, sizeof where, "%s: [email] subject", m->cfg->path ? m->cfg->path : "config");
        sf_err e = sf_template_check(m->cfg->email_subject, k_scope_vars, SF_ARRAY_LEN(k_scope_vars), where, false,
                                     ctx);
        if (e)
            return e;
    }
    return sf_template_check(m->body_tmpl, k_body_vars, SF_ARRAY_LEN(k_body_vars), m->body_path, true, ctx);
}
