/*
 * dataset_at.c - the transactions and activities of the book, and every
 * figure the analyses read as of a date T.
 *
 * While the inputs are read, each transaction is appended to a log (one
 * sequential write: the readers are bound by memory latency, and a log
 * costs no random access). sf_dataset_finish sums the log by account and
 * day into ds->days with a counting sort. sf_dataset_at then walks the
 * days and the activities once for T: the windows below are exactly those
 * of SPEC §2, §3.3, §3.5, §3.7 and §3.8, and a backfill or a backtest
 * calls it again for each of its dates on the one book.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "data/sf_dataset.h"
#include "data/sf_dataset_int.h"

/* One logged transaction (or a row of an aggregated export), 16 bytes:
 * at ten million transactions the log is the run's largest block of
 * memory. `day`: the date in its low 24 bits (sf_date is within +-2^23:
 * years 1 to 9999), then the count of positive transactions it stands for
 * (6 bits; a larger count is logged as more entries), then its kind in
 * the top 2. A PAIR holds amount and margin as two int32 cents in `value`
 * (amounts below 21 million a transaction: nearly all); a transaction
 * whose figures do not fit is an AMOUNT entry and a MARGIN entry (each
 * int64). The day sums add every entry of a date, so the split is
 * invisible. */
typedef struct {
    uint32_t account;
    uint32_t day;
    int64_t value;
} tx_entry;

enum { KIND_PAIR, KIND_AMOUNT, KIND_MARGIN };
#define POS_MAX 63u

static uint32_t day_of(sf_date d, uint32_t positive, uint32_t kind)
{
    return ((uint32_t)d & 0xffffffu) | positive << 24 | kind << 30;
}
static sf_date entry_date(const tx_entry *e) { return (sf_date)((int32_t)(e->day << 8) >> 8); }
static uint32_t entry_positive(const tx_entry *e) { return e->day >> 24 & POS_MAX; }
static int64_t entry_amount(const tx_entry *e)
{
    uint32_t k = e->day >> 30;
    return k == KIND_PAIR ? (int32_t)(uint32_t)e->value : k == KIND_AMOUNT ? e->value : 0;
}
static int64_t entry_margin(const tx_entry *e)
{
    uint32_t k = e->day >> 30;
    return k == KIND_PAIR ? (int32_t)(uint32_t)((uint64_t)e->value >> 32) : k == KIND_MARGIN ? e->value : 0;
}

/* The entries of one transaction: one PAIR when both figures fit int32. */
static int entries_of(uint32_t account, sf_date date, uint32_t pos, int64_t amount, int64_t margin,
                      tx_entry out[2])
{
    if (amount >= INT32_MIN && amount <= INT32_MAX && margin >= INT32_MIN && margin <= INT32_MAX) {
        uint64_t v = (uint64_t)(uint32_t)(int32_t)amount | (uint64_t)(uint32_t)(int32_t)margin << 32;
        out[0] = (tx_entry){account, day_of(date, pos, KIND_PAIR), (int64_t)v};
        return 1;
    }
    out[0] = (tx_entry){account, day_of(date, pos, KIND_AMOUNT), amount};
    out[1] = (tx_entry){account, day_of(date, 0, KIND_MARGIN), margin};
    return 2;
}

/* The log is a list of fixed-size chunks: appending never copies, a
 * second reader's log is joined in O(1), and the chunks are freed one by
 * one as the days are built (the book is never held twice). */
#define CHUNK_ENTRIES 12288
typedef struct tx_chunk {
    struct tx_chunk *next;
    uint32_t n;
    tx_entry v[CHUNK_ENTRIES];
} tx_chunk;

typedef struct {
    tx_chunk *head, *tail;
    size_t n;
    /* Sums of |amount| and |margin| over the log: kept within int64 so
     * that any sum over any subset of transactions fits int64 cents. */
    int64_t abs_amount, abs_margin;
} tx_log;

/* A chunk is mapped and unmapped on its own, not taken from malloc: the
 * log's chunks are freed while the buckets' are made (sf_dataset_build_days)
 * and malloc, once a freed block this size has raised its mmap threshold,
 * would keep both sets in its heap (the peak RSS of a 10M-transaction run
 * was twice the log). */
static tx_chunk *chunk_new(void)
{
    void *p = mmap(NULL, sizeof(tx_chunk), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void chunk_free(tx_chunk *c) { munmap(c, sizeof *c); }

/* Append one entry to a chunk list, a new chunk taken from *spare when it
 * holds one (may be NULL); false on out of memory. */
static bool chunks_push(tx_chunk **head, tx_chunk **tail, const tx_entry *e, tx_chunk **spare)
{
    tx_chunk *t = *tail;
    if (!t || t->n == CHUNK_ENTRIES) {
        tx_chunk *c;
        if (spare && *spare) {
            c = *spare;
            *spare = c->next;
        } else if (!(c = chunk_new())) {
            return false;
        }
        c->next = NULL;
        c->n = 0;
        if (t)
            t->next = c;
        else
            *head = c;
        *tail = t = c;
    }
    t->v[t->n++] = *e;
    return true;
}

static void chunks_free(tx_chunk *c)
{
    while (c) {
        tx_chunk *next = c->next;
        chunk_free(c);
        c = next;
    }
}

struct sf_tx_part {
    const sf_config *cfg;
    tx_log log;
};

/* A transaction's margin when the export gives none: amount x
 * gross_margin, rounded per transaction (SPEC §2). */
static int64_t resolved_margin(const sf_config *cfg, int64_t amount, int64_t margin)
{
    return margin != SF_NONE ? margin : sf_div_round((__int128)amount * cfg->gross_margin, SF_PPM);
}

/* Append to a log; false when the totals of absolute values would
 * overflow (nothing changed) or on out of memory. positive: the
 * transactions with amount > 0 the entry stands for (SF_NONE: this one's). */
static bool log_add(tx_log *l, const sf_config *cfg, uint32_t account, sf_date date, int64_t amount,
                    int64_t margin, int64_t positive)
{
    if (positive == SF_NONE)
        positive = amount > 0;
    if (positive < 0 || positive > (int64_t)UINT32_MAX || date < -(1 << 23) || date >= (1 << 23))
        return false;
    margin = resolved_margin(cfg, amount, margin);
    int64_t abs_amount, abs_margin;
    if (amount == INT64_MIN || margin == INT64_MIN ||
        __builtin_add_overflow(l->abs_amount, amount < 0 ? -amount : amount, &abs_amount) ||
        __builtin_add_overflow(l->abs_margin, margin < 0 ? -margin : margin, &abs_margin))
        return false;
    uint32_t pos = (uint32_t)positive;
    tx_entry e[2];
    for (int i = 0, n = entries_of(account, date, pos < POS_MAX ? pos : POS_MAX, amount, margin, e); i < n;
         i++, l->n++)
        if (!chunks_push(&l->head, &l->tail, &e[i], NULL))
            return false;
    /* the rest of a large count: entries of nothing but purchases */
    for (pos -= pos < POS_MAX ? pos : POS_MAX; pos; l->n++) {
        uint32_t k = pos < POS_MAX ? pos : POS_MAX;
        tx_entry more = {account, day_of(date, k, KIND_PAIR), 0};
        if (!chunks_push(&l->head, &l->tail, &more, NULL))
            return false;
        pos -= k;
    }
    l->abs_amount = abs_amount;
    l->abs_margin = abs_margin;
    return true;
}

static tx_log *ds_log(sf_dataset *ds)
{
    if (!ds->tx_log)
        ds->tx_log = calloc(1, sizeof(tx_log));
    return ds->tx_log;
}

bool sf_dataset_add_transaction(sf_dataset *ds, uint32_t account, sf_date date, int64_t amount,
                                int64_t margin)
{
    tx_log *l = ds_log(ds);
    return l && log_add(l, ds->cfg, account, date, amount, margin, SF_NONE);
}

bool sf_dataset_add_transactions(sf_dataset *ds, uint32_t account, sf_date date, int64_t amount,
                                 int64_t margin, int64_t purchases)
{
    tx_log *l = ds_log(ds);
    return l && log_add(l, ds->cfg, account, date, amount, margin, purchases);
}

sf_tx_part *sf_tx_part_new(const sf_dataset *ds)
{
    sf_tx_part *p = calloc(1, sizeof *p);
    if (p)
        p->cfg = ds->cfg;
    return p;
}

void sf_tx_part_free(sf_tx_part *p)
{
    if (!p)
        return;
    chunks_free(p->log.head);
    free(p);
}

bool sf_tx_part_add(sf_tx_part *p, uint32_t account, sf_date date, int64_t amount, int64_t margin)
{
    return log_add(&p->log, p->cfg, account, date, amount, margin, SF_NONE);
}

bool sf_tx_part_add_n(sf_tx_part *p, uint32_t account, sf_date date, int64_t amount, int64_t margin,
                      int64_t purchases)
{
    return log_add(&p->log, p->cfg, account, date, amount, margin, purchases);
}

bool sf_dataset_merge_tx_part(sf_dataset *ds, sf_tx_part *p)
{
    tx_log *l = ds_log(ds);
    int64_t abs_amount, abs_margin;
    if (!l || __builtin_add_overflow(l->abs_amount, p->log.abs_amount, &abs_amount) ||
        __builtin_add_overflow(l->abs_margin, p->log.abs_margin, &abs_margin))
        return false;
    /* the part's chunks join the book's log (the part keeps none) */
    if (p->log.head) {
        if (l->tail)
            l->tail->next = p->log.head;
        else
            l->head = p->log.head;
        l->tail = p->log.tail;
        p->log.head = p->log.tail = NULL;
    }
    l->n += p->log.n;
    p->log.n = 0;
    l->abs_amount = abs_amount;
    l->abs_margin = abs_margin;
    return true;
}

bool sf_dataset_minutes_fit(const sf_dataset *ds, int64_t minutes)
{
    int64_t t;
    return minutes >= 0 && !__builtin_add_overflow(ds->minutes_total, minutes, &t) && t <= SF_MINUTES_MAX;
}

bool sf_dataset_add_activity(sf_dataset *ds, uint32_t account, uint32_t owner, sf_date date,
                             sf_act_type type, sf_outcome outcome, int64_t minutes)
{
    return sf_dataset_add_activities(ds, account, owner, date, type, outcome, minutes, 1);
}

bool sf_dataset_add_activities(sf_dataset *ds, uint32_t account, uint32_t owner, sf_date date,
                               sf_act_type type, sf_outcome outcome, int64_t minutes, int64_t count)
{
    if (count < 1)
        return false;
    if (minutes <= 0)
        minutes = ds->cfg->durations[type] * count;
    /* a count past a record's 16 bits: several records, the minutes on the first */
    while (count > UINT16_MAX) {
        if (!sf_dataset_add_activities(ds, account, owner, date, type, outcome, minutes, UINT16_MAX))
            return false;
        minutes = 0;
        count -= UINT16_MAX;
        if (count == 0)
            return true;
    }
    const sf_account *a = account == SF_NO_ACCOUNT ? NULL : &ds->accounts[account];
    if (owner == UINT32_MAX)
        owner = a ? a->owner : SF_OWNER_UNASSIGNED;
    ds->owner_seen[owner] = true;
    if (ds->n_acts == ds->cap_acts) {
        size_t cap = ds->cap_acts ? ds->cap_acts * 2 : 1024;
        sf_activity *v = realloc(ds->acts, cap * sizeof *v);
        if (!v)
            return false;
        ds->acts = v;
        ds->cap_acts = cap;
    }
    ds->acts[ds->n_acts++] = (sf_activity){
        .account = account,
        .owner = owner,
        .date = date,
        .type = (uint8_t)type,
        .outcome = (uint8_t)outcome,
        .count = (uint16_t)count,
        .minutes = minutes,
    };
    /* within SF_MINUTES_MAX: the ingest checked a duration from the data,
     * and the defaults cannot get there (sf_dataset.h) */
    ds->minutes_total += ds->acts[ds->n_acts - 1].minutes;
    return true;
}

/* ---- the days ------------------------------------------------------------ */

static int cmp_day(const void *pa, const void *pb)
{
    const sf_tx_day *a = pa, *b = pb;
    return (a->date > b->date) - (a->date < b->date);
}

static void insertion_sort_days(sf_tx_day *d, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        sf_tx_day x = d[i];
        uint32_t j = i;
        for (; j > 0 && d[j - 1].date > x.date; j--)
            d[j] = d[j - 1];
        d[j] = x;
    }
}

static void swap_days(sf_tx_day *a, sf_tx_day *b)
{
    sf_tx_day t = *a;
    *a = *b;
    *b = t;
}

/* Quicksort by date (median of three, Hoare's partition), the smaller
 * side first and the larger in the loop; small ranges by insertion; past
 * `depth` halvings (an adversarial order) qsort takes over. */
static void sort_days(sf_tx_day *d, uint32_t n, int depth)
{
    while (n > 24) {
        if (depth-- <= 0) {
            qsort(d, n, sizeof *d, cmp_day);
            return;
        }
        uint32_t mid = n / 2;
        if (d[mid].date < d[0].date)
            swap_days(&d[mid], &d[0]);
        if (d[n - 1].date < d[0].date)
            swap_days(&d[n - 1], &d[0]);
        if (d[n - 1].date < d[mid].date)
            swap_days(&d[n - 1], &d[mid]);
        swap_days(&d[0], &d[mid]); /* the median first: the pivot */
        sf_date p = d[0].date;
        int64_t i = -1, j = n;
        for (;;) {
            do
                i++;
            while (d[i].date < p);
            do
                j--;
            while (d[j].date > p);
            if (i >= j)
                break;
            swap_days(&d[i], &d[j]);
        }
        /* [0, j] <= p <= [j + 1, n), both sides non-empty */
        uint32_t left = (uint32_t)j + 1, right = n - left;
        if (left < right) {
            sort_days(d, left, depth);
            d += left;
            n = right;
        } else {
            sort_days(d + left, right, depth);
            n = left;
        }
    }
    insertion_sort_days(d, n);
}

/* Sort one account's transactions (as day entries) by date, unless they
 * already are (exports are usually in date order), and sum each date into
 * one entry. Returns the number of days. The sort is ours, not qsort:
 * no indirect call per comparison (at 100 transactions an account, qsort
 * was the largest cost of summing the days); the order among equal dates
 * does not matter, they are summed. */
static uint32_t merge_days(sf_tx_day *d, uint32_t n)
{
    bool sorted = true;
    for (uint32_t i = 1; i < n && sorted; i++)
        sorted = d[i - 1].date <= d[i].date;
    if (!sorted)
        sort_days(d, n, 64);
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (m && d[m - 1].date == d[i].date) {
            /* cannot overflow: |sums| <= the book's total of |values| */
            d[m - 1].amount += d[i].amount;
            d[m - 1].margin += d[i].margin;
            d[m - 1].positive += d[i].positive;
        } else {
            d[m++] = d[i];
        }
    }
    return m;
}

/* Account a's bucket: the accounts split into at most 256 contiguous
 * ranges, so that each pass below writes into few places at once. */
static int bucket_shift(uint32_t na)
{
    int shift = 0;
    while (na > 1 && ((na - 1) >> shift) >= 256)
        shift++;
    return shift;
}

/* Move the log's entries into per-bucket chunk lists, counting each
 * account's transactions into start[a + 1]. A log chunk, once read, is
 * the next bucket chunk: the memory stays mapped and its pages resident
 * (unmapping it and mapping a new one faulted 160 MB in again at 10M). */
static bool log_to_buckets(tx_log *l, int shift, tx_chunk **bh, tx_chunk **bt, uint32_t *start)
{
    bool ok = true;
    tx_chunk *c = l->head, *spare = NULL;
    l->head = l->tail = NULL;
    while (c) {
        for (uint32_t i = 0; ok && i < c->n; i++) {
            const tx_entry *e = &c->v[i];
            start[e->account + 1]++;
            ok = chunks_push(&bh[e->account >> shift], &bt[e->account >> shift], e, &spare);
        }
        tx_chunk *next = c->next;
        c->next = spare;
        spare = c;
        c = next;
        if (!ok)
            break;
    }
    chunks_free(spare);
    chunks_free(c);
    return ok;
}

/* Buckets [b0, b1): their entries into their accounts' regions of days
 * (the buckets' chunks freed as they are emptied), then each account's
 * days summed by date, its count of days left in fill[a]. Buckets hold
 * contiguous accounts, so two ranges of buckets touch disjoint memory. */
typedef struct {
    tx_chunk **bh;
    int b0, b1, shift;
    uint32_t na;
    const uint32_t *start;
    uint32_t *fill; /* in: each account's first slot; out: its days */
    sf_tx_day *days;
} days_job;

static void *days_range(void *arg)
{
    const days_job *j = arg;
    for (int b = j->b0; b < j->b1; b++) {
        for (tx_chunk *c = j->bh[b]; c; c = c->next)
            for (uint32_t i = 0; i < c->n; i++) {
                const tx_entry *t = &c->v[i];
                j->days[j->fill[t->account]++] =
                    (sf_tx_day){entry_date(t), entry_positive(t), entry_amount(t), entry_margin(t)};
            }
        chunks_free(j->bh[b]);
        j->bh[b] = NULL;
        uint64_t a0 = (uint64_t)b << j->shift, a1 = (uint64_t)(b + 1) << j->shift;
        for (uint64_t a = a0; a < a1 && a < j->na; a++)
            j->fill[a] = merge_days(j->days + j->start[a], j->start[a + 1] - j->start[a]);
    }
    return NULL;
}

sf_err sf_dataset_build_days(sf_dataset *ds, sf_ctx *ctx)
{
    tx_log *l = ds->tx_log;
    size_t n = l ? l->n : 0;
    uint32_t na = ds->n_accounts;
    free(ds->days);
    free(ds->day_start);
    ds->days = NULL;
    ds->n_days = 0;
    if (n > UINT32_MAX)
        return sf_ctx_error(ctx, SF_ERR_INPUT, "more than %u transactions", (unsigned)UINT32_MAX);
    int shift = bucket_shift(na);
    tx_chunk *bh[256] = {0}, *bt[256] = {0};
    ds->day_start = calloc((size_t)na + 1, sizeof *ds->day_start);
    uint32_t *fill = malloc(((size_t)na + 1) * sizeof *fill);
    sf_tx_day *days = malloc((n ? n : 1) * sizeof *days);
    bool ok = ds->day_start && fill && days && (!l || log_to_buckets(l, shift, bh, bt, ds->day_start));
    if (l) {
        chunks_free(l->head);
        free(l);
        ds->tx_log = NULL;
    }
    if (!ok) {
        for (int b = 0; b < 256; b++)
            chunks_free(bh[b]);
        free(fill);
        free(days);
        return sf_ctx_nomem(ctx);
    }
    uint32_t *start = ds->day_start;
    for (uint32_t a = 0; a < na; a++)
        start[a + 1] += start[a];
    memcpy(fill, start, ((size_t)na + 1) * sizeof *fill);
    /* the buckets into days and summed by date: the second half of the
     * entries (by bucket) on a thread of its own when allowed */
    int mid = 256; /* the first bucket of the second half */
    if (ds->two_threads && n >= 2 * CHUNK_ENTRIES)
        for (mid = 1; mid < 256 && start[(size_t)mid << shift < na ? (size_t)mid << shift : na] < n / 2; mid++)
            ;
    days_job lo = {bh, 0, mid, shift, na, start, fill, days}, hi = lo;
    hi.b0 = mid;
    hi.b1 = 256;
    pthread_t tid;
    bool threaded = mid < 256 && pthread_create(&tid, NULL, days_range, &hi) == 0;
    days_range(&lo);
    if (threaded)
        pthread_join(tid, NULL);
    else if (mid < 256)
        days_range(&hi);
    /* one entry per date, packed to the front */
    uint32_t w = 0;
    for (uint32_t a = 0; a < na; a++) {
        uint32_t s0 = start[a], m = fill[a];
        if (w != s0 && m)
            memmove(days + w, days + s0, (size_t)m * sizeof *days);
        start[a] = w;
        w += m;
    }
    free(fill);
    start[na] = w;
    ds->n_days = w;
    sf_tx_day *shrunk = realloc(days, (w ? w : 1) * sizeof *days);
    ds->days = shrunk ? shrunk : days;
    return SF_OK;
}

void sf_dataset_release_events(sf_dataset *ds)
{
    tx_log *l = ds->tx_log;
    if (l) {
        chunks_free(l->head);
        free(l);
        ds->tx_log = NULL;
    }
    free(ds->days);
    free(ds->day_start);
    free(ds->acts);
    ds->days = NULL;
    ds->day_start = NULL;
    ds->acts = NULL;
    ds->n_days = ds->n_acts = ds->cap_acts = 0;
}

/* ---- the figures as of T ----------------------------------------------------- */

/* An account's transaction figures as of T from its days. */
static void account_tx_at(const sf_dataset *ds, uint32_t ai, sf_date T)
{
    const sf_config *cfg = ds->cfg;
    const int64_t w = cfg->decline_window_days;
    const sf_date prior_end = cfg->decline_compare == SF_CMP_YOY ? T - 365 : (sf_date)(T - w);
    sf_account *a = &ds->accounts[ai];
    a->rev12 = a->rev_prev12 = a->margin12 = a->dec_current = a->dec_prior = 0;
    a->first_purchase = a->last_purchase = SF_NODATE;
    uint32_t n;
    const sf_tx_day *d = sf_account_days(ds, ai, &n);
    for (uint32_t i = 0; i < n; i++) {
        sf_date date = d[i].date;
        if (sf_in_window(date, T, 365)) {
            a->rev12 += d[i].amount;
            a->margin12 += d[i].margin;
        }
        if (sf_in_window(date, T - 365, 365))
            a->rev_prev12 += d[i].amount;
        if (sf_in_window(date, T, w))
            a->dec_current += d[i].amount;
        if (sf_in_window(date, prior_end, w))
            a->dec_prior += d[i].amount;
        if (d[i].positive && date <= T) {
            if (a->first_purchase == SF_NODATE)
                a->first_purchase = date; /* days ascend */
            a->last_purchase = date;
        }
    }
}

/* Add minutes for an owner to an account's small per-owner list. */
static bool add_split_minutes(sf_account *a, uint32_t owner, int64_t minutes)
{
    for (uint32_t i = 0; i < a->n_split_minutes; i++) {
        if (a->split_minutes[i].owner == owner) {
            a->split_minutes[i].minutes += minutes;
            return true;
        }
    }
    if (a->n_split_minutes == a->cap_split_minutes) {
        uint32_t cap = a->cap_split_minutes ? a->cap_split_minutes * 2 : 2;
        sf_owner_minutes *v = realloc(a->split_minutes, cap * sizeof *v);
        if (!v)
            return false;
        a->split_minutes = v;
        a->cap_split_minutes = cap;
    }
    a->split_minutes[a->n_split_minutes].owner = owner;
    a->split_minutes[a->n_split_minutes].minutes = minutes;
    a->n_split_minutes++;
    return true;
}

/* One activity into the figures as of T. */
static bool activity_at(sf_dataset *ds, const sf_activity *v, sf_date T)
{
    const sf_config *cfg = ds->cfg;
    if (v->account != SF_NO_ACCOUNT) {
        sf_account *a = &ds->accounts[v->account];
        if (cfg->contact_types[v->type] && v->date <= T &&
            (a->last_contact == SF_NODATE || v->date > a->last_contact))
            a->last_contact = v->date;
        /* [costs] are at most SF_COST_MAX each: no number of activities
         * memory can hold reaches INT64_MAX; saturate all the same */
        if (sf_in_window(v->date, T, 365) &&
            __builtin_add_overflow(a->cost12, cfg->costs[v->type] * v->count, &a->cost12))
            a->cost12 = INT64_MAX;
        if (sf_in_window(v->date, T, cfg->actual_window_days) &&
            !add_split_minutes(a, v->owner, v->minutes))
            return false;
    }
    if (sf_in_window(v->date, T, cfg->kpi_window_days)) {
        sf_owner_acts *k = &ds->owner_acts[v->owner];
        if (v->type == SF_ACT_CALL)
            k->calls += v->count;
        if (v->outcome == SF_OUT_CONVERSATION || v->outcome == SF_OUT_APPOINTMENT)
            k->conversations += v->count;
        if (v->outcome == SF_OUT_APPOINTMENT)
            k->appointments += v->count;
    }
    return true;
}

/* SPEC §1.1 "State as of T": a deal created on or before T that the
 * export shows won or lost, but closed after T, was still open at T (a
 * won or lost deal without a close date keeps its status). So a past
 * as-of date, a backfill or a backtest never sees the future. */
static sf_status status_at(const sf_opportunity *o, sf_date T)
{
    if (o->status_given != SF_ST_OPEN && o->created != SF_NODATE && o->created <= T &&
        o->close_date != SF_NODATE && o->close_date > T)
        return SF_ST_OPEN;
    return o->status_given;
}

sf_err sf_dataset_at(sf_dataset *ds, sf_date T, sf_ctx *ctx)
{
    ds->as_of = T;
    for (uint32_t a = 0; a < ds->n_accounts; a++) {
        account_tx_at(ds, a, T);
        sf_account *ac = &ds->accounts[a];
        ac->last_contact = SF_NODATE;
        ac->cost12 = 0;
        ac->n_split_minutes = 0;
        ac->open_opps = 0;
    }
    memset(ds->owner_acts, 0, (size_t)ds->n_owners * sizeof *ds->owner_acts);
    for (size_t i = 0; i < ds->n_acts; i++)
        if (!activity_at(ds, &ds->acts[i], T))
            return sf_ctx_nomem(ctx);
    for (uint32_t i = 0; i < ds->n_opps; i++) {
        sf_opportunity *o = &ds->opps[i];
        o->status = status_at(o, T);
        /* SPEC §1.1: opportunities created after T are ignored for open_opps */
        if (o->account != SF_NO_ACCOUNT && o->status == SF_ST_OPEN && o->created != SF_NODATE &&
            o->created <= T)
            ds->accounts[o->account].open_opps++;
    }
    return SF_OK;
}
