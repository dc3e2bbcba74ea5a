/*
 * out_email.c - the weekly mail (SPEC §4 "Email"): email.eml, one
 * email-<owner>.eml per rep with per_owner = yes, and the on_failure mail;
 * who gets which message, its attachments, the files and the sending. The
 * trades it relies on live beside it: the message format in mime.c,
 * {placeholders} in template.c, the hand-over in sendmail.c.
 *
 * A message is a multipart/mixed: a UTF-8 plain-text body rendered from
 * templates/email/<language>.txt (its text: email_body.c), then report.pdf
 * and workbook.xlsx. Every header value is checked for line breaks first,
 * so data or config can never add a header.
 *
 * Choices where SPEC leaves room (docs/scheduling.md repeats them):
 * - skip_when_empty: the .eml files are still written (a record of what
 *   would have gone out); only the hand-over to sendmail is skipped.
 * - owners without an address in [owners] are listed in the manager's
 *   mail; the run still succeeds.
 * - the failure mail is only sent, never written to disk: the output
 *   folder may be the very thing that failed.
 * - the .eml files are written into the run's folder with the reports
 *   (the attachments are read from there), and the sending is deferred
 *   until that folder is in place: a mail always matches the files on
 *   disk, and no mail goes out for a run whose files were not put in
 *   place.
 */
#include "output/sf_email.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/sf_file.h"
#include "output/sf_buf.h"
#include "output/sf_filename.h"
#include "output/sf_mime.h"
#include "output/sf_sendmail.h"
#include "output/sf_template.h"

#ifndef SF_VERSION
#define SF_VERSION "0"
#endif

#define MAILER "salesfocus " SF_VERSION

/* ------------------------------------------------------------ the system */

/* Read a whole file. *data is malloc'd and NUL-terminated (caller frees).
 * Returns 0, or an errno value (ENOENT when the file does not exist). */
static int read_file(const char *path, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno;
    sf_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sf_buf_add(&b, chunk, n);
    int err = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    if (b.oom)
        err = ENOMEM;
    if (err) {
        sf_buf_free(&b);
        return err;
    }
    *len = b.n;
    *data = sf_buf_take(&b);
    return *data ? 0 : ENOMEM;
}

/* The host name for Message-ID and the failure mail, reduced to the
 * characters a domain may hold. */
static void host_name(char *out, size_t n)
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

/* "dir/name", malloc'd. */
static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

typedef struct {
    const char *name;  /* file name in the message */
    const char *ctype;
    char *data;        /* owned */
    size_t len;
} attachment;

/* A multipart/mixed of body and attachments att[0..n_att), with this
 * machine's date, host and random numbers, appended to out. */

static void build_message(sf_buf *out, const sf_mailbox *from, const sf_mailbox *to, size_t n_to,
                          const sf_mailbox *cc, size_t n_cc, const char *subject, const char *body,
                          const attachment *att, size_t n_att)
{
    char host[256], date[64];
    host_name(host, sizeof host);
    date_now(date, sizeof date);
    sf_mime_env env = {.date = date, .host = host, .time = (long long)time(NULL), .pid = (long)getpid(),
                       .random = random64};
    sf_mime_part kids[3];
    size_t n = 0;
    kids[n++] = sf_mime_text(body);
    for (size_t i = 0; i < n_att && n < SF_ARRAY_LEN(kids); i++)
        kids[n++] = sf_mime_attachment(att[i].ctype, att[i].name, att[i].data, att[i].len);
    sf_mime_part root = sf_mime_multipart("multipart/mixed", kids, n, SF_MIME_PREAMBLE);
    sf_mime_message msg = {.from = from, .to = to, .n_to = n_to, .cc = cc, .n_cc = n_cc, .subject = subject,
                           .mailer = MAILER, .root = &root};
    sf_mime_write(out, &msg, &env);
}

/* ---------------------------------------------------------- the mailer */

/* What the mails of one run share. */
typedef struct {
    const sf_output_ctx *o;
    const sf_config *cfg;
    sf_email_text text;       /* its body_tmpl and body_path are the two below */
    char *body_tmpl;          /* owned */
    char *body_path;          /* owned */
    sf_mailbox from;
    sf_mailbox *to, *cc;
    size_t n_to, n_cc;
    attachment att[2];
    size_t n_att;
} mailer;

/* ------------------------------------------------------------ the inputs */

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
            snprintf(m->body_path, n, "%s/templates/email/%s.txt", share, sf_lang_code(m->text.lang));
    }
    if (!m->body_path)
        return sf_ctx_nomem(ctx);
    char *data, why[160];
    size_t len;
    int err = sf_read_regular(m->body_path, SF_TEMPLATE_MAX, &data, &len, why, sizeof why);
    if (err == ENOMEM)
        return sf_ctx_nomem(ctx);
    if (err)
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: cannot read mail template: %s", m->body_path, why);
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
    m->text.body_tmpl = m->body_tmpl;
    m->text.body_path = m->body_path;
    return SF_OK;
}

/* Read the file <out_dir>/name that this run staged into the next
 * attachment slot, when that output is enabled; one that cannot be read is
 * SF_ERR_OUTPUT. */
static sf_err load_attachment(mailer *m, bool enabled, const char *name, const char *ctype, sf_ctx *ctx)
{
    if (!enabled || m->n_att == SF_ARRAY_LEN(m->att))
        return SF_OK;
    char *final = join_path(m->o->out_dir, name);
    if (!final)
        return sf_ctx_nomem(ctx);
    char *path = sf_stage_find(m->o->stage, final);
    sf_err e = SF_OK;
    if (path) {
        char *data;
        size_t len;
        int err = read_file(path, &data, &len);
        if (err == 0) {
            attachment *a = &m->att[m->n_att++];
            a->name = name;
            a->ctype = ctype;
            a->data = data;
            a->len = len;
        } else if (err == ENOMEM) {
            e = sf_ctx_nomem(ctx);
        } else {
            e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot read attachment: %s", final, strerror(err));
        }
    }
    free(path);
    free(final);
    return e;
}

/* Parse a configured address list ([email] to / cc). */
static sf_err parse_list(const sf_strlist *l, const char *key, sf_mailbox **out, size_t *n, sf_ctx *ctx)
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

/* The From mailbox: [email] from, else salesfocus@<host>. */
static sf_err parse_from(const sf_config *cfg, sf_mailbox *from, sf_ctx *ctx)
{
    if (cfg->email_from && cfg->email_from[0])
        return sf_mailbox_parse("[email] from", cfg->email_from, from, ctx);
    char host[256], a[300];
    host_name(host, sizeof host);
    snprintf(a, sizeof a, "salesfocus@%s", host);
    from->display = sf_strdup("salesfocus");
    from->addr = sf_strdup(a);
    if (!from->display || !from->addr)
        return sf_ctx_nomem(ctx);
    return SF_OK;
}

/* Everything the mails share: template, addresses, attachments. */
static sf_err mailer_init(mailer *m, const sf_output_ctx *o, sf_ctx *ctx)
{
    m->o = o;
    m->cfg = o->cfg;
    m->text.cfg = o->cfg;
    m->text.ds = o->ds;
    m->text.rep = o->rep;
    m->text.lang = o->lang;
    snprintf(m->text.lang_file, sizeof m->text.lang_file, "templates/lang/%s.ini", sf_lang_code(o->lang));
    sf_err e = load_body_template(m, ctx);
    if (!e)
        e = parse_from(m->cfg, &m->from, ctx);
    if (!e)
        e = parse_list(&m->cfg->email_to, "[email] to", &m->to, &m->n_to, ctx);
    if (!e)
        e = parse_list(&m->cfg->email_cc, "[email] cc", &m->cc, &m->n_cc, ctx);
    /* per_owner alone (no manager) is a valid setup: email.eml is then
     * only written */
    if (!e && m->n_to == 0 && sf_sendmail_configured(m->cfg->sendmail) && !m->cfg->per_owner)
        e = sf_ctx_error(ctx, SF_ERR_USAGE, "[email] to: no recipient for the manager's mail");
    if (!e)
        e = load_attachment(m, m->cfg->out_pdf, "report.pdf", "application/pdf", ctx);
    if (!e)
        e = load_attachment(m, m->cfg->out_xlsx, "workbook.xlsx",
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ctx);
    return e;
}

static void mailer_release(mailer *m)
{
    free(m->body_tmpl);
    free(m->body_path);
    sf_mailbox_free(&m->from);
    sf_mailboxes_free(m->to, m->n_to);
    sf_mailboxes_free(m->cc, m->n_cc);
    for (size_t i = 0; i < m->n_att; i++)
        free(m->att[i].data);
}

/* ------------------------------------------------------------- the mails */

/* One finished message, written into the run's folder, waiting to be
 * sent (read back from its file then: a message with a workbook attached
 * may be hundreds of megabytes, so none is kept in memory). */
typedef struct {
    char *path;  /* owned, final file name */
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

/* Build one message for scope s and write it at path (taken over by om,
 * also on failure) in the run's folder as it is made. */
static sf_err make_mail(const mailer *m, const sf_email_scope *s, const sf_mailbox *to, size_t n_to,
                        const sf_mailbox *cc, size_t n_cc, const char *notes, char *path, outmail *om,
                        sf_ctx *ctx)
{
    om->path = path;
    char *subject, *body;
    sf_err e = sf_email_render(&m->text, s, notes, &subject, &body, ctx);
    if (e)
        return e;
    FILE *fp;
    e = sf_stage_fopen(m->o->stage, path, &fp, ctx);
    if (!e) {
        sf_buf msg = {0};
        sf_buf_spill_to(&msg, fp);
        build_message(&msg, &m->from, to, n_to, cc, n_cc, subject, body, m->att, m->n_att);
        bool oom = msg.oom, ok = sf_buf_spill_end(&msg);
        int err = errno;
        sf_buf_free(&msg);
        e = sf_stage_close(fp, path, ctx);
        if (!e && oom)
            e = sf_ctx_nomem(ctx);
        else if (!e && !ok)
            e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: write failed: %s", path, strerror(err ? err : EIO));
    }
    free(subject);
    free(body);
    om->send = !(m->cfg->skip_when_empty && sf_email_scope_empty(s));
    return e;
}

/* A rep without an address: a line in the manager's notes. */
static sf_err note_no_address(const mailer *m, const char *name, sf_buf *notes, sf_ctx *ctx)
{
    sf_tvars vt = {0};
    sf_tvars_set_flat(&vt, "owner", name);
    sf_buf_puts(notes, "- ");
    char where[160];
    snprintf(where, sizeof where, "%s [messages] owner_no_address", m->text.lang_file);
    const char *tmpl = sf_email_label(&m->text, "messages.owner_no_address");
    sf_err e = vt.oom ? sf_ctx_nomem(ctx) : sf_template_render(tmpl, &vt, where, false, notes, ctx);
    sf_buf_putc(notes, '\n');
    sf_tvars_free(&vt);
    return e;
}

/* The mail of owner id into mails[*n] (then *n + 1), or a note when the
 * rep has no address. */
static sf_err owner_mail(const mailer *m, uint32_t id, outmail *mails, size_t *n, sf_buf *notes, sf_ctx *ctx)
{
    const char *name = m->text.ds->owners[id];
    const sf_owner_addr *oa = owner_address(m->cfg, name);
    if (!oa || !oa->address || !oa->address[0])
        return note_no_address(m, name, notes, ctx);
    /* the owner's name is data: check it before it becomes a header */
    char key[512];
    snprintf(key, sizeof key, "[owners] %s", name);
    sf_err e = sf_mime_check_value(key, name, ctx);
    if (e)
        return e;
    sf_mailbox to = {0};
    e = sf_mailbox_parse(key, oa->address, &to, ctx);
    if (e)
        return e;
    free(to.display);
    to.display = sf_strdup(name);
    /* two names may reduce to one file name ("A/B", "A B"): "-2", ... */
    char *safe = sf_safe_filename(name);
    char *path = NULL;
    if (!to.display || !safe)
        e = sf_ctx_nomem(ctx);
    else
        e = sf_stage_unique(m->o->stage, "email-", safe, ".eml", &path, ctx);
    if (!e) {
        sf_email_scope s = {.owner = id};
        e = sf_email_scope_compute(&m->text, &s, ctx);
        if (!e)
            e = make_mail(m, &s, &to, 1, NULL, 0, NULL, path, &mails[*n], ctx);
        else
            free(path);
        (*n)++;
    }
    free(safe);
    sf_mailbox_free(&to);
    return e;
}

/* Every rep's mail (per_owner), in the owners' order, into mails[1..]. */
static sf_err owner_mails(const mailer *m, outmail *mails, size_t *n, sf_buf *notes, sf_ctx *ctx)
{
    sf_err e = SF_OK;
    const sf_dataset *ds = m->text.ds;
    for (uint32_t k = 0; k < ds->n_owners && !e; k++) {
        uint32_t id = ds->owner_order ? ds->owner_order[k] : k;
        if (id == SF_OWNER_UNASSIGNED || (ds->owner_seen && !ds->owner_seen[id]))
            continue;
        e = owner_mail(m, id, mails, n, notes, ctx);
    }
    return e;
}

/* The mails of a run waiting for the switch. */
typedef struct {
    const sf_config *cfg; /* borrowed: outlives the run's stage */
    outmail *mails;
    size_t n;
} pending;

static void pending_free(void *arg)
{
    pending *p = arg;
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->mails[i].path);
    free(p->mails);
    free(p);
}

/* Hand each mail to [email] sendmail (once the files are in place);
 * every sending is tried, the first failure is returned. */
static sf_err send_mails(void *arg, sf_ctx *ctx)
{
    const pending *p = arg;
    sf_err e = SF_OK;
    for (size_t i = 0; i < p->n; i++) {
        if (!p->mails[i].send)
            continue;
        /* the message as written (the folder is in place by now) */
        char *msg;
        size_t len;
        int err = read_file(p->mails[i].path, &msg, &len);
        sf_err se = err ? sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot read the message back: %s",
                                       p->mails[i].path, strerror(err))
                        : sf_sendmail(p->cfg->sendmail, (int)p->cfg->email_timeout, msg, len, ctx);
        free(msg);
        if (se && !e)
            e = se;
    }
    return e;
}

/*
 * email.eml for the manager (whole team) and, with per_owner, one
 * email-<owner>.eml per rep who has an address in [owners], written into
 * the run's folder; with [email] sendmail set, each is handed to it once
 * the folder is in place (unless skip_when_empty and its lists are
 * empty): every sending is tried, the first failure is the deferred
 * work's (SF_ERR_OUTPUT). Header problems are SF_ERR_USAGE and stop
 * before anything is written.
 */
sf_err sf_out_email(const sf_output_ctx *o, sf_ctx *ctx)
{
    mailer m = {0};
    pending *p = calloc(1, sizeof *p);
    sf_buf notes = {0};
    sf_err e = p ? mailer_init(&m, o, ctx) : sf_ctx_nomem(ctx);
    if (e)
        goto out;
    p->cfg = o->cfg;
    size_t cap = 1 + (m.cfg->per_owner ? o->ds->n_owners : 0);
    p->mails = sf_xcalloc(cap, sizeof *p->mails);
    if (!p->mails) {
        e = sf_ctx_nomem(ctx);
        goto out;
    }
    /* skipped analyses first, then reps without an address */
    for (int i = 0; i < o->rep->n_skipped; i++)
        if (o->rep->skipped[i])
            sf_buf_printf(&notes, "- %s\n", o->rep->skipped[i]);
    if (m.cfg->per_owner)
        e = owner_mails(&m, p->mails, &p->n, &notes, ctx);
    if (!e && notes.oom)
        e = sf_ctx_nomem(ctx);
    if (e)
        goto out;

    /* The manager's mail goes first in the list so that it is sent first. */
    memmove(&p->mails[1], &p->mails[0], p->n * sizeof *p->mails);
    memset(&p->mails[0], 0, sizeof *p->mails);
    p->n++;
    sf_email_scope team = {.owner = SF_OWNER_ALL};
    char *path = join_path(o->out_dir, "email.eml");
    e = path ? sf_email_scope_compute(&m.text, &team, ctx) : sf_ctx_nomem(ctx);
    if (!e)
        e = make_mail(&m, &team, m.to, m.n_to, m.cc, m.n_cc, sf_buf_str(&notes), path, &p->mails[0], ctx);
    else
        free(path);
    if (e)
        goto out;
    if (m.n_to == 0)
        p->mails[0].send = false;
    if (sf_sendmail_configured(m.cfg->sendmail)) {
        e = sf_stage_defer(o->stage, send_mails, p, pending_free, ctx);
        p = NULL; /* the stage's now (or freed by it) */
    }
out:
    pending_free(p);
    sf_buf_free(&notes);
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

/* Subject and body of the failure mail into subject and body. */
static sf_err failure_text(const sf_config *cfg, const sf_lang *lang, int exit_code, const char *error,
                           sf_files_state files, const char *out_dir, sf_buf *subject, sf_buf *body, sf_ctx *ctx)
{
    sf_tvars vt = {0};
    char host[256], when[64], code[16], key[32];
    host_name(host, sizeof host);
    date_now(when, sizeof when);
    snprintf(code, sizeof code, "%d", exit_code);
    snprintf(key, sizeof key, "messages.exit_%d", exit_code);
    sf_tvars_set(&vt, "exit_code", code);
    sf_tvars_set(&vt, "host", host);
    sf_tvars_set(&vt, "time", when);
    sf_tvars_set(&vt, "config", cfg->path ? cfg->path : "");
    sf_tvars_set(&vt, "meaning", label_or(lang, key, exit_code == 1 ? "internal error" : "failure"));
    char lf[64], where[128];
    snprintf(lf, sizeof lf, "templates/lang/%s.ini", sf_lang_code(lang));
    snprintf(where, sizeof where, "%s [email] failure_subject", lf);
    sf_err e = vt.oom ? sf_ctx_nomem(ctx)
                      : sf_template_render(label_or(lang, "email.failure_subject",
                                                    "salesfocus run failed on {host} (exit code {exit_code})"),
                                           &vt, where, false, subject, ctx);
    if (!e)
        e = sf_mime_check_value(where, sf_buf_str(subject), ctx);
    snprintf(where, sizeof where, "%s [email] failure_body", lf);
    if (!e)
        e = sf_template_render(label_or(lang, "email.failure_body",
                                        "The scheduled salesfocus run on {host} failed at {time}.\n\nExit code: "
                                        "{exit_code} ({meaning})\nConfiguration: {config}\n\nError:"),
                               &vt, where, false, body, ctx);
    sf_tvars_free(&vt);
    if (e)
        return e;
    /* the error text is ours, but may quote data: keep it valid UTF-8 */
    char *err_text = sf_strdup(error ? error : "");
    if (!err_text)
        return sf_ctx_nomem(ctx);
    if (!sf_utf8_valid(err_text, strlen(err_text)))
        for (char *p = err_text; *p; p++)
            if ((unsigned char)*p >= 0x80)
                *p = '?';
    sf_buf_printf(body, "\n  %s\n\n", err_text);
    free(err_text);
    /* what the output folder holds now, said as it is */
    static const char *const keys[] = {[SF_FILES_UNCHANGED] = "email.failure_hint",
                                       [SF_FILES_NONE] = "email.failure_hint_none",
                                       [SF_FILES_NEW] = "email.failure_hint_new",
                                       [SF_FILES_REJECTS] = "email.failure_hint_rejects"};
    static const char *const english[] = {
        [SF_FILES_UNCHANGED] = "The files in {output_dir} are exactly the previous run's, unchanged. Fix the "
                               "problem and run again, or wait for the next scheduled run.",
        [SF_FILES_NONE] = "No report was written: {output_dir} does not exist. Fix the problem and run again, or "
                          "wait for the next scheduled run.",
        [SF_FILES_NEW] = "This run's reports are in place in {output_dir}; only what came after them failed. Fix "
                         "the problem before the next scheduled run.",
        [SF_FILES_REJECTS] = "Only the rejected records were written, to {output_dir}/csv/rejects.csv; the other "
                             "reports there are the previous run's, unchanged. Fix the exports and run again."};
    unsigned k = (unsigned)files < SF_ARRAY_LEN(keys) ? (unsigned)files : SF_FILES_UNCHANGED;
    sf_tvars hv = {0};
    sf_tvars_set_flat(&hv, "output_dir", out_dir ? out_dir : "?");
    char lf2[64], where2[128];
    snprintf(lf2, sizeof lf2, "templates/lang/%s.ini", sf_lang_code(lang));
    snprintf(where2, sizeof where2, "%s [email] %s", lf2, keys[k] + 6);
    sf_err he = hv.oom ? sf_ctx_nomem(ctx)
                       : sf_template_render(label_or(lang, keys[k], english[k]), &hv, where2, false, body, ctx);
    sf_tvars_free(&hv);
    if (he)
        return he;
    sf_buf_putc(body, '\n');
    return body->oom || subject->oom ? sf_ctx_nomem(ctx) : SF_OK;
}

/*
 * The on_failure mail: a short localised text/plain message with the
 * exit code and the error, sent to [email] to and cc through [email]
 * sendmail. Nothing is written to disk. Without a sendmail command, or
 * with on_failure = no, it does nothing and returns SF_OK. lang may be
 * NULL (English is used).
 */
sf_err sf_out_email_failure(const sf_config *cfg, const sf_lang *lang, int exit_code, const char *error,
                            sf_files_state files, const char *out_dir, sf_ctx *ctx)
{
    if (!cfg || !cfg->on_failure || !sf_sendmail_configured(cfg->sendmail))
        return SF_OK;
    sf_mailbox from = {0}, *to = NULL, *cc = NULL;
    size_t n_to = 0, n_cc = 0;
    sf_buf body = {0}, subject = {0}, msg = {0};
    sf_err e = parse_from(cfg, &from, ctx);
    if (!e)
        e = parse_list(&cfg->email_to, "[email] to", &to, &n_to, ctx);
    if (!e)
        e = parse_list(&cfg->email_cc, "[email] cc", &cc, &n_cc, ctx);
    if (!e && n_to == 0)
        e = sf_ctx_error(ctx, SF_ERR_USAGE, "[email] to: no recipient for the failure mail");
    if (!e)
        e = failure_text(cfg, lang, exit_code, error, files, out_dir, &subject, &body, ctx);
    if (!e) {
        build_message(&msg, &from, to, n_to, cc, n_cc, sf_buf_str(&subject), sf_buf_str(&body), NULL, 0);
        e = msg.oom ? sf_ctx_nomem(ctx) : sf_sendmail(cfg->sendmail, (int)cfg->email_timeout, sf_buf_str(&msg), msg.n,
                                                                     ctx);
    }
    sf_buf_free(&body);
    sf_buf_free(&subject);
    sf_buf_free(&msg);
    sf_mailbox_free(&from);
    sf_mailboxes_free(to, n_to);
    sf_mailboxes_free(cc, n_cc);
    return e;
}

/* ------------------------------------------------------------ the check */

sf_err sf_out_email_check(const sf_config *cfg, const sf_lang *lang, sf_ctx *ctx)
{
    mailer m = {0};
    m.cfg = cfg;
    m.text.cfg = cfg;
    m.text.lang = lang;
    snprintf(m.text.lang_file, sizeof m.text.lang_file, "templates/lang/%s.ini", sf_lang_code(lang));
    sf_err e = load_body_template(&m, ctx);
    if (!e)
        e = sf_email_check_templates(&m.text, ctx);
    /* the failure mail's own texts */
    static const char *const fail_vars[] = {"exit_code", "host", "time", "config", "meaning"};
    static const char *const hint_vars[] = {"output_dir"};
    static const char *const keys[] = {"failure_subject", "failure_body", "failure_hint", "failure_hint_none",
                                       "failure_hint_new", "failure_hint_rejects"};
    for (size_t i = 0; !e && i < SF_ARRAY_LEN(keys); i++) {
        char key[64], where[160];
        snprintf(key, sizeof key, "email.%s", keys[i]);
        snprintf(where, sizeof where, "%s [email] %s", m.text.lang_file, keys[i]);
        bool hint = i >= 2;
        e = sf_template_check(label_or(lang, key, ""), hint ? hint_vars : fail_vars,
                              hint ? SF_ARRAY_LEN(hint_vars) : SF_ARRAY_LEN(fail_vars), where, false, ctx);
    }
    mailer_release(&m);
    return e;
}
