/*
 * history_view.c - the run records of SPEC §7 (sf_history_view.h): this
 * run as the store keeps it (sf_history_snapshot), the strings of a view
 * read from the store, sorting and releasing.
 *
 * The snapshot is the single place where a report becomes "what a run
 * stores": the changes compare two such records and the store writes
 * this one, so a backfilled run and a run of the same date store the same
 * rows by construction.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_report.h"

/* ---- the arena of a view's strings ---------------------------------------- */

typedef struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    char data[];
} arena_block;

#define ARENA_BLOCK (256 * 1024)

const char *sf_history_view_str(sf_history_view *v, const char *s, size_t n)
{
    arena_block *b = v->arena;
    if (!b || b->cap - b->used < n + 1) {
        size_t cap = n + 1 > ARENA_BLOCK ? n + 1 : ARENA_BLOCK;
        arena_block *nb = malloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->next = b;
        nb->used = 0;
        nb->cap = cap;
        v->arena = b = nb;
    }
    char *p = b->data + b->used;
    memcpy(p, s, n);
    p[n] = '\0';
    b->used += n + 1;
    return p;
}

void sf_hist_run_release(sf_hist_run *r)
{
    if (!r)
        return;
    free(r->acc);
    free(r->deals);
    memset(r, 0, sizeof *r);
}

void sf_history_view_release(sf_history_view *v)
{
    if (!v)
        return;
    sf_hist_run_release(&v->prev);
    free(v->runs);
    free(v->strip_tier);
    free(v->strip_temp);
    for (arena_block *b = v->arena, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    memset(v, 0, sizeof *v);
}

static int cmp_acc(const void *a, const void *b)
{
    return strcmp(((const sf_hist_account *)a)->id, ((const sf_hist_account *)b)->id);
}

static int cmp_deal(const void *a, const void *b)
{
    return strcmp(((const sf_hist_deal *)a)->id, ((const sf_hist_deal *)b)->id);
}

/* Sorted already (the store returns rows in key order, the snapshot
 * builds them in id order): checked in one pass, sorted only if not. */
void sf_hist_run_sort(sf_hist_run *r)
{
    size_t i;
    for (i = 1; i < r->n_acc && strcmp(r->acc[i - 1].id, r->acc[i].id) < 0; i++)
        ;
    if (i < r->n_acc)
        qsort(r->acc, r->n_acc, sizeof *r->acc, cmp_acc);
    for (i = 1; i < r->n_deals && strcmp(r->deals[i - 1].id, r->deals[i].id) < 0; i++)
        ;
    if (i < r->n_deals)
        qsort(r->deals, r->n_deals, sizeof *r->deals, cmp_deal);
}

/* ---- this run as the store keeps it ---------------------------------------- */

/* Per-account facts spread over the results' rows. */
static sf_err account_facts(const sf_report *rep, int64_t **overdue, int64_t **drop, uint8_t **flags)
{
    uint32_t n = rep->ds->n_accounts;
    *overdue = malloc((n ? n : 1) * sizeof **overdue);
    *drop = malloc((n ? n : 1) * sizeof **drop);
    *flags = calloc(n ? n : 1, 1); /* bit 0: fire; bits 1-2: decline 0/1/2 */
    if (!*overdue || !*drop || !*flags)
        return SF_ERR_NOMEM;
    for (uint32_t a = 0; a < n; a++)
        (*overdue)[a] = (*drop)[a] = SF_NONE;
    for (uint32_t i = 0; i < rep->cadence.n; i++)
        (*overdue)[rep->cadence.rows[i].account] = rep->cadence.rows[i].days_overdue;
    for (uint32_t i = 0; i < rep->decline.n; i++) {
        const sf_decline_row *d = &rep->decline.rows[i];
        (*drop)[d->account] = d->drop;
        (*flags)[d->account] |= (uint8_t)((d->lost ? 2 : 1) << 1);
    }
    for (uint32_t i = 0; i < rep->fire.n; i++)
        (*flags)[rep->fire.rows[i].account] |= 1;
    return SF_OK;
}

static sf_err snapshot_accounts(const sf_report *rep, sf_hist_run *out)
{
    const sf_dataset *ds = rep->ds;
    uint32_t n = ds->n_accounts;
    int64_t *overdue = NULL, *drop = NULL;
    uint8_t *flags = NULL;
    uint32_t *by_id = malloc((n ? n : 1) * sizeof *by_id);
    out->acc = malloc((n ? n : 1) * sizeof *out->acc);
    sf_err rc = by_id && out->acc ? account_facts(rep, &overdue, &drop, &flags) : SF_ERR_NOMEM;
    if (rc == SF_OK) {
        /* id order from the tiers' ranks: no string compare */
        for (uint32_t a = 0; a < n; a++)
            by_id[rep->tiers.id_rank[a]] = a;
        for (uint32_t k = 0; k < n; k++) {
            uint32_t a = by_id[k];
            const sf_account *ac = &ds->accounts[a];
            const sf_account_result *r = &rep->tiers.acc[a];
            out->acc[k] = (sf_hist_account){
                .id = ac->id, .name = ac->name, .owner = sf_report_owner_name(rep, ac->owner),
                .tier = (uint8_t)r->tier, .temp = (uint8_t)r->temp,
                .decline = (uint8_t)(flags[a] >> 1), .fire = flags[a] & 1,
                .reorder = rep->reorder.status ? rep->reorder.status[a] : SF_REORDER_NONE,
                .rev12 = ac->rev12, .potential = r->potential, .last_contact = ac->last_contact,
                .next_due = rep->cadence.next_due ? rep->cadence.next_due[a] : SF_NODATE,
                .days_overdue = overdue[a], .drop = drop[a], .index = a};
        }
        out->n_acc = n;
    }
    free(by_id);
    free(overdue);
    free(drop);
    free(flags);
    return rc;
}

static sf_err snapshot_deals(const sf_report *rep, sf_hist_run *out)
{
    const sf_dataset *ds = rep->ds;
    int8_t *verdict = malloc((ds->n_opps ? ds->n_opps : 1) * sizeof *verdict);
    out->deals = malloc((ds->n_opps ? ds->n_opps : 1) * sizeof *out->deals);
    if (!verdict || !out->deals) {
        free(verdict);
        return SF_ERR_NOMEM;
    }
    memset(verdict, -1, ds->n_opps ? ds->n_opps : 1);
    for (uint32_t i = 0; i < rep->pipeline.n; i++)
        verdict[rep->pipeline.rows[i].opp] = (int8_t)rep->pipeline.rows[i].verdict;
    size_t m = 0;
    for (uint32_t i = 0; i < ds->n_opps; i++) {
        const sf_opportunity *o = &ds->opps[i];
        if (o->created == SF_NODATE || o->created > rep->as_of)
            continue; /* not there yet at T (SPEC §1.1) */
        out->deals[m++] = (sf_hist_deal){
            .id = o->id, .account_id = o->account_id ? o->account_id : "",
            .owner = sf_report_owner_name(rep, o->owner), .stage = o->stage,
            .status = (uint8_t)o->status, .verdict = verdict[i], .amount = o->amount,
            .close_date = o->close_date, .next_step_date = o->next_step_date, .index = i};
    }
    out->n_deals = m;
    free(verdict);
    return SF_OK;
}

sf_err sf_history_snapshot(const sf_report *rep, sf_hist_run *out)
{
    const sf_summary_result *s = &rep->summary;
    memset(out, 0, sizeof *out);
    out->as_of = rep->as_of;
    sf_hist_figures *f = &out->fig;
    f->as_of = rep->as_of;
    f->accounts = rep->ds->n_accounts;
    f->rev12 = s->rev12_total;
    for (int t = 0; t < SF_TIER_N; t++) {
        f->tier_accounts[t] = s->tier_accounts[t];
        f->tier_rev12[t] = s->tier_revenue[t];
    }
    for (uint32_t a = 0; a < rep->ds->n_accounts; a++)
        f->cold_a += rep->tiers.acc[a].tier == SF_TIER_A && rep->tiers.acc[a].temp == SF_TEMP_COLD;
    f->due = s->due_count;
    f->alerts = s->alert_count;
    f->fire = s->fire_count;
    for (int v = 0; v < 3; v++)
        f->verdicts[v] = s->verdict_count[v];
    out->rev_prev12 = s->rev_prev12_total;
    out->growth = s->growth;
    out->lost = s->lost_count;
    out->rejected = s->rejected_total;
    if (snapshot_accounts(rep, out) != SF_OK || snapshot_deals(rep, out) != SF_OK) {
        sf_hist_run_release(out);
        return SF_ERR_NOMEM;
    }
    sf_hist_run_sort(out);
    return SF_OK;
}
