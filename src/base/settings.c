/*
 * settings.c - the run settings from the environment (base/sf_settings.h),
 * and where the shared files (config/crm, templates/) are.
 */
#include "base/sf_settings.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SF_SHAREDIR
#define SF_SHAREDIR "/usr/local/share/salesfocus"
#endif

static bool has_presets(const char *dir)
{
    char p[PATH_MAX];
    struct stat st;
    if (snprintf(p, sizeof p, "%s/config/crm", dir) >= (int)sizeof p)
        return false;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder next to the binary when it runs from the source tree (the
 * repository root or a build folder under it), else PREFIX/share/salesfocus
 * of the PREFIX it is installed under, else the one it was built for.
 * dir has room for PATH_MAX bytes. */
static const char *share_beside_binary(char *dir)
{
    ssize_t n = readlink("/proc/self/exe", dir, PATH_MAX - 1);
    if (n <= 0)
        return SF_SHAREDIR;
    dir[n] = '\0';
    for (int up = 0; up < 2; up++) {
        char *s = strrchr(dir, '/');
        if (!s)
            break;
        *s = '\0';
        if (*dir && has_presets(dir))
            return dir;
    }
    n = readlink("/proc/self/exe", dir, PATH_MAX - 1);
    if (n > 0) {
        dir[n] = '\0';
        char *s = strrchr(dir, '/');
        if (s && (size_t)(s - dir) + 32 < PATH_MAX) {
            strcpy(s, "/../share/salesfocus");
            if (has_presets(dir))
                return dir;
        }
    }
    return SF_SHAREDIR;
}

void sf_settings_default(sf_settings *s)
{
    memset(s, 0, sizeof *s);
    s->split_min = (int64_t)1 << 20;
    _Static_assert(sizeof s->share_buf >= PATH_MAX, "share_buf holds a path");
    s->share_dir = share_beside_binary(s->share_buf);
}

static bool env_on(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

void sf_settings_from_env(sf_settings *s)
{
    sf_settings_default(s);
    const char *t = getenv("SF_THREADS");
    s->single_thread = t && strcmp(t, "1") == 0;
    s->timings = env_on("SF_TIMINGS");
    const char *m = getenv("SF_SPLIT_MIN");
    if (m && *m) {
        long long v = strtoll(m, NULL, 10);
        s->split_min = v < 1 ? 1 : v;
    }
    const char *cells = getenv("SF_DEBUG_CELLS");
    s->debug_cells = cells && *cells ? cells : NULL;
    const char *share = getenv("SALESFOCUS_SHARE");
    if (share && *share)
        s->share_dir = share;
}
