/*
 * test_zip_deflate.c - the zip layer under libxlsxwriter (zip_deflate.c):
 * entries deflated in chunk pairs, and rows compressed ahead spliced in at
 * their marker, also when the marker is cut across writes. Each zip is
 * read back through minizip's own reader, which checks the CRC and sizes.
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
    *(void **)&unz_read = dlsym(RTLD_DEFAULT, "unzReadCurrentFile");
    *(void **)&unz_close_current = dlsym(RTLD_DEFAULT, "unzCloseCurrentFile");
    *(void **)&unz_close = dlsym(RTLD_DEFAULT, "unzClose");
    return zip_open && zip_close && unz_open && unz_locate && unz_open_current && unz_read &&
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

/* The entry's bytes as minizip reads them back (CRC and size checked). */
static unsigned char *read_entry(const char *path, const char *name, size_t *n)
{
    void *uf = unz_open(path);
    assert_non_null(uf);
    assert_int_equal(unz_locate(uf, name, 1), 0);
    assert_int_equal(unz_open_current(uf), 0);
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
    assert_int_equal(unz_close_current(uf), 0); /* UNZ_CRCERROR otherwise */
    unz_close(uf);
    *n = len;
    return b;
}

/* spill_dir: where the compressed rows wait (NULL: in memory) */
static void entries_and_rows(const char *spill_dir)
{
    char path[] = "/tmp/sf_zip_testXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);

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
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
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
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
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

int main(void)
{
    sf_zip_engage(true);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_engaged),
        cmocka_unit_test(test_entries_and_rows),
        cmocka_unit_test(test_entries_and_rows_spilled),
        cmocka_unit_test(test_unknown_marker),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
