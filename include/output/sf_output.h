/*
 * sf_output.h - the outputs (CSV lists, workbook, PDF, email) and the
 * staging area that makes a run's files appear all at once.
 *
 * Every output writes its files through an sf_stage: they go into a fresh
 * folder beside the output folder (".<name>.new-<pid>-<random>", private
 * to the run), and sf_stage_commit puts that folder in the output
 * folder's place with one atomic exchange. After a failure or a kill at
 * any point the output folder holds exactly the previous run's files or
 * exactly the new run's (docs/scheduling.md, "Files appear all at once").
 */
#ifndef SF_OUTPUT_H
#define SF_OUTPUT_H

#include <pthread.h>
#include <stdio.h>
#include "analysis/sf_list.h"
#include "analysis/sf_mail_memory.h"
#include "base/sf_settings.h"
#include "data/sf_rejects.h"
#include "base/sf_lang.h"

/* A file name taken in the folder being built (stage.c's own table). */
typedef struct sf_stage_name sf_stage_name;
/* Work to do once the files are in place (the email's sending). */
typedef struct {
    sf_err (*fn)(void *arg, sf_ctx *ctx);
    void *arg;
    void (*release)(void *arg); /* NULL-safe on arg; may be NULL */
} sf_stage_deferred;

/* The folder of one run being built. Zero it, then sf_stage_begin; every
 * function is safe from several threads at once (the workbook is written
 * on its own thread), except begin, commit, abort and release. */
typedef struct {
    char *out_dir;       /* the output folder as the run names it (owned) */
    char *dir;           /* the folder replaced: out_dir resolved (owned) */
    char *parent, *base; /* dir's folder and name (owned) */
    char *work;          /* the folder being built, NULL when gone (owned) */
    bool began;          /* sf_stage_begin succeeded (mu is live) */
    bool single;         /* sf_stage_begin_file: one file, not a folder */
    bool existed;        /* dir existed at begin */
    bool switched;       /* the new folder is in place */
    pthread_mutex_t mu;
    sf_stage_name *names; /* open addressing, cap a power of two */
    size_t n_names, cap_names;
    size_t n_files;      /* files staged */
    sf_stage_deferred *deferred;
    size_t n_deferred, cap_deferred;
} sf_stage;

/* Start building the run's folder for out_dir (borrowed: the prefix of
 * every final path of the run): out_dir's parent folders are created; an
 * out_dir that is a symbolic link is followed (its target is replaced),
 * one that exists but is no folder, or is a mount point, is SF_ERR_OUTPUT.
 * The new folder is made beside it, mode 0700 until commit. */
sf_err sf_stage_begin(sf_stage *st, const char *out_dir, sf_ctx *ctx);
/* One file anywhere (`check --rejects FILE`) instead of a folder: it is
 * written to ".<name>.tmp-<pid>-<random>" beside final_path (O_EXCL |
 * O_NOFOLLOW) and renamed over it at commit; the only path staged must be
 * final_path. */
sf_err sf_stage_begin_file(sf_stage *st, const char *final_path, sf_ctx *ctx);
/* Reserve the file final_path (under out_dir) in the new folder, creating
 * its subfolders, and create it empty (O_EXCL | O_NOFOLLOW, mode 0644).
 * *tmp_path (borrowed, lives until release) is where the caller writes
 * it, e.g. with libxlsxwriter. A final path named twice, or outside
 * out_dir, is an internal error (SF_ERR_NOMEM); the system's errors are
 * SF_ERR_OUTPUT naming the file. */
sf_err sf_stage_path(sf_stage *st, const char *final_path, const char **tmp_path, sf_ctx *ctx);
/* Same, opened for writing. The caller closes it with sf_stage_close. */
sf_err sf_stage_fopen(sf_stage *st, const char *final_path, FILE **fp, sf_ctx *ctx);
/* fclose with the check: a failed write or close is SF_ERR_OUTPUT naming
 * final_path. */
sf_err sf_stage_close(FILE *fp, const char *final_path, sf_ctx *ctx);
/* A free file name "<out_dir>/<prefix><name><ext>", else with "-2", "-3"
 * ... after name, reserved for this run (then staged with sf_stage_path or
 * sf_stage_fopen). Linear in the number of names taken: each name keeps
 * the next number to try. *final_path is malloc'd (caller frees). */
sf_err sf_stage_unique(sf_stage *st, const char *prefix, const char *name, const char *ext, char **final_path,
                       sf_ctx *ctx);
/* Where the staged file final_path is being written (to read it back, as
 * the email reads the PDF it attaches), or NULL when it is not staged.
 * malloc'd. */
char *sf_stage_find(sf_stage *st, const char *final_path);
/* Where the file final_path (under out_dir) is once the run's folder is
 * in place, as an absolute path (the mail names it for a file it leaves
 * out): out_dir as given when absolute, else resolved from the current
 * folder. malloc'd; NULL when not staged under a folder, or out of memory. */
char *sf_stage_final_abs(const sf_stage *st, const char *final_path);
/* The folder being built (the workbook's temporary files go there). */
static inline const char *sf_stage_work_dir(const sf_stage *st) { return st->work; }
/* Run fn(arg) after the switch (sf_stage_deliver); release(arg) at
 * sf_stage_release either way. On out of memory release(arg) is called
 * at once. */
sf_err sf_stage_defer(sf_stage *st, sf_err (*fn)(void *arg, sf_ctx *ctx), void *arg, void (*release)(void *arg),
                      sf_ctx *ctx);
/*
 * Put the new folder in place: every staged file is flushed to disk;
 * every final path is checked first (an existing folder, link or special
 * file where a file goes is SF_ERR_OUTPUT, before anything changed); the
 * entries of the output folder that this run does not write (review
 * packs, earlier lists) are carried over by hard link; then one
 * renameat2(RENAME_EXCHANGE) of the two folders (on a file system without
 * it, two renames; the sweep of the next run finishes or undoes a kill
 * between them), and the previous folder is removed. A failure before the
 * switch leaves the previous folder exactly as it was.
 */
sf_err sf_stage_commit(sf_stage *st, sf_ctx *ctx);
/* After the commit: run the deferred work in order; every piece is tried,
 * the first failure is returned. */
sf_err sf_stage_deliver(sf_stage *st, sf_ctx *ctx);
/* Remove the folder being built (unless it was switched in). Safe twice. */
void sf_stage_abort(sf_stage *st);
/* Abort, release the deferred work, free everything. NULL-safe. */
void sf_stage_release(sf_stage *st);
/*
 * Before a run, under its lock: remove what dead runs left beside out_dir
 * (".<name>.new-<pid>-*" and ".<name>.old-<pid>-*" folders whose process
 * is gone; an ".old-" folder whose output folder is missing, a kill between
 * the two renames of the fallback, is renamed back instead) and inside it
 * (the ".<file>.tmp-<pid>-<n>" temporaries of older versions). Each entry
 * handled is appended to done ("removed X", "restored X"). SF_OK, or
 * SF_ERR_NOMEM.
 */
sf_err sf_stage_sweep(const char *out_dir, sf_strlist *done, sf_ctx *ctx);

/* What every output gets: borrowed, read-only. */
typedef struct {
    const sf_settings *set;    /* threads; NULL = defaults */
    const sf_config *cfg;
    const sf_dataset *ds;
    const sf_report *rep;
    const sf_rejects *rejects;
    const sf_lang *lang;
    const char *out_dir;       /* expanded output folder */
    sf_stage *stage;
    /* the lists' rows by owner (sf_owner_rows.h) when many owners' packs
     * are written; NULL: a table of one owner scans its list */
    const struct sf_owner_rows *by_owner;
    /* the mails (out_email.c), with the history on: what each recipient
     * was sent (NULL: nothing known, every mail as if never sent), where
     * the mails are logged (NULL: not logged), and run --resend */
    const sf_mail_memory *mail_memory;
    const sf_mail_log *mail_log;
    bool resend;
    /* what the CLI tells its user after the run (a file a mail left out as
     * too large), one English line each; NULL: not collected. Written
     * only by the last phase's output, which runs alone. */
    sf_strlist *notices;
} sf_output_ctx;

/* The rows of a list one workbook sheet holds (Excel's 1,048,576 rows,
 * less the header); a longer list continues on "<sheet> (2)", ... */
#define SF_SHEET_ROWS ((size_t)1048575)
/* The sheets a list of n rows takes (at least 1). */
static inline size_t sf_sheets_for(size_t n) { return n <= SF_SHEET_ROWS ? 1 : (n + SF_SHEET_ROWS - 1) / SF_SHEET_ROWS; }

/* csv/ lists (SPEC §4). */
sf_err sf_out_csv(const sf_output_ctx *o, sf_ctx *ctx);
/* One list's CSV (rejects.csv alone when the reject limit stops the run). */
sf_err sf_out_csv_list(const sf_output_ctx *o, const sf_list *l, sf_ctx *ctx);
/* The same list at `path` (NULL: <out_dir>/csv/<name>.csv), staged in
 * o->stage (`check --rejects FILE`). */
sf_err sf_out_csv_list_at(const sf_output_ctx *o, const sf_list *l, const char *path, sf_ctx *ctx);
/* The CSV formula guard (SPEC §4): does a text cell need the leading '?
 * True when s starts with = + - @ TAB or CR and is not a plain number
 * (-?digits[.digits]). */
bool sf_csv_needs_guard(const char *s);
/* workbook.xlsx */
sf_err sf_out_xlsx(const sf_output_ctx *o, sf_ctx *ctx);
/* A workbook OUT/file of the sheets of lists[0..n) (those present), after
 * a Summary sheet when summary; document title "xlsx.<title_key>". */
sf_err sf_out_xlsx_book(const sf_output_ctx *o, const char *file, const char *title_key,
                        const sf_list *const *lists, size_t n_lists, bool summary, sf_ctx *ctx);
/* `salesfocus backtest` (SPEC §10, o->rep->backtest set): csv/backtest.csv,
 * backtest.xlsx and the one-page backtest.pdf, staged in o->stage. */
sf_err sf_out_backtest(const sf_output_ctx *o, sf_ctx *ctx);
/* report.pdf */
sf_err sf_out_pdf(const sf_output_ctx *o, sf_ctx *ctx);
/* review-<owner>.pdf for one owner id (into o->out_dir). */
sf_err sf_out_review(const sf_output_ctx *o, uint32_t owner, sf_ctx *ctx);
/* The same; *final_path (NULL: not wanted) receives the pack's file name
 * (malloc'd): a rep's mail attaches it. */
sf_err sf_out_review_file(const sf_output_ctx *o, uint32_t owner, char **final_path, sf_ctx *ctx);
/* The packs of owners[0 .. n), named in that order (a name two owners
 * share is numbered as sf_out_review one after the other would), written
 * by two threads when threads (byte for byte what one thread writes);
 * the lists' rows are grouped by owner once when o->by_owner is NULL.
 * The first failure in the owners' order is returned. */
sf_err sf_out_reviews(const sf_output_ctx *o, const uint32_t *owners, size_t n, bool threads, sf_ctx *ctx);
/* email.eml (+ per-owner messages) into the run's folder, reading the
 * attachments staged before it; the sending, when configured, is deferred
 * until the folder is in place (sf_stage_deliver). */
sf_err sf_out_email(const sf_output_ctx *o, sf_ctx *ctx);
/* Check every template the mails of a run may use, without data (see
 * sf_email_check_templates): `check` and the start of `run`. SF_OK or
 * SF_ERR_USAGE naming the template. */
sf_err sf_out_email_check(const sf_config *cfg, const sf_lang *lang, sf_ctx *ctx);
/* What a failed run left in its output folder, as the failure mail says. */
typedef enum {
    SF_FILES_UNCHANGED, /* the previous run's files, untouched */
    SF_FILES_NONE,      /* no output folder (no previous run, nothing new) */
    SF_FILES_NEW,       /* the new run's files are in place (a later step failed) */
    SF_FILES_REJECTS    /* only csv/rejects.csv is new (the reject limit) */
} sf_files_state;
/* The failure mail of on_failure = yes: exit code, error message and
 * which files are in out_dir (may be NULL when unknown); logged through
 * log (NULL: not logged) as of the run's date as_of. */
sf_err sf_out_email_failure(const sf_config *cfg, const sf_lang *lang, int exit_code, const char *error,
                            sf_files_state files, const char *out_dir, sf_date as_of, const sf_mail_log *log,
                            sf_ctx *ctx);

/* The output registry (src/output/outputs.c, from config/sf_outputs.def):
 * what `run` writes, in order. Every output writes through o->stage into
 * the run's folder; the outputs of SF_PHASE_LAST come after the others
 * (the email attaches their files); the run then puts the folder in place
 * and delivers what was deferred (the mails). */
typedef struct {
    const char *name;        /* the [outputs] key */
    size_t enabled_offset;   /* offsetof the bool out_<name> in sf_config */
    sf_output_phase phase;
    bool own_thread;         /* rendered on a thread of its own */
    sf_err (*render)(const sf_output_ctx *o, sf_ctx *ctx);
} sf_output_def;

extern const sf_output_def sf_output_defs[];
extern const size_t sf_n_output_defs;
/* Is the output switched on in cfg ([outputs] <name>)? */
bool sf_output_enabled(const sf_output_def *d, const sf_config *cfg);

/* Rows compressed ahead for the workbook's zip (zip_deflate.c): bytes
 * written here are deflated on a worker thread, and stand in the zip
 * entry wherever the marker (SF_ZIP_MARK_LEN bytes, NUL at both ends) is
 * met in the entry's stream. sf_zip_rows_used tells whether that happened
 * (after the workbook is closed). NULL / false on out of memory. */
#define SF_ZIP_MARK_LEN 24
/* Take over the zip entries that this thread opens from now on (deflate
 * level 1 on two threads, rows spliced in at their markers), or leave
 * them to minizip (off, the default): the workbook's fast path only. */
void sf_zip_engage(bool on);
typedef struct sf_zip_rows sf_zip_rows;
/* worker: deflate on a thread of its own; spill_dir: a folder for an
 * unlinked file that holds the compressed rows until the zip takes them
 * (NULL, or the file cannot be made: they are held in memory). */
sf_zip_rows *sf_zip_rows_new(bool worker, const char *spill_dir);
const char *sf_zip_rows_marker(const sf_zip_rows *r);
bool sf_zip_rows_write(sf_zip_rows *r, const void *buf, size_t len);
bool sf_zip_rows_finish(sf_zip_rows *r); /* no more rows */
bool sf_zip_rows_used(const sf_zip_rows *r);
void sf_zip_rows_free(sf_zip_rows *r); /* NULL-safe */

#endif
