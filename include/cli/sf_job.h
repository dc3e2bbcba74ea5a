/*
 * sf_job.h - what every command of the CLI holds while it runs (config,
 * lock, dataset, report, output stage, history), and the steps they share
 * (run.c): set up, lock, read the inputs, analyse, release. The commands
 * are run (run.c), check (check.c), review (review.c), backfill
 * (history_cmd.c) and backtest (backtest.c). Internal to the cli layer.
 */
#ifndef SF_JOB_H
#define SF_JOB_H

#include "analysis/sf_history_view.h"
#include "analysis/sf_mail_memory.h"
#include "analysis/sf_report.h"
#include "base/sf_lock.h"
#include "base/sf_settings.h"
#include "cli/sf_history_cmd.h"
#include "cli/sf_run.h"
#include "config/sf_config.h"
#include "input/sf_autoconf.h"
#include "output/sf_output.h"

/* Everything one command holds; released by sf_job_release in reverse. */
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
    bool rejects_only;   /* the reject limit: only rejects.csv was put in place */
    int placed_fd;       /* under a time limit: where to say the folder is in place */
    bool child_placed;   /* the killed child had put its folder in place */
    bool is_child;       /* the worker of a run under a time limit */
    bool template_error; /* exit 2 from a mail template: mailed all the same */
    char *spool_dir;     /* check --rejects FILE: its folder, for the spool (owned) */
    sf_ctx ctx;
    sf_settings set;
    sf_preset_choice auto_preset; /* [input] preset = auto: how each candidate matched */
    bool collect_values; /* check: tally activity types and outcomes too */
    /* SPEC §7, with [history] enabled: the store and what it holds */
    bool hist_on;
    sf_cli_history hist;
    sf_history_view hview;
    bool load_history;         /* run: load P while the inputs are read */
    sf_cli_history_loader hl;  /* run: P loaded while the inputs are read */
    sf_cli_history_writer hw;  /* run: stored while the outputs are rendered */
    /* the mails' memory and their send log (with the history on) */
    sf_mail_memory mail_mem;
    sf_cli_mail_log mlog;
    sf_mail_log mail_log;
    sf_strlist notices;        /* the outputs' lines for the log (sf_output_ctx) */
} sf_job;

/* What a command's start does besides the common steps (sf_job_start). */
enum {
    SF_JOB_TEMPLATES = 1, /* check the mail templates before the lock */
    SF_JOB_HISTORY = 2,   /* load the previous run while the inputs are read */
    SF_JOB_REJECTS = 4,   /* over the reject limit, put rejects.csv in place */
};

/* A stage's wall time, CPU and peak RSS to stderr (SF_TIMINGS=1). */
void sf_job_timing(const sf_job *j, const char *stage, double t0);
/* Everything j holds, in reverse; the lock last but one. */
void sf_job_release(sf_job *j);
/* Log the error of j->ctx; returns its exit code. */
int sf_job_fail(sf_job *j);
/* Config, as-of date, (with need_out) the output folder, labels. */
int sf_job_setup(sf_job *j, bool need_out);
/* The mail templates checked without data; say: print the outcome. */
int sf_job_check_templates(sf_job *j, bool say);
/* The run's lock (beside the output folder). */
int sf_job_lock(sf_job *j);
/* Read every input; over the reject limit, write_rejects_on_limit puts
 * rejects.csv in place. */
int sf_job_ingest(sf_job *j, bool write_rejects_on_limit);
/* The analyses of the dataset as of j->as_of. */
int sf_job_analyze(sf_job *j);
/* SPEC §7: the store's state for a run at T (strip: the review's). */
int sf_job_history_load(sf_job *j, sf_history_mode mode, bool strip);
/* The start of run, review and backtest: j cleared, set up, (the
 * templates checked), locked, under the time limit, the output folder
 * opened, the inputs read (what: SF_JOB_*). Returns 0 or the exit code;
 * *over: the command ends now with it, after sf_job_release. */
int sf_job_start(sf_job *j, const sf_run_opts *opts, unsigned what, double t0, bool *over);

#endif
