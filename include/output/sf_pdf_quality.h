/*
 * sf_pdf_quality.h - the report's data-quality page (pdf_quality.c): the
 * records of each input file, what the data cannot support (the notes of
 * sf_report's quality result, in the report's language) and how the
 * export's status values were read. The cover page says the gravest of
 * them too, through sf_pdf_note_text.
 */
#ifndef SF_PDF_QUALITY_H
#define SF_PDF_QUALITY_H

#include "output/sf_pdf_kit.h"

/* The page (an sf_pdf_draw_fn of report.pdf's page table). */
bool sf_pdf_page_quality(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner);

/* A note in the report's language ("pdf.note_<kind>" with {n}, {m},
 * {value}, {d1}, {d2} filled in), into out (cap). */
void sf_pdf_note_text(const sf_output_ctx *o, const sf_note *n, char *out, size_t cap);
/* The same with the label "pdf.<key>" of the caller's choice. */
void sf_pdf_label_note(const sf_output_ctx *o, const char *key, const sf_note *n, char *out, size_t cap);

#endif
