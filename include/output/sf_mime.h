/*
 * sf_mime.h - RFC 5322 / MIME messages, built in memory (no I/O).
 *
 * A message is its header fields (From, To, Cc, Subject, Date, Message-ID,
 * X-Mailer, ...) over a tree of parts: a leaf holds bytes with a transfer
 * encoding (quoted-printable text, base64), a multipart holds its
 * children between boundaries. sf_mime_write serialises the tree
 * recursively with CRLF line ends.
 *
 * Header values are checked before they are used (sf_mime_check_value,
 * sf_mailbox_parse): a line break or control byte is refused, so data can
 * never add a header. Non-ASCII header text becomes RFC 2047 B-encoded
 * words; ASCII text is folded at spaces before column 78.
 *
 * Everything that is not content (date, host, Message-ID numbers, the
 * random boundaries) comes from an sf_mime_env, so that a test gets fixed
 * bytes.
 */
#ifndef SF_MIME_H
#define SF_MIME_H

#include <time.h>

#include "base/sf_common.h"
#include "output/sf_buf.h"

/* ------------------------------------------------------------- mailboxes */

/* One mailbox: display name (may be NULL) and address. */
typedef struct {
    char *display; /* owned, NULL = none */
    char *addr;    /* owned */
} sf_mailbox;

/* Free both strings and clear m. NULL-safe. */
void sf_mailbox_free(sf_mailbox *m);
/* Free v[0..n) and the array v itself. NULL-safe. */
void sf_mailboxes_free(sf_mailbox *v, size_t n);

/* Refuse a header value with a line break or another control byte (tab
 * aside), or that is not UTF-8: SF_ERR_USAGE naming key (the config key or
 * data field it came from), control bytes shown as '?'. */
sf_err sf_mime_check_value(const char *key, const char *value, sf_ctx *ctx);

/* A bare address as it may stand in a header: one '@' with text on both
 * sides, printable ASCII without blanks or specials. */
bool sf_mime_addr_ok(const char *addr);

/*
 * Parse "Name <addr>", "\"Name\" <addr>" or "addr" (config key `key`) into
 * *m (owned by the caller: sf_mailbox_free; left empty on error).
 * SF_ERR_USAGE on a line break or anything that is not an address.
 */
sf_err sf_mailbox_parse(const char *key, const char *raw, sf_mailbox *m, sf_ctx *ctx);

/* --------------------------------------------------- fields and encodings */

/* "field: value\r\n" for an unstructured value (Subject): ASCII folded at
 * spaces before column 78; non-ASCII text, text that looks like an encoded
 * word, or a word too long to fold as RFC 2047 encoded words. */
void sf_mime_header_text(sf_buf *out, const char *field, const char *value);
/* "field: a, b, ...\r\n": each mailbox on a line of its own, display names
 * as RFC 5322 phrases (atoms, quoted strings or encoded words). */
void sf_mime_header_mailboxes(sf_buf *out, const char *field, const sf_mailbox *m, size_t n);

/* Quoted-printable of NUL-terminated UTF-8 text with "\n" (or "\r\n") line
 * ends: lines of at most 76 characters, CRLF hard breaks; a leading "." or
 * "From " is encoded too. */
void sf_mime_qp(sf_buf *out, const char *text);
/* Base64 of data[0..n) in lines of 76 characters, each ended by CRLF. */
void sf_mime_base64(sf_buf *out, const void *data, size_t n);

/* The RFC 5322 date of tm (local time with tm_gmtoff), with English day
 * and month names whatever the locale: "Mon, 30 Jun 2025 09:05:00 +0200".
 * tm NULL gives the epoch. out holds at least 32 bytes. */
void sf_mime_date(const struct tm *tm, char *out, size_t n);
/* A host name reduced to the characters a domain may hold (letters,
 * digits, '-', '.'); "localhost" when nothing is left. */
void sf_mime_domain(const char *raw, char *out, size_t n);

/* ------------------------------------------------------------------ parts */

typedef enum {
    SF_MIME_ENC_NONE = 0, /* multipart: its children carry the encoding */
    SF_MIME_ENC_QP,       /* NUL-terminated UTF-8 text, quoted-printable */
    SF_MIME_ENC_BASE64    /* bytes, base64 lines of 76 */
} sf_mime_enc;

/* One node of the tree. Every pointer is borrowed and must outlive
 * sf_mime_write. A type "multipart/..." makes it a multipart. */
typedef struct sf_mime_part {
    const char *type;        /* "text/plain", "application/pdf", "multipart/mixed" */
    const char *charset;     /* charset parameter, or NULL */
    const char *name;        /* file name (name= and filename=), or NULL */
    const char *disposition; /* "attachment", "inline", or NULL: no field */
    sf_mime_enc enc;
    const char *body;        /* leaf content */
    size_t len;              /* its length (base64) */
    const char *path;        /* base64 leaf: a file whose len bytes are the
                              * content (read while written), body unused */
    const char *preamble;    /* multipart: text before the first boundary, or NULL */
    const char *content_id;  /* Content-ID without its angle brackets (an
                              * inline image a cid: URL names), or NULL */
    const struct sf_mime_part *kids; /* multipart: the children, in order */
    size_t n_kids;
} sf_mime_part;

/* A UTF-8 text/plain part (quoted-printable) of NUL-terminated text. */
sf_mime_part sf_mime_text(const char *text);
/* The same as text/html. */
sf_mime_part sf_mime_html(const char *html);
/* An inline image (base64) that the HTML names as "cid:<content_id>". */
sf_mime_part sf_mime_inline(const char *type, const char *name, const char *content_id, const void *data,
                            size_t len);
/* An attachment: content type, file name, base64. */
sf_mime_part sf_mime_attachment(const char *type, const char *name, const void *data, size_t len);
/* The same read from the file path (len bytes) as the message is written,
 * never whole in memory. A file that cannot be read, or that no longer
 * has len bytes, sets out->spill_err (errno: why) in sf_mime_write. */
sf_mime_part sf_mime_attachment_file(const char *type, const char *name, const char *path, size_t len);
/* A multipart of type ("multipart/mixed") over kids[0..n). */
sf_mime_part sf_mime_multipart(const char *type, const sf_mime_part *kids, size_t n, const char *preamble);

/* The preamble of a top-level multipart, for readers without MIME. */
#define SF_MIME_PREAMBLE "This is a multi-part message in MIME format.\r\n"

/* -------------------------------------------------------------- messages */

/* Where and when a message is made: filled from the system by the caller,
 * fixed by a test. */
typedef struct {
    const char *date;  /* Date: value (sf_mime_date) */
    const char *host;  /* domain of the Message-ID (sf_mime_domain) */
    long long time;    /* Message-ID: <time.pid.random@host> */
    long pid;
    /* 64 random bits: drawn first for the Message-ID, then once per
     * multipart (its boundary), in the order they are written */
    uint64_t (*random)(void *arg);
    void *arg;
} sf_mime_env;

/* An extra header field, written as it is ("name: value"): ASCII the
 * caller has checked. */
typedef struct {
    const char *name;
    const char *value;
} sf_mime_field;

typedef struct {
    const sf_mailbox *from;
    const sf_mailbox *to; /* n_to may be 0: no To field */
    size_t n_to;
    const sf_mailbox *cc; /* n_cc may be 0: no Cc field */
    size_t n_cc;
    const char *subject;  /* UTF-8, checked (sf_mime_check_value) */
    const char *message_id; /* Message-ID without its angle brackets (ASCII,
                             * checked), or NULL: <time.pid.random@host> */
    const char *mailer;   /* X-Mailer value, or NULL */
    const sf_mime_field *extra; /* after X-Mailer */
    size_t n_extra;
    const sf_mime_part *root;
} sf_mime_message;

/* Append the whole message, CRLF line ends, to out (check out->oom). */
void sf_mime_write(sf_buf *out, const sf_mime_message *msg, const sf_mime_env *env);

#endif
