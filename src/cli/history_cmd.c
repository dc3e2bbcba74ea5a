/*
 * history_cmd.c - the history store as the commands use it (SPEC §7):
 * its path for a config, loading and storing through the history layer,
 * the lines `check` prints about it, and `salesfocus history`.
 */
#include "cli/sf_history_cmd.h"
#include "cli/sf_job.h"

#include <limits.h>
#include <pthread.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_report.h"
#include "base/sf_log.h"
#include "base/sf_settings.h"

/* p with "." and "dir/.." resolved lexically: the default
 * "{output_dir}/../history.sqlite" must name the same file whether or not
 * this run's dated folder exists yet (the kernel would need it). malloc'd;
 * NULL on out of memory. */
char *sf_cli_normalize_path(const char *p)
{
    bool abs = p[0] == '/';
    char *out = malloc(strlen(p) + 4);
    if (!out)
        return NULL;
    size_t w = 0, depth = 0; /* depth: components of out that ".." may remove */
    if (abs)
        out[w++] = '/';
    for (const char *seg = p; *seg;) {
        while (*seg == '/')
            seg++;
        size_t len = strcspn(seg, "/");
        if (len == 0 || (len == 1 && seg[0] == '.')) {
            /* nothing */
        } else if (len == 2 && seg[0] == '.' && seg[1] == '.' && depth > 0) {
            w--; /* the '/' after the last component, then the component */
            while (w > (size_t)abs && out[w - 1] != '/')
                w--;
            depth--;
        } else if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            if (!abs) {
                memcpy(out + w, "../", 3);
                w += 3;
            }
        } else {
            memcpy(out + w, seg, len);
            w += len;
            out[w++] = '/';
            depth++;
        }
        seg += len;
    }
    if (w > (size_t)abs && out[w - 1] == '/')
        w--;
    if (w == 0)
        out[w++] = '.';
    out[w] = '\0';
    return out;
}

/* tmpl with "{output_dir}" replaced by out_dir, then {as_of} and {period}
 * (as the lock file's path). malloc'd, NULL on out of memory. */
static char *expand_path(const sf_config *cfg, const char *tmpl, const char *out_dir, sf_date as_of)
{
    static const char key[] = "{output_dir}";
    size_t n = strlen(tmpl) + 1, k = strlen(key), o = strlen(out_dir);
    for (const char *p = tmpl; (p = strstr(p, key)); p += k)
        n += o;
    char *s = malloc(n);
    if (!s)
        return NULL;
    size_t w = 0;
    for (const char *p = tmpl; *p;) {
        if (strncmp(p, key, k) == 0) {
            memcpy(s + w, out_dir, o);
            w += o;
            p += k;
        } else {
            s[w++] = *p++;
        }
    }
    s[w] = '\0';
    char *e = sf_config_expand(cfg, s, as_of);
    free(s);
    char *norm = e ? sf_cli_normalize_path(e) : NULL;
    free(e);
    return norm;
}

sf_err sf_cli_history_init(sf_cli_history *hc, const sf_config *cfg, const char *out_dir, sf_date as_of,
                           sf_ctx *ctx)
{
    memset(hc, 0, sizeof *hc);
    char abs[PATH_MAX];
    const char *cp = cfg->path ? cfg->path : "";
    hc->path = expand_path(cfg, cfg->history_path ? cfg->history_path : "", out_dir ? out_dir : ".", as_of);
    hc->config_abs = sf_strdup(realpath(cp, abs) ? abs : cp);
    hc->rules = sf_config_rules(cfg);
    if (!hc->path || !hc->config_abs || !hc->rules) {
        sf_cli_history_release(hc);
        return sf_ctx_nomem(ctx);
    }
    sf_config_fingerprint(hc->rules, hc->fingerprint);
    return SF_OK;
}

void sf_cli_history_release(sf_cli_history *hc)
{
    if (!hc)
        return;
    free(hc->path);
    free(hc->config_abs);
    free(hc->rules);
    memset(hc, 0, sizeof *hc);
}

/* The runs a review pack's strip shows before this one. */
#define STRIP_STORED (SF_HIST_STRIP_MAX - 1)

sf_err sf_cli_history_load(const sf_cli_history *hc, sf_history_mode mode, sf_date T, const sf_config *cfg,
                           const sf_dataset *ds, sf_history_view *view, sf_ctx *ctx)
{
    sf_history *h = NULL;
    sf_err rc = sf_history_open(hc->path, hc->config_abs, mode, &h, ctx);
    if (!rc)
        rc = sf_history_load(h, T, cfg->history_trend_runs, ds, ds ? STRIP_STORED : 0, view, ctx);
    sf_history_close(h);
    if (!rc)
        memcpy(view->fingerprint, hc->fingerprint, sizeof view->fingerprint);
    return rc;
}

sf_err sf_cli_history_store(const sf_cli_history *hc, const sf_config *cfg, const sf_hist_run *run, sf_ctx *ctx)
{
    sf_history *h = NULL;
    sf_err rc = sf_history_open(hc->path, hc->config_abs, SF_HIST_CREATE, &h, ctx);
    if (!rc)
        rc = sf_history_put(h, run, hc->rules, cfg->currency, cfg->history_keep_runs, ctx);
    sf_history_close(h);
    return rc;
}

/* ---- on threads of their own --------------------------------------------------- */

static void *loader_main(void *arg)
{
    sf_cli_history_loader *l = arg;
    sf_history *h = NULL;
    l->rc = sf_history_open(l->hc->path, l->hc->config_abs, SF_HIST_UPDATE, &h, &l->ctx);
    if (!l->rc)
        l->rc = sf_history_load(h, l->T, l->cfg->history_trend_runs, NULL, 0, l->view, &l->ctx);
    if (!l->rc)
        memcpy(l->view->fingerprint, l->hc->fingerprint, sizeof l->view->fingerprint);
    /* the send log of the same store (after its migration) */
    if (!l->rc && l->mail)
        l->rc = sf_history_mail_memory(h, l->T, l->cfg->repeat_after_weeks, l->mail, &l->ctx);
    sf_history_close(h);
    return NULL;
}

void sf_cli_history_load_begin(sf_cli_history_loader *l, const sf_cli_history *hc, const sf_config *cfg,
                               sf_date T, sf_history_view *view, sf_mail_memory *mail, bool threaded)
{
    memset(l, 0, sizeof *l);
    *l = (sf_cli_history_loader){.hc = hc, .cfg = cfg, .T = T, .view = view, .mail = mail, .active = true};
    l->threaded = threaded && pthread_create(&l->tid, NULL, loader_main, l) == 0;
    if (!l->threaded)
        loader_main(l);
}

sf_err sf_cli_history_load_end(sf_cli_history_loader *l, sf_ctx *ctx)
{
    if (!l->active)
        return SF_OK;
    if (l->threaded)
        pthread_join(l->tid, NULL);
    l->active = false;
    if (l->rc)
        sf_ctx_error(ctx, l->rc, "%s", l->ctx.msg);
    return l->rc;
}

/* The store opened (created when missing) and the transaction's writes,
 * on disk before the COMMIT is asked for. */
static void writer_prepare(sf_cli_history_writer *w)
{
    w->rc = sf_history_open(w->hc->path, w->hc->config_abs, SF_HIST_CREATE, &w->h, &w->ctx);
    if (!w->rc)
        w->rc = sf_history_put_begin(w->h, w->run, w->hc->rules, w->cfg->currency, w->cfg->history_keep_runs,
                                     &w->ctx);
    if (!w->rc)
        sf_history_presync(w->h);
}

/* COMMIT or ROLLBACK. */
static void writer_decide(sf_cli_history_writer *w, bool commit)
{
    if (w->h && !w->rc)
        w->rc = sf_history_put_end(w->h, commit, &w->ctx);
}

/* The WAL into the file, close; a store created for a run not committed
 * goes again (the path holds no store, as before). */
static void writer_close(sf_cli_history_writer *w, bool commit)
{
    if (w->h && !w->rc && commit)
        sf_history_checkpoint(w->h);
    bool created = sf_history_created(w->h);
    sf_history_close(w->h);
    w->h = NULL;
    if (created && (w->rc || !commit)) {
        size_t n = strlen(w->hc->path) + 8;
        char *side = malloc(n);
        unlink(w->hc->path);
        for (int i = 0; side && i < 2; i++) {
            snprintf(side, n, "%s-%s", w->hc->path, i ? "shm" : "wal");
            unlink(side);
        }
        free(side);
    }
}

static void *writer_main(void *arg)
{
    sf_cli_history_writer *w = arg;
    sf_thread_background(); /* beside the outputs: the workbook is the longest */
    writer_prepare(w);
    pthread_mutex_lock(&w->mu);
    while (!w->auto_commit && w->decision == 0)
        pthread_cond_wait(&w->cv, &w->mu);
    bool commit = w->auto_commit || w->decision == 1;
    pthread_mutex_unlock(&w->mu);
    writer_decide(w, commit);
    pthread_mutex_lock(&w->mu);
    w->committed = true;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    writer_close(w, commit);
    return NULL;
}

void sf_cli_history_store_begin(sf_cli_history_writer *w, const sf_cli_history *hc, const sf_config *cfg,
                                const sf_hist_run *run, bool threaded, bool auto_commit)
{
    memset(w, 0, sizeof *w);
    w->hc = hc;
    w->cfg = cfg;
    w->run = run;
    w->auto_commit = auto_commit;
    w->active = true;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->threaded = threaded && pthread_create(&w->tid, NULL, writer_main, w) == 0;
    if (!w->threaded)
        writer_prepare(w);
}

sf_err sf_cli_history_store_end(sf_cli_history_writer *w, bool commit, sf_ctx *ctx)
{
    if (!w->active)
        return SF_OK;
    if (w->threaded) {
        pthread_mutex_lock(&w->mu);
        if (w->decision == 0)
            w->decision = commit ? 1 : 2;
        pthread_cond_broadcast(&w->cv);
        while (!w->committed)
            pthread_cond_wait(&w->cv, &w->mu);
        pthread_mutex_unlock(&w->mu);
    } else if (!w->committed) {
        commit = w->auto_commit || commit;
        writer_decide(w, commit);
        w->committed = true;
        writer_close(w, commit);
    }
    if (w->rc && ctx)
        sf_ctx_error(ctx, w->rc, "%s", w->ctx.msg);
    return w->rc;
}

void sf_cli_history_store_join(sf_cli_history_writer *w)
{
    if (!w->active)
        return;
    sf_cli_history_store_end(w, false, NULL); /* rolls back when not decided yet */
    if (w->threaded)
        pthread_join(w->tid, NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    w->active = false;
}

/* The analyses as of each date and the run into the store: a date's
 * rows are written (and committed) on a thread of their own while the
 * next date is analysed; its snapshot borrows only the dataset's strings,
 * which do not change with the date. */
sf_err sf_cli_history_backfill(const sf_cli_history *hc, sf_dataset *ds, const sf_config *cfg,
                               const sf_rejects *rejects, bool threaded, sf_date from, sf_date to, long every,
                               unsigned *stored, sf_ctx *ctx)
{
    sf_hist_run runs[2];
    memset(runs, 0, sizeof runs);
    sf_cli_history_writer hw;
    memset(&hw, 0, sizeof hw);
    char pending[16] = "";
    int slot = 0;
    sf_err e = SF_OK;
    for (sf_date t = from; !e && t <= to; t = (sf_date)(t + every), slot ^= 1) {
        sf_report rep;
        memset(&rep, 0, sizeof rep);
        if ((e = sf_dataset_at(ds, t, ctx)) != SF_OK || (e = sf_analyze(ds, cfg, threaded, &rep, ctx)) != SF_OK)
            break;
        rep.rejects = rejects;
        e = sf_history_snapshot(&rep, &runs[slot]);
        sf_report_release(&rep);
        if (e != SF_OK) {
            e = sf_ctx_nomem(ctx);
            break;
        }
        memcpy(runs[slot].fingerprint, hc->fingerprint, sizeof runs[slot].fingerprint);
        /* the previous date's rows are in: its snapshot may go */
        e = sf_cli_history_store_end(&hw, true, ctx);
        sf_cli_history_store_join(&hw);
        if (e != SF_OK)
            break;
        if (*pending) {
            sf_log(SF_LOG_INFO, "stored the run as of %s", pending);
            (*stored)++;
        }
        sf_hist_run_release(&runs[slot ^ 1]);
        sf_date_iso(t, pending);
        sf_cli_history_store_begin(&hw, hc, cfg, &runs[slot], threaded, true);
    }
    if (!e)
        e = sf_cli_history_store_end(&hw, true, ctx);
    sf_cli_history_store_join(&hw); /* after a failure: roll back the date in flight */
    if (!e && *pending) {
        sf_log(SF_LOG_INFO, "stored the run as of %s", pending);
        (*stored)++;
    }
    sf_hist_run_release(&runs[0]);
    sf_hist_run_release(&runs[1]);
    return e;
}

/* The run's summary lines of SPEC §7: what changed since P, by kind. */
void sf_cli_history_print(const sf_history_result *h, const char *path)
{
    if (h->first_run) {
        printf("  history: first run, nothing to compare with (store %s)\n", path);
        return;
    }
    char d[16];
    sf_date_iso(h->since, d);
    printf("  changes since %s: %zu", d, h->n - h->rules_changed);
    const char *sep = " (";
    for (int k = SF_CHG_RULES_CHANGED + 1; k < SF_CHG_N; k++) {
        if (!h->count[k])
            continue;
        printf("%s%s %u", sep, sf_change_name((sf_change_kind)k), h->count[k]);
        sep = ", ";
    }
    printf("%s\n", *sep == ',' ? ")" : "");
    if (h->rules_changed)
        printf("  the rules changed since %s: some moves may come from the new settings, not from the clients\n", d);
}

sf_err sf_cli_history_check(const sf_cli_history *hc, sf_ctx *ctx)
{
    sf_history *h = NULL;
    sf_err rc = sf_history_open(hc->path, hc->config_abs, SF_HIST_READ, &h, ctx);
    if (rc) {
        printf("history: %s: %s\n", hc->path, ctx->msg);
        return rc;
    }
    if (!h) {
        printf("history: %s: no store yet (the first run creates it)\n", hc->path);
        return SF_OK;
    }
    sf_history_state st;
    rc = sf_history_state_of(h, &st, ctx);
    if (!rc) {
        char a[16], b[16];
        sf_date_iso(st.first, a);
        sf_date_iso(st.last, b);
        printf("history: %s: schema %d, %lld run%s", hc->path, st.schema, (long long)st.runs,
               st.runs == 1 ? "" : "s");
        if (st.runs)
            printf(", as of %s .. %s (last)", a, b);
        printf(", rules %s\n", hc->fingerprint);
    }
    sf_history_close(h);
    return rc;
}

/* ---- salesfocus history ------------------------------------------------------------ */

static void print_runs(const sf_history_listed *r, size_t n, const char *fingerprint)
{
    printf("%-10s  %-20s  %-16s %9s %14s %6s %6s %6s %6s %6s %6s %6s %6s %6s %7s %6s\n", "as_of", "stored_at",
           "rules", "accounts", "rev12", "A", "B", "C", "D", "cold_a", "due", "alerts", "fire", "pursue",
           "qualify", "drop");
    for (size_t i = 0; i < n; i++) {
        const sf_hist_figures *f = &r[i].fig;
        char d[16], m[32];
        sf_date_iso(r[i].as_of, d);
        sf_fmt_money(f->rev12, m);
        printf("%-10s  %-20s  %-16s%s%9u %14s %6u %6u %6u %6u %6u %6u %6u %6u %6u %7u %6u\n", d, r[i].stored_at,
               r[i].fingerprint, strcmp(r[i].fingerprint, fingerprint) == 0 ? " " : "*", f->accounts, m,
               f->tier_accounts[0], f->tier_accounts[1], f->tier_accounts[2], f->tier_accounts[3], f->cold_a, f->due,
               f->alerts, f->fire, f->verdicts[0], f->verdicts[1], f->verdicts[2]);
    }
}

static int history_account(sf_history *h, const char *id, sf_ctx *ctx)
{
    sf_history_account_row *rows = NULL;
    size_t n = 0;
    if (sf_history_account(h, id, &rows, &n, ctx) != SF_OK)
        return (int)ctx->code;
    if (n == 0) {
        free(rows);
        sf_ctx_error(ctx, SF_ERR_USAGE, "account '%s' is in none of the stored runs", id);
        return SF_ERR_USAGE;
    }
    printf("account %s: %s\n", id, rows[n - 1].name);
    printf("%-10s  %-4s  %-11s %14s  %s\n", "as_of", "tier", "temperature", "rev12", "owner");
    for (size_t i = 0; i < n; i++) {
        char d[16], m[32];
        sf_date_iso(rows[i].as_of, d);
        sf_fmt_money(rows[i].rev12, m);
        printf("%-10s  %-4s  %-11s %14s  %s\n", d, sf_tier_name((sf_tier)rows[i].tier),
               sf_temp_name((sf_temp)rows[i].temp), m, rows[i].owner);
    }
    free(rows);
    return 0;
}

static bool parse_date(const char *s, sf_date *out)
{
    int y, m, d;
    char tail;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || !sf_date_valid_ymd(y, m, d))
        return false;
    *out = sf_date_from_ymd(y, m, d);
    return true;
}

sf_err sf_cli_backfill_range(const sf_run_opts *o, sf_date to, sf_date *from, long *every, sf_ctx *ctx)
{
    char *end = NULL;
    if (!parse_date(o->from, from))
        return sf_ctx_error(ctx, SF_ERR_USAGE, "--from '%s': expected a date YYYY-MM-DD", o->from);
    if (o->every && ((*every = strtol(o->every, &end, 10)) < 1 || *every > 3650 || *end || end == o->every))
        return sf_ctx_error(ctx, SF_ERR_USAGE, "--every '%s': expected a whole number of days from 1 to 3650",
                            o->every);
    if (*from > to) {
        char a[16], b[16];
        sf_date_iso(*from, a);
        sf_date_iso(to, b);
        return sf_ctx_error(ctx, SF_ERR_USAGE, "--from %s is after the last date %s", a, b);
    }
    return SF_OK;
}

int sf_cmd_history(const sf_run_opts *o)
{
    sf_settings set;
    sf_settings_from_env(&set);
    sf_config cfg;
    sf_ctx ctx = {0};
    sf_cli_history hc = {0};
    sf_history *h = NULL;
    char *out_dir = NULL;
    int rc = 0;
    if (sf_config_init(&cfg) != SF_OK) {
        sf_log(SF_LOG_ERROR, "out of memory");
        return 1;
    }
    sf_date T = sf_date_today();
    if (sf_config_load(&cfg, o->config, set.share_dir, &ctx) != SF_OK)
        goto fail;
    if (o->as_of && !parse_date(o->as_of, &T)) {
        sf_ctx_error(&ctx, SF_ERR_USAGE, "--as-of '%s': expected a date YYYY-MM-DD", o->as_of);
        goto fail;
    }
    if (!o->as_of && cfg.as_of != SF_NODATE)
        T = cfg.as_of;
    out_dir = o->out ? sf_strdup(o->out) : sf_config_expand(&cfg, cfg.output_dir, T);
    if (!out_dir) {
        sf_ctx_nomem(&ctx);
        goto fail;
    }
    if (sf_cli_history_init(&hc, &cfg, out_dir, T, &ctx) != SF_OK ||
        sf_history_open(hc.path, hc.config_abs, SF_HIST_READ, &h, &ctx) != SF_OK)
        goto fail;
    if (!h) {
        printf("no history store yet at %s: `salesfocus run` or `salesfocus backfill` creates it\n", hc.path);
    } else if (o->account) {
        if ((rc = history_account(h, o->account, &ctx)) != 0)
            goto fail;
    } else {
        sf_history_listed *rows = NULL;
        size_t n = 0;
        if (sf_history_list(h, &rows, &n, &ctx) != SF_OK)
            goto fail;
        printf("history store %s: %zu run%s (rules marked * differ from this config's)\n", hc.path, n,
               n == 1 ? "" : "s");
        print_runs(rows, n, hc.fingerprint);
        free(rows);
    }
    goto done;
fail:
    sf_log(SF_LOG_ERROR, "%s", ctx.msg);
    rc = (int)ctx.code;
done:
    sf_history_close(h);
    sf_cli_history_release(&hc);
    free(out_dir);
    sf_config_release(&cfg);
    if (rc == 0 && fflush(stdout) != 0) {
        fprintf(stderr, "salesfocus: cannot write to standard output\n");
        rc = SF_ERR_OUTPUT;
    }
    return rc;
}

/* `salesfocus backfill` (SPEC §7): the inputs read once, then for each
 * date from, from + every, ... <= to the figures as of that date, the
 * analyses and the run into the store (one transaction per date), as
 * `run --as-of` of that date stores it; no report is written. Under the
 * run's lock. */
int sf_cmd_backfill(const sf_run_opts *opts)
{
    sf_job j;
    memset(&j, 0, sizeof j);
    sf_run_opts o = *opts;
    o.as_of = opts->to; /* T: --to, else [run] as_of, else today */
    j.opts = &o;
    sf_date from = SF_NODATE;
    long every = 7;
    int rc = sf_job_setup(&j, true);
    if (rc == 0 && sf_cli_backfill_range(opts, j.as_of, &from, &every, &j.ctx) != SF_OK)
        rc = sf_job_fail(&j);
    if (rc == 0 && !j.cfg.history_enabled) {
        sf_ctx_error(&j.ctx, SF_ERR_USAGE, "%s: [history] enabled = no: there is no store to fill",
                     opts->config);
        rc = sf_job_fail(&j);
    }
    if (rc == 0)
        rc = sf_job_lock(&j);
    if (rc == 0)
        rc = sf_job_ingest(&j, false);
    if (rc == 0 && sf_cli_history_init(&j.hist, &j.cfg, j.out_dir, j.as_of, &j.ctx) != SF_OK)
        rc = sf_job_fail(&j);
    unsigned stored = 0;
    if (rc == 0 && sf_cli_history_backfill(&j.hist, j.ds, &j.cfg, &j.rejects, !j.set.single_thread, from, j.as_of,
                                           every, &stored, &j.ctx) != SF_OK)
        rc = sf_job_fail(&j);
    if (rc == 0 && !opts->quiet)
        printf("backfill: %u run%s stored in %s\n", stored, stored == 1 ? "" : "s", j.hist.path);
    sf_job_release(&j);
    return rc;
}
