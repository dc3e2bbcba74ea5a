/*
 * ingest_split.c - the order in which the input files are read, a large
 * transactions file read by two threads (docs/ingest.md, "Two threads"),
 * and the consistent read: every file is opened once, both threads read
 * that one descriptor, and a file whose size or modification time changed
 * by the end of the read is an input error. The records themselves are
 * ingest.c's.
 */
#include "input/sf_ingest_int.h"
#include "base/sf_file.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The first file of a kind, NULL when it has none. */
static const char *input_path(const sf_config *cfg, sf_file_kind k)
{
    if (cfg->inputs[k].n)
        return cfg->inputs[k].v[0].path;
    return cfg->file[k] && *cfg->file[k] ? cfg->file[k] : NULL; /* a config made in code */
}

/* ---- the files, opened once ----------------------------------------------- */

static sf_err input_open(sf_input *in, const char *path, sf_ctx *ctx)
{
    in->path = path;
    char why[160];
    struct stat sb;
    in->fd = sf_open_regular(path, why, sizeof why);
    if (in->fd < 0)
        return sf_ctx_error(ctx, SF_ERR_INPUT, "%s: cannot open: %s", path, why);
    if (fstat(in->fd, &sb) != 0)
        return sf_ctx_error(ctx, SF_ERR_INPUT, "%s: cannot open: %s", path, strerror(errno));
    in->size = (int64_t)sb.st_size;
    in->mtime = sb.st_mtim;
    return SF_OK;
}

/* The file as it was when opened? A changed size or modification time
 * means someone wrote it meanwhile: what was read may be half of each. */
static sf_err input_check(const sf_input *in, sf_ctx *ctx)
{
    struct stat sb;
    if (in->fd < 0)
        return SF_OK;
    if (fstat(in->fd, &sb) != 0)
        return sf_ctx_error(ctx, SF_ERR_INPUT, "%s: %s", in->path, strerror(errno));
    if ((int64_t)sb.st_size != in->size || sb.st_mtim.tv_sec != in->mtime.tv_sec ||
        sb.st_mtim.tv_nsec != in->mtime.tv_nsec)
        return sf_ctx_error(ctx, SF_ERR_INPUT,
                            "%s: the file changed while it was read (%lld bytes when opened, %lld now, or a "
                            "new modification time): read it again once the export is complete",
                            in->path, (long long)in->size, (long long)sb.st_size);
    return SF_OK;
}

/* Open every file of every kind (not the transactions of @won, which has
 * none). */
static sf_err inputs_open(sf_inputs *in, const sf_config *cfg, sf_ctx *ctx)
{
    memset(in, 0, sizeof *in);
    for (int k = 0; k < SF_FILE_N; k++) {
        if (k == SF_FILE_TRANSACTIONS && cfg->transactions_from_won)
            continue;
        size_t n = cfg->inputs[k].n;
        const char *one = !n && cfg->file[k] && *cfg->file[k] ? cfg->file[k] : NULL; /* made in code */
        if (one)
            n = 1;
        if (!n)
            continue;
        if (!(in->v[k] = calloc(n, sizeof *in->v[k])))
            return sf_ctx_nomem(ctx);
        for (size_t i = 0; i < n; i++)
            in->v[k][i].fd = -1;
        in->n[k] = n;
        for (size_t i = 0; i < n; i++) {
            sf_err e = input_open(&in->v[k][i], one ? one : cfg->inputs[k].v[i].path, ctx);
            if (e)
                return e;
        }
    }
    return SF_OK;
}

static sf_err inputs_check(const sf_inputs *in, sf_ctx *ctx)
{
    for (int k = 0; k < SF_FILE_N; k++)
        for (size_t i = 0; i < in->n[k]; i++) {
            sf_err e = input_check(&in->v[k][i], ctx);
            if (e)
                return e;
        }
    return SF_OK;
}

static void inputs_close(sf_inputs *in)
{
    for (int k = 0; k < SF_FILE_N; k++) {
        for (size_t i = 0; i < in->n[k]; i++)
            if (in->v[k][i].fd >= 0)
                close(in->v[k][i].fd);
        free(in->v[k]);
    }
    memset(in, 0, sizeof *in);
}

/* ---- two readers ------------------------------------------------------------ */

/*
 * With the account table fixed (an accounts file), the second core reads
 * the activities file and the tail of the transactions file while the
 * first reads the head of the transactions file:
 *
 * - the tail starts at a line break near the point that balances the two
 *   threads' bytes; it is folded into a private sf_tx_part, with its own
 *   counters, rejects (lines counted from the tail's start) and id set;
 * - the head's reader stops when its next record starts exactly at the
 *   tail's first byte, waits for the other thread and merges the tail:
 *   counters added, reject lines shifted by the head's line count,
 *   accumulators merged;
 * - the tail is used only if it is exactly what a single reader would have
 *   read there: the head ends on its first byte (not inside a quoted line
 *   break), the head did not end in the footer (end_marker), no
 *   transaction id of the tail was already in the head, and the merged
 *   book totals fit. Otherwise it is dropped and the head's reader reads on
 *   to the end of the file itself, as one reader would.
 *
 * While the second thread reads the tail, the first reads the
 * opportunities file (once the activities are done: both intern owner
 * names, which keeps the owners in the order one reader gives them).
 *
 * Transactions and activities fold into disjoint fields of the accounts
 * (sf_dataset.h), and only activities and opportunities touch owners, so
 * nothing else needs a lock. A test compares every output with a
 * single-threaded run.
 */
struct sf_ingest_side {
    sf_ingest_reader g;
    sf_rejects rj;      /* activities */
    sf_ctx ctx;
    const char *act;    /* activities file, or NULL */
    const sf_input *tx; /* transactions file whose tail is read here, or NULL */
    const char *opp;    /* opportunities file the head's reader reads meanwhile */
    bool opp_done;
    sf_err err;         /* of the activities */
    pthread_mutex_t mu; /* guards act_done */
    pthread_cond_t cv;
    bool act_done;
    /* the transactions tail */
    int64_t tx_start;
    sf_tx_part *part;
    sf_file_stats tail_st;
    sf_rejects tail_rj;
    sf_idset *tail_ids;
    bool tail_read;     /* read to its end without error */
    /* the thread */
    pthread_t tid;
    bool started, joined;
};

static void *side_thread(void *arg)
{
    sf_ingest_side *sr = arg;
    sf_ingest_reader *g = &sr->g;
    sr->err = SF_OK;
    if (sr->act)
        sr->err = sf_ingest_read_kind(g, SF_FILE_ACTIVITIES);
    pthread_mutex_lock(&sr->mu);
    sr->act_done = true;
    pthread_cond_broadcast(&sr->cv);
    pthread_mutex_unlock(&sr->mu);
    if (sr->err == SF_OK && sr->tx) {
        g->rj = &sr->tail_rj;
        g->part = sr->part;
        g->st_own = &sr->tail_st;
        g->start = sr->tx_start;
        g->file_no = 0;
        sf_idset_free(g->ids);
        g->ids = NULL;
        sf_err e = sf_ingest_read_file(g, SF_FILE_TRANSACTIONS, sr->tx);
        /* keep the tail's ids for the check against the head's */
        sr->tail_ids = g->ids;
        g->ids = NULL;
        /* an error in the tail is the head reader's to find (or not):
         * the tail is then read again by it */
        sr->tail_read = e == SF_OK;
    }
    return NULL;
}

static void side_join(sf_ingest_side *sr)
{
    if (sr->started && !sr->joined) {
        pthread_join(sr->tid, NULL);
        sr->joined = true;
    }
}

/* Move every line, count and example of src into dst; line numbers of
 * src are shifted by line_shift. */
static sf_err rejects_merge(sf_rejects *dst, sf_rejects *src, uint32_t line_shift, sf_ctx *ctx)
{
    return sf_rejects_merge(dst, src, line_shift, ctx);
}

/* The opportunities file, read by the head's thread while the other one
 * reads the tail: after the activities (see "two readers"). */
static sf_err read_opps_meanwhile(sf_ingest_reader *g, sf_ingest_side *sr)
{
    pthread_mutex_lock(&sr->mu);
    while (!sr->act_done)
        pthread_cond_wait(&sr->cv, &sr->mu);
    pthread_mutex_unlock(&sr->mu);
    if (sr->err != SF_OK)
        return SF_OK; /* reported by take_tail */
    sf_ingest_reader o;
    sf_err e = sf_ingest_reader_init(&o, g->ds, g->cfg, g->rj, g->progress, g->puser, g->ctx);
    o.inputs = g->inputs;
    o.acindex = g->acindex;
    if (e == SF_OK)
        e = sf_ingest_read_kind(&o, SF_FILE_OPPORTUNITIES);
    sf_ingest_reader_release(&o);
    sr->opp_done = e == SF_OK;
    return e;
}

/* The head reader is at the tail's first byte: take the tail, or not. */
static sf_err take_tail(sf_ingest_reader *g, bool *done)
{
    sf_ingest_side *sr = g->side;
    *done = false;
    sf_err e = sr->opp ? read_opps_meanwhile(g, sr) : SF_OK;
    bool oom = false;
    side_join(sr);
    if (e != SF_OK)
        return e;
    if (sr->err != SF_OK)
        return sf_ctx_error(g->ctx, sr->err, "%s", sr->ctx.msg);
    sf_file_stats *st = g->st, *t = &sr->tail_st;
    /* otherwise read on: the head's reader reads the tail itself */
    if (!sr->tail_read)
        st->split_note = "tail read again: it could not be read on its own";
    else if (g->footer)
        st->split_note = "tail read again: the footer starts before it";
    else if (g->ids && sr->tail_ids && sf_idset_meet(g->ids, sr->tail_ids, true, &oom))
        st->split_note = "tail read again: it repeats a transaction id of the head";
    else if (oom)
        return sf_ctx_nomem(g->ctx);
    else if (!sf_dataset_merge_tx_part(g->ds, sr->part))
        st->split_note = "tail read again: the book's totals would overflow";
    else
        st->split_note = "tail read in parallel";
    if (strcmp(st->split_note, "tail read in parallel") != 0)
        return SF_OK;
    st->read += t->read;
    st->accepted += t->accepted;
    st->rejected += t->rejected;
    st->kept_with_fault += t->kept_with_fault;
    st->blank += t->blank;
    st->footer += t->footer;
    sf_ingest_widen_dates(st, t->min_date);
    sf_ingest_widen_dates(st, t->max_date);
    *done = true;
    return rejects_merge(g->rj, &sr->tail_rj, g->src.csv.line - 1, g->ctx);
}

sf_err sf_ingest_at_tail(sf_ingest_reader *g, bool exact, bool *done)
{
    *done = false;
    /* past it, the tail began inside a record of the head's and cannot be
     * used: the head's reader reads on */
    if (!exact) {
        g->st->split_note = "tail read again: the split point is inside a quoted field";
        return SF_OK;
    }
    return take_tail(g, done);
}

/* Offset just after the first line feed at or after `from`, or -1. */
static int64_t line_start_after(const sf_input *in, int64_t from)
{
    char buf[65536];
    int64_t found = -1;
    for (int64_t off = from; found < 0 && off < from + ((int64_t)1 << 20) && off < in->size;) {
        ssize_t r = pread(in->fd, buf, sizeof buf, (off_t)off);
        if (r <= 0)
            break;
        const char *nl = memchr(buf, '\n', (size_t)r);
        if (nl)
            found = off + (nl - buf) + 1;
        off += r;
    }
    return found;
}

/* The bytes of a kind's files. */
static int64_t kind_size(const sf_inputs *in, sf_file_kind k)
{
    int64_t t = 0;
    for (size_t i = 0; i < in->n[k]; i++)
        t += in->v[k][i].size;
    return t;
}

/* Where the transactions tail starts, or 0 for no split. The head is
 * sized so that both threads read about as many bytes (head and
 * opportunities on the first, activities and tail on the second); a tail
 * below sf_settings.split_min bytes (default 1 MiB) is not worth a second pass of
 * the header. */
static int64_t split_point(const sf_inputs *in, int64_t min)
{
    if (min < 1)
        min = 1;
    const sf_input *tx = &in->v[SF_FILE_TRANSACTIONS][0];
    if (sf_file_format_of_fd(tx->fd) != SF_FMT_TEXT)
        return 0; /* a workbook is read by one reader, from its start */
    int64_t t = tx->size, a = kind_size(in, SF_FILE_ACTIVITIES), o = kind_size(in, SF_FILE_OPPORTUNITIES);
    int64_t head = (t + a - o) / 2;
    if (head < 0)
        head = 0;
    if (head >= t || t - head < min)
        return 0;
    int64_t at = line_start_after(tx, head);
    return at > 0 && at < t ? at : 0;
}

static void side_release(sf_ingest_side *sr)
{
    if (!sr)
        return;
    side_join(sr);
    pthread_mutex_destroy(&sr->mu);
    pthread_cond_destroy(&sr->cv);
    sf_rejects_release(&sr->rj);
    sf_rejects_release(&sr->tail_rj);
    sf_file_stats_release(&sr->tail_st);
    sf_idset_free(sr->tail_ids);
    sf_tx_part_free(sr->part);
    sf_ingest_reader_release(&sr->g);
    free(sr);
}

/* Every kind in order (see "two readers"), each file from its one
 * descriptor in g->inputs. */
static sf_err ingest_kinds(sf_ingest_reader *g, sf_acindex *acindex, const sf_settings *set, sf_ctx *ctx)
{
    sf_dataset *ds = g->ds;
    const sf_config *cfg = g->cfg;
    const sf_inputs *in = g->inputs;
    bool tx = in->n[SF_FILE_TRANSACTIONS] > 0, act = in->n[SF_FILE_ACTIVITIES] > 0,
         opp = in->n[SF_FILE_OPPORTUNITIES] > 0;
    sf_err e = sf_ingest_read_kind(g, SF_FILE_USERS);
    if (e == SF_OK && !ds->accounts_derived)
        e = sf_ingest_read_kind(g, SF_FILE_ACCOUNTS);
    /* the account ids are fixed from here on: one index for every reader
     * (without memory for it, each reader keeps a cache of its own) */
    if (e == SF_OK && !ds->accounts_derived && sf_acindex_build(acindex, ds) == SF_OK)
        g->acindex = acindex;

    /* The second thread (see "two readers"): the activities files and the
     * tail of the transactions file (when there is one file). */
    bool parallel = e == SF_OK && tx && !ds->accounts_derived && !cfg->transactions_from_won &&
                    !set->single_thread;
    bool one_tx = in->n[SF_FILE_TRANSACTIONS] == 1;
    int64_t tail = parallel && one_tx ? split_point(in, set->split_min) : 0;
    sf_ingest_side *sr = NULL;
    if (parallel && (act || tail) && (sr = calloc(1, sizeof *sr)) != NULL &&
        (pthread_mutex_init(&sr->mu, NULL) != 0 || pthread_cond_init(&sr->cv, NULL) != 0)) {
        free(sr); /* (cannot happen with default attributes on Linux) */
        sr = NULL;
    }
    /* the other thread's lines go to spools of their own, merged after */
    if (sr && (sf_rejects_init(&sr->rj, g->rj->dir, &sr->ctx) != SF_OK ||
               sf_rejects_init(&sr->tail_rj, g->rj->dir, &sr->ctx) != SF_OK)) {
        side_release(sr);
        sr = NULL;
    }
    if (sr && sf_ingest_reader_init(&sr->g, ds, cfg, &sr->rj, NULL, NULL, &sr->ctx) == SF_OK) {
        sr->g.inputs = in;
        sr->g.acindex = g->acindex;
        sr->act = act ? input_path(cfg, SF_FILE_ACTIVITIES) : NULL;
        if (tail && (sr->part = sf_tx_part_new(ds)) != NULL) {
            sr->tx = &in->v[SF_FILE_TRANSACTIONS][0];
            sr->tx_start = tail;
            sr->opp = opp ? input_path(cfg, SF_FILE_OPPORTUNITIES) : NULL;
        }
        sr->started = pthread_create(&sr->tid, NULL, side_thread, sr) == 0;
        if (sr->started && sr->tx) {
            ds->files[SF_FILE_TRANSACTIONS].split_at = tail;
            g->limit = tail;
            g->side = sr;
        }
    }
    bool act_done = sr && sr->started && act;

    if (e == SF_OK && cfg->transactions_from_won) {
        sf_file_stats *t = &ds->files[SF_FILE_TRANSACTIONS];
        t->present = true;
        t->min_date = t->max_date = SF_NODATE;
        if (!t->path && !(t->path = sf_strdup("@won")))
            e = sf_ctx_nomem(ctx);
        if (e == SF_OK)
            e = sf_ingest_read_kind(g, SF_FILE_OPPORTUNITIES);
    } else if (e == SF_OK) {
        e = sf_ingest_read_kind(g, SF_FILE_TRANSACTIONS);
    }
    g->limit = -1;
    g->side = NULL;
    if (act_done) {
        side_join(sr);
        if (e == SF_OK && sr->err != SF_OK)
            e = sf_ctx_error(ctx, sr->err, "%s", sr->ctx.msg);
        if (e == SF_OK)
            e = rejects_merge(g->rj, &sr->rj, 0, ctx);
    } else if (e == SF_OK && act) {
        e = sf_ingest_read_kind(g, SF_FILE_ACTIVITIES);
    }
    bool opp_done = sr && sr->opp_done;
    side_release(sr);
    if (e == SF_OK && opp && !cfg->transactions_from_won && !opp_done)
        e = sf_ingest_read_kind(g, SF_FILE_OPPORTUNITIES);
    return e;
}

sf_err sf_ingest(sf_dataset *ds, const sf_config *cfg, const sf_settings *set, sf_rejects *rejects,
                 sf_progress_fn progress, void *progress_user, sf_ctx *ctx)
{
    sf_settings defaults;
    if (!set) {
        sf_settings_default(&defaults);
        set = &defaults;
    }
    const char *tx = cfg->transactions_from_won ? NULL : input_path(cfg, SF_FILE_TRANSACTIONS);
    const char *opp = input_path(cfg, SF_FILE_OPPORTUNITIES);
    const char *act = input_path(cfg, SF_FILE_ACTIVITIES);
    if (cfg->transactions_from_won && !opp)
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: [input] transactions = @won needs an opportunities file",
                            cfg->path ? cfg->path : "config");
    if (!cfg->transactions_from_won && !tx)
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: [input] transactions is required",
                            cfg->path ? cfg->path : "config");
    /* every file opened once, first: a missing one is found before any
     * reading, and each is read as it was then */
    sf_inputs in;
    sf_err e = inputs_open(&in, cfg, ctx);
    sf_ingest_reader g;
    if (e == SF_OK) {
        e = sf_ingest_reader_init(&g, ds, cfg, rejects, progress, progress_user, ctx);
        g.inputs = &in;
        ds->accounts_derived = !input_path(cfg, SF_FILE_ACCOUNTS);
        ds->have_activities = act != NULL;
        ds->have_opportunities = opp != NULL;
        sf_acindex acindex = {0};
        if (e == SF_OK)
            e = ingest_kinds(&g, &acindex, set, ctx);
        /* every file as it was when opened, or what was read may be a mix */
        if (e == SF_OK)
            e = inputs_check(&in, ctx);
        if (e == SF_OK)
            e = sf_rejects_finish(rejects, ctx);
        if (e == SF_OK)
            e = sf_ingest_check_shares(&g);
        sf_ingest_reader_release(&g);
        sf_acindex_free(&acindex);
    }
    inputs_close(&in);
    return e;
}
