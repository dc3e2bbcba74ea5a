/*
 * config.c - the run configuration (SPEC §6): defaults, loading and
 * release. A file is read into entries (config_read.c); a preset named in
 * [input] preset is applied first, then the user's entries, each checked
 * against the schema (sf_config_keys.def) and set by its type's setter
 * (config_set.c); last come the checks that need the whole configuration.
 */
#include "config/sf_config_schema.h"
#include "base/sf_file.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Unknown names: "did you mean"                                        */
/* ------------------------------------------------------------------ */

/* Edit distance with adjacent transpositions (optimal string alignment);
 * names longer than 64 bytes are never close to a known key. */
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 99;
    int d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

/* Tracks the closest candidate for a "did you mean" hint. */
typedef struct {
    const char *best;
    int dist;
} suggest;

static void suggest_try(suggest *s, const char *typed, const char *cand)
{
    int d = edit_distance(typed, cand);
    if (d <= 2 && d < (int)strlen(cand) && (!s->best || d < s->dist)) {
        s->best = cand;
        s->dist = d;
    }
}

/* ------------------------------------------------------------------ */
/* Applying entries                                                    */
/* ------------------------------------------------------------------ */

/* First control character in s, or 0; tab is fine and LF only joins
 * continuation lines (a file line cannot hold one). A CR inside a value
 * could split a mail header later on, so none is accepted. */
static int control_char(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f)
            return *p;
    return 0;
}

/* The file kind of "[columns.KIND.NAME]" (a file's own mappings), with
 * *name at NAME; -1 when s is not such a section. */
static int file_columns_kind(const char *s, const char **name)
{
    if (strncmp(s, "columns.", 8) != 0)
        return -1;
    for (int f = 0; f < SF_FILE_N; f++) {
        const char *k = sf_file_kind_name((sf_file_kind)f);
        size_t l = strlen(k);
        if (strncmp(s + 8, k, l) == 0 && s[8 + l] == '.' && s[9 + l]) {
            *name = s + 9 + l;
            return f;
        }
    }
    return -1;
}

static bool known_section(const char *s)
{
    const char *name;
    if (file_columns_kind(s, &name) >= 0)
        return true;
    for (size_t i = 0; i < CFG_N_KEYS; i++)
        if (strcmp(cfg_keys[i].section, s) == 0)
            return true;
    for (size_t i = 0; i < CFG_N_EXTRA_SECTIONS; i++)
        if (strcmp(cfg_extra_sections[i], s) == 0)
            return true;
    return false;
}

static sf_err section_error(cfg_loader *ld, const cfg_entry *e)
{
    suggest sg = {0};
    char list[1024];
    size_t o = 0;
    list[0] = '\0';
    const char *prev = "";
    for (size_t i = 0; i <= CFG_N_KEYS + CFG_N_EXTRA_SECTIONS; i++) {
        const char *s = i < CFG_N_KEYS ? cfg_keys[i].section
                        : i - CFG_N_KEYS < CFG_N_EXTRA_SECTIONS ? cfg_extra_sections[i - CFG_N_KEYS] : NULL;
        if (!s || strcmp(s, prev) == 0)
            continue;
        prev = s;
        suggest_try(&sg, e->section, s);
        int w = snprintf(list + o, sizeof list - o, "%s%s", o ? ", " : "", s);
        if (w > 0 && (size_t)w < sizeof list - o)
            o += (size_t)w;
    }
    char sec[128];
    cfg_printable(e->section, sec, sizeof sec);
    if (sg.best)
        return sf_ctx_error(ld->ctx, SF_ERR_USAGE, "%s:%d: [%s]: unknown section (did you mean '%s'?)",
                            ld->path, e->line, sec, sg.best);
    return sf_ctx_error(ld->ctx, SF_ERR_USAGE, "%s:%d: [%s]: unknown section (known sections: %s)",
                        ld->path, e->line, sec, list);
}

static sf_err unknown_key(cfg_loader *ld, const cfg_entry *e, const char *const *names, size_t n)
{
    suggest sg = {0};
    char list[1024];
    size_t o = 0;
    list[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        suggest_try(&sg, e->key, names[i]);
        int w = snprintf(list + o, sizeof list - o, "%s%s", o ? ", " : "", names[i]);
        if (w > 0 && (size_t)w < sizeof list - o)
            o += (size_t)w;
    }
    if (sg.best)
        return cfg_key_error(ld, e, 0, "unknown key (did you mean '%s'?)", sg.best);
    return cfg_key_error(ld, e, 0, "unknown key (known keys: %s)", list);
}

/* A header list "A | B" (the first non-empty of several columns) must
 * not hold an empty alternative. */
static bool header_alternatives_ok(const char *v)
{
    if (!strchr(v, '|'))
        return true;
    for (const char *p = v;;) {
        size_t l = strcspn(p, "|");
        size_t a = 0;
        while (a < l && cfg_is_blank(p[a]))
            a++;
        if (a == l)
            return false;
        if (!p[l])
            return true;
        p += l + 1;
    }
}

/* [columns.KIND] FIELD = header, or with name set [columns.KIND.NAME]
 * (kept until the input files are known: check_config). */
static sf_err apply_columns(cfg_loader *ld, const cfg_entry *e, sf_file_kind f, const char *name)
{
    int n = sf_field_count(f);
    int idx = -1;
    const char *names[SF_FIELD_MAX];
    for (int i = 0; i < n; i++) {
        names[i] = sf_field_name(f, i);
        if (strcmp(names[i], e->key) == 0)
            idx = i;
    }
    if (idx < 0)
        return unknown_key(ld, e, names, (size_t)n);
    if (e->cont_line)
        return cfg_key_error(ld, e, e->cont_line, CFG_NOT_A_LIST);
    if (!*e->value && sf_field_required(f, idx))
        return cfg_key_error(ld, e, 0, "a required field cannot be left unmapped");
    if (!header_alternatives_ok(e->value))
        return cfg_key_error(ld, e, 0, "'%s' has an empty alternative: write headers as 'A | B'", e->value);
    char *h = NULL;
    if (*e->value && !(h = sf_strdup(e->value)))
        return sf_ctx_nomem(ld->ctx);
    if (name) {
        struct cfg_file_col *v = realloc(ld->file_cols, (ld->n_file_cols + 1) * sizeof *v);
        char *nm = sf_strdup(name);
        if (!v || !nm) {
            free(h);
            free(nm);
            if (v)
                ld->file_cols = v;
            return sf_ctx_nomem(ld->ctx);
        }
        ld->file_cols = v;
        v[ld->n_file_cols++] = (struct cfg_file_col){.kind = f, .name = nm, .field = idx, .value = h,
                                                     .path = ld->preset ? NULL : ld->path, /* a preset's path dies with its load */
                                                     .line = e->line, .preset = ld->preset};
        return SF_OK;
    }
    sf_colmap *c = &ld->cfg->columns[f][idx];
    free(c->header);
    c->header = h;
    c->kind = h ? SF_MAP_HEADER : SF_MAP_NONE;
    return SF_OK;
}

static sf_err apply_rate(cfg_loader *ld, const cfg_entry *e)
{
    sf_config *cfg = ld->cfg;
    const char *c = e->key;
    if (strlen(c) != 3 || !isupper((unsigned char)c[0]) || !isupper((unsigned char)c[1]) ||
        !isupper((unsigned char)c[2]))
        return cfg_key_error(ld, e, 0, "a currency code is three uppercase letters (e.g. USD)");
    int64_t rate;
    int r = cfg_parse_fixed(e->value, 6, &rate);
    if (r == 2)
        return cfg_key_error(ld, e, 0, "'%s' has more than 6 decimals", e->value);
    if (r || rate <= 0 || rate > PPM(1000000000))
        return cfg_key_error(ld, e, 0, "expected a rate above 0 (units of the report currency per %s), got '%s'",
                             c, e->value);
    for (size_t i = 0; i < cfg->n_rates; i++)
        if (strcmp(cfg->rates[i].code, c) == 0) { /* a preset's rate overridden */
            cfg->rates[i].rate = rate;
            return SF_OK;
        }
    sf_rate *v = realloc(cfg->rates, (cfg->n_rates + 1) * sizeof *v);
    if (!v)
        return sf_ctx_nomem(ld->ctx);
    cfg->rates = v;
    if (!(v[cfg->n_rates].code = sf_strdup(c)))
        return sf_ctx_nomem(ld->ctx);
    v[cfg->n_rates++].rate = rate;
    return SF_OK;
}

static sf_err apply_owner(cfg_loader *ld, const cfg_entry *e)
{
    sf_config *cfg = ld->cfg;
    const char *a = e->value;
    if (e->cont_line)
        return cfg_key_error(ld, e, e->cont_line, CFG_NOT_A_LIST);
    const char *at = strchr(a, '@');
    if (!at || at == a || !at[1] || strpbrk(a, " \t,"))
        return cfg_key_error(ld, e, 0, "expected one email address, got '%s'", a);
    for (size_t i = 0; i < cfg->n_owners; i++)
        if (strcmp(cfg->owners[i].name, e->key) == 0) {
            char *n = sf_strdup(a);
            if (!n)
                return sf_ctx_nomem(ld->ctx);
            free(cfg->owners[i].address);
            cfg->owners[i].address = n;
            return SF_OK;
        }
    sf_owner_addr *v = realloc(cfg->owners, (cfg->n_owners + 1) * sizeof *v);
    if (!v)
        return sf_ctx_nomem(ld->ctx);
    cfg->owners = v;
    sf_owner_addr *o = &v[cfg->n_owners];
    o->name = sf_strdup(e->key);
    o->address = sf_strdup(a);
    cfg->n_owners++; /* counted first so release frees a half-built pair */
    if (!o->name || !o->address)
        return sf_ctx_nomem(ld->ctx);
    return SF_OK;
}

/* Apply every entry of a file in order; the first error stops. */
static sf_err apply_file(cfg_loader *ld, const cfg_file *cf)
{
    ld->path = cf->path;
    for (size_t i = 0; i < cf->n; i++) {
        const cfg_entry *e = &cf->v[i];
        if (!e->key) { /* a section header */
            if (!known_section(e->section))
                return section_error(ld, e);
            if (strcmp(e->section, "input") == 0 && !ld->preset && !ld->input_header_line)
                ld->input_header_line = e->line;
            continue;
        }
        if (!*e->section) {
            char key[128];
            cfg_printable(e->key, key, sizeof key);
            return sf_ctx_error(ld->ctx, SF_ERR_USAGE, "%s:%d: %s: key outside any [section]",
                                ld->path, e->line, key);
        }
        int cc = control_char(e->key);
        if (cc || (cc = control_char(e->value)))
            return cfg_key_error(ld, e, 0, "holds a control character (0x%02X); not allowed in a config file", cc);
        for (size_t j = 0; j < i; j++) {
            const cfg_entry *p = &cf->v[j];
            if (p->key && strcmp(p->key, e->key) == 0 && strcmp(p->section, e->section) == 0)
                return cfg_key_error(ld, e, 0, "duplicate key (first set on line %d)", p->line);
        }
        sf_err rc = SF_OK;
        int cols = -1;
        const char *file_name = NULL;
        if (strncmp(e->section, "columns.", 8) == 0)
            for (int f = 0; f < SF_FILE_N; f++)
                if (strcmp(e->section + 8, sf_file_kind_name((sf_file_kind)f)) == 0)
                    cols = f;
        if (cols < 0)
            cols = file_columns_kind(e->section, &file_name);
        if (cols >= 0) {
            rc = apply_columns(ld, e, (sf_file_kind)cols, file_name);
        } else if (strcmp(e->section, "currency_rates") == 0) {
            rc = apply_rate(ld, e);
        } else if (strcmp(e->section, "owners") == 0) {
            rc = apply_owner(ld, e);
        } else {
            const cfg_key *k = NULL;
            const char *names[64];
            size_t nn = 0;
            for (size_t j = 0; j < CFG_N_KEYS; j++) {
                if (strcmp(cfg_keys[j].section, e->section) != 0)
                    continue;
                if (nn < SF_ARRAY_LEN(names))
                    names[nn++] = cfg_keys[j].key;
                if (strcmp(cfg_keys[j].key, e->key) == 0) {
                    k = &cfg_keys[j];
                    ld->key_line[j] = e->line;
                    ld->key_file[j] = ld->path;
                }
            }
            rc = k ? cfg_set_key(ld, k, e) : unknown_key(ld, e, names, nn);
        }
        if (rc)
            return rc;
    }
    return SF_OK;
}

static void key_value_text(const sf_config *cfg, const cfg_key *k, char out[32])
{
    int64_t v = *(const int64_t *)((const char *)cfg + k->off);
    if (k->type == K_FRAC)
        cfg_fmt_ppm(v, out);
    else if (k->type == K_MONEY)
        cfg_fmt_cents(v, out);
    else
        snprintf(out, 32, "%lld", (long long)v);
}

/* Cross-key rule: value of key `lo` must not exceed value of key `hi`.
 * The key set last in the user's file is blamed. */
static sf_err check_order(cfg_loader *ld, const char *section, const char *lo, const char *hi)
{
    int il = cfg_find_key(section, lo), ih = cfg_find_key(section, hi);
    const cfg_key *kl = &cfg_keys[il], *kh = &cfg_keys[ih];
    const sf_config *cfg = ld->cfg;
    if (kl->aux != NOFLAG &&
        (!*(const bool *)((const char *)cfg + kl->aux) || !*(const bool *)((const char *)cfg + kh->aux)))
        return SF_OK;
    int64_t vl = *(const int64_t *)((const char *)cfg + kl->off);
    int64_t vh = *(const int64_t *)((const char *)cfg + kh->off);
    if (vl <= vh)
        return SF_OK;
    char tl[32], th[32];
    key_value_text(cfg, kl, tl);
    key_value_text(cfg, kh, th);
    /* Prefer the key of the user's file over a preset's, then the later. */
    bool lo_user = ld->key_line[il] && ld->key_file[il] == cfg->path;
    bool hi_user = ld->key_line[ih] && ld->key_file[ih] == cfg->path;
    bool blame_lo;
    if (lo_user != hi_user)
        blame_lo = lo_user;
    else if (!ld->key_line[il] || !ld->key_line[ih])
        blame_lo = ld->key_line[il] != 0;
    else
        blame_lo = ld->key_line[il] > ld->key_line[ih];
    cfg_entry e = {.section = (char *)section};
    ld->defaults = false;
    if (blame_lo) {
        e.key = (char *)lo;
        ld->path = ld->key_file[il];
        return cfg_key_error(ld, &e, ld->key_line[il], "%s must not exceed %s (%s)", tl, hi, th);
    }
    e.key = (char *)hi;
    ld->path = ld->key_file[ih];
    return cfg_key_error(ld, &e, ld->key_line[ih], "%s must not be below %s (%s)", th, lo, tl);
}

static bool has_glob(const char *p) { return strpbrk(p, "*?[") != NULL; }

/* Why path cannot be read as an input (into why, n bytes), or NULL: it
 * must be a regular file (a FIFO would block, /dev/zero never end). */
static const char *unreadable(const char *p, char *why, size_t n)
{
    int fd = sf_open_regular(p, why, n);
    if (fd < 0)
        return why;
    close(fd);
    return NULL;
}

/* Append path (given: the item it came from) to the kind's files, once. */
static sf_err push_input(cfg_loader *ld, sf_file_kind f, const char *path, const char *given)
{
    sf_input_list *l = &ld->cfg->inputs[f];
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].path, path) == 0)
            return SF_OK; /* a pattern that also matches a listed file */
    if (l->n >= 4096)
        return sf_ctx_error(ld->ctx, SF_ERR_USAGE, "%s: [input] %s: more than 4096 files", ld->cfg->path,
                            sf_file_kind_name(f));
    sf_input_file *v = realloc(l->v, (l->n + 1) * sizeof *v);
    if (!v)
        return sf_ctx_nomem(ld->ctx);
    l->v = v;
    memset(&v[l->n], 0, sizeof v[l->n]);
    v[l->n].path = sf_strdup(path);
    v[l->n].given = sf_strdup(given);
    l->n++; /* counted first: release frees a half-built entry */
    return v[l->n - 1].path && v[l->n - 1].given ? SF_OK : sf_ctx_nomem(ld->ctx);
}

/* The kind's files: every item of [input] KIND, a glob pattern expanded
 * (sorted; no match is an input error), each one readable. */
static sf_err expand_inputs(cfg_loader *ld, sf_file_kind f)
{
    sf_config *cfg = ld->cfg;
    const sf_strlist *items = &cfg->input_items[f];
    int idx = cfg_find_key("input", sf_file_kind_name(f));
    const char *where = ld->key_file[idx] ? ld->key_file[idx] : cfg->path;
    int line = ld->key_line[idx];
    sf_err rc = SF_OK;
    for (size_t i = 0; i < items->n && !rc; i++) {
        const char *p = items->v[i], *given = cfg->input_given[f].v[i];
        char wbuf[160];
        if (!has_glob(p)) {
            const char *why = unreadable(p, wbuf, sizeof wbuf);
            if (why)
                return sf_ctx_error(ld->ctx, SF_ERR_INPUT, "%s:%d: [input] %s: cannot open '%s': %s", where, line,
                                    sf_file_kind_name(f), p, why);
            rc = push_input(ld, f, p, given);
            continue;
        }
        glob_t g;
        int r = glob(p, 0, NULL, &g);
        if (r == GLOB_NOMATCH) {
            globfree(&g);
            return sf_ctx_error(ld->ctx, SF_ERR_INPUT, "%s:%d: [input] %s: no file matches '%s'", where, line,
                                sf_file_kind_name(f), p);
        }
        if (r != 0) {
            globfree(&g);
            return r == GLOB_NOSPACE ? sf_ctx_nomem(ld->ctx)
                                     : sf_ctx_error(ld->ctx, SF_ERR_INPUT, "%s:%d: [input] %s: cannot read the folder of '%s'",
                                                    where, line, sf_file_kind_name(f), p);
        }
        for (size_t j = 0; j < g.gl_pathc && !rc; j++) {
            const char *why = unreadable(g.gl_pathv[j], wbuf, sizeof wbuf);
            if (why)
                rc = sf_ctx_error(ld->ctx, SF_ERR_INPUT, "%s:%d: [input] %s: cannot open '%s': %s", where, line,
                                  sf_file_kind_name(f), g.gl_pathv[j], why);
            else
                rc = push_input(ld, f, g.gl_pathv[j], given);
        }
        globfree(&g);
    }
    if (!rc && cfg->inputs[f].n) {
        char *first = sf_strdup(cfg->inputs[f].v[0].path);
        if (!first)
            return sf_ctx_nomem(ld->ctx);
        free(cfg->file[f]);
        cfg->file[f] = first;
    }
    return rc;
}

/* Give each [columns.KIND.NAME] line to the files it names: NAME is an
 * item as written in [input] (a pattern names every file it matched) or
 * a file's base name. A preset's line for a file the user does not read
 * is dropped; the user's own is an error. */
static sf_err resolve_file_columns(cfg_loader *ld)
{
    sf_config *cfg = ld->cfg;
    for (size_t i = 0; i < ld->n_file_cols; i++) {
        const struct cfg_file_col *fc = &ld->file_cols[i];
        sf_input_list *l = &cfg->inputs[fc->kind];
        bool hit = false;
        for (size_t k = 0; k < l->n; k++) {
            const char *base = strrchr(l->v[k].path, '/');
            base = base ? base + 1 : l->v[k].path;
            if (strcmp(l->v[k].given, fc->name) != 0 && strcmp(base, fc->name) != 0)
                continue;
            sf_colmap *c = &l->v[k].columns[fc->field];
            char *h = fc->value ? sf_strdup(fc->value) : NULL;
            if (fc->value && !h)
                return sf_ctx_nomem(ld->ctx);
            free(c->header);
            c->header = h;
            c->kind = h ? SF_MAP_HEADER : SF_MAP_NONE;
            hit = true;
        }
        if (hit || fc->preset)
            continue;
        char names[512] = "";
        size_t o = 0;
        for (size_t k = 0; k < l->n && o + 4 < sizeof names; k++) {
            const char *base = strrchr(l->v[k].path, '/');
            int w = snprintf(names + o, sizeof names - o, "%s'%s'", k ? ", " : "", base ? base + 1 : l->v[k].path);
            if (w < 0)
                break;
            o += (size_t)w < sizeof names - o ? (size_t)w : sizeof names - o - 1;
        }
        char sec[160];
        cfg_printable(fc->name, sec, sizeof sec);
        return sf_ctx_error(ld->ctx, SF_ERR_USAGE, "%s:%d: [columns.%s.%s]: no %s file is named '%s' (%s%s)", fc->path,
                            fc->line, sf_file_kind_name(fc->kind), sec, sf_file_kind_name(fc->kind), sec,
                            l->n ? "files: " : "[input] names none", names);
    }
    return SF_OK;
}

/* Checks that need the whole configuration. */
static sf_err check_config(cfg_loader *ld)
{
    sf_config *cfg = ld->cfg;
    sf_err rc;
    cfg_entry e = {.section = (char *)"input", .key = (char *)"transactions"};
    ld->path = cfg->path;
    int it = cfg_find_key("input", "transactions");
    if (!cfg->file[SF_FILE_TRANSACTIONS] && !cfg->transactions_from_won) {
        if (ld->input_header_line)
            return cfg_key_error(ld, &e, ld->input_header_line,
                                 "missing; name the transactions export (or @won to use won opportunities)");
        return sf_ctx_error(ld->ctx, SF_ERR_USAGE,
                            "%s: [input] transactions: missing; name the transactions export (or @won to use won opportunities)",
                            cfg->path);
    }
    if (cfg->transactions_from_won && !cfg->file[SF_FILE_OPPORTUNITIES])
        return cfg_key_error(ld, &e, ld->key_line[it], "@won needs [input] opportunities");
    if ((rc = check_order(ld, "tiers", "b_min", "a_min")) ||
        (rc = check_order(ld, "temperature", "cold_below", "hot_min")) ||
        (rc = check_order(ld, "kpi", "conv_to_appt_low", "conv_to_appt_high")) ||
        (rc = check_order(ld, "ideal_client", "min_employees", "max_employees")))
        return rc;
    if ((cfg->decimal == '.' && cfg->thousands == SF_THOUSANDS_DOT) ||
        (cfg->decimal == ',' && cfg->thousands == SF_THOUSANDS_COMMA)) {
        int ik = cfg_find_key("input", "thousands");
        e.key = (char *)"thousands";
        ld->path = ld->key_file[ik] ? ld->key_file[ik] : cfg->path;
        return cfg_key_error(ld, &e, ld->key_line[ik], "must differ from the decimal mark '%c'", cfg->decimal);
    }
    for (int f = 0; f < SF_FILE_N; f++)
        if ((rc = expand_inputs(ld, (sf_file_kind)f)))
            return rc;
    return resolve_file_columns(ld);
}

/* ------------------------------------------------------------------ */
/* Defaults, release, load                                             */
/* ------------------------------------------------------------------ */

sf_err sf_config_init(sf_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->as_of = SF_NODATE;
    sf_ctx ctx = {0};
    cfg_loader ld = {.cfg = cfg, .ctx = &ctx, .path = "(defaults)", .defaults = true};
    for (size_t i = 0; i < CFG_N_KEYS; i++) {
        if (!cfg_keys[i].def)
            continue;
        cfg_entry e = {.section = (char *)cfg_keys[i].section, .key = (char *)cfg_keys[i].key,
                       .value = (char *)cfg_keys[i].def};
        if (cfg_set_key(&ld, &cfg_keys[i], &e)) {
            sf_config_release(cfg);
            return SF_ERR_NOMEM;
        }
    }
    return SF_OK;
}

void sf_config_release(sf_config *cfg)
{
    if (!cfg)
        return;
#define CFG_TYPE_FREE(T, size, list, setter, release, doc, allowed) [K_##T] = release,
    static const cfg_free frees[K_N] = {CFG_TYPES(CFG_TYPE_FREE)};
#undef CFG_TYPE_FREE
    for (int i = 0; i < CFG_N_KEYS; i++) {
        void *p = (char *)cfg + cfg_keys[i].off;
        switch (frees[cfg_keys[i].type]) {
        case FREE_STR: free(*(char **)p); break;
        case FREE_VALMAP: sf_strlist_clear(&((sf_valmap *)p)->values); break;
        case FREE_STRLIST: sf_strlist_clear(p); break;
        case FREE_NONE: break;
        }
    }
    free(cfg->path);
    free(cfg->dir);
    free(cfg->share_dir);
    for (int f = 0; f < SF_FILE_N; f++) {
        for (int i = 0; i < SF_FIELD_MAX; i++)
            free(cfg->columns[f][i].header);
        for (size_t k = 0; k < cfg->inputs[f].n; k++) {
            free(cfg->inputs[f].v[k].path);
            free(cfg->inputs[f].v[k].given);
            for (int i = 0; i < SF_FIELD_MAX; i++)
                free(cfg->inputs[f].v[k].columns[i].header);
        }
        free(cfg->inputs[f].v);
        sf_strlist_clear(&cfg->input_items[f]);
        sf_strlist_clear(&cfg->input_given[f]);
    }
    for (size_t i = 0; i < cfg->n_rates; i++)
        free(cfg->rates[i].code);
    free(cfg->rates);
    for (size_t i = 0; i < cfg->n_owners; i++) {
        free(cfg->owners[i].name);
        free(cfg->owners[i].address);
    }
    free(cfg->owners);
    memset(cfg, 0, sizeof *cfg);
    cfg->as_of = SF_NODATE;
}

static bool valid_preset_name(const char *n)
{
    if (!*n)
        return false;
    for (const char *p = n; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return false;
    return true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The preset names of dir, sorted, into names (appended). */
static sf_err preset_names(const char *dir, sf_strlist *names)
{
    sf_err e = SF_OK;
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        while (e == SF_OK && (de = readdir(d))) {
            size_t l = strlen(de->d_name);
            if (l > 4 && strcmp(de->d_name + l - 4, ".ini") == 0) {
                char *nm = sf_strndup(de->d_name, l - 4);
                if (!nm)
                    e = SF_ERR_NOMEM;
                else if (valid_preset_name(nm) && strcmp(nm, "auto") != 0)
                    e = sf_strlist_push(names, nm);
                free(nm);
            }
        }
        closedir(d);
    }
    if (names->n)
        qsort(names->v, names->n, sizeof names->v[0], cmp_str);
    return e;
}

sf_err sf_config_preset_names(const char *share_dir, sf_strlist *names)
{
    char dir[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s/config/crm", share_dir ? share_dir : ".") >= (int)sizeof dir)
        return SF_OK;
    return preset_names(dir, names);
}

/* "a, b, c" of the presets in dir (sorted), or "none found in DIR". */
static void list_presets(const char *dir, char *out, size_t n)
{
    sf_strlist names = {0};
    (void)preset_names(dir, &names); /* a short list at worst */
    if (names.n == 0) {
        if (snprintf(out, n, "none found in %s", dir) >= (int)n && n > 4)
            memcpy(out + n - 4, "...", 4); /* truncated: say so */
        return;
    }
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < names.n; i++) {
        int w = snprintf(out + o, n - o, "%s%s", i ? ", " : "", names.v[i]);
        if (w < 0 || (size_t)w >= n - o)
            break;
        o += (size_t)w;
    }
    sf_strlist_clear(&names);
}

/* Load the preset named by entry e of the user's file, then apply it. */
static sf_err load_preset(cfg_loader *ld, const cfg_entry *e)
{
    sf_config *cfg = ld->cfg;
    ld->path = cfg->path;
    if (e->cont_line)
        return cfg_key_error(ld, e, e->cont_line, CFG_NOT_A_LIST);
    const char *want = e->value;
    if (strcmp(want, "auto") == 0) {
        /* chosen from the files by the input layer (sf_config_load_auto) */
        cfg->preset_auto = true;
        if (!ld->forced || !*ld->forced)
            return SF_OK;
        want = ld->forced;
    }
    if (!valid_preset_name(want))
        return cfg_key_error(ld, e, 0, "'%s' is not a preset name (letters a-z, digits, _ and -)", want);
    char dir[PATH_MAX], path[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s/config/crm", cfg->share_dir) >= (int)sizeof dir ||
        snprintf(path, sizeof path, "%s/%s.ini", dir, want) >= (int)sizeof path)
        return cfg_key_error(ld, e, 0, "share directory path too long");
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        char list[1024];
        list_presets(dir, list, sizeof list);
        return cfg_key_error(ld, e, 0, "unknown preset '%s' (available: %s, or auto)", want, list);
    }
    char r1[PATH_MAX], r2[PATH_MAX];
    if (realpath(path, r1) && realpath(cfg->path, r2) && strcmp(r1, r2) == 0)
        return cfg_key_error(ld, e, 0, "preset '%s' is this file itself", want);
    char *name = sf_strdup(want);
    if (!name)
        return sf_ctx_nomem(ld->ctx);
    free(cfg->preset);
    cfg->preset = name;
    cfg_file pf;
    sf_err rc = cfg_file_read(&pf, path, ld->ctx);
    if (!rc) {
        ld->preset = true;
        rc = apply_file(ld, &pf);
        ld->preset = false;
    }
    cfg_file_release(&pf);
    return rc;
}

static sf_err load(sf_config *cfg, const char *path, const char *share_dir, const char *forced, sf_ctx *ctx)
{
    cfg_file uf = {0};
    cfg_loader *ld = sf_xcalloc(1, sizeof *ld);
    if (!ld)
        return sf_ctx_nomem(ctx);
    ld->cfg = cfg;
    ld->forced = forced;
    ld->ctx = ctx;
    ld->path = path;
    sf_err rc = SF_OK;

    free(cfg->path);
    free(cfg->dir);
    free(cfg->share_dir);
    cfg->path = sf_strdup(path);
    const char *slash = strrchr(path, '/');
    cfg->dir = !slash ? sf_strdup(".") : slash == path ? sf_strdup("/")
                                                        : sf_strndup(path, (size_t)(slash - path));
    cfg->share_dir = sf_strdup(share_dir ? share_dir : ".");
    if (!cfg->path || !cfg->dir || !cfg->share_dir) {
        rc = sf_ctx_nomem(ctx);
        goto done;
    }
    if ((rc = cfg_file_read(&uf, cfg->path, ctx))) /* key_file[] compares with cfg->path */
                            goto done;
    ld->path = cfg->path;
    for (size_t i = 0; i < uf.n; i++) {
        const cfg_entry *e = &uf.v[i];
        if (e->key && strcmp(e->section, "input") == 0 && strcmp(e->key, "preset") == 0) {
            if (*e->value && (rc = load_preset(ld, e)))
                goto done;
            break; /* a second preset line is a duplicate, reported below */
        }
    }
    if ((rc = apply_file(ld, &uf)))
        goto done;
    rc = check_config(ld);
done:
    cfg_file_release(&uf);
    for (size_t i = 0; i < ld->n_file_cols; i++) {
        free(ld->file_cols[i].name);
        free(ld->file_cols[i].value);
    }
    free(ld->file_cols);
    free(ld);
    return rc;
}

sf_err sf_config_load(sf_config *cfg, const char *path, const char *share_dir, sf_ctx *ctx)
{
    return load(cfg, path, share_dir, NULL, ctx);
}

sf_err sf_config_load_auto(sf_config *cfg, const char *path, const char *share_dir, const char *preset,
                           sf_ctx *ctx)
{
    return load(cfg, path, share_dir, preset ? preset : "", ctx);
}

sf_err sf_config_load_preset_only(sf_config *cfg, const char *share_dir, const char *name, sf_ctx *ctx)
{
    if (!valid_preset_name(name) || strcmp(name, "auto") == 0)
        return sf_ctx_error(ctx, SF_ERR_USAGE, "'%s' is not a preset name", name);
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/config/crm/%s.ini", share_dir ? share_dir : ".", name) >= (int)sizeof path)
        return sf_ctx_error(ctx, SF_ERR_USAGE, "share directory path too long");
    cfg_loader *ld = sf_xcalloc(1, sizeof *ld);
    if (!ld)
        return sf_ctx_nomem(ctx);
    ld->cfg = cfg;
    ld->ctx = ctx;
    ld->path = path;
    free(cfg->preset);
    cfg->preset = sf_strdup(name);
    cfg_file pf;
    sf_err rc = cfg->preset ? cfg_file_read(&pf, path, ctx) : sf_ctx_nomem(ctx);
    if (!rc) {
        ld->preset = true;
        rc = apply_file(ld, &pf);
    }
    if (cfg->preset)
        cfg_file_release(&pf);
    /* a preset's [columns.KIND.FILE] lines name no file here: dropped */
    for (size_t i = 0; i < ld->n_file_cols; i++) {
        free(ld->file_cols[i].name);
        free(ld->file_cols[i].value);
    }
    free(ld->file_cols);
    free(ld);
    return rc;
}

bool sf_config_rate(const sf_config *cfg, const char *code, int64_t *rate_ppm)
{
    for (size_t i = 0; i < cfg->n_rates; i++)
        if (strcmp(cfg->rates[i].code, code) == 0) {
            *rate_ppm = cfg->rates[i].rate;
            return true;
        }
    if (cfg->currency && strcmp(cfg->currency, code) == 0) {
        *rate_ppm = SF_PPM;
        return true;
    }
    return false;
}

char *sf_config_expand(const sf_config *cfg, const char *tmpl, sf_date as_of)
{
    char iso[16];
    sf_date_iso(as_of, iso);
    const char *period = cfg && cfg->period ? cfg->period : "";
    size_t cap = strlen(tmpl) + 1, n = 0;
    for (const char *p = tmpl; (p = strchr(p, '{')); p++)
        cap += 32 + strlen(period);
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (const char *p = tmpl; *p;) {
        const char *rep = NULL;
        size_t skip = 0;
        if (strncmp(p, "{as_of}", 7) == 0) {
            rep = iso;
            skip = 7;
        } else if (strncmp(p, "{period}", 8) == 0) {
            rep = period;
            skip = 8;
        }
        if (rep) {
            size_t l = strlen(rep);
            memcpy(out + n, rep, l);
            n += l;
            p += skip;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
    return out;
}
