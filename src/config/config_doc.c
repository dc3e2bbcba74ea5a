/*
 * config_doc.c - the documents generated from the schema: the reference
 * INI (config/salesfocus.ini) and the markdown table of
 * docs/configuration.md, printed by `salesfocus config --reference` and
 * `--markdown`; tests/e2e/config_docs.sh keeps the shipped files equal.
 */
#include "config/sf_config_schema.h"

#include <stdio.h>
#include <string.h>

/* [columns.FILE]: every canonical field of each file, commented out. */
static void write_columns_ini(FILE *out)
{
    for (int f = 0; f < SF_FILE_N; f++) {
        int n = sf_field_count((sf_file_kind)f);
        fprintf(out, "\n[columns.%s]\n", sf_file_kind_name((sf_file_kind)f));
        if (f == 0)
            fprintf(out, "; FIELD = header of the CRM export: an exact match first, else one that\n"
                         "; differs only in case, surrounding blanks or a trailing *. A field not\n"
                         "; listed uses the header of its own name; FIELD = (nothing) leaves an\n"
                         "; optional field unmapped. The same header may serve two fields.\n"
                         "; FIELD = A | B reads the first non-empty of the columns A and B.\n"
                         "; [columns.KIND.FILE] (e.g. [columns.activities.Event.csv]) maps one of\n"
                         "; several files of a kind; its keys override [columns.KIND] for that file.\n");
        for (int i = 0; i < n; i++) {
            const char *name = sf_field_name((sf_file_kind)f, i);
            fprintf(out, "; %s = %s%s\n", name, name,
                    sf_field_required((sf_file_kind)f, i) ? "    (required)" : "");
        }
    }
}

sf_err sf_config_write_reference(FILE *out)
{
    fprintf(out,
            "; salesfocus - reference configuration: every key with its default (SPEC §6).\n"
            ";\n"
            "; Generated from the schema (include/config/sf_config_keys.def) by\n"
            "; `salesfocus config --reference`; tests/e2e/config_docs.sh checks that this\n"
            "; file matches it. Lists are comma-separated, and an indented line\n"
            "; continues a list. A ; after a blank starts a comment. Fractions take at most\n"
            "; six decimals, amounts two. Paths in [input] are relative to this file.\n"
            "; See docs/configuration.md.\n");
    const char *prev = "";
    for (int i = 0; i < CFG_N_KEYS; i++) {
        const cfg_key *k = &cfg_keys[i];
        if (strcmp(prev, k->section) != 0) {
            if (strcmp(prev, "input") == 0)
                write_columns_ini(out);
            fprintf(out, "\n[%s]\n", k->section);
            prev = k->section;
        }
        fprintf(out, "; %s\n", k->help);
        if (k->def)
            fprintf(out, "%s =%s%s\n", k->key, *k->def ? " " : "", k->def);
        else
            fprintf(out, "; %s = %s.csv\n", k->key, k->key);
    }
    fprintf(out, "\n[currency_rates]\n"
                 "; CODE = value of one unit in the report currency (three uppercase letters)\n"
                 "; USD = 0.92\n"
                 "\n[owners]\n"
                 "; owner name as in the data = email address, for per_owner mail\n"
                 "; Anna Nowak = anna.nowak@example.com\n");
    return ferror(out) ? SF_ERR_OUTPUT : SF_OK;
}

/* The "allowed" column of a key: the type's fixed text, else its range or
 * choices. */
static void allowed_text(const cfg_key *k, char *out, size_t n)
{
#define CFG_TYPE_ALLOWED(T, size, list, setter, release, doc, allowed) [K_##T] = allowed,
    static const char *const fixed[K_N] = {CFG_TYPES(CFG_TYPE_ALLOWED)};
#undef CFG_TYPE_ALLOWED
    char lo[32], hi[32];
    out[0] = '\0';
    switch (k->type) {
    case K_INT:
        snprintf(out, n, "%lld to %lld", (long long)k->min, (long long)k->max);
        break;
    case K_FRAC:
        cfg_fmt_ppm(k->min, lo);
        cfg_fmt_ppm(k->max, hi);
        snprintf(out, n, "%s to %s", lo, hi);
        break;
    case K_MONEY:
        cfg_fmt_cents(k->min, lo);
        snprintf(out, n, "%s or more", lo);
        break;
    case K_CHOICE:
    case K_ENUM:
        cfg_choices_text(k->choices, out, n);
        break;
    case K_INPUT:
        snprintf(out, n, "%s", k->aux == SF_FILE_TRANSACTIONS ? "paths (comma-separated; * ? [ patterns) or @won"
                                                              : "paths (comma-separated; * ? [ patterns)");
        break;
    default:
        if (k->type >= 0 && k->type < K_N && fixed[k->type])
            snprintf(out, n, "%s", fixed[k->type]);
        break;
    }
}

sf_err sf_config_write_markdown(FILE *out)
{
#define CFG_TYPE_DOC(T, size, list, setter, release, doc, allowed) [K_##T] = doc,
    static const char *const type_names[K_N] = {CFG_TYPES(CFG_TYPE_DOC)};
#undef CFG_TYPE_DOC
    fprintf(out, "| section | key | type | default | allowed | meaning |\n"
                 "|---|---|---|---|---|---|\n");
    for (int i = 0; i < CFG_N_KEYS; i++) {
        const cfg_key *k = &cfg_keys[i];
        char range[256], def[128];
        allowed_text(k, range, sizeof range);
        if (!k->def)
            snprintf(def, sizeof def, "(required)");
        else if (!*k->def)
            snprintf(def, sizeof def, "(empty)");
        else
            snprintf(def, sizeof def, "`%s`", k->def);
        fprintf(out, "| `[%s]` | `%s` | %s | %s | %s | %s |\n", k->section, k->key,
                type_names[k->type], def, range, k->help);
    }
    return ferror(out) ? SF_ERR_OUTPUT : SF_OK;
}
