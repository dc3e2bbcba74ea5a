/*
 * test_history.c - SPEC §7 below the commands: the rules text and its
 * fingerprint (defaults, what changes it and what does not), the lexical
 * path resolution of the store's default path, the store itself (a run
 * written and read back field by field, replaced, rolled back, pruned, a
 * newer schema and another config refused) and the trend's window.
 *
 * Each test works in a fresh scratch folder (the current directory).
 */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/sf_report.h"
#include "cli/sf_history_cmd.h"
#include "config/sf_config.h"
#include "history/sf_history.h"
#include "history/sf_history_int.h" /* the open store's SQLite handle, to lower its length limit */
#include "sf_test.h"

static int setup(void **state)
{
    if (sf_test_scratch(state, "/tmp/sf_test_history_XXXXXX") != 0)
        return -1;
    sf_test_write_file("t.csv", "account_id,date,amount\n");
    return 0;
}

/* The rules of the config text, and its fingerprint. */
static char *rules_of(const char *text, char fp[17])
{
    sf_config cfg;
    sf_ctx ctx;
    assert_int_equal(sf_test_load_config(&cfg, &ctx, text, "."), SF_OK);
    char *r = sf_config_rules(&cfg);
    assert_non_null(r);
    sf_config_fingerprint(r, fp);
    sf_config_release(&cfg);
    return r;
}

static void test_rules(void **state)
{
    (void)state;
    char a[17], b[17], c[17], d[17];
    char *ra = rules_of("[input]\ntransactions = t.csv\n", a);
    /* the defaults are part of the rules, each key on its line, in the
     * schema's order; nothing outside the rule sections */
    assert_non_null(strstr(ra, "run.currency = EUR\ntiers.reference_top_share = 0.1\ntiers.a_min = 0.8\n"));
    assert_non_null(strstr(ra, "\ncadence.a_days = 30\n"));
    assert_non_null(strstr(ra, "\npotential.segment_by = industry, size_band, region\n"));
    assert_non_null(strstr(ra, "\ncadence.tiers = A, B, C, D\n"));
    assert_non_null(strstr(ra, "\nideal_client.industries = (unset)\nideal_client.min_employees = \n"));
    assert_non_null(strstr(ra, "\nqualification.decision_titles = ceo, cfo, controller, director, founder, owner, "
                               "president\n"));
    assert_non_null(strstr(ra, "\nreorder.pull_cadence = yes\n"));
    assert_null(strstr(ra, "history."));
    assert_null(strstr(ra, "input."));
    assert_null(strstr(ra, "outputs."));
    assert_int_equal(strlen(a), 16);
    /* comments, order, spelling of numbers and of list values: the same */
    char *rb = rules_of("; a comment\n[ideal_client]\nindustries = Retail, logistics\n[tiers]\na_min = 0.800\n"
                        "[input]\ntransactions = t.csv\n[currency_rates]\nUSD = 0.5\nCHF = 1.05\n",
                        b);
    char *rc = rules_of("[currency_rates]\nCHF = 1.050000\nUSD = .5\n[input]\ntransactions = t.csv\n"
                        "[ideal_client]\nindustries = LOGISTICS,   retail\n",
                        c);
    assert_string_equal(rb, rc);
    assert_string_equal(b, c);
    assert_non_null(strstr(rb, "ideal_client.industries = logistics, retail\n"));
    assert_non_null(strstr(rb, "currency_rates.CHF = 1.05\ncurrency_rates.USD = 0.5\n"));
    assert_string_not_equal(a, b);
    /* a rule changed: another fingerprint; a non-rule changed: the same */
    char *rd = rules_of("[input]\ntransactions = t.csv\n[temperature]\nhot_min = 0.7\n", d);
    assert_string_not_equal(a, d);
    free(rd);
    rd = rules_of("[input]\ntransactions = t.csv\ndelimiter = semicolon\n[run]\nlanguage = ru\n[history]\nkeep_runs = 5\n", d);
    assert_string_equal(a, d);
    /* FNV-1a 64 of the text */
    char e[17];
    sf_config_fingerprint("", e);
    assert_string_equal(e, "cbf29ce484222325");
    sf_config_fingerprint("a", e);
    assert_string_equal(e, "af63dc4c8601ec8c");
    free(ra);
    free(rb);
    free(rc);
    free(rd);
}

static void expect_path(const char *in, const char *out)
{
    char *n = sf_cli_normalize_path(in);
    assert_non_null(n);
    assert_string_equal(n, out);
    free(n);
}

static void test_normalize(void **state)
{
    (void)state;
    expect_path("out/2025-06-30/../history.sqlite", "out/history.sqlite");
    expect_path("/srv/sales/out/{x}/../h.sqlite", "/srv/sales/out/h.sqlite");
    expect_path("./a//b/./c/", "a/b/c");
    expect_path("a/..", ".");
    expect_path("a/../../b", "../b");
    expect_path("../../x/y/../z", "../../x/z");
    expect_path("/..", "/");
    expect_path("/a/../../b", "/b");
    expect_path("out/..", ".");
    expect_path("history.sqlite", "history.sqlite");
}

/* A run of two accounts and one deal. */
static void sample_run(sf_hist_run *r, sf_hist_account acc[2], sf_hist_deal *deal, sf_date T)
{
    memset(r, 0, sizeof *r);
    r->as_of = T;
    snprintf(r->fingerprint, sizeof r->fingerprint, "0123456789abcdef");
    r->fig = (sf_hist_figures){.as_of = T, .accounts = 2, .rev12 = 150000, .tier_accounts = {1, 0, 1, 0},
                               .tier_rev12 = {100000, 0, 50000, 0}, .cold_a = 1, .due = 2, .alerts = 1,
                               .fire = 0, .verdicts = {1, 0, 0}};
    r->rev_prev12 = 90000;
    r->growth = SF_NONE;
    r->lost = 0;
    r->rejected = 3;
    acc[0] = (sf_hist_account){.id = "A1", .name = "Ąlpha Sp. z o.o.", .owner = "Anna", .tier = SF_TIER_A,
                               .temp = SF_TEMP_COLD, .rev12 = 100000, .potential = 400000,
                               .last_contact = sf_date_from_ymd(2025, 6, 1), .next_due = sf_date_from_ymd(2025, 7, 1),
                               .days_overdue = SF_NONE, .decline = 2, .drop = 12345, .fire = false,
                               .reorder = SF_REORDER_LAPSED, .index = 0};
    acc[1] = (sf_hist_account){.id = "B2", .name = "Beta", .owner = "(unassigned)", .tier = SF_TIER_C,
                               .temp = SF_TEMP_HOT, .rev12 = 50000, .potential = 50000, .last_contact = SF_NODATE,
                               .next_due = T, .days_overdue = 0, .decline = 0, .drop = SF_NONE, .fire = true,
                               .reorder = SF_REORDER_NONE, .index = 1};
    *deal = (sf_hist_deal){.id = "D1", .account_id = "A1", .owner = "Ben", .stage = NULL, .status = SF_ST_OPEN,
                           .verdict = SF_VERDICT_PURSUE, .amount = SF_NONE, .close_date = SF_NODATE,
                           .next_step_date = sf_date_from_ymd(2025, 7, 3), .index = 0};
    r->acc = acc;
    r->n_acc = 2;
    r->deals = deal;
    r->n_deals = 1;
}

static void test_store_roundtrip(void **state)
{
    (void)state;
    sf_ctx ctx = {0};
    sf_history *h = NULL;
    /* READ and UPDATE open nothing that is not there */
    assert_int_equal(sf_history_open("s.sqlite", "/c.ini", SF_HIST_READ, &h, &ctx), SF_OK);
    assert_null(h);
    assert_int_equal(access("s.sqlite", F_OK), -1);
    assert_int_equal(sf_history_open("s.sqlite", "/c.ini", SF_HIST_CREATE, &h, &ctx), SF_OK);
    assert_non_null(h);
    assert_true(sf_history_created(h));
    sf_hist_run r;
    sf_hist_account acc[2];
    sf_hist_deal deal;
    sf_date T = sf_date_from_ymd(2025, 6, 30), T0 = sf_date_from_ymd(2025, 6, 23);
    sample_run(&r, acc, &deal, T0);
    assert_int_equal(sf_history_put(h, &r, "rules", "EUR", 104, &ctx), SF_OK);
    /* a second run rolled back leaves one */
    sample_run(&r, acc, &deal, T);
    assert_int_equal(sf_history_put_begin(h, &r, "rules", "EUR", 104, &ctx), SF_OK);
    assert_int_equal(sf_history_put_end(h, false, &ctx), SF_OK);
    sf_history_state st;
    assert_int_equal(sf_history_state_of(h, &st, &ctx), SF_OK);
    assert_int_equal(st.runs, 1);
    assert_int_equal(st.schema, SF_HISTORY_SCHEMA);
    assert_string_equal(st.config, "/c.ini");
    sf_history_close(h);

    /* read back as P of a run at T: every field as stored */
    assert_int_equal(sf_history_open("s.sqlite", "/c.ini", SF_HIST_READ, &h, &ctx), SF_OK);
    sf_history_view v;
    assert_int_equal(sf_history_load(h, T, 26, NULL, 0, &v, &ctx), SF_OK);
    assert_true(v.have_prev);
    assert_int_equal(v.prev.as_of, T0);
    assert_string_equal(v.prev.fingerprint, "0123456789abcdef");
    assert_int_equal(v.prev.n_acc, 2);
    const sf_hist_account *a = &v.prev.acc[0], *b = &v.prev.acc[1];
    assert_string_equal(a->id, "A1");
    assert_string_equal(a->name, "Ąlpha Sp. z o.o.");
    assert_string_equal(a->owner, "Anna");
    assert_int_equal(a->tier, SF_TIER_A);
    assert_int_equal(a->temp, SF_TEMP_COLD);
    assert_int_equal(a->rev12, 100000);
    assert_int_equal(a->potential, 400000);
    assert_int_equal(a->last_contact, sf_date_from_ymd(2025, 6, 1));
    assert_int_equal(a->next_due, sf_date_from_ymd(2025, 7, 1));
    assert_true(a->days_overdue == SF_NONE);
    assert_int_equal(a->decline, 2);
    assert_int_equal(a->drop, 12345);
    assert_false(a->fire);
    assert_int_equal(a->reorder, SF_REORDER_LAPSED);
    assert_string_equal(b->owner, "(unassigned)");
    assert_int_equal(b->last_contact, SF_NODATE);
    assert_int_equal(b->days_overdue, 0);
    assert_true(b->drop == SF_NONE);
    assert_true(b->fire);
    assert_int_equal(v.prev.n_deals, 1);
    assert_string_equal(v.prev.deals[0].id, "D1");
    assert_string_equal(v.prev.deals[0].owner, "Ben");
    assert_null(v.prev.deals[0].stage);
    assert_true(v.prev.deals[0].amount == SF_NONE);
    assert_int_equal(v.prev.deals[0].close_date, SF_NODATE);
    assert_int_equal(v.prev.deals[0].verdict, SF_VERDICT_PURSUE);
    assert_int_equal(v.n_runs, 1);
    assert_int_equal(v.runs[0].cold_a, 1);
    assert_int_equal(v.runs[0].tier_rev12[2], 50000);
    sf_history_view_release(&v);
    /* a run at T0 itself has no P */
    assert_int_equal(sf_history_load(h, T0, 26, NULL, 0, &v, &ctx), SF_OK);
    assert_false(v.have_prev);
    assert_int_equal(v.n_runs, 0);
    sf_history_view_release(&v);
    sf_history_close(h);

    /* another config's: refused, naming both */
    assert_int_equal(sf_history_open("s.sqlite", "/other.ini", SF_HIST_READ, &h, &ctx), SF_ERR_OUTPUT);
    assert_null(h);
    assert_non_null(strstr(ctx.msg, "belongs to the config '/c.ini', not to '/other.ini'"));
}

static void test_store_prune_replace(void **state)
{
    (void)state;
    sf_ctx ctx = {0};
    sf_history *h = NULL;
    assert_int_equal(sf_history_open("p.sqlite", "/c.ini", SF_HIST_CREATE, &h, &ctx), SF_OK);
    sf_hist_run r;
    sf_hist_account acc[2];
    sf_hist_deal deal;
    for (int w = 0; w < 5; w++) {
        sample_run(&r, acc, &deal, sf_date_from_ymd(2025, 6, 2 + 7 * w));
        r.fig.due = (uint32_t)w;
        assert_int_equal(sf_history_put(h, &r, "r", "EUR", 3, &ctx), SF_OK);
    }
    /* the same date again replaces it */
    sample_run(&r, acc, &deal, sf_date_from_ymd(2025, 6, 30));
    r.fig.due = 99;
    assert_int_equal(sf_history_put(h, &r, "r", "EUR", 3, &ctx), SF_OK);
    sf_history_listed *rows;
    size_t n;
    assert_int_equal(sf_history_list(h, &rows, &n, &ctx), SF_OK);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].as_of, sf_date_from_ymd(2025, 6, 16));
    assert_int_equal(rows[2].as_of, sf_date_from_ymd(2025, 6, 30));
    assert_int_equal(rows[2].fig.due, 99);
    free(rows);
    /* the trend window: the latest trend_runs - 1 before T, oldest first */
    sf_history_view v;
    assert_int_equal(sf_history_load(h, sf_date_from_ymd(2025, 7, 7), 3, NULL, 0, &v, &ctx), SF_OK);
    assert_int_equal(v.n_runs, 2);
    assert_int_equal(v.runs[0].as_of, sf_date_from_ymd(2025, 6, 23));
    assert_int_equal(v.runs[1].due, 99);
    sf_history_view_release(&v);
    sf_history_account_row *ar;
    assert_int_equal(sf_history_account(h, "A1", &ar, &n, &ctx), SF_OK);
    assert_int_equal(n, 3);
    assert_string_equal(ar[0].name, "Ąlpha Sp. z o.o.");
    free(ar);
    sf_history_close(h);
}

static void test_store_refuses(void **state)
{
    (void)state;
    sf_ctx ctx = {0};
    sf_history *h = NULL;
    sf_test_write_file("n.sqlite", "");
    assert_int_equal(sf_history_open("n.sqlite", "/c.ini", SF_HIST_CREATE, &h, &ctx), SF_ERR_OUTPUT);
    assert_non_null(strstr(ctx.msg, "history store 'n.sqlite' ([history] path): not a salesfocus history store"));
    struct stat st;
    assert_int_equal(stat("n.sqlite", &st), 0);
    assert_int_equal(st.st_size, 0);
    /* a store of a newer schema: the header says so */
    memset(&ctx, 0, sizeof ctx);
    assert_int_equal(sf_history_open("z.sqlite", "/c.ini", SF_HIST_CREATE, &h, &ctx), SF_OK);
    sf_history_close(h);
    FILE *f = fopen("z.sqlite", "r+b");
    assert_non_null(f);
    unsigned char v[4] = {0, 0, 0, SF_HISTORY_SCHEMA + 1};
    assert_int_equal(fseek(f, 60, SEEK_SET), 0);
    assert_int_equal(fwrite(v, 1, 4, f), 4);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(sf_history_open("z.sqlite", "/c.ini", SF_HIST_UPDATE, &h, &ctx), SF_ERR_OUTPUT);
    assert_non_null(strstr(ctx.msg, "is newer than this salesfocus knows"));
    assert_int_equal(access("z.sqlite-wal", F_OK), -1);
}

/* A bind that fails (here SQLITE_TOOBIG: a text past the connection's
 * length limit) is an error naming the store, and nothing is stored: an
 * unchecked bind would leave its parameter NULL and store a silently wrong
 * row (a deal's stage may be NULL) or fail on a NOT NULL column with a
 * misleading message. */
static void test_store_bind_fails(void **state)
{
    (void)state;
    sf_ctx ctx = {0};
    sf_history *h = NULL;
    assert_int_equal(sf_history_open("b.sqlite", "/c.ini", SF_HIST_CREATE, &h, &ctx), SF_OK);
    sf_hist_run r;
    sf_hist_account acc[2];
    sf_hist_deal deal;
    sf_date T0 = sf_date_from_ymd(2025, 6, 23), T = sf_date_from_ymd(2025, 6, 30);
    sample_run(&r, acc, &deal, T0);
    assert_int_equal(sf_history_put(h, &r, "rules", "EUR", 104, &ctx), SF_OK);
    /* every row this test writes fits in 256 bytes; the long texts do not */
    sqlite3_limit(h->db, SQLITE_LIMIT_LENGTH, 256);
    char long_text[400];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    const char *want = "history store 'b.sqlite' ([history] path): cannot store the run: string or blob too big";

    /* a deal's stage (a NULL-able column) */
    sample_run(&r, acc, &deal, T);
    deal.stage = long_text;
    assert_int_equal(sf_history_put(h, &r, "rules", "EUR", 104, &ctx), SF_ERR_OUTPUT);
    assert_non_null(strstr(ctx.msg, want));
    /* an account's name */
    memset(&ctx, 0, sizeof ctx);
    sample_run(&r, acc, &deal, T);
    acc[1].name = long_text;
    assert_int_equal(sf_history_put(h, &r, "rules", "EUR", 104, &ctx), SF_ERR_OUTPUT);
    assert_non_null(strstr(ctx.msg, want));
    /* a mail's recipient in the send log */
    memset(&ctx, 0, sizeof ctx);
    sf_mail_log_entry le = {.kind = "report", .recipient = long_text, .scope = "", .as_of = T,
                            .message_id = "m@x", .digest = "", .status = "sending", .exit_code = -1};
    int64_t row = -1;
    assert_int_equal(sf_history_mail_begin(h, &le, &row, &ctx), SF_ERR_OUTPUT);
    assert_non_null(strstr(ctx.msg, "history store 'b.sqlite' ([history] path): cannot write its send log: "
                                    "string or blob too big"));
    assert_int_equal(row, 0); /* not the connection's last insert (the run's last row) */

    /* the store is left as it was: the first run only, no mail */
    sf_history_close(h);
    assert_int_equal(sf_history_open("b.sqlite", "/c.ini", SF_HIST_READ, &h, &ctx), SF_OK);
    sf_history_state st;
    assert_int_equal(sf_history_state_of(h, &st, &ctx), SF_OK);
    assert_int_equal(st.runs, 1);
    assert_int_equal(st.last, T0);
    sf_mail_memory mem;
    assert_int_equal(sf_history_mail_memory(h, sf_date_from_ymd(2025, 7, 7), 4, &mem, &ctx), SF_OK);
    assert_int_equal(mem.n, 0);
    sf_mail_memory_release(&mem);
    sf_history_close(h);
}

int main(void)
{
    if (sf_test_init() != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rules, setup, sf_test_scratch_remove),
        cmocka_unit_test(test_normalize),
        cmocka_unit_test_setup_teardown(test_store_roundtrip, setup, sf_test_scratch_remove),
        cmocka_unit_test_setup_teardown(test_store_prune_replace, setup, sf_test_scratch_remove),
        cmocka_unit_test_setup_teardown(test_store_refuses, setup, sf_test_scratch_remove),
        cmocka_unit_test_setup_teardown(test_store_bind_fails, setup, sf_test_scratch_remove),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
