/*
 * an_pipeline.c - SPEC §3.6: the two-filter qualification of open
 * opportunities. Filter 1 is about the client (ideal-client criteria,
 * judged for every account: fire reads it as icp_miss), filter 2 about the
 * deal (a next step inside the average sales cycle, not stale, probable,
 * a decision-maker on it).
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_list.h"

/* Case-insensitive membership of a data value in a configured list (the
 * list was lower-cased at load time). NULL/empty value: no match. */
static bool in_list(const sf_valmap *m, const char *value)
{
    if (!value || !*value)
        return false;
    for (size_t i = 0; i < m->values.n; i++)
        if (sf_utf8_ieq(value, m->values.v[i]))
            return true;
    return false;
}

static bool list_set(const sf_valmap *m)
{
    return m->set && m->values.n > 0;
}

/* in_list answers remembered by value: a book repeats a few industries,
 * regions and fit labels a hundred thousand times, and each answer
 * compares lower-cased copies. */
#define MEMO_N 16
#define MEMO_KEY 48
typedef struct {
    char key[MEMO_N][MEMO_KEY];
    bool val[MEMO_N];
    unsigned n, next;
} list_memo;

static bool in_list_memo(list_memo *mm, const sf_valmap *m, const char *value)
{
    if (!value || !*value)
        return false;
    size_t len = strlen(value);
    if (len >= MEMO_KEY)
        return in_list(m, value);
    for (unsigned i = 0; i < mm->n; i++)
        if (memcmp(mm->key[i], value, len + 1) == 0)
            return mm->val[i];
    bool v = in_list(m, value);
    unsigned slot = mm->n < MEMO_N ? mm->n++ : mm->next++ % MEMO_N;
    memcpy(mm->key[slot], value, len + 1);
    mm->val[slot] = v;
    return v;
}

typedef struct {
    list_memo industry, region, fit;
} f1_memo;

/* Filter 1 misses of an account (NULL = the opportunity names no known
 * account: every criterion that is set fails). */
static unsigned f1_misses(const sf_config *cfg, const sf_account *a, f1_memo *mm)
{
    unsigned m = 0;
    if (list_set(&cfg->ic_industries) && (!a || !in_list_memo(&mm->industry, &cfg->ic_industries, a->industry)))
        m |= SF_F1_INDUSTRY;
    if (cfg->has_min_employees || cfg->has_max_employees) {
        if (!a || a->employees == SF_NONE ||
            (cfg->has_min_employees && a->employees < cfg->min_employees) ||
            (cfg->has_max_employees && a->employees > cfg->max_employees))
            m |= SF_F1_EMPLOYEES;
    }
    if (list_set(&cfg->ic_regions) && (!a || !in_list_memo(&mm->region, &cfg->ic_regions, a->region)))
        m |= SF_F1_REGION;
    if (cfg->has_min_company_revenue &&
        (!a || a->company_revenue == SF_NONE || a->company_revenue < cfg->min_company_revenue))
        m |= SF_F1_COMPANY_REVENUE;
    if (list_set(&cfg->ic_fit_values) && (!a || !in_list_memo(&mm->fit, &cfg->ic_fit_values, a->fit)))
        m |= SF_F1_FIT;
    return m;
}

typedef struct {
    sf_pipeline_row row;
    int64_t amount;
    const char *id;
} pipe_item;

/* verdict, amount descending (empty last), opportunity_id. */
static int cmp_pipe(const void *pa, const void *pb)
{
    const pipe_item *a = pa, *b = pb;
    if (a->row.verdict != b->row.verdict)
        return a->row.verdict < b->row.verdict ? -1 : 1;
    if (a->amount != b->amount) {
        if (a->amount == SF_NONE)
            return 1;
        if (b->amount == SF_NONE)
            return -1;
        return a->amount > b->amount ? -1 : 1;
    }
    return strcmp(a->id, b->id);
}

/* Does the title on the deal (else the account's main contact) name a
 * decision-maker? */
static bool has_decision_maker(const sf_config *cfg, const sf_opportunity *o,
                               const sf_account *a)
{
    const char *title = o->contact_title && *o->contact_title ? o->contact_title
                        : a ? a->contact_title : NULL;
    if (!title || !*title)
        return false;
    for (size_t i = 0; i < cfg->decision_titles.values.n; i++)
        if (sf_utf8_icontains(title, cfg->decision_titles.values.v[i]))
            return true;
    return false;
}

/* Fills out (zeroed first; owns rows and account_f1_fail). Returns SF_OK
 * or SF_ERR_NOMEM (out released then). */
sf_err sf_analyze_pipeline(const sf_dataset *ds, const sf_config *cfg, sf_pipeline_result *out)
{
    const sf_date T = ds->as_of;
    int64_t *cycles = NULL;
    pipe_item *it = NULL;
    unsigned *acc_f1 = NULL;
    f1_memo *memo = NULL;

    memset(out, 0, sizeof *out);
    out->f1_configured = list_set(&cfg->ic_industries) || cfg->has_min_employees ||
                         cfg->has_max_employees || list_set(&cfg->ic_regions) ||
                         cfg->has_min_company_revenue || list_set(&cfg->ic_fit_values);
    out->account_f1_fail = calloc(ds->n_accounts ? ds->n_accounts : 1,
                                  sizeof *out->account_f1_fail);
    acc_f1 = malloc((ds->n_accounts ? ds->n_accounts : 1) * sizeof *acc_f1);
    memo = calloc(1, sizeof *memo);
    if (!out->account_f1_fail || !acc_f1 || !memo)
        goto nomem;
    for (uint32_t a = 0; a < ds->n_accounts; a++) {
        acc_f1[a] = f1_misses(cfg, &ds->accounts[a], memo);
        out->account_f1_fail[a] = acc_f1[a] != 0;
    }

    /* Average sales cycle: lower median over won deals closed by T. */
    size_t no = ds->n_opps ? ds->n_opps : 1;
    cycles = malloc(no * sizeof *cycles);
    it = malloc(no * sizeof *it);
    if (!cycles || !it)
        goto nomem;
    uint32_t nc = 0;
    for (uint32_t i = 0; i < ds->n_opps; i++) {
        const sf_opportunity *o = &ds->opps[i];
        if (o->status == SF_ST_WON && o->created != SF_NODATE &&
            o->close_date != SF_NODATE && o->close_date <= T)
            cycles[nc++] = (int64_t)o->close_date - o->created;
    }
    out->measured_cycle_days = SF_NONE;
    if ((int64_t)nc < cfg->min_won || nc == 0) {
        out->avg_cycle_days = cfg->default_cycle_days;
        out->avg_cycle_default = true;
    } else {
        out->avg_cycle_days = out->measured_cycle_days = sf_select_i64(cycles, nc, (nc - 1) / 2);
        /* deals entered at close (created the day they are won) measure
         * no sales cycle: below min_cycle_days the default stands in */
        if (out->measured_cycle_days < cfg->min_cycle_days) {
            out->avg_cycle_days = cfg->default_cycle_days;
            out->avg_cycle_default = out->cycle_too_short = true;
        }
    }
    const int64_t cyc = out->avg_cycle_days;
    const bool prob_mapped =
        ds->files[SF_FILE_OPPORTUNITIES].mapped_header[SF_OF_PROBABILITY] != NULL;
    /* a criterion whose field no column holds is skipped, as probability
     * is (docs/analyses.md): without a next-step date no deal could pass */
    out->next_step_skipped = ds->files[SF_FILE_OPPORTUNITIES].mapped_header[SF_OF_NEXT_STEP_DATE] == NULL;

    uint32_t m = 0;
    for (uint32_t i = 0; i < ds->n_opps; i++) {
        const sf_opportunity *o = &ds->opps[i];
        if (o->status != SF_ST_OPEN || o->created == SF_NODATE || o->created > T)
            continue;
        const sf_account *a = o->account != SF_NO_ACCOUNT ? &ds->accounts[o->account] : NULL;
        unsigned f1 = a ? acc_f1[o->account] : f1_misses(cfg, NULL, memo), f2 = 0;
        if (out->next_step_skipped)
            ; /* no next-step column: nothing to judge */
        else if (o->next_step_date == SF_NODATE)
            f2 |= SF_F2_NO_NEXT_STEP;
        else if (o->next_step_date < T)
            f2 |= SF_F2_NEXT_STEP_OVERDUE;
        else if ((int64_t)o->next_step_date > (int64_t)T + cyc)
            f2 |= SF_F2_NEXT_STEP_TOO_FAR;
        /* T - created > stale_factor x avg_cycle, stale_factor in ppm */
        if ((__int128)((int64_t)T - o->created) * SF_PPM > (__int128)cfg->stale_factor * cyc)
            f2 |= SF_F2_STALE;
        if (prob_mapped && (o->probability == SF_NONE || o->probability < cfg->min_probability))
            f2 |= SF_F2_LOW_PROBABILITY;
        if (cfg->require_decision_maker && !has_decision_maker(cfg, o, a))
            f2 |= SF_F2_NO_DECISION_MAKER;
        it[m].row.opp = i;
        it[m].row.f1_misses = f1;
        it[m].row.f2_misses = f2;
        it[m].row.verdict = f1 ? SF_VERDICT_DROP : f2 ? SF_VERDICT_QUALIFY : SF_VERDICT_PURSUE;
        it[m].amount = o->amount;
        it[m].id = o->id;
        m++;
    }
    qsort(it, m, sizeof *it, cmp_pipe);
    out->rows = malloc((size_t)(m ? m : 1) * sizeof *out->rows);
    if (!out->rows)
        goto nomem;
    for (uint32_t i = 0; i < m; i++)
        out->rows[i] = it[i].row;
    out->n = m;
    free(cycles);
    free(it);
    free(acc_f1);
    free(memo);
    return SF_OK;

nomem:
    free(cycles);
    free(it);
    free(acc_f1);
    free(memo);
    free(out->account_f1_fail);
    free(out->rows);
    memset(out, 0, sizeof *out);
    return SF_ERR_NOMEM;
}

/* ---- pipeline.csv --------------------------------------------------------------- */

/* The deal's and the account's names stand beside their ids in the
 * workbook, the report and the email; pipeline.csv keeps SPEC §4's
 * columns (sheet_only). */
static const sf_column pipeline_cols[] = {
    SF_COLUMN("opportunity_id", SF_COL_TEXT), SF_COLUMN_SHEET("deal_name", SF_COL_TEXT),
    SF_COLUMN("account_id", SF_COL_TEXT), SF_COLUMN_SHEET("account_name", SF_COL_TEXT),
    SF_COLUMN("owner", SF_COL_TEXT),
    SF_COLUMN("stage", SF_COL_TEXT), SF_COLUMN("amount", SF_COL_MONEY), SF_COLUMN("probability", SF_COL_PERCENT),
    SF_COLUMN("next_step_date", SF_COL_DATE), SF_COLUMN_WORDS("filter1", "filter_"),
    SF_COLUMN_FLAGS("filter1_misses", sf_f1_miss_name, SF_F1_MISS_N, "miss_"),
    SF_COLUMN_WORDS("filter2", "filter_"),
    SF_COLUMN_FLAGS("filter2_misses", sf_f2_miss_name, SF_F2_MISS_N, "miss_"),
    SF_COLUMN_WORDS("verdict", "verdict_"),
};

static size_t pipeline_count(const sf_report *rep) { return rep->pipeline.n; }

static uint32_t pipeline_owner(const sf_report *rep, size_t row)
{
    return rep->ds->opps[rep->pipeline.rows[row].opp].owner;
}

static const char *pipeline_key(const sf_report *rep, size_t row)
{
    return rep->ds->opps[rep->pipeline.rows[row].opp].id;
}

/* The deal's record of this row, and the account record of the deal of
 * four rows back (whose record was asked for four calls ago): the rows
 * by verdict and amount jump about the deals, and the deals about the
 * accounts. */
static void pipeline_prefetch(const sf_report *rep, size_t row)
{
    const sf_opportunity *op = &rep->ds->opps[rep->pipeline.rows[row].opp];
    __builtin_prefetch(&op->id);
    __builtin_prefetch(&op->account);
    if (row >= 4) {
        const sf_opportunity *back = &rep->ds->opps[rep->pipeline.rows[row - 4].opp];
        if (back->account != SF_NO_ACCOUNT)
            __builtin_prefetch(&rep->ds->accounts[back->account].name);
    }
}

static void pipeline_row(const sf_report *rep, size_t row, sf_cell *c)
{
    const sf_pipeline_row *r = &rep->pipeline.rows[row];
    const sf_opportunity *op = &rep->ds->opps[r->opp];
    c[0].text = op->id;
    c[1].text = op->name;
    c[2].text = op->account_id;
    c[3].text = op->account != SF_NO_ACCOUNT ? rep->ds->accounts[op->account].name : NULL;
    c[4].text = sf_report_owner_name(rep, op->owner);
    c[5].text = op->stage;
    c[6].v = op->amount;
    c[7].text = op->probability != SF_NONE ? op->probability_text : NULL;
    c[7].v = op->probability;
    c[8].v = op->next_step_date;
    c[9].text = r->f1_misses ? "fail" : "pass";
    c[10].v = r->f1_misses;
    c[11].text = r->f2_misses ? "fail" : "pass";
    c[12].v = r->f2_misses;
    c[13].text = sf_verdict_name(r->verdict);
}

const sf_list sf_list_pipeline = {
    .name = "pipeline",
    .sheet_key = "sheet_pipeline",
    .cols = pipeline_cols,
    .n_cols = (int)SF_ARRAY_LEN(pipeline_cols),
    .count = pipeline_count,
    .owner = pipeline_owner,
    .row = pipeline_row,
    .prefetch = pipeline_prefetch,
    .key = pipeline_key,
};
