/*
 * an_kpi.c - SPEC §3.7: per-rep activity and funnel KPIs over the KPI
 * window: calls per weekday against the quota, conversation to
 * appointment, appointment to proposal, close ratio, sales cycle and the
 * average sale. A ratio with a zero denominator is empty (SF_NONE); the
 * counts of a missing input file are empty too. The team's median cycle is
 * taken over the same deals, so the report's reference line and the reps'
 * bars share one window.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_list.h"

static bool is_proposal_stage(const sf_config *cfg, const char *stage)
{
    if (!stage || !*stage)
        return false;
    for (size_t i = 0; i < cfg->proposal_stages.values.n; i++)
        if (sf_utf8_ieq(stage, cfg->proposal_stages.values.v[i]))
            return true;
    return false;
}

/* Mon-Fri in the window (T - n, T]. */
static int64_t weekdays_in(sf_date T, int64_t n)
{
    int64_t w = 0;
    for (int64_t i = 0; i < n; i++)
        if (sf_date_weekday((sf_date)(T - i)) < 5)
            w++;
    return w;
}

typedef struct {
    int64_t proposals, won, lost, sale_n;
    __int128 sale_sum;
} opp_acc;

/* Fills out (zeroed first; owns rows): one row per owner seen, in owner
 * name order. Rows are kept even without both input files (their values
 * are then empty), so the owner list matches time_split; out->n is 0 only
 * when neither activities nor opportunities were given. Returns SF_OK or
 * SF_ERR_NOMEM. */
sf_err sf_analyze_kpi(const sf_dataset *ds, const sf_config *cfg, sf_kpi_result *out)
{
    const sf_date T = ds->as_of;
    const int64_t w = cfg->kpi_window_days;
    opp_acc *oa = NULL;
    uint32_t *won_start = NULL, *won_fill = NULL;
    int64_t *cycles = NULL;

    memset(out, 0, sizeof *out);
    out->weekdays = weekdays_in(T, w);
    out->team_cycle_days = SF_NONE;
    if (!ds->have_activities && !ds->have_opportunities)
        return SF_OK;

    size_t no = (size_t)ds->n_owners + 1;
    oa = calloc(no, sizeof *oa);
    won_start = calloc(no + 1, sizeof *won_start);
    won_fill = calloc(no, sizeof *won_fill);
    cycles = malloc((size_t)(ds->n_opps ? ds->n_opps : 1) * sizeof *cycles);
    out->rows = calloc(no, sizeof *out->rows);
    if (!oa || !won_start || !won_fill || !cycles || !out->rows)
        goto nomem;

    /* One pass counts; the won cycles are bucketed by owner (counting
     * sort) so each owner's median is a sort of its own slice. */
    for (uint32_t i = 0; i < ds->n_opps; i++) {
        const sf_opportunity *o = &ds->opps[i];
        if (o->owner >= ds->n_owners)
            continue;
        opp_acc *x = &oa[o->owner];
        if (sf_in_window(o->created, T, w) &&
            (o->status == SF_ST_WON || is_proposal_stage(cfg, o->stage)))
            x->proposals++;
        if (o->status != SF_ST_OPEN && sf_in_window(o->close_date, T, w)) {
            if (o->status == SF_ST_WON) {
                x->won++;
                won_start[o->owner + 1]++;
                if (o->amount != SF_NONE) {
                    x->sale_sum += o->amount;
                    x->sale_n++;
                }
            } else {
                x->lost++;
            }
        }
    }
    for (size_t i = 1; i <= no; i++)
        won_start[i] += won_start[i - 1];
    out->team_won = won_start[no];
    for (uint32_t i = 0; i < ds->n_opps; i++) {
        const sf_opportunity *o = &ds->opps[i];
        if (o->owner >= ds->n_owners || o->status != SF_ST_WON ||
            !sf_in_window(o->close_date, T, w))
            continue;
        cycles[won_start[o->owner] + won_fill[o->owner]++] =
            (int64_t)o->close_date - o->created;
    }

    uint32_t m = 0;
    for (uint32_t i = 0; i < ds->n_owners; i++) {
        uint32_t id = ds->owner_order ? ds->owner_order[i] : i;
        if (ds->owner_seen && !ds->owner_seen[id])
            continue;
        sf_kpi_row *r = &out->rows[m++];
        r->owner = id;
        if (ds->have_activities) {
            const sf_owner_acts *a = &ds->owner_acts[id];
            r->calls = a->calls;
            r->calls_per_day = sf_share_e4(a->calls, out->weekdays);
            r->conversations = a->conversations;
            r->appointments = a->appointments;
            r->conv_to_appt = sf_share_e4(a->appointments, a->conversations);
        } else {
            r->calls = r->calls_per_day = r->conversations = r->appointments = SF_NONE;
            r->conv_to_appt = SF_NONE;
        }
        if (ds->have_opportunities) {
            const opp_acc *x = &oa[id];
            r->proposals = x->proposals;
            r->appt_to_proposal = ds->have_activities
                                      ? sf_share_e4(x->proposals, r->appointments)
                                      : SF_NONE;
            r->won = x->won;
            r->lost = x->lost;
            r->close_ratio = sf_share_e4(x->won, x->won + x->lost);
            uint32_t s = won_start[id], n = won_start[id + 1] - s;
            if (n > 0) {
                r->median_cycle_days = sf_select_i64(cycles + s, n, (n - 1) / 2); /* lower median */
            } else {
                r->median_cycle_days = SF_NONE;
            }
            r->avg_sale = x->sale_n > 0 ? sf_div_round(x->sale_sum, x->sale_n) : SF_NONE;
        } else {
            r->proposals = r->appt_to_proposal = r->won = r->lost = SF_NONE;
            r->close_ratio = r->median_cycle_days = r->avg_sale = SF_NONE;
        }
    }
    out->n = m;
    if (out->team_won > 0) /* the team's median of the whole */
        out->team_cycle_days = sf_select_i64(cycles, (size_t)out->team_won, (size_t)(out->team_won - 1) / 2);
    free(oa);
    free(won_start);
    free(won_fill);
    free(cycles);
    return SF_OK;

nomem:
    free(oa);
    free(won_start);
    free(won_fill);
    free(cycles);
    free(out->rows);
    memset(out, 0, sizeof *out);
    return SF_ERR_NOMEM;
}

/* ---- rep_kpis.csv --------------------------------------------------------------- */

static const sf_column kpi_cols[] = {
    SF_COLUMN("owner", SF_COL_TEXT), SF_COLUMN("calls", SF_COL_INT), SF_COLUMN("calls_per_day", SF_COL_DECIMAL),
    SF_COLUMN("conversations", SF_COL_INT), SF_COLUMN("appointments", SF_COL_INT),
    SF_COLUMN("conv_to_appt", SF_COL_SHARE), SF_COLUMN("proposals", SF_COL_INT),
    SF_COLUMN("appt_to_proposal", SF_COL_SHARE), SF_COLUMN("won", SF_COL_INT), SF_COLUMN("lost", SF_COL_INT),
    SF_COLUMN("close_ratio", SF_COL_SHARE), SF_COLUMN("median_cycle_days", SF_COL_INT),
    SF_COLUMN("avg_sale", SF_COL_MONEY),
};

static size_t kpi_count(const sf_report *rep) { return rep->kpi.n; }

static uint32_t kpi_owner(const sf_report *rep, size_t row) { return rep->kpi.rows[row].owner; }

static void kpi_row(const sf_report *rep, size_t row, sf_cell *c)
{
    const sf_kpi_row *r = &rep->kpi.rows[row];
    const sf_config *cfg = rep->cfg;
    c[0].text = sf_report_owner_name(rep, r->owner);
    c[1].v = r->calls;
    c[2].v = r->calls_per_day;
    /* below the daily call quota (SPEC §3.7) */
    c[2].alert = r->calls_per_day != SF_NONE &&
                 (__int128)r->calls_per_day < (__int128)cfg->daily_call_quota * SF_E4;
    c[3].v = r->conversations;
    c[4].v = r->appointments;
    c[5].v = r->conv_to_appt;
    /* outside the conversation-to-appointment band */
    c[5].alert = r->conv_to_appt != SF_NONE &&
                 ((__int128)r->conv_to_appt * 100 < cfg->conv_to_appt_low ||
                  (__int128)r->conv_to_appt * 100 > cfg->conv_to_appt_high);
    c[6].v = r->proposals;
    c[7].v = r->appt_to_proposal;
    c[8].v = r->won;
    c[9].v = r->lost;
    c[10].v = r->close_ratio;
    c[11].v = r->median_cycle_days;
    c[12].v = r->avg_sale;
}

const sf_list sf_list_kpis = {
    .name = "rep_kpis",
    .sheet_key = "sheet_kpis",
    .cols = kpi_cols,
    .n_cols = (int)SF_ARRAY_LEN(kpi_cols),
    .count = kpi_count,
    .owner = kpi_owner,
    .row = kpi_row,
};
