/*
 * out_xlsx.c - the manager's workbook (workbook.xlsx) with libxlsxwriter.
 *
 * A Summary sheet (headline figures of SPEC §3.8 and native Excel charts),
 * then one sheet per CSV list with the same columns and rows as
 * src/out_csv.c writes, typed cells and the report language's labels, each
 * an Excel table with conditional formats (xlsx_look.c), and last a hidden
 * "chart data" sheet with the tables the charts draw on. Every sheet is set
 * up to print. It only renders sf_report, the dataset's names and the
 * rejects: nothing is analysed here.
 *
 * The workbook is written in libxlsxwriter's constant_memory mode (rows
 * stream to temporary files in the output folder), so every sheet is
 * written strictly row by row, top to bottom; the list rows themselves are
 * formatted here and go to the zip compressed (see "Fast rows"). Data texts
 * are always strings (worksheet_write_string, or the row writer's inline
 * strings): a name such as =HYPERLINK(...) stays text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output/sf_xlsx.h"

/* ---------------------------------------------------------------------
 * The list sheets: one writer for every list of sf_lists[], in the
 * column and row order of the CSV lists, each cell typed by its column.
 * --------------------------------------------------------------------- */

static void list_cell(xl *x, xl_sheet *sh, lxw_row_t r, int c, const sf_column *col, const sf_cell *cell,
                      bool ruled)
{
    char text[SF_CELL_TEXT_MAX];
    if (col->type == SF_COL_ANY) { /* the cell's own type */
        if (cell->type != SF_COL_ANY && cell->type != SF_COL_FLAGS) {
            const sf_column own = {.name = col->name, .type = cell->type};
            list_cell(x, sh, r, c, &own, cell, ruled);
        }
        return;
    }
    /* a column under a conditional format gets its colours from the rule,
     * which follows the value when a manager edits it */
    bool alert = cell->alert && !ruled;
    switch (col->type) {
    case SF_COL_TEXT:
    case SF_COL_FLAGS:
        xl_cell_str(x, sh, r, c, sf_cell_text(col, cell, text), NULL);
        break;
    case SF_COL_INT:
        xl_cell_int(x, sh, r, c, cell->v, x->f.integer);
        break;
    case SF_COL_MONEY:
        xl_cell_money(x, sh, r, c, cell->v, NULL);
        break;
    case SF_COL_SHARE:
        xl_cell_pct(x, sh, r, c, cell->v, alert ? x->f.bad_pct : NULL);
        break;
    case SF_COL_RATIO: /* a plain number: 1.6761 shows "1.68", not "168 %" */
        if (cell->v != SF_NONE)
            xl_cell_scaled(x, sh, r, c, cell->v, 4, x->f.dec2, (double)(xl_digits(cell->v / SF_E4) + 3));
        break;
    case SF_COL_DECIMAL:
        if (cell->v != SF_NONE) {
            int w = snprintf(text, sizeof text, "%.2f", (double)cell->v / SF_E4);
            xl_cell_num(x, sh, r, c, (double)cell->v / SF_E4, alert ? x->f.bad_dec : x->f.dec2, (double)w);
        }
        break;
    case SF_COL_DATE:
        xl_cell_date(x, sh, r, c, (sf_date)cell->v);
        break;
    case SF_COL_TIER:
        xl_cell_str(x, sh, r, c, sf_tier_name((sf_tier)cell->v), x->f.tier[cell->v]);
        break;
    case SF_COL_TEMP:
        xl_cell_str(x, sh, r, c, sf_temp_name((sf_temp)cell->v), ruled ? NULL : x->f.temp[cell->v]);
        break;
    case SF_COL_PERCENT:
        /* a number where the CSV shows the text as given; v is ppm of a
         * percentage point: 60 % is 60000000 */
        if (cell->text && cell->v != SF_NONE) {
            int w = snprintf(text, sizeof text, "%g", (double)cell->v / SF_PPM);
            xl_cell_num(x, sh, r, c, (double)cell->v / SF_PPM, NULL, (double)w);
        }
        break;
    case SF_COL_ANY:
        break;
    }
}

/* One list: its sheet, and when it has more rows than a sheet holds,
 * "<sheet> (2)", "<sheet> (3)", ... with the rows after (the Summary says
 * so), each with the header, filter and widths of the first. Returns the
 * first of them (NULL after a failure). */
static xl_sheet *sheet_list(xl *x, const sf_list *l)
{
    size_t n = l->count(x->o->rep);
    bool ruled[SF_LIST_MAX_COLS];
    for (int c = 0; c < l->n_cols; c++)
        ruled[c] = xl_col_has_rule(l->cols[c].name);
    sf_list_ahead ra;
    if (!sf_list_ahead_open(&ra, l, x->o->rep, n)) {
        x->nomem = true;
        return NULL;
    }
    xl_sheet *first_sheet = NULL;
    int part = 0;
    for (size_t first = 0; (first == 0 || first < n) && !xl_failed(x); first += SF_SHEET_ROWS, part++) {
        /* a long list's next sheet is named "<label> (2)" and on */
        size_t end = n - first > SF_SHEET_ROWS ? first + SF_SHEET_ROWS : n;
        xl_sheet *sh = xl_list_begin(x, l, (uint32_t)(end - first), part);
        if (!sh)
            break;
        if (!first_sheet)
            first_sheet = sh;
        for (size_t i = first; i < end && !xl_failed(x); i++) {
            const sf_cell *cells = sf_list_ahead_row(&ra, i);
            if (!cells) {
                xl_check(x, LXW_ERROR_READING_TMPFILE, "reading back a row of the list");
                break;
            }
            for (int c = 0; c < l->n_cols; c++)
                list_cell(x, sh, (lxw_row_t)(i - first + 1), c, &l->cols[c], &cells[c], ruled[c]);
        }
        xl_list_end(x, sh, l, (uint32_t)(end - first));
    }
    sf_list_ahead_close(&ra);
    return first_sheet;
}
/* ---------------------------------------------------------------------
 * Formats and the workbook
 * --------------------------------------------------------------------- */

static lxw_format *fmt_new(xl *x)
{
    lxw_format *f = workbook_add_format(x->wb);
    if (!f)
        x->nomem = true;
    return f;
}

static lxw_format *fmt_fill(xl *x, uint32_t bg, uint32_t fg)
{
    lxw_format *f = fmt_new(x);
    if (f) {
        format_set_bg_color(f, bg);
        format_set_font_color(f, fg);
    }
    return f;
}

/* Money format "#,##0.00 "EUR"" with the report currency as a literal
 * (characters that would end the literal are dropped). */
static void money_format(xl *x)
{
    const char *cur = x->o->cfg->currency ? x->o->cfg->currency : "";
    char lit[64];
    size_t n = 0;
    for (const char *p = cur; *p && n + 1 < sizeof lit; p++)
        if (*p != '"' && *p != '\\')
            lit[n++] = *p;
    lit[n] = '\0';
    x->cur_chars = n ? (double)xl_utf8_len(lit) + 1 : 0;
    if (n)
        snprintf(x->money_fmt, sizeof x->money_fmt, "#,##0.00 \"%s\"", lit);
    else
        snprintf(x->money_fmt, sizeof x->money_fmt, "#,##0.00");
}

static void formats_init(xl *x)
{
    xl_formats *f = &x->f;
    const char *date_fmt = xl_label(x, "date_format");
    if (strncmp(date_fmt, "xlsx.", 5) == 0) /* label missing: ISO */
        date_fmt = "yyyy-mm-dd";
    money_format(x);

    if ((f->hdr = fmt_new(x))) {
        format_set_bold(f->hdr);
        format_set_bg_color(f->hdr, 0xD9E1F2);
        format_set_bottom(f->hdr, LXW_BORDER_THIN);
    }
    if ((f->title = fmt_new(x))) {
        format_set_bold(f->title);
        format_set_font_size(f->title, 16);
    }
    if ((f->section = fmt_new(x))) {
        format_set_bold(f->section);
        format_set_font_size(f->section, 12);
    }
    f->label = NULL; /* plain text */
    if ((f->note = fmt_new(x))) {
        format_set_italic(f->note);
        format_set_font_color(f->note, 0x595959);
    }
    if ((f->money = fmt_new(x)))
        format_set_num_format(f->money, x->money_fmt);
    if ((f->pct = fmt_new(x)))
        format_set_num_format(f->pct, "0.00%");
    if ((f->date = fmt_new(x)))
        format_set_num_format(f->date, date_fmt);
    if ((f->dec2 = fmt_new(x)))
        format_set_num_format(f->dec2, "0.00");
    if ((f->integer = fmt_new(x)))
        format_set_num_format(f->integer, "0");
    /* temperature map of SPEC §3.1: hot red, warm amber, cold blue */
    f->temp[SF_TEMP_HOT] = fmt_fill(x, 0xF8696B, 0x000000);
    f->temp[SF_TEMP_WARM] = fmt_fill(x, 0xFFC000, 0x000000);
    f->temp[SF_TEMP_COLD] = fmt_fill(x, 0x5B9BD5, 0xFFFFFF);
    f->tier[SF_TIER_A] = fmt_fill(x, 0x00B050, 0xFFFFFF);
    f->tier[SF_TIER_B] = fmt_fill(x, 0x92D050, 0x000000);
    f->tier[SF_TIER_C] = fmt_fill(x, 0xFFE699, 0x000000);
    f->tier[SF_TIER_D] = fmt_fill(x, 0xD9D9D9, 0x000000);
    for (int t = 0; t < SF_TIER_N; t++)
        if (f->tier[t])
            format_set_align(f->tier[t], LXW_ALIGN_CENTER);
    if ((f->bad_pct = fmt_fill(x, 0xFFC7CE, 0x9C0006)))
        format_set_num_format(f->bad_pct, "0.00%");
    if ((f->bad_dec = fmt_fill(x, 0xFFC7CE, 0x9C0006)))
        format_set_num_format(f->bad_dec, "0.00");
    f->bad = fmt_fill(x, 0xFFC7CE, 0x9C0006);
}

static void xl_release(xl *x)
{
    for (int i = 0; i < x->n_sheets; i++) {
        sf_zip_rows_free(x->sheets[i].zr);
        x->sheets[i].zr = NULL;
    }
    free(x->rows.buf);
    x->rows.buf = NULL;
    for (int i = 0; i < x->n_sheets; i++)
        free(x->sheets[i].name);
    x->n_sheets = 0;
}

/* Write OUT/workbook.xlsx through the stage. Returns SF_OK, or
 * SF_ERR_OUTPUT naming the file and libxlsxwriter's reason (the staged
 * temporary is left for sf_stage_abort), or SF_ERR_NOMEM. */
sf_err sf_out_xlsx(const sf_output_ctx *o, sf_ctx *ctx)
{
    return sf_out_xlsx_book(o, "workbook.xlsx", "title", sf_lists, sf_n_lists, true, ctx);
}

sf_err sf_out_xlsx_book(const sf_output_ctx *o, const char *file, const char *title_key,
                        const sf_list *const *lists, size_t n_lists, bool summary, sf_ctx *ctx)
{
    size_t plen = strlen(o->out_dir) + strlen(file) + 2;
    char *final_path = malloc(plen);
    if (!final_path)
        return sf_ctx_nomem(ctx);
    snprintf(final_path, plen, "%s/%s", o->out_dir, file);

    const char *tmp_path = NULL;
    sf_err rc = sf_stage_path(o->stage, final_path, &tmp_path, ctx);
    if (rc != SF_OK) {
        free(final_path);
        return rc;
    }

    xl x;
    memset(&x, 0, sizeof x);
    x.o = o;
    x.ctx = ctx;
    x.final_path = final_path;
    x.err = LXW_NO_ERROR;
    x.fast_path = o->cfg->xlsx_fast;

    /* constant memory: rows stream to temporaries in the run's own folder
     * (private until the switch), so 100k accounts cost little memory;
     * sheets are written row by row. */
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = (char *)sf_stage_work_dir(o->stage)};
    x.wb = workbook_new_opt(tmp_path, &opts);
    if (!x.wb) {
        rc = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot create the workbook (temporary files in %s)",
                          final_path, sf_stage_work_dir(o->stage));
        free(final_path);
        return rc;
    }

    char subject[160], date_iso[16];
    sf_date_iso(o->rep->as_of, date_iso);
    snprintf(subject, sizeof subject, "%s %s", xl_label(&x, "doc_subject"), date_iso);
    lxw_doc_properties props = {
        .title = (char *)xl_label(&x, title_key),
        .subject = subject,
        .author = (char *)"salesfocus",
        .company = (char *)"salesfocus",
        .keywords = (char *)"salesfocus",
        .created = (time_t)o->rep->as_of * 86400,
    };
    xl_check(&x, workbook_set_properties(x.wb, &props), "document properties");

    formats_init(&x);
    xl_summary_rows rows;
    memset(&rows, 0, sizeof rows);
    if (summary)
        xl_sheet_summary(&x);
    for (size_t i = 0; i < n_lists; i++) {
        const sf_list *l = lists[i];
        if (l->present && !l->present(o->rep))
            continue;
        if (l == &sf_list_changes)
            xl_sheet_changes(&x); /* the migration matrix and the changes (SPEC §7) */
        else if (l->own_sheet || !l->sheet_key)
            continue;             /* shown on a sheet of its own making, or on none */
        else if (l == &sf_list_trend)
            xl_trend_charts(&x, sheet_list(&x, l));
        else
            sheet_list(&x, l);
    }
    const xl_sheet *data = summary ? xl_sheet_chart_data(&x, &rows) : NULL;
    if (x.n_sheets > 0 && data)
        xl_summary_charts(&x, &x.sheets[0], data, &rows);

    if (xl_failed(&x)) {
        lxw_workbook_free(x.wb);
        if (x.nomem)
            rc = sf_ctx_nomem(ctx);
        else
            rc = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: %s: %s", final_path, x.err_what, lxw_strerror(x.err));
    } else {
        sf_zip_engage(x.fast_path);
        lxw_error e = workbook_close(x.wb);
        sf_zip_engage(false);
        if (e != LXW_NO_ERROR)
            rc = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot write the workbook: %s", final_path,
                              lxw_strerror(e));
        for (int i = 0; rc == SF_OK && i < x.n_sheets; i++)
            if (x.sheets[i].zr && !sf_zip_rows_used(x.sheets[i].zr))
                rc = sf_ctx_error(ctx, SF_ERR_OUTPUT,
                                  "%s: the rows of sheet '%s' did not reach the zip (is the "
                                  "libxlsxwriter/minizip in use the one salesfocus was built for?)",
                                  final_path, x.sheets[i].name);
    }
    xl_release(&x);
    free(final_path);
    return rc;
}
