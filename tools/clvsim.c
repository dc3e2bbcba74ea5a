/*
 * clvsim.c - a seeded book drawn from the models of SPEC §11, to check that
 * salesfocus recovers the parameters it was drawn from
 * (tests/e2e/clv_sim.sh).
 *
 *   sfclvsim --out DIR [--customers 20000] [--seed 1] [--weeks 78]
 *            [--cohort-weeks 12] [--as-of 2025-06-30]
 *            [--r 0.243] [--alpha 4.414] [--a 0.793] [--b 2.426]
 *            [--p 6.25] [--q 3.74] [--gamma 15.44]
 *
 * writes DIR/transactions.csv (transaction_id, account_id, date, amount)
 * and DIR/config.ini (the as-of date, a time unit of 7 days, CSV lists
 * only). Each customer makes a first purchase at a uniform time in the
 * first cohort-weeks of the window of `weeks` weeks that ends on the
 * as-of date, has a purchase rate lambda ~ Gamma(r, rate alpha) per week
 * and a drop-out probability p ~ Beta(a, b), buys again after exponential
 * waits while alive and, after each repeat purchase, drops out with
 * probability p (BG/NBD); every purchase is worth z ~ Gamma(p, rate nu)
 * with nu ~ Gamma(q, rate gamma) per customer (Gamma-Gamma). Times become
 * days (floor(t x 7)); two purchases on one day are then one purchase day.
 * The same seed gives the same book (GSL's mt19937).
 */
#include <errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "genlib.h"

typedef struct {
    const char *out;
    long customers;
    unsigned long seed;
    double weeks, cohort_weeks;
    int y, m, d;
    double r, alpha, a, b, p, q, gamma;
} opts;

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "sfclvsim: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(2);
}

static double num(const char *v, const char *name)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno || *end || !(x > 0) || !isfinite(x))
        die("expected a positive number", name);
    return x;
}

static void parse(int argc, char **argv, opts *o)
{
    *o = (opts){NULL, 20000, 1, 78, 12, 2025, 6, 30, 0.243, 4.414, 0.793, 2.426, 6.25, 3.74, 15.44};
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i];
        if (i + 1 >= argc)
            die("missing value", k);
        const char *v = argv[++i];
        if (!strcmp(k, "--out"))
            o->out = v;
        else if (!strcmp(k, "--customers"))
            o->customers = (long)num(v, k);
        else if (!strcmp(k, "--seed"))
            o->seed = strtoul(v, NULL, 10);
        else if (!strcmp(k, "--weeks"))
            o->weeks = num(v, k);
        else if (!strcmp(k, "--cohort-weeks"))
            o->cohort_weeks = num(v, k);
        else if (!strcmp(k, "--as-of")) {
            if (sscanf(v, "%d-%d-%d", &o->y, &o->m, &o->d) != 3)
                die("expected YYYY-MM-DD", k);
        } else if (!strcmp(k, "--r"))
            o->r = num(v, k);
        else if (!strcmp(k, "--alpha"))
            o->alpha = num(v, k);
        else if (!strcmp(k, "--a"))
            o->a = num(v, k);
        else if (!strcmp(k, "--b"))
            o->b = num(v, k);
        else if (!strcmp(k, "--p"))
            o->p = num(v, k);
        else if (!strcmp(k, "--q"))
            o->q = num(v, k);
        else if (!strcmp(k, "--gamma"))
            o->gamma = num(v, k);
        else
            die("unknown option", k);
    }
    if (!o->out)
        die("--out DIR is required", NULL);
    if (o->cohort_weeks > o->weeks)
        die("--cohort-weeks is longer than --weeks", NULL);
}

/* days_from_civil, civil_from_days: genlib.h */

static FILE *open_in(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write", path);
    return f;
}

/* One purchase of customer c at week t (from the window's start). */
static void purchase(FILE *f, long *line, long c, long start, double t, const opts *o, double nu,
                     gsl_rng *g)
{
    int y, m, d;
    civil_from_days(start + (long)floor(t * 7.0), &y, &m, &d);
    double z = gsl_ran_gamma(g, o->p, 1.0 / nu);
    long cents = lround(z * 100.0);
    if (cents < 1)
        cents = 1; /* a purchase day needs a sum above 0 */
    fprintf(f, "T%08ld,C%06ld,%04d-%02d-%02d,%ld.%02ld\n", ++*line, c, y, m, d, cents / 100, cents % 100);
}

int main(int argc, char **argv)
{
    opts o;
    parse(argc, argv, &o);
    if (mkdir(o.out, 0755) != 0 && errno != EEXIST)
        die("cannot create", o.out);
    long end = days_from_civil(o.y, o.m, o.d), start = end - (long)floor(o.weeks * 7.0);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    if (!g)
        die("out of memory", NULL);
    gsl_rng_set(g, o.seed);
    FILE *f = open_in(o.out, "transactions.csv");
    fprintf(f, "transaction_id,account_id,date,amount\n");
    long line = 0;
    for (long c = 1; c <= o.customers; c++) {
        double lambda = gsl_ran_gamma(g, o.r, 1.0 / o.alpha);
        double drop = gsl_ran_beta(g, o.a, o.b);
        double nu = gsl_ran_gamma(g, o.q, 1.0 / o.gamma);
        double t = gsl_rng_uniform(g) * o.cohort_weeks;
        purchase(f, &line, c, start, t, &o, nu, g);
        for (;;) {
            t += gsl_ran_exponential(g, 1.0 / lambda);
            if (!(t <= o.weeks))
                break;
            purchase(f, &line, c, start, t, &o, nu, g);
            if (gsl_rng_uniform(g) < drop)
                break;
        }
    }
    if (fclose(f) != 0)
        die("cannot write transactions.csv", NULL);
    f = open_in(o.out, "config.ini");
    fprintf(f,
            "; drawn by sfclvsim --customers %ld --seed %lu: r %g alpha %g a %g b %g, p %g q %g gamma %g\n"
            "[run]\nas_of = %04d-%02d-%02d\ncurrency = USD\n[input]\ntransactions = transactions.csv\n"
            "[clv]\ntime_unit_days = 7\n[outputs]\npdf = no\nxlsx = no\n",
            o.customers, o.seed, o.r, o.alpha, o.a, o.b, o.p, o.q, o.gamma, o.y, o.m, o.d);
    if (fclose(f) != 0)
        die("cannot write config.ini", NULL);
    gsl_rng_free(g);
    printf("%ld customers, %ld purchases\n", o.customers, line);
    return 0;
}
