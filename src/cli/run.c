/*
 * run.c - the job: config → lock → ingest → analyses → outputs → commit →
 * email, and the check and review commands. This layer (with main.c) is
 * the only one that prints; modules report through sf_ctx.
 */
#include "cli/sf_run.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/sf_settings.h"
#include "config/sf_config.h"
#include "input/sf_ingest.h"
#include "base/sf_lock.h"
#include "base/sf_log.h"
#include "output/sf_output.h"
#include "analysis/sf_report.h"
#include "cli/sf_check.h"

/* Everything one command holds; released by job_release in reverse. */
typedef struct {
    const sf_run_opts *opts;
    sf_config cfg;
    bool cfg_loaded;
    sf_date as_of;
    char *out_dir;
    sf_lock lock;
    sf_lang *lang;
    sf_dataset *ds;
    sf_rejects rejects;
    sf_report rep;
    bool rep_done;
    sf_stage stage;
    sf_ctx ctx;
    sf_settings set;
    bool collect_values; /* check: tally activity types and outcomes too */
} job;

static void timing(const job *j, const char *stage, double t0)
{
    if (j->set.timings)
        fprintf(stderr, "timing: %s %.3f\n", stage, sf_now_s() - t0);
}

static void job_release(job *j)
{
    sf_stage_release(&j->stage);
    if (j->rep_done)
        sf_report_release(&j->rep);
    sf_rejects_release(&j->rejects);
    sf_dataset_free(j->ds);
    sf_lang_free(j->lang);
    sf_lock_release(&j->lock);
    free(j->out_dir);
    if (j->cfg_loaded)
        sf_config_release(&j->cfg);
}

static bool parse_iso(const char *s, sf_date *out)
{
    int y, m, d;
    char tail;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || !sf_date_valid_ymd(y, m, d))
        return false;
    *out = sf_date_from_ymd(y, m, d);
    return true;
}

/* Print the error of ctx and return its exit code. */
static int fail(job *j)
{
    sf_log(SF_LOG_ERROR, "%s", j->ctx.msg);
    return (int)j->ctx.code;
}

/* Config, as-of date, output folder, labels. */
static int job_setup(job *j, bool need_out)
{
    j->lock.fd = -1;
    sf_settings_from_env(&j->set);
    if (sf_config_init(&j->cfg) != SF_OK) {
        sf_log(SF_LOG_ERROR, "out of memory");
        return 1;
    }
    j->cfg_loaded = true;
    if (sf_config_load(&j->cfg, j->opts->config, j->set.share_dir, &j->ctx) != SF_OK)
        return fail(j);
    if (j->opts->as_of) {
        if (!parse_iso(j->opts->as_of, &j->as_of)) {
            sf_ctx_error(&j->ctx, SF_ERR_USAGE, "--as-of '%s': expected a date YYYY-MM-DD", j->opts->as_of);
            return fail(j);
        }
    } else {
        j->as_of = j->cfg.as_of != SF_NODATE ? j->cfg.as_of : sf_date_today();
    }
    if (need_out) {
        j->out_dir = j->opts->out ? sf_strdup(j->opts->out)
                                  : sf_config_expand(&j->cfg, j->cfg.output_dir, j->as_of);
        if (!j->out_dir) {
            sf_ctx_nomem(&j->ctx);
            return fail(j);
        }
    }
    if (sf_lang_load(j->cfg.share_dir, j->cfg.language, &j->lang,
                     &j->ctx) != SF_OK)
        return fail(j);
    return 0;
}

/* Read every input. Returns 0 or an exit code (already reported). */
static int job_ingest(job *j, bool write_rejects_on_limit)
{
    double t0 = sf_now_s();
    j->ds = sf_dataset_new(&j->cfg, j->as_of);
    if (!j->ds) {
        sf_ctx_nomem(&j->ctx);
        return fail(j);
    }
    j->ds->collect_values = j->collect_values;
    sf_err e = sf_ingest(j->ds, &j->cfg, &j->set, &j->rejects, sf_log_progress, NULL, &j->ctx);
    timing(j, "ingest", t0);
    for (int f = 0; j->set.timings && f < SF_FILE_N; f++) {
        const sf_file_stats *st = &j->ds->files[f];
        if (!st->present)
            continue;
        fprintf(stderr, "timing: ingest %s %.3f\n", sf_file_kind_name((sf_file_kind)f), st->seconds);
        if (st->split_at) {
            const char *base = st->path ? strrchr(st->path, '/') : NULL;
            fprintf(stderr, "ingest: %s split at byte %lld, %s\n",
                    base ? base + 1 : (st->path ? st->path : ""), (long long)st->split_at,
                    st->split_note ? st->split_note : "tail not reached");
        }
    }
    if (e == SF_ERR_INPUT && write_rejects_on_limit && j->rejects.over_limit) {
        /* SPEC §1: over the limit, rejects.csv (every file's lines) and
         * nothing else is written, then exit 3. */
        sf_rejects_sort(&j->rejects);
        sf_report only = {.ds = j->ds, .cfg = &j->cfg, .rejects = &j->rejects, .as_of = j->as_of};
        sf_output_ctx o = {.set = &j->set, .cfg = &j->cfg, .ds = j->ds, .rep = &only, .rejects = &j->rejects,
                           .lang = j->lang, .out_dir = j->out_dir, .stage = &j->stage};
        sf_ctx wctx = {0};
        if (sf_out_csv_list(&o, &sf_list_rejects, &wctx) != SF_OK ||
            sf_stage_commit(&j->stage, &wctx) != SF_OK) {
            sf_stage_abort(&j->stage);
            sf_log(SF_LOG_ERROR, "%s", wctx.msg);
        } else {
            sf_log(SF_LOG_INFO, "rejected records written to %s/csv/rejects.csv", j->out_dir);
        }
        return fail(j);
    }
    if (e != SF_OK)
        return fail(j);
    for (int f = 0; f < SF_FILE_N; f++)
        for (size_t w = 0; w < j->ds->files[f].warnings.n; w++)
            sf_log(SF_LOG_WARN, "%s", j->ds->files[f].warnings.v[w]);
    double tf = sf_now_s();
    if (sf_dataset_finish(j->ds, &j->ctx) != SF_OK)
        return fail(j);
    timing(j, "days", tf);
    sf_rejects_sort(&j->rejects);
    return 0;
}

static int job_analyze(job *j)
{
    double t0 = sf_now_s();
    if (sf_analyze(j->ds, &j->cfg, !j->set.single_thread, &j->rep, &j->ctx) != SF_OK)
        return fail(j);
    j->rep_done = true;
    j->rep.rejects = &j->rejects;
    timing(j, "analyses", t0);
    /* the expected-value fit ran inside the analyses, beside the tiers */
    if (j->set.timings && j->rep.clv.enabled)
        fprintf(stderr, "timing: analyses clv %.3f\n", j->rep.clv.seconds);
    for (int i = 0; i < j->rep.n_skipped; i++)
        sf_log(SF_LOG_INFO, "skipped: %s", j->rep.skipped[i]);
    char note[1024];
    for (uint32_t i = 0; !j->collect_values && i < j->rep.quality.n; i++) { /* check prints them */
        if (j->rep.quality.v[i].kind == SF_NOTE_NO_NEXT_STEP)
            continue; /* the "skipped:" line above says it */
        sf_note_text(&j->rep.quality.v[i], note, sizeof note);
        sf_log(SF_LOG_WARN, "%s", note);
    }
    return 0;
}

/* One output of the registry being rendered (on this thread or its own). */
typedef struct {
    const sf_output_def *def;
    sf_output_ctx o;
    sf_stage stage;
    sf_ctx ctx;
    sf_err err;
    double seconds;
} output_job;

static void *output_thread(void *arg)
{
    output_job *oj = arg;
    double t0 = sf_now_s();
    oj->err = oj->def->render(&oj->o, &oj->ctx);
    oj->seconds = sf_now_s() - t0;
    return NULL;
}

static sf_output_ctx output_ctx(job *j, sf_stage *stage)
{
    return (sf_output_ctx){.set = &j->set, .cfg = &j->cfg, .ds = j->ds, .rep = &j->rep,
                           .rejects = &j->rejects, .lang = j->lang, .out_dir = j->out_dir,
                           .stage = stage};
}

/* Render every enabled output of one phase: those with a thread of their
 * own beside the others (each stages into its own area, adopted into the
 * run's after all have finished). Returns 0 or the first failure's exit
 * code (recorded in j->ctx). */
static int render_phase(job *j, sf_output_phase phase)
{
    enum { MAX_OUTPUTS = 16 };
    output_job jobs[MAX_OUTPUTS];
    pthread_t tid[MAX_OUTPUTS];
    bool started[MAX_OUTPUTS];
    size_t n = sf_n_output_defs < MAX_OUTPUTS ? sf_n_output_defs : MAX_OUTPUTS;
    memset(jobs, 0, sizeof jobs);
    memset(started, 0, sizeof started);
    for (size_t i = 0; i < n; i++) {
        output_job *oj = &jobs[i];
        const sf_output_def *d = &sf_output_defs[i];
        if (d->phase != phase || !sf_output_enabled(d, &j->cfg))
            continue;
        oj->def = d;
        oj->o = output_ctx(j, &oj->stage);
        if (!j->set.single_thread && d->own_thread && pthread_create(&tid[i], NULL, output_thread, oj) == 0)
            started[i] = true;
        else
            output_thread(oj);
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        output_job *oj = &jobs[i];
        if (started[i])
            pthread_join(tid[i], NULL);
        if (!oj->def)
            continue;
        if (j->set.timings)
            fprintf(stderr, "timing: output %s %.3f\n", oj->def->name, oj->seconds);
        if (oj->err && rc == 0) {
            sf_ctx_error(&j->ctx, oj->ctx.code, "%s", oj->ctx.msg);
            rc = (int)oj->ctx.code;
        }
        if (sf_stage_adopt(&j->stage, &oj->stage, &j->ctx) != SF_OK && rc == 0)
            rc = (int)j->ctx.code;
        sf_stage_release(&oj->stage);
    }
    return rc;
}

/* The staged outputs, the commit that puts them in place together, then
 * the outputs that need them in place (the email). */
static int run_outputs(job *j)
{
    int rc = render_phase(j, SF_PHASE_STAGED);
    if (rc) {
        sf_stage_abort(&j->stage);
        return fail(j);
    }
    double t0 = sf_now_s();
    if (sf_stage_commit(&j->stage, &j->ctx) != SF_OK)
        return fail(j);
    timing(j, "commit", t0);
    if ((rc = render_phase(j, SF_PHASE_AFTER_COMMIT)) != 0) {
        sf_stage_abort(&j->stage);
        return fail(j);
    }
    return 0;
}

static void print_money(const char *label, int64_t cents)
{
    char b[32];
    sf_fmt_money(cents, b);
    printf("  %-28s %s\n", label, b);
}

/* SPEC §3.8, on stdout. */
static void print_summary(const job *j)
{
    const sf_summary_result *s = &j->rep.summary;
    char d[16], b[32];
    sf_date_iso(j->as_of, d);
    printf("salesfocus summary, as of %s (%s)\n", d, j->cfg.currency);
    print_money("revenue, last 365 days:", s->rev12_total);
    print_money("revenue, 365 days before:", s->rev_prev12_total);
    if (s->growth == SF_NONE) {
        char a[16], why[96];
        sf_date_iso(s->first_tx, a);
        if (s->growth_why == SF_GROWTH_PARTIAL)
            snprintf(why, sizeof why, " (the transactions begin on %s, inside the previous 365 days)", a);
        else
            snprintf(why, sizeof why, " (no revenue in the previous 365 days)");
        printf("  %-28s n/a%s\n", "growth:", why);
    } else {
        sf_fmt_e4(s->growth * 100, b); /* e4 fraction -> percent with 2 decimals */
        char pct[40];
        snprintf(pct, sizeof pct, "%.*s%%", (int)(strlen(b) - 2), b);
        printf("  %-28s %s\n", "growth:", pct);
    }
    for (int t = 0; t < SF_TIER_N; t++) {
        sf_fmt_money(s->tier_revenue[t], b);
        printf("  tier %s: %u accounts, revenue %s\n", sf_tier_name((sf_tier)t), s->tier_accounts[t], b);
    }
    printf("  due contacts: %u   decline alerts: %u (lost %u)   fire candidates: %u\n", s->due_count,
           s->alert_count, s->lost_count, s->fire_count);
    printf("  pipeline: pursue %u, qualify %u, drop %u\n", s->verdict_count[SF_VERDICT_PURSUE],
           s->verdict_count[SF_VERDICT_QUALIFY], s->verdict_count[SF_VERDICT_DROP]);
    for (int f = 0; f < SF_FILE_N; f++) {
        const sf_file_stats *fs = &j->ds->files[f];
        if (!fs->present)
            continue;
        printf("  %s: read %lld, accepted %lld, rejected %lld\n", sf_file_kind_name((sf_file_kind)f),
               (long long)fs->read, (long long)fs->accepted, (long long)fs->rejected);
        for (uint32_t p = 0; fs->n_parts > 1 && p < fs->n_parts; p++) {
            const sf_file_stats *ps = &fs->parts[p];
            const char *base = ps->path ? strrchr(ps->path, '/') : NULL;
            printf("    %s: read %lld, accepted %lld, rejected %lld\n", base ? base + 1 : ps->path,
                   (long long)ps->read, (long long)ps->accepted, (long long)ps->rejected);
        }
    }
    printf("  output: %s\n", j->out_dir);
}

static char *default_lock_path(const job *j)
{
    if (j->cfg.lock_file && *j->cfg.lock_file) {
        /* {output_dir} in the lock path stands for the expanded folder. */
        const char *p = strstr(j->cfg.lock_file, "{output_dir}");
        char *exp = sf_config_expand(&j->cfg, j->cfg.lock_file, j->as_of);
        if (!exp || !p)
            return exp;
        free(exp);
        size_t n = strlen(j->cfg.lock_file) + strlen(j->out_dir) + 1;
        char *s = malloc(n);
        if (!s)
            return NULL;
        snprintf(s, n, "%.*s%s%s", (int)(p - j->cfg.lock_file), j->cfg.lock_file, j->out_dir,
                 p + strlen("{output_dir}"));
        char *e2 = sf_config_expand(&j->cfg, s, j->as_of);
        free(s);
        return e2;
    }
    size_t n = strlen(j->out_dir) + 32;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/../.salesfocus.lock", j->out_dir);
    return s;
}

static int take_lock(job *j)
{
    char *path = default_lock_path(j);
    if (!path) {
        sf_ctx_nomem(&j->ctx);
        return fail(j);
    }
    sf_err e = sf_lock_acquire(&j->lock, path, &j->ctx);
    free(path);
    return e ? fail(j) : 0;
}

/* A scheduled run must never fail silently (SPEC §4): after the config
 * was read, a failure is mailed when email and on_failure are on. */
static int notify_failure(job *j, int rc)
{
    if (rc == 0 || !j->cfg_loaded || !j->cfg.out_email || !j->cfg.on_failure)
        return rc;
    sf_ctx mctx = {0};
    if (sf_out_email_failure(&j->cfg, j->lang, rc, j->ctx.msg, &mctx) != SF_OK)
        sf_log(SF_LOG_ERROR, "failure mail not sent: %s", mctx.msg);
    else
        sf_log(SF_LOG_INFO, "failure mail sent");
    return rc;
}

int sf_cmd_run(const sf_run_opts *opts)
{
    job j;
    memset(&j, 0, sizeof j);
    j.opts = opts;
    double t0 = sf_now_s();
    int rc = job_setup(&j, true);
    if (rc == 0)
        rc = take_lock(&j);
    if (rc == 0)
        rc = job_ingest(&j, true);
    if (rc == 0)
        rc = job_analyze(&j);
    if (rc == 0)
        rc = run_outputs(&j);
    if (rc == 0 && !opts->quiet)
        print_summary(&j);
    timing(&j, "total", t0);
    if (rc != 0 && rc != SF_ERR_USAGE && rc != SF_ERR_LOCK)
        rc = notify_failure(&j, rc);
    job_release(&j);
    return rc;
}

static void print_file_check(const job *j, sf_file_kind f)
{
    const sf_file_stats *fs = &j->ds->files[f];
    const char *kind = sf_file_kind_name(f);
    if (!fs->present) {
        printf("%s: not configured\n", kind);
        return;
    }
    if (fs->n_parts > 1)
        printf("%s: %u files\n", kind, fs->n_parts);
    else
        printf("%s: %s\n", kind, fs->path ? fs->path : "(derived)");
    if (fs->n_parts > 1) {
        sf_check_print_parts(j->ds, f);
    } else {
        printf("  mapping:\n");
        for (int k = 0; k < sf_field_count(f); k++) {
            const char *h = fs->mapped_header[k];
            printf("    %-16s <- %s%s%s%s\n", sf_field_name(f, k), h ? "\"" : "", h ? h : "(unmapped)",
                   h ? "\"" : "", sf_field_required(f, k) ? "  [required]" : "");
        }
    }
    printf("  records: read %lld, accepted %lld, rejected %lld, blank %lld, footer %lld\n", (long long)fs->read,
           (long long)fs->accepted, (long long)fs->rejected, (long long)fs->blank, (long long)fs->footer);
    bool any = false;
    for (int r = 0; r < SF_REJ_N; r++) {
        if (!j->rejects.count[f][r])
            continue;
        printf("%s%s %lld", any ? ", " : "  rejected by reason: ", sf_reject_reason_name((sf_reject_reason)r),
               (long long)j->rejects.count[f][r]);
        any = true;
    }
    if (any)
        printf("\n");
    sf_check_print_examples(&j->cfg, &j->rejects, f, false);
    any = false;
    for (int r = 0; r < SF_REJ_N; r++) {
        if (!j->rejects.kept_count[f][r])
            continue;
        printf("%s%s %lld", any ? ", " : "  kept with a field emptied: ", sf_reject_reason_name((sf_reject_reason)r),
               (long long)j->rejects.kept_count[f][r]);
        any = true;
    }
    if (any)
        printf("\n");
    sf_check_print_examples(&j->cfg, &j->rejects, f, true);
    if (fs->min_date != SF_NODATE) {
        char a[16], b[16];
        sf_date_iso(fs->min_date, a);
        sf_date_iso(fs->max_date, b);
        printf("  dates: %s .. %s\n", a, b);
    }
    for (size_t w = 0; w < fs->warnings.n; w++)
        printf("  warning: %s\n", fs->warnings.v[w]);
}

int sf_cmd_check(const sf_run_opts *opts)
{
    job j;
    memset(&j, 0, sizeof j);
    j.opts = opts;
    j.collect_values = true;
    int rc = job_setup(&j, false);
    if (rc == 0) {
        rc = job_ingest(&j, false);
        if (rc == 0)
            rc = job_analyze(&j);
        if (j.ds && opts->rejects && (rc == 0 || j.rejects.over_limit)) {
            sf_ctx wctx = {0};
            if (sf_check_write_rejects(&j.set, &j.cfg, j.ds, &j.rejects, opts->rejects, &wctx) != SF_OK) {
                sf_log(SF_LOG_ERROR, "%s", wctx.msg);
                if (rc == 0)
                    rc = (int)wctx.code;
            }
        }
        if (j.ds && (rc == 0 || j.rejects.over_limit)) {
            char d[16];
            sf_date_iso(j.as_of, d);
            printf("config: %s%s%s%s\nas of: %s\n", opts->config, j.cfg.preset ? " (preset " : "",
                   j.cfg.preset ? j.cfg.preset : "", j.cfg.preset ? ")" : "", d);
            for (int f = 0; f < SF_FILE_N; f++)
                print_file_check(&j, (sf_file_kind)f);
            uint32_t owners = 0;
            for (uint32_t i = 0; i < j.ds->n_owners; i++)
                owners += j.ds->owner_seen[i];
            printf("accounts: %u%s, owners: %u, opportunities: %u\n", j.ds->n_accounts,
                   j.ds->accounts_derived ? " (derived from transactions)" : "", owners, j.ds->n_opps);
            if (j.ds->n_users)
                printf("users: %u in the users export, %u owner(s) shown by name\n", j.ds->n_users,
                       j.ds->owners_named);
            sf_check_print_values(j.ds);
            if (j.rep_done)
                sf_check_print_notes(&j.rep);
            if (opts->rejects)
                printf("rejects list written to %s (%zu lines)\n", opts->rejects, j.rejects.n);
            printf("%s\n", rc == 0 ? "check: ok" : "check: too many rejected records");
        }
    }
    job_release(&j);
    return rc;
}

int sf_cmd_review(const sf_run_opts *opts)
{
    job j;
    memset(&j, 0, sizeof j);
    j.opts = opts;
    int rc = job_setup(&j, true);
    if (rc == 0)
        rc = job_ingest(&j, false);
    if (rc == 0)
        rc = job_analyze(&j);
    if (rc == 0) {
        sf_output_ctx o = {.set = &j.set, .cfg = &j.cfg, .ds = j.ds, .rep = &j.rep, .rejects = &j.rejects, .lang = j.lang,
                           .out_dir = j.out_dir, .stage = &j.stage};
        uint32_t found = 0;
        for (uint32_t k = 0; k < j.ds->n_owners && rc == 0; k++) {
            uint32_t id = j.ds->owner_order[k];
            if (!j.ds->owner_seen[id])
                continue;
            if (!opts->all_owners && strcmp(j.ds->owners[id], opts->owner) != 0)
                continue;
            found++;
            if (sf_out_review(&o, id, &j.ctx) != SF_OK)
                rc = fail(&j);
        }
        if (rc == 0 && found == 0) {
            sf_ctx_error(&j.ctx, SF_ERR_USAGE, "owner '%s' not found in the data", opts->owner ? opts->owner : "");
            rc = fail(&j);
        }
        if (rc == 0 && sf_stage_commit(&j.stage, &j.ctx) != SF_OK)
            rc = fail(&j);
        if (rc == 0 && !opts->quiet)
            printf("review packs: %u written to %s\n", found, j.out_dir);
        if (rc)
            sf_stage_abort(&j.stage);
    }
    job_release(&j);
    return rc;
}
