/*
 * out_csv.c - the eight CSV lists of SPEC §4 in <out_dir>/csv/: UTF-8 with
 * a byte-order mark (unless csv_bom = no), comma, RFC 4180 quoting, CRLF.
 * They are meant to be imported back into the CRM, so the columns and
 * number formats are fixed: money with two decimals, shares with four,
 * ISO dates, empty for "not applicable".
 *
 * Every file goes through the staging area (temporary name, renamed into
 * place at commit), so a failed run never leaves a half-written list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/sf_output.h"

#define CSV_BUFSZ (1 << 16)

/* Lines are assembled in our own buffer and handed to stdio in large
 * blocks: per-character putc (which locks the FILE each time) would cost
 * more than all the analyses on 100,000 accounts. */
typedef struct {
    FILE *fp;
    char *path;    /* final path, owned */
    int col;       /* fields written on the current line */
    size_t len;
    char buf[CSV_BUFSZ];
} csv_out;

static void flush_buf(csv_out *w)
{
    if (w->len && w->fp)
        fwrite(w->buf, 1, w->len, w->fp); /* errors surface in ferror at close */
    w->len = 0;
}

static void put_bytes(csv_out *w, const char *s, size_t n)
{
    if (n > CSV_BUFSZ - w->len) {
        flush_buf(w);
        if (n > CSV_BUFSZ) {
            fwrite(s, 1, n, w->fp);
            return;
        }
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static void put_char(csv_out *w, char c)
{
    if (w->len == CSV_BUFSZ)
        flush_buf(w);
    w->buf[w->len++] = c;
}

/* Opens <out_dir>/csv/<name> through the stage and writes the BOM and
 * the header line (comma-separated, no field of it needs quoting). On
 * success *out is a new writer the caller ends with csv_close. */
static sf_err csv_open(const sf_output_ctx *o, const char *name, const char *header,
                       csv_out **out, sf_ctx *ctx)
{
    csv_out *w = calloc(1, sizeof *w);
    *out = NULL;
    if (!w)
        return sf_ctx_nomem(ctx);
    size_t n = strlen(o->out_dir) + strlen(name) + 8;
    w->path = malloc(n);
    if (!w->path) {
        free(w);
        return sf_ctx_nomem(ctx);
    }
    snprintf(w->path, n, "%s/csv/%s", o->out_dir, name);
    sf_err e = sf_stage_fopen(o->stage, w->path, &w->fp, ctx);
    if (e != SF_OK) {
        free(w->path);
        free(w);
        return e;
    }
    if (o->cfg->csv_bom)
        put_bytes(w, "\xEF\xBB\xBF", 3);
    put_bytes(w, header, strlen(header));
    put_bytes(w, "\r\n", 2);
    *out = w;
    return SF_OK;
}

/* Flushes and closes the file (a write or close failure is SF_ERR_OUTPUT
 * naming the file) and frees the writer. */
static sf_err csv_close(csv_out *w, sf_ctx *ctx)
{
    flush_buf(w);
    sf_err e = sf_stage_close(w->fp, w->path, ctx);
    free(w->path);
    free(w);
    return e;
}

/* One field; quoted when it holds a comma, quote, CR or LF (RFC 4180),
 * quotes doubled. NULL writes an empty field. */
static void put(csv_out *w, const char *s)
{
    if (w->col++)
        put_char(w, ',');
    if (!s)
        return;
    size_t n = strcspn(s, ",\"\r\n");
    if (!s[n]) {
        put_bytes(w, s, n);
        return;
    }
    put_char(w, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            put_char(w, '"');
        put_char(w, *p);
    }
    put_char(w, '"');
}

static void end_line(csv_out *w)
{
    put_bytes(w, "\r\n", 2);
    w->col = 0;
}

static void put_money(csv_out *w, int64_t cents)
{
    char b[32];
    sf_fmt_money(cents, b);
    put(w, b);
}

static void put_e4(csv_out *w, int64_t e4)
{
    char b[32];
    sf_fmt_e4(e4, b);
    put(w, b);
}

static void put_int(csv_out *w, int64_t v)
{
    char b[32];
    if (v == SF_NONE)
        b[0] = '\0';
    else
        sf_fmt_int(v, b);
    put(w, b);
}

static void put_date(csv_out *w, sf_date d)
{
    char b[16];
    sf_date_iso(d, b);
    put(w, b);
}

static const char *owner_name(const sf_dataset *ds, uint32_t id)
{
    return id < ds->n_owners ? ds->owners[id] : "";
}

/* account_id, name, owner, tier: the four columns most lists open with. */
static void put_account(csv_out *w, const sf_report *rep, uint32_t a)
{
    const sf_account *ac = &rep->ds->accounts[a];
    put(w, ac->id);
    put(w, ac->name);
    put(w, owner_name(rep->ds, ac->owner));
    put(w, sf_tier_name(rep->tiers.acc[a].tier));
}

/* Bits of a miss/reason mask joined with ';' in bit order. */
static void put_bits(csv_out *w, unsigned bits, int n, const char *(*name)(int))
{
    char b[256];
    size_t len = 0;
    b[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (!(bits & (1u << i)))
            continue;
        int k = snprintf(b + len, sizeof b - len, "%s%s", len ? ";" : "", name(i));
        if (k < 0 || (size_t)k >= sizeof b - len)
            break;
        len += (size_t)k;
    }
    put(w, b);
}

static sf_err write_accounts(const sf_output_ctx *o, sf_ctx *ctx)
{
    const sf_report *rep = o->rep;
    const sf_dataset *ds = rep->ds;
    csv_out *w;
    sf_err e = csv_open(o, "accounts.csv",
                        "account_id,name,owner,tier,rev12,potential,ratio,realization,"
                        "temperature,last_contact,next_due", &w, ctx);
    if (e)
        return e;
    for (uint32_t i = 0; i < ds->n_accounts; i++) {
        uint32_t a = rep->tiers.order[i];
        const sf_account_result *r = &rep->tiers.acc[a];
        put_account(w, rep, a);
        put_money(w, ds->accounts[a].rev12);
        put_money(w, r->potential);
        put_e4(w, r->ratio);
        put_e4(w, r->realization);
        put(w, sf_temp_name(r->temp));
        put_date(w, ds->have_activities ? ds->accounts[a].last_contact : SF_NODATE);
        put_date(w, r->next_due);
        end_line(w);
    }
    return csv_close(w, ctx);
}

static sf_err write_cadence(const sf_output_ctx *o, sf_ctx *ctx)
{
    const sf_report *rep = o->rep;
    csv_out *w;
    sf_err e = csv_open(o, "cadence_due.csv",
                        "account_id,name,owner,tier,last_contact,next_due,days_overdue,channel",
                        &w, ctx);
    if (e)
        return e;
    for (uint32_t i = 0; i < rep->cadence.n; i++) {
        const sf_cadence_row *r = &rep->cadence.rows[i];
        put_account(w, rep, r->account);
        put_date(w, r->last_contact);
        put_date(w, r->next_due);
        put_int(w, r->days_overdue);
        put(w, r->channel);
        end_line(w);
    }
    return csv_close(w, ctx);
}

static sf_err write_decline(const sf_output_ctx *o, sf_ctx *ctx)
{
    const sf_report *rep = o->rep;
    csv_out *w;
    sf_err e = csv_open(o, "decline_alerts.csv",
                        "account_id,name,owner,tier,prior,current,drop,drop_share,severity",
                        &w, ctx);
    if (e)
        return e;
    for (uint32_t i = 0; i < rep->decline.n; i++) {
        const sf_decline_row *r = &rep->decline.rows[i];
        put_account(w, rep, r->account);
        put_money(w, r->prior);
        put_money(w, r->current);
        put_money(w, r->drop);
        put_e4(w, r->drop_share);
        put(w, r->lost ? "lost" : "declining");
        end_line(w);
    }
    return csv_close(w, ctx);
}

static sf_err write_fire(const sf_output_ctx *o, sf_ctx *ctx)
{
    const sf_report *rep = o->rep;
    csv_out *w;
    sf_err e = csv_open(o, "fire_candidates.csv",
                        "account_id,name,owner,tier,rev12,margin12,cost12,net_value,reasons",
                        &w, ctx);
    if (e)
        return e;
    for (uint32_t i = 0; i < rep->fire.n; i++) {
        const sf_fire_row *r = &rep->fire.rows[i];
        put_account(w, rep, r->account);
        put_money(w, r->rev12);
        put_money(w, r->margin12);
        put_money(w, r->cost12);
        put_money(w, r->net_value);
        put_bits(w, r->reasons, SF_FIRE_REASON_N, sf_fire_reason_name);
        end_line(w);
    }
    return csv_close(w, ctx);
}

static sf_err write_split(const sf_output_ctx *o, sf_ctx *ctx)
{
    const sf_report *rep = o->rep;
    csv_out *w;
    sf_err e = csv_open(o, "time_split.csv",
                        "owner,key_share,mode,recommended_key,recommended_rest,actual_key,"
                        "actual_other,actual_prospecting", &w, ctx);
    if (e)
        return e;
    for (uint32_t i = 0; i < rep->split.n; i++) {
        const sf_split_row *r = &rep->split.rows[i];
        put(w, r->owner == SF_OWNER_ALL ? "(all)" : owner_name(rep->ds, r->owner));
        put_e4(w, r->key_share);
        put(w, r->mode_new ? "new" : "existing");
        put_e4(w, r->recommended_key);
        put_e4(w, r->recommended_rest);
        put_e4(w, r->actual_key);
        put_e4(w, r->actual_other);
        put_e4(w, r->actual_prospecting);
        end_line(w);
    }
    return csv_close(w, ctx);
}

static sf_err write_pipeline(const sf_output_ctx *o, sf_ctx *ctx)
{
    const sf_report *rep = o->rep;
    const sf_dataset *ds = rep->ds;
    csv_out *w;
    sf_err e = csv_open(o, "pipeline.csv",
                        "opportunity_id,account_id,owner,stage,amount,probability,"
                        "next_step_date,filter1,filter1_misses,filter2,filter2_misses,verdict",
                        &w, ctx);
    if (e)
        return e;
    for (uint32_t i = 0; i < rep->pipeline.n; i++) {
        const sf_pipeline_row *r = &rep->pipeline.rows[i];
        const sf_opportunity *op = &ds->opps[r->opp];
        put(w, op->id);
        put(w, op->account_id);
        put(w, owner_name(ds, op->owner));
        put(w, op->stage);
        put_money(w, op->amount);
        put(w, op->probability_text);
        put_date(w, op->next_step_date);
        put(w, r->f1_misses ? "fail" : "pass");
        put_bits(w, r->f1_misses, SF_F1_MISS_N, sf_f1_miss_name);
        put(w, r->f2_misses ? "fail" : "pass");
        put_bits(w, r->f2_misses, SF_F2_MISS_N, sf_f2_miss_name);
        put(w, sf_verdict_name(r->verdict));
        end_line(w);
    }
    return csv_close(w, ctx);
}

static sf_err write_kpis(const sf_output_ctx *o, sf_ctx *ctx)
{
    const sf_report *rep = o->rep;
    csv_out *w;
    sf_err e = csv_open(o, "rep_kpis.csv",
                        "owner,calls,calls_per_day,conversations,appointments,conv_to_appt,"
                        "proposals,appt_to_proposal,won,lost,close_ratio,median_cycle_days,"
                        "avg_sale", &w, ctx);
    if (e)
        return e;
    for (uint32_t i = 0; i < rep->kpi.n; i++) {
        const sf_kpi_row *r = &rep->kpi.rows[i];
        put(w, owner_name(rep->ds, r->owner));
        put_int(w, r->calls);
        put_e4(w, r->calls_per_day);
        put_int(w, r->conversations);
        put_int(w, r->appointments);
        put_e4(w, r->conv_to_appt);
        put_int(w, r->proposals);
        put_e4(w, r->appt_to_proposal);
        put_int(w, r->won);
        put_int(w, r->lost);
        put_e4(w, r->close_ratio);
        put_int(w, r->median_cycle_days);
        put_money(w, r->avg_sale);
        end_line(w);
    }
    return csv_close(w, ctx);
}

/* rejects.csv order without touching the (const) list: indexes sorted by
 * file, line, then position in the list. */
static const sf_rejects *sort_rj;
static int cmp_reject(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    const sf_reject *x = &sort_rj->v[a], *y = &sort_rj->v[b];
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* The input's base name as the user knows it. */
static const char *file_base(const sf_output_ctx *o, sf_file_kind f)
{
    const char *p = o->cfg->file[f];
    if (!p && o->ds)
        p = o->ds->files[f].path;
    if (!p)
        return sf_file_kind_name(f);
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static sf_err write_rejects(const sf_output_ctx *o, sf_ctx *ctx)
{
    const sf_rejects *rj = o->rejects;
    size_t n = rj ? rj->n : 0;
    size_t *ix = malloc((n ? n : 1) * sizeof *ix);
    if (!ix)
        return sf_ctx_nomem(ctx);
    for (size_t i = 0; i < n; i++)
        ix[i] = i;
    sort_rj = rj;
    if (n)
        qsort(ix, n, sizeof *ix, cmp_reject);
    sort_rj = NULL;

    csv_out *w;
    sf_err e = csv_open(o, "rejects.csv", "file,line,reason,field,action,raw", &w, ctx);
    if (e) {
        free(ix);
        return e;
    }
    for (size_t s = 0; s < n;) {
        /* one record = same file and line; once it is rejected, the lines
         * for fields it kept earlier are moot (SPEC §1.1) */
        size_t end = s + 1;
        bool rejected = !rj->v[ix[s]].kept;
        while (end < n && rj->v[ix[end]].file == rj->v[ix[s]].file &&
               rj->v[ix[end]].line == rj->v[ix[s]].line) {
            rejected |= !rj->v[ix[end]].kept;
            end++;
        }
        for (size_t i = s; i < end; i++) {
            const sf_reject *r = &rj->v[ix[i]];
            if (rejected && r->kept)
                continue;
            put(w, file_base(o, r->file));
            put_int(w, r->line);
            put(w, sf_reject_reason_name(r->reason));
            put(w, r->field);
            put(w, r->kept ? "kept" : "rejected");
            put(w, r->raw);
            end_line(w);
        }
        s = end;
    }
    free(ix);
    return csv_close(w, ctx);
}

sf_err sf_out_csv_rejects(const sf_output_ctx *o, sf_ctx *ctx)
{
    return write_rejects(o, ctx);
}

/* Writes all eight lists. Returns SF_OK, SF_ERR_OUTPUT (ctx names the
 * file) or SF_ERR_NOMEM; on failure the staged temporaries are left for
 * the caller's sf_stage_abort. */
sf_err sf_out_csv(const sf_output_ctx *o, sf_ctx *ctx)
{
    sf_err e;
    if ((e = write_accounts(o, ctx)) != SF_OK || (e = write_cadence(o, ctx)) != SF_OK ||
        (e = write_decline(o, ctx)) != SF_OK || (e = write_fire(o, ctx)) != SF_OK ||
        (e = write_split(o, ctx)) != SF_OK || (e = write_pipeline(o, ctx)) != SF_OK ||
        (e = write_kpis(o, ctx)) != SF_OK || (e = write_rejects(o, ctx)) != SF_OK)
        return e;
    return SF_OK;
}
