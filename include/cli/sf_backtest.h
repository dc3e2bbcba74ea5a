/*
 * sf_backtest.h - `salesfocus backtest` (SPEC §10) between its two files:
 * run.c sets the job up as for a run (config, as-of date, output folder,
 * lock, the output folder, one ingest), backtest.c replays the analyses
 * and renders the outputs, run.c puts the folder in place.
 */
#ifndef SF_BACKTEST_H
#define SF_BACKTEST_H

#include "cli/sf_run.h"
#include "output/sf_output.h"

typedef struct {
    int64_t horizon, points, step; /* H, N, S */
} sf_backtest_params;

/* --horizon, --points, --step (defaults 90, 8, 28). False, with the
 * usage error printed, on a value that is not a whole number in range. */
bool sf_backtest_params_parse(const sf_run_opts *o, sf_backtest_params *p);

/* What the job hands over; borrowed. */
typedef struct {
    const sf_run_opts *opts;
    const sf_settings *set;
    const sf_config *cfg;
    sf_dataset *ds;        /* ingested and finished; left as of the last point */
    const sf_rejects *rejects;
    const sf_lang *lang;
    const char *out_dir;
    sf_date as_of;         /* T */
    sf_stage *stage;
} sf_backtest_job;

/* The replay into *bt and its outputs, staged in b->stage (the caller
 * commits them, all or nothing, or aborts). Returns 0 or the exit code,
 * the error in ctx. */
int sf_backtest_run(const sf_backtest_job *b, const sf_backtest_params *p, sf_backtest_result *bt, sf_ctx *ctx);
/* The rules' counts and ratios on stdout, as backtest.csv has them. */
void sf_backtest_print(const sf_backtest_job *b, const sf_backtest_result *bt);

#endif
