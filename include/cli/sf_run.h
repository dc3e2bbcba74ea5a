/*
 * sf_run.h - the commands behind the CLI: run, check, review, backfill, init,
 * backtest.
 * Each returns the process exit code (SPEC §5) and prints its own
 * messages (the only layer besides main.c that does).
 */
#ifndef SF_RUN_H
#define SF_RUN_H

#include "base/sf_common.h"

typedef struct {
    const char *config;     /* -c */
    const char *as_of;      /* --as-of, NULL = config or today */
    const char *out;        /* --out, NULL = [run] output_dir; init: the config to write */
    const char *owner;      /* review --owner */
    bool all_owners;        /* review --all-owners */
    bool quiet;             /* -q */
    const char *timeout;    /* --timeout SECONDS, NULL = [run] timeout */
    bool resend;            /* run --resend: mail again in the same ISO week */
    const char *horizon;    /* backtest --horizon, NULL = 90 */
    const char *points;     /* backtest --points, NULL = 8 */
    const char *step;       /* backtest --step, NULL = 28 */
    const char *rejects;    /* check --rejects FILE: write the rejects list there */
    bool force;             /* init --force */
    char **files;           /* init: the export files */
    int n_files;
    const char *account;    /* history --account */
    const char *from, *to;  /* backfill --from, --to */
    const char *every;      /* backfill --every (days) */
} sf_run_opts;

int sf_cmd_run(const sf_run_opts *o);      /* run.c */
int sf_cmd_check(const sf_run_opts *o);    /* check.c */
int sf_cmd_review(const sf_run_opts *o);   /* review.c */
int sf_cmd_backtest(const sf_run_opts *o); /* backtest.c */
int sf_cmd_init(const sf_run_opts *o);     /* init.c */
int sf_cmd_backfill(const sf_run_opts *o); /* history_cmd.c */

#endif
