/*
 * limit.c - a run under a time limit (cli/sf_limit.h): the child does the
 * work, the parent keeps the clock.
 *
 * Why a child process and not a timer in the run: the run may be stuck
 * anywhere (a slow disk, a huge workbook, a library call), and only a
 * kill stops it from outside; a killed process also releases nothing
 * half-done that the next run could trip on, because the commit of the
 * output folder and the lock are built for a kill -9 at any point.
 */
#define _GNU_SOURCE /* pipe2 */
#include "cli/sf_limit.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void sf_limit_placed(int fd)
{
    if (fd >= 0 && write(fd, "S", 1) != 1) {
        /* the parent reads nothing: it will say the folder was unchanged
         * when it has to kill us later, which cannot then be true; there
         * is nothing better to do */
    }
}

/* The parent's wait: the child's status, or a kill at the deadline. */
static void wait_child(pid_t pid, double deadline, sf_limit_result *res)
{
    int status = 0;
    for (long nap = 1000000;; nap = nap < 100000000 ? nap * 2 : nap) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            status = 0;
            break;
        }
        double left = deadline - sf_now_s();
        if (left <= 0) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            res->timed_out = true;
            return;
        }
        if (left * 1e9 < (double)nap)
            nap = (long)(left * 1e9) + 1;
        struct timespec ts = {nap / 1000000000L, nap % 1000000000L};
        nanosleep(&ts, NULL);
    }
    if (WIFSIGNALED(status))
        res->signal = WTERMSIG(status);
    else
        res->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int sf_limit_fork(double deadline, int *report_fd, sf_limit_result *res)
{
    *res = (sf_limit_result){0};
    *report_fd = -1;
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0)
        return 1;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(pfd[0]);
        close(pfd[1]);
        errno = e;
        return 1;
    }
    if (pid == 0) {
        close(pfd[0]);
        /* a supervisor that is killed takes the run with it */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(1);
        *report_fd = pfd[1];
        return -1;
    }
    close(pfd[1]);
    wait_child(pid, deadline, res);
    char c;
    fcntl(pfd[0], F_SETFL, O_NONBLOCK);
    res->placed = read(pfd[0], &c, 1) == 1 && c == 'S';
    close(pfd[0]);
    return 0;
}
