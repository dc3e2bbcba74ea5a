/*
 * store_mail.c - the send log of the history store (sf_history.h,
 * docs/history.md "The send log"): what a run's mails remember of the
 * mails before them (sf_mail_memory), and one row per mail written as it
 * is handed over and updated with its outcome.
 *
 * A mail counts as sent when its row says "sent", or still "sending" (a
 * run killed while sendmail had the message: it may have gone out, and a
 * mail is never to be sent twice). Rows older than the oldest stored run
 * go with it, so the log is kept as long as the runs are.
 */
#include "history/sf_history_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the statuses that count as sent */
#define SENT "status IN ('sent', 'sending') AND kind = 'report'"

static sf_err prepare(sf_history *h, const char *sql, sqlite3_stmt **st, const char *what, sf_ctx *ctx)
{
    if (sqlite3_prepare_v2(h->db, sql, -1, st, NULL) != SQLITE_OK) {
        *st = NULL;
        return sf_hist_db_error(h, what, ctx);
    }
    return SF_OK;
}

static int64_t col_num(sqlite3_stmt *st, int i, int64_t none)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? none : sqlite3_column_int64(st, i);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

/* ---- the memory ------------------------------------------------------------------ */

/* The entry of (recipient, scope), appended when new (the rows come
 * ordered by recipient and scope, so the last one is the only candidate). */
static sf_mail_sent_to *entry_for(sf_mail_memory *m, const char *recipient, const char *scope, size_t *cap)
{
    if (m->n && strcmp(m->v[m->n - 1].recipient, recipient) == 0 && strcmp(m->v[m->n - 1].scope, scope) == 0)
        return &m->v[m->n - 1];
    if (m->n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        sf_mail_sent_to *v = realloc(m->v, c * sizeof *v);
        if (!v)
            return NULL;
        m->v = v;
        *cap = c;
    }
    sf_mail_sent_to *e = &m->v[m->n];
    memset(e, 0, sizeof *e);
    e->last = SF_NODATE;
    e->recipient = sf_strdup(recipient);
    e->scope = sf_strdup(scope);
    m->n++; /* counted at once: the release frees what was allocated */
    return e->recipient && e->scope ? e : NULL;
}

/* Append an item read from columns first.. (kind, id, tier, days_overdue,
 * decline_drop, reorder) to *v. */
static bool push_item(sf_mail_memory *m, sf_mail_item **v, size_t *n, size_t *cap, sqlite3_stmt *st, int first,
                      sf_date mailed)
{
    int kind = sf_item_kind_of(col_text(st, first));
    if (kind < 0)
        return true; /* a kind of a newer version: not this one's to compare */
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        sf_mail_item *nv = realloc(*v, c * sizeof *nv);
        if (!nv)
            return false;
        *v = nv;
        *cap = c;
    }
    const char *id = sf_mail_memory_str(m, col_text(st, first + 1));
    if (!id)
        return false;
    (*v)[(*n)++] = (sf_mail_item){.kind = (uint8_t)kind, .id = id, .mailed = mailed,
                                  .tier = (int8_t)col_num(st, first + 2, -1),
                                  .days_overdue = col_num(st, first + 3, SF_NONE),
                                  .drop = col_num(st, first + 4, SF_NONE),
                                  .reorder = (int8_t)col_num(st, first + 5, 0)};
    return true;
}

/* The items of mail `mail` into e's last_items. */
static sf_err load_items(sf_history *h, sqlite3_stmt *st, int64_t mail, sf_mail_memory *m, sf_mail_sent_to *e,
                         sf_ctx *ctx)
{
    sqlite3_reset(st); /* its last step was checked */
    if (sqlite3_bind_int64(st, 1, mail) != SQLITE_OK)
        return sf_hist_db_error(h, "cannot read its send log", ctx);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        if (!push_item(m, &e->last_items, &e->n_last, &cap, st, 0, e->last))
            return sf_ctx_nomem(ctx);
    return step == SQLITE_DONE ? SF_OK : sf_hist_db_error(h, "cannot read its send log", ctx);
}

/* Every (recipient, scope) sent a report before `monday`, with its last
 * mail's as-of and that mail's items. */
static sf_err load_last(sf_history *h, const char *monday, sf_mail_memory *m, sf_ctx *ctx)
{
    sqlite3_stmt *st = NULL, *items = NULL;
    sf_err rc = prepare(h,
                        "SELECT mail, recipient, scope, as_of FROM mails WHERE " SENT
                        " AND as_of < ?1 ORDER BY recipient, scope, as_of DESC, mail DESC",
                        &st, "cannot read its send log", ctx);
    if (!rc)
        rc = prepare(h,
                     "SELECT kind, id, tier, days_overdue, decline_drop, reorder FROM mail_items WHERE mail = ?1",
                     &items, "cannot read its send log", ctx);
    if (rc) {
        sqlite3_finalize(st);
        return rc;
    }
    sf_hist_binds b = {st, SQLITE_OK};
    sf_hist_bind_text(&b, 1, monday);
    if (b.err != SQLITE_OK)
        rc = sf_hist_db_error(h, "cannot read its send log", ctx);
    size_t cap = 0;
    int step = SQLITE_DONE;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *r = col_text(st, 1), *s = col_text(st, 2);
        if (m->n && strcmp(m->v[m->n - 1].recipient, r) == 0 && strcmp(m->v[m->n - 1].scope, s) == 0)
            continue; /* an older mail of the same recipient */
        sf_mail_sent_to *e = entry_for(m, r, s, &cap);
        if (!e) {
            rc = sf_ctx_nomem(ctx);
            break;
        }
        e->last = sf_hist_parse_date(sqlite3_column_text(st, 3));
        rc = load_items(h, items, sqlite3_column_int64(st, 0), m, e, ctx);
    }
    if (!rc && step != SQLITE_DONE)
        rc = sf_hist_db_error(h, "cannot read its send log", ctx);
    sqlite3_finalize(items);
    sqlite3_finalize(st);
    return rc;
}

/* The entry of (recipient, scope) in the loaded memory, added when the
 * recipient had no mail before this week. */
static sf_mail_sent_to *find_or_add(sf_mail_memory *m, const char *recipient, const char *scope, size_t *cap)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].recipient, recipient) == 0 && strcmp(m->v[i].scope, scope) == 0)
            return &m->v[i];
    if (*cap < m->n)
        *cap = m->n;
    /* force a new entry: entry_for only reuses the last one */
    sf_mail_sent_to *e = entry_for(m, recipient, scope, cap);
    return e;
}

/* The items sent from `from` to before `monday`, each with its latest
 * mailing (rows oldest first: a later one replaces an earlier one). */
static sf_err load_recent(sf_history *h, const char *from, const char *monday, sf_mail_memory *m, sf_ctx *ctx)
{
    sqlite3_stmt *st = NULL;
    sf_err rc = prepare(h,
                        "SELECT m.recipient, m.scope, m.as_of, i.kind, i.id, i.tier, i.days_overdue, "
                        "i.decline_drop, i.reorder FROM mails m JOIN mail_items i ON i.mail = m.mail WHERE "
                        "m.status IN ('sent', 'sending') AND m.kind = 'report' AND m.as_of >= ?1 AND "
                        "m.as_of < ?2 ORDER BY m.recipient, m.scope, i.kind, i.id, m.as_of, m.mail",
                        &st, "cannot read its send log", ctx);
    if (rc)
        return rc;
    sf_hist_binds b = {st, SQLITE_OK};
    sf_hist_bind_text(&b, 1, from);
    sf_hist_bind_text(&b, 2, monday);
    if (b.err != SQLITE_OK)
        rc = sf_hist_db_error(h, "cannot read its send log", ctx);
    size_t cap = m->n, icap = 0;
    sf_mail_sent_to *e = NULL;
    int step = SQLITE_DONE;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *r = col_text(st, 0), *s = col_text(st, 1);
        if (!e || strcmp(e->recipient, r) != 0 || strcmp(e->scope, s) != 0) {
            e = find_or_add(m, r, s, &cap);
            icap = e ? e->n_recent : 0;
        }
        if (!e) {
            rc = sf_ctx_nomem(ctx);
            break;
        }
        sf_date mailed = sf_hist_parse_date(sqlite3_column_text(st, 2));
        int kind = sf_item_kind_of(col_text(st, 3));
        sf_mail_item *last = e->n_recent ? &e->recent[e->n_recent - 1] : NULL;
        if (last && kind == last->kind && strcmp(last->id, col_text(st, 4)) == 0)
            e->n_recent--; /* the same item mailed again later: keep the later */
        if (!push_item(m, &e->recent, &e->n_recent, &icap, st, 3, mailed))
            rc = sf_ctx_nomem(ctx);
    }
    if (!rc && step != SQLITE_DONE)
        rc = sf_hist_db_error(h, "cannot read its send log", ctx);
    sqlite3_finalize(st);
    return rc;
}

/* How many reports each recipient was sent in the ISO week `week`. */
static sf_err load_week(sf_history *h, const char *week, sf_mail_memory *m, sf_ctx *ctx)
{
    sqlite3_stmt *st = NULL;
    sf_err rc = prepare(h,
                        "SELECT recipient, scope, count(*) FROM mails WHERE " SENT
                        " AND iso_week = ?1 GROUP BY recipient, scope",
                        &st, "cannot read its send log", ctx);
    if (rc)
        return rc;
    sf_hist_binds b = {st, SQLITE_OK};
    sf_hist_bind_text(&b, 1, week);
    if (b.err != SQLITE_OK)
        rc = sf_hist_db_error(h, "cannot read its send log", ctx);
    size_t cap = m->n;
    int step = SQLITE_DONE;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        sf_mail_sent_to *e = find_or_add(m, col_text(st, 0), col_text(st, 1), &cap);
        if (!e)
            rc = sf_ctx_nomem(ctx);
        else
            e->sent_this_week = (uint32_t)sqlite3_column_int64(st, 2);
    }
    if (!rc && step != SQLITE_DONE)
        rc = sf_hist_db_error(h, "cannot read its send log", ctx);
    sqlite3_finalize(st);
    return rc;
}

sf_err sf_history_mail_memory(sf_history *h, sf_date T, int64_t repeat_weeks, sf_mail_memory *mem, sf_ctx *ctx)
{
    memset(mem, 0, sizeof *mem);
    mem->loaded = true;
    mem->as_of = T;
    /* "within N weeks": mailed less than 7 N days before T */
    mem->window_from = (sf_date)(T - repeat_weeks * 7 + 1);
    if (!h)
        return SF_OK;
    sf_date monday = (sf_date)(T - sf_date_weekday(T));
    char mon[16], from[16], week[16];
    sf_date_iso(monday, mon);
    sf_date_iso(mem->window_from, from);
    sf_date_iso_week(T, week);
    sf_err rc = load_last(h, mon, mem, ctx);
    if (!rc && repeat_weeks > 0)
        rc = load_recent(h, from, mon, mem, ctx);
    if (!rc)
        rc = load_week(h, week, mem, ctx);
    if (rc) {
        sf_mail_memory_release(mem);
        return rc;
    }
    sf_mail_memory_sort(mem);
    return SF_OK;
}

/* ---- the log ------------------------------------------------------------------- */

/* The mail's row and its items, in the open transaction. */
static sf_err insert_mail(sf_history *h, const sf_mail_log_entry *e, int64_t *row, sf_ctx *ctx)
{
    sqlite3_stmt *st = NULL;
    sf_err rc = prepare(h,
                        "INSERT INTO mails (kind, recipient, scope, as_of, iso_week, sent_at, message_id, digest, "
                        "items, left_out, status, exit_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        &st, "cannot write its send log", ctx);
    if (rc)
        return rc;
    char asof[16], week[16], now[32];
    sf_date_iso(e->as_of, asof);
    sf_date_iso_week(e->as_of, week);
    sf_hist_utc_now(now);
    const char *texts[8] = {e->kind, e->recipient, e->scope ? e->scope : "", asof, week, now,
                            e->message_id ? e->message_id : "", e->digest ? e->digest : ""};
    sf_hist_binds b = {st, SQLITE_OK};
    for (int i = 0; i < 8; i++)
        sf_hist_bind_text(&b, i + 1, texts[i]);
    sf_hist_bind_int(&b, 9, (int64_t)e->n_items);
    sf_hist_bind_int(&b, 10, e->left_out);
    sf_hist_bind_text(&b, 11, e->status);
    sf_hist_bind_num(&b, 12, e->exit_code, -1);
    if (b.err != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
        rc = sf_hist_db_error(h, "cannot write its send log", ctx);
    else
        *row = sqlite3_last_insert_rowid(h->db); /* after a failed insert: another row's */
    sqlite3_finalize(st);
    if (rc || !e->n_items)
        return rc;
    rc = prepare(h,
                 "INSERT OR IGNORE INTO mail_items (mail, kind, id, tier, days_overdue, decline_drop, reorder) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)",
                 &st, "cannot write its send log", ctx);
    for (size_t i = 0; !rc && i < e->n_items; i++) {
        const sf_mail_item *it = &e->items[i];
        sf_hist_binds ib = {st, SQLITE_OK};
        sf_hist_bind_int(&ib, 1, *row);
        sf_hist_bind_text(&ib, 2, sf_item_kind_name((sf_item_kind)it->kind));
        sf_hist_bind_text(&ib, 3, it->id ? it->id : "");
        sf_hist_bind_num(&ib, 4, it->tier, -1);
        sf_hist_bind_num(&ib, 5, it->days_overdue, SF_NONE);
        sf_hist_bind_num(&ib, 6, it->drop, SF_NONE);
        sf_hist_bind_num(&ib, 7, it->reorder, 0);
        if (ib.err != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
            rc = sf_hist_db_error(h, "cannot write its send log", ctx);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

sf_err sf_history_mail_begin(sf_history *h, const sf_mail_log_entry *e, int64_t *row, sf_ctx *ctx)
{
    *row = 0;
    sf_err rc = sf_hist_exec(h, "BEGIN IMMEDIATE", "cannot write its send log", ctx);
    if (rc)
        return rc;
    rc = insert_mail(h, e, row, ctx);
    /* the log lives as long as the runs: what is older than the oldest run goes */
    if (!rc)
        rc = sf_hist_exec(h,
                          "DELETE FROM mail_items WHERE mail IN (SELECT mail FROM mails WHERE as_of < "
                          "(SELECT min(as_of) FROM runs));"
                          "DELETE FROM mails WHERE as_of < (SELECT min(as_of) FROM runs)",
                          "cannot write its send log", ctx);
    if (!rc)
        rc = sf_hist_exec(h, "COMMIT", "cannot write its send log", ctx);
    if (rc) {
        sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
        *row = 0; /* no row: sf_history_mail_end must not update another mail's */
    }
    return rc;
}

sf_err sf_history_mail_end(sf_history *h, int64_t row, const char *status, int exit_code, sf_ctx *ctx)
{
    sqlite3_stmt *st = NULL;
    sf_err rc = prepare(h, "UPDATE mails SET status = ?, exit_code = ?, sent_at = ? WHERE mail = ?", &st,
                        "cannot write its send log", ctx);
    if (rc)
        return rc;
    char now[32];
    sf_hist_utc_now(now);
    sf_hist_binds b = {st, SQLITE_OK};
    sf_hist_bind_text(&b, 1, status);
    sf_hist_bind_num(&b, 2, exit_code, -1);
    sf_hist_bind_text(&b, 3, now);
    sf_hist_bind_int(&b, 4, row);
    if (b.err != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
        rc = sf_hist_db_error(h, "cannot write its send log", ctx);
    sqlite3_finalize(st);
    return rc;
}
