/*
 * sendmail.c - fork/exec of the configured sendmail command with the
 * message on its standard input (sf_sendmail.h), within [email] timeout.
 *
 * A command that hangs (a mail server that never answers) must not hold
 * the run, and its lock, forever: the message is written without
 * blocking and the command is waited for until the deadline, then killed
 * with its whole process group (it runs in a group of its own; it also
 * dies with us, PR_SET_PDEATHSIG, should we be killed first).
 */
#include "output/sf_sendmail.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
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

/* Milliseconds left until deadline (monotonic seconds), at least 0. */
static int ms_left(double deadline)
{
    double left = deadline - sf_now_s();
    return left <= 0 ? 0 : left > 1e6 ? 1000000000 : (int)(left * 1000) + 1;
}

/* Write all of p[0..len) to the non-blocking fd before the deadline; 0,
 * ETIMEDOUT, or the errno of the failed write (EPIPE: the command stopped
 * reading). */
static int write_all(int fd, const char *p, size_t len, double deadline)
{
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN) {
            struct pollfd pf = {.fd = fd, .events = POLLOUT};
            int left = ms_left(deadline);
            if (left == 0)
                return ETIMEDOUT;
            if (poll(&pf, 1, left) < 0 && errno != EINTR)
                return errno;
            continue;
        }
        if (w < 0)
            return errno;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Wait for pid until the deadline; then kill its process group and reap
 * it. Returns waitpid's result; *timed_out tells which. */
static pid_t wait_until(pid_t pid, int *status, double deadline, bool *timed_out)
{
    *timed_out = false;
    for (long nap = 1000000;; nap = nap < 50000000 ? nap * 2 : nap) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r != 0 && !(r < 0 && errno == EINTR))
            return r;
        if (ms_left(deadline) == 0)
            break;
        struct timespec ts = {0, nap};
        nanosleep(&ts, NULL);
    }
    *timed_out = true;
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    pid_t r;
    while ((r = waitpid(pid, status, 0)) < 0 && errno == EINTR) {
    }
    return r;
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

/* Fork argv[0] with a pipe as its standard input, write msg, wait; all
 * within timeout seconds. */
static sf_err spawn(const char *cmd, char **argv, const sf_buf *msg, int timeout, sf_sendmail_result *res,
                    sf_ctx *ctx)
{
    double deadline = sf_now_s() + (timeout > 0 ? timeout : 60);
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
    pid_t parent = getpid();

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
        /* child: a process group of its own (killed as a whole on
         * timeout), dies with us; stdin from the pipe; its stdout to our
         * stderr so that our own stdout stays clean. Only
         * async-signal-safe calls here. */
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        signal(SIGPIPE, SIG_DFL);
        dup2(pfd[0], STDIN_FILENO);
        dup2(STDERR_FILENO, STDOUT_FILENO);
        close(pfd[0]);
        close(pfd[1]);
        execvp(argv[0], argv);
        _exit(127);
    }
    setpgid(pid, pid); /* also from here: no race with the kill */
    close(pfd[0]);
    fcntl(pfd[1], F_SETFL, fcntl(pfd[1], F_GETFL) | O_NONBLOCK);
    int werr = write_all(pfd[1], sf_buf_str(msg), msg->n, deadline);
    close(pfd[1]);
    int status = 0;
    bool timed_out = werr == ETIMEDOUT;
    pid_t r;
    if (timed_out) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
        }
    } else {
        r = wait_until(pid, &status, deadline, &timed_out);
    }
    int wait_errno = errno;
    sigaction(SIGPIPE, &old, NULL);
    res->timed_out = timed_out;
    res->exit_code = !timed_out && r == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (timed_out)
        return sf_ctx_error(ctx, SF_ERR_OUTPUT,
                            "sendmail command '%s' did not finish within %d s ([email] timeout): killed", cmd,
                            timeout > 0 ? timeout : 60);
    errno = wait_errno;
    return exit_error(cmd, r, status, werr, ctx);
}

sf_err sf_sendmail(const char *cmd, int timeout, const char *msg, size_t len, sf_sendmail_result *res,
                   sf_ctx *ctx)
{
    sf_sendmail_result ignored;
    if (!res)
        res = &ignored;
    *res = (sf_sendmail_result){.exit_code = -1};
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
    e = spawn(cmd, argv, &lf, timeout, res, ctx);
out:
    sf_buf_free(&lf);
    free(argv);
    free(copy);
    return e;
}
