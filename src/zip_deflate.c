/*
 * zip_deflate.c - libxlsxwriter's zip entries deflated at level 1, on two
 * cores.
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
 * - zipCloseFileInZip deflates what is left, the last chunk with Z_FINISH,
 *   and closes the entry with the total size and the combined CRC.
 *
 * Each chunk is an independent raw deflate run ended by a sync flush (the
 * last by the final block), so the chunks concatenate into one valid
 * deflate stream, as pigz does. Level 1 is about three times faster than
 * the default for ~15 % larger files. Anything not opened here (a stored
 * entry, or a symbol that cannot be found) goes to minizip unchanged.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "sf_common.h"

#define ZCHUNK ((size_t)1 << 20)
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

typedef struct {
    unsigned char *in, *out;
    size_t n, out_n, out_cap;
    unsigned long crc;
    bool last;
    bool ok;
    z_stream z;
    bool z_live;
} zchunk;

/* The entry being deflated here, per thread (a zip is written by one). */
static _Thread_local struct {
    void *file;     /* NULL: no entry of ours is open on this thread */
    zchunk c[2];
    int cur;        /* chunk being filled */
    unsigned long long total;
    unsigned long crc;
    bool failed;
} zs;

/* Deflate one chunk into its out buffer (runs on either thread). */
static void *chunk_deflate(void *arg)
{
    zchunk *c = arg;
    c->ok = false;
    c->crc = crc32(0L, c->in, (uInt)c->n);
    if (!c->z_live) {
        memset(&c->z, 0, sizeof c->z);
        if (deflateInit2(&c->z, 1, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            return NULL;
        c->z_live = true;
    } else if (deflateReset(&c->z) != Z_OK) {
        return NULL;
    }
    size_t need = deflateBound(&c->z, (uLong)c->n) + 16; /* + the sync flush marker */
    if (need > c->out_cap) {
        unsigned char *o = realloc(c->out, need);
        if (!o)
            return NULL;
        c->out = o;
        c->out_cap = need;
    }
    c->z.next_in = c->in;
    c->z.avail_in = (uInt)c->n;
    c->z.next_out = c->out;
    c->z.avail_out = (uInt)c->out_cap;
    int r = deflate(&c->z, c->last ? Z_FINISH : Z_SYNC_FLUSH);
    if (c->last ? r != Z_STREAM_END : (r != Z_OK || c->z.avail_in != 0))
        return NULL;
    c->out_n = c->out_cap - c->z.avail_out;
    c->ok = true;
    return NULL;
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
        zs.crc = zs.total ? crc32_combine(zs.crc, c->crc, (z_off_t)c->n) : c->crc;
        zs.total += c->n;
        for (size_t o = 0; o < c->out_n;) {
            unsigned part = c->out_n - o > (1u << 30) ? (1u << 30) : (unsigned)(c->out_n - o);
            int r = real.write(file, c->out + o, part);
            if (r != ZIP_OK)
                return r;
            o += part;
        }
        c->n = 0;
    }
    zs.cur = 0;
    return ZIP_OK;
}

static void state_release(void)
{
    for (int i = 0; i < 2; i++) {
        zchunk *c = &zs.c[i];
        if (c->z_live)
            deflateEnd(&c->z);
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
    } else if (ours) {
        state_release();
    }
    return r;
}

int zipWriteInFileInZip(void *file, const void *buf, unsigned len)
{
    pthread_once(&real_once, real_init);
    if (!file || file != zs.file)
        return real.write ? real.write(file, buf, len) : ZIP_INTERNALERROR;
    if (zs.failed)
        return ZIP_INTERNALERROR;
    const unsigned char *p = buf;
    while (len) {
        zchunk *c = &zs.c[zs.cur];
        if (c->n == ZCHUNK) {
            if (zs.cur == 0) {
                c = &zs.c[zs.cur = 1];
            } else {
                /* both full and more follows: neither is the last */
                zs.c[0].last = zs.c[1].last = false;
                int r = flush_chunks(file, 2);
                if (r != ZIP_OK) {
                    zs.failed = true;
                    return r;
                }
                c = &zs.c[0];
            }
        }
        size_t take = ZCHUNK - c->n < len ? ZCHUNK - c->n : len;
        memcpy(c->in + c->n, p, take);
        c->n += take;
        p += take;
        len -= (unsigned)take;
    }
    return ZIP_OK;
}

int zipCloseFileInZip(void *file)
{
    pthread_once(&real_once, real_init);
    if (!file || file != zs.file)
        return real.close ? real.close(file) : ZIP_INTERNALERROR;
    int r = ZIP_INTERNALERROR;
    if (!zs.failed) {
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
