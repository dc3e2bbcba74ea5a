/*
 * email_items.c - what one mail lists (sf_email.h): the counts and totals
 * of its scope (the team, or one rep), the facts its subject gives, and
 * the top of each action list - less, with the history on, what its
 * recipient was sent within [email] repeat_after_weeks and is unchanged
 * (docs/scheduling.md, "Only what changed").
 *
 * An item (a row of an action list: due contact, decline, fire candidate,
 * deal to pursue or qualify, client late to reorder) that the recipient's
 * mails listed within the window is left out unless it got worse since
 * (sf_mail_item_worse: tier fell, days overdue doubled, drop grew by
 * [history] escalate_share, reorder status became lapsed); then it is
 * listed with the date it was mailed ("worse since"). The mail counts
 * what it left out, and how many of its items its recipient's last mail
 * did not list (send_when = changed sends only when there is one).
 */
#include "output/sf_email.h"

#include <stdlib.h>
#include <string.h>

static bool in_scope(const sf_email_scope *s, uint32_t owner)
{
    return s->owner == SF_OWNER_ALL || s->owner == owner;
}

/* Row i of list l in scope: the team's mail takes every row without
 * asking its owner (an account's record each, a cache miss apiece on a
 * book of a million accounts: a third of choosing the mail's lines). */
static bool row_in_scope(const sf_email_scope *s, const sf_list *l, const sf_report *rep, size_t i)
{
    return s->owner == SF_OWNER_ALL || l->owner(rep, i) == s->owner;
}

/* ------------------------------------------------------- counts, totals */

/* The verdict of each deal of the pipeline in scope (-1: out of scope,
 * or none), each row read once for the counts and both deal sections.
 * NULL on out of memory. */
static int8_t *deal_verdicts(const sf_email_text *m, const sf_email_scope *s)
{
    const sf_list *deals = sf_email_section_list(SF_ITEM_PURSUE);
    size_t n = deals->count(m->rep);
    int8_t *v = malloc(n ? n : 1);
    for (size_t i = 0; v && i < n; i++)
        v[i] = (int8_t)(row_in_scope(s, deals, m->rep, i) ? sf_email_row_verdict(m, (uint32_t)i) : -1);
    return v;
}

/* The lists' counts for scope s: due contacts, declines (and the lost
 * among them), fire candidates, deals by verdict (verdicts: the deals'),
 * clients late to reorder. */
static void scope_counts(const sf_email_text *m, sf_email_scope *s, const int8_t *verdicts)
{
    const sf_report *rep = m->rep;
    const sf_list *due = sf_email_section_list(SF_ITEM_DUE), *fire = sf_email_section_list(SF_ITEM_FIRE);
    const sf_list *late = sf_email_section_list(SF_ITEM_REORDER), *dec = sf_email_section_list(SF_ITEM_DECLINE);
    const sf_list *deals = sf_email_section_list(SF_ITEM_PURSUE);
    for (size_t i = 0, n = due->count(rep); i < n; i++)
        s->due += row_in_scope(s, due, rep, i);
    for (size_t i = 0, n = late->count(rep); i < n; i++)
        s->late += row_in_scope(s, late, rep, i);
    for (size_t i = 0, n = fire->count(rep); i < n; i++)
        s->fire += row_in_scope(s, fire, rep, i);
    for (size_t i = 0, n = dec->count(rep); i < n; i++) {
        if (!row_in_scope(s, dec, rep, i))
            continue;
        s->alerts++;
        s->lost += sf_email_row_lost(m, (uint32_t)i);
    }
    for (size_t i = 0, n = deals->count(rep); i < n; i++)
        if (verdicts[i] >= 0)
            s->verdict[verdicts[i]]++;
}

/* The facts of the subject that come from the history: A clients that
 * turned cold and new decline alerts since the previous run. */
static void scope_changes(const sf_email_text *m, sf_email_scope *s)
{
    const sf_history_result *h = &m->rep->history;
    if (!m->rep->hist)
        return;
    for (size_t i = 0; i < h->n; i++) {
        const sf_change_row *r = &h->rows[i];
        if (r->kind == SF_CHG_RULES_CHANGED || !in_scope(s, r->owner))
            continue;
        if (r->kind == SF_CHG_NEW_DECLINE)
            s->new_declines++;
        if (r->kind == SF_CHG_TEMP_DOWN && r->to == SF_TEMP_COLD && r->account < m->ds->n_accounts &&
            m->rep->tiers.acc && m->rep->tiers.acc[r->account].tier == SF_TIER_A)
            s->cold_a++;
    }
}

static void scope_compute(const sf_email_text *m, sf_email_scope *s, const int8_t *verdicts)
{
    scope_counts(m, s, verdicts);
    scope_changes(m, s);
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
}

bool sf_email_scope_empty(const sf_email_scope *s)
{
    return s->due == 0 && s->alerts == 0 && s->fire == 0 && s->verdict[SF_VERDICT_PURSUE] == 0 &&
           s->verdict[SF_VERDICT_QUALIFY] == 0 && s->late == 0;
}

/* ------------------------------------------------------------ selecting */

/* Keep a copy of the item listed (its id copied: the log outlives no
 * report, but the copy costs nothing and keeps it simple). */
static bool keep_item(sf_email_content *c, const sf_mail_item *it)
{
    if (c->n_items % 16 == 0) {
        sf_mail_item *v = realloc(c->items, (c->n_items + 16) * sizeof *v);
        if (!v)
            return false;
        c->items = v;
    }
    sf_mail_item *k = &c->items[c->n_items];
    *k = *it;
    k->id = sf_strdup(it->id ? it->id : "");
    if (!k->id)
        return false;
    c->n_items++;
    return true;
}

/* What the memory holds of row `row` of section sec, mailed within the
 * window; NULL: nothing. The row's id comes from its list's key, without
 * reading the row (that is the whole cost of a row that is neither
 * listed nor was mailed: most of them on a large book). */
static const sf_mail_item *mailed_recently(const sf_email_text *t, const sf_email_content *c, int sec,
                                           uint32_t row)
{
    if (!c->filter || !c->memory)
        return NULL;
    const sf_list *l = sf_email_section_list(sec);
    const sf_mail_item *then =
        sf_mail_items_find(c->memory->recent, c->memory->n_recent, (uint8_t)sec, l->key(t->rep, row));
    return then && then->mailed >= c->window_from ? then : NULL;
}

/* Row `row` of section sec against the memory: left out (unchanged, sent
 * recently), or listed (with *worse_since when worse than then); counts
 * it as fresh when the last mail did not list it or it got worse. */
static sf_err consider(const sf_email_text *t, sf_email_content *c, int sec, uint32_t row, sf_ctx *ctx)
{
    sf_email_section *S = &c->sec[sec];
    const sf_mail_item *then = mailed_recently(t, c, sec, row);
    if (!then && S->n >= SF_EMAIL_TOP_N) {
        S->more++;
        return SF_OK;
    }
    sf_mail_item it;
    sf_err e = sf_email_row_item(t, sec, row, &it, ctx);
    if (e)
        return e;
    sf_date worse = SF_NODATE;
    if (then) {
        if (!sf_mail_item_worse(then, &it, t->cfg->history_escalate_share)) {
            S->left_out++;
            c->left_out++;
            return SF_OK;
        }
        worse = then->mailed;
    }
    if (S->n >= SF_EMAIL_TOP_N) {
        S->more++;
        return SF_OK;
    }
    S->rows[S->n] = row;
    S->worse_since[S->n] = worse;
    S->n++;
    bool in_last = c->memory && sf_mail_items_find(c->memory->last_items, c->memory->n_last, (uint8_t)sec, it.id);
    if (!in_last || worse != SF_NODATE)
        c->fresh++;
    return keep_item(c, &it) ? SF_OK : sf_ctx_nomem(ctx);
}

sf_err sf_email_select(const sf_email_text *t, sf_email_content *c, sf_ctx *ctx)
{
    int8_t *verdicts = deal_verdicts(t, &c->s);
    if (!verdicts)
        return sf_ctx_nomem(ctx);
    scope_compute(t, &c->s, verdicts);
    sf_err e = SF_OK;
    for (int sec = 0; sec < SF_ITEM_N && !e; sec++) {
        const sf_list *l = sf_email_section_list(sec);
        int want = sf_email_section_verdict(sec);
        for (size_t i = 0, n = l->count(t->rep); i < n && !e; i++) {
            if (want >= 0 ? verdicts[i] != want : !row_in_scope(&c->s, l, t->rep, i))
                continue;
            c->sec[sec].total++;
            e = consider(t, c, sec, (uint32_t)i, ctx);
        }
    }
    free(verdicts);
    return e;
}

void sf_email_content_release(sf_email_content *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_items; i++)
        free((char *)c->items[i].id);
    free(c->items);
    c->items = NULL;
    c->n_items = 0;
}
