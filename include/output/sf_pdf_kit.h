/*
 * sf_pdf_kit.h - what the PDF outputs (report.pdf, out_pdf.c; the review
 * pack, out_review.c) share besides their tables (sf_pdf_tables.h): a PDF
 * written from a table of pages, the labels and colours of the report's
 * vocabulary (owners, tiers, verdicts), and picking which owners a chart
 * shows.
 *
 * The drawing itself is the draw layer's (sf_chart.h, sf_pdfdoc.h); this
 * is where the report meets it: staging the file, the header's texts,
 * counting the pages.
 */
#ifndef SF_PDF_KIT_H
#define SF_PDF_KIT_H

#include "draw/sf_pdfdoc.h"
#include "output/sf_output.h"

/* Charts show at most this many owners; the rest are aggregated. */
#define SF_PDF_MAX_OWNERS 25

/* Colours of the report's vocabularies, indexed by sf_tier and sf_verdict. */
extern const sf_rgb sf_pdf_rgb_tier[SF_TIER_N];
extern const sf_rgb sf_pdf_rgb_verdict[3]; /* pursue, qualify, drop */

/* "pdf.KEY" label (borrowed from the language). */
const char *sf_pdf_label(const sf_output_ctx *o, const char *key);
/* Display name of an owner id: the language's "(unassigned)" for id 0,
 * "(all)" for SF_OWNER_ALL. */
const char *sf_pdf_owner_name(const sf_output_ctx *o, uint32_t owner);
/* The language's name of a tier ("common.tier_A") and of a verdict. */
const char *sf_pdf_tier_label(const sf_output_ctx *o, sf_tier t);
const char *sf_pdf_verdict_label(const sf_output_ctx *o, sf_verdict v);
/* The "pdf.KEY" label with {n} and {m} replaced by n and m formatted for
 * the language (labels are data, never printf formats); into out (cap).
 * A label of several plural forms ("{n} day|{n} days") gives the form
 * of n (sf_lang_plural_pick). */
void sf_pdf_label_nm(const sf_output_ctx *o, const char *key, int64_t n, int64_t m, char *out,
                     size_t cap);

/* Picking what a chart shows: items with weight > 0 (or all, keep_zero)
 * in their natural order; when more than `max`, the max-1 heaviest (ties:
 * natural order) plus one "others" row. `force` (or SIZE_MAX) is always
 * kept. Fills sel (caller array of n) with the chosen indexes in natural
 * order and returns how many, *n_others = how many items the "others" row
 * holds (0: none); SIZE_MAX on out of memory. */
size_t sf_pdf_pick(const uint64_t *weight, size_t n, size_t max, size_t force, bool keep_zero,
                   size_t *sel, size_t *n_others);
/* An item and its weight; sf_pdf_cmp_weighted orders heaviest first,
 * ties in natural order (a qsort comparator). */
typedef struct {
    size_t idx;
    uint64_t w;
} sf_pdf_weighted;
int sf_pdf_cmp_weighted(const void *a, const void *b);

/* ---- a PDF from a table of pages ---- */

/* Draw a page's content into box for owner (SF_OWNER_ALL: the report);
 * false on out of memory. */
typedef bool (*sf_pdf_draw_fn)(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner);

/* Tables that continue over pages (sf_pdf_tables.h). */
typedef struct sf_pdf_flow_item sf_pdf_flow_item;
typedef struct sf_pdf_flow sf_pdf_flow;

typedef struct {
    const char *title_key;  /* the page's title, label "pdf.<title_key>" */
    sf_pdf_draw_fn draw;
    /* Is the page part of this document (NULL: always)? */
    bool (*shown)(const sf_output_ctx *o, uint32_t owner);
    /* Instead of draw: tables one after the other that continue on as
     * many pages as they need, each under the same title. They are laid
     * out before the first page is drawn, so "page N of M" counts them. */
    const sf_pdf_flow_item *flow;
    size_t n_flow;
} sf_pdf_page_def;

/* Stage final_path (o->stage) and write the document: title in the header
 * and the metadata, "as of DATE · period" beside it, then each shown page
 * of pages[] with its title ("TITLE — who" when who is not NULL); a
 * flow page as many times as its tables need. With o->set->debug_cells
 * set, the box of every table cell drawn goes to a side file there
 * (<that folder>/<file name>.cells, see sf_chart.h): the tests' overflow
 * check.
 * SF_ERR_NOMEM when a page ran out of memory, SF_ERR_OUTPUT naming the
 * file when it cannot be written. */
sf_err sf_pdf_write(const sf_output_ctx *o, const char *final_path, const char *title,
                    const sf_pdf_page_def *pages, size_t n, uint32_t owner, const char *who,
                    sf_ctx *ctx);

#endif
