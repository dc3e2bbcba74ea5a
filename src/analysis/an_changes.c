/*
 * an_changes.c - SPEC §7 "changes.csv": what changed since the previous
 * run P, account by account and deal by deal, and the entry point of the
 * §7 analyses (sf_analyze_history: snapshot, changes, migration, trend).
 *
 * Both runs are records of the same shape (sf_hist_run), sorted by id:
 * one merge walks them together, each pair gets one row per change kind
 * that applies, and a stable counting sort by kind gives the list's order
 * (kind, then id) because the merge met the ids in order.
 *
 * Where §7 is silent (docs/history.md): from/to hold the value of the
 * thing that changed on each side that has one (a new account's tier in
 * "to", a vanished one's in "from", a new decline's drop in "to"); delta
 * is money for tier moves (rev12), worse declines (the drop's growth),
 * amount changes and new / won / lost deals (their amount), days for
 * pushed / pulled-in deals and for contacts (days since the previous
 * contact). An empty amount counts as 0 for amount_change; a close date
 * that is empty on either side is neither pushed nor pulled in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_list.h"

const char *sf_change_name(sf_change_kind k)
{
    static const char *const names[SF_CHG_N] = {
        "rules_changed", "new_account", "vanished", "tier_up", "tier_down", "temp_up", "temp_down",
        "new_decline", "recovered", "worse_decline", "new_fire", "left_fire", "contacted",
        "new_late_reorder", "new_deal", "won", "lost", "pushed", "pulled_in", "amount_change",
        "stage_change"};
    return (unsigned)k < SF_CHG_N ? names[k] : "";
}

sf_change_value sf_change_from_type(sf_change_kind k)
{
    switch (k) {
    case SF_CHG_NEW_ACCOUNT:
    case SF_CHG_VANISHED:
    case SF_CHG_TIER_UP:
    case SF_CHG_TIER_DOWN:
        return SF_CHV_TIER;
    case SF_CHG_TEMP_UP:
    case SF_CHG_TEMP_DOWN:
        return SF_CHV_TEMP;
    case SF_CHG_NEW_DECLINE:
    case SF_CHG_RECOVERED:
    case SF_CHG_WORSE_DECLINE:
    case SF_CHG_AMOUNT_CHANGE:
        return SF_CHV_MONEY;
    case SF_CHG_CONTACTED:
    case SF_CHG_PUSHED:
    case SF_CHG_PULLED_IN:
        return SF_CHV_DATE;
    case SF_CHG_NEW_LATE_REORDER:
        return SF_CHV_REORDER;
    case SF_CHG_STAGE_CHANGE:
        return SF_CHV_TEXT;
    default:
        return SF_CHV_NONE;
    }
}

sf_change_value sf_change_delta_type(sf_change_kind k)
{
    switch (k) {
    case SF_CHG_TIER_UP:
    case SF_CHG_TIER_DOWN:
    case SF_CHG_WORSE_DECLINE:
    case SF_CHG_NEW_DEAL:
    case SF_CHG_WON:
    case SF_CHG_LOST:
    case SF_CHG_AMOUNT_CHANGE:
        return SF_CHV_MONEY;
    case SF_CHG_CONTACTED:
    case SF_CHG_PUSHED:
    case SF_CHG_PULLED_IN:
        return SF_CHV_DAYS;
    default:
        return SF_CHV_NONE;
    }
}

/* ---- collecting rows ---------------------------------------------------------- */

typedef struct {
    const sf_report *rep;
    sf_change_row *v;
    size_t n, cap;
    bool oom;
} rows;

static sf_change_row *add(rows *r, sf_change_kind kind)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        sf_change_row *v = realloc(r->v, cap * sizeof *v);
        if (!v) {
            r->oom = true;
            return NULL;
        }
        r->v = v;
        r->cap = cap;
    }
    sf_change_row *c = &r->v[r->n++];
    memset(c, 0, sizeof *c);
    c->kind = (uint8_t)kind;
    c->account = SF_NO_ACCOUNT;
    c->opp = UINT32_MAX;
    c->owner = SF_OWNER_ALL;
    c->from = c->to = c->delta = SF_NONE;
    return c;
}

/* The owner id of a name stored with P (a vanished account), or
 * SF_OWNER_ALL when no current record has that owner. */
static uint32_t owner_id(const sf_dataset *ds, const char *name)
{
    if (strcmp(name, "(unassigned)") == 0)
        return SF_OWNER_UNASSIGNED;
    for (uint32_t i = 1; i < ds->n_owners; i++)
        if (ds->owners[i] && strcmp(ds->owners[i], name) == 0)
            return i;
    return SF_OWNER_ALL;
}

static sf_change_row *acc_row(rows *r, sf_change_kind kind, const sf_hist_account *now, const sf_hist_account *then)
{
    sf_change_row *c = add(r, kind);
    if (!c)
        return NULL;
    const sf_hist_account *a = now ? now : then;
    c->id = a->id;
    c->name = a->name;
    c->owner_name = a->owner;
    if (now) {
        c->account = now->index;
        c->owner = r->rep->ds->accounts[now->index].owner;
    } else {
        c->owner = owner_id(r->rep->ds, then->owner);
    }
    return c;
}

#define ROW(kind, from_v, to_v, delta_v)                                      \
    do {                                                                      \
        sf_change_row *c_ = acc_row(r, (kind), n, p);                         \
        if (c_) {                                                             \
            c_->from = (from_v);                                              \
            c_->to = (to_v);                                                  \
            c_->delta = (delta_v);                                            \
        }                                                                     \
    } while (0)

/* Every change of one account in both runs, in the kinds' order. */
static void account_pair(rows *r, const sf_hist_account *n, const sf_hist_account *p, int64_t escalate_ppm)
{
    if (n->tier != p->tier)
        ROW(n->tier < p->tier ? SF_CHG_TIER_UP : SF_CHG_TIER_DOWN, p->tier, n->tier, n->rev12 - p->rev12);
    if (n->temp != p->temp)
        ROW(n->temp < p->temp ? SF_CHG_TEMP_UP : SF_CHG_TEMP_DOWN, p->temp, n->temp, SF_NONE);
    if (n->decline && !p->decline)
        ROW(SF_CHG_NEW_DECLINE, SF_NONE, n->drop, SF_NONE);
    if (!n->decline && p->decline)
        ROW(SF_CHG_RECOVERED, p->drop, SF_NONE, SF_NONE);
    if (n->decline && p->decline && n->drop != SF_NONE && p->drop != SF_NONE &&
        (__int128)(n->drop - p->drop) * SF_PPM >= (__int128)escalate_ppm * p->drop)
        ROW(SF_CHG_WORSE_DECLINE, p->drop, n->drop, n->drop - p->drop);
    if (n->fire && !p->fire)
        ROW(SF_CHG_NEW_FIRE, SF_NONE, SF_NONE, SF_NONE);
    if (!n->fire && p->fire)
        ROW(SF_CHG_LEFT_FIRE, SF_NONE, SF_NONE, SF_NONE);
    if (n->last_contact != SF_NODATE && n->last_contact > p->last_contact)
        ROW(SF_CHG_CONTACTED, p->last_contact, n->last_contact,
            p->last_contact == SF_NODATE ? SF_NONE : (int64_t)n->last_contact - p->last_contact);
    if (n->reorder != SF_REORDER_NONE && p->reorder == SF_REORDER_NONE)
        ROW(SF_CHG_NEW_LATE_REORDER, SF_NONE, n->reorder, SF_NONE);
}
#undef ROW

static void accounts(rows *r, const sf_hist_run *now, const sf_hist_run *prev, int64_t escalate_ppm)
{
    size_t i = 0, j = 0;
    while (i < now->n_acc || j < prev->n_acc) {
        int c = i == now->n_acc ? 1 : j == prev->n_acc ? -1 : strcmp(now->acc[i].id, prev->acc[j].id);
        if (c < 0) {
            sf_change_row *x = acc_row(r, SF_CHG_NEW_ACCOUNT, &now->acc[i], NULL);
            if (x)
                x->to = now->acc[i].tier;
            i++;
        } else if (c > 0) {
            sf_change_row *x = acc_row(r, SF_CHG_VANISHED, NULL, &prev->acc[j]);
            if (x)
                x->from = prev->acc[j].tier;
            j++;
        } else {
            account_pair(r, &now->acc[i++], &prev->acc[j++], escalate_ppm);
        }
    }
}

static sf_change_row *deal_row(rows *r, sf_change_kind kind, const sf_hist_deal *d)
{
    sf_change_row *c = add(r, kind);
    if (!c)
        return NULL;
    const sf_dataset *ds = r->rep->ds;
    const sf_opportunity *o = &ds->opps[d->index];
    c->id = d->id;
    c->opp = d->index;
    c->owner = o->owner;
    c->owner_name = d->owner;
    c->account = o->account;
    /* a deal's name is its account's */
    c->name = o->account < ds->n_accounts ? ds->accounts[o->account].name : d->account_id;
    return c;
}

static int64_t or_zero(int64_t v)
{
    return v == SF_NONE ? 0 : v;
}

static bool same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static void deal_pair(rows *r, const sf_hist_deal *n, const sf_hist_deal *p)
{
    sf_change_row *c;
    if (p->status != SF_ST_OPEN)
        return;
    if (n->status != SF_ST_OPEN) {
        if ((c = deal_row(r, n->status == SF_ST_WON ? SF_CHG_WON : SF_CHG_LOST, n)))
            c->delta = n->amount;
        return;
    }
    if (n->close_date != SF_NODATE && p->close_date != SF_NODATE && n->close_date != p->close_date &&
        (c = deal_row(r, n->close_date > p->close_date ? SF_CHG_PUSHED : SF_CHG_PULLED_IN, n))) {
        c->from = p->close_date;
        c->to = n->close_date;
        c->delta = (int64_t)n->close_date - p->close_date;
    }
    if (or_zero(n->amount) != or_zero(p->amount) && (c = deal_row(r, SF_CHG_AMOUNT_CHANGE, n))) {
        c->from = p->amount;
        c->to = n->amount;
        c->delta = or_zero(n->amount) - or_zero(p->amount);
    }
    if (!same_text(n->stage, p->stage) && (c = deal_row(r, SF_CHG_STAGE_CHANGE, n))) {
        c->from_text = p->stage ? p->stage : "";
        c->to_text = n->stage ? n->stage : "";
    }
}

static void deals(rows *r, const sf_hist_run *now, const sf_hist_run *prev)
{
    size_t i = 0, j = 0;
    while (i < now->n_deals) {
        int c = j == prev->n_deals ? -1 : strcmp(now->deals[i].id, prev->deals[j].id);
        if (c < 0) {
            sf_change_row *x;
            if (now->deals[i].status == SF_ST_OPEN && (x = deal_row(r, SF_CHG_NEW_DEAL, &now->deals[i])))
                x->delta = now->deals[i].amount;
            i++;
        } else if (c > 0) {
            j++; /* a deal no longer in the data: no change kind of §7 */
        } else {
            deal_pair(r, &now->deals[i++], &prev->deals[j++]);
        }
    }
}

/* ---- text of the from / to / delta cells ------------------------------------ */

static void value_text(sf_change_value t, int64_t v, const char *text, char out[32])
{
    out[0] = '\0';
    switch (t) {
    case SF_CHV_TIER:
        if (v != SF_NONE)
            snprintf(out, 32, "%s", sf_tier_name((sf_tier)v));
        break;
    case SF_CHV_TEMP:
        if (v != SF_NONE)
            snprintf(out, 32, "%s", sf_temp_name((sf_temp)v));
        break;
    case SF_CHV_REORDER:
        if (v != SF_NONE)
            snprintf(out, 32, "%s", sf_reorder_status_name((sf_reorder_status)v));
        break;
    case SF_CHV_MONEY: {
        char b[32];
        sf_fmt_money(v, b);
        snprintf(out, 32, "%s", b);
        break;
    }
    case SF_CHV_DATE: {
        char b[16];
        sf_date_iso(v == SF_NONE ? SF_NODATE : (sf_date)v, b);
        snprintf(out, 32, "%s", b);
        break;
    }
    case SF_CHV_DAYS: {
        char b[32];
        sf_fmt_int(v, b);
        snprintf(out, 32, "%s", b);
        break;
    }
    case SF_CHV_TEXT:
    case SF_CHV_NONE:
        (void)text;
        break;
    }
}

static void cells(sf_change_row *c)
{
    sf_change_value ft = sf_change_from_type((sf_change_kind)c->kind);
    value_text(ft, c->from, c->from_text, c->cell[0]);
    value_text(ft, c->to, c->to_text, c->cell[1]);
    value_text(sf_change_delta_type((sf_change_kind)c->kind), c->delta, NULL, c->cell[2]);
}

/* ---- the analysis ------------------------------------------------------------ */

/* Rows of the merge (accounts, then deals, each in id order) ordered by
 * kind: a stable counting sort keeps the id order within a kind. */
static sf_err order_rows(rows *r, sf_history_result *out)
{
    size_t start[SF_CHG_N + 1] = {0};
    for (size_t i = 0; i < r->n; i++)
        out->count[r->v[i].kind]++;
    for (int k = 0; k < SF_CHG_N; k++)
        start[k + 1] = start[k] + out->count[k];
    out->rows = malloc((r->n ? r->n : 1) * sizeof *out->rows);
    if (!out->rows)
        return SF_ERR_NOMEM;
    for (size_t i = 0; i < r->n; i++) {
        sf_change_row *c = &out->rows[start[r->v[i].kind]++];
        *c = r->v[i];
        cells(c);
    }
    out->n = r->n;
    return SF_OK;
}

/* The tier moves of out->rows by the size of their revenue change: the
 * largest first, ties by id (SPEC §7: the mail's and the report's largest
 * tier moves). */
typedef struct {
    uint32_t row;
    int64_t mag;
    const char *id;
} move;

static int cmp_move(const void *a, const void *b)
{
    const move *x = a, *y = b;
    if (x->mag != y->mag)
        return x->mag > y->mag ? -1 : 1;
    return strcmp(x->id, y->id);
}

static sf_err pick_moves(sf_history_result *out)
{
    size_t n = out->count[SF_CHG_TIER_UP] + out->count[SF_CHG_TIER_DOWN], k = 0;
    move *v = malloc((n ? n : 1) * sizeof *v);
    out->moves = malloc((n ? n : 1) * sizeof *out->moves);
    if (!v || !out->moves) {
        free(v);
        return SF_ERR_NOMEM;
    }
    for (size_t i = 0; i < out->n && k < n; i++) {
        const sf_change_row *r = &out->rows[i];
        if (r->kind == SF_CHG_TIER_UP || r->kind == SF_CHG_TIER_DOWN)
            v[k++] = (move){(uint32_t)i, r->delta == SF_NONE ? 0 : r->delta < 0 ? -r->delta : r->delta, r->id};
    }
    qsort(v, k, sizeof *v, cmp_move);
    for (size_t i = 0; i < k; i++)
        out->moves[i] = v[i].row;
    out->n_moves = k;
    free(v);
    return SF_OK;
}

/* The changes of rep->history.now against view->prev into out. */
static sf_err changes(const sf_report *rep, const sf_history_view *view, sf_history_result *out)
{
    rows r = {.rep = rep};
    if (!view->have_prev) {
        out->first_run = true;
        out->since = SF_NODATE;
        return SF_OK;
    }
    out->since = view->prev.as_of;
    out->rules_changed = strcmp(view->prev.fingerprint, view->fingerprint) != 0;
    if (out->rules_changed)
        add(&r, SF_CHG_RULES_CHANGED);
    accounts(&r, &out->now, &view->prev, rep->cfg->history_escalate_share);
    deals(&r, &out->now, &view->prev);
    sf_err rc = r.oom ? SF_ERR_NOMEM : order_rows(&r, out);
    free(r.v);
    return rc == SF_OK ? pick_moves(out) : rc;
}

sf_err sf_analyze_history(sf_report *rep, const sf_history_view *view, sf_ctx *ctx)
{
    sf_history_result *h = &rep->history;
    memset(h, 0, sizeof *h);
    rep->hist = view;
    sf_err rc = sf_history_snapshot(rep, &h->now);
    if (rc == SF_OK) {
        memcpy(h->now.fingerprint, view->fingerprint, sizeof h->now.fingerprint);
        rc = changes(rep, view, h);
    }
    if (rc == SF_OK)
        rc = sf_analyze_trend(rep, view, h);
    if (rc != SF_OK) {
        sf_history_release(h);
        rep->hist = NULL;
        return sf_ctx_nomem(ctx);
    }
    return SF_OK;
}

void sf_history_release(sf_history_result *h)
{
    free(h->rows);
    free(h->moves);
    free(h->trend);
    sf_hist_run_release(&h->now);
    memset(h, 0, sizeof *h);
}

/* ---- changes.csv (SPEC §7) -------------------------------------------------- */

static const sf_column changes_cols[] = {
    SF_COLUMN_WORDS("entity", "entity_"), SF_COLUMN("id", SF_COL_TEXT),
    SF_COLUMN("name", SF_COL_TEXT),       SF_COLUMN("owner", SF_COL_TEXT),
    SF_COLUMN_WORDS("change", "change_"), SF_COLUMN("from", SF_COL_TEXT),
    SF_COLUMN("to", SF_COL_TEXT),         SF_COLUMN("delta", SF_COL_TEXT),
    SF_COLUMN("since", SF_COL_DATE),
};

bool sf_history_present(const sf_report *rep)
{
    return rep->hist != NULL;
}

static size_t changes_count(const sf_report *rep) { return rep->hist ? rep->history.n : 0; }

static uint32_t changes_owner(const sf_report *rep, size_t row) { return rep->history.rows[row].owner; }

static void changes_row(const sf_report *rep, size_t row, sf_cell *c)
{
    const sf_change_row *r = &rep->history.rows[row];
    c[0].text = r->kind == SF_CHG_RULES_CHANGED ? "run" : r->kind >= SF_CHG_FIRST_DEAL ? "opportunity" : "account";
    c[1].text = r->id;
    c[2].text = r->name;
    c[3].text = r->owner_name;
    c[4].text = sf_change_name((sf_change_kind)r->kind);
    bool text = sf_change_from_type((sf_change_kind)r->kind) == SF_CHV_TEXT;
    c[5].text = text ? r->from_text : r->cell[0];
    c[6].text = text ? r->to_text : r->cell[1];
    c[7].text = r->cell[2];
    c[8].v = rep->history.since;
}

const sf_list sf_list_changes = {
    .name = "changes",
    .sheet_key = "sheet_changes",
    .cols = changes_cols,
    .n_cols = (int)SF_ARRAY_LEN(changes_cols),
    .present = sf_history_present,
    .count = changes_count,
    .owner = changes_owner,
    .row = changes_row,
    .own_sheet = true,
};
