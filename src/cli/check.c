/*
 * check.c - the parts of `salesfocus check` that lead to the fix (see
 * sf_check.h): each file of a kind with several, the first bad values of
 * each reject reason with their lines, the classes the export's status,
 * type and outcome values were given, the data-quality notes, and the
 * rejects list written where the user asks (`check --rejects FILE`).
 */
#include "cli/sf_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/sf_output.h"

#define VALUES_SHOWN 30 /* distinct values printed per column, most frequent first */

void sf_check_print_parts(const sf_dataset *ds, sf_file_kind f)
{
    const sf_file_stats *fs = &ds->files[f];
    for (uint32_t p = 0; p < fs->n_parts; p++) {
        const sf_file_stats *ps = &fs->parts[p];
        printf("  file %u of %u: %s\n", p + 1, fs->n_parts, ps->path ? ps->path : "");
        for (int k = 0; k < sf_field_count(f); k++) {
            const char *h = ps->mapped_header[k];
            printf("    %-16s <- %s%s%s%s\n", sf_field_name(f, k), h ? "\"" : "", h ? h : "(unmapped)",
                   h ? "\"" : "", sf_field_required(f, k) ? "  [required]" : "");
        }
        printf("    records: read %lld, accepted %lld, rejected %lld, blank %lld, footer %lld\n",
               (long long)ps->read, (long long)ps->accepted, (long long)ps->rejected, (long long)ps->blank,
               (long long)ps->footer);
    }
}

/* The base name of a kind's file number p. */
static const char *part_name(const sf_config *cfg, sf_file_kind f, uint16_t p)
{
    const char *path = p < cfg->inputs[f].n ? cfg->inputs[f].v[p].path : cfg->file[f];
    if (!path)
        return sf_file_kind_name(f);
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

void sf_check_print_examples(const sf_config *cfg, const sf_rejects *rj, sf_file_kind f, bool kept)
{
    /* the lines of @won's derived transactions are in the opportunities file */
    sf_file_kind shown = f == SF_FILE_TRANSACTIONS && cfg->transactions_from_won ? SF_FILE_OPPORTUNITIES : f;
    bool several = cfg->inputs[shown].n > 1;
    for (int r = 0; r < SF_REJ_N; r++) {
        uint8_t n = rj->n_ex[f][r][kept];
        if (!n)
            continue;
        printf("    e.g. %s:", sf_reject_reason_name((sf_reject_reason)r));
        for (uint8_t i = 0; i < n; i++) {
            const sf_reject_example *x = &rj->ex[f][r][kept][i];
            printf("%s", i ? ";" : "");
            if (several || shown != f)
                printf(" %s", part_name(cfg, shown, x->part));
            printf(" line %u", (unsigned)x->line);
            if (x->field)
                printf(" %s", x->field);
            printf(" '%s'", x->value ? x->value : "");
        }
        printf("\n");
    }
}

static const char *class_name(sf_tally_kind k, int cls)
{
    static const char *const status[] = {"open", "won", "lost"};
    static const char *const outcome[] = {"none", "conversation", "appointment"};
    switch (k) {
    case SF_TALLY_STATUS:
        return (unsigned)cls < 3 ? status[cls] : "?";
    case SF_TALLY_TYPE:
        return sf_act_type_name((sf_act_type)cls);
    case SF_TALLY_OUTCOME:
        return (unsigned)cls < 3 ? outcome[cls] : "?";
    case SF_TALLY_N:
        break;
    }
    return "?";
}

void sf_check_print_values(const sf_dataset *ds)
{
    static const char *const titles[SF_TALLY_N] = {
        "opportunity status values (deals -> class):", "activity type values (activities -> class):",
        "outcome values (activities -> class):"};
    for (int k = 0; k < SF_TALLY_N; k++) {
        const sf_tally *t = &ds->tally[k];
        if (!t->n)
            continue;
        uint32_t *ord = sf_tally_order(t);
        if (!ord)
            continue;
        printf("%s\n", titles[k]);
        int64_t rest = t->overflow, rest_values = 0;
        for (uint32_t i = 0; i < t->n; i++) {
            const sf_tally_ent *e = &t->v[ord[i]];
            if (i >= VALUES_SHOWN) {
                rest += e->count;
                rest_values++;
                continue;
            }
            bool odd = k == SF_TALLY_STATUS && e->cls == SF_ST_OPEN && sf_reads_closed(e->value);
            printf("  '%s'%s: %lld -> %s%s\n", e->value, *e->value ? "" : " (empty)", (long long)e->count,
                   class_name((sf_tally_kind)k, e->cls),
                   odd ? "   warning: reads as closed; add it to [opportunity_status] won or lost" : "");
        }
        if (rest)
            printf("  ... %lld more value%s (%lld records)\n", (long long)rest_values, rest_values == 1 ? "" : "s",
                   (long long)rest);
        free(ord);
    }
}

void sf_check_print_notes(const sf_report *rep)
{
    char text[1024];
    for (uint32_t i = 0; i < rep->quality.n; i++) {
        sf_note_text(&rep->quality.v[i], text, sizeof text);
        printf("warning: %s\n", text);
    }
}

sf_err sf_check_write_rejects(const sf_settings *set, const sf_config *cfg, const sf_dataset *ds,
                              sf_rejects *rj, const char *path, sf_ctx *ctx)
{
    sf_report only = {.ds = ds, .cfg = cfg, .rejects = rj, .as_of = ds->as_of};
    sf_stage stage;
    sf_output_ctx o = {.set = set, .cfg = cfg, .ds = ds, .rep = &only, .rejects = rj, .out_dir = ".",
                       .stage = &stage};
    /* one file where the user asks, written beside it and renamed over */
    sf_err e = sf_stage_begin_file(&stage, path, ctx);
    if (e == SF_OK)
        e = sf_out_csv_list_at(&o, &sf_list_rejects, path, ctx);
    if (e == SF_OK)
        e = sf_stage_commit(&stage, ctx);
    if (e != SF_OK)
        sf_stage_abort(&stage);
    sf_stage_release(&stage);
    return e;
}
