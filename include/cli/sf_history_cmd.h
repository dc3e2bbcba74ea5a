/*
 * sf_history_cmd.h - the history store as the commands use it (SPEC §7):
 * where it is for a config, loading what a run compares with, storing a
 * run, the dates of `backfill`, what `check` says of it, and the
 * `history` command itself. The `backfill` command lives in run.c beside
 * the job it shares with `run`.
 */
#ifndef SF_HISTORY_CMD_H
#define SF_HISTORY_CMD_H

#include <pthread.h>

#include "cli/sf_run.h"
#include "config/sf_config.h"
#include "analysis/sf_report.h"
#include "data/sf_rejects.h"
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

/* Loading on a thread of its own (run: while the inputs are read). */
typedef struct {
    const sf_cli_history *hc;
    const sf_config *cfg;
    sf_date T;
    sf_history_view *view;
    sf_mail_memory *mail;  /* NULL: not wanted */
    bool threaded, active;
    pthread_t tid;
    sf_err rc;
    sf_ctx ctx;
} sf_cli_history_loader;

/* Start loading view for a run at T (SF_HIST_UPDATE, no strip) and, when
 * mail is not NULL, what its mails remember (sf_history_mail_memory with
 * [email] repeat_after_weeks): on a thread when threaded (else here and
 * now). Everything is borrowed until
 * sf_cli_history_load_end, which waits and returns its result (the error
 * into ctx). */
void sf_cli_history_load_begin(sf_cli_history_loader *l, const sf_cli_history *hc, const sf_config *cfg,
                               sf_date T, sf_history_view *view, sf_mail_memory *mail, bool threaded);
sf_err sf_cli_history_load_end(sf_cli_history_loader *l, sf_ctx *ctx);

/* Storing a run on a thread of its own: the transaction's writes while
 * the outputs are rendered, its COMMIT once they are in place; or the
 * COMMIT as soon as the writes are done (auto_commit: backfill, where the
 * next date's analyses run meanwhile). A store this writer created is
 * removed again when its run is not committed. */
typedef struct {
    const sf_cli_history *hc;
    const sf_config *cfg;
    const sf_hist_run *run;
    bool threaded, auto_commit, active;
    pthread_t tid;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int decision;            /* 0 none yet, 1 commit, 2 roll back */
    bool committed;          /* the decision is carried out (COMMIT or ROLLBACK done) */
    sf_history *h;
    sf_err rc;
    sf_ctx ctx;
} sf_cli_history_writer;

/* Start storing run (borrowed until _end). */
void sf_cli_history_store_begin(sf_cli_history_writer *w, const sf_cli_history *hc, const sf_config *cfg,
                                const sf_hist_run *run, bool threaded, bool auto_commit);
/* Commit (commit) or roll back and wait until that is done; returns the
 * first error of the store (into ctx). The writer then copies the WAL into
 * the store and closes it on its own: sf_cli_history_store_join waits for
 * that. Does nothing when no store was begun. */
sf_err sf_cli_history_store_end(sf_cli_history_writer *w, bool commit, sf_ctx *ctx);
/* Roll back what is not decided yet, wait for the writer to finish. */
void sf_cli_history_store_join(sf_cli_history_writer *w);

/* backfill: for each date from, from + every, ... <= to, ds as of that
 * date (sf_dataset_at), the analyses and the run into the store, one
 * transaction per date (the writes of one date beside the analyses of the
 * next when threaded); *stored counts the dates committed. */
sf_err sf_cli_history_backfill(const sf_cli_history *hc, sf_dataset *ds, const sf_config *cfg,
                               const sf_rejects *rejects, bool threaded, sf_date from, sf_date to, long every,
                               unsigned *stored, sf_ctx *ctx);

/* backfill's --from and --every (default: *every as given) checked
 * against the last date to; SF_ERR_USAGE saying what is wrong. */
sf_err sf_cli_backfill_range(const sf_run_opts *o, sf_date to, sf_date *from, long *every, sf_ctx *ctx);

/* The summary lines of a run: "first run", or the changes since P by kind. */
void sf_cli_history_print(const sf_history_result *h, const char *path);

/* `check`: print the store's state (or that there is none yet); writes
 * nothing. Returns the error of a store a run could not use. */
sf_err sf_cli_history_check(const sf_cli_history *hc, sf_ctx *ctx);

/* p with "." and "dir/.." resolved lexically (not through the file
 * system); malloc'd, NULL on out of memory. */
char *sf_cli_normalize_path(const char *p);

/* The send log of the store (mail_log.c): opened when the first mail is
 * logged (SF_HIST_UPDATE: a store that is not there is not created, and
 * nothing is logged), closed by sf_cli_mail_log_close. */
typedef struct {
    const sf_cli_history *hc;
    sf_history *h;
    bool opened;  /* tried: h NULL then means no store */
} sf_cli_mail_log;
/* The callbacks of sf_mail_log over l (borrowed until used). */
sf_mail_log sf_cli_mail_log_of(sf_cli_mail_log *l, const sf_cli_history *hc);
void sf_cli_mail_log_close(sf_cli_mail_log *l); /* NULL-safe */

/* `salesfocus history -c CONFIG [--account ID]`. */
int sf_cmd_history(const sf_run_opts *o);

#endif
