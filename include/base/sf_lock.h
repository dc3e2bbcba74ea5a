/*
 * sf_lock.h - one run at a time: an exclusive, non-blocking lock on
 * [run] lock_file holding the holder's PID.
 */
#ifndef SF_LOCK_H
#define SF_LOCK_H

#include "base/sf_common.h"

typedef struct {
    int fd;        /* -1 when not held */
    char *path;    /* owned */
} sf_lock;

/* Take the lock (creating the file and its folder). SF_ERR_LOCK, with a
 * message naming the lock file and the holder's PID, when another process
 * holds it; SF_ERR_OUTPUT when it cannot be created. */
sf_err sf_lock_acquire(sf_lock *lk, const char *path, sf_ctx *ctx);
/* Release and free; NULL-safe and safe on a lock never taken. */
void sf_lock_release(sf_lock *lk);
/* Close this process's descriptor without releasing the lock: a child
 * that shares it with its parent (a run under a time limit) leaves the
 * lock to the parent. NULL-safe. */
void sf_lock_forget(sf_lock *lk);

#endif
