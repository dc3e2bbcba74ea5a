/*
 * mail_log.c - the send log as the run's mails use it (sf_history_cmd.h):
 * the callbacks of sf_mail_log (sf_mail_memory.h) over the history store.
 * The store is opened when the first mail is logged, after the run's own
 * store was committed (the mails go out once the folder is in place), and
 * only when it is there: a failure mail of a run that never stored one
 * is not logged (docs/history.md, "The send log").
 */
#include "cli/sf_history_cmd.h"

static sf_err mail_log_open(sf_cli_mail_log *l, sf_ctx *ctx)
{
    if (l->opened)
        return SF_OK;
    l->opened = true;
    return sf_history_open(l->hc->path, l->hc->config_abs, SF_HIST_UPDATE, &l->h, ctx);
}

static sf_err mail_log_begin(void *arg, const sf_mail_log_entry *e, int64_t *row, sf_ctx *ctx)
{
    sf_cli_mail_log *l = arg;
    *row = 0;
    sf_err rc = mail_log_open(l, ctx);
    if (rc || !l->h)
        return rc;
    return sf_history_mail_begin(l->h, e, row, ctx);
}

static sf_err mail_log_end(void *arg, int64_t row, const char *status, int exit_code, sf_ctx *ctx)
{
    sf_cli_mail_log *l = arg;
    if (!l->h || row == 0)
        return SF_OK;
    return sf_history_mail_end(l->h, row, status, exit_code, ctx);
}

sf_mail_log sf_cli_mail_log_of(sf_cli_mail_log *l, const sf_cli_history *hc)
{
    l->hc = hc;
    return (sf_mail_log){.begin = mail_log_begin, .end = mail_log_end, .arg = l};
}

void sf_cli_mail_log_close(sf_cli_mail_log *l)
{
    if (!l)
        return;
    sf_history_close(l->h);
    l->h = NULL;
    l->opened = false;
}
