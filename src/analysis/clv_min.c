/*
 * clv_min.c - the minimiser of the expected-value fits (SPEC §11):
 * GSL's vector_bfgs2 with the analytic gradient, in coordinates scaled by
 * the Hessian, from a fixed start to a fixed stopping rule.
 */
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "analysis/sf_clv_int.h"

static pthread_once_t gsl_quiet_once = PTHREAD_ONCE_INIT;

static void gsl_quiet(void) { gsl_set_error_handler_off(); }

void sf_clv_gsl_quiet(void) { (void)pthread_once(&gsl_quiet_once, gsl_quiet); }

/* ---- the minimiser ------------------------------------------------------ *
 *
 * GSL's vector_bfgs2 keeps no inverse-Hessian estimate from one step to
 * the next (it builds each direction from the last step alone), so on a
 * badly scaled problem - a log-likelihood of millions whose parameters are
 * strongly correlated, as here - it crawls. Each round therefore first
 * measures the Hessian at its start (differences of the analytic gradient)
 * and minimises in the coordinates u that make it the identity:
 * theta = theta0 + V |Lambda|^(-1/2) u (its eigenvectors and the absolute
 * values of its eigenvalues, so a saddle still gives a scale). A round
 * ends on the stopping rule, or after ROUND_ITER iterations, and the next
 * one measures again where the last ended.
 */

#define ROUND_ITER 4 /* iterations before the Hessian is measured again */

typedef struct {
    sf_clv_objective fn;
    void *ctx;
    int k;
    double c[4], M[16]; /* theta = c + M u */
    /* M is the Hessian's own scale, measured where an earlier round
     * ended and positive definite: the quadratic model's promise of what
     * is left to gain can be trusted (the stopping rule) */
    bool model;
    bool first;
    /* the last point evaluated: GSL asks for f and the gradient at one
     * point in separate calls, and each costs a pass over the book */
    bool cached;
    double u[4], f, g[4];
} problem;

static void evaluate(problem *p, const gsl_vector *v)
{
    int k = p->k;
    if (p->cached && memcmp(p->u, v->data, (size_t)k * sizeof *p->u) == 0)
        return;
    memcpy(p->u, v->data, (size_t)k * sizeof *p->u);
    double th[4] = {0}, gt[4] = {0};
    for (int i = 0; i < k; i++) {
        th[i] = p->c[i];
        for (int j = 0; j < k; j++)
            th[i] += p->M[i * k + j] * p->u[j];
    }
    p->f = p->fn(p->ctx, th, gt, false);
    for (int j = 0; j < k; j++) {
        p->g[j] = 0;
        for (int i = 0; i < k; i++)
            p->g[j] += p->M[i * k + j] * gt[i];
    }
    p->cached = true;
}

static double mm_f(const gsl_vector *v, void *params)
{
    evaluate(params, v);
    return ((problem *)params)->f;
}

static void mm_df(const gsl_vector *v, void *params, gsl_vector *df)
{
    problem *p = params;
    evaluate(p, v);
    for (int i = 0; i < p->k; i++)
        gsl_vector_set(df, (size_t)i, p->g[i]);
}

static void mm_fdf(const gsl_vector *v, void *params, double *f, gsl_vector *df)
{
    mm_df(v, params, df);
    *f = ((problem *)params)->f;
}

/* p->M from the Hessian of p->fn at p->c (forward differences of the
 * gradient, of the rough objective: it only scales the problem, the
 * minimiser does the rest); the identity where it cannot be measured.
 * False on out of memory. */
static bool precondition(problem *p)
{
    int k = p->k;
    double H[16] = {0}, g0[4] = {0}, g1[4] = {0}, t[4];
    const double h = 1e-4;
    bool finite = isfinite(p->fn(p->ctx, p->c, g0, true));
    for (int j = 0; finite && j < k; j++) {
        memcpy(t, p->c, sizeof t);
        t[j] += h;
        finite = isfinite(p->fn(p->ctx, t, g1, true));
        for (int i = 0; i < k; i++)
            H[i * k + j] = (g1[i] - g0[i]) / h;
    }
    for (int i = 0; finite && i < k * k; i++)
        finite = isfinite(H[i]);
    memset(p->M, 0, sizeof p->M);
    for (int i = 0; i < k; i++)
        p->M[i * k + i] = 1.0;
    p->cached = false;
    p->model = false;
    if (!finite)
        return true;
    gsl_matrix *A = gsl_matrix_alloc((size_t)k, (size_t)k), *V = gsl_matrix_alloc((size_t)k, (size_t)k);
    gsl_vector *ev = gsl_vector_alloc((size_t)k);
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc((size_t)k);
    bool ok = A && V && ev && w;
    if (ok) {
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
                gsl_matrix_set(A, (size_t)i, (size_t)j, 0.5 * (H[i * k + j] + H[j * k + i]));
        if (gsl_eigen_symmv(A, ev, V, w) == GSL_SUCCESS) {
            double top = 0;
            for (int j = 0; j < k; j++)
                top = fmax(top, fabs(gsl_vector_get(ev, (size_t)j)));
            p->model = !p->first && top > 0;
            for (int j = 0; top > 0 && j < k; j++) {
                /* a flat direction (a ridge) gets a long but finite scale */
                double e = gsl_vector_get(ev, (size_t)j), l = fmax(fabs(e), 1e-10 * top);
                p->model = p->model && e >= 1e-10 * top;
                for (int i = 0; i < k; i++)
                    p->M[i * k + j] = gsl_matrix_get(V, (size_t)i, (size_t)j) / sqrt(l);
            }
        }
    }
    gsl_eigen_symmv_free(w);
    gsl_vector_free(ev);
    gsl_matrix_free(V);
    gsl_matrix_free(A);
    return ok;
}

/* One round from u = 0: up to max_iter iterations of vector_bfgs2.
 * *th receives the point reached; returns its objective (+inf when the
 * start is not finite, NAN on out of memory); *stopped: the rule held. */
static double round_bfgs(problem *p, double *th, int max_iter, int *iters, bool *stopped)
{
    int k = p->k;
    gsl_multimin_function_fdf F = {.f = mm_f, .df = mm_df, .fdf = mm_fdf, .n = (size_t)k, .params = p};
    gsl_vector *x = gsl_vector_calloc((size_t)k);
    gsl_multimin_fdfminimizer *s =
        gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, (size_t)k);
    *stopped = false;
    if (!x || !s) {
        gsl_multimin_fdfminimizer_free(s);
        gsl_vector_free(x);
        return NAN;
    }
    double f = HUGE_VAL;
    /* first trial step 1 (about one standard error in these coordinates);
     * line search tolerance 0.1, GSL's advice for bfgs2 */
    if (gsl_multimin_fdfminimizer_set(s, &F, x, 1.0, 0.1) == GSL_SUCCESS && isfinite(s->f)) {
        double prev = s->f;
        for (int it = 0; it < max_iter; it++) {
            int st = gsl_multimin_fdfminimizer_iterate(s);
            ++*iters;
            if (st == GSL_ENOPROG) { /* nothing left to gain at this precision */
                *stopped = true;
                break;
            }
            if (st != GSL_SUCCESS)
                break;
            /* the rule: the last step changed the log-likelihood by less
             * than SF_CLV_REL_STOP of itself, or (where the scale is the
             * Hessian's own, p->model) the quadratic model promises less than
             * that still to gain: half the squared gradient here */
            double g2 = 0;
            for (int i = 0; i < k; i++)
                g2 += gsl_vector_get(s->gradient, (size_t)i) * gsl_vector_get(s->gradient, (size_t)i);
            if (fabs(prev - s->f) <= SF_CLV_REL_STOP * fabs(s->f) ||
                (p->model && 0.5 * g2 <= SF_CLV_REL_STOP * fabs(s->f))) {
                *stopped = true;
                break;
            }
            prev = s->f;
        }
        f = s->f;
        for (int i = 0; i < k; i++) {
            th[i] = p->c[i];
            for (int j = 0; j < k; j++)
                th[i] += p->M[i * k + j] * gsl_vector_get(s->x, (size_t)j);
        }
    }
    gsl_multimin_fdfminimizer_free(s);
    gsl_vector_free(x);
    return f;
}

double sf_clv_minimise(sf_clv_objective fn, void *ctx, int k, double *th, int *iters, bool *converged)
{
    problem p = {.fn = fn, .ctx = ctx, .k = k, .first = true};
    double f = HUGE_VAL;
    *iters = 0;
    *converged = false;
    while (!*converged && *iters < SF_CLV_MAX_ITER) {
        memcpy(p.c, th, (size_t)k * sizeof *th);
        if (!precondition(&p))
            return NAN;
        p.first = false;
        int before = *iters;
        double fr = round_bfgs(&p, th, ROUND_ITER, iters, converged);
        if (isnan(fr))
            return NAN;
        if (!isfinite(fr))
            break;
        f = fr;
        if (*iters == before) /* no iteration possible */
            break;
    }
    return f;
}
