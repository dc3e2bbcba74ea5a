/*
 * sf_pdf_pages.h - PDF pages kept in files of their own (pdf_<topic>.c),
 * for the page tables of report.pdf (out_pdf.c) and of the review pack
 * (out_review.c): each is an sf_pdf_draw_fn.
 */
#ifndef SF_PDF_PAGES_H
#define SF_PDF_PAGES_H

#include "output/sf_pdf_tables.h"

/* pdf_reorder.c (SPEC §8): the report's page of clients late to reorder
 * (per owner and tier, and the largest revenue at risk), and the table of
 * the reorder_due list (the review pack's flow of the rep's late clients). */
bool sf_pdf_page_reorder(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner);
extern const sf_pdf_table_def sf_pdf_tab_reorder;

/* pdf_explain.c (SPEC §9): the review pack's page of explanations, in
 * sentences: the rep's key clients and those nearest the next tier, what
 * ends each decline alert, the fire candidates, the open deals. */
bool sf_pdf_page_review_explain(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner);

#endif
