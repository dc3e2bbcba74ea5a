/*
 * an_explain.c - SPEC §9: every verdict says why, and what would change
 * it, in numbers equal to the lists'. The analysis computes the figures
 * that are not in another list (the tier cuts, what a client lacks to the
 * next tier or temperature, what ends a decline alert, the fire cut, the
 * deadlines of a deal); explain.csv is then one row per (list row, item),
 * read straight from the results when it is written.
 *
 * Every figure is exact: config fractions are ppm, products in __int128,
 * ceil and floor in integer arithmetic (§2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_list.h"

/* Items per row of each list explained, in §9's order. */
enum { N_ACC = 9, N_DEC = 3, N_CAD = 4, N_FIRE = 4, N_PIPE = 7 };

/* ceil(frac_ppm x v / 10^6) for v >= 0. */
static int64_t ceil_ppm(int64_t frac_ppm, int64_t v)
{
    return sf_div_ceil((__int128)frac_ppm * v, SF_PPM);
}

/* The smallest added current revenue that ends a decline alert (§9):
 * the alert holds while current x 10^6 <= (10^6 - min_drop_share) x prior
 * and prior - current >= min_drop_amount, so it ends at current =
 * floor((1 - share) x prior) + 0.01, or (amount > 0) at current = prior -
 * min_drop_amount + 0.01, whichever comes first; at least 0.01. */
int64_t sf_explain_to_clear(const sf_config *cfg, int64_t prior, int64_t current)
{
    __int128 keep = (__int128)(SF_PPM - cfg->min_drop_share) * prior;
    int64_t by_share = (int64_t)(keep / SF_PPM) + 1 - current; /* prior > 0: keep >= 0 */
    int64_t best = by_share;
    if (cfg->min_drop_amount > 0) {
        int64_t by_amount = prior - cfg->min_drop_amount + 1 - current;
        if (by_amount < best)
            best = by_amount;
    }
    return best < 1 ? 1 : best;
}

/* The keys of each benchmark level, ';'-joined. */
static void bench_keys(const sf_config *cfg, sf_explain_result *out)
{
    int nseg = cfg->n_segment_by < 8 ? cfg->n_segment_by : 8;
    for (int level = 1; level <= nseg; level++) {
        char *b = out->bench_keys[level - 1];
        size_t len = 0;
        for (int j = 0; j < level; j++) {
            int k = snprintf(b + len, SF_EXPLAIN_KEYS_MAX - len, "%s%s", j ? ";" : "",
                             sf_segment_key_name(cfg->segment_by[j]));
            if (k < 0 || (size_t)k >= SF_EXPLAIN_KEYS_MAX - len)
                break; /* eight short names always fit */
            len += (size_t)k;
        }
    }
}

/* A ppm value as a plain decimal without trailing zeros: 20000000 ->
 * "20", 20500000 -> "20.5". */
static void ppm_text(int64_t v, char out[32])
{
    int64_t ip = v / SF_PPM, fp = v % SF_PPM;
    int n = snprintf(out, 32, "%lld", (long long)ip);
    if (fp > 0 && n > 0) {
        char frac[8];
        snprintf(frac, sizeof frac, "%06lld", (long long)fp);
        size_t k = strlen(frac);
        while (k > 0 && frac[k - 1] == '0')
            k--;
        snprintf(out + n, 32 - (size_t)n, ".%.*s", (int)k, frac);
    }
}

/* The tier and temperature figures of account a into *x. */
static void account_figures(const sf_report *rep, uint32_t a, const sf_explain_result *e,
                            sf_explain_account *x)
{
    const sf_config *cfg = rep->cfg;
    const sf_account_result *r = &rep->tiers.acc[a];
    int64_t rev = rep->ds->accounts[a].rev12 > 0 ? rep->ds->accounts[a].rev12 : 0;
    int64_t next = SF_NONE;
    if (e->a_cut != SF_NONE && (r->tier == SF_TIER_B || r->tier == SF_TIER_C)) {
        next = (r->tier == SF_TIER_B ? e->a_cut : e->b_cut) - rev;
        if (next < 1)
            next = 1;
    }
    bool bench = r->bench_level > 0 && r->benchmark != SF_NONE;
    x->account = a;
    x->id = rep->ds->accounts[a].id;
    x->bench_level = bench ? r->bench_level : 0;
    x->bench_peers = bench ? r->bench_peers : 0;
    x->benchmark = bench ? r->benchmark : SF_NONE;
    x->to_next_tier = next;
    x->to_warm = r->temp == SF_TEMP_COLD ? ceil_ppm(cfg->cold_below, r->potential) - rev : SF_NONE;
    x->to_hot = r->temp != SF_TEMP_HOT ? ceil_ppm(cfg->hot_min, r->potential) - rev : SF_NONE;
}

void sf_explain_release(sf_explain_result *e)
{
    if (!e)
        return;
    free(e->acc);
    free(e->pos);
    free(e->to_clear);
    free(e->row_ids);
    free(e->cad_tier);
    memset(e, 0, sizeof *e);
}

/* Fills out (zeroed first; owns the arrays) from the other results of
 * rep. Returns SF_OK or SF_ERR_NOMEM (out released then). */
sf_err sf_analyze_explain(const sf_report *rep, sf_explain_result *out)
{
    const sf_dataset *ds = rep->ds;
    const sf_config *cfg = rep->cfg;
    size_t n = (size_t)ds->n_accounts + 1;
    memset(out, 0, sizeof *out);
    out->acc = malloc(n * sizeof *out->acc);
    out->pos = malloc(n * sizeof *out->pos);
    out->to_clear = malloc(((size_t)rep->decline.n + 1) * sizeof *out->to_clear);
    size_t n_ids = (size_t)rep->decline.n + rep->cadence.n + rep->fire.n + rep->pipeline.n;
    out->row_ids = malloc((n_ids + 1) * sizeof *out->row_ids);
    out->cad_tier = malloc((size_t)rep->cadence.n + 1);
    if (!out->acc || !out->pos || !out->to_clear || !out->row_ids || !out->cad_tier) {
        sf_explain_release(out);
        return SF_ERR_NOMEM;
    }
    int64_t L = rep->tiers.L;
    out->a_cut = L == SF_NONE ? SF_NONE : ceil_ppm(cfg->a_min, L);
    out->b_cut = L == SF_NONE ? SF_NONE : ceil_ppm(cfg->b_min, L);
    for (uint32_t i = 0; i < ds->n_accounts; i++) {
        uint32_t a = rep->tiers.order[i];
        account_figures(rep, a, out, &out->acc[i]);
        out->pos[a] = i;
    }
    for (uint32_t i = 0; i < rep->decline.n; i++)
        out->to_clear[i] = sf_explain_to_clear(cfg, rep->decline.rows[i].prior, rep->decline.rows[i].current);
    const char **id = out->row_ids;
    for (uint32_t i = 0; i < rep->decline.n; i++)
        *id++ = ds->accounts[rep->decline.rows[i].account].id;
    for (uint32_t i = 0; i < rep->cadence.n; i++) {
        *id++ = ds->accounts[rep->cadence.rows[i].account].id;
        out->cad_tier[i] = (uint8_t)rep->tiers.acc[rep->cadence.rows[i].account].tier;
    }
    for (uint32_t i = 0; i < rep->fire.n; i++)
        *id++ = ds->accounts[rep->fire.rows[i].account].id;
    for (uint32_t i = 0; i < rep->pipeline.n; i++)
        *id++ = ds->opps[rep->pipeline.rows[i].opp].id;
    out->cut_net_value = rep->fire.n ? rep->fire.rows[rep->fire.n - 1].net_value : SF_NONE;
    out->stale_after_days =
        (int64_t)((__int128)cfg->stale_factor * rep->pipeline.avg_cycle_days / SF_PPM);
    bench_keys(cfg, out);
    ppm_text(cfg->min_probability, out->min_probability);
    out->n_rows = (size_t)ds->n_accounts * N_ACC + (size_t)rep->decline.n * N_DEC +
                  (size_t)rep->cadence.n * N_CAD + (size_t)rep->fire.n * N_FIRE +
                  (size_t)rep->pipeline.n * N_PIPE;
    return SF_OK;
}

/* ---- explain.csv (SPEC §9) ------------------------------------------------- */

static const sf_column explain_cols[] = {
    SF_COLUMN("list", SF_COL_TEXT),
    SF_COLUMN("id", SF_COL_TEXT),
    SF_COLUMN("item", SF_COL_TEXT),
    SF_COLUMN("value", SF_COL_ANY),
};

static const char *const acc_items[N_ACC] = {
    "benchmark_keys", "benchmark_peers", "benchmark", "level_revenue", "a_cut",
    "b_cut",          "to_next_tier",    "to_warm",   "to_hot"};
static const char *const dec_items[N_DEC] = {"prior", "current", "to_clear"};
static const char *const cad_items[N_CAD] = {"interval_days", "last_contact", "channel", "reorder_pull"};
static const char *const fire_items[N_FIRE] = {"margin12", "cost12", "net_value", "cut_net_value"};
static const char *const pipe_items[N_PIPE] = {
    "avg_cycle_days", "next_step_date",   "latest_ok_next_step", "age_days",
    "stale_after_days", "probability", "min_probability"};

/* Which list row row is: the section (0 accounts .. 4 pipeline), the
 * row of that list and the item. */
typedef struct {
    int section;
    size_t row;
    int item;
    size_t id_at;  /* sections 1-4: index of the row's id in row_ids */
} explain_pos;

static explain_pos locate(const sf_report *rep, size_t row)
{
    const size_t len[5] = {(size_t)rep->ds->n_accounts * N_ACC, (size_t)rep->decline.n * N_DEC,
                           (size_t)rep->cadence.n * N_CAD, (size_t)rep->fire.n * N_FIRE,
                           (size_t)rep->pipeline.n * N_PIPE};
    const size_t rows[5] = {rep->ds->n_accounts, rep->decline.n, rep->cadence.n, rep->fire.n,
                            rep->pipeline.n};
    static const int items[5] = {N_ACC, N_DEC, N_CAD, N_FIRE, N_PIPE};
    int s = 0;
    size_t before = 0; /* rows of the sections 1.. before this one */
    while (s < 4 && row >= len[s]) {
        row -= len[s];
        before += s > 0 ? rows[s] : 0;
        s++;
    }
    explain_pos p = {s, row / (size_t)items[s], (int)(row % (size_t)items[s]), 0};
    p.id_at = before + p.row;
    return p;
}

static size_t explain_count(const sf_report *rep)
{
    return rep->explain.acc ? rep->explain.n_rows : 0;
}

static uint32_t explain_owner(const sf_report *rep, size_t row)
{
    explain_pos p = locate(rep, row);
    const sf_dataset *ds = rep->ds;
    switch (p.section) {
    case 0: return ds->accounts[rep->explain.acc[p.row].account].owner;
    case 1: return ds->accounts[rep->decline.rows[p.row].account].owner;
    case 2: return ds->accounts[rep->cadence.rows[p.row].account].owner;
    case 3: return ds->accounts[rep->fire.rows[p.row].account].owner;
    default: return ds->opps[rep->pipeline.rows[p.row].opp].owner;
    }
}

static void set_v(sf_cell *c, sf_col_type t, int64_t v)
{
    c->type = t;
    c->v = v;
}

static void set_text(sf_cell *c, const char *text)
{
    c->type = SF_COL_TEXT;
    c->text = text;
}

static void account_item(const sf_report *rep, const explain_pos *p, sf_cell *c)
{
    size_t row = p->row;
    int item = p->item;
    const sf_explain_result *e = &rep->explain;
    const sf_explain_account *x = &e->acc[row];
    /* the next accounts' ids are far apart in memory: fetch them while
     * this account's nine rows are written */
    if (item == 0 && row + 2 < rep->ds->n_accounts)
        __builtin_prefetch(e->acc[row + 2].id);
    c[0].text = "accounts";
    c[1].text = x->id;
    c[2].text = acc_items[item];
    switch (item) {
    case 0: set_text(&c[3], x->bench_level ? e->bench_keys[x->bench_level - 1] : NULL); break;
    case 1: set_v(&c[3], SF_COL_INT, x->bench_level ? (int64_t)x->bench_peers : SF_NONE); break;
    case 2: set_v(&c[3], SF_COL_MONEY, x->benchmark); break;
    case 3: set_v(&c[3], SF_COL_MONEY, rep->tiers.L); break;
    case 4: set_v(&c[3], SF_COL_MONEY, e->a_cut); break;
    case 5: set_v(&c[3], SF_COL_MONEY, e->b_cut); break;
    case 6: set_v(&c[3], SF_COL_MONEY, x->to_next_tier); break;
    case 7: set_v(&c[3], SF_COL_MONEY, x->to_warm); break;
    default: set_v(&c[3], SF_COL_MONEY, x->to_hot); break;
    }
}

/* The id of a row of sections 1-4, the id two rows on fetched ahead. */
static const char *row_id(const sf_report *rep, const explain_pos *p)
{
    const sf_explain_result *e = &rep->explain;
    size_t n = (size_t)rep->decline.n + rep->cadence.n + rep->fire.n + rep->pipeline.n;
    if (p->item == 0 && p->id_at + 2 < n)
        __builtin_prefetch(e->row_ids[p->id_at + 2]);
    return e->row_ids[p->id_at];
}

static void decline_item(const sf_report *rep, const explain_pos *p, sf_cell *c)
{
    size_t row = p->row;
    int item = p->item;
    const sf_decline_row *d = &rep->decline.rows[row];
    c[0].text = "decline_alerts";
    c[1].text = row_id(rep, p);
    c[2].text = dec_items[item];
    set_v(&c[3], SF_COL_MONEY, item == 0 ? d->prior : item == 1 ? d->current : rep->explain.to_clear[row]);
}

static void cadence_item(const sf_report *rep, const explain_pos *p, sf_cell *c)
{
    int item = p->item;
    const sf_cadence_row *d = &rep->cadence.rows[p->row];
    c[0].text = "cadence_due";
    c[1].text = row_id(rep, p);
    c[2].text = cad_items[item];
    switch (item) {
    case 0: set_v(&c[3], SF_COL_INT, rep->cfg->cadence_days[rep->explain.cad_tier[p->row]]); break;
    case 1: set_v(&c[3], SF_COL_DATE, d->last_contact); break;
    case 2: set_text(&c[3], d->channel); break;
    default: set_text(&c[3], rep->cadence.pulled && rep->cadence.pulled[d->account] ? "yes" : "no"); break;
    }
}

static void fire_item(const sf_report *rep, const explain_pos *p, sf_cell *c)
{
    int item = p->item;
    const sf_fire_row *d = &rep->fire.rows[p->row];
    c[0].text = "fire_candidates";
    c[1].text = row_id(rep, p);
    c[2].text = fire_items[item];
    int64_t v = item == 0 ? d->margin12 : item == 1 ? d->cost12 : item == 2 ? d->net_value
                                                                            : rep->explain.cut_net_value;
    set_v(&c[3], SF_COL_MONEY, v);
}

static void pipeline_item(const sf_report *rep, const explain_pos *p, sf_cell *c)
{
    int item = p->item;
    if (item == 0 && p->row + 2 < rep->pipeline.n)
        __builtin_prefetch(&rep->ds->opps[rep->pipeline.rows[p->row + 2].opp]);
    const sf_opportunity *o = &rep->ds->opps[rep->pipeline.rows[p->row].opp];
    const sf_date T = rep->as_of;
    int64_t cyc = rep->pipeline.avg_cycle_days;
    c[0].text = "pipeline";
    c[1].text = row_id(rep, p);
    c[2].text = pipe_items[item];
    switch (item) {
    case 0: set_v(&c[3], SF_COL_INT, cyc); break;
    case 1: set_v(&c[3], SF_COL_DATE, o->next_step_date); break;
    case 2: set_v(&c[3], SF_COL_DATE, (int64_t)T + cyc); break;
    case 3: set_v(&c[3], SF_COL_INT, o->created == SF_NODATE ? SF_NONE : (int64_t)T - o->created); break;
    case 4: set_v(&c[3], SF_COL_INT, rep->explain.stale_after_days); break;
    case 5: set_text(&c[3], o->probability_text); break;
    default: set_text(&c[3], rep->explain.min_probability); break;
    }
}

typedef void (*item_fn)(const sf_report *rep, const explain_pos *p, sf_cell *c);
static const item_fn section_fn[5] = {account_item, decline_item, cadence_item, fire_item, pipeline_item};

static void explain_row(const sf_report *rep, size_t row, sf_cell *c)
{
    explain_pos p = locate(rep, row);
    section_fn[p.section](rep, &p, c);
}

/* explain.csv straight into the CSV writer: the same cells as
 * explain_row, section by section, without finding each row's section
 * and item again (about ten rows per account). */
static void explain_write_csv(const sf_report *rep, sf_csv_sink *s)
{
    static const char *const *const items[5] = {acc_items, dec_items, cad_items, fire_items, pipe_items};
    static const int n_items[5] = {N_ACC, N_DEC, N_CAD, N_FIRE, N_PIPE};
    const size_t rows[5] = {rep->ds->n_accounts, rep->decline.n, rep->cadence.n, rep->fire.n,
                            rep->pipeline.n};
    if (!rep->explain.acc)
        return;
    size_t id_at = 0;
    for (int sec = 0; sec < 5; sec++) {
        size_t item_len[N_ACC];
        for (int i = 0; i < n_items[sec]; i++)
            item_len[i] = strlen(items[sec][i]);
        static const char *const lists[5] = {"accounts", "decline_alerts", "cadence_due",
                                             "fire_candidates", "pipeline"};
        const char *list = lists[sec];
        size_t list_len = strlen(list);
        sf_cell c[4];
        memset(c, 0, sizeof c);
        for (size_t r = 0; r < rows[sec]; r++, id_at += sec > 0) {
            for (int i = 0; i < n_items[sec]; i++) {
                explain_pos p = {sec, r, i, id_at};
                section_fn[sec](rep, &p, c);
                s->word(s, list, list_len);
                s->text(s, c[1].text);
                s->word(s, items[sec][i], item_len[i]);
                if (c[3].type == SF_COL_TEXT)
                    s->text(s, c[3].text);
                else
                    s->value(s, c[3].type, c[3].v);
                s->end_row(s);
            }
        }
    }
}

/* A CSV file only (sheet_key NULL): about ten rows per account is a list
 * for machines, and the workbook shows its figures where a person reads
 * them (the accounts sheet's "to next tier" and "to warm"). */
const sf_list sf_list_explain = {
    .name = "explain",
    .sheet_key = NULL,
    .cols = explain_cols,
    .n_cols = (int)SF_ARRAY_LEN(explain_cols),
    .count = explain_count,
    .owner = explain_owner,
    .row = explain_row,
    .write_csv = explain_write_csv,
};
