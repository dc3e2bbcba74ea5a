/*
 * fuzz_csv.c - libFuzzer harness for the CSV ingest (sf_ingest).
 *
 * The fuzz input is written to a scratch file that stands in for one of the
 * four CRM exports; the first bytes pick the file kind and the parsing
 * options (delimiter, encoding, decimal mark, thousands separator, date
 * format, end marker), so one corpus covers every combination. After each
 * run the harness checks the counting invariant of SPEC §1 (read = accepted
 * + rejected + blank + footer for every present file) and that every
 * rejected record has exactly one `rejected` line in the rejects list.
 * What was accepted then goes through sf_analyze (no outputs).
 *
 * Fuzzed transactions with a fixed accounts file are also read twice more:
 * by one thread (single_thread) and split between two (split_min = 1, so
 * even a few lines are split: ingest_split.c). Both readings must
 * agree on every count, accumulator and reject line.
 *
 * Built by tools/fuzz.sh with clang -fsanitize=fuzzer,address,undefined.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "config/sf_config.h"
#include "data/sf_dataset.h"
#include "input/sf_ingest.h"
#include "analysis/sf_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Scratch files of this process: the fuzzed export and a fixed,
 * well-formed transactions file used when the fuzzed bytes play another
 * export. Created once; rewritten for every input. */
static char g_dir[256];
static char g_fuzz_path[300];
static char g_tx_path[300];
static char g_acc_path[300];

static const char k_fixed_acc[] =
    "account_id,name,owner\n"
    "C001,One,Ann\n"
    "C002,Two,Bob\n"
    "C003,Three,\n"
    "A1,Four,Ann\n";

static const char k_fixed_tx[] =
    "account_id,date,amount\n"
    "C001,2025-01-10,100.00\n"
    "C002,2025-02-11,250.50\n";

/* Remove the scratch files at exit, so runs leave nothing in /dev/shm. */
static void cleanup(void)
{
    unlink(g_fuzz_path);
    unlink(g_tx_path);
    unlink(g_acc_path);
    rmdir(g_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    scratch_dir(g_dir, sizeof g_dir, "csv");
    snprintf(g_fuzz_path, sizeof g_fuzz_path, "%s/input.csv", g_dir);
    snprintf(g_tx_path, sizeof g_tx_path, "%s/tx.csv", g_dir);
    write_file(g_tx_path, k_fixed_tx, sizeof k_fixed_tx - 1);
    snprintf(g_acc_path, sizeof g_acc_path, "%s/accounts.csv", g_dir);
    write_file(g_acc_path, k_fixed_acc, sizeof k_fixed_acc - 1);
    atexit(cleanup);
    return 0;
}

/* Replace an owned config string; aborts on out of memory (the harness is
 * not what is under test). */
static void set_str(char **slot, const char *v)
{
    free(*slot);
    *slot = v ? sf_strdup(v) : NULL;
    if (v && !*slot)
        abort();
}

/* One sf_ingest of cfg into a new dataset; the rejects spooled in the
 * scratch folder. */
static sf_err ingest_once(const sf_config *cfg, const sf_settings *set, sf_dataset **ds, sf_rejects *rej,
                          sf_ctx *ctx)
{
    *ds = sf_dataset_new(cfg, sf_date_from_ymd(2025, 6, 30));
    if (!*ds)
        abort();
    memset(ctx, 0, sizeof *ctx);
    if (sf_rejects_init(rej, g_dir, ctx) != SF_OK)
        abort();
    sf_err e = sf_ingest(*ds, cfg, set, rej, NULL, NULL, ctx);
    if (e == SF_OK)
        e = sf_dataset_finish(*ds, ctx);
    return e;
}

static void differ(const char *what)
{
    fprintf(stderr, "split and single-threaded reads differ: %s\n", what);
    abort();
}

/* The same transactions read by one thread and split between two. */
static void split_differential(const sf_config *cfg)
{
    sf_dataset *a, *b;
    sf_rejects ra, rb;
    sf_ctx ca, cb;
    sf_settings one, two;
    sf_settings_default(&one);
    one.single_thread = true;
    sf_settings_default(&two);
    two.split_min = 1;
    sf_err ea = ingest_once(cfg, &one, &a, &ra, &ca);
    sf_err eb = ingest_once(cfg, &two, &b, &rb, &cb);
    if (ea != eb)
        differ("return code");
    if (ea == SF_OK || ea == SF_ERR_INPUT) {
        for (int f = 0; f < SF_FILE_N; f++) {
            const sf_file_stats *x = &a->files[f], *y = &b->files[f];
            if (x->present != y->present || x->read != y->read || x->accepted != y->accepted ||
                x->rejected != y->rejected || x->kept_with_fault != y->kept_with_fault ||
                x->blank != y->blank || x->footer != y->footer || x->min_date != y->min_date ||
                x->max_date != y->max_date)
                differ(sf_file_kind_name((sf_file_kind)f));
        }
        if (a->n_accounts != b->n_accounts || a->n_days != b->n_days ||
            (a->n_days && memcmp(a->days, b->days, a->n_days * sizeof *a->days) != 0) ||
            (a->day_start && memcmp(a->day_start, b->day_start,
                                    ((size_t)a->n_accounts + 1) * sizeof *a->day_start) != 0))
            differ("accounts or their days");
        for (uint32_t i = 0; i < a->n_accounts; i++) {
            const sf_account *x = &a->accounts[i], *y = &b->accounts[i];
            if (x->rev12 != y->rev12 || x->rev_prev12 != y->rev_prev12 || x->margin12 != y->margin12 ||
                x->dec_current != y->dec_current || x->dec_prior != y->dec_prior ||
                x->first_purchase != y->first_purchase || x->last_purchase != y->last_purchase)
                differ("an account's accumulators");
        }
        if (ra.n != rb.n)
            differ("number of reject lines");
        sf_rejects_reader *qa = sf_rejects_open(&ra), *qb = sf_rejects_open(&rb);
        if (!qa || !qb)
            abort();
        for (size_t i = 0; i < ra.n; i++) {
            sf_reject xa, ya, *x = &xa, *y = &ya;
            if (!sf_rejects_read(qa, i, &xa) || !sf_rejects_read(qb, i, &ya))
                differ("a reject line that cannot be read back");
            if (x->file != y->file || x->line != y->line || x->reason != y->reason || x->kept != y->kept ||
                (x->field == NULL) != (y->field == NULL) || (x->field && strcmp(x->field, y->field) != 0) ||
                strcmp(x->raw, y->raw) != 0)
                differ("a reject line");
        }
        sf_rejects_close(qa);
        sf_rejects_close(qb);
    }
    sf_rejects_release(&ra);
    sf_rejects_release(&rb);
    sf_dataset_free(a);
    sf_dataset_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    uint8_t o1 = data[0], o2 = data[1];
    data += 2;
    size -= 2;
    write_file(g_fuzz_path, data, size);

    sf_config cfg;
    memset(&cfg, 0, sizeof cfg);
    if (sf_config_init(&cfg) != SF_OK)
        abort();

    static const char delims[4] = {0, ',', ';', '\t'};
    static const char *const encodings[4] = {"UTF-8", "CP1251", "ISO-8859-2", "UTF-8"};
    static const char *const formats[4] = {"%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y", "%d/%m/%y"};
    static const sf_thousands ths[5] = {SF_THOUSANDS_NONE, SF_THOUSANDS_SPACE, SF_THOUSANDS_COMMA,
                                        SF_THOUSANDS_DOT, SF_THOUSANDS_APOS};
    cfg.delimiter = delims[o1 & 3];
    set_str(&cfg.encoding, encodings[(o1 >> 2) & 3]);
    cfg.decimal = (o1 & 0x10) ? ',' : '.';
    cfg.thousands = ths[((o1 >> 5) & 7) % 5];
    set_str(&cfg.date_format, formats[o2 & 3]);
    if (o2 & 4)
        set_str(&cfg.end_marker, "Grand Totals");
    /* Mostly a limit that never trips, so every file is read to the end;
     * sometimes the default, to reach the over-the-limit path too. */
    cfg.max_reject_share = (o2 & 8) ? 50000 : SF_PPM;

    /* Which export the fuzzed bytes play (transactions is required). */
    int kind = (o2 >> 4) & 3;
    switch (kind) {
    case SF_FILE_ACCOUNTS:
        set_str(&cfg.file[SF_FILE_ACCOUNTS], g_fuzz_path);
        set_str(&cfg.file[SF_FILE_TRANSACTIONS], g_tx_path);
        break;
    case SF_FILE_TRANSACTIONS:
        set_str(&cfg.file[SF_FILE_TRANSACTIONS], g_fuzz_path);
        if (o2 & 0x40) /* with accounts: the two-reader split is compared too */
            set_str(&cfg.file[SF_FILE_ACCOUNTS], g_acc_path);
        break;
    case SF_FILE_ACTIVITIES:
        set_str(&cfg.file[SF_FILE_ACTIVITIES], g_fuzz_path);
        set_str(&cfg.file[SF_FILE_TRANSACTIONS], g_tx_path);
        break;
    default:
        set_str(&cfg.file[SF_FILE_OPPORTUNITIES], g_fuzz_path);
        if (o2 & 0x40) {
            cfg.transactions_from_won = true; /* transactions = @won */
        } else {
            set_str(&cfg.file[SF_FILE_TRANSACTIONS], g_tx_path);
        }
        break;
    }
    if (o2 & 0x80) { /* a rate, so currency conversion is reached */
        cfg.rates = calloc(1, sizeof *cfg.rates);
        if (!cfg.rates)
            abort();
        cfg.rates[0].code = sf_strdup("USD");
        if (!cfg.rates[0].code)
            abort();
        cfg.rates[0].rate = 920000;
        cfg.n_rates = 1;
    }

    sf_dataset *ds = sf_dataset_new(&cfg, sf_date_from_ymd(2025, 6, 30));
    if (!ds)
        abort();
    sf_rejects rej;
    sf_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    if (sf_rejects_init(&rej, g_dir, &ctx) != SF_OK)
        abort();
    sf_err e = sf_ingest(ds, &cfg, NULL, &rej, NULL, NULL, &ctx);

    /* An error must come with a message (the CLI prints nothing else). */
    if (e != SF_OK && ctx.msg[0] == '\0') {
        fprintf(stderr, "sf_ingest returned %d without a message\n", (int)e);
        abort();
    }
    /* Counts are final when every file was read: on success, or when the
     * reject limit tripped (every file is still read first). */
    if (e == SF_OK || e == SF_ERR_INPUT) {
        for (int f = 0; f < SF_FILE_N; f++) {
            const sf_file_stats *fs = &ds->files[f];
            if (!fs->present)
                continue;
            if (fs->read < 0 || fs->accepted < 0 || fs->rejected < 0 || fs->blank < 0 || fs->footer < 0 ||
                fs->read != fs->accepted + fs->rejected + fs->blank + fs->footer) {
                fprintf(stderr, "%s: read %lld != accepted %lld + rejected %lld + blank %lld + footer %lld (rc %d: %s)\n",
                        sf_file_kind_name((sf_file_kind)f), (long long)fs->read, (long long)fs->accepted,
                        (long long)fs->rejected, (long long)fs->blank, (long long)fs->footer, (int)e, ctx.msg);
                abort();
            }
        }
        if (e == SF_OK) {
            int64_t lines[SF_FILE_N] = {0};
            sf_rejects_reader *rd = sf_rejects_open(&rej);
            if (!rd)
                abort();
            for (size_t i = 0; i < rej.n; i++) {
                sf_reject rv, *r = &rv;
                if (!sf_rejects_read(rd, i, &rv))
                    abort(); /* every line counted is in the spool */
                if ((int)r->file < 0 || r->file >= SF_FILE_N || (int)r->reason < 0 || r->reason >= SF_REJ_N ||
                    !r->raw || !sf_utf8_valid(r->raw, strlen(r->raw)))
                    abort(); /* rejects.csv promises UTF-8 raw text */
                if (i > 0) {
                    sf_reject pv;
                    if (!sf_rejects_read(rd, i - 1, &pv) || pv.file > rv.file ||
                        (pv.file == rv.file && pv.line > rv.line))
                        abort(); /* rejects.csv order: by file, then line */
                    if (!sf_rejects_read(rd, i, &rv))
                        abort();
                }
                if (!r->kept)
                    lines[r->file]++;
            }
            sf_rejects_close(rd);
            int64_t want[SF_FILE_N];
            for (int f = 0; f < SF_FILE_N; f++)
                want[f] = ds->files[f].present ? ds->files[f].rejected : 0;
            if (cfg.transactions_from_won) {
                /* SPEC §1.1: a won deal that cannot become a transaction is
                 * a line of the opportunities file, counted in the derived
                 * transactions. */
                want[SF_FILE_OPPORTUNITIES] += want[SF_FILE_TRANSACTIONS];
                lines[SF_FILE_OPPORTUNITIES] += lines[SF_FILE_TRANSACTIONS];
                want[SF_FILE_TRANSACTIONS] = lines[SF_FILE_TRANSACTIONS] = 0;
            }
            for (int f = 0; f < SF_FILE_N; f++) {
                if (lines[f] != want[f]) {
                    fprintf(stderr, "%s: %lld rejected records but %lld rejected lines\n",
                            sf_file_kind_name((sf_file_kind)f), (long long)want[f],
                            (long long)lines[f]);
                    abort();
                }
            }
        }
    }
    /* The analyses see whatever the ingest accepted: run them too, so
     * extreme but accepted values (amounts near INT64_MAX, dates in year
     * 9999) reach their arithmetic under UBSan. */
    if (e == SF_OK) {
        sf_err fe = sf_dataset_finish(ds, &ctx);
        if (fe != SF_OK && ctx.msg[0] == '\0')
            abort();
        if (fe == SF_OK) {
            sf_report rep;
            memset(&rep, 0, sizeof rep);
            if (sf_analyze(ds, &cfg, true, &rep, &ctx) != SF_OK && ctx.msg[0] == '\0')
                abort();
            sf_report_release(&rep);
        }
    }

    if (kind == SF_FILE_TRANSACTIONS && (o2 & 0x40))
        split_differential(&cfg);

    sf_rejects_release(&rej);
    sf_dataset_free(ds);
    sf_config_release(&cfg);
    return 0;
}
