/*
 * sf_clv_int.h - inside the expected-value models only (clv_fit.c,
 * clv_min.c, clv_expect.c): the minimiser the fits share, and GSL's
 * error handler turned off.
 */
#ifndef SF_CLV_INT_H
#define SF_CLV_INT_H

#include "analysis/sf_clv.h"

#define SF_CLV_REL_STOP 1e-12 /* relative change of the log-likelihood (SPEC §11) */
#define SF_CLV_MAX_ITER 2000  /* a safety cap; a converging fit needs < 50 */

/* The function minimised: -loglik at th (k <= 4 parameters) and its
 * gradient into g; +inf where it is not defined. rough: an estimate is
 * enough (the Hessian that only scales the problem): a large book may sum
 * its per-account terms over every SF_CLV_ROUGH_STEP-th account, scaled. */
typedef double (*sf_clv_objective)(void *ctx, const double *th, double *g, bool rough);

/* Turn GSL's error handler off (its default aborts; errors come back as
 * status codes and NaNs instead), once per process: the handler is a
 * global of GSL's, and the fits and the expectations run on two threads,
 * which must not both write it. Every entry point that calls GSL calls
 * this first. */
void sf_clv_gsl_quiet(void);

#define SF_CLV_ROUGH_STEP 8
#define SF_CLV_ROUGH_MIN 16384 /* accounts in the sum before rough skips any */

/* Minimise fn over k parameters from th (in: the start; out: the minimum
 * found) with GSL's vector_bfgs2, in rounds that rescale the problem by
 * its Hessian, until the relative change of the objective is below
 * SF_CLV_REL_STOP. Returns the minimum, +inf when even the start is not
 * finite, NAN on out of memory; *iters counts the iterations, *converged
 * says the rule (not the cap or a failed step) ended it. */
double sf_clv_minimise(sf_clv_objective fn, void *ctx, int k, double *th, int *iters, bool *converged);

#endif
