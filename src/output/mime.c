/*
 * mime.c - RFC 5322 / MIME messages in memory (sf_mime.h): header fields
 * with RFC 2047 encoded words, mailbox parsing and checks, quoted-printable
 * and base64 bodies, the part tree and its serialisation. No I/O: the
 * date, host and random numbers come from the caller's sf_mime_env.
 */
#include "output/sf_mime.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EW_CHUNK 36 /* bytes per encoded word: 48 base64 chars, word of 60 */
#define EW_MAX 45   /* the most one encoded word can hold: word of 72 */
#define QP_LINE 75  /* quoted-printable text per line, + "=" = 76 */
#define B64_LINE 57 /* input bytes per 76-char base64 line */
#define FOLD_COL 78 /* header lines are folded before this column */

/* ------------------------------------------------------------- mailboxes */

void sf_mailbox_free(sf_mailbox *m)
{
    if (!m)
        return;
    free(m->display);
    free(m->addr);
    m->display = m->addr = NULL;
}

void sf_mailboxes_free(sf_mailbox *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        sf_mailbox_free(&v[i]);
    free(v);
}

/* A printable copy of s for error messages: control bytes become '?', so
 * an error about a line break never itself breaks the log line. malloc'd. */
static char *printable(const char *s)
{
    char *c = sf_strdup(s ? s : "");
    if (!c)
        return NULL;
    for (char *p = c; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    return c;
}

sf_err sf_mime_check_value(const char *key, const char *value, sf_ctx *ctx)
{
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if (*p == '\r' || *p == '\n' || (*p < 0x20 && *p != '\t') || *p == 0x7f) {
            char *k = printable(key), *v = printable(value);
            sf_err e = sf_ctx_error(ctx, SF_ERR_USAGE,
                                    "%s: a mail header value may not contain a line break or control "
                                    "character: '%s'",
                                    k ? k : "?", v ? v : "?");
            free(k);
            free(v);
            return e;
        }
    }
    if (!sf_utf8_valid(value, strlen(value))) {
        char *k = printable(key);
        sf_err e = sf_ctx_error(ctx, SF_ERR_USAGE, "%s: mail header value is not valid UTF-8", k ? k : "?");
        free(k);
        return e;
    }
    return SF_OK;
}

bool sf_mime_addr_ok(const char *a)
{
    const char *at = strchr(a, '@');
    if (!at || at == a || at[1] == '\0' || strchr(at + 1, '@'))
        return false;
    for (const unsigned char *p = (const unsigned char *)a; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f || strchr("<>()[]\\,;:\"", *p))
            return false;
    return true;
}

static char *trim_dup(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return sf_strndup(s, n);
}

/* "Name <addr>": split at the angle brackets; false when it is not that
 * form (nothing but blanks may follow '>'). */
static bool split_angle(const char *raw, const char *lt, sf_mailbox *m, bool *nomem)
{
    const char *gt = strchr(lt, '>');
    const char *rest = gt ? gt + 1 : NULL;
    while (rest && (*rest == ' ' || *rest == '\t'))
        rest++;
    if (!gt || *rest != '\0')
        return false;
    m->addr = trim_dup(lt + 1, (size_t)(gt - lt - 1));
    m->display = trim_dup(raw, (size_t)(lt - raw));
    if (!m->addr || !m->display) {
        *nomem = true;
        return false;
    }
    size_t dl = strlen(m->display);
    if (dl >= 2 && m->display[0] == '"' && m->display[dl - 1] == '"') {
        memmove(m->display, m->display + 1, dl - 2);
        m->display[dl - 2] = '\0';
    }
    if (m->display[0] == '\0') {
        free(m->display);
        m->display = NULL;
    }
    return true;
}

sf_err sf_mailbox_parse(const char *key, const char *raw, sf_mailbox *m, sf_ctx *ctx)
{
    m->display = m->addr = NULL;
    sf_err e = sf_mime_check_value(key, raw, ctx);
    if (e)
        return e;
    bool nomem = false, ok;
    const char *lt = strchr(raw, '<');
    if (lt) {
        ok = split_angle(raw, lt, m, &nomem);
    } else {
        m->addr = trim_dup(raw, strlen(raw));
        nomem = !m->addr;
        ok = !nomem;
    }
    if (nomem) {
        sf_mailbox_free(m);
        return sf_ctx_nomem(ctx);
    }
    if (ok && sf_mime_addr_ok(m->addr))
        return SF_OK;
    sf_mailbox_free(m);
    char *k = printable(key), *v = printable(raw);
    e = sf_ctx_error(ctx, SF_ERR_USAGE, "%s: '%s' is not an e-mail address (use 'Name <user@host>' or "
                                        "'user@host')",
                     k ? k : "?", v ? v : "?");
    free(k);
    free(v);
    return e;
}

/* --------------------------------------------------------------- base64 */

static const char k_b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void b64_chunk(sf_buf *out, const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        char q[4] = {k_b64[(v >> 18) & 63], k_b64[(v >> 12) & 63], i + 1 < n ? k_b64[(v >> 6) & 63] : '=',
                     i + 2 < n ? k_b64[v & 63] : '='};
        sf_buf_add(out, q, 4);
    }
}

void sf_mime_base64(sf_buf *out, const void *data, size_t n)
{
    const unsigned char *s = data;
    for (size_t i = 0; i < n; i += B64_LINE) {
        b64_chunk(out, s + i, n - i < B64_LINE ? n - i : B64_LINE);
        sf_buf_puts(out, "\r\n");
    }
}

/* Base64 of the first n bytes of the file path, read in blocks of whole
 * lines (so the lines are those of the bytes encoded at once): a
 * workbook attached is never held whole. */
static void base64_file(sf_buf *out, const char *path, size_t n)
{
    enum { BLOCK = B64_LINE * 1024 };
    unsigned char *blk = malloc(BLOCK);
    if (!blk) {
        out->oom = true;
        return;
    }
    FILE *f = fopen(path, "rb");
    int err = f ? 0 : errno;
    size_t done = 0;
    while (f && done < n) {
        size_t want = n - done < BLOCK ? n - done : BLOCK;
        if (fread(blk, 1, want, f) != want) {
            err = ferror(f) && errno ? errno : EIO; /* EIO: the file got shorter */
            break;
        }
        sf_mime_base64(out, blk, want);
        done += want;
    }
    if (f)
        fclose(f);
    free(blk);
    if (err) {
        out->spill_err = true;
        errno = err;
    }
}

/* -------------------------------------------------------- header fields */

static bool is_plain_ascii(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p > 0x7e)
            return false;
    return true;
}

/* RFC 2047 B encoded words of UTF-8 text, at most `chunk` bytes each and
 * never splitting a character, separated by folding white space. */
static void encoded_words(sf_buf *out, const char *s, size_t chunk)
{
    size_t n = strlen(s), i = 0;
    bool first = true;
    while (i < n) {
        size_t take = n - i < chunk ? n - i : chunk;
        /* back off to a character boundary (not before a continuation byte) */
        while (take > 1 && i + take < n && ((unsigned char)s[i + take] & 0xC0) == 0x80)
            take--;
        if (!first)
            sf_buf_puts(out, "\r\n ");
        sf_buf_puts(out, "=?UTF-8?B?");
        b64_chunk(out, (const unsigned char *)s + i, take);
        sf_buf_puts(out, "?=");
        first = false;
        i += take;
    }
}

/* ASCII words folded at spaces so that no line passes FOLD_COL; the field
 * name and ": " already take `col` columns. */
static void folded_words(sf_buf *out, const char *value, size_t col)
{
    const char *p = value;
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t wl = sp ? (size_t)(sp - p) : strlen(p);
        if (p != value && col + 1 + wl > FOLD_COL) {
            sf_buf_puts(out, "\r\n ");
            col = 1;
        } else if (p != value) {
            sf_buf_putc(out, ' ');
            col++;
        }
        sf_buf_add(out, p, wl);
        col += wl;
        p += wl;
        if (*p == ' ')
            p++;
    }
}

void sf_mime_header_text(sf_buf *out, const char *field, const char *value)
{
    sf_buf_printf(out, "%s: ", field);
    /* a word too long to fold is encoded, which can be split anywhere */
    size_t longest = 0, run = 0;
    for (const char *p = value; *p; p++) {
        run = *p == ' ' ? 0 : run + 1;
        if (run > longest)
            longest = run;
    }
    if (is_plain_ascii(value) && !strstr(value, "=?") && longest <= 70)
        folded_words(out, value, strlen(field) + 2);
    else
        encoded_words(out, value, EW_CHUNK);
    sf_buf_puts(out, "\r\n");
}

/* A display name as an RFC 5322 phrase: atoms as they are, specials in a
 * quoted string, non-ASCII as encoded words. A name that fits is one
 * encoded word: some parsers (Python's email, default policy) wrongly keep
 * the folding space between the words of a phrase. */
static void phrase(sf_buf *out, const char *s)
{
    if (!is_plain_ascii(s) || strstr(s, "=?")) {
        encoded_words(out, s, strlen(s) <= EW_MAX ? EW_MAX : EW_CHUNK);
        return;
    }
    if (strpbrk(s, "()<>[]:;@\\,.\"") == NULL) {
        sf_buf_puts(out, s);
        return;
    }
    sf_buf_putc(out, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"' || *p == '\\')
            sf_buf_putc(out, '\\');
        sf_buf_putc(out, *p);
    }
    sf_buf_putc(out, '"');
}

/* Characters on the current (last) line of out. */
static size_t line_len(const sf_buf *out)
{
    size_t i = out->n;
    while (i > 0 && out->p[i - 1] != '\n')
        i--;
    return out->n - i;
}

void sf_mime_header_mailboxes(sf_buf *out, const char *field, const sf_mailbox *m, size_t n)
{
    sf_buf_printf(out, "%s: ", field);
    for (size_t i = 0; i < n; i++) {
        if (i)
            sf_buf_puts(out, ",\r\n ");
        if (m[i].display) {
            phrase(out, m[i].display);
            /* fold before the address rather than pass column 78 */
            sf_buf_puts(out, line_len(out) + strlen(m[i].addr) + 4 > FOLD_COL ? "\r\n <" : " <");
            sf_buf_printf(out, "%s>", m[i].addr);
        } else {
            sf_buf_puts(out, m[i].addr);
        }
    }
    sf_buf_puts(out, "\r\n");
}

void sf_mime_date(const struct tm *tm, char *out, size_t n)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (!tm) {
        snprintf(out, n, "Thu, 01 Jan 1970 00:00:00 +0000");
        return;
    }
    long off = tm->tm_gmtoff / 60;
    char sign = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld", days[tm->tm_wday % 7], tm->tm_mday,
             months[tm->tm_mon % 12], tm->tm_year + 1900, tm->tm_hour, tm->tm_min, tm->tm_sec, sign, off / 60,
             off % 60);
}

void sf_mime_domain(const char *raw, char *out, size_t n)
{
    size_t o = 0;
    for (const char *p = raw ? raw : ""; *p && o + 1 < n; p++)
        if (isalnum((unsigned char)*p) || *p == '-' || *p == '.')
            out[o++] = *p;
    out[o] = '\0';
    if (o == 0)
        snprintf(out, n, "localhost");
}

/* ------------------------------------------------------- quoted-printable */

/* The "=XX" form of c in rep; its length. */
static size_t qp_escape(char rep[4], unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    rep[0] = '=';
    rep[1] = hex[c >> 4];
    rep[2] = hex[c & 15];
    return 3;
}

static bool starts_line_risk(const unsigned char *p)
{
    return *p == '.' || strncmp((const char *)p, "From ", 5) == 0;
}

void sf_mime_qp(sf_buf *out, const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t col = 0;
    while (*p) {
        if (*p == '\r' && p[1] == '\n') {
            p++;
            continue;
        }
        if (*p == '\n') {
            sf_buf_puts(out, "\r\n");
            col = 0;
            p++;
            continue;
        }
        unsigned char c = *p;
        bool at_eol = p[1] == '\0' || p[1] == '\n' || (p[1] == '\r' && p[2] == '\n');
        bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_eol);
        /* no transport may mangle a line: a leading "." or "From " is encoded */
        if (col == 0 && starts_line_risk(p))
            literal = false;
        char rep[4];
        size_t rl = 1;
        if (literal)
            rep[0] = (char)c;
        else
            rl = qp_escape(rep, c);
        if (col + rl > QP_LINE) {
            sf_buf_puts(out, "=\r\n");
            col = 0;
            if (starts_line_risk(p)) /* a new line begins: the leading-char rule again */
                rl = qp_escape(rep, c);
        }
        sf_buf_add(out, rep, rl);
        col += rl;
        p++;
    }
    if (col)
        sf_buf_puts(out, "\r\n");
}

/* ------------------------------------------------------------------ parts */

sf_mime_part sf_mime_text(const char *text)
{
    return (sf_mime_part){.type = "text/plain", .charset = "UTF-8", .enc = SF_MIME_ENC_QP, .body = text,
                          .len = strlen(text)};
}

sf_mime_part sf_mime_html(const char *html)
{
    return (sf_mime_part){.type = "text/html", .charset = "UTF-8", .enc = SF_MIME_ENC_QP, .body = html,
                          .len = strlen(html)};
}

sf_mime_part sf_mime_inline(const char *type, const char *name, const char *content_id, const void *data,
                            size_t len)
{
    return (sf_mime_part){.type = type, .name = name, .disposition = "inline", .enc = SF_MIME_ENC_BASE64,
                          .body = data, .len = len, .content_id = content_id};
}

sf_mime_part sf_mime_attachment(const char *type, const char *name, const void *data, size_t len)
{
    return (sf_mime_part){.type = type, .name = name, .disposition = "attachment", .enc = SF_MIME_ENC_BASE64,
                          .body = data, .len = len};
}

sf_mime_part sf_mime_attachment_file(const char *type, const char *name, const char *path, size_t len)
{
    return (sf_mime_part){.type = type, .name = name, .disposition = "attachment", .enc = SF_MIME_ENC_BASE64,
                          .path = path, .len = len};
}

sf_mime_part sf_mime_multipart(const char *type, const sf_mime_part *kids, size_t n, const char *preamble)
{
    return (sf_mime_part){.type = type, .kids = kids, .n_kids = n, .preamble = preamble};
}

static bool is_multipart(const sf_mime_part *p)
{
    return strncmp(p->type, "multipart/", 10) == 0;
}

/* A fresh boundary (64 bytes) from the environment's random numbers. */
static void new_boundary(const sf_mime_env *env, char *b, size_t n)
{
    snprintf(b, n, "=_salesfocus_%016llx", (unsigned long long)env->random(env->arg));
}

/* The Content-* fields of p (boundary: its boundary when multipart). */
static void part_headers(sf_buf *out, const sf_mime_part *p, const char *boundary)
{
    /* a type that alone fills a line (XLSX) is folded after the field name */
    sf_buf_printf(out, "Content-Type:%s%s", strlen(p->type) + 15 > FOLD_COL ? "\r\n " : " ", p->type);
    if (p->charset)
        sf_buf_printf(out, "; charset=%s", p->charset);
    if (boundary)
        sf_buf_printf(out, "; boundary=\"%s\"", boundary);
    /* RFC 2387: a multipart/related names the type of its root (first) part */
    if (boundary && strcmp(p->type, "multipart/related") == 0 && p->n_kids)
        sf_buf_printf(out, ";\r\n type=\"%s\"", p->kids[0].type);
    if (p->name)
        sf_buf_printf(out, ";\r\n name=\"%s\"", p->name);
    sf_buf_puts(out, "\r\n");
    if (p->disposition) {
        sf_buf_puts(out, "Content-Disposition: ");
        sf_buf_puts(out, p->disposition);
        if (p->name)
            sf_buf_printf(out, "; filename=\"%s\"", p->name);
        sf_buf_puts(out, "\r\n");
    }
    if (p->content_id)
        sf_buf_printf(out, "Content-ID: <%s>\r\n", p->content_id);
    if (p->enc == SF_MIME_ENC_QP)
        sf_buf_puts(out, "Content-Transfer-Encoding: quoted-printable\r\n");
    else if (p->enc == SF_MIME_ENC_BASE64)
        sf_buf_puts(out, "Content-Transfer-Encoding: base64\r\n");
}

static void part_write(sf_buf *out, const sf_mime_part *p, const sf_mime_env *env);

/* What follows the blank line after p's fields. */
static void part_body(sf_buf *out, const sf_mime_part *p, const char *boundary, const sf_mime_env *env)
{
    if (boundary) {
        if (p->preamble)
            sf_buf_puts(out, p->preamble);
        for (size_t i = 0; i < p->n_kids; i++) {
            sf_buf_printf(out, "\r\n--%s\r\n", boundary);
            part_write(out, &p->kids[i], env);
        }
        sf_buf_printf(out, "\r\n--%s--\r\n", boundary);
    } else if (p->enc == SF_MIME_ENC_QP) {
        sf_mime_qp(out, p->body);
    } else if (p->enc == SF_MIME_ENC_BASE64 && p->path) {
        base64_file(out, p->path, p->len);
    } else if (p->enc == SF_MIME_ENC_BASE64) {
        sf_mime_base64(out, p->body, p->len);
    } else {
        sf_buf_add(out, p->body, p->len);
    }
}

/* A body part: its fields, a blank line, its body. */
static void part_write(sf_buf *out, const sf_mime_part *p, const sf_mime_env *env)
{
    char boundary[64];
    bool multi = is_multipart(p);
    if (multi)
        new_boundary(env, boundary, sizeof boundary);
    part_headers(out, p, multi ? boundary : NULL);
    sf_buf_puts(out, "\r\n");
    part_body(out, p, multi ? boundary : NULL, env);
}

void sf_mime_write(sf_buf *out, const sf_mime_message *msg, const sf_mime_env *env)
{
    uint64_t id = env->random(env->arg);
    sf_mime_header_mailboxes(out, "From", msg->from, 1);
    if (msg->n_to)
        sf_mime_header_mailboxes(out, "To", msg->to, msg->n_to);
    if (msg->n_cc)
        sf_mime_header_mailboxes(out, "Cc", msg->cc, msg->n_cc);
    sf_mime_header_text(out, "Subject", msg->subject);
    sf_buf_printf(out, "Date: %s\r\n", env->date);
    if (msg->message_id)
        sf_buf_printf(out, "Message-ID: <%s>\r\n", msg->message_id);
    else
        sf_buf_printf(out, "Message-ID: <%lld.%ld.%016llx@%s>\r\n", env->time, env->pid, (unsigned long long)id,
                      env->host);
    sf_buf_puts(out, "MIME-Version: 1.0\r\n");
    /* the root part's own fields stand among the message's */
    char boundary[64];
    bool multi = is_multipart(msg->root);
    if (multi)
        new_boundary(env, boundary, sizeof boundary);
    part_headers(out, msg->root, multi ? boundary : NULL);
    if (msg->mailer)
        sf_buf_printf(out, "X-Mailer: %s\r\n", msg->mailer);
    for (size_t i = 0; i < msg->n_extra; i++)
        sf_buf_printf(out, "%s: %s\r\n", msg->extra[i].name, msg->extra[i].value);
    sf_buf_puts(out, "\r\n");
    part_body(out, msg->root, multi ? boundary : NULL, env);
}
