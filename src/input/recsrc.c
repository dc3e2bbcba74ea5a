/*
 * recsrc.c - the record source of the ingest (include/input/sf_recsrc.h):
 * a file's format from its first bytes, then the CSV or the XLSX reader
 * behind the same calls.
 */
#include "input/sf_recsrc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Does buf[0..n) (case-insensitively) contain needle? */
static bool has_ci(const char *buf, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (strncasecmp(buf + i, needle, k) == 0)
            return true;
    return false;
}

/* The format from the file's first bytes b[0..n). */
static sf_file_format format_of(const char *b, ssize_t n)
{
    if (n < 4)
        return SF_FMT_TEXT;
    if (memcmp(b, "PK\x03\x04", 4) == 0 || memcmp(b, "PK\x05\x06", 4) == 0)
        return SF_FMT_ZIP;
    if (n >= 8 && memcmp(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
        return SF_FMT_XLS;
    size_t i = 0, len = (size_t)n;
    if (len >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
        i++;
    if (i < len && b[i] == '<' && (has_ci(b + i, len - i, "<table") || has_ci(b + i, len - i, "<html")))
        return SF_FMT_HTML;
    return SF_FMT_TEXT;
}

sf_file_format sf_file_format_of(const char *path)
{
    char b[4096];
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return SF_FMT_TEXT;
    ssize_t n;
    do
        n = read(fd, b, sizeof b);
    while (n < 0 && errno == EINTR);
    close(fd);
    return format_of(b, n);
}

sf_file_format sf_file_format_of_fd(int fd)
{
    char b[4096];
    ssize_t n;
    do
        n = pread(fd, b, sizeof b, 0);
    while (n < 0 && errno == EINTR);
    return format_of(b, n);
}

sf_err sf_recsrc_init(sf_recsrc *s, const char *encoding, const char *enc_origin, char delimiter,
                      const sf_xlsx_opts *xo, sf_ctx *ctx)
{
    memset(s, 0, sizeof *s);
    s->ctx = ctx;
    if (xo)
        s->xo = *xo;
    if (!s->xo.delimiter)
        s->xo.delimiter = delimiter ? delimiter : ',';
    s->rec = &s->csv.rec;
    return sf_csvread_init(&s->csv, encoding, enc_origin, delimiter, ctx);
}

void sf_recsrc_close(sf_recsrc *s)
{
    sf_xlsxread_free(s->xlsx);
    s->xlsx = NULL;
    sf_csvread_close(&s->csv);
    s->rec = &s->csv.rec;
    s->nf = 0;
}

void sf_recsrc_release(sf_recsrc *s)
{
    if (!s)
        return;
    sf_xlsxread_free(s->xlsx);
    sf_csvread_release(&s->csv);
    memset(s, 0, sizeof *s);
}

sf_err sf_recsrc_open(sf_recsrc *s, const char *path, sf_csv_progress_fn progress, void *user)
{
    sf_recsrc_close(s);
    s->path = path;
    switch (sf_file_format_of(path)) {
    case SF_FMT_ZIP: {
        sf_err e = sf_xlsxread_open(&s->xlsx, path, &s->xo, progress, user, s->ctx);
        if (e == SF_OK)
            s->rec = sf_xlsxread_rec(s->xlsx);
        return e;
    }
    case SF_FMT_XLS:
        return sf_ctx_error(s->ctx, SF_ERR_INPUT,
                            "%s: an Excel 97-2003 workbook (.xls), which salesfocus does not read: open it in a "
                            "spreadsheet program and save it as .xlsx, or export CSV",
                            path);
    case SF_FMT_HTML:
        return sf_ctx_error(s->ctx, SF_ERR_INPUT,
                            "%s: an HTML page, not a spreadsheet (Bitrix24's \"Excel\" export is an HTML table "
                            "saved as .xls): export CSV instead, or open it in a spreadsheet program and save it "
                            "as .xlsx",
                            path);
    case SF_FMT_TEXT:
        break;
    }
    return sf_csvread_open(&s->csv, path, progress, user);
}

sf_err sf_recsrc_open_fd(sf_recsrc *s, int fd, int64_t size, const char *path, sf_csv_progress_fn progress,
                         void *user)
{
    sf_recsrc_close(s);
    s->path = path;
    switch (sf_file_format_of_fd(fd)) {
    case SF_FMT_ZIP: {
        /* the zip library opens a path: this file's own, whatever path is
         * now (a new export renamed over it is not mixed in) */
        snprintf(s->fd_path, sizeof s->fd_path, "/proc/self/fd/%d", fd);
        sf_xlsx_opts xo = s->xo;
        xo.open_path = s->fd_path;
        sf_err e = sf_xlsxread_open(&s->xlsx, path, &xo, progress, user, s->ctx);
        if (e == SF_OK)
            s->rec = sf_xlsxread_rec(s->xlsx);
        return e;
    }
    case SF_FMT_XLS:
    case SF_FMT_HTML:
        return sf_recsrc_open(s, path, progress, user); /* its message names the fix */
    case SF_FMT_TEXT:
        break;
    }
    return sf_csvread_open_fd(&s->csv, fd, size, path, progress, user);
}

size_t sf_recsrc_rows_hint(const sf_recsrc *s, int64_t start, int64_t end)
{
    return s->xlsx ? sf_xlsxread_rows_hint(s->xlsx) : sf_csvread_rows_hint(&s->csv, start, end);
}

static void take_fields(sf_recsrc *s)
{
    if (s->xlsx) {
        sf_xlsxread_fields(s->xlsx, &s->fb, &s->fo, &s->nf);
    } else {
        s->fb = s->csv.fb;
        s->fo = s->csv.fo;
        s->nf = s->csv.nf;
    }
}

sf_err sf_recsrc_header(sf_recsrc *s, int64_t *blank)
{
    sf_err e;
    if (!s->xlsx) {
        e = sf_csvread_header(&s->csv, blank);
        take_fields(s);
        return e;
    }
    for (;;) {
        sf_csv_event ev;
        if ((e = sf_xlsxread_next(s->xlsx, &ev)) != SF_OK)
            return e;
        if (ev == SF_CSV_END)
            return sf_ctx_error(s->ctx, SF_ERR_INPUT, "%s: sheet '%s' is empty (no header row)", s->path,
                                sf_xlsxread_sheet(s->xlsx));
        if (!s->rec->blank)
            break;
        (*blank)++;
    }
    take_fields(s);
    sf_xlsxread_set_width(s->xlsx, s->nf);
    return SF_OK;
}

sf_err sf_recsrc_seek(sf_recsrc *s, int64_t start)
{
    if (s->xlsx)
        return sf_ctx_error(s->ctx, SF_ERR_NOMEM, "a workbook cannot be read from an offset");
    return sf_csvread_seek(&s->csv, start);
}

sf_err sf_recsrc_next(sf_recsrc *s, sf_csv_event *ev)
{
    if (!s->xlsx)
        return sf_csvread_next(&s->csv, ev);
    return sf_xlsxread_next(s->xlsx, ev);
}

sf_err sf_recsrc_fields(sf_recsrc *s)
{
    if (s->xlsx) {
        take_fields(s);
        return SF_OK;
    }
    sf_err e = sf_csvread_fields(&s->csv);
    take_fields(s);
    return e;
}

const char *sf_recsrc_stage(const sf_recsrc *s)
{
    return s->xlsx ? sf_xlsxread_stage(s->xlsx) : s->csv.stage;
}
