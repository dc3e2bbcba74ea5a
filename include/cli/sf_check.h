/*
 * sf_check.h - what `salesfocus check` prints beyond the counts (run.c
 * prints those): the mapping and counts of each file of a kind with
 * several files, the first bad values of each reject reason with their
 * lines, every distinct status / activity type / outcome value with its
 * count and class, the data-quality notes; and `check --rejects FILE`.
 * Inside the CLI layer only: these functions print to stdout.
 */
#ifndef SF_CHECK_H
#define SF_CHECK_H

#include "analysis/sf_report.h"
#include "base/sf_settings.h"

/* Each file of kind f when it has several: its path, mapping and counts. */
void sf_check_print_parts(const sf_dataset *ds, sf_file_kind f);

/* "    e.g. REASON: line N field 'value'; ..." under the counts of kind f
 * (kept: the lines kept with a field emptied, else the rejected). */
void sf_check_print_examples(const sf_config *cfg, const sf_rejects *rj, sf_file_kind f, bool kept);

/* The distinct values of the status, activity type and outcome columns
 * with their counts and classes; a status that reads as closed but counts
 * as open is marked. */
void sf_check_print_values(const sf_dataset *ds);

/* Every note of rep->quality as "warning: ..." (also logged by run). */
void sf_check_print_notes(const sf_report *rep);

/* Write the rejects list (rejects.csv's columns and order) to path, in
 * place atomically. SF_OK, or SF_ERR_OUTPUT / SF_ERR_NOMEM in ctx. */
sf_err sf_check_write_rejects(const sf_settings *set, const sf_config *cfg, const sf_dataset *ds,
                              sf_rejects *rj, const char *path, sf_ctx *ctx);

#endif
