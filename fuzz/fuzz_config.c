/*
 * fuzz_config.c - libFuzzer harness for the INI config loader.
 *
 * The fuzz input is written to a scratch config.ini (next to a small valid
 * transactions.csv, so `[input] transactions = transactions.csv` resolves)
 * and loaded with sf_config_init + sf_config_load + sf_config_release. The
 * share dir is the repository (presets in config/crm/ resolve), taken from
 * $SALESFOCUS_SHARE or the SF_FUZZ_ROOT the build script passes.
 *
 * Checks: no crash, leak or UB; an error returns one of the documented
 * codes (2 config, 3 missing input file, 1 out of memory) with a message;
 * success leaves a config whose invariants the rest of the program trusts
 * (delimiter and decimal among the allowed values, fractions in ppm
 * ranges that the analyses assume).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "config/sf_config.h"

#ifndef SF_FUZZ_ROOT
#define SF_FUZZ_ROOT "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char g_dir[256];
static char g_ini[300];
static const char *g_share;

/* Remove the scratch files at exit, so runs leave nothing in /dev/shm. */
static void cleanup(void)
{
    static const char *const names[] = {"config.ini", "transactions.csv", "accounts.csv"};
    char p[320];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", g_dir, names[i]);
        unlink(p);
    }
    rmdir(g_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    scratch_dir(g_dir, sizeof g_dir, "config");
    snprintf(g_ini, sizeof g_ini, "%s/config.ini", g_dir);
    static const char tx[] = "account_id,date,amount\nC1,2025-01-01,1.00\n";
    char p[320];
    snprintf(p, sizeof p, "%s/transactions.csv", g_dir);
    write_file(p, tx, sizeof tx - 1);
    snprintf(p, sizeof p, "%s/accounts.csv", g_dir);
    static const char acc[] = "account_id,name\nC1,One\n";
    write_file(p, acc, sizeof acc - 1);
    atexit(cleanup);
    g_share = getenv("SALESFOCUS_SHARE");
    if (!g_share || !*g_share)
        g_share = SF_FUZZ_ROOT;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    write_file(g_ini, data, size);

    sf_config cfg;
    memset(&cfg, 0, sizeof cfg);
    sf_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    if (sf_config_init(&cfg) != SF_OK)
        abort();
    sf_err e = sf_config_load(&cfg, g_ini, g_share, &ctx);
    CHECK(e == SF_OK || e == SF_ERR_USAGE || e == SF_ERR_INPUT || e == SF_ERR_NOMEM);
    if (e != SF_OK) {
        CHECK(ctx.msg[0] != '\0');
        CHECK(memchr(ctx.msg, '\0', sizeof ctx.msg) != NULL);
    } else {
        CHECK(cfg.delimiter == 0 || cfg.delimiter == ',' || cfg.delimiter == ';' || cfg.delimiter == '\t');
        CHECK(cfg.decimal == '.' || cfg.decimal == ',');
        CHECK(cfg.encoding && cfg.date_format);
        CHECK(cfg.max_reject_share >= 0 && cfg.max_reject_share <= SF_PPM);
        CHECK(cfg.n_segment_by >= 0 && cfg.n_segment_by <= (int)SF_ARRAY_LEN(cfg.segment_by));
        CHECK(cfg.n_size_bands >= 0 && cfg.n_size_bands <= (int)SF_ARRAY_LEN(cfg.size_bands));
        for (int i = 1; i < cfg.n_size_bands; i++)
            CHECK(cfg.size_bands[i - 1] < cfg.size_bands[i]);
        CHECK(cfg.reference_top_share >= 0 && cfg.reference_top_share <= SF_PPM);
        CHECK(cfg.fire_fraction >= 0 && cfg.fire_fraction <= SF_PPM);
        CHECK(cfg.min_peers >= 0);
        for (int t = 0; t < SF_TIER_N; t++)
            CHECK(cfg.cadence_days[t] >= 0 && cfg.cadence_channel[t]);
        for (size_t i = 0; i < cfg.n_rates; i++)
            CHECK(cfg.rates[i].code && cfg.rates[i].rate >= 0);
        /* Expanding the output dir template must be safe for any text. */
        if (cfg.output_dir) {
            char *x = sf_config_expand(&cfg, cfg.output_dir, sf_date_from_ymd(2025, 6, 30));
            free(x);
        }
    }
    sf_config_release(&cfg);
    return 0;
}
