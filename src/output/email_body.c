/*
 * email_body.c - what a mail says in plain text (sf_email.h): the
 * placeholders of the body and subject for one mail (its counts, the
 * facts of the subject, the "Since" section, and each action list's
 * listed rows as lines, marked when worse than when last mailed), the
 * explanations of the clients most worth explaining (sf_explain_text.h),
 * and the subject and body rendered from the language's templates; the
 * check of every template without data. No I/O: out_email.c loads the
 * template and makes, writes and sends the messages.
 */
#include "output/sf_email.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/sf_buf.h"
#include "output/sf_explain_text.h"
#include "output/sf_mime.h"
#include "output/sf_template.h"

static const char *L(const sf_email_text *m, const char *key)
{
    return sf_email_label(m, key);
}

/* ------------------------------------------------------------ list lines */

sf_err sf_email_worse_mark(const sf_email_text *t, sf_date since, sf_buf *out, sf_ctx *ctx)
{
    sf_tvars vt = {0};
    sf_email_put_date(t, &vt, "date", since);
    sf_err e = sf_email_label_render(t, "email.worse_since", &vt, out, ctx);
    sf_tvars_free(&vt);
    return e;
}

/* "- [mark] line\n": the line of language key `key` with vt. */
static sf_err list_line(const sf_email_text *m, const char *key, const sf_tvars *vt, sf_date worse, sf_buf *out,
                        sf_ctx *ctx)
{
    sf_buf_puts(out, "- ");
    sf_err e = SF_OK;
    if (worse != SF_NODATE) {
        sf_buf_putc(out, '[');
        e = sf_email_worse_mark(m, worse, out, ctx);
        sf_buf_puts(out, "] ");
    }
    if (!e)
        e = sf_email_label_render(m, key, vt, out, ctx);
    sf_buf_putc(out, '\n');
    return e;
}

/* One line from a label with {n} (and {total}, {weeks}). */
static sf_err count_line(const sf_email_text *m, const char *key, uint32_t n, uint32_t total, sf_buf *out,
                         sf_ctx *ctx)
{
    sf_tvars vt = {0};
    sf_email_put_int(m, &vt, "n", n);
    sf_email_put_int(m, &vt, "total", total);
    sf_email_put_int(m, &vt, "weeks", m->cfg->repeat_after_weeks);
    sf_err e = sf_email_label_render(m, key, &vt, out, ctx);
    sf_buf_putc(out, '\n');
    sf_tvars_free(&vt);
    return e;
}

/* Close a list: "(none)" when nothing is listed or left out, "... and N
 * more" past the top N, the count left out as unchanged. */
static sf_err list_end(const sf_email_text *m, const sf_email_section *S, sf_buf *out, sf_ctx *ctx)
{
    if (S->n == 0 && S->left_out == 0) {
        sf_buf_puts(out, L(m, "email.none"));
        sf_buf_putc(out, '\n');
        return SF_OK;
    }
    sf_err e = SF_OK;
    if (S->more > 0)
        e = count_line(m, "email.more", S->more, S->total, out, ctx);
    if (!e && S->left_out > 0)
        e = count_line(m, "email.left_out", S->left_out, S->total, out, ctx);
    return e;
}

/* The listed rows of section sec, one line each, then the list's end. */
static sf_err section_lines(const sf_email_text *m, const sf_email_content *c, int sec, sf_buf *out, sf_ctx *ctx)
{
    const sf_email_section *S = &c->sec[sec];
    sf_err e = SF_OK;
    for (uint32_t j = 0; j < S->n && !e; j++) {
        sf_tvars vt = {0};
        const char *key = NULL;
        e = sf_email_row_vars(m, sec, S->rows[j], &vt, &key, ctx);
        if (!e)
            e = list_line(m, key, &vt, S->worse_since[j], out, ctx);
        sf_tvars_free(&vt);
    }
    return e ? e : list_end(m, S, out, ctx);
}

/* The explanations (SPEC §9) of the clients in scope most worth
 * explaining: the key clients below their potential, then those nearest
 * the next tier. */
#define EXPLAIN_KEY 5
#define EXPLAIN_NEXT 5
size_t sf_email_explain_pick(const sf_email_text *t, const sf_email_scope *s, uint32_t pick[10])
{
    return sf_explain_pick(t->rep, s->owner, NULL, 0, EXPLAIN_KEY, EXPLAIN_NEXT, pick);
}

sf_err sf_email_explain_why(const sf_email_text *t, uint32_t a, sf_buf *out, sf_ctx *ctx)
{
    const sf_explain_text x = {t->rep, t->lang, t->lang_file};
    sf_err e = sf_explain_account_text(&x, a, out, ctx);
    return !e && out->oom ? sf_ctx_nomem(ctx) : e;
}

/* One line each, "(none)" when there are none. */
static sf_err explain_lines(const sf_email_text *m, const sf_email_scope *s, sf_buf *out, sf_ctx *ctx)
{
    uint32_t pick[EXPLAIN_KEY + EXPLAIN_NEXT];
    size_t n = sf_email_explain_pick(m, s, pick);
    sf_err e = SF_OK;
    for (size_t k = 0; k < n && !e; k++) {
        sf_tvars vt = {0};
        sf_buf why = {0};
        sf_email_explain_vars(m, pick[k], &vt);
        e = sf_email_explain_why(m, pick[k], &why, ctx);
        if (!e) {
            sf_tvars_set(&vt, "why", sf_buf_str(&why));
            e = list_line(m, "email.line_explain", &vt, SF_NODATE, out, ctx);
        }
        sf_buf_free(&why);
        sf_tvars_free(&vt);
    }
    if (!e && n == 0) {
        sf_buf_puts(out, L(m, "email.none"));
        sf_buf_putc(out, '\n');
    }
    return e;
}

/* ------------------------------------------------------- subject's facts */

/* One fact, "{n} contacts due" in the plural form of n. */
static sf_err fact(const sf_email_text *m, const char *key, uint32_t n, sf_buf *out, sf_ctx *ctx)
{
    char form[256];
    sf_lang_plural_pick(m->lang, L(m, key), n, form, sizeof form);
    sf_tvars vt = {0};
    sf_email_put_int(m, &vt, "n", n);
    char where[160];
    snprintf(where, sizeof where, "%s [email] %s", m->lang_file, key + strlen("email."));
    if (out->n)
        sf_buf_puts(out, " · ");
    sf_err e = vt.oom ? sf_ctx_nomem(ctx) : sf_template_render(form, &vt, where, false, out, ctx);
    sf_tvars_free(&vt);
    return e;
}

#define MAX_FACTS 3
/* What the subject says: the first three that are not zero of A clients
 * turned cold, new declines (the alerts without the history, or on a
 * first run, where nothing is "new" yet), contacts due, clients late to
 * reorder, deals to pursue, fire candidates. */
static sf_err facts(const sf_email_text *m, const sf_email_scope *s, sf_buf *out, sf_ctx *ctx)
{
    bool hist = m->rep->hist != NULL && !m->rep->history.first_run;
    const struct {
        const char *key;
        uint32_t n;
    } v[] = {{"email.fact_cold_a", s->cold_a},
             {hist ? "email.fact_new_declines" : "email.fact_alerts", hist ? s->new_declines : s->alerts},
             {"email.fact_due", s->due},
             {"email.fact_late", s->late},
             {"email.fact_pursue", s->verdict[SF_VERDICT_PURSUE]},
             {"email.fact_fire", s->fire}};
    sf_err e = SF_OK;
    int shown = 0;
    for (size_t i = 0; i < SF_ARRAY_LEN(v) && shown < MAX_FACTS && !e; i++)
        if (v[i].n) {
            e = fact(m, v[i].key, v[i].n, out, ctx);
            shown++;
        }
    if (!e && shown == 0)
        sf_buf_puts(out, L(m, "email.facts_none"));
    return e;
}

/* ------------------------------------------------------- subject and body */

/* The values that do not depend on the lists: dates, totals, counts. */
static void figure_vars(const sf_email_text *m, const sf_email_scope *s, sf_tvars *vt)
{
    sf_email_put_date(m, vt, "as_of", m->rep->as_of);
    const char *period = m->cfg->period ? m->cfg->period : "";
    char pk[64];
    snprintf(pk, sizeof pk, "email.period_%s", period);
    const char *pl = L(m, pk);
    sf_tvars_set(vt, "period", strcmp(pl, pk) == 0 ? period : pl);
    sf_tvars_set(vt, "currency", m->cfg->currency ? m->cfg->currency : "");
    /* not flattened: the subject check must see a line break in a name */
    sf_tvars_set(vt, "owner", s->owner == SF_OWNER_ALL ? L(m, "email.whole_team")
                              : s->owner < m->ds->n_owners ? m->ds->owners[s->owner]
                                                           : L(m, "common.unassigned"));
    sf_email_put_money(m, vt, "revenue", s->rev);
    sf_email_put_money(m, vt, "revenue_prev", s->rev_prev);
    sf_email_put_pct(m, vt, "growth", s->growth, true);
    sf_email_put_int(m, vt, "due_count", s->due);
    sf_email_put_int(m, vt, "alert_count", s->alerts);
    sf_email_put_int(m, vt, "lost_count", s->lost);
    sf_email_put_int(m, vt, "fire_count", s->fire);
    sf_email_put_int(m, vt, "pursue", s->verdict[SF_VERDICT_PURSUE]);
    sf_email_put_int(m, vt, "qualify", s->verdict[SF_VERDICT_QUALIFY]);
    sf_email_put_int(m, vt, "drop", s->verdict[SF_VERDICT_DROP]);
    sf_email_put_int(m, vt, "late_count", s->late);
    /* the rejected records belong to no rep: a rep's mail leaves the line out */
    if (s->owner == SF_OWNER_ALL)
        sf_email_put_int(m, vt, "rejected", m->rep->summary.rejected_total);
    else
        sf_tvars_omit(vt, "rejected");
}

/* A multi-line value built by fn into vt's name, its last line break
 * dropped (the template decides what follows). */
static sf_err set_text(sf_tvars *vt, const char *name, sf_buf *b, sf_err e, bool drop_newline, sf_ctx *ctx)
{
    if (!e && b->oom)
        e = sf_ctx_nomem(ctx);
    if (!e && drop_newline && b->n && b->p[b->n - 1] == '\n')
        b->p[--b->n] = '\0';
    if (!e)
        sf_tvars_set(vt, name, sf_buf_str(b));
    sf_buf_free(b);
    return e;
}

sf_err sf_email_scope_vars(const sf_email_text *m, const sf_email_content *c, sf_tvars *vt, sf_ctx *ctx)
{
    const sf_email_scope *s = &c->s;
    figure_vars(m, s, vt);
    sf_buf b = {0};
    sf_err e = set_text(vt, "since", &b, sf_email_since(m, s, &b, ctx), false, ctx);
    if (!e)
        e = set_text(vt, "facts", &b, facts(m, s, &b, ctx), false, ctx);
    /* what was left out as unchanged: a line of its own, or no line */
    if (!e && c->left_out > 0)
        e = set_text(vt, "unchanged", &b, count_line(m, "email.unchanged", c->left_out, 0, &b, ctx), true, ctx);
    else
        sf_tvars_omit(vt, "unchanged");
    for (int i = 0; i < SF_ITEM_N && !e; i++)
        e = set_text(vt, sf_email_section_var(i), &b, section_lines(m, c, i, &b, ctx), true, ctx);
    if (!e)
        e = set_text(vt, "top_explain", &b, explain_lines(m, s, &b, ctx), true, ctx);
    return !e && vt->oom ? sf_ctx_nomem(ctx) : e;
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

sf_err sf_email_render(const sf_email_text *m, const sf_email_content *c, const sf_tvars *vt, const char *notes,
                       char **subject, char **body, sf_ctx *ctx)
{
    *subject = *body = NULL;
    sf_buf sb = {0}, bb = {0};
    sf_err e = render_subject(m, &c->s, vt, &sb, ctx);
    if (!e)
        e = sf_template_render(m->body_tmpl, vt, m->body_path, true, &bb, ctx);
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
    return e;
}

/* ------------------------------------------------------------ the check */

/* The placeholders each template receives: what sf_email_scope_vars and
 * the line functions of email_rows.c set (keep them together). */
#define ACCOUNT_VARS "account_id", "name", "owner", "tier", "currency"
#define SCOPE_VARS                                                                                             \
    "as_of", "period", "currency", "owner", "revenue", "revenue_prev", "growth", "due_count", "alert_count",   \
        "lost_count", "fire_count", "pursue", "qualify", "drop", "rejected", "top_due", "top_declines",        \
        "top_fire", "top_pursue", "top_qualify", "late_count", "top_reorder", "top_explain", "facts"
static const char *const k_scope_vars[] = {SCOPE_VARS};
static const char *const k_due_vars[] = {ACCOUNT_VARS, "days", "next_due", "last_contact", "channel", "when"};
static const char *const k_decline_vars[] = {ACCOUNT_VARS, "prior", "current", "drop", "drop_share", "severity",
                                             "to_clear"};
static const char *const k_reorder_vars[] = {ACCOUNT_VARS, "typical", "days_late", "last", "expected", "at_risk",
                                             "status"};
static const char *const k_explain_vars[] = {ACCOUNT_VARS, "why"};
static const char *const k_fire_vars[] = {ACCOUNT_VARS, "rev12", "net_value", "reasons"};
static const char *const k_deal_vars[] = {ACCOUNT_VARS, "opportunity", "opportunity_id", "stage", "amount",
                                          "next_step_date", "misses"};
static const char *const k_more_vars[] = {"n", "total", "weeks"};
/* the body also gets the "Since" section (email_since.c), which spans
 * lines, and the line on what was left out */
static const char *const k_body_vars[] = {SCOPE_VARS, "since", "unchanged", "attached"};
static const char *const k_since_vars[] = {"since", "n"};
static const char *const k_count_vars[] = {"change", "n"};
static const char *const k_move_vars[] = {"name", "account_id", "owner", "from", "to", "delta", "currency"};
static const char *const k_owner_vars[] = {"owner"};
static const char *const k_n_vars[] = {"n"};
static const char *const k_date_vars[] = {"date"};
static const char *const k_none[] = {"n"};
static const char *const k_files_vars[] = {"files"};
static const char *const k_too_large_vars[] = {"size", "limit", "path"};

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
    TV("email.left_out", k_more_vars),        TV("email.unchanged", k_more_vars),
    TV("email.worse_since", k_date_vars),     TV("email.fact_cold_a", k_n_vars),
    TV("email.fact_new_declines", k_n_vars),  TV("email.fact_alerts", k_n_vars),
    TV("email.fact_due", k_n_vars),           TV("email.fact_late", k_n_vars),
    TV("email.fact_pursue", k_n_vars),        TV("email.fact_fire", k_n_vars),
    TV("email.facts_none", k_none),           TV("email.html_title", k_scope_vars),
    TV("email.attached", k_files_vars),       TV("email.card_growth", k_scope_vars),
    TV("email.card_lost", k_scope_vars),      TV("email.html_rejected", k_scope_vars),
    TV("email.too_large_report", k_too_large_vars), TV("email.too_large_workbook", k_too_large_vars),
    TV("email.too_large_review", k_too_large_vars),
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
