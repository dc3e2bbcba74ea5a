/*
 * sf_template.h - {placeholder} templates: the mail's subject, body and
 * list lines (templates/email/<language>.txt, templates/lang/ *.ini).
 *
 * "{name}" is replaced by the value of name; "{{" and "}}" give literal
 * braces; a brace that is not around a name ({ }, {a-b}, a lone '}') stays
 * as text. A name without a value is an error naming the template (and
 * its line, for files).
 */
#ifndef SF_TEMPLATE_H
#define SF_TEMPLATE_H

#include "base/sf_common.h"
#include "output/sf_buf.h"

#define SF_TVARS_MAX 64
/* The largest template file read (a mail body); a larger one, or one that
 * is not a regular file (/dev/zero, a FIFO), is refused. */
#define SF_TEMPLATE_MAX ((size_t)1 << 20)

/* The values of one rendering. An allocation failure (or a full table)
 * sets oom; check it once before rendering. Start from {0}. */
typedef struct {
    struct {
        const char *name; /* borrowed: static or outliving the table */
        char *value;      /* owned */
        bool omit;        /* the template line that holds it is left out */
    } v[SF_TVARS_MAX];
    int n;
    bool oom;
} sf_tvars;

/* Set (or replace) a value; the value is copied (NULL = ""). */
void sf_tvars_set(sf_tvars *t, const char *name, const char *value);
/* The same for a value from the data: control characters (a line break in
 * a name) become spaces, so the text keeps its layout. */
void sf_tvars_set_flat(sf_tvars *t, const char *name, const char *value);
/* A placeholder that does not apply to this rendering (a rep's mail has
 * no count of the team's rejected records): every template line that
 * holds it is left out, its line break included. */
void sf_tvars_omit(sf_tvars *t, const char *name);
/* The value of name[0..len), or NULL. */
const char *sf_tvars_get(const sf_tvars *t, const char *name, size_t len);
/* Free every value; t is empty again. NULL-safe. */
void sf_tvars_free(sf_tvars *t);

/*
 * Append tmpl with its placeholders filled to out. An unknown name is
 * SF_ERR_USAGE "WHERE: unknown placeholder '{name}'", or
 * "WHERE:LINE: ..." when with_line (a template file). Out of memory (in
 * out) is SF_ERR_NOMEM.
 */
sf_err sf_template_render(const char *tmpl, const sf_tvars *t, const char *where, bool with_line, sf_buf *out,
                          sf_ctx *ctx);

/* Check tmpl without rendering it: every placeholder must be one of
 * names[0..n). Errors as sf_template_render's. */
sf_err sf_template_check(const char *tmpl, const char *const *names, size_t n, const char *where, bool with_line,
                         sf_ctx *ctx);

/* Whether tmpl has the placeholder {name} (a line that holds it is where
 * its value goes; without it the caller may put the value elsewhere). */
bool sf_template_uses(const char *tmpl, const char *name);

#endif
