/*
 * config_rules.c - the rules of the analyses as one canonical text, and
 * its fingerprint (SPEC §7 "What a run stores").
 *
 * The history store keeps, with every run, the settings its conclusions
 * came from, so that a later run can say "the rules changed" instead of
 * blaming the clients for a move. The text is built from the schema, not
 * from the file: every key of [run] currency, [tiers] .. [kpi], [reorder]
 * and every [currency_rates] code, one "section.key = value" line each,
 * values printed canonically (numbers in their shortest exact form, lists
 * of a set sorted, defaults included). Comments, key order, spacing,
 * "0.5" against "0.50" and "Retail, Logistics" against "logistics, retail"
 * give the same text; a changed default between versions does not.
 */
#include "config/sf_config_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sections whose keys are rules (SPEC §7), besides [run] currency and
 * [currency_rates]. */
static const char *const rule_sections[] = {
    "tiers", "potential", "temperature", "cadence", "decline", "fire", "costs", "durations",
    "time_split", "ideal_client", "qualification", "kpi", "reorder",
};

static bool is_rule(const cfg_key *k)
{
    if (strcmp(k->section, "run") == 0)
        return strcmp(k->key, "currency") == 0;
    for (size_t i = 0; i < SF_ARRAY_LEN(rule_sections); i++)
        if (strcmp(k->section, rule_sections[i]) == 0)
            return true;
    return false;
}

/* A growing text; `oom` once an append failed. */
typedef struct {
    char *p;
    size_t n, cap;
    bool oom;
} text;

static void put(text *t, const char *s)
{
    size_t k = strlen(s);
    if (t->oom)
        return;
    if (t->n + k + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 1024;
        while (cap < t->n + k + 1)
            cap *= 2;
        char *p = realloc(t->p, cap);
        if (!p) {
            t->oom = true;
            return;
        }
        t->p = p;
        t->cap = cap;
    }
    memcpy(t->p + t->n, s, k + 1);
    t->n += k;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A value list: "(unset)" when not configured, else its values sorted
 * (membership is all they mean) and ", "-joined. */
static void put_valmap(text *t, const sf_valmap *m)
{
    if (!m->set) {
        put(t, "(unset)");
        return;
    }
    char **v = malloc((m->values.n ? m->values.n : 1) * sizeof *v);
    if (!v) {
        t->oom = true;
        return;
    }
    memcpy(v, m->values.v, m->values.n * sizeof *v);
    qsort(v, m->values.n, sizeof *v, cmp_str);
    for (size_t i = 0; i < m->values.n; i++) {
        if (i)
            put(t, ", ");
        put(t, v[i]);
    }
    free(v);
}

/* The names of the set flags of a bool array, in their fixed order. */
static void put_flags(text *t, const bool *on, const char *const *names, int n)
{
    bool any = false;
    for (int i = 0; i < n; i++)
        if (on[i]) {
            put(t, any ? ", " : "");
            put(t, names[i]);
            any = true;
        }
}

/* The word of an ENUM member's value: the value-th of its choices. */
static void put_choice_word(text *t, const char *choices, int value)
{
    const char *p = choices ? choices : "";
    for (int i = 0; *p; i++) {
        size_t len = strcspn(p, " ");
        if (i == value) {
            char w[64];
            snprintf(w, sizeof w, "%.*s", (int)(len < sizeof w ? len : sizeof w - 1), p);
            put(t, w);
            return;
        }
        p += len;
        p += strspn(p, " ");
    }
    char num[32];
    snprintf(num, sizeof num, "%d", value);
    put(t, num);
}

/* One key's value as the canonical text. */
static void put_value(text *t, const sf_config *cfg, const cfg_key *k)
{
    const char *m = (const char *)cfg + k->off;
    char b[64];
    bool has = true;
    if ((k->type == K_INT || k->type == K_MONEY) && k->aux != NOFLAG)
        has = *(const bool *)((const char *)cfg + k->aux);
    switch (k->type) {
    case K_INT:
        if (has) {
            snprintf(b, sizeof b, "%lld", (long long)*(const int64_t *)m);
            put(t, b);
        }
        break;
    case K_FRAC:
        cfg_fmt_ppm(*(const int64_t *)m, b);
        put(t, b);
        break;
    case K_MONEY:
        if (has) {
            cfg_fmt_cents(*(const int64_t *)m, b);
            put(t, b);
        }
        break;
    case K_BOOL:
        put(t, *(const bool *)m ? "yes" : "no");
        break;
    case K_STR:
    case K_OSTR:
    case K_CHOICE:
        put(t, *(char *const *)m ? *(char *const *)m : "");
        break;
    case K_ENUM:
        put_choice_word(t, k->choices, *(const int *)m);
        break;
    case K_VALMAP:
        put_valmap(t, (const sf_valmap *)m);
        break;
    case K_TIERS:
        put_flags(t, (const bool *)m, cfg_tier_names, SF_TIER_N);
        break;
    case K_ACTTYPES:
        put_flags(t, (const bool *)m, cfg_act_names, SF_ACT_N);
        break;
    case K_SEGMENTS: {
        /* most specific first: the order is part of the rule */
        int n = *(const int *)((const char *)cfg + k->aux);
        const sf_segment_key *s = (const sf_segment_key *)m;
        for (int i = 0; i < n; i++) {
            put(t, i ? ", " : "");
            put(t, (unsigned)s[i] < CFG_N_SEGMENTS ? cfg_segment_names[s[i]] : "?");
        }
        break;
    }
    case K_SIZEBANDS: {
        int n = *(const int *)((const char *)cfg + k->aux);
        for (int i = 0; i < n; i++) {
            snprintf(b, sizeof b, "%s%lld", i ? ", " : "", (long long)((const int64_t *)m)[i]);
            put(t, b);
        }
        break;
    }
    default:
        /* no other type stands in a rule section; a new one must be added
         * here rather than silently left out of the fingerprint */
        put(t, "(?)");
        break;
    }
}

static int cmp_rate(const void *a, const void *b)
{
    return strcmp(((const sf_rate *)a)->code, ((const sf_rate *)b)->code);
}

char *sf_config_rules(const sf_config *cfg)
{
    text t = {0};
    for (int i = 0; i < CFG_N_KEYS; i++) {
        const cfg_key *k = &cfg_keys[i];
        if (!is_rule(k))
            continue;
        put(&t, k->section);
        put(&t, ".");
        put(&t, k->key);
        put(&t, " = ");
        put_value(&t, cfg, k);
        put(&t, "\n");
    }
    sf_rate *rates = malloc((cfg->n_rates ? cfg->n_rates : 1) * sizeof *rates);
    if (!rates) {
        free(t.p);
        return NULL;
    }
    if (cfg->n_rates)
        memcpy(rates, cfg->rates, cfg->n_rates * sizeof *rates);
    qsort(rates, cfg->n_rates, sizeof *rates, cmp_rate);
    for (size_t i = 0; i < cfg->n_rates; i++) {
        char b[32];
        cfg_fmt_ppm(rates[i].rate, b);
        put(&t, "currency_rates.");
        put(&t, rates[i].code);
        put(&t, " = ");
        put(&t, b);
        put(&t, "\n");
    }
    free(rates);
    if (t.oom || !t.p) {
        free(t.p);
        return NULL;
    }
    return t.p;
}

void sf_config_fingerprint(const char *rules, char out[17])
{
    /* FNV-1a, 64 bits: small, fixed for ever and easy to recompute from
     * the stored text (docs/history.md) */
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (const unsigned char *p = (const unsigned char *)(rules ? rules : ""); *p; p++) {
        h ^= *p;
        h *= UINT64_C(0x100000001b3);
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}
