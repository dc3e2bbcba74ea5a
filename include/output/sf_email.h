/*
 * sf_email.h - the email's own header, shared by its two files and by no
 * other output: out_email.c makes, writes and sends the mails;
 * email_body.c says what a mail says (subject and body text for the team
 * or one rep, its top-N sections read through the list descriptions).
 */
#ifndef SF_EMAIL_H
#define SF_EMAIL_H

#include "output/sf_output.h"

/* What the texts of one run's mails are made from. Borrowed. */
typedef struct {
    const sf_config *cfg;
    const sf_dataset *ds;
    const sf_report *rep;
    const sf_lang *lang;
    char lang_file[64];    /* "templates/lang/ru.ini", named in messages */
    const char *body_tmpl; /* the body template's text */
    const char *body_path; /* its file, named in messages */
} sf_email_text;

/* Counts and totals for one mail: the team (owner SF_OWNER_ALL) or one
 * rep. Start from {.owner = ...}; sf_email_scope_compute fills the rest. */
typedef struct {
    uint32_t owner;
    uint32_t due, alerts, lost, fire, verdict[3];
    int64_t rev, rev_prev, growth;
} sf_email_scope;

sf_err sf_email_scope_compute(const sf_email_text *t, sf_email_scope *s, sf_ctx *ctx);
/* Nothing to act on (skip_when_empty). */
bool sf_email_scope_empty(const sf_email_scope *s);

/*
 * Subject and body of the mail for scope s; notes (NULL or "" for none)
 * are appended under a heading. *subject and *body are malloc'd (caller
 * frees). SF_ERR_USAGE for an unknown placeholder or a subject that may
 * not be a header.
 */
sf_err sf_email_render(const sf_email_text *t, const sf_email_scope *s, const char *notes, char **subject,
                       char **body, sf_ctx *ctx);

/* Check every template a mail of this run may use (the body, the subject,
 * the list lines and notes of the language) without data: every
 * placeholder must be one that template receives. SF_ERR_USAGE naming the
 * template (and its line), as the rendering would fail. */
sf_err sf_email_check_templates(const sf_email_text *t, sf_ctx *ctx);

/* A label of the language. */
const char *sf_email_label(const sf_email_text *t, const char *key);

#endif
