/*
 * sf_sendmail.h - handing a message to a sendmail-compatible command
 * ([email] sendmail: "/usr/sbin/sendmail -t", "msmtp -t", ...).
 */
#ifndef SF_SENDMAIL_H
#define SF_SENDMAIL_H

#include "base/sf_common.h"

/* Is there a command at all (not NULL, not only blanks)? */
bool sf_sendmail_configured(const char *cmd);

/* How the command ended: its exit status (-1 when it did not exit by
 * itself: killed, not started), and whether [email] timeout killed it. */
typedef struct {
    int exit_code;
    bool timed_out;
} sf_sendmail_result;

/*
 * Run cmd (split on blanks, execvp, no shell) with msg[0..len) on its
 * standard input, CRLF turned into LF as the sendmail interface expects;
 * the command's standard output goes to our standard error. SF_ERR_OUTPUT
 * naming the command and its exit status when it cannot run, is killed or
 * does not exit 0; SF_ERR_USAGE for an empty command. A command that has
 * not finished within timeout seconds (<= 0: 60) is killed with its
 * process group: SF_ERR_OUTPUT saying so. res (NULL: not wanted) says how
 * the command ended.
 */
sf_err sf_sendmail(const char *cmd, int timeout, const char *msg, size_t len, sf_sendmail_result *res,
                   sf_ctx *ctx);

#endif
