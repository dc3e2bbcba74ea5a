/*
 * explain_text.c - the explanations of SPEC §9 as sentences (see
 * sf_explain_text.h): each verdict's figures from the explain analysis
 * and the lists, put into the [explain] templates of the report's
 * language. Money is shown exactly (to the cent; no ".00" when whole), so
 * a sentence says what explain.csv says.
 */
#include "output/sf_explain_text.h"

#include <stdio.h>
#include <string.h>

#include "output/sf_template.h"

/* ---- values ---- */

static const char *label(const sf_explain_text *x, const char *key)
{
    return sf_lang_get(x->lang, key);
}

static void put_money(const sf_explain_text *x, sf_tvars *vt, const char *name, int64_t cents)
{
    char b[64];
    sf_lang_fmt_money(x->lang, cents, cents % 100 ? 2 : 0, b, sizeof b);
    sf_tvars_set(vt, name, b);
}

static void put_int(const sf_explain_text *x, sf_tvars *vt, const char *name, int64_t v)
{
    char b[64];
    sf_lang_fmt_int(x->lang, v, b, sizeof b);
    sf_tvars_set(vt, name, b);
}

static void put_date(const sf_explain_text *x, sf_tvars *vt, const char *name, sf_date d)
{
    char b[64];
    sf_lang_fmt_date(x->lang, d, b, sizeof b);
    sf_tvars_set(vt, name, b);
}

/* The share of potential reached, in whole percent rounded down: a cold
 * client at 29.99 % never reads "30 %". */
static void put_realization(const sf_explain_text *x, sf_tvars *vt, int64_t rev, int64_t potential)
{
    char b[64];
    int64_t pct = potential > 0 ? (int64_t)((__int128)(rev > 0 ? rev : 0) * 100 / potential) : 0;
    sf_lang_fmt_pct(x->lang, pct * 100, 0, b, sizeof b);
    sf_tvars_set(vt, "realization", b);
}

static void put_tier(const sf_explain_text *x, sf_tvars *vt, const char *name, sf_tier t)
{
    char k[32];
    snprintf(k, sizeof k, "common.tier_%s", sf_tier_name(t));
    sf_tvars_set(vt, name, label(x, k));
}

/* Render the sentence "explain.<key>" after what out holds (one space
 * between sentences). */
static sf_err say(const sf_explain_text *x, const char *key, const sf_tvars *vt, sf_buf *out, sf_ctx *ctx)
{
    if (vt->oom)
        return sf_ctx_nomem(ctx);
    char k[64], where[192];
    snprintf(k, sizeof k, "explain.%s", key);
    snprintf(where, sizeof where, "%s [explain] %s", x->lang_file ? x->lang_file : "templates/lang", key);
    if (out->n && out->p[out->n - 1] != ' ')
        sf_buf_putc(out, ' ');
    sf_err e = sf_template_render(label(x, k), vt, where, false, out, ctx);
    if (!e && out->oom)
        e = sf_ctx_nomem(ctx);
    return e;
}

/* ---- the look-alike segment ---- */

/* "50–249" for the size band of employees (bands as [potential]
 * size_bands; 0 staff falls in the first), or "" when unknown. */
static void band_text(const sf_config *cfg, int64_t employees, char *out, size_t n)
{
    out[0] = '\0';
    if (employees == SF_NONE)
        return;
    int b = 0;
    while (b < cfg->n_size_bands && employees >= cfg->size_bands[b])
        b++;
    long long lo = b == 0 ? 1 : (long long)cfg->size_bands[b - 1];
    if (b == cfg->n_size_bands)
        snprintf(out, n, "%lld+", lo);
    else
        snprintf(out, n, "%lld\xE2\x80\x93%lld", lo, (long long)cfg->size_bands[b] - 1);
}

/* The values of the segment keys of the benchmark level: "retail, 50–249
 * staff". Data texts are flattened (a line break in a name is a space). */
static void segment_text(const sf_explain_text *x, uint32_t a, int level, sf_tvars *vt)
{
    const sf_config *cfg = x->rep->cfg;
    const sf_dataset *ds = x->rep->ds;
    const sf_account *ac = &ds->accounts[a];
    sf_buf b = {0};
    for (int j = 0; j < level && j < cfg->n_segment_by; j++) {
        const char *v = NULL;
        char band[64];
        switch (cfg->segment_by[j]) {
        case SF_SEG_INDUSTRY: v = ac->industry; break;
        case SF_SEG_REGION: v = ac->region; break;
        case SF_SEG_FIT: v = ac->fit; break;
        case SF_SEG_OWNER: v = ac->owner < ds->n_owners ? ds->owners[ac->owner] : NULL; break;
        case SF_SEG_SIZE_BAND: band_text(cfg, ac->employees, band, sizeof band); break;
        }
        if (b.n)
            sf_buf_puts(&b, ", ");
        if (cfg->segment_by[j] == SF_SEG_SIZE_BAND) {
            /* "{band} staff": a plain substitution, the label has no other name */
            const char *t = label(x, "explain.size_band");
            const char *p = strstr(t, "{band}");
            if (p) {
                sf_buf_add(&b, t, (size_t)(p - t));
                sf_buf_puts(&b, band);
                sf_buf_puts(&b, p + 6);
            } else {
                sf_buf_puts(&b, band);
            }
        } else if (v) {
            sf_buf_puts(&b, v);
        }
    }
    sf_tvars_set_flat(vt, "segment", sf_buf_str(&b));
    if (b.oom)
        vt->oom = true;
    sf_buf_free(&b);
}

/* ---- the sentences ---- */

static sf_err tier_sentence(const sf_explain_text *x, uint32_t a, sf_buf *out, sf_ctx *ctx)
{
    const sf_report *rep = x->rep;
    const sf_account_result *r = &rep->tiers.acc[a];
    const sf_explain_account *e = &rep->explain.acc[rep->explain.pos[a]];
    sf_tvars vt = {0};
    const char *key;
    put_tier(x, &vt, "tier", r->tier);
    if (e->bench_level) {
        put_int(x, &vt, "peers", e->bench_peers);
        put_money(x, &vt, "benchmark", e->benchmark);
        segment_text(x, a, e->bench_level, &vt);
    }
    put_money(x, &vt, "potential", r->potential);
    int64_t rev = rep->ds->accounts[a].rev12;
    put_money(x, &vt, "rev12", rev > 0 ? rev : 0);
    if (r->tier == SF_TIER_D) {
        key = "tier_d";
    } else if (rep->explain.a_cut == SF_NONE) {
        key = "tier_none";
    } else if (r->tier == SF_TIER_A) {
        put_money(x, &vt, "a_cut", rep->explain.a_cut);
        key = e->bench_level ? "tier_top_bench" : "tier_top";
    } else {
        put_money(x, &vt, "to_next", e->to_next_tier);
        put_tier(x, &vt, "next_tier", r->tier == SF_TIER_B ? SF_TIER_A : SF_TIER_B);
        key = e->bench_level ? "tier_bench" : "tier_nobench";
    }
    sf_err err = say(x, key, &vt, out, ctx);
    sf_tvars_free(&vt);
    return err;
}

static sf_err temperature_sentence(const sf_explain_text *x, uint32_t a, sf_buf *out, sf_ctx *ctx)
{
    const sf_report *rep = x->rep;
    const sf_account_result *r = &rep->tiers.acc[a];
    const sf_explain_account *e = &rep->explain.acc[rep->explain.pos[a]];
    sf_tvars vt = {0};
    const char *key;
    put_realization(x, &vt, rep->ds->accounts[a].rev12, r->potential);
    if (r->temp == SF_TEMP_HOT) {
        key = "hot";
    } else if (r->temp == SF_TEMP_WARM) {
        put_money(x, &vt, "to_hot", e->to_hot);
        key = "warm";
    } else if (r->potential <= 0) {
        key = "cold_zero";
    } else {
        put_money(x, &vt, "to_warm", e->to_warm);
        put_money(x, &vt, "to_hot", e->to_hot);
        key = "cold";
    }
    sf_err err = say(x, key, &vt, out, ctx);
    sf_tvars_free(&vt);
    return err;
}

sf_err sf_explain_account_text(const sf_explain_text *x, uint32_t account, sf_buf *out, sf_ctx *ctx)
{
    if (!x->rep->explain.acc || account >= x->rep->ds->n_accounts)
        return SF_OK;
    sf_err e = tier_sentence(x, account, out, ctx);
    return e ? e : temperature_sentence(x, account, out, ctx);
}

sf_err sf_explain_decline_text(const sf_explain_text *x, size_t row, sf_buf *out, sf_ctx *ctx)
{
    const sf_report *rep = x->rep;
    if (!rep->explain.to_clear || row >= rep->decline.n)
        return SF_OK;
    const sf_decline_row *d = &rep->decline.rows[row];
    sf_tvars vt = {0};
    put_money(x, &vt, "prior", d->prior);
    put_money(x, &vt, "current", d->current);
    put_money(x, &vt, "to_clear", rep->explain.to_clear[row]);
    sf_err err = say(x, "decline", &vt, out, ctx);
    sf_tvars_free(&vt);
    return err;
}

sf_err sf_explain_fire_text(const sf_explain_text *x, size_t row, sf_buf *out, sf_ctx *ctx)
{
    const sf_report *rep = x->rep;
    if (row >= rep->fire.n)
        return SF_OK;
    const sf_fire_row *f = &rep->fire.rows[row];
    sf_tvars vt = {0};
    put_money(x, &vt, "net_value", f->net_value);
    put_money(x, &vt, "margin12", f->margin12);
    put_money(x, &vt, "cost12", f->cost12);
    put_money(x, &vt, "cut_net_value", rep->explain.cut_net_value);
    sf_err err = say(x, "fire", &vt, out, ctx);
    sf_tvars_free(&vt);
    return err;
}

sf_err sf_explain_deal_text(const sf_explain_text *x, size_t row, sf_buf *out, sf_ctx *ctx)
{
    const sf_report *rep = x->rep;
    if (row >= rep->pipeline.n)
        return SF_OK;
    const sf_opportunity *o = &rep->ds->opps[rep->pipeline.rows[row].opp];
    sf_tvars vt = {0};
    if (o->next_step_date == SF_NODATE)
        sf_tvars_set(&vt, "next_step", label(x, "explain.no_next_step"));
    else
        put_date(x, &vt, "next_step", o->next_step_date);
    put_date(x, &vt, "latest_ok", (sf_date)(rep->as_of + rep->pipeline.avg_cycle_days));
    put_int(x, &vt, "age", o->created == SF_NODATE ? 0 : (int64_t)rep->as_of - o->created);
    put_int(x, &vt, "stale_after", rep->explain.stale_after_days);
    sf_tvars_set_flat(&vt, "probability", o->probability_text);
    sf_tvars_set(&vt, "min_probability", rep->explain.min_probability);
    sf_err err = say(x, o->probability_text ? "deal" : "deal_noprob", &vt, out, ctx);
    sf_tvars_free(&vt);
    return err;
}

sf_err sf_explain_reorder_text(const sf_explain_text *x, size_t row, sf_buf *out, sf_ctx *ctx)
{
    const sf_report *rep = x->rep;
    if (row >= rep->reorder.n)
        return SF_OK;
    const sf_reorder_row *r = &rep->reorder.rows[row];
    sf_tvars vt = {0};
    put_int(x, &vt, "typical", r->typical);
    put_date(x, &vt, "last", r->last_purchase);
    put_date(x, &vt, "expected", r->expected_date);
    put_int(x, &vt, "days_late", r->days_late);
    put_money(x, &vt, "at_risk", r->revenue_at_risk);
    sf_err err = say(x, r->status == SF_REORDER_LAPSED ? "reorder_lapsed" : "reorder_late", &vt, out, ctx);
    sf_tvars_free(&vt);
    return err;
}

/* ---- the check of the sentences ---- */

/* The placeholders each sentence is given (what the functions above set;
 * keep them together). */
#define TIER_VARS "tier", "potential", "rev12"
#define BENCH_VARS "peers", "benchmark", "segment"
static const char *const k_tier_bench[] = {TIER_VARS, BENCH_VARS, "to_next", "next_tier"};
static const char *const k_tier_nobench[] = {TIER_VARS, "to_next", "next_tier"};
static const char *const k_tier_top_bench[] = {TIER_VARS, BENCH_VARS, "a_cut"};
static const char *const k_tier_top[] = {TIER_VARS, "a_cut"};
static const char *const k_tier_other[] = {TIER_VARS};
static const char *const k_hot[] = {"realization"};
static const char *const k_warm[] = {"realization", "to_hot"};
static const char *const k_cold[] = {"realization", "to_warm", "to_hot"};
static const char *const k_decline[] = {"prior", "current", "to_clear"};
static const char *const k_fire[] = {"net_value", "margin12", "cost12", "cut_net_value"};
static const char *const k_deal[] = {"next_step", "latest_ok", "age", "stale_after", "probability",
                                     "min_probability"};
static const char *const k_reorder[] = {"typical", "last", "expected", "days_late", "at_risk"};
static const char *const k_band[] = {"band"};

typedef struct {
    const char *key;
    const char *const *vars;
    size_t n;
} sentence_vars;

#define SV(key, v) {key, v, SF_ARRAY_LEN(v)}
static const sentence_vars k_sentences[] = {
    SV("tier_bench", k_tier_bench), SV("tier_nobench", k_tier_nobench),
    SV("tier_top_bench", k_tier_top_bench), SV("tier_top", k_tier_top),
    SV("tier_d", k_tier_other), SV("tier_none", k_tier_other),
    SV("hot", k_hot), SV("warm", k_warm), SV("cold", k_cold), SV("cold_zero", k_hot),
    SV("decline", k_decline), SV("fire", k_fire), SV("deal", k_deal), SV("deal_noprob", k_deal),
    SV("reorder_late", k_reorder), SV("reorder_lapsed", k_reorder), SV("size_band", k_band),
};

sf_err sf_explain_check_templates(const sf_lang *lang, const char *lang_file, sf_ctx *ctx)
{
    for (size_t i = 0; i < SF_ARRAY_LEN(k_sentences); i++) {
        char k[64], where[192];
        snprintf(k, sizeof k, "explain.%s", k_sentences[i].key);
        snprintf(where, sizeof where, "%s [explain] %s", lang_file ? lang_file : "templates/lang",
                 k_sentences[i].key);
        sf_err e = sf_template_check(sf_lang_get(lang, k), k_sentences[i].vars, k_sentences[i].n, where, false,
                                     ctx);
        if (e)
            return e;
    }
    return SF_OK;
}

/* ---- which accounts ---- */

size_t sf_explain_pick(const sf_report *rep, uint32_t owner, const uint32_t *pos, size_t n_pos, size_t max_key,
                       size_t max_next, uint32_t *out)
{
    const sf_explain_result *e = &rep->explain;
    const sf_dataset *ds = rep->ds;
    size_t k = 0, m = 0;
    if (!e->acc)
        return 0;
    size_t n = pos ? n_pos : ds->n_accounts;
    /* key clients below potential, in accounts.csv order (A first) */
    for (size_t j = 0; j < n && k < max_key; j++) {
        uint32_t a = e->acc[pos ? pos[j] : j].account;
        if (rep->tiers.acc[a].tier != SF_TIER_A)
            break;
        if ((owner == SF_OWNER_ALL || ds->accounts[a].owner == owner) && rep->tiers.acc[a].temp != SF_TEMP_HOT)
            out[k++] = a;
    }
    /* the nearest to the next tier: the max_next smallest to_next_tier,
     * kept sorted by insertion (ties stay in accounts.csv order) */
    uint32_t *near = out + k;
    for (size_t q = 0; q < n && max_next > 0; q++) {
        const sf_explain_account *x = &e->acc[pos ? pos[q] : q];
        if (x->to_next_tier == SF_NONE || (owner != SF_OWNER_ALL && ds->accounts[x->account].owner != owner))
            continue;
        if (m == max_next && e->acc[e->pos[near[m - 1]]].to_next_tier <= x->to_next_tier)
            continue;
        size_t j = m < max_next ? m++ : m - 1;
        while (j > 0 && e->acc[e->pos[near[j - 1]]].to_next_tier > x->to_next_tier) {
            near[j] = near[j - 1];
            j--;
        }
        near[j] = x->account;
    }
    return k + m;
}
