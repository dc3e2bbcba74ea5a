/*
 * sf_idset.h - the set of record ids seen in a file, for duplicate_id
 * (SPEC §1: duplicates of a non-empty transaction or opportunity id are
 * rejected, the first occurrence kept).
 *
 * Memory should follow the accounts, not the transactions, yet every id
 * must be remembered. Most CRM ids are a fixed prefix and a zero-padded
 * counter (INV-0000123, 00000100, 5000): such an id belongs to a family
 * (prefix, number of digits) and is one bit in the family's bitmap, paged
 * over the numbers used - ten million sequential invoice numbers take
 * 1.3 MB. Any other id, and a family whose numbers turn out too sparse for
 * a bitmap, is written to a spool (a temporary file in the run's folder,
 * sf_idspool.h) and found through a table of 8 bytes per id holding part
 * of its hash and its place in the spool; a hash match is compared with
 * the id itself, so a duplicate is always a real one. A family starts as a
 * small set of its numbers and becomes a bitmap once it has shown that its
 * numbers are dense.
 *
 * One thread per set. Not a container to iterate: membership only.
 */
#ifndef SF_IDSET_H
#define SF_IDSET_H

#include "base/sf_common.h"

typedef struct sf_idset sf_idset;

/* What sf_idset_probe found out about an id, for sf_idset_put. */
typedef struct {
    uint64_t hash;    /* of the whole id, when it is kept as a hash */
    uint64_t number;  /* its trailing counter, when it has a family */
    int32_t family;   /* family index, -1: the id is hashed */
} sf_idset_key;

/* expected: the number of ids the caller expects (0 = unknown), used to
 * size the hash table once if most ids turn out to need hashing; dir: the
 * folder of the spool (NULL: the hashed ids are kept in memory). NULL on
 * out of memory. */
sf_idset *sf_idset_new(size_t expected, const char *dir);
void sf_idset_free(sf_idset *s); /* NULL-safe */

/* A hint, before sf_idset_probe on the same id (n bytes, not necessarily
 * NUL-terminated): when ids are being hashed,
 * the id's slot in the table starts loading while the caller reads the
 * rest of its record (at ten million random ids the table is far larger
 * than the caches, and that load was the probe's whole cost). Sets
 * key->hash for the probe. s may be NULL. */
void sf_idset_prefetch(const sf_idset *s, const char *id, size_t n, sf_idset_key *key);

/* Is id (non-empty) in the set? key->hash: 0, or as sf_idset_prefetch set
 * it for this id. Fills *key for sf_idset_put. False on out of memory (a
 * family could not be recorded) or when a hashed id could not be read back
 * from the spool. */
bool sf_idset_probe(sf_idset *s, const char *id, sf_idset_key *key, bool *found);

/* Add id, whose probe found nothing (no other change to the set since).
 * False on out of memory. */
bool sf_idset_put(sf_idset *s, const char *id, const sf_idset_key *key);

/* The hash a hashed id is kept under (for tests that need two ids whose
 * hashes meet). */
uint64_t sf_idset_hash(const char *id, size_t n);

/* Number of ids added. */
size_t sf_idset_count(const sf_idset *s);

/* Does any id of b also belong to a? (a the head of a file, b its tail.)
 * two_threads: the hashed ids may be compared on two threads. False on
 * out of memory too: *oom says which. True too when a spooled id could
 * not be read back (the caller then reads the file whole). */
bool sf_idset_meet(const sf_idset *a, const sf_idset *b, bool two_threads, bool *oom);

/* Bytes held, for tests and the benchmark's notes. */
size_t sf_idset_bytes(const sf_idset *s);

#endif
