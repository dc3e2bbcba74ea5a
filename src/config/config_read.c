/*
 * config_read.c - one config file read into entries (section, key, value,
 * line) with inih over our own line reader, so every key keeps its line,
 * continuation lines join their key, and an over-long or non-UTF-8 line is
 * an error instead of being split or passed on.
 */
#include "config/sf_config_schema.h"
#include "base/sf_file.h"

#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

void cfg_file_release(cfg_file *cf)
{
    for (size_t i = 0; i < cf->n; i++) {
        free(cf->v[i].section);
        free(cf->v[i].key);
        free(cf->v[i].value);
    }
    free(cf->v);
    free(cf->buf);
    cf->v = NULL;
    cf->buf = NULL;
    cf->n = cf->cap = 0;
}

/* Append an entry; copies the strings. false on allocation failure. */
static bool file_push(cfg_file *cf, const char *section, const char *key,
                      const char *value, int line)
{
    if (cf->n == cf->cap) {
        size_t cap = cf->cap ? cf->cap * 2 : 32;
        cfg_entry *v = realloc(cf->v, cap * sizeof *v);
        if (!v)
            return false;
        cf->v = v;
        cf->cap = cap;
    }
    cfg_entry *e = &cf->v[cf->n];
    memset(e, 0, sizeof *e);
    e->section = sf_strdup(section);
    e->key = key ? sf_strdup(key) : NULL;
    e->value = value ? sf_strdup(value) : NULL;
    e->line = line;
    cf->n++;
    if (!e->section || (key && !e->key) || (value && !e->value))
        return false;
    return true;
}

/* fgets-style reader for inih: one physical line per call, counted, with
 * over-long and non-UTF-8 lines stopping the parse (NULL = end). */
static char *cfg_reader(char *str, int num, void *stream)
{
    cfg_file *cf = stream;
    ssize_t got = getline(&cf->buf, &cf->bufcap, cf->f);
    if (got < 0)
        return NULL;
    cf->lineno++;
    size_t len = (size_t)got;
    while (len > 0 && (cf->buf[len - 1] == '\n' || cf->buf[len - 1] == '\r'))
        len--;
    cf->max_len = num - 2; /* room for the newline and the NUL */
    if (len > (size_t)cf->max_len) {
        cf->too_long = cf->lineno;
        return NULL;
    }
    if (!sf_utf8_valid(cf->buf, len)) {
        cf->bad_utf8 = cf->lineno;
        return NULL;
    }
    cf->indented = len > 0 && cfg_is_blank(cf->buf[0]);
    /* inih reports no section headers (INI_CALL_HANDLER_ON_NEW_SECTION is
     * off), so note them here to check names and lines in file order. */
    const char *s = cf->buf;
    if (cf->lineno == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3;
    if (!cf->indented && *s == '[') {
        const char *end = memchr(s, ']', len - (size_t)(s - cf->buf));
        if (end) {
            char *name = sf_strndup(s + 1, (size_t)(end - s - 1));
            if (!name || !file_push(cf, name, NULL, NULL, cf->lineno)) {
                free(name);
                cf->nomem = true;
                return NULL;
            }
            free(name);
        }
    }
    memcpy(str, cf->buf, len);
    str[len] = '\n';
    str[len + 1] = '\0';
    return str;
}

static int cfg_handler(void *user, const char *section, const char *name, const char *value)
{
    cfg_file *cf = user;
    if (cf->indented && cf->n > 0) {
        cfg_entry *last = &cf->v[cf->n - 1];
        if (last->key && strcmp(last->key, name) == 0 && strcmp(last->section, section) == 0) {
            /* A continuation line of the previous key (inih multiline). */
            size_t a = strlen(last->value), b = strlen(value);
            char *nv = realloc(last->value, a + b + 2);
            if (!nv) {
                cf->nomem = true;
                return 0;
            }
            nv[a] = '\n';
            memcpy(nv + a + 1, value, b + 1);
            last->value = nv;
            if (!last->cont_line)
                last->cont_line = cf->lineno;
            return 1;
        }
    }
    if (!file_push(cf, section, name, value, cf->lineno)) {
        cf->nomem = true;
        return 0;
    }
    return 1;
}

sf_err cfg_file_read(cfg_file *cf, const char *path, sf_ctx *ctx)
                     {
                     memset(cf, 0, sizeof *cf);
    cf->path = path;
    char why[160];
    cf->f = sf_fopen_regular(path, why, sizeof why);
    if (!cf->f)
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: cannot open config file: %s", path, why);
    int rc = ini_parse_stream(cfg_reader, cf, cfg_handler, cf);
    bool read_err = ferror(cf->f);
    fclose(cf->f);
    cf->f = NULL;
    if (cf->nomem || rc == -2)
        return sf_ctx_nomem(ctx);
    if (read_err)
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: cannot read config file", path);
    /* The first problem in file order wins. */
    int syntax = rc > 0 ? rc : 0;
    if (cf->too_long && (!syntax || cf->too_long < syntax))
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s:%d: line too long (more than %d bytes)",
                            path, cf->too_long, cf->max_len);
    if (cf->bad_utf8 && (!syntax || cf->bad_utf8 < syntax))
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s:%d: line is not valid UTF-8", path, cf->bad_utf8);
    if (syntax)
        return sf_ctx_error(ctx, SF_ERR_USAGE,
                            "%s:%d: syntax error: expected '[section]', 'key = value' or a comment",
                            path, syntax);
    if (rc < 0)
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: cannot read config file", path);
    return SF_OK;
}
