/*
 * sf_explain_text.h - the explanations of SPEC §9 in sentences, in the
 * report's language, with exactly the numbers of explain.csv (money to the
 * cent, shown without ".00" when whole). Shared by the review pack
 * (pdf_explain.c) and the mail (email_body.c); the sentences are the
 * [explain] templates of templates/lang/<language>.ini.
 *
 * "Tier B: 7 look-alike clients in retail, 50–249 staff, have a median of
 * 412,000; 68,000 more this year makes it A."
 * "Cold: 23% of potential; 27,600 more makes it warm."
 */
#ifndef SF_EXPLAIN_TEXT_H
#define SF_EXPLAIN_TEXT_H

#include "output/sf_buf.h"
#include "output/sf_output.h"

/* What the sentences are made from; borrowed. */
typedef struct {
    const sf_report *rep;
    const sf_lang *lang;
    const char *lang_file; /* "templates/lang/en.ini", named in messages */
} sf_explain_text;

/* Each appends its sentences (no line break at the end) to out. Returns
 * SF_OK, SF_ERR_USAGE for a template with an unknown placeholder (ctx
 * names the file and key) or SF_ERR_NOMEM. */
/* The tier and the temperature of an account (index into the dataset). */
sf_err sf_explain_account_text(const sf_explain_text *x, uint32_t account, sf_buf *out, sf_ctx *ctx);
/* A decline alert (row of rep->decline): what ends it. */
sf_err sf_explain_decline_text(const sf_explain_text *x, size_t row, sf_buf *out, sf_ctx *ctx);
/* A fire candidate (row of rep->fire): its net value against the cut. */
sf_err sf_explain_fire_text(const sf_explain_text *x, size_t row, sf_buf *out, sf_ctx *ctx);
/* An open deal (row of rep->pipeline): its deadlines and probability. */
sf_err sf_explain_deal_text(const sf_explain_text *x, size_t row, sf_buf *out, sf_ctx *ctx);
/* A client late to reorder (row of rep->reorder): its rhythm. */
sf_err sf_explain_reorder_text(const sf_explain_text *x, size_t row, sf_buf *out, sf_ctx *ctx);

/* Every [explain] sentence of the language uses only the placeholders it
 * is given (checked without data, as the mail's templates are: `check`
 * and the start of a run that mails). SF_OK or SF_ERR_USAGE naming the
 * file and key. */
sf_err sf_explain_check_templates(const sf_lang *lang, const char *lang_file, sf_ctx *ctx);

/* The accounts most worth explaining to owner (SF_OWNER_ALL: the team),
 * into out (room for max_key + max_next): first up to max_key key clients
 * below their potential (tier A, not hot; in accounts.csv order), then up
 * to max_next B and C clients nearest the next tier (to_next_tier
 * ascending, then accounts.csv order). Returns how many. pos: NULL, or
 * the positions in accounts.csv (ascending) of owner's accounts, n_pos of
 * them, which are then the only ones looked at (sf_owner_rows.h). */
size_t sf_explain_pick(const sf_report *rep, uint32_t owner, const uint32_t *pos, size_t n_pos, size_t max_key,
                       size_t max_next, uint32_t *out);

#endif
