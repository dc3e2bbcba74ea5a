/*
 * out_email.c - the weekly mail (SPEC §4 "Email"): email.eml, one
 * email-<owner>.eml per rep with per_owner = yes, the on_failure mail, and
 * delivery through a sendmail-compatible command.
 *
 * A message is an RFC 5322 / MIME multipart/mixed: a UTF-8 plain-text body
 * (quoted-printable) rendered from templates/email/<language>.txt with
 * {placeholders}, then report.pdf and workbook.xlsx in base64. Non-ASCII
 * header text is RFC 2047 B-encoded. Every header value is checked for
 * line breaks first, so data or config can never add a header.
 *
 * Choices where SPEC leaves room (docs/scheduling.md repeats them):
 * - skip_when_empty: the .eml files are still written (a record of what
 *   would have gone out); only the hand-over to sendmail is skipped.
 * - owners without an address in [owners] are listed in the manager's
 *   mail; the run still succeeds.
 * - the failure mail is only sent, never written to disk: the output
 *   folder may be the very thing that failed.
 * - files go through a local sf_stage and are committed before anything
 *   is sent, so a mail always matches a complete file on disk.
 */
#include "output/sf_output.h"
#include "output/sf_filename.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SF_VERSION
#define SF_VERSION "0"
#endif

#define TOP_N 10          /* lines of each action list in the body */
#define EW_CHUNK 36       /* bytes per encoded word: 48 base64 chars, word of 60 */
#define EW_MAX 45         /* the most one encoded word can hold: word of 72 */
#define QP_LINE 75        /* quoted-printable text per line, + "=" = 76 */
#define B64_LINE 57       /* input bytes per 76-char base64 line */

/* ---------------------------------------------------------------- buffer */

/* A growable byte buffer; an allocation failure sets oom and later
 * appends become no-ops, so callers check once at the end. */
typedef struct {
    char *p;
    size_t n, cap;
    bool oom;
} buf;

static void buf_add(buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void buf_puts(buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static void buf_putc(buf *b, char c)
{
    buf_add(b, &c, 1);
}

static void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(buf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if ((size_t)n < sizeof tmp) {
        buf_add(b, tmp, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->oom = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf_add(b, big, (size_t)n);
    free(big);
}

/* The text so far ("" when empty); borrowed. */
static const char *buf_str(const buf *b)
{
    return b->p ? b->p : "";
}

static void buf_free(buf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
    b->oom = false;
}

/* ------------------------------------------------------------- templates */

typedef struct {
    const char *name; /* static */
    char *value;      /* owned */
} tvar;

typedef struct {
    tvar v[64];
    int n;
    bool oom;
} vtable;

/* Set (or replace) a placeholder's value; the value is copied. */
static void vt_set(vtable *t, const char *name, const char *value)
{
    char *copy = sf_strdup(value ? value : "");
    if (!copy) {
        t->oom = true;
        return;
    }
    for (int i = 0; i < t->n; i++) {
        if (strcmp(t->v[i].name, name) == 0) {
            free(t->v[i].value);
            t->v[i].value = copy;
            return;
        }
    }
    if (t->n == (int)SF_ARRAY_LEN(t->v)) {
        free(copy);
        t->oom = true;
        return;
    }
    t->v[t->n].name = name;
    t->v[t->n].value = copy;
    t->n++;
}

/* Set a value that comes from the data: a line break or other control
 * character in a name would break the layout of the text, so each
 * becomes a space. */
static void vt_set_flat(vtable *t, const char *name, const char *value)
{
    vt_set(t, name, value);
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->v[i].name, name) == 0)
            for (char *p = t->v[i].value; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                    *p = ' ';
}

static const char *vt_get(const vtable *t, const char *name, size_t len)
{
    for (int i = 0; i < t->n; i++)
        if (strlen(t->v[i].name) == len && memcmp(t->v[i].name, name, len) == 0)
            return t->v[i].value;
    return NULL;
}

static void vt_free(vtable *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->v[i].value);
    t->n = 0;
    t->oom = false;
}

/*
 * Expand {name} placeholders of tmpl into out; "{{" and "}}" give literal
 * braces, and a brace not around a name is kept as text. An unknown name is
 * SF_ERR_USAGE naming `where` (and the template line when with_line).
 */
static sf_err render(const char *tmpl, const vtable *vt, const char *where, bool with_line, buf *out,
                     sf_ctx *ctx)
{
    int line = 1;
    const char *p = tmpl;
    while (*p) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            buf_putc(out, p[0]);
            p += 2;
            continue;
        }
        if (*p == '{') {
            const char *q = p + 1;
            while (isalnum((unsigned char)*q) || *q == '_')
                q++;
            if (*q == '}' && q > p + 1) {
                size_t len = (size_t)(q - p - 1);
                const char *val = vt_get(vt, p + 1, len);
                if (!val) {
                    if (with_line)
                        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s:%d: unknown placeholder '{%.*s}'", where,
                                            line, (int)len, p + 1);
                    return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: unknown placeholder '{%.*s}'", where, (int)len,
                                        p + 1);
                }
                buf_puts(out, val);
                p = q + 1;
                continue;
            }
        }
        if (*p == '\n')
            line++;
        buf_putc(out, *p);
        p++;
    }
    return out->oom ? sf_ctx_nomem(ctx) : SF_OK;
}

/* ------------------------------------------------------------ small util */

/* Read a whole file. *data is malloc'd and NUL-terminated (caller frees).
 * Returns 0, or an errno value (ENOENT when the file does not exist). */
static int read_file(const char *path, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno;
    buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    int err = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    if (b.oom)
        err = ENOMEM;
    if (err) {
        buf_free(&b);
        return err;
    }
    if (!b.p) {
        b.p = sf_strdup("");
        if (!b.p)
            return ENOMEM;
    }
    *data = b.p;
    *len = b.n;
    return 0;
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

/* The host name for Message-ID and the failure mail, reduced to the
 * characters a domain may hold. */
static void host_name(char *out, size_t n)
{
    char h[256] = "";
    if (gethostname(h, sizeof h - 1) != 0)
        h[0] = '\0';
    h[sizeof h - 1] = '\0';
    size_t o = 0;
    for (const char *p = h; *p && o + 1 < n; p++)
        if (isalnum((unsigned char)*p) || *p == '-' || *p == '.')
            out[o++] = *p;
    out[o] = '\0';
    if (o == 0)
        snprintf(out, n, "localhost");
}

static uint64_t random64(void)
{
    uint64_t r = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (read(fd, &r, sizeof r) != (ssize_t)sizeof r)
            r = 0;
        close(fd);
    }
    if (r == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        r = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)getpid() ^ ((uint64_t)ts.tv_sec << 40);
    }
    return r;
}

/* ------------------------------------------------------- header encoding */

static const char k_b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void b64_chunk(buf *out, const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        char q[4] = {k_b64[(v >> 18) & 63], k_b64[(v >> 12) & 63], i + 1 < n ? k_b64[(v >> 6) & 63] : '=',
                     i + 2 < n ? k_b64[v & 63] : '='};
        buf_add(out, q, 4);
    }
}

/* Base64 in lines of 76 characters, each ended by CRLF. */
static void b64_lines(buf *out, const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i += B64_LINE) {
        b64_chunk(out, s + i, n - i < B64_LINE ? n - i : B64_LINE);
        buf_puts(out, "\r\n");
    }
}

static bool is_plain_ascii(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p > 0x7e)
            return false;
    return true;
}

/* RFC 2047 B encoded words of UTF-8 text, at most `chunk` bytes each and
 * never splitting a character, separated by folding white space. */
static void encoded_words(buf *out, const char *s, size_t chunk)
{
    size_t n = strlen(s), i = 0;
    bool first = true;
    while (i < n) {
        size_t take = n - i < chunk ? n - i : chunk;
        /* back off to a character boundary (not before a continuation byte) */
        while (take > 1 && i + take < n && ((unsigned char)s[i + take] & 0xC0) == 0x80)
            take--;
        if (!first)
            buf_puts(out, "\r\n ");
        buf_puts(out, "=?UTF-8?B?");
        b64_chunk(out, (const unsigned char *)s + i, take);
        buf_puts(out, "?=");
        first = false;
        i += take;
    }
}

/* An unstructured header (Subject): ASCII folded at spaces before column
 * 78, anything else (or text that looks like an encoded word) B-encoded. */
static void header_text(buf *out, const char *field, const char *value)
{
    buf_printf(out, "%s: ", field);
    /* a word too long to fold is encoded, which can be split anywhere */
    size_t longest = 0, run = 0;
    for (const char *p = value; *p; p++) {
        run = *p == ' ' ? 0 : run + 1;
        if (run > longest)
            longest = run;
    }
    if (is_plain_ascii(value) && !strstr(value, "=?") && longest <= 70) {
        size_t col = strlen(field) + 2;
        const char *p = value;
        while (*p) {
            const char *sp = strchr(p, ' ');
            size_t wl = sp ? (size_t)(sp - p) : strlen(p);
            if (p != value && col + 1 + wl > 78) {
                buf_puts(out, "\r\n ");
                col = 1;
            } else if (p != value) {
                buf_putc(out, ' ');
                col++;
            }
            buf_add(out, p, wl);
            col += wl;
            p += wl;
            if (*p == ' ')
                p++;
        }
    } else {
        encoded_words(out, value, EW_CHUNK);
    }
    buf_puts(out, "\r\n");
}

/* One mailbox: display name (may be NULL) and address. */
typedef struct {
    char *display; /* owned, NULL = none */
    char *addr;    /* owned */
} mailbox;

static void mailbox_free(mailbox *m)
{
    free(m->display);
    free(m->addr);
    m->display = m->addr = NULL;
}

/* Reject line breaks and other control bytes in a header value, and text
 * that is not UTF-8. key names the config key (or data field) it came from. */
static sf_err check_header_value(const char *key, const char *value, sf_ctx *ctx)
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

static bool addr_ok(const char *a)
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

/*
 * Parse "Name <addr>", "\"Name\" <addr>" or "addr" from config key `key`
 * into *m (owned by the caller, mailbox_free). SF_ERR_USAGE on a line
 * break or anything that is not an address.
 */
static sf_err parse_mailbox(const char *key, const char *raw, mailbox *m, sf_ctx *ctx)
{
    m->display = m->addr = NULL;
    sf_err e = check_header_value(key, raw, ctx);
    if (e)
        return e;
    const char *lt = strchr(raw, '<');
    if (lt) {
        const char *gt = strchr(lt, '>');
        const char *rest = gt ? gt + 1 : NULL;
        while (rest && (*rest == ' ' || *rest == '\t'))
            rest++;
        if (!gt || *rest != '\0')
            goto bad;
        m->addr = trim_dup(lt + 1, (size_t)(gt - lt - 1));
        m->display = trim_dup(raw, (size_t)(lt - raw));
        if (!m->addr || !m->display) {
            mailbox_free(m);
            return sf_ctx_nomem(ctx);
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
    } else {
        m->addr = trim_dup(raw, strlen(raw));
        if (!m->addr)
            return sf_ctx_nomem(ctx);
    }
    if (!addr_ok(m->addr))
        goto bad;
    return SF_OK;
bad:
    mailbox_free(m);
    {
        char *k = printable(key), *v = printable(raw);
        e = sf_ctx_error(ctx, SF_ERR_USAGE, "%s: '%s' is not an e-mail address (use 'Name <user@host>' or "
                                            "'user@host')",
                         k ? k : "?", v ? v : "?");
        free(k);
        free(v);
    }
    return e;
}

/* A display name as an RFC 5322 phrase: atoms as they are, specials in a
 * quoted string, non-ASCII as encoded words. A name that fits is one
 * encoded word: some parsers (Python's email, default policy) wrongly keep
 * the folding space between the words of a phrase. */
static void phrase(buf *out, const char *s)
{
    if (!is_plain_ascii(s) || strstr(s, "=?")) {
        encoded_words(out, s, strlen(s) <= EW_MAX ? EW_MAX : EW_CHUNK);
        return;
    }
    if (strpbrk(s, "()<>[]:;@\\,.\"") == NULL) {
        buf_puts(out, s);
        return;
    }
    buf_putc(out, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"' || *p == '\\')
            buf_putc(out, '\\');
        buf_putc(out, *p);
    }
    buf_putc(out, '"');
}

/* Characters on the current (last) line of out. */
static size_t line_len(const buf *out)
{
    size_t i = out->n;
    while (i > 0 && out->p[i - 1] != '\n')
        i--;
    return out->n - i;
}

static void header_mailboxes(buf *out, const char *field, const mailbox *m, size_t n)
{
    buf_printf(out, "%s: ", field);
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_puts(out, ",\r\n ");
        if (m[i].display) {
            phrase(out, m[i].display);
            /* fold before the address rather than pass column 78 */
            buf_puts(out, line_len(out) + strlen(m[i].addr) + 4 > 78 ? "\r\n <" : " <");
            buf_printf(out, "%s>", m[i].addr);
        } else {
            buf_puts(out, m[i].addr);
        }
    }
    buf_puts(out, "\r\n");
}

/* RFC 5322 date of now in local time, built by hand so that the process
 * locale can never translate day or month names. */
static void rfc5322_date(char *out, size_t n)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm)) {
        snprintf(out, n, "Thu, 01 Jan 1970 00:00:00 +0000");
        return;
    }
    long off = tm.tm_gmtoff / 60;
    char sign = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld", days[tm.tm_wday % 7], tm.tm_mday,
             months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, sign, off / 60,
             off % 60);
}

/* ---------------------------------------------------------- body + MIME */

/* Quoted-printable of UTF-8 text with "\n" (or "\r\n") line ends: lines of
 * at most 76 characters with soft breaks, CRLF hard breaks. A leading "."
 * or "From " is encoded too, so no transport can mangle the line. */
static void quoted_printable(buf *out, const char *text)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)text;
    size_t col = 0;
    while (*p) {
        if (*p == '\r' && p[1] == '\n') {
            p++;
            continue;
        }
        if (*p == '\n') {
            buf_puts(out, "\r\n");
            col = 0;
            p++;
            continue;
        }
        unsigned char c = *p;
        bool at_eol = p[1] == '\0' || p[1] == '\n' || (p[1] == '\r' && p[2] == '\n');
        bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_eol);
        if (col == 0 && (c == '.' || (c == 'F' && strncmp((const char *)p, "From ", 5) == 0)))
            literal = false;
        char rep[4];
        size_t rl;
        if (literal) {
            rep[0] = (char)c;
            rl = 1;
        } else {
            rep[0] = '=';
            rep[1] = hex[c >> 4];
            rep[2] = hex[c & 15];
            rl = 3;
        }
        if (col + rl > QP_LINE) {
            buf_puts(out, "=\r\n");
            col = 0;
            if (c == '.' || c == 'F') { /* a new line begins: apply the leading-char rule again */
                if (c == '.' || strncmp((const char *)p, "From ", 5) == 0) {
                    rep[0] = '=';
                    rep[1] = hex[c >> 4];
                    rep[2] = hex[c & 15];
                    rl = 3;
                }
            }
        }
        buf_add(out, rep, rl);
        col += rl;
        p++;
    }
    if (col)
        buf_puts(out, "\r\n");
}

typedef struct {
    const char *name;  /* file name in the message */
    const char *ctype;
    char *data;        /* owned */
    size_t len;
} attachment;

typedef struct {
    const mailbox *from;
    const mailbox *to;
    size_t n_to;
    const mailbox *cc;
    size_t n_cc;
    const char *subject;
    const char *body;  /* UTF-8, "\n" line ends */
    const attachment *att;
    size_t n_att;
} message_parts;

/* Assemble one complete message with CRLF line ends into out. */
static void build_message(buf *out, const message_parts *mp)
{
    char host[256], date[64];
    host_name(host, sizeof host);
    rfc5322_date(date, sizeof date);
    uint64_t rnd = random64();
    char boundary[64];
    snprintf(boundary, sizeof boundary, "=_salesfocus_%016llx", (unsigned long long)random64());

    header_mailboxes(out, "From", mp->from, 1);
    if (mp->n_to)
        header_mailboxes(out, "To", mp->to, mp->n_to);
    if (mp->n_cc)
        header_mailboxes(out, "Cc", mp->cc, mp->n_cc);
    header_text(out, "Subject", mp->subject);
    buf_printf(out, "Date: %s\r\n", date);
    buf_printf(out, "Message-ID: <%lld.%ld.%016llx@%s>\r\n", (long long)time(NULL), (long)getpid(),
               (unsigned long long)rnd, host);
    buf_puts(out, "MIME-Version: 1.0\r\n");
    buf_printf(out, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n", boundary);
    buf_puts(out, "X-Mailer: salesfocus " SF_VERSION "\r\n");
    buf_puts(out, "\r\nThis is a multi-part message in MIME format.\r\n");

    buf_printf(out, "\r\n--%s\r\n", boundary);
    buf_puts(out, "Content-Type: text/plain; charset=UTF-8\r\n"
                  "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
    quoted_printable(out, mp->body);

    for (size_t i = 0; i < mp->n_att; i++) {
        buf_printf(out, "\r\n--%s\r\n", boundary);
        /* the XLSX type alone fills a line: fold after the field name */
        buf_printf(out, "Content-Type:%s%s;\r\n name=\"%s\"\r\n",
                   strlen(mp->att[i].ctype) + 15 > 78 ? "\r\n " : " ", mp->att[i].ctype, mp->att[i].name);
        buf_printf(out, "Content-Disposition: attachment; filename=\"%s\"\r\n", mp->att[i].name);
        buf_puts(out, "Content-Transfer-Encoding: base64\r\n\r\n");
        b64_lines(out, (const unsigned char *)mp->att[i].data, mp->att[i].len);
    }
    buf_printf(out, "\r\n--%s--\r\n", boundary);
}

/* -------------------------------------------------------------- sendmail */

/*
 * Pipe msg to cmd (split on blanks, run with execvp, no shell), converting
 * CRLF to LF as the sendmail interface expects. SF_ERR_OUTPUT naming the
 * command and its exit status when it cannot run or does not exit 0.
 */
static sf_err run_sendmail(const char *cmd, const char *msg, size_t len, sf_ctx *ctx)
{
    char *copy = sf_strdup(cmd);
    char **argv = sf_xcalloc(strlen(cmd) / 2 + 2, sizeof *argv);
    buf lf = {0};
    sf_err e = SF_OK;
    if (!copy || !argv) {
        e = sf_ctx_nomem(ctx);
        goto out;
    }
    size_t argc = 0;
    for (char *tok = strtok(copy, " \t"); tok; tok = strtok(NULL, " \t"))
        argv[argc++] = tok;
    if (argc == 0) {
        e = sf_ctx_error(ctx, SF_ERR_USAGE, "[email] sendmail: empty command");
        goto out;
    }
    for (size_t i = 0; i < len; i++) {
        if (msg[i] == '\r' && i + 1 < len && msg[i + 1] == '\n')
            continue;
        buf_putc(&lf, msg[i]);
    }
    if (lf.oom) {
        e = sf_ctx_nomem(ctx);
        goto out;
    }

    int pfd[2];
    if (pipe(pfd) != 0) {
        e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "sendmail command '%s': cannot create pipe: %s", cmd,
                         strerror(errno));
        goto out;
    }
    /* A command that exits without reading everything must not kill us
     * with SIGPIPE: we want its exit status instead. */
    struct sigaction ign = {0}, old;
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old);

    pid_t pid = fork();
    if (pid < 0) {
        e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "sendmail command '%s': cannot fork: %s", cmd, strerror(errno));
        close(pfd[0]);
        close(pfd[1]);
        sigaction(SIGPIPE, &old, NULL);
        goto out;
    }
    if (pid == 0) {
        /* child: stdin from the pipe; its stdout to our stderr so that our
         * own stdout stays clean. Only async-signal-safe calls here. */
        signal(SIGPIPE, SIG_DFL);
        dup2(pfd[0], STDIN_FILENO);
        dup2(STDERR_FILENO, STDOUT_FILENO);
        close(pfd[0]);
        close(pfd[1]);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(pfd[0]);
    const char *p = buf_str(&lf);
    size_t left = lf.n;
    int werr = 0;
    while (left > 0) {
        ssize_t w = write(pfd[1], p, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            werr = errno;
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    close(pfd[1]);
    int status = 0;
    pid_t r;
    while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
    }
    sigaction(SIGPIPE, &old, NULL);
    if (r < 0) {
        e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "sendmail command '%s': cannot wait for it: %s", cmd,
                         strerror(errno));
    } else if (WIFSIGNALED(status)) {
        e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "sendmail command '%s' was killed by signal %d", cmd,
                         WTERMSIG(status));
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        e = sf_ctx_error(ctx, SF_ERR_OUTPUT,
                         "sendmail command '%s' failed with exit status 127 (command not found?)", cmd);
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "sendmail command '%s' failed with exit status %d", cmd,
                         WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    } else if (werr) {
        e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "sendmail command '%s': message not fully written: %s", cmd,
                         strerror(werr));
    }
out:
    buf_free(&lf);
    free(argv);
    free(copy);
    return e;
}

static bool have_sendmail(const sf_config *cfg)
{
    if (!cfg->sendmail)
        return false;
    for (const char *p = cfg->sendmail; *p; p++)
        if (*p != ' ' && *p != '\t')
            return true;
    return false;
}

/* ---------------------------------------------------------- the mailer */

typedef struct {
    const sf_output_ctx *o;
    const sf_config *cfg;
    const sf_dataset *ds;
    const sf_report *rep;
    const sf_lang *lang;
    char lang_file[64];       /* "templates/lang/ru.ini", for messages */
    char *body_tmpl;          /* owned */
    char *body_path;          /* owned */
    mailbox from;
    mailbox *to, *cc;
    size_t n_to, n_cc;
    attachment att[2];
    size_t n_att;
} mailer;

/* Counts and totals for one mail: the team (owner SF_OWNER_ALL) or one rep. */
typedef struct {
    uint32_t owner;
    uint32_t due, alerts, lost, fire, verdict[3];
    int64_t rev, rev_prev, growth;
} scope;

static const char *L(const mailer *m, const char *key)
{
    return sf_lang_get(m->lang, key);
}

static const char *owner_label(const mailer *m, uint32_t id)
{
    if (id == SF_OWNER_UNASSIGNED || id >= m->ds->n_owners)
        return L(m, "common.unassigned");
    return m->ds->owners[id];
}

static bool in_scope(const scope *s, uint32_t owner)
{
    return s->owner == SF_OWNER_ALL || s->owner == owner;
}

static uint32_t acc_owner(const mailer *m, uint32_t account)
{
    return account < m->ds->n_accounts ? m->ds->accounts[account].owner : SF_OWNER_UNASSIGNED;
}

static void compute_scope(const mailer *m, scope *s)
{
    const sf_report *r = m->rep;
    for (uint32_t i = 0; i < r->cadence.n; i++)
        s->due += in_scope(s, acc_owner(m, r->cadence.rows[i].account));
    for (uint32_t i = 0; i < r->decline.n; i++)
        if (in_scope(s, acc_owner(m, r->decline.rows[i].account))) {
            s->alerts++;
            s->lost += r->decline.rows[i].lost;
        }
    for (uint32_t i = 0; i < r->fire.n; i++)
        s->fire += in_scope(s, acc_owner(m, r->fire.rows[i].account));
    for (uint32_t i = 0; i < r->pipeline.n; i++) {
        const sf_pipeline_row *row = &r->pipeline.rows[i];
        if (row->opp < m->ds->n_opps && in_scope(s, m->ds->opps[row->opp].owner))
            s->verdict[row->verdict]++;
    }
    if (s->owner == SF_OWNER_ALL) {
        s->rev = r->summary.rev12_total;
        s->rev_prev = r->summary.rev_prev12_total;
    } else {
        for (uint32_t a = 0; a < m->ds->n_accounts; a++)
            if (m->ds->accounts[a].owner == s->owner) {
                s->rev += m->ds->accounts[a].rev12;
                s->rev_prev += m->ds->accounts[a].rev_prev12;
            }
    }
    s->growth = s->rev_prev > 0 ? sf_share_e4((__int128)s->rev - s->rev_prev, s->rev_prev) : SF_NONE;
}

static bool scope_empty(const scope *s)
{
    return s->due == 0 && s->alerts == 0 && s->fire == 0 && s->verdict[SF_VERDICT_PURSUE] == 0 &&
           s->verdict[SF_VERDICT_QUALIFY] == 0;
}

static void put_money(const mailer *m, vtable *vt, const char *name, int64_t cents)
{
    char b[64];
    if (cents == SF_NONE)
        snprintf(b, sizeof b, "%s", L(m, "email.not_available"));
    else
        sf_lang_fmt_money(m->lang, cents, 2, b, sizeof b);
    vt_set(vt, name, b);
}

static void put_int(const mailer *m, vtable *vt, const char *name, int64_t v)
{
    char b[64];
    sf_lang_fmt_int(m->lang, v, b, sizeof b);
    vt_set(vt, name, b);
}

static void put_date(const mailer *m, vtable *vt, const char *name, sf_date d)
{
    char b[64];
    if (d == SF_NODATE)
        snprintf(b, sizeof b, "%s", L(m, "email.never"));
    else
        sf_lang_fmt_date(m->lang, d, b, sizeof b);
    vt_set(vt, name, b);
}

static void put_pct(const mailer *m, vtable *vt, const char *name, int64_t e4, bool sign)
{
    char b[64], s[80];
    if (e4 == SF_NONE) {
        vt_set(vt, name, L(m, "email.not_available"));
        return;
    }
    sf_lang_fmt_pct(m->lang, e4, 1, b, sizeof b);
    snprintf(s, sizeof s, "%s%s", sign && e4 > 0 ? "+" : "", b);
    vt_set(vt, name, s);
}

/* Render one list line from the language file key `key` into out as
 * "- text\n". */
static sf_err list_line(const mailer *m, const char *key, const vtable *vt, buf *out, sf_ctx *ctx)
{
    if (vt->oom)
        return sf_ctx_nomem(ctx);
    char where[160];
    const char *dot = strchr(key, '.');
    snprintf(where, sizeof where, "%s [email] %s", m->lang_file, dot ? dot + 1 : key);
    buf_puts(out, "- ");
    sf_err e = render(L(m, key), vt, where, false, out, ctx);
    buf_putc(out, '\n');
    return e;
}

/* Close a list: "(none)" when nothing was listed, "... and N more" when
 * more than TOP_N matched. */
static sf_err list_end(const mailer *m, uint32_t total, buf *out, sf_ctx *ctx)
{
    if (total == 0) {
        buf_puts(out, L(m, "email.none"));
        buf_putc(out, '\n');
    } else if (total > TOP_N) {
        vtable vt = {0};
        put_int(m, &vt, "n", total - TOP_N);
        put_int(m, &vt, "total", total);
        char where[160];
        snprintf(where, sizeof where, "%s [email] more", m->lang_file);
        sf_err e = vt.oom ? sf_ctx_nomem(ctx) : render(L(m, "email.more"), &vt, where, false, out, ctx);
        buf_putc(out, '\n');
        vt_free(&vt);
        return e;
    }
    return SF_OK;
}

/* The common per-account placeholders of a list line. */
static void account_vars(const mailer *m, vtable *vt, uint32_t a)
{
    const sf_account *acc = &m->ds->accounts[a];
    char tk[32];
    snprintf(tk, sizeof tk, "common.tier_%s", sf_tier_name(m->rep->tiers.acc[a].tier));
    vt_set_flat(vt, "account_id", acc->id);
    vt_set_flat(vt, "name", acc->name ? acc->name : acc->id);
    vt_set_flat(vt, "owner", owner_label(m, acc->owner));
    vt_set(vt, "tier", L(m, tk));
    vt_set(vt, "currency", m->cfg->currency ? m->cfg->currency : "");
}

static sf_err top_due(const mailer *m, const scope *s, buf *out, sf_ctx *ctx)
{
    uint32_t total = 0;
    sf_err e = SF_OK;
    for (uint32_t i = 0; i < m->rep->cadence.n && !e; i++) {
        const sf_cadence_row *r = &m->rep->cadence.rows[i];
        if (!in_scope(s, acc_owner(m, r->account)) || total++ >= TOP_N)
            continue;
        vtable vt = {0};
        account_vars(m, &vt, r->account);
        put_int(m, &vt, "days", r->days_overdue < 0 ? -r->days_overdue : r->days_overdue);
        put_date(m, &vt, "next_due", r->next_due);
        put_date(m, &vt, "last_contact", r->last_contact);
        vt_set_flat(&vt, "channel", r->channel ? r->channel : "");
        e = list_line(m, r->days_overdue > 0 ? "email.line_due" : "email.line_due_soon", &vt, out, ctx);
        vt_free(&vt);
    }
    return e ? e : list_end(m, total, out, ctx);
}

static sf_err top_declines(const mailer *m, const scope *s, buf *out, sf_ctx *ctx)
{
    uint32_t total = 0;
    sf_err e = SF_OK;
    for (uint32_t i = 0; i < m->rep->decline.n && !e; i++) {
        const sf_decline_row *r = &m->rep->decline.rows[i];
        if (!in_scope(s, acc_owner(m, r->account)) || total++ >= TOP_N)
            continue;
        vtable vt = {0};
        account_vars(m, &vt, r->account);
        put_money(m, &vt, "prior", r->prior);
        put_money(m, &vt, "current", r->current);
        put_money(m, &vt, "drop", r->drop);
        put_pct(m, &vt, "drop_share", r->drop_share, false);
        vt_set(&vt, "severity", L(m, r->lost ? "email.severity_lost" : "email.severity_declining"));
        e = list_line(m, "email.line_decline", &vt, out, ctx);
        vt_free(&vt);
    }
    return e ? e : list_end(m, total, out, ctx);
}

static sf_err top_fire(const mailer *m, const scope *s, buf *out, sf_ctx *ctx)
{
    uint32_t total = 0;
    sf_err e = SF_OK;
    for (uint32_t i = 0; i < m->rep->fire.n && !e; i++) {
        const sf_fire_row *r = &m->rep->fire.rows[i];
        if (!in_scope(s, acc_owner(m, r->account)) || total++ >= TOP_N)
            continue;
        vtable vt = {0};
        account_vars(m, &vt, r->account);
        put_money(m, &vt, "rev12", r->rev12);
        put_money(m, &vt, "net_value", r->net_value);
        buf reasons = {0};
        for (int b = 0; b < SF_FIRE_REASON_N; b++) {
            if (!(r->reasons & (1u << b)))
                continue;
            char k[64];
            snprintf(k, sizeof k, "email.reason_%s", sf_fire_reason_name(b));
            if (reasons.n)
                buf_puts(&reasons, ", ");
            buf_puts(&reasons, L(m, k));
        }
        vt_set(&vt, "reasons", buf_str(&reasons));
        if (reasons.oom)
            vt.oom = true;
        buf_free(&reasons);
        e = list_line(m, "email.line_fire", &vt, out, ctx);
        vt_free(&vt);
    }
    return e ? e : list_end(m, total, out, ctx);
}

static sf_err top_verdict(const mailer *m, const scope *s, sf_verdict v, buf *out, sf_ctx *ctx)
{
    uint32_t total = 0;
    sf_err e = SF_OK;
    for (uint32_t i = 0; i < m->rep->pipeline.n && !e; i++) {
        const sf_pipeline_row *r = &m->rep->pipeline.rows[i];
        if (r->verdict != v || r->opp >= m->ds->n_opps)
            continue;
        const sf_opportunity *op = &m->ds->opps[r->opp];
        if (!in_scope(s, op->owner) || total++ >= TOP_N)
            continue;
        vtable vt = {0};
        if (op->account < m->ds->n_accounts)
            account_vars(m, &vt, op->account);
        else {
            vt_set_flat(&vt, "account_id", op->account_id);
            vt_set_flat(&vt, "name", op->account_id);
            vt_set(&vt, "tier", "");
            vt_set(&vt, "currency", m->cfg->currency ? m->cfg->currency : "");
        }
        vt_set_flat(&vt, "owner", owner_label(m, op->owner));
        vt_set_flat(&vt, "opportunity", op->id);
        vt_set_flat(&vt, "stage", op->stage ? op->stage : "");
        put_money(m, &vt, "amount", op->amount);
        if (op->next_step_date == SF_NODATE)
            vt_set(&vt, "next_step_date", L(m, "email.no_next_step"));
        else
            put_date(m, &vt, "next_step_date", op->next_step_date);
        buf misses = {0};
        for (int b = 0; b < SF_F2_MISS_N; b++) {
            if (!(r->f2_misses & (1u << b)))
                continue;
            char k[64];
            snprintf(k, sizeof k, "email.miss_%s", sf_f2_miss_name(b));
            if (misses.n)
                buf_puts(&misses, ", ");
            buf_puts(&misses, L(m, k));
        }
        vt_set(&vt, "misses", buf_str(&misses));
        if (misses.oom)
            vt.oom = true;
        buf_free(&misses);
        e = list_line(m, v == SF_VERDICT_PURSUE ? "email.line_pursue" : "email.line_qualify", &vt, out, ctx);
        vt_free(&vt);
    }
    return e ? e : list_end(m, total, out, ctx);
}

/* Fill every placeholder of the body and subject for scope s. */
static sf_err scope_vars(const mailer *m, const scope *s, vtable *vt, sf_ctx *ctx)
{
    put_date(m, vt, "as_of", m->rep->as_of);
    const char *period = m->cfg->period ? m->cfg->period : "";
    char pk[64];
    snprintf(pk, sizeof pk, "email.period_%s", period);
    const char *pl = L(m, pk);
    vt_set(vt, "period", strcmp(pl, pk) == 0 ? period : pl);
    vt_set(vt, "currency", m->cfg->currency ? m->cfg->currency : "");
    /* not flattened: the subject check must see a line break in a name */
    vt_set(vt, "owner", s->owner == SF_OWNER_ALL ? L(m, "common.all_owners") : owner_label(m, s->owner));
    put_money(m, vt, "revenue", s->rev);
    put_money(m, vt, "revenue_prev", s->rev_prev);
    put_pct(m, vt, "growth", s->growth, true);
    put_int(m, vt, "due_count", s->due);
    put_int(m, vt, "alert_count", s->alerts);
    put_int(m, vt, "lost_count", s->lost);
    put_int(m, vt, "fire_count", s->fire);
    put_int(m, vt, "pursue", s->verdict[SF_VERDICT_PURSUE]);
    put_int(m, vt, "qualify", s->verdict[SF_VERDICT_QUALIFY]);
    put_int(m, vt, "drop", s->verdict[SF_VERDICT_DROP]);
    put_int(m, vt, "rejected", m->rep->summary.rejected_total);

    struct {
        const char *name;
        int kind;
    } lists[] = {{"top_due", 0}, {"top_declines", 1}, {"top_fire", 2}, {"top_pursue", 3}, {"top_qualify", 4}};
    for (size_t i = 0; i < SF_ARRAY_LEN(lists); i++) {
        buf b = {0};
        sf_err e;
        switch (lists[i].kind) {
        case 0: e = top_due(m, s, &b, ctx); break;
        case 1: e = top_declines(m, s, &b, ctx); break;
        case 2: e = top_fire(m, s, &b, ctx); break;
        case 3: e = top_verdict(m, s, SF_VERDICT_PURSUE, &b, ctx); break;
        default: e = top_verdict(m, s, SF_VERDICT_QUALIFY, &b, ctx); break;
        }
        if (!e && b.oom)
            e = sf_ctx_nomem(ctx);
        /* drop the final newline: the template decides what follows */
        if (!e && b.n && b.p[b.n - 1] == '\n')
            b.p[--b.n] = '\0';
        if (!e)
            vt_set(vt, lists[i].name, buf_str(&b));
        buf_free(&b);
        if (e)
            return e;
    }
    return vt->oom ? sf_ctx_nomem(ctx) : SF_OK;
}

/*
 * Subject and body of the mail for scope s; notes (may be empty) are
 * appended under a heading. *subject and *body are malloc'd (caller frees).
 */
static sf_err render_mail(const mailer *m, const scope *s, const char *notes, char **subject, char **body,
                          sf_ctx *ctx)
{
    *subject = *body = NULL;
    vtable vt = {0};
    buf sb = {0}, bb = {0};
    sf_err e = scope_vars(m, s, &vt, ctx);
    if (e)
        goto out;

    /* subject: the configured template, else the language's */
    const char *stmpl;
    char where[512];
    bool per_owner = s->owner != SF_OWNER_ALL;
    if (m->cfg->email_subject && m->cfg->email_subject[0]) {
        stmpl = m->cfg->email_subject;
        snprintf(where, sizeof where, "%s: [email] subject", m->cfg->path ? m->cfg->path : "config");
    } else {
        stmpl = L(m, per_owner ? "email.subject_owner" : "email.subject");
        snprintf(where, sizeof where, "%s [email] %s", m->lang_file, per_owner ? "subject_owner" : "subject");
    }
    e = render(stmpl, &vt, where, false, &sb, ctx);
    if (e)
        goto out;
    if (sb.oom) {
        e = sf_ctx_nomem(ctx);
        goto out;
    }
    /* the subject may hold data (the owner's name): check the result */
    e = check_header_value(where, buf_str(&sb), ctx);
    if (e)
        goto out;

    e = render(m->body_tmpl, &vt, m->body_path, true, &bb, ctx);
    if (e)
        goto out;
    if (notes && notes[0]) {
        if (bb.n && bb.p[bb.n - 1] != '\n')
            buf_putc(&bb, '\n');
        buf_printf(&bb, "\n%s\n%s", L(m, "email.notes"), notes);
    }
    if (bb.oom || sb.oom) {
        e = sf_ctx_nomem(ctx);
        goto out;
    }
    *subject = sb.p;
    *body = bb.p;
    sb.p = bb.p = NULL;
out:
    buf_free(&sb);
    buf_free(&bb);
    vt_free(&vt);
    return e;
}

/* Load the body template (cfg->email_body_template or
 * templates/email/<lang>.txt), dropping a BOM and CRs. */
static sf_err load_body_template(mailer *m, sf_ctx *ctx)
{
    const char *share = m->cfg->share_dir;
    if (m->cfg->email_body_template && m->cfg->email_body_template[0]) {
        m->body_path = sf_strdup(m->cfg->email_body_template);
    } else {
        size_t n = strlen(share) + 64;
        m->body_path = malloc(n);
        if (m->body_path)
            snprintf(m->body_path, n, "%s/templates/email/%s.txt", share, sf_lang_code(m->lang));
    }
    if (!m->body_path)
        return sf_ctx_nomem(ctx);
    char *data;
    size_t len;
    int err = read_file(m->body_path, &data, &len);
    if (err == ENOMEM)
        return sf_ctx_nomem(ctx);
    if (err)
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: cannot read mail template: %s", m->body_path, strerror(err));
    if (!sf_utf8_valid(data, len)) {
        free(data);
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: mail template is not UTF-8 text", m->body_path);
    }
    size_t o = 0, i = (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    for (; i < len; i++)
        if (!(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
            data[o++] = data[i];
    data[o] = '\0';
    m->body_tmpl = data;
    return SF_OK;
}

/* Read <out_dir>/name into the next attachment slot when that output is
 * enabled and the file exists; a file that exists but cannot be read is
 * SF_ERR_OUTPUT. */
static sf_err load_attachment(mailer *m, bool enabled, const char *name, const char *ctype, sf_ctx *ctx)
{
    if (!enabled)
        return SF_OK;
    size_t n = strlen(m->o->out_dir) + strlen(name) + 2;
    char *path = malloc(n);
    if (!path)
        return sf_ctx_nomem(ctx);
    snprintf(path, n, "%s/%s", m->o->out_dir, name);
    char *data;
    size_t len;
    int err = read_file(path, &data, &len);
    sf_err e = SF_OK;
    if (err == 0) {
        attachment *a = &m->att[m->n_att++];
        a->name = name;
        a->ctype = ctype;
        a->data = data;
        a->len = len;
    } else if (err == ENOMEM) {
        e = sf_ctx_nomem(ctx);
    } else if (err != ENOENT) {
        e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot read attachment: %s", path, strerror(err));
    }
    free(path);
    return e;
}

/* Parse a configured address list ([email] to / cc). */
static sf_err parse_list(const sf_strlist *l, const char *key, mailbox **out, size_t *n, sf_ctx *ctx)
{
    *out = NULL;
    *n = 0;
    if (l->n == 0)
        return SF_OK;
    *out = sf_xcalloc(l->n, sizeof **out);
    if (!*out)
        return sf_ctx_nomem(ctx);
    for (size_t i = 0; i < l->n; i++) {
        sf_err e = parse_mailbox(key, l->v[i], &(*out)[i], ctx);
        if (e)
            return e;
        (*n)++;
    }
    return SF_OK;
}

/* The From mailbox: [email] from, else salesfocus@<host>. */
static sf_err parse_from(const sf_config *cfg, mailbox *from, sf_ctx *ctx)
{
    if (cfg->email_from && cfg->email_from[0])
        return parse_mailbox("[email] from", cfg->email_from, from, ctx);
    char host[256], a[300];
    host_name(host, sizeof host);
    snprintf(a, sizeof a, "salesfocus@%s", host);
    from->display = sf_strdup("salesfocus");
    from->addr = sf_strdup(a);
    if (!from->display || !from->addr)
        return sf_ctx_nomem(ctx);
    return SF_OK;
}

static void mailer_release(mailer *m)
{
    free(m->body_tmpl);
    free(m->body_path);
    mailbox_free(&m->from);
    for (size_t i = 0; i < m->n_to; i++)
        mailbox_free(&m->to[i]);
    for (size_t i = 0; i < m->n_cc; i++)
        mailbox_free(&m->cc[i]);
    free(m->to);
    free(m->cc);
    for (size_t i = 0; i < m->n_att; i++)
        free(m->att[i].data);
}

/* One finished message, waiting to be written and sent. */
typedef struct {
    char *path;  /* owned, final file name */
    buf msg;
    bool send;
} outmail;

static const sf_owner_addr *owner_address(const sf_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->n_owners; i++)
        if (cfg->owners[i].name && strcmp(cfg->owners[i].name, name) == 0)
            return &cfg->owners[i];
    for (size_t i = 0; i < cfg->n_owners; i++)
        if (cfg->owners[i].name && sf_utf8_ieq(cfg->owners[i].name, name))
            return &cfg->owners[i];
    return NULL;
}

/* Build one message for scope s into om (path = <out_dir>/file_name). */
static sf_err make_mail(const mailer *m, const scope *s, const mailbox *to, size_t n_to, const mailbox *cc,
                        size_t n_cc, const char *notes, const char *file_name, outmail *om, sf_ctx *ctx)
{
    char *subject, *body;
    sf_err e = render_mail(m, s, notes, &subject, &body, ctx);
    if (e)
        return e;
    size_t n = strlen(m->o->out_dir) + strlen(file_name) + 2;
    om->path = malloc(n);
    if (!om->path) {
        free(subject);
        free(body);
        return sf_ctx_nomem(ctx);
    }
    snprintf(om->path, n, "%s/%s", m->o->out_dir, file_name);
    message_parts mp = {&m->from, to, n_to, cc, n_cc, subject, body, m->att, m->n_att};
    build_message(&om->msg, &mp);
    free(subject);
    free(body);
    om->send = !(m->cfg->skip_when_empty && scope_empty(s));
    return om->msg.oom ? sf_ctx_nomem(ctx) : SF_OK;
}

/* Write every message through a local stage (temporary name, rename at
 * commit), so an .eml is either complete or the previous one. */
static sf_err write_mails(outmail *mails, size_t n, sf_ctx *ctx)
{
    sf_stage st = {0};
    sf_err e = SF_OK;
    for (size_t i = 0; i < n && !e; i++) {
        FILE *fp;
        e = sf_stage_fopen(&st, mails[i].path, &fp, ctx);
        if (e)
            break;
        size_t w = fwrite(buf_str(&mails[i].msg), 1, mails[i].msg.n, fp);
        e = sf_stage_close(fp, mails[i].path, ctx);
        if (!e && w != mails[i].msg.n)
            e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: write failed", mails[i].path);
    }
    if (!e)
        e = sf_stage_commit(&st, ctx);
    if (e)
        sf_stage_abort(&st);
    sf_stage_release(&st);
    return e;
}

/*
 * email.eml for the manager (whole team) and, with per_owner, one
 * email-<owner>.eml per rep who has an address in [owners]; all written
 * atomically, then each handed to [email] sendmail when set (unless
 * skip_when_empty and its lists are empty). Every sending is tried; the
 * first failure is returned (SF_ERR_OUTPUT). Header problems are
 * SF_ERR_USAGE and stop before anything is written.
 */
sf_err sf_out_email(const sf_output_ctx *o, sf_ctx *ctx)
{
    mailer m = {0};
    m.o = o;
    m.cfg = o->cfg;
    m.ds = o->ds;
    m.rep = o->rep;
    m.lang = o->lang;
    snprintf(m.lang_file, sizeof m.lang_file, "templates/lang/%s.ini", sf_lang_code(o->lang));
    outmail *mails = NULL;
    size_t n_mails = 0;
    buf notes = {0};

    sf_err e = load_body_template(&m, ctx);
    if (!e)
        e = parse_from(m.cfg, &m.from, ctx);
    if (!e)
        e = parse_list(&m.cfg->email_to, "[email] to", &m.to, &m.n_to, ctx);
    if (!e)
        e = parse_list(&m.cfg->email_cc, "[email] cc", &m.cc, &m.n_cc, ctx);
    /* per_owner alone (no manager) is a valid setup: email.eml is then
     * only written */
    if (!e && m.n_to == 0 && have_sendmail(m.cfg) && !m.cfg->per_owner)
        e = sf_ctx_error(ctx, SF_ERR_USAGE, "[email] to: no recipient for the manager's mail");
    if (!e)
        e = load_attachment(&m, m.cfg->out_pdf, "report.pdf", "application/pdf", ctx);
    if (!e)
        e = load_attachment(&m, m.cfg->out_xlsx, "workbook.xlsx",
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ctx);
    if (e)
        goto out;

    size_t cap = 1 + (m.cfg->per_owner ? m.ds->n_owners : 0);
    mails = sf_xcalloc(cap, sizeof *mails);
    if (!mails) {
        e = sf_ctx_nomem(ctx);
        goto out;
    }

    /* the manager's scope: everything, or one owner when asked */
    scope team = {.owner = SF_OWNER_ALL};
    if (o->only_owner) {
        for (uint32_t i = 0; i < m.ds->n_owners; i++)
            if (strcmp(m.ds->owners[i], o->only_owner) == 0)
                team.owner = i;
    }

    /* skipped analyses first, then reps without an address */
    for (int i = 0; i < m.rep->n_skipped; i++)
        if (m.rep->skipped[i])
            buf_printf(&notes, "- %s\n", m.rep->skipped[i]);

    if (m.cfg->per_owner) {
        for (uint32_t k = 0; k < m.ds->n_owners && !e; k++) {
            uint32_t id = m.ds->owner_order ? m.ds->owner_order[k] : k;
            if (id == SF_OWNER_UNASSIGNED || (m.ds->owner_seen && !m.ds->owner_seen[id]))
                continue;
            const char *name = m.ds->owners[id];
            const sf_owner_addr *oa = owner_address(m.cfg, name);
            if (!oa || !oa->address || !oa->address[0]) {
                vtable vt = {0};
                vt_set_flat(&vt, "owner", name);
                buf_puts(&notes, "- ");
                char where[160];
                snprintf(where, sizeof where, "%s [messages] owner_no_address", m.lang_file);
                e = vt.oom ? sf_ctx_nomem(ctx)
                           : render(L(&m, "messages.owner_no_address"), &vt, where, false, &notes, ctx);
                buf_putc(&notes, '\n');
                vt_free(&vt);
                continue;
            }
            /* the owner's name is data: check it before it becomes a header */
            char key[512];
            snprintf(key, sizeof key, "[owners] %s", name);
            e = check_header_value(key, name, ctx);
            if (e)
                break;
            mailbox to = {0};
            e = parse_mailbox(key, oa->address, &to, ctx);
            if (e)
                break;
            free(to.display);
            to.display = sf_strdup(name);
            char *safe = sf_safe_filename(name);
            char *fname = safe ? malloc(strlen(safe) + 24) : NULL;
            if (!to.display || !fname) {
                mailbox_free(&to);
                free(safe);
                free(fname);
                e = sf_ctx_nomem(ctx);
                break;
            }
            sprintf(fname, "email-%s.eml", safe);
            /* two names may reduce to one file name ("A/B", "A B"): number
             * the later ones rather than overwrite a mail */
            for (int dupn = 2; dupn < 1000; dupn++) {
                bool taken = false;
                size_t flen = strlen(fname);
                for (size_t i = 0; i < n_mails && !taken; i++) {
                    size_t pl = strlen(mails[i].path);
                    taken = pl > flen && strcmp(mails[i].path + pl - flen, fname) == 0 &&
                            mails[i].path[pl - flen - 1] == '/';
                }
                if (!taken)
                    break;
                sprintf(fname, "email-%s-%d.eml", safe, dupn);
            }
            free(safe);
            scope s = {.owner = id};
            compute_scope(&m, &s);
            e = make_mail(&m, &s, &to, 1, NULL, 0, NULL, fname, &mails[n_mails], ctx);
            n_mails++;
            free(fname);
            mailbox_free(&to);
        }
        if (e)
            goto out;
    }
    if (notes.oom) {
        e = sf_ctx_nomem(ctx);
        goto out;
    }

    /* The manager's mail goes first in the list so that it is sent first. */
    memmove(&mails[1], &mails[0], n_mails * sizeof *mails);
    memset(&mails[0], 0, sizeof *mails);
    n_mails++;
    compute_scope(&m, &team);
    e = make_mail(&m, &team, m.to, m.n_to, m.cc, m.n_cc, buf_str(&notes), "email.eml", &mails[0], ctx);
    if (e)
        goto out;
    if (m.n_to == 0)
        mails[0].send = false;

    e = write_mails(mails, n_mails, ctx);
    if (e)
        goto out;

    if (have_sendmail(m.cfg)) {
        for (size_t i = 0; i < n_mails; i++) {
            if (!mails[i].send)
                continue;
            sf_err se = run_sendmail(m.cfg->sendmail, buf_str(&mails[i].msg), mails[i].msg.n, ctx);
            if (se && !e)
                e = se;
        }
    }
out:
    for (size_t i = 0; i < n_mails; i++) {
        free(mails[i].path);
        buf_free(&mails[i].msg);
    }
    free(mails);
    buf_free(&notes);
    mailer_release(&m);
    return e;
}

/* --------------------------------------------------------- failure mail */

/* A label from lang, or the English fallback when there is no language
 * (the run may have failed before the labels were loaded). */
static const char *label_or(const sf_lang *lang, const char *key, const char *fallback)
{
    if (!lang)
        return fallback;
    const char *v = sf_lang_get(lang, key);
    return (v == key || strcmp(v, key) == 0) ? fallback : v;
}

/*
 * The on_failure mail: a short localised text/plain message with the
 * exit code and the error, sent to [email] to and cc through [email]
 * sendmail. Nothing is written to disk. Without a sendmail command, or
 * with on_failure = no, it does nothing and returns SF_OK. lang may be
 * NULL (English is used).
 */
sf_err sf_out_email_failure(const sf_config *cfg, const sf_lang *lang, int exit_code, const char *error,
                            sf_ctx *ctx)
{
    if (!cfg || !cfg->on_failure || !have_sendmail(cfg))
        return SF_OK;
    mailbox from = {0}, *to = NULL, *cc = NULL;
    size_t n_to = 0, n_cc = 0;
    buf body = {0}, subject = {0}, msg = {0};
    vtable vt = {0};
    char *err_text = NULL;
    sf_err e = parse_from(cfg, &from, ctx);
    if (!e)
        e = parse_list(&cfg->email_to, "[email] to", &to, &n_to, ctx);
    if (!e)
        e = parse_list(&cfg->email_cc, "[email] cc", &cc, &n_cc, ctx);
    if (!e && n_to == 0)
        e = sf_ctx_error(ctx, SF_ERR_USAGE, "[email] to: no recipient for the failure mail");
    if (e)
        goto out;

    char host[256], when[64], code[16], key[32];
    host_name(host, sizeof host);
    rfc5322_date(when, sizeof when);
    snprintf(code, sizeof code, "%d", exit_code);
    snprintf(key, sizeof key, "messages.exit_%d", exit_code);
    vt_set(&vt, "exit_code", code);
    vt_set(&vt, "host", host);
    vt_set(&vt, "time", when);
    vt_set(&vt, "config", cfg->path ? cfg->path : "");
    vt_set(&vt, "meaning", label_or(lang, key, exit_code == 1 ? "internal error" : "failure"));
    if (vt.oom) {
        e = sf_ctx_nomem(ctx);
        goto out;
    }
    char lf[64];
    snprintf(lf, sizeof lf, "templates/lang/%s.ini", sf_lang_code(lang));
    char where[128];
    snprintf(where, sizeof where, "%s [email] failure_subject", lf);
    e = render(label_or(lang, "email.failure_subject", "salesfocus run failed on {host} (exit code {exit_code})"),
               &vt, where, false, &subject, ctx);
    if (!e)
        e = check_header_value(where, buf_str(&subject), ctx);
    if (e)
        goto out;
    snprintf(where, sizeof where, "%s [email] failure_body", lf);
    e = render(label_or(lang, "email.failure_body",
                        "The scheduled salesfocus run on {host} failed at {time}.\n\nExit code: {exit_code} "
                        "({meaning})\nConfiguration: {config}\n\nError:"),
               &vt, where, false, &body, ctx);
    if (e)
        goto out;
    /* the error text is ours, but may quote data: keep it valid UTF-8 */
    err_text = sf_strdup(error ? error : "");
    if (!err_text) {
        e = sf_ctx_nomem(ctx);
        goto out;
    }
    if (!sf_utf8_valid(err_text, strlen(err_text)))
        for (char *p = err_text; *p; p++)
            if ((unsigned char)*p >= 0x80)
                *p = '?';
    buf_printf(&body, "\n  %s\n\n", err_text);
    buf_puts(&body, label_or(lang, "email.failure_hint",
                             "The previous reports were left unchanged. Fix the problem and run again, or wait "
                             "for the next scheduled run."));
    buf_putc(&body, '\n');
    if (body.oom || subject.oom) {
        e = sf_ctx_nomem(ctx);
        goto out;
    }
    message_parts mp = {&from, to, n_to, cc, n_cc, buf_str(&subject), buf_str(&body), NULL, 0};
    build_message(&msg, &mp);
    if (msg.oom) {
        e = sf_ctx_nomem(ctx);
        goto out;
    }
    e = run_sendmail(cfg->sendmail, buf_str(&msg), msg.n, ctx);
out:
    free(err_text);
    vt_free(&vt);
    buf_free(&body);
    buf_free(&subject);
    buf_free(&msg);
    mailbox_free(&from);
    for (size_t i = 0; i < n_to; i++)
        mailbox_free(&to[i]);
    for (size_t i = 0; i < n_cc; i++)
        mailbox_free(&cc[i]);
    free(to);
    free(cc);
    return e;
}
