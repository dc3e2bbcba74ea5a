/*
 * sf_tally.h - the distinct values of one mapped column (opportunity
 * status, activity type, outcome) with their canonical class and how many
 * records had them, so that `check`, the run log and the report can show
 * how the export's words were classified (and which closed-sounding status
 * was read as open).
 *
 * A tally holds at most SF_TALLY_MAX distinct (value, class) pairs: a
 * free-text column (a task's subject standing in for its type) cannot
 * grow it without bound; records beyond are counted in `overflow`.
 *
 * Ownership: the tally owns its entries; sf_tally_release frees them.
 */
#ifndef SF_TALLY_H
#define SF_TALLY_H

#include "base/sf_common.h"

#define SF_TALLY_MAX 5000

typedef enum { SF_TALLY_STATUS = 0, SF_TALLY_TYPE, SF_TALLY_OUTCOME, SF_TALLY_N } sf_tally_kind;

typedef struct {
    char *value;    /* as in the export, trimmed ("" for an empty field) */
    int cls;        /* sf_status, sf_act_type or sf_outcome */
    int64_t count;
} sf_tally_ent;

typedef struct {
    sf_tally_ent *v;
    uint32_t n, cap;
    uint32_t *slots;   /* open addressing: entry index + 1, 0 = empty */
    uint32_t n_slots;  /* power of two */
    int64_t overflow;  /* records whose pair did not fit */
} sf_tally;

/* Count one record with value (NULL = "") of class cls. false on out of
 * memory (the tally is unchanged). */
bool sf_tally_add(sf_tally *t, const char *value, int cls);

/* The entries by count descending, then value, then class: a malloc'd
 * array of t->n indexes (NULL when empty or out of memory). */
uint32_t *sf_tally_order(const sf_tally *t);

/* Add src's counts into dst (the same kind of tally of another reader). */
bool sf_tally_merge(sf_tally *dst, const sf_tally *src);

void sf_tally_release(sf_tally *t); /* NULL-safe; leaves it empty */

#endif
