/*
 * sf_owner_rows.h - every list's rows grouped by owner, built once for the
 * review packs of many owners (review --all-owners).
 *
 * A pack's tables take the rows of one owner; scanning a whole list for
 * each owner costs rows x owners (2,000 owners over the 1M set: most of
 * the packs' time). The index keeps, per list of sf_lists[] that has
 * owners, the rows of each owner in the list's order, so a table of one
 * owner visits only that owner's rows and comes out byte for byte as the
 * scan made it. Rows of the whole team (SF_OWNER_ALL) belong to no owner.
 */
#ifndef SF_OWNER_ROWS_H
#define SF_OWNER_ROWS_H

#include "output/sf_output.h"

typedef struct sf_owner_rows sf_owner_rows;

/* Index every list of rep that has an owner and rows in memory. *out is
 * malloc'd (sf_owner_rows_free). SF_OK or SF_ERR_NOMEM. */
sf_err sf_owner_rows_build(const sf_report *rep, sf_owner_rows **out, sf_ctx *ctx);
void sf_owner_rows_free(sf_owner_rows *x); /* NULL-safe */
/* The rows (ascending indices into list l) of owner: *n of them, borrowed
 * from x. NULL when x is NULL, l is not indexed or owner is SF_OWNER_ALL
 * (the caller then scans the list). */
const uint32_t *sf_owner_rows_of(const sf_owner_rows *x, const sf_list *l, uint32_t owner, size_t *n);

#endif
