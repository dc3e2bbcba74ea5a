/*
 * test_mime.c - RFC 5322 / MIME messages on fixed bytes: encoded words for
 * non-ASCII names and subjects, folding, quoted-printable, base64
 * attachments, nested multiparts, and the refusals (bad addresses, line
 * breaks in header values). The date, host and random numbers are fixed
 * through sf_mime_env; the base64 texts were computed with Python's base64
 * module.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/sf_mime.h"

/* Random numbers 1, 2, 3, ...: the Message-ID gets 1, the first boundary 2. */
static uint64_t counter(void *arg)
{
    uint64_t *n = arg;
    return ++*n;
}

static sf_mime_env fixed_env(uint64_t *seq)
{
    *seq = 0;
    return (sf_mime_env){.date = "Mon, 30 Jun 2025 09:05:00 +0200",
                         .host = "example.org",
                         .time = 1751267100,
                         .pid = 42,
                         .random = counter,
                         .arg = seq};
}

/* A writable copy of a literal, for the char * of sf_mailbox. */
#define S(lit) ((char[]){lit})

#define HEAD_ID "Date: Mon, 30 Jun 2025 09:05:00 +0200\r\n" \
                "Message-ID: <1751267100.42.0000000000000001@example.org>\r\n" \
                "MIME-Version: 1.0\r\n"
#define B2 "=_salesfocus_0000000000000002"
#define B3 "=_salesfocus_0000000000000003"

/* One message with one attachment, as memory (path NULL) or as a file. */
static char *attached_message(const void *data, size_t len, const char *path, bool *spill_err)
{
    sf_mailbox from = {.addr = S("zoe@example.com")};
    sf_mime_part kids[] = {
        sf_mime_text("Hello\n"),
        path ? sf_mime_attachment_file("application/pdf", "r.pdf", path, len)
             : sf_mime_attachment("application/pdf", "r.pdf", data, len),
    };
    sf_mime_part root = sf_mime_multipart("multipart/mixed", kids, 2, SF_MIME_PREAMBLE);
    sf_mime_message msg = {.from = &from, .subject = "s", .root = &root};
    uint64_t seq;
    sf_mime_env env = fixed_env(&seq);
    sf_buf out = {0};
    sf_mime_write(&out, &msg, &env);
    assert_false(out.oom);
    *spill_err = out.spill_err;
    return sf_buf_take(&out);
}

/* An attachment read from its file while written is byte for byte the one
 * given in memory, across the reading blocks (57 KiB) and a short last
 * line; a file that cannot be read, or is shorter than said, is an error. */
static void test_attachment_file(void **state)
{
    (void)state;
    size_t n = 57 * 1024 * 3 + 1000 + 2; /* three blocks, then lines and 2 bytes */
    unsigned char *data = malloc(n);
    assert_non_null(data);
    for (size_t i = 0; i < n; i++)
        data[i] = (unsigned char)(i * 131 + i / 7);
    char path[] = "/tmp/sf_mime_testXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    close(fd);
    bool err_mem, err_file;
    char *mem = attached_message(data, n, NULL, &err_mem);
    char *file = attached_message(NULL, n, path, &err_file);
    assert_false(err_mem);
    assert_false(err_file);
    assert_string_equal(file, mem);
    free(file);
    /* said to be longer than it is */
    file = attached_message(NULL, n + 1, path, &err_file);
    assert_true(err_file);
    free(file);
    unlink(path);
    file = attached_message(NULL, n, path, &err_file); /* gone */
    assert_true(err_file);
    free(file);
    free(mem);
    free(data);
}

static void test_message_bytes(void **state)
{
    (void)state;
    sf_mailbox from = {.display = S("Zoë Müller"), .addr = S("zoe@example.com")};
    sf_mailbox to[] = {{.addr = S("boss@example.com")},
                       {.display = S("Sales, Team"), .addr = S("team@example.com")}};
    static const unsigned char xlsx[100] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                                            20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37,
                                            38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55,
                                            56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73,
                                            74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91,
                                            92, 93, 94, 95, 96, 97, 98, 99};
    sf_mime_part kids[] = {
        sf_mime_text("Hello Zoë\n.\nFrom here = there \n"),
        sf_mime_attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "book.xlsx", xlsx,
                           sizeof xlsx),
    };
    sf_mime_part root = sf_mime_multipart("multipart/mixed", kids, 2, SF_MIME_PREAMBLE);
    sf_mime_message msg = {.from = &from, .to = to, .n_to = 2, .subject = "Отчёт за неделю: 3 контакта",
                           .mailer = "salesfocus test", .root = &root};
    uint64_t seq;
    sf_mime_env env = fixed_env(&seq);
    sf_buf out = {0};
    sf_mime_write(&out, &msg, &env);
    assert_false(out.oom);
    const char *want =
        "From: =?UTF-8?B?Wm/DqyBNw7xsbGVy?= <zoe@example.com>\r\n"
        "To: boss@example.com,\r\n"
        " \"Sales, Team\" <team@example.com>\r\n"
        /* 48 bytes of UTF-8: a word of 36 (not splitting a character), then 12 */
        "Subject: =?UTF-8?B?0J7RgtGH0ZHRgiDQt9CwINC90LXQtNC10LvRjjogMyDQutC+?=\r\n"
        " =?UTF-8?B?0L3RgtCw0LrRgtCw?=\r\n" HEAD_ID
        "Content-Type: multipart/mixed; boundary=\"" B2 "\"\r\n"
        "X-Mailer: salesfocus test\r\n"
        "\r\n"
        "This is a multi-part message in MIME format.\r\n"
        "\r\n--" B2 "\r\n"
        "Content-Type: text/plain; charset=UTF-8\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
        "Hello Zo=C3=AB\r\n"
        "=2E\r\n"                       /* a lone "." would end an SMTP message */
        "=46rom here =3D there=20\r\n"  /* "From " quoted by mbox; a trailing blank encoded */
        "\r\n--" B2 "\r\n"
        /* the type alone fills a line: folded after the field name */
        "Content-Type:\r\n application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;\r\n"
        " name=\"book.xlsx\"\r\n"
        "Content-Disposition: attachment; filename=\"book.xlsx\"\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4\r\n"
        "OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiYw==\r\n"
        "\r\n--" B2 "--\r\n";
    assert_string_equal(sf_buf_str(&out), want);
    assert_int_equal(out.n, strlen(want));
    assert_int_equal(seq, 2); /* one Message-ID, one boundary */
    sf_buf_free(&out);
}

/* A multipart inside a multipart (an HTML body beside the text), extra
 * header fields, no X-Mailer, no preamble: boundaries drawn in order. */
static void test_nested_parts(void **state)
{
    (void)state;
    sf_mailbox from = {.addr = S("a@example.com")};
    sf_mime_part html = sf_mime_text("<p>Hi</p>\n");
    html.type = "text/html";
    sf_mime_part alt_kids[] = {sf_mime_text("Hi\n"), html};
    sf_mime_part alt = sf_mime_multipart("multipart/alternative", alt_kids, 2, NULL);
    sf_mime_part root = sf_mime_multipart("multipart/mixed", &alt, 1, NULL);
    sf_mime_field extra[] = {{"Auto-Submitted", "auto-generated"}};
    sf_mime_message msg = {.from = &from, .subject = "Hi", .extra = extra, .n_extra = 1, .root = &root};
    uint64_t seq;
    sf_mime_env env = fixed_env(&seq);
    sf_buf out = {0};
    sf_mime_write(&out, &msg, &env);
    assert_string_equal(sf_buf_str(&out),
                        "From: a@example.com\r\n"
                        "Subject: Hi\r\n" HEAD_ID
                        "Content-Type: multipart/mixed; boundary=\"" B2 "\"\r\n"
                        "Auto-Submitted: auto-generated\r\n"
                        "\r\n"
                        "\r\n--" B2 "\r\n"
                        "Content-Type: multipart/alternative; boundary=\"" B3 "\"\r\n"
                        "\r\n"
                        "\r\n--" B3 "\r\n"
                        "Content-Type: text/plain; charset=UTF-8\r\n"
                        "Content-Transfer-Encoding: quoted-printable\r\n"
                        "\r\n"
                        "Hi\r\n"
                        "\r\n--" B3 "\r\n"
                        "Content-Type: text/html; charset=UTF-8\r\n"
                        "Content-Transfer-Encoding: quoted-printable\r\n"
                        "\r\n"
                        "<p>Hi</p>\r\n"
                        "\r\n--" B3 "--\r\n"
                        "\r\n--" B2 "--\r\n");
    assert_int_equal(seq, 3);
    sf_buf_free(&out);
}

static void test_subject_folding(void **state)
{
    (void)state;
    sf_buf out = {0};
    /* ASCII folds at the last space before column 78 ("...: 11" ends at 70) */
    sf_mime_header_text(&out, "Subject",
                        "Weekly report for the whole sales team as of 30 June 2025: 11 contacts due and 10 "
                        "alerts");
    assert_string_equal(sf_buf_str(&out),
                        "Subject: Weekly report for the whole sales team as of 30 June 2025: 11\r\n"
                        " contacts due and 10 alerts\r\n");
    sf_buf_free(&out);
    /* a word of 71 characters cannot be folded: encoded words of 36 + 35 bytes */
    char word[80];
    memset(word, 'x', 71);
    word[71] = '\0';
    sf_mime_header_text(&out, "Subject", word);
    assert_string_equal(sf_buf_str(&out),
                        "Subject: =?UTF-8?B?eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4?=\r\n"
                        " =?UTF-8?B?eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHg=?=\r\n");
    sf_buf_free(&out);
    /* a line may reach column 78 exactly; one more character folds it */
    char edge[80];
    memset(edge, 'a', 60);
    edge[60] = ' ';
    memset(edge + 61, 'b', 8);
    edge[69] = '\0';
    sf_mime_header_text(&out, "Subject", edge); /* 9 + 69 = 78 */
    assert_int_equal(out.n, 78 + 2);
    assert_null(strstr(sf_buf_str(&out), "\r\n "));
    sf_buf_free(&out);
    strcat(edge, "b");
    sf_mime_header_text(&out, "Subject", edge);
    assert_int_equal(out.n, 9 + 60 + 2 + 1 + 9 + 2);
    assert_memory_equal(out.p + 69, "\r\n bbbbbbbbb\r\n", 14);
    sf_buf_free(&out);
    /* ASCII that looks like an encoded word is encoded itself */
    sf_mime_header_text(&out, "Subject", "=?x?=");
    assert_string_equal(sf_buf_str(&out), "Subject: =?UTF-8?B?PT94Pz0=?=\r\n");
    sf_buf_free(&out);
}

static void test_mailbox_folding(void **state)
{
    (void)state;
    sf_mailbox to[] = {
        {.display = S("Very Long Display Name Of The Manager Person Esq. (Sales)"),
         .addr = S("very.long.address.of.someone@example-company-with-long-domain.com")},
        {.display = S("Back\\slash \"Q\""), .addr = S("q@example.com")},
        {.display = S("Ćwierć"), .addr = S("c@example.com")},
    };
    sf_buf out = {0};
    /* "To: " + 30 + " <" + 40 + ">" is 77 columns: one line; an address
     * one longer would end the line at column 78, and is folded */
    sf_mailbox edge = {.display = S("NNNNNNNNNNNNNNNNNNNNNNNNNNNNNN"),
                       .addr = S("xxxxxxxxxxxxxxxxxxxxxxxxxxxx@example.com")};
    sf_mime_header_mailboxes(&out, "To", &edge, 1);
    assert_int_equal(out.n, 77 + 2);
    sf_buf_free(&out);
    edge.addr = S("xxxxxxxxxxxxxxxxxxxxxxxxxxxxx@example.com");
    sf_mime_header_mailboxes(&out, "To", &edge, 1);
    assert_memory_equal(out.p, "To: NNNNNNNNNNNNNNNNNNNNNNNNNNNNNN\r\n <xxx", 41);
    sf_buf_free(&out);
    sf_mime_header_mailboxes(&out, "To", to, 3);
    assert_string_equal(sf_buf_str(&out),
                        "To: \"Very Long Display Name Of The Manager Person Esq. (Sales)\"\r\n"
                        " <very.long.address.of.someone@example-company-with-long-domain.com>,\r\n"
                        " \"Back\\\\slash \\\"Q\\\"\" <q@example.com>,\r\n"
                        " =?UTF-8?B?xIZ3aWVyxIc=?= <c@example.com>\r\n");
    sf_buf_free(&out);
}

static void test_qp_lines(void **state)
{
    (void)state;
    sf_buf out = {0};
    /* 80 'a': 75 on the first line and a soft break, then 5; a "." that
     * begins the continuation line is encoded too */
    char text[200];
    memset(text, 'a', 75);
    strcpy(text + 75, ".b\tc=\r\nZ\t\n");
    sf_mime_qp(&out, text);
    assert_string_equal(sf_buf_str(&out),
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=\r\n"
                        "=2Eb\tc=3D\r\n"
                        "Z=09\r\n");
    sf_buf_free(&out);
    /* "=C3=A9" never splits across a soft break: 74 'a' + "é" moves it down */
    memset(text, 'a', 74);
    strcpy(text + 74, "é");
    sf_mime_qp(&out, text);
    assert_string_equal(sf_buf_str(&out),
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=\r\n"
                        "=C3=A9\r\n");
    sf_buf_free(&out);
}

static void test_base64_lines(void **state)
{
    (void)state;
    sf_buf out = {0};
    sf_mime_base64(&out, "", 0);
    assert_int_equal(out.n, 0);
    sf_mime_base64(&out, "ab", 2);
    assert_string_equal(sf_buf_str(&out), "YWI=\r\n");
    sf_buf_free(&out);
    /* exactly one full line: 57 bytes -> 76 characters, no empty line after */
    char d[57];
    memset(d, 0xff, sizeof d);
    sf_mime_base64(&out, d, sizeof d);
    assert_int_equal(out.n, 78);
    assert_memory_equal(out.p, "//////////////////////////////////////" /* 38 + 38 */
                               "//////////////////////////////////////\r\n",
                        78);
    sf_buf_free(&out);
}

/* A spilling buffer (the mail with a large attachment) writes the same
 * bytes as one held whole, keeping less than SF_BUF_SPILL of them. */
static void test_base64_spilled(void **state)
{
    (void)state;
    size_t n = 3 * SF_BUF_SPILL + 12345;
    unsigned char *data = malloc(n);
    assert_non_null(data);
    for (size_t i = 0; i < n; i++)
        data[i] = (unsigned char)(i * 2654435761u >> 13);
    sf_buf whole = {0}, part = {0};
    sf_mime_base64(&whole, data, n);
    FILE *fp = tmpfile();
    assert_non_null(fp);
    sf_buf_spill_to(&part, fp);
    sf_buf_puts(&part, "head\r\n");
    sf_mime_base64(&part, data, n);
    assert_true(part.n < SF_BUF_SPILL);
    assert_true(sf_buf_spill_end(&part));
    long len = ftell(fp);
    assert_int_equal((size_t)len, whole.n + 6);
    char *back = malloc((size_t)len);
    assert_non_null(back);
    rewind(fp);
    assert_int_equal(fread(back, 1, (size_t)len, fp), (size_t)len);
    assert_memory_equal(back, "head\r\n", 6);
    assert_memory_equal(back + 6, sf_buf_str(&whole), whole.n);
    fclose(fp);
    free(back);
    free(data);
    sf_buf_free(&whole);
    sf_buf_free(&part);
}

static void test_addresses(void **state)
{
    (void)state;
    sf_ctx ctx = {0};
    sf_mailbox m;
    assert_int_equal(sf_mailbox_parse("[email] to", " \"Boss, Big\" <boss@example.com> ", &m, &ctx), SF_OK);
    assert_string_equal(m.display, "Boss, Big");
    assert_string_equal(m.addr, "boss@example.com");
    sf_mailbox_free(&m);
    assert_int_equal(sf_mailbox_parse("[email] to", "<x@example.com>", &m, &ctx), SF_OK);
    assert_null(m.display);
    assert_string_equal(m.addr, "x@example.com");
    sf_mailbox_free(&m);
    assert_int_equal(sf_mailbox_parse("[email] to", "  plain@example.com\t", &m, &ctx), SF_OK);
    assert_null(m.display);
    assert_string_equal(m.addr, "plain@example.com");
    sf_mailbox_free(&m);

    const char *bad[] = {"boss", "@example.com", "boss@", "a@b@example.com", "Boss <boss@example.com> x",
                         "Boss <boss@example.com", "two words@example.com", "a,b@example.com"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sf_ctx c = {0};
        assert_int_equal(sf_mailbox_parse("[email] cc", bad[i], &m, &c), SF_ERR_USAGE);
        assert_null(m.addr);
        assert_null(m.display);
    }
    sf_ctx c = {0};
    sf_mailbox_parse("[email] cc", "boss", &m, &c);
    assert_string_equal(c.msg, "[email] cc: 'boss' is not an e-mail address (use 'Name <user@host>' or "
                               "'user@host')");
}

static void test_header_injection(void **state)
{
    (void)state;
    sf_ctx ctx = {0};
    assert_int_equal(sf_mime_check_value("[email] subject", "Weekly\tfine", &ctx), SF_OK);
    assert_int_equal(sf_mime_check_value("[email] subject", "Weekly\r\nBcc: evil@example.com", &ctx),
                     SF_ERR_USAGE);
    assert_string_equal(ctx.msg, "[email] subject: a mail header value may not contain a line break or control "
                                 "character: 'Weekly??Bcc: evil@example.com'");
    sf_ctx c2 = {0};
    assert_int_equal(sf_mime_check_value("[owners] Ben\nOrtiz", "x\x7f", &c2), SF_ERR_USAGE);
    assert_non_null(strstr(c2.msg, "[owners] Ben?Ortiz: "));
    sf_ctx c3 = {0};
    assert_int_equal(sf_mime_check_value("[email] subject", "bad \xff utf8", &c3), SF_ERR_USAGE);
    assert_string_equal(c3.msg, "[email] subject: mail header value is not valid UTF-8");
    /* a line break in a display name stops the mailbox too */
    sf_ctx c4 = {0};
    sf_mailbox m;
    assert_int_equal(sf_mailbox_parse("[email] from", "Sales\rBcc: e@example.com <s@example.com>", &m, &c4),
                     SF_ERR_USAGE);
    assert_non_null(strstr(c4.msg, "'Sales?Bcc: e@example.com <s@example.com>'"));
    assert_null(m.addr);
}

static void test_date_and_domain(void **state)
{
    (void)state;
    char out[64];
    struct tm tm = {.tm_year = 125, .tm_mon = 5, .tm_mday = 30, .tm_wday = 1, .tm_hour = 9, .tm_min = 5,
                    .tm_sec = 7, .tm_gmtoff = 2 * 3600};
    sf_mime_date(&tm, out, sizeof out);
    assert_string_equal(out, "Mon, 30 Jun 2025 09:05:07 +0200");
    tm.tm_gmtoff = -(3 * 3600 + 30 * 60);
    tm.tm_mon = 11;
    tm.tm_wday = 0;
    sf_mime_date(&tm, out, sizeof out);
    assert_string_equal(out, "Sun, 30 Dec 2025 09:05:07 -0330");
    sf_mime_date(NULL, out, sizeof out);
    assert_string_equal(out, "Thu, 01 Jan 1970 00:00:00 +0000");

    sf_mime_domain("my_host!.lan", out, sizeof out);
    assert_string_equal(out, "myhost.lan");
    sf_mime_domain("__", out, sizeof out);
    assert_string_equal(out, "localhost");
    sf_mime_domain(NULL, out, sizeof out);
    assert_string_equal(out, "localhost");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_message_bytes),   cmocka_unit_test(test_attachment_file),   cmocka_unit_test(test_nested_parts),
        cmocka_unit_test(test_subject_folding), cmocka_unit_test(test_mailbox_folding),
        cmocka_unit_test(test_qp_lines),        cmocka_unit_test(test_base64_lines),
        cmocka_unit_test(test_base64_spilled),
        cmocka_unit_test(test_addresses),       cmocka_unit_test(test_header_injection),
        cmocka_unit_test(test_date_and_domain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
