/*
 * test_ingest.c - sf_ingest on small files written to a temporary folder:
 * CRLF, BOM, quoting, embedded newlines and the line numbers after them,
 * CP1251, every reject reason with its line and field, kept lines,
 * precedence, end marker, blank lines, counts, the missing-column and
 * empty-file errors, the reject-share limit, derived accounts, @won,
 * quantity x unit_price, records across 1 MiB blocks, and the worked
 * example of SPEC (tests/data/ingest/mini).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/sf_list.h"
#include "analysis/sf_report.h"
#include "input/sf_ingest.h"
#include "input/sf_ingest_int.h"
#include "sf_test.h"

typedef sf_test_ingest fx;

static void set_str(char **dst, const char *s)
{
    free(*dst);
    *dst = s ? strdup(s) : NULL;
}

static fx *fx_new(void)
{
    return sf_test_ingest_new("/tmp/sf_ingest_XXXXXX");
}

static void fx_free(fx *f)
{
    sf_test_ingest_free(f);
}

/* Write bytes to DIR/name and point the config's file k at it. */
static void put_n(fx *f, sf_file_kind k, const char *name, const char *data, size_t n)
{
    char path[256];
    sf_test_ingest_write(f, name, data, n, path, sizeof path);
    set_str(&f->cfg.file[k], path);
}

static void put(fx *f, sf_file_kind k, const char *name, const char *data)
{
    put_n(f, k, name, data, strlen(data));
}

static sf_err run(fx *f)
{
    f->ds = sf_dataset_new(&f->cfg, sf_date_from_ymd(2025, 6, 30));
    assert_non_null(f->ds);
    sf_err e = sf_ingest(f->ds, &f->cfg, NULL, &f->rj, NULL, NULL, &f->ctx);
    /* the figures as of T, as the run computes them after the ingest */
    return e == SF_OK ? sf_dataset_finish(f->ds, &f->ctx) : e;
}

static void add_rate(fx *f, const char *code, int64_t ppm)
{
    sf_rate *v = realloc(f->cfg.rates, (f->cfg.n_rates + 1) * sizeof *v);
    assert_non_null(v);
    f->cfg.rates = v;
    v[f->cfg.n_rates].code = strdup(code);
    v[f->cfg.n_rates].rate = ppm;
    f->cfg.n_rates++;
}

static void map(fx *f, sf_file_kind k, int field, sf_map_kind kind, const char *header)
{
    f->cfg.columns[k][field].kind = kind;
    set_str(&f->cfg.columns[k][field].header, header);
}

/* The i-th line of the list, read back from its spool (texts valid until
 * the next call). */
static sf_reject rej_at(fx *f, size_t i)
{
    if (i >= f->rj.n)
        fail_msg("reject #%zu missing (only %zu)", i, f->rj.n);
    if (!f->rd)
        f->rd = sf_rejects_open(&f->rj);
    sf_reject r;
    assert_true(f->rd && sf_rejects_read(f->rd, i, &r));
    return r;
}

/* The i-th line of the list (in rejects.csv order) must be exactly this. */
static void rej_is(fx *f, size_t i, sf_file_kind file, uint32_t line, sf_reject_reason reason,
                   const char *field, bool kept)
{
    sf_reject rv = rej_at(f, i), *r = &rv;
    if (r->file != file || r->line != line || r->reason != reason || r->kept != kept ||
        (field == NULL) != (r->field == NULL) || (field && strcmp(field, r->field) != 0))
        fail_msg("reject #%zu: got file %d line %u %s field %s %s; want file %d line %u %s field %s %s", i,
                 r->file, r->line, sf_reject_reason_name(r->reason), r->field ? r->field : "-",
                 r->kept ? "kept" : "rejected", file, line, sf_reject_reason_name(reason),
                 field ? field : "-", kept ? "kept" : "rejected");
}

static const sf_account *account_of(const fx *f, const char *id)
{
    uint32_t i = sf_dataset_find(f->ds, id);
    if (i == SF_NO_ACCOUNT)
        fail_msg("account %s not found", id);
    return &f->ds->accounts[i];
}

static void counts_add_up(const sf_file_stats *st)
{
    assert_int_equal(st->read, st->accepted + st->rejected + st->blank + st->footer);
}

/* ---------------------------------------------------------------------- */

static void test_crlf_bom_quotes(void **state)
{
    (void)state;
    fx *f = fx_new();
    put(f, SF_FILE_ACCOUNTS, "accounts.csv",
        "\xEF\xBB\xBF" "account_id,name,owner\r\n"
        "A1,\"Smith, Jones\",Ann\r\n"
        "A2,\"Multi\r\nline\r\nname\",Bob\r\n"
        "A3, Plain ,\r\n"
        "A4,\"say \"\"hi\"\"\",Ann\r\n"
        "  A1  ,Again,Ann\r\n");
    put(f, SF_FILE_TRANSACTIONS, "transactions.csv",
        "account_id,date,amount\n"
        "A1,2025-01-10,100\n"
        "A9,2025-01-11,5\n"
        "A3,\"2025-01-12\",\"1,5\"\n");
    assert_int_equal(run(f), SF_OK);
    const sf_file_stats *a = &f->ds->files[SF_FILE_ACCOUNTS];
    assert_int_equal(a->read, 5);
    assert_int_equal(a->accepted, 4);
    assert_int_equal(a->rejected, 1);
    counts_add_up(a);
    assert_string_equal(a->headers_found.v[0], "account_id"); /* BOM gone */
    assert_string_equal(a->mapped_header[SF_AF_NAME], "name");
    assert_null(a->mapped_header[SF_AF_INDUSTRY]);
    assert_string_equal(account_of(f, "A1")->name, "Smith, Jones");
    assert_string_equal(account_of(f, "A2")->name, "Multi\r\nline\r\nname");
    assert_string_equal(account_of(f, "A3")->name, "Plain");
    assert_string_equal(account_of(f, "A4")->name, "say \"hi\"");
    assert_int_equal(account_of(f, "A3")->owner, SF_OWNER_UNASSIGNED);
    assert_string_equal(f->ds->owners[account_of(f, "A1")->owner], "Ann");
    /* the duplicate starts on line 8: lines 3-5 hold one record */
    assert_int_equal(f->rj.n, 3);
    rej_is(f, 0, SF_FILE_ACCOUNTS, 8, SF_REJ_DUPLICATE_ID, "account_id", false);
    assert_string_equal(rej_at(f, 0).raw, "  A1  ,Again,Ann");
    rej_is(f, 1, SF_FILE_TRANSACTIONS, 3, SF_REJ_UNKNOWN_ACCOUNT, "account_id", false);
    /* "1,5" is one quoted field; with decimal '.' it is not a number */
    rej_is(f, 2, SF_FILE_TRANSACTIONS, 4, SF_REJ_BAD_NUMBER, "amount", false);
    assert_string_equal(rej_at(f, 2).raw, "A3,\"2025-01-12\",\"1,5\"");
    assert_int_equal(account_of(f, "A1")->rev12, 10000);
    assert_int_equal(f->ds->files[SF_FILE_TRANSACTIONS].min_date, sf_date_from_ymd(2025, 1, 10));
    assert_false(f->ds->accounts_derived);
    assert_false(f->ds->have_activities);
    assert_false(f->ds->have_opportunities);
    fx_free(f);
}

static void test_cp1251(void **state)
{
    (void)state;
    fx *f = fx_new();
    set_str(&f->cfg.encoding, "CP1251");
    set_str(&f->cfg.date_format, "%d.%m.%Y");
    f->cfg.decimal = ',';
    f->cfg.thousands = SF_THOUSANDS_SPACE;
    /* headers "ид;Название" (CP1251), values "Иванов", "Ёлка" */
    map(f, SF_FILE_ACCOUNTS, SF_AF_ACCOUNT_ID, SF_MAP_HEADER, "ид");
    map(f, SF_FILE_ACCOUNTS, SF_AF_NAME, SF_MAP_HEADER, "Название");
    put(f, SF_FILE_ACCOUNTS, "accounts.csv",
        "\xE8\xE4;\xCD\xE0\xE7\xE2\xE0\xED\xE8\xE5\r\n"
        "K1;\xC8\xE2\xE0\xED\xEE\xE2\r\n"
        "K2;\x98x\r\n"
        "K3;\xA8\xEB\xEA\xE0\r\n");
    put(f, SF_FILE_TRANSACTIONS, "transactions.csv",
        "account_id;date;amount\n"
        "K1;01.02.2025;1 234,50 \xF0\xF3\xE1.\n");
    assert_int_equal(run(f), SF_OK);
    assert_string_equal(f->ds->files[SF_FILE_ACCOUNTS].mapped_header[SF_AF_NAME], "Название");
    assert_string_equal(account_of(f, "K1")->name, "Иванов");
    assert_string_equal(account_of(f, "K3")->name, "Ёлка");
    assert_int_equal(f->rj.n, 1);
    rej_is(f, 0, SF_FILE_ACCOUNTS, 3, SF_REJ_BAD_ENCODING, NULL, false);
    assert_string_equal(rej_at(f, 0).raw, "K2;\xEF\xBF\xBDx"); /* U+FFFD */
    assert_int_equal(account_of(f, "K1")->rev12, 123450);
    fx_free(f);
}

/* Every reason, its line and field, precedence and kept lines. */
static void test_reasons(void **state)
{
    (void)state;
    fx *f = fx_new();
    add_rate(f, "USD", 920000);
    put(f, SF_FILE_ACCOUNTS, "accounts.csv",
        "account_id,name,employees\n"
        "C1,One,10\n"          /* 2 ok */
        "C2,Two,12a\n"         /* 3 kept employees */
        "C3,,5\n"              /* 4 missing name */
        "C1,Dup,-3\n"          /* 5 duplicate (its kept line dropped) */
        "C4,Four,-3\n");       /* 6 kept employees (negative) */
    put(f, SF_FILE_TRANSACTIONS, "transactions.csv",
        "transaction_id,account_id,date,amount,currency,margin\n"
        "T1,C1,2025-01-10,100.00,,\n"          /* 2 ok */
        "T2,C1,2025-01-11,5\n"                 /* 3 field_count */
        "T3,C1,2025-01-12,5,,,\n"              /* 4 field_count (trailing delimiter) */
        "T4,,2025-01-12,5,,\n"                 /* 5 missing account_id */
        "T5,C1,,5,,\n"                         /* 6 missing date */
        "T6,C1,2025-01-12, ,,\n"               /* 7 missing amount */
        "T7,C9,2025-02-30,abc,XXX,\n"          /* 8 bad_date first */
        "T8,C9,2025-01-12,abc,XXX,\n"          /* 9 bad_number before currency */
        "T9,C9,2025-01-12,5,XXX,\n"            /* 10 unknown_currency before account */
        "T10,C9,2025-01-12,5,,\n"              /* 11 unknown_account */
        "T1,C1,2025-01-13,7,,\n"               /* 12 duplicate_id */
        "T11,C2,2025-01-14,1.005,USD,oops\n"   /* 13 ok, margin kept */
        "T12,C3,2025-01-14,5,,\n"              /* 14 unknown_account: C3 was rejected */
        "T13,C1,2025-01-15,USD 10,,2\n"        /* 15 ok, code in the amount */
        "T14,C1,2025-01-16,10 GBP,,\n"         /* 16 unknown_currency in the amount */
        "T16,C1,2025-01-1\xFF,5,,\n"           /* 17 bad_encoding */
        "X\xFF\n"                              /* 18 bad_encoding before field_count */
        ",C1,2025-01-18,6,EUR,\n"              /* 19 ok: empty id is no duplicate */
        ",C1,2025-01-18,6,,\n"                 /* 20 ok */
        "T15,C1,\"2025-01-17,5,,\nmore\n");    /* 21 bad_quote: open to the end */
    put(f, SF_FILE_ACTIVITIES, "activities.csv",
        "account_id,date,type,owner,outcome,duration_min\n"
        "C1,2025-06-01,Call,Ann,conversation,12\n" /* 2 ok */
        "C1,2025-06-02,visit,,,x\n"              /* 3 kept duration */
        "C9,2025-06-03,call,,,\n"                /* 4 unknown_account */
        "C1,2025-06-31,call,,,\n"                /* 5 bad_date */
        "C1,2025-06-04,,,,\n");                  /* 6 blank type: other, accepted */
    put(f, SF_FILE_OPPORTUNITIES, "opportunities.csv",
        "opportunity_id,account_id,created,status,amount,currency,probability,close_date,next_step_date\n"
        "O1,C1,2025-05-01,open,1000,,50,,2025-07-01\n"          /* 2 ok */
        "O2,C1,2025-05-02,open,500,JPY,high,,31.02.2025\n"      /* 3 three kept lines */
        "O1,C1,2025-05-03,open,,,,,\n"                          /* 4 duplicate */
        "O3,C1,2025-05-04,won,abc,,120,2025-13-01,\n"           /* 5 three kept lines */
        "O4,C9,2025-05-05,open,,,,,\n"                          /* 6 unknown_account */
        "O5,C1,bad,open,,,,,\n"                                 /* 7 bad_date created */
        "O6,C1,2025-05-06,lost,\"1,5\",,60.5,2025-05-20,\n");   /* 8 kept amount */
    assert_int_equal(run(f), SF_OK);

    size_t i = 0;
    const sf_file_kind A = SF_FILE_ACCOUNTS, T = SF_FILE_TRANSACTIONS, V = SF_FILE_ACTIVITIES,
                       O = SF_FILE_OPPORTUNITIES;
    rej_is(f, i++, A, 3, SF_REJ_BAD_NUMBER, "employees", true);
    rej_is(f, i++, A, 4, SF_REJ_MISSING_REQUIRED, "name", false);
    rej_is(f, i++, A, 5, SF_REJ_DUPLICATE_ID, "account_id", false);
    rej_is(f, i++, A, 6, SF_REJ_BAD_NUMBER, "employees", true);
    rej_is(f, i++, T, 3, SF_REJ_FIELD_COUNT, NULL, false);
    rej_is(f, i++, T, 4, SF_REJ_FIELD_COUNT, NULL, false);
    rej_is(f, i++, T, 5, SF_REJ_MISSING_REQUIRED, "account_id", false);
    rej_is(f, i++, T, 6, SF_REJ_MISSING_REQUIRED, "date", false);
    rej_is(f, i++, T, 7, SF_REJ_MISSING_REQUIRED, "amount", false);
    rej_is(f, i++, T, 8, SF_REJ_BAD_DATE, "date", false);
    rej_is(f, i++, T, 9, SF_REJ_BAD_NUMBER, "amount", false);
    rej_is(f, i++, T, 10, SF_REJ_UNKNOWN_CURRENCY, "currency", false);
    rej_is(f, i++, T, 11, SF_REJ_UNKNOWN_ACCOUNT, "account_id", false);
    rej_is(f, i++, T, 12, SF_REJ_DUPLICATE_ID, "transaction_id", false);
    rej_is(f, i++, T, 13, SF_REJ_BAD_NUMBER, "margin", true);
    rej_is(f, i++, T, 14, SF_REJ_UNKNOWN_ACCOUNT, "account_id", false);
    rej_is(f, i++, T, 16, SF_REJ_UNKNOWN_CURRENCY, "amount", false);
    rej_is(f, i++, T, 17, SF_REJ_BAD_ENCODING, NULL, false);
    assert_string_equal(rej_at(f, i - 1).raw, "T16,C1,2025-01-1\xEF\xBF\xBD,5,,");
    rej_is(f, i++, T, 18, SF_REJ_BAD_ENCODING, NULL, false);
    rej_is(f, i++, T, 21, SF_REJ_BAD_QUOTE, NULL, false);
    assert_string_equal(rej_at(f, i - 1).raw, "T15,C1,\"2025-01-17,5,,\nmore");
    rej_is(f, i++, V, 3, SF_REJ_BAD_NUMBER, "duration_min", true);
    rej_is(f, i++, V, 4, SF_REJ_UNKNOWN_ACCOUNT, "account_id", false);
    rej_is(f, i++, V, 5, SF_REJ_BAD_DATE, "date", false);
    rej_is(f, i++, O, 3, SF_REJ_UNKNOWN_CURRENCY, "currency", true);
    rej_is(f, i++, O, 3, SF_REJ_BAD_NUMBER, "probability", true);
    rej_is(f, i++, O, 3, SF_REJ_BAD_DATE, "next_step_date", true);
    rej_is(f, i++, O, 4, SF_REJ_DUPLICATE_ID, "opportunity_id", false);
    rej_is(f, i++, O, 5, SF_REJ_BAD_NUMBER, "amount", true);
    rej_is(f, i++, O, 5, SF_REJ_BAD_NUMBER, "probability", true);
    rej_is(f, i++, O, 5, SF_REJ_BAD_DATE, "close_date", true);
    rej_is(f, i++, O, 6, SF_REJ_UNKNOWN_ACCOUNT, "account_id", false);
    rej_is(f, i++, O, 7, SF_REJ_BAD_DATE, "created", false);
    rej_is(f, i++, O, 8, SF_REJ_BAD_NUMBER, "amount", true);
    assert_int_equal(f->rj.n, i);

    /* counts */
    const sf_file_stats *st = f->ds->files;
    assert_int_equal(st[A].read, 5);
    assert_int_equal(st[A].accepted, 3);
    assert_int_equal(st[A].rejected, 2);
    assert_int_equal(st[A].kept_with_fault, 2);
    assert_int_equal(st[T].read, 20);
    assert_int_equal(st[T].accepted, 5);
    assert_int_equal(st[T].rejected, 15);
    assert_int_equal(st[T].kept_with_fault, 1);
    assert_int_equal(st[V].accepted, 3);
    assert_int_equal(st[V].rejected, 2);
    assert_int_equal(st[V].kept_with_fault, 1);
    assert_int_equal(st[O].accepted, 4);
    assert_int_equal(st[O].rejected, 3);
    assert_int_equal(st[O].kept_with_fault, 3);
    for (int k = 0; k < SF_FILE_N; k++)
        counts_add_up(&st[k]);
    assert_int_equal(f->rj.count[T][SF_REJ_FIELD_COUNT], 2);
    assert_int_equal(f->rj.count[T][SF_REJ_BAD_ENCODING], 2);
    assert_int_equal(f->rj.count[A][SF_REJ_DUPLICATE_ID], 1);
    assert_int_equal(f->rj.kept_count[A][SF_REJ_BAD_NUMBER], 2); /* line 5's was dropped */
    assert_int_equal(f->rj.kept_count[O][SF_REJ_BAD_NUMBER], 4);

    /* values: C1 = 100.00 + USD 10 x 0.92 + 6 + 6; C2 = 1.005 -> 1.01 x 0.92 = 0.9292 -> 0.93 */
    assert_int_equal(account_of(f, "C1")->rev12, 10000 + 920 + 600 + 600);
    assert_int_equal(account_of(f, "C2")->rev12, 93);
    /* margins: T1 30 % of 100; T13 2 USD -> 1.84; the two later ones 30 % of 6 */
    assert_int_equal(account_of(f, "C1")->margin12, 3000 + 184 + 180 + 180);
    assert_int_equal(account_of(f, "C2")->margin12, 28);
    assert_int_equal(account_of(f, "C2")->employees, SF_NONE);
    assert_int_equal(account_of(f, "C4")->employees, SF_NONE);
    assert_int_equal(account_of(f, "C1")->employees, 10);
    assert_int_equal(account_of(f, "C1")->last_contact, sf_date_from_ymd(2025, 6, 4)); /* the blank type is other */
    assert_true(f->ds->have_activities);
    assert_true(f->ds->have_opportunities);

    assert_int_equal(f->ds->n_opps, 4);
    const sf_opportunity *o1 = &f->ds->opps[0], *o2 = &f->ds->opps[1], *o3 = &f->ds->opps[2],
                         *o6 = &f->ds->opps[3];
    assert_string_equal(o1->id, "O1");
    assert_int_equal(o1->amount, 100000);
    assert_string_equal(o1->probability_text, "50");
    assert_int_equal(o1->probability, 50000000);
    assert_int_equal(o1->next_step_date, sf_date_from_ymd(2025, 7, 1));
    assert_int_equal(o1->account, sf_dataset_find(f->ds, "C1"));
    assert_int_equal(o1->line, 2);
    assert_int_equal(o2->amount, SF_NONE);
    assert_null(o2->probability_text);
    assert_int_equal(o2->probability, SF_NONE);
    assert_int_equal(o2->next_step_date, SF_NODATE);
    assert_int_equal(o3->status, SF_ST_WON);
    assert_int_equal(o3->close_date, SF_NODATE);
    assert_int_equal(o6->status, SF_ST_LOST);
    assert_int_equal(o6->amount, SF_NONE);
    assert_string_equal(o6->probability_text, "60.5");
    assert_int_equal(o6->probability, 60500000);
    fx_free(f);
}

static void test_end_marker_blank_derived(void **state)
{
    (void)state;
    fx *f = fx_new();
    set_str(&f->cfg.end_marker, "Grand Totals");
    put(f, SF_FILE_TRANSACTIONS, "transactions.csv",
        "account_id,date,amount\n"
        "A,2025-01-01,1\n"
        "\n"
        "   \t \n"
        "B,2025-01-02,2\n"
        "\r\n"
        "\"Grand Totals (2 records)\",,\n"
        "Confidential Information - Do Not Distribute\n"
        "C,2025-01-03,3\n"
        "\n");
    put(f, SF_FILE_ACTIVITIES, "activities.csv",
        "account_id,date,type\n"
        "Z,2025-06-01,call\n"
        "A,2025-06-02,call\n"
        "  Grand Totals\n");
    assert_int_equal(run(f), SF_OK);
    const sf_file_stats *t = &f->ds->files[SF_FILE_TRANSACTIONS];
    assert_int_equal(t->read, 9);
    assert_int_equal(t->accepted, 2);
    assert_int_equal(t->rejected, 0);
    assert_int_equal(t->blank, 3);
    assert_int_equal(t->footer, 4);
    counts_add_up(t);
    assert_true(f->ds->accounts_derived);
    assert_false(f->ds->files[SF_FILE_ACCOUNTS].present);
    assert_int_equal(f->ds->n_accounts, 2);
    assert_string_equal(account_of(f, "A")->name, "A");
    assert_int_equal(account_of(f, "B")->rev12, 200);
    const sf_file_stats *v = &f->ds->files[SF_FILE_ACTIVITIES];
    assert_int_equal(v->accepted, 2); /* Z is no account, still accepted */
    assert_int_equal(v->footer, 1);
    assert_int_equal(account_of(f, "A")->last_contact, sf_date_from_ymd(2025, 6, 2));
    assert_int_equal(f->rj.n, 0);
    fx_free(f);
}

static void test_missing_column_and_empty(void **state)
{
    (void)state;
    fx *f = fx_new();
    put(f, SF_FILE_TRANSACTIONS, "transactions.csv", "account_id,when,amount\nA,2025-01-01,1\n");
    assert_int_equal(run(f), SF_ERR_INPUT);
    char want[512];
    snprintf(want, sizeof want,
             "%s: missing required column for 'date': looked for header 'date'; found: 'account_id', "
             "'when', 'amount'",
             f->cfg.file[SF_FILE_TRANSACTIONS]);
    assert_string_equal(f->ctx.msg, want);
    fx_free(f);

    f = fx_new();
    map(f, SF_FILE_TRANSACTIONS, SF_TF_DATE, SF_MAP_HEADER, "Datum");
    map(f, SF_FILE_TRANSACTIONS, SF_TF_MARGIN, SF_MAP_HEADER, "Marge");
    put(f, SF_FILE_TRANSACTIONS, "tx.csv", "account_id;date;amount\n");
    assert_int_equal(run(f), SF_ERR_INPUT);
    assert_non_null(strstr(f->ctx.msg, "missing required column for 'date': looked for header 'Datum'; "
                                       "found: 'account_id', 'date', 'amount'"));
    fx_free(f);

    /* an optional mapped header the file lacks: a warning, field unmapped */
    f = fx_new();
    map(f, SF_FILE_TRANSACTIONS, SF_TF_MARGIN, SF_MAP_HEADER, "Marge");
    map(f, SF_FILE_TRANSACTIONS, SF_TF_TRANSACTION_ID, SF_MAP_NONE, NULL);
    put(f, SF_FILE_TRANSACTIONS, "tx.csv", "transaction_id,account_id,date,amount\nX,A,2025-01-01,1\nX,A,2025-01-01,1\n");
    assert_int_equal(run(f), SF_OK);
    const sf_file_stats *t = &f->ds->files[SF_FILE_TRANSACTIONS];
    assert_int_equal(t->warnings.n, 1);
    snprintf(want, sizeof want, "%s: mapped optional header 'Marge' for field 'margin' not found",
             f->cfg.file[SF_FILE_TRANSACTIONS]);
    assert_string_equal(t->warnings.v[0], want);
    assert_null(t->mapped_header[SF_TF_MARGIN]);
    assert_null(t->mapped_header[SF_TF_TRANSACTION_ID]);
    assert_int_equal(t->accepted, 2); /* id unmapped: no duplicate check */
    fx_free(f);

    static const char *const empties[] = {"", "\xEF\xBB\xBF", "\n\n  \n"};
    for (size_t i = 0; i < SF_ARRAY_LEN(empties); i++) {
        f = fx_new();
        put(f, SF_FILE_TRANSACTIONS, "tx.csv", empties[i]);
        assert_int_equal(run(f), SF_ERR_INPUT);
        snprintf(want, sizeof want, "%s: empty file (no header line)", f->cfg.file[SF_FILE_TRANSACTIONS]);
        assert_string_equal(f->ctx.msg, want);
        fx_free(f);
    }

    /* header only: fine, no records */
    f = fx_new();
    put(f, SF_FILE_TRANSACTIONS, "tx.csv", "account_id,date,amount");
    assert_int_equal(run(f), SF_OK);
    assert_int_equal(f->ds->files[SF_FILE_TRANSACTIONS].read, 0);
    fx_free(f);

    /* a named file that does not exist */
    f = fx_new();
    put(f, SF_FILE_TRANSACTIONS, "tx.csv", "account_id,date,amount\n");
    set_str(&f->cfg.file[SF_FILE_ACCOUNTS], "/nonexistent/accounts.csv");
    assert_int_equal(run(f), SF_ERR_INPUT);
    assert_non_null(strstr(f->ctx.msg, "/nonexistent/accounts.csv: cannot open"));
    fx_free(f);
}

/* An activity with an empty account_id: missing_required by default (SPEC
 * §1); with activity_without_account = owner it counts for its owner's
 * KPIs and no account's figures, and without an owner it is still
 * rejected. */
static void test_activity_without_account(void **state)
{
    (void)state;
    for (int mode = 0; mode < 2; mode++) {
        fx *f = fx_new();
        if (mode)
            set_str(&f->cfg.activity_without_account, "owner");
        put(f, SF_FILE_ACCOUNTS, "accounts.csv", "account_id,name,owner\nA,Acme,Ann\n");
        put(f, SF_FILE_TRANSACTIONS, "transactions.csv", "account_id,date,amount\nA,2025-06-01,100\n");
        put(f, SF_FILE_ACTIVITIES, "activities.csv",
            "account_id,date,type,owner\n"
            "A,2025-06-20,call,Ann\n"
            ",2025-06-21,call,Bob\n"   /* a lead's task */
            ",2025-06-22,call,\n");    /* no account, no owner */
        assert_int_equal(run(f), SF_OK);
        const sf_file_stats *v = &f->ds->files[SF_FILE_ACTIVITIES];
        assert_int_equal(v->accepted, mode ? 2 : 1);
        assert_int_equal(v->rejected, mode ? 1 : 2);
        assert_int_equal(f->rj.count[SF_FILE_ACTIVITIES][SF_REJ_MISSING_REQUIRED], mode ? 1 : 2);
        uint32_t bob = sf_dataset_owner(f->ds, "Bob");
        assert_int_equal(f->ds->owner_acts[bob].calls, mode ? 1 : 0);
        /* Acme's own figures see only its own call */
        assert_int_equal(f->ds->accounts[0].last_contact, sf_date_from_ymd(2025, 6, 20));
        assert_int_equal(f->ds->accounts[0].cost12, 1500);
        fx_free(f);
    }
}

static void test_reject_share(void **state)
{
    (void)state;
    char data[2048];
    for (int bad = 1; bad <= 2; bad++) {
        fx *f = fx_new();
        f->cfg.max_reject_share = 50000; /* 0.05 */
        size_t o = (size_t)snprintf(data, sizeof data, "account_id,date,amount\n");
        for (int i = 0; i < 20; i++)
            o += (size_t)snprintf(data + o, sizeof data - o, "A,2025-01-%02d,%s\n", i + 1,
                                  i < bad ? "x" : "1");
        put(f, SF_FILE_TRANSACTIONS, "transactions.csv", data);
        put(f, SF_FILE_ACTIVITIES, "activities.csv", "account_id,date,type\nA,2025-06-01,call\n");
        sf_err e = run(f);
        /* 1 of 20 = 5 % is at the limit, 2 of 20 over it */
        assert_int_equal(e, bad == 1 ? SF_OK : SF_ERR_INPUT);
        assert_int_equal(f->rj.n, (size_t)bad);
        /* every file was read before stopping */
        assert_int_equal(f->ds->files[SF_FILE_ACTIVITIES].accepted, 1);
        if (bad == 2) {
            char want[512];
            snprintf(want, sizeof want, "%s: 2 of 20 records rejected (10.00%%), more than max_reject_share 5.00%%",
                     f->cfg.file[SF_FILE_TRANSACTIONS]);
            assert_non_null(strstr(f->ctx.msg, want));
        }
        fx_free(f);
    }
}

static void test_won(void **state)
{
    (void)state;
    fx *f = fx_new();
    f->cfg.transactions_from_won = true;
    put(f, SF_FILE_ACCOUNTS, "accounts.csv", "account_id,name\nC1,One\n");
    put(f, SF_FILE_OPPORTUNITIES, "opportunities.csv",
        "opportunity_id,account_id,created,status,amount,close_date\n"
        "O1,C1,2025-01-01,won,100,2025-02-01\n"
        "O2,C1,2025-01-01,won,,2025-02-01\n"
        "O3,C1,2025-01-01,won,50,\n"
        "O4,C1,2025-01-01,open,70,\n"
        "O5,C1,2025-01-01,won,,\n");
    assert_int_equal(run(f), SF_OK);
    const sf_file_stats *t = &f->ds->files[SF_FILE_TRANSACTIONS], *o = &f->ds->files[SF_FILE_OPPORTUNITIES];
    assert_true(t->present);
    assert_int_equal(t->read, 4);
    assert_int_equal(t->accepted, 1);
    assert_int_equal(t->rejected, 3);
    assert_int_equal(t->min_date, sf_date_from_ymd(2025, 2, 1));
    assert_int_equal(o->accepted, 5);
    assert_int_equal(o->rejected, 0);
    assert_int_equal(f->ds->n_opps, 5);
    rej_is(f, 0, SF_FILE_OPPORTUNITIES, 3, SF_REJ_MISSING_REQUIRED, "amount", false);
    rej_is(f, 1, SF_FILE_OPPORTUNITIES, 4, SF_REJ_MISSING_REQUIRED, "close_date", false);
    rej_is(f, 2, SF_FILE_OPPORTUNITIES, 6, SF_REJ_MISSING_REQUIRED, "close_date", false);
    assert_int_equal(f->rj.count[SF_FILE_TRANSACTIONS][SF_REJ_MISSING_REQUIRED], 3);
    assert_int_equal(account_of(f, "C1")->rev12, 10000);
    assert_int_equal(account_of(f, "C1")->open_opps, 1);
    fx_free(f);

    /* no opportunities file: a config error */
    f = fx_new();
    f->cfg.transactions_from_won = true;
    assert_int_equal(run(f), SF_ERR_USAGE);
    fx_free(f);

    /* accounts derived from won deals: an earlier open deal finds its account */
    f = fx_new();
    f->cfg.transactions_from_won = true;
    put(f, SF_FILE_OPPORTUNITIES, "opportunities.csv",
        "opportunity_id,account_id,created,status,amount,close_date\n"
        "O1,X,2025-01-01,open,10,\n"
        "O2,X,2025-01-02,won,20,2025-03-01\n"
        "O3,Y,2025-01-02,open,20,\n");
    assert_int_equal(run(f), SF_OK);
    assert_int_equal(f->ds->n_accounts, 1);
    assert_int_equal(f->ds->opps[0].account, sf_dataset_find(f->ds, "X"));
    assert_int_equal(f->ds->opps[2].account, SF_NO_ACCOUNT);
    assert_int_equal(account_of(f, "X")->rev12, 2000);
    assert_int_equal(account_of(f, "X")->open_opps, 1);
    fx_free(f);
}

static void test_quantity_price_tab_cr(void **state)
{
    (void)state;
    fx *f = fx_new();
    put(f, SF_FILE_TRANSACTIONS, "tx.csv",
        "account_id\tdate\tquantity\tunit_price\r"
        "A\t2025-01-01\t3\t1.005\r"      /* 3.015 -> 3.02 */
        "A\t2025-01-02\t 0.5 \t0.01\r"   /* 0.005 -> 0.01 */
        "A\t2025-01-03\t\t5\r"           /* missing quantity */
        "A\t2025-01-03\tx\t5\r"          /* bad quantity */
        "A\t2025-01-03\t1\ty\r"          /* bad unit_price */
        "A\t2025-01-0x\t1\t1\r");        /* bad date, line 7 */
    assert_int_equal(run(f), SF_OK);
    assert_int_equal(account_of(f, "A")->rev12, 303);
    rej_is(f, 0, SF_FILE_TRANSACTIONS, 4, SF_REJ_MISSING_REQUIRED, "quantity", false);
    rej_is(f, 1, SF_FILE_TRANSACTIONS, 5, SF_REJ_BAD_NUMBER, "quantity", false);
    rej_is(f, 2, SF_FILE_TRANSACTIONS, 6, SF_REJ_BAD_NUMBER, "unit_price", false);
    rej_is(f, 3, SF_FILE_TRANSACTIONS, 7, SF_REJ_BAD_DATE, "date", false);
    assert_int_equal(f->rj.n, 4);
    fx_free(f);

    /* amount mapped by name but missing, quantity and unit_price absent */
    f = fx_new();
    put(f, SF_FILE_TRANSACTIONS, "tx.csv", "account_id,date,quantity\nA,2025-01-01,1\n");
    assert_int_equal(run(f), SF_ERR_INPUT);
    assert_non_null(strstr(f->ctx.msg, "missing required column for 'amount': looked for header 'amount'"));
    fx_free(f);
}

/* Records across 1 MiB block boundaries: CRLF everywhere, a quoted
 * multi-line field, and a bad record at the end whose line must be exact. */
static void test_blocks(void **state)
{
    (void)state;
    fx *f = fx_new();
    const int rows = 150000;
    size_t cap = (size_t)rows * 32 + 256, o = 0;
    char *data = malloc(cap);
    assert_non_null(data);
    o += (size_t)snprintf(data + o, cap - o, "account_id,date,amount,note\r\n");
    for (int i = 0; i < rows; i++) {
        if (i == 61000)
            o += (size_t)snprintf(data + o, cap - o, "A1,2025-01-01,1,\"multi\r\nline\r\nnote\"\r\n");
        else
            o += (size_t)snprintf(data + o, cap - o, "A%d,2025-01-01,1,x\r\n", i % 10);
    }
    o += (size_t)snprintf(data + o, cap - o, "A1,2025-01-32,1,x\r\n");
    put_n(f, SF_FILE_TRANSACTIONS, "tx.csv", data, o);
    free(data);
    assert_int_equal(run(f), SF_OK);
    const sf_file_stats *t = &f->ds->files[SF_FILE_TRANSACTIONS];
    assert_int_equal(t->accepted, rows);
    assert_int_equal(t->rejected, 1);
    assert_int_equal(t->read, rows + 1);
    rej_is(f, 0, SF_FILE_TRANSACTIONS, (uint32_t)(1 + rows + 2 + 1), SF_REJ_BAD_DATE, "date", false);
    int64_t sum = 0;
    for (uint32_t i = 0; i < f->ds->n_accounts; i++)
        sum += f->ds->accounts[i].rev12;
    assert_int_equal(sum, (int64_t)rows * 100);
    fx_free(f);
}

/* A book of the repository's test data, read whole: its config, its
 * rejects (spooled in dir), its dataset finished as of the config's date. */
typedef struct {
    sf_config cfg;
    sf_ctx ctx;
    sf_rejects rj;
    sf_dataset *ds;
    char dir[64];
} book;

/* Read the book of config `rel` (under $ROOT); skips the test when the
 * file is not there (the binary run outside the repository). */
static void book_read(book *b, const char *rel)
{
    const char *root = getenv("ROOT");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root ? root : ".", rel);
    if (access(path, R_OK) != 0)
        skip();
    memset(b, 0, sizeof *b);
    snprintf(b->dir, sizeof b->dir, "/tmp/sf_ingest_book_XXXXXX");
    assert_non_null(mkdtemp(b->dir));
    assert_int_equal(sf_rejects_init(&b->rj, b->dir, &b->ctx), SF_OK);
    assert_int_equal(sf_config_init(&b->cfg), SF_OK);
    if (sf_config_load(&b->cfg, path, NULL, &b->ctx) != SF_OK)
        fail_msg("config: %s", b->ctx.msg);
    b->ds = sf_dataset_new(&b->cfg, b->cfg.as_of);
    assert_non_null(b->ds);
    assert_int_equal(sf_ingest(b->ds, &b->cfg, NULL, &b->rj, NULL, NULL, &b->ctx), SF_OK);
    assert_int_equal(sf_dataset_finish(b->ds, &b->ctx), SF_OK);
}

static void book_free(book *b)
{
    sf_dataset_free(b->ds);
    sf_rejects_release(&b->rj);
    sf_config_release(&b->cfg);
    rmdir(b->dir);
}

static void test_mini_example(void **state)
{
    (void)state;
    book b;
    book_read(&b, "tests/data/ingest/mini/config.ini");
    const sf_dataset *ds = b.ds;
    assert_int_equal(sf_date_from_ymd(2025, 6, 30), b.cfg.as_of);
    assert_int_equal(b.rj.n, 3);
    sf_rejects_reader *rd = sf_rejects_open(&b.rj);
    assert_non_null(rd);
    const struct { uint32_t line; sf_reject_reason r; const char *field, *raw; } want[] = {
        {288, SF_REJ_UNKNOWN_ACCOUNT, "account_id", "INV-99999,C999,2025-05-05,100.00"},
        {289, SF_REJ_DUPLICATE_ID, "transaction_id", "INV-00216,C001,2025-05-06,5.00"},
        {290, SF_REJ_BAD_DATE, "date", "INV-99998,C002,2025-02-30,10.00"},
    };
    for (size_t i = 0; i < 3; i++) {
        sf_reject r;
        assert_true(sf_rejects_read(rd, i, &r));
        assert_int_equal(r.file, SF_FILE_TRANSACTIONS);
        assert_int_equal(r.line, want[i].line);
        assert_int_equal(r.reason, want[i].r);
        assert_string_equal(r.field, want[i].field);
        assert_false(r.kept);
        assert_string_equal(r.raw, want[i].raw);
    }
    sf_rejects_close(rd);
    assert_int_equal(ds->files[SF_FILE_ACCOUNTS].accepted, 24);
    assert_int_equal(ds->files[SF_FILE_TRANSACTIONS].accepted, 286);
    assert_int_equal(ds->files[SF_FILE_ACTIVITIES].accepted, 90);
    assert_int_equal(ds->files[SF_FILE_OPPORTUNITIES].accepted, 18);
    for (int k = 0; k < SF_FILE_N; k++)
        counts_add_up(&ds->files[k]);
    book_free(&b);
}

/* The worked example of SPEC read and analysed, its rejects in the report
 * (release with sf_report_release, then book_free). */
static void mini_report(book *b, sf_report *rep)
{
    book_read(b, "tests/data/mini/config.ini");
    assert_int_equal(sf_analyze(b->ds, &b->cfg, false, rep, &b->ctx), SF_OK);
    rep->rejects = &b->rj;
}

/* A list's key (sf_list.key: what the mail looks its sent items up by,
 * without reading the row) is its key column's text, row by row: on the
 * worked example of SPEC, where every list with a key has rows. */
static void test_list_keys(void **state)
{
    (void)state;
    book b;
    sf_report rep;
    mini_report(&b, &rep);
    int keyed = 0;
    for (size_t k = 0; k < sf_n_lists; k++) {
        const sf_list *l = sf_lists[k];
        if (!l->key)
            continue;
        keyed++;
        int col = sf_list_col(l, l == &sf_list_pipeline ? "opportunity_id" : "account_id");
        assert_true(col >= 0);
        size_t n = l->count(&rep);
        assert_true(n > 0);
        for (size_t i = 0; i < n; i++) {
            sf_cell c[SF_LIST_MAX_COLS];
            memset(c, 0, sizeof c);
            l->row(&rep, i, c);
            assert_non_null(c[col].text);
            assert_string_equal(l->key(&rep, i), c[col].text);
        }
    }
    assert_int_equal(keyed, 5); /* the lists of the mail's sections */
    sf_report_release(&rep);
    book_free(&b);
}

/* sf_list_ahead gives every row of every list of the worked example as a
 * plain walk reads it, rows read ahead or not (the rejects are read back
 * from their spool, row by row), and nothing past the last. The accounts
 * list (24 rows) wraps the ring of SF_LIST_AHEAD + 1 rows three times. */
static void test_list_ahead(void **state)
{
    (void)state;
    book b;
    sf_report rep;
    mini_report(&b, &rep);
    size_t longest = 0;
    for (size_t k = 0; k < sf_n_lists; k++) {
        const sf_list *l = sf_lists[k];
        size_t n = l->count(&rep);
        if (n > longest)
            longest = n;
        sf_list_ahead ra;
        sf_list_walk w;
        assert_true(sf_list_ahead_open(&ra, l, &rep, n));
        assert_true(sf_list_walk_open(&w, l, &rep));
        assert_int_equal(ra.ahead, l->read ? 0 : SF_LIST_AHEAD);
        for (size_t i = 0; i < n; i++) {
            const sf_cell *got = sf_list_ahead_row(&ra, i);
            assert_non_null(got);
            sf_cell want[SF_LIST_MAX_COLS];
            assert_true(sf_list_walk_row(&w, i, want));
            for (int c = 0; c < l->n_cols; c++) {
                char t1[SF_CELL_TEXT_MAX], t2[SF_CELL_TEXT_MAX];
                assert_string_equal(sf_cell_text(&l->cols[c], &got[c], t1), sf_cell_text(&l->cols[c], &want[c], t2));
            }
        }
        assert_null(sf_list_ahead_row(&ra, n));
        sf_list_walk_close(&w);
        sf_list_ahead_close(&ra);
    }
    assert_true(longest > 3 * (SF_LIST_AHEAD + 1));
    sf_report_release(&rep);
    book_free(&b);
}

/* The accounts' shared index: ids of one family (one prefix, then a
 * number zero-padded to one width, or wider without a leading zero;
 * dense: found by number) and ids of no family (hashed; one longer than
 * the hash keeps inline). A transaction finds its own account and no
 * other: another width, a leading zero past the width, another prefix, a
 * number past the ends or in a gap, a prefix alone and a case change are
 * unknown accounts. */
static void test_account_index(void **state)
{
    (void)state;
    enum { N_UNKNOWN = 10 };
    static const struct {
        const char *accounts;
        bool dense;
        const char *known[5], *unknown[N_UNKNOWN];
    } v[] = {
        {"account_id,name\nC000001,A\nC000002,B\nC000003,C\nacme-5,E\n0015g00000ABCDEFGHIJKLMN,J\n",
         false,
         {"C000001", "C000002", "C000003", "acme-5", "0015g00000ABCDEFGHIJKLMN"},
         {"C00001", "C0000001", "D000001", "c000001", "C000000", "C000011", "C000004", "C", "C00000x", "000001"}},
        {"account_id,name\nC000001,A\nC000002,B\nC000003,C\nC000005,E\nC000010,J\n",
         true,
         {"C000001", "C000002", "C000003", "C000005", "C000010"},
         {"C00001", "C0000001", "D000001", "c000001", "C000000", "C000011", "C000004", "C", "C00000x", "000001"}},
        /* past the width: C99 then C100 (as C999999 then C1000000) */
        {"account_id,name\nC98,A\nC99,B\nC100,C\nC101,E\nC1000,J\n",
         true,
         {"C98", "C99", "C100", "C101", "C1000"},
         {"C098", "C0100", "C9", "C97", "C102", "C999", "C10000", "D100", "c100", "100"}},
        /* numeric ids of several lengths */
        {"account_id,name\n7,A\n42,B\n123,C\n999,E\n1000,J\n",
         true,
         {"7", "42", "123", "999", "1000"},
         {"07", "042", "0", "8", "1001", "C7", "77", "1e3", "-7", "00007"}},
    };
    for (size_t k = 0; k < sizeof v / sizeof *v; k++) {
        fx *f = fx_new();
        put(f, SF_FILE_ACCOUNTS, "accounts.csv", v[k].accounts);
        char tx[2048] = "account_id,date,amount\n";
        for (int i = 0; i < 5; i++)
            snprintf(tx + strlen(tx), sizeof tx - strlen(tx), "%s,2025-06-0%d,%d.00\n", v[k].known[i], i + 1,
                     i + 1);
        for (size_t i = 0; i < N_UNKNOWN; i++)
            snprintf(tx + strlen(tx), sizeof tx - strlen(tx), "%s,2025-06-01,1.00\n", v[k].unknown[i]);
        put(f, SF_FILE_TRANSACTIONS, "transactions.csv", tx);
        assert_int_equal(run(f), SF_OK);
        for (int i = 0; i < 5; i++)
            assert_int_equal(account_of(f, v[k].known[i])->rev12, (i + 1) * 100);
        const sf_file_stats *st = &f->ds->files[SF_FILE_TRANSACTIONS];
        assert_int_equal(st->accepted, 5);
        assert_int_equal(st->rejected, N_UNKNOWN);
        for (size_t i = 0; i < N_UNKNOWN; i++)
            rej_is(f, i, SF_FILE_TRANSACTIONS, (uint32_t)(7 + i), SF_REJ_UNKNOWN_ACCOUNT, "account_id", false);
        /* and the index the readers shared was the one expected */
        sf_acindex x;
        assert_int_equal(sf_acindex_build(&x, f->ds), SF_OK);
        assert_int_equal(x.dense, v[k].dense);
        sf_acindex_free(&x);
        fx_free(f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crlf_bom_quotes),
        cmocka_unit_test(test_cp1251),
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_end_marker_blank_derived),
        cmocka_unit_test(test_missing_column_and_empty),
        cmocka_unit_test(test_reject_share),
        cmocka_unit_test(test_won),
        cmocka_unit_test(test_quantity_price_tab_cr),
        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_account_index),
        cmocka_unit_test(test_activity_without_account),
        cmocka_unit_test(test_mini_example),
        cmocka_unit_test(test_list_keys),
        cmocka_unit_test(test_list_ahead),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
