/*
 * log.c - stderr messages for a person at a terminal or for a cron log.
 * At a terminal, progress redraws one line with a percentage; otherwise
 * each line is timestamped and progress only notes the start of a stage.
 */
#include "base/sf_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static bool g_quiet;
static bool g_tty;
static bool g_progress_open; /* a progress line is on screen */
static char g_stage[256];

void sf_log_init(bool quiet)
{
    g_quiet = quiet;
    g_tty = isatty(STDERR_FILENO) == 1;
}

static void end_progress_line(void)
{
    if (g_progress_open) {
        fputc('\n', stderr);
        g_progress_open = false;
    }
}

static void stamp(void)
{
    if (g_tty)
        return;
    time_t now = time(NULL);
    struct tm tm;
    char buf[32];
    if (localtime_r(&now, &tm) && strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm))
        fprintf(stderr, "%s ", buf);
}

void sf_log(sf_log_level level, const char *fmt, ...)
{
    if (g_quiet && level != SF_LOG_ERROR && level != SF_LOG_NOTICE)
        return;
    end_progress_line();
    stamp();
    fputs(level == SF_LOG_ERROR    ? "salesfocus: error: "
          : level == SF_LOG_WARN   ? "salesfocus: warning: "
          : level == SF_LOG_NOTICE ? "salesfocus: notice: "
                                   : "salesfocus: ",
          stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void sf_log_progress(void *user, const char *stage, double done)
{
    (void)user;
    if (g_quiet)
        return;
    bool new_stage = strcmp(stage, g_stage) != 0;
    if (new_stage)
        snprintf(g_stage, sizeof g_stage, "%s", stage);
    if (g_tty) {
        int pct = (int)(done * 100.0 + 0.5);
        fprintf(stderr, "\r%s: %3d%%", stage, pct < 0 ? 0 : pct > 100 ? 100 : pct);
        g_progress_open = true;
        if (done >= 1.0)
            end_progress_line();
        fflush(stderr);
    } else if (new_stage) {
        stamp();
        fprintf(stderr, "salesfocus: %s\n", stage);
    }
}
