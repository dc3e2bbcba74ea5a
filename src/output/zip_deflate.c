/*
 * zip_deflate.c - libxlsxwriter's zip entries deflated by ISA-L's igzip at
 * its level 1, on two cores.
 *
 * libxlsxwriter has no option for the compression of its zip: it deflates
 * every part at zlib's default level, on the calling thread, through
 * minizip. On a 100,000-account workbook (90 MB of sheet XML) that was the
 * largest single cost of the run. The library calls minizip through the
 * dynamic linker, so the three entry points it uses are defined here and
 * interpose them for the process:
 *
 * - zipOpenNewFileInZip4_64 opens a deflated entry in minizip's raw mode
 *   (the caller supplies the compressed bytes, the size and the CRC);
 * - zipWriteInFileInZip collects the entry's bytes in 1 MiB chunks; each
 *   full pair of chunks is deflated, one chunk on a helper thread and one
 *   on the caller's, and written in order;
 * - zipCloseFileInZip deflates what is left, the last chunk ending the stream,
 *   and closes the entry with the total size and the combined CRC.
 *
 * Each chunk is an independent raw deflate run ended by a sync flush (the
 * last by the final block), so the chunks concatenate into one valid
 * deflate stream, as pigz does.
 *
 * Rows compressed ahead (sf_zip_rows, sf_output.h): the workbook's list
 * rows do not travel through the library at all. While out_xlsx.c formats
 * them, a worker thread deflates them in 1 MiB chunks; the library's row
 * stream gets only a marker (bytes that XML never holds: it starts and
 * ends with NUL). When the marker comes through zipWriteInFileInZip, the
 * entry's bytes so far are deflated up to a sync flush and the rows'
 * compressed chunks are written in its place, their CRC combined in.
 * This saves the library's three copies of the rows (row file, sheet file,
 * zip) and moves their compression to the other core while the sheets are
 * written. A marker that never reaches the zip (this layer not in use) is
 * found by the workbook writer, which then fails rather than lose rows.
 *
 * The deflating is Intel's ISA-L (igzip, raw deflate, sync flush; the
 * final chunk with end_of_stream) and the CRC its crc32_gzip_refl, the
 * zip's CRC-32: on sheet XML igzip's level 1 is 3.7 times faster than
 * zlib's level 1 and gives 2 % smaller files, its CRC 6 times faster than
 * zlib's (docs/performance.md, "Deflate with ISA-L"). zlib still combines
 * the chunks' CRCs (crc32_combine; ISA-L has no such function). igzip
 * picks its code for the CPU at run time, so another CPU may deflate the
 * same XML to other (equally valid) bytes; on one machine the bytes are
 * the same whatever the number of threads. Anything not opened here (a
 * stored entry, or a symbol that cannot be found) goes to minizip
 * unchanged.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#include <zlib.h>

#include "base/sf_common.h"
#include "output/sf_output.h"

#define ZCHUNK ((size_t)1 << 20)
/* igzip's level and the buffer it needs (level 0 needs none): level 1 is
 * as fast as level 0 on sheet XML and deflates it 19 % smaller
 * (docs/performance.md, "Deflate with ISA-L"). */
#define ZLEVEL 1
#define ZLEVEL_BUF ISAL_DEF_LVL1_DEFAULT
/* Chunks a writer may run ahead of its deflating worker: past that it
 * waits, so a slow worker (a busy machine) cannot make the rows of a
 * million-row sheet pile up uncompressed in memory. */
#define ZAHEAD 4
#define ZIP_OK 0
#define ZIP_INTERNALERROR (-104)

/* minizip's prototypes (zip.h), spelled with plain C types. */
typedef int (*zip_open_fn)(void *file, const char *filename, const void *zipfi,
                           const void *extra_local, unsigned size_local, const void *extra_global,
                           unsigned size_global, const char *comment, int method, int level,
                           int raw, int window_bits, int mem_level, int strategy,
                           const char *password, unsigned long crc_for_crypting,
                           unsigned long version_made_by, unsigned long flag_base, int zip64);
typedef int (*zip_write_fn)(void *file, const void *buf, unsigned len);
typedef int (*zip_close_fn)(void *file);
typedef int (*zip_close_raw_fn)(void *file, unsigned long long uncompressed_size, unsigned long crc);

int zipOpenNewFileInZip4_64(void *file, const char *filename, const void *zipfi,
                            const void *extra_local, unsigned size_local, const void *extra_global,
                            unsigned size_global, const char *comment, int method, int level,
                            int raw, int window_bits, int mem_level, int strategy,
                            const char *password, unsigned long crc_for_crypting,
                            unsigned long version_made_by, unsigned long flag_base, int zip64);
int zipWriteInFileInZip(void *file, const void *buf, unsigned len);
int zipCloseFileInZip(void *file);

static struct {
    zip_open_fn open;
    zip_write_fn write;
    zip_close_fn close;
    zip_close_raw_fn close_raw;
} real;
static pthread_once_t real_once = PTHREAD_ONCE_INIT;

static void real_init(void)
{
    *(void **)&real.open = dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
    *(void **)&real.write = dlsym(RTLD_NEXT, "zipWriteInFileInZip");
    *(void **)&real.close = dlsym(RTLD_NEXT, "zipCloseFileInZip");
    *(void **)&real.close_raw = dlsym(RTLD_NEXT, "zipCloseFileInZipRaw64");
}

/* One ISA-L deflate stream with its level buffer, made on first use and
 * reused for every piece (the stream is some 80 KB, the level buffer of
 * level 1 about 300 KB: too much to set up per megabyte). */
typedef struct {
    struct isal_zstream *s;
    uint8_t *level_buf;
} zdeflater;

static void zdeflater_end(zdeflater *d)
{
    free(d->s);
    free(d->level_buf);
    d->s = NULL;
    d->level_buf = NULL;
}

typedef struct {
    unsigned char *in, *out;
    size_t n, out_n, out_cap;
    unsigned long crc;
    bool last;
    bool ok;
    zdeflater d;
} zchunk;

/* Whether this thread's zip entries are taken over at all (sf_zip_engage):
 * off, every call goes to minizip unchanged. */
static _Thread_local bool zs_engaged;

void sf_zip_engage(bool on) { zs_engaged = on; }

/* The entry being deflated here, per thread (a zip is written by one). */
static _Thread_local struct {
    void *file;     /* NULL: no entry of ours is open on this thread */
    zchunk c[2];
    int cur;        /* chunk being filled */
    unsigned long long total;
    unsigned long crc;
    bool failed;
    bool scan;      /* rows are registered: look for their markers */
    unsigned char carry[SF_ZIP_MARK_LEN]; /* a marker split over two writes */
    size_t carry_n;
} zs;

/* Make *out at least need bytes (keeping what it holds). */
static bool out_reserve(unsigned char **out, size_t *out_cap, size_t need)
{
    if (need <= *out_cap)
        return true;
    unsigned char *o = realloc(*out, need);
    if (!o)
        return false;
    *out = o;
    *out_cap = need;
    return true;
}

/* Deflate in[0..n) (n <= ZCHUNK) at ISA-L's level ZLEVEL as one raw piece
 * of an entry: ended by a sync flush (so pieces concatenate), or by the
 * final block when last. *out starts at a quarter of the input (sheet XML
 * deflates to about a ninth) and doubles whenever igzip fills it, so data
 * that does not compress costs a reallocation, not a failure. Sets *crc
 * (the zip's CRC-32, as zlib's crc32 computes it) and *out_n; false on
 * failure. */
static bool deflate_piece(zdeflater *d, const unsigned char *in, size_t n, bool last,
                          unsigned char **out, size_t *out_cap, size_t *out_n, unsigned long *crc)
{
    *crc = crc32_gzip_refl(0, in, (uint64_t)n);
    if (!d->s) {
        if (!(d->s = malloc(sizeof *d->s)))
            return false;
        if (ZLEVEL_BUF && !(d->level_buf = malloc(ZLEVEL_BUF))) {
            zdeflater_end(d);
            return false;
        }
    }
    struct isal_zstream *s = d->s;
    isal_deflate_init(s);
    s->level = ZLEVEL;
    s->level_buf = d->level_buf;
    s->level_buf_size = ZLEVEL_BUF;
    s->gzip_flag = IGZIP_DEFLATE; /* raw: minizip writes the zip's headers */
    s->flush = SYNC_FLUSH;
    s->end_of_stream = last;
    s->next_in = (uint8_t *)in;
    s->avail_in = (uint32_t)n;
    size_t used = 0;
    if (!out_reserve(out, out_cap, n / 4 + 4096))
        return false;
    int want = last ? ZSTATE_END : ZSTATE_NEW_HDR;
    for (;;) {
        s->next_out = *out + used;
        s->avail_out = (uint32_t)(*out_cap - used);
        if (isal_deflate(s) != COMP_OK)
            return false;
        used = *out_cap - s->avail_out;
        /* all input taken and the flush (or final block) written */
        if (s->avail_in == 0 && (int)s->internal_state.state == want)
            break;
        /* igzip returns early only when the output is full */
        if (s->avail_out != 0 || !out_reserve(out, out_cap, *out_cap * 2))
            return false;
    }
    *out_n = used;
    return true;
}

/* Deflate one chunk of an entry (runs on either thread). */
static void *chunk_deflate(void *arg)
{
    zchunk *c = arg;
    c->ok = deflate_piece(&c->d, c->in, c->n, c->last, &c->out, &c->out_cap, &c->out_n, &c->crc);
    return NULL;
}

/* Write a deflated piece of the entry (raw) and count what it stands
 * for: n bytes with CRC crc. */
static int emit(void *file, const unsigned char *out, size_t out_n, unsigned long crc, size_t n)
{
    zs.crc = crc32_combine(zs.crc, crc, (z_off_t)n);
    zs.total += n;
    for (size_t o = 0; o < out_n;) {
        unsigned part = out_n - o > (1u << 30) ? (1u << 30) : (unsigned)(out_n - o);
        int r = real.write(file, out + o, part);
        if (r != ZIP_OK)
            return r;
        o += part;
    }
    return ZIP_OK;
}

/* Deflate chunks 0..k-1 (two at once when k = 2) and write them in order. */
static int flush_chunks(void *file, int k)
{
    pthread_t t;
    bool threaded = k == 2 && pthread_create(&t, NULL, chunk_deflate, &zs.c[0]) == 0;
    for (int i = threaded ? 1 : 0; i < k; i++)
        chunk_deflate(&zs.c[i]);
    if (threaded)
        pthread_join(t, NULL);
    for (int i = 0; i < k; i++) {
        zchunk *c = &zs.c[i];
        if (!c->ok)
            return ZIP_INTERNALERROR;
        int r = emit(file, c->out, c->out_n, c->crc, c->n);
        if (r != ZIP_OK)
            return r;
        c->n = 0;
    }
    zs.cur = 0;
    return ZIP_OK;
}

/* ---- rows compressed ahead ---------------------------------------------------- */

typedef struct {
    unsigned char *in, *out; /* in given back once deflated; out NULL when spilled */
    size_t n, out_n;
    unsigned long crc;
} rchunk;

struct sf_zip_rows {
    char marker[SF_ZIP_MARK_LEN];
    rchunk *c;                /* in order; the last one is being filled */
    size_t n_c, cap_c;
    size_t next;              /* first chunk not yet deflated */
    unsigned long long total; /* uncompressed bytes */
    bool closing, failed, used;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t worker;
    bool worker_live;
    FILE *spill;              /* unlinked file the compressed chunks go to, in
                               * order (NULL: they stay in memory) */
    /* deflated chunks' input buffers, taken again for new chunks: a
     * megabyte from malloc is a fresh mapping (the mmap threshold is
     * 128 KiB), and faulting its pages in again for every megabyte of a
     * large workbook's XML was a third of a run's page faults */
    unsigned char *spare[2];
    size_t n_spare;
    sf_zip_rows *next_reg;    /* registry list */
};

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static sf_zip_rows *reg_head;
static unsigned long long reg_serial;
static int reg_count;

/* A deflater of row chunks: one stream and one output buffer, reused for
 * every chunk (the buffer grows to the largest chunk's output). */
typedef struct {
    zdeflater d;
    unsigned char *scratch;
    size_t scratch_cap;
} rdeflater;

static void rdeflater_end(rdeflater *d)
{
    zdeflater_end(&d->d);
    free(d->scratch);
}

/* Deflate one chunk of rows (never the last block of an entry); the
 * caller then gives its input back (give_back). A workbook's compressed
 * rows wait whole for the zip (the library writes it when the workbook
 * closes): they are appended to the spill file when there is one, else
 * kept in a block of their own exact size (the worst-case buffer is ten
 * times larger). */
static bool rchunk_deflate(rchunk *c, rdeflater *d, FILE *spill)
{
    size_t n = 0;
    if (!deflate_piece(&d->d, c->in, c->n, false, &d->scratch, &d->scratch_cap, &n, &c->crc))
        return false;
    if (spill) {
        if (fwrite(d->scratch, 1, n, spill) != n)
            return false;
        c->out_n = n;
        return true;
    }
    unsigned char *o = malloc(n ? n : 1);
    if (!o)
        return false;
    memcpy(o, d->scratch, n);
    c->out = o;
    c->out_n = n;
    return true;
}

/* A deflated chunk's input kept for the next chunk, or freed (with the
 * lock held, or with no worker). Two spares keep the writer and the
 * worker supplied: one buffer comes back for each one taken. */
static void give_back(sf_zip_rows *r, rchunk *c)
{
    if (r->n_spare < SF_ARRAY_LEN(r->spare))
        r->spare[r->n_spare++] = c->in;
    else
        free(c->in);
    c->in = NULL;
}

static void free_spares(sf_zip_rows *r)
{
    for (size_t i = 0; i < r->n_spare; i++)
        free(r->spare[i]);
    r->n_spare = 0;
}

/* Deflates filled chunks in order until closed. Every chunk but the last
 * is full; the last is ready once closing. */
static void *rows_worker(void *arg)
{
    sf_zip_rows *r = arg;
    rdeflater d = {0};
    pthread_mutex_lock(&r->mu);
    for (;;) {
        size_t ready = r->closing ? r->n_c : (r->n_c ? r->n_c - 1 : 0);
        if (r->next < ready) {
            /* a copy: the writer may move the array meanwhile */
            size_t i = r->next;
            rchunk c = r->c[i];
            pthread_mutex_unlock(&r->mu);
            bool ok = rchunk_deflate(&c, &d, r->spill);
            pthread_mutex_lock(&r->mu);
            give_back(r, &c);
            r->c[i] = c;
            if (!ok)
                r->failed = true;
            r->next++;
            pthread_cond_broadcast(&r->cv); /* a writer waiting for room */
            continue;
        }
        if (r->closing)
            break;
        pthread_cond_wait(&r->cv, &r->mu);
    }
    free_spares(r); /* the sheet is written: no chunk will be taken again */
    pthread_mutex_unlock(&r->mu);
    rdeflater_end(&d);
    return NULL;
}

/* An unlinked temporary file in dir, or NULL (then memory is used). */
static FILE *spill_open(const char *dir)
{
    if (!dir)
        return NULL;
    size_t n = strlen(dir) + sizeof "/sfrows-XXXXXX";
    char *path = malloc(n);
    if (!path)
        return NULL;
    snprintf(path, n, "%s/sfrows-XXXXXX", dir);
    int fd = mkstemp(path);
    FILE *fp = NULL;
    if (fd >= 0) {
        unlink(path);
        if (!(fp = fdopen(fd, "w+b")))
            close(fd);
    }
    free(path);
    return fp;
}

sf_zip_rows *sf_zip_rows_new(bool worker, const char *spill_dir)
{
    sf_zip_rows *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->spill = spill_open(spill_dir);
    if (pthread_mutex_init(&r->mu, NULL) != 0) {
        free(r);
        return NULL;
    }
    if (pthread_cond_init(&r->cv, NULL) != 0) {
        pthread_mutex_destroy(&r->mu);
        free(r);
        return NULL;
    }
    /* without a worker (one thread asked for, or none to be had) the
     * writer deflates each chunk itself: the same bytes either way */
    if (worker)
        r->worker_live = pthread_create(&r->worker, NULL, rows_worker, r) == 0;
    pthread_mutex_lock(&reg_mu);
    unsigned long long serial = ++reg_serial;
    r->next_reg = reg_head;
    reg_head = r;
    reg_count++;
    pthread_mutex_unlock(&reg_mu);
    /* NUL, "SFROWS", 16 hex digits, NUL */
    static const char hex[] = "0123456789abcdef";
    r->marker[0] = '\0';
    memcpy(r->marker + 1, "SFROWS", 6);
    for (int i = 0; i < 16; i++)
        r->marker[7 + i] = hex[(serial >> (60 - 4 * i)) & 15];
    r->marker[SF_ZIP_MARK_LEN - 1] = '\0';
    return r;
}

const char *sf_zip_rows_marker(const sf_zip_rows *r) { return r->marker; }

/* Deflate, on this thread, every chunk not yet deflated up to `upto`. */
static void deflate_here(sf_zip_rows *r, size_t upto)
{
    rdeflater d = {0};
    for (; r->next < upto && !r->failed; r->next++) {
        if (!rchunk_deflate(&r->c[r->next], &d, r->spill))
            r->failed = true;
        give_back(r, &r->c[r->next]);
    }
    rdeflater_end(&d);
}

bool sf_zip_rows_write(sf_zip_rows *r, const void *buf, size_t len)
{
    const unsigned char *p = buf;
    while (len) {
        pthread_mutex_lock(&r->mu);
        if (r->failed || r->closing) {
            pthread_mutex_unlock(&r->mu);
            return false;
        }
        rchunk *c = r->n_c ? &r->c[r->n_c - 1] : NULL;
        if (!c || c->n == ZCHUNK) {
            if (r->n_c == r->cap_c) {
                /* the worker holds an index, never a pointer, across this */
                size_t cap = r->cap_c ? r->cap_c * 2 : 16;
                rchunk *v = realloc(r->c, cap * sizeof *v);
                if (!v) {
                    pthread_mutex_unlock(&r->mu);
                    return false;
                }
                r->c = v;
                r->cap_c = cap;
            }
            unsigned char *in = r->n_spare ? r->spare[--r->n_spare] : malloc(ZCHUNK);
            if (!in) {
                pthread_mutex_unlock(&r->mu);
                return false;
            }
            r->c[r->n_c++] = (rchunk){.in = in};
            pthread_cond_broadcast(&r->cv); /* the chunk before is ready */
            while (r->worker_live && !r->failed && r->n_c - r->next > ZAHEAD)
                pthread_cond_wait(&r->cv, &r->mu);
        }
        size_t last = r->n_c - 1;
        unsigned char *in = r->c[last].in;
        size_t have = r->c[last].n;
        pthread_mutex_unlock(&r->mu);
        /* the last chunk's bytes are the writer's alone */
        size_t take = ZCHUNK - have < len ? ZCHUNK - have : len;
        memcpy(in + have, p, take);
        pthread_mutex_lock(&r->mu);
        r->c[last].n = have + take;
        pthread_mutex_unlock(&r->mu);
        r->total += take;
        p += take;
        len -= take;
        if (!r->worker_live && have + take == ZCHUNK)
            deflate_here(r, r->n_c);
    }
    return true;
}

bool sf_zip_rows_finish(sf_zip_rows *r)
{
    /* the worker deflates the last chunk meanwhile; the zip layer waits
     * for it (rows_close) */
    pthread_mutex_lock(&r->mu);
    r->closing = true;
    pthread_cond_signal(&r->cv);
    bool ok = !r->failed;
    pthread_mutex_unlock(&r->mu);
    return ok;
}

/* Wait until every chunk is deflated. */
static bool rows_close(sf_zip_rows *r)
{
    sf_zip_rows_finish(r);
    if (r->worker_live) {
        pthread_join(r->worker, NULL);
        r->worker_live = false;
    }
    deflate_here(r, r->n_c);
    free_spares(r);
    return !r->failed;
}

bool sf_zip_rows_used(const sf_zip_rows *r) { return r->used; }

void sf_zip_rows_free(sf_zip_rows *r)
{
    if (!r)
        return;
    rows_close(r);
    pthread_mutex_lock(&reg_mu);
    for (sf_zip_rows **pp = &reg_head; *pp; pp = &(*pp)->next_reg)
        if (*pp == r) {
            *pp = r->next_reg;
            reg_count--;
            break;
        }
    pthread_mutex_unlock(&reg_mu);
    for (size_t i = 0; i < r->n_c; i++) {
        free(r->c[i].in);
        free(r->c[i].out);
    }
    free(r->c);
    if (r->spill)
        fclose(r->spill);
    pthread_cond_destroy(&r->cv);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

static sf_zip_rows *rows_find(const unsigned char *marker)
{
    pthread_mutex_lock(&reg_mu);
    sf_zip_rows *r = reg_head;
    while (r && memcmp(r->marker, marker, SF_ZIP_MARK_LEN) != 0)
        r = r->next_reg;
    pthread_mutex_unlock(&reg_mu);
    return r;
}

static bool rows_registered(void)
{
    pthread_mutex_lock(&reg_mu);
    bool any = reg_count > 0;
    pthread_mutex_unlock(&reg_mu);
    return any;
}

static void state_release(void)
{
    for (int i = 0; i < 2; i++) {
        zchunk *c = &zs.c[i];
        zdeflater_end(&c->d);
        free(c->in);
        free(c->out);
    }
    memset(&zs, 0, sizeof zs);
}

int zipOpenNewFileInZip4_64(void *file, const char *filename, const void *zipfi,
                            const void *extra_local, unsigned size_local, const void *extra_global,
                            unsigned size_global, const char *comment, int method, int level,
                            int raw, int window_bits, int mem_level, int strategy,
                            const char *password, unsigned long crc_for_crypting,
                            unsigned long version_made_by, unsigned long flag_base, int zip64)
{
    pthread_once(&real_once, real_init);
    if (!real.open)
        return ZIP_INTERNALERROR;
    if (!zs_engaged) /* the library's own zip, as it would write it */
        return real.open(file, filename, zipfi, extra_local, size_local, extra_global, size_global,
                         comment, method, level, raw, window_bits, mem_level, strategy, password,
                         crc_for_crypting, version_made_by, flag_base, zip64);
    bool ours = real.write && real.close && real.close_raw && method == Z_DEFLATED && level != 0 &&
                !raw && !password && !zs.file;
    if (ours) {
        for (int i = 0; i < 2 && ours; i++)
            if (!zs.c[i].in && !(zs.c[i].in = malloc(ZCHUNK)))
                ours = false;
        if (!ours)
            state_release();
    }
    if (level != 0) /* 0 = stored; keep it */
        level = 1;
    int r = real.open(file, filename, zipfi, extra_local, size_local, extra_global, size_global,
                      comment, method, level, ours ? 1 : raw, window_bits, mem_level, strategy,
                      password, crc_for_crypting, version_made_by, flag_base, zip64);
    if (ours && r == ZIP_OK) {
        zs.file = file;
        zs.cur = 0;
        zs.total = 0;
        zs.crc = 0;
        zs.failed = false;
        zs.c[0].n = zs.c[1].n = 0;
        zs.scan = rows_registered();
        zs.carry_n = 0;
    } else if (ours) {
        state_release();
    }
    return r;
}

/* Append entry bytes to the chunks, deflating each full pair. */
static int entry_feed(void *file, const unsigned char *p, size_t len)
{
    while (len) {
        zchunk *c = &zs.c[zs.cur];
        if (c->n == ZCHUNK) {
            if (zs.cur == 0) {
                c = &zs.c[zs.cur = 1];
            } else {
                /* both full and more follows: neither is the last */
                zs.c[0].last = zs.c[1].last = false;
                int r = flush_chunks(file, 2);
                if (r != ZIP_OK)
                    return r;
                c = &zs.c[0];
            }
        }
        size_t take = ZCHUNK - c->n < len ? ZCHUNK - c->n : len;
        memcpy(c->in + c->n, p, take);
        c->n += take;
        p += take;
        len -= take;
    }
    return ZIP_OK;
}

/* The spilled compressed chunks of r read back in order and written. */
static int splice_spilled(void *file, sf_zip_rows *r)
{
    if (fflush(r->spill) != 0 || fseek(r->spill, 0, SEEK_SET) != 0)
        return ZIP_INTERNALERROR;
    unsigned char *buf = NULL;
    size_t cap = 0;
    int e = ZIP_OK;
    for (size_t i = 0; i < r->n_c && e == ZIP_OK; i++) {
        size_t n = r->c[i].out_n;
        if (n > cap) {
            unsigned char *b = realloc(buf, n);
            if (!b) {
                e = ZIP_INTERNALERROR;
                break;
            }
            buf = b;
            cap = n;
        }
        if (fread(buf, 1, n, r->spill) != n)
            e = ZIP_INTERNALERROR;
        else
            e = emit(file, buf, n, r->c[i].crc, r->c[i].n);
    }
    free(buf);
    if (e == ZIP_OK)
        r->used = true;
    return e;
}

/* The rows of marker go here: the bytes before are deflated up to a sync
 * flush, then the rows' compressed chunks follow as they are. */
static int entry_splice(void *file, const unsigned char *marker)
{
    sf_zip_rows *r = rows_find(marker);
    if (!r || r->used || !rows_close(r))
        return ZIP_INTERNALERROR;
    if (zs.cur > 0 || zs.c[0].n > 0) {
        for (int i = 0; i <= zs.cur; i++)
            zs.c[i].last = false;
        int e = flush_chunks(file, zs.cur + 1);
        if (e != ZIP_OK)
            return e;
    }
    if (r->spill)
        return splice_spilled(file, r);
    for (size_t i = 0; i < r->n_c; i++) {
        int e = emit(file, r->c[i].out, r->c[i].out_n, r->c[i].crc, r->c[i].n);
        if (e != ZIP_OK)
            return e;
    }
    r->used = true;
    return ZIP_OK;
}

int zipWriteInFileInZip(void *file, const void *buf, unsigned len)
{
    pthread_once(&real_once, real_init);
    if (!file || file != zs.file)
        return real.write ? real.write(file, buf, len) : ZIP_INTERNALERROR;
    if (zs.failed)
        return ZIP_INTERNALERROR;
    const unsigned char *p = buf;
    size_t n = len;
    int e = ZIP_OK;
    while (n && e == ZIP_OK) {
        if (zs.carry_n) {
            /* complete a marker begun in the previous write */
            size_t take = SF_ZIP_MARK_LEN - zs.carry_n < n ? SF_ZIP_MARK_LEN - zs.carry_n : n;
            memcpy(zs.carry + zs.carry_n, p, take);
            zs.carry_n += take;
            p += take;
            n -= take;
            if (zs.carry_n == SF_ZIP_MARK_LEN) {
                e = entry_splice(file, zs.carry);
                zs.carry_n = 0;
            }
            continue;
        }
        /* XML holds no NUL: one starts a marker */
        const unsigned char *z = zs.scan ? memchr(p, '\0', n) : NULL;
        size_t plain = z ? (size_t)(z - p) : n;
        e = entry_feed(file, p, plain);
        p += plain;
        n -= plain;
        if (z && e == ZIP_OK) {
            size_t take = n < SF_ZIP_MARK_LEN ? n : SF_ZIP_MARK_LEN;
            memcpy(zs.carry, p, take);
            zs.carry_n = take;
            p += take;
            n -= take;
            if (take == SF_ZIP_MARK_LEN) {
                e = entry_splice(file, zs.carry);
                zs.carry_n = 0;
            }
        }
    }
    if (e != ZIP_OK)
        zs.failed = true;
    return e;
}

int zipCloseFileInZip(void *file)
{
    pthread_once(&real_once, real_init);
    if (!file || file != zs.file)
        return real.close ? real.close(file) : ZIP_INTERNALERROR;
    int r = ZIP_INTERNALERROR;
    if (!zs.failed && !zs.carry_n) {
        int k = zs.cur + 1; /* chunk 0 (maybe empty) and, when started, chunk 1 */
        for (int i = 0; i < k; i++)
            zs.c[i].last = i == k - 1;
        r = flush_chunks(file, k);
    }
    unsigned long long total = zs.total;
    unsigned long crc = zs.crc;
    state_release();
    /* raw close even after a failure, so minizip is left consistent */
    int rc = real.close_raw(file, total, crc);
    return r != ZIP_OK ? r : rc;
}
