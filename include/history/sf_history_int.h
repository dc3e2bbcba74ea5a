/*
 * sf_history_int.h - inside the history layer only: the open store and
 * the helpers its two files share (store.c: opening, creating, checking,
 * migrating; store_runs.c: storing and reading runs).
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
