/*
 * run.c - the job: config → lock → ingest → analyses → outputs → commit →
 * email (the run command), and the steps the other commands share
 * (sf_job.h). This layer (with main.c) is the only one that prints;
 * modules report through sf_ctx.
 */
#include "cli/sf_job.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "base/sf_lock.h"
#include "base/sf_log.h"
#include "cli/sf_limit.h"
#include "input/sf_ingest.h"

/* A stage's wall time, then the process's CPU time (user + sys, every
 * thread) and peak RSS so far: make bench takes each stage's CPU as the
 * difference from the stage before. */
void sf_job_timing(const sf_job *j, const char *stage, double t0)
{
    struct rusage ru;
    if (j->set.timings && getrusage(RUSAGE_SELF, &ru) == 0)
        fprintf(stderr, "timing: %s %.3f cpu %.3f peak_mb %ld\n", stage, sf_now_s() - t0,
                (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
                ru.ru_maxrss / 1024);
}

void sf_job_release(sf_job *j)
{
    free(j->spool_dir);
    sf_strlist_clear(&j->notices);
    sf_stage_release(&j->stage);
    sf_cli_mail_log_close(&j->mlog); /* after the stage: its pending mails log through it */
    sf_ctx ignored = {0};
    sf_cli_history_load_end(&j->hl, &ignored);     /* a run that failed: wait, */
    sf_cli_history_store_join(&j->hw);            /* roll its store back, or let it close */
    if (j->rep_done)
        sf_report_release(&j->rep);
    sf_history_view_release(&j->hview);
    sf_mail_memory_release(&j->mail_mem);
    sf_cli_history_release(&j->hist);
    sf_rejects_release(&j->rejects);
    sf_dataset_free(j->ds);
    sf_lang_free(j->lang);
    if (j->is_child)
        sf_lock_forget(&j->lock);
    else
        sf_lock_release(&j->lock);
    free(j->out_dir);
    if (j->cfg_loaded)
        sf_config_release(&j->cfg);
    sf_preset_choice_release(&j->auto_preset);
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
int sf_job_fail(sf_job *j)
{
    sf_log(SF_LOG_ERROR, "%s", j->ctx.msg);
    return (int)j->ctx.code;
}

/* The lists write dates up to the longest contact interval after T
 * (next_due; every other date is T or earlier, or as read): past
 * 9999-12-31 they would need a fifth digit of year. Such an as-of date is
 * a configuration error naming the latest one allowed. */
static int check_as_of(sf_job *j)
{
    int64_t reach = 0;
    for (int t = 0; t < SF_TIER_N; t++)
        if (j->cfg.cadence_days[t] > reach)
            reach = j->cfg.cadence_days[t];
    const sf_date last = sf_date_from_ymd(9999, 12, 31);
    if ((int64_t)j->as_of + reach <= last)
        return 0;
    char t[16], l[16];
    sf_date_iso(j->as_of, t);
    sf_date_iso((sf_date)(last - reach), l);
    sf_ctx_error(&j->ctx, SF_ERR_USAGE,
                 "as-of %s: the next contact dates would pass 9999-12-31 (the longest [cadence] interval is %lld "
                 "days); the latest as-of date this configuration allows is %s",
                 t, (long long)reach, l);
    return sf_job_fail(j);
}

/* [input] preset = auto: choose from the files, load the config again with
 * the preset chosen, and say which and how well each matched (in the log;
 * check prints it with the mapping instead). */
static int choose_preset(sf_job *j, bool log)
{
    if (sf_preset_choose(&j->cfg, &j->auto_preset, &j->ctx) != SF_OK)
        return sf_job_fail(j);
    const sf_preset_choice *c = &j->auto_preset;
    char line[256];
    sf_preset_score_text(&c->v[c->chosen], line, sizeof line);
    if (log)
        sf_log(SF_LOG_INFO, "preset auto: %s%s", *c->v[c->chosen].name ? "" : "none, ", line);
    for (size_t i = 0; log && i < c->n; i++) {
        if (i == c->chosen)
            continue;
        sf_preset_score_text(&c->v[i], line, sizeof line);
        sf_log(SF_LOG_INFO, "preset auto: not chosen: %s", line);
    }
    sf_config_release(&j->cfg);
    if (sf_config_init(&j->cfg) != SF_OK) {
        j->cfg_loaded = false;
        sf_ctx_nomem(&j->ctx);
        return sf_job_fail(j);
    }
    if (sf_config_load_auto(&j->cfg, j->opts->config, j->set.share_dir, c->v[c->chosen].name, &j->ctx) != SF_OK)
        return sf_job_fail(j);
    return 0;
}

/* Config, as-of date, output folder, labels. */
int sf_job_setup(sf_job *j, bool need_out)
{
    j->lock.fd = -1;
    sf_settings_from_env(&j->set);
    if (sf_config_init(&j->cfg) != SF_OK) {
        sf_log(SF_LOG_ERROR, "out of memory");
        return 1;
    }
    j->cfg_loaded = true;
    if (sf_config_load(&j->cfg, j->opts->config, j->set.share_dir, &j->ctx) != SF_OK)
        return sf_job_fail(j);
    int rc;
    if (j->cfg.preset_auto && (rc = choose_preset(j, need_out)) != 0)
        return rc;
    if (j->opts->as_of) {
        if (!parse_iso(j->opts->as_of, &j->as_of)) {
            sf_ctx_error(&j->ctx, SF_ERR_USAGE, "--as-of '%s': expected a date YYYY-MM-DD", j->opts->as_of);
            return sf_job_fail(j);
        }
    } else {
        j->as_of = j->cfg.as_of != SF_NODATE ? j->cfg.as_of : sf_date_today();
    }
    int arc = check_as_of(j);
    if (arc)
        return arc;
    if (need_out) {
        j->out_dir = j->opts->out ? sf_strdup(j->opts->out)
                                  : sf_config_expand(&j->cfg, j->cfg.output_dir, j->as_of);
        if (!j->out_dir) {
            sf_ctx_nomem(&j->ctx);
            return sf_job_fail(j);
        }
    }
    if (sf_lang_load(j->cfg.share_dir, j->cfg.language, &j->lang,
                     &j->ctx) != SF_OK)
        return sf_job_fail(j);
    return 0;
}

static int job_history_start(sf_job *j);

/* With [outputs] email = yes, every template the mails may use, checked
 * without data (a typo is found before anything is read or written).
 * Returns 0 or the exit code (reported); say: print the outcome (check). */
int sf_job_check_templates(sf_job *j, bool say)
{
    if (!j->cfg.out_email) {
        if (say)
            printf("mail templates: not used ([outputs] email = no)\n");
        return 0;
    }
    if (sf_out_email_check(&j->cfg, j->lang, &j->ctx) != SF_OK) {
        j->template_error = true;
        return sf_job_fail(j);
    }
    if (say)
        printf("mail templates: ok\n");
    return 0;
}

/* Read every input. Returns 0 or an exit code (already reported). */
int sf_job_ingest(sf_job *j, bool write_rejects_on_limit)
{
    double t0 = sf_now_s();
    j->ds = sf_dataset_new(&j->cfg, j->as_of);
    if (!j->ds) {
        sf_ctx_nomem(&j->ctx);
        return sf_job_fail(j);
    }
    j->ds->collect_values = j->collect_values;
    j->ds->two_threads = !j->set.single_thread;
    /* the rejected lines are spooled in the run's own folder, or beside
     * the file of `check --rejects FILE`; check alone only counts them */
    if (sf_rejects_init(&j->rejects, j->stage.began ? sf_stage_work_dir(&j->stage) : j->spool_dir, &j->ctx) != SF_OK)
        return sf_job_fail(j);
    /* the previous run is read from the store while the inputs are: the
     * users and accounts files are read on one thread (the readers' index
     * of the account ids needs them all), and the store's reader takes
     * the other core meanwhile; its errors are reported when it is joined
     * (job_history_loaded), after the inputs' */
    int rc;
    if (j->load_history && (rc = job_history_start(j)) != 0)
        return rc;
    sf_err e = sf_ingest(j->ds, &j->cfg, &j->set, &j->rejects, sf_log_progress, NULL, &j->ctx);
    sf_job_timing(j, "ingest", t0);
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
        sf_report only = {.ds = j->ds, .cfg = &j->cfg, .rejects = &j->rejects, .as_of = j->as_of};
        sf_output_ctx o = {.set = &j->set, .cfg = &j->cfg, .ds = j->ds, .rep = &only, .rejects = &j->rejects,
                           .lang = j->lang, .out_dir = j->out_dir, .stage = &j->stage};
        sf_ctx wctx = {0};
        if (j->stage.began && (sf_out_csv_list(&o, &sf_list_rejects, &wctx) != SF_OK ||
                               sf_stage_commit(&j->stage, &wctx) != SF_OK)) {
            sf_stage_abort(&j->stage);
            sf_log(SF_LOG_ERROR, "%s", wctx.msg);
        } else if (j->stage.switched) {
            sf_limit_placed(j->placed_fd);
            j->rejects_only = true;
            sf_log(SF_LOG_INFO, "rejected records written to %s/csv/rejects.csv", j->out_dir);
        }
        return sf_job_fail(j);
    }
    if (e != SF_OK)
        return sf_job_fail(j);
    for (int f = 0; f < SF_FILE_N; f++)
        for (size_t w = 0; w < j->ds->files[f].warnings.n; w++)
            sf_log(SF_LOG_WARN, "%s", j->ds->files[f].warnings.v[w]);
    double tf = sf_now_s();
    if (sf_dataset_finish(j->ds, &j->ctx) != SF_OK)
        return sf_job_fail(j);
    sf_job_timing(j, "days", tf);
    return 0;
}

int sf_job_analyze(sf_job *j)
{
    double t0 = sf_now_s();
    if (sf_analyze(j->ds, &j->cfg, !j->set.single_thread, &j->rep, &j->ctx) != SF_OK)
        return sf_job_fail(j);
    j->rep_done = true;
    j->rep.rejects = &j->rejects;
    sf_job_timing(j, "analyses", t0);
    /* the expected-value fit ran inside the analyses, beside the tiers */
    if (j->set.timings && j->rep.clv.enabled)
        fprintf(stderr, "timing: analyses clv %.3f\n", j->rep.clv.seconds);
    double t1 = sf_now_s();
    if (j->hist_on && sf_analyze_history(&j->rep, &j->hview, &j->ctx) != SF_OK)
        return sf_job_fail(j);
    if (j->hist_on)
        sf_job_timing(j, "history changes", t1);
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

/* SPEC §7: the store's path and rules for this run, and what it holds
 * for a run at T (with the review pack's strip when strip). A store a run
 * could not use fails here, before any output is written. */
int sf_job_history_load(sf_job *j, sf_history_mode mode, bool strip)
{
    if (!j->cfg.history_enabled)
        return 0;
    double t0 = sf_now_s();
    if (sf_cli_history_init(&j->hist, &j->cfg, j->out_dir, j->as_of, &j->ctx) != SF_OK ||
        sf_cli_history_load(&j->hist, mode, j->as_of, &j->cfg, strip ? j->ds : NULL, &j->hview, &j->ctx) != SF_OK)
        return sf_job_fail(j);
    j->hist_on = true;
    sf_job_timing(j, "history load", t0);
    return 0;
}

/* `run`: the same, under the run's lock, on a thread of its own while the
 * inputs are read and the days summed (sf_job_ingest; job_history_loaded
 * waits for it). */
static int job_history_start(sf_job *j)
{
    if (!j->cfg.history_enabled)
        return 0;
    if (sf_cli_history_init(&j->hist, &j->cfg, j->out_dir, j->as_of, &j->ctx) != SF_OK)
        return sf_job_fail(j);
    j->mail_log = sf_cli_mail_log_of(&j->mlog, &j->hist);
    sf_cli_history_load_begin(&j->hl, &j->hist, &j->cfg, j->as_of, &j->hview, j->cfg.out_email ? &j->mail_mem : NULL,
                              !j->set.single_thread);
    return 0;
}

static int job_history_loaded(sf_job *j)
{
    if (!j->cfg.history_enabled)
        return 0;
    double t0 = sf_now_s();
    if (sf_cli_history_load_end(&j->hl, &j->ctx) != SF_OK)
        return sf_job_fail(j);
    j->hist_on = true;
    sf_job_timing(j, "history load wait", t0);
    return 0;
}

/* SPEC §7: the run's rows go into the store on a thread of their own
 * while the outputs are rendered, in one transaction that commits once
 * the outputs are in place (job_history_store) and rolls back if the run
 * fails (sf_job_release). */
static void job_history_store_begin(sf_job *j)
{
    if (!j->hist_on)
        return;
    double t0 = sf_now_s();
    sf_cli_history_store_begin(&j->hw, &j->hist, &j->cfg, &j->rep.history.now, !j->set.single_thread, false);
    sf_job_timing(j, "history store start", t0); /* the whole of the writes with SF_THREADS=1 */
}

static int job_history_store(sf_job *j)
{
    if (!j->hist_on)
        return 0;
    double t0 = sf_now_s();
    if (sf_cli_history_store_end(&j->hw, true, &j->ctx) != SF_OK)
        return sf_job_fail(j);
    sf_job_timing(j, "history store", t0);
    return 0;
}

/* One output of the registry being rendered (on this thread or its own). */
typedef struct {
    const sf_output_def *def;
    sf_output_ctx o;
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

static sf_output_ctx output_ctx(sf_job *j, sf_stage *stage)
{
    return (sf_output_ctx){.set = &j->set, .cfg = &j->cfg, .ds = j->ds, .rep = &j->rep,
                           .rejects = &j->rejects, .lang = j->lang, .out_dir = j->out_dir,
                           .stage = stage, .mail_memory = j->hist_on && j->mail_mem.loaded ? &j->mail_mem : NULL,
                           .mail_log = j->hist_on ? &j->mail_log : NULL, .resend = j->opts->resend,
                           .notices = &j->notices};
}

/* Render every enabled output of one phase: those with a thread of their
 * own beside the others, all into the run's folder. Returns 0 or the
 * first failure's exit code (recorded in j->ctx). */
static int render_phase(sf_job *j, sf_output_phase phase)
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
        oj->o = output_ctx(j, &j->stage);
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
    }
    return rc;
}

/* The outputs into the run's folder (the email last: it attaches the
 * others), the commit that puts the folder in place as a whole, then what
 * waited for it (the mails are sent). */
static int run_outputs(sf_job *j)
{
    double t0 = sf_now_s();
    int rc = render_phase(j, SF_PHASE_STAGED);
    if (rc == 0)
        rc = render_phase(j, SF_PHASE_LAST);
    if (rc) {
        sf_stage_abort(&j->stage);
        return sf_job_fail(j);
    }
    sf_job_timing(j, "outputs", t0);
    t0 = sf_now_s();
    if (sf_stage_commit(&j->stage, &j->ctx) != SF_OK)
        return sf_job_fail(j);
    sf_limit_placed(j->placed_fd);
    sf_job_timing(j, "commit", t0);
    if ((rc = job_history_store(j)) != 0)
        return rc;
    if (sf_stage_deliver(&j->stage, &j->ctx) != SF_OK)
        return sf_job_fail(j);
    for (size_t i = 0; i < j->notices.n; i++)
        sf_log(SF_LOG_INFO, "%s", j->notices.v[i]);
    return 0;
}

static void print_money(const char *label, int64_t cents)
{
    char b[32];
    sf_fmt_money(cents, b);
    printf("  %-28s %s\n", label, b);
}

/* SPEC §3.8, on stdout. */
static void print_summary(const sf_job *j)
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
    if (j->hist_on)
        sf_cli_history_print(&j->rep.history, j->hist.path);
    printf("  output: %s\n", j->out_dir);
}

static char *default_lock_path(const sf_job *j)
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
    /* beside the output folder: "{output_dir}/.." written as its parent,
     * so that taking the lock never creates the output folder itself */
    size_t n = strlen(j->out_dir) + 32, len = strlen(j->out_dir);
    char *s = malloc(n);
    if (!s)
        return NULL;
    while (len > 1 && j->out_dir[len - 1] == '/')
        len--;
    const char *slash = NULL;
    for (size_t i = 0; i < len; i++)
        if (j->out_dir[i] == '/')
            slash = j->out_dir + i;
    const char *last = slash ? slash + 1 : j->out_dir;
    size_t last_n = len - (size_t)(last - j->out_dir);
    bool dots = (last_n == 1 && last[0] == '.') || (last_n == 2 && last[0] == '.' && last[1] == '.');
    if (dots || (slash == j->out_dir))
        snprintf(s, n, "%.*s/../.salesfocus.lock", (int)len, j->out_dir);
    else if (!slash)
        snprintf(s, n, ".salesfocus.lock");
    else
        snprintf(s, n, "%.*s/.salesfocus.lock", (int)(slash - j->out_dir), j->out_dir);
    return s;
}

int sf_job_lock(sf_job *j)
{
    /* resolved lexically: "{output_dir}/.." needs no dated folder yet
     * (backfill writes none) */
    char *raw = default_lock_path(j);
    char *path = raw ? sf_cli_normalize_path(raw) : NULL;
    free(raw);
    if (!path) {
        sf_ctx_nomem(&j->ctx);
        return sf_job_fail(j);
    }
    sf_err e = sf_lock_acquire(&j->lock, path, &j->ctx);
    free(path);
    return e ? sf_job_fail(j) : 0;
}

/* Under the lock: clear what killed runs left beside the output folder
 * (said in the log, even under -q), then start this run's folder. */
static int open_output(sf_job *j)
{
    sf_strlist done = {0};
    sf_err e = sf_stage_sweep(j->out_dir, &done, &j->ctx);
    for (size_t i = 0; i < done.n; i++)
        sf_log(SF_LOG_NOTICE, "an earlier run was killed: %s", done.v[i]);
    sf_strlist_clear(&done);
    if (e || sf_stage_begin(&j->stage, j->out_dir, &j->ctx) != SF_OK)
        return sf_job_fail(j);
    return 0;
}

static bool folder_exists(const char *dir)
{
    struct stat sb;
    return dir && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* A scheduled run must never fail silently (SPEC §4): after the config
 * was read, a failure is mailed when email and on_failure are on. */
static int notify_failure(sf_job *j, int rc)
{
    if (rc == 0 || !j->cfg_loaded || !j->cfg.out_email || !j->cfg.on_failure)
        return rc;
    sf_files_state files = j->rejects_only                          ? SF_FILES_REJECTS
                           : j->stage.switched || j->child_placed ? SF_FILES_NEW
                           : j->stage.began      ? (j->stage.existed ? SF_FILES_UNCHANGED : SF_FILES_NONE)
                           : folder_exists(j->out_dir) ? SF_FILES_UNCHANGED
                                                       : SF_FILES_NONE;
    sf_ctx mctx = {0};
    /* logged in the send log of the store, when there is one (a run that
     * failed before it looked for the store finds it now) */
    if (!j->hist.path && j->cfg.history_enabled && j->out_dir &&
        sf_cli_history_init(&j->hist, &j->cfg, j->out_dir, j->as_of, &mctx) == SF_OK)
        j->mail_log = sf_cli_mail_log_of(&j->mlog, &j->hist);
    mctx = (sf_ctx){0};
    const sf_mail_log *log = j->hist.path && j->mail_log.begin ? &j->mail_log : NULL;
    if (sf_out_email_failure(&j->cfg, j->lang, rc, j->ctx.msg, files, j->out_dir, j->as_of, log, &mctx) != SF_OK)
        sf_log(SF_LOG_ERROR, "failure mail not sent: %s", mctx.msg);
    else
        sf_log(SF_LOG_INFO, "failure mail sent");
    return rc;
}

/* The time limit of a run in seconds: --timeout, else [run] timeout; 0
 * none. -1 after a usage error (reported). */
static int64_t time_limit(sf_job *j)
{
    if (!j->opts->timeout)
        return j->cfg.run_timeout;
    char *end;
    errno = 0;
    long long v = strtoll(j->opts->timeout, &end, 10);
    if (errno || end == j->opts->timeout || *end || v < 0 || v > 604800) {
        sf_ctx_error(&j->ctx, SF_ERR_USAGE, "--timeout '%s': expected whole seconds, 0 to 604800",
                     j->opts->timeout);
        sf_job_fail(j);
        return -1;
    }
    return v;
}

/* Under a time limit the rest of the job runs in a child process, killed
 * at the deadline (counted from t0). Returns -1 to go on (in the child,
 * or without a limit), else the exit code of the whole command. */
static int limit_time(sf_job *j, double t0)
{
    int64_t secs = time_limit(j);
    if (secs < 0)
        return SF_ERR_USAGE;
    if (secs == 0)
        return -1;
    sf_limit_result res;
    int k = sf_limit_fork(t0 + (double)secs, &j->placed_fd, &res);
    if (k < 0) {
        j->is_child = true;
        return -1;
    }
    if (k > 0) {
        sf_ctx_error(&j->ctx, SF_ERR_NOMEM, "cannot start the run under its time limit: %s", strerror(errno));
        return sf_job_fail(j);
    }
    if (!res.timed_out && !res.signal)
        return res.exit_code; /* the child reported and mailed itself */
    /* the child was killed: clear what it left, then say so */
    sf_strlist done = {0};
    sf_ctx sctx = {0};
    sf_stage_sweep(j->out_dir, &done, &sctx);
    for (size_t i = 0; i < done.n; i++)
        sf_log(SF_LOG_NOTICE, "the stopped run's %s", done.v[i]);
    sf_strlist_clear(&done);
    j->child_placed = res.placed;
    if (res.timed_out)
        sf_ctx_error(&j->ctx, SF_ERR_OUTPUT, "the run did not finish within %lld s (%s): stopped",
                     (long long)secs, j->opts->timeout ? "--timeout" : "[run] timeout");
    else
        sf_ctx_error(&j->ctx, SF_ERR_NOMEM, "the run was killed by signal %d", res.signal);
    return notify_failure(j, sf_job_fail(j));
}

/* The start of run, review and backtest (each writes into the output
 * folder the runs replace: one at a time): j cleared, set up, (the
 * templates checked), locked, under the time limit, the output folder
 * opened, the inputs read. Returns 0 to go on, else the exit code (a
 * failure reported; the command's own end still follows). *over: the
 * command ends now with that code after sf_job_release (the parent of a run
 * under a time limit: the child did the work, reported and mailed). */
int sf_job_start(sf_job *j, const sf_run_opts *opts, unsigned what, double t0, bool *over)
{
    memset(j, 0, sizeof *j);
    j->opts = opts;
    j->placed_fd = -1;
    j->load_history = (what & SF_JOB_HISTORY) != 0;
    *over = false;
    int rc = sf_job_setup(j, true);
    if (rc == 0 && (what & SF_JOB_TEMPLATES))
        rc = sf_job_check_templates(j, false);
    if (rc == 0)
        rc = sf_job_lock(j);
    int parent_rc = rc == 0 ? limit_time(j, t0) : -1;
    if (parent_rc >= 0) {
        *over = true;
        return parent_rc;
    }
    if (rc == 0)
        rc = open_output(j);
    if (rc == 0)
        rc = sf_job_ingest(j, (what & SF_JOB_REJECTS) != 0);
    return rc;
}

int sf_cmd_run(const sf_run_opts *opts)
{
    sf_job j;
    double t0 = sf_now_s();
    bool over;
    int rc = sf_job_start(&j, opts, SF_JOB_TEMPLATES | SF_JOB_HISTORY | SF_JOB_REJECTS, t0, &over);
    if (over) {
        sf_job_release(&j);
        return rc;
    }
    if (rc == 0)
        rc = job_history_loaded(&j);
    if (rc == 0)
        rc = sf_job_analyze(&j);
    if (rc == 0)
        job_history_store_begin(&j);
    if (rc == 0 && (rc = run_outputs(&j)) == SF_ERR_USAGE)
        j.template_error = true; /* a mail that cannot be made from the data */
    if (rc == 0 && !opts->quiet)
        print_summary(&j);
    sf_job_timing(&j, "total", t0);
    /* a config error is not mailed (the mail settings may be what is
     * wrong), but a template error is: the mail that carries it has no
     * template */
    if (rc != 0 && (rc != SF_ERR_USAGE || j.template_error) && rc != SF_ERR_LOCK)
        rc = notify_failure(&j, rc);
    sf_job_release(&j);
    return rc;
}
