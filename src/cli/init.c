/*
 * init.c - `salesfocus init [-o CONFIG] [--force] FILE...`: a starter
 * configuration guessed from the user's export files (the guessing is
 * src/input/guess*.c; docs/init.md).
 *
 * The configuration is written to a temporary file beside CONFIG, loaded
 * back as a run would load it (a guess that does not load is a bug, never
 * a file left for the user), then put in place: with link(), which fails
 * when CONFIG appeared meanwhile, or with --force by rename(). An existing
 * CONFIG is never overwritten without --force. Files it cannot use are
 * named with why on standard error; the run goes on with the others.
 */
#include "cli/sf_run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/sf_log.h"
#include "base/sf_settings.h"
#include "config/sf_config.h"
#include "input/sf_guess.h"

/* The folder of path ("." when it names none), into out. */
static void dir_of(const char *path, char *out, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(out, cap, ".");
    else if (slash == path)
        snprintf(out, cap, "/");
    else
        snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

/* What init found, on standard output. */
static void print_summary(const sf_guess *g, const char *path)
{
    const sf_preset_score *ch = &g->presets.v[g->presets.chosen];
    for (size_t i = 0; i < g->n; i++)
        if (g->files[i].usable)
            printf("%s: %s%s\n", g->files[i].path, sf_file_kind_name(g->files[i].kind),
                   g->files[i].xlsx ? " (XLSX)" : "");
    if (g->tx_from_won)
        printf("transactions: the won opportunities (@won)\n");
    char line[256];
    sf_preset_score_text(ch, line, sizeof line);
    printf("preset: %s\n", *ch->name ? line : "none (no CRM's headers found)");
    printf("formats: encoding %s, delimiter %s, date_format %s, decimal %c, currency %s, language %s\n",
           g->encoding, g->delimiter ? (g->delimiter == '\t' ? "tab" : (char[2]){g->delimiter, 0}) : "auto",
           g->date_format ? g->date_format : g->preset.date_format, g->num_found ? g->num.decimal : g->preset.decimal,
           g->currency, g->language);
    for (size_t i = 0; i < g->notes.n; i++)
        printf("to do: %s\n", g->notes.v[i]);
    printf("wrote %s; next: salesfocus check -c %s\n", path, path);
}

/* Write the guess to a temporary file beside path, check that it loads,
 * put it in place. Returns an exit code (messages printed). */
static int write_config(const sf_guess *g, const char *path, bool force, const sf_settings *set)
{
    char dir[4096], tmp[4200];
    dir_of(path, dir, sizeof dir);
    snprintf(tmp, sizeof tmp, "%s.init-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        sf_log(SF_LOG_ERROR, "%s: cannot write: %s", path, strerror(errno));
        return SF_ERR_OUTPUT;
    }
    FILE *out = fdopen(fd, "w");
    if (!out) {
        close(fd);
        unlink(tmp);
        sf_log(SF_LOG_ERROR, "%s: cannot write: %s", path, strerror(errno));
        return SF_ERR_OUTPUT;
    }
    fchmod(fd, 0644);
    sf_err e = sf_guess_write(g, dir, sf_date_today(), out);
    if (fclose(out) != 0 || e != SF_OK) {
        unlink(tmp);
        sf_log(SF_LOG_ERROR, "%s: cannot write: %s", path, strerror(errno));
        return SF_ERR_OUTPUT;
    }
    /* what was written must load as a run loads it */
    sf_config cfg;
    sf_ctx ctx = {0};
    int rc = 0;
    if (sf_config_init(&cfg) != SF_OK || sf_config_load(&cfg, tmp, set->share_dir, &ctx) != SF_OK) {
        sf_log(SF_LOG_ERROR, "internal error: the configuration init wrote does not load: %s", ctx.msg);
        rc = 1;
    }
    sf_config_release(&cfg);
    if (rc == 0 && (force ? rename(tmp, path) : link(tmp, path)) != 0) {
        if (errno == EEXIST)
            sf_log(SF_LOG_ERROR, "%s exists; init never overwrites a configuration without --force", path);
        else
            sf_log(SF_LOG_ERROR, "%s: cannot write: %s", path, strerror(errno));
        rc = errno == EEXIST ? SF_ERR_USAGE : SF_ERR_OUTPUT;
    }
    unlink(tmp); /* after link(); gone already after rename() */
    return rc;
}

int sf_cmd_init(const sf_run_opts *o)
{
    const char *path = o->out ? o->out : "salesfocus.ini";
    struct stat st;
    if (!o->force && stat(path, &st) == 0) {
        sf_log(SF_LOG_ERROR, "%s exists; init never overwrites a configuration without --force", path);
        return SF_ERR_USAGE;
    }
    sf_settings set;
    sf_settings_from_env(&set);
    sf_guess g;
    sf_ctx ctx = {0};
    sf_err e = sf_guess_files(set.share_dir, (const char *const *)o->files, (size_t)o->n_files, &g, &ctx);
    for (size_t i = 0; e != SF_ERR_NOMEM && i < g.n; i++)
        if (!g.files[i].usable && e == SF_OK)
            sf_log(SF_LOG_WARN, "%s: not used: %s", g.files[i].path, g.files[i].why);
    int rc = e != SF_OK ? (sf_log(SF_LOG_ERROR, "%s", ctx.msg), (int)e) : write_config(&g, path, o->force, &set);
    if (rc == 0 && !o->quiet)
        print_summary(&g, path);
    sf_guess_release(&g);
    return rc;
}
