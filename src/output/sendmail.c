/*
 * sendmail.c - fork/exec of the configured sendmail command with the
 * message on its standard input (sf_sendmail.h).
 */
#include "output/sf_sendmail.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output/sf_buf.h"

bool sf_sendmail_configured(const char *cmd)
{
    if (!cmd)
        return false;
    for (const char *p = cmd; *p; p++)
        if (*p != ' ' && *p != '\t')
            return true;
    return false;
}

/* Write all of p[0..len) to fd; 0 or the errno of the failed write. */
static int write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* The error for the command's wait status (SF_OK when it exited 0 and the
 * message was fully written). */
static sf_err exit_error(const char *cmd, pid_t r, int status, int werr, sf_ctx *ctx)
{
    if (r < 0)
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "sendmail command '%s': cannot wait for it: %s", cmd,
                            strerror(errno));
    if (WIFSIGNALED(status))
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "sendmail command '%s' was killed by signal %d", cmd,
                            WTERMSIG(status));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return sf_ctx_error(ctx, SF_ERR_OUTPUT,
                            "sendmail command '%s' failed with exit status 127 (command not found?)", cmd);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "sendmail command '%s' failed with exit status %d", cmd,
                            WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    if (werr)
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "sendmail command '%s': message not fully written: %s", cmd,
                            strerror(werr));
    return SF_OK;
}

/* Fork argv[0] with the pipe pfd as its standard input, write msg, wait. */
static sf_err spawn(const char *cmd, char **argv, const sf_buf *msg, sf_ctx *ctx)
{
    int pfd[2];
    if (pipe(pfd) != 0)
        return sf_ctx_error(ctx, SF_ERR_OUTPUT, "sendmail command '%s': cannot create pipe: %s", cmd,
                            strerror(errno));
    /* A command that exits without reading everything must not kill us
     * with SIGPIPE: we want its exit status instead. */
    struct sigaction ign = {0}, old;
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old);

    pid_t pid = fork();
    if (pid < 0) {
        sf_err e = sf_ctx_error(ctx, SF_ERR_OUTPUT, "sendmail command '%s': cannot fork: %s", cmd,
                                strerror(errno));
        close(pfd[0]);
        close(pfd[1]);
        sigaction(SIGPIPE, &old, NULL);
        return e;
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
    int werr = write_all(pfd[1], sf_buf_str(msg), msg->n);
    close(pfd[1]);
    int status = 0;
    pid_t r;
    while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
    }
    int wait_errno = errno;
    sigaction(SIGPIPE, &old, NULL);
    errno = wait_errno;
    return exit_error(cmd, r, status, werr, ctx);
}

sf_err sf_sendmail(const char *cmd, const char *msg, size_t len, sf_ctx *ctx)
{
    char *copy = sf_strdup(cmd);
    char **argv = sf_xcalloc(strlen(cmd) / 2 + 2, sizeof *argv);
    sf_buf lf = {0};
    sf_err e = SF_OK;
    if (!copy || !argv) {
        e = sf_ctx_nomem(ctx);
        goto out;
    }
    size_t argc = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
        argv[argc++] = tok;
    if (argc == 0) {
        e = sf_ctx_error(ctx, SF_ERR_USAGE, "[email] sendmail: empty command");
        goto out;
    }
    for (size_t i = 0; i < len; i++) {
        if (msg[i] == '\r' && i + 1 < len && msg[i + 1] == '\n')
            continue;
        sf_buf_putc(&lf, msg[i]);
    }
    if (lf.oom) {
        e = sf_ctx_nomem(ctx);
        goto out;
    }
    e = spawn(cmd, argv, &lf, ctx);
out:
    sf_buf_free(&lf);
    free(argv);
    free(copy);
    return e;
}
