/*
 * sf_pdf_clv.h - the expected-value page of SPEC §11 (src/output/pdf_clv.c),
 * one line in the page tables of report.pdf (out_pdf.c) and of the review
 * pack (out_review.c).
 */
#ifndef SF_PDF_CLV_H
#define SF_PDF_CLV_H

#include "output/sf_pdf_kit.h"

/* The page for owner (SF_OWNER_ALL: the report's, with the team's
 * clients at risk per owner as bars): the largest expected values, the
 * valuable clients least likely to be alive, the model in one line; when
 * the lists are empty, why. False on out of memory. */
bool sf_pdf_page_clv(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner);
/* Whether it is part of the document: [clv] enabled. */
bool sf_pdf_clv_shown(const sf_output_ctx *o, uint32_t owner);

#endif
