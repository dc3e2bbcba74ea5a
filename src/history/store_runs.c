/*
 * store_runs.c - runs into the history store (sf_history.h): storing
 * one run in one transaction (replacing a run of the same date, pruning
 * to keep_runs); store_load.c reads them back.
 *
 * Rows are compact (docs/history.md): owners once in their own table,
 * enums and dates as small integers (days since 1970-01-01), money in
 * cents; the views account_runs and deal_runs show them readable.
 */
#include "history/sf_history_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#ifndef SF_VERSION
#define SF_VERSION "dev"
#endif

static sf_err prepare(sf_history *h, const char *sql, sqlite3_stmt **st, sf_ctx *ctx)
{
    if (sqlite3_prepare_v2(h->db, sql, -1, st, NULL) != SQLITE_OK) {
        *st = NULL;
        return sf_hist_db_error(h, "cannot read it", ctx);
    }
    return SF_OK;
}

/* ---- owners: name <-> id ---------------------------------------------------------- */

typedef struct {
    const char **name; /* by slot; NULL = empty */
    int64_t *id;
    size_t cap;        /* power of two */
} owner_map;

static void owner_map_free(owner_map *m)
{
    free(m->name);
    free(m->id);
    memset(m, 0, sizeof *m);
}

/* Slot of name: its own, or the empty one it would take. */
static size_t owner_slot(const owner_map *m, const char *name)
{
    size_t i = (size_t)sf_hash_str(name) & (m->cap - 1);
    while (m->name[i] && strcmp(m->name[i], name) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* The id of owner name, added to the owners table when new. Names are
 * borrowed: from the run being stored, or copied from the table. */
static sf_err owner_id(sf_history *h, owner_map *m, const char *name, sqlite3_stmt *ins, int64_t *id, sf_ctx *ctx)
{
    size_t i = owner_slot(m, name);
    if (m->name[i]) {
        *id = m->id[i];
        return SF_OK;
    }
    int step = sqlite3_bind_text(ins, 1, name, -1, SQLITE_STATIC);
    if (step == SQLITE_OK) /* else an error below */
        step = sqlite3_step(ins);
    sqlite3_reset(ins);
    if (step != SQLITE_DONE)
        return sf_hist_db_error(h, "cannot store the run", ctx);
    m->name[i] = name;
    m->id[i] = *id = sqlite3_last_insert_rowid(h->db);
    return SF_OK;
}

/* The owners table plus room for the run's owners. Table names are
 * copied into *names (freed by the caller). */
static sf_err owner_map_load(sf_history *h, const sf_hist_run *run, owner_map *m, sf_strlist *names, sf_ctx *ctx)
{
    int64_t n = 0;
    sqlite3_stmt *st = NULL;
    sf_err rc = prepare(h, "SELECT count(*) FROM owners", &st, ctx);
    if (!rc && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else if (!rc)
        rc = sf_hist_db_error(h, "cannot store the run", ctx);
    sqlite3_finalize(st);
    if (rc)
        return rc;
    /* every distinct owner of the run is at most its accounts + deals */
    size_t need = (size_t)n + run->n_acc + run->n_deals + 1, cap = 64;
    while (cap < 2 * need)
        cap *= 2;
    m->cap = cap;
    m->name = calloc(cap, sizeof *m->name);
    m->id = calloc(cap, sizeof *m->id);
    if (!m->name || !m->id)
        return sf_ctx_nomem(ctx);
    if ((rc = prepare(h, "SELECT owner, name FROM owners", &st, ctx)) != SF_OK)
        return rc;
    /* a name missed here would be inserted again and break UNIQUE: every
     * row (as counted: one transaction) or an error */
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 1);
        if (!name || sf_strlist_push(names, name) != SF_OK) {
            rc = sf_ctx_nomem(ctx); /* the column is NOT NULL: NULL is SQLite's out of memory */
            break;
        }
        size_t i = owner_slot(m, names->v[names->n - 1]);
        m->name[i] = names->v[names->n - 1];
        m->id[i] = sqlite3_column_int64(st, 0);
    }
    if (!rc && step != SQLITE_DONE)
        rc = sf_hist_db_error(h, "cannot store the run", ctx);
    sqlite3_finalize(st);
    return rc;
}

/* ---- storing a run ------------------------------------------------------------------ */

/* The runs row; *run_id receives its key. */
static sf_err put_run_row(sf_history *h, const sf_hist_run *run, const char *rules, const char *currency,
                          int64_t *run_id, sf_ctx *ctx)
{
    char as_of[16], now[32];
    sf_date_iso(run->as_of, as_of);
    sf_hist_utc_now(now);
    sqlite3_stmt *st = NULL;
    sf_err rc = prepare(h,
                        "INSERT INTO runs(as_of, stored_at, program, fingerprint, rules, currency, accounts, "
                        "rev12, rev_prev12, growth_e4, a_accounts, b_accounts, c_accounts, d_accounts, "
                        "a_rev12, b_rev12, c_rev12, d_rev12, cold_a, due, alerts, lost, fire, pursue, "
                        "qualify, drop_deals, rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        &st, ctx);
    if (rc)
        return rc;
    const sf_hist_figures *f = &run->fig;
    int i = 1;
    sf_hist_binds b = {st, SQLITE_OK};
    sf_hist_bind_text(&b, i++, as_of);
    sf_hist_bind_text(&b, i++, now);
    sf_hist_bind_text(&b, i++, "salesfocus " SF_VERSION);
    sf_hist_bind_text(&b, i++, run->fingerprint);
    sf_hist_bind_text(&b, i++, rules ? rules : "");
    sf_hist_bind_text(&b, i++, currency ? currency : "");
    sf_hist_bind_int(&b, i++, f->accounts);
    sf_hist_bind_int(&b, i++, f->rev12);
    sf_hist_bind_int(&b, i++, run->rev_prev12);
    sf_hist_bind_num(&b, i++, run->growth, SF_NONE);
    for (int t = 0; t < SF_TIER_N; t++)
        sf_hist_bind_int(&b, i++, f->tier_accounts[t]);
    for (int t = 0; t < SF_TIER_N; t++)
        sf_hist_bind_int(&b, i++, f->tier_rev12[t]);
    sf_hist_bind_int(&b, i++, f->cold_a);
    sf_hist_bind_int(&b, i++, f->due);
    sf_hist_bind_int(&b, i++, f->alerts);
    sf_hist_bind_int(&b, i++, run->lost);
    sf_hist_bind_int(&b, i++, f->fire);
    for (int v = 0; v < 3; v++)
        sf_hist_bind_int(&b, i++, f->verdicts[v]);
    sf_hist_bind_int(&b, i++, run->rejected);
    if (b.err != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
        rc = sf_hist_db_error(h, "cannot store the run", ctx);
    else
        *run_id = sqlite3_last_insert_rowid(h->db);
    sqlite3_finalize(st);
    return rc;
}

/* Rows go in BATCH at a time through one multi-row INSERT (far fewer
 * statement steps than a row each), the rest one by one. */
#define BATCH 64

typedef struct {
    const sf_hist_run *run;
    int64_t run_id;
    const int64_t *owner; /* per row: its owner's id */
} put_rows;

/* Bind row i of the accounts at parameter base + 1 .. base + 16. */
static void bind_account(sf_hist_binds *b, int base, size_t i, const put_rows *p)
{
    const sf_hist_account *a = &p->run->acc[i];
    sf_hist_bind_int(b, ++base, SF_HIST_ROW_FIRST(p->run_id) + (int64_t)i);
    sf_hist_bind_int(b, base + 1, p->run_id);
    sf_hist_bind_text(b, base + 2, a->id);
    sf_hist_bind_text(b, base + 3, a->name ? a->name : a->id);
    sf_hist_bind_int(b, base + 4, p->owner[i]);
    sf_hist_bind_int(b, base + 5, a->tier);
    sf_hist_bind_int(b, base + 6, a->temp);
    sf_hist_bind_int(b, base + 7, a->rev12);
    sf_hist_bind_int(b, base + 8, a->potential);
    sf_hist_bind_num(b, base + 9, a->last_contact, SF_NODATE);
    sf_hist_bind_num(b, base + 10, a->next_due, SF_NODATE);
    sf_hist_bind_num(b, base + 11, a->days_overdue, SF_NONE);
    sf_hist_bind_num(b, base + 12, a->decline ? a->decline : SF_NONE, SF_NONE);
    sf_hist_bind_num(b, base + 13, a->decline ? a->drop : SF_NONE, SF_NONE);
    sf_hist_bind_int(b, base + 14, a->fire);
    sf_hist_bind_num(b, base + 15, a->reorder ? a->reorder : SF_NONE, SF_NONE);
}

static void bind_deal(sf_hist_binds *b, int base, size_t i, const put_rows *p)
{
    const sf_hist_deal *d = &p->run->deals[i];
    sf_hist_bind_int(b, ++base, SF_HIST_ROW_FIRST(p->run_id) + (int64_t)i);
    sf_hist_bind_int(b, base + 1, p->run_id);
    sf_hist_bind_text(b, base + 2, d->id);
    sf_hist_bind_text(b, base + 3, d->account_id ? d->account_id : "");
    sf_hist_bind_int(b, base + 4, p->owner[i]);
    sf_hist_bind_int(b, base + 5, d->status);
    sf_hist_bind_text(b, base + 6, d->stage);
    sf_hist_bind_num(b, base + 7, d->amount, SF_NONE);
    sf_hist_bind_num(b, base + 8, d->close_date, SF_NODATE);
    sf_hist_bind_num(b, base + 9, d->next_step_date, SF_NODATE);
    sf_hist_bind_num(b, base + 10, d->verdict < 0 ? SF_NONE : d->verdict, SF_NONE);
}

/* "INSERT INTO table(cols) VALUES (?, ...), ..." for rows rows of ncols. */
static char *insert_sql(const char *head, int ncols, int rows)
{
    size_t cap = strlen(head) + (size_t)rows * ((size_t)ncols * 3 + 4) + 16;
    char *sql = malloc(cap);
    if (!sql)
        return NULL;
    size_t n = (size_t)snprintf(sql, cap, "%s VALUES ", head);
    for (int r = 0; r < rows; r++) {
        sql[n++] = r ? ',' : ' ';
        sql[n++] = '(';
        for (int c = 0; c < ncols; c++) {
            sql[n++] = c ? ',' : '?';
            if (c)
                sql[n++] = '?';
        }
        sql[n++] = ')';
    }
    sql[n] = '\0';
    return sql;
}

/* Insert rows 0 .. n - 1, bound by bind, BATCH at a time. */
static sf_err insert_rows(sf_history *h, const char *head, int ncols, size_t n, const put_rows *p,
                          void (*bind)(sf_hist_binds *, int, size_t, const put_rows *), sf_ctx *ctx)
{
    sqlite3_stmt *many = NULL, *one = NULL;
    char *sql_many = insert_sql(head, ncols, BATCH), *sql_one = insert_sql(head, ncols, 1);
    sf_err rc = !sql_many || !sql_one ? sf_ctx_nomem(ctx) : SF_OK;
    if (!rc && n >= BATCH)
        rc = prepare(h, sql_many, &many, ctx);
    if (!rc)
        rc = prepare(h, sql_one, &one, ctx);
    size_t i = 0;
    for (; !rc && i + BATCH <= n; i += BATCH) {
        sf_hist_binds b = {many, SQLITE_OK};
        for (int r = 0; r < BATCH; r++)
            bind(&b, r * ncols, i + (size_t)r, p);
        if (b.err != SQLITE_OK || sqlite3_step(many) != SQLITE_DONE)
            rc = sf_hist_db_error(h, "cannot store the run", ctx);
        sqlite3_reset(many);
    }
    for (; !rc && i < n; i++) {
        sf_hist_binds b = {one, SQLITE_OK};
        bind(&b, 0, i, p);
        if (b.err != SQLITE_OK || sqlite3_step(one) != SQLITE_DONE)
            rc = sf_hist_db_error(h, "cannot store the run", ctx);
        sqlite3_reset(one);
    }
    sqlite3_finalize(many);
    sqlite3_finalize(one);
    free(sql_many);
    free(sql_one);
    return rc;
}

/* The accounts and the deals of the run, their owners' ids first (new
 * owners added to the owners table). */
static sf_err put_accounts_deals(sf_history *h, const sf_hist_run *run, int64_t run_id, owner_map *m,
                                 sqlite3_stmt *own, sf_ctx *ctx)
{
    size_t most = run->n_acc > run->n_deals ? run->n_acc : run->n_deals;
    int64_t *owner = malloc((most ? most : 1) * sizeof *owner);
    if (!owner)
        return sf_ctx_nomem(ctx);
    put_rows p = {.run = run, .run_id = run_id, .owner = owner};
    sf_err rc = SF_OK;
    for (size_t k = 0; !rc && k < run->n_acc; k++)
        rc = owner_id(h, m, run->acc[k].owner ? run->acc[k].owner : "", own, &owner[k], ctx);
    if (!rc)
        rc = insert_rows(h,
                         "INSERT INTO accounts(row, run, id, name, owner, tier, temp, rev12, potential, "
                         "last_contact, next_due, days_overdue, decline, decline_drop, fire, reorder)",
                         16, run->n_acc, &p, bind_account, ctx);
    for (size_t k = 0; !rc && k < run->n_deals; k++)
        rc = owner_id(h, m, run->deals[k].owner ? run->deals[k].owner : "", own, &owner[k], ctx);
    if (!rc)
        rc = insert_rows(h,
                         "INSERT INTO deals(row, run, id, account, owner, status, stage, amount, close_date, "
                         "next_step_date, verdict)",
                         11, run->n_deals, &p, bind_deal, ctx);
    free(owner);
    return rc;
}

/* Remove the runs that `where` selects (one parameter: as_of, or keep),
 * their rows as ranges of accounts and deals. */
static sf_err delete_runs(sf_history *h, const char *where, const char *as_of, int64_t keep, sf_ctx *ctx)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT run FROM runs WHERE %s", where);
    sqlite3_stmt *sel = NULL, *del[3] = {NULL, NULL, NULL};
    sf_err rc = prepare(h, sql, &sel, ctx);
    if (!rc)
        rc = prepare(h, "DELETE FROM accounts WHERE row BETWEEN ?1 AND ?2", &del[0], ctx);
    if (!rc)
        rc = prepare(h, "DELETE FROM deals WHERE row BETWEEN ?1 AND ?2", &del[1], ctx);
    if (!rc)
        rc = prepare(h, "DELETE FROM runs WHERE run = ?3", &del[2], ctx);
    int64_t runs[256];
    int step = SQLITE_DONE;
    while (!rc) {
        /* a batch of runs at a time: deleting while reading the same table
         * is left to SQLite's care, but simpler not to */
        size_t n = 0;
        sf_hist_binds b = {sel, SQLITE_OK};
        if (as_of)
            sf_hist_bind_text(&b, 1, as_of);
        else
            sf_hist_bind_int(&b, 1, keep);
        if (b.err != SQLITE_OK)
            rc = sf_hist_db_error(h, "cannot store the run", ctx);
        while (!rc && n < SF_ARRAY_LEN(runs) && (step = sqlite3_step(sel)) == SQLITE_ROW)
            runs[n++] = sqlite3_column_int64(sel, 0);
        if (!rc && step != SQLITE_ROW && step != SQLITE_DONE)
            rc = sf_hist_db_error(h, "cannot store the run", ctx);
        sqlite3_reset(sel);
        for (size_t i = 0; !rc && i < n; i++)
            for (int t = 0; !rc && t < 3; t++) {
                sf_hist_binds d = {del[t], SQLITE_OK};
                sf_hist_bind_int(&d, t < 2 ? 1 : 3, t < 2 ? SF_HIST_ROW_FIRST(runs[i]) : runs[i]);
                if (t < 2)
                    sf_hist_bind_int(&d, 2, SF_HIST_ROW_LAST(runs[i]));
                if (d.err != SQLITE_OK || sqlite3_step(del[t]) != SQLITE_DONE)
                    rc = sf_hist_db_error(h, "cannot store the run", ctx);
                sqlite3_reset(del[t]);
            }
        if (n < SF_ARRAY_LEN(runs))
            break;
    }
    sqlite3_finalize(sel);
    for (int t = 0; t < 3; t++)
        sqlite3_finalize(del[t]);
    return rc;
}

sf_err sf_history_put_begin(sf_history *h, const sf_hist_run *run, const char *rules, const char *currency,
                            int64_t keep_runs, sf_ctx *ctx)
{
    char as_of[16];
    sf_date_iso(run->as_of, as_of);
    owner_map m = {0};
    sf_strlist names = {0};
    sqlite3_stmt *own = NULL;
    int64_t run_id = 0;
    sf_err rc = sf_hist_exec(h, "BEGIN IMMEDIATE", "cannot store the run", ctx);
    if (rc)
        return rc;
    rc = delete_runs(h, "as_of = ?1", as_of, 0, ctx);
    if (!rc)
        rc = owner_map_load(h, run, &m, &names, ctx);
    if (!rc)
        rc = prepare(h, "INSERT INTO owners(name) VALUES (?)", &own, ctx);
    if (!rc)
        rc = put_run_row(h, run, rules, currency, &run_id, ctx);
    if (!rc)
        rc = put_accounts_deals(h, run, run_id, &m, own, ctx);
    if (!rc)
        rc = delete_runs(h, "run NOT IN (SELECT run FROM runs ORDER BY as_of DESC LIMIT ?1)", NULL,
                         keep_runs > 0 ? keep_runs : 1, ctx);
    sqlite3_finalize(own);
    if (rc)
        sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
    owner_map_free(&m);
    sf_strlist_clear(&names);
    return rc;
}

sf_err sf_history_put_end(sf_history *h, bool commit, sf_ctx *ctx)
{
    if (!commit) {
        sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
        return SF_OK;
    }
    sf_err rc = sf_hist_exec(h, "COMMIT", "cannot store the run", ctx);
    if (rc)
        sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

void sf_history_presync(sf_history *h)
{
    /* the pages still in SQLite's cache go to the WAL as uncommitted
     * frames (a cache flush), then the WAL's data to the disk */
    sqlite3_db_cacheflush(h->db);
    size_t n = strlen(h->path) + 8;
    char *wal = malloc(n);
    if (!wal)
        return;
    snprintf(wal, n, "%s-wal", h->path);
    int fd = open(wal, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fdatasync(fd);
        close(fd);
    }
    free(wal);
}

void sf_history_checkpoint(sf_history *h)
{
    sqlite3_wal_checkpoint_v2(h->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

sf_err sf_history_put(sf_history *h, const sf_hist_run *run, const char *rules, const char *currency,
                      int64_t keep_runs, sf_ctx *ctx)
{
    sf_err rc = sf_history_put_begin(h, run, rules, currency, keep_runs, ctx);
    return rc ? rc : sf_history_put_end(h, true, ctx);
}
