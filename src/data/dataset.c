/*
 * dataset.c - accounts, owners and opportunities: their indexes by id and
 * name, their texts, and the dataset's life (new, finish, free). The
 * transactions and activities, and the figures as of T, are in
 * dataset_at.c.
 */
#include "data/sf_dataset.h"
#include "data/sf_dataset_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNASSIGNED_NAME "(unassigned)"

/* Open-addressing hash of string keys to uint32 indexes. */
typedef struct {
    uint32_t *slots; /* index + 1; 0 = empty */
    uint64_t *hashes;
    size_t cap;      /* power of two */
    size_t n;
} strmap;

/* The accounts' texts come from blocks freed with the dataset: 100,000
 * accounts are 600,000 short strings, a malloc each before. */
typedef struct text_block {
    struct text_block *next;
    size_t used, cap;
    char data[];
} text_block;

typedef struct {
    strmap accounts;
    strmap owners;
    strmap users;      /* the users export: id -> name */
    char **user_id, **user_name; /* in the text blocks */
    uint32_t n_users, cap_users;
    text_block *texts;
} ds_index;

/* Copy of s[0..n) with a terminator from the text blocks; NULL on OOM. */
static char *text_dup(ds_index *ix, const char *s, size_t n)
{
    text_block *b = ix->texts;
    if (!b || b->cap - b->used < n + 1) {
        size_t cap = n + 1 > ((size_t)64 << 10) ? n + 1 : ((size_t)64 << 10);
        text_block *nb = malloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->used = 0;
        nb->cap = cap;
        /* a large text gets a block of its own behind the current one */
        if (b && cap > ((size_t)64 << 10)) {
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            ix->texts = nb;
        }
        b = nb;
    }
    char *c = b->data + b->used;
    memcpy(c, s, n);
    c[n] = '\0';
    b->used += n + 1;
    return c;
}

/* Find key; keys(i) gives the string of index i. Returns the slot. */
static size_t strmap_slot(const strmap *m, const char *key, uint64_t h,
                          const char *(*keyof)(const sf_dataset *, uint32_t), const sf_dataset *ds)
{
    size_t mask = m->cap - 1, i = (size_t)h & mask;
    while (m->slots[i]) {
        if (m->hashes[i] == h && strcmp(keyof(ds, m->slots[i] - 1), key) == 0)
            return i;
        i = (i + 1) & mask;
    }
    return i;
}

static bool strmap_grow(strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    uint32_t *slots = sf_table_alloc(cap * sizeof *slots);
    uint64_t *hashes = sf_table_alloc(cap * sizeof *hashes);
    if (!slots || !hashes) {
        free(slots);
        free(hashes);
        return false;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i])
            continue;
        size_t j = (size_t)m->hashes[i] & (cap - 1);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = m->slots[i];
        hashes[j] = m->hashes[i];
    }
    free(m->slots);
    free(m->hashes);
    m->slots = slots;
    m->hashes = hashes;
    m->cap = cap;
    return true;
}

static void strmap_free(strmap *m)
{
    free(m->slots);
    free(m->hashes);
}

static const char *account_key(const sf_dataset *ds, uint32_t i) { return ds->accounts[i].id; }
static const char *owner_key(const sf_dataset *ds, uint32_t i) { return ds->owners[i]; }
static const char *user_key(const sf_dataset *ds, uint32_t i)
{
    return ((const ds_index *)ds->index)->user_id[i];
}

void sf_opportunity_release(sf_opportunity *o)
{
    free(o->id);
    free(o->account_id);
    free(o->stage);
    free(o->probability_text);
    free(o->next_step);
    free(o->contact_title);
    free(o->name);
}

void sf_file_stats_release(sf_file_stats *fs)
{
    if (!fs)
        return;
    for (uint32_t i = 0; i < fs->n_parts; i++)
        sf_file_stats_release(&fs->parts[i]);
    free(fs->parts);
    free(fs->path);
    for (int k = 0; k < SF_FIELD_MAX; k++)
        free(fs->mapped_header[k]);
    sf_strlist_clear(&fs->headers_found);
    sf_strlist_clear(&fs->warnings);
    memset(fs, 0, sizeof *fs);
}

sf_dataset *sf_dataset_new(const sf_config *cfg, sf_date as_of)
{
    sf_dataset *ds = calloc(1, sizeof *ds);
    ds_index *ix = calloc(1, sizeof *ix);
    if (!ds || !ix)
        goto fail;
    ds->cfg = cfg;
    ds->as_of = as_of;
    ds->index = ix;
    if (!strmap_grow(&ix->accounts) || !strmap_grow(&ix->owners) || !strmap_grow(&ix->users))
        goto fail;
    for (int f = 0; f < SF_FILE_N; f++) {
        ds->files[f].min_date = SF_NODATE;
        ds->files[f].max_date = SF_NODATE;
    }
    /* Owner 0 is "(unassigned)"; it is only "seen" when a record has no owner. */
    if (sf_dataset_owner(ds, UNASSIGNED_NAME) == UINT32_MAX)
        goto fail;
    ds->owner_seen[0] = false;
    return ds;
fail:
    if (ds && !ds->index)
        free(ix);
    sf_dataset_free(ds);
    return NULL;
}

void sf_dataset_free(sf_dataset *ds)
{
    if (!ds)
        return;
    for (uint32_t i = 0; i < ds->n_accounts; i++) {
        free(ds->accounts[i].split_minutes);
    }
    free(ds->accounts);
    sf_dataset_release_events(ds);
    for (uint32_t i = 0; i < ds->n_owners; i++)
        free(ds->owners[i]);
    free(ds->owners);
    free(ds->owner_order);
    free(ds->owner_acts);
    free(ds->owner_seen);
    free(ds->owner_named);
    for (uint32_t i = 0; i < ds->n_opps; i++)
        sf_opportunity_release(&ds->opps[i]);
    free(ds->opps);
    for (int f = 0; f < SF_FILE_N; f++)
        sf_file_stats_release(&ds->files[f]);
    for (int t = 0; t < SF_TALLY_N; t++)
        sf_tally_release(&ds->tally[t]);
    ds_index *ix = ds->index;
    if (ix) {
        strmap_free(&ix->accounts);
        strmap_free(&ix->owners);
        strmap_free(&ix->users);
        free(ix->user_id);
        free(ix->user_name);
        while (ix->texts) {
            text_block *next = ix->texts->next;
            free(ix->texts);
            ix->texts = next;
        }
        free(ix);
    }
    free(ds);
}

/* s without surrounding spaces and tabs: its start, and *n its length
 * (0 for NULL or blank). */
static const char *trimmed(const char *s, size_t *n)
{
    *n = 0;
    if (!s)
        return NULL;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    *n = len;
    return s;
}

/* Copy of s without surrounding spaces/tabs; NULL for NULL or empty. */
static char *dup_trimmed(const char *s, bool *oom)
{
    size_t n;
    s = trimmed(s, &n);
    if (n == 0)
        return NULL;
    char *c = sf_strndup(s, n);
    if (!c)
        *oom = true;
    return c;
}

/* dup_trimmed into the text blocks. */
static char *text_trimmed(ds_index *ix, const char *s, bool *oom)
{
    size_t n;
    s = trimmed(s, &n);
    if (n == 0)
        return NULL;
    char *c = text_dup(ix, s, n);
    if (!c)
        *oom = true;
    return c;
}

uint32_t sf_dataset_owner(sf_dataset *ds, const char *name)
{
    bool oom = false;
    char *key = dup_trimmed(name, &oom);
    if (oom)
        return UINT32_MAX;
    if (!key) {
        ds->owner_seen[SF_OWNER_UNASSIGNED] = true;
        return SF_OWNER_UNASSIGNED;
    }
    ds_index *ix = ds->index;
    uint64_t h = sf_hash_str(key);
    size_t slot = strmap_slot(&ix->owners, key, h, owner_key, ds);
    if (ix->owners.slots[slot]) {
        uint32_t id = ix->owners.slots[slot] - 1;
        free(key);
        ds->owner_seen[id] = true;
        return id;
    }
    if (ds->n_owners == ds->cap_owners) {
        uint32_t cap = ds->cap_owners ? ds->cap_owners * 2 : 16;
        char **o = realloc(ds->owners, cap * sizeof *o);
        if (o)
            ds->owners = o;
        sf_owner_acts *a = realloc(ds->owner_acts, cap * sizeof *a);
        if (a)
            ds->owner_acts = a;
        bool *s = realloc(ds->owner_seen, cap * sizeof *s);
        if (s)
            ds->owner_seen = s;
        if (!o || !a || !s) {
            free(key);
            return UINT32_MAX;
        }
        ds->cap_owners = cap;
    }
    if (2 * (ix->owners.n + 1) > ix->owners.cap) {
        if (!strmap_grow(&ix->owners)) {
            free(key);
            return UINT32_MAX;
        }
        slot = strmap_slot(&ix->owners, key, h, owner_key, ds);
    }
    uint32_t id = ds->n_owners++;
    ds->owners[id] = key;
    memset(&ds->owner_acts[id], 0, sizeof ds->owner_acts[id]);
    ds->owner_seen[id] = true;
    ix->owners.slots[slot] = id + 1;
    ix->owners.hashes[slot] = h;
    ix->owners.n++;
    return id;
}

uint32_t sf_dataset_find(const sf_dataset *ds, const char *id)
{
    const ds_index *ix = ds->index;
    size_t slot = strmap_slot(&ix->accounts, id, sf_hash_str(id), account_key, ds);
    return ix->accounts.slots[slot] ? ix->accounts.slots[slot] - 1 : SF_NO_ACCOUNT;
}

bool sf_dataset_reserve_accounts(sf_dataset *ds, size_t n)
{
    if (n <= ds->cap_accounts)
        return true;
    if (n > UINT32_MAX - 1)
        n = UINT32_MAX - 1;
    /* not zeroed: every account is written whole when added, and an
     * estimate too large costs address space, not memory */
    sf_account *a = sf_table_alloc_uninit(n * sizeof *a);
    if (!a)
        return false;
    if (ds->n_accounts)
        memcpy(a, ds->accounts, (size_t)ds->n_accounts * sizeof *a);
    free(ds->accounts);
    ds->accounts = a;
    ds->cap_accounts = (uint32_t)n;
    return true;
}

uint32_t sf_dataset_add_account(sf_dataset *ds, const char *id, const char *name,
                                const char *owner, const char *industry,
                                const char *region, int64_t employees,
                                int64_t company_revenue, const char *contact_title,
                                const char *fit, uint32_t line, bool *dup)
{
    *dup = false;
    ds_index *ix = ds->index;
    uint64_t h = sf_hash_str(id);
    size_t slot = strmap_slot(&ix->accounts, id, h, account_key, ds);
    if (ix->accounts.slots[slot]) {
        *dup = true;
        return SF_NO_ACCOUNT;
    }
    if (ds->n_accounts == UINT32_MAX - 1)
        return SF_NO_ACCOUNT;
    if (ds->n_accounts == ds->cap_accounts &&
        !sf_dataset_reserve_accounts(ds, ds->cap_accounts ? (size_t)ds->cap_accounts * 2 : 256))
        return SF_NO_ACCOUNT;
    if (2 * (ix->accounts.n + 1) > ix->accounts.cap) {
        if (!strmap_grow(&ix->accounts))
            return SF_NO_ACCOUNT;
        slot = strmap_slot(&ix->accounts, id, h, account_key, ds);
    }
    uint32_t own = sf_dataset_owner(ds, owner);
    if (own == UINT32_MAX)
        return SF_NO_ACCOUNT;
    sf_account a;
    memset(&a, 0, sizeof a);
    bool oom = false;
    /* (texts of a failed add stay in the blocks until the dataset goes) */
    const char *nm = (name && *name) ? name : id;
    a.id = text_dup(ix, id, strlen(id));
    a.name = text_dup(ix, nm, strlen(nm));
    a.industry = text_trimmed(ix, industry, &oom);
    a.region = text_trimmed(ix, region, &oom);
    a.contact_title = text_trimmed(ix, contact_title, &oom);
    a.fit = text_trimmed(ix, fit, &oom);
    if (!a.id || !a.name || oom)
        return SF_NO_ACCOUNT;
    a.owner = own;
    a.employees = employees;
    a.company_revenue = company_revenue;
    a.line = line;
    a.first_purchase = a.last_purchase = a.last_contact = SF_NODATE;
    uint32_t idx = ds->n_accounts++;
    ds->accounts[idx] = a;
    ix->accounts.slots[slot] = idx + 1;
    ix->accounts.hashes[slot] = h;
    ix->accounts.n++;
    return idx;
}

bool sf_dataset_add_opportunity(sf_dataset *ds, const sf_opportunity *o)
{
    if (ds->n_opps == ds->cap_opps) {
        uint32_t cap = ds->cap_opps ? ds->cap_opps * 2 : 256;
        sf_opportunity *v = realloc(ds->opps, (size_t)cap * sizeof *v);
        if (!v)
            return false;
        ds->opps = v;
        ds->cap_opps = cap;
    }
    sf_opportunity c = *o;
    c.status_given = o->status;
    bool oom = false;
    c.id = sf_strdup(o->id);
    c.account_id = sf_strdup(o->account_id);
    c.stage = dup_trimmed(o->stage, &oom);
    c.probability_text = dup_trimmed(o->probability_text, &oom);
    c.next_step = dup_trimmed(o->next_step, &oom);
    c.contact_title = dup_trimmed(o->contact_title, &oom);
    c.name = dup_trimmed(o->name, &oom);
    if (!c.id || !c.account_id || oom) {
        sf_opportunity_release(&c);
        return false;
    }
    sf_account *a = c.account == SF_NO_ACCOUNT ? NULL : &ds->accounts[c.account];
    if (c.owner == UINT32_MAX)
        c.owner = a ? a->owner : SF_OWNER_UNASSIGNED;
    ds->owner_seen[c.owner] = true;
    ds->opps[ds->n_opps++] = c;
    return true;
}

bool sf_dataset_add_user(sf_dataset *ds, const char *id, const char *name, bool *dup)
{
    ds_index *ix = ds->index;
    *dup = false;
    size_t idn, nn;
    id = trimmed(id, &idn);
    name = trimmed(name, &nn);
    if (!idn || !nn)
        return true; /* nothing to name */
    char key[512];
    if (idn >= sizeof key)
        return true; /* no owner id is that long */
    memcpy(key, id, idn);
    key[idn] = '\0';
    uint64_t h = sf_hash_str(key);
    size_t slot = strmap_slot(&ix->users, key, h, user_key, ds);
    if (ix->users.slots[slot]) {
        *dup = true;
        return true;
    }
    if (ix->n_users == ix->cap_users) {
        uint32_t cap = ix->cap_users ? ix->cap_users * 2 : 64;
        char **a = realloc(ix->user_id, cap * sizeof *a);
        if (a)
            ix->user_id = a;
        char **b = realloc(ix->user_name, cap * sizeof *b);
        if (b)
            ix->user_name = b;
        if (!a || !b)
            return false;
        ix->cap_users = cap;
    }
    if (2 * (ix->users.n + 1) > ix->users.cap) {
        if (!strmap_grow(&ix->users))
            return false;
        slot = strmap_slot(&ix->users, key, h, user_key, ds);
    }
    char *i = text_dup(ix, key, idn), *n = text_dup(ix, name, nn);
    if (!i || !n)
        return false;
    ix->user_id[ix->n_users] = i;
    ix->user_name[ix->n_users] = n;
    ix->users.slots[slot] = ++ix->n_users;
    ix->users.hashes[slot] = h;
    ix->users.n++;
    ds->n_users = ix->n_users;
    return true;
}

void sf_dataset_set_account_owner(sf_dataset *ds, uint32_t account, uint32_t owner)
{
    if (account < ds->n_accounts && owner < ds->n_owners) {
        ds->accounts[account].owner = owner;
        ds->owner_seen[owner] = true;
    }
}

/* An owner's name beside its id, so that qsort needs no context. */
typedef struct {
    const char *name;
    uint32_t id;
} owner_sort_ent;

static int cmp_owner(const void *x, const void *y)
{
    const owner_sort_ent *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    /* names are interned, so ids break no tie in practice; they keep the
     * order total all the same */
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

/* The users export's name of every owner whose text is a user id. Two
 * owners that would show one name (two users of one name, or a user's
 * name also written as an owner elsewhere) keep their id beside it:
 * "Ana Ruiz (0058a00000MNWtFAAX)". The owner index follows the names. */
static sf_err name_owners(sf_dataset *ds, sf_ctx *ctx)
{
    ds_index *ix = ds->index;
    uint32_t n = ds->n_owners;
    if (!ix->n_users)
        return SF_OK;
    owner_sort_ent *v = malloc(n * sizeof *v);
    const char **uname = calloc(n, sizeof *uname); /* the user's name, NULL: not a user id */
    bool *clash = calloc(n, sizeof *clash);
    char **fresh = calloc(n, sizeof *fresh);       /* the new names, made before any is set */
    sf_err e = SF_OK;
    free(ds->owner_named);
    ds->owner_named = calloc(n, sizeof *ds->owner_named);
    if (!v || !uname || !clash || !fresh || !ds->owner_named) {
        e = sf_ctx_nomem(ctx);
        goto done;
    }
    for (uint32_t i = 0; i < n; i++) {
        const char *nm = ds->owners[i];
        if (i != SF_OWNER_UNASSIGNED) {
            size_t slot = strmap_slot(&ix->users, nm, sf_hash_str(nm), user_key, ds);
            if (ix->users.slots[slot])
                nm = uname[i] = ix->user_name[ix->users.slots[slot] - 1];
        }
        v[i] = (owner_sort_ent){.name = nm, .id = i};
    }
    qsort(v, n, sizeof *v, cmp_owner);
    for (uint32_t k = 0; k + 1 < n; k++)
        if (strcmp(v[k].name, v[k + 1].name) == 0)
            clash[v[k].id] = clash[v[k + 1].id] = true;
    for (uint32_t i = 0; i < n; i++) {
        if (!uname[i])
            continue;
        size_t len = strlen(uname[i]) + (clash[i] ? strlen(ds->owners[i]) + 3 : 0) + 1;
        if (!(fresh[i] = malloc(len))) {
            e = sf_ctx_nomem(ctx);
            goto done;
        }
        if (clash[i])
            snprintf(fresh[i], len, "%s (%s)", uname[i], ds->owners[i]);
        else
            memcpy(fresh[i], uname[i], len);
    }
    for (uint32_t i = 0; i < n; i++) {
        if (!fresh[i])
            continue;
        free(ds->owners[i]);
        ds->owners[i] = fresh[i];
        fresh[i] = NULL;
        ds->owners_named++;
        ds->owner_named[i] = true;
    }
    /* the index by name, rebuilt over the new names */
    memset(ix->owners.slots, 0, ix->owners.cap * sizeof *ix->owners.slots);
    ix->owners.n = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t h = sf_hash_str(ds->owners[i]);
        size_t slot = strmap_slot(&ix->owners, ds->owners[i], h, owner_key, ds);
        ix->owners.slots[slot] = i + 1;
        ix->owners.hashes[slot] = h;
        ix->owners.n++;
    }
done:
    for (uint32_t i = 0; fresh && i < n; i++)
        free(fresh[i]);
    free(fresh);
    free(v);
    free(uname);
    free(clash);
    return e;
}

/* Which owners a record names, from the records as they stand: an
 * account made from won deals without an owner took its latest won deal's
 * afterwards (sf_dataset_set_account_owner), and "(unassigned)" is listed
 * only when a record still has no owner (SPEC §4). */
static void mark_owners_seen(sf_dataset *ds)
{
    memset(ds->owner_seen, 0, ds->n_owners * sizeof *ds->owner_seen);
    for (uint32_t a = 0; a < ds->n_accounts; a++)
        ds->owner_seen[ds->accounts[a].owner] = true;
    for (size_t i = 0; i < ds->n_acts; i++)
        ds->owner_seen[ds->acts[i].owner] = true;
    for (uint32_t i = 0; i < ds->n_opps; i++)
        ds->owner_seen[ds->opps[i].owner] = true;
}

sf_err sf_dataset_finish(sf_dataset *ds, sf_ctx *ctx)
{
    mark_owners_seen(ds);
    sf_err e = name_owners(ds, ctx);
    if (e != SF_OK)
        return e;
    size_t n = ds->n_owners ? ds->n_owners : 1;
    free(ds->owner_order);
    ds->owner_order = malloc(n * sizeof *ds->owner_order);
    owner_sort_ent *v = malloc(n * sizeof *v);
    if (!ds->owner_order || !v) {
        free(v);
        return sf_ctx_nomem(ctx);
    }
    for (uint32_t i = 0; i < ds->n_owners; i++)
        v[i] = (owner_sort_ent){.name = ds->owners[i], .id = i};
    qsort(v, ds->n_owners, sizeof *v, cmp_owner);
    for (uint32_t i = 0; i < ds->n_owners; i++)
        ds->owner_order[i] = v[i].id;
    free(v);
    e = sf_dataset_build_days(ds, ctx);
    return e != SF_OK ? e : sf_dataset_at(ds, ds->as_of, ctx);
}
