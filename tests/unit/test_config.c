/*
 * test_config.c - the configuration loader: defaults, every value type,
 * every error message (exact text), presets, continuation lines, value
 * mapping, and that the generated reference loads to exactly the defaults
 * (tests/e2e/config_docs.sh checks the shipped copies against the binary).
 *
 * Each test works in a fresh scratch folder (the current directory), so
 * error messages name "c.ini" and presets live under "share/".
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

#include "config/sf_config.h"
#include "base/sf_settings.h"
#include "sf_test.h"

/* A scratch folder with t.csv, o.csv and three presets, made current. */
static int setup(void **state)
{
    if (sf_test_scratch(state, "/tmp/sf_test_config_XXXXXX") != 0)
        return -1;
    if (mkdir("share", 0755) || mkdir("share/config", 0755) || mkdir("share/config/crm", 0755))
        return -1;
    sf_test_write_file("t.csv", "account_id,date,amount\n");
    sf_test_write_file("o.csv", "opportunity_id,account_id,created\n");
    sf_test_write_file("share/config/crm/acme.ini",
                       "; a preset\n"
                       "[input]\n"
                       "delimiter = semicolon\n"
                       "decimal = ,\n"
                       "[columns.accounts]\n"
                       "name = Company\n"
                       "owner = Rep\n"
                       "[activity_types]\n"
                       "call = Phone\n"
                       "visit = Besuch\n");
    sf_test_write_file("share/config/crm/nested.ini", "[input]\npreset = acme\n");
    sf_test_write_file("share/config/crm/withfile.ini", "[input]\naccounts = a.csv\n");
    return 0;
}

/* Write text as c.ini and load it over the defaults. */
static sf_err load(sf_config *cfg, sf_ctx *ctx, const char *text)
{
    return sf_test_load_config(cfg, ctx, text, "share");
}

/* Load text expecting failure with exactly this message and code. */
static void expect_error(const char *text, sf_err code, const char *msg)
{
    sf_config cfg;
    sf_ctx ctx;
    sf_err rc = load(&cfg, &ctx, text);
    assert_string_equal(ctx.msg, msg);
    assert_int_equal(rc, code);
    assert_int_equal(ctx.code, code);
    sf_config_release(&cfg);
}

#define INPUT "[input]\ntransactions = t.csv\n"

static void test_defaults(void **state)
{
    (void)state;
    sf_config c;
    assert_int_equal(sf_config_init(&c), SF_OK);
    assert_int_equal(c.as_of, SF_NODATE);
    assert_string_equal(c.output_dir, "out/{as_of}");
    assert_string_equal(c.language, "en");
    assert_string_equal(c.currency, "EUR");
    assert_string_equal(c.period, "weekly");
    assert_null(c.lock_file);
    for (int f = 0; f < SF_FILE_N; f++)
        assert_null(c.file[f]);
    assert_false(c.transactions_from_won);
    assert_int_equal(c.delimiter, 0);
    assert_string_equal(c.encoding, "UTF-8");
    assert_string_equal(c.date_format, "%Y-%m-%d");
    assert_int_equal(c.decimal, '.');
    assert_int_equal(c.thousands, SF_THOUSANDS_NONE);
    assert_int_equal(c.max_reject_share, 50000);
    assert_null(c.end_marker);
    assert_null(c.preset);
    for (int t = 0; t < SF_ACT_OTHER; t++)
        assert_false(c.activity_types[t].set);
    assert_false(c.outcomes[SF_OUT_CONVERSATION].set);
    assert_false(c.statuses[SF_ST_WON].set);
    assert_int_equal(c.columns[SF_FILE_ACCOUNTS][SF_AF_NAME].kind, SF_MAP_DEFAULT);
    assert_int_equal(c.reference_top_share, 100000);
    assert_int_equal(c.a_min, 800000);
    assert_int_equal(c.b_min, 450000);
    assert_int_equal(c.n_segment_by, 3);
    assert_int_equal(c.segment_by[0], SF_SEG_INDUSTRY);
    assert_int_equal(c.segment_by[1], SF_SEG_SIZE_BAND);
    assert_int_equal(c.segment_by[2], SF_SEG_REGION);
    assert_int_equal(c.n_size_bands, 3);
    assert_int_equal(c.size_bands[0], 10);
    assert_int_equal(c.size_bands[1], 50);
    assert_int_equal(c.size_bands[2], 250);
    assert_int_equal(c.min_peers, 3);
    assert_int_equal(c.hot_min, 750000);
    assert_int_equal(c.cold_below, 300000);
    assert_int_equal(c.cadence_days[SF_TIER_A], 30);
    assert_int_equal(c.cadence_days[SF_TIER_B], 90);
    assert_int_equal(c.cadence_days[SF_TIER_C], 90);
    assert_int_equal(c.cadence_days[SF_TIER_D], 180);
    assert_string_equal(c.cadence_channel[SF_TIER_A], "call/visit");
    assert_string_equal(c.cadence_channel[SF_TIER_B], "call");
    assert_string_equal(c.cadence_channel[SF_TIER_C], "call");
    assert_string_equal(c.cadence_channel[SF_TIER_D], "email");
    for (int t = 0; t < SF_ACT_N; t++)
        assert_true(c.contact_types[t]);
    for (int t = 0; t < SF_TIER_N; t++)
        assert_true(c.cadence_tiers[t]);
    assert_int_equal(c.horizon_days, 7);
    assert_int_equal(c.decline_window_days, 90);
    assert_int_equal(c.decline_compare, SF_CMP_YOY);
    assert_int_equal(c.min_drop_share, 200000);
    assert_int_equal(c.min_drop_amount, 0);
    assert_int_equal(c.fire_fraction, 100000);
    assert_int_equal(c.min_tenure_days, 180);
    assert_true(c.protect_tiers[SF_TIER_A]);
    assert_false(c.protect_tiers[SF_TIER_B]);
    assert_false(c.protect_tiers[SF_TIER_C]);
    assert_false(c.protect_tiers[SF_TIER_D]);
    assert_int_equal(c.gross_margin, 300000);
    assert_int_equal(c.high_cost_share, 500000);
    const int64_t costs[SF_ACT_N] = {1500, 300, 12000, 8000, 1000};
    const int64_t mins[SF_ACT_N] = {10, 5, 90, 60, 15};
    for (int t = 0; t < SF_ACT_N; t++) {
        assert_int_equal(c.costs[t], costs[t]);
        assert_int_equal(c.durations[t], mins[t]);
    }
    assert_int_equal(c.split_mode, SF_SPLIT_AUTO);
    assert_int_equal(c.new_business_share, 500000);
    assert_int_equal(c.existing_factor, 500000);
    assert_int_equal(c.new_factor, 750000);
    assert_int_equal(c.actual_window_days, 90);
    assert_false(c.ic_industries.set);
    assert_false(c.ic_regions.set);
    assert_false(c.ic_fit_values.set);
    assert_false(c.has_min_employees);
    assert_false(c.has_max_employees);
    assert_false(c.has_min_company_revenue);
    assert_int_equal(c.min_won, 3);
    assert_int_equal(c.default_cycle_days, 60);
    assert_int_equal(c.stale_factor, 2000000);
    assert_int_equal(c.min_probability, 20000000);
    assert_false(c.require_decision_maker);
    assert_true(c.decision_titles.set);
    const char *titles[] = {"owner", "founder", "president", "ceo", "cfo", "controller", "director"};
    assert_int_equal(c.decision_titles.values.n, 7);
    for (int i = 0; i < 7; i++)
        assert_string_equal(c.decision_titles.values.v[i], titles[i]);
    assert_int_equal(c.kpi_window_days, 90);
    assert_int_equal(c.daily_call_quota, 20);
    assert_int_equal(c.conv_to_appt_low, 40000);
    assert_int_equal(c.conv_to_appt_high, 180000);
    assert_true(c.proposal_stages.set);
    assert_int_equal(c.proposal_stages.values.n, 2);
    assert_string_equal(c.proposal_stages.values.v[0], "proposal");
    assert_string_equal(c.proposal_stages.values.v[1], "negotiation");
    assert_true(c.out_pdf);
    assert_true(c.out_xlsx);
    assert_true(c.out_csv);
    assert_false(c.out_email);
    assert_true(c.csv_bom);
    assert_int_equal(c.n_rates, 0);
    assert_null(c.email_from);
    assert_int_equal(c.email_to.n, 0);
    assert_null(c.email_subject);
    assert_null(c.email_body_template);
    assert_null(c.sendmail);
    assert_false(c.skip_when_empty);
    assert_true(c.on_failure);
    assert_false(c.per_owner);
    assert_int_equal(c.n_owners, 0);
    sf_config_release(&c);
    sf_config_release(&c); /* a released config can be released again */
}

static void test_types(void **state)
{
    (void)state;
    sf_config c;
    sf_ctx ctx;
    sf_err rc = load(&c, &ctx,
                     "; every type once\n"
                     "[run]\n"
                     "as_of = 2025-06-30\n"
                     "output_dir = reports/{period}/{as_of}\n"
                     "language = ru\n"
                     "period = monthly\n"
                     "lock_file = /tmp/x.lock ; inline comment\n"
                     "[input]\n"
                     "transactions = t.csv\n"
                     "opportunities = o.csv\n"
                     "accounts =\n"
                     "delimiter = tab\n"
                     "encoding = CP1251\n"
                     "date_format = %d.%m.%y\n"
                     "decimal = ,\n"
                     "thousands = space\n"
                     "max_reject_share = 0.125\n"
                     "end_marker = Grand Totals\n"
                     "[columns.accounts]\n"
                     "name = Account Name\n"
                     "fit =\n"
                     "[columns.opportunities]\n"
                     "status = Stage\n"
                     "stage = Stage\n"
                     "[activity_types]\n"
                     "call = Call, Звонок , ,Phone\n"
                     "[opportunity_status]\n"
                     "won = Closed Won\n"
                     "[tiers]\n"
                     "a_min = .9\n"
                     "[potential]\n"
                     "segment_by = Region, fit\n"
                     "size_bands = 5, 20\n"
                     "min_peers = 2\n"
                     "[cadence]\n"
                     "contact_types = call, VISIT\n"
                     "tiers = a, C\n"
                     "[decline]\n"
                     "compare = previous\n"
                     "min_drop_amount = 1234.5\n"
                     "[fire]\n"
                     "protect_tiers =\n"
                     "[costs]\n"
                     "visit = 99.99\n"
                     "[time_split]\n"
                     "mode = new\n"
                     "[ideal_client]\n"
                     "industries = Retail, Logistics\n"
                     "min_employees = 20\n"
                     "min_company_revenue = 1000000\n"
                     "[qualification]\n"
                     "min_probability = 12.5\n"
                     "require_decision_maker = TRUE\n"
                     "decision_titles = Директор\n"
                     "[outputs]\n"
                     "pdf = off\n"
                     "email = 1\n"
                     "[currency_rates]\n"
                     "USD = 0.92\n"
                     "IDR = 0.000057\n"
                     "[email]\n"
                     "to = a@example.com, b@example.com\n"
                     "sendmail = /usr/sbin/sendmail -t -i\n"
                     "body_template = mail.txt\n"
                     "[owners]\n"
                     "Anna Nowak = anna@example.com\n");
    assert_string_equal(ctx.msg, "");
    assert_int_equal(rc, SF_OK);
    assert_int_equal(c.as_of, sf_date_from_ymd(2025, 6, 30));
    assert_string_equal(c.output_dir, "reports/{period}/{as_of}");
    assert_string_equal(c.language, "ru");
    assert_string_equal(c.period, "monthly");
    assert_string_equal(c.lock_file, "/tmp/x.lock");
    assert_string_equal(c.file[SF_FILE_TRANSACTIONS], "t.csv");
    assert_string_equal(c.file[SF_FILE_OPPORTUNITIES], "o.csv");
    assert_null(c.file[SF_FILE_ACCOUNTS]);
    assert_int_equal(c.delimiter, '\t');
    assert_string_equal(c.encoding, "CP1251");
    assert_string_equal(c.date_format, "%d.%m.%y");
    assert_int_equal(c.decimal, ',');
    assert_int_equal(c.thousands, SF_THOUSANDS_SPACE);
    assert_int_equal(c.max_reject_share, 125000);
    assert_string_equal(c.end_marker, "Grand Totals");
    assert_int_equal(c.columns[SF_FILE_ACCOUNTS][SF_AF_NAME].kind, SF_MAP_HEADER);
    assert_string_equal(c.columns[SF_FILE_ACCOUNTS][SF_AF_NAME].header, "Account Name");
    assert_int_equal(c.columns[SF_FILE_ACCOUNTS][SF_AF_FIT].kind, SF_MAP_NONE);
    assert_int_equal(c.columns[SF_FILE_ACCOUNTS][SF_AF_OWNER].kind, SF_MAP_DEFAULT);
    assert_string_equal(c.columns[SF_FILE_OPPORTUNITIES][SF_OF_STATUS].header, "Stage");
    assert_string_equal(c.columns[SF_FILE_OPPORTUNITIES][SF_OF_STAGE].header, "Stage");
    assert_true(c.activity_types[SF_ACT_CALL].set);
    assert_int_equal(c.activity_types[SF_ACT_CALL].values.n, 3);
    assert_string_equal(c.activity_types[SF_ACT_CALL].values.v[0], "call");
    assert_string_equal(c.activity_types[SF_ACT_CALL].values.v[1], "звонок");
    assert_string_equal(c.activity_types[SF_ACT_CALL].values.v[2], "phone");
    assert_int_equal(c.a_min, 900000);
    assert_int_equal(c.n_segment_by, 2);
    assert_int_equal(c.segment_by[0], SF_SEG_REGION);
    assert_int_equal(c.segment_by[1], SF_SEG_FIT);
    assert_int_equal(c.n_size_bands, 2);
    assert_int_equal(c.size_bands[1], 20);
    assert_int_equal(c.min_peers, 2);
    assert_true(c.contact_types[SF_ACT_CALL]);
    assert_true(c.contact_types[SF_ACT_VISIT]);
    assert_false(c.contact_types[SF_ACT_EMAIL]);
    assert_false(c.contact_types[SF_ACT_OTHER]);
    assert_true(c.cadence_tiers[SF_TIER_A]);
    assert_false(c.cadence_tiers[SF_TIER_B]);
    assert_true(c.cadence_tiers[SF_TIER_C]);
    assert_false(c.cadence_tiers[SF_TIER_D]);
    assert_int_equal(c.decline_compare, SF_CMP_PREVIOUS);
    assert_int_equal(c.min_drop_amount, 123450);
    for (int t = 0; t < SF_TIER_N; t++)
        assert_false(c.protect_tiers[t]);
    assert_int_equal(c.costs[SF_ACT_VISIT], 9999);
    assert_int_equal(c.costs[SF_ACT_CALL], 1500);
    assert_int_equal(c.split_mode, SF_SPLIT_NEW);
    assert_true(c.ic_industries.set);
    assert_string_equal(c.ic_industries.values.v[1], "logistics");
    assert_false(c.ic_regions.set);
    assert_true(c.has_min_employees);
    assert_int_equal(c.min_employees, 20);
    assert_false(c.has_max_employees);
    assert_true(c.has_min_company_revenue);
    assert_int_equal(c.min_company_revenue, 100000000);
    assert_int_equal(c.min_probability, 12500000);
    assert_true(c.require_decision_maker);
    assert_int_equal(c.decision_titles.values.n, 1);
    assert_string_equal(c.decision_titles.values.v[0], "директор");
    assert_false(c.out_pdf);
    assert_true(c.out_email);
    int64_t r = 0;
    assert_true(sf_config_rate(&c, "USD", &r));
    assert_int_equal(r, 920000);
    assert_true(sf_config_rate(&c, "IDR", &r));
    assert_int_equal(r, 57);
    assert_true(sf_config_rate(&c, "EUR", &r)); /* the report currency */
    assert_int_equal(r, 1000000);
    assert_false(sf_config_rate(&c, "GBP", &r));
    assert_false(sf_config_rate(&c, "usd", &r)); /* codes match exactly */
    assert_int_equal(c.email_to.n, 2);
    assert_string_equal(c.email_to.v[1], "b@example.com");
    assert_string_equal(c.sendmail, "/usr/sbin/sendmail -t -i");
    assert_string_equal(c.email_body_template, "mail.txt");
    assert_int_equal(c.n_owners, 1);
    assert_string_equal(c.owners[0].name, "Anna Nowak");
    assert_string_equal(c.owners[0].address, "anna@example.com");
    assert_string_equal(c.path, "c.ini");
    assert_string_equal(c.dir, ".");
    sf_config_release(&c);
}

/* Paths are relative to the config file's folder. */
static void test_relative_paths(void **state)
{
    (void)state;
    assert_int_equal(mkdir("sub", 0755), 0);
    sf_test_write_file("sub/t.csv", "x\n");
    sf_test_write_file("sub/c.ini", "[input]\ntransactions = t.csv\n[email]\nbody_template = /abs/b.txt\n");
    sf_config c;
    sf_ctx ctx = {0};
    assert_int_equal(sf_config_init(&c), SF_OK);
    assert_int_equal(sf_config_load(&c, "sub/c.ini", "share", &ctx), SF_OK);
    assert_string_equal(c.file[SF_FILE_TRANSACTIONS], "sub/t.csv");
    assert_string_equal(c.email_body_template, "/abs/b.txt");
    assert_string_equal(c.dir, "sub");
    sf_config_release(&c);
}

static void test_delimiter_forms(void **state)
{
    (void)state;
    const char *forms[][2] = {{"comma", ","}, {"\",\"", ","}, {"semicolon", ";"}, {"\";\"", ";"},
                              {"\\t", "\t"}, {"TAB", "\t"}, {"auto", ""}};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char text[200];
        snprintf(text, sizeof text, INPUT "delimiter = %s\n", forms[i][0]);
        sf_config c;
        sf_ctx ctx;
        assert_int_equal(load(&c, &ctx, text), SF_OK);
        assert_int_equal(c.delimiter, forms[i][1][0]);
        sf_config_release(&c);
    }
    const char *th[][2] = {{"none", "0"}, {"','", "?"}, {"dot", "3"}, {"'", "4"}, {"comma", "2"}};
    for (size_t i = 0; i < sizeof th / sizeof th[0]; i++) {
        char text[200];
        snprintf(text, sizeof text, INPUT "decimal = %s\nthousands = %s\n",
                 th[i][1][0] == '3' ? "," : ".", th[i][0]);
        sf_config c;
        sf_ctx ctx;
        sf_err rc = load(&c, &ctx, text);
        if (th[i][1][0] == '?') {
            assert_int_equal(rc, SF_ERR_USAGE); /* ',' quoted with single quotes */
        } else {
            assert_int_equal(rc, SF_OK);
            assert_int_equal(c.thousands, th[i][1][0] - '0');
        }
        sf_config_release(&c);
    }
}

static void test_error_messages(void **state)
{
    (void)state;
    expect_error("[run]\nlanguage = en\n[tierz]\na_min = 0.5\n", SF_ERR_USAGE,
                 "c.ini:3: [tierz]: unknown section (did you mean 'tiers'?)");
    expect_error("[nothing_like_it]\n", SF_ERR_USAGE,
                 "c.ini:1: [nothing_like_it]: unknown section (known sections: run, input, "
                 "activity_types, outcomes, opportunity_status, tiers, potential, temperature, "
                 "cadence, decline, fire, costs, durations, time_split, ideal_client, "
                 "qualification, kpi, reorder, history, clv, outputs, email, columns.accounts, columns.transactions, "
                 "columns.activities, columns.opportunities, columns.users, currency_rates, owners)");
    expect_error(INPUT "[cadence]\na_dyas = 10\n", SF_ERR_USAGE,
                 "c.ini:4: [cadence] a_dyas: unknown key (did you mean 'a_days'?)");
    expect_error(INPUT "[run]\nfoo = 1\n", SF_ERR_USAGE,
                 "c.ini:4: [run] foo: unknown key (known keys: as_of, output_dir, language, "
                 "currency, period, lock_file, timeout)");
    expect_error(INPUT "[cadence]\na_days = ten\n", SF_ERR_USAGE,
                 "c.ini:4: [cadence] a_days: expected a whole number from 1 to 3650, got 'ten'");
    expect_error(INPUT "[cadence]\na_days = 0\n", SF_ERR_USAGE,
                 "c.ini:4: [cadence] a_days: 0 is out of range (allowed: 1 to 3650)");
    expect_error(INPUT "[cadence]\na_days = 3.5\n", SF_ERR_USAGE,
                 "c.ini:4: [cadence] a_days: '3.5' has more than 0 decimals");
    expect_error(INPUT "[tiers]\na_min = 1.5\n", SF_ERR_USAGE,
                 "c.ini:4: [tiers] a_min: 1.5 is out of range (allowed: 0 to 1)");
    expect_error(INPUT "[tiers]\na_min = -0.1\n", SF_ERR_USAGE,
                 "c.ini:4: [tiers] a_min: -0.1 is out of range (allowed: 0 to 1)");
    expect_error(INPUT "[tiers]\na_min = 0.1234567\n", SF_ERR_USAGE,
                 "c.ini:4: [tiers] a_min: '0.1234567' has more than 6 decimals");
    expect_error(INPUT "[tiers]\na_min = 80%\n", SF_ERR_USAGE,
                 "c.ini:4: [tiers] a_min: expected a decimal number from 0 to 1, got '80%'");
    expect_error(INPUT "[tiers]\na_min =\n", SF_ERR_USAGE,
                 "c.ini:4: [tiers] a_min: expected a decimal number from 0 to 1, got ''");
    expect_error(INPUT "[costs]\ncall =\n", SF_ERR_USAGE,
                 "c.ini:4: [costs] call: expected an amount from 0 to 1000000, got ''");
    expect_error(INPUT "[costs]\ncall = 1.555\n", SF_ERR_USAGE,
                 "c.ini:4: [costs] call: '1.555' has more than 2 decimals");
    expect_error(INPUT "[outputs]\npdf = maybe\n", SF_ERR_USAGE,
                 "c.ini:4: [outputs] pdf: expected yes or no (or true/false, on/off, 1/0), got 'maybe'");
    expect_error(INPUT "[run]\nlanguage = de\n", SF_ERR_USAGE,
                 "c.ini:4: [run] language: expected one of en, ru, pl, id, got 'de'");
    expect_error(INPUT "[time_split]\nmode = sometimes\n", SF_ERR_USAGE,
                 "c.ini:4: [time_split] mode: expected one of auto, existing, new, got 'sometimes'");
    expect_error(INPUT "[run]\nlanguage = en\ncurrency = PLN\nlanguage = ru\n", SF_ERR_USAGE,
                 "c.ini:6: [run] language: duplicate key (first set on line 4)");
    expect_error(INPUT "[run]\nas_of = 2025-02-30\n", SF_ERR_USAGE,
                 "c.ini:4: [run] as_of: '2025-02-30' is not a real date");
    expect_error(INPUT "[run]\nas_of = 30.06.2025\n", SF_ERR_USAGE,
                 "c.ini:4: [run] as_of: expected a date YYYY-MM-DD, got '30.06.2025'");
    expect_error(INPUT "[run]\noutput_dir =\n", SF_ERR_USAGE,
                 "c.ini:4: [run] output_dir: must not be empty");
    expect_error(INPUT "delimiter = ;\n", SF_ERR_USAGE,
                 "c.ini:3: [input] delimiter: expected auto, comma, semicolon or tab, got '' "
                 "(a bare ; starts a comment: write semicolon)");
    expect_error(INPUT "encoding = KLINGON-1\n", SF_ERR_USAGE,
                 "c.ini:3: [input] encoding: unknown encoding 'KLINGON-1' (iconv does not know it)");
    expect_error(INPUT "date_format = %Y/%m\n", SF_ERR_USAGE,
                 "c.ini:3: [input] date_format: expected a format with one year (%Y or %y), one %m "
                 "and one %d between separators, got '%Y/%m'");
    expect_error(INPUT "[cadence]\ntiers = A, E\n", SF_ERR_USAGE,
                 "c.ini:4: [cadence] tiers: 'E' is not one of A, B, C, D");
    expect_error(INPUT "[cadence]\ncontact_types =\n", SF_ERR_USAGE,
                 "c.ini:4: [cadence] contact_types: expected at least one of call, email, visit, meeting, other");
    expect_error(INPUT "[potential]\nsegment_by = industry, colour\n", SF_ERR_USAGE,
                 "c.ini:4: [potential] segment_by: 'colour' is not one of industry, size_band, region, fit, owner");
    expect_error(INPUT "[potential]\nsegment_by = region, region\n", SF_ERR_USAGE,
                 "c.ini:4: [potential] segment_by: 'region' is listed twice");
    expect_error(INPUT "[potential]\nsize_bands = 10, 5\n", SF_ERR_USAGE,
                 "c.ini:4: [potential] size_bands: sizes must be ascending ('5' after 10)");
    expect_error(INPUT "[tiers]\nb_min = 0.9\n", SF_ERR_USAGE,
                 "c.ini:4: [tiers] b_min: 0.9 must not exceed a_min (0.8)");
    expect_error(INPUT "[tiers]\na_min = 0.3\n", SF_ERR_USAGE,
                 "c.ini:4: [tiers] a_min: 0.3 must not be below b_min (0.45)");
    expect_error(INPUT "[ideal_client]\nmin_employees = 50\nmax_employees = 10\n", SF_ERR_USAGE,
                 "c.ini:5: [ideal_client] max_employees: 10 must not be below min_employees (50)");
    expect_error(INPUT "decimal = ,\nthousands = comma\n", SF_ERR_USAGE,
                 "c.ini:4: [input] thousands: must differ from the decimal mark ','");
    expect_error(INPUT "[run]\njust some words\n", SF_ERR_USAGE,
                 "c.ini:4: syntax error: expected '[section]', 'key = value' or a comment");
    expect_error("language = en\n" INPUT, SF_ERR_USAGE, "c.ini:1: language: key outside any [section]");
    expect_error(INPUT "[columns.accounts]\naccount_id =\n", SF_ERR_USAGE,
                 "c.ini:4: [columns.accounts] account_id: a required field cannot be left unmapped");
    expect_error(INPUT "[columns.accounts]\nnmae = Company\n", SF_ERR_USAGE,
                 "c.ini:4: [columns.accounts] nmae: unknown key (did you mean 'name'?)");
    expect_error(INPUT "[columns.activities]\nsubject = Subject\n", SF_ERR_USAGE,
                 "c.ini:4: [columns.activities] subject: unknown key (known keys: account_id, "
                 "date, type, owner, outcome, duration_min, count)");
    expect_error(INPUT "[email]\nsubject = Weekly\rBcc: x@example.com\n", SF_ERR_USAGE,
                 "c.ini:4: [email] subject: holds a control character (0x0D); not allowed in a config file");
    expect_error(INPUT "[owners]\nBen\rOrtiz = ben@example.com\n", SF_ERR_USAGE,
                 "c.ini:4: [owners] Ben?Ortiz: holds a control character (0x0D); not allowed in a config file");
    expect_error(INPUT "[owners]\nAnna = not an address\n", SF_ERR_USAGE,
                 "c.ini:4: [owners] Anna: expected one email address, got 'not an address'");
    expect_error("[run]\nlanguage = en\n", SF_ERR_USAGE,
                 "c.ini: [input] transactions: missing; name the transactions export "
                 "(or @won to use won opportunities)");
    expect_error("[input]\naccounts =\n", SF_ERR_USAGE,
                 "c.ini:1: [input] transactions: missing; name the transactions export "
                 "(or @won to use won opportunities)");
    expect_error("[input]\ntransactions = @won\n", SF_ERR_USAGE,
                 "c.ini:2: [input] transactions: @won needs [input] opportunities");
    expect_error(INPUT "accounts = nope.csv\n", SF_ERR_INPUT,
                 "c.ini:3: [input] accounts: cannot open 'nope.csv': No such file or directory");
    expect_error(INPUT "activities = share\n", SF_ERR_INPUT,
                 "c.ini:3: [input] activities: cannot open 'share': Is a directory");
    expect_error("[input]\ntransactions = gone.csv\n", SF_ERR_INPUT,
                 "c.ini:2: [input] transactions: cannot open 'gone.csv': No such file or directory");
}

static void test_config_file_missing(void **state)
{
    (void)state;
    sf_config c;
    sf_ctx ctx = {0};
    assert_int_equal(sf_config_init(&c), SF_OK);
    assert_int_equal(sf_config_load(&c, "absent.ini", "share", &ctx), SF_ERR_USAGE);
    assert_string_equal(ctx.msg, "absent.ini: cannot open config file: No such file or directory");
    sf_config_release(&c);
}

static void test_long_line(void **state)
{
    (void)state;
    char text[600];
    char pad[301];
    memset(pad, 'x', 300);
    pad[300] = '\0';
    snprintf(text, sizeof text, INPUT "[run]\ncurrency = %s\n", pad);
    expect_error(text, SF_ERR_USAGE, "c.ini:4: line too long (more than 198 bytes)");
    /* 198 bytes exactly still fit */
    memset(pad, 'y', 187);
    pad[187] = '\0';
    snprintf(text, sizeof text, INPUT "[run]\ncurrency = %s\n", pad);
    assert_int_equal(strlen("currency = ") + 187, 198);
    sf_config c;
    sf_ctx ctx;
    assert_int_equal(load(&c, &ctx, text), SF_OK);
    assert_string_equal(c.currency, pad);
    sf_config_release(&c);
}

static void test_bad_utf8(void **state)
{
    (void)state;
    expect_error(INPUT "[run]\ncurrency = \xff\xfe\n", SF_ERR_USAGE, "c.ini:4: line is not valid UTF-8");
}

static void test_continuation(void **state)
{
    (void)state;
    sf_config c;
    sf_ctx ctx;
    sf_err rc = load(&c, &ctx,
                     INPUT
                     "[activity_types]\n"
                     "call = Call,\n"
                     "    Phone call, ЗВОНОК\n"
                     "\tRozmowa\n"
                     "email = E-mail\n"
                     "[email]\n"
                     "to = a@example.com\n"
                     "  b@example.com\n");
    assert_string_equal(ctx.msg, "");
    assert_int_equal(rc, SF_OK);
    const sf_valmap *m = &c.activity_types[SF_ACT_CALL];
    assert_int_equal(m->values.n, 4);
    assert_string_equal(m->values.v[0], "call");
    assert_string_equal(m->values.v[1], "phone call");
    assert_string_equal(m->values.v[2], "звонок");
    assert_string_equal(m->values.v[3], "rozmowa");
    assert_int_equal(c.activity_types[SF_ACT_EMAIL].values.n, 1);
    assert_int_equal(c.email_to.n, 2);
    assert_string_equal(c.email_to.v[1], "b@example.com");
    sf_config_release(&c);
    expect_error(INPUT "[cadence]\na_days = 10\n  b_days = 20\n", SF_ERR_USAGE,
                 "c.ini:5: [cadence] a_days: an indented line continues the previous key, and "
                 "only a list can continue; remove the indentation");
}

static void test_currency_rates(void **state)
{
    (void)state;
    expect_error(INPUT "[currency_rates]\nusd = 0.9\n", SF_ERR_USAGE,
                 "c.ini:4: [currency_rates] usd: a currency code is three uppercase letters (e.g. USD)");
    expect_error(INPUT "[currency_rates]\nUSDT = 0.9\n", SF_ERR_USAGE,
                 "c.ini:4: [currency_rates] USDT: a currency code is three uppercase letters (e.g. USD)");
    expect_error(INPUT "[currency_rates]\nUSD = 0\n", SF_ERR_USAGE,
                 "c.ini:4: [currency_rates] USD: expected a rate above 0 (units of the report "
                 "currency per USD), got '0'");
    expect_error(INPUT "[currency_rates]\nUSD = 0.0000001\n", SF_ERR_USAGE,
                 "c.ini:4: [currency_rates] USD: '0.0000001' has more than 6 decimals");
    expect_error(INPUT "[currency_rates]\nUSD = 1\nUSD = 2\n", SF_ERR_USAGE,
                 "c.ini:5: [currency_rates] USD: duplicate key (first set on line 4)");
    /* A rate for the report currency itself overrides the implicit 1. */
    sf_config c;
    sf_ctx ctx;
    assert_int_equal(load(&c, &ctx, INPUT "[run]\ncurrency = PLN\n[currency_rates]\nPLN = 1.5\n"), SF_OK);
    int64_t r;
    assert_true(sf_config_rate(&c, "PLN", &r));
    assert_int_equal(r, 1500000);
    assert_false(sf_config_rate(&c, "EUR", &r));
    sf_config_release(&c);
}

static void test_won(void **state)
{
    (void)state;
    sf_config c;
    sf_ctx ctx;
    assert_int_equal(load(&c, &ctx, "[input]\ntransactions = @won\nopportunities = o.csv\n"), SF_OK);
    assert_true(c.transactions_from_won);
    assert_null(c.file[SF_FILE_TRANSACTIONS]);
    assert_string_equal(c.file[SF_FILE_OPPORTUNITIES], "o.csv");
    sf_config_release(&c);
}

/* preset = auto: loaded without a preset until the input layer has
 * chosen one; then with it, the user's keys still over it. */
static void test_preset_auto(void **state)
{
    (void)state;
    sf_config c;
    sf_ctx ctx;
    const char *text = "[input]\npreset = auto\ntransactions = t.csv\ndecimal = .\n";
    assert_int_equal(load(&c, &ctx, text), SF_OK);
    assert_true(c.preset_auto);
    assert_null(c.preset);
    assert_int_equal(c.delimiter, 0);
    sf_config_release(&c);

    assert_int_equal(sf_config_init(&c), SF_OK);
    assert_int_equal(sf_config_load_auto(&c, "c.ini", "share", "acme", &ctx), SF_OK);
    assert_true(c.preset_auto);
    assert_string_equal(c.preset, "acme");
    assert_int_equal(c.delimiter, ';'); /* from the preset */
    assert_int_equal(c.decimal, '.');   /* the user's */
    sf_config_release(&c);
    assert_int_equal(sf_config_init(&c), SF_OK);
    assert_int_equal(sf_config_load_auto(&c, "c.ini", "share", "", &ctx), SF_OK); /* none chosen */
    assert_null(c.preset);
    sf_config_release(&c);

    /* a preset alone, for comparing it with files */
    assert_int_equal(sf_config_init(&c), SF_OK);
    assert_int_equal(sf_config_load_preset_only(&c, "share", "acme", &ctx), SF_OK);
    assert_string_equal(c.columns[SF_FILE_ACCOUNTS][SF_AF_NAME].header, "Company");
    assert_null(c.file[SF_FILE_TRANSACTIONS]);
    sf_config_release(&c);
    assert_int_equal(sf_config_init(&c), SF_OK);
    assert_int_equal(sf_config_load_preset_only(&c, "share", "auto", &ctx), SF_ERR_USAGE);
    sf_config_release(&c);

    sf_strlist names = {0};
    sf_test_write_file("share/config/crm/auto.ini", "[input]\n"); /* never a preset's name */
            assert_int_equal(sf_config_preset_names("share", &names), SF_OK);
    assert_int_equal(names.n, 3);
    assert_string_equal(names.v[0], "acme");
    assert_string_equal(names.v[2], "withfile");
    sf_strlist_clear(&names);
    assert_int_equal(remove("share/config/crm/auto.ini"), 0);
}

static void test_preset(void **state)
{
    (void)state;
    sf_config c;
    sf_ctx ctx;
    sf_err rc = load(&c, &ctx,
                     "[input]\n"
                     "preset = acme\n"
                     "transactions = t.csv\n"
                     "decimal = .\n"
                     "[activity_types]\n"
                     "call = Ring\n");
    assert_string_equal(ctx.msg, "");
    assert_int_equal(rc, SF_OK);
    assert_string_equal(c.preset, "acme");
    assert_int_equal(c.delimiter, ';');                     /* from the preset */
    assert_int_equal(c.decimal, '.');                       /* overridden */
    assert_string_equal(c.columns[SF_FILE_ACCOUNTS][SF_AF_NAME].header, "Company");
    assert_string_equal(c.activity_types[SF_ACT_CALL].values.v[0], "ring");
    assert_int_equal(c.activity_types[SF_ACT_CALL].values.n, 1);
    assert_string_equal(c.activity_types[SF_ACT_VISIT].values.v[0], "besuch");
    assert_int_equal(sf_config_act_type(&c, " RING "), SF_ACT_CALL);
    assert_int_equal(sf_config_act_type(&c, "Phone"), SF_ACT_OTHER); /* replaced */
    assert_int_equal(sf_config_act_type(&c, "email"), SF_ACT_EMAIL); /* unmapped: own name */
    sf_config_release(&c);

    expect_error("[input]\npreset = nosuch\ntransactions = t.csv\n", SF_ERR_USAGE,
                 "c.ini:2: [input] preset: unknown preset 'nosuch' (available: acme, nested, withfile, or auto)");
    expect_error("[input]\npreset = ../etc\ntransactions = t.csv\n", SF_ERR_USAGE,
                 "c.ini:2: [input] preset: '../etc' is not a preset name (letters a-z, digits, _ and -)");
    expect_error("[input]\npreset = nested\ntransactions = t.csv\n", SF_ERR_USAGE,
                 "share/config/crm/nested.ini:2: [input] preset: a preset cannot name another preset");
    expect_error("[input]\npreset = withfile\ntransactions = t.csv\n", SF_ERR_USAGE,
                 "share/config/crm/withfile.ini:2: [input] accounts: a preset cannot name input "
                 "files (it carries only mappings and formats)");
    /* A cross-key conflict with a preset's value blames the user's key. */
    sf_test_write_file("share/config/crm/tiered.ini", "[tiers]\nb_min = 0.5\n");
    expect_error("[input]\npreset = tiered\ntransactions = t.csv\n[tiers]\na_min = 0.4\n", SF_ERR_USAGE,
                 "c.ini:5: [tiers] a_min: 0.4 must not be below b_min (0.5)");
    assert_int_equal(remove("share/config/crm/tiered.ini"), 0);
    /* A preset is looked up under the share dir given, and an error in the
     * user's file after it still names the user's file. */
    expect_error("[input]\npreset = acme\ntransactions = t.csv\n[kpi]\nwindow_days = -1\n", SF_ERR_USAGE,
                 "c.ini:5: [kpi] window_days: -1 is out of range (allowed: 1 to 3650)");
}

/* A config that names itself as its preset stops with a clear message. */
static void test_preset_self(void **state)
{
    (void)state;
    sf_test_write_file("share/config/crm/selfish.ini", "[input]\npreset = selfish\ntransactions = t.csv\n");
    sf_config c;
    sf_ctx ctx = {0};
    assert_int_equal(sf_config_init(&c), SF_OK);
    assert_int_equal(sf_config_load(&c, "share/config/crm/selfish.ini", "share", &ctx), SF_ERR_USAGE);
    assert_string_equal(ctx.msg, "share/config/crm/selfish.ini:2: [input] preset: preset 'selfish' is this file itself");
    sf_config_release(&c);
    assert_int_equal(remove("share/config/crm/selfish.ini"), 0);
}

static void test_valmap(void **state)
{
    (void)state;
    sf_config c;
    sf_ctx ctx;
    assert_int_equal(load(&c, &ctx, INPUT
                          "[outcomes]\nconversation = Reached, Разговор\nappointment = Meeting set\n"
                          "[opportunity_status]\nwon = Closed Won, Успешно реализовано\nlost = Closed Lost\n"),
                     SF_OK);
    assert_int_equal(sf_config_outcome(&c, "  разговор "), SF_OUT_CONVERSATION);
    assert_int_equal(sf_config_outcome(&c, "MEETING SET"), SF_OUT_APPOINTMENT);
    assert_int_equal(sf_config_outcome(&c, "conversation"), SF_OUT_NONE); /* list replaces */
    assert_int_equal(sf_config_outcome(&c, ""), SF_OUT_NONE);
    assert_int_equal(sf_config_status(&c, "УСПЕШНО РЕАЛИЗОВАНО"), SF_ST_WON);
    assert_int_equal(sf_config_status(&c, "closed lost"), SF_ST_LOST);
    assert_int_equal(sf_config_status(&c, "Won"), SF_ST_OPEN);
    assert_int_equal(sf_config_status(&c, "Negotiation"), SF_ST_OPEN);
    sf_config_release(&c);

    assert_int_equal(sf_config_init(&c), SF_OK);
    assert_int_equal(sf_config_status(&c, " Won\t"), SF_ST_WON);
    assert_int_equal(sf_config_status(&c, "LOST"), SF_ST_LOST);
    assert_int_equal(sf_config_outcome(&c, "Appointment"), SF_OUT_APPOINTMENT);
    assert_int_equal(sf_config_act_type(&c, "Meeting"), SF_ACT_MEETING);
    assert_int_equal(sf_config_act_type(&c, "lunch"), SF_ACT_OTHER);
    assert_true(sf_valmap_match(&c.decision_titles, NULL, " CFO "));
    assert_false(sf_valmap_match(&c.decision_titles, NULL, "chief financial officer"));
    assert_true(sf_valmap_match(&c.proposal_stages, "x", "Negotiation"));
    sf_valmap unset = {0};
    assert_true(sf_valmap_match(&unset, "won", "WON"));
    assert_false(sf_valmap_match(&unset, "won", "wonderful"));
    assert_false(sf_valmap_match(&unset, "won", NULL));
    sf_config_release(&c);
}

static void test_expand(void **state)
{
    (void)state;
    sf_config c;
    assert_int_equal(sf_config_init(&c), SF_OK);
    char *s = sf_config_expand(&c, "out/{period}/{as_of}-{x}/{as_of}", sf_date_from_ymd(2025, 6, 30));
    assert_non_null(s);
    assert_string_equal(s, "out/weekly/2025-06-30-{x}/2025-06-30");
    free(s);
    s = sf_config_expand(&c, "plain", sf_date_from_ymd(2025, 1, 1));
    assert_string_equal(s, "plain");
    free(s);
    sf_config_release(&c);
}

static void test_names(void **state)
{
    (void)state;
    assert_int_equal(sf_field_count(SF_FILE_ACCOUNTS), SF_AF_N);
    assert_int_equal(sf_field_count(SF_FILE_TRANSACTIONS), SF_TF_N);
    assert_int_equal(sf_field_count(SF_FILE_ACTIVITIES), SF_VF_N);
    assert_int_equal(sf_field_count(SF_FILE_OPPORTUNITIES), SF_OF_N);
    assert_string_equal(sf_field_name(SF_FILE_ACCOUNTS, SF_AF_COMPANY_REVENUE), "company_revenue");
    assert_string_equal(sf_field_name(SF_FILE_TRANSACTIONS, SF_TF_UNIT_PRICE), "unit_price");
    assert_string_equal(sf_field_name(SF_FILE_ACTIVITIES, SF_VF_DURATION_MIN), "duration_min");
    assert_string_equal(sf_field_name(SF_FILE_OPPORTUNITIES, SF_OF_NEXT_STEP_DATE), "next_step_date");
    assert_null(sf_field_name(SF_FILE_ACCOUNTS, SF_AF_N));
    assert_true(sf_field_required(SF_FILE_TRANSACTIONS, SF_TF_AMOUNT));
    assert_false(sf_field_required(SF_FILE_TRANSACTIONS, SF_TF_QUANTITY));
    assert_true(sf_field_required(SF_FILE_OPPORTUNITIES, SF_OF_CREATED));
    assert_false(sf_field_required(SF_FILE_OPPORTUNITIES, SF_OF_STATUS));
    assert_true(sf_field_required(SF_FILE_ACTIVITIES, SF_VF_TYPE));
    assert_string_equal(sf_file_kind_name(SF_FILE_OPPORTUNITIES), "opportunities");
    assert_string_equal(sf_act_type_name(SF_ACT_MEETING), "meeting");
}

static void test_share_dir(void **state)
{
    (void)state;
    const char *old = getenv("SALESFOCUS_SHARE");
    char *saved = old ? strdup(old) : NULL;
    assert_int_equal(setenv("SALESFOCUS_SHARE", "/some/where", 1), 0);
    sf_settings set;
    sf_settings_from_env(&set);
    assert_string_equal(set.share_dir, "/some/where");
    assert_int_equal(unsetenv("SALESFOCUS_SHARE"), 0);
    /* The test binary sits in BUILD/tests, where no config/crm is found. */
    sf_settings_from_env(&set);
    assert_string_equal(set.share_dir, SF_SHAREDIR);
    if (saved) {
        assert_int_equal(setenv("SALESFOCUS_SHARE", saved, 1), 0);
        free(saved);
    }
}

/* The generated reference (config/salesfocus.ini), given a transactions
 * file, loads to exactly the defaults. */
static void test_reference_file(void **state)
{
    (void)state;
    char *ref = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&ref, &n);
    assert_non_null(m);
    assert_int_equal(sf_config_write_reference(m), SF_OK);
    assert_int_equal(fclose(m), 0);
    assert_non_null(strstr(ref, "\n[outputs]\n; write the XLSX workbook\nxlsx = yes\n"));

    size_t l = strlen(ref);
    char *text = malloc(l + 64);
    assert_non_null(text);
    memcpy(text, ref, l);
    strcpy(text + l, "\n[input]\ntransactions = t.csv\n");
    sf_config c, d;
    sf_ctx ctx;
    sf_err rc = load(&c, &ctx, text);
    assert_string_equal(ctx.msg, "");
    assert_int_equal(rc, SF_OK);
    assert_int_equal(sf_config_init(&d), SF_OK);
    /* Compare everything but the file's own paths. */
    assert_string_equal(c.file[SF_FILE_TRANSACTIONS], "t.csv");
    free(c.path);
    free(c.dir);
    free(c.share_dir);
    free(c.file[SF_FILE_TRANSACTIONS]);
    c.path = c.dir = c.share_dir = c.file[SF_FILE_TRANSACTIONS] = NULL;
    sf_input_list *in = &c.inputs[SF_FILE_TRANSACTIONS];
    assert_int_equal(in->n, 1);
    free(in->v[0].path);
    free(in->v[0].given);
    free(in->v);
    memset(in, 0, sizeof *in);
    sf_strlist_clear(&c.input_items[SF_FILE_TRANSACTIONS]);
    sf_strlist_clear(&c.input_given[SF_FILE_TRANSACTIONS]);
    assert_int_equal(c.as_of, d.as_of);
    assert_string_equal(c.output_dir, d.output_dir);
    assert_string_equal(c.language, d.language);
    assert_string_equal(c.currency, d.currency);
    assert_string_equal(c.period, d.period);
    assert_null(c.lock_file);
    assert_null(c.preset);
    assert_null(c.end_marker);
    assert_string_equal(c.encoding, d.encoding);
    assert_string_equal(c.date_format, d.date_format);
    assert_string_equal(c.history_path, d.history_path);
    assert_string_equal(c.activity_without_account, d.activity_without_account);
    for (int t = 0; t < SF_TIER_N; t++)
        assert_string_equal(c.cadence_channel[t], d.cadence_channel[t]);
    assert_int_equal(c.decision_titles.values.n, d.decision_titles.values.n);
    for (size_t i = 0; i < d.decision_titles.values.n; i++)
        assert_string_equal(c.decision_titles.values.v[i], d.decision_titles.values.v[i]);
    assert_int_equal(c.proposal_stages.values.n, d.proposal_stages.values.n);
    /* The remaining members are plain values: compare them as bytes once
     * every pointer is cleared on both sides. */
    sf_config cc = c, dd = d;
    char **ps[] = {&cc.output_dir, &cc.language, &cc.currency, &cc.period, &cc.encoding,
                   &cc.date_format, &dd.output_dir, &dd.language, &dd.currency, &dd.period,
                   &dd.encoding, &dd.date_format, &cc.history_path, &dd.history_path,
                   &cc.activity_without_account, &dd.activity_without_account};
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++)
        *ps[i] = NULL;
    for (int t = 0; t < SF_TIER_N; t++)
        cc.cadence_channel[t] = dd.cadence_channel[t] = NULL;
    memset(&cc.decision_titles.values, 0, sizeof cc.decision_titles.values);
    memset(&dd.decision_titles.values, 0, sizeof dd.decision_titles.values);
    memset(&cc.proposal_stages.values, 0, sizeof cc.proposal_stages.values);
    memset(&dd.proposal_stages.values, 0, sizeof dd.proposal_stages.values);
    assert_int_equal(cc.decision_titles.set, dd.decision_titles.set);
    assert_memory_equal(&cc, &dd, sizeof cc);
    sf_config_release(&c);
    sf_config_release(&d);
    free(text);
    free(ref);
}

/* [input] lists and patterns; [columns.KIND.FILE]; "A | B"; a preset's
 * section for a file the user does not read; '*' in a mapped value. */
static void test_several_files(void **state)
{
    (void)state;
    sf_test_write_file("inv-01.csv", "x\n");
    sf_test_write_file("inv-02.csv", "x\n");
    sf_test_write_file("Task.csv", "x\n");
    sf_test_write_file("Event.csv", "x\n");
    sf_test_write_file("share/config/crm/sfx.ini",
                       "[columns.activities.Task.csv]\nduration_min =\n"
                       "[columns.activities.Other.csv]\ndate = Day\n"
                       "[opportunity_status]\nwon = *:WON, Won\n");
    sf_config c;
    sf_ctx ctx;
    sf_err rc = load(&c, &ctx,
                     "[input]\npreset = sfx\ntransactions = inv-*.csv, inv-01.csv\n"
                     "activities = Task.csv,\n  Event.csv\nusers = t.csv\n"
                     "blank_values = не закрыта\n"
                     "[columns.activities]\naccount_id = AccountId | WhoId\n"
                     "[columns.activities.Event.csv]\ndate = ActivityDateTime\n");
    assert_string_equal(ctx.msg, "");
    assert_int_equal(rc, SF_OK);
    const sf_input_list *tx = &c.inputs[SF_FILE_TRANSACTIONS], *ac = &c.inputs[SF_FILE_ACTIVITIES];
    assert_int_equal(tx->n, 2); /* the pattern, sorted; inv-01.csv once */
    assert_string_equal(tx->v[0].path, "inv-01.csv");
    assert_string_equal(tx->v[1].path, "inv-02.csv");
    assert_string_equal(c.file[SF_FILE_TRANSACTIONS], "inv-01.csv");
    assert_int_equal(ac->n, 2);
    assert_int_equal(ac->v[0].columns[SF_VF_DURATION_MIN].kind, SF_MAP_NONE); /* the preset's */
    assert_int_equal(ac->v[0].columns[SF_VF_DATE].kind, SF_MAP_DEFAULT);
    assert_string_equal(ac->v[1].columns[SF_VF_DATE].header, "ActivityDateTime");
    assert_string_equal(sf_config_column(&c, SF_FILE_ACTIVITIES, 1, SF_VF_DATE)->header, "ActivityDateTime");
    assert_string_equal(sf_config_column(&c, SF_FILE_ACTIVITIES, 0, SF_VF_ACCOUNT_ID)->header, "AccountId | WhoId");
    assert_string_equal(c.file[SF_FILE_USERS], "t.csv");
    assert_true(sf_config_blank_value(&c, " Не закрыта "));
    assert_true(c.statuses[SF_ST_WON].wild);
    assert_int_equal(sf_config_status(&c, "C6:WON"), SF_ST_WON);
    assert_int_equal(sf_config_status(&c, "c12:won"), SF_ST_WON);
    assert_int_equal(sf_config_status(&c, "C6:WONT"), SF_ST_OPEN);
    assert_int_equal(sf_config_status(&c, "won"), SF_ST_WON);
    sf_config_release(&c);

    expect_error("[input]\ntransactions = t.csv\n[columns.transactions.x.csv]\namount = A\n", SF_ERR_USAGE,
                 "c.ini:4: [columns.transactions.x.csv]: no transactions file is named 'x.csv' (files: 't.csv')");
    expect_error("[input]\ntransactions = t.csv, t.csv\n", SF_ERR_USAGE,
                 "c.ini:2: [input] transactions: 't.csv' is listed twice");
    expect_error("[input]\ntransactions = @won, t.csv\nopportunities = o.csv\n", SF_ERR_USAGE,
                 "c.ini:2: [input] transactions: @won stands alone: it cannot be listed with files");
    expect_error("[input]\ntransactions = nothing-*.csv\n", SF_ERR_INPUT,
                 "c.ini:2: [input] transactions: no file matches 'nothing-*.csv'");
    expect_error(INPUT "[columns.accounts.t.csv]\nnope = x\n", SF_ERR_USAGE,
                 "c.ini:4: [columns.accounts.t.csv] nope: unknown key (did you mean 'name'?)");
    expect_error(INPUT "[columns.users]\nuser_id = A |\n", SF_ERR_USAGE,
                 "c.ini:4: [columns.users] user_id: 'A |' has an empty alternative: write headers as 'A | B'");
}

int main(void)
{
    if (sf_test_init() != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_defaults, setup, sf_test_scratch_remove),
        cmocka_unit_test_setup_teardown(test_types, setup, sf_test_scratch_remove),
        cmocka_unit_test_setup_teardown(test_relative_paths, setup, sf_test_scratch_remove),
        cmocka_unit_test_setup_teardown(test_delimiter_forms, setup, sf_test_scratch_remove),
        cmocka_unit_test_setup_teardown(test_error_messages, setup, sf_test_scratch_remove),
        cmocka_unit_test_setup_teardown(test_config_file_missing, setup, sf_test_scratch_remove),
        cmocka_unit_test_setup_teardown(test_long_line, setup, sf_test_scratch_remove),
        cmocka_unit_test_setup_teardown(test_bad_utf8, setup, sf_test_scratch_remove),
        cmocka_unit_test_setup_teardown(test_continuation, setup, sf_test_scratch_remove),
        cmocka_unit_test_setup_teardown(test_currency_rates, setup, sf_test_scratch_remove),
        cmocka_unit_test_setup_teardown(test_won, setup, sf_test_scratch_remove),
        cmocka_unit_test_setup_teardown(test_preset, setup, sf_test_scratch_remove),
        cmocka_unit_test_setup_teardown(test_preset_auto, setup, sf_test_scratch_remove),
        cmocka_unit_test_setup_teardown(test_preset_self, setup, sf_test_scratch_remove),
        cmocka_unit_test_setup_teardown(test_valmap, setup, sf_test_scratch_remove),
        cmocka_unit_test_setup_teardown(test_several_files, setup, sf_test_scratch_remove),
        cmocka_unit_test_setup_teardown(test_expand, setup, sf_test_scratch_remove),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_share_dir),
        cmocka_unit_test_setup_teardown(test_reference_file, setup, sf_test_scratch_remove),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
