/*
 * sf_history_int.h - inside the history layer only: the open store and
 * the helpers its files share (store.c: opening, creating, checking,
 * migrating; store_runs.c: storing runs; store_load.c: reading them;
 * store_mail.c: the send log).
 */
#ifndef SF_HISTORY_INT_H
#define SF_HISTORY_INT_H

#include <sqlite3.h>

#include "history/sf_history.h"

struct sf_history {
    sqlite3 *db;
    char *path;       /* as configured, for messages */
    bool writable;
    bool created;     /* this open created it */
};

/* Record "history store 'PATH' ([history] path): WHAT: SQLite's message"
 * as SF_ERR_OUTPUT (SF_ERR_NOMEM for SQLITE_NOMEM). */
sf_err sf_hist_db_error(const sf_history *h, const char *what, sf_ctx *ctx);

/* Run SQL without results; SF_OK or the error recorded as above. */
sf_err sf_hist_exec(sf_history *h, const char *sql, const char *what, sf_ctx *ctx);

/* Binding a statement's parameters. A failed bind (SQLITE_NOMEM,
 * SQLITE_TOOBIG past the store's length limit, SQLITE_RANGE for a wrong
 * index) leaves its parameter NULL, and a statement stepped anyway stores
 * or selects a silently wrong row. So the binds of one statement go
 * through an sf_hist_binds: the first failure is kept in err, the binds
 * after it are skipped, and the caller steps only when err is SQLITE_OK,
 * else reports sf_hist_db_error (SQLite's message names the failure).
 *
 * sqlite3_reset's result only repeats the last step's: every step here is
 * checked where it is made, so the resets that follow are not (and a
 * reset or a ROLLBACK in a cleanup after an error already reported is
 * left unchecked on purpose). */
typedef struct {
    sqlite3_stmt *st;
    int err; /* SQLITE_OK, or the code of the first bind that failed */
} sf_hist_binds;

void sf_hist_bind_int(sf_hist_binds *b, int i, int64_t v);

/* NULL when v == none. */
void sf_hist_bind_num(sf_hist_binds *b, int i, int64_t v, int64_t none);

/* NULL when s is NULL. s is borrowed (SQLITE_STATIC): it must outlive the
 * statement's steps with this binding. */
void sf_hist_bind_text(sf_hist_binds *b, int i, const char *s);

/* "YYYY-MM-DD" <-> day number; SF_NODATE for NULL or malformed text. */
sf_date sf_hist_parse_date(const unsigned char *s);

/* The rows of a run in accounts and deals: keys run << 32 | position (its
 * id order), so a run is one range of the table, stored by appending and
 * read or removed as a range. */
#define SF_HIST_ROW_FIRST(run) ((int64_t)(run) << 32)
#define SF_HIST_ROW_LAST(run) (((int64_t)(run) << 32) | INT64_C(0xFFFFFFFF))

/* Now in UTC as "YYYY-MM-DDTHH:MM:SSZ". */
void sf_hist_utc_now(char out[32]);

#endif
