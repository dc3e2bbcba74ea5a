/*
 * pdfdoc.c - the PDF document of titled A4 landscape pages (see
 * sf_pdfdoc.h): a cairo PDF surface streaming into the caller's FILE,
 * header and footer on every page, metadata pinned to a given day.
 */
#include "draw/sf_pdfdoc.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_rgb(cairo_t *cr, sf_rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/* Replace {n} and {m} in a label pattern (labels come from a file, so
 * they are never used as printf formats). */
static void fill_pattern(const char *pat, int n, int m, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = pat; *p && o + 1 < cap;) {
        if ((p[0] == '{' && (p[1] == 'n' || p[1] == 'm') && p[2] == '}')) {
            int wr = snprintf(out + o, cap - o, "%d", p[1] == 'n' ? n : m);
            if (wr < 0 || (size_t)wr >= cap - o)
                break;
            o += (size_t)wr;
            p += 3;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = 0;
}

static void free_texts(sf_pdf_doc *d)
{
    free(d->title);
    free(d->sub);
    free(d->footer);
    free(d->page_of);
    d->title = d->sub = d->footer = d->page_of = NULL;
}

void sf_pdf_doc_discard(sf_pdf_doc *d)
{
    sf_chart_release(&d->ch);
    if (d->cr)
        cairo_destroy(d->cr);
    if (d->surface)
        cairo_surface_destroy(d->surface);
    d->cr = NULL;
    d->surface = NULL;
    d->fp = NULL;
    free_texts(d);
    free(d->name);
    d->name = NULL;
}

/* cairo's own file output drops the errors of its last flush, so a full
 * disk could leave a truncated PDF that looks complete: stream into the
 * caller's FILE and remember the first failed write. */
static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int length)
{
    sf_pdf_doc *d = closure;
    if (d->write_errno)
        return CAIRO_STATUS_WRITE_ERROR;
    if (length && fwrite(data, 1, length, d->fp) != length) {
        d->write_errno = errno ? errno : EIO;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

/* The surface's metadata: title, creator, and both dates at the start of
 * info->date. */
static void set_metadata(cairo_surface_t *surface, const sf_pdf_info *info)
{
    char date[16], iso[40];
    sf_date_iso(info->date, date);
    snprintf(iso, sizeof iso, "%sT00:00:00", date);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, info->title);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, info->creator);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, iso);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, iso);
}

sf_err sf_pdf_doc_open(sf_pdf_doc *d, FILE *fp, const char *name, const sf_pdf_info *info,
                       const sf_lang *lang, sf_ctx *ctx)
{
    memset(d, 0, sizeof *d);
    d->fp = fp;
    d->n_pages = info->n_pages;
    d->name = sf_strdup(name);
    d->title = sf_strdup(info->title);
    d->sub = sf_strdup(info->subtitle);
    d->footer = sf_strdup(info->footer);
    d->page_of = sf_strdup(info->page_of);
    if (!d->name || !d->title || !d->sub || !d->footer || !d->page_of) {
        sf_pdf_doc_discard(d);
        return sf_ctx_nomem(ctx);
    }
    sf_err rc;
    d->surface = cairo_pdf_surface_create_for_stream(pdf_write, d, SF_PAGE_W, SF_PAGE_H);
    if (cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS) {
        rc = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot create PDF: %s", name,
                          cairo_status_to_string(cairo_surface_status(d->surface)));
        sf_pdf_doc_discard(d);
        return rc;
    }
    set_metadata(d->surface, info);
    d->cr = cairo_create(d->surface);
    if (cairo_status(d->cr) != CAIRO_STATUS_SUCCESS || !sf_chart_init(&d->ch, d->cr, lang)) {
        rc = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot draw PDF: %s", name,
                          cairo_status_to_string(cairo_status(d->cr)));
        sf_pdf_doc_discard(d);
        return rc;
    }
    return SF_OK;
}

sf_box sf_pdf_content_box(void)
{
    return (sf_box){SF_MARGIN, 64, SF_PAGE_W - 2 * SF_MARGIN, SF_PAGE_H - 64 - 34};
}

void sf_pdf_doc_set_pages(sf_pdf_doc *d, int n_pages)
{
    d->n_pages = n_pages;
}

sf_box sf_pdf_page(sf_pdf_doc *d, const char *page_title)
{
    sf_chart *c = &d->ch;
    d->page++;
    c->page = d->page;
    cairo_t *cr = d->cr;
    set_rgb(cr, sf_rgb_accent);
    cairo_rectangle(cr, 0, 0, SF_PAGE_W, 4);
    cairo_fill(cr);
    sf_chart_text(c, SF_MARGIN, 11, SF_PAGE_W * 0.6, d->title, 8.5, true, SF_AL_LEFT, sf_rgb_accent);
    sf_chart_text(c, SF_PAGE_W - SF_MARGIN, 11, 0, d->sub, 8.5, false, SF_AL_RIGHT, sf_rgb_muted);
    sf_chart_text(c, SF_MARGIN, 28, SF_PAGE_W - 2 * SF_MARGIN, page_title, 17, true, SF_AL_LEFT,
                  sf_rgb_text);
    set_rgb(cr, sf_rgb_grid);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, SF_MARGIN, 54);
    cairo_line_to(cr, SF_PAGE_W - SF_MARGIN, 54);
    cairo_stroke(cr);
    return sf_pdf_content_box();
}

void sf_pdf_page_end(sf_pdf_doc *d)
{
    char buf[128];
    fill_pattern(d->page_of, d->page, d->n_pages, buf, sizeof buf);
    set_rgb(d->cr, sf_rgb_grid);
    cairo_set_line_width(d->cr, 0.8);
    cairo_move_to(d->cr, SF_MARGIN, SF_PAGE_H - 28);
    cairo_line_to(d->cr, SF_PAGE_W - SF_MARGIN, SF_PAGE_H - 28);
    cairo_stroke(d->cr);
    sf_chart_text(&d->ch, SF_PAGE_W - SF_MARGIN, SF_PAGE_H - 22, 0, buf, 8, false, SF_AL_RIGHT,
                  sf_rgb_muted);
    sf_chart_text(&d->ch, SF_MARGIN, SF_PAGE_H - 22, 0, d->footer, 8, false, SF_AL_LEFT,
                  sf_rgb_muted);
    cairo_show_page(d->cr);
}

sf_err sf_pdf_doc_close(sf_pdf_doc *d, sf_ctx *ctx)
{
    if (!d->surface) {
        sf_err rc = ctx->code ? ctx->code
                              : sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: not open", d->name ? d->name : "PDF");
        sf_pdf_doc_discard(d);
        return rc;
    }
    cairo_status_t st = cairo_status(d->cr);
    sf_chart_release(&d->ch);
    cairo_destroy(d->cr);
    d->cr = NULL;
    cairo_surface_finish(d->surface);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(d->surface);
    cairo_surface_destroy(d->surface);
    d->surface = NULL;
    sf_err rc = SF_OK;
    if (d->write_errno)
        rc = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot write PDF: %s", d->name,
                          strerror(d->write_errno));
    else if (st != CAIRO_STATUS_SUCCESS)
        rc = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot write PDF: %s", d->name,
                          cairo_status_to_string(st));
    sf_pdf_doc_discard(d);
    return rc;
}
