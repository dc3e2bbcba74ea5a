/*
 * check.c - `salesfocus check` (sf_cmd_check: the inputs read and
 * analysed as a run reads them, nothing written but what is asked for),
 * and the parts of it that lead to the fix (see sf_check.h): each file of
 * a kind with several, the first bad values of each reject reason with
 * their lines, the classes the export's status, type and outcome values
 * were given, the data-quality notes, and the rejects list written where
 * the user asks (`check --rejects FILE`).
 */
#include "cli/sf_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sf_log.h"
#include "cli/sf_job.h"
#include "input/sf_hints.h"
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

/* One input file: its mapping, counts, reject reasons with examples,
 * dates, warnings and hints. */
void sf_check_print_file(const sf_config *cfg, const sf_dataset *ds, const sf_rejects *rj, sf_file_kind f)
{
    const sf_file_stats *fs = &ds->files[f];
    const char *kind = sf_file_kind_name(f);
    if (!fs->present) {
        printf("%s: not configured\n", kind);
        return;
    }
    if (fs->n_parts > 1)
        printf("%s: %u files\n", kind, fs->n_parts);
    else
        printf("%s: %s\n", kind, fs->path ? fs->path : "(derived)");
    if (fs->n_parts > 1) {
        sf_check_print_parts(ds, f);
    } else {
        printf("  mapping:\n");
        for (int k = 0; k < sf_field_count(f); k++) {
            const char *h = fs->mapped_header[k];
            printf("    %-16s <- %s%s%s%s\n", sf_field_name(f, k), h ? "\"" : "", h ? h : "(unmapped)",
                   h ? "\"" : "", sf_field_required(f, k) ? "  [required]" : "");
        }
    }
    printf("  records: read %lld, accepted %lld, rejected %lld, blank %lld, footer %lld\n", (long long)fs->read,
           (long long)fs->accepted, (long long)fs->rejected, (long long)fs->blank, (long long)fs->footer);
    bool any = false;
    for (int r = 0; r < SF_REJ_N; r++) {
        if (!rj->count[f][r])
            continue;
        printf("%s%s %lld", any ? ", " : "  rejected by reason: ", sf_reject_reason_name((sf_reject_reason)r),
               (long long)rj->count[f][r]);
        any = true;
    }
    if (any)
        printf("\n");
    sf_check_print_examples(cfg, rj, f, false);
    any = false;
    for (int r = 0; r < SF_REJ_N; r++) {
        if (!rj->kept_count[f][r])
            continue;
        printf("%s%s %lld", any ? ", " : "  kept with a field emptied: ", sf_reject_reason_name((sf_reject_reason)r),
               (long long)rj->kept_count[f][r]);
        any = true;
    }
    if (any)
        printf("\n");
    sf_check_print_examples(cfg, rj, f, true);
    if (fs->min_date != SF_NODATE) {
        char a[16], b[16];
        sf_date_iso(fs->min_date, a);
        sf_date_iso(fs->max_date, b);
        printf("  dates: %s .. %s\n", a, b);
    }
    for (size_t w = 0; w < fs->warnings.n; w++)
        printf("  warning: %s\n", fs->warnings.v[w]);
    sf_strlist hints = {0};
    sf_ctx hctx = {0};
    if (sf_check_hints(cfg, f, fs, rj, &hints, &hctx) == SF_OK)
        for (size_t h = 0; h < hints.n; h++)
            printf("  hint: %s\n", hints.v[h]);
    sf_strlist_clear(&hints);
}

/* Lists the workbook will continue on more sheets: exactly for the
 * accounts and the rejects, "up to" for the lists bounded by the accounts
 * or the deals (check runs no analysis). */
void sf_check_print_sheet_notes(const sf_config *cfg, const sf_dataset *ds, const sf_rejects *rj)
{
    if (!cfg->out_xlsx)
        return;
    const struct {
        const char *what;
        size_t n;
        bool exact;
    } l[] = {{"accounts", ds->n_accounts, true},
             {"rejects", rj->n, true},
             {"cadence_due, decline_alerts, fire_candidates, reorder_due", ds->n_accounts, false},
             {"pipeline", ds->n_opps, false}};
    for (size_t i = 0; i < SF_ARRAY_LEN(l); i++)
        if (l[i].n > SF_SHEET_ROWS)
            printf("workbook: %s: %s%zu rows, more than one sheet holds (%zu): continued on %s%zu more sheet%s\n",
                   l[i].what, l[i].exact ? "" : "up to ", l[i].n, SF_SHEET_ROWS, l[i].exact ? "" : "up to ",
                   sf_sheets_for(l[i].n) - 1, sf_sheets_for(l[i].n) > 2 ? "s" : "");
}

/* preset = auto: every candidate and how well it matched. */
static void print_auto_preset(const sf_job *j)
{
    const sf_preset_choice *c = &j->auto_preset;
    if (!j->cfg.preset_auto || !c->n)
        return;
    printf("preset auto: %s\n", *c->v[c->chosen].name ? c->v[c->chosen].name : "none (canonical names)");
    for (size_t i = 0; i < c->n; i++) {
        char line[256];
        sf_preset_score_text(&c->v[i], line, sizeof line);
        printf("  %s %s\n", i == c->chosen ? "*" : " ", line);
    }
}

/* SPEC §7: the store's state, read only. */
static int check_history(sf_job *j)
{
    if (!j->cfg.history_enabled) {
        printf("history: off ([history] enabled = no)\n");
        return 0;
    }
    if (!j->out_dir) {
        j->out_dir = j->opts->out ? sf_strdup(j->opts->out) : sf_config_expand(&j->cfg, j->cfg.output_dir, j->as_of);
        if (!j->out_dir) {
            sf_ctx_nomem(&j->ctx);
            return sf_job_fail(j);
        }
    }
    if (sf_cli_history_init(&j->hist, &j->cfg, j->out_dir, j->as_of, &j->ctx) != SF_OK)
        return sf_job_fail(j);
    return sf_cli_history_check(&j->hist, &j->ctx) != SF_OK ? sf_job_fail(j) : 0;
}

int sf_cmd_check(const sf_run_opts *opts)
{
    sf_job j;
    memset(&j, 0, sizeof j);
    j.opts = opts;
    j.collect_values = true;
    int rc = sf_job_setup(&j, false);
    if (rc == 0 && opts->rejects) {
        /* the rejected lines are kept for the file, spooled beside it */
        const char *slash = strrchr(opts->rejects, '/');
        j.spool_dir = slash ? (slash == opts->rejects ? sf_strdup("/") : sf_strndup(opts->rejects,
                                                                                  (size_t)(slash - opts->rejects)))
                            : sf_strdup(".");
        if (!j.spool_dir) {
            sf_ctx_nomem(&j.ctx);
            rc = sf_job_fail(&j);
        }
    }
    if (rc == 0) {
        rc = sf_job_ingest(&j, false);
        if (rc == 0)
            rc = sf_job_analyze(&j);
        if (j.ds && opts->rejects && (rc == 0 || j.rejects.over_limit)) {
            sf_ctx wctx = {0};
            if (sf_check_write_rejects(&j.set, &j.cfg, j.ds, &j.rejects, opts->rejects, &wctx) != SF_OK) {
                sf_log(SF_LOG_ERROR, "%s", wctx.msg);
                if (rc == 0)
                    rc = (int)wctx.code;
            }
        }
        if (j.ds && (rc == 0 || j.rejects.over_limit)) {
            char d[16];
            sf_date_iso(j.as_of, d);
            printf("config: %s%s%s%s\nas of: %s\n", opts->config,
                   j.cfg.preset || j.cfg.preset_auto ? (j.cfg.preset_auto ? " (preset auto: " : " (preset ") : "",
                   j.cfg.preset ? j.cfg.preset : j.cfg.preset_auto ? "none" : "",
                   j.cfg.preset || j.cfg.preset_auto ? ")" : "", d);
            print_auto_preset(&j);
            for (int f = 0; f < SF_FILE_N; f++)
                sf_check_print_file(&j.cfg, j.ds, &j.rejects, (sf_file_kind)f);
            uint32_t owners = 0;
            for (uint32_t i = 0; i < j.ds->n_owners; i++)
                owners += j.ds->owner_seen[i];
            printf("accounts: %u%s, owners: %u, opportunities: %u\n", j.ds->n_accounts,
                   j.ds->accounts_derived ? " (derived from transactions)" : "", owners, j.ds->n_opps);
            if (j.ds->n_users)
                printf("users: %u in the users export, %u owner(s) shown by name\n", j.ds->n_users,
                       j.ds->owners_named);
            sf_check_print_values(j.ds);
            if (j.rep_done)
                sf_check_print_notes(&j.rep);
            if (opts->rejects)
                printf("rejects list written to %s (%zu lines)\n", opts->rejects, j.rejects.n);
            sf_check_print_sheet_notes(&j.cfg, j.ds, &j.rejects);
            int trc = sf_job_check_templates(&j, true);
            int hrc = rc == 0 ? check_history(&j) : 0;
            printf("%s\n", rc == 0 && trc == 0 && hrc == 0 ? "check: ok"
                          : trc != 0                       ? "check: a mail template has an error"
                          : hrc != 0                       ? "check: the history store cannot be used"
                                                           : "check: too many rejected records");
            if (rc == 0)
                rc = trc ? trc : hrc;
        }
    }
    sf_job_release(&j);
    return rc;
}
