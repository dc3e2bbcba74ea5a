/*
 * email_failure.c - the mail of a failed run (SPEC §4: a scheduled run
 * must never fail silently), logged in the send log like the weekly
 * mails; the body template's loading; and the check of every template a
 * mail of the run may use, made before anything is read (`check`, the
 * start of `run`).
 *
 * The failure mail is only sent, never written to disk: the output folder
 * may be the very thing that failed. It is plain text, and always sent:
 * neither send_when nor the ISO-week rule holds it back.
 */
#include "output/sf_email.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/sf_file.h"
#include "output/sf_mime.h"
#include "output/sf_sendmail.h"

/* ------------------------------------------------------- body template */

sf_err sf_email_load_body(const sf_config *cfg, const sf_lang *lang, char **tmpl, char **path, sf_ctx *ctx)
{
    *tmpl = NULL;
    const char *share = cfg->share_dir ? cfg->share_dir : ".";
    if (cfg->email_body_template && cfg->email_body_template[0]) {
        *path = sf_strdup(cfg->email_body_template);
    } else {
        size_t n = strlen(share) + 64;
        *path = malloc(n);
        if (*path)
            snprintf(*path, n, "%s/templates/email/%s.txt", share, sf_lang_code(lang));
    }
    if (!*path)
        return sf_ctx_nomem(ctx);
    char *data, why[160];
    size_t len;
    int err = sf_read_regular(*path, SF_TEMPLATE_MAX, &data, &len, why, sizeof why);
    if (err == ENOMEM)
        return sf_ctx_nomem(ctx);
    if (err)
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: cannot read mail template: %s", *path, why);
    if (!sf_utf8_valid(data, len)) {
        free(data);
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: mail template is not UTF-8 text", *path);
    }
    /* a BOM and CRs dropped */
    size_t o = 0, i = (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    for (; i < len; i++)
        if (!(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
            data[o++] = data[i];
    data[o] = '\0';
    *tmpl = data;
    return SF_OK;
}

/* --------------------------------------------------------- failure mail */

static const char *label_or(const sf_lang *lang, const char *key, const char *fallback)
{
    return sf_email_label_or(lang, key, fallback);
}

/* RFC 5322 date of now, local time, for the body. */
static void when_now(char *out, size_t n)
{
    time_t now = time(NULL);
    struct tm tm;
    sf_mime_date(localtime_r(&now, &tm), out, n);
}

/* Subject and body of the failure mail into subject and body. */
static sf_err failure_text(const sf_config *cfg, const sf_lang *lang, int exit_code, const char *error,
                           sf_files_state files, const char *out_dir, sf_buf *subject, sf_buf *body, sf_ctx *ctx)
{
    sf_tvars vt = {0};
    char host[256], when[64], code[16], key[32];
    sf_email_host(host, sizeof host);
    when_now(when, sizeof when);
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
    snprintf(where, sizeof where, "%s [email] %s", lf, keys[k] + 6);
    sf_err he = hv.oom ? sf_ctx_nomem(ctx)
                       : sf_template_render(label_or(lang, keys[k], english[k]), &hv, where, false, body, ctx);
    sf_tvars_free(&hv);
    if (he)
        return he;
    sf_buf_putc(body, '\n');
    return body->oom || subject->oom ? sf_ctx_nomem(ctx) : SF_OK;
}

/* Send msg and log it (a row "sending", then the outcome). The log is
 * best effort here: the run has failed already, the store may be what
 * failed, and the mail must go out all the same. */
static sf_err send_logged(const sf_config *cfg, const sf_buf *msg, const sf_mail_log_entry *le,
                          const sf_mail_log *log, sf_ctx *ctx)
{
    int64_t row = 0;
    sf_ctx lctx = {0};
    sf_err lr = log && log->begin ? log->begin(log->arg, le, &row, &lctx) : SF_OK;
    sf_sendmail_result res;
    sf_err e = sf_sendmail(cfg->sendmail, (int)cfg->email_timeout, sf_buf_str(msg), msg->n, &res, ctx);
    if (!lr && log && log->end && row)
        log->end(log->arg, row, !e ? "sent" : res.timed_out ? "timeout" : "failed", res.exit_code, &lctx);
    return e;
}

/*
 * The on_failure mail: a short localised text/plain message with the
 * exit code and the error, sent to [email] to and cc through [email]
 * sendmail, and logged through log. Nothing is written to disk. Without a
 * sendmail command, or with on_failure = no, it does nothing and returns
 * SF_OK. lang may be NULL (English is used).
 */
sf_err sf_out_email_failure(const sf_config *cfg, const sf_lang *lang, int exit_code, const char *error,
                            sf_files_state files, const char *out_dir, sf_date as_of, const sf_mail_log *log,
                            sf_ctx *ctx)
{
    if (!cfg || !cfg->on_failure || !sf_sendmail_configured(cfg->sendmail))
        return SF_OK;
    sf_mailbox from = {0}, *to = NULL, *cc = NULL;
    size_t n_to = 0, n_cc = 0;
    sf_buf body = {0}, subject = {0}, msg = {0};
    char *recipient = NULL, *unsub = NULL;
    sf_err e = sf_email_parse_from(cfg, &from, ctx);
    if (!e)
        e = sf_email_parse_list(&cfg->email_to, "[email] to", &to, &n_to, ctx);
    if (!e)
        e = sf_email_parse_list(&cfg->email_cc, "[email] cc", &cc, &n_cc, ctx);
    if (!e && n_to == 0)
        e = sf_ctx_error(ctx, SF_ERR_USAGE, "[email] to: no recipient for the failure mail");
    if (!e)
        e = sf_email_unsubscribe(cfg, &unsub, ctx);
    if (!e)
        e = failure_text(cfg, lang, exit_code, error, files, out_dir, &subject, &body, ctx);
    if (!e && !(recipient = sf_email_recipient_key(to, n_to)))
        e = sf_ctx_nomem(ctx);
    if (!e) {
        sf_email_message m = {.from = &from, .to = to, .n_to = n_to, .cc = cc, .n_cc = n_cc,
                              .subject = sf_buf_str(&subject), .text = sf_buf_str(&body),
                              .unsubscribe = unsub, .auto_submitted = true};
        sf_email_build(&msg, &m);
        /* the Message-ID as written (a random one: failures are not weekly) */
        char mid[256] = "";
        const char *h = strstr(sf_buf_str(&msg), "\r\nMessage-ID: <");
        if (h)
            snprintf(mid, sizeof mid, "%.*s", (int)strcspn(h + 15, ">"), h + 15);
        sf_mail_log_entry le = {.kind = "failure", .recipient = recipient, .scope = "", .as_of = as_of,
                                .message_id = mid, .digest = "", .status = "sending", .exit_code = -1};
        e = msg.oom ? sf_ctx_nomem(ctx) : send_logged(cfg, &msg, &le, as_of == SF_NODATE ? NULL : log, ctx);
    }
    free(recipient);
    free(unsub);
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
    sf_email_text t = {.cfg = cfg, .lang = lang};
    snprintf(t.lang_file, sizeof t.lang_file, "templates/lang/%s.ini", sf_lang_code(lang));
    char *tmpl = NULL, *path = NULL, *unsub = NULL;
    sf_err e = sf_email_load_body(cfg, lang, &tmpl, &path, ctx);
    t.body_tmpl = tmpl;
    t.body_path = path;
    if (!e)
        e = sf_email_check_templates(&t, ctx);
    if (!e)
        e = sf_email_unsubscribe(cfg, &unsub, ctx);
    /* the failure mail's own texts */
    static const char *const fail_vars[] = {"exit_code", "host", "time", "config", "meaning"};
    static const char *const hint_vars[] = {"output_dir"};
    static const char *const keys[] = {"failure_subject", "failure_body", "failure_hint", "failure_hint_none",
                                       "failure_hint_new", "failure_hint_rejects"};
    for (size_t i = 0; !e && i < SF_ARRAY_LEN(keys); i++) {
        char key[64], where[160];
        snprintf(key, sizeof key, "email.%s", keys[i]);
        snprintf(where, sizeof where, "%s [email] %s", t.lang_file, keys[i]);
        bool hint = i >= 2;
        e = sf_template_check(label_or(lang, key, ""), hint ? hint_vars : fail_vars,
                              hint ? SF_ARRAY_LEN(hint_vars) : SF_ARRAY_LEN(fail_vars), where, false, ctx);
    }
    free(unsub);
    free(tmpl);
    free(path);
    return e;
}
