/*
 * out_email.c - the weekly mail (SPEC §4 "Email", docs/scheduling.md "The
 * mail"): email.eml for the manager, one email-<owner>.eml per rep with
 * per_owner = yes; who gets which mail, what it carries, whether it is
 * sent, the sending and the send log. The trades it relies on live beside
 * it: what a mail lists (email_items.c), its text (email_body.c), its
 * HTML and charts (email_html.c, email_charts.c), its parts and headers
 * (email_msg.c, mime.c), {placeholders} (template.c), the hand-over
 * (sendmail.c); the failure mail and the templates' check are in
 * email_failure.c.
 *
 * Choices where SPEC leaves room (docs/scheduling.md repeats them):
 * - the .eml files are always written (a record of what would have gone
 *   out); skip_when_empty, send_when and the ISO-week rule only decide
 *   the hand-over to sendmail;
 * - owners without an address in [owners] are listed in the manager's
 *   mail; the run still succeeds;
 * - the .eml files are written into the run's folder with the reports
 *   (the attachments are read from there), and the sending is deferred
 *   until that folder is in place: a mail always matches the files on
 *   disk, and no mail goes out for a run whose files were not put in
 *   place;
 * - a rep's mail carries the rep's review pack (written into the run's
 *   folder here, staged with everything else), not the team's files
 *   ([email] owner_attachments);
 * - the Message-ID is made from the config file, the as-of date and the
 *   recipient, so a re-run's mail has the same one (a --resend in the
 *   same week gets ".2", ".3", ...);
 * - [email] max_attachment_mb bounds the raw size of the files one mail
 *   attaches (a 143 MB workbook makes a message no mail server takes):
 *   they are taken in order while the total fits, one that does not is
 *   left out, never read, and the mail says where it is instead.
 */
#include "output/sf_email.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/sf_file.h"
#include "output/sf_buf.h"
#include "output/sf_filename.h"
#include "output/sf_mime.h"
#include "output/sf_owner_rows.h"
#include "output/sf_sendmail.h"
#include "output/sf_template.h"

/* ------------------------------------------------------------ the inputs */

/* Read a whole file. *data is malloc'd and NUL-terminated (caller frees).
 * Returns 0, or an errno value. */
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

/* "dir/name", malloc'd. */
static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* 1 MB of [email] max_attachment_mb, as mail services count it. */
#define MAIL_MB UINT64_C(1000000)
/* The most files one mail may attach: the team's report and workbook. */
#define MAIL_FILES_MAX 2

/* A file the mails may attach, and what a mail says when it is too large
 * to attach. */
typedef struct {
    sf_email_attachment a; /* as the message carries it; a.path owned */
    const char *too_large; /* language key of the sentence that says where it is */
    char *where;           /* owned: its path once the run's folder is in place */
} mail_file;

/* What the mails of one run share. */
typedef struct {
    const sf_output_ctx *o;
    const sf_config *cfg;
    sf_email_text text;         /* its body_tmpl and body_path are the two below */
    char *body_tmpl;            /* owned */
    char *body_path;            /* owned */
    sf_mailbox from;
    sf_mailbox *to, *cc;
    size_t n_to, n_cc;
    mail_file team[MAIL_FILES_MAX]; /* report.pdf, workbook.xlsx as staged */
    size_t n_team;
    char *unsubscribe;          /* owned List-Unsubscribe value, or NULL */
    char domain[256];           /* of the Message-IDs: the From address's */
    char config_abs[PATH_MAX];  /* the config file: part of the Message-IDs */
} mailer;

/* The staged file final_path into *f when there is one (an output that
 * is off stages none): its size now, its bytes only when the message is
 * written, and where it will be; one that cannot be read is
 * SF_ERR_OUTPUT. */
static sf_err read_staged(const mailer *m, const char *final_path, mail_file *f, bool *found, sf_ctx *ctx)
{
    *found = false;
    char *path = sf_stage_find(m->o->stage, final_path);
    if (!path)
        return SF_OK;
    /* read while the message is written (base64 straight from the file) */
    struct stat st;
    FILE *fp = fopen(path, "rb");
    int err = !fp ? errno : fstat(fileno(fp), &st) != 0 ? errno : 0;
    if (fp)
        fclose(fp);
    if (err) {
        free(path);
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot read attachment: %s", final_path, strerror(err));
    }
    f->a.data = NULL;
    f->a.path = path;
    f->a.len = (size_t)st.st_size;
    f->where = sf_stage_final_abs(m->o->stage, final_path);
    if (!f->where)
        f->where = sf_strdup(final_path);
    *found = true;
    return f->where ? SF_OK : sf_ctx_nomem(ctx);
}

/* <out_dir>/name into the team's attachments, when its output is on;
 * too_large the language key of the sentence when it is left out. */
static sf_err load_team(mailer *m, bool enabled, const char *name, const char *ctype, const char *too_large,
                        sf_ctx *ctx)
{
    if (!enabled || m->n_team == SF_ARRAY_LEN(m->team))
        return SF_OK;
    char *final = join_path(m->o->out_dir, name);
    if (!final)
        return sf_ctx_nomem(ctx);
    mail_file *f = &m->team[m->n_team];
    bool found;
    sf_err e = read_staged(m, final, f, &found, ctx);
    free(final);
    if (found) { /* also on failure: released with the others */
        f->a.name = name;
        f->a.ctype = ctype;
        f->too_large = too_large;
        m->n_team++;
    }
    return e;
}

/* Everything the mails share: template, addresses, attachments. */
static sf_err mailer_init(mailer *m, const sf_output_ctx *o, sf_ctx *ctx)
{
    m->o = o;
    m->cfg = o->cfg;
    m->text = (sf_email_text){.cfg = o->cfg, .ds = o->ds, .rep = o->rep, .lang = o->lang};
    snprintf(m->text.lang_file, sizeof m->text.lang_file, "templates/lang/%s.ini", sf_lang_code(o->lang));
    sf_err e = sf_email_load_body(m->cfg, o->lang, &m->body_tmpl, &m->body_path, ctx);
    m->text.body_tmpl = m->body_tmpl;
    m->text.body_path = m->body_path;
    if (!e)
        e = sf_email_parse_from(m->cfg, &m->from, ctx);
    if (!e)
        e = sf_email_parse_list(&m->cfg->email_to, "[email] to", &m->to, &m->n_to, ctx);
    if (!e)
        e = sf_email_parse_list(&m->cfg->email_cc, "[email] cc", &m->cc, &m->n_cc, ctx);
    if (!e)
        e = sf_email_unsubscribe(m->cfg, &m->unsubscribe, ctx);
    /* per_owner alone (no manager) is a valid setup: email.eml is then
     * only written */
    if (!e && m->n_to == 0 && sf_sendmail_configured(m->cfg->sendmail) && !m->cfg->per_owner)
        e = sf_ctx_error(ctx, SF_ERR_USAGE, "[email] to: no recipient for the manager's mail");
    if (!e)
        e = load_team(m, m->cfg->out_pdf, "report.pdf", "application/pdf", "email.too_large_report", ctx);
    if (!e)
        e = load_team(m, m->cfg->out_xlsx, "workbook.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "email.too_large_workbook",
                      ctx);
    if (e)
        return e;
    const char *at = m->from.addr ? strrchr(m->from.addr, '@') : NULL;
    sf_mime_domain(at ? at + 1 : NULL, m->domain, sizeof m->domain);
    const char *cp = m->cfg->path ? m->cfg->path : "";
    if (!realpath(cp, m->config_abs))
        snprintf(m->config_abs, sizeof m->config_abs, "%s", cp);
    return SF_OK;
}

static void mailer_release(mailer *m)
{
    free(m->body_tmpl);
    free(m->body_path);
    free(m->unsubscribe);
    sf_mailbox_free(&m->from);
    sf_mailboxes_free(m->to, m->n_to);
    sf_mailboxes_free(m->cc, m->n_cc);
    for (size_t i = 0; i < m->n_team; i++) {
        free(m->team[i].a.data);
        free(m->team[i].a.path);
        free(m->team[i].where);
    }
}

/* ------------------------------------------------------------- the mails */

/* One finished message, written into the run's folder as it was made,
 * waiting to be sent (read back from its file then: a message with a
 * workbook attached may be hundreds of megabytes, so none is kept in
 * memory) and logged. */
typedef struct {
    char *path;              /* owned, final file name */
    bool send;               /* hand it to sendmail */
    bool log;                /* record it in the send log */
    const char *status;      /* not sent: why ("unchanged", "empty", "already_sent") */
    char *recipient, *scope; /* owned: the send log's key */
    char message_id[384];
    char digest[17];
    sf_mail_item *items;     /* owned (and their ids) */
    size_t n_items;
    uint32_t left_out;
} outmail;

static void outmail_free(outmail *om)
{
    free(om->path);
    free(om->recipient);
    free(om->scope);
    for (size_t i = 0; i < om->n_items; i++)
        free((char *)om->items[i].id);
    free(om->items);
}

/* Deterministic: the config file, the as-of date and the recipient (and
 * the scope: the manager may also be a rep); a resend in the same ISO
 * week numbers itself. */
static void message_id(const mailer *m, const outmail *om, uint32_t nth, char *out, size_t n)
{
    char asof[16];
    sf_date_iso(m->text.rep->as_of, asof);
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    const char *parts[4] = {m->config_abs, asof, om->recipient, om->scope};
    for (int k = 0; k < 4; k++) {
        for (const unsigned char *p = (const unsigned char *)parts[k]; *p; p++) {
            h ^= *p;
            h *= UINT64_C(0x100000001b3);
        }
        h ^= '\n';
        h *= UINT64_C(0x100000001b3);
    }
    char suffix[16] = "";
    if (nth > 1)
        snprintf(suffix, sizeof suffix, ".%u", nth);
    snprintf(out, n, "salesfocus.%s.%016llx%s@%s", asof, (unsigned long long)h, suffix, m->domain);
}

/* Whether mail om (of content c, to n_to recipients) goes out, and
 * whether it is logged (docs/scheduling.md, "When a mail is sent"). */
static void decide(const mailer *m, const sf_email_content *c, size_t n_to, outmail *om)
{
    const sf_output_ctx *o = m->o;
    const sf_mail_memory *mem = o->mail_memory && o->mail_memory->loaded ? o->mail_memory : NULL;
    om->send = om->log = false;
    om->status = NULL;
    if (!sf_sendmail_configured(m->cfg->sendmail) || n_to == 0)
        return;
    om->log = o->mail_log && o->mail_log->begin;
    if (mem && !o->resend && c->memory && c->memory->sent_this_week > 0)
        om->status = "already_sent";
    else if (m->cfg->skip_when_empty && sf_email_scope_empty(&c->s))
        om->status = "empty";
    else if (m->cfg->send_when == SF_SEND_NONEMPTY && c->n_items == 0)
        om->status = "empty";
    else if (m->cfg->send_when == SF_SEND_CHANGED && mem && c->fresh == 0)
        om->status = "unchanged";
    om->send = om->status == NULL;
}

/* The files of one mail under [email] max_attachment_mb. */
typedef struct {
    sf_email_attachment att[MAIL_FILES_MAX]; /* attached (borrowed from the files) */
    size_t n_att;
    const mail_file *left[MAIL_FILES_MAX];   /* left out as too large */
    size_t n_left;
} mail_files;

/* f[0..n) in their order, each attached while the running total of the
 * raw sizes stays within the limit (0: none); one that does not fit is
 * left out (a smaller one after it may still fit). */
static void choose_files(const mailer *m, const mail_file *f, size_t n, mail_files *mf)
{
    uint64_t limit = (uint64_t)m->cfg->max_attachment_mb * MAIL_MB, total = 0;
    mf->n_att = mf->n_left = 0;
    for (size_t i = 0; i < n && i < MAIL_FILES_MAX; i++) {
        if (limit && (uint64_t)f[i].a.len > limit - total) {
            mf->left[mf->n_left++] = &f[i];
            continue;
        }
        total += f[i].a.len;
        mf->att[mf->n_att++] = f[i].a;
    }
}

/* A file's size in tenths of an MB, rounded up: a file just over the
 * limit never reads as the limit. */
static uint64_t size_tenths(const mail_file *f)
{
    return ((uint64_t)f->a.len + MAIL_MB / 10 - 1) / (MAIL_MB / 10);
}

/* "The workbook (143.1 MB) is too large to attach (limit 15 MB). It is in
 * <path>." for file f, into out. */
static sf_err too_large_line(const mailer *m, const mail_file *f, sf_buf *out, sf_ctx *ctx)
{
    sf_tvars vt = {0};
    char size[64];
    uint64_t tenths = size_tenths(f);
    sf_lang_fmt_money(m->text.lang, (int64_t)tenths * 10, 1, size, sizeof size);
    sf_tvars_set(&vt, "size", size);
    sf_email_put_int(&m->text, &vt, "limit", m->cfg->max_attachment_mb);
    sf_tvars_set_flat(&vt, "path", f->where);
    sf_err e = vt.oom ? sf_ctx_nomem(ctx) : sf_email_label_render(&m->text, f->too_large, &vt, out, ctx);
    sf_tvars_free(&vt);
    return e;
}

/* {attached} for the text and the HTML: "Attached: a, b", then a line for
 * each file left out as too large; omitted when the mail has neither. The
 * lines on the files left out also into left ("- ...\n" each). */
static sf_err attached_var(const mailer *m, const mail_files *mf, sf_tvars *vt, sf_buf *left, sf_ctx *ctx)
{
    if (mf->n_att == 0 && mf->n_left == 0) {
        sf_tvars_omit(vt, "attached");
        return SF_OK;
    }
    sf_buf files = {0}, text = {0};
    sf_err e = SF_OK;
    if (mf->n_att) {
        for (size_t i = 0; i < mf->n_att; i++) {
            if (i)
                sf_buf_puts(&files, ", ");
            sf_buf_puts(&files, mf->att[i].name);
        }
        sf_tvars fv = {0};
        sf_tvars_set_flat(&fv, "files", sf_buf_str(&files));
        e = fv.oom || files.oom ? sf_ctx_nomem(ctx) : sf_email_label_render(&m->text, "email.attached", &fv, &text, ctx);
        sf_tvars_free(&fv);
    }
    for (size_t i = 0; i < mf->n_left && !e; i++) {
        size_t at = text.n;
        if (text.n)
            sf_buf_putc(&text, '\n');
        e = too_large_line(m, mf->left[i], &text, ctx);
        if (!e)
            sf_buf_printf(left, "- %s\n", sf_buf_str(&text) + at + (at > 0));
    }
    if (!e && (text.oom || left->oom))
        e = sf_ctx_nomem(ctx);
    if (!e)
        sf_tvars_set(vt, "attached", sf_buf_str(&text));
    sf_buf_free(&files);
    sf_buf_free(&text);
    return e;
}

/* For the CLI's log: "email.eml: workbook.xlsx (143.1 MB) not attached:
 * over [email] max_attachment_mb = 15; the mail says where it is". */
static sf_err notice_left_out(const mailer *m, const mail_files *mf, const char *mail_path, sf_ctx *ctx)
{
    const char *slash = strrchr(mail_path, '/');
    for (size_t i = 0; m->o->notices && i < mf->n_left; i++) {
        const mail_file *f = mf->left[i];
        char line[512];
        snprintf(line, sizeof line,
                 "%s: %s (%llu.%llu MB) not attached: over [email] max_attachment_mb = %lld; the mail says where "
                 "it is",
                 slash ? slash + 1 : mail_path, f->a.name, (unsigned long long)(size_tenths(f) / 10),
                 (unsigned long long)(size_tenths(f) % 10), (long long)m->cfg->max_attachment_mb);
        if (sf_strlist_push(m->o->notices, line) != SF_OK)
            return sf_ctx_nomem(ctx);
    }
    return SF_OK;
}

/* Message msg built straight into its file path in the run's folder (the
 * buffer spills to it past 1 MiB), never whole in memory. */
static sf_err write_message(sf_stage *st, const char *path, const sf_email_message *msg, sf_ctx *ctx)
{
    FILE *fp;
    sf_err e = sf_stage_fopen(st, path, &fp, ctx);
    if (e)
        return e;
    sf_buf b = {0};
    sf_buf_spill_to(&b, fp);
    sf_email_build(&b, msg);
    bool oom = b.oom, ok = sf_buf_spill_end(&b);
    int err = errno;
    sf_buf_free(&b);
    e = sf_stage_close(fp, path, ctx);
    if (!e && oom)
        e = sf_ctx_nomem(ctx);
    else if (!e && !ok)
        e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: write failed: %s", path, strerror(err ? err : EIO));
    return e;
}

/* Text, HTML with its charts, and the message of content c written at
 * om's path, attaching what of files[0..n_files) fits (choose_files). A
 * body template without {attached} gets the lines on the files left out
 * among its notes: the mail always says where they are. */
static sf_err compose(const mailer *m, const sf_email_content *c, const sf_mailbox *to, size_t n_to,
                      const sf_mailbox *cc, size_t n_cc, const char *notes, const mail_file *files,
                      size_t n_files, outmail *om, sf_ctx *ctx)
{
    sf_tvars vt = {0};
    char *subject = NULL, *body = NULL;
    sf_buf html = {0}, left = {0}, text_notes = {0};
    mail_files mf;
    choose_files(m, files, n_files, &mf);
    sf_email_image img[SF_EMAIL_IMAGES_MAX];
    size_t n_img = 0;
    memset(img, 0, sizeof img);
    sf_err e = sf_email_scope_vars(&m->text, c, &vt, ctx);
    if (!e)
        e = attached_var(m, &mf, &vt, &left, ctx);
    if (!e)
        e = notice_left_out(m, &mf, om->path, ctx);
    if (!e && left.n && !sf_template_uses(m->text.body_tmpl, "attached")) {
        sf_buf_printf(&text_notes, "%s%s", notes ? notes : "", sf_buf_str(&left));
        e = text_notes.oom ? sf_ctx_nomem(ctx) : SF_OK;
    }
    if (!e)
        e = sf_email_render(&m->text, c, &vt, text_notes.n ? sf_buf_str(&text_notes) : notes, &subject, &body, ctx);
    if (!e && m->cfg->email_html) {
        e = sf_email_charts(&m->text, c, om->message_id, img, &n_img, ctx);
        const char *attached = sf_tvars_get(&vt, "attached", strlen("attached"));
        if (!e)
            e = sf_email_html(&m->text, c, &vt, subject, notes, img, n_img, attached, &html, ctx);
        if (!e && html.oom)
            e = sf_ctx_nomem(ctx);
    }
    if (!e) {
        sf_email_message msg = {.from = &m->from, .to = to, .n_to = n_to, .cc = cc, .n_cc = n_cc,
                                .subject = subject, .text = body,
                                .html = m->cfg->email_html ? sf_buf_str(&html) : NULL, .img = img,
                                .n_img = n_img, .att = mf.att, .n_att = mf.n_att, .message_id = om->message_id,
                                .unsubscribe = m->unsubscribe, .auto_submitted = true};
        e = write_message(m->o->stage, om->path, &msg, ctx);
    }
    sf_email_images_free(img, n_img);
    sf_buf_free(&html);
    sf_buf_free(&left);
    sf_buf_free(&text_notes);
    free(subject);
    free(body);
    sf_tvars_free(&vt);
    return e;
}

/* One mail of scope owner (SF_OWNER_ALL: the team) into om, written at
 * path (taken over by om, also on failure), carrying what of
 * files[0..n_files) fits. */
static sf_err make_mail(const mailer *m, uint32_t owner, const char *scope, const sf_mailbox *to, size_t n_to,
                        const sf_mailbox *cc, size_t n_cc, const char *notes, const mail_file *files,
                        size_t n_files, char *path, outmail *om, sf_ctx *ctx)
{
    om->path = path;
    om->recipient = sf_email_recipient_key(to, n_to);
    om->scope = sf_strdup(scope);
    if (!om->recipient || !om->scope)
        return sf_ctx_nomem(ctx);
    const sf_mail_memory *mem = m->o->mail_memory && m->o->mail_memory->loaded ? m->o->mail_memory : NULL;
    sf_email_content c = {.s = {.owner = owner}};
    c.memory = sf_mail_memory_find(mem, om->recipient, om->scope);
    c.filter = mem && m->cfg->repeat_after_weeks > 0;
    c.window_from = mem ? mem->window_from : SF_NODATE;
    uint32_t nth = c.memory && m->o->resend ? c.memory->sent_this_week + 1 : 1;
    message_id(m, om, nth, om->message_id, sizeof om->message_id);
    sf_err e = sf_email_select(&m->text, &c, ctx);
    if (!e)
        e = compose(m, &c, to, n_to, cc, n_cc, notes, files, n_files, om, ctx);
    if (!e) {
        decide(m, &c, n_to, om);
        om->left_out = c.left_out;
        sf_mail_items_digest(c.items, c.n_items, om->digest);
        om->items = c.items; /* the log's now */
        om->n_items = c.n_items;
        c.items = NULL;
        c.n_items = 0;
    }
    sf_email_content_release(&c);
    return e;
}


/* ------------------------------------------------------------ the reps */

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

/* A rep without an address: a line in the manager's notes. */
static sf_err note_no_address(const mailer *m, const char *name, sf_buf *notes, sf_ctx *ctx)
{
    sf_tvars vt = {0};
    sf_tvars_set_flat(&vt, "owner", name);
    sf_buf_puts(notes, "- ");
    sf_err e = sf_email_label_render(&m->text, "messages.owner_no_address", &vt, notes, ctx);
    sf_buf_putc(notes, '\n');
    sf_tvars_free(&vt);
    return e;
}

/* What rep id's mail carries ([email] owner_attachments): its review
 * pack, written into the run's folder now (*own, owned), nothing, or the
 * team's files. */
static sf_err owner_files(const mailer *m, uint32_t id, mail_file *own, const mail_file **att, size_t *n_att,
                          sf_ctx *ctx)
{
    *att = NULL;
    *n_att = 0;
    if (m->cfg->owner_attachments == SF_OWNER_ATT_ALL) {
        *att = m->team;
        *n_att = m->n_team;
        return SF_OK;
    }
    if (m->cfg->owner_attachments == SF_OWNER_ATT_NONE)
        return SF_OK;
    char *final = NULL;
    sf_err e = sf_out_review_file(m->o, id, &final, ctx);
    bool found = false;
    if (!e)
        e = read_staged(m, final, own, &found, ctx);
    if (!e && found) {
        const char *slash = strrchr(final, '/');
        own->a.ctype = "application/pdf";
        own->too_large = "email.too_large_review";
        *att = own;
        *n_att = 1;
        /* the name lives in the stage's table; keep ours until the mail is built */
        own->a.name = sf_strdup(slash ? slash + 1 : final);
        if (!own->a.name)
            e = sf_ctx_nomem(ctx);
    }
    free(final);
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
    mail_file own = {0};
    const mail_file *att = NULL;
    size_t n_att = 0;
    if (!to.display || !safe)
        e = sf_ctx_nomem(ctx);
    else
        e = sf_stage_unique(m->o->stage, "email-", safe, ".eml", &path, ctx);
    if (!e)
        e = owner_files(m, id, &own, &att, &n_att, ctx);
    if (!e) {
        e = make_mail(m, id, name, &to, 1, NULL, 0, NULL, att, n_att, path, &mails[*n], ctx);
        path = NULL;
        (*n)++;
    }
    free(path);
    free((char *)own.a.name);
    free(own.a.data);
    free(own.a.path);
    free(own.where);
    free(safe);
    sf_mailbox_free(&to);
    return e;
}

/* Every rep's mail (per_owner), in the owners' order, into mails[1..].
 * When the mails carry review packs, the lists' rows are grouped by owner
 * once (sf_owner_rows) instead of each pack scanning every list: the
 * packs are the same, byte for byte. */
static sf_err owner_mails(const mailer *m, outmail *mails, size_t *n, sf_buf *notes, sf_ctx *ctx)
{
    sf_err e = SF_OK;
    const sf_dataset *ds = m->text.ds;
    mailer mm = *m;
    sf_output_ctx oo = *m->o;
    sf_owner_rows *by_owner = NULL;
    if (!oo.by_owner && m->cfg->owner_attachments == SF_OWNER_ATT_REVIEW && ds->n_owners > 1) {
        e = sf_owner_rows_build(oo.rep, &by_owner, ctx);
        oo.by_owner = by_owner;
        mm.o = &oo;
    }
    for (uint32_t k = 0; k < ds->n_owners && !e; k++) {
        uint32_t id = ds->owner_order ? ds->owner_order[k] : k;
        if (id == SF_OWNER_UNASSIGNED || (ds->owner_seen && !ds->owner_seen[id]))
            continue;
        e = owner_mail(&mm, id, mails, n, notes, ctx);
    }
    sf_owner_rows_free(by_owner);
    return e;
}

/* ------------------------------------------------------------- sending */

/* The mails of a run waiting for the switch. */
typedef struct {
    const sf_config *cfg; /* borrowed: outlives the run's stage */
    sf_mail_log log;      /* a copy; its fns NULL: no log */
    sf_date as_of;
    outmail *mails;
    size_t n;
} pending;

static void pending_free(void *arg)
{
    pending *p = arg;
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        outmail_free(&p->mails[i]);
    free(p->mails);
    free(p);
}

/* Mail om into the send log with status (its row in *row). */
static sf_err log_begin(const pending *p, const outmail *om, const char *status, int64_t *row, sf_ctx *ctx)
{
    sf_mail_log_entry le = {.kind = "report", .recipient = om->recipient, .scope = om->scope,
                            .as_of = p->as_of, .message_id = om->message_id, .digest = om->digest,
                            .items = om->items, .n_items = om->n_items, .left_out = om->left_out,
                            .status = status, .exit_code = -1};
    return p->log.begin(p->log.arg, &le, row, ctx);
}

/* Hand each mail to [email] sendmail (once the files are in place),
 * logging each: a row "sending" before the hand-over, its outcome after;
 * a mail not sent is logged with why. Every mail is tried; the first
 * sending failure is returned, else the first failure of the log. */
static sf_err send_mails(void *arg, sf_ctx *ctx)
{
    const pending *p = arg;
    sf_err e = SF_OK;
    sf_ctx lctx = {0};
    sf_err le = SF_OK;
    for (size_t i = 0; i < p->n; i++) {
        const outmail *om = &p->mails[i];
        int64_t row = 0;
        if (om->log) {
            sf_err r = log_begin(p, om, om->send ? "sending" : om->status, &row, &lctx);
            if (r && !le)
                le = r;
        }
        if (!om->send)
            continue;
        sf_sendmail_result res;
        memset(&res, 0, sizeof res);
        /* the message as written (the folder is in place by now) */
        char *data;
        size_t len;
        int err = read_file(om->path, &data, &len);
        sf_err se = err ? sf_ctx_error(ctx, SF_ERR_OUTPUT, "%s: cannot read the message back: %s", om->path,
                                       strerror(err))
                        : sf_sendmail(p->cfg->sendmail, (int)p->cfg->email_timeout, data, len, &res, ctx);
        free(data);
        if (se && !e)
            e = se;
        if (om->log && row) {
            const char *status = !se ? "sent" : res.timed_out ? "timeout" : "failed";
            sf_err r = p->log.end(p->log.arg, row, status, res.exit_code, &lctx);
            if (r && !le)
                le = r;
        }
    }
    if (!e && le)
        e = sf_ctx_error(ctx, le, "%s", lctx.msg);
    return e;
}

/*
 * email.eml for the manager (whole team) and, with per_owner, one
 * email-<owner>.eml per rep who has an address in [owners], written into
 * the run's folder; with [email] sendmail set, each that is to go
 * (decide) is handed to it once the folder is in place: every sending is
 * tried, the first failure is the deferred work's (SF_ERR_OUTPUT). Header
 * problems are SF_ERR_USAGE and stop before anything is written.
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
    p->as_of = o->rep->as_of;
    if (o->mail_log)
        p->log = *o->mail_log;
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
    char *path = join_path(o->out_dir, "email.eml");
    e = path ? make_mail(&m, SF_OWNER_ALL, "", m.to, m.n_to, m.cc, m.n_cc, sf_buf_str(&notes), m.team, m.n_team,
                         path, &p->mails[0], ctx)
             : sf_ctx_nomem(ctx);
    if (!e && sf_sendmail_configured(m.cfg->sendmail)) {
        e = sf_stage_defer(o->stage, send_mails, p, pending_free, ctx);
        p = NULL; /* the stage's now (or freed by it) */
    }
out:
    pending_free(p);
    sf_buf_free(&notes);
    mailer_release(&m);
    return e;
}
