/*
 * test_parse.c - the value parsers of the ingest (SPEC §1.1): dates in
 * every supported format, money and decimals in every separator setting,
 * currency signs and codes, exact rounding, overflow, delimiter sniffing,
 * currency conversion, reject-list sorting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/sf_ingest.h"

/* ---- dates ---- */

static sf_date ymd(int y, int m, int d) { return sf_date_from_ymd(y, m, d); }

static void date_ok(const char *s, const char *fmt, int y, int m, int d)
{
    sf_date got = SF_NODATE;
    if (!sf_parse_date(s, fmt, &got))
        fail_msg("'%s' with '%s' should parse", s, fmt);
    assert_int_equal(got, ymd(y, m, d));
}

static void date_bad(const char *s, const char *fmt)
{
    sf_date got;
    if (sf_parse_date(s, fmt, &got))
        fail_msg("'%s' with '%s' should be a bad date", s, fmt);
}

static void test_date_formats(void **state)
{
    (void)state;
    date_ok("2025-03-07", "%Y-%m-%d", 2025, 3, 7);
    date_ok("2025-3-7", "%Y-%m-%d", 2025, 3, 7);
    date_ok("07.03.2025", "%d.%m.%Y", 2025, 3, 7);
    date_ok("7.3.2025", "%d.%m.%Y", 2025, 3, 7);
    date_ok("03/07/2025", "%m/%d/%Y", 2025, 3, 7);
    date_ok("3/7/2025", "%m/%d/%Y", 2025, 3, 7);
    date_ok("07/03/2025", "%d/%m/%Y", 2025, 3, 7);
    date_ok("31/12/1999", "%d/%m/%Y", 1999, 12, 31);
    date_bad("12/31/1999", "%d/%m/%Y");
    /* %y pivot: 69-99 -> 19xx, 00-68 -> 20xx; exactly two digits */
    date_ok("31.12.68", "%d.%m.%y", 2068, 12, 31);
    date_ok("01.01.69", "%d.%m.%y", 1969, 1, 1);
    date_ok("1.1.00", "%d.%m.%y", 2000, 1, 1);
    date_ok("1.1.99", "%d.%m.%y", 1999, 1, 1);
    date_bad("1.1.2025", "%d.%m.%y");
    date_bad("1.1.5", "%d.%m.%y");
    /* %Y is four digits */
    date_bad("25-03-07", "%Y-%m-%d");
    date_bad("20250-03-07", "%Y-%m-%d");
}

static void test_date_time_and_junk(void **state)
{
    (void)state;
    date_ok("2025-03-07 10:30", "%Y-%m-%d", 2025, 3, 7);
    date_ok("2025-03-07 10:30:59", "%Y-%m-%d", 2025, 3, 7);
    date_ok("2025-03-07T10:30:00Z", "%Y-%m-%d", 2025, 3, 7);
    date_ok("07.03.2025 09:00:00", "%d.%m.%Y", 2025, 3, 7);
    date_ok("  2025-03-07  ", "%Y-%m-%d", 2025, 3, 7);
    date_bad("2025-03-07x", "%Y-%m-%d");
    date_bad("2025-03-07/10:30", "%Y-%m-%d");
    date_bad("2025/03/07", "%Y-%m-%d");
    date_bad("", "%Y-%m-%d");
    date_bad("yesterday", "%Y-%m-%d");
    date_bad("2025-03", "%Y-%m-%d");
    date_bad("2025-003-07", "%Y-%m-%d");
}

static void test_date_impossible(void **state)
{
    (void)state;
    date_ok("2024-02-29", "%Y-%m-%d", 2024, 2, 29);
    date_bad("2023-02-29", "%Y-%m-%d");
    date_bad("2025-02-30", "%Y-%m-%d");
    date_bad("31.02.2025", "%d.%m.%Y");
    date_bad("2025-04-31", "%Y-%m-%d");
    date_bad("2025-13-01", "%Y-%m-%d");
    date_bad("2025-00-10", "%Y-%m-%d");
    date_bad("2025-01-00", "%Y-%m-%d");
    date_bad("0000-00-00", "%Y-%m-%d");
    date_bad("0000-01-01", "%Y-%m-%d"); /* years 1..9999 */
    date_ok("2000-02-29", "%Y-%m-%d", 2000, 2, 29);
    date_bad("1900-02-29", "%Y-%m-%d");
    date_ok("0001-01-01", "%Y-%m-%d", 1, 1, 1);
    date_ok("9999-12-31", "%Y-%m-%d", 9999, 12, 31);
    /* the day number itself: 1970-01-01 is day 0 */
    sf_date d;
    assert_true(sf_parse_date("1970-01-02", "%Y-%m-%d", &d));
    assert_int_equal(d, 1);
}

/* ---- money ---- */

static int64_t money(const char *s, char dec, sf_thousands th)
{
    int64_t c = 0;
    if (!sf_parse_money(s, dec, th, &c, NULL))
        fail_msg("'%s' should parse as money", s);
    return c;
}

static void money_bad(const char *s, char dec, sf_thousands th)
{
    int64_t c;
    char code[4];
    if (sf_parse_money(s, dec, th, &c, code))
        fail_msg("'%s' should be bad_number (got %lld)", s, (long long)c);
}

static void test_money_plain(void **state)
{
    (void)state;
    assert_int_equal(money("0", '.', SF_THOUSANDS_NONE), 0);
    assert_int_equal(money("12", '.', SF_THOUSANDS_NONE), 1200);
    assert_int_equal(money("12.5", '.', SF_THOUSANDS_NONE), 1250);
    assert_int_equal(money("12.34", '.', SF_THOUSANDS_NONE), 1234);
    assert_int_equal(money(".5", '.', SF_THOUSANDS_NONE), 50);
    assert_int_equal(money("-12.34", '.', SF_THOUSANDS_NONE), -1234);
    assert_int_equal(money("+7", '.', SF_THOUSANDS_NONE), 700);
    assert_int_equal(money(" 1234.56 ", '.', SF_THOUSANDS_NONE), 123456);
    assert_int_equal(money("1234,56", ',', SF_THOUSANDS_NONE), 123456);
    money_bad("1,234.56", '.', SF_THOUSANDS_NONE);
    money_bad("1234,56", '.', SF_THOUSANDS_NONE);
    money_bad("", '.', SF_THOUSANDS_NONE);
    money_bad("-", '.', SF_THOUSANDS_NONE);
    money_bad("5.", '.', SF_THOUSANDS_NONE);
    money_bad("1.2.3", '.', SF_THOUSANDS_NONE);
    money_bad("12a", '.', SF_THOUSANDS_NONE);
    money_bad("5-", '.', SF_THOUSANDS_NONE);
    money_bad("--5", '.', SF_THOUSANDS_NONE);
}

static void test_money_thousands(void **state)
{
    (void)state;
    /* comma */
    assert_int_equal(money("1,234.56", '.', SF_THOUSANDS_COMMA), 123456);
    assert_int_equal(money("1,234,567.89", '.', SF_THOUSANDS_COMMA), 123456789);
    assert_int_equal(money("1234.56", '.', SF_THOUSANDS_COMMA), 123456);
    money_bad("1,23.45", '.', SF_THOUSANDS_COMMA);
    money_bad("1234,567.00", '.', SF_THOUSANDS_COMMA);
    money_bad("1,234.5,6", '.', SF_THOUSANDS_COMMA);
    money_bad(",123", '.', SF_THOUSANDS_COMMA);
    /* dot with decimal comma (PL/DE/ID) */
    assert_int_equal(money("1.234,56", ',', SF_THOUSANDS_DOT), 123456);
    assert_int_equal(money("1.234.567,89", ',', SF_THOUSANDS_DOT), 123456789);
    money_bad("1.5", ',', SF_THOUSANDS_DOT); /* not silently 15 */
    /* space, no-break space, narrow no-break space */
    assert_int_equal(money("1 234,56", ',', SF_THOUSANDS_SPACE), 123456);
    assert_int_equal(money("1\xC2\xA0" "234,56", ',', SF_THOUSANDS_SPACE), 123456);
    assert_int_equal(money("1\xE2\x80\xAF" "234\xE2\x80\xAF" "567,00", ',', SF_THOUSANDS_SPACE), 123456700);
    assert_int_equal(money("12 345 678.9", '.', SF_THOUSANDS_SPACE), 1234567890);
    money_bad("1 234,56", ',', SF_THOUSANDS_NONE);
    money_bad("1  234", ',', SF_THOUSANDS_SPACE);
    /* apostrophe (CH) */
    assert_int_equal(money("1'234'567.50", '.', SF_THOUSANDS_APOS), 123456750);
    money_bad("1'23", '.', SF_THOUSANDS_APOS);
}

static void test_money_currency(void **state)
{
    (void)state;
    static const char *const signs[] = {"$", "€", "£", "¥", "₽", "₹", "zł", "Rp", "руб.", "р."};
    char buf[64];
    for (size_t i = 0; i < SF_ARRAY_LEN(signs); i++) {
        snprintf(buf, sizeof buf, "%s5.25", signs[i]);
        assert_int_equal(money(buf, '.', SF_THOUSANDS_NONE), 525);
        snprintf(buf, sizeof buf, "%s 5.25", signs[i]);
        assert_int_equal(money(buf, '.', SF_THOUSANDS_NONE), 525);
        snprintf(buf, sizeof buf, "5.25%s", signs[i]);
        assert_int_equal(money(buf, '.', SF_THOUSANDS_NONE), 525);
        snprintf(buf, sizeof buf, "5.25 %s", signs[i]);
        assert_int_equal(money(buf, '.', SF_THOUSANDS_NONE), 525);
        snprintf(buf, sizeof buf, "-%s5.25", signs[i]);
        assert_int_equal(money(buf, '.', SF_THOUSANDS_NONE), -525);
        snprintf(buf, sizeof buf, "%s-5.25", signs[i]);
        assert_int_equal(money(buf, '.', SF_THOUSANDS_NONE), -525);
    }
    assert_int_equal(money("-$5", '.', SF_THOUSANDS_NONE), -500);
    assert_int_equal(money("$-5", '.', SF_THOUSANDS_NONE), -500);
    assert_int_equal(money("1 234 567,89 ₽", ',', SF_THOUSANDS_SPACE), 123456789);
    assert_int_equal(money("Rp 1.234.567,89", ',', SF_THOUSANDS_DOT), 123456789);
    assert_int_equal(money("1 234,50 zł", ',', SF_THOUSANDS_SPACE), 123450);
    assert_int_equal(money("1\xC2\xA0" "000 руб.", ',', SF_THOUSANDS_SPACE), 100000);
    money_bad("(5)", '.', SF_THOUSANDS_NONE);
    money_bad("($5.00)", '.', SF_THOUSANDS_NONE);
    money_bad("-$-5", '.', SF_THOUSANDS_NONE);
    money_bad("$5$", '.', SF_THOUSANDS_NONE);
    money_bad("$5 USD", '.', SF_THOUSANDS_NONE);
    money_bad("5 usd", '.', SF_THOUSANDS_NONE);
    money_bad("5 USDX", '.', SF_THOUSANDS_NONE);
    money_bad("#5", '.', SF_THOUSANDS_NONE);

    /* codes: before or after, reported */
    int64_t c;
    char code[4] = "x";
    assert_true(sf_parse_money("USD 12.50", '.', SF_THOUSANDS_NONE, &c, code));
    assert_int_equal(c, 1250);
    assert_string_equal(code, "USD");
    assert_true(sf_parse_money("12,50 PLN", ',', SF_THOUSANDS_NONE, &c, code));
    assert_int_equal(c, 1250);
    assert_string_equal(code, "PLN");
    assert_true(sf_parse_money("EUR-3", '.', SF_THOUSANDS_NONE, &c, code));
    assert_int_equal(c, -300);
    assert_string_equal(code, "EUR");
    assert_true(sf_parse_money("$3", '.', SF_THOUSANDS_NONE, &c, code));
    assert_string_equal(code, ""); /* a sign is not a code */
    assert_true(sf_parse_money("3", '.', SF_THOUSANDS_NONE, &c, code));
    assert_string_equal(code, "");
}

static void test_money_rounding_exact(void **state)
{
    (void)state;
    /* half away from zero on the decimal text, never via double */
    assert_int_equal(money("1.005", '.', SF_THOUSANDS_NONE), 101);
    assert_int_equal(money("-1.005", '.', SF_THOUSANDS_NONE), -101);
    assert_int_equal(money("2.675", '.', SF_THOUSANDS_NONE), 268);
    assert_int_equal(money("1.0049999999", '.', SF_THOUSANDS_NONE), 100);
    assert_int_equal(money("0.004", '.', SF_THOUSANDS_NONE), 0);
    assert_int_equal(money("-0.005", '.', SF_THOUSANDS_NONE), -1);
    assert_int_equal(money("1,005", ',', SF_THOUSANDS_NONE), 101);
    assert_int_equal(money("0.1", '.', SF_THOUSANDS_NONE) + money("0.2", '.', SF_THOUSANDS_NONE), 30);
}

static void test_money_overflow_and_junk(void **state)
{
    (void)state;
    assert_int_equal(money("92233720368547758.07", '.', SF_THOUSANDS_NONE), INT64_MAX);
    assert_int_equal(money("-92233720368547758.07", '.', SF_THOUSANDS_NONE), -INT64_MAX);
    money_bad("92233720368547758.08", '.', SF_THOUSANDS_NONE);
    money_bad("-92233720368547758.08", '.', SF_THOUSANDS_NONE); /* would be SF_NONE */
    money_bad("92233720368547758.075", '.', SF_THOUSANDS_NONE); /* rounds over */
    money_bad("99999999999999999999999999999999999999999", '.', SF_THOUSANDS_NONE);
    money_bad("NaN", '.', SF_THOUSANDS_NONE);
    money_bad("nan", '.', SF_THOUSANDS_NONE);
    money_bad("inf", '.', SF_THOUSANDS_NONE);
    money_bad("-Infinity", '.', SF_THOUSANDS_NONE);
    money_bad("1e5", '.', SF_THOUSANDS_NONE);
    money_bad("1E5", '.', SF_THOUSANDS_NONE);
    money_bad("1e308", '.', SF_THOUSANDS_NONE);
    money_bad("0x10", '.', SF_THOUSANDS_NONE);
}

/* ---- decimals and integers ---- */

static void test_decimal_and_int(void **state)
{
    (void)state;
    int64_t v;
    assert_true(sf_parse_decimal_ppm("50", '.', SF_THOUSANDS_NONE, &v));
    assert_int_equal(v, 50000000);
    assert_true(sf_parse_decimal_ppm("50.5", '.', SF_THOUSANDS_NONE, &v));
    assert_int_equal(v, 50500000);
    assert_true(sf_parse_decimal_ppm("0,0000005", ',', SF_THOUSANDS_NONE, &v));
    assert_int_equal(v, 1); /* 0.5 ppm rounds away from zero */
    assert_true(sf_parse_decimal_ppm("-2.5", '.', SF_THOUSANDS_NONE, &v));
    assert_int_equal(v, -2500000);
    assert_true(sf_parse_decimal_ppm("1 000,25", ',', SF_THOUSANDS_SPACE, &v));
    assert_int_equal(v, 1000250000);
    assert_false(sf_parse_decimal_ppm("high", '.', SF_THOUSANDS_NONE, &v));
    assert_false(sf_parse_decimal_ppm("$5", '.', SF_THOUSANDS_NONE, &v));
    assert_false(sf_parse_decimal_ppm("1e2", '.', SF_THOUSANDS_NONE, &v));

    assert_true(sf_parse_int("120", '.', SF_THOUSANDS_NONE, &v));
    assert_int_equal(v, 120);
    assert_true(sf_parse_int("1 200", '.', SF_THOUSANDS_SPACE, &v));
    assert_int_equal(v, 1200);
    assert_true(sf_parse_int("1.200", ',', SF_THOUSANDS_DOT, &v));
    assert_int_equal(v, 1200);
    assert_true(sf_parse_int("0", '.', SF_THOUSANDS_NONE, &v));
    assert_int_equal(v, 0);
    assert_false(sf_parse_int("12a", '.', SF_THOUSANDS_NONE, &v));
    assert_false(sf_parse_int("-5", '.', SF_THOUSANDS_NONE, &v));
    assert_false(sf_parse_int("12.5", '.', SF_THOUSANDS_NONE, &v));
    assert_false(sf_parse_int("", '.', SF_THOUSANDS_NONE, &v));
    assert_false(sf_parse_int("99999999999999999999", '.', SF_THOUSANDS_NONE, &v));
}

/* ---- delimiter sniffing ---- */

static void test_sniff(void **state)
{
    (void)state;
    const char *l;
    l = "a,b,c";
    assert_int_equal(sf_sniff_delimiter(l, strlen(l)), ',');
    l = "a;b;c";
    assert_int_equal(sf_sniff_delimiter(l, strlen(l)), ';');
    l = "a\tb\tc";
    assert_int_equal(sf_sniff_delimiter(l, strlen(l)), '\t');
    l = "a;b,c"; /* tie: comma */
    assert_int_equal(sf_sniff_delimiter(l, strlen(l)), ',');
    l = "a;b\tc"; /* tie: semicolon before tab */
    assert_int_equal(sf_sniff_delimiter(l, strlen(l)), ';');
    l = "abc"; /* none: comma */
    assert_int_equal(sf_sniff_delimiter(l, strlen(l)), ',');
    l = "\"a,b,c\";\"d,e\";f"; /* quoted commas do not count */
    assert_int_equal(sf_sniff_delimiter(l, strlen(l)), ';');
    l = "Name;Amount, EUR;Date\nx,y,z,w,v"; /* only the first line */
    assert_int_equal(sf_sniff_delimiter(l, strlen(l)), ';');
}

/* ---- conversion ---- */

static void test_convert(void **state)
{
    (void)state;
    int64_t o;
    assert_true(sf_convert_cents(1000, 920000, &o)); /* 10.00 USD at 0.92 */
    assert_int_equal(o, 920);
    assert_true(sf_convert_cents(1, 500000, &o)); /* 0.005 -> 0.01 */
    assert_int_equal(o, 1);
    assert_true(sf_convert_cents(-1, 500000, &o));
    assert_int_equal(o, -1);
    assert_true(sf_convert_cents(1, 499999, &o));
    assert_int_equal(o, 0);
    assert_true(sf_convert_cents(333, 1234567, &o)); /* 411.110811 */
    assert_int_equal(o, 411);
    assert_true(sf_convert_cents(12345, 1000000, &o));
    assert_int_equal(o, 12345);
    assert_false(sf_convert_cents(INT64_MAX, 2000000, &o));
    assert_true(sf_convert_cents(INT64_MAX, 1000000, &o));
    assert_int_equal(o, INT64_MAX);
}

/* ---- quantity x unit price ---- */

static void test_exact_product(void **state)
{
    (void)state;
    const struct { const char *q, *p; bool ok; int64_t cents; } cases[] = {
        {"1", "0.004999999999", true, 0},   /* once from the exact product, not 0.01 */
        {"1", "0.005", true, 1},
        {"0.0005", "1", true, 0},           /* the first dropped digit is a 0 */
        {"3", "0.3333", true, 100},         /* 0.9999 */
        {"-2", "0.0025", true, -1},         /* -0.005: half away from zero */
        {"2", "-$0.125", true, -25},
        {"0.5", "0.01", true, 1},           /* 0.005 */
        {"1 000", "12,34", false, 0},        /* (parsed with , below) */
        {"12", "1 234.5", true, 1481400},   /* thousands separator */
        {"0.000", "5", true, 0},
        {"1000000", "92233720368547758.07", false, 0}, /* beyond int64 cents */
        {"1.00000000000000000000000000001", "100", true, 10000},
        {"abc", "1", false, 0},
    };
    for (size_t i = 0; i < SF_ARRAY_LEN(cases); i++) {
        sf_decimal q, p;
        char code[4];
        bool ok = sf_parse_decimal_exact(cases[i].q, '.', SF_THOUSANDS_SPACE, &q, code) &&
                  sf_parse_decimal_exact(cases[i].p, '.', SF_THOUSANDS_SPACE, &p, code);
        int64_t c = 0;
        ok = ok && sf_decimal_mul_cents(&q, &p, &c);
        if (ok != cases[i].ok || (ok && c != cases[i].cents))
            fail_msg("%s x %s: got %s %lld", cases[i].q, cases[i].p, ok ? "ok" : "fail", (long long)c);
    }
    /* more significant digits than kept exactly: refused, not rounded */
    sf_decimal d;
    char code[4];
    assert_false(sf_parse_decimal_exact("0.1234567890123456789012345678901234567890123456789012345678901", '.',
                                        SF_THOUSANDS_NONE, &d, code));
    assert_true(sf_parse_decimal_exact("0.1000000000000000000000000000000000000000000000000000000000000000000",
                                       '.', SF_THOUSANDS_NONE, &d, code));
    assert_int_equal(d.n, 1);
    assert_int_equal(d.scale, 1);
}

/* ---- rejects ---- */

static void test_rejects_sort(void **state)
{
    (void)state;
    /* lines spooled by several readers come back by file, then line (a
     * tail segment, merged with its shift, after its head) */
    char dir[] = "/tmp/sf_test_rejects_XXXXXX";
    assert_non_null(mkdtemp(dir));
    sf_ctx ctx = {0};
    sf_rejects r, tail;
    assert_int_equal(sf_rejects_init(&r, dir, &ctx), SF_OK);
    assert_int_equal(sf_rejects_init(&tail, dir, &ctx), SF_OK);
    sf_reject_seg *so, *st, *sa, *stail;
    assert_int_equal(sf_rejects_segment(&r, SF_FILE_OPPORTUNITIES, 0, 0, &so, &ctx), SF_OK);
    assert_int_equal(sf_rejects_segment(&r, SF_FILE_TRANSACTIONS, 0, 0, &st, &ctx), SF_OK);
    assert_int_equal(sf_rejects_segment(&tail, SF_FILE_TRANSACTIONS, 0, 1, &stail, &ctx), SF_OK);
    assert_int_equal(sf_rejects_segment(&r, SF_FILE_ACCOUNTS, 0, 0, &sa, &ctx), SF_OK);
    const struct { sf_reject_seg **seg; sf_file_kind f; uint32_t line; const char *tag; bool kept; } in[] = {
        {&so, SF_FILE_OPPORTUNITIES, 3, "o3", false}, {&st, SF_FILE_TRANSACTIONS, 2, "t2", true},
        {&stail, SF_FILE_TRANSACTIONS, 1, "t9a", false}, {&st, SF_FILE_TRANSACTIONS, 5, "t5", false},
        {&stail, SF_FILE_TRANSACTIONS, 1, "t9b", false}, {&sa, SF_FILE_ACCOUNTS, 7, "a7", false}};
    for (size_t i = 0; i < SF_ARRAY_LEN(in); i++) {
        sf_reject x = {.file = in[i].f, .line = in[i].line, .reason = SF_REJ_BAD_DATE, .field = "date",
                       .kept = in[i].kept, .raw = in[i].tag};
        sf_rejects *to = *in[i].seg == stail ? &tail : &r;
        assert_int_equal(sf_rejects_put(to, *in[i].seg, &x, strlen(in[i].tag), in[i].f, &ctx), SF_OK);
    }
    assert_int_equal(sf_rejects_merge(&r, &tail, 8, &ctx), SF_OK); /* the head had 8 lines */
    assert_int_equal(tail.n, 0);
    assert_int_equal(sf_rejects_finish(&r, &ctx), SF_OK);
    assert_int_equal(r.n, 6);
    assert_int_equal(r.count[SF_FILE_TRANSACTIONS][SF_REJ_BAD_DATE], 3);
    assert_int_equal(r.kept_count[SF_FILE_TRANSACTIONS][SF_REJ_BAD_DATE], 1);
    const char *want[] = {"a7", "t2", "t5", "t9a", "t9b", "o3"};
    const uint32_t want_line[] = {7, 2, 5, 9, 9, 3};
    sf_rejects_reader *rd = sf_rejects_open(&r), *rd2 = sf_rejects_open(&r);
    assert_non_null(rd);
    assert_non_null(rd2);
    for (size_t i = 0; i < 6; i++) {
        sf_reject x;
        assert_true(sf_rejects_read(rd, i, &x));
        assert_string_equal(x.raw, want[i]);
        assert_int_equal(x.line, want_line[i]);
        assert_string_equal(x.field, "date");
    }
    sf_reject x;
    assert_false(sf_rejects_read(rd, 6, &x));
    /* another reader, backwards: any order works */
    for (size_t i = 6; i-- > 0;) {
        assert_true(sf_rejects_read(rd2, i, &x));
        assert_string_equal(x.raw, want[i]);
    }
    sf_rejects_close(rd);
    sf_rejects_close(rd2);
    sf_rejects_release(&r);
    sf_rejects_release(&tail);
    assert_null(r.segs);
    assert_int_equal(r.n, 0);
    sf_rejects_release(&r); /* twice is fine */
    rmdir(dir); /* the spool left nothing in the folder */
    struct stat sb;
    assert_int_equal(stat(dir, &sb), -1);

    assert_string_equal(sf_reject_reason_name(SF_REJ_FIELD_COUNT), "field_count");
    assert_string_equal(sf_reject_reason_name(SF_REJ_BAD_QUOTE), "bad_quote");
    assert_string_equal(sf_reject_reason_name(SF_REJ_BAD_ENCODING), "bad_encoding");
    assert_string_equal(sf_reject_reason_name(SF_REJ_MISSING_REQUIRED), "missing_required");
    assert_string_equal(sf_reject_reason_name(SF_REJ_BAD_DATE), "bad_date");
    assert_string_equal(sf_reject_reason_name(SF_REJ_BAD_NUMBER), "bad_number");
    assert_string_equal(sf_reject_reason_name(SF_REJ_UNKNOWN_ACCOUNT), "unknown_account");
    assert_string_equal(sf_reject_reason_name(SF_REJ_UNKNOWN_CURRENCY), "unknown_currency");
    assert_string_equal(sf_reject_reason_name(SF_REJ_DUPLICATE_ID), "duplicate_id");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_formats),
        cmocka_unit_test(test_date_time_and_junk),
        cmocka_unit_test(test_date_impossible),
        cmocka_unit_test(test_money_plain),
        cmocka_unit_test(test_money_thousands),
        cmocka_unit_test(test_money_currency),
        cmocka_unit_test(test_money_rounding_exact),
        cmocka_unit_test(test_money_overflow_and_junk),
        cmocka_unit_test(test_decimal_and_int),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_convert),
        cmocka_unit_test(test_rejects_sort),
        cmocka_unit_test(test_exact_product),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
