/*
 * sf_ingest_int.h - inside the ingest: the reader of one input file with
 * its record rules (src/input/ingest.c), shared with the two-thread split
 * and the order of the files (src/input/ingest_split.c). Not for use
 * outside src/input.
 */
#ifndef SF_INGEST_INT_H
#define SF_INGEST_INT_H

#include <time.h>

#include "input/sf_recsrc.h"
#include "input/sf_idset.h"
#include "input/sf_ingest.h"

/* A cache of account lookups: sf_dataset_find chases three pointers per
 * lookup (slot, account, id string); at a million transactions that is
 * most of the ingest time. Short ids are kept inline in one 32-byte entry:
 * one cache line per hit. Only found accounts are cached (accounts are
 * never removed). */
#define SF_ACACHE_KEY 19
typedef struct {
    uint64_t h; /* 0 = empty */
    uint32_t idx;
    uint8_t len;
    char key[SF_ACACHE_KEY];
} sf_acache_ent;

typedef struct {
    sf_acache_ent *v;
    size_t cap, n;
} sf_acache;

/* Every account of a fixed account table (an accounts file was read),
 * indexed once and shared read-only by every reader (acindex.c): no reader
 * builds a cache of its own or asks sf_dataset_find for an id it has not
 * seen yet. When every id is one prefix and a number ("C000123",
 * "C1000000", "12345": zero-padded to one width, or wider without a
 * leading zero) and the numbers are dense, an id is found by its
 * number in a table (4 bytes per number: one memory access, no hashing);
 * otherwise through an sf_acache holding every id of at most
 * SF_ACACHE_KEY bytes (longer ids: sf_dataset_find). Lookups are exact
 * either way. */
#define SF_ACINDEX_PREFIX 32
typedef struct {
    bool live;             /* built: every account is in it */
    bool dense;            /* by number, else by hash */
    char prefix[SF_ACINDEX_PREFIX];
    size_t plen, width;    /* prefix bytes, fewest digits */
    uint64_t base, span;   /* numbers base .. base + span - 1 */
    uint32_t *slot;        /* dense: account + 1 by number - base; 0: none */
    sf_acache hash;        /* not dense */
} sf_acindex;

/* Index every account of ds (its ids are fixed from now on). SF_OK, or
 * SF_ERR_NOMEM (x is then not live and readers keep their own caches). */
sf_err sf_acindex_build(sf_acindex *x, const sf_dataset *ds);
void sf_acindex_free(sf_acindex *x);
/* The hash that sf_acindex_find takes (0 when the index does not hash);
 * its memory asked for early. */
uint64_t sf_acindex_prefetch(const sf_acindex *x, const char *id, size_t len);
/* The account of id (len bytes), or SF_NO_ACCOUNT; h from
 * sf_acindex_prefetch. */
uint32_t sf_acindex_find(const sf_acindex *x, const sf_dataset *ds, const char *id, size_t len, uint64_t h);
/* Add to a reader's own cache (optional: nothing on out of memory). */
void sf_acache_add(sf_acache *c, uint64_t h, const char *id, size_t len, uint32_t idx);
/* The cache's hash of an id (never 0: 0 marks an empty slot). */
uint64_t sf_acache_hash(const char *id);

typedef struct sf_ingest_side sf_ingest_side; /* ingest_split.c */

/* An input file, opened once for the whole ingest: every reader of it
 * (both threads of a split file) reads this one descriptor with pread, so
 * a file renamed over it meanwhile is never mixed in; its size and time are
 * checked again once it has been read (ingest_split.c). */
typedef struct {
    const char *path;      /* borrowed */
    int fd;                /* -1: not open */
    int64_t size;
    struct timespec mtime;
} sf_input;

/* Every file of every kind, opened (cfg->inputs, or file[kind] of a
 * configuration made in code). */
typedef struct {
    sf_input *v[SF_FILE_N];
    size_t n[SF_FILE_N];
} sf_inputs;

/* Columns one field may read: "A | B" takes the first non-empty. */
#define SF_ALT_MAX 4

/* Reads input files one after the other into the dataset. */
typedef struct {
    sf_dataset *ds;
    const sf_config *cfg;
    sf_rejects *rj;
    sf_ctx *ctx;
    sf_progress_fn progress;
    void *puser;
    sf_recsrc src;        /* the records of the file being read (CSV or XLSX) */

    const sf_inputs *inputs; /* the files, opened by sf_ingest (borrowed) */

    /* the file being read */
    sf_file_kind kind;
    size_t file_no;       /* which of the kind's files (cfg->inputs[kind]) */
    const char *path;
    sf_file_stats *st;
    bool footer;          /* the end marker was seen */

    /* the record being handled: its lines for rejects, written when it is
     * done (a rejection replaces the kept lines before it) */
    sf_reject_seg *seg;   /* where this reader's lines of this file go */
    struct {
        sf_file_kind line_file, count_file;
        sf_reject_reason reason;
        const char *field;
        bool kept;
    } pend[SF_FIELD_MAX + 2];
    int n_pend;
    int kept_lines;

    /* header mapping */
    size_t ncols;
    int col[SF_FIELD_MAX];            /* column of each field, -1: unmapped */
    int alt[SF_FIELD_MAX][SF_ALT_MAX - 1]; /* then these, when it is empty */
    uint8_t nalt[SF_FIELD_MAX];
    int used[SF_FIELD_MAX * SF_ALT_MAX]; /* the distinct columns read */
    size_t n_used;
    bool by_product;      /* transactions: amount = quantity x unit_price */

    sf_idset *ids;        /* of the file being read, made at its first id */
    size_t ids_hint;      /* records expected in the part read */
    sf_acache accounts;   /* this reader's, when no shared index */
    const sf_acindex *acindex; /* shared, read-only (borrowed); NULL: none */
    struct { char key[32]; int val; } memo[3][8]; /* recent mapped values */
    unsigned memo_next[3];
    sf_opportunity *opps; /* accepted opportunities, added at end of file */
    size_t n_opps, cap_opps;

    /* a transactions file split across two readers (ingest_split.c) */
    sf_tx_part *part;      /* fold transactions here, not into the dataset */
    sf_file_stats *st_own; /* count into these, not ds->files[kind] */
    int64_t start;         /* first record at this offset (a line start) */
    int64_t limit;         /* stop before the record starting here; -1: none */
    sf_ingest_side *side;  /* the thread reading from `limit` on */
} sf_ingest_reader;

/* Set up a reader over ds (rejects, progress and ctx borrowed). SF_OK or
 * an error in ctx; release it either way. */
sf_err sf_ingest_reader_init(sf_ingest_reader *g, sf_dataset *ds, const sf_config *cfg, sf_rejects *rejects,
                             sf_progress_fn progress, void *progress_user, sf_ctx *ctx);
void sf_ingest_reader_release(sf_ingest_reader *g);

/* Read every file of a kind (cfg->inputs[kind]) into the dataset: each
 * file's counts in ds->files[kind].parts[i], summed into ds->files[kind];
 * ids are checked across the kind's files; opportunities are handed to
 * the dataset after the last one. g->limit applies to the first file. */
sf_err sf_ingest_read_kind(sf_ingest_reader *g, sf_file_kind kind);

/* Read one file (or its part from g->start, or up to g->limit) into the
 * dataset: counts in ds->files[kind].parts[g->file_no] (or *g->st_own),
 * rejects in g->rj. */
sf_err sf_ingest_read_file(sf_ingest_reader *g, sf_file_kind kind, const sf_input *in);

/* ingest.c: the records after the header, to the end of the file (or to
 * g->limit); the buffered opportunities handed to the dataset (with
 * @won's derived accounts given their owner). */
sf_err sf_ingest_read_records(sf_ingest_reader *g);
sf_err sf_ingest_flush_opps(sf_ingest_reader *g);

/* ingest_map.c: map g->st's headers to the canonical fields of g->kind
 * for file g->file_no (col, alt, used, by_product, mapped_header, warnings).
 * SF_ERR_INPUT for a missing required column. */
sf_err sf_ingest_map_columns(sf_ingest_reader *g);

/* SF_ERR_INPUT naming every file whose reject share is over the limit. */
sf_err sf_ingest_check_shares(sf_ingest_reader *g);

/* Widen st's date range by d (SF_NODATE: unchanged). */
void sf_ingest_widen_dates(sf_file_stats *st, sf_date d);

/* ingest_split.c: the head's reader reached g->limit, the tail's first
 * byte (exact) or a point past it (the tail began inside a record). Sets
 * *done when the tail was taken and the file is read. */
sf_err sf_ingest_at_tail(sf_ingest_reader *g, bool exact, bool *done);

#endif
