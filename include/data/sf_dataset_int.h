/*
 * sf_dataset_int.h - what dataset.c and dataset_at.c share, private to
 * src/data.
 */
#ifndef SF_DATASET_INT_H
#define SF_DATASET_INT_H

#include "data/sf_dataset.h"

/* Sum the logged transactions by account and day into ds->days (and
 * free the log). SF_OK or SF_ERR_NOMEM. */
sf_err sf_dataset_build_days(sf_dataset *ds, sf_ctx *ctx);
/* Free the transaction log, the days and the activities. */
void sf_dataset_release_events(sf_dataset *ds);

#endif
