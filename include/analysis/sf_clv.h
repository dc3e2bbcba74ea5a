/*
 * sf_clv.h - the expected-value models of SPEC §11: BG/NBD with its two
 * limit models (nbd: nobody drops out; bg_fixed: one drop-out probability
 * for all) and Gamma-Gamma spend, fitted by maximum likelihood, and the
 * per-account figures they give (p_alive, expected purchases, expected
 * order value).
 *
 * The fit reads one observation per modelled account, in whole days (the
 * dataset's purchase days), and the time unit u in days: x repeat
 * purchase days, t_x = rec / u, T_a = age / u. Everything here is plain
 * arithmetic on doubles with GSL's special functions and minimiser: no
 * dataset, no report (an_clv.c builds the observations and the lists).
 * Same input, same figures: the fits start from fixed points and stop on
 * a fixed rule (docs/clv.md).
 */
#ifndef SF_CLV_H
#define SF_CLV_H

#include "base/sf_common.h"

/* The purchase models, by number of parameters (the AIC tie order). */
typedef enum { SF_CLV_NBD = 0, SF_CLV_BG_FIXED, SF_CLV_BGNBD, SF_CLV_MODEL_N } sf_clv_model;

/* "nbd" "bg_fixed" "bgnbd" (the clv_model list's words). */
const char *sf_clv_model_name(sf_clv_model m);
/* Parameters: nbd 2 (r, alpha), bg_fixed 3 (r, alpha, pi), bgnbd 4 (r,
 * alpha, a, b). */
int sf_clv_model_k(sf_clv_model m);
/* The name of parameter i of m ("r" "alpha" "pi" "a" "b"). */
const char *sf_clv_param_name(sf_clv_model m, int i);

/* One modelled account: a first purchase day on or before T. */
typedef struct {
    uint32_t x;   /* repeat purchase days (purchase days - 1) */
    uint32_t rec; /* last - first purchase day, days */
    uint32_t age; /* T - first purchase day, days */
    double m;     /* x > 0: mean of the repeat purchase days' sums, in
                   * currency units; 0 when x = 0 */
} sf_clv_obs;

/* A fitted purchase model. */
typedef struct {
    bool ok;         /* the fit ended on finite values */
    double par[4];   /* as sf_clv_param_name orders them */
    double loglik;   /* at par */
    double aic;      /* 2k - 2 loglik */
    int iterations;  /* of the minimiser */
    bool converged;  /* stopped by the rule, not by the iteration cap */
} sf_clv_fit;

/* The spend model: Gamma-Gamma when it has an interior fit, else each
 * account's own mean. */
typedef struct {
    bool gammagamma;    /* p, q, gamma are used (else own_mean) */
    double p, q, gamma; /* gamma in currency units */
    double loglik;      /* of the mean order values, currency units */
    uint32_t accounts;  /* accounts with x > 0 */
    double mean_m;      /* mean of every m (x > 0): the own_mean figure for x = 0 */
    int iterations;
} sf_clv_spend;

/* Every fit of a book. */
typedef struct {
    sf_clv_fit fit[SF_CLV_MODEL_N]; /* by sf_clv_model */
    sf_clv_model chosen;            /* the lowest AIC; a tie keeps fewer parameters */
    sf_clv_spend spend;
} sf_clv_fits;

/* Fits nbd, bg_fixed, bgnbd and Gamma-Gamma on obs[0..n) (unit = days per
 * time unit); threads: bg_fixed and the spend model on a second thread
 * (the same figures either way). Needs an account with x > 0 for
 * meaningful purchase fits. SF_OK, or SF_ERR_NOMEM; a model whose fit
 * failed has ok = false (never nbd on data with a repeat purchase). */
sf_err sf_clv_fit_book(const sf_clv_obs *obs, size_t n, double unit, bool threads, sf_clv_fits *out);

/* The figures of one account under model m with parameters par; tx, T
 * and t (the horizon) in time units. Always finite for parameters > 0. */
double sf_clv_p_alive(sf_clv_model m, const double *par, uint32_t x, double tx, double T);
double sf_clv_expected(sf_clv_model m, const double *par, uint32_t x, double tx, double T, double t);
/* BG/NBD: the expected purchases in (T, T + t] of an account alive at T
 * (expected_purchases = p_alive x this); depends on x and T only, so a
 * book computes it once per (x, age). */
double sf_clv_bgnbd_alive_expected(const double *par, uint32_t x, double T, double t);
/* The same with a memory of the quadrature's nodes (below): a book whose
 * pairs fall back to the Beta integral evaluates it at the same nodes
 * u over and over, and u^(1/a) and ln(1 - u^(1/a)) depend on u and a
 * alone. The same values, bit for bit; one memory per thread. */
typedef struct sf_clv_nodes sf_clv_nodes;
sf_clv_nodes *sf_clv_nodes_new(void); /* NULL on out of memory */
void sf_clv_nodes_free(sf_clv_nodes *m); /* NULL-safe */
double sf_clv_bgnbd_alive_expected_m(const double *par, uint32_t x, double T, double t, sf_clv_nodes *m);
/* Expected order value of an account (x, m) under s. */
double sf_clv_order_value(const sf_clv_spend *s, uint32_t x, double m);

/* The same BG/NBD expectation by the other route: its Beta integral,
 * E[(1 - (1 + p t / (alpha + T))^-(r+x)) / p] over p ~ Beta(a, b + x),
 * by adaptive quadrature. The closed form falls back to it where GSL's
 * hypergeometric function reports an error; the tests compare both. */
double sf_clv_bgnbd_alive_expected_quad(const double *par, uint32_t x, double T, double t);

/* The log-likelihood of obs under m at par (tests; the fits compute it
 * on their own tables). */
double sf_clv_loglik(sf_clv_model m, const double *par, const sf_clv_obs *obs, size_t n, double unit);

#endif
