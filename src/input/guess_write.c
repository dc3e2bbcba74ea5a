/*
 * guess_write.c - `salesfocus init` writes its guesses (sf_guess.h) as a
 * configuration: every key it sets carries its reason after " ; ", every
 * value of a status, activity-type or outcome column is listed with its
 * count and class, and whatever the user must still decide is said where
 * it is decided.
 *
 * INI limits: a value cannot hold " ;" (a comment would start) or a line
 * break, and a list item cannot hold a comma; such a value is written as a
 * comment saying so.
 */
#include "input/sf_guess.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    FILE *out;
    bool failed;
} writer;

__attribute__((format(printf, 2, 3))) static void w(writer *wr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(wr->out, fmt, ap) < 0)
        wr->failed = true;
    va_end(ap);
}

/* snprintf that may cut: every text here is a comment or a checked value. */
__attribute__((format(printf, 3, 4))) static void sfmt(char *b, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, cap, fmt, ap);
    va_end(ap);
}

/* The config reader takes lines of at most 198 bytes: comments are
 * wrapped, and a key's reason goes on comment lines above it when the
 * line would be longer. */
#define LINE_MAX_BYTES 180
#define WRAP_BYTES 110

/* text as comment lines "; " + indent + a piece, broken at spaces (or at a
 * character boundary when a word is longer than a line). */
static void comment(writer *wr, const char *indent, const char *text)
{
    const char *p = text;
    size_t width = WRAP_BYTES - strlen(indent);
    do {
        size_t n = strlen(p);
        if (n > width) {
            size_t cut = width;
            while (cut > 0 && p[cut] != ' ')
                cut--;
            if (cut == 0) { /* one long word: cut at a character boundary */
                cut = width;
                while (cut > 0 && ((unsigned char)p[cut] & 0xC0) == 0x80)
                    cut--;
            }
            n = cut;
        }
        w(wr, ";%s%s%.*s\n", *indent || n ? " " : "", indent, (int)n, p);
        p += n;
        while (*p == ' ')
            p++;
        indent = *indent ? indent : "  ";
        width = WRAP_BYTES - strlen(indent);
    } while (*p);
}

/* "key = value ; why" on one line when it fits, else the reason above. */
static void kv(writer *wr, const char *key, const char *value, const char *why)
{
    size_t n = strlen(key) + 3 + strlen(value);
    if (n > LINE_MAX_BYTES) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s: the value is too long for a configuration line (%zu bytes)", key, n);
        comment(wr, "", msg);
        return;
    }
    if (why && *why && n + 3 + strlen(why) <= LINE_MAX_BYTES) {
        w(wr, "%s =%s%s ; %s\n", key, *value ? " " : "", value, why);
        return;
    }
    if (why && *why)
        comment(wr, "", why);
    w(wr, "%s = %s\n", key, value);
}

/* Can s stand as an INI value (and, in a list, as one item)? */
static bool writable(const char *s, bool in_list)
{
    if (*s == ';' || *s == '#')
        return false;
    for (const char *p = s; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return false;
        if (*p == ';' && p > s && (p[-1] == ' ' || p[-1] == '\t'))
            return false;
        if (in_list && *p == ',')
            return false;
    }
    return true;
}

/* path relative to dir when it lies below it, else absolute. */
static void rel_path(const char *dir, const char *path, char *out, size_t cap)
{
    char d[PATH_MAX], p[PATH_MAX];
    if (!realpath(dir, d) || !realpath(path, p)) {
        snprintf(out, cap, "%s", path);
        return;
    }
    size_t n = strlen(d);
    if (strcmp(d, "/") == 0)
        n = 0;
    if (strncmp(p, d, n) == 0 && p[n] == '/')
        snprintf(out, cap, "%s", p + n + 1);
    else
        snprintf(out, cap, "%s", p);
}

static int pct(int64_t part, int64_t whole)
{
    return whole ? (int)((part * 100 + whole / 2) / whole) : 0;
}

/* ---- the head ------------------------------------------------------------------------ */

static void write_head(writer *wr, const sf_guess *g, const char *dir, sf_date today)
{
    char iso[16], rel[PATH_MAX], msg[2048];
    sf_date_iso(today, iso);
    snprintf(msg, sizeof msg, "salesfocus configuration written by `salesfocus init` on %s from:", iso);
    comment(wr, "", msg);
    for (size_t i = 0; i < g->n; i++) {
        const sf_guess_file *f = &g->files[i];
        rel_path(dir, f->path, rel, sizeof rel);
        if (!f->usable) {
            sfmt(msg, sizeof msg, "%s: NOT USED: %s", rel, f->why);
            comment(wr, "  ", msg);
            continue;
        }
        int mapped = 0, by_preset = 0;
        for (int k = 0; k < sf_field_count(f->kind); k++) {
            mapped += f->ncol[k] > 0;
            by_preset += f->how[k] == SF_HOW_PRESET;
        }
        int o = snprintf(msg, sizeof msg, "%s: %s, %lld rows, %d of %d fields found (%d by the preset's headers); ",
                         rel, sf_file_kind_name(f->kind), (long long)f->rows, mapped, sf_field_count(f->kind),
                         by_preset);
        if (o > 0 && (size_t)o < sizeof msg) {
            if (f->xlsx)
                snprintf(msg + o, sizeof msg - (size_t)o, "XLSX, sheet '%s'", f->sheet ? f->sheet : "?");
            else
                snprintf(msg + o, sizeof msg - (size_t)o, "CSV, %s, delimiter %s",
                         f->non_ascii ? f->encoding : "ASCII", sf_delimiter_word(f->delimiter));
        }
        comment(wr, "  ", msg);
    }
    comment(wr, "", "Each guess is followed by its reason. Check them, then:");
    comment(wr, "  ", "salesfocus check -c THIS_FILE");
    comment(wr, "  ", "salesfocus run -c THIS_FILE");
    for (size_t i = 0; i < g->notes.n; i++) {
        snprintf(msg, sizeof msg, "TO DO: %s", g->notes.v[i]);
        comment(wr, "", msg);
    }
}

static const char *language_name(const char *l)
{
    return strcmp(l, "ru") == 0 ? "Russian" : strcmp(l, "pl") == 0 ? "Polish" : strcmp(l, "id") == 0 ? "Indonesian"
                                                                                                      : "English";
}

static const char *thousands_word(sf_thousands t)
{
    static const char *const words[] = {"none", "space", "comma", "dot", "apostrophe"};
    return words[t];
}

static void write_preset(writer *wr, const sf_guess *g)
{
    const sf_preset_choice *c = &g->presets;
    const sf_preset_score *ch = &c->v[c->chosen];
    char why[1024], line[256];
    size_t o = 0;
    if (*ch->name) {
        sf_preset_score_text(ch, line, sizeof line);
        o = (size_t)snprintf(why, sizeof why, "%s; the others: ", line);
    } else {
        o = (size_t)snprintf(why, sizeof why, "no preset: no CRM's headers were found (the presets: ");
    }
    bool first = true;
    for (size_t i = 0; i + 1 < c->n && o < sizeof why; i++)
        if (i != c->chosen) {
            int n = snprintf(why + o, sizeof why - o, "%s%s %d of %d", first ? "" : ", ", c->v[i].name,
                             c->v[i].found, c->v[i].mapped);
            o += n > 0 ? (size_t)n : 0;
            first = false;
        }
    if (!*ch->name && o < sizeof why)
        snprintf(why + o, sizeof why - o, ")");
    if (*ch->name)
        kv(wr, "preset", ch->name, why);
    else
        comment(wr, "", why);
}

static void write_files(writer *wr, const sf_guess *g, const char *dir)
{
    char rel[PATH_MAX], list[4096], msg[PATH_MAX + 200];
    for (int k = 0; k < SF_FILE_N; k++) {
        const char *kind = sf_file_kind_name((sf_file_kind)k);
        size_t o = 0;
        list[0] = '\0';
        for (int j = 0; j < g->n_of[k]; j++) {
            rel_path(dir, g->files[g->of[k][j]].path, rel, sizeof rel);
            if (!writable(rel, true)) { /* a comma would split the list */
                sfmt(msg, sizeof msg, "%s: %s cannot be written in an INI list (a comma, \" ;\" or a control "
                                      "character): rename the file", kind, rel);
                comment(wr, "", msg);
                continue;
            }
            int n = snprintf(list + o, sizeof list - o, "%s%s", o ? ", " : "", rel);
            o += n > 0 && (size_t)n < sizeof list - o ? (size_t)n : 0;
        }
        if (o) {
            kv(wr, kind, list, g->n_of[k] > 1 ? "read one after the other, as one export" : NULL);
        } else if (k == SF_FILE_TRANSACTIONS && g->tx_from_won) {
            kv(wr, kind, "@won", "no invoices or orders export: the won deals are the revenue");
        } else if (k == SF_FILE_ACCOUNTS) {
            sfmt(msg, sizeof msg, "accounts: no accounts export: the accounts are the clients of the %s",
                 g->tx_from_won ? "won deals" : "transactions");
            comment(wr, "", msg);
        } else if (k == SF_FILE_USERS) {
            comment(wr, "", "users: no users export: owners are shown as the exports write them");
        } else {
            sfmt(msg, sizeof msg, "%s: no such export among the files", kind);
            comment(wr, "", msg);
        }
    }
}

/* [input] blank_values: the commonest text in the date columns that is
 * no date (amoCRM's "не закрыта") means empty, with the preset's own. */
static void write_blank_values(writer *wr, const sf_guess *g)
{
    const sf_valmap *pv = &g->preset.blank_values;
    if (!g->date_other || g->date_other_n < 2 || !writable(g->date_other, true))
        return;
    bool known = false;
    for (size_t i = 0; pv->set && i < pv->values.n; i++) {
        char *low = sf_utf8_lower(g->date_other);
        known |= low && strcmp(low, pv->values.v[i]) == 0;
        free(low);
    }
    if (known)
        return;
    char list[1024], why[512];
    int o = snprintf(list, sizeof list, "%s", g->date_other);
    for (size_t i = 0; pv->set && i < pv->values.n && o > 0 && (size_t)o < sizeof list; i++)
        o += snprintf(list + o, sizeof list - (size_t)o, ", %s", pv->values.v[i]);
    sfmt(why, sizeof why, "'%s' stands in %lld date cells: it means empty, not a bad date", g->date_other,
         (long long)g->date_other_n);
    kv(wr, "blank_values", list, why);
}

static void write_input(writer *wr, const sf_guess *g, const char *dir)
{
    char why[512];
    w(wr, "\n[run]\n");
    kv(wr, "currency", g->currency, g->currency_why);
    snprintf(why, sizeof why, "the headers are %s", language_name(g->language));
    kv(wr, "language", g->language, why);
    w(wr, "\n[input]\n");
    write_preset(wr, g);
    write_files(wr, g, dir);
    if (strcmp(g->encoding, "UTF-8") == 0)
        snprintf(why, sizeof why, "the CSV files are valid UTF-8 (XLSX files are always Unicode)");
    else
        snprintf(why, sizeof why, "the CSV files are not UTF-8; their text reads as %s", g->encoding);
    kv(wr, "encoding", g->encoding, why);
    if (g->delimiter)
        kv(wr, "delimiter", sf_delimiter_word(g->delimiter), "the header of every CSV file");
    else
        kv(wr, "delimiter", "auto", "each CSV file's header says (or there is none)");
    if (g->date_format) {
        int o = snprintf(why, sizeof why, "parses %zu of %zu dates written as text%s", g->dates_parsed,
                         g->dates_total,
                         g->dates_ambiguous ? "; AMBIGUOUS: every day is 12 or less, day and month could be swapped: "
                                              "check"
                                            : "");
        if (g->date_other && o > 0 && (size_t)o < sizeof why)
            sfmt(why + o, sizeof why - (size_t)o, "; not a date: '%s' %lld times", g->date_other,
                 (long long)g->date_other_n);
        kv(wr, "date_format", g->date_format, why);
    } else if (!g->dates_total) {
        kv(wr, "date_format", g->preset.date_format, "no dates written as text (XLSX date cells read in any format)");
    } else {
        sfmt(why, sizeof why, "none of the %zu texts in the date columns is a date (the commonest: '%s'); XLSX date "
                              "cells read in any format", g->dates_total, g->date_other ? g->date_other : "");
        kv(wr, "date_format", g->preset.date_format, why);
    }
    if (g->num_found) {
        snprintf(why, sizeof why, "parses %zu of %zu amounts", g->nums_parsed, g->nums_total);
        kv(wr, "decimal", g->num.decimal == ',' ? "comma" : "dot", why);
        kv(wr, "thousands", thousands_word(g->num.thousands), NULL);
    } else {
        kv(wr, "decimal", g->preset.decimal == ',' ? "comma" : "dot", "no amounts written as text");
        kv(wr, "thousands", thousands_word(g->preset.thousands), NULL);
    }
    write_blank_values(wr, g);
}

/* ---- columns ----------------------------------------------------------------------------- */

static void column_why(const sf_guess_file *f, int k, char *why, size_t cap)
{
    int o = 0;
    switch (f->how[k]) {
    case SF_HOW_PRESET: o = snprintf(why, cap, f->ncol[k] > 1 ? "the preset's headers" : "the preset's header"); break;
    case SF_HOW_CANONICAL: o = snprintf(why, cap, "the field's own name"); break;
    case SF_HOW_SYNONYM: o = snprintf(why, cap, "a usual name of this field"); break;
    case SF_HOW_WEAK: o = snprintf(why, cap, "a guess: this column often holds it"); break;
    case SF_HOW_NONE: break;
    }
    if (f->added[k] >= 0 && o > 0 && (size_t)o < cap)
        o += snprintf(why + o, cap - (size_t)o, "; empty in %d%% of rows, then '%s'", pct(f->before_empty[k], f->rows),
                      f->headers.v[f->added[k]]);
    if (f->empty[k] && o > 0 && (size_t)o < cap)
        snprintf(why + o, cap - (size_t)o, "; %sempty in %d%% of rows%s", f->added[k] >= 0 ? "both " : "",
                 pct(f->empty[k], f->rows), sf_field_required(f->kind, k) ? " (rejected: the field is required)" : "");
}

/* The mapping of field k in file f as written: its columns joined with
 * " | " (the first non-empty is read), or "" for none. */
static void column_value(const sf_guess_file *f, int k, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (int a = 0; a < f->ncol[k] && o < cap; a++) {
        int n = snprintf(out + o, cap - o, "%s%s", a ? " | " : "", f->headers.v[f->col[k][a]]);
        o += n > 0 ? (size_t)n : 0;
    }
}

/* One field's line: its columns and why, or why it has none. */
static void write_field(writer *wr, const sf_guess *g, const sf_guess_file *f, int k)
{
    char value[1024], msg[1400];
    const char *name = sf_field_name(f->kind, k);
    const sf_colmap *pm = &g->preset.columns[f->kind][k];
    if (!f->ncol[k]) {
        if (pm->kind == SF_MAP_HEADER)
            sfmt(msg, sizeof msg, "the preset's '%s' is not in the file", pm->header);
        else
            snprintf(msg, sizeof msg, "no column found");
        kv(wr, name, "", msg);
        return;
    }
    column_value(f, k, value, sizeof value);
    if (!writable(value, false)) {
        sfmt(msg, sizeof msg, "%s = %s: this header cannot be written in an INI file (it holds \" ;\" or a "
                              "control character): rename the column", name, value);
        comment(wr, "", msg);
        return;
    }
    column_why(f, k, msg, sizeof msg);
    kv(wr, name, value, msg);
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* [columns.KIND] from the kind's first file; each other file of the kind
 * gets [columns.KIND.FILE] with the fields it maps otherwise. */
static void write_columns(writer *wr, const sf_guess *g, sf_file_kind kind, const char *dir)
{
    char rel[PATH_MAX], msg[PATH_MAX + 64], v0[1024], v1[1024];
    const sf_guess_file *first = &g->files[g->of[kind][0]];
    w(wr, "\n[columns.%s]\n", sf_file_kind_name(kind));
    for (int j = 0; j < g->n_of[kind]; j++) {
        const sf_guess_file *f = &g->files[g->of[kind][j]];
        rel_path(dir, f->path, rel, sizeof rel);
        sfmt(msg, sizeof msg, "%s: %lld rows", rel, (long long)f->rows);
        comment(wr, "", msg);
    }
    for (int k = 0; k < sf_field_count(kind); k++)
        write_field(wr, g, first, k);
    for (int j = 1; j < g->n_of[kind]; j++) {
        const sf_guess_file *f = &g->files[g->of[kind][j]];
        bool head = false;
        for (int k = 0; k < sf_field_count(kind); k++) {
            column_value(first, k, v0, sizeof v0);
            column_value(f, k, v1, sizeof v1);
            if (strcmp(v0, v1) == 0)
                continue;
            if (!head && (strchr(base_name(f->path), ']') || !writable(base_name(f->path), false))) {
                sfmt(msg, sizeof msg, "%s maps some fields otherwise, but its name cannot be a section's: rename it",
                     base_name(f->path));
                comment(wr, "", msg);
                break;
            }
            if (!head) {
                w(wr, "\n[columns.%s.%s]\n", sf_file_kind_name(kind), base_name(f->path));
                comment(wr, "", "this file's own columns, where they differ from the first file's");
                head = true;
            }
            write_field(wr, g, f, k);
        }
    }
}

/* ---- values ------------------------------------------------------------------------------- */

/* Does the data show preset value p (as the preset keeps it, lower-cased)? */
static bool data_has(const sf_guess_values *vals, const char *p)
{
    bool seen = false;
    for (size_t i = 0; i < vals->n && !seen; i++) {
        char *low = sf_utf8_lower(vals->v[i].value);
        seen = low && strcmp(low, p) == 0;
        free(low);
    }
    return seen;
}

/* "key = a, b," with further items on indented continuation lines: the
 * data's values of class cls, then the preset's values (lower-cased, as
 * it keeps them) that the data does not show. */
static void write_list(writer *wr, const char *key, const sf_guess_values *vals, int cls, const sf_valmap *preset)
{
    size_t col = (size_t)fprintf(wr->out, "%s =", key), items = 0;
    size_t np = preset && preset->set ? preset->values.n : 0;
    for (size_t i = 0; i < vals->n + np; i++) {
        const char *v;
        if (i < vals->n) {
            if (vals->v[i].cls != cls)
                continue;
            v = vals->v[i].value;
        } else {
            v = preset->values.v[i - vals->n];
            if (data_has(vals, v))
                continue;
        }
        if (!writable(v, true) || strlen(v) > LINE_MAX_BYTES - 8)
            continue;
        if (items && col + strlen(v) + 2 > LINE_MAX_BYTES) {
            w(wr, ",\n   ");
            col = 3;
        } else if (items) {
            w(wr, ",");
            col++;
        }
        w(wr, " %s", v);
        col += strlen(v) + 1;
        items++;
    }
    w(wr, "\n");
}

static const char *class_name(int which, int cls)
{
    static const char *const st[] = {"open", "won", "lost"};
    static const char *const out[] = {"none", "conversation", "appointment"};
    if (which == 0)
        return st[cls];
    if (which == 1)
        return sf_act_type_name((sf_act_type)cls);
    return out[cls];
}

/* The comment lines: every value, its count, its class and why. */
static void write_value_comments(writer *wr, const sf_guess_values *vals, int which, const char *preset)
{
    char msg[1024];
    for (size_t i = 0; i < vals->n; i++) {
        const sf_guess_value *v = &vals->v[i];
        int o = snprintf(msg, sizeof msg, "%s (%lld): %s", v->value, (long long)v->count, class_name(which, v->cls));
        const char *why = v->by_preset ? NULL
                          : v->closed ? " - CHECK: it reads as closed; add it to won or lost"
                          : which == 0 && v->cls == SF_ST_OPEN ? " (a closed stage not listed as won or lost stays open)"
                                                               : "";
        if (o > 0 && (size_t)o < sizeof msg) {
            if (why)
                o += snprintf(msg + o, sizeof msg - (size_t)o, "%s", why);
            else
                o += snprintf(msg + o, sizeof msg - (size_t)o, ", as the %s preset says", preset);
        }
        if (!writable(v->value, true) && o > 0 && (size_t)o < sizeof msg)
            snprintf(msg + o, sizeof msg - (size_t)o, " - cannot be listed (a comma, \" ;\" or a control character): "
                                                      "rename it in the CRM");
        comment(wr, "  ", msg);
    }
    if (vals->blank) {
        snprintf(msg, sizeof msg, "(empty) (%lld): %s", (long long)vals->blank,
                 which == 1 ? "other" : which == 0 ? "open" : "none");
        comment(wr, "  ", msg);
    }
    if (vals->truncated)
        comment(wr, "  ", "... and more: only the first 500 distinct values are listed");
}

static void write_values(writer *wr, const sf_guess *g)
{
    const char *preset = g->presets.v[g->presets.chosen].name;
    const sf_config *p = &g->preset;
    if (g->status.n) {
        w(wr, "\n[opportunity_status]\n");
        comment(wr, "", "every status of the opportunities, with its count and class:");
        write_value_comments(wr, &g->status, 0, preset);
        bool won = false;
        for (size_t i = 0; i < g->status.n; i++)
            won |= g->status.v[i].cls == SF_ST_WON;
        if (!won)
            comment(wr, "", "CHECK: no status reads as won: name the won stage(s) below, or every deal stays open");
        write_list(wr, "won", &g->status, SF_ST_WON, &p->statuses[SF_ST_WON]);
        write_list(wr, "lost", &g->status, SF_ST_LOST, &p->statuses[SF_ST_LOST]);
    }
    if (g->types.n || g->types.blank) {
        w(wr, "\n[activity_types]\n");
        comment(wr, "", "every activity type, with its count and class (anything else is other):");
        write_value_comments(wr, &g->types, 1, preset);
        for (int t = SF_ACT_CALL; t < SF_ACT_OTHER; t++)
            write_list(wr, sf_act_type_name((sf_act_type)t), &g->types, t, &p->activity_types[t]);
    }
    if (g->outcomes.n) {
        w(wr, "\n[outcomes]\n");
        comment(wr, "", "every outcome, with its count and class:");
        write_value_comments(wr, &g->outcomes, 2, preset);
        write_list(wr, "conversation", &g->outcomes, SF_OUT_CONVERSATION, &p->outcomes[SF_OUT_CONVERSATION]);
        write_list(wr, "appointment", &g->outcomes, SF_OUT_APPOINTMENT, &p->outcomes[SF_OUT_APPOINTMENT]);
    }
    bool others = false;
    for (size_t i = 0; i < g->currencies.n; i++)
        others |= strcmp(g->currencies.v[i].value, g->currency) != 0;
    if (others) {
        char msg[512];
        w(wr, "\n[currency_rates]\n");
        snprintf(msg, sizeof msg, "amounts in another currency than %s need its rate (units of %s per unit), or they "
                                  "are rejected as unknown_currency. Fill in and uncomment:", g->currency, g->currency);
        comment(wr, "", msg);
        for (size_t i = 0; i < g->currencies.n; i++)
            if (strcmp(g->currencies.v[i].value, g->currency) != 0 && writable(g->currencies.v[i].value, false)) {
                snprintf(msg, sizeof msg, "%s = ?   (%lld records)", g->currencies.v[i].value,
                         (long long)g->currencies.v[i].count);
                comment(wr, "", msg);
            }
    }
}

sf_err sf_guess_write(const sf_guess *g, const char *config_dir, sf_date today, FILE *out)
{
    writer wr = {.out = out};
    write_head(&wr, g, config_dir, today);
    write_input(&wr, g, config_dir);
    for (int k = 0; k < SF_FILE_N; k++)
        if (g->n_of[k] > 0)
            write_columns(&wr, g, (sf_file_kind)k, config_dir);
    write_values(&wr, g);
    if (wr.failed || ferror(out))
        return SF_ERR_OUTPUT;
    return SF_OK;
}
