/*
 * sf_log.h - messages for a person or a cron log on stderr: progress with
 * a percentage when stderr is a terminal, plain timestamped lines when it
 * is not; -q keeps errors and notices only. Only the CLI layer and the run driver log.
 */
#ifndef SF_LOG_H
#define SF_LOG_H

#include "base/sf_common.h"

/* SF_LOG_NOTICE: what an operator must learn even under -q, though this
 * run is fine (what a killed earlier run left behind was cleaned up). */
typedef enum { SF_LOG_ERROR = 0, SF_LOG_WARN, SF_LOG_INFO, SF_LOG_NOTICE } sf_log_level;

void sf_log_init(bool quiet);
void sf_log(sf_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Progress of a stage (0..1); drawn in place on a terminal, else logged
 * at the start and end of each stage only. */
void sf_log_progress(void *user, const char *stage, double done);

#endif
