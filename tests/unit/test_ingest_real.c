/*
 * test_ingest_real.c - the ingest rules made for real exports (issue 12),
 * each on a few hand-written records: a field from the first non-empty of
 * several columns; header matching tolerant of case, blanks and a trailing
 * '*' after the exact match; undecodable bytes and NULs cost a record only
 * in a column a field reads; a blank activity type is other; blank_values;
 * is_won / is_closed; '*' in mapped values; several files of one kind with
 * their own mappings and one id set; the users export naming owners;
 * derived accounts owned by their latest won deal; a UTF-8 BOM over a
 * CP1251 configuration; the first bad values kept as examples.
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

#include "input/sf_ingest.h"
#include "sf_test.h"

typedef sf_test_ingest fx;

static fx *fx_new(void)
{
    return sf_test_ingest_new("/tmp/sf_ingreal_XXXXXX");
}

/* The i-th line of the rejects, read back from their spool (texts valid
 * until the next call). */
static sf_reject rej_at(fx *f, size_t i)
{
    if (!f->rd)
        f->rd = sf_rejects_open(&f->rj);
    sf_reject r;
    assert_true(f->rd && sf_rejects_read(f->rd, i, &r));
    return r;
}

static void fx_free(fx *f)
{
    sf_test_ingest_free(f);
}

/* Write DIR/name and add it as the next file of kind k. */
static void put_n(fx *f, sf_file_kind k, const char *name, const char *data, size_t n)
{
    char path[256];
    sf_test_ingest_write(f, name, data, n, path, sizeof path);
    sf_input_list *l = &f->cfg.inputs[k];
    sf_input_file *v = realloc(l->v, (l->n + 1) * sizeof *v);
    assert_non_null(v);
    l->v = v;
    memset(&v[l->n], 0, sizeof v[l->n]);
    v[l->n].path = strdup(path);
    v[l->n].given = strdup(name);
    l->n++;
    if (!f->cfg.file[k])
        f->cfg.file[k] = strdup(path);
}

static void put(fx *f, sf_file_kind k, const char *name, const char *data)
{
    put_n(f, k, name, data, strlen(data));
}

static void map(sf_colmap *c, const char *header)
{
    free(c->header);
    c->header = header ? strdup(header) : NULL;
    c->kind = header ? SF_MAP_HEADER : SF_MAP_NONE;
}

static void valmap(sf_valmap *m, const char *items)
{
    sf_strlist_clear(&m->values);
    m->set = true;
    m->wild = false;
    char *copy = strdup(items), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        char *low = sf_utf8_lower(t);
        assert_int_equal(sf_strlist_push(&m->values, low), SF_OK);
        m->wild |= strchr(low, '*') != NULL;
        free(low);
    }
    free(copy);
}

static sf_err run(fx *f)
{
    f->ds = sf_dataset_new(&f->cfg, sf_date_from_ymd(2025, 6, 30));
    assert_non_null(f->ds);
    f->ds->collect_values = true;
    sf_err e = sf_ingest(f->ds, &f->cfg, NULL, &f->rj, NULL, NULL, &f->ctx);
    return e == SF_OK ? sf_dataset_finish(f->ds, &f->ctx) : e;
}

static const sf_opportunity *opp(const fx *f, const char *id)
{
    for (uint32_t i = 0; i < f->ds->n_opps; i++)
        if (strcmp(f->ds->opps[i].id, id) == 0)
            return &f->ds->opps[i];
    fail_msg("opportunity %s not read", id);
    return NULL;
}

static const sf_account *account_of(const fx *f, const char *id)
{
    uint32_t i = sf_dataset_find(f->ds, id);
    if (i == SF_NO_ACCOUNT)
        fail_msg("account %s not found", id);
    return &f->ds->accounts[i];
}

/* ---------------------------------------------------------------------- */

/* account_id = Account | Contact: the contact when the account is empty;
 * a record with neither is missing_required. */
static void test_first_non_empty(void **state)
{
    (void)state;
    fx *f = fx_new();
    map(&f->cfg.columns[SF_FILE_OPPORTUNITIES][SF_OF_ACCOUNT_ID], "Account | Contact");
    map(&f->cfg.columns[SF_FILE_OPPORTUNITIES][SF_OF_NAME], "Deal");
    put(f, SF_FILE_TRANSACTIONS, "tx.csv", "account_id,date,amount\nACME,2025-01-01,1\n");
    put(f, SF_FILE_OPPORTUNITIES, "opps.csv",
        "opportunity_id,Deal,Account,Contact,created\n"
        "O1,Big deal,ACME,Ann,2025-05-01\n"   /* the account */
        "O2,,,Bob,2025-05-02\n"               /* B2C: the contact */
        "O3,Lost cause,,,2025-05-03\n");      /* neither: rejected */
    assert_int_equal(run(f), SF_OK);
    assert_string_equal(opp(f, "O1")->account_id, "ACME");
    assert_string_equal(opp(f, "O1")->name, "Big deal");
    assert_string_equal(opp(f, "O2")->account_id, "Bob");
    assert_null(opp(f, "O2")->name);
    assert_int_equal(f->rj.n, 1);
    assert_int_equal(rej_at(f, 0).reason, SF_REJ_MISSING_REQUIRED);
    assert_string_equal(rej_at(f, 0).field, "account_id");
    assert_string_equal(f->ds->files[SF_FILE_OPPORTUNITIES].mapped_header[SF_OF_ACCOUNT_ID], "Account | Contact");
    fx_free(f);
}

/* [input] null_ids: Bitrix24's COMPANY_ID 0 ("no company") is empty, so
 * "COMPANY_ID | CONTACT_ID" reads the contact; a 0 with no contact is
 * missing_required, and a transaction or activity on account 0 too. */
static void test_null_ids(void **state)
{
    (void)state;
    fx *f = fx_new();
    valmap(&f->cfg.null_ids, "0");
    map(&f->cfg.columns[SF_FILE_OPPORTUNITIES][SF_OF_ACCOUNT_ID], "COMPANY_ID | CONTACT_ID");
    put(f, SF_FILE_TRANSACTIONS, "tx.csv", "account_id,date,amount\n12,2025-01-01,1\n0,2025-01-02,5\n");
    put(f, SF_FILE_ACTIVITIES, "act.csv", "account_id,date,type\n0,2025-06-01,Call\n12,2025-06-02,Call\n");
    put(f, SF_FILE_OPPORTUNITIES, "opps.csv",
        "opportunity_id,COMPANY_ID,CONTACT_ID,created\n"
        "O1,12,7,2025-05-01\n"     /* the company */
        "O2,0,7,2025-05-02\n"      /* no company: the contact */
        "O3,,0,2025-05-03\n"       /* neither: rejected */
        "O4,0,0,2025-05-04\n"      /* neither: rejected */
        "O5,10,,2025-05-05\n");    /* 10 is an id, not "0" */
    assert_int_equal(run(f), SF_OK);
    assert_string_equal(opp(f, "O1")->account_id, "12");
    assert_string_equal(opp(f, "O2")->account_id, "7");
    assert_string_equal(opp(f, "O5")->account_id, "10");
    assert_int_equal(account_of(f, "12")->rev12, 100);
    assert_int_equal(f->rj.n, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(rej_at(f, i).reason, SF_REJ_MISSING_REQUIRED);
        assert_string_equal(rej_at(f, i).field, "account_id");
    }
    assert_int_equal(f->ds->files[SF_FILE_TRANSACTIONS].accepted, 1);
    assert_int_equal(f->ds->files[SF_FILE_ACTIVITIES].accepted, 1);
    assert_int_equal(f->ds->files[SF_FILE_OPPORTUNITIES].accepted, 3);
    fx_free(f);
}

/* An exact header wins over a tolerant one; the tolerant match ignores
 * case, blanks and a trailing '*'. */
static void test_tolerant_headers(void **state)
{
    (void)state;
    fx *f = fx_new();
    map(&f->cfg.columns[SF_FILE_TRANSACTIONS][SF_TF_AMOUNT], "Amount");
    map(&f->cfg.columns[SF_FILE_TRANSACTIONS][SF_TF_ACCOUNT_ID], "Organization");
    put(f, SF_FILE_TRANSACTIONS, "tx.csv",
        "ORGANIZATION *,date,amount,Amount\n"
        "A,2025-01-01,1,2\n");
    assert_int_equal(run(f), SF_OK);
    const sf_file_stats *t = &f->ds->files[SF_FILE_TRANSACTIONS];
    assert_string_equal(t->mapped_header[SF_TF_AMOUNT], "Amount"); /* exact, not 'amount' */
    assert_string_equal(t->mapped_header[SF_TF_ACCOUNT_ID], "ORGANIZATION *");
    assert_int_equal(account_of(f, "A")->rev12, 200);
    fx_free(f);
}

/* Bad bytes and NULs in a column no field reads cost nothing (the raw
 * text keeps U+FFFD); in a mapped column the record is bad_encoding. */
static void test_undecodable_only_when_mapped(void **state)
{
    (void)state;
    static const char data[] = "account_id,date,amount,notes\n"
                               "A,2025-01-01,1,\"rich\0text\nwith a break\"\n" /* NUL, unmapped: kept */
                               "A,2025-01-02,2,caf\xE9\n"                      /* Latin-1 byte, unmapped */
                               "B\xE9,2025-01-03,3,ok\n"                         /* in the account id */
                               "A,2025-01-04,4\0,x\n";                           /* NUL in the amount */
    fx *f = fx_new();
    put_n(f, SF_FILE_TRANSACTIONS, "tx.csv", data, sizeof data - 1);
    assert_int_equal(run(f), SF_OK);
    const sf_file_stats *t = &f->ds->files[SF_FILE_TRANSACTIONS];
    assert_int_equal(t->accepted, 2);
    assert_int_equal(t->rejected, 2);
    assert_int_equal(f->rj.n, 2);
    assert_int_equal(rej_at(f, 0).reason, SF_REJ_BAD_ENCODING);
    assert_int_equal(rej_at(f, 0).line, 5);
    assert_string_equal(rej_at(f, 0).raw, "B\xEF\xBF\xBD,2025-01-03,3,ok");
    assert_int_equal(rej_at(f, 1).line, 6);
    assert_int_equal(account_of(f, "A")->rev12, 300);
    fx_free(f);

    /* the same through iconv (ISO-8859-1): é decodes, a NUL is U+FFFD */
    static const char latin[] = "account_id,date,amount,notes\n"
                                "Caf\xE9,2025-01-01,1,\"a\0b\"\n"
                                "X\0,2025-01-01,1,\n";
    f = fx_new();
    free(f->cfg.encoding);
    f->cfg.encoding = strdup("ISO-8859-1");
    put_n(f, SF_FILE_TRANSACTIONS, "tx.csv", latin, sizeof latin - 1);
    assert_int_equal(run(f), SF_OK);
    assert_int_equal(account_of(f, "Caf\xC3\xA9")->rev12, 100);
    assert_int_equal(f->rj.n, 1);
    assert_int_equal(rej_at(f, 0).reason, SF_REJ_BAD_ENCODING);
    assert_string_equal(rej_at(f, 0).raw, "X\xEF\xBF\xBD,2025-01-01,1,");
    fx_free(f);
}

/* A blank type is other; blank_values read as empty where a date or a
 * number is expected (required: missing_required; optional: no line). */
static void test_blank_type_and_blank_values(void **state)
{
    (void)state;
    fx *f = fx_new();
    valmap(&f->cfg.blank_values, "не закрыта, n/a");
    put(f, SF_FILE_TRANSACTIONS, "tx.csv", "account_id,date,amount\nA,2025-01-01,1\nA,n/a,1\nA,2025-01-02,N/A\n");
    put(f, SF_FILE_ACTIVITIES, "act.csv", "account_id,date,type\nA,2025-06-01,\nA,2025-06-02,Call\n");
    put(f, SF_FILE_OPPORTUNITIES, "opp.csv",
        "opportunity_id,account_id,created,close_date,amount\n"
        "O1,A,2025-05-01,не закрыта,n/a\n"
        "O2,A,2025-05-01,Не Закрыта ,10\n");
    assert_int_equal(run(f), SF_OK);
    assert_int_equal(f->rj.n, 2);
    assert_int_equal(rej_at(f, 0).reason, SF_REJ_MISSING_REQUIRED);
    assert_string_equal(rej_at(f, 0).field, "date");
    assert_int_equal(rej_at(f, 1).reason, SF_REJ_MISSING_REQUIRED);
    assert_string_equal(rej_at(f, 1).field, "amount");
    assert_int_equal(f->ds->files[SF_FILE_ACTIVITIES].accepted, 2);
    assert_int_equal(f->ds->acts[0].type, SF_ACT_OTHER);
    assert_int_equal(f->ds->acts[1].type, SF_ACT_CALL);
    assert_int_equal(opp(f, "O1")->close_date, SF_NODATE);
    assert_int_equal(opp(f, "O1")->amount, SF_NONE);
    assert_int_equal(opp(f, "O2")->close_date, SF_NODATE);
    /* the tally: the blank type counted as other */
    const sf_tally *t = &f->ds->tally[SF_TALLY_TYPE];
    assert_int_equal(t->n, 2);
    fx_free(f);
}

/* is_won / is_closed over the status column; '*' in mapped values. */
static void test_flags_and_wildcards(void **state)
{
    (void)state;
    fx *f = fx_new();
    valmap(&f->cfg.statuses[SF_ST_WON], "WON, *:WON");
    valmap(&f->cfg.statuses[SF_ST_LOST], "LOSE, *:LOSE, *:APOLOGY");
    map(&f->cfg.columns[SF_FILE_OPPORTUNITIES][SF_OF_IS_CLOSED], "CLOSED");
    map(&f->cfg.columns[SF_FILE_OPPORTUNITIES][SF_OF_IS_WON], "WONFLAG");
    put(f, SF_FILE_TRANSACTIONS, "tx.csv", "account_id,date,amount\nA,2025-01-01,1\n");
    put(f, SF_FILE_OPPORTUNITIES, "opp.csv",
        "opportunity_id,account_id,created,status,CLOSED,WONFLAG\n"
        "O1,A,2025-05-01,C6:WON,Y,\n"          /* code of pipeline 6: won */
        "O2,A,2025-05-01,C12:APOLOGY,Y,\n"     /* lost */
        "O3,A,2025-05-01,Выдано,Y,\n"          /* closed, not a won value: lost */
        "O4,A,2025-05-01,Выдано,N,\n"          /* open */
        "O5,A,2025-05-01,Cerrada ganada,true,true\n" /* is_won decides */
        "O6,A,2025-05-01,WON,,false\n"         /* not won: open */
        "O7,A,2025-05-01,NEW,maybe,\n"         /* bad flag: kept, open */
        "O8,A,2025-05-01,XC6:WONX,N,\n");      /* '*' anchors both ends */
    assert_int_equal(run(f), SF_OK);
    assert_int_equal(opp(f, "O1")->status, SF_ST_WON);
    assert_int_equal(opp(f, "O2")->status, SF_ST_LOST);
    assert_int_equal(opp(f, "O3")->status, SF_ST_LOST);
    assert_int_equal(opp(f, "O4")->status, SF_ST_OPEN);
    assert_int_equal(opp(f, "O5")->status, SF_ST_WON);
    assert_int_equal(opp(f, "O6")->status, SF_ST_OPEN);
    assert_int_equal(opp(f, "O7")->status, SF_ST_OPEN);
    assert_int_equal(opp(f, "O8")->status, SF_ST_OPEN);
    assert_int_equal(f->rj.n, 1);
    assert_int_equal(rej_at(f, 0).reason, SF_REJ_BAD_VALUE);
    assert_true(rej_at(f, 0).kept);
    assert_string_equal(rej_at(f, 0).field, "is_closed");
    /* the status tally: (value, class) pairs */
    const sf_tally *t = &f->ds->tally[SF_TALLY_STATUS];
    int hits = 0;
    for (uint32_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i].value, "Выдано") == 0)
            hits += (t->v[i].cls == SF_ST_LOST && t->v[i].count == 1) + (t->v[i].cls == SF_ST_OPEN && t->v[i].count == 1);
    assert_int_equal(hits, 2);
    fx_free(f);
}

/* Two activity files, the second with its own mapping; two transaction
 * files share one id set; counts per file and reject lines per file. */
static void test_several_files(void **state)
{
    (void)state;
    fx *f = fx_new();
    put(f, SF_FILE_TRANSACTIONS, "jan.csv", "transaction_id,account_id,date,amount\nT1,A,2025-01-01,1\nT2,A,2025-01-02,2\n");
    put(f, SF_FILE_TRANSACTIONS, "feb.csv", "transaction_id,account_id,date,amount\nT3,A,2025-02-01,4\nT1,A,2025-02-02,8\n");
    put(f, SF_FILE_ACTIVITIES, "Task.csv", "account_id,date,type\nA,2025-06-01,Call\nA,bad,Call\n");
    put(f, SF_FILE_ACTIVITIES, "Event.csv", "AccountId,When,Kind\nA,2025-06-03,meeting\n");
    map(&f->cfg.inputs[SF_FILE_ACTIVITIES].v[1].columns[SF_VF_ACCOUNT_ID], "AccountId");
    map(&f->cfg.inputs[SF_FILE_ACTIVITIES].v[1].columns[SF_VF_DATE], "When");
    map(&f->cfg.inputs[SF_FILE_ACTIVITIES].v[1].columns[SF_VF_TYPE], "Kind");
    assert_int_equal(run(f), SF_OK);
    const sf_file_stats *tx = &f->ds->files[SF_FILE_TRANSACTIONS], *ac = &f->ds->files[SF_FILE_ACTIVITIES];
    assert_int_equal(tx->n_parts, 2);
    assert_int_equal(tx->parts[0].accepted, 2);
    assert_int_equal(tx->parts[1].accepted, 1);
    assert_int_equal(tx->parts[1].rejected, 1); /* T1 again, in the second file */
    assert_int_equal(tx->accepted, 3);
    assert_int_equal(account_of(f, "A")->rev12, 700);
    assert_int_equal(ac->n_parts, 2);
    assert_string_equal(ac->parts[1].mapped_header[SF_VF_DATE], "When");
    assert_int_equal(ac->accepted, 2);
    assert_int_equal(account_of(f, "A")->last_contact, sf_date_from_ymd(2025, 6, 3));
    assert_int_equal(f->rj.n, 2);
    assert_int_equal(rej_at(f, 0).file, SF_FILE_TRANSACTIONS);
    assert_int_equal(rej_at(f, 0).part, 1);
    assert_int_equal(rej_at(f, 0).reason, SF_REJ_DUPLICATE_ID);
    assert_int_equal(rej_at(f, 1).file, SF_FILE_ACTIVITIES);
    assert_int_equal(rej_at(f, 1).part, 0);
    assert_int_equal(rej_at(f, 1).line, 3);
    /* the examples check prints */
    assert_int_equal(f->rj.n_ex[SF_FILE_ACTIVITIES][SF_REJ_BAD_DATE][0], 1);
    assert_string_equal(f->rj.ex[SF_FILE_ACTIVITIES][SF_REJ_BAD_DATE][0][0].value, "bad");
    assert_int_equal(f->rj.ex[SF_FILE_TRANSACTIONS][SF_REJ_DUPLICATE_ID][0][0].part, 1);
    fx_free(f);
}

/* The users export names the owners; two users of one name keep their
 * ids beside it; an owner that is no user id stays as written. */
static void test_users(void **state)
{
    (void)state;
    fx *f = fx_new();
    map(&f->cfg.columns[SF_FILE_USERS][SF_UF_USER_ID], "Id");
    map(&f->cfg.columns[SF_FILE_USERS][SF_UF_NAME], "Name");
    map(&f->cfg.columns[SF_FILE_USERS][SF_UF_FIRST_NAME], "FirstName");
    map(&f->cfg.columns[SF_FILE_USERS][SF_UF_LAST_NAME], "LastName");
    put(f, SF_FILE_USERS, "User.csv", "Id,Name,FirstName,LastName\n005A,José Núñez,,\n005B,Ann Lee,,\n005C,Ann Lee,,\n"
                                      "005D,,Eva,Kim\n005A,Dup,,\n");
    put(f, SF_FILE_ACCOUNTS, "acc.csv", "account_id,name,owner\nA,Alpha,005A\nB,Beta,005B\nC,Gamma,005C\nD,Delta,005D\n"
                                        "E,Epsilon,Zed\n");
    put(f, SF_FILE_TRANSACTIONS, "tx.csv", "account_id,date,amount\nA,2025-01-01,1\n");
    assert_int_equal(run(f), SF_OK);
    assert_int_equal(f->ds->n_users, 4);
    assert_int_equal(f->ds->owners_named, 4);
    assert_string_equal(f->ds->owners[account_of(f, "A")->owner], "José Núñez");
    assert_string_equal(f->ds->owners[account_of(f, "B")->owner], "Ann Lee (005B)");
    assert_string_equal(f->ds->owners[account_of(f, "C")->owner], "Ann Lee (005C)");
    assert_string_equal(f->ds->owners[account_of(f, "D")->owner], "Eva Kim");
    assert_string_equal(f->ds->owners[account_of(f, "E")->owner], "Zed");
    assert_int_equal(sf_dataset_owner(f->ds, "José Núñez"), account_of(f, "A")->owner); /* index follows */
    assert_int_equal(f->rj.n, 1);
    assert_int_equal(rej_at(f, 0).file, SF_FILE_USERS);
    assert_int_equal(rej_at(f, 0).reason, SF_REJ_DUPLICATE_ID);
    fx_free(f);
}

/* transactions = @won without accounts: a derived account takes the owner
 * of its latest won deal; (unassigned) is then no owner seen. */
static void test_won_owner(void **state)
{
    (void)state;
    fx *f = fx_new();
    f->cfg.transactions_from_won = true;
    put(f, SF_FILE_OPPORTUNITIES, "opp.csv",
        "opportunity_id,account_id,created,status,amount,close_date,owner\n"
        "O1,A,2025-01-01,won,10,2025-02-01,Ann\n"
        "O2,A,2025-01-01,won,10,2025-03-01,Bob\n"
        "O3,A,2025-01-01,won,10,2025-01-15,Cid\n"
        "O4,B,2025-01-01,won,10,2025-02-01,\n");
    assert_int_equal(run(f), SF_OK);
    assert_string_equal(f->ds->owners[account_of(f, "A")->owner], "Bob");
    assert_int_equal(account_of(f, "B")->owner, SF_OWNER_UNASSIGNED);
    assert_true(f->ds->owner_seen[SF_OWNER_UNASSIGNED]); /* B has none */
    fx_free(f);
}

/* A file that starts with a UTF-8 BOM is UTF-8 under a CP1251 config;
 * one without is converted. */
static void test_bom_over_cp1251(void **state)
{
    (void)state;
    fx *f = fx_new();
    free(f->cfg.encoding);
    f->cfg.encoding = strdup("CP1251");
    put(f, SF_FILE_TRANSACTIONS, "tx.csv", "\xEF\xBB\xBF" "account_id,date,amount\n\xD0\x9E\xD0\x9E\xD0\x9E,2025-01-01,1\n");
    put(f, SF_FILE_ACTIVITIES, "act.csv", "account_id,date,type\n\xCE\xCE\xCE,2025-06-01,call\n");
    assert_int_equal(run(f), SF_OK);
    assert_int_equal(account_of(f, "ООО")->last_contact, sf_date_from_ymd(2025, 6, 1));
    assert_int_equal(f->rj.n, 0);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_non_empty),
        cmocka_unit_test(test_tolerant_headers),
        cmocka_unit_test(test_undecodable_only_when_mapped),
        cmocka_unit_test(test_blank_type_and_blank_values),
        cmocka_unit_test(test_null_ids),
        cmocka_unit_test(test_flags_and_wildcards),
        cmocka_unit_test(test_several_files),
        cmocka_unit_test(test_users),
        cmocka_unit_test(test_won_owner),
        cmocka_unit_test(test_bom_over_cp1251),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
