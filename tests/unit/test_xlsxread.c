/*
 * test_xlsxread.c - the XLSX reader: number formats that are dates, times
 * and percentages; the text of numbers and date serials (both date
 * systems, the 1900 leap-year bug, decimal marks, floating-point noise,
 * exponents); _xHHHH_ escapes; whole workbooks written part by part with
 * minizip (namespace prefixes, inline and rich strings, phonetic runs,
 * booleans, errors, ISO dates, formula strings, cells and rows without
 * references, gaps, padding to the header and extra cells, the raw text's
 * quoting, named sheets, absolute relationship targets, the 1904 system)
 * and the errors (no workbook part, a missing sheet named with the ones
 * there are, a document type, malformed XML, a bad shared-string index);
 * a workbook written by libxlsxwriter; the record source telling formats
 * apart by content; and a 200,000-row sheet read in constant memory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <xlsxwriter.h>
#include <zip.h>

#include "input/sf_recsrc.h"
#include "input/sf_xlsxread.h"

/* ---- cells -------------------------------------------------------------------- */

static void test_numfmt_styles(void **state)
{
    (void)state;
    assert_int_equal(sf_xlsx_numfmt_style(0, NULL), SF_XSTYLE_GENERAL);
    assert_int_equal(sf_xlsx_numfmt_style(4, NULL), SF_XSTYLE_GENERAL);
    assert_int_equal(sf_xlsx_numfmt_style(9, NULL), SF_XSTYLE_PERCENT);
    assert_int_equal(sf_xlsx_numfmt_style(14, NULL), SF_XSTYLE_DATE);
    assert_int_equal(sf_xlsx_numfmt_style(20, NULL), SF_XSTYLE_TIME);
    assert_int_equal(sf_xlsx_numfmt_style(22, NULL), SF_XSTYLE_DATETIME);
    assert_int_equal(sf_xlsx_numfmt_style(46, NULL), SF_XSTYLE_TIME);
    assert_int_equal(sf_xlsx_numfmt_style(164, "dd.mm.yyyy"), SF_XSTYLE_DATE);
    assert_int_equal(sf_xlsx_numfmt_style(164, "yyyy-mm-dd hh:mm"), SF_XSTYLE_DATETIME);
    assert_int_equal(sf_xlsx_numfmt_style(164, "[$-409]mmmm d, yyyy;@"), SF_XSTYLE_DATE);
    assert_int_equal(sf_xlsx_numfmt_style(164, "mmm-yy"), SF_XSTYLE_DATE);
    assert_int_equal(sf_xlsx_numfmt_style(164, "[h]:mm:ss"), SF_XSTYLE_TIME);
    assert_int_equal(sf_xlsx_numfmt_style(164, "mm:ss"), SF_XSTYLE_TIME);
    assert_int_equal(sf_xlsx_numfmt_style(164, "h:mm AM/PM"), SF_XSTYLE_TIME);
    assert_int_equal(sf_xlsx_numfmt_style(164, "0.00%"), SF_XSTYLE_PERCENT);
    /* letters that are text, colours, locales or exponents are not dates */
    assert_int_equal(sf_xlsx_numfmt_style(164, "#,##0.00 \"days\""), SF_XSTYLE_GENERAL);
    assert_int_equal(sf_xlsx_numfmt_style(164, "[Red]#,##0.00;[Blue]-#,##0.00"), SF_XSTYLE_GENERAL);
    assert_int_equal(sf_xlsx_numfmt_style(164, "0.00E+00"), SF_XSTYLE_GENERAL);
    assert_int_equal(sf_xlsx_numfmt_style(164, "General"), SF_XSTYLE_GENERAL);
    assert_int_equal(sf_xlsx_numfmt_style(164, "#,##0 \\d"), SF_XSTYLE_GENERAL);
    assert_int_equal(sf_xlsx_numfmt_style(164, "#,##0.00\\ [$\xE2\x82\xBD-419]"), SF_XSTYLE_GENERAL);
}

/* The text of v in style st; kind checked when want_kind >= 0. */
static void num_is(const char *v, sf_xstyle st, bool d1904, const char *fmt, char dec, const char *want,
                   int want_kind)
{
    sf_xlsx_opts o = {.date_format = fmt, .decimal = dec};
    char out[128];
    sf_xcell_kind k;
    size_t n = sf_xlsx_number_text(v, st, d1904, &o, out, sizeof out, &k);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
    if (want_kind >= 0)
        assert_int_equal(k, want_kind);
}

static void test_number_text(void **state)
{
    (void)state;
    num_is("1234.5", SF_XSTYLE_GENERAL, false, NULL, 0, "1234.5", SF_XCELL_NUMBER);
    num_is("1234.5", SF_XSTYLE_GENERAL, false, NULL, ',', "1234,5", SF_XCELL_NUMBER);
    num_is("100", SF_XSTYLE_GENERAL, false, NULL, ',', "100", -1);
    num_is("1.50", SF_XSTYLE_GENERAL, false, NULL, 0, "1.5", -1);
    num_is("-0", SF_XSTYLE_GENERAL, false, NULL, 0, "0", -1);
    /* what Excel shows: 15 significant digits, never an exponent */
    num_is("0.30000000000000004", SF_XSTYLE_GENERAL, false, NULL, 0, "0.3", -1);
    num_is("1.2345678901234567E+19", SF_XSTYLE_GENERAL, false, NULL, 0, "12345678901234600000", -1);
    num_is("1E-3", SF_XSTYLE_GENERAL, false, NULL, ',', "0,001", -1);
    num_is("-2.5E-7", SF_XSTYLE_GENERAL, false, NULL, 0, "-0.00000025", -1);
    num_is("123456789012", SF_XSTYLE_GENERAL, false, NULL, 0, "123456789012", -1);
    num_is("0.6", SF_XSTYLE_PERCENT, false, NULL, 0, "60%", SF_XCELL_NUMBER);
    num_is("0.125", SF_XSTYLE_PERCENT, false, NULL, ',', "12,5%", -1);
    num_is("abc", SF_XSTYLE_GENERAL, false, NULL, 0, "", -1);
    num_is("12abc", SF_XSTYLE_DATE, false, NULL, 0, "", -1);
    num_is("inf", SF_XSTYLE_GENERAL, false, NULL, 0, "", -1);
    /* beyond any amount: written as Excel writes it, never cut short */
    num_is("1E+300", SF_XSTYLE_GENERAL, false, NULL, 0, "1e+300", -1);
    num_is("-1E+300", SF_XSTYLE_TIME, false, NULL, 0, "-1e+300", SF_XCELL_NUMBER); /* no such duration */
}

static void test_date_serials(void **state)
{
    (void)state;
    /* 45658 = 2025-01-01 in the 1900 system */
    num_is("45658", SF_XSTYLE_DATE, false, NULL, 0, "2025-01-01", SF_XCELL_DATE);
    num_is("45658", SF_XSTYLE_DATE, false, "%d.%m.%Y", 0, "01.01.2025", SF_XCELL_DATE);
    num_is("45658", SF_XSTYLE_DATE, false, "%m/%d/%y", 0, "01/01/25", SF_XCELL_DATE);
    num_is("45658.5", SF_XSTYLE_DATETIME, false, "%d.%m.%Y", 0, "01.01.2025 12:00:00", SF_XCELL_DATE);
    num_is("45658.99999999", SF_XSTYLE_DATETIME, false, NULL, 0, "2025-01-02 00:00:00", -1);
    num_is("45658.75", SF_XSTYLE_DATE, false, NULL, 0, "2025-01-01", -1); /* the style shows no time */
    /* the 1900 system counts a 29 February 1900 that never was */
    num_is("1", SF_XSTYLE_DATE, false, NULL, 0, "1900-01-01", -1);
    num_is("59", SF_XSTYLE_DATE, false, NULL, 0, "1900-02-28", -1);
    num_is("61", SF_XSTYLE_DATE, false, NULL, 0, "1900-03-01", -1);
    /* the 1904 system: day 0 is 1904-01-01 */
    num_is("0.5", SF_XSTYLE_TIME, true, NULL, 0, "12:00:00", SF_XCELL_DATE);
    num_is("1", SF_XSTYLE_DATE, true, NULL, 0, "1904-01-02", -1);
    num_is("44196", SF_XSTYLE_DATE, true, NULL, 0, "2025-01-01", -1);
    /* times and durations */
    num_is("0.75", SF_XSTYLE_TIME, false, NULL, 0, "18:00:00", SF_XCELL_DATE);
    num_is("1.5", SF_XSTYLE_TIME, false, NULL, 0, "36:00:00", -1);
    num_is("0.25", SF_XSTYLE_DATE, false, NULL, 0, "06:00:00", -1); /* no day: a time */
    /* beyond 9999-12-31: left a number */
    num_is("3000000", SF_XSTYLE_DATE, false, NULL, 0, "3000000", SF_XCELL_NUMBER);
    num_is("-5", SF_XSTYLE_DATE, false, NULL, 0, "-5", SF_XCELL_NUMBER);
}

static void test_unescape(void **state)
{
    (void)state;
    char a[] = "a_x000D_b_x005F_c_x00e9_", b[] = "x_y_x12_", c[] = "_x0000_";
    size_t n = sf_xlsx_unescape(a, strlen(a));
    assert_int_equal(n, 7);
    assert_memory_equal(a, "a\rb_c\xC3\xA9", 7);
    assert_int_equal(sf_xlsx_unescape(b, strlen(b)), strlen("x_y_x12_"));
    n = sf_xlsx_unescape(c, strlen(c));
    assert_int_equal(n, 3);
    assert_memory_equal(c, "\xEF\xBF\xBD", 3);
}

/* ---- workbooks written part by part --------------------------------------------- */

typedef struct {
    char dir[64];
    char path[128];
    sf_xlsxread *x;
    sf_ctx ctx;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    strcpy(f->dir, "/tmp/sf_xlsx_XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/in.xlsx", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    sf_xlsxread_free(f->x);
    unlink(f->path);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Write a zip of (name, content) pairs, NULL-terminated. */
static void write_zip(const char *path, const char *const *parts)
{
    zipFile z = zipOpen64(path, 0);
    assert_non_null(z);
    for (size_t i = 0; parts[i]; i += 2) {
        assert_int_equal(zipOpenNewFileInZip64(z, parts[i], NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 6, 0), ZIP_OK);
        assert_int_equal(zipWriteInFileInZip(z, parts[i + 1], (unsigned)strlen(parts[i + 1])), ZIP_OK);
        assert_int_equal(zipCloseFileInZip(z), ZIP_OK);
    }
    assert_int_equal(zipClose(z, NULL), ZIP_OK);
}

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_TYPE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char *const WORKBOOK =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<x:workbook xmlns:x=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><x:workbookPr/>"
    "<x:sheets><x:sheet name=\"Notes\" sheetId=\"1\" r:id=\"rId1\"/>"
    "<x:sheet name=\"Deals\" sheetId=\"2\" r:id=\"rId2\"/></x:sheets></x:workbook>";
static const char *const RELS =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" REL_TYPE "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" REL_TYPE "worksheet\" Target=\"/xl/worksheets/deals.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" REL_TYPE "sharedStrings\" Target=\"strings.xml\"/>"
    "<Relationship Id=\"rId4\" Type=\"" REL_TYPE "styles\" Target=\"styles.xml\"/></Relationships>";
static const char *const STYLES =
    "<?xml version=\"1.0\"?><styleSheet xmlns=\"" NS_MAIN "\"><numFmts count=\"2\">"
    "<numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/><numFmt numFmtId=\"165\" formatCode=\"#,##0.00&quot;d&quot;\"/>"
    "</numFmts><cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"22\"/>"
    "<xf numFmtId=\"165\"/><xf numFmtId=\"9\"/></cellXfs></styleSheet>";
static const char *const STRINGS =
    "<?xml version=\"1.0\"?><sst xmlns=\"" NS_MAIN "\" count=\"4\" uniqueCount=\"4\">"
    "<si><t>Account</t></si><si><t xml:space=\"preserve\"> Date </t></si>"
    "<si><r><rPr><b/></rPr><t>Am</t></r><r><t>ount</t></r><rPh><t>X</t></rPh></si>"
    "<si><t>a,b \"c\"_x000A_d</t></si></sst>";
static const char *const NOTES =
    "<?xml version=\"1.0\"?><worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>only notes</t></is></c></row></sheetData></worksheet>";
static const char *const DEALS =
    "<?xml version=\"1.0\"?><x:worksheet xmlns:x=\"" NS_MAIN "\"><x:dimension ref=\"A1:E9\"/><x:sheetData>"
    "<x:row r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c><x:c r=\"B1\" t=\"s\"><x:v>1</x:v></x:c>"
    "<x:c r=\"C1\" t=\"s\"><x:v>2</x:v></x:c><x:c r=\"D1\" t=\"inlineStr\"><x:is><x:r><x:t>No</x:t></x:r>"
    "<x:r><x:t>te</x:t></x:r><x:rPh><x:t>ignored</x:t></x:rPh></x:is></x:c></x:row>"
    /* row 3: a date style, a number style with text in it, a shared string to quote */
    "<x:row r=\"3\"><x:c r=\"A3\" t=\"inlineStr\"><x:is><x:t>  ACME  </x:t></x:is></x:c>"
    "<x:c r=\"B3\" s=\"1\"><x:v>45700</x:v></x:c><x:c r=\"C3\" s=\"3\"><x:v>1234.5</x:v></x:c>"
    "<x:c r=\"D3\" t=\"s\"><x:v>3</x:v></x:c></x:row>"
    /* row 4: cells without references, a boolean, a date-time, a percent */
    "<x:row><x:c t=\"b\"><x:v>1</x:v></x:c><x:c s=\"2\"><x:v>45700.25</x:v></x:c><x:c s=\"4\"><x:v>0.6</x:v></x:c>"
    "</x:row>"
    /* row 7: an error, an ISO date, a formula's string, a style-only cell */
    "<x:row r=\"7\"><x:c r=\"A7\" t=\"e\"><x:v>#N/A</x:v></x:c><x:c r=\"B7\" t=\"d\"><x:v>2025-02-03T10:00:00</x:v>"
    "</x:c><x:c r=\"C7\" t=\"str\"><x:f>A1</x:f><x:v>x_x000D_y</x:v></x:c><x:c r=\"D7\" s=\"1\"/></x:row>"
    /* row 8: only blanks; row 9: a value beyond the header */
    "<x:row r=\"8\"><x:c r=\"B8\" t=\"inlineStr\"><x:is><x:t> </x:t></x:is></x:c></x:row>"
    "<x:row r=\"9\"><x:c r=\"A9\"><x:v>1</x:v></x:c><x:c r=\"F9\"><x:v>2</x:v></x:c></x:row>"
    "</x:sheetData></x:worksheet>";

static void open_book(fx *f, const char *sheet, const char *fmt, sf_err want)
{
    sf_xlsx_opts o = {.sheet = sheet, .date_format = fmt, .decimal = ',', .delimiter = ','};
    sf_xlsxread_free(f->x);
    f->x = NULL;
    memset(&f->ctx, 0, sizeof f->ctx);
    assert_int_equal(sf_xlsxread_open(&f->x, f->path, &o, NULL, NULL, &f->ctx), want);
}

static void next_row(fx *f, uint32_t line, bool blank)
{
    sf_csv_event ev;
    assert_int_equal(sf_xlsxread_next(f->x, &ev), SF_OK);
    assert_int_equal(ev, SF_CSV_RECORD);
    assert_int_equal(sf_xlsxread_rec(f->x)->line, line);
    assert_int_equal(sf_xlsxread_rec(f->x)->blank, blank);
}

static void fields_are(const fx *f, size_t n, ...)
{
    const char *fb;
    const size_t *fo;
    size_t nf;
    sf_xlsxread_fields(f->x, &fb, &fo, &nf);
    assert_int_equal(nf, n);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(fb + fo[i], va_arg(ap, const char *));
    va_end(ap);
}

static void raw_is(const fx *f, const char *want)
{
    const sf_csvrec *r = sf_xlsxread_rec(f->x);
    assert_int_equal(r->text_n, strlen(want));
    assert_memory_equal(r->text, want, strlen(want));
    assert_ptr_equal(r->bytes, r->text);
    assert_false(r->bad_encoding);
    assert_false(r->open_quote);
}

static void test_workbook(void **state)
{
    fx *f = *state;
    const char *parts[] = {"[Content_Types].xml", "<Types/>", "xl/workbook.xml", WORKBOOK,
                           "xl/_rels/workbook.xml.rels", RELS, "xl/styles.xml", STYLES,
                           "xl/strings.xml", STRINGS, "xl/worksheets/sheet1.xml", NOTES,
                           "xl/worksheets/deals.xml", DEALS, NULL};
    write_zip(f->path, parts);

    /* the first sheet unless one is named */
    open_book(f, NULL, NULL, SF_OK);
    assert_string_equal(sf_xlsxread_sheet(f->x), "Notes");
    next_row(f, 1, false);
    fields_are(f, 1, "only notes");
    sf_csv_event ev;
    assert_int_equal(sf_xlsxread_next(f->x, &ev), SF_OK);
    assert_int_equal(ev, SF_CSV_END);

    open_book(f, "Deals", "%d.%m.%Y", SF_OK);
    assert_int_equal(sf_xlsxread_rows_hint(f->x), 9);
    next_row(f, 1, false);
    fields_are(f, 4, "Account", "Date", "Amount", "Note"); /* trimmed; rich runs joined; no phonetics */
    sf_xlsxread_set_width(f->x, 4);
    next_row(f, 3, false);
    /* a date style in the configured format; a number style with "d" in
     * quotes is a number, with the decimal comma */
    fields_are(f, 4, "ACME", "12.02.2025", "1234,5", "a,b \"c\"\nd");
    raw_is(f, "ACME,12.02.2025,\"1234,5\",\"a,b \"\"c\"\"\nd\"");
    assert_int_equal(sf_xlsxread_cell_kind(f->x, 1), SF_XCELL_DATE);
    assert_int_equal(sf_xlsxread_cell_kind(f->x, 2), SF_XCELL_NUMBER);
    assert_int_equal(sf_xlsxread_cell_kind(f->x, 3), SF_XCELL_TEXT);
    next_row(f, 4, false);
    fields_are(f, 4, "TRUE", "12.02.2025 06:00:00", "60%", "");
    assert_int_equal(sf_xlsxread_cell_kind(f->x, 0), SF_XCELL_BOOL);
    assert_int_equal(sf_xlsxread_cell_kind(f->x, 3), SF_XCELL_EMPTY);
    next_row(f, 7, false);
    fields_are(f, 4, "#N/A", "03.02.2025 10:00:00", "x\ry", "");
    assert_int_equal(sf_xlsxread_cell_kind(f->x, 0), SF_XCELL_ERROR);
    assert_int_equal(sf_xlsxread_cell_kind(f->x, 1), SF_XCELL_DATE);
    next_row(f, 8, true);
    next_row(f, 9, false);
    fields_are(f, 6, "1", "", "", "", "", "2"); /* wider than the header */
    raw_is(f, "1,,,,,2");
    assert_int_equal(sf_xlsxread_next(f->x, &ev), SF_OK);
    assert_int_equal(ev, SF_CSV_END);
    assert_int_equal(sf_xlsxread_next(f->x, &ev), SF_OK); /* and stays there */
    assert_int_equal(ev, SF_CSV_END);

    /* a sheet that is not there: the message names the ones that are */
    open_book(f, "Sales", NULL, SF_ERR_INPUT);
    assert_non_null(strstr(f->ctx.msg, "no sheet 'Sales'"));
    assert_non_null(strstr(f->ctx.msg, "'Notes', 'Deals'"));
}

static void test_date1904_and_defaults(void **state)
{
    fx *f = *state;
    /* no relationships, no styles part, no shared strings: the usual
     * names; the 1904 system from workbookPr */
    const char *parts[] = {
        "xl/workbook.xml",
        "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><workbookPr date1904=\"1\"/><sheets>"
        "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
        "xl/worksheets/sheet1.xml",
        "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"2\"><c r=\"B2\"><v>7</v></c></row>"
        "</sheetData></worksheet>",
        NULL};
    write_zip(f->path, parts);
    open_book(f, NULL, NULL, SF_OK);
    next_row(f, 2, false);
    fields_are(f, 2, "", "7");
}

static void test_errors(void **state)
{
    fx *f = *state;
    const char *no_book[] = {"data.csv", "a,b\n", NULL};
    write_zip(f->path, no_book);
    open_book(f, NULL, NULL, SF_ERR_INPUT);
    assert_non_null(strstr(f->ctx.msg, "without xl/workbook.xml: not an XLSX workbook"));
    assert_non_null(strstr(f->ctx.msg, f->path));

    const char *doctype[] = {"xl/workbook.xml",
                             "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><workbook xmlns=\"" NS_MAIN "\"/>", NULL};
    write_zip(f->path, doctype);
    open_book(f, NULL, NULL, SF_ERR_INPUT);
    assert_non_null(strstr(f->ctx.msg, "document type"));

    const char *bad_xml[] = {"xl/workbook.xml", "<workbook><sheets><sheet name=\"a\"></workbook>", NULL};
    write_zip(f->path, bad_xml);
    open_book(f, NULL, NULL, SF_ERR_INPUT);
    assert_non_null(strstr(f->ctx.msg, "xl/workbook.xml is not well-formed XML"));

    const char *no_sheet_part[] = {"xl/workbook.xml",
                                   "<workbook xmlns=\"" NS_MAIN "\"><sheets><sheet name=\"S\"/></sheets></workbook>",
                                   NULL};
    write_zip(f->path, no_sheet_part);
    open_book(f, NULL, NULL, SF_ERR_INPUT);
    assert_non_null(strstr(f->ctx.msg, "sheet 'S' (xl/worksheets/sheet1.xml) is missing"));

    /* a shared string that does not exist, and a sheet cut short */
    const char *bad_ss[] = {"xl/workbook.xml",
                            "<workbook xmlns=\"" NS_MAIN "\"><sheets><sheet name=\"S\"/></sheets></workbook>",
                            "xl/worksheets/sheet1.xml",
                            "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
                            "<row r=\"2\"><c r=\"C2\" t=\"s\"><v>4</v></c></row></sheetData></worksheet>",
                            NULL};
    write_zip(f->path, bad_ss);
    open_book(f, NULL, NULL, SF_OK);
    next_row(f, 1, false);
    sf_csv_event ev;
    assert_int_equal(sf_xlsxread_next(f->x, &ev), SF_ERR_INPUT);
    assert_non_null(strstr(f->ctx.msg, "sheet 'S', cell C2: shared string '4' does not exist"));

    const char *cut[] = {"xl/workbook.xml",
                         "<workbook xmlns=\"" NS_MAIN "\"><sheets><sheet name=\"S\"/></sheets></workbook>",
                         "xl/worksheets/sheet1.xml",
                         "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
                         "<row r=\"2\"><c",
                         NULL};
    write_zip(f->path, cut);
    open_book(f, NULL, NULL, SF_OK);
    next_row(f, 1, false);
    assert_int_equal(sf_xlsxread_next(f->x, &ev), SF_ERR_INPUT);
    assert_non_null(strstr(f->ctx.msg, "sheet 'S' is not well-formed XML (after row 1"));

    /* not a zip at all, though it starts like one */
    FILE *fp = fopen(f->path, "wb");
    assert_non_null(fp);
    fputs("PK\x03\x04 not really", fp);
    fclose(fp);
    open_book(f, NULL, NULL, SF_ERR_INPUT);
    assert_non_null(strstr(f->ctx.msg, "cannot be opened as one"));
}

/* ---- a workbook written by libxlsxwriter, through the record source ------------------ */

static void test_libxlsxwriter_book(void **state)
{
    fx *f = *state;
    lxw_workbook *wb = workbook_new(f->path);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Export");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    worksheet_write_string(ws, 0, 0, "account_id", NULL);
    worksheet_write_string(ws, 0, 1, "date", NULL);
    worksheet_write_string(ws, 0, 2, "amount", NULL);
    worksheet_write_string(ws, 1, 0, "A1", NULL);
    lxw_datetime dt = {2025, 3, 4, 0, 0, 0};
    worksheet_write_datetime(ws, 1, 1, &dt, date);
    worksheet_write_number(ws, 1, 2, -12.75, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

    sf_recsrc s;
    sf_xlsx_opts xo = {.date_format = "%m/%d/%Y", .decimal = '.'};
    assert_int_equal(sf_recsrc_init(&s, "CP1251", "test", ';', &xo, &f->ctx), SF_OK);
    assert_int_equal(sf_recsrc_open(&s, f->path, NULL, NULL), SF_OK);
    assert_true(sf_recsrc_is_xlsx(&s));
    int64_t blank = 0;
    assert_int_equal(sf_recsrc_header(&s, &blank), SF_OK);
    assert_int_equal(s.nf, 3);
    assert_string_equal(sf_recsrc_field(&s, 2), "amount");
    sf_csv_event ev;
    assert_int_equal(sf_recsrc_next(&s, &ev), SF_OK);
    assert_int_equal(ev, SF_CSV_RECORD);
    assert_int_equal(sf_recsrc_fields(&s), SF_OK);
    assert_int_equal(s.rec->line, 2);
    assert_string_equal(sf_recsrc_field(&s, 1), "03/04/2025");
    assert_string_equal(sf_recsrc_field(&s, 2), "-12.75");
    assert_string_equal(sf_recsrc_field(&s, 3), "");
    /* the raw text is joined with the configured delimiter */
    assert_int_equal(s.rec->text_n, strlen("A1;03/04/2025;-12.75"));
    assert_memory_equal(s.rec->text, "A1;03/04/2025;-12.75", s.rec->text_n);
    assert_int_equal(sf_recsrc_next(&s, &ev), SF_OK);
    assert_int_equal(ev, SF_CSV_END);
    sf_recsrc_release(&s);
}

static void write_file(const char *path, const char *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

static void test_formats_by_content(void **state)
{
    fx *f = *state;
    sf_recsrc s;
    assert_int_equal(sf_recsrc_init(&s, NULL, "test", 0, NULL, &f->ctx), SF_OK);
    /* Bitrix24's "Excel" export: HTML named .xls */
    const char *html = "\xEF\xBB\xBF\r\n<meta http-equiv=\"Content-type\" content=\"text/html;charset=utf-8\" />"
                       "\n<TABLE border=\"1\"><tr><td>ID</td></tr></TABLE>";
    write_file(f->path, html, strlen(html));
    assert_int_equal(sf_file_format_of(f->path), SF_FMT_HTML);
    assert_int_equal(sf_recsrc_open(&s, f->path, NULL, NULL), SF_ERR_INPUT);
    assert_non_null(strstr(f->ctx.msg, "export CSV instead, or open it in a spreadsheet program and save it as .xlsx"));
    memset(&f->ctx, 0, sizeof f->ctx);
    write_file(f->path, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", 12);
    assert_int_equal(sf_file_format_of(f->path), SF_FMT_XLS);
    assert_int_equal(sf_recsrc_open(&s, f->path, NULL, NULL), SF_ERR_INPUT);
    assert_non_null(strstr(f->ctx.msg, "Excel 97-2003 workbook"));
    /* a CSV whose first field starts with '<' is still a CSV */
    memset(&f->ctx, 0, sizeof f->ctx);
    write_file(f->path, "<id>,name\n1,a\n", 14);
    assert_int_equal(sf_file_format_of(f->path), SF_FMT_TEXT);
    assert_int_equal(sf_recsrc_open(&s, f->path, NULL, NULL), SF_OK);
    assert_false(sf_recsrc_is_xlsx(&s));
    int64_t blank = 0;
    assert_int_equal(sf_recsrc_header(&s, &blank), SF_OK);
    assert_string_equal(sf_recsrc_field(&s, 0), "<id>");
    sf_recsrc_release(&s);
}

/* ---- streaming ----------------------------------------------------------------------- */

static long peak_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void test_large_sheet_streams(void **state)
{
    fx *f = *state;
    enum { ROWS = 200000 };
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = f->dir};
    lxw_workbook *wb = workbook_new_opt(f->path, &opt);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    char id[64];
    worksheet_write_string(ws, 0, 0, "id", NULL);
    worksheet_write_string(ws, 0, 1, "v", NULL);
    for (int r = 1; r <= ROWS; r++) {
        snprintf(id, sizeof id, "ACC-%07d-with-some-padding-text", r);
        worksheet_write_string(ws, (lxw_row_t)r, 0, id, NULL);
        worksheet_write_number(ws, (lxw_row_t)r, 1, r * 0.5, NULL);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

    long before = peak_kb();
    open_book(f, NULL, NULL, SF_OK);
    sf_csv_event ev;
    int n = 0;
    double sum = 0;
    for (;;) {
        assert_int_equal(sf_xlsxread_next(f->x, &ev), SF_OK);
        if (ev == SF_CSV_END)
            break;
        const char *fb;
        const size_t *fo;
        size_t nf;
        sf_xlsxread_fields(f->x, &fb, &fo, &nf);
        if (n++ > 0) {
            assert_int_equal(sf_xlsxread_rec(f->x)->line, (uint32_t)n);
            char *c = strchr(fb + fo[1], ',');
            if (c)
                *c = '.';
            sum += atof(fb + fo[1]);
        }
    }
    assert_int_equal(n, ROWS + 1);
    assert_true(sum == 0.5 * ROWS * (ROWS + 1.0) / 2.0);
    sf_xlsxread_free(f->x);
    f->x = NULL;
    /* 200,000 rows, about 14 MB of sheet XML (constant_memory writes the
     * strings inline): reading it keeps one row at a time. */
    long grew = peak_kb() - before;
    assert_true(grew < 40 * 1024);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numfmt_styles),
        cmocka_unit_test(test_number_text),
        cmocka_unit_test(test_date_serials),
        cmocka_unit_test(test_unescape),
        cmocka_unit_test_setup_teardown(test_workbook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_date1904_and_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_libxlsxwriter_book, setup, teardown),
        cmocka_unit_test_setup_teardown(test_formats_by_content, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_sheet_streams, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
