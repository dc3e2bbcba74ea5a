/*
 * clv_expect.c - the per-account figures of SPEC §11 under a fitted model:
 * p_alive, the expected purchases over a horizon, the expected order
 * value; and the log-likelihood of one book written out term by term
 * (the tests hold the fits' table-driven sums against it).
 *
 * The BG/NBD expectation has the Gauss hypergeometric function in it,
 *   E = ((a+b+x-1)/(a-1)) [1 - (1-z)^(r+x) 2F1(r+x, b+x; a+b+x-1; z)],
 *   z = t / (alpha + T + t),
 * which misbehaves three ways as written: (1-z)^(r+x) 2F1(...) is a tiny
 * number times a huge one for a frequent buyer as z nears 1, a = 1 is 0/0,
 * and GSL's series for large r+x, b+x gives up. Euler's transformation
 * 2F1(A, B; C; z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z) turns the product
 * into (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z): the x only in C, so
 * the series converges the faster the more the account bought, and the
 * second parameter a-1 shows the factor that cancels the 1/(a-1):
 *   E = C [-expm1((a-1) ln(1-z)) - (1-z)^(a-1) (F - 1)] / (a-1).
 * Near a = 1 (|a-1| < 1e-5) E is interpolated between a = 1 -+ 1e-5 (it
 * is smooth in a; the error is of order 1e-10). For z above 0.5 GSL
 * itself reflects to 1-z when the parameters are small. Where GSL still
 * reports an error, or an estimate worse than 1e-8, the same expectation
 * is computed as its Beta integral by adaptive quadrature.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_hyperg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_clv_int.h"

#define A_NEAR_ONE 1e-5

/* 1 / (1 + e^s) without overflow. */
static double logistic_neg(double s)
{
    if (s > 0) {
        double e = exp(-s);
        return e / (1.0 + e);
    }
    return 1.0 / (1.0 + exp(s));
}

/* s of p_alive = 1 / (1 + e^s) for x > 0: ln(odds of having dropped out
 * after the last purchase) + (r+x) ln((alpha+T)/(alpha+t_x)). */
static double dropout_logodds(double c, double r, double al, uint32_t x, double tx, double T)
{
    return c + (r + x) * (log(al + T) - log(al + tx));
}

double sf_clv_p_alive(sf_clv_model m, const double *par, uint32_t x, double tx, double T)
{
    if (m == SF_CLV_NBD || x == 0)
        return 1.0;
    double c = m == SF_CLV_BG_FIXED ? log(par[2]) - log1p(-par[2])
                                    : log(par[2]) - log(par[3] + x - 1);
    return logistic_neg(dropout_logodds(c, par[0], par[1], x, tx, T));
}

/* ---- the Beta integral ---------------------------------------------------- */

/* The memory of the nodes: u -> u^(1/a) and ln(1 - u^(1/a)) for one a,
 * open addressing on u's bits; full at half its slots, after which a
 * node not in it is computed each time. */
#define NODES_CAP 65536
struct sf_clv_nodes {
    double a;         /* the a of the entries (NAN: none yet) */
    size_t n;
    uint64_t key[NODES_CAP];
    unsigned char used[NODES_CAP];
    double p[NODES_CAP], l1mp[NODES_CAP];
};

sf_clv_nodes *sf_clv_nodes_new(void)
{
    sf_clv_nodes *m = calloc(1, sizeof *m);
    if (m)
        m->a = NAN;
    return m;
}

void sf_clv_nodes_free(sf_clv_nodes *m) { free(m); }

typedef struct {
    double a, beta, w, tau, lnorm;
    sf_clv_nodes *nodes; /* NULL: none */
} quad_ctx;

/* p = u^(1/a) and, for p < 1, ln(1 - p), computed or remembered. */
static double node(const quad_ctx *q, double u, double *l1mp)
{
    sf_clv_nodes *m = q->nodes;
    if (!m || m->a != q->a) {
        if (m && m->n == 0)
            m->a = q->a; /* the first a is the one remembered */
        else
            m = NULL;
    }
    uint64_t k;
    memcpy(&k, &u, sizeof k);
    size_t i = 0;
    if (m) {
        i = (size_t)((k * UINT64_C(0x9E3779B97F4A7C15)) >> 48) & (NODES_CAP - 1);
        while (m->used[i] && m->key[i] != k)
            i = (i + 1) & (NODES_CAP - 1);
        if (m->used[i]) {
            *l1mp = m->l1mp[i];
            return m->p[i];
        }
    }
    double p = pow(u, 1.0 / q->a);
    *l1mp = p < 1.0 ? log1p(-p) : 0.0;
    if (m && m->n < NODES_CAP / 2) {
        m->used[i] = 1;
        m->key[i] = k;
        m->p[i] = p;
        m->l1mp[i] = *l1mp;
        m->n++;
    }
    return p;
}

/* The integrand after p = u^(1/a) (p^(a-1) dp = du / a), which takes the
 * p^(a-1) singularity at 0 away: g(p) (1-p)^(beta-1) / (a B(a, beta)),
 * g(p) = (1 - (1 + p tau)^-w) / p, g(0) = w tau. */
static double quad_integrand(double u, void *params)
{
    const quad_ctx *q = params;
    double l1mp;
    double p = node(q, u, &l1mp);
    double g = p > 0 ? -expm1(-q->w * log1p(p * q->tau)) / p : q->w * q->tau;
    if (p >= 1.0)
        return 0.0;
    return g * exp((q->beta - 1.0) * l1mp + q->lnorm);
}

static double alive_expected_quad(const double *par, uint32_t x, double T, double t, sf_clv_nodes *nodes)
{
    double r = par[0], al = par[1], a = par[2], b = par[3];
    quad_ctx q = {a, b + x, r + x, t / (al + T), 0, nodes};
    sf_clv_gsl_quiet();
    q.lnorm = -gsl_sf_lnbeta(a, b + x) - log(a);
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(256);
    if (!ws)
        return NAN;
    gsl_function F = {quad_integrand, &q};
    double v = NAN, err;
    /* the singularity that is left ((1-p)^(beta-1) at u = 1 when b+x < 1)
     * is integrable: QAGS extrapolates it away */
    (void)gsl_integration_qags(&F, 0.0, 1.0, 0.0, 1e-11, 256, ws, &v, &err);
    gsl_integration_workspace_free(ws);
    return v;
}

double sf_clv_bgnbd_alive_expected_quad(const double *par, uint32_t x, double T, double t)
{
    return alive_expected_quad(par, x, T, t, NULL);
}

/* ---- the closed form ------------------------------------------------------ */

/* E by the Euler-transformed closed form; NAN where it cannot be trusted. */
static double alive_expected_closed(double r, double al, double a, double b, uint32_t x, double T,
                                    double t)
{
    double L = -log1p(t / (al + T)); /* ln(1 - z) */
    double z = t / (al + T + t);
    double C = a + b + x - 1.0;
    gsl_sf_result F;
    int st = gsl_sf_hyperg_2F1_e(a + b - 1.0 - r, a - 1.0, C, z, &F);
    if (st != GSL_SUCCESS || !isfinite(F.val) || !(F.err <= 1e-8 * fabs(F.val) + 1e-300))
        return NAN;
    double bracket = -expm1((a - 1.0) * L) - exp((a - 1.0) * L) * (F.val - 1.0);
    double v = C * bracket / (a - 1.0);
    return isfinite(v) && v >= 0 ? v : NAN;
}

double sf_clv_bgnbd_alive_expected(const double *par, uint32_t x, double T, double t)
{
    return sf_clv_bgnbd_alive_expected_m(par, x, T, t, NULL);
}

double sf_clv_bgnbd_alive_expected_m(const double *par, uint32_t x, double T, double t, sf_clv_nodes *nodes)
{
    double r = par[0], al = par[1], a = par[2], b = par[3];
    if (!(t > 0))
        return 0.0;
    sf_clv_gsl_quiet();
    double v;
    if (fabs(a - 1.0) < A_NEAR_ONE) {
        /* a = 1 is a removable singularity: the line through a = 1 -+ h */
        double lo = alive_expected_closed(r, al, 1.0 - A_NEAR_ONE, b, x, T, t);
        double hi = alive_expected_closed(r, al, 1.0 + A_NEAR_ONE, b, x, T, t);
        v = lo + (a - (1.0 - A_NEAR_ONE)) / (2.0 * A_NEAR_ONE) * (hi - lo);
    } else {
        v = alive_expected_closed(r, al, a, b, x, T, t);
    }
    if (!isfinite(v))
        v = alive_expected_quad(par, x, T, t, nodes);
    return v;
}

double sf_clv_expected(sf_clv_model m, const double *par, uint32_t x, double tx, double T, double t)
{
    double r = par[0], al = par[1];
    switch (m) {
    case SF_CLV_NBD:
        return t * (r + x) / (al + T);
    case SF_CLV_BG_FIXED: {
        double pi = par[2];
        /* (1/pi) (1 - ((alpha+T)/(alpha+T+pi t))^(r+x)) */
        double alive = -expm1(-(r + x) * log1p(pi * t / (al + T))) / pi;
        return sf_clv_p_alive(m, par, x, tx, T) * alive;
    }
    default:
        return sf_clv_p_alive(m, par, x, tx, T) * sf_clv_bgnbd_alive_expected(par, x, T, t);
    }
}

double sf_clv_order_value(const sf_clv_spend *s, uint32_t x, double m)
{
    if (!s->gammagamma)
        return x > 0 ? m : s->mean_m;
    if (x == 0)
        return s->p * s->gamma / (s->q - 1.0);
    return (s->gamma + x * m) * s->p / (s->p * x + s->q - 1.0);
}

/* ---- the log-likelihood, term by term ------------------------------------- */

double sf_clv_loglik(sf_clv_model m, const double *par, const sf_clv_obs *obs, size_t n, double unit)
{
    double r = par[0], al = par[1], ll = 0;
    sf_clv_gsl_quiet();
    for (size_t i = 0; i < n; i++) {
        double x = obs[i].x, T = obs[i].age / unit, tx = obs[i].rec / unit;
        double l = gsl_sf_lngamma(r + x) - gsl_sf_lngamma(r) + r * log(al) - (r + x) * log(al + T);
        double c = 0;
        if (m == SF_CLV_BG_FIXED) {
            l += x * log1p(-par[2]);
            c = log(par[2]) - log1p(-par[2]);
        } else if (m == SF_CLV_BGNBD) {
            l += gsl_sf_lnbeta(par[2], par[3] + x) - gsl_sf_lnbeta(par[2], par[3]);
            c = x > 0 ? log(par[2]) - log(par[3] + x - 1) : 0;
        }
        if (m != SF_CLV_NBD && obs[i].x > 0) {
            /* ln(1 + e^s): the two terms of the likelihood, summed in logs */
            double s = dropout_logodds(c, r, al, obs[i].x, tx, T);
            l += (s > 0 ? s : 0) + log1p(exp(-fabs(s)));
        }
        ll += l;
    }
    return ll;
}
