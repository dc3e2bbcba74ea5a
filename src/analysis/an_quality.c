/*
 * an_quality.c - what the data cannot support, said once for `check`, the
 * run log and the report's data-quality page (docs/analyses.md, "Data
 * quality"): a book without any positive revenue, growth against a prior
 * year the transactions do not cover, a status that reads as closed but
 * counts as open, a won cycle too short to be one, filter 2 without a
 * next-step column, owners the users export does not name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_report.h"

/* Words of a closed deal, lower-case. `whole`: only as a whole word (the
 * short English ones, so that "wonderful" stays open); else a word that
 * starts with it ("закрыта", "przegrana", "Closed-Lost"). */
typedef struct {
    const char *stem;
    bool whole;
} closed_word;

static const closed_word k_closed[] = {
    /* en */ {"won", true}, {"lost", true}, {"lose", true}, {"closed", false}, {"cancel", false},
    /* ru */ {"успешн", false}, {"провал", false}, {"закрыт", false}, {"реализован", false},
    {"выигран", false}, {"проигран", false}, {"отказ", false},
    /* pl */ {"wygran", false}, {"przegran", false}, {"zamknięt", false}, {"utracon", false},
    {"stracon", false}, {"zakończon", false},
    /* id */ {"menang", false}, {"kalah", false}, {"ditutup", false}, {"gagal", false},
    {"batal", false}, {"selesai", false},
    /* es: Salesforce orgs in Latin America */ {"cerrad", false}, {"ganad", false}, {"perdid", false},
};

/* A letter for word boundaries: ASCII letters and digits, and any byte of
 * a multi-byte UTF-8 character (Cyrillic, Polish letters). */
static bool wordish(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

bool sf_reads_closed(const char *value)
{
    if (!value || !*value)
        return false;
    char *low = sf_utf8_lower(value);
    if (!low)
        return false;
    bool hit = false;
    for (size_t w = 0; w < SF_ARRAY_LEN(k_closed) && !hit; w++) {
        size_t l = strlen(k_closed[w].stem);
        for (const char *p = low; !hit && (p = strstr(p, k_closed[w].stem)); p++) {
            bool start = p == low || !wordish((unsigned char)p[-1]);
            bool end = !wordish((unsigned char)p[l]);
            hit = start && (end || !k_closed[w].whole);
        }
    }
    free(low);
    return hit;
}

void sf_note_text(const sf_note *n, char *out, size_t cap)
{
    char a[16], b[16];
    sf_date_iso(n->d1, a);
    sf_date_iso(n->d2, b);
    switch (n->kind) {
    case SF_NOTE_NO_REVENUE:
        snprintf(out, cap, "no transaction has an amount above 0: every revenue figure, tier and alert "
                           "of this report is empty (check the amount column and the number format)");
        break;
    case SF_NOTE_GROWTH_PARTIAL:
        snprintf(out, cap, "growth is n/a: the transactions begin on %s, after the first day of the "
                           "previous 365 days (%s)", a, b);
        break;
    case SF_NOTE_CLOSED_AS_OPEN:
        snprintf(out, cap, "status '%s' (%lld deals) reads as closed but counts as open: add it to "
                           "[opportunity_status] won or lost", n->text, (long long)n->n);
        break;
    case SF_NOTE_SHORT_CYCLE:
        snprintf(out, cap, "the median won deal closed %lld days after it was created (deals entered "
                           "at close?): stale and next-step checks use default_cycle_days = %lld",
                 (long long)n->n, (long long)n->m);
        break;
    case SF_NOTE_NO_NEXT_STEP:
        snprintf(out, cap, "no next-step date column: the next-step criteria of filter 2 are skipped");
        break;
    case SF_NOTE_OWNERS_UNNAMED:
        snprintf(out, cap, "%lld owner(s) not in the users export, e.g. '%s': shown as written",
                 (long long)n->n, n->text ? n->text : "");
        break;
    case SF_NOTE_N:
        out[0] = '\0';
        break;
    }
}

static bool push(sf_quality_result *q, sf_note n)
{
    sf_note *v = realloc(q->v, (q->n + 1) * sizeof *v);
    if (!v)
        return false;
    q->v = v;
    v[q->n++] = n;
    return true;
}

/* Fills out (zeroed first; owns v). Reads the dataset, the summary and
 * the pipeline. SF_OK or SF_ERR_NOMEM (out released). */
sf_err sf_analyze_quality(const sf_report *rep, sf_quality_result *out)
{
    const sf_dataset *ds = rep->ds;
    const sf_summary_result *s = &rep->summary;
    bool ok = true;
    memset(out, 0, sizeof *out);
    if (s->no_revenue)
        ok &= push(out, (sf_note){.kind = SF_NOTE_NO_REVENUE});
    if (s->growth_why == SF_GROWTH_PARTIAL)
        ok &= push(out, (sf_note){.kind = SF_NOTE_GROWTH_PARTIAL, .d1 = s->first_tx, .d2 = s->prior_start});
    /* closed-sounding statuses read as open, most deals first */
    const sf_tally *t = &ds->tally[SF_TALLY_STATUS];
    uint32_t *ord = t->n ? sf_tally_order(t) : NULL;
    if (t->n && !ord)
        ok = false;
    for (uint32_t i = 0; ord && i < t->n; i++) {
        const sf_tally_ent *e = &t->v[ord[i]];
        if (e->cls == SF_ST_OPEN && sf_reads_closed(e->value))
            ok &= push(out, (sf_note){.kind = SF_NOTE_CLOSED_AS_OPEN, .text = e->value, .n = e->count});
    }
    free(ord);
    if (ds->have_opportunities && rep->pipeline.cycle_too_short)
        ok &= push(out, (sf_note){.kind = SF_NOTE_SHORT_CYCLE, .n = rep->pipeline.measured_cycle_days,
                                  .m = rep->pipeline.avg_cycle_days});
    if (ds->have_opportunities && rep->pipeline.next_step_skipped)
        ok &= push(out, (sf_note){.kind = SF_NOTE_NO_NEXT_STEP});
    if (ds->n_users) {
        uint32_t unnamed = 0;
        const char *first = NULL;
        for (uint32_t k = 0; k < ds->n_owners; k++) {
            uint32_t id = ds->owner_order ? ds->owner_order[k] : k;
            if (id == SF_OWNER_UNASSIGNED || !ds->owner_seen[id])
                continue;
            if (!ds->owner_named || !ds->owner_named[id]) {
                if (!unnamed++)
                    first = ds->owners[id];
            }
        }
        if (unnamed)
            ok &= push(out, (sf_note){.kind = SF_NOTE_OWNERS_UNNAMED, .n = unnamed, .text = first});
    }
    if (!ok) {
        free(out->v);
        memset(out, 0, sizeof *out);
        return SF_ERR_NOMEM;
    }
    return SF_OK;
}
