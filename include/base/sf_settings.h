/*
 * sf_settings.h - the run settings that come from the environment, read
 * once by the command line (src/cli) and handed down: no module below the
 * CLI calls getenv. In a threaded program a hidden input read in four
 * places is four chances to disagree.
 *
 *   SF_THREADS=1        everything on one thread (tests compare the outputs
 *                       with the parallel run)
 *   SF_TIMINGS=1        print the time of each stage on stderr
 *   SF_SPLIT_MIN=BYTES  smallest transactions tail worth a second reader
 *                       (default 1 MiB; tests set it low to force a split)
 *   SALESFOCUS_SHARE    where config/crm and templates/ are (default: next
 *                       to the binary, else the installed share folder)
 *   SF_DEBUG_CELLS=DIR  tests only: each PDF also writes the box of every
 *                       table cell it draws to DIR/<pdf name>.cells, so a
 *                       test can find text that overflows its cell
 */
#ifndef SF_SETTINGS_H
#define SF_SETTINGS_H

#include "base/sf_common.h"

typedef struct {
    bool single_thread;
    bool timings;
    int64_t split_min;     /* bytes, >= 1 */
    const char *share_dir; /* never NULL once read: the environment's, or share_buf */
    const char *debug_cells; /* a folder for the PDFs' cell boxes, or NULL (tests) */
    char share_buf[4096];  /* the folder found next to the binary */
} sf_settings;

/* Fill s from the environment (the CLI's one call to getenv). s must not
 * move while share_dir points into it. */
void sf_settings_from_env(sf_settings *s);

/* Defaults without the environment (unit tests): threads on, no timings,
 * split_min 1 MiB, share_dir as found next to the binary. */
void sf_settings_default(sf_settings *s);

#endif
