/*
 * fuzz_xlsx.c - libFuzzer harness for the XLSX reader (sf_xlsxread.h).
 *
 * The first byte of the input picks the options (date format, decimal
 * mark, delimiter, a sheet name or the first) and which part of the
 * workbook the rest of the input is: the sheet, the shared strings or the
 * styles; the other parts are fixed and well-formed. The workbook is
 * zipped with minizip into a scratch file and read to its end (or to the
 * first error, which must be an input error with a message). Invariants
 * a caller relies on:
 *   - every field is a C string without a NUL inside, trimmed of spaces
 *     and tabs; a field is empty exactly when its cell kind is EMPTY;
 *   - a record is blank exactly when every field is empty;
 *   - after the header, no record is narrower than the header;
 *   - the raw text holds no NUL and its length is text_n.
 * The cell functions are also run on the input as a format code and as a
 * number: the text they return is NUL-terminated within the buffer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <minizip/zip.h>

#include "fuzz_common.h"
#include "input/sf_xlsxread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
static const char k_workbook[] =
    "<workbook xmlns=\"" NS "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<workbookPr date1904=\"0\"/><sheets><sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char k_rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"x/styles\" Target=\"styles.xml\"/></Relationships>";
static const char k_styles[] =
    "<styleSheet xmlns=\"" NS "\"><numFmts><numFmt numFmtId=\"164\" formatCode=\"dd.mm.yyyy hh:mm\"/></numFmts>"
    "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/><xf numFmtId=\"10\"/>"
    "<xf numFmtId=\"20\"/></cellXfs></styleSheet>";
static const char k_strings[] =
    "<sst xmlns=\"" NS "\"><si><t>id</t></si><si><t> a, \"b\" </t></si><si><r><t>x_x000D_</t></r></si></sst>";
static const char k_sheet[] =
    "<worksheet xmlns=\"" NS "\"><sheetData><row r=\"1\"><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c></row>"
    "<row r=\"2\"><c s=\"1\"><v>45000</v></c><c s=\"3\"><v>0.5</v></c><c t=\"s\"><v>2</v></c></row>"
    "</sheetData></worksheet>";

static void add(zipFile z, const char *name, const void *p, size_t n)
{
    if (zipOpenNewFileInZip64(z, name, NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 1, 0) != ZIP_OK ||
        zipWriteInFileInZip(z, p, (unsigned)n) != ZIP_OK || zipCloseFileInZip(z) != ZIP_OK)
        abort();
}

static void check_record(sf_xlsxread *x, size_t width)
{
    const sf_csvrec *r = sf_xlsxread_rec(x);
    const char *fb;
    const size_t *fo;
    size_t nf;
    sf_xlsxread_fields(x, &fb, &fo, &nf);
    CHECK(strlen(r->text) == r->text_n);
    CHECK(!r->open_quote && !r->bad_encoding);
    bool all_empty = true;
    for (size_t i = 0; i < nf; i++) {
        const char *f = fb + fo[i];
        size_t n = strlen(f);
        if (i + 1 < nf)
            CHECK(fo[i] + n + 1 == fo[i + 1]); /* no NUL inside */
        CHECK(!n || (f[0] != ' ' && f[0] != '\t' && f[n - 1] != ' ' && f[n - 1] != '\t'));
        CHECK((n == 0) == (sf_xlsxread_cell_kind(x, i) == SF_XCELL_EMPTY));
        all_empty &= n == 0;
    }
    CHECK(r->blank == all_empty);
    CHECK(nf >= width);
}

static void cells(const char *s)
{
    static const char *const fmts[] = {NULL, "%d.%m.%Y", "%m/%d/%y"};
    char out[96];
    (void)sf_xlsx_numfmt_style(164, s);
    for (int st = SF_XSTYLE_GENERAL; st <= SF_XSTYLE_PERCENT; st++) {
        sf_xlsx_opts o = {.date_format = fmts[st % 3], .decimal = st & 1 ? ',' : '.'};
        sf_xcell_kind k;
        size_t n = sf_xlsx_number_text(s, (sf_xstyle)st, st & 2, &o, out, sizeof out, &k);
        CHECK(n < sizeof out && strlen(out) == n);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 65536)
        return 0;
    char *s = malloc(size);
    if (!s)
        abort();
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    cells(s);
    free(s);

    char dir[256], path[300];
    scratch_dir(dir, sizeof dir, "xlsx");
    snprintf(path, sizeof path, "%s/in.xlsx", dir);
    unsigned opt = data[0];
    zipFile z = zipOpen64(path, 0);
    if (!z)
        abort();
    const void *body = data + 1;
    size_t bn = size - 1;
    unsigned part = opt % 3;
    add(z, "xl/workbook.xml", k_workbook, sizeof k_workbook - 1);
    add(z, "xl/_rels/workbook.xml.rels", k_rels, sizeof k_rels - 1);
    add(z, "xl/styles.xml", part == 2 ? body : k_styles, part == 2 ? bn : sizeof k_styles - 1);
    add(z, "xl/sharedStrings.xml", part == 1 ? body : k_strings, part == 1 ? bn : sizeof k_strings - 1);
    add(z, "xl/worksheets/sheet1.xml", part == 0 ? body : k_sheet, part == 0 ? bn : sizeof k_sheet - 1);
    if (zipClose(z, NULL) != ZIP_OK)
        abort();

    static const char *const dfmt[] = {"%Y-%m-%d", "%d.%m.%Y", "%m/%d/%y", NULL};
    sf_xlsx_opts o = {.sheet = (opt >> 2) & 1 ? "Data" : NULL, .date_format = dfmt[(opt >> 3) & 3],
                      .decimal = (opt >> 5) & 1 ? ',' : '.', .delimiter = (opt >> 6) & 1 ? ';' : 0};
    sf_ctx ctx = {0};
    sf_xlsxread *x = NULL;
    sf_err e = sf_xlsxread_open(&x, path, &o, NULL, NULL, &ctx);
    size_t width = 0;
    for (int rows = 0; e == SF_OK && rows < 100000; rows++) {
        sf_csv_event ev;
        e = sf_xlsxread_next(x, &ev);
        if (e != SF_OK || ev == SF_CSV_END)
            break;
        check_record(x, width);
        if (!width && !sf_xlsxread_rec(x)->blank) { /* the header */
            const char *fb;
            const size_t *fo;
            sf_xlsxread_fields(x, &fb, &fo, &width);
            sf_xlsxread_set_width(x, width);
        }
    }
    CHECK(e == SF_OK || ((e == SF_ERR_INPUT || e == SF_ERR_NOMEM) && ctx.msg[0]));
    sf_xlsxread_free(x);
    unlink(path);
    rmdir(dir);
    return 0;
}
