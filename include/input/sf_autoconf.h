/*
 * sf_autoconf.h - configuration guessed from the export files themselves:
 * `[input] preset = auto` (the preset whose headers best match the files)
 * and `salesfocus init` (a starter configuration: which file is which
 * kind, the preset, the formats, the column mapping and the value lists).
 *
 * Everything here reads the files (headers, and for init every value of
 * the columns that matter) and returns what it found; the CLI prints it
 * and writes the configuration.
 */
#ifndef SF_AUTOCONF_H
#define SF_AUTOCONF_H

#include "config/sf_config.h"
#include "input/sf_sniff.h"

#include <stdio.h>

/* ---- headers ---- */

/* The header row of the file at path (CSV with its encoding and delimiter
 * sniffed, unless `delimiter` is set; an XLSX's sheet `sheet` or its
 * first, named by the [input] key sheet_key, NULL: "sheet"), each header
 * trimmed, into *headers (appended). *encoding and *delim (may be NULL)
 * receive what was used. SF_ERR_INPUT when the file cannot be read as
 * either. */
sf_err sf_read_headers(const char *path, const char *sheet, const char *sheet_key, char delimiter,
                       sf_strlist *headers, const char **encoding, char *delim, sf_ctx *ctx);

/* ---- preset = auto ---- */

typedef struct {
    char name[64];    /* "" for no preset: the canonical names */
    int found;        /* headers it looks for that the files have */
    int mapped;       /* headers it looks for */
    int req_missing;  /* required fields whose header no file has */
} sf_preset_score;

typedef struct {
    sf_preset_score *v; /* every preset, then "" */
    size_t n;
    size_t chosen;
} sf_preset_choice;

/* Score every preset of cfg->share_dir against the input files of cfg
 * (loaded with preset = auto, so without a preset; the user's own
 * [columns.*] keys count for every candidate). The best has the fewest
 * required fields missing, then the most headers found, then the larger
 * share found; none is chosen when no preset finds a header. */
sf_err sf_preset_choose(const sf_config *cfg, sf_preset_choice *out, sf_ctx *ctx);
void sf_preset_choice_release(sf_preset_choice *c);

/* "hubspot: 14 of 16 headers found" (", 2 required missing"); the
 * canonical names are "no preset (canonical names)". */
void sf_preset_score_text(const sf_preset_score *s, char *out, size_t cap);

#endif
