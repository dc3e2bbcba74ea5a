/*
 * sf_pdf_history.h - the PDF pages of SPEC §7 (with the history on): in
 * report.pdf the page "Since <date>" (the tier migration, the counts of
 * each change kind, the largest tier moves) and the trend over the stored
 * runs (pdf_history.c); in the review pack the owner's accounts over the
 * last runs as strips of tier and temperature (pdf_strip.c). One line in
 * each document's page table.
 */
#ifndef SF_PDF_HISTORY_H
#define SF_PDF_HISTORY_H

#include "output/sf_pdf_kit.h"

/* Shown in report.pdf with the history on (rep->hist). */
bool sf_pdf_history_shown(const sf_output_ctx *o, uint32_t owner);
bool sf_pdf_page_since(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner);
bool sf_pdf_page_trend(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner);

/* Shown in a review pack when the store held runs before this one. */
bool sf_pdf_strip_shown(const sf_output_ctx *o, uint32_t owner);
bool sf_pdf_page_strip(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner);

#endif
