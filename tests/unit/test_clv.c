/*
 * test_clv.c - SPEC §11, the expected-value models.
 *
 * The per-account formulas at points computed independently by
 * tests/py/clv_ref.py (plain Python: the Beta integral by tanh-sinh
 * quadrature and the closed form with the Gauss series of 2F1 agree there
 * to 1e-12), the published point of Fader, Hardie & Lee (2005), and
 * points worked by hand (x = 0, p_alive = 1/4, bg_fixed, nbd, the order
 * values). Then the fits: the table-driven log-likelihood against the
 * term-by-term one, the fit a maximum, the same figures with and without
 * the second thread. Then the analysis on a small book built by hand: the
 * purchase days (several invoices on one day are one purchase, a credit
 * note that cancels a day, days after T), the rows, their order, the
 * model list, the workbook-only columns of accounts, the clients at risk,
 * and the three ways the lists stay empty.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>

#include "analysis/sf_list.h"
#include "test_an_fixture.h"

#define WEEK_YEAR (365.0 / 7.0)

static void near_rel(double got, double want, double rel)
{
    if (!(fabs(got - want) <= rel * fabs(want))) {
        print_error("got %.15g, want %.15g (relative %.2e > %.0e)\n", got, want,
                    fabs(got - want) / fabs(want), rel);
        fail();
    }
}

/* ---- the formulas ---------------------------------------------------------- */

typedef struct {
    const char *name;
    double par[4];
    uint32_t x;
    double tx, T, t;
    double p_alive, alive_expected; /* tests/py/clv_ref.py points */
} ref_point;

static const ref_point points[] = {
    {"paper", {0.242594, 4.41359, 0.792919, 2.425892}, 2, 30.43, 38.86, 39.0, 0.726609054265, 1.68716153621},
    {"x0", {0.242594, 4.41359, 0.792919, 2.425892}, 0, 0.0, 38.86, WEEK_YEAR, 1.0, 0.252274545038},
    {"z_near_1", {0.243, 0.05, 0.793, 2.426}, 0, 0.0, 0.0, WEEK_YEAR, 1.0, 11.6524403088},
    {"z_near_1_x3", {0.243, 0.05, 0.793, 2.426}, 3, 0.5, 0.6, WEEK_YEAR, 0.76452894745, 31.1104525581},
    {"a_one", {0.5, 6.0, 1.0, 3.0}, 4, 20.0, 30.0, WEEK_YEAR, 0.581116561457, 4.54703788835},
    {"a_above_one", {0.5, 6.0, 1.0 + 3e-6, 3.0}, 4, 20.0, 30.0, WEEK_YEAR, 0.581115831197, 4.54703375659},
    {"a_below_one", {0.5, 6.0, 1.0 - 5e-6, 3.0}, 4, 20.0, 30.0, WEEK_YEAR, 0.58111777856, 4.54704477464},
    {"a_b_large", {1.0, 10.0, 15.0, 20.0}, 1, 5.0, 20.0, WEEK_YEAR, 0.25, 1.61144881465},
    {"x_large", {2.45534, 22.2148, 1.01858, 152.415}, 150, 900 / 7.0, 1000 / 7.0, WEEK_YEAR,
     0.000300454221165, 44.6165804208},
    {"c_negative", {0.3, 2.0, 0.3, 0.5}, 0, 0.0, 10.0, WEEK_YEAR, 1.0, 0.83266571916},
};

/* p_alive and the expectation by both routes at every reference point;
 * z = t / (alpha + T + t) is 0.9990 at z_near_1, a = 1 is the removable
 * singularity, a_b_large is where GSL's 2F1 gives up (the quadrature
 * answers), c_negative has a + b - 1 < 0. */
static void test_reference_points(void **state)
{
    (void)state;
    for (size_t i = 0; i < SF_ARRAY_LEN(points); i++) {
        const ref_point *p = &points[i];
        print_message("%s\n", p->name);
        near_rel(sf_clv_p_alive(SF_CLV_BGNBD, p->par, p->x, p->tx, p->T), p->p_alive, 1e-10);
        near_rel(sf_clv_bgnbd_alive_expected(p->par, p->x, p->T, p->t), p->alive_expected, 1e-9);
        near_rel(sf_clv_bgnbd_alive_expected_quad(p->par, p->x, p->T, p->t), p->alive_expected, 1e-9);
        near_rel(sf_clv_expected(SF_CLV_BGNBD, p->par, p->x, p->tx, p->T, p->t), p->p_alive * p->alive_expected,
                 1e-9);
    }
    /* a within 1e-11 of 1: the closed form alone would lose every digit
     * to the cancellation; the value is a = 1's to 1e-10 */
    const double near1[2][4] = {{0.5, 6.0, 1.0 + 1e-11, 3.0}, {0.5, 6.0, 1.0 - 1e-11, 3.0}};
    for (int i = 0; i < 2; i++)
        near_rel(sf_clv_bgnbd_alive_expected(near1[i], 4, 30.0, WEEK_YEAR), 4.54703788835, 1e-9);
    /* z near 1 indeed */
    assert_true(WEEK_YEAR / (0.05 + 0.0 + WEEK_YEAR) > 0.999);
}

/* The published example: x = 2, t_x = 30.43, T = 38.86 weeks, 1.226
 * purchases expected in the next 39 weeks (Fader, Hardie & Lee 2005). */
static void test_paper_point(void **state)
{
    (void)state;
    const double par[4] = {0.242594, 4.41359, 0.792919, 2.425892};
    double e = sf_clv_expected(SF_CLV_BGNBD, par, 2, 30.43, 38.86, 39.0);
    assert_true(fabs(e - 1.226) < 0.0005);
}

/* By hand. */
static void test_hand_points(void **state)
{
    (void)state;
    /* x = 0: alive by definition, whatever the model */
    const double bg[4] = {0.3, 5.0, 0.8, 2.0}, fixed[3] = {1.0, 10.0, 0.2}, nbd[2] = {2.0, 8.0};
    assert_true(sf_clv_p_alive(SF_CLV_BGNBD, bg, 0, 0, 40) == 1.0);
    assert_true(sf_clv_p_alive(SF_CLV_BG_FIXED, fixed, 0, 0, 40) == 1.0);
    assert_true(sf_clv_p_alive(SF_CLV_NBD, nbd, 7, 1, 40) == 1.0);
    /* a/(b+x-1) = 15/20, ((alpha+T)/(alpha+t_x))^(r+x) = (30/15)^2 = 4:
     * 1 / (1 + 0.75 x 4) = 1/4 */
    const double ab[4] = {1.0, 10.0, 15.0, 20.0};
    near_rel(sf_clv_p_alive(SF_CLV_BGNBD, ab, 1, 5.0, 20.0), 0.25, 1e-14);
    /* bg_fixed: pi/(1-pi) = 1/4, (30/15)^2 = 4: p_alive 1/2; expected
     * 1/2 x (1/0.2) x (1 - (30/32)^2) = 0.302734375 */
    near_rel(sf_clv_p_alive(SF_CLV_BG_FIXED, fixed, 1, 5.0, 20.0), 0.5, 1e-14);
    near_rel(sf_clv_expected(SF_CLV_BG_FIXED, fixed, 1, 5.0, 20.0, 10.0), 0.302734375, 1e-13);
    /* nbd: t (r+x) / (alpha+T) = 52 x 5 / 20 = 13 */
    near_rel(sf_clv_expected(SF_CLV_NBD, nbd, 3, 5.0, 12.0, 52.0), 13.0, 1e-15);
    /* the horizon 0 expects nothing */
    assert_true(sf_clv_bgnbd_alive_expected(bg, 3, 20, 0) == 0.0);
    /* order values: Gamma-Gamma p = 6, q = 4, gamma = 15: the population
     * mean 6 x 15 / 3 = 30; x = 2, m = 40: (15 + 80) x 6 / (12 + 3) = 38;
     * own_mean: m, or the mean of every m for x = 0 */
    sf_clv_spend gg = {.gammagamma = true, .p = 6, .q = 4, .gamma = 15, .mean_m = 99};
    near_rel(sf_clv_order_value(&gg, 0, 0), 30.0, 1e-15);
    near_rel(sf_clv_order_value(&gg, 2, 40), 38.0, 1e-15);
    sf_clv_spend own = {.gammagamma = false, .mean_m = 99};
    near_rel(sf_clv_order_value(&own, 2, 40), 40.0, 0);
    near_rel(sf_clv_order_value(&own, 0, 0), 99.0, 0);
}

/* The memory of the quadrature's nodes changes no bit: a book's fitted
 * parameters (the million-account bench's) for which GSL's 2F1 gives up
 * and every pair goes to the Beta integral, pairs computed twice (the
 * second time from the memory), then another a with the same memory
 * (not remembered: computed). */
static void test_quad_nodes(void **state)
{
    (void)state;
    const double par[4] = {2.41583, 21.8742, 0.948692, 145.506};
    const double other[4] = {2.41583, 21.8742, 0.7, 145.506};
    const double t = 52.0;
    sf_clv_nodes *m = sf_clv_nodes_new();
    assert_non_null(m);
    /* the route: the closed form fails here, so the figure is the integral's */
    assert_true(sf_clv_bgnbd_alive_expected(par, 3, 80.0, t) == sf_clv_bgnbd_alive_expected_quad(par, 3, 80.0, t));
    for (int round = 0; round < 2; round++)
        for (uint32_t x = 1; x < 40; x += 3)
            for (int age = 10; age < 160; age += 7) {
                double T = age / 7.0;
                double plain = sf_clv_bgnbd_alive_expected(par, x, T, t);
                double kept = sf_clv_bgnbd_alive_expected_m(par, x, T, t, m);
                assert_true(isfinite(plain) && plain > 0);
                assert_memory_equal(&plain, &kept, sizeof plain);
                double o1 = sf_clv_bgnbd_alive_expected(other, x, T, t);
                double o2 = sf_clv_bgnbd_alive_expected_m(other, x, T, t, m);
                assert_memory_equal(&o1, &o2, sizeof o1);
            }
    sf_clv_nodes_free(m);
    sf_clv_nodes_free(NULL);
}

/* A finite figure for every a > 0, however near 1 or 0, however large. */
static void test_always_finite(void **state)
{
    (void)state;
    const double as[] = {1e-6, 0.01, 0.5, 1.0 - 1e-9, 1.0, 1.0 + 1e-12, 1.0 + 1e-5, 2.0, 50.0, 2000.0};
    const double bs[] = {1e-4, 0.5, 3.0, 1e6};
    const uint32_t xs[] = {0, 1, 7, 400};
    for (size_t i = 0; i < SF_ARRAY_LEN(as); i++)
        for (size_t j = 0; j < SF_ARRAY_LEN(bs); j++)
            for (size_t k = 0; k < SF_ARRAY_LEN(xs); k++) {
                const double par[4] = {0.7, 3.0, as[i], bs[j]};
                double v = sf_clv_expected(SF_CLV_BGNBD, par, xs[k], xs[k] ? 10.0 : 0.0, 30.0, WEEK_YEAR);
                if (!isfinite(v) || v < 0) {
                    print_error("a %g b %g x %u: %g\n", as[i], bs[j], xs[k], v);
                    fail();
                }
            }
}

/* ---- the fits --------------------------------------------------------------- */

/* A book drawn by a fixed rule (no randomness): 400 accounts, ages 100 to
 * 499 days, a purchase rate and a drop-out that vary with the account. */
static size_t rule_book(sf_clv_obs *o)
{
    size_t n = 0;
    for (uint32_t i = 0; i < 400; i++) {
        uint32_t age = 100 + i, x = (i * 7) % 13;
        uint32_t gap = 10 + (i * 11) % 30;
        if ((i % 5) == 0)
            x = 0;
        if ((uint64_t)x * gap > age)
            x = age / gap;
        uint32_t rec = x * gap;
        if ((i % 3) == 0 && rec + 60 < age) /* a third stopped buying early */
            rec = rec / 2;
        o[n++] = (sf_clv_obs){x, rec, age, x ? 50.0 + (i % 17) * 9.5 : 0.0};
    }
    return n;
}

/* This book has no interior BG/NBD maximum: its likelihood keeps rising
 * as a and b run off together at a fixed ratio, towards one drop-out
 * probability for all (SPEC §11). nbd and bg_fixed have their maxima;
 * bgnbd ends far out on the ridge, never above its limit, and the choice
 * goes to the limit, bg_fixed. */
static void test_fits_and_the_ridge(void **state)
{
    (void)state;
    sf_clv_obs obs[400];
    size_t n = rule_book(obs);
    sf_clv_fits F;
    assert_int_equal(sf_clv_fit_book(obs, n, 7.0, false, &F), SF_OK);
    for (int m = 0; m < SF_CLV_MODEL_N; m++) {
        const sf_clv_fit *f = &F.fit[m];
        assert_true(f->ok && f->converged);
        /* the table-driven sums are the term-by-term log-likelihood; far out
         * on the ridge (a, b ~ 1e10) the term-by-term ln B(a, b+x) - ln B(a, b)
         * of GSL's lngamma keeps fewer digits than the fit's own sums */
        near_rel(sf_clv_loglik((sf_clv_model)m, f->par, obs, n, 7.0), f->loglik,
                 m == SF_CLV_BGNBD ? 1e-7 : 1e-11);
        near_rel(f->aic, 2.0 * sf_clv_model_k((sf_clv_model)m) - 2.0 * f->loglik, 1e-15);
        if (m == SF_CLV_BGNBD)
            continue;
        /* a maximum: every parameter moved by 1e-3 lowers it */
        for (int i = 0; i < sf_clv_model_k((sf_clv_model)m); i++)
            for (int s = -1; s <= 1; s += 2) {
                double p[4] = {f->par[0], f->par[1], f->par[2], f->par[3]};
                p[i] *= 1 + s * 1e-3;
                assert_true(sf_clv_loglik((sf_clv_model)m, p, obs, n, 7.0) < f->loglik);
            }
    }
    const sf_clv_fit *bg = &F.fit[SF_CLV_BGNBD], *fixed = &F.fit[SF_CLV_BG_FIXED];
    assert_true(bg->par[2] > 1000 && bg->par[3] > 1000);
    near_rel(bg->par[2] / (bg->par[2] + bg->par[3]), fixed->par[2], 1e-3);
    assert_true(bg->loglik <= fixed->loglik + 1e-6);
    assert_int_equal(F.chosen, SF_CLV_BG_FIXED);
    /* Gamma-Gamma over the accounts with x > 0 */
    uint32_t rep = 0;
    for (size_t i = 0; i < n; i++)
        rep += obs[i].x > 0;
    assert_int_equal(F.spend.accounts, rep);
    assert_true(F.spend.gammagamma);
}

/* Same input, same figures: with or without the second thread, and again. */
static void test_fit_deterministic(void **state)
{
    (void)state;
    sf_clv_obs obs[400];
    size_t n = rule_book(obs);
    sf_clv_fits a, b, c;
    assert_int_equal(sf_clv_fit_book(obs, n, 7.0, true, &a), SF_OK);
    assert_int_equal(sf_clv_fit_book(obs, n, 7.0, false, &b), SF_OK);
    assert_int_equal(sf_clv_fit_book(obs, n, 7.0, true, &c), SF_OK);
    assert_memory_equal(&a, &b, sizeof a);
    assert_memory_equal(&a, &c, sizeof a);
}

/* ---- the analysis on a book built by hand ---------------------------------- */

static const sf_clv_row *row_of(const char *id)
{
    uint32_t a = sf_dataset_find(fx_ds, id);
    for (uint32_t i = 0; i < fx_rep.clv.n; i++)
        if (fx_rep.clv.rows[i].account == a)
            return &fx_rep.clv.rows[i];
    return NULL;
}

/* 120 accounts K000..K119: the first purchase 300 + i days before T, then
 * i % 7 repeat purchases 20 days apart (of 100.00 + i); and DUP (two
 * invoices on its first day, one purchase 30 days later), CREDIT (a day an
 * invoice and its credit note cancel), FUTURE (a purchase after T),
 * NEVER (no transaction), MINUS (only a credit note). */
static void build_book(int accounts)
{
    sf_date T = D("2025-06-30");
    char id[16];
    for (int i = 0; i < accounts; i++) {
        snprintf(id, sizeof id, "K%03d", i);
        fx_account(id, i % 2 ? "Ann" : "Bob");
        sf_date first = T - 300 - i;
        fx_txd(id, first, 10000 + i);
        for (int k = 1; k <= i % 7; k++)
            fx_txd(id, first + 20 * k, 10000 + i);
    }
    fx_account("DUP", "Ann");
    fx_txd("DUP", T - 100, 5000);
    fx_txd("DUP", T - 100, 7000);
    fx_txd("DUP", T - 70, 4321);
    fx_account("CREDIT", "Bob");
    fx_txd("CREDIT", T - 200, 9000);
    fx_txd("CREDIT", T - 150, 3000);
    fx_txd("CREDIT", T - 150, -3000);
    fx_txd("CREDIT", T - 120, 2500);
    fx_account("FUTURE", "Bob");
    fx_txd("FUTURE", T - 50, 8000);
    fx_txd("FUTURE", T + 5, 8000);
    fx_account("NEVER", "Ann");
    fx_account("MINUS", "Ann");
    fx_txd("MINUS", T - 40, -1500);
}

static void test_analysis(void **state)
{
    (void)state;
    fx_config();
    fx_begin("2025-06-30");
    build_book(120);
    fx_run();
    const sf_clv_result *c = &fx_rep.clv;
    assert_true(c->enabled && c->fitted);
    assert_int_equal(c->modelled, 123);
    assert_int_equal(c->n, 123);
    /* purchase days: DUP's two invoices are one day; CREDIT's cancelled
     * day is none; FUTURE's purchase after T does not count */
    const sf_clv_row *r = row_of("DUP");
    assert_non_null(r);
    assert_int_equal(r->repeat_purchases, 1);
    assert_int_equal(r->recency_days, 30);
    assert_int_equal(r->age_days, 100);
    assert_int_equal(r->revenue, 16321);
    /* m = 43.21, the repeat day alone */
    double ov = sf_clv_order_value(&c->fits.spend, 1, 43.21);
    assert_int_equal(r->order_value, llround(ov * 100));
    r = row_of("CREDIT");
    assert_int_equal(r->repeat_purchases, 1);
    assert_int_equal(r->recency_days, 80);
    assert_int_equal(r->age_days, 200);
    r = row_of("FUTURE");
    assert_int_equal(r->repeat_purchases, 0);
    assert_int_equal(r->age_days, 50);
    assert_int_equal(r->p_alive, SF_E4);
    assert_null(row_of("NEVER"));
    assert_null(row_of("MINUS"));
    r = row_of("K013"); /* 13 % 7 = 6 repeats, 120 days apart from the first */
    assert_int_equal(r->repeat_purchases, 6);
    assert_int_equal(r->recency_days, 120);
    assert_int_equal(r->age_days, 313);
    /* the figures of a row: p_alive and expected under the chosen model,
     * clv their product (to the rounding of the list) */
    sf_clv_model m = c->fits.chosen;
    const double *par = c->fits.fit[m].par;
    double p = sf_clv_p_alive(m, par, 6, 120 / 7.0, 313 / 7.0);
    double e = sf_clv_expected(m, par, 6, 120 / 7.0, 313 / 7.0, 365 / 7.0);
    assert_int_equal(r->p_alive, llround(p * SF_E4));
    assert_int_equal(r->expected, llround(e * SF_E4));
    double ov13 = sf_clv_order_value(&c->fits.spend, 6, 100.13);
    assert_int_equal(r->clv, llround(e * ov13 * 100));
    /* order: clv descending, then account_id */
    for (uint32_t i = 1; i < c->n; i++) {
        const sf_clv_row *a = &c->rows[i - 1], *b = &c->rows[i];
        assert_true(a->clv > b->clv ||
                    (a->clv == b->clv && strcmp(fx_id(a->account), fx_id(b->account)) < 0));
    }
    /* the accounts sheet shows p_alive and clv beside each account */
    const sf_list *acc = sf_list_find("accounts");
    int cp = sf_list_col(acc, "p_alive"), cc = sf_list_col(acc, "clv");
    assert_true(cp > 0 && cc > 0 && acc->cols[cp].sheet_only && acc->cols[cc].sheet_only);
    sf_cell cells[SF_LIST_MAX_COLS];
    for (size_t i = 0; i < acc->count(&fx_rep); i++) {
        memset(cells, 0, sizeof cells);
        acc->row(&fx_rep, i, cells);
        const sf_clv_row *cr = row_of(cells[0].text);
        assert_true(cells[cp].v == (cr ? cr->p_alive : SF_NONE));
        assert_true(cells[cc].v == (cr ? cr->clv : SF_NONE));
    }
    fx_end();
}

static void test_model_list(void **state)
{
    (void)state;
    fx_config();
    fx_begin("2025-06-30");
    build_book(120);
    fx_run();
    const sf_list *l = sf_list_find("clv_model");
    const sf_clv_result *c = &fx_rep.clv;
    sf_clv_model m = c->fits.chosen;
    int k = sf_clv_model_k(m);
    size_t n = l->count(&fx_rep);
    assert_int_equal(n, (size_t)(k + 3 + 2 + (c->fits.spend.gammagamma ? 5 : 1)));
    sf_cell cells[SF_LIST_MAX_COLS];
    char want[48];
    for (size_t i = 0; i < n; i++) {
        memset(cells, 0, sizeof cells);
        l->row(&fx_rep, i, cells);
        if ((int)i < k) {
            assert_string_equal(cells[0].text, sf_clv_model_name(m));
            assert_string_equal(cells[1].text, sf_clv_param_name(m, (int)i));
            sf_clv_fmt6(c->fits.fit[m].par[i], want, sizeof want);
            assert_string_equal(cells[2].text, want);
        } else if ((int)i == k + 2) {
            assert_string_equal(cells[1].text, "accounts");
            assert_string_equal(cells[2].text, "123");
        } else if ((int)i == k + 3 || (int)i == k + 4) {
            /* the aic of the two models not chosen */
            assert_string_not_equal(cells[0].text, sf_clv_model_name(m));
            assert_string_equal(cells[1].text, "aic");
        }
    }
    memset(cells, 0, sizeof cells);
    l->row(&fx_rep, n - 1, cells);
    assert_string_equal(cells[1].text, "accounts");
    fx_end();
}

/* Six significant digits, never an exponent: a spreadsheet reads each as a
 * number and the formula guard leaves a negative one alone. */
static void test_fmt6(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *want;
    } cases[] = {
        {-2665677.708, "-2665680"}, {5331363.4166, "5331360"}, {0.00602615, "0.00602615"},
        {0.2425948, "0.242595"},    {4.413607, "4.41361"},     {2357, "2357"},
        {1e-7, "0.0000001"},        {123456.7, "123457"},      {99999.96, "100000"},
        {9.999996, "10"},           {-0.5, "-0.5"},           {1.80038e17, "180038000000000000"},
        {-9582.429207, "-9582.43"}, {0, "0"},                  {-0.0, "0"},
    };
    char out[48];
    for (size_t i = 0; i < SF_ARRAY_LEN(cases); i++) {
        sf_clv_fmt6(cases[i].v, out, sizeof out);
        assert_string_equal(out, cases[i].want);
    }
    sf_clv_fmt6(NAN, out, sizeof out);
    assert_string_equal(out, "");
}

/* The valuable clients least likely to be alive: revenue to date in the
 * top quarter, p_alive below 50 %; by owner name, then revenue. */
static void test_at_risk(void **state)
{
    (void)state;
    fx_config();
    fx_begin("2025-06-30");
    build_book(120);
    fx_run();
    const sf_clv_result *c = &fx_rep.clv;
    uint32_t valuable = 0, want = 0;
    for (uint32_t i = 0; i < c->n; i++) {
        valuable += c->rows[i].revenue >= c->valuable_from;
        want += c->rows[i].revenue >= c->valuable_from && c->rows[i].p_alive < 5000;
    }
    assert_true(valuable >= (c->n + 3) / 4 && valuable < c->n / 2);
    assert_int_equal(c->n_at_risk, want);
    for (uint32_t i = 1; i < c->n_at_risk; i++) {
        const sf_clv_row *a = &c->rows[c->at_risk[i - 1]], *b = &c->rows[c->at_risk[i]];
        int o = strcmp(fx_ds->owners[fx_ds->accounts[a->account].owner],
                       fx_ds->owners[fx_ds->accounts[b->account].owner]);
        assert_true(o < 0 || (o == 0 && a->revenue >= b->revenue));
    }
    fx_end();
}

/* Fewer modelled accounts than min_accounts, no repeat purchase, or the
 * analysis off: no rows, and why. */
static void test_empty(void **state)
{
    (void)state;
    fx_config();
    fx_cfg.clv_min_accounts = 124;
    fx_begin("2025-06-30");
    build_book(120);
    fx_run();
    assert_true(fx_rep.clv.enabled && !fx_rep.clv.fitted);
    assert_int_equal(fx_rep.clv.state, SF_CLV_TOO_FEW);
    assert_int_equal(sf_list_clv.count(&fx_rep), 0);
    assert_int_equal(sf_list_clv_model.count(&fx_rep), 0);
    assert_true(sf_list_clv.present(&fx_rep));
    assert_non_null(strstr(fx_rep.clv.why, "123 clients"));
    bool said = false;
    for (int i = 0; i < fx_rep.n_skipped; i++)
        said |= fx_rep.skipped[i] == fx_rep.clv.why;
    assert_true(said);
    fx_end();

    fx_config();
    fx_begin("2025-06-30");
    char id[16];
    for (int i = 0; i < 150; i++) {
        snprintf(id, sizeof id, "S%03d", i);
        fx_account(id, "Ann");
        fx_txd(id, D("2025-06-30") - i, 1000);
    }
    fx_run();
    assert_int_equal(fx_rep.clv.state, SF_CLV_NO_REPEAT);
    assert_int_equal(sf_list_clv.count(&fx_rep), 0);
    fx_end();

    fx_config();
    fx_cfg.clv_enabled = false;
    fx_begin("2025-06-30");
    build_book(120);
    fx_run();
    assert_false(sf_list_clv.present(&fx_rep));
    assert_false(sf_list_clv_model.present(&fx_rep));
    assert_int_equal(fx_rep.n_skipped, 0);
    fx_end();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_points), cmocka_unit_test(test_paper_point),
        cmocka_unit_test(test_hand_points),      cmocka_unit_test(test_always_finite),
        cmocka_unit_test(test_fits_and_the_ridge), cmocka_unit_test(test_fit_deterministic),
        cmocka_unit_test(test_analysis),         cmocka_unit_test(test_model_list),
        cmocka_unit_test(test_at_risk),          cmocka_unit_test(test_empty),
        cmocka_unit_test(test_fmt6),             cmocka_unit_test(test_quad_nodes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
