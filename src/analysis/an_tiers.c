/*
 * an_tiers.c - SPEC §3.1: A-level revenue, lookalike benchmark, potential,
 * tier, realization and temperature of every account (plus the cadence
 * next_due of §3.2, which every account carries in accounts.csv).
 *
 * Every threshold is compared exactly: config fractions are ppm and the
 * products are taken in __int128. The benchmark groups accounts by their
 * segment key tuple with one sort per level, so the whole analysis is
 * O(n log n) in the number of accounts.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_list.h"

#define MAX_SEG 8

typedef struct {
    int64_t rev;
    uint32_t rank;
    uint32_t idx;
} rev_item;

typedef struct {
    const char *id;
    uint32_t idx;
} id_item;

static int cmp_id(const void *pa, const void *pb)
{
    return strcmp(((const id_item *)pa)->id, ((const id_item *)pb)->id);
}

/* rank[a] = position of account a's id in byte order. Exports are often
 * sorted by id already: then the ranks are the indexes, found in O(n). */
static bool id_ranks(const sf_dataset *ds, uint32_t *rank)
{
    uint32_t n = ds->n_accounts;
    bool sorted = true;
    for (uint32_t a = 1; a < n && sorted; a++)
        sorted = strcmp(ds->accounts[a - 1].id, ds->accounts[a].id) < 0;
    if (sorted) {
        for (uint32_t a = 0; a < n; a++)
            rank[a] = a;
        return true;
    }
    id_item *it = malloc((size_t)n * sizeof *it);
    if (!it)
        return false;
    for (uint32_t a = 0; a < n; a++)
        it[a] = (id_item){ds->accounts[a].id, a};
    qsort(it, n, sizeof *it, cmp_id);
    for (uint32_t i = 0; i < n; i++)
        rank[it[i].idx] = i;
    free(it);
    return true;
}

typedef struct {
    uint32_t key[MAX_SEG]; /* interned segment values, 0 = empty */
    int64_t rev;
    uint32_t idx;
} seg_item;

typedef struct {
    int tier;
    uint32_t rank;
    int64_t potential;
    uint32_t idx;
} order_item;

/* The sorts of a million accounts by radix passes (sf_sort_items): the
 * keys end in the account's id rank (unique), so the order is total and
 * the comparison sort's, byte for byte, at a fraction of its time. */

static void rev_keys(const void *p, uint64_t *k)
{
    const rev_item *r = p;
    k[0] = ~sf_sort_key_i64(r->rev);
    k[1] = r->rank;
}

/* ri by rev12 descending, then account_id ascending. */
static bool sort_rev(rev_item *ri, uint32_t n)
{
    return sf_sort_items(ri, sizeof *ri, n, 2, rev_keys);
}

static void order_keys(const void *p, uint64_t *k)
{
    const order_item *o = p;
    k[0] = sf_sort_key_i64(o->tier);
    k[1] = ~sf_sort_key_i64(o->potential);
    k[2] = o->rank;
}

/* accounts.csv order: tier A..D, potential descending, account_id. */
static bool sort_order(order_item *oi, uint32_t n)
{
    return sf_sort_items(oi, sizeof *oi, n, 3, order_keys);
}

/* it lexicographic on the key tuple: every prefix level's groups are
 * then contiguous runs, so one sort serves all levels. By the first nseg
 * keys (the rest are 0 in every item), last key first.
 * Within a run of equal keys the order is not the comparison sort's, and
 * need not be: a run's benchmark is the median of its revenues. */
static bool sort_seg(seg_item *it, uint32_t n, int nseg)
{
    uint64_t *key = malloc(((size_t)n + 1) * sizeof *key);
    uint32_t *perm = malloc(((size_t)n + 1) * sizeof *perm);
    seg_item *tmp = malloc(((size_t)n + 1) * sizeof *tmp);
    bool ok = key && perm && tmp;
    for (uint32_t i = 0; ok && i < n; i++)
        perm[i] = i;
    for (int j = nseg - 1; ok && j >= 0; j--) {
        for (uint32_t i = 0; i < n; i++)
            key[i] = it[perm[i]].key[j];
        ok = sf_sort_u64(key, perm, n);
    }
    for (uint32_t i = 0; ok && i < n; i++)
        tmp[i] = it[perm[i]];
    if (ok)
        memcpy(it, tmp, (size_t)n * sizeof *it);
    free(key);
    free(perm);
    free(tmp);
    return ok;
}

/* Size band index + 1 of an employee count (0 = unknown). Bands are
 * `1-9`, `10-49`, `50-249`, `250+` for 10, 50, 250; a count of 0 falls in
 * the first band (a company with no staff on record is the smallest). */
static uint32_t size_band_id(const sf_config *cfg, int64_t employees)
{
    if (employees == SF_NONE)
        return 0;
    uint32_t band = 0;
    while ((int)band < cfg->n_size_bands && employees >= cfg->size_bands[band])
        band++;
    return band + 1;
}

/* Text value of a text segment key for account a, NULL when empty. */
static const char *seg_text(const sf_dataset *ds, const sf_account *a, sf_segment_key k)
{
    const char *s = NULL;
    switch (k) {
    case SF_SEG_INDUSTRY: s = a->industry; break;
    case SF_SEG_REGION: s = a->region; break;
    case SF_SEG_FIT: s = a->fit; break;
    case SF_SEG_OWNER:
        s = a->owner == SF_OWNER_UNASSIGNED ? NULL : ds->owners[a->owner];
        break;
    case SF_SEG_SIZE_BAND: break;
    }
    return s && *s ? s : NULL;
}

static uint64_t hash_text(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 31);
}

/* Interns key k of every account into keys[a * nseg + j] (0 = empty,
 * equal text = equal id, compared exactly) with a hash table: O(n).
 * Returns false on OOM. */
static bool intern_key(const sf_dataset *ds, const sf_config *cfg, sf_segment_key k,
                       int j, int nseg, uint32_t *keys)
{
    uint32_t n = ds->n_accounts;
    if (k == SF_SEG_SIZE_BAND) {
        for (uint32_t a = 0; a < n; a++)
            keys[(size_t)a * nseg + j] = size_band_id(cfg, ds->accounts[a].employees);
        return true;
    }
    size_t cap = 64;
    while (cap < 2 * (size_t)n)
        cap *= 2;
    /* each slot keeps its text and hash: a probe compares in place
     * instead of reaching into another account */
    typedef struct {
        uint64_t h;
        const char *text; /* NULL = empty slot */
        uint32_t id;
    } slot;
    slot *tab = calloc(cap, sizeof *tab);
    if (!tab)
        return false;
    uint32_t next = 0;
    for (uint32_t a = 0; a < n; a++) {
        const char *s = seg_text(ds, &ds->accounts[a], k);
        uint32_t id = 0;
        if (s) {
            uint64_t h = hash_text(s);
            size_t i = (size_t)h & (cap - 1);
            while (tab[i].text && (tab[i].h != h || strcmp(tab[i].text, s) != 0))
                i = (i + 1) & (cap - 1);
            if (!tab[i].text)
                tab[i] = (slot){h, s, ++next};
            id = tab[i].id;
        }
        keys[(size_t)a * nseg + j] = id;
    }
    free(tab);
    return true;
}

/* Fills acc[a].benchmark for every account (SF_NONE where no level of
 * segment_by has min_peers buying members). One sort by the full key
 * tuple; level L's groups are the runs sharing the first L keys; each
 * group's buying revenues are sorted for the lower median. O(n log n).
 * Returns false on OOM. */
static bool benchmarks(const sf_dataset *ds, const sf_config *cfg, sf_account_result *acc)
{
    uint32_t n = ds->n_accounts;
    int nseg = cfg->n_segment_by;
    if (nseg > MAX_SEG)
        nseg = MAX_SEG;
    for (uint32_t a = 0; a < n; a++)
        acc[a].benchmark = SF_NONE;
    if (nseg <= 0 || n == 0)
        return true;

    bool ok = false;
    uint32_t *keys = malloc((size_t)n * nseg * sizeof *keys);
    seg_item *it = malloc((size_t)n * sizeof *it);
    int64_t *revs = malloc((size_t)n * sizeof *revs);
    if (!keys || !it || !revs)
        goto done;
    for (int j = 0; j < nseg; j++)
        if (!intern_key(ds, cfg, cfg->segment_by[j], j, nseg, keys))
            goto done;

    /* accounts without the first key belong to no level at all */
    uint32_t m = 0;
    for (uint32_t a = 0; a < n; a++) {
        const uint32_t *k = &keys[(size_t)a * nseg];
        if (k[0] == 0)
            continue;
        memset(it[m].key, 0, sizeof it[m].key);
        memcpy(it[m].key, k, (size_t)nseg * sizeof *k);
        it[m].rev = ds->accounts[a].rev12;
        it[m].idx = a;
        m++;
    }
    if (!sort_seg(it, m, nseg))
        goto done;

    const int64_t min_peers = cfg->min_peers;
    for (int level = nseg; level >= 1; level--) {
        size_t prefix = (size_t)level * sizeof it[0].key[0];
        for (uint32_t s = 0; s < m;) {
            uint32_t e = s + 1;
            while (e < m && memcmp(it[e].key, it[s].key, prefix) == 0)
                e++;
            bool full = true;
            for (int j = 0; j < level; j++)
                if (it[s].key[j] == 0)
                    full = false;
            bool pending = false;
            for (uint32_t i = s; i < e && full && !pending; i++)
                pending = acc[it[i].idx].benchmark == SF_NONE;
            if (pending) {
                uint32_t cnt = 0;
                for (uint32_t i = s; i < e; i++)
                    if (it[i].rev > 0)
                        revs[cnt++] = it[i].rev;
                if (cnt > 0 && (int64_t)cnt >= min_peers) {
                    int64_t med = sf_select_i64(revs, cnt, (cnt - 1) / 2); /* the lower median */
                    for (uint32_t i = s; i < e; i++)
                        if (acc[it[i].idx].benchmark == SF_NONE) {
                            acc[it[i].idx].benchmark = med;
                            acc[it[i].idx].bench_peers = cnt;
                            acc[it[i].idx].bench_level = (uint8_t)level;
                        }
                }
            }
            s = e;
        }
    }
    ok = true;
done:
    free(keys);
    free(it);
    free(revs);
    return ok;
}

/* Fills out (zeroed first; owns acc, order, by_rev). Returns SF_OK or
 * SF_ERR_NOMEM (out released then). */
sf_err sf_analyze_tiers(const sf_dataset *ds, const sf_config *cfg, sf_tiers_result *out)
{
    uint32_t n = ds->n_accounts;
    size_t alloc_n = n ? n : 1;
    rev_item *ri = NULL;
    order_item *oi = NULL;

    memset(out, 0, sizeof *out);
    out->acc = calloc(alloc_n, sizeof *out->acc);
    out->order = calloc(alloc_n, sizeof *out->order);
    out->by_rev = calloc(alloc_n, sizeof *out->by_rev);
    out->id_rank = calloc(alloc_n, sizeof *out->id_rank);
    ri = malloc(alloc_n * sizeof *ri);
    oi = malloc(alloc_n * sizeof *oi);
    if (!out->acc || !out->order || !out->by_rev || !out->id_rank || !ri || !oi ||
        !id_ranks(ds, out->id_rank))
        goto nomem;

    /* Buying clients P and the A-level revenue L. */
    uint32_t nb = 0;
    for (uint32_t a = 0; a < n; a++) {
        if (ds->accounts[a].rev12 > 0) {
            ri[nb].rev = ds->accounts[a].rev12;
            ri[nb].rank = out->id_rank[a];
            ri[nb].idx = a;
            nb++;
        }
    }
    if (!sort_rev(ri, nb))
        goto nomem;
    for (uint32_t i = 0; i < nb; i++)
        out->by_rev[i] = ri[i].idx;
    out->n_buying = nb;
    int64_t k = sf_div_ceil((__int128)cfg->reference_top_share * nb, SF_PPM);
    if (k < 1)
        k = 1;
    if (nb > 0 && k > (int64_t)nb)
        k = nb;
    out->k = (uint32_t)k;
    out->L = nb > 0 ? ri[k - 1].rev : SF_NONE;

    if (!benchmarks(ds, cfg, out->acc))
        goto nomem;

    const int64_t L = out->L;
    for (uint32_t a = 0; a < n; a++) {
        const sf_account *ac = &ds->accounts[a];
        sf_account_result *r = &out->acc[a];
        int64_t pos_rev = ac->rev12 > 0 ? ac->rev12 : 0;

        r->potential = pos_rev;
        if (r->benchmark != SF_NONE && r->benchmark > r->potential)
            r->potential = r->benchmark;

        if (ac->first_purchase == SF_NODATE && ac->open_opps == 0)
            r->tier = SF_TIER_D;
        else if (nb == 0)
            r->tier = SF_TIER_C;
        else if ((__int128)r->potential * SF_PPM >= (__int128)cfg->a_min * L)
            r->tier = SF_TIER_A;
        else if ((__int128)r->potential * SF_PPM >= (__int128)cfg->b_min * L)
            r->tier = SF_TIER_B;
        else
            r->tier = SF_TIER_C;
        r->ratio = nb > 0 ? sf_share_e4(r->potential, L) : SF_NONE;

        /* realization = pos_rev / potential, exactly 0 when potential is 0 */
        if (r->potential == 0) {
            r->realization = 0;
            r->temp = 0 >= cfg->hot_min ? SF_TEMP_HOT
                    : 0 >= cfg->cold_below ? SF_TEMP_WARM : SF_TEMP_COLD;
        } else {
            __int128 num = (__int128)pos_rev * SF_PPM;
            r->realization = sf_share_e4(pos_rev, r->potential);
            if (num >= (__int128)cfg->hot_min * r->potential)
                r->temp = SF_TEMP_HOT;
            else if (num >= (__int128)cfg->cold_below * r->potential)
                r->temp = SF_TEMP_WARM;
            else
                r->temp = SF_TEMP_COLD;
        }

        oi[a].tier = (int)r->tier;
        oi[a].potential = r->potential;
        oi[a].rank = out->id_rank[a];
        oi[a].idx = a;
    }
    if (!sort_order(oi, n))
        goto nomem;
    for (uint32_t i = 0; i < n; i++)
        out->order[i] = oi[i].idx;

    free(ri);
    free(oi);
    return SF_OK;

nomem:
    free(ri);
    free(oi);
    free(out->acc);
    free(out->order);
    free(out->by_rev);
    free(out->id_rank);
    memset(out, 0, sizeof *out);
    return SF_ERR_NOMEM;
}

/* ---- accounts.csv (SPEC §4) ------------------------------------------------ */

static const sf_column accounts_cols[] = {
    SF_COLUMN("account_id", SF_COL_TEXT), SF_COLUMN("name", SF_COL_TEXT), SF_COLUMN("owner", SF_COL_TEXT),
    SF_COLUMN("tier", SF_COL_TIER), SF_COLUMN("rev12", SF_COL_MONEY), SF_COLUMN("potential", SF_COL_MONEY),
    SF_COLUMN("ratio", SF_COL_RATIO), SF_COLUMN("realization", SF_COL_SHARE), SF_COLUMN("temperature", SF_COL_TEMP),
    SF_COLUMN("last_contact", SF_COL_DATE), SF_COLUMN("next_due", SF_COL_DATE),
    /* the workbook's only (SPEC §9, explain.csv has them too) */
    SF_COLUMN_SHEET("to_next_tier", SF_COL_MONEY), SF_COLUMN_SHEET("to_warm", SF_COL_MONEY),
    /* §11 beside each account in the workbook; accounts.csv keeps §4's columns */
    SF_COLUMN_SHEET("p_alive", SF_COL_SHARE), SF_COLUMN_SHEET("clv", SF_COL_MONEY),
};

static size_t accounts_count(const sf_report *rep)
{
    return rep->tiers.order ? rep->ds->n_accounts : 0;
}

static uint32_t accounts_owner(const sf_report *rep, size_t row)
{
    return rep->ds->accounts[rep->tiers.order[row]].owner;
}

/* What accounts_row reads beyond the account cells: the record's
 * figures and the per-account arrays, all at the account's index. */
static void accounts_prefetch(const sf_report *rep, size_t row)
{
    uint32_t a = rep->tiers.order[row];
    sf_report_account_prefetch(rep, a);
    __builtin_prefetch(&rep->ds->accounts[a].rev12);
    __builtin_prefetch(&rep->ds->accounts[a].last_contact);
    if (rep->cadence.next_due)
        __builtin_prefetch(&rep->cadence.next_due[a]);
    if (rep->clv.fitted) {
        __builtin_prefetch(&rep->clv.acc_p_alive[a]);
        __builtin_prefetch(&rep->clv.acc_clv[a]);
    }
}

static void accounts_row(const sf_report *rep, size_t row, sf_cell *c)
{
    uint32_t a = rep->tiers.order[row];
    const sf_account_result *r = &rep->tiers.acc[a];
    const sf_account *ac = &rep->ds->accounts[a];
    sf_report_account_cells(rep, a, c);
    c[4].v = ac->rev12;
    c[5].v = r->potential;
    c[6].v = r->ratio;
    c[7].v = r->realization;
    c[8].v = r->temp;
    c[9].v = rep->ds->have_activities ? ac->last_contact : SF_NODATE;
    c[10].v = rep->cadence.next_due ? rep->cadence.next_due[a] : SF_NODATE;
    c[11].v = rep->explain.acc ? rep->explain.acc[row].to_next_tier : SF_NONE;
    c[12].v = rep->explain.acc ? rep->explain.acc[row].to_warm : SF_NONE;
    c[13].v = rep->clv.fitted ? rep->clv.acc_p_alive[a] : SF_NONE;
    c[14].v = rep->clv.fitted ? rep->clv.acc_clv[a] : SF_NONE;
}

const sf_list sf_list_accounts = {
    .name = "accounts",
    .sheet_key = "sheet_accounts",
    .cols = accounts_cols,
    .n_cols = (int)SF_ARRAY_LEN(accounts_cols),
    .count = accounts_count,
    .owner = accounts_owner,
    .row = accounts_row,
    .prefetch = accounts_prefetch,
};
