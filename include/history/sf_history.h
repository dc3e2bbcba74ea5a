/*
 * sf_history.h - the history store of SPEC §7: one SQLite database that
 * remembers every run's conclusions (docs/history.md has its schema).
 *
 * The store belongs to one book: it records the absolute path of the
 * config file that created it, and opening it for another config is an
 * output error (exit 4). A file that is not a salesfocus store (not
 * SQLite, another program's database) or of a newer schema is an output
 * error too, found by reading its header before SQLite is handed the
 * file, so that it is never written. A new store is built under a
 * temporary name and linked into place complete; every run goes in in
 * one transaction (a killed or failed run leaves the store as it was).
 *
 * The layer reads and writes the store and nothing else: the CLI decides
 * when (under the run's lock, after the outputs are committed) and the
 * analyses compare what it loads (sf_history_view.h).
 */
#ifndef SF_HISTORY_H
#define SF_HISTORY_H

#include "analysis/sf_history_view.h"
#include "analysis/sf_mail_memory.h"

#define SF_HISTORY_SCHEMA 2          /* PRAGMA user_version of this program's stores */
#define SF_HISTORY_APP_ID 0x53466873 /* PRAGMA application_id: "SFhs" */

typedef struct sf_history sf_history;

typedef enum {
    SF_HIST_READ = 0, /* read only, nothing written (check, history, review);
                       * a missing store opens as NULL */
    SF_HIST_UPDATE,   /* read-write, an older schema migrated; a missing
                       * store opens as NULL (run, before its analyses) */
    SF_HIST_CREATE    /* read-write, created when missing (storing a run) */
} sf_history_mode;

/* Open the store at path for the book of config_abs (the config file's
 * absolute path). *out is NULL when the store does not exist (READ,
 * UPDATE). SF_ERR_OUTPUT naming path and "[history] path" for a file that
 * is no salesfocus store, a newer schema, another config's store or an
 * SQLite failure; SF_ERR_NOMEM. */
sf_err sf_history_open(const char *path, const char *config_abs, sf_history_mode mode, sf_history **out,
                       sf_ctx *ctx);
void sf_history_close(sf_history *h); /* NULL-safe */

/* What `check` reports. */
typedef struct {
    int schema;           /* user_version */
    int64_t runs;
    sf_date first, last;  /* as-of of the oldest and latest run; SF_NODATE: none */
    char config[1024];    /* the config it belongs to */
} sf_history_state;
sf_err sf_history_state_of(sf_history *h, sf_history_state *st, sf_ctx *ctx);

/* Fill view (zeroed first) for a run at T: P (the run with the latest
 * T_P < T) with its accounts and deals, the figures of the latest
 * trend_runs - 1 runs before T, and, when ds is not NULL, the strip: the
 * tier and temperature of ds's accounts in the latest strip_runs runs
 * before T. h NULL (no store yet) gives an empty view: a first run.
 * SF_ERR_OUTPUT on an SQLite failure, SF_ERR_NOMEM. */
sf_err sf_history_load(sf_history *h, sf_date T, int64_t trend_runs, const sf_dataset *ds, size_t strip_runs,
                       sf_history_view *view, sf_ctx *ctx);

/* Store one run in one transaction: a run with the same as-of date is
 * replaced, then all but the keep_runs most recent runs (by as-of) are
 * removed. rules is the canonical settings text (sf_config_rules),
 * currency the report currency. On failure the transaction is rolled
 * back and the store is as it was (SF_ERR_OUTPUT naming the path). */
sf_err sf_history_put(sf_history *h, const sf_hist_run *run, const char *rules, const char *currency,
                      int64_t keep_runs, sf_ctx *ctx);
/* The same in two steps: every write of the transaction (rolled back on
 * failure), then its COMMIT (commit) or ROLLBACK. Between them the store
 * holds the write lock; readers still see the store as it was. */
sf_err sf_history_put_begin(sf_history *h, const sf_hist_run *run, const char *rules, const char *currency,
                            int64_t keep_runs, sf_ctx *ctx);
sf_err sf_history_put_end(sf_history *h, bool commit, sf_ctx *ctx);
/* Between the two, on a writer that waits for its commit: have the
 * transaction's pages written to the WAL and on disk already, so that
 * the COMMIT only syncs its last pages (best effort: nothing on failure). */
void sf_history_presync(sf_history *h);
/* After a COMMIT: copy the WAL into the database now (the close would),
 * leaving nothing for the next reader to replay. Best effort. */
void sf_history_checkpoint(sf_history *h);
/* Did sf_history_open create the store (SF_HIST_CREATE, none there)? */
bool sf_history_created(const sf_history *h);

/* One stored run as `salesfocus history` lists it. */
typedef struct {
    sf_date as_of;
    char stored_at[32];   /* UTC, ISO 8601 */
    char fingerprint[17];
    sf_hist_figures fig;
} sf_history_listed;
/* Every stored run, oldest first; *rows malloc'd (caller frees). */
sf_err sf_history_list(sf_history *h, sf_history_listed **rows, size_t *n, sf_ctx *ctx);

/* One account in one stored run (`history --account`). */
typedef struct {
    sf_date as_of;
    char name[256], owner[256];
    uint8_t tier, temp;
    int64_t rev12;
} sf_history_account_row;
/* The runs that hold account id, oldest first; *rows malloc'd. */
sf_err sf_history_account(sf_history *h, const char *id, sf_history_account_row **rows, size_t *n,
                          sf_ctx *ctx);

/* ---- the send log (store_mail.c) ---- */

/* What the mails of a run at T remember (mem zeroed first, loaded set):
 * per recipient and scope, the last report mail sent before T's ISO week
 * with its items, every item sent in the last repeat_weeks weeks before
 * that week (its latest mailing), and the reports sent in T's ISO week.
 * h NULL (no store yet): an empty memory. SF_ERR_OUTPUT on an SQLite
 * failure, SF_ERR_NOMEM. */
sf_err sf_history_mail_memory(sf_history *h, sf_date T, int64_t repeat_weeks, sf_mail_memory *mem, sf_ctx *ctx);
/* One mail into the send log, with its items, in a transaction of its
 * own (rows older than the oldest stored run are removed); *row is its
 * row, 0 on failure. */
sf_err sf_history_mail_begin(sf_history *h, const sf_mail_log_entry *e, int64_t *row, sf_ctx *ctx);
/* The outcome of row: its status and the sendmail command's exit status
 * (-1: none). */
sf_err sf_history_mail_end(sf_history *h, int64_t row, const char *status, int exit_code, sf_ctx *ctx);

/* The store's file name, for messages. Borrowed. */
const char *sf_history_path(const sf_history *h);

#endif
