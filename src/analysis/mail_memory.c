/*
 * mail_memory.c - the mails' memory (sf_mail_memory.h): finding what a
 * recipient was sent, the rules of "got worse", the digest of a mail's
 * items, and freeing a memory. No I/O: the history layer loads it, the
 * email output reads it.
 */
#include "analysis/sf_mail_memory.h"
#include "config/sf_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const k_kinds[SF_ITEM_N] = {"due", "decline", "fire", "pursue", "qualify", "reorder"};

const char *sf_item_kind_name(sf_item_kind k)
{
    return (unsigned)k < SF_ITEM_N ? k_kinds[k] : "";
}

int sf_item_kind_of(const char *name)
{
    for (int k = 0; name && k < SF_ITEM_N; k++)
        if (strcmp(name, k_kinds[k]) == 0)
            return k;
    return -1;
}

int sf_mail_item_cmp(const void *a, const void *b)
{
    const sf_mail_item *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

const sf_mail_item *sf_mail_items_find(const sf_mail_item *v, size_t n, uint8_t kind, const char *id)
{
    if (!v || !n)
        return NULL;
    sf_mail_item key = {.kind = kind, .id = id};
    return bsearch(&key, v, n, sizeof *v, sf_mail_item_cmp);
}

bool sf_mail_item_worse(const sf_mail_item *then, const sf_mail_item *now, int64_t escalate_ppm)
{
    /* a tier fell: A (0) is the best */
    if (then->tier >= 0 && now->tier >= 0 && now->tier > then->tier)
        return true;
    switch ((sf_item_kind)now->kind) {
    case SF_ITEM_DUE:
        if (then->days_overdue == SF_NONE || now->days_overdue == SF_NONE)
            return false;
        /* due soon then, overdue now; or twice as many days overdue */
        if (then->days_overdue <= 0)
            return now->days_overdue > 0;
        return now->days_overdue >= 2 * then->days_overdue;
    case SF_ITEM_DECLINE:
        if (then->drop == SF_NONE || now->drop == SF_NONE || then->drop <= 0)
            return false;
        /* as changes.csv's worse_decline: (drop - drop then) >= share x drop then */
        return (__int128)(now->drop - then->drop) * SF_PPM >= (__int128)escalate_ppm * then->drop;
    case SF_ITEM_REORDER:
        return then->reorder == 1 && now->reorder == 2;
    default:
        return false;
    }
}

void sf_mail_items_digest(sf_mail_item *v, size_t n, char out[17])
{
    out[0] = '\0';
    if (!n)
        return;
    qsort(v, n, sizeof *v, sf_mail_item_cmp);
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < n; i++) {
        const char *parts[3] = {sf_item_kind_name((sf_item_kind)v[i].kind), ":", v[i].id ? v[i].id : ""};
        for (int k = 0; k < 3; k++)
            for (const unsigned char *p = (const unsigned char *)parts[k]; *p; p++) {
                h ^= *p;
                h *= UINT64_C(0x100000001b3);
            }
        h ^= '\n';
        h *= UINT64_C(0x100000001b3);
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static int cmp_sent_to(const void *a, const void *b)
{
    const sf_mail_sent_to *x = a, *y = b;
    int c = strcmp(x->recipient, y->recipient);
    return c ? c : strcmp(x->scope, y->scope);
}

const sf_mail_sent_to *sf_mail_memory_find(const sf_mail_memory *m, const char *recipient, const char *scope)
{
    if (!m || !m->loaded || !m->n)
        return NULL;
    sf_mail_sent_to key = {.recipient = (char *)recipient, .scope = (char *)scope};
    return bsearch(&key, m->v, m->n, sizeof *m->v, cmp_sent_to);
}

const char *sf_mail_memory_str(sf_mail_memory *m, const char *id)
{
    if (m->n_ids == m->cap_ids) {
        size_t cap = m->cap_ids ? m->cap_ids * 2 : 64;
        char **v = realloc(m->ids, cap * sizeof *v);
        if (!v)
            return NULL;
        m->ids = v;
        m->cap_ids = cap;
    }
    char *s = sf_strdup(id ? id : "");
    if (s)
        m->ids[m->n_ids++] = s;
    return s;
}

void sf_mail_memory_sort(sf_mail_memory *m)
{
    if (m->n)
        qsort(m->v, m->n, sizeof *m->v, cmp_sent_to);
    for (size_t i = 0; i < m->n; i++) {
        if (m->v[i].n_last)
            qsort(m->v[i].last_items, m->v[i].n_last, sizeof *m->v[i].last_items, sf_mail_item_cmp);
        if (m->v[i].n_recent)
            qsort(m->v[i].recent, m->v[i].n_recent, sizeof *m->v[i].recent, sf_mail_item_cmp);
    }
}

void sf_mail_memory_release(sf_mail_memory *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].recipient);
        free(m->v[i].scope);
        free(m->v[i].last_items);
        free(m->v[i].recent);
    }
    free(m->v);
    for (size_t i = 0; i < m->n_ids; i++)
        free(m->ids[i]);
    free(m->ids);
    memset(m, 0, sizeof *m);
}
