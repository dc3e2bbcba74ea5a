/*
 * test_an_explain.c - SPEC §9 at T = 2025-06-30, worked by hand: to_clear
 * with and without min_drop_amount (and that adding it does end the
 * alert), to_next_tier at the exact cut, to_warm / to_hot with ceil on odd
 * potentials, benchmark keys and peers at each level, the fire cut, the
 * deal deadlines (latest next step, stale after, on both sides of the
 * boundary), and the rows of explain.csv.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "analysis/sf_list.h"
#include "test_an_fixture.h"

/* The explain figures of account id. */
static const sf_explain_account *ex(const char *id)
{
    uint32_t a = sf_dataset_find(fx_ds, id);
    assert_int_not_equal(a, SF_NO_ACCOUNT);
    const sf_explain_account *x = &fx_rep.explain.acc[fx_rep.explain.pos[a]];
    assert_int_equal(x->account, a);
    return x;
}

/* The decline row of account id, or -1 when it has no alert. */
static int decline_row(const char *id)
{
    uint32_t a = sf_dataset_find(fx_ds, id);
    for (uint32_t i = 0; i < fx_rep.decline.n; i++)
        if (fx_rep.decline.rows[i].account == a)
            return (int)i;
    return -1;
}

static int64_t to_clear(const char *id)
{
    int i = decline_row(id);
    assert_true(i >= 0);
    return fx_rep.explain.to_clear[i];
}

/* prior on 2024-05-01 (yoy prior window), current on 2025-05-01. */
static void prior_current(const char *id, int64_t prior, int64_t current)
{
    fx_account(id, "Ann");
    fx_tx(id, "2024-05-01", prior);
    if (current)
        fx_tx(id, "2025-05-01", current);
}

/* min_drop_share 0.20, no amount: the alert holds while current <=
 * floor(0.8 x prior); it ends at floor(0.8 x prior) + 0.01. */
static void test_to_clear_share(void **state)
{
    (void)state;
    fx_config();
    fx_begin("2025-06-30");
    prior_current("D1", 100000, 50000);  /* 800.00 + 0.01 - 500.00 = 300.01 */
    prior_current("D2", 100000, 80000);  /* drop exactly 20 %: 800.01 - 800.00 = 0.01 */
    prior_current("D3", 33333, 0);       /* floor(266.664) = 266.66 + 0.01 - 0 = 266.67 */
    prior_current("D1+", 100000, 80001); /* D1's current plus its to_clear: no alert */
    fx_run();
    assert_int_equal(to_clear("D1"), 30001);
    assert_int_equal(to_clear("D2"), 1);
    assert_int_equal(to_clear("D3"), 26667);
    assert_int_equal(decline_row("D1+"), -1);
    fx_end();
}

/* min_drop_amount 250.00: the alert also ends once prior - current <
 * 250.00, i.e. at current = prior - 250.00 + 0.01, when that is sooner. */
static void test_to_clear_amount(void **state)
{
    (void)state;
    fx_config();
    fx_cfg.min_drop_amount = 25000;
    fx_begin("2025-06-30");
    prior_current("D1", 100000, 50000);  /* share: 300.01; amount: 1000 - 250 + 0.01 - 500 = 250.01 */
    prior_current("D3", 33333, 0);       /* share: 266.67; amount: 333.33 - 250 + 0.01 = 83.34 */
    prior_current("E0", 100000, 75000);  /* drop exactly 250.00 (25 %): share 50.01, amount 0.01 */
    prior_current("D1+", 100000, 75001); /* D1's current plus 250.01: drop 249.99, no alert */
    prior_current("D3+", 33333, 8334);   /* D3 plus 83.34: drop 249.99, no alert */
    fx_run();
    assert_int_equal(to_clear("D1"), 25001);
    assert_int_equal(to_clear("D3"), 8334);
    assert_int_equal(to_clear("E0"), 1);
    assert_int_equal(decline_row("D1+"), -1);
    assert_int_equal(decline_row("D3+"), -1);
    /* a smaller amount never ends it sooner than the share: 100.00 gives
     * 1000 - 100 + 0.01 - 500 = 400.01 > 300.01 */
    fx_cfg.min_drop_amount = 10000;
    assert_int_equal(sf_explain_to_clear(&fx_cfg, 100000, 50000), 30001);
    fx_cfg.min_drop_amount = 0;
    assert_int_equal(sf_explain_to_clear(&fx_cfg, 100000, 50000), 30001);
    /* a share of 0.205: floor(0.795 x 1000.00) = 795.00, + 0.01 - 500 */
    fx_cfg.min_drop_share = 205000;
    assert_int_equal(sf_explain_to_clear(&fx_cfg, 100000, 50000), 29501);
    fx_end();
}

/* L = 1000.01 (the top of five buying clients: k = 1), so a_cut =
 * ceil(0.8 x 1000.01) = ceil(800.008) = 800.01 and b_cut = ceil(0.45 x
 * 1000.01) = ceil(450.0045) = 450.01. */
static void test_to_next_tier(void **state)
{
    (void)state;
    fx_config();
    fx_begin("2025-06-30");
    const struct {
        const char *id;
        int64_t rev;
    } acc[] = {{"TOP", 100001}, {"A1", 80001}, {"B0", 80000}, {"B1", 45001}, {"C0", 45000}};
    for (size_t i = 0; i < SF_ARRAY_LEN(acc); i++) {
        fx_account(acc[i].id, "Ann");
        fx_tx(acc[i].id, "2025-05-01", acc[i].rev);
    }
    fx_account("OLD", "Ann"); /* bought once, two years ago: C with no revenue */
    fx_tx("OLD", "2023-01-01", 1000);
    fx_account("NEG", "Ann"); /* only a credit note: never bought, D */
    fx_tx("NEG", "2025-05-01", -5000);
    fx_run();
    const sf_explain_result *e = &fx_rep.explain;
    assert_int_equal(fx_rep.tiers.L, 100001);
    assert_int_equal(e->a_cut, 80001);
    assert_int_equal(e->b_cut, 45001);
    assert_int_equal(fx_res("A1")->tier, SF_TIER_A); /* 800.01 is the cut itself */
    assert_int_equal(ex("A1")->to_next_tier, SF_NONE);
    assert_int_equal(ex("TOP")->to_next_tier, SF_NONE);
    assert_int_equal(fx_res("B0")->tier, SF_TIER_B); /* one cent short */
    assert_int_equal(ex("B0")->to_next_tier, 1);
    assert_int_equal(fx_res("B1")->tier, SF_TIER_B);
    assert_int_equal(ex("B1")->to_next_tier, 80001 - 45001);
    assert_int_equal(fx_res("C0")->tier, SF_TIER_C); /* 450.00 < 450.0045 */
    assert_int_equal(ex("C0")->to_next_tier, 1);
    assert_int_equal(fx_res("OLD")->tier, SF_TIER_C);
    assert_int_equal(ex("OLD")->to_next_tier, 45001);
    assert_int_equal(fx_res("NEG")->tier, SF_TIER_D);
    assert_int_equal(ex("NEG")->to_next_tier, SF_NONE);
    /* no revenue and no benchmark: potential 0, cold; the formula gives
     * 0.00 to warm and to hot (any revenue at all makes it hot) */
    assert_int_equal(fx_res("OLD")->temp, SF_TEMP_COLD);
    assert_int_equal(ex("OLD")->to_warm, 0);
    assert_int_equal(ex("OLD")->to_hot, 0);
    /* no segment values: no benchmark, hot at its own revenue */
    assert_int_equal(ex("B0")->bench_level, 0);
    assert_int_equal(ex("B0")->benchmark, SF_NONE);
    assert_int_equal(ex("B0")->to_warm, SF_NONE);
    assert_int_equal(ex("B0")->to_hot, SF_NONE);
    fx_end();
}

/* segment_by = industry, region; min_peers 3. Steel/North buys 600.00,
 * 1000.00, 2000.01, 2000.01, 3000.00: median 2000.01 (index 2 of 5).
 * Steel as a whole adds X1 (50.00, no region) and N1 has no industry. */
static void test_temperature_and_benchmark(void **state)
{
    (void)state;
    fx_config();
    fx_cfg.n_segment_by = 2;
    fx_cfg.segment_by[0] = SF_SEG_INDUSTRY;
    fx_cfg.segment_by[1] = SF_SEG_REGION;
    fx_cfg.min_peers = 3;
    fx_begin("2025-06-30");
    const struct {
        const char *id, *region;
        int64_t rev;
    } steel[] = {{"S1", "North", 300000}, {"S2", "North", 200001}, {"S3", "North", 200001},
                 {"S4", "North", 60000},  {"W1", "North", 100000}, {"X1", NULL, 5000}};
    for (size_t i = 0; i < SF_ARRAY_LEN(steel); i++) {
        fx_account_full(steel[i].id, "Ann", "Steel", steel[i].region, SF_NONE, SF_NONE, NULL, NULL);
        fx_tx(steel[i].id, "2025-05-01", steel[i].rev);
    }
    fx_account_full("P0", "Ann", "Steel", "North", SF_NONE, SF_NONE, NULL, NULL);
    fx_opp("OP0", "P0", NULL, "2025-06-01", SF_ST_OPEN, "proposal", 10000, "50", "", "2025-07-10",
           NULL);
    fx_account("N1", "Ann");
    fx_tx("N1", "2025-05-01", 1000);
    fx_run();
    const sf_explain_result *e = &fx_rep.explain;
    assert_string_equal(e->bench_keys[0], "industry");
    assert_string_equal(e->bench_keys[1], "industry;region");

    /* S4: potential 2000.01, 600.00 / 2000.01 = 0.29999 < 0.30: cold.
     * to warm: ceil(0.3 x 2000.01) = ceil(600.003) = 600.01 - 600.00 = 0.01;
     * to hot: ceil(0.75 x 2000.01) = ceil(1500.0075) = 1500.01 - 600.00 */
    assert_int_equal(ex("S4")->bench_level, 2);
    assert_int_equal(ex("S4")->bench_peers, 5);
    assert_int_equal(ex("S4")->benchmark, 200001);
    assert_int_equal(fx_res("S4")->temp, SF_TEMP_COLD);
    assert_int_equal(ex("S4")->to_warm, 1);
    assert_int_equal(ex("S4")->to_hot, 150001 - 60000);
    /* W1: 1000.00 / 2000.01 = 0.49999: warm; to hot 1500.01 - 1000.00 */
    assert_int_equal(fx_res("W1")->temp, SF_TEMP_WARM);
    assert_int_equal(ex("W1")->to_warm, SF_NONE);
    assert_int_equal(ex("W1")->to_hot, 50001);
    /* P0 never bought (an open deal): potential is the benchmark, of the
     * five buying peers (itself not among them) */
    assert_int_equal(ex("P0")->bench_peers, 5);
    assert_int_equal(ex("P0")->to_warm, 60001);
    assert_int_equal(ex("P0")->to_hot, 150001);
    /* X1 has no region: level 1, Steel's six buyers 50.00 .. 3000.00:
     * median 1000.00 (index 2); to warm 300.00 - 50.00, to hot 750.00 - 50.00 */
    assert_int_equal(ex("X1")->bench_level, 1);
    assert_int_equal(ex("X1")->bench_peers, 6);
    assert_int_equal(ex("X1")->benchmark, 100000);
    assert_int_equal(ex("X1")->to_warm, 25000);
    assert_int_equal(ex("X1")->to_hot, 70000);
    /* S1 is hot at its own 3000.00 (above the benchmark) */
    assert_int_equal(ex("S1")->benchmark, 200001);
    assert_int_equal(ex("S1")->to_hot, SF_NONE);
    /* N1: no industry, no benchmark */
    assert_int_equal(ex("N1")->bench_level, 0);
    assert_int_equal(ex("N1")->bench_peers, 0);
    /* L = 3000.00 (seven buyers, k = 1): a_cut 2400.00, b_cut 1350.00;
     * S2 (potential 2000.01, B) needs 2400.00 - 2000.01, S4 (potential
     * 2000.01, B) 2400.00 - 600.00: what is missing is revenue, not potential */
    assert_int_equal(fx_res("S2")->tier, SF_TIER_B);
    assert_int_equal(ex("S2")->to_next_tier, 39999);
    assert_int_equal(fx_res("S4")->tier, SF_TIER_B);
    assert_int_equal(ex("S4")->to_next_tier, 180000);
    assert_int_equal(ex("P0")->to_next_tier, 240000);

    /* the explain.csv rows of S4: in accounts.csv order, nine items */
    const sf_list *l = sf_list_find("explain");
    assert_non_null(l);
    assert_null(l->sheet_key);
    size_t row = (size_t)fx_rep.explain.pos[sf_dataset_find(fx_ds, "S4")] * 9;
    static const char *const want[9][2] = {
        {"benchmark_keys", "industry;region"}, {"benchmark_peers", "5"}, {"benchmark", "2000.01"},
        {"level_revenue", "3000.00"},          {"a_cut", "2400.00"},     {"b_cut", "1350.00"},
        {"to_next_tier", "1800.00"},           {"to_warm", "0.01"},      {"to_hot", "900.01"}};
    for (int i = 0; i < 9; i++) {
        sf_cell c[SF_LIST_MAX_COLS];
        char buf[SF_CELL_TEXT_MAX];
        memset(c, 0, sizeof c);
        l->row(&fx_rep, row + (size_t)i, c);
        assert_string_equal(c[0].text, "accounts");
        assert_string_equal(c[1].text, "S4");
        assert_string_equal(c[2].text, want[i][0]);
        assert_string_equal(sf_cell_text(&l->cols[3], &c[3], buf), want[i][1]);
    }
    fx_end();
}

/* No three won deals: avg_cycle = default_cycle_days 61; stale_factor 1.5:
 * stale after floor(91.5) = 91 days; latest next step T + 61. */
static void test_pipeline_deadlines(void **state)
{
    (void)state;
    fx_config();
    fx_cfg.default_cycle_days = 61;
    fx_cfg.stale_factor = 1500000;
    fx_cfg.min_probability = 20500000; /* 20.5 */
    fx_begin("2025-06-30");
    fx_account("A", "Ann");
    fx_opp("O1", "A", NULL, "2025-03-31", SF_ST_OPEN, NULL, 1000, "35", "", "2025-08-30", NULL);
    fx_opp("O2", "A", NULL, "2025-03-30", SF_ST_OPEN, NULL, 900, NULL, "", "2025-08-31", NULL);
    fx_run();
    const sf_explain_result *e = &fx_rep.explain;
    assert_int_equal(fx_rep.pipeline.avg_cycle_days, 61);
    assert_int_equal(e->stale_after_days, 91);
    assert_string_equal(e->min_probability, "20.5");
    /* O1: age 91, next step T + 61: neither stale nor too far;
     * O2: age 92, next step T + 62: both */
    const sf_list *l = sf_list_find("explain");
    size_t first = l->count(&fx_rep) - 2 * 7; /* the pipeline's rows come last */
    assert_int_equal(fx_rep.pipeline.n, 2);
    for (int k = 0; k < 2; k++) {
        const sf_pipeline_row *pr = &fx_rep.pipeline.rows[k];
        const char *id = fx_ds->opps[pr->opp].id;
        bool o1 = strcmp(id, "O1") == 0;
        assert_int_equal(!!(pr->f2_misses & SF_F2_STALE), !o1);
        assert_int_equal(!!(pr->f2_misses & SF_F2_NEXT_STEP_TOO_FAR), !o1);
        static const char *const items[7] = {"avg_cycle_days", "next_step_date", "latest_ok_next_step",
                                             "age_days", "stale_after_days", "probability",
                                             "min_probability"};
        const char *want[7] = {"61", o1 ? "2025-08-30" : "2025-08-31", "2025-08-30", o1 ? "91" : "92",
                               "91", o1 ? "35" : "", "20.5"};
        for (int i = 0; i < 7; i++) {
            sf_cell c[SF_LIST_MAX_COLS];
            char buf[SF_CELL_TEXT_MAX];
            memset(c, 0, sizeof c);
            l->row(&fx_rep, first + (size_t)k * 7 + (size_t)i, c);
            assert_string_equal(c[0].text, "pipeline");
            assert_string_equal(c[1].text, id);
            assert_string_equal(c[2].text, items[i]);
            assert_string_equal(sf_cell_text(&l->cols[3], &c[3], buf), want[i]);
        }
    }
    fx_end();
}

/* fraction 0.5 of four eligible C clients (net = margin = 0.3 x rev, no
 * activities): the two lowest, 30.00 and 60.00; the cut is 60.00. */
static void test_fire_cut_and_sections(void **state)
{
    (void)state;
    fx_config();
    fx_cfg.fire_fraction = 500000;
    fx_begin("2025-06-30");
    fx_account("TOP", "Ann");
    fx_tx("TOP", "2024-09-01", 1000000);
    const char *ids[] = {"F1", "F2", "F3", "F4"};
    for (int i = 0; i < 4; i++) {
        fx_account(ids[i], "Ann");
        fx_tx(ids[i], "2024-09-01", 10000 * (i + 1));
    }
    fx_run();
    assert_int_equal(fx_rep.fire.n, 2);
    assert_int_equal(fx_rep.explain.cut_net_value, 6000);
    /* sections in §9's order: accounts, decline_alerts, cadence_due,
     * fire_candidates, pipeline; nothing declined, everyone due (never
     * contacted) */
    const sf_list *l = sf_list_find("explain");
    size_t n_acc = 5 * 9, n_cad = (size_t)fx_rep.cadence.n * 4;
    assert_int_equal(fx_rep.decline.n, 0);
    assert_int_equal(l->count(&fx_rep), n_acc + n_cad + 2 * 4);
    sf_cell c[SF_LIST_MAX_COLS];
    char buf[SF_CELL_TEXT_MAX];
    memset(c, 0, sizeof c);
    l->row(&fx_rep, n_acc, c); /* the first cadence item */
    assert_string_equal(c[0].text, "cadence_due");
    assert_string_equal(c[2].text, "interval_days");
    memset(c, 0, sizeof c);
    l->row(&fx_rep, n_acc + 3, c);
    assert_string_equal(c[2].text, "reorder_pull");
    assert_string_equal(sf_cell_text(&l->cols[3], &c[3], buf), "no");
    static const char *const want[2][4] = {{"30.00", "0.00", "30.00", "60.00"},
                                           {"60.00", "0.00", "60.00", "60.00"}};
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 4; i++) {
            memset(c, 0, sizeof c);
            l->row(&fx_rep, n_acc + n_cad + (size_t)k * 4 + (size_t)i, c);
            assert_string_equal(c[0].text, "fire_candidates");
            assert_string_equal(c[1].text, ids[k]);
            assert_string_equal(sf_cell_text(&l->cols[3], &c[3], buf), want[k][i]);
        }
    fx_end();
}

/* A sink that keeps the text: fields quoted as RFC 4180 wants. */
typedef struct {
    sf_csv_sink sink;
    char buf[1 << 16];
    size_t len;
    int col;
} text_sink;

static void ts_put(text_sink *t, const char *s, size_t n, bool quote_if_needed)
{
    if (t->col++)
        t->buf[t->len++] = ',';
    bool q = quote_if_needed && strcspn(s, ",\"\r\n") < n;
    if (q)
        t->buf[t->len++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (q && s[i] == '"')
            t->buf[t->len++] = '"';
        t->buf[t->len++] = s[i];
    }
    if (q)
        t->buf[t->len++] = '"';
    assert_true(t->len < sizeof t->buf - 256);
}
static void ts_text(sf_csv_sink *s, const char *text)
{
    ts_put((text_sink *)s, text ? text : "", text ? strlen(text) : 0, true);
}
static void ts_word(sf_csv_sink *s, const char *text, size_t n)
{
    ts_put((text_sink *)s, text, n, false);
}
static void ts_value(sf_csv_sink *s, sf_col_type type, int64_t v)
{
    char b[SF_CELL_TEXT_MAX];
    const sf_column col = {.type = type};
    const sf_cell cell = {.v = v};
    const char *t = sf_cell_text(&col, &cell, b);
    ts_put((text_sink *)s, t, strlen(t), true);
}
static void ts_end(sf_csv_sink *s)
{
    text_sink *t = (text_sink *)s;
    t->buf[t->len++] = '\n';
    t->col = 0;
}

/* explain.csv's own writer (write_csv, what the CSV output uses) gives
 * exactly the rows its cells give, on a book with every section, ids that
 * need quoting and an empty value of each kind. */
static void test_writer_equals_cells(void **state)
{
    (void)state;
    fx_config();
    fx_begin("2025-06-30");
    const char *ids[] = {"Q\"1", "C,2", "D3", "E4", "F5"};
    for (int i = 0; i < 5; i++)
        fx_account(ids[i], "Ann");
    fx_tx("Q\"1", "2024-05-01", 100000);
    fx_tx("Q\"1", "2025-05-01", 10000); /* a decline alert */
    fx_tx("C,2", "2024-09-01", 50000);
    fx_tx("D3", "2024-09-01", 20000);
    fx_tx("E4", "2024-09-01", 30000);
    fx_act("D3", NULL, "2025-01-10", SF_ACT_CALL, SF_OUT_NONE, 0);
    fx_opp("O,1", "F5", NULL, "2025-04-01", SF_ST_OPEN, NULL, 5000, "50", "", "2025-07-10", NULL);
    fx_opp("O2", "E4", NULL, "2025-04-01", SF_ST_OPEN, NULL, 5000, NULL, "", "", NULL);
    fx_cfg.fire_fraction = 500000;
    fx_run();
    const sf_list *l = sf_list_find("explain");
    assert_non_null(l->write_csv);
    assert_true(fx_rep.decline.n > 0 && fx_rep.cadence.n > 0 && fx_rep.fire.n > 0 && fx_rep.pipeline.n == 2);
    static text_sink a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    a.sink = (sf_csv_sink){ts_text, ts_word, ts_value, ts_end};
    l->write_csv(&fx_rep, &a.sink);
    for (size_t r = 0, n = l->count(&fx_rep); r < n; r++) {
        sf_cell c[SF_LIST_MAX_COLS];
        char buf[SF_CELL_TEXT_MAX];
        memset(c, 0, sizeof c);
        l->row(&fx_rep, r, c);
        for (int k = 0; k < l->n_cols; k++) {
            const char *t = sf_cell_text(&l->cols[k], &c[k], buf);
            ts_put(&b, t, strlen(t), true);
        }
        ts_end(&b.sink);
    }
    a.buf[a.len] = b.buf[b.len] = '\0';
    assert_string_equal(a.buf, b.buf);
    assert_non_null(strstr(a.buf, "accounts,\"Q\"\"1\",benchmark_keys,\n"));
    assert_non_null(strstr(a.buf, "pipeline,\"O,1\",probability,50\n"));
    assert_non_null(strstr(a.buf, "pipeline,O2,next_step_date,\n"));
    fx_end();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_to_clear_share),
        cmocka_unit_test(test_to_clear_amount),
        cmocka_unit_test(test_to_next_tier),
        cmocka_unit_test(test_temperature_and_benchmark),
        cmocka_unit_test(test_pipeline_deadlines),
        cmocka_unit_test(test_fire_cut_and_sections),
        cmocka_unit_test(test_writer_equals_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
