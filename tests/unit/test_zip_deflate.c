/*
 * test_zip_deflate.c - the zip layer under libxlsxwriter (zip_deflate.c):
 * entries deflated in chunk pairs, and rows compressed ahead spliced in at
 * their marker, also when the marker is cut across writes. Each zip is
 * read back through minizip's own reader, which checks the CRC and sizes,
 * and its raw deflate data is inflated by zlib, which must find exactly one
 * stream ended by a final block. The CRC comes from ISA-L: it must be
 * zlib's (the zip's) CRC-32.
 * minizip is reached through the dynamic linker (it comes with
 * libxlsxwriter; its headers are not needed).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <isa-l/crc.h>
#include <zlib.h>

#include "output/sf_output.h"

/* the interposed entry points (zip_deflate.c) */
int zipOpenNewFileInZip4_64(void *file, const char *filename, const void *zipfi,
                            const void *extra_local, unsigned size_local, const void *extra_global,
                            unsigned size_global, const char *comment, int method, int level,
                            int raw, int window_bits, int mem_level, int strategy,
                            const char *password, unsigned long crc_for_crypting,
                            unsigned long version_made_by, unsigned long flag_base, int zip64);
int zipWriteInFileInZip(void *file, const void *buf, unsigned len);
int zipCloseFileInZip(void *file);

/* minizip's own, found at run time */
static void *(*zip_open)(const char *path, int append);
static int (*zip_close)(void *file, const char *comment);
static void *(*unz_open)(const char *path);
static int (*unz_locate)(void *file, const char *name, int case_sensitive);
static int (*unz_open_current)(void *file);
static int (*unz_open_current2)(void *file, int *method, int *level, int raw);
static int (*unz_read)(void *file, void *buf, unsigned len);
static int (*unz_close_current)(void *file);
static int (*unz_close)(void *file);

static int setup(void **state)
{
    (void)state;
    *(void **)&zip_open = dlsym(RTLD_DEFAULT, "zipOpen64");
    *(void **)&zip_close = dlsym(RTLD_DEFAULT, "zipClose");
    *(void **)&unz_open = dlsym(RTLD_DEFAULT, "unzOpen64");
    *(void **)&unz_locate = dlsym(RTLD_DEFAULT, "unzLocateFile");
    *(void **)&unz_open_current = dlsym(RTLD_DEFAULT, "unzOpenCurrentFile");
    *(void **)&unz_open_current2 = dlsym(RTLD_DEFAULT, "unzOpenCurrentFile2");
    *(void **)&unz_read = dlsym(RTLD_DEFAULT, "unzReadCurrentFile");
    *(void **)&unz_close_current = dlsym(RTLD_DEFAULT, "unzCloseCurrentFile");
    *(void **)&unz_close = dlsym(RTLD_DEFAULT, "unzClose");
    return zip_open && zip_close && unz_open && unz_locate && unz_open_current && unz_open_current2 &&
                   unz_read &&
                   unz_close_current && unz_close
               ? 0
               : -1;
}

/* Bytes that compress somewhat, like XML rows. */
static void fill(unsigned char *b, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        b[i] = (unsigned char)("<row r=\"0123456789\"><c t=\"s\">abc</c></row>"[(seed >> 16) % 42]);
    }
}

static void open_entry(void *zf, const char *name)
{
    assert_int_equal(zipOpenNewFileInZip4_64(zf, name, NULL, NULL, 0, NULL, 0, NULL, 8 /* deflate */,
                                             -1, 0, -15, 8, 0, NULL, 0, 0, 0, 0),
                     0);
}

/* Write data in pieces of the given sizes, cycling. */
static void write_pieces(void *zf, const unsigned char *p, size_t n, const size_t *sizes, int k)
{
    for (int i = 0; n; i = (i + 1) % k) {
        size_t take = sizes[i] < n ? sizes[i] : n;
        assert_int_equal(zipWriteInFileInZip(zf, p, (unsigned)take), 0);
        p += take;
        n -= take;
    }
}

/* Every byte of the open entry, as read by minizip. */
static unsigned char *read_current(void *uf, size_t *n)
{
    size_t cap = 1 << 20, len = 0;
    unsigned char *b = malloc(cap);
    assert_non_null(b);
    for (;;) {
        if (len == cap) {
            cap *= 2;
            b = realloc(b, cap);
            assert_non_null(b);
        }
        int r = unz_read(uf, b + len, (unsigned)(cap - len));
        assert_true(r >= 0);
        if (r == 0)
            break;
        len += (size_t)r;
    }
    *n = len;
    return b;
}

/* The raw deflate data d[0..n) is one stream: zlib inflates it to
 * exactly want_n bytes and meets the final block at its last byte. */
static void assert_one_stream(const unsigned char *d, size_t n, size_t want_n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(inflateInit2(&z, -MAX_WBITS), Z_OK);
    unsigned char *out = malloc(want_n + 1);
    assert_non_null(out);
    z.next_in = (unsigned char *)d;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)(want_n + 1);
    assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
    assert_int_equal(z.avail_in, 0);        /* nothing after the final block */
    assert_int_equal(z.total_out, want_n);
    inflateEnd(&z);
    free(out);
}

/* The entry's bytes as minizip reads them back (CRC and size checked),
 * after its compressed bytes are checked to be one deflate stream. */
static unsigned char *read_entry(const char *path, const char *name, size_t *n)
{
    void *uf = unz_open(path);
    assert_non_null(uf);
    assert_int_equal(unz_locate(uf, name, 1), 0);
    assert_int_equal(unz_open_current(uf), 0);
    unsigned char *b = read_current(uf, n);
    assert_int_equal(unz_close_current(uf), 0); /* UNZ_CRCERROR otherwise */

    int method = 0, level = 0;
    assert_int_equal(unz_open_current2(uf, &method, &level, 1), 0);
    assert_int_equal(method, 8); /* deflated */
    size_t raw_n;
    unsigned char *raw = read_current(uf, &raw_n);
    assert_int_equal(unz_close_current(uf), 0);
    assert_one_stream(raw, raw_n, *n);
    free(raw);
    unz_close(uf);
    return b;
}

/* Make an empty file from the mkstemp template path (rewritten in place). */
static void scratch_file(char *path)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
}

/* spill_dir: where the compressed rows wait (NULL: in memory) */
static void entries_and_rows(const char *spill_dir)
{
    char path[] = "/tmp/sf_zip_testXXXXXX";
    scratch_file(path);

    /* rows: 3.5 MiB written in odd pieces (four chunks, the last partial) */
    size_t nrows = (7u << 20) / 2;
    unsigned char *rows = malloc(nrows);
    assert_non_null(rows);
    fill(rows, nrows, 1);
    sf_zip_rows *zr = sf_zip_rows_new(true, spill_dir);
    assert_non_null(zr);
    for (size_t o = 0, step = 1; o < nrows; o += step, step = step * 7 % 65521 + 1)
        assert_true(sf_zip_rows_write(zr, rows + o, o + step > nrows ? nrows - o : step));
    assert_true(sf_zip_rows_finish(zr));
    sf_zip_rows *unused = sf_zip_rows_new(true, NULL); /* registered, never in the zip */
    assert_non_null(unused);

    void *zf = zip_open(path, 0);
    assert_non_null(zf);

    /* an entry without a marker: 5 MiB, chunk pairs plus a rest */
    size_t nplain = 5u << 20;
    unsigned char *plain = malloc(nplain);
    assert_non_null(plain);
    fill(plain, nplain, 2);
    open_entry(zf, "plain.xml");
    const size_t big[] = {16384, 4096, 100000};
    write_pieces(zf, plain, nplain, big, 3);
    assert_int_equal(zipCloseFileInZip(zf), 0);

    /* a sheet: head, the marker, tail - in pieces that cut the marker */
    const char *head = "<sheetData><row r=\"1\"><c>h</c></row>", *tail = "</sheetData></worksheet>";
    size_t nsheet = strlen(head) + SF_ZIP_MARK_LEN + strlen(tail);
    unsigned char *sheet = malloc(nsheet);
    assert_non_null(sheet);
    memcpy(sheet, head, strlen(head));
    memcpy(sheet + strlen(head), sf_zip_rows_marker(zr), SF_ZIP_MARK_LEN);
    memcpy(sheet + strlen(head) + SF_ZIP_MARK_LEN, tail, strlen(tail));
    open_entry(zf, "sheet.xml");
    const size_t small[] = {5, 1, 13, 2};
    write_pieces(zf, sheet, nsheet, small, 4);
    assert_int_equal(zipCloseFileInZip(zf), 0);

    /* an empty entry */
    open_entry(zf, "empty.xml");
    assert_int_equal(zipCloseFileInZip(zf), 0);
    assert_int_equal(zip_close(zf, NULL), 0);

    assert_true(sf_zip_rows_used(zr));
    assert_false(sf_zip_rows_used(unused));

    size_t n;
    unsigned char *got = read_entry(path, "plain.xml", &n);
    assert_int_equal(n, nplain);
    assert_memory_equal(got, plain, nplain);
    free(got);

    got = read_entry(path, "sheet.xml", &n);
    assert_int_equal(n, strlen(head) + nrows + strlen(tail));
    assert_memory_equal(got, head, strlen(head));
    assert_memory_equal(got + strlen(head), rows, nrows);
    assert_memory_equal(got + strlen(head) + nrows, tail, strlen(tail));
    free(got);

    got = read_entry(path, "empty.xml", &n);
    assert_int_equal(n, 0);
    free(got);

    sf_zip_rows_free(zr);
    sf_zip_rows_free(unused);
    free(rows);
    free(plain);
    free(sheet);
    unlink(path);
}

static void test_entries_and_rows(void **state)
{
    (void)state;
    entries_and_rows(NULL);
}

/* The same with the compressed rows spilled to a file (the workbook's
 * way): the same bytes come back. */
static void test_entries_and_rows_spilled(void **state)
{
    (void)state;
    entries_and_rows("/tmp");
}

/* A marker of rows already freed (or never made) fails the entry. */
static void test_unknown_marker(void **state)
{
    (void)state;
    char path[] = "/tmp/sf_zip_testXXXXXX";
    scratch_file(path);
    sf_zip_rows *zr = sf_zip_rows_new(true, NULL);
    assert_non_null(zr);
    char marker[SF_ZIP_MARK_LEN];
    memcpy(marker, sf_zip_rows_marker(zr), SF_ZIP_MARK_LEN);
    sf_zip_rows *keep = sf_zip_rows_new(true, NULL); /* so that markers are looked for */
    sf_zip_rows_free(zr);
    void *zf = zip_open(path, 0);
    assert_non_null(zf);
    open_entry(zf, "sheet.xml");
    assert_int_not_equal(zipWriteInFileInZip(zf, marker, SF_ZIP_MARK_LEN), 0);
    assert_int_not_equal(zipCloseFileInZip(zf), 0);
    zip_close(zf, NULL);
    sf_zip_rows_free(keep);
    unlink(path);
}

/* Not engaged, an entry is minizip's own (deflated at its level, no
 * marker looked for): the workbook's public-API path. */
static void test_not_engaged(void **state)
{
    (void)state;
    sf_zip_engage(false);
    sf_zip_rows *zr = sf_zip_rows_new(true, NULL);
    assert_non_null(zr);
    const char *mk = sf_zip_rows_marker(zr);
    char path[] = "/tmp/sf_zip_plain_XXXXXX";
    scratch_file(path);
    void *zf = zip_open(path, 0);
    assert_non_null(zf);
    unsigned char body[64];
    memcpy(body, "<a>", 3);
    memcpy(body + 3, mk, SF_ZIP_MARK_LEN);
    memcpy(body + 3 + SF_ZIP_MARK_LEN, "</a>", 4);
    open_entry(zf, "x.xml");
    assert_int_equal(zipWriteInFileInZip(zf, body, 3 + SF_ZIP_MARK_LEN + 4), 0);
    assert_int_equal(zipCloseFileInZip(zf), 0);
    assert_int_equal(zip_close(zf, NULL), 0);
    assert_false(sf_zip_rows_used(zr));
    /* the marker went into the entry as it was */
    size_t n;
    unsigned char *got = read_entry(path, "x.xml", &n);
    assert_int_equal(n, 3 + SF_ZIP_MARK_LEN + 4);
    assert_memory_equal(got, body, n);
    free(got);
    sf_zip_rows_free(zr);
    unlink(path);
    sf_zip_engage(true);
}

/* ISA-L's crc32_gzip_refl is the zip's CRC-32 as zlib computes it: on
 * every length and alignment its vector code handles differently, chained
 * over pieces, and combined with zlib's crc32_combine (zip_deflate.c
 * mixes the two). */
static void test_crc_is_zlibs(void **state)
{
    (void)state;
    size_t n = (1u << 20) + 77;
    unsigned char *b = malloc(n);
    assert_non_null(b);
    unsigned seed = 9;
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        b[i] = (unsigned char)(seed >> 16);
    }
    assert_int_equal(crc32_gzip_refl(0, b, 0), crc32(0L, b, 0));
    const size_t lens[] = {1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 63, 64, 65, 127, 128, 255, 256, 1000,
                           4096, 65536, n - 3};
    for (size_t i = 0; i < sizeof lens / sizeof *lens; i++)
        for (size_t off = 0; off < 3; off++)
            assert_int_equal(crc32_gzip_refl(0, b + off, lens[i]), crc32(0L, b + off, (uInt)lens[i]));
    assert_int_equal(crc32_gzip_refl(0, (const unsigned char *)"123456789", 9), 0xcbf43926u);
    size_t cut = 300001;
    uint32_t a = crc32_gzip_refl(0, b, cut), whole = (uint32_t)crc32(0L, b, (uInt)n);
    assert_int_equal(crc32_gzip_refl(a, b + cut, n - cut), whole);
    assert_int_equal(crc32_combine(a, crc32_gzip_refl(0, b + cut, n - cut), (z_off_t)(n - cut)), whole);
    free(b);
}

/* Bytes that do not compress (deflate makes them larger) and a mix of both
 * across chunks: the output buffers grow, and the bytes come back. (No
 * NUL among them: rows are registered, and a NUL starts a marker.) */
static void test_incompressible(void **state)
{
    (void)state;
    char path[] = "/tmp/sf_zip_randXXXXXX";
    scratch_file(path);
    size_t n = (5u << 20) / 2;
    unsigned char *b = malloc(n);
    assert_non_null(b);
    unsigned seed = 3;
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        b[i] = (unsigned char)((seed >> 16) % 255 + 1);
    }
    fill(b + n / 2, n / 4, 5); /* a compressible stretch inside */
    sf_zip_rows *zr = sf_zip_rows_new(false, NULL);
    assert_non_null(zr);
    assert_true(sf_zip_rows_write(zr, b, n));
    assert_true(sf_zip_rows_finish(zr));
    void *zf = zip_open(path, 0);
    assert_non_null(zf);
    open_entry(zf, "random.bin");
    const size_t pieces[] = {65536, 999};
    write_pieces(zf, b, n, pieces, 2);
    assert_int_equal(zipCloseFileInZip(zf), 0);
    open_entry(zf, "rows.bin");
    assert_int_equal(zipWriteInFileInZip(zf, sf_zip_rows_marker(zr), SF_ZIP_MARK_LEN), 0);
    assert_int_equal(zipCloseFileInZip(zf), 0);
    assert_int_equal(zip_close(zf, NULL), 0);
    assert_true(sf_zip_rows_used(zr));
    const char *names[] = {"random.bin", "rows.bin"};
    for (int i = 0; i < 2; i++) {
        size_t got_n;
        unsigned char *got = read_entry(path, names[i], &got_n);
        assert_int_equal(got_n, n);
        assert_memory_equal(got, b, n);
        free(got);
    }
    sf_zip_rows_free(zr);
    free(b);
    unlink(path);
}

int main(void)
{
    sf_zip_engage(true);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_engaged),
        cmocka_unit_test(test_entries_and_rows),
        cmocka_unit_test(test_entries_and_rows_spilled),
        cmocka_unit_test(test_unknown_marker),
        cmocka_unit_test(test_crc_is_zlibs),
        cmocka_unit_test(test_incompressible),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
