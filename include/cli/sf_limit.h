/*
 * sf_limit.h - a run under a time limit ([run] timeout, --timeout): the
 * work goes on in a child process that the parent kills when the
 * deadline passes. A killed run is exactly the kill -9 that the output
 * folder's commit is built to survive: the parent then sweeps what it
 * left, says so, and mails the failure.
 */
#ifndef SF_LIMIT_H
#define SF_LIMIT_H

#include "base/sf_common.h"

typedef struct {
    bool timed_out;  /* the parent killed it at the deadline */
    bool placed;     /* it said that its new folder is in place */
    int signal;      /* it died of this signal, not ours (0: none) */
    int exit_code;   /* its exit code when it exited */
} sf_limit_result;

/* Fork. In the child: returns -1 (carry on), *report_fd is where to say
 * "in place" (sf_limit_placed), and the child dies with its parent. In
 * the parent: waits until the child ends or deadline (sf_now_s seconds)
 * passes, kills it then, fills *res and returns 0. Returns 1 when it
 * cannot fork (errno). */
int sf_limit_fork(double deadline, int *report_fd, sf_limit_result *res);
/* In the child: the new folder is in place (fd < 0: no limit, nothing). */
void sf_limit_placed(int fd);

#endif
