/*
 * sf_email.h - the email's own header, shared by its files and by no
 * other output:
 *   out_email.c     who gets which mail, its headers, parts and
 *                   attachments, the files, the sending and the send log;
 *   email_rows.c    a row of an action list read through its description
 *                   (sf_list.h): the placeholders of its line, its item;
 *   email_items.c   what one mail lists (the top of each list in scope,
 *                   less what its recipient was sent and is unchanged),
 *                   its counts and the subject's facts;
 *   email_body.c    the plain text: subject and body from the templates;
 *   email_since.c   the "Since <date>" section;
 *   email_html.c    the HTML body: cards, digest, tables, images;
 *   email_charts.c  the charts of the HTML body as PNG images.
 * The text and the HTML are made from the same placeholder values, so
 * they give the same figures.
 */
#ifndef SF_EMAIL_H
#define SF_EMAIL_H

#include "analysis/sf_mail_memory.h"
#include "output/sf_buf.h"
#include "output/sf_mime.h"
#include "output/sf_output.h"
#include "output/sf_template.h"

#define SF_EMAIL_TOP_N 10 /* lines of each action list in a mail */

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
 * rep. Start from {.owner = ...}; sf_email_select fills the rest. */
typedef struct {
    uint32_t owner;
    uint32_t due, alerts, lost, fire, verdict[3];
    uint32_t late;             /* clients late to reorder (SPEC §8) */
    int64_t rev, rev_prev, growth;
    /* with the history on, since the previous run: */
    uint32_t cold_a;           /* A clients that turned cold */
    uint32_t new_declines;     /* new decline alerts */
} sf_email_scope;

/* Nothing to act on (skip_when_empty). */
bool sf_email_scope_empty(const sf_email_scope *s);

/* The top of one action list in a mail. Sections are indexed by
 * sf_item_kind: due, declines, fire, pursue, qualify, reorder. */
typedef struct {
    uint32_t total;    /* the list's rows in scope */
    uint32_t left_out; /* mailed to this recipient within repeat_after_weeks, unchanged */
    uint32_t more;     /* neither listed nor left out (past the top N) */
    uint32_t n;        /* listed */
    uint32_t rows[SF_EMAIL_TOP_N];            /* the rows listed (the list's index) */
    sf_date worse_since[SF_EMAIL_TOP_N];      /* mailed then, worse now; SF_NODATE */
} sf_email_section;

/* What one mail lists. Fill owner (in s) and memory, then
 * sf_email_select; release with sf_email_content_release. */
typedef struct {
    sf_email_scope s;
    const sf_mail_sent_to *memory; /* what its recipient was sent; NULL: nothing */
    bool filter;                   /* leave out what was mailed recently, unchanged */
    sf_date window_from;           /* mailed on or after it: recently */
    sf_email_section sec[SF_ITEM_N];
    sf_mail_item *items;           /* owned: the items listed, for the send log */
    size_t n_items;
    uint32_t left_out;             /* over every section */
    uint32_t fresh;                /* listed items not in the last mail, or worse */
} sf_email_content;

/* The scope's counts and the sections of c; memory and filter as set. */
sf_err sf_email_select(const sf_email_text *t, sf_email_content *c, sf_ctx *ctx);
void sf_email_content_release(sf_email_content *c); /* NULL-safe */

/* ---- a row of an action list (email_rows.c) ---- */

/* Fill vt with the placeholders of row `row` of section sec's list and
 * set *key to the language key of its line ("email.line_due"). An
 * internal error when the list lacks a column the line needs. */
sf_err sf_email_row_vars(const sf_email_text *t, int sec, uint32_t row, sf_tvars *vt, const char **key,
                         sf_ctx *ctx);
/* The item of that row (id borrowed from the report). */
sf_err sf_email_row_item(const sf_email_text *t, int sec, uint32_t row, sf_mail_item *it, sf_ctx *ctx);
/* The list of section sec, its rows and the owner of a row; the verdict
 * a pipeline row must have to belong to sec (-1: every row belongs). */
const sf_list *sf_email_section_list(int sec);
int sf_email_section_verdict(int sec);
/* A pipeline row's verdict (sf_verdict, -1 none); a decline row's
 * severity is lost. */
int sf_email_row_verdict(const sf_email_text *t, uint32_t row);
bool sf_email_row_lost(const sf_email_text *t, uint32_t row);
/* The placeholder of section sec's lines in the body ("top_due"). */
const char *sf_email_section_var(int sec);
/* The placeholders of the explanation line of account a. */
void sf_email_explain_vars(const sf_email_text *t, uint32_t a, sf_tvars *vt);
/* Values in the language's formats ("n/a", "never" for none). */
void sf_email_put_money(const sf_email_text *t, sf_tvars *vt, const char *name, int64_t cents);
void sf_email_put_int(const sf_email_text *t, sf_tvars *vt, const char *name, int64_t v);
void sf_email_put_date(const sf_email_text *t, sf_tvars *vt, const char *name, int64_t d);
void sf_email_put_pct(const sf_email_text *t, sf_tvars *vt, const char *name, int64_t e4, bool sign);
/* Render the language's key with vt into out (no line break), or key
 * itself as a template when tmpl is NULL. */
sf_err sf_email_label_render(const sf_email_text *t, const char *key, const sf_tvars *vt, sf_buf *out,
                             sf_ctx *ctx);

/* ---- the text (email_body.c) ---- */

/* Every placeholder of the subject and the body for mail c (the list
 * sections as text). */
sf_err sf_email_scope_vars(const sf_email_text *t, const sf_email_content *c, sf_tvars *vt, sf_ctx *ctx);
/*
 * Subject and body of mail c from its placeholders vt (with {attached}
 * set or omitted); notes (NULL or "" for none) are appended under a
 * heading. *subject and *body are malloc'd (caller frees). SF_ERR_USAGE
 * for an unknown placeholder or a subject that may not be a header.
 */
sf_err sf_email_render(const sf_email_text *t, const sf_email_content *c, const sf_tvars *vt, const char *notes,
                       char **subject, char **body, sf_ctx *ctx);
/* The explanations of scope s: accounts picked (at most 10) into pick,
 * and the sentences of account a into out. */
size_t sf_email_explain_pick(const sf_email_text *t, const sf_email_scope *s, uint32_t pick[10]);
sf_err sf_email_explain_why(const sf_email_text *t, uint32_t a, sf_buf *out, sf_ctx *ctx);
/* The "worse since <date>" mark of a line. */
sf_err sf_email_worse_mark(const sf_email_text *t, sf_date since, sf_buf *out, sf_ctx *ctx);
/* Check every template a mail of this run may use (the body, the subject,
 * the list lines and notes of the language) without data: every
 * placeholder must be one that template receives. SF_ERR_USAGE naming the
 * template (and its line), as the rendering would fail. */
sf_err sf_email_check_templates(const sf_email_text *t, sf_ctx *ctx);
/* The body's {since} (SPEC §7, email_since.c): "" with the history off,
 * else a blank line, then the changes since the previous run in scope s
 * (counts by kind, the rules note, the largest tier moves) or the
 * first-run line, each line ending with a line break. Into out. */
sf_err sf_email_since(const sf_email_text *t, const sf_email_scope *s, sf_buf *out, sf_ctx *ctx);

/* A label of the language. */
const char *sf_email_label(const sf_email_text *t, const char *key);

/* ---- the HTML (email_html.c, email_charts.c) ---- */

/* One inline image of the HTML body. */
typedef struct {
    unsigned char *png; /* owned */
    size_t len;
    char cid[160];      /* Content-ID, without brackets */
    char name[32];      /* file name */
    const char *alt;    /* its title (a label: borrowed) */
    int w, h;           /* CSS pixels */
} sf_email_image;

/* The charts of mail c (two or three), their Content-IDs made from
 * id_base. *n set; free with sf_email_images_free. */
#define SF_EMAIL_IMAGES_MAX 3
sf_err sf_email_charts(const sf_email_text *t, const sf_email_content *c, const char *id_base,
                       sf_email_image img[SF_EMAIL_IMAGES_MAX], size_t *n, sf_ctx *ctx);
void sf_email_images_free(sf_email_image *img, size_t n);

/* The HTML body of mail c: vt its placeholders (sf_email_scope_vars),
 * subject its title, notes as in the text, img[0..n_img) shown by cid:,
 * attached the note on what is attached (NULL: none). Into out. */
sf_err sf_email_html(const sf_email_text *t, const sf_email_content *c, const sf_tvars *vt, const char *subject,
                     const char *notes, const sf_email_image *img, size_t n_img, const char *attached, sf_buf *out,
                     sf_ctx *ctx);

/* ---- the message (email_msg.c) ---- */

/* A file a mail carries. */
typedef struct {
    const char *name;  /* file name in the message (borrowed) */
    const char *ctype;
    char *data;        /* owned, or NULL: read from path */
    size_t len;
    char *path;        /* owned: the file read while the message is written
                        * (a workbook is never held whole), or NULL */
} sf_email_attachment;

/* What one message is made of; everything borrowed. */
typedef struct {
    const sf_mailbox *from;
    const sf_mailbox *to, *cc;
    size_t n_to, n_cc;
    const char *subject, *text;
    const char *html;                /* NULL: plain text only */
    const sf_email_image *img;       /* shown by the HTML */
    size_t n_img;
    const sf_email_attachment *att;
    size_t n_att;
    const char *message_id;          /* NULL: <time.pid.random@host> */
    const char *unsubscribe;         /* List-Unsubscribe value, or NULL */
    bool auto_submitted;             /* Auto-Submitted: auto-generated */
} sf_email_message;

/* The message, with this machine's date and random boundaries: a
 * multipart/mixed of the body and the attachments; the body is the text,
 * or with html a multipart/alternative of the text and a
 * multipart/related of the HTML and its images. Appended to out (check
 * out->oom). */
void sf_email_build(sf_buf *out, const sf_email_message *m);
/* The From mailbox: [email] from, else salesfocus@<host>. */
sf_err sf_email_parse_from(const sf_config *cfg, sf_mailbox *from, sf_ctx *ctx);
/* A configured address list ([email] to / cc): *out malloc'd. */
sf_err sf_email_parse_list(const sf_strlist *l, const char *key, sf_mailbox **out, size_t *n, sf_ctx *ctx);
/* [email] unsubscribe as a List-Unsubscribe value ("<mailto:...>") into
 * *value (malloc'd; NULL when not configured). SF_ERR_USAGE naming the
 * key when it is no address. */
sf_err sf_email_unsubscribe(const sf_config *cfg, char **value, sf_ctx *ctx);
/* The send log's recipient of a mail to to[0..n): the addresses, lower
 * case, sorted, ", "-joined. malloc'd; NULL on out of memory. */
char *sf_email_recipient_key(const sf_mailbox *to, size_t n);
/* The body template (cfg's body_template, else
 * templates/email/<language>.txt) without a BOM and CRs: *tmpl and
 * *path malloc'd (caller frees both, also on failure). SF_ERR_USAGE when
 * it cannot be read or is not UTF-8. */
sf_err sf_email_load_body(const sf_config *cfg, const sf_lang *lang, char **tmpl, char **path, sf_ctx *ctx);
/* This host's name, reduced to what a domain may hold. */
void sf_email_host(char *out, size_t n);
/* A label of lang, or the English fallback when there is none. */
const char *sf_email_label_or(const sf_lang *lang, const char *key, const char *fallback);

#endif
