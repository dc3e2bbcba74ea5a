/*
 * guess.c - `salesfocus init`, first half (include/input/sf_guess.h): each
 * file's format and headers, the preset the headers fit best, each file's
 * kind and column mapping. The values are read in guess_values.c and the
 * configuration written in guess_write.c.
 *
 * Choices (docs/init.md):
 * - a file's kind is the one whose required fields its headers all have
 *   (through the preset, then canonical names, then synonyms) with the
 *   largest weight of fields found; fields that tell kinds apart weigh
 *   more (an activity's type, a deal's stage, amount or close date), and
 *   an opportunities file needs one of stage, amount, close date or
 *   probability (a task export has an id, an account and a created date
 *   too);
 * - a users export (logins, e-mails, first and last names, and nothing of
 *   a company) is not taken for accounts;
 * - the preset is the one whose headers the files have most of, at least
 *   three and a third of those it looks for; none when no preset reaches
 *   that (a CRM's preset matches its own exports far better);
 * - a kind may have several files (Task.csv and Event.csv are both
 *   activities), each mapped on its own;
 * - a users export (ids and names of people) is the users kind.
 */
#include "input/sf_guess.h"
#include "input/sf_recsrc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How much a field found says about its kind (fields not listed: 1). */
static int weight(sf_file_kind k, int f)
{
    static const int8_t acc[] = {2, 3, 1, 3, 3, 3, 3, 1, 2}, tx[] = {2, 2, 3, 3, 3, 2, 3, 1},
                        act[] = {2, 2, 4, 1, 4, 4}, opp[] = {2, 2, 2, 2, 4, 3, 1, 4, 4, 4, 4, 1, 1, 1, 2, 2},
                        usr[] = {2, 2, 2, 2};
    const int8_t *w = k == SF_FILE_ACCOUNTS ? acc : k == SF_FILE_TRANSACTIONS ? tx : k == SF_FILE_ACTIVITIES ? act
                      : k == SF_FILE_OPPORTUNITIES ? opp : k == SF_FILE_USERS ? usr : NULL;
    size_t n = k == SF_FILE_ACCOUNTS ? sizeof acc : k == SF_FILE_TRANSACTIONS ? sizeof tx
               : k == SF_FILE_ACTIVITIES ? sizeof act : k == SF_FILE_OPPORTUNITIES ? sizeof opp
               : k == SF_FILE_USERS ? sizeof usr : 0;
    return w && f >= 0 && (size_t)f < n ? w[f] : 1;
}

static int find_header(const sf_strlist *h, const char *want)
{
    for (size_t i = 0; i < h->n; i++)
        if (sf_header_eq(h->v[i], want))
            return (int)i;
    return -1;
}

/* The columns of h that mapping cm names (its alternatives that h has,
 * in its order, each once) into col; how many. */
static int preset_columns(const sf_strlist *h, const char *mapping, int col[SF_GUESS_ALTS])
{
    char buf[1024];
    const char *alt[SF_GUESS_ALTS * 2];
    int n = 0, na = sf_alternatives(mapping, buf, sizeof buf, alt, SF_GUESS_ALTS * 2);
    int whole = find_header(h, mapping); /* a header that holds '|' itself */
    if (whole >= 0) {
        col[0] = whole;
        return 1;
    }
    for (int a = 0; a < na && n < SF_GUESS_ALTS; a++) {
        int c = find_header(h, alt[a]);
        bool seen = false;
        for (int i = 0; i < n; i++)
            seen |= col[i] == c;
        if (c >= 0 && !seen)
            col[n++] = c;
    }
    return n;
}

/* Headers of a users export (logins, e-mails, first and last names). */
static int user_headers(const sf_strlist *h)
{
    int n = 0;
    for (size_t i = 0; i < h->n; i++)
        n += sf_header_role_of(h->v[i]) == SF_ROLE_USER;
    return n;
}

/* Map kind k's fields onto the headers h with preset p (NULL: none).
 * Returns the kind's score (-1: h cannot be this kind); *pfound: fields
 * found through the preset, *pmapped: fields the preset names. */
static int map_kind(const sf_config *p, const sf_strlist *h, sf_file_kind k, int col[][SF_GUESS_ALTS], int ncol[],
                    sf_map_how how[], int *pfound, int *pmapped)
{
    int score = 0;
    *pfound = *pmapped = 0;
    for (int f = 0; f < sf_field_count(k); f++) {
        col[f][0] = -1;
        ncol[f] = 0;
        how[f] = SF_HOW_NONE;
        const sf_colmap *cm = p ? &p->columns[k][f] : NULL;
        if (cm && cm->kind == SF_MAP_HEADER) {
            (*pmapped)++;
            if ((ncol[f] = preset_columns(h, cm->header, col[f])) > 0) {
                how[f] = SF_HOW_PRESET;
                (*pfound)++;
            }
        }
        int best = 0;
        for (size_t i = 0; !ncol[f] && i < h->n; i++) {
            int s = sf_synonym_strength(k, f, h->v[i]);
            if (s > best) {
                best = s;
                col[f][0] = (int)i;
            }
        }
        if (!ncol[f] && col[f][0] >= 0) {
            ncol[f] = 1;
            how[f] = best == 3 ? SF_HOW_CANONICAL : best == 2 ? SF_HOW_SYNONYM : SF_HOW_WEAK;
        }
        if (!ncol[f])
            col[f][0] = -1;
        if (!ncol[f] && sf_field_required(k, f))
            score = -1000;
        else if (ncol[f])
            score += how[f] == SF_HOW_WEAK ? 1 : 2 * weight(k, f);
    }
    if (score < 0)
        return -1;
    if (k == SF_FILE_OPPORTUNITIES && !ncol[SF_OF_STAGE] && !ncol[SF_OF_AMOUNT] && !ncol[SF_OF_CLOSE_DATE] &&
        !ncol[SF_OF_PROBABILITY])
        return -1;
    bool company = k == SF_FILE_ACCOUNTS && (ncol[SF_AF_INDUSTRY] || ncol[SF_AF_REGION] || ncol[SF_AF_EMPLOYEES] ||
                                            ncol[SF_AF_COMPANY_REVENUE]);
    if (k == SF_FILE_ACCOUNTS && user_headers(h) >= 2 && !company)
        return -1; /* people rather than companies: a users export */
    if (k == SF_FILE_USERS && user_headers(h) < 2)
        return -1; /* an id and a name alone make no users export */
    return score;
}

/* The best kind of file f with preset p; -1 when none fits. */
static int best_kind(const sf_config *p, sf_guess_file *f, int *pfound, int *pmapped)
{
    int best = -1, col[SF_FIELD_MAX][SF_GUESS_ALTS], ncol[SF_FIELD_MAX];
    sf_map_how how[SF_FIELD_MAX];
    *pfound = *pmapped = 0;
    for (int k = 0; k < SF_FILE_N; k++) {
        int found, mapped;
        f->score[k] = map_kind(p, &f->headers, (sf_file_kind)k, col, ncol, how, &found, &mapped);
        if (f->score[k] >= 0 && (best < 0 || f->score[k] > f->score[best])) {
            best = k;
            *pfound = found;
            *pmapped = mapped;
        }
    }
    return best;
}

/* ---- reading the files ------------------------------------------------------------- */

static bool has_high_bytes(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char b[65536];
    bool high = false;
    int64_t total = 0;
    ssize_t k;
    while (!high && total < ((int64_t)64 << 20) && (k = read(fd, b, sizeof b)) > 0) {
        for (ssize_t i = 0; i < k && !high; i++)
            high = (unsigned char)b[i] >= 0x80 && !(total == 0 && i < 3 && (unsigned char)b[0] == 0xEF);
        total += k;
    }
    close(fd);
    return high;
}

/* Read one file's format and headers; an unusable file gets its why. */
static sf_err read_file(sf_guess_file *f, sf_ctx *ctx)
{
    sf_ctx fctx = {0};
    f->kind = SF_FILE_N;
    sf_file_format fmt = sf_file_format_of(f->path);
    f->xlsx = fmt == SF_FMT_ZIP;
    const char *enc = NULL;
    char delim = 0;
    sf_err e = sf_read_headers(f->path, NULL, NULL, 0, &f->headers, &enc, &delim, &fctx);
    if (e == SF_ERR_NOMEM)
        return sf_ctx_nomem(ctx);
    if (e) {
        const char *msg = fctx.msg;
        size_t pl = strlen(f->path);
        if (strncmp(msg, f->path, pl) == 0 && msg[pl] == ':')
            msg += pl + 2; /* the path is named once, by the caller */
        size_t n = strlen(msg) < sizeof f->why - 1 ? strlen(msg) : sizeof f->why - 1;
        memcpy(f->why, msg, n);
        f->why[n] = '\0';
        return SF_OK;
    }
    f->encoding = enc;
    f->delimiter = delim;
    f->non_ascii = !f->xlsx && has_high_bytes(f->path);
    if (f->xlsx) {
        /* the sheet read: the first (init names it in the comment) */
        sf_xlsxread *x = NULL;
        if (sf_xlsxread_open(&x, f->path, NULL, NULL, NULL, &fctx) == SF_OK)
            f->sheet = sf_strdup(sf_xlsxread_sheet(x));
        sf_xlsxread_free(x);
    }
    f->usable = true;
    return SF_OK;
}

/* "accounts needs name" and so on: why headers h fit no kind. */
static void why_no_kind(sf_guess_file *f)
{
    size_t o = (size_t)snprintf(f->why, sizeof f->why, "its headers fit no kind of export:");
    for (int k = 0; k < SF_FILE_N && o < sizeof f->why; k++) {
        int col[SF_FIELD_MAX][SF_GUESS_ALTS], ncol[SF_FIELD_MAX], pf, pm;
        sf_map_how how[SF_FIELD_MAX];
        (void)map_kind(NULL, &f->headers, (sf_file_kind)k, col, ncol, how, &pf, &pm);
        int w = snprintf(f->why + o, sizeof f->why - o, "%s %s lacks", k ? ";" : "", sf_file_kind_name((sf_file_kind)k));
        o += w > 0 ? (size_t)w : 0;
        int missing = 0;
        for (int fl = 0; fl < sf_field_count((sf_file_kind)k) && o < sizeof f->why; fl++) {
            if (!sf_field_required((sf_file_kind)k, fl) || ncol[fl])
                continue;
            w = snprintf(f->why + o, sizeof f->why - o, "%s %s", missing++ ? "," : "",
                         sf_field_name((sf_file_kind)k, fl));
            o += w > 0 ? (size_t)w : 0;
        }
        if (!missing && o < sizeof f->why) {
            w = snprintf(f->why + o, sizeof f->why - o, k == SF_FILE_ACCOUNTS ? " a company's fields (a users export?)"
                                                        : k == SF_FILE_USERS ? " logins, e-mails or names of people"
                                                                             : " a stage, amount or close date");
            o += w > 0 ? (size_t)w : 0;
        }
    }
}

/* ---- the preset ------------------------------------------------------------------------ */

/* Score every preset against the readable files; keep the best loaded. */
static sf_err choose_preset(sf_guess *g, sf_ctx *ctx)
{
    sf_strlist names = {0};
    if (sf_config_preset_names(g->share_dir, &names) != SF_OK)
        return sf_ctx_nomem(ctx);
    sf_err e = SF_OK;
    sf_preset_choice *c = &g->presets;
    if (!(c->v = calloc(names.n + 1, sizeof *c->v)))
        e = sf_ctx_nomem(ctx);
    for (size_t i = 0; e == SF_OK && i <= names.n; i++) {
        sf_preset_score *s = &c->v[c->n++];
        snprintf(s->name, sizeof s->name, "%s", i < names.n ? names.v[i] : "");
        sf_config p;
        if ((e = sf_config_init(&p)) != SF_OK) {
            e = sf_ctx_nomem(ctx);
            break;
        }
        if (*s->name)
            e = sf_config_load_preset_only(&p, g->share_dir, s->name, ctx);
        for (size_t fi = 0; e == SF_OK && fi < g->n; fi++) {
            int found, mapped;
            if (g->files[fi].usable && best_kind(*s->name ? &p : NULL, &g->files[fi], &found, &mapped) >= 0) {
                s->found += found;
                s->mapped += mapped;
            }
        }
        sf_config_release(&p);
    }
    sf_strlist_clear(&names);
    if (e)
        return e;
    c->chosen = c->n - 1;
    for (size_t i = 0; i + 1 < c->n; i++) {
        const sf_preset_score *a = &c->v[i], *b = &c->v[c->chosen];
        if (a->found >= 3 && 3 * a->found >= a->mapped &&
            (a->found > b->found ||
             (a->found == b->found && (int64_t)a->found * b->mapped > (int64_t)b->found * a->mapped)))
            c->chosen = i;
    }
    if (sf_config_init(&g->preset) != SF_OK)
        return sf_ctx_nomem(ctx);
    g->preset_live = true;
    const char *name = c->v[c->chosen].name;
    return *name ? sf_config_load_preset_only(&g->preset, g->share_dir, name, ctx) : SF_OK;
}

/* Each usable file's kind and mapping with the chosen preset; a kind may
 * have several files (a file named twice is used once). */
static void assign_kinds(sf_guess *g)
{
    const sf_config *p = *g->presets.v[g->presets.chosen].name ? &g->preset : NULL;
    for (int k = 0; k < SF_FILE_N; k++) {
        g->file_of[k] = -1;
        g->n_of[k] = 0;
    }
    for (size_t i = 0; i < g->n; i++) {
        sf_guess_file *f = &g->files[i];
        if (!f->usable)
            continue;
        int found, mapped;
        int k = best_kind(p, f, &found, &mapped);
        if (k < 0) {
            f->usable = false;
            why_no_kind(f);
            continue;
        }
        f->kind = (sf_file_kind)k;
        (void)map_kind(p, &f->headers, f->kind, f->col, f->ncol, f->how, &found, &mapped);
        for (int fl = 0; fl < SF_FIELD_MAX; fl++)
            f->added[fl] = -1;
        char r1[PATH_MAX], r2[PATH_MAX];
        for (int j = 0; j < g->n_of[k] && f->usable; j++) {
            const sf_guess_file *o = &g->files[g->of[k][j]];
            if (realpath(f->path, r1) && realpath(o->path, r2) && strcmp(r1, r2) == 0) {
                f->usable = false;
                snprintf(f->why, sizeof f->why, "the same file as %s", o->path);
            }
        }
        if (f->usable && g->n_of[k] == SF_GUESS_FILES) {
            f->usable = false;
            snprintf(f->why, sizeof f->why, "more than %d %s exports: name them with a pattern (invoices/*.csv)",
                     SF_GUESS_FILES, sf_file_kind_name(f->kind));
        }
        if (!f->usable)
            continue;
        g->of[k][g->n_of[k]++] = (int)i;
        if (g->file_of[k] < 0)
            g->file_of[k] = (int)i;
    }
}

/* ---- the whole guess ------------------------------------------------------------------ */

void sf_guess_release(sf_guess *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n; i++) {
        free(g->files[i].path);
        free(g->files[i].sheet);
        sf_strlist_clear(&g->files[i].headers);
    }
    free(g->files);
    sf_preset_choice_release(&g->presets);
    if (g->preset_live)
        sf_config_release(&g->preset);
    sf_guess_values *lists[] = {&g->status, &g->types, &g->outcomes, &g->currencies};
    for (size_t l = 0; l < SF_ARRAY_LEN(lists); l++) {
        for (size_t i = 0; i < lists[l]->n; i++)
            free(lists[l]->v[i].value);
        free(lists[l]->v);
    }
    sf_strlist_clear(&g->notes);
    free(g->date_other);
    memset(g, 0, sizeof *g);
}

sf_err sf_guess_files(const char *share_dir, const char *const *paths, size_t n, sf_guess *g, sf_ctx *ctx)
{
    memset(g, 0, sizeof *g);
    g->share_dir = share_dir ? share_dir : ".";
    g->status_col_file = -1;
    if (!(g->files = calloc(n ? n : 1, sizeof *g->files)))
        return sf_ctx_nomem(ctx);
    sf_err e = SF_OK;
    for (size_t i = 0; e == SF_OK && i < n; i++) {
        g->n++;
        if (!(g->files[i].path = sf_strdup(paths[i])))
            return sf_ctx_nomem(ctx);
        e = read_file(&g->files[i], ctx);
    }
    if (e == SF_OK)
        e = choose_preset(g, ctx);
    if (e)
        return e;
    assign_kinds(g);
    g->tx_from_won = g->file_of[SF_FILE_TRANSACTIONS] < 0 && g->file_of[SF_FILE_OPPORTUNITIES] >= 0;
    if (g->file_of[SF_FILE_TRANSACTIONS] < 0 && !g->tx_from_won) {
        char msg[1800];
        size_t o = (size_t)snprintf(msg, sizeof msg, "no file holds transactions (account, date, amount) or "
                                                     "opportunities (whose won deals can be the revenue)");
        for (size_t i = 0; i < g->n && o < sizeof msg; i++) {
            int w = snprintf(msg + o, sizeof msg - o, "; %s: %s", g->files[i].path,
                             g->files[i].usable ? sf_file_kind_name(g->files[i].kind) : g->files[i].why);
            o += w > 0 ? (size_t)w : 0;
        }
        return sf_ctx_error(ctx, SF_ERR_INPUT, "%s", msg);
    }
    return sf_guess_read_values(g, ctx);
}
