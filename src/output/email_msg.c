/*
 * email_msg.c - one message of the mail (sf_email.h): the tree of its
 * MIME parts (mime.c serialises it), the addresses of the config, the
 * List-Unsubscribe value, and what comes from the system (the host, the
 * date, random numbers for the boundaries).
 *
 *   multipart/mixed
 *   ├── multipart/alternative          (text/plain alone without html)
 *   │   ├── text/plain                 first: readers without HTML show it
 *   │   └── multipart/related
 *   │       ├── text/html
 *   │       └── image/png ...          inline, Content-ID named by cid:
 *   └── attachments                    report.pdf, workbook.xlsx, review-*.pdf
 */
#include "output/sf_email.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "output/sf_mime.h"

#ifndef SF_VERSION
#define SF_VERSION "0"
#endif

#define MAILER "salesfocus " SF_VERSION

/* ------------------------------------------------------------ the system */

void sf_email_host(char *out, size_t n)
{
    char h[256] = "";
    if (gethostname(h, sizeof h - 1) != 0)
        h[0] = '\0';
    h[sizeof h - 1] = '\0';
    sf_mime_domain(h, out, n);
}

/* RFC 5322 date of now, local time. */
static void date_now(char *out, size_t n)
{
    time_t now = time(NULL);
    struct tm tm;
    sf_mime_date(localtime_r(&now, &tm), out, n);
}

static uint64_t random64(void *arg)
{
    (void)arg;
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

const char *sf_email_label_or(const sf_lang *lang, const char *key, const char *fallback)
{
    if (!lang)
        return fallback;
    const char *v = sf_lang_get(lang, key);
    return (v == key || strcmp(v, key) == 0) ? fallback : v;
}

/* ------------------------------------------------------------- addresses */

sf_err sf_email_parse_list(const sf_strlist *l, const char *key, sf_mailbox **out, size_t *n, sf_ctx *ctx)
{
    *out = NULL;
    *n = 0;
    if (l->n == 0)
        return SF_OK;
    *out = sf_xcalloc(l->n, sizeof **out);
    if (!*out)
        return sf_ctx_nomem(ctx);
    for (size_t i = 0; i < l->n; i++) {
        sf_err e = sf_mailbox_parse(key, l->v[i], &(*out)[i], ctx);
        if (e)
            return e;
        (*n)++;
    }
    return SF_OK;
}

sf_err sf_email_parse_from(const sf_config *cfg, sf_mailbox *from, sf_ctx *ctx)
{
    if (cfg->email_from && cfg->email_from[0])
        return sf_mailbox_parse("[email] from", cfg->email_from, from, ctx);
    char host[256], a[300];
    sf_email_host(host, sizeof host);
    snprintf(a, sizeof a, "salesfocus@%s", host);
    from->display = sf_strdup("salesfocus");
    from->addr = sf_strdup(a);
    if (!from->display || !from->addr)
        return sf_ctx_nomem(ctx);
    return SF_OK;
}

char *sf_email_recipient_key(const sf_mailbox *to, size_t n)
{
    char **v = sf_xcalloc(n ? n : 1, sizeof *v);
    sf_buf b = {0};
    bool ok = v != NULL;
    for (size_t i = 0; ok && i < n; i++)
        ok = (v[i] = sf_utf8_lower(to[i].addr)) != NULL;
    for (size_t i = 1; ok && i < n; i++) /* a handful: insertion sort */
        for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
            char *x = v[j];
            v[j] = v[j - 1];
            v[j - 1] = x;
        }
    for (size_t i = 0; ok && i < n; i++)
        sf_buf_printf(&b, "%s%s", i ? ", " : "", v[i]);
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
    char *s = ok ? sf_buf_take(&b) : NULL;
    sf_buf_free(&b);
    return s;
}

/* Characters a mailto: query may hold here: printable ASCII without
 * blanks, angle brackets or quotes (it stands inside <...>). */
static bool query_ok(const char *q)
{
    for (const unsigned char *p = (const unsigned char *)q; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f || strchr("<>\"\\", *p))
            return false;
    return true;
}

sf_err sf_email_unsubscribe(const sf_config *cfg, char **value, sf_ctx *ctx)
{
    *value = NULL;
    const char *v = cfg->email_unsubscribe;
    if (!v || !*v)
        return SF_OK;
    const char *addr = strncmp(v, "mailto:", 7) == 0 ? v + 7 : v;
    const char *q = strchr(addr, '?');
    char *a = sf_strndup(addr, q ? (size_t)(q - addr) : strlen(addr));
    if (!a)
        return sf_ctx_nomem(ctx);
    bool ok = sf_mime_addr_ok(a) && (!q || query_ok(q + 1));
    free(a);
    if (!ok) {
        sf_err e = sf_mime_check_value("[email] unsubscribe", v, ctx);
        return e ? e
                 : sf_ctx_error(ctx, SF_ERR_USAGE,
                                "[email] unsubscribe: '%s' is not an address (use user@host or "
                                "mailto:user@host?subject=unsubscribe)",
                                v);
    }
    size_t n = strlen(addr) + 16;
    *value = malloc(n);
    if (!*value)
        return sf_ctx_nomem(ctx);
    snprintf(*value, n, "<mailto:%s>", addr);
    return SF_OK;
}

/* ------------------------------------------------------------ the message */

#define MAX_PARTS 8

void sf_email_build(sf_buf *out, const sf_email_message *m)
{
    char host[256], date[64];
    sf_email_host(host, sizeof host);
    date_now(date, sizeof date);
    sf_mime_env env = {.date = date, .host = host, .time = (long long)time(NULL), .pid = (long)getpid(),
                       .random = random64};
    sf_mime_part related[1 + SF_EMAIL_IMAGES_MAX], alt[2], kids[MAX_PARTS];
    size_t n = 0, nr = 0;
    if (m->html) {
        related[nr++] = sf_mime_html(m->html);
        for (size_t i = 0; i < m->n_img && nr < SF_ARRAY_LEN(related); i++)
            related[nr++] = sf_mime_inline("image/png", m->img[i].name, m->img[i].cid, m->img[i].png, m->img[i].len);
        alt[0] = sf_mime_text(m->text);
        alt[1] = sf_mime_multipart("multipart/related", related, nr, NULL);
        kids[n++] = sf_mime_multipart("multipart/alternative", alt, 2, NULL);
    } else {
        kids[n++] = sf_mime_text(m->text);
    }
    for (size_t i = 0; i < m->n_att && n < SF_ARRAY_LEN(kids); i++)
        kids[n++] = m->att[i].path ? sf_mime_attachment_file(m->att[i].ctype, m->att[i].name, m->att[i].path, m->att[i].len)
                                   : sf_mime_attachment(m->att[i].ctype, m->att[i].name, m->att[i].data, m->att[i].len);
    sf_mime_part root = sf_mime_multipart("multipart/mixed", kids, n, SF_MIME_PREAMBLE);
    sf_mime_field extra[2];
    size_t n_extra = 0;
    /* RFC 3834: no vacation replies to a machine's mail */
    if (m->auto_submitted)
        extra[n_extra++] = (sf_mime_field){"Auto-Submitted", "auto-generated"};
    if (m->unsubscribe)
        extra[n_extra++] = (sf_mime_field){"List-Unsubscribe", m->unsubscribe};
    sf_mime_message msg = {.from = m->from, .to = m->to, .n_to = m->n_to, .cc = m->cc, .n_cc = m->n_cc,
                           .subject = m->subject, .message_id = m->message_id, .mailer = MAILER,
                           .extra = extra, .n_extra = n_extra, .root = &root};
    sf_mime_write(out, &msg, &env);
}
