/*
 * store_load.c - reading the history store (sf_history.h): what a run at
 * T compares with (P, the stored runs' figures, the strip of the review
 * pack) and the listings of `salesfocus history`.
 */
#include "history/sf_history_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The figure columns of runs, in sf_hist_figures order. */
#define FIG_COLS                                                                                  \
    "as_of, accounts, rev12, a_accounts, b_accounts, c_accounts, d_accounts, a_rev12, b_rev12, " \
    "c_rev12, d_rev12, cold_a, due, alerts, fire, pursue, qualify, drop_deals"

static int64_t col_num(sqlite3_stmt *st, int i, int64_t none)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? none : sqlite3_column_int64(st, i);
}

/* A figures row from columns first .. first + 17 (FIG_COLS). */
static void read_figures(sqlite3_stmt *st, int first, sf_hist_figures *f)
{
    memset(f, 0, sizeof *f);
    f->as_of = sf_hist_parse_date(sqlite3_column_text(st, first));
    f->accounts = (uint32_t)sqlite3_column_int64(st, first + 1);
    f->rev12 = sqlite3_column_int64(st, first + 2);
    for (int t = 0; t < SF_TIER_N; t++) {
        f->tier_accounts[t] = (uint32_t)sqlite3_column_int64(st, first + 3 + t);
        f->tier_rev12[t] = sqlite3_column_int64(st, first + 7 + t);
    }
    f->cold_a = (uint32_t)sqlite3_column_int64(st, first + 11);
    f->due = (uint32_t)sqlite3_column_int64(st, first + 12);
    f->alerts = (uint32_t)sqlite3_column_int64(st, first + 13);
    f->fire = (uint32_t)sqlite3_column_int64(st, first + 14);
    for (int v = 0; v < 3; v++)
        f->verdicts[v] = (uint32_t)sqlite3_column_int64(st, first + 15 + v);
}

static sf_err prepare(sf_history *h, const char *sql, sqlite3_stmt **st, sf_ctx *ctx)
{
    if (sqlite3_prepare_v2(h->db, sql, -1, st, NULL) != SQLITE_OK) {
        *st = NULL;
        return sf_hist_db_error(h, "cannot read it", ctx);
    }
    return SF_OK;
}

/* The end of a row loop: SQLITE_DONE is fine, anything else an error. */
static sf_err loop_end(sf_history *h, int step, sf_ctx *ctx)
{
    return step == SQLITE_DONE ? SF_OK : sf_hist_db_error(h, "cannot read it", ctx);
}

/* A column's text copied into the view's arena ("" for NULL); *ok false
 * on out of memory. */
static const char *arena_text(sf_history_view *v, sqlite3_stmt *st, int i, bool null_is_null, bool *ok)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    if (!s && null_is_null)
        return NULL;
    const char *c = sf_history_view_str(v, s ? (const char *)s : "", s ? (size_t)sqlite3_column_bytes(st, i) : 0);
    if (!c)
        *ok = false;
    return c;
}

/* ---- P -------------------------------------------------------------------------- */

/* The owner names by id (sparse ids allowed), in the view's arena. */
static sf_err load_owners(sf_history *h, sf_history_view *v, const char ***names, int64_t *n, sf_ctx *ctx)
{
    sqlite3_stmt *st = NULL;
    *names = NULL;
    *n = 0;
    sf_err rc = prepare(h, "SELECT coalesce(max(owner), 0) FROM owners", &st, ctx);
    if (!rc && sqlite3_step(st) == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0) + 1;
    else if (!rc)
        rc = sf_hist_db_error(h, "cannot read it", ctx);
    sqlite3_finalize(st);
    if (rc)
        return rc;
    if (*n < 1 || *n > 100000000)
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "history store '%s' ([history] path): owner ids out of range",
                            h->path);
    *names = calloc((size_t)*n, sizeof **names);
    if (!*names)
        return sf_ctx_nomem(ctx);
    if ((rc = prepare(h, "SELECT owner, name FROM owners", &st, ctx)) != SF_OK)
        return rc;
    bool ok = true;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id >= 0 && id < *n)
            (*names)[id] = arena_text(v, st, 1, false, &ok);
    }
    rc = ok ? loop_end(h, step, ctx) : sf_ctx_nomem(ctx);
    sqlite3_finalize(st);
    return rc;
}

static const char *owner_of(const char **names, int64_t n, int64_t id)
{
    return id >= 0 && id < n && names[id] ? names[id] : "";
}

/* Bind the range of a run's rows (SF_HIST_ROW_*) to parameters 1 and 2;
 * SQLite's result code. */
static int bind_run(sqlite3_stmt *st, int64_t run)
{
    int e = sqlite3_bind_int64(st, 1, SF_HIST_ROW_FIRST(run));
    return e == SQLITE_OK ? sqlite3_bind_int64(st, 2, SF_HIST_ROW_LAST(run)) : e;
}

static sf_err count_rows(sf_history *h, const char *sql, int64_t run, size_t *n, sf_ctx *ctx)
{
    sqlite3_stmt *st = NULL;
    sf_err rc = prepare(h, sql, &st, ctx);
    if (rc)
        return rc;
    if (bind_run(st, run) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        *n = (size_t)sqlite3_column_int64(st, 0);
    else
        rc = sf_hist_db_error(h, "cannot read it", ctx);
    sqlite3_finalize(st);
    return rc;
}

/* What P's rows of one table are read with: the owner names to resolve
 * their owner ids, and the view whose arena keeps their texts. */
typedef struct {
    sf_history_view *v;
    const char **owners;
    int64_t n_owners;
} row_env;

/* A query of one run's rows of a table, read into an array. */
typedef struct {
    const char *count_sql, *sql; /* both take the run's row range */
    size_t size;                 /* bytes of one element */
    bool (*row)(const row_env *env, sqlite3_stmt *st, void *elem); /* false: out of memory */
} row_query;

/* The rows of one run: counted by q->count_sql, then read by q->sql with
 * q->row into a new array: *out (owned by the view, set even on failure)
 * and *n_out, the rows read. */
static sf_err load_rows(sf_history *h, int64_t run, const row_query *q, const row_env *env, void **out,
                        size_t *n_out, sf_ctx *ctx)
{
    size_t n = 0, size = q->size;
    sf_err rc = count_rows(h, q->count_sql, run, &n, ctx);
    if (rc)
        return rc;
    char *v = calloc(n ? n : 1, size);
    *out = v;
    if (!v)
        return sf_ctx_nomem(ctx);
    sqlite3_stmt *st = NULL;
    if ((rc = prepare(h, q->sql, &st, ctx)) != SF_OK)
        return rc;
    bool ok = true;
    int step = bind_run(st, run); /* not SQLITE_OK: an error below */
    size_t k = 0;
    if (step == SQLITE_OK) {
        while (ok && k < n && (step = sqlite3_step(st)) == SQLITE_ROW)
            ok = q->row(env, st, v + size * k++);
        if (k == n && ok)
            step = SQLITE_DONE; /* the rows counted: no step past them */
    }
    rc = !ok ? sf_ctx_nomem(ctx) : loop_end(h, step, ctx);
    *n_out = k;
    sqlite3_finalize(st);
    return rc;
}

static bool account_row(const row_env *env, sqlite3_stmt *st, void *elem)
{
    sf_hist_account *a = elem;
    bool ok = true;
    a->id = arena_text(env->v, st, 0, false, &ok);
    a->name = arena_text(env->v, st, 1, false, &ok);
    a->owner = owner_of(env->owners, env->n_owners, sqlite3_column_int64(st, 2));
    a->tier = (uint8_t)sqlite3_column_int(st, 3);
    a->temp = (uint8_t)sqlite3_column_int(st, 4);
    a->rev12 = sqlite3_column_int64(st, 5);
    a->potential = sqlite3_column_int64(st, 6);
    a->last_contact = (sf_date)col_num(st, 7, SF_NODATE);
    a->next_due = (sf_date)col_num(st, 8, SF_NODATE);
    a->days_overdue = col_num(st, 9, SF_NONE);
    a->decline = (uint8_t)col_num(st, 10, 0);
    a->drop = col_num(st, 11, SF_NONE);
    a->fire = sqlite3_column_int(st, 12) != 0;
    a->reorder = (uint8_t)col_num(st, 13, 0);
    a->index = SF_NO_ACCOUNT;
    return ok;
}

static bool deal_row(const row_env *env, sqlite3_stmt *st, void *elem)
{
    sf_hist_deal *d = elem;
    bool ok = true;
    d->id = arena_text(env->v, st, 0, false, &ok);
    d->account_id = arena_text(env->v, st, 1, false, &ok);
    d->owner = owner_of(env->owners, env->n_owners, sqlite3_column_int64(st, 2));
    d->status = (uint8_t)sqlite3_column_int(st, 3);
    d->stage = arena_text(env->v, st, 4, true, &ok);
    d->amount = col_num(st, 5, SF_NONE);
    d->close_date = (sf_date)col_num(st, 6, SF_NODATE);
    d->next_step_date = (sf_date)col_num(st, 7, SF_NODATE);
    d->verdict = (int8_t)col_num(st, 8, -1);
    d->index = UINT32_MAX;
    return ok;
}

static const row_query accounts_query = {
    "SELECT count(*) FROM accounts WHERE row BETWEEN ? AND ?",
    "SELECT id, name, owner, tier, temp, rev12, potential, last_contact, next_due, days_overdue, decline, "
    "decline_drop, fire, reorder FROM accounts WHERE row BETWEEN ? AND ?",
    sizeof(sf_hist_account), account_row};

static const row_query deals_query = {
    "SELECT count(*) FROM deals WHERE row BETWEEN ? AND ?",
    "SELECT id, account, owner, status, stage, amount, close_date, next_step_date, verdict "
    "FROM deals WHERE row BETWEEN ? AND ?",
    sizeof(sf_hist_deal), deal_row};

/* P's accounts and deals (run's rows). */
static sf_err load_run(sf_history *h, int64_t run, const row_env *env, sf_ctx *ctx)
{
    sf_hist_run *p = &env->v->prev;
    void *acc = NULL, *deals = NULL;
    sf_err rc = load_rows(h, run, &accounts_query, env, &acc, &p->n_acc, ctx);
    p->acc = acc;
    if (!rc)
        rc = load_rows(h, run, &deals_query, env, &deals, &p->n_deals, ctx);
    p->deals = deals;
    return rc;
}

/* P: the run with the latest T_P < T, if any. */
static sf_err load_prev(sf_history *h, sf_date T, sf_history_view *v, sf_ctx *ctx)
{
    char t[16];
    sf_date_iso(T, t);
    sqlite3_stmt *st = NULL;
    sf_err rc = prepare(h,
                        "SELECT run, fingerprint, rev_prev12, growth_e4, lost, rejected, " FIG_COLS
                        " FROM runs WHERE as_of < ? ORDER BY as_of DESC LIMIT 1",
                        &st, ctx);
    if (rc)
        return rc;
    sf_hist_binds b = {st, SQLITE_OK};
    sf_hist_bind_text(&b, 1, t);
    int step = b.err == SQLITE_OK ? sqlite3_step(st) : b.err; /* a failed bind: an error below */
    int64_t run = 0;
    if (step == SQLITE_ROW) {
        v->have_prev = true;
        run = sqlite3_column_int64(st, 0);
        const unsigned char *fp = sqlite3_column_text(st, 1);
        snprintf(v->prev.fingerprint, sizeof v->prev.fingerprint, "%s", fp ? (const char *)fp : "");
        v->prev.rev_prev12 = sqlite3_column_int64(st, 2);
        v->prev.growth = col_num(st, 3, SF_NONE);
        v->prev.lost = (uint32_t)sqlite3_column_int64(st, 4);
        v->prev.rejected = sqlite3_column_int64(st, 5);
        read_figures(st, 6, &v->prev.fig);
        v->prev.as_of = v->prev.fig.as_of;
    } else if (step != SQLITE_DONE) {
        rc = sf_hist_db_error(h, "cannot read it", ctx);
    }
    sqlite3_finalize(st);
    if (rc || !v->have_prev)
        return rc;
    row_env env = {.v = v};
    rc = load_owners(h, v, &env.owners, &env.n_owners, ctx);
    if (!rc)
        rc = load_run(h, run, &env, ctx);
    free(env.owners);
    if (!rc)
        sf_hist_run_sort(&v->prev);
    return rc;
}

/* ---- the trend and the strip ------------------------------------------------------- */

static sf_err load_trend(sf_history *h, sf_date T, int64_t keep, sf_history_view *v, sf_ctx *ctx)
{
    if (keep <= 0)
        return SF_OK;
    char t[16];
    sf_date_iso(T, t);
    v->runs = calloc((size_t)keep, sizeof *v->runs);
    if (!v->runs)
        return sf_ctx_nomem(ctx);
    sqlite3_stmt *st = NULL;
    sf_err rc = prepare(h, "SELECT " FIG_COLS " FROM runs WHERE as_of < ? ORDER BY as_of DESC LIMIT ?", &st, ctx);
    if (rc)
        return rc;
    sf_hist_binds b = {st, SQLITE_OK};
    sf_hist_bind_text(&b, 1, t);
    sf_hist_bind_int(&b, 2, keep);
    if (b.err != SQLITE_OK)
        rc = sf_hist_db_error(h, "cannot read it", ctx);
    int step = SQLITE_DONE;
    size_t n = 0;
    while (!rc && n < (size_t)keep && (step = sqlite3_step(st)) == SQLITE_ROW)
        read_figures(st, 0, &v->runs[n++]);
    if (!rc)
        rc = loop_end(h, n == (size_t)keep ? SQLITE_DONE : step, ctx);
    sqlite3_finalize(st);
    /* newest first from the query: oldest first for the trend */
    for (size_t i = 0; i < n / 2; i++) {
        sf_hist_figures x = v->runs[i];
        v->runs[i] = v->runs[n - 1 - i];
        v->runs[n - 1 - i] = x;
    }
    v->n_runs = n;
    return rc;
}

/* One stored run's tier and temperature of ds's accounts into row r. */
static sf_err strip_run(sf_history *h, int64_t run, const sf_dataset *ds, sf_history_view *v, size_t r,
                        sf_ctx *ctx)
{
    sqlite3_stmt *st = NULL;
    sf_err rc = prepare(h, "SELECT id, tier, temp FROM accounts WHERE row BETWEEN ? AND ?", &st, ctx);
    if (rc)
        return rc;
    int step = bind_run(st, run);
    uint8_t *tier = v->strip_tier + r * v->n_strip_accounts, *temp = v->strip_temp + r * v->n_strip_accounts;
    if (step == SQLITE_OK) /* else an error below */
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            const unsigned char *id = sqlite3_column_text(st, 0);
            uint32_t a = id ? sf_dataset_find(ds, (const char *)id) : SF_NO_ACCOUNT;
            if (a < v->n_strip_accounts) {
                tier[a] = (uint8_t)sqlite3_column_int(st, 1);
                temp[a] = (uint8_t)sqlite3_column_int(st, 2);
            }
        }
    rc = loop_end(h, step, ctx);
    sqlite3_finalize(st);
    return rc;
}

static sf_err load_strip(sf_history *h, sf_date T, const sf_dataset *ds, size_t runs, sf_history_view *v, sf_ctx *ctx)
{
    if (runs > SF_HIST_STRIP_MAX)
        runs = SF_HIST_STRIP_MAX;
    char t[16];
    sf_date_iso(T, t);
    int64_t ids[SF_HIST_STRIP_MAX];
    size_t n = 0;
    sqlite3_stmt *st = NULL;
    sf_err rc = prepare(h, "SELECT run, as_of FROM runs WHERE as_of < ? ORDER BY as_of DESC LIMIT ?", &st, ctx);
    if (rc)
        return rc;
    sf_hist_binds b = {st, SQLITE_OK};
    sf_hist_bind_text(&b, 1, t);
    sf_hist_bind_int(&b, 2, (int64_t)runs);
    if (b.err != SQLITE_OK)
        rc = sf_hist_db_error(h, "cannot read it", ctx);
    int step = SQLITE_DONE;
    while (!rc && n < runs && (step = sqlite3_step(st)) == SQLITE_ROW) {
        ids[n] = sqlite3_column_int64(st, 0);
        v->strip_as_of[n++] = sf_hist_parse_date(sqlite3_column_text(st, 1));
    }
    if (!rc)
        rc = loop_end(h, n == runs ? SQLITE_DONE : step, ctx);
    sqlite3_finalize(st);
    if (rc || n == 0)
        return rc;
    /* oldest first */
    for (size_t i = 0; i < n / 2; i++) {
        int64_t x = ids[i];
        sf_date d = v->strip_as_of[i];
        ids[i] = ids[n - 1 - i];
        v->strip_as_of[i] = v->strip_as_of[n - 1 - i];
        ids[n - 1 - i] = x;
        v->strip_as_of[n - 1 - i] = d;
    }
    v->n_strip_accounts = ds->n_accounts;
    size_t cells = n * (ds->n_accounts ? ds->n_accounts : 1);
    v->strip_tier = malloc(cells);
    v->strip_temp = malloc(cells);
    if (!v->strip_tier || !v->strip_temp)
        return sf_ctx_nomem(ctx);
    memset(v->strip_tier, SF_HIST_ABSENT, cells);
    memset(v->strip_temp, SF_HIST_ABSENT, cells);
    v->n_strip = n;
    for (size_t r = 0; r < n && !rc; r++)
        rc = strip_run(h, ids[r], ds, v, r, ctx);
    return rc;
}

sf_err sf_history_load(sf_history *h, sf_date T, int64_t trend_runs, const sf_dataset *ds, size_t strip_runs,
                       sf_history_view *view, sf_ctx *ctx)
{
    memset(view, 0, sizeof *view);
    if (!h)
        return SF_OK;
    sf_err rc = load_prev(h, T, view, ctx);
    if (!rc)
        rc = load_trend(h, T, trend_runs - 1, view, ctx);
    if (!rc && ds && strip_runs)
        rc = load_strip(h, T, ds, strip_runs, view, ctx);
    if (rc)
        sf_history_view_release(view);
    return rc;
}

/* ---- listings ------------------------------------------------------------------------ */

sf_err sf_history_list(sf_history *h, sf_history_listed **rows, size_t *n, sf_ctx *ctx)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    sf_err rc = prepare(h, "SELECT stored_at, fingerprint, " FIG_COLS " FROM runs ORDER BY as_of", &st, ctx);
    size_t cap = 0;
    int step = SQLITE_DONE;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            sf_history_listed *v = realloc(*rows, cap * sizeof *v);
            if (!v) {
                rc = sf_ctx_nomem(ctx);
                break;
            }
            *rows = v;
        }
        sf_history_listed *r = &(*rows)[(*n)++];
        const unsigned char *at = sqlite3_column_text(st, 0), *fp = sqlite3_column_text(st, 1);
        snprintf(r->stored_at, sizeof r->stored_at, "%s", at ? (const char *)at : "");
        snprintf(r->fingerprint, sizeof r->fingerprint, "%s", fp ? (const char *)fp : "");
        read_figures(st, 2, &r->fig);
        r->as_of = r->fig.as_of;
    }
    if (!rc)
        rc = loop_end(h, step, ctx);
    sqlite3_finalize(st);
    return rc;
}

/* The row of account id in run (its rows are in id order, one range):
 * a binary search by key; 0 when the run does not have it. */
static sf_err find_in_run(sf_history *h, int64_t run, const char *id, sqlite3_stmt *last, sqlite3_stmt *probe,
                          int64_t *row, sf_ctx *ctx)
{
    *row = 0;
    int step = bind_run(last, run);
    if (step == SQLITE_OK)
        step = sqlite3_step(last);
    int64_t lo = SF_HIST_ROW_FIRST(run), hi = step == SQLITE_ROW ? col_num(last, 0, lo - 1) : lo - 1;
    sqlite3_reset(last);
    if (step != SQLITE_ROW)
        return sf_hist_db_error(h, "cannot read it", ctx);
    while (lo <= hi) {
        int64_t mid = lo + (hi - lo) / 2;
        step = sqlite3_bind_int64(probe, 1, mid);
        if (step == SQLITE_OK)
            step = sqlite3_step(probe);
        const unsigned char *at = step == SQLITE_ROW ? sqlite3_column_text(probe, 0) : NULL;
        int c = at ? strcmp((const char *)at, id) : 0;
        sqlite3_reset(probe);
        if (!at)
            return step == SQLITE_DONE ? SF_OK : sf_hist_db_error(h, "cannot read it", ctx);
        if (c == 0) {
            *row = mid;
            return SF_OK;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return SF_OK;
}

sf_err sf_history_account(sf_history *h, const char *id, sf_history_account_row **rows, size_t *n, sf_ctx *ctx)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *runs = NULL, *last = NULL, *probe = NULL, *get = NULL;
    sf_err rc = prepare(h, "SELECT run, as_of FROM runs ORDER BY as_of", &runs, ctx);
    if (!rc)
        rc = prepare(h, "SELECT max(row) FROM accounts WHERE row BETWEEN ? AND ?", &last, ctx);
    if (!rc)
        rc = prepare(h, "SELECT id FROM accounts WHERE row = ?", &probe, ctx);
    if (!rc)
        rc = prepare(h,
                     "SELECT a.name, o.name, a.tier, a.temp, a.rev12 FROM accounts a "
                     "LEFT JOIN owners o ON o.owner = a.owner WHERE a.row = ?",
                     &get, ctx);
    size_t cap = 0;
    int step = SQLITE_DONE;
    while (!rc && (step = sqlite3_step(runs)) == SQLITE_ROW) {
        int64_t row;
        if ((rc = find_in_run(h, sqlite3_column_int64(runs, 0), id, last, probe, &row, ctx)) != SF_OK || !row)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            sf_history_account_row *v = realloc(*rows, cap * sizeof *v);
            if (!v) {
                rc = sf_ctx_nomem(ctx);
                break;
            }
            *rows = v;
        }
        if (sqlite3_bind_int64(get, 1, row) != SQLITE_OK || sqlite3_step(get) != SQLITE_ROW) {
            rc = sf_hist_db_error(h, "cannot read it", ctx);
            break;
        }
        sf_history_account_row *r = &(*rows)[(*n)++];
        const unsigned char *name = sqlite3_column_text(get, 0), *owner = sqlite3_column_text(get, 1);
        r->as_of = sf_hist_parse_date(sqlite3_column_text(runs, 1));
        snprintf(r->name, sizeof r->name, "%s", name ? (const char *)name : "");
        snprintf(r->owner, sizeof r->owner, "%s", owner ? (const char *)owner : "");
        r->tier = (uint8_t)sqlite3_column_int(get, 2);
        r->temp = (uint8_t)sqlite3_column_int(get, 3);
        r->rev12 = sqlite3_column_int64(get, 4);
        sqlite3_reset(get);
    }
    if (!rc)
        rc = loop_end(h, step, ctx);
    sqlite3_finalize(runs);
    sqlite3_finalize(last);
    sqlite3_finalize(probe);
    sqlite3_finalize(get);
    return rc;
}
