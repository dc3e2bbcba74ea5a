/*
 * store.c - opening the history store (sf_history.h): the checks that
 * keep every other file safe, creating a new store atomically, the schema
 * and its migrations, and what `check` reports.
 *
 * Safety first: before SQLite is handed an existing file, its 100-byte
 * header is read here. Not "SQLite format 3", another application_id or
 * a newer user_version: exit 4, and the file was never opened for
 * writing. A store is created under "<path>.new" (mode 0600), complete
 * with its schema and owner, and linked into place only then, so the path
 * either does not exist or holds a whole store; an existing file that
 * fails the checks (an empty file included) is never ours to write.
 *
 * Reading (check, history, review) opens read-only; when no "-wal" file
 * lies beside the store (no writer is at work and all is checkpointed) it
 * opens as immutable, because a read-only WAL connection would otherwise
 * leave "-wal" and "-shm" files behind, and `check` writes nothing.
 */
#include "history/sf_history_int.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef SF_VERSION
#define SF_VERSION "dev"
#endif

/* The schema, one step per version: steps[k] takes a store from version
 * k to k + 1. A new version appends a step (ALTER TABLE, new tables,
 * rewritten views); an older store is migrated step by step in one
 * transaction when a run opens it. */
static const char *const schema_steps[SF_HISTORY_SCHEMA] = {
    /* 0 -> 1 */
    "CREATE TABLE store (\n"
    "    key   TEXT PRIMARY KEY,\n"
    "    value TEXT NOT NULL\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE owners (\n"
    "    owner INTEGER PRIMARY KEY,\n"
    "    name  TEXT NOT NULL UNIQUE\n"
    ");\n"
    "CREATE TABLE runs (\n"
    "    run         INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "    as_of       TEXT NOT NULL UNIQUE,\n"
    "    stored_at   TEXT NOT NULL,\n"
    "    program     TEXT NOT NULL,\n"
    "    fingerprint TEXT NOT NULL,\n"
    "    rules       TEXT NOT NULL,\n"
    "    currency    TEXT NOT NULL,\n"
    "    accounts    INTEGER NOT NULL,\n"
    "    rev12       INTEGER NOT NULL,\n"
    "    rev_prev12  INTEGER NOT NULL,\n"
    "    growth_e4   INTEGER,\n"
    "    a_accounts  INTEGER NOT NULL, b_accounts INTEGER NOT NULL,\n"
    "    c_accounts  INTEGER NOT NULL, d_accounts INTEGER NOT NULL,\n"
    "    a_rev12     INTEGER NOT NULL, b_rev12 INTEGER NOT NULL,\n"
    "    c_rev12     INTEGER NOT NULL, d_rev12 INTEGER NOT NULL,\n"
    "    cold_a      INTEGER NOT NULL, due INTEGER NOT NULL, alerts INTEGER NOT NULL,\n"
    "    lost        INTEGER NOT NULL, fire INTEGER NOT NULL,\n"
    "    pursue      INTEGER NOT NULL, qualify INTEGER NOT NULL, drop_deals INTEGER NOT NULL,\n"
    "    rejected    INTEGER NOT NULL\n"
    ");\n"
    "CREATE TABLE accounts (\n"
    "    row          INTEGER PRIMARY KEY,\n"
    "    run          INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,\n"
    "    id           TEXT NOT NULL,\n"
    "    name         TEXT NOT NULL,\n"
    "    owner        INTEGER NOT NULL REFERENCES owners,\n"
    "    tier         INTEGER NOT NULL,\n"
    "    temp         INTEGER NOT NULL,\n"
    "    rev12        INTEGER NOT NULL,\n"
    "    potential    INTEGER NOT NULL,\n"
    "    last_contact INTEGER,\n"
    "    next_due     INTEGER,\n"
    "    days_overdue INTEGER,\n"
    "    decline      INTEGER,\n"
    "    decline_drop INTEGER,\n"
    "    fire         INTEGER NOT NULL,\n"
    "    reorder      INTEGER\n"
    ");\n"
    "CREATE TABLE deals (\n"
    "    row            INTEGER PRIMARY KEY,\n"
    "    run            INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,\n"
    "    id             TEXT NOT NULL,\n"
    "    account        TEXT NOT NULL,\n"
    "    owner          INTEGER NOT NULL REFERENCES owners,\n"
    "    status         INTEGER NOT NULL,\n"
    "    stage          TEXT,\n"
    "    amount         INTEGER,\n"
    "    close_date     INTEGER,\n"
    "    next_step_date INTEGER,\n"
    "    verdict        INTEGER\n"
    ");\n"
    "CREATE VIEW account_runs AS\n"
    "SELECT r.as_of, a.id AS account_id, a.name, o.name AS owner,\n"
    "       substr('ABCD', a.tier + 1, 1) AS tier,\n"
    "       CASE a.temp WHEN 0 THEN 'hot' WHEN 1 THEN 'warm' ELSE 'cold' END AS temperature,\n"
    "       a.rev12 / 100.0 AS rev12, a.potential / 100.0 AS potential,\n"
    "       date(a.last_contact * 86400, 'unixepoch') AS last_contact,\n"
    "       date(a.next_due * 86400, 'unixepoch') AS next_due,\n"
    "       a.days_overdue,\n"
    "       CASE a.decline WHEN 1 THEN 'declining' WHEN 2 THEN 'lost' END AS decline,\n"
    "       a.decline_drop / 100.0 AS decline_drop,\n"
    "       CASE a.fire WHEN 1 THEN 'yes' ELSE 'no' END AS fire,\n"
    "       CASE a.reorder WHEN 1 THEN 'late' WHEN 2 THEN 'lapsed' END AS reorder\n"
    "FROM accounts a JOIN runs r ON r.run = a.run JOIN owners o ON o.owner = a.owner;\n"
    "CREATE VIEW deal_runs AS\n"
    "SELECT r.as_of, d.id AS opportunity_id, d.account AS account_id, o.name AS owner,\n"
    "       CASE d.status WHEN 0 THEN 'open' WHEN 1 THEN 'won' ELSE 'lost' END AS status,\n"
    "       d.stage, d.amount / 100.0 AS amount,\n"
    "       date(d.close_date * 86400, 'unixepoch') AS close_date,\n"
    "       date(d.next_step_date * 86400, 'unixepoch') AS next_step_date,\n"
    "       CASE d.verdict WHEN 0 THEN 'pursue' WHEN 1 THEN 'qualify' WHEN 2 THEN 'drop' END AS verdict\n"
    "FROM deals d JOIN runs r ON r.run = d.run JOIN owners o ON o.owner = d.owner;\n",
    /* 1 -> 2: the send log (docs/history.md, "The send log") */
    "CREATE TABLE mails (\n"
    "    mail       INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "    kind       TEXT NOT NULL,\n"
    "    recipient  TEXT NOT NULL,\n"
    "    scope      TEXT NOT NULL,\n"
    "    as_of      TEXT NOT NULL,\n"
    "    iso_week   TEXT NOT NULL,\n"
    "    sent_at    TEXT NOT NULL,\n"
    "    message_id TEXT NOT NULL,\n"
    "    digest     TEXT NOT NULL,\n"
    "    items      INTEGER NOT NULL,\n"
    "    left_out   INTEGER NOT NULL,\n"
    "    status     TEXT NOT NULL,\n"
    "    exit_code  INTEGER\n"
    ");\n"
    "CREATE INDEX mails_by_recipient ON mails (recipient, scope, as_of);\n"
    "CREATE TABLE mail_items (\n"
    "    mail         INTEGER NOT NULL REFERENCES mails ON DELETE CASCADE,\n"
    "    kind         TEXT NOT NULL,\n"
    "    id           TEXT NOT NULL,\n"
    "    tier         INTEGER,\n"
    "    days_overdue INTEGER,\n"
    "    decline_drop INTEGER,\n"
    "    reorder      INTEGER,\n"
    "    PRIMARY KEY (mail, kind, id)\n"
    ") WITHOUT ROWID;\n"
    "CREATE VIEW mail_log AS\n"
    "SELECT m.mail, m.kind, m.recipient, m.scope, m.as_of, m.iso_week, m.sent_at, m.message_id,\n"
    "       m.digest, m.items, m.left_out, m.status, m.exit_code,\n"
    "       (SELECT group_concat(i.kind || ':' || i.id, ' ') FROM mail_items i WHERE i.mail = m.mail)\n"
    "           AS item_list\n"
    "FROM mails m;\n",
};

/* ---- errors and small helpers ------------------------------------------------ */

__attribute__((format(printf, 3, 4)))
static sf_err path_error(const char *path, sf_ctx *ctx, const char *fmt, ...)
{
    char what[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return sf_ctx_error(ctx, SF_ERR_OUTPUT, "history store '%s' ([history] path): %s", path, what);
}

sf_err sf_hist_db_error(const sf_history *h, const char *what, sf_ctx *ctx)
{
    int code = h && h->db ? sqlite3_errcode(h->db) : SQLITE_ERROR;
    if (code == SQLITE_NOMEM)
        return sf_ctx_nomem(ctx);
    const char *msg = h && h->db ? sqlite3_errmsg(h->db) : "cannot open";
    if (code == SQLITE_FULL)
        msg = "the disk is full";
    return sf_ctx_error(ctx, SF_ERR_OUTPUT, "history store '%s' ([history] path): %s: %s; the store is left as it was",
                        h && h->path ? h->path : "", what, msg);
}

sf_err sf_hist_exec(sf_history *h, const char *sql, const char *what, sf_ctx *ctx)
{
    return sqlite3_exec(h->db, sql, NULL, NULL, NULL) == SQLITE_OK ? SF_OK : sf_hist_db_error(h, what, ctx);
}

void sf_hist_bind_int(sf_hist_binds *b, int i, int64_t v)
{
    if (b->err == SQLITE_OK)
        b->err = sqlite3_bind_int64(b->st, i, v);
}

void sf_hist_bind_num(sf_hist_binds *b, int i, int64_t v, int64_t none)
{
    if (b->err == SQLITE_OK)
        b->err = v == none ? sqlite3_bind_null(b->st, i) : sqlite3_bind_int64(b->st, i, v);
}

void sf_hist_bind_text(sf_hist_binds *b, int i, const char *s)
{
    if (b->err == SQLITE_OK)
        b->err = s ? sqlite3_bind_text(b->st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(b->st, i);
}

sf_date sf_hist_parse_date(const unsigned char *s)
{
    int y, m, d;
    char tail;
    if (!s || sscanf((const char *)s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || !sf_date_valid_ymd(y, m, d))
        return SF_NODATE;
    return sf_date_from_ymd(y, m, d);
}

bool sf_history_created(const sf_history *h)
{
    return h && h->created;
}

const char *sf_history_path(const sf_history *h)
{
    return h ? h->path : "";
}

void sf_history_close(sf_history *h)
{
    if (!h)
        return;
    sqlite3_close(h->db); /* every statement is finalised by its user */
    free(h->path);
    free(h);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---- the header check ---------------------------------------------------------- */

/* Does path exist, and is it a store this program may open? Reads the
 * database header only (offset 60: user_version, 68: application_id). */
static sf_err check_header(const char *path, bool *exists, sf_ctx *ctx)
{
    *exists = false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return SF_OK; /* nothing there (a folder on the way is missing or a file) */
        return path_error(path, ctx, "cannot read it: %s", strerror(errno));
    }
    *exists = true;
    unsigned char hdr[100];
    ssize_t n = read(fd, hdr, sizeof hdr);
    int err = errno;
    close(fd);
    if (n < 0 && err != EISDIR)
        return path_error(path, ctx, "cannot read it: %s", strerror(err));
    if (n < (ssize_t)sizeof hdr || memcmp(hdr, "SQLite format 3", 16) != 0)
        return path_error(path, ctx,
                          "not a salesfocus history store (not an SQLite database); it is left as it is: "
                          "move it away or set [history] path to another file");
    uint32_t app = be32(hdr + 68), version = be32(hdr + 60);
    if (app != SF_HISTORY_APP_ID)
        return path_error(path, ctx,
                          "not a salesfocus history store (an SQLite database of another program, "
                          "application_id %lu); it is left as it is: set [history] path to another file",
                          (unsigned long)app);
    if (version > SF_HISTORY_SCHEMA)
        return path_error(path, ctx,
                          "its schema version %lu is newer than this salesfocus knows (%d): a newer salesfocus "
                          "wrote it; it is left as it is: upgrade salesfocus",
                          (unsigned long)version, SF_HISTORY_SCHEMA);
    return SF_OK;
}

/* ---- creating a store ------------------------------------------------------------ */

/* mkdir -p of the folder of path. */
static sf_err make_parents(const char *path, sf_ctx *ctx)
{
    char *buf = sf_strdup(path);
    if (!buf)
        return sf_ctx_nomem(ctx);
    sf_err rc = SF_OK;
    for (char *p = buf + 1; *p && rc == SF_OK; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            rc = path_error(path, ctx, "cannot create its folder: %s", strerror(errno));
        *p = '/';
    }
    free(buf);
    return rc;
}

void sf_hist_utc_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    if (gmtime_r(&t, &tm))
        strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    else
        snprintf(out, 32, "1970-01-01T00:00:00Z");
}

/* Apply the schema steps from version `from` up to SF_HISTORY_SCHEMA, in
 * the transaction the caller opened. */
static sf_err migrate(sf_history *h, int from, sf_ctx *ctx)
{
    for (int v = from; v < SF_HISTORY_SCHEMA; v++) {
        sf_err rc = sf_hist_exec(h, schema_steps[v], "cannot create the schema", ctx);
        if (rc)
            return rc;
    }
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", SF_HISTORY_SCHEMA);
    return sf_hist_exec(h, sql, "cannot set the schema version", ctx);
}

static void remove_tmp(const char *tmp)
{
    char side[4200];
    unlink(tmp);
    snprintf(side, sizeof side, "%s-wal", tmp);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", tmp);
    unlink(side);
}

/* The new store, complete, under tmp. */
static sf_err build_store(const char *tmp, const char *path, const char *config_abs, sf_ctx *ctx)
{
    remove_tmp(tmp); /* left by a creation that was killed */
    int fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return path_error(path, ctx, "cannot create it: %s", strerror(errno));
    close(fd);
    sf_history h = {.path = (char *)path};
    if (sqlite3_open_v2(tmp, &h.db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sf_err rc = sf_hist_db_error(&h, "cannot create it", ctx);
        sqlite3_close(h.db);
        return rc;
    }
    char sql[128], now[32];
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d", SF_HISTORY_APP_ID);
    sf_err rc = sf_hist_exec(&h, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL", "cannot create it", ctx);
    if (!rc)
        rc = sf_hist_exec(&h, "BEGIN IMMEDIATE", "cannot create it", ctx);
    if (!rc)
        rc = sf_hist_exec(&h, sql, "cannot create it", ctx);
    if (!rc)
        rc = migrate(&h, 0, ctx);
    sqlite3_stmt *st = NULL;
    sf_hist_utc_now(now);
    const char *keys[3] = {"config", "created", "program"}, *vals[3] = {config_abs, now, "salesfocus " SF_VERSION};
    if (!rc && sqlite3_prepare_v2(h.db, "INSERT INTO store(key, value) VALUES (?, ?)", -1, &st, NULL) != SQLITE_OK)
        rc = sf_hist_db_error(&h, "cannot create it", ctx);
    for (int i = 0; !rc && i < 3; i++) {
        sf_hist_binds b = {st, SQLITE_OK};
        sf_hist_bind_text(&b, 1, keys[i]);
        sf_hist_bind_text(&b, 2, vals[i]);
        if (b.err != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
            rc = sf_hist_db_error(&h, "cannot create it", ctx);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (!rc)
        rc = sf_hist_exec(&h, "COMMIT", "cannot create it", ctx);
    /* closing checkpoints the WAL into the file (synchronous = FULL: synced) */
    if (sqlite3_close(h.db) != SQLITE_OK && !rc)
        rc = path_error(path, ctx, "cannot create it: close failed");
    return rc;
}

/* Create the store at path: built under "<path>.new", then linked into
 * place (never over a file that appeared meanwhile). */
static sf_err create_store(const char *path, const char *config_abs, sf_ctx *ctx)
{
    sf_err rc = make_parents(path, ctx);
    if (rc)
        return rc;
    size_t n = strlen(path) + 8;
    char *tmp = malloc(n);
    if (!tmp)
        return sf_ctx_nomem(ctx);
    snprintf(tmp, n, "%s.new", path);
    rc = build_store(tmp, path, config_abs, ctx);
    if (rc == SF_OK) {
        int fd = open(tmp, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fsync(fd) != 0)
            rc = path_error(path, ctx, "cannot create it: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
    }
    if (rc == SF_OK && link(tmp, path) != 0 && errno != EEXIST) {
        /* no hard links on this file system: rename (we hold the run's lock) */
        if (rename(tmp, path) != 0)
            rc = path_error(path, ctx, "cannot create it: %s", strerror(errno));
    }
    remove_tmp(tmp);
    if (rc == SF_OK) {
        /* the new name on disk */
        char *dir = sf_strdup(path);
        char *slash = dir ? strrchr(dir, '/') : NULL;
        int dfd = -1;
        if (dir) {
            if (slash)
                *(slash == dir ? slash + 1 : slash) = '\0';
            dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        }
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
        free(dir);
    }
    free(tmp);
    return rc;
}

/* ---- opening ---------------------------------------------------------------------- */

/* "file:" URI of path for a read-only open: '%', '?' and '#' escaped. */
static char *read_uri(const char *path, bool immutable)
{
    size_t n = strlen(path);
    char *u = malloc(n * 3 + 48);
    if (!u)
        return NULL;
    size_t k = (size_t)sprintf(u, "file:");
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#')
            k += (size_t)sprintf(u + k, "%%%02X", (unsigned char)*p);
        else
            u[k++] = *p;
    }
    k += (size_t)sprintf(u + k, "?mode=ro%s", immutable ? "&immutable=1" : "");
    u[k] = '\0';
    return u;
}

static sf_err open_db(sf_history *h, bool write, sf_ctx *ctx)
{
    int rc;
    if (write) {
        rc = sqlite3_open_v2(h->path, &h->db, SQLITE_OPEN_READWRITE, NULL);
    } else {
        size_t n = strlen(h->path) + 8;
        char *wal = malloc(n);
        if (!wal)
            return sf_ctx_nomem(ctx);
        snprintf(wal, n, "%s-wal", h->path);
        bool immutable = access(wal, F_OK) != 0;
        free(wal);
        char *uri = read_uri(h->path, immutable);
        if (!uri)
            return sf_ctx_nomem(ctx);
        rc = sqlite3_open_v2(uri, &h->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
        free(uri);
    }
    if (rc != SQLITE_OK)
        return sf_hist_db_error(h, "cannot open it", ctx);
    sqlite3_busy_timeout(h->db, 30000);
    sqlite3_extended_result_codes(h->db, 0);
    /* a writer's COMMIT does not also copy the WAL into the file: that is
     * done after it, off the run's way (sf_history_checkpoint) */
    return write ? sf_hist_exec(h, "PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0", "cannot open it", ctx)
                 : SF_OK;
}

static sf_err pragma_int(sf_history *h, const char *sql, int64_t *out, sf_ctx *ctx)
{
    sqlite3_stmt *st = NULL;
    sf_err rc = SF_OK;
    if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
        rc = sf_hist_db_error(h, "cannot read it", ctx);
    else
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc;
}

/* The checks once SQLite has it (a WAL may hold what the header does not
 * show yet), then the owner, then migrate an older schema (write). */
static sf_err check_open(sf_history *h, const char *config_abs, sf_ctx *ctx)
{
    int64_t app = 0, version = 0;
    sf_err rc = pragma_int(h, "PRAGMA application_id", &app, ctx);
    if (!rc)
        rc = pragma_int(h, "PRAGMA user_version", &version, ctx);
    if (rc)
        return rc;
    if (app != SF_HISTORY_APP_ID || version > SF_HISTORY_SCHEMA || version < 1)
        return path_error(h->path, ctx,
                          "not a salesfocus history store of a schema this salesfocus knows (version "
                          "%lld); it is left as it is",
                          (long long)version);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h->db, "SELECT value FROM store WHERE key = 'config'", -1, &st, NULL) != SQLITE_OK)
        return sf_hist_db_error(h, "cannot read it", ctx);
    int step = sqlite3_step(st);
    const char *owner = step == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = sf_hist_db_error(h, "cannot read it", ctx);
    else if (!owner || strcmp(owner, config_abs) != 0)
        rc = sf_ctx_error(ctx, SF_ERR_OUTPUT,
                          "history store '%s' ([history] path) belongs to the config '%s', not to '%s': "
                          "two books never share a store; set [history] path to another file for this "
                          "config (docs/history.md says how to move a store with its config)",
                          h->path, owner ? owner : "(none)", config_abs);
    sqlite3_finalize(st);
    if (rc || !h->writable || version == SF_HISTORY_SCHEMA)
        return rc;
    rc = sf_hist_exec(h, "BEGIN IMMEDIATE", "cannot migrate it", ctx);
    if (!rc)
        rc = migrate(h, (int)version, ctx);
    if (!rc)
        rc = sf_hist_exec(h, "COMMIT", "cannot migrate it", ctx);
    if (rc)
        sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

sf_err sf_history_open(const char *path, const char *config_abs, sf_history_mode mode, sf_history **out,
                       sf_ctx *ctx)
{
    *out = NULL;
    if (!path || !*path)
        return sf_ctx_error(ctx, SF_ERR_USAGE, "[history] path is empty");
    bool exists;
    sf_err rc = check_header(path, &exists, ctx);
    if (rc)
        return rc;
    bool had = exists;
    if (!exists) {
        if (mode != SF_HIST_CREATE)
            return SF_OK;
        if ((rc = create_store(path, config_abs, ctx)) != SF_OK)
            return rc;
        if ((rc = check_header(path, &exists, ctx)) != SF_OK)
            return rc; /* another file appeared in its place meanwhile */
    }
    bool created = !had;
    sf_history *h = calloc(1, sizeof *h);
    if (!h || !(h->path = sf_strdup(path))) {
        free(h);
        return sf_ctx_nomem(ctx);
    }
    h->created = created;
    h->writable = mode != SF_HIST_READ;
    rc = open_db(h, h->writable, ctx);
    if (!rc)
        rc = check_open(h, config_abs, ctx);
    if (rc) {
        sf_history_close(h);
        return rc;
    }
    *out = h;
    return SF_OK;
}

sf_err sf_history_state_of(sf_history *h, sf_history_state *st, sf_ctx *ctx)
{
    memset(st, 0, sizeof *st);
    st->first = st->last = SF_NODATE;
    int64_t v = 0;
    sf_err rc = pragma_int(h, "PRAGMA user_version", &v, ctx);
    if (rc)
        return rc;
    st->schema = (int)v;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(h->db,
                           "SELECT count(*), min(as_of), max(as_of), "
                           "(SELECT value FROM store WHERE key = 'config') FROM runs",
                           -1, &q, NULL) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_finalize(q);
        return sf_hist_db_error(h, "cannot read it", ctx);
    }
    st->runs = sqlite3_column_int64(q, 0);
    st->first = sf_hist_parse_date(sqlite3_column_text(q, 1));
    st->last = sf_hist_parse_date(sqlite3_column_text(q, 2));
    const unsigned char *c = sqlite3_column_text(q, 3);
    snprintf(st->config, sizeof st->config, "%s", c ? (const char *)c : "");
    sqlite3_finalize(q);
    return SF_OK;
}
