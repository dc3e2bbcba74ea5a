/*
 * sf_stage_int.h - inside the staging area: what stage.c (the folder
 * being built, its names) and stage_commit.c (the switch, the carry-over,
 * the sweep) share. Not for the outputs: they use sf_output.h.
 */
#ifndef SF_STAGE_INT_H
#define SF_STAGE_INT_H

#include "output/sf_output.h"

/* Is rel ("csv/accounts.csv") a file staged in this run? */
bool sf_stage_int_staged(const sf_stage *st, const char *rel);
/* The staged files one by one: start with *i = 0; returns the relative
 * name (and *path, where it is written) or NULL at the end. */
const char *sf_stage_int_each(const sf_stage *st, size_t *i, const char **path);
/* "a/b" (malloc'd, NULL on out of memory). */
char *sf_stage_int_join(const char *a, const char *b);
/* The folder out_dir stands for (trailing slashes dropped; a symbolic
 * link, "." or ".." resolved), its parent and its name, all malloc'd.
 * create_parent: mkdir -p the parent first. */
sf_err sf_stage_int_resolve(const char *out_dir, char **dir, char **parent, char **base, bool create_parent,
                            sf_ctx *ctx);
/* A random number from the kernel (the clock when it has none). */
uint64_t sf_stage_int_random(void);
/* "<parent>/.<base>.<kind>-<pid>-<16 hex digits>", malloc'd. */
char *sf_stage_int_sibling(const sf_stage *st, const char *kind);
/* Remove path and everything below it, never following a symbolic link.
 * Best effort: 0, or -1 when something stayed. */
int sf_stage_int_remove_tree(const char *path);

#endif
