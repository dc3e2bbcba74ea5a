/*
 * sf_history_cmd.h - the history store as the commands use it (SPEC §7):
 * where it is for a config, loading what a run compares with, storing a
 * run, what `check` says of it, and the `history` command itself. The
 * `backfill` command lives in run.c beside the job it shares with `run`.
 */
#ifndef SF_HISTORY_CMD_H
#define SF_HISTORY_CMD_H

#include "cli/sf_run.h"
#include "config/sf_config.h"
#include "history/sf_history.h"

/* The store of one config for one command. */
typedef struct {
    char *path;            /* [history] path expanded */
    char *config_abs;      /* the config file's absolute path: the store's owner */
    char *rules;           /* sf_config_rules */
    char fingerprint[17];
} sf_cli_history;

/* Where the store is for cfg ({output_dir} stands for out_dir; {as_of}
 * and {period} as in output_dir) and the rules of cfg. SF_ERR_NOMEM. */
sf_err sf_cli_history_init(sf_cli_history *hc, const sf_config *cfg, const char *out_dir, sf_date as_of,
                           sf_ctx *ctx);
void sf_cli_history_release(sf_cli_history *hc); /* NULL-safe */

/* Open the store (mode), fill view for a run at T (with the strip of ds's
 * accounts when ds is not NULL) and close it; a missing store gives an
 * empty view. view->fingerprint is this config's. */
sf_err sf_cli_history_load(const sf_cli_history *hc, sf_history_mode mode, sf_date T, const sf_config *cfg,
                           const sf_dataset *ds, sf_history_view *view, sf_ctx *ctx);

/* Store run (one transaction; creates the store when missing). */
sf_err sf_cli_history_store(const sf_cli_history *hc, const sf_config *cfg, const sf_hist_run *run, sf_ctx *ctx);

/* `check`: print the store's state (or that there is none yet); writes
 * nothing. Returns the error of a store a run could not use. */
sf_err sf_cli_history_check(const sf_cli_history *hc, sf_ctx *ctx);

/* p with "." and "dir/.." resolved lexically (not through the file
 * system); malloc'd, NULL on out of memory. */
char *sf_cli_normalize_path(const char *p);

/* `salesfocus history -c CONFIG [--account ID]`. */
int sf_cmd_history(const sf_run_opts *o);

#endif
