/*
 * clv_fit.c - maximum-likelihood fits of SPEC §11: the purchase models
 * nbd, bg_fixed and bgnbd, the choice between them by AIC, and the
 * Gamma-Gamma spend model with its own_mean fallback.
 *
 * Each fit minimises -loglik over the logarithms of its parameters (the
 * logit of pi) with GSL's vector_bfgs2 and the analytic gradient, from a
 * fixed start, until the relative change of the log-likelihood between
 * iterations is below 1e-12 (or the minimiser cannot improve). Same input,
 * same figures: every sum runs in a fixed order.
 *
 * Why the likelihood is cheap enough for 100,000 accounts at every step:
 * the observations are whole days, so ln(alpha + T_a) and ln(alpha + t_x)
 * are tables over the distinct ages and recencies, every term that
 * depends only on x (ln Gamma(r+x) - ln Gamma(r) = lnpoch(r, x), the Beta
 * ratio, their derivatives) is a table over the distinct x, and accounts
 * without a repeat purchase contribute through the per-age sums alone.
 * What is left per account with x > 0 is the log-sum-exp of the two
 * likelihood terms: one exp and one log1p.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_clv_int.h"

#define THETA_MAX 60.0  /* |log-parameter| beyond this is not a number we trust */
#define AIC_TIE 1e-6    /* AICs this close are a tie */

const char *sf_clv_model_name(sf_clv_model m)
{
    static const char *const names[SF_CLV_MODEL_N] = {"nbd", "bg_fixed", "bgnbd"};
    return (unsigned)m < SF_CLV_MODEL_N ? names[m] : "";
}

int sf_clv_model_k(sf_clv_model m)
{
    return m == SF_CLV_NBD ? 2 : m == SF_CLV_BG_FIXED ? 3 : 4;
}

const char *sf_clv_param_name(sf_clv_model m, int i)
{
    static const char *const bg[4] = {"r", "alpha", "a", "b"};
    if (m == SF_CLV_BG_FIXED && i == 2)
        return "pi";
    return i >= 0 && i < sf_clv_model_k(m) ? bg[i] : "";
}

/* ---- the prepared book -------------------------------------------------- */

typedef struct {
    uint32_t x, ia, ir; /* repeat purchases, index of the age, of the recency */
} rep_obs;

typedef struct {
    double n, sum_x;          /* accounts, total repeat purchases */
    uint32_t max_x;
    double *cnt_x;            /* [max_x + 1] accounts with that x */
    uint32_t *xs, n_xs;       /* the distinct x, ascending */
    double *age_t, *age_cnt, *age_sx; /* distinct ages (time units), accounts, sum of x */
    size_t n_age;
    double *rec_t;            /* distinct recencies of accounts with x > 0 */
    size_t n_rec;
    rep_obs *rep;             /* accounts with x > 0 */
    size_t n_rep;
    /* per evaluation */
    double *LT, *IT;          /* ln(alpha + T), 1/(alpha + T) per age */
    double *Lt, *It;          /* the same per recency */
    double *pre1, *pre2, *pre3; /* [max_x + 1]: the prefix sums of poch_steps, beta_steps */
    double *sig_x, *cx, *ibx; /* [max_x + 1] */
    sf_clv_model model;
} book;

static void book_free(book *b)
{
    free(b->cnt_x);
    free(b->xs);
    free(b->age_t);
    free(b->age_cnt);
    free(b->age_sx);
    free(b->rec_t);
    free(b->rep);
    free(b->LT);
    free(b->IT);
    free(b->Lt);
    free(b->It);
    free(b->pre1);
    free(b->pre2);
    free(b->pre3);
    free(b->sig_x);
    free(b->cx);
    free(b->ibx);
    memset(b, 0, sizeof *b);
}

/* Distinct values of v[0..n) (only where use[i], or all when use is
 * NULL) in ascending order into *vals (as time units), the index of each
 * into idx[i]; a direct map over 0..max. False on out of memory. */
static bool distinct(const sf_clv_obs *obs, size_t n, bool age, double unit, double **vals, size_t *nv,
                     uint32_t *idx)
{
    uint32_t max = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t v = age ? obs[i].age : obs[i].rec;
        if ((age || obs[i].x > 0) && v > max)
            max = v;
    }
    uint32_t *map = calloc((size_t)max + 1, sizeof *map);
    if (!map)
        return false;
    for (size_t i = 0; i < n; i++)
        if (age || obs[i].x > 0)
            map[age ? obs[i].age : obs[i].rec] = 1;
    size_t k = 0;
    for (uint32_t v = 0; v <= max; v++)
        if (map[v])
            map[v] = (uint32_t)++k; /* 1-based while building */
    *vals = malloc((k ? k : 1) * sizeof **vals);
    if (!*vals) {
        free(map);
        return false;
    }
    for (uint32_t v = 0; v <= max; v++)
        if (map[v])
            (*vals)[map[v] - 1] = (double)v / unit;
    for (size_t i = 0; i < n; i++)
        if (age || obs[i].x > 0)
            idx[i] = map[age ? obs[i].age : obs[i].rec] - 1;
    *nv = k;
    free(map);
    return true;
}

static bool book_new(book *b, const sf_clv_obs *obs, size_t n, double unit)
{
    memset(b, 0, sizeof *b);
    uint32_t *ia = malloc((n ? n : 1) * sizeof *ia), *ir = malloc((n ? n : 1) * sizeof *ir);
    bool ok = ia && ir && distinct(obs, n, true, unit, &b->age_t, &b->n_age, ia) &&
              distinct(obs, n, false, unit, &b->rec_t, &b->n_rec, ir);
    for (size_t i = 0; ok && i < n; i++) {
        if (obs[i].x > b->max_x)
            b->max_x = obs[i].x;
        b->n_rep += obs[i].x > 0;
    }
    size_t nx = (size_t)b->max_x + 1;
    if (ok) {
        b->cnt_x = calloc(nx, sizeof *b->cnt_x);
        b->xs = malloc(nx * sizeof *b->xs);
        b->age_cnt = calloc(b->n_age + 1, sizeof *b->age_cnt);
        b->age_sx = calloc(b->n_age + 1, sizeof *b->age_sx);
        b->rep = malloc((b->n_rep + 1) * sizeof *b->rep);
        b->LT = malloc((b->n_age + 1) * sizeof *b->LT);
        b->IT = malloc((b->n_age + 1) * sizeof *b->IT);
        b->Lt = malloc((b->n_rec + 1) * sizeof *b->Lt);
        b->It = malloc((b->n_rec + 1) * sizeof *b->It);
        b->pre1 = malloc(nx * sizeof *b->pre1);
        b->pre2 = malloc(nx * sizeof *b->pre2);
        b->pre3 = malloc(nx * sizeof *b->pre3);
        b->sig_x = calloc(nx, sizeof *b->sig_x);
        b->cx = calloc(nx, sizeof *b->cx);
        b->ibx = calloc(nx, sizeof *b->ibx);
        ok = b->cnt_x && b->xs && b->age_cnt && b->age_sx && b->rep && b->LT && b->IT && b->Lt &&
             b->It && b->pre1 && b->pre2 && b->pre3 && b->sig_x && b->cx && b->ibx;
    }
    if (ok) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            b->n += 1;
            b->sum_x += obs[i].x;
            b->cnt_x[obs[i].x] += 1;
            b->age_cnt[ia[i]] += 1;
            b->age_sx[ia[i]] += obs[i].x;
            if (obs[i].x > 0)
                b->rep[k++] = (rep_obs){obs[i].x, ia[i], ir[i]};
        }
        for (uint32_t x = 0; x <= b->max_x; x++)
            if (b->cnt_x[x] > 0)
                b->xs[b->n_xs++] = x;
    }
    free(ia);
    free(ir);
    if (!ok)
        book_free(b);
    return ok;
}

/* Finite sums over k < x, x = 0..max_x, as prefix sums: exact for whole x.
 * ln Gamma(v+x) - ln Gamma(v) = sum ln(v+k) and psi(v+x) - psi(v) =
 * sum 1/(v+k). Neither GSL's lnpoch nor a difference of digammas keeps
 * its digits once v is large (both subtract two numbers near v ln v), and
 * the ridges of SPEC §11 run to v -> infinity. */
static void poch_steps(double v, uint32_t max_x, double *lp, double *psi)
{
    lp[0] = psi[0] = 0;
    for (uint32_t k = 0; k < max_x; k++) {
        lp[k + 1] = lp[k] + log(v + k);
        psi[k + 1] = psi[k] + 1.0 / (v + k);
    }
}

/* The Beta ratio ln B(a, b+x) - ln B(a, b) = -sum_{k<x} ln(1 + a/(b+k))
 * into lb[x], its derivatives in a, -sum 1/(a+b+k), into da[x] and in b,
 * sum a/((b+k)(a+b+k)), into db[x]: each term on its own, so nothing
 * cancels as b grows. */
static void beta_steps(double a, double b, uint32_t max_x, double *lb, double *da, double *db)
{
    lb[0] = da[0] = db[0] = 0;
    for (uint32_t k = 0; k < max_x; k++) {
        lb[k + 1] = lb[k] - log1p(a / (b + k));
        da[k + 1] = da[k] - 1.0 / (a + b + k);
        db[k + 1] = db[k] + a / ((b + k) * (a + b + k));
    }
}

/* ---- the log-likelihoods and their gradients --------------------------- */

/* log(1 + e^s) and the logistic e^s / (1 + e^s), without overflow. */
static inline double softplus(double s, double *sigma)
{
    double e = exp(-fabs(s));
    *sigma = s > 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    return (s > 0 ? s : 0.0) + log1p(e);
}

/* The terms every model shares (the NBD part), per account
 *   lnpoch(r, x) + r ln alpha - (r+x) ln(alpha+T)
 *     = lnpoch(r, x) - r ln(1 + T/alpha) - x ln(alpha+T),
 * the second form so that nothing cancels when r and alpha grow together
 * (the Poisson limit): returns loglik, adds d loglik / dr and / dalpha to
 * *dr, *dal. */
static double ll_common(book *b, double r, double al, double *dr, double *dal)
{
    double ll = 0;
    for (size_t i = 0; i < b->n_age; i++) {
        double T = b->age_t[i], l1p = log1p(T / al);
        b->LT[i] = log(al + T);
        b->IT[i] = 1.0 / (al + T);
        ll -= r * b->age_cnt[i] * l1p + b->age_sx[i] * b->LT[i];
        *dr -= b->age_cnt[i] * l1p;
        /* d/dalpha: r T / (alpha (alpha+T)) - x / (alpha+T) */
        *dal += (r * b->age_cnt[i] * T / al - b->age_sx[i]) * b->IT[i];
    }
    poch_steps(r, b->max_x, b->pre1, b->pre2);
    for (uint32_t j = 0; j < b->n_xs; j++) {
        uint32_t x = b->xs[j];
        ll += b->cnt_x[x] * b->pre1[x];
        *dr += b->cnt_x[x] * b->pre2[x];
    }
    return ll;
}

/* The drop-out term over the accounts with x > 0: sum of log(1 + e^s),
 * s = c_x + (r+x) ln((alpha+T)/(alpha+t_x)); adds the r and alpha
 * derivatives and the sum of the logistic per x (sig_x) or in total. */
static double ll_dropout(book *b, double r, double al, const double *cx, bool per_x, double c, bool rough,
                         double *dr, double *dal, double *sig)
{
    size_t step = rough && b->n_rep >= SF_CLV_ROUGH_MIN ? SF_CLV_ROUGH_STEP : 1;
    for (size_t i = 0; i < b->n_rec; i++) {
        b->Lt[i] = log(al + b->rec_t[i]);
        b->It[i] = 1.0 / (al + b->rec_t[i]);
    }
    double ll = 0, gr = 0, ga = 0, st = 0;
    const double *LT = b->LT, *IT = b->IT, *Lt = b->Lt, *It = b->It;
    for (size_t i = 0; i < b->n_rep; i += step) {
        const rep_obs *o = &b->rep[i];
        double w = r + o->x, d = LT[o->ia] - Lt[o->ir], sg;
        ll += softplus((per_x ? cx[o->x] : c) + w * d, &sg);
        gr += sg * d;
        ga += sg * w * (IT[o->ia] - It[o->ir]);
        if (per_x)
            b->sig_x[o->x] += sg * (double)step;
        else
            st += sg;
    }
    *dr += gr * (double)step;
    *dal += ga * (double)step;
    *sig = st * (double)step;
    return ll * (double)step;
}

/* The BG/NBD's own terms: the Beta ratio and the drop-out term, with the
 * derivatives in a and b into *da, *db. */
static double ll_bgnbd(book *b, double r, double al, double a, double bb, bool rough, double *dr, double *dal,
                       double *da, double *db)
{
    double ll = 0, la = log(a), sig;
    beta_steps(a, bb, b->max_x, b->pre1, b->pre2, b->pre3);
    for (uint32_t j = 0; j < b->n_xs; j++) {
        uint32_t x = b->xs[j];
        ll += b->cnt_x[x] * b->pre1[x];
        *da += b->cnt_x[x] * b->pre2[x];
        *db += b->cnt_x[x] * b->pre3[x];
        b->sig_x[x] = 0;
        /* x = 0 has no drop-out term: 0 here, never a stale value that
         * 0 x inf would turn into NaN below */
        b->cx[x] = x > 0 ? la - log(bb + x - 1) : 0;
        b->ibx[x] = x > 0 ? 1.0 / (bb + x - 1) : 0;
    }
    ll += ll_dropout(b, r, al, b->cx, true, 0, rough, dr, dal, &sig);
    for (uint32_t j = 0; j < b->n_xs; j++) {
        uint32_t x = b->xs[j];
        *da += b->sig_x[x] / a;
        *db -= b->sig_x[x] * b->ibx[x];
    }
    return ll;
}

/* -loglik of the book at theta (log-parameters; logit pi) and its
 * gradient g in theta; +inf outside the trusted range. rough: the
 * drop-out term over a sample of the accounts (sf_clv_objective). */
static double neg_ll(book *b, const double *th, double *g, bool rough)
{
    int k = sf_clv_model_k(b->model);
    for (int i = 0; i < k; i++)
        if (!(fabs(th[i]) <= THETA_MAX)) {
            for (int j = 0; j < k; j++)
                g[j] = 0;
            return HUGE_VAL;
        }
    double r = exp(th[0]), al = exp(th[1]), dr = 0, dal = 0, sig = 0;
    double ll = ll_common(b, r, al, &dr, &dal);
    if (b->model == SF_CLV_BG_FIXED) {
        /* th[2] = logit pi = ln(pi / (1 - pi)); ln(1 - pi) = -softplus(th[2]) */
        double pi = 1.0 / (1.0 + exp(-th[2])), unused;
        ll -= b->sum_x * softplus(th[2], &unused);
        ll += ll_dropout(b, r, al, NULL, false, th[2], rough, &dr, &dal, &sig);
        g[2] = -(sig - pi * b->sum_x);
    } else if (b->model == SF_CLV_BGNBD) {
        double a = exp(th[2]), bb = exp(th[3]), da = 0, db = 0;
        ll += ll_bgnbd(b, r, al, a, bb, rough, &dr, &dal, &da, &db);
        g[2] = -a * da;
        g[3] = -bb * db;
    }
    g[0] = -r * dr;
    g[1] = -al * dal;
    return isfinite(ll) ? -ll : HUGE_VAL;
}

static double book_objective(void *ctx, const double *th, double *g, bool rough)
{
    return neg_ll(ctx, th, g, rough);
}

/* Fit model m from th (log-parameters) into *out. False on out of memory. */
static bool fit_model(book *b, sf_clv_model m, double *th, sf_clv_fit *out)
{
    memset(out, 0, sizeof *out);
    b->model = m;
    int k = sf_clv_model_k(m);
    double f = sf_clv_minimise(book_objective, b, k, th, &out->iterations, &out->converged);
    if (isnan(f))
        return false;
    out->ok = isfinite(f);
    if (!out->ok)
        return true;
    out->loglik = -f;
    out->aic = 2.0 * k + 2.0 * f;
    out->par[0] = exp(th[0]);
    out->par[1] = exp(th[1]);
    if (m == SF_CLV_BG_FIXED) {
        out->par[2] = 1.0 / (1.0 + exp(-th[2]));
    } else if (m == SF_CLV_BGNBD) {
        out->par[2] = exp(th[2]);
        out->par[3] = exp(th[3]);
    }
    for (int i = 0; i < k; i++)
        out->ok = out->ok && isfinite(out->par[i]) && out->par[i] > 0;
    return true;
}

/* ---- Gamma-Gamma -------------------------------------------------------- */

typedef struct {
    size_t n;
    uint32_t max_x;
    double *cnt_x;   /* accounts per x */
    uint32_t *xs, n_xs;
    uint32_t *x;     /* per account */
    double *mm;      /* m / geometric mean of m */
    double s_lm, s_xlm, s_xlx; /* sum ln m', sum x ln m', sum x ln x */
} spend_book;

static void spend_free(spend_book *s)
{
    free(s->cnt_x);
    free(s->xs);
    free(s->x);
    free(s->mm);
    memset(s, 0, sizeof *s);
}

/* -loglik of the scaled mean order values at th = ln(p, q, gamma'). The
 * per-x terms ln Gamma(px+q) - ln Gamma(px) - ln Gamma(q) = -ln B(px, q)
 * and the digammas are computed once per distinct x. */
static double spend_neg_ll(void *ctx, const double *th, double *g, bool rough)
{
    const spend_book *s = ctx;
    size_t step = rough && s->n >= SF_CLV_ROUGH_MIN ? SF_CLV_ROUGH_STEP : 1;
    for (int i = 0; i < 3; i++)
        if (!(fabs(th[i]) <= THETA_MAX)) {
            g[0] = g[1] = g[2] = 0;
            return HUGE_VAL;
        }
    double p = exp(th[0]), q = exp(th[1]), ga = exp(th[2]), n = (double)s->n;
    double psi_q = gsl_sf_psi(q), lga = log(ga);
    double ll = n * q * lga + p * (s->s_xlm + s->s_xlx) - s->s_lm;
    double dp = s->s_xlm + s->s_xlx, dq = n * (lga - psi_q), dg = n * q / ga;
    for (uint32_t j = 0; j < s->n_xs; j++) {
        uint32_t x = s->xs[j];
        double c = s->cnt_x[x], px = p * x;
        double dpsi = gsl_sf_psi(px + q);
        ll -= c * gsl_sf_lnbeta(px, q);
        dp += c * x * (dpsi - gsl_sf_psi(px));
        dq += c * dpsi;
    }
    double sl = 0, sxl = 0, si = 0, sll = 0;
    for (size_t i = 0; i < s->n; i += step) {
        double x = s->x[i], v = ga + x * s->mm[i], w = p * x + q;
        double l = log(v);
        sl += w * l;
        sxl += x * l;
        si += w / v;
        sll += l;
    }
    ll -= sl * (double)step;
    dp -= sxl * (double)step;
    dg -= si * (double)step;
    dq -= sll * (double)step;
    g[0] = -p * dp;
    g[1] = -q * dq;
    g[2] = -ga * dg;
    return isfinite(ll) ? -ll : HUGE_VAL;
}

static bool spend_book_new(spend_book *s, const sf_clv_obs *obs, size_t n, double *gmean, double *mean_m)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < n; i++)
        if (obs[i].x > 0 && obs[i].m > 0) {
            s->n++;
            if (obs[i].x > s->max_x)
                s->max_x = obs[i].x;
        }
    s->cnt_x = calloc((size_t)s->max_x + 1, sizeof *s->cnt_x);
    s->xs = malloc(((size_t)s->max_x + 1) * sizeof *s->xs);
    s->x = malloc((s->n + 1) * sizeof *s->x);
    s->mm = malloc((s->n + 1) * sizeof *s->mm);
    if (!s->cnt_x || !s->xs || !s->x || !s->mm) {
        spend_free(s);
        return false;
    }
    double slm = 0, sm = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (obs[i].x > 0 && obs[i].m > 0) {
            s->x[k] = obs[i].x;
            s->mm[k++] = obs[i].m;
            slm += log(obs[i].m);
            sm += obs[i].m;
            s->cnt_x[obs[i].x] += 1;
        }
    *gmean = s->n ? exp(slm / (double)s->n) : 1;
    *mean_m = s->n ? sm / (double)s->n : 0;
    for (size_t i = 0; i < s->n; i++) {
        s->mm[i] /= *gmean;
        double lm = log(s->mm[i]), lx = log((double)s->x[i]);
        s->s_lm += lm;
        s->s_xlm += s->x[i] * lm;
        s->s_xlx += s->x[i] * lx;
    }
    for (uint32_t x = 1; x <= s->max_x; x++)
        if (s->cnt_x[x] > 0)
            s->xs[s->n_xs++] = x;
    return true;
}

static bool in_range(double v)
{
    return v >= 0.001 && v <= 1000;
}

/* Fits Gamma-Gamma on obs into *out and decides between it and own_mean.
 * False on out of memory. */
static bool fit_spend(const sf_clv_obs *obs, size_t n, sf_clv_spend *out)
{
    memset(out, 0, sizeof *out);
    spend_book s;
    double gm;
    if (!spend_book_new(&s, obs, n, &gm, &out->mean_m))
        return false;
    out->accounts = (uint32_t)s.n;
    bool ok = true;
    if (s.n > 0) {
        /* from p = q = gamma' = 1 (m scaled to a geometric mean of 1) */
        double th[3] = {0, 0, 0};
        bool conv;
        double f = sf_clv_minimise(spend_neg_ll, &s, 3, th, &out->iterations, &conv);
        ok = !isnan(f);
        double p = exp(th[0]), q = exp(th[1]), g = exp(th[2]);
        out->gammagamma = ok && isfinite(f) && in_range(p) && in_range(q) && in_range(g) && q > 1;
        if (out->gammagamma) {
            out->p = p;
            out->q = q;
            out->gamma = g * gm;
            /* the density of m is that of m' = m / gm over gm */
            out->loglik = -f - (double)s.n * log(gm);
        }
    }
    spend_free(&s);
    return ok;
}

/* ---- the whole fit ------------------------------------------------------- */

/* What one thread fits: a model from a start (or none), then optionally
 * the spend model. Each thread has its own book (the tables it fills at
 * every evaluation). */
typedef struct {
    const sf_clv_obs *obs;
    size_t n;
    double unit;
    sf_clv_model model;
    double th[4];
    sf_clv_fit *fit;
    sf_clv_spend *spend; /* NULL: no spend fit here */
    bool ok;             /* false: out of memory */
} fit_job;

static void *run_job(void *arg)
{
    fit_job *j = arg;
    book b;
    j->ok = book_new(&b, j->obs, j->n, j->unit);
    if (j->ok)
        j->ok = fit_model(&b, j->model, j->th, j->fit);
    book_free(&b);
    if (j->ok && j->spend)
        j->ok = fit_spend(j->obs, j->n, j->spend);
    return NULL;
}

sf_err sf_clv_fit_book(const sf_clv_obs *obs, size_t n, double unit, bool threads, sf_clv_fits *out)
{
    memset(out, 0, sizeof *out);
    out->chosen = SF_CLV_NBD;
    sf_clv_gsl_quiet();
    /* nbd from r = 1 and the alpha of the mean purchase rate (E[x] = r
     * T / alpha); the drop-out models from the nbd's (r, alpha), bg_fixed
     * with pi = 0.1, bgnbd with a = b = 1 */
    double mean_T = 0, sum_x = 0;
    for (size_t i = 0; i < n; i++) {
        mean_T += obs[i].age / unit;
        sum_x += obs[i].x;
    }
    double alpha0 = mean_T > 0 && sum_x > 0 ? mean_T / sum_x : 1.0;
    fit_job nbd = {obs, n, unit, SF_CLV_NBD, {0, log(alpha0), 0, 0}, &out->fit[SF_CLV_NBD], NULL, false};
    run_job(&nbd);
    if (!nbd.ok)
        return SF_ERR_NOMEM;
    double r0 = nbd.fit->ok ? nbd.th[0] : 0, a0 = nbd.fit->ok ? nbd.th[1] : log(alpha0);
    /* bg_fixed and the spend model on a second thread while bgnbd runs
     * here: each fit is sequential, so the figures do not depend on it */
    fit_job side = {obs, n, unit, SF_CLV_BG_FIXED, {r0, a0, log(0.1 / 0.9), 0},
                    &out->fit[SF_CLV_BG_FIXED], &out->spend, false};
    fit_job main = {obs, n, unit, SF_CLV_BGNBD, {r0, a0, 0, 0}, &out->fit[SF_CLV_BGNBD], NULL, false};
    pthread_t tid;
    bool threaded = threads && pthread_create(&tid, NULL, run_job, &side) == 0;
    if (!threaded)
        run_job(&side);
    run_job(&main);
    if (threaded)
        pthread_join(tid, NULL);
    if (!side.ok || !main.ok)
        return SF_ERR_NOMEM;
    bool any = false;
    for (int m = 0; m < SF_CLV_MODEL_N; m++) {
        if (!out->fit[m].ok)
            continue;
        /* a lower AIC by more than a rounding error; a tie keeps fewer
         * parameters (the models are in that order) */
        if (!any || out->fit[m].aic < out->fit[out->chosen].aic - AIC_TIE)
            out->chosen = (sf_clv_model)m;
        any = true;
    }
    return SF_OK;
}
