/*
 * preset_auto.c - reading a file's header row whatever its format, and
 * `[input] preset = auto` (include/input/sf_autoconf.h): each preset is
 * loaded on its own and counted against the headers of the configured
 * files; the one that finds the most (with every required field) wins.
 *
 * Choices (docs/crm-presets.md, "auto"): a field the user's file maps
 * itself counts the same for every candidate; a field a preset leaves to
 * its default looks for the canonical name; a field mapped to several
 * columns ("A | B") is found when one of them is; headers compare up to
 * case, surrounding blanks and a trailing '*'. No preset is chosen when none
 * finds a single header: the canonical names are then the candidate.
 */
#include "input/sf_autoconf.h"
#include "input/sf_recsrc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sf_err sf_read_headers(const char *path, const char *sheet, const char *sheet_key, char delimiter,
                       sf_strlist *headers, const char **encoding, char *delim, sf_ctx *ctx)
{
    const char *enc = sf_file_format_of(path) == SF_FMT_TEXT ? sf_sniff_file_encoding(path) : "UTF-8";
    if (!enc)
        enc = "UTF-8"; /* unreadable: the open below says why */
    sf_recsrc s;
    sf_xlsx_opts xo = {.sheet = sheet, .sheet_key = sheet_key};
    sf_err e = sf_recsrc_init(&s, enc, "encoding", delimiter, &xo, ctx);
    if (e)
        return e;
    int64_t blank = 0;
    if ((e = sf_recsrc_open(&s, path, NULL, NULL)) == SF_OK && (e = sf_recsrc_header(&s, &blank)) == SF_OK &&
        s.rec->bad_encoding)
        e = sf_ctx_error(ctx, SF_ERR_INPUT, "%s: the header row does not decode as %s", path, enc);
    for (size_t i = 0; e == SF_OK && i < s.nf; i++) {
        const char *h = sf_recsrc_field(&s, i);
        while (strncmp(h, "\xEF\xBB\xBF", 3) == 0)
            h += 3;
        e = sf_strlist_push(headers, h) == SF_OK ? SF_OK : sf_ctx_nomem(ctx);
    }
    if (encoding)
        *encoding = sf_recsrc_is_xlsx(&s) ? "UTF-8" : enc;
    if (delim)
        *delim = sf_recsrc_is_xlsx(&s) ? 0 : s.csv.delim;
    sf_recsrc_release(&s);
    return e;
}

/* Does h have the header `want`, or one of its alternatives ("A | B")? */
static bool has_header(const sf_strlist *h, const char *want)
{
    char buf[1024];
    const char *alt[8];
    int n = sf_alternatives(want, buf, sizeof buf, alt, 8);
    for (size_t i = 0; i < h->n; i++) {
        if (sf_header_eq(h->v[i], want))
            return true;
        for (int a = 0; a < n; a++)
            if (sf_header_eq(h->v[i], alt[a]))
                return true;
    }
    return false;
}

/* Count one candidate's mapping of kind k against headers h. */
static void score_file(const sf_config *cand, const sf_config *user, sf_file_kind k, const sf_strlist *h,
                       sf_preset_score *s)
{
    for (int f = 0; f < sf_field_count(k); f++) {
        const sf_colmap *cm = &user->columns[k][f];
        if (cm->kind == SF_MAP_DEFAULT && cand)
            cm = &cand->columns[k][f];
        if (cm->kind == SF_MAP_NONE)
            continue;
        const char *want = cm->kind == SF_MAP_HEADER ? cm->header : sf_field_name(k, f);
        s->mapped++;
        if (has_header(h, want))
            s->found++;
        else if (sf_field_required(k, f))
            s->req_missing++;
    }
}

/* Is a better than b? */
static bool better(const sf_preset_score *a, const sf_preset_score *b)
{
    if (a->req_missing != b->req_missing)
        return a->req_missing < b->req_missing;
    if (a->found != b->found)
        return a->found > b->found;
    /* the larger share found: a->found / a->mapped > b->found / b->mapped */
    return (int64_t)a->found * b->mapped > (int64_t)b->found * a->mapped;
}

void sf_preset_choice_release(sf_preset_choice *c)
{
    if (!c)
        return;
    free(c->v);
    memset(c, 0, sizeof *c);
}

/* Score candidate `name` ("" for none) into s. */
static sf_err score_candidate(const sf_config *cfg, const char *name, sf_strlist *heads, sf_preset_score *s,
                              sf_ctx *ctx)
{
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    sf_config cand;
    sf_err e = SF_OK;
    bool loaded = false;
    if (*name) {
        if ((e = sf_config_init(&cand)) != SF_OK)
            return sf_ctx_nomem(ctx);
        loaded = true;
        e = sf_config_load_preset_only(&cand, cfg->share_dir, name, ctx);
    }
    for (int k = 0; e == SF_OK && k < SF_FILE_N; k++)
        if (cfg->file[k])
            score_file(loaded ? &cand : NULL, cfg, (sf_file_kind)k, &heads[k], s);
    if (loaded)
        sf_config_release(&cand);
    return e;
}

sf_err sf_preset_choose(const sf_config *cfg, sf_preset_choice *out, sf_ctx *ctx)
{
    memset(out, 0, sizeof *out);
    sf_strlist heads[SF_FILE_N], names = {0};
    memset(heads, 0, sizeof heads);
    sf_err e = SF_OK;
    for (int k = 0; e == SF_OK && k < SF_FILE_N; k++)
        if (cfg->file[k]) {
            const char *key, *sheet = sf_config_sheet(cfg, (sf_file_kind)k, &key);
            e = sf_read_headers(cfg->file[k], sheet, key, cfg->delimiter, &heads[k], NULL, NULL, ctx);
        }
    if (e == SF_OK && sf_config_preset_names(cfg->share_dir, &names) != SF_OK)
        e = sf_ctx_nomem(ctx);
    if (e == SF_OK && !(out->v = calloc(names.n + 1, sizeof *out->v)))
        e = sf_ctx_nomem(ctx);
    for (size_t i = 0; e == SF_OK && i <= names.n; i++) {
        e = score_candidate(cfg, i < names.n ? names.v[i] : "", heads, &out->v[i], ctx);
        out->n = i + 1;
    }
    if (e == SF_OK) {
        /* the canonical names (last) unless a preset finds a header */
        out->chosen = out->n - 1;
        for (size_t i = 0; i + 1 < out->n; i++)
            if (out->v[i].found > 0 && better(&out->v[i], &out->v[out->chosen]))
                out->chosen = i;
    }
    for (int k = 0; k < SF_FILE_N; k++)
        sf_strlist_clear(&heads[k]);
    sf_strlist_clear(&names);
    if (e)
        sf_preset_choice_release(out);
    return e;
}

void sf_preset_score_text(const sf_preset_score *s, char *out, size_t cap)
{
    int w = snprintf(out, cap, "%s: %d of %d headers found", *s->name ? s->name : "no preset (canonical names)",
                     s->found, s->mapped);
    if (w > 0 && (size_t)w < cap && s->req_missing)
        snprintf(out + w, cap - (size_t)w, ", %d required missing", s->req_missing);
}
