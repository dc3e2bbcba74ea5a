/*
 * test_csvread.c - the CSV record reader on small byte strings: quoted
 * line breaks and the lines after them, CRLF, CR alone, a CRLF split over
 * two blocks, the BOM, an open quote at the end of the file, a record
 * longer than a block, starting at an offset and stopping at a limit,
 * CP1251 converted, invalid UTF-8 flagged, delimiter sniffing, trimming
 * and the file errors; and the one-pass path of plain records against the
 * full scanner on random files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/sf_csvread.h"

typedef struct {
    char dir[64];
    char path[128];
    sf_csvread r;
    sf_ctx ctx;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    strcpy(f->dir, "/tmp/sf_csvread_XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/in.csv", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    sf_csvread_release(&f->r);
    unlink(f->path);
    rmdir(f->dir);
    free(f);
    return 0;
}

static void write_bytes(fx *f, const char *data, size_t n)
{
    FILE *fp = fopen(f->path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

/* Write data, set up a reader (encoding, delimiter) and read the header;
 * the number of blank lines before it is returned. */
static int64_t open_with(fx *f, const char *data, size_t n, const char *enc, char delim)
{
    write_bytes(f, data, n);
    assert_int_equal(sf_csvread_init(&f->r, enc, "test: encoding", delim, &f->ctx), SF_OK);
    assert_int_equal(sf_csvread_open(&f->r, f->path, NULL, NULL), SF_OK);
    int64_t blank = 0;
    assert_int_equal(sf_csvread_header(&f->r, &blank), SF_OK);
    assert_false(f->r.rec.bad_encoding);
    return blank;
}

static void open_str(fx *f, const char *data)
{
    assert_int_equal(open_with(f, data, strlen(data), NULL, ','), 0);
}

/* The next event must be a record starting on `line`; its fields are
 * split. */
static void next_record(fx *f, uint32_t line)
{
    sf_csv_event ev;
    assert_int_equal(sf_csvread_next(&f->r, &ev), SF_OK);
    assert_int_equal(ev, SF_CSV_RECORD);
    assert_int_equal(f->r.rec.line, line);
    assert_int_equal(sf_csvread_fields(&f->r), SF_OK);
}

static void next_is(fx *f, sf_csv_event want)
{
    sf_csv_event ev;
    assert_int_equal(sf_csvread_next(&f->r, &ev), SF_OK);
    assert_int_equal(ev, want);
}

static void raw_is(const fx *f, const char *want)
{
    assert_int_equal(f->r.rec.n, strlen(want));
    assert_memory_equal(f->r.rec.bytes, want, strlen(want));
}

static void text_is(const fx *f, const char *want)
{
    assert_int_equal(f->r.rec.text_n, strlen(want));
    assert_memory_equal(f->r.rec.text, want, strlen(want));
}

static void fields_are(const fx *f, size_t n, ...)
{
    va_list ap;
    va_start(ap, n);
    assert_int_equal(f->r.nf, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(sf_csvread_field(&f->r, i), va_arg(ap, const char *));
    va_end(ap);
    assert_string_equal(sf_csvread_field(&f->r, n), ""); /* past the last */
}

static void test_quoted_newline(void **state)
{
    fx *f = *state;
    open_str(f, "a,b\n\"x\ny\",2\n\"p\r\nq\rr\",3\nz,\"say \"\"hi\"\"\"\n");
    fields_are(f, 2, "a", "b");
    next_record(f, 2);
    raw_is(f, "\"x\ny\",2");
    fields_are(f, 2, "x\ny", "2");
    /* CRLF inside quotes is one line break, a CR alone another */
    next_record(f, 4);
    fields_are(f, 2, "p\r\nq\rr", "3");
    next_record(f, 7);
    fields_are(f, 2, "z", "say \"hi\"");
    next_is(f, SF_CSV_END);
}

static void test_crlf_and_blank(void **state)
{
    fx *f = *state;
    open_str(f, "h1,h2\r\n1,2\r\n\r\n \t\r\n3,4\r\n");
    next_record(f, 2);
    raw_is(f, "1,2");
    fields_are(f, 2, "1", "2");
    sf_csv_event ev;
    assert_int_equal(sf_csvread_next(&f->r, &ev), SF_OK);
    assert_int_equal(ev, SF_CSV_RECORD);
    assert_int_equal(f->r.rec.line, 3);
    assert_true(f->r.rec.blank);
    assert_int_equal(f->r.rec.n, 0);
    assert_int_equal(sf_csvread_next(&f->r, &ev), SF_OK);
    assert_int_equal(f->r.rec.line, 4);
    assert_true(f->r.rec.blank);
    next_record(f, 5);
    assert_false(f->r.rec.blank);
    fields_are(f, 2, "3", "4");
    next_is(f, SF_CSV_END);
}

static void test_cr_only(void **state)
{
    fx *f = *state;
    open_str(f, "h\r1\r\r2");
    next_record(f, 2);
    fields_are(f, 1, "1");
    next_record(f, 3);
    assert_true(f->r.rec.blank);
    next_record(f, 4); /* the last line needs no terminator */
    fields_are(f, 1, "2");
    next_is(f, SF_CSV_END);
}

static void test_bom_trim_sniff(void **state)
{
    fx *f = *state;
    /* blank lines before the header are counted; ';' is sniffed */
    static const char data[] = "\xEF\xBB\xBF\n  \n id ; name\t;x\n 1 ;\"a;b\" ; \n";
    assert_int_equal(open_with(f, data, sizeof data - 1, "utf-8", 0), 2);
    assert_int_equal(f->r.rec.line, 3);
    fields_are(f, 3, "id", "name", "x");
    next_record(f, 4);
    fields_are(f, 3, "1", "a;b", "");
    next_is(f, SF_CSV_END);
}

static void test_open_quote_at_eof(void **state)
{
    fx *f = *state;
    open_str(f, "h,i\n1,2\n3,\"abc\ndef\r\n\n");
    next_record(f, 2);
    sf_csv_event ev;
    assert_int_equal(sf_csvread_next(&f->r, &ev), SF_OK);
    assert_int_equal(ev, SF_CSV_RECORD);
    assert_int_equal(f->r.rec.line, 3);
    assert_true(f->r.rec.open_quote);
    assert_false(f->r.rec.blank);
    /* the file's last line breaks are not part of the record */
    raw_is(f, "3,\"abc\ndef");
    next_is(f, SF_CSV_END);
}

static void test_record_longer_than_block(void **state)
{
    fx *f = *state;
    size_t big = 3 * SF_CSV_BLOCK + 17;
    size_t n = 0;
    char *data = malloc(big + 64);
    assert_non_null(data);
    n += (size_t)sprintf(data, "k,v\n1,\"");
    memset(data + n, 'x', big);
    data[n + 100] = '\n'; /* a quoted line break in it */
    n += big;
    n += (size_t)sprintf(data + n, "\"\n2,y\n");
    assert_int_equal(open_with(f, data, n, NULL, ','), 0);
    next_record(f, 2);
    assert_int_equal(f->r.nf, 2);
    assert_int_equal(strlen(sf_csvread_field(&f->r, 1)), big);
    assert_int_equal(sf_csvread_field(&f->r, 1)[100], '\n');
    next_record(f, 4);
    fields_are(f, 2, "2", "y");
    next_is(f, SF_CSV_END);
    free(data);
}

static void test_crlf_across_blocks(void **state)
{
    fx *f = *state;
    /* the first block ends on the CR of a record; its LF opens the next */
    size_t n = SF_CSV_BLOCK + 16;
    char *data = malloc(n);
    assert_non_null(data);
    memcpy(data, "h\r\n", 3);
    memset(data + 3, 'y', SF_CSV_BLOCK - 4);
    data[SF_CSV_BLOCK - 1] = '\r';
    memcpy(data + SF_CSV_BLOCK, "\nz\r\n", 4);
    assert_int_equal(open_with(f, data, SF_CSV_BLOCK + 4, NULL, ','), 0);
    next_record(f, 2);
    assert_int_equal(f->r.rec.n, SF_CSV_BLOCK - 4);
    next_record(f, 3); /* no blank line between */
    fields_are(f, 1, "z");
    next_is(f, SF_CSV_END);
    free(data);
}

/* rows_hint: the first block's line length applied to the span. */
static void test_rows_hint(void **state)
{
    fx *f = *state;
    size_t lines = 300000, n = 0;
    char *data = malloc(lines * 10 + 8);
    assert_non_null(data);
    for (size_t i = 0; i < lines; i++)
        n += (size_t)sprintf(data + n, "%09zu\n", i);
    write_bytes(f, data, n);
    assert_int_equal(sf_csvread_init(&f->r, NULL, "test: encoding", ',', &f->ctx), SF_OK);
    assert_int_equal(sf_csvread_open(&f->r, f->path, NULL, NULL), SF_OK);
    /* 1 MiB holds 104857 line feeds: 3000000 x 104857 / 1048576 = 299998.3 */
    assert_int_equal(sf_csvread_rows_hint(&f->r, 0, -1), 299998);
    assert_int_equal(sf_csvread_rows_hint(&f->r, 1000000, 3000000), 199998);
    assert_int_equal(sf_csvread_rows_hint(&f->r, 1000000, 2000000), 0); /* a span within one block */
    assert_int_equal(sf_csvread_rows_hint(&f->r, 0, 1000), 0);
    free(data);
}

static void test_start_and_limit(void **state)
{
    fx *f = *state;
    /* offsets: h 0, r1 2, "a\nb" 5, r4 11, r5 14 */
    static const char data[] = "h\nr1\n\"a\nb\"\nr4\nr5\n";
    open_str(f, data);
    sf_csvread_set_limit(&f->r, 11);
    next_record(f, 2);
    fields_are(f, 1, "r1");
    next_record(f, 3);
    fields_are(f, 1, "a\nb");
    next_is(f, SF_CSV_AT_LIMIT);
    next_record(f, 5); /* reads on after the limit */
    fields_are(f, 1, "r4");
    next_record(f, 6);
    next_is(f, SF_CSV_END);
    sf_csvread_close(&f->r);

    /* a limit inside the quoted line break: reported past it */
    assert_int_equal(sf_csvread_open(&f->r, f->path, NULL, NULL), SF_OK);
    int64_t blank = 0;
    assert_int_equal(sf_csvread_header(&f->r, &blank), SF_OK);
    sf_csvread_set_limit(&f->r, 8);
    next_record(f, 2);
    next_record(f, 3);
    next_is(f, SF_CSV_PAST_LIMIT);
    next_record(f, 5);
    sf_csvread_close(&f->r);

    /* starting at r4: lines counted from there */
    assert_int_equal(sf_csvread_open(&f->r, f->path, NULL, NULL), SF_OK);
    assert_int_equal(sf_csvread_header(&f->r, &blank), SF_OK);
    assert_int_equal(sf_csvread_seek(&f->r, 11), SF_OK);
    next_record(f, 1);
    fields_are(f, 1, "r4");
    next_record(f, 2);
    fields_are(f, 1, "r5");
    next_is(f, SF_CSV_END);
    sf_csvread_close(&f->r);

    /* a header that runs past the start cannot be sought */
    assert_int_equal(sf_csvread_open(&f->r, f->path, NULL, NULL), SF_OK);
    assert_int_equal(sf_csvread_header(&f->r, &blank), SF_OK);
    assert_int_equal(sf_csvread_seek(&f->r, 1), SF_ERR_INPUT);
    assert_non_null(strstr(f->ctx.msg, "cannot seek to byte 1"));
}

static void test_cp1251(void **state)
{
    fx *f = *state;
    /* "Имя;Город" / "Пётр;Москва" / 0x98 is undefined in CP1251 */
    static const char data[] = "\xC8\xEC\xFF;\xC3\xEE\xF0\xEE\xE4\n"
                               "\xCF\xB8\xF2\xF0;\xCC\xEE\xF1\xEA\xE2\xE0\n"
                               "a\x98;b\n";
    assert_int_equal(open_with(f, data, sizeof data - 1, "CP1251", ';'), 0);
    fields_are(f, 2, "Имя", "Город");
    next_record(f, 2);
    assert_false(f->r.rec.bad_encoding);
    text_is(f, "Пётр;Москва");
    raw_is(f, "\xCF\xB8\xF2\xF0;\xCC\xEE\xF1\xEA\xE2\xE0");
    fields_are(f, 2, "Пётр", "Москва");
    next_record(f, 3);
    assert_true(f->r.rec.bad_encoding);
    text_is(f, "a\xEF\xBF\xBD;b");
    next_is(f, SF_CSV_END);
}

static void test_invalid_utf8(void **state)
{
    fx *f = *state;
    static const char data[] = "a,b\n1,\xC3\xA9\n2,\xFF\xC3\n3,\xED\xA0\x80z\n4,x\0y\n";
    assert_int_equal(open_with(f, data, sizeof data - 1, "UTF8", ','), 0);
    next_record(f, 2);
    assert_false(f->r.rec.bad_encoding);
    fields_are(f, 2, "1", "é");
    next_record(f, 3);
    assert_true(f->r.rec.bad_encoding);
    raw_is(f, "2,\xFF\xC3");
    text_is(f, "2,\xEF\xBF\xBD\xEF\xBF\xBD");
    next_record(f, 4); /* a surrogate: three bad bytes */
    assert_true(f->r.rec.bad_encoding);
    text_is(f, "3,\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz");
    next_record(f, 5); /* NUL */
    assert_true(f->r.rec.bad_encoding);
    text_is(f, "4,x\xEF\xBF\xBDy");
    next_is(f, SF_CSV_END);
}

static void test_file_errors(void **state)
{
    fx *f = *state;
    write_bytes(f, " \r\n\n", 4);
    assert_int_equal(sf_csvread_init(&f->r, NULL, "test: encoding", ',', &f->ctx), SF_OK);
    assert_int_equal(sf_csvread_open(&f->r, f->path, NULL, NULL), SF_OK);
    int64_t blank = 0;
    assert_int_equal(sf_csvread_header(&f->r, &blank), SF_ERR_INPUT);
    assert_int_equal(blank, 2);
    char want[200];
    snprintf(want, sizeof want, "%s: empty file (no header line)", f->path);
    assert_string_equal(f->ctx.msg, want);
    sf_csvread_close(&f->r);

    sf_ctx c2 = {0};
    f->r.ctx = &c2;
    assert_int_equal(sf_csvread_open(&f->r, "/nonexistent/x.csv", NULL, NULL), SF_ERR_INPUT);
    assert_string_equal(c2.msg, "/nonexistent/x.csv: cannot open: No such file or directory");
    sf_csvread_release(&f->r);

    sf_ctx c3 = {0};
    assert_int_equal(sf_csvread_init(&f->r, "NO-SUCH-ENC", "cfg.ini: [input] encoding", ',', &c3),
                     SF_ERR_USAGE);
    assert_string_equal(c3.msg, "cfg.ini: [input] encoding 'NO-SUCH-ENC' is not known to iconv");
    sf_csvread_release(&f->r); /* released already: a no-op */

    /* a header not valid in the encoding is flagged, not split */
    static const char bad[] = "a,\xFF\n1,2\n";
    write_bytes(f, bad, sizeof bad - 1);
    sf_ctx c4 = {0};
    assert_int_equal(sf_csvread_init(&f->r, NULL, "test: encoding", ',', &c4), SF_OK);
    assert_int_equal(sf_csvread_open(&f->r, f->path, NULL, NULL), SF_OK);
    assert_int_equal(sf_csvread_header(&f->r, &blank), SF_OK);
    assert_true(f->r.rec.bad_encoding);
    assert_int_equal(f->r.rec.line, 1);
    assert_int_equal(f->r.nf, 0);
}

/* Progress: once per block read, with the file's name. */
typedef struct {
    int calls;
    double last;
    char stage[64];
} progress_log;

static void on_progress(void *user, const char *stage, double done)
{
    progress_log *p = user;
    p->calls++;
    p->last = done;
    snprintf(p->stage, sizeof p->stage, "%s", stage);
}

static void test_progress(void **state)
{
    fx *f = *state;
    write_bytes(f, "h\n1\n", 4);
    progress_log p = {0};
    assert_int_equal(sf_csvread_init(&f->r, NULL, "test: encoding", ',', &f->ctx), SF_OK);
    assert_int_equal(sf_csvread_open(&f->r, f->path, on_progress, &p), SF_OK);
    assert_int_equal(p.calls, 1);
    assert_true(p.last == 1.0);
    assert_string_equal(p.stage, "reading in.csv");
}


/* One reading of the file at path, every record with its fields, as text:
 * what the caller can see of it. */
static char *read_all(const char *path, char delim, int64_t max_rec, bool no_fast)
{
    sf_csvread r;
    sf_ctx ctx = {0};
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    assert_int_equal(sf_csvread_init(&r, NULL, "test", delim, &ctx), SF_OK);
    r.no_fast = no_fast;
    sf_csvread_set_max_record(&r, max_rec);
    assert_int_equal(sf_csvread_open(&r, path, NULL, NULL), SF_OK);
    int64_t blank = 0;
    sf_err e = sf_csvread_header(&r, &blank);
    for (;;) {
        if (cap - n < 4096 + 8 * (r.rec.n + r.rec.text_n + r.fb_len)) {
            cap = 2 * cap + 8 * (r.rec.n + r.rec.text_n + r.fb_len);
            out = realloc(out, cap);
            assert_non_null(out);
        }
        n += (size_t)snprintf(out + n, cap - n, "e%d line %u n %zu blank %d oq %d long %d bad %d nf %zu [", (int)e,
                              (unsigned)r.rec.line, r.rec.n, r.rec.blank, r.rec.open_quote, r.rec.too_long,
                              r.rec.blank ? 0 : r.rec.bad_encoding, r.rec.blank ? 0 : r.nf);
        memcpy(out + n, r.rec.bytes, r.rec.n);
        n += r.rec.n;
        /* a blank record is not split (its text and fields are not read) */
        if (!r.rec.blank) {
            out[n++] = '|';
            memcpy(out + n, r.rec.text, r.rec.text_n);
            n += r.rec.text_n;
            for (size_t i = 0; i < r.nf; i++)
                n += (size_t)snprintf(out + n, cap - n, "|%s", sf_csvread_field(&r, i));
        }
        out[n++] = ']';
        out[n++] = '\n';
        if (e != SF_OK)
            break;
        sf_csv_event ev;
        if ((e = sf_csvread_next(&r, &ev)) != SF_OK || ev == SF_CSV_END)
            break;
        if (!r.rec.blank)
            e = sf_csvread_fields(&r);
    }
    n += (size_t)snprintf(out + n, cap - n, "end %d line %u\n", (int)e, (unsigned)r.line);
    sf_csvread_release(&r);
    return out;
}

/* Random files over the bytes that matter (delimiters, quotes, CR, LF,
 * blanks, NUL, UTF-8 and invalid bytes, a BOM): the one-pass path and the
 * full scanner must see the same records, lines, texts and fields. */
static void test_fast_path_matches_full(void **state)
{
    fx *f = *state;
    static const char *const atoms[] = {"a", "Bc", "12.50", ",", ",", ";", "\t", " ", "\"", "\"\"", "\n", "\n",
                                        "\r\n", "\r", "\xD0\x9F\xD1\x80", "\xFF", "\xE2\x82", "x\0y",
                                        "2025-01-31", "INV-001"};
    uint64_t seed = 12345;
    char buf[4096];
    for (int round = 0; round < 3000; round++) {
        size_t n = 0;
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        if ((seed >> 60) == 0) {
            memcpy(buf, "\xEF\xBB\xBF", 3);
            n = 3;
        }
        n += (size_t)snprintf(buf + n, sizeof buf - n, "id,name,amount\n");
        int len = (int)((seed >> 33) % 120);
        for (int i = 0; i < len; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            const char *a = atoms[(seed >> 33) % (sizeof atoms / sizeof *atoms)];
            size_t k = strcmp(a, "x") == 0 ? 3 : (a[0] == 'x' ? 3 : strlen(a));
            memcpy(buf + n, a, k);
            n += k;
        }
        write_bytes(f, buf, n);
        char delim = round % 3 == 0 ? ',' : round % 3 == 1 ? ';' : 0;
        int64_t max_rec = round % 5 == 0 ? 16 : SF_CSV_MAX_RECORD;
        char *slow = read_all(f->path, delim, max_rec, true), *fast = read_all(f->path, delim, max_rec, false);
        if (strcmp(slow, fast) != 0)
            fail_msg("round %d: full scanner\n%s\none pass\n%s", round, slow, fast);
        free(slow);
        free(fast);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_quoted_newline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crlf_and_blank, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cr_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bom_trim_sniff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_quote_at_eof, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_longer_than_block, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crlf_across_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows_hint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_start_and_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cp1251, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_progress, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fast_path_matches_full, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
