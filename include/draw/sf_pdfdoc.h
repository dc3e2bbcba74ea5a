/*
 * sf_pdfdoc.h - a PDF document of titled A4 landscape pages: a header
 * (title left, subtitle right, the page's title), a footer (a text left,
 * "page N of M" right) and the document's metadata, streamed into a FILE
 * the caller opened (and closes).
 *
 * Like sf_chart.h it knows no report and no output: every text comes in
 * as a string. Errors (cairo's, and failed writes) go into sf_ctx naming
 * the file.
 */
#ifndef SF_PDFDOC_H
#define SF_PDFDOC_H

#include <stdio.h>
#include "draw/sf_chart.h"

/* A4 landscape in points. */
#define SF_PAGE_W 842.0
#define SF_PAGE_H 595.0
#define SF_MARGIN 36.0

/* What a document says besides its pages; every text is copied. */
typedef struct {
    const char *title;     /* header, left; the PDF's Title */
    const char *subtitle;  /* header, right */
    const char *footer;    /* footer, left */
    const char *page_of;   /* footer, right: "{n}" and "{m}" become the page
                            * number and n_pages (the text is data, never a
                            * printf format) */
    const char *creator;   /* the PDF's Creator */
    sf_date date;          /* the PDF's creation and modification day: the
                            * same data gives the same file */
    int n_pages;           /* the pages that will be drawn */
} sf_pdf_info;

typedef struct {
    cairo_surface_t *surface;
    cairo_t *cr;
    sf_chart ch;
    char *name;                /* owned: the file in error messages */
    char *title, *sub, *footer, *page_of; /* owned */
    int page, n_pages;
    FILE *fp;                  /* borrowed: the surface streams into it */
    int write_errno;           /* first failed write (cairo hides errors of its final flush) */
} sf_pdf_doc;

/* Open a document streaming into fp (borrowed, open for writing; the
 * caller closes it after sf_pdf_doc_close or sf_pdf_doc_discard). name
 * stands for the file in error messages. On error everything is released
 * and the sf_err is returned. */
sf_err sf_pdf_doc_open(sf_pdf_doc *d, FILE *fp, const char *name, const sf_pdf_info *info,
                       const sf_lang *lang, sf_ctx *ctx);
/* The content box of every page (below the title, above the footer):
 * where a page's content goes, known before any page is started. */
sf_box sf_pdf_content_box(void);
/* The "M" of "page N of M", when it is known only after the document was
 * opened (pages laid out with its fonts); before the first page ends. */
void sf_pdf_doc_set_pages(sf_pdf_doc *d, int n_pages);
/* Start a page: header, page title; returns the content box below. */
sf_box sf_pdf_page(sf_pdf_doc *d, const char *page_title);
/* Finish the current page (footer) and emit it. */
void sf_pdf_page_end(sf_pdf_doc *d);
/* Finish the document and release it; SF_ERR_OUTPUT naming the file when
 * cairo or a write failed at any point. Safe after a failed open. */
sf_err sf_pdf_doc_close(sf_pdf_doc *d, sf_ctx *ctx);
/* Release without checking (error paths). Safe on a zeroed or released
 * document. */
void sf_pdf_doc_discard(sf_pdf_doc *d);

#endif
