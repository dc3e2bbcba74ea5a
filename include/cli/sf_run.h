/*
 * sf_run.h - the commands behind the CLI: run, check, review, init.
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
    const char *rejects;    /* check --rejects FILE: write the rejects list there */
    bool force;             /* init --force */
    char **files;           /* init: the export files */
    int n_files;
} sf_run_opts;

int sf_cmd_run(const sf_run_opts *o);
int sf_cmd_check(const sf_run_opts *o);
int sf_cmd_review(const sf_run_opts *o);
int sf_cmd_init(const sf_run_opts *o); /* init.c */

#endif
