/*
 * test_an_csv.c - out_csv.c: the byte format of the CSV lists (BOM or
 * not, CRLF, RFC 4180 quoting, empty for "not applicable", (all) and
 * (unassigned) rows) and the rejects.csv order, where a rejection of a
 * record replaces the kept-field lines of the same record.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <unistd.h>

#include "output/sf_output.h"
#include "test_an_fixture.h"

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static char outdir[256];

static void write_lists(const sf_rejects *rj)
{
    snprintf(outdir, sizeof outdir, "/tmp/sf_test_an_csv_XXXXXX");
    assert_non_null(mkdtemp(outdir));
    sf_stage st;
    assert_int_equal(sf_stage_begin(&st, outdir, &fx_ctx), SF_OK);
    fx_rep.rejects = rj;
    sf_output_ctx o = {.cfg = &fx_cfg, .ds = fx_ds, .rep = &fx_rep, .rejects = rj,
                       .out_dir = outdir, .stage = &st};
    assert_int_equal(sf_out_csv(&o, &fx_ctx), SF_OK);
    assert_int_equal(sf_stage_commit(&st, &fx_ctx), SF_OK);
    sf_stage_release(&st);
}

static void read_list(const char *name, char *path, size_t n)
{
    snprintf(path, n, "%s/csv/%s", outdir, name);
}

static void cleanup(void)
{
    static const char *const names[] = {"accounts", "cadence_due", "decline_alerts",
        "fire_candidates", "time_split", "pipeline", "rep_kpis", "rejects"};
    char p[512];
    for (size_t i = 0; i < SF_ARRAY_LEN(names); i++) {
        snprintf(p, sizeof p, "%s/csv/%s.csv", outdir, names[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/csv", outdir);
    rmdir(p);
    rmdir(outdir);
}

/* One account whose name needs quoting, no BOM. Its only purchase gives
 * rev12 = potential = L = 1234.50 -> A, ratio 1, hot; never contacted
 * -> next_due = T. */
static void test_format(void **state)
{
    (void)state;
    fx_config();
    fx_cfg.csv_bom = false;
    fx_begin("2025-06-30");
    bool dup;
    assert_int_not_equal(sf_dataset_add_account(fx_ds, "K1", "Smith, \"Big\" Ltd", "Ann",
                                                NULL, NULL, SF_NONE, SF_NONE, NULL, NULL, 2,
                                                &dup), SF_NO_ACCOUNT);
    fx_tx("K1", "2025-06-01", 123450);
    fx_run();
    write_lists(NULL);
    char p[512];
    read_list("accounts.csv", p, sizeof p);
    assert_string_equal(slurp(p),
        "account_id,name,owner,tier,rev12,potential,ratio,realization,temperature,"
        "last_contact,next_due\r\n"
        "K1,\"Smith, \"\"Big\"\" Ltd\",Ann,A,1234.50,1234.50,1.0000,1.0000,hot,,2025-06-30\r\n");
    read_list("time_split.csv", p, sizeof p);
    /* Ann: key share 1; first purchase in the window: new share 1 > 0.5
     * -> mode new, rec 0.75 x 1; no minutes logged -> actual empty */
    assert_string_equal(slurp(p),
        "owner,key_share,mode,recommended_key,recommended_rest,actual_key,actual_other,"
        "actual_prospecting\r\n"
        "Ann,1.0000,new,0.7500,0.2500,,,\r\n"
        "(all),1.0000,new,0.7500,0.2500,,,\r\n");
    read_list("rep_kpis.csv", p, sizeof p);
    /* 64 weekdays, no calls: 0.0000; every ratio with a 0 denominator empty */
    assert_string_equal(slurp(p),
        "owner,calls,calls_per_day,conversations,appointments,conv_to_appt,proposals,"
        "appt_to_proposal,won,lost,close_ratio,median_cycle_days,avg_sale\r\n"
        "Ann,0,0.0000,0,0,,0,,0,0,,,\r\n");
    read_list("rejects.csv", p, sizeof p);
    assert_string_equal(slurp(p), "file,line,reason,field,action,raw\r\n");
    cleanup();
    fx_end();
}

/* rejects.csv: by file then line, read back from the spool; BOM on by
 * default. */
static void test_rejects(void **state)
{
    (void)state;
    fx_config();
    fx_cfg.file[SF_FILE_TRANSACTIONS] = sf_strdup("/data/in/tx.csv");
    fx_begin("2025-06-30");
    fx_run();
    /* the spool holds what the ingest kept (a rejection already replaced
     * the record's kept lines); its segments come back by file, then line */
    char spool[] = "/tmp/sf_test_an_csv_spool_XXXXXX";
    assert_non_null(mkdtemp(spool));
    sf_rejects rj;
    sf_reject_seg *st, *sa;
    assert_int_equal(sf_rejects_init(&rj, spool, &fx_ctx), SF_OK);
    assert_int_equal(sf_rejects_segment(&rj, SF_FILE_TRANSACTIONS, 0, 0, &st, &fx_ctx), SF_OK);
    assert_int_equal(sf_rejects_segment(&rj, SF_FILE_ACCOUNTS, 0, 0, &sa, &fx_ctx), SF_OK);
    const sf_reject v[] = {
        {SF_FILE_TRANSACTIONS, 7, SF_REJ_UNKNOWN_ACCOUNT, "account_id", false, "x", 0},
        {SF_FILE_TRANSACTIONS, 9, SF_REJ_BAD_DATE, "date", false, "a,b", 0},
        {SF_FILE_ACCOUNTS, 12, SF_REJ_BAD_NUMBER, "employees", true, "q\"r", 0},
    };
    for (size_t i = 0; i < SF_ARRAY_LEN(v); i++)
        assert_int_equal(sf_rejects_put(&rj, v[i].file == SF_FILE_ACCOUNTS ? sa : st, &v[i], strlen(v[i].raw),
                                        v[i].file, &fx_ctx), SF_OK);
    assert_int_equal(sf_rejects_finish(&rj, &fx_ctx), SF_OK);
    write_lists(&rj);
    sf_rejects_release(&rj);
    rmdir(spool);
    char p[512];
    read_list("rejects.csv", p, sizeof p);
    assert_string_equal(slurp(p),
        "\xEF\xBB\xBF" "file,line,reason,field,action,raw\r\n"
        "accounts,12,bad_number,employees,kept,\"q\"\"r\"\r\n"
        "tx.csv,7,unknown_account,account_id,rejected,x\r\n"
        "tx.csv,9,bad_date,date,rejected,\"a,b\"\r\n");
    cleanup();
    fx_end();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
