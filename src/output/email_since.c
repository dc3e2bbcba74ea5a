/*
 * email_since.c - the mail's "Since <date>" section (SPEC §7, with the
 * history on): how many changes of each kind since the previous run for
 * the team or one rep, the note when the rules changed, and the largest
 * tier moves. The body template places it with {since}; it is empty with
 * the history off, and says "first run" when there was nothing to compare.
 */
#include "output/sf_email.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/sf_buf.h"
#include "output/sf_template.h"

#define MOVES 5 /* tier moves listed */

static const char *L(const sf_email_text *m, const char *key)
{
    return sf_email_label(m, key);
}

static bool in_scope(const sf_email_scope *s, const sf_change_row *r)
{
    return s->owner == SF_OWNER_ALL || r->owner == s->owner;
}

/* One label rendered with vt into out, then a line break. */
static sf_err line(const sf_email_text *m, const char *key, const char *prefix, const sf_tvars *vt, sf_buf *out,
                   sf_ctx *ctx)
{
    if (vt->oom)
        return sf_ctx_nomem(ctx);
    char where[160];
    snprintf(where, sizeof where, "%s [email] %s", m->lang_file, key + strlen("email."));
    sf_buf_puts(out, prefix);
    sf_err e = sf_template_render(L(m, key), vt, where, false, out, ctx);
    sf_buf_putc(out, '\n');
    return e;
}

static void put_int(const sf_email_text *m, sf_tvars *vt, const char *name, int64_t v)
{
    char b[64];
    sf_lang_fmt_int(m->lang, v, b, sizeof b);
    sf_tvars_set(vt, name, b);
}

/* The largest tier moves in scope, one line each (the analysis ordered
 * them: rep->history.moves). */
static sf_err moves(const sf_email_text *m, const sf_email_scope *s, sf_buf *out, sf_ctx *ctx)
{
    const sf_history_result *h = &m->rep->history;
    const sf_change_row *v[MOVES];
    size_t n = 0;
    for (size_t i = 0; i < h->n_moves && n < MOVES; i++)
        if (in_scope(s, &h->rows[h->moves[i]]))
            v[n++] = &h->rows[h->moves[i]];
    sf_err e = SF_OK;
    if (n > 0) {
        sf_buf_puts(out, L(m, "email.since_moves"));
        sf_buf_putc(out, '\n');
    }
    for (size_t i = 0; i < n && !e; i++) {
        const sf_change_row *r = v[i];
        sf_tvars vt = {0};
        char k1[32], k2[32], b[64], d[80];
        snprintf(k1, sizeof k1, "common.tier_%s", sf_tier_name((sf_tier)r->from));
        snprintf(k2, sizeof k2, "common.tier_%s", sf_tier_name((sf_tier)r->to));
        sf_lang_fmt_money(m->lang, r->delta, 2, b, sizeof b);
        snprintf(d, sizeof d, "%s%s", r->delta > 0 ? "+" : "", b);
        sf_tvars_set_flat(&vt, "name", r->name ? r->name : r->id);
        sf_tvars_set_flat(&vt, "account_id", r->id);
        sf_tvars_set_flat(&vt, "owner", r->owner_name ? r->owner_name : "");
        sf_tvars_set(&vt, "from", L(m, k1));
        sf_tvars_set(&vt, "to", L(m, k2));
        sf_tvars_set(&vt, "delta", d);
        sf_tvars_set(&vt, "currency", m->cfg->currency ? m->cfg->currency : "");
        e = line(m, "email.line_move", "- ", &vt, out, ctx);
        sf_tvars_free(&vt);
    }
    return e;
}

/* The counts of each kind in scope, one line each, under the title. */
static sf_err counts(const sf_email_text *m, const sf_email_scope *s, sf_buf *out, sf_ctx *ctx)
{
    const sf_history_result *h = &m->rep->history;
    uint32_t count[SF_CHG_N] = {0}, total = 0;
    for (size_t i = 0; i < h->n; i++)
        if (h->rows[i].kind != SF_CHG_RULES_CHANGED && in_scope(s, &h->rows[i])) {
            count[h->rows[i].kind]++;
            total++;
        }
    sf_tvars vt = {0};
    char date[64];
    sf_lang_fmt_date(m->lang, h->since, date, sizeof date);
    sf_tvars_set(&vt, "since", date);
    put_int(m, &vt, "n", total);
    sf_err e = line(m, total ? "email.since_title" : "email.since_nothing", "", &vt, out, ctx);
    sf_tvars_free(&vt);
    for (int k = SF_CHG_RULES_CHANGED + 1; k < SF_CHG_N && !e; k++) {
        if (!count[k])
            continue;
        char key[64];
        snprintf(key, sizeof key, "common.change_%s", sf_change_name((sf_change_kind)k));
        sf_tvars kv = {0};
        sf_tvars_set(&kv, "change", L(m, key));
        put_int(m, &kv, "n", count[k]);
        e = line(m, "email.since_count", "- ", &kv, out, ctx);
        sf_tvars_free(&kv);
    }
    return e;
}

sf_err sf_email_since(const sf_email_text *m, const sf_email_scope *s, sf_buf *out, sf_ctx *ctx)
{
    const sf_history_result *h = &m->rep->history;
    if (!m->rep->hist)
        return SF_OK; /* history off: the template's line stays empty */
    sf_buf_putc(out, '\n');
    if (h->first_run) {
        sf_buf_puts(out, L(m, "email.since_first"));
        sf_buf_putc(out, '\n');
        return out->oom ? sf_ctx_nomem(ctx) : SF_OK;
    }
    sf_err e = counts(m, s, out, ctx);
    if (!e && h->rules_changed) {
        sf_buf_puts(out, L(m, "email.since_rules"));
        sf_buf_putc(out, '\n');
    }
    if (!e)
        e = moves(m, s, out, ctx);
    return !e && out->oom ? sf_ctx_nomem(ctx) : e;
}
