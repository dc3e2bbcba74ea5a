/*
 * sf_hints.h - what would fix a file's problems, from the sniffers: the
 * hints of `salesfocus check` and of the errors about a header.
 *
 * - a file that fails its configured encoding: the encoding it decodes as;
 * - a header with more of another delimiter than the configured one: that
 *   delimiter;
 * - dates that do not parse: the date format that parses most of them.
 */
#ifndef SF_HINTS_H
#define SF_HINTS_H

#include "data/sf_dataset.h"
#include "data/sf_rejects.h"

/* The hints for input file kind k after it was read (st its counts, rj
 * the rejects), each one line appended to out ("set [input] ... = ...:
 * why"). Re-reads the file when it has bad dates. SF_OK or SF_ERR_NOMEM;
 * a file that cannot be read again gives no hint. */
sf_err sf_check_hints(const sf_config *cfg, sf_file_kind k, const sf_file_stats *st, const sf_rejects *rj,
                      sf_strlist *out, sf_ctx *ctx);

/* After an input error about the header of path (not decodable, a
 * required column missing): append to ctx's message the encoding the file
 * decodes as, or the delimiter its header has more of, when either
 * differs from the configuration. */
void sf_hint_header_error(const sf_config *cfg, const char *path, sf_ctx *ctx);

#endif
