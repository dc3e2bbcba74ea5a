/*
 * sf_idspool.h - the ids of an id set that are kept as hashes, written out
 * once in the order they were added, so that a hash match can be checked
 * against the id itself (SPEC §1: a false duplicate must never reject a
 * real invoice).
 *
 * The ids go to an unlinked temporary file in a folder (the run's own
 * working folder), a megabyte at a time: ten million random 36-character
 * ids are 370 MB of page cache, not of the process's memory. Without a
 * folder, or when the file cannot be made or written, they stay in memory.
 * An id is at an offset (below 2^40); sf_idspool_equal reads it back
 * there, sf_idspool_each reads them all in order.
 *
 * One thread writes a spool; reading (equal, each) needs no change to it.
 */
#ifndef SF_IDSPOOL_H
#define SF_IDSPOOL_H

#include "base/sf_common.h"

#define SF_IDSPOOL_MAX_OFFSET (((uint64_t)1 << 40) - 2)

typedef struct {
    char *dir;      /* folder of the file (owned), NULL: memory only */
    int fd;         /* -1 until the first flush, or when it failed */
    bool no_file;   /* the file could not be made or written: memory only */
    uint64_t flushed; /* bytes in the file */
    char *buf;      /* the bytes from offset `flushed` on */
    size_t len, cap;
} sf_idspool;

/* dir may be NULL. False on out of memory. */
bool sf_idspool_init(sf_idspool *sp, const char *dir);
void sf_idspool_release(sf_idspool *sp); /* NULL-safe, idempotent */

/* Append id (n bytes); *off its offset. False on out of memory or when
 * the spool is full (SF_IDSPOOL_MAX_OFFSET). */
bool sf_idspool_add(sf_idspool *sp, const char *id, size_t n, uint64_t *off);

/* Is the id at off exactly id (n bytes)? -1 when it cannot be read back
 * (I/O error or out of memory), else 0 or 1. */
int sf_idspool_equal(const sf_idspool *sp, uint64_t off, const char *id, size_t n);

/* Call fn on every id in the order added, with its offset; fn returns
 * false to stop. Returns 1 when fn stopped the walk, 0 at the end, -1 on
 * a read error or out of memory. The id is NUL-terminated for fn. */
typedef bool (*sf_idspool_fn)(const char *id, size_t n, uint64_t off, void *arg);
int sf_idspool_each(const sf_idspool *sp, sf_idspool_fn fn, void *arg);
/* The same for the ids that start in [from, to): from the start of an id
 * (0, or sf_idspool_middle's), to the start of one or the size. Two
 * threads may walk one spool. */
int sf_idspool_each_range(const sf_idspool *sp, uint64_t from, uint64_t to, sf_idspool_fn fn, void *arg);
/* Bytes in the spool (where the next id would start). */
uint64_t sf_idspool_size(const sf_idspool *sp);
/* The start of an id about half way through the spool, for a walk in two
 * halves; false when there is none after the half (or on a read error). */
bool sf_idspool_middle(const sf_idspool *sp, uint64_t *mid);

/* Bytes of memory held. */
size_t sf_idspool_bytes(const sf_idspool *sp);

#endif
