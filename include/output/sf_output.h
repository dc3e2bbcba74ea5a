/*
 * sf_output.h - the outputs (CSV lists, workbook, PDF, email) and the
 * staging area that makes a run's files appear atomically.
 *
 * Every output writes into temporary files created through sf_stage (same
 * folder as the final name, so rename is atomic); sf_stage_commit fsyncs
 * and renames all of them at the end of a successful run, and
 * sf_stage_abort removes them, leaving the previous run's files intact.
 */
#ifndef SF_OUTPUT_H
#define SF_OUTPUT_H

#include <stdio.h>
#include "analysis/sf_list.h"
#include "base/sf_settings.h"
#include "data/sf_rejects.h"
#include "base/sf_lang.h"

typedef struct {
    char *final_path;  /* owned */
    char *tmp_path;    /* owned */
} sf_staged;

typedef struct {
    sf_staged *v;
    size_t n, cap;
} sf_stage;

/* Reserve a temporary path for final_path (creating its folder). The
 * caller writes *tmp_path (borrowed, lives until commit/abort) itself,
 * e.g. with libxlsxwriter or cairo. SF_ERR_OUTPUT names the folder and the
 * system error. */
sf_err sf_stage_path(sf_stage *st, const char *final_path, const char **tmp_path, sf_ctx *ctx);
/* Same, opened for writing ("wb"). The caller fcloses it (check the result:
 * a failed fclose is SF_ERR_OUTPUT via sf_stage_close). */
sf_err sf_stage_fopen(sf_stage *st, const char *final_path, FILE **fp, sf_ctx *ctx);
sf_err sf_stage_close(FILE *fp, const char *final_path, sf_ctx *ctx);
/* Move every staged file of src into dst (src is left empty). Lets each
 * output stage on its own thread and the run commit them together. */
sf_err sf_stage_adopt(sf_stage *dst, sf_stage *src, sf_ctx *ctx);
/* fsync every temporary, rename each into place, fsync the folders. */
sf_err sf_stage_commit(sf_stage *st, sf_ctx *ctx);
/* Remove every temporary not yet committed. Safe to call twice. */
void sf_stage_abort(sf_stage *st);
void sf_stage_release(sf_stage *st);

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
} sf_output_ctx;

/* csv/ lists (SPEC §4). */
sf_err sf_out_csv(const sf_output_ctx *o, sf_ctx *ctx);
/* One list's CSV (rejects.csv alone when the reject limit stops the run). */
sf_err sf_out_csv_list(const sf_output_ctx *o, const sf_list *l, sf_ctx *ctx);
/* The same list at `path` (NULL: <out_dir>/csv/<name>.csv), staged in
 * o->stage (`check --rejects FILE`). */
sf_err sf_out_csv_list_at(const sf_output_ctx *o, const sf_list *l, const char *path, sf_ctx *ctx);
/* workbook.xlsx */
sf_err sf_out_xlsx(const sf_output_ctx *o, sf_ctx *ctx);
/* report.pdf */
sf_err sf_out_pdf(const sf_output_ctx *o, sf_ctx *ctx);
/* review-<owner>.pdf for one owner id (into o->out_dir). */
sf_err sf_out_review(const sf_output_ctx *o, uint32_t owner, sf_ctx *ctx);
/* email.eml (+ per-owner messages) and, when configured, sendmail. Must be
 * called after the attachments were committed (it reads the final files). */
sf_err sf_out_email(const sf_output_ctx *o, sf_ctx *ctx);
/* The failure mail of on_failure = yes: exit code and error message. */
sf_err sf_out_email_failure(const sf_config *cfg, const sf_lang *lang, int exit_code,
                            const char *error, sf_ctx *ctx);

/* The output registry (src/output/outputs.c, from config/sf_outputs.def):
 * what `run` writes, in order. A staged output writes temporaries through
 * o->stage; the run commits them all at once, then runs the outputs of the
 * after-commit phase (the email attaches the committed files). */
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
sf_zip_rows *sf_zip_rows_new(bool worker); /* worker: deflate on a thread of its own */
const char *sf_zip_rows_marker(const sf_zip_rows *r);
bool sf_zip_rows_write(sf_zip_rows *r, const void *buf, size_t len);
bool sf_zip_rows_finish(sf_zip_rows *r); /* no more rows */
bool sf_zip_rows_used(const sf_zip_rows *r);
void sf_zip_rows_free(sf_zip_rows *r); /* NULL-safe */

#endif
