/*
 * an_clv.c - SPEC §11: which clients are still alive, and what will they
 * bring over the next horizon_days. Each account with a purchase day on
 * or before T becomes one observation (repeat purchase days, recency,
 * age, mean repeat order value), the models of clv_fit.c are fitted on
 * the book, and every observation gets p_alive, expected purchases,
 * expected order value and clv under the chosen models. Lists clv.csv and
 * clv_model.csv.
 *
 * Purchase days are the dates whose transactions sum to more than 0, as
 * in §8 but over the whole history up to T (several invoices on one day
 * are one purchase). The other analyses never read this result: their
 * lists stay exact whatever the fit does.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_list.h"

void sf_clv_release(sf_clv_result *c)
{
    if (!c)
        return;
    free(c->rows);
    free(c->acc_p_alive);
    free(c->acc_clv);
    free(c->at_risk);
    memset(c, 0, sizeof *c);
}

/* The observation of account a as of T and its revenue to date (cents);
 * false when it has no purchase day on or before T. */
static bool observe(const sf_dataset *ds, uint32_t a, sf_date T, sf_clv_obs *o, int64_t *revenue)
{
    uint32_t n;
    const sf_tx_day *d = sf_account_days(ds, a, &n);
    sf_date first = SF_NODATE, last = SF_NODATE;
    uint32_t days = 0;
    int64_t total = 0, first_sum = 0; /* bounded by the book's total: no overflow */
    for (uint32_t i = 0; i < n && d[i].date <= T; i++) {
        if (d[i].amount <= 0)
            continue;
        if (days++ == 0) {
            first = d[i].date;
            first_sum = d[i].amount;
        }
        total += d[i].amount;
        last = d[i].date;
    }
    if (days == 0)
        return false;
    o->x = days - 1;
    o->rec = (uint32_t)(last - first);
    o->age = (uint32_t)(T - first);
    o->m = o->x > 0 ? (double)(total - first_sum) / o->x / 100.0 : 0.0;
    *revenue = total;
    return true;
}

/* ---- the BG/NBD expectation once per (x, age) ---------------------------- */

/* An open-addressing table of (x, age) -> the expectation of an account
 * alive at T: most books have far fewer such pairs than accounts, and the
 * hypergeometric function (or, where GSL gives up on it, the Beta
 * integral by quadrature) is the costly part of the figures. The table is
 * filled in three steps: the distinct pairs (memo_add), their values on
 * two threads (each value depends on its pair alone, so the figures do
 * not depend on who computed it), then read-only lookups (memo_get). */
typedef struct {
    uint64_t *key; /* (x << 32 | age) + 1; 0 = empty */
    double *val;
    size_t mask;
    size_t *todo;  /* the slots of the distinct pairs, in first-seen order */
    size_t n_todo;
} pair_memo;

static bool memo_new(pair_memo *m, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    m->key = calloc(cap, sizeof *m->key);
    m->val = malloc(cap * sizeof *m->val);
    m->todo = malloc((n + 1) * sizeof *m->todo);
    m->mask = cap - 1;
    m->n_todo = 0;
    return m->key && m->val && m->todo;
}

static void memo_free(pair_memo *m)
{
    free(m->key);
    free(m->val);
    free(m->todo);
}

static size_t memo_slot(const pair_memo *m, uint64_t k)
{
    size_t i = (size_t)((k * UINT64_C(0x9E3779B97F4A7C15)) >> 17) & m->mask;
    while (m->key[i] && m->key[i] != k)
        i = (i + 1) & m->mask;
    return i;
}

static void memo_add(pair_memo *m, uint32_t x, uint32_t age)
{
    uint64_t k = ((uint64_t)x << 32 | age) + 1;
    size_t i = memo_slot(m, k);
    if (!m->key[i]) {
        m->key[i] = k;
        m->todo[m->n_todo++] = i;
    }
}

static double memo_get(const pair_memo *m, uint32_t x, uint32_t age)
{
    return m->val[memo_slot(m, ((uint64_t)x << 32 | age) + 1)];
}

/* ---- the figures ------------------------------------------------------- */

/* v x scale rounded half away from zero into *out; false when it is not a
 * finite number that fits. */
static bool fixed(double v, double scale, int64_t *out)
{
    double s = v * scale;
    if (!isfinite(s) || fabs(s) > 9.0e18)
        return false;
    *out = llround(s);
    return true;
}

/* One thread's share of the figures: the pairs part, of every stride-th
 * pair from first, then the rows [from, to). */
typedef struct {
    const sf_config *cfg;
    const sf_clv_obs *obs;
    const uint32_t *acc;
    const int64_t *rev;
    sf_clv_result *out;
    pair_memo *memo;
    size_t first, stride; /* pairs */
    uint32_t from, to;    /* rows */
    bool ok;              /* false: a figure is not finite */
} figure_job;

static void *pair_values(void *arg)
{
    figure_job *j = arg;
    const sf_clv_fits *F = &j->out->fits;
    double u = (double)j->cfg->clv_time_unit_days, t = (double)j->cfg->clv_horizon_days / u;
    pair_memo *m = j->memo;
    for (size_t p = j->first; p < m->n_todo; p += j->stride) {
        size_t i = m->todo[p];
        uint64_t k = m->key[i] - 1;
        m->val[i] = sf_clv_bgnbd_alive_expected(F->fit[SF_CLV_BGNBD].par, (uint32_t)(k >> 32),
                                                (uint32_t)k / u, t);
    }
    return NULL;
}

/* Fills rows [from, to) from the fitted models; ok false when a figure is
 * not finite (the caller says so and writes no row). */
static void *row_figures(void *arg)
{
    figure_job *j = arg;
    const sf_clv_fits *F = &j->out->fits;
    sf_clv_model m = F->chosen;
    const double *par = F->fit[m].par;
    double u = (double)j->cfg->clv_time_unit_days, t = (double)j->cfg->clv_horizon_days / u;
    sf_clv_result *out = j->out;
    j->ok = true;
    for (uint32_t i = j->from; i < j->to; i++) {
        const sf_clv_obs *o = &j->obs[i];
        double tx = o->rec / u, T = o->age / u;
        double p = sf_clv_p_alive(m, par, o->x, tx, T);
        double e = m == SF_CLV_BGNBD ? p * memo_get(j->memo, o->x, o->age)
                                     : sf_clv_expected(m, par, o->x, tx, T, t);
        double ov = sf_clv_order_value(&F->spend, o->x, o->m);
        sf_clv_row *r = &out->rows[i];
        r->account = j->acc[i];
        r->repeat_purchases = o->x;
        r->recency_days = o->rec;
        r->age_days = o->age;
        r->revenue = j->rev[i];
        /* clv is the product of the unrounded figures, rounded to cents */
        if (!fixed(p, SF_E4, &r->p_alive) || !fixed(e, SF_E4, &r->expected) ||
            !fixed(ov, 100, &r->order_value) || !fixed(e * ov, 100, &r->clv)) {
            j->ok = false;
            return NULL;
        }
        out->acc_p_alive[j->acc[i]] = r->p_alive;
        out->acc_clv[j->acc[i]] = r->clv;
    }
    return NULL;
}

/* fn on both jobs, the second on a thread of its own when threads (and
 * one can be started), else here after the first. */
static void both(void *(*fn)(void *), figure_job *jobs, bool threads)
{
    pthread_t tid;
    bool threaded = threads && pthread_create(&tid, NULL, fn, &jobs[1]) == 0;
    fn(&jobs[0]);
    if (threaded)
        pthread_join(tid, NULL);
    else
        fn(&jobs[1]);
}

/* The rows' figures under the fitted models, the BG/NBD expectation once
 * per distinct (x, age), each step shared by two threads; false when a
 * figure is not finite. */
static bool figures(const sf_config *cfg, bool threads, const sf_clv_obs *obs, const uint32_t *acc,
                    const int64_t *rev, uint32_t n, sf_clv_result *out, pair_memo *memo)
{
    figure_job jobs[2];
    for (int k = 0; k < 2; k++)
        jobs[k] = (figure_job){cfg, obs, acc, rev, out, memo, (size_t)k, 2, k ? n / 2 : 0, k ? n : n / 2, true};
    if (out->fits.chosen == SF_CLV_BGNBD) {
        for (uint32_t i = 0; i < n; i++)
            memo_add(memo, obs[i].x, obs[i].age);
        both(pair_values, jobs, threads);
    }
    both(row_figures, jobs, threads);
    return jobs[0].ok && jobs[1].ok;
}

/* v with six significant digits as a plain decimal number, never with an
 * exponent ("-2665680", "0.00602615"): a spreadsheet reads it as a
 * number, and the formula guard leaves it alone. Rounded once, by printf
 * at the sixth digit; out holds 48 bytes (|v| within e^+-60 here). */
void sf_clv_fmt6(double v, char *out, size_t cap)
{
    char e[32];
    if (v == 0 || !isfinite(v)) {
        snprintf(out, cap, v == 0 ? "0" : "");
        return;
    }
    snprintf(e, sizeof e, "%.5e", v); /* "-2.66568e+06": the digits and the exponent */
    const char *x = strchr(e, 'e');
    int exp10 = x ? atoi(x + 1) : 0;
    if (exp10 >= 5) {
        /* an integer: the six digits, then zeros */
        size_t w = 0;
        for (const char *p = e; p < x && w + 1 < cap; p++)
            if (*p != '.')
                out[w++] = *p;
        for (int k = 5; k < exp10 && w + 1 < cap; k++)
            out[w++] = '0';
        out[w] = 0;
        return;
    }
    snprintf(out, cap, "%.*f", 5 - exp10, v);
    char *dot = strchr(out, '.');
    if (dot) {
        char *end = out + strlen(out);
        while (end > dot + 1 && end[-1] == '0')
            *--end = 0;
        if (end == dot + 1)
            *dot = 0;
    }
}

/* clv_model.csv: the chosen purchase model, the AIC of the others, the
 * spend model. */
static void model_row(sf_clv_result *out, const char *model, const char *param, double v, bool count)
{
    if (out->n_model_rows >= (int)SF_ARRAY_LEN(out->model_rows))
        return;
    sf_clv_model_row *r = &out->model_rows[out->n_model_rows++];
    r->model = model;
    r->param = param;
    if (!isfinite(v))
        r->value[0] = '\0';
    else if (count)
        snprintf(r->value, sizeof r->value, "%.0f", v);
    else
        sf_clv_fmt6(v, r->value, sizeof r->value);
}

static void model_rows(sf_clv_result *out)
{
    const sf_clv_fits *F = &out->fits;
    sf_clv_model m = F->chosen;
    const char *name = sf_clv_model_name(m);
    for (int i = 0; i < sf_clv_model_k(m); i++)
        model_row(out, name, sf_clv_param_name(m, i), F->fit[m].par[i], false);
    model_row(out, name, "loglik", F->fit[m].loglik, false);
    model_row(out, name, "aic", F->fit[m].aic, false);
    model_row(out, name, "accounts", out->modelled, true);
    for (int o = 0; o < SF_CLV_MODEL_N; o++)
        if (o != (int)m)
            model_row(out, sf_clv_model_name((sf_clv_model)o), "aic",
                      F->fit[o].ok ? F->fit[o].aic : NAN, false);
    if (F->spend.gammagamma) {
        model_row(out, "gammagamma", "p", F->spend.p, false);
        model_row(out, "gammagamma", "q", F->spend.q, false);
        model_row(out, "gammagamma", "gamma", F->spend.gamma, false);
        model_row(out, "gammagamma", "loglik", F->spend.loglik, false);
        model_row(out, "gammagamma", "accounts", F->spend.accounts, true);
    } else {
        model_row(out, "own_mean", "accounts", F->spend.accounts, true);
    }
}

static bool presort(sf_clv_result *out);

/* Fit and figures on the observations; false on out of memory (a
 * figure that is not finite is not a failure: out->why says so). */
static bool fit_and_figure(const sf_config *cfg, bool threads, const sf_clv_obs *obs, const uint32_t *acc,
                           const int64_t *rev, uint32_t n, sf_clv_result *out)
{
    if (sf_clv_fit_book(obs, n, (double)cfg->clv_time_unit_days, threads, &out->fits) != SF_OK)
        return false;
    pair_memo memo = {0};
    out->rows = malloc(((size_t)n + 1) * sizeof *out->rows);
    bool ok = out->rows && memo_new(&memo, n);
    if (ok && figures(cfg, threads, obs, acc, rev, n, out, &memo)) {
        out->fitted = true;
        out->n = n;
        model_rows(out);
        ok = presort(out);
    } else if (ok) {
        out->state = SF_CLV_NOT_FINITE;
        snprintf(out->why, sizeof out->why,
                 "expected value: the fitted models gave a figure that is not a number; "
                 "clv.csv and clv_model.csv are left empty");
    }
    memo_free(&memo);
    return ok;
}

sf_err sf_analyze_clv(const sf_dataset *ds, const sf_config *cfg, bool threads, sf_clv_result *out)
{
    double t0 = sf_now_s();
    memset(out, 0, sizeof *out);
    out->enabled = cfg->clv_enabled;
    if (!out->enabled)
        return SF_OK;
    size_t na = ds->n_accounts;
    sf_clv_obs *obs = malloc((na + 1) * sizeof *obs);
    uint32_t *acc = malloc((na + 1) * sizeof *acc);
    int64_t *rev = malloc((na + 1) * sizeof *rev);
    out->acc_p_alive = malloc((na + 1) * sizeof *out->acc_p_alive);
    out->acc_clv = malloc((na + 1) * sizeof *out->acc_clv);
    bool ok = obs && acc && rev && out->acc_p_alive && out->acc_clv;
    uint32_t n = 0, repeaters = 0;
    for (uint32_t a = 0; ok && a < na; a++) {
        out->acc_p_alive[a] = out->acc_clv[a] = SF_NONE;
        if (observe(ds, a, ds->as_of, &obs[n], &rev[n])) {
            repeaters += obs[n].x > 0;
            acc[n++] = a;
        }
    }
    out->modelled = n;
    if (ok && (int64_t)n < cfg->clv_min_accounts) {
        out->state = SF_CLV_TOO_FEW;
        snprintf(out->why, sizeof out->why,
                 "expected value: %u clients with a purchase on or before the as-of date, fewer "
                 "than [clv] min_accounts = %lld; clv.csv and clv_model.csv are left empty",
                 n, (long long)cfg->clv_min_accounts);
    } else if (ok && repeaters == 0) {
        out->state = SF_CLV_NO_REPEAT;
        snprintf(out->why, sizeof out->why,
                 "expected value: no client bought on a second day; clv.csv and clv_model.csv "
                 "are left empty");
    } else if (ok) {
        ok = fit_and_figure(cfg, threads, obs, acc, rev, n, out);
    }
    free(obs);
    free(acc);
    free(rev);
    if (!ok) {
        sf_clv_release(out);
        return SF_ERR_NOMEM;
    }
    out->seconds = sf_now_s() - t0;
    return SF_OK;
}

/* ---- the order of the rows and the clients at risk ---------------------- *
 *
 * The list's order is clv descending, then account_id; the id ranks come
 * from the tiers, which run on the other thread. So the rows are sorted
 * here by clv and account index (presort, beside the tiers), and only the
 * runs of equal clv are put in id order once both are done (sf_clv_order). */

typedef struct {
    int64_t key;        /* clv, or revenue to date */
    uint32_t group;     /* 0, or the rank of the owner's name */
    uint32_t tie;       /* account index, or rank of the account id */
    uint32_t idx;       /* the row */
} clv_item;

/* group, then key descending, then tie. */
static int cmp_item(const void *pa, const void *pb)
{
    const clv_item *a = pa, *b = pb;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    if (a->key != b->key)
        return a->key > b->key ? -1 : 1;
    return (a->tie > b->tie) - (a->tie < b->tie);
}

/* Sort rows[from, to) by the items' order. */
static bool permute(sf_clv_row *rows, const clv_item *it, uint32_t from, uint32_t to)
{
    sf_clv_row *tmp = malloc(((size_t)(to - from) + 1) * sizeof *tmp);
    if (!tmp)
        return false;
    for (uint32_t i = from; i < to; i++)
        tmp[i - from] = rows[it[i - from].idx];
    memcpy(rows + from, tmp, (size_t)(to - from) * sizeof *tmp);
    free(tmp);
    return true;
}

/* The rows by clv descending, then account index; and the revenue to
 * date from which a client is valuable: that of the client at place
 * ceil(n / 4) by revenue (the top quarter, ties in). The rows come in
 * account order, so a stable sort by clv alone gives that order. */
static bool presort(sf_clv_result *out)
{
    uint32_t n = out->n;
    uint64_t *key = malloc(((size_t)n + 1) * sizeof *key);
    uint32_t *idx = malloc(((size_t)n + 1) * sizeof *idx);
    clv_item *it = calloc((size_t)n + 1, sizeof *it);
    bool ok = key && idx && it;
    if (ok) {
        for (uint32_t i = 0; i < n; i++) {
            key[i] = ~sf_sort_key_i64(out->rows[i].clv);
            idx[i] = i;
        }
        ok = sf_sort_u64(key, idx, n);
    }
    if (ok) {
        for (uint32_t i = 0; i < n; i++)
            it[i].idx = idx[i];
        ok = permute(out->rows, it, 0, n);
    }
    if (ok) {
        for (uint32_t i = 0; i < n; i++)
            key[i] = ~sf_sort_key_i64(out->rows[i].revenue);
        ok = sf_sort_u64(key, NULL, n);
        out->valuable_from = (int64_t)(~key[(n + 3) / 4 - 1] ^ ((uint64_t)1 << 63));
    }
    free(key);
    free(idx);
    free(it);
    return ok;
}

/* The clients at risk: valuable, p_alive below 0.5; by owner name, then
 * revenue descending, then account id. it: room for n items. */
static bool pick_at_risk(sf_clv_result *out, const uint32_t *owner_rank, const sf_dataset *ds,
                         const sf_tiers_result *t, clv_item *it)
{
    out->at_risk = malloc(((size_t)out->n + 1) * sizeof *out->at_risk);
    if (!out->at_risk)
        return false;
    uint32_t m = 0;
    for (uint32_t i = 0; i < out->n; i++) {
        const sf_clv_row *r = &out->rows[i];
        if (r->revenue < out->valuable_from || r->p_alive >= SF_E4 / 2)
            continue;
        it[m++] = (clv_item){r->revenue, owner_rank[ds->accounts[r->account].owner],
                             t->id_rank[r->account], i};
    }
    qsort(it, m, sizeof *it, cmp_item);
    for (uint32_t i = 0; i < m; i++)
        out->at_risk[i] = it[i].idx;
    out->n_at_risk = m;
    return true;
}

sf_err sf_clv_order(const sf_dataset *ds, const sf_tiers_result *t, sf_clv_result *out)
{
    if (out->n == 0 || !t->id_rank)
        return SF_OK;
    clv_item *it = malloc((size_t)out->n * sizeof *it);
    uint32_t *owner_rank = calloc((size_t)ds->n_owners + 1, sizeof *owner_rank);
    bool ok = it && owner_rank;
    /* the runs of equal clv (many a 0.00) in account_id order */
    for (uint32_t i = 0, j; ok && i < out->n; i = j) {
        for (j = i + 1; j < out->n && out->rows[j].clv == out->rows[i].clv; j++)
            ;
        if (j - i < 2)
            continue;
        for (uint32_t k = i; k < j; k++)
            it[k - i] = (clv_item){0, 0, t->id_rank[out->rows[k].account], k};
        qsort(it, j - i, sizeof *it, cmp_item);
        ok = permute(out->rows, it, i, j);
    }
    for (uint32_t k = 0; ok && k < ds->n_owners; k++)
        owner_rank[ds->owner_order ? ds->owner_order[k] : k] = k;
    ok = ok && pick_at_risk(out, owner_rank, ds, t, it);
    free(it);
    free(owner_rank);
    return ok ? SF_OK : SF_ERR_NOMEM;
}

/* ---- clv.csv and clv_model.csv (SPEC §11) ------------------------------ */

static const sf_column clv_cols[] = {
    SF_COLUMN("account_id", SF_COL_TEXT),         SF_COLUMN("name", SF_COL_TEXT),
    SF_COLUMN("owner", SF_COL_TEXT),              SF_COLUMN("tier", SF_COL_TIER),
    SF_COLUMN("repeat_purchases", SF_COL_INT),    SF_COLUMN("recency_days", SF_COL_INT),
    SF_COLUMN("age_days", SF_COL_INT),            SF_COLUMN("p_alive", SF_COL_SHARE),
    SF_COLUMN("expected_purchases", SF_COL_DECIMAL), SF_COLUMN("expected_order_value", SF_COL_MONEY),
    SF_COLUMN("clv", SF_COL_MONEY),
};

static bool clv_present(const sf_report *rep) { return rep->clv.enabled; }

static size_t clv_count(const sf_report *rep) { return rep->clv.fitted ? rep->clv.n : 0; }

static uint32_t clv_owner(const sf_report *rep, size_t row)
{
    return rep->ds->accounts[rep->clv.rows[row].account].owner;
}

static void clv_prefetch(const sf_report *rep, size_t row)
{
    sf_report_account_prefetch(rep, rep->clv.rows[row].account);
}

static void clv_row(const sf_report *rep, size_t row, sf_cell *c)
{
    const sf_clv_row *r = &rep->clv.rows[row];
    sf_report_account_cells(rep, r->account, c);
    c[4].v = r->repeat_purchases;
    c[5].v = r->recency_days;
    c[6].v = r->age_days;
    c[7].v = r->p_alive;
    c[8].v = r->expected;
    c[9].v = r->order_value;
    c[10].v = r->clv;
}

const sf_list sf_list_clv = {
    .name = "clv",
    .sheet_key = "sheet_clv",
    .cols = clv_cols,
    .n_cols = (int)SF_ARRAY_LEN(clv_cols),
    .present = clv_present,
    .count = clv_count,
    .owner = clv_owner,
    .row = clv_row,
    .prefetch = clv_prefetch,
};

static const sf_column clv_model_cols[] = {
    SF_COLUMN("model", SF_COL_TEXT),
    SF_COLUMN("param", SF_COL_TEXT),
    SF_COLUMN("value", SF_COL_TEXT),
};

static size_t clv_model_count(const sf_report *rep)
{
    return rep->clv.fitted ? (size_t)rep->clv.n_model_rows : 0;
}

static uint32_t clv_model_owner(const sf_report *rep, size_t row)
{
    (void)rep;
    (void)row;
    return SF_OWNER_ALL;
}

static void clv_model_row(const sf_report *rep, size_t row, sf_cell *c)
{
    const sf_clv_model_row *r = &rep->clv.model_rows[row];
    c[0].text = r->model;
    c[1].text = r->param;
    c[2].text = r->value;
}

const sf_list sf_list_clv_model = {
    .name = "clv_model",
    .sheet_key = "sheet_clv_model",
    .cols = clv_model_cols,
    .n_cols = (int)SF_ARRAY_LEN(clv_model_cols),
    .present = clv_present,
    .count = clv_model_count,
    .owner = clv_model_owner,
    .row = clv_model_row,
};
