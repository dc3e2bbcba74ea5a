/*
 * backtest.c - `salesfocus backtest -c CONFIG [--as-of DATE] [--horizon H]
 * [--points N] [--step S] [--out DIR] [-q]` (SPEC §10), after run.c has
 * read the inputs once: the analyses replayed as of t_k = T - H - k x S
 * (sf_backtest), then csv/backtest.csv, backtest.xlsx and backtest.pdf
 * staged into the run's new folder (run.c puts it in place, as a run's),
 * and a summary on stdout.
 */
#include "cli/sf_backtest.h"
#include "cli/sf_job.h"
#include "cli/sf_limit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/sf_log.h"

/* One option's whole number in [lo, hi], or def when absent. */
static bool parse_days(const char *opt, const char *text, int64_t def, int64_t lo, int64_t hi, int64_t *out)
{
    *out = def;
    if (!text)
        return true;
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end || v < lo || v > hi) {
        fprintf(stderr, "salesfocus: %s '%s': expected a whole number from %lld to %lld\n", opt, text,
                (long long)lo, (long long)hi);
        return false;
    }
    *out = v;
    return true;
}

bool sf_backtest_params_parse(const sf_run_opts *o, sf_backtest_params *p)
{
    return parse_days("--horizon", o->horizon, 90, 1, 3650, &p->horizon) &&
           parse_days("--points", o->points, 8, 1, 1000, &p->points) &&
           parse_days("--step", o->step, 28, 1, 3650, &p->step);
}

typedef struct {
    const sf_backtest_job *b;
    const sf_backtest_params *p;
    double t0;
} progress_state;

static void on_point(void *arg, int64_t k, sf_date t)
{
    progress_state *ps = arg;
    if (ps->b->set->timings) {
        char d[16];
        sf_date_iso(t, d);
        fprintf(stderr, "timing: point %lld (%s) %.3f\n", (long long)k, d, sf_now_s() - ps->t0);
        ps->t0 = sf_now_s();
    }
    if (!ps->b->opts->quiet)
        sf_log_progress(NULL, "backtest", (double)(k + 1) / (double)ps->p->points);
}

void sf_backtest_print(const sf_backtest_job *b, const sf_backtest_result *bt)
{
    char first[16], last[16];
    sf_date_iso((sf_date)(bt->as_of - bt->horizon - (bt->points - 1) * bt->step), first);
    sf_date_iso((sf_date)(bt->as_of - bt->horizon), last);
    printf("salesfocus backtest: %lld points from %s to %s, every %lld days, each against the next %lld days\n",
           (long long)bt->points, first, last, (long long)bt->step, (long long)bt->horizon);
    printf("  %-14s %8s %8s %10s %10s %8s\n", "rule", "flagged", "hits", "precision", "recall", "lift");
    for (int r = 0; r < SF_BT_RULES; r++) {
        const sf_backtest_row *row = &bt->rows[r];
        char p[32], rc[32], l[32];
        sf_fmt_e4(row->precision, p);
        sf_fmt_e4(row->recall, rc);
        sf_fmt_e4(row->lift, l);
        bool weak = row->lift != SF_NONE &&
                    (__int128)row->hits * row->population <= (__int128)row->flagged * row->declined;
        printf("  %-14s %8lld %8lld %10s %10s %8s%s\n", sf_bt_rule_name((sf_bt_rule)r), (long long)row->flagged,
               (long long)row->hits, p, rc, l, weak ? "  not predictive on this data" : "");
    }
    char base[32];
    sf_fmt_e4(bt->rows[0].base_rate, base);
    printf("  population %lld, declined %lld, base rate %s\n", (long long)bt->rows[0].population,
           (long long)bt->rows[0].declined, base);
    printf("  output: %s\n", b->out_dir);
}

int sf_backtest_run(const sf_backtest_job *b, const sf_backtest_params *p, sf_backtest_result *bt, sf_ctx *ctx)
{
    progress_state ps = {b, p, sf_now_s()};
    double t0 = sf_now_s();
    sf_err e = sf_backtest(b->ds, b->cfg, b->as_of, p->horizon, p->points, p->step, !b->set->single_thread,
                           on_point, &ps, bt, ctx);
    if (e)
        return (int)e;
    if (b->set->timings)
        fprintf(stderr, "timing: replay %.3f\n", sf_now_s() - t0);
    t0 = sf_now_s();
    sf_report rep = {.ds = b->ds, .cfg = b->cfg, .rejects = b->rejects, .as_of = b->as_of, .backtest = bt};
    sf_output_ctx o = {.set = b->set, .cfg = b->cfg, .ds = b->ds, .rep = &rep, .rejects = b->rejects,
                       .lang = b->lang, .out_dir = b->out_dir, .stage = b->stage};
    e = sf_out_backtest(&o, ctx);
    if (b->set->timings)
        fprintf(stderr, "timing: outputs %.3f\n", sf_now_s() - t0);
    return (int)e;
}

/* SPEC §10: set up, lock, open the output folder and read the inputs
 * once as a run does; backtest.c replays the analyses and renders the
 * outputs; the folder is put in place here as a run's is. */
int sf_cmd_backtest(const sf_run_opts *opts)
{
    sf_backtest_params bp;
    if (!sf_backtest_params_parse(opts, &bp))
        return SF_ERR_USAGE;
    sf_job j;
    double t0 = sf_now_s();
    bool over;
    int rc = sf_job_start(&j, opts, 0, t0, &over);
    if (over) {
        sf_job_release(&j);
        return rc;
    }
    sf_backtest_result bt;
    if (rc == 0) {
        sf_backtest_job b = {.opts = opts, .set = &j.set, .cfg = &j.cfg, .ds = j.ds, .rejects = &j.rejects,
                             .lang = j.lang, .out_dir = j.out_dir, .as_of = j.as_of, .stage = &j.stage};
        if (sf_backtest_run(&b, &bp, &bt, &j.ctx) != 0 || sf_stage_commit(&j.stage, &j.ctx) != SF_OK) {
            sf_stage_abort(&j.stage);
            rc = sf_job_fail(&j);
        } else {
            sf_limit_placed(j.placed_fd);
            if (!opts->quiet)
                sf_backtest_print(&b, &bt);
        }
    }
    sf_job_timing(&j, "total", t0);
    sf_job_release(&j);
    return rc;
}
