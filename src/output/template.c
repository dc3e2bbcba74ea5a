/*
 * template.c - {placeholder} rendering of the mail's templates
 * (sf_template.h).
 */
#include "output/sf_template.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void sf_tvars_set(sf_tvars *t, const char *name, const char *value)
{
    char *copy = sf_strdup(value ? value : "");
    if (!copy) {
        t->oom = true;
        return;
    }
    for (int i = 0; i < t->n; i++) {
        if (strcmp(t->v[i].name, name) == 0) {
            free(t->v[i].value);
            t->v[i].value = copy;
            t->v[i].omit = false;
            return;
        }
    }
    if (t->n == SF_TVARS_MAX) {
        free(copy);
        t->oom = true;
        return;
    }
    t->v[t->n].name = name;
    t->v[t->n].value = copy;
    t->v[t->n].omit = false;
    t->n++;
}

void sf_tvars_omit(sf_tvars *t, const char *name)
{
    sf_tvars_set(t, name, "");
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->v[i].name, name) == 0)
            t->v[i].omit = true;
}

/* Is name[0..len) a placeholder whose line is left out? */
static bool tvars_omitted(const sf_tvars *t, const char *name, size_t len)
{
    for (int i = 0; i < t->n; i++)
        if (strlen(t->v[i].name) == len && memcmp(t->v[i].name, name, len) == 0)
            return t->v[i].omit;
    return false;
}

void sf_tvars_set_flat(sf_tvars *t, const char *name, const char *value)
{
    sf_tvars_set(t, name, value);
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->v[i].name, name) == 0)
            for (char *p = t->v[i].value; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                    *p = ' ';
}

const char *sf_tvars_get(const sf_tvars *t, const char *name, size_t len)
{
    for (int i = 0; i < t->n; i++)
        if (strlen(t->v[i].name) == len && memcmp(t->v[i].name, name, len) == 0)
            return t->v[i].value;
    return NULL;
}

void sf_tvars_free(sf_tvars *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->n; i++)
        free(t->v[i].value);
    t->n = 0;
    t->oom = false;
}

sf_err sf_template_check(const char *tmpl, const char *const *names, size_t n, const char *where, bool with_line,
                         sf_ctx *ctx)
{
    sf_tvars t = {0};
    for (size_t i = 0; i < n; i++)
        sf_tvars_set(&t, names[i], "");
    sf_buf scratch = {0};
    sf_err e = t.oom ? sf_ctx_nomem(ctx) : sf_template_render(tmpl, &t, where, with_line, &scratch, ctx);
    sf_buf_free(&scratch);
    sf_tvars_free(&t);
    return e;
}

sf_err sf_template_render(const char *tmpl, const sf_tvars *t, const char *where, bool with_line, sf_buf *out,
                          sf_ctx *ctx)
{
    int line = 1;
    const char *p = tmpl;
    size_t line_start = out->n; /* where the current line began in out */
    while (*p) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            sf_buf_putc(out, p[0]);
            p += 2;
            continue;
        }
        if (*p == '{') {
            const char *q = p + 1;
            while (isalnum((unsigned char)*q) || *q == '_')
                q++;
            if (*q == '}' && q > p + 1) {
                size_t len = (size_t)(q - p - 1);
                const char *val = sf_tvars_get(t, p + 1, len);
                if (!val) {
                    if (with_line)
                        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s:%d: unknown placeholder '{%.*s}'", where,
                                            line, (int)len, p + 1);
                    return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: unknown placeholder '{%.*s}'", where, (int)len,
                                        p + 1);
                }
                if (tvars_omitted(t, p + 1, len)) { /* drop the whole line */
                    out->n = line_start;
                    if (out->p)
                        out->p[out->n] = '\0';
                    const char *nl = strchr(q, '\n');
                    p = nl ? nl + 1 : q + strlen(q);
                    line += nl != NULL;
                    continue;
                }
                sf_buf_puts(out, val);
                p = q + 1;
                continue;
            }
        }
        sf_buf_putc(out, *p);
        if (*p == '\n') {
            line++;
            line_start = out->n;
        }
        p++;
    }
    return out->oom ? sf_ctx_nomem(ctx) : SF_OK;
}

bool sf_template_uses(const char *tmpl, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = tmpl; p && *p; p++) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            p++; /* a literal brace: "{{attached}}" is text */
            continue;
        }
        if (*p == '{' && strncmp(p + 1, name, n) == 0 && p[1 + n] == '}')
            return true;
    }
    return false;
}
