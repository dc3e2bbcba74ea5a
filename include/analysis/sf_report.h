/*
 * sf_report.h - results of the analyses of SPEC §2-§3.
 *
 * Each analysis is a pure function of (dataset, config) that fills its
 * result struct; later analyses may read earlier results (fire reads tiers,
 * decline and qualification). Outputs (CSV, XLSX, PDF, email) only render
 * these structs. Shares are int64 ten-thousandths (sf_share_e4), money int64
 * cents, SF_NONE = empty. Rows hold indexes into the dataset.
 *
 * Ownership: sf_report owns every array; sf_report_release frees them.
 */
#ifndef SF_REPORT_H
#define SF_REPORT_H

#include "analysis/sf_history_view.h"
#include "analysis/sf_clv.h"
#include "data/sf_dataset.h"
#include "data/sf_rejects.h"

typedef enum { SF_TEMP_HOT = 0, SF_TEMP_WARM, SF_TEMP_COLD } sf_temp;

/* §3.1, one per account (indexed like ds->accounts). */
typedef struct {
    int64_t benchmark;   /* cents, SF_NONE = no benchmark */
    uint32_t bench_peers;/* buying accounts whose median it is (SPEC §9) */
    uint8_t bench_level; /* the first bench_level keys of segment_by gave
                          * it; 0 = no benchmark */
    int64_t potential;   /* cents */
    sf_tier tier;
    int64_t ratio;       /* e4, SF_NONE when L does not exist */
    int64_t realization; /* e4 */
    sf_temp temp;
} sf_account_result;

typedef struct {
    sf_account_result *acc;   /* n = ds->n_accounts */
    uint32_t *order;          /* accounts.csv order: tier, potential desc, id */
    uint32_t *by_rev;         /* buying accounts (rev12 > 0), rev12 desc, id */
    uint32_t *id_rank;        /* per account: rank of its id in byte order, the
                               * tie-break of every account list (an integer
                               * compare instead of a strcmp per comparison) */
    uint32_t n_buying;        /* n = |P| */
    uint32_t k;               /* leading group size */
    int64_t L;                /* A-level revenue, SF_NONE when n = 0 */
} sf_tiers_result;

/* §8 the reorder rhythm */
typedef enum { SF_REORDER_NONE = 0, SF_REORDER_LATE, SF_REORDER_LAPSED } sf_reorder_status;
const char *sf_reorder_status_name(sf_reorder_status s); /* "late" "lapsed" "" */

typedef struct {
    uint32_t account;
    sf_date last_purchase;     /* the last purchase day in the lookback */
    uint32_t purchases;        /* purchase days in the lookback */
    int64_t typical, spread;   /* lower medians of the gaps and of |gap - typical|, days */
    int64_t since;             /* T - last purchase day */
    sf_date expected_date;     /* last + typical */
    int64_t days_late;         /* since - typical */
    int64_t late_ratio;        /* since / typical, e4 */
    sf_reorder_status status;
    int64_t order_value;       /* lower median of the purchase days' sums, cents */
    int64_t revenue_at_risk;   /* order_value x floor(since / typical), cents */
} sf_reorder_row;

typedef struct {
    sf_reorder_row *rows;      /* reorder_due.csv: late or lapsed, tiers of [reorder] tiers */
    uint32_t n;
    uint8_t *status;           /* per account: sf_reorder_status, whatever its tier */
} sf_reorder_result;

/* §11 expected future value: one row per account with a purchase on or
 * before T. */
typedef struct {
    uint32_t account;
    uint32_t repeat_purchases; /* x */
    int64_t recency_days;      /* last - first purchase day */
    int64_t age_days;          /* T - first purchase day */
    int64_t p_alive;           /* e4 */
    int64_t expected;          /* expected purchases over the horizon, e4 */
    int64_t order_value;       /* expected order value, cents */
    int64_t clv;               /* cents */
    int64_t revenue;           /* every purchase day up to T, cents (not a
                                * clv.csv column: the report's "valuable") */
} sf_clv_row;

/* Why the lists of §11 are empty in this run. */
typedef enum {
    SF_CLV_FITTED = 0,
    SF_CLV_TOO_FEW,     /* fewer modelled accounts than min_accounts */
    SF_CLV_NO_REPEAT,   /* no account bought on a second day */
    SF_CLV_NOT_FINITE   /* a figure was not a finite number */
} sf_clv_state;

/* One row of clv_model.csv: the value as its text (six significant
 * digits without an exponent, a count as a whole number). */
typedef struct {
    const char *model, *param; /* static */
    char value[48];
} sf_clv_model_row;

typedef struct {
    bool enabled;              /* [clv] enabled: the lists exist */
    bool fitted;               /* the models ran and every figure is finite */
    sf_clv_state state;
    char why[200];             /* not fitted: why (the log, the report) */
    uint32_t modelled;         /* accounts with a purchase on or before T */
    sf_clv_fits fits;
    sf_clv_row *rows;          /* clv.csv order after sf_clv_order */
    uint32_t n;
    /* the valuable clients least likely to be alive (revenue to date in
     * the top quarter, p_alive below 50 %): indexes into rows, by owner
     * name, then revenue descending, then account id (sf_clv_order) */
    uint32_t *at_risk;
    uint32_t n_at_risk;
    int64_t valuable_from;     /* the revenue to date that makes a client valuable */
    int64_t *acc_p_alive, *acc_clv; /* per account (e4, cents), SF_NONE: not modelled */
    sf_clv_model_row model_rows[16];
    int n_model_rows;
    double seconds;            /* the fit and the figures (SF_TIMINGS) */
} sf_clv_result;

/* §3.2 */
typedef struct {
    uint32_t account;
    sf_date last_contact;     /* SF_NODATE = never */
    sf_date next_due;
    int64_t days_overdue;
    const char *channel;      /* borrowed from cfg */
} sf_cadence_row;

typedef struct {
    sf_cadence_row *rows;
    uint32_t n;
    sf_date *next_due;        /* per account (accounts.csv), after the
                               * reorder pull; SF_NODATE without activities */
    bool *pulled;             /* per account: §8 moved next_due to T */
} sf_cadence_result;

/* §3.3 */
typedef struct {
    uint32_t account;
    int64_t prior, current, drop; /* cents */
    int64_t drop_share;           /* e4 */
    bool lost;                    /* severity lost (else declining) */
} sf_decline_row;

typedef struct {
    sf_decline_row *rows;
    uint32_t n;
    bool *alerted;            /* per account: has an alert (fire reason) */
} sf_decline_result;

/* §3.4 reasons, as bits in their fixed order. */
enum {
    SF_FIRE_NEGATIVE_NET = 1 << 0,
    SF_FIRE_HIGH_COST = 1 << 1,
    SF_FIRE_COLD = 1 << 2,
    SF_FIRE_DECLINING = 1 << 3,
    SF_FIRE_ICP_MISS = 1 << 4
};
#define SF_FIRE_REASON_N 5
const char *sf_fire_reason_name(int bit_index); /* "negative_net" ... */

typedef struct {
    uint32_t account;
    int64_t rev12, margin12, cost12, net_value; /* cents */
    unsigned reasons;
} sf_fire_row;

typedef struct {
    sf_fire_row *rows;
    uint32_t n;
    uint32_t eligible;
} sf_fire_result;

/* §3.5: one row per owner (ordered by name) then (all). */
#define SF_OWNER_ALL UINT32_MAX
typedef struct {
    uint32_t owner;            /* owner id or SF_OWNER_ALL */
    int64_t key_share;         /* e4 */
    bool mode_new;             /* mode new (else existing) */
    int64_t recommended_key, recommended_rest; /* e4 */
    int64_t actual_key, actual_other, actual_prospecting; /* e4, SF_NONE */
    int64_t minutes;           /* total minutes logged in the window */
} sf_split_row;

typedef struct {
    sf_split_row *rows;
    uint32_t n;                /* owners + 1 */
} sf_split_result;

/* §3.6 misses, as bits in their fixed order. */
enum {
    SF_F1_INDUSTRY = 1 << 0,
    SF_F1_EMPLOYEES = 1 << 1,
    SF_F1_REGION = 1 << 2,
    SF_F1_COMPANY_REVENUE = 1 << 3,
    SF_F1_FIT = 1 << 4
};
#define SF_F1_MISS_N 5
enum {
    SF_F2_NO_NEXT_STEP = 1 << 0,
    SF_F2_NEXT_STEP_OVERDUE = 1 << 1,
    SF_F2_NEXT_STEP_TOO_FAR = 1 << 2,
    SF_F2_STALE = 1 << 3,
    SF_F2_LOW_PROBABILITY = 1 << 4,
    SF_F2_NO_DECISION_MAKER = 1 << 5
};
#define SF_F2_MISS_N 6
const char *sf_f1_miss_name(int bit_index); /* "industry" ... */
const char *sf_f2_miss_name(int bit_index); /* "no_next_step" ... */

typedef enum { SF_VERDICT_PURSUE = 0, SF_VERDICT_QUALIFY, SF_VERDICT_DROP } sf_verdict;
const char *sf_verdict_name(sf_verdict v);

typedef struct {
    uint32_t opp;              /* index into ds->opps */
    unsigned f1_misses, f2_misses;
    sf_verdict verdict;
} sf_pipeline_row;

typedef struct {
    sf_pipeline_row *rows;     /* open opportunities created <= T, in order */
    uint32_t n;
    int64_t avg_cycle_days;    /* the cycle filter 2 uses */
    bool avg_cycle_default;    /* fewer than min_won, or too short: default used */
    int64_t measured_cycle_days; /* median of the won deals; SF_NONE: fewer than min_won */
    bool cycle_too_short;      /* measured < min_cycle_days (deals entered at close) */
    bool next_step_skipped;    /* no next_step_date column: its criteria are skipped */
    bool *account_f1_fail;     /* per account: fails filter 1 (icp_miss) */
    bool f1_configured;        /* any ideal-client criterion set */
} sf_pipeline_result;

/* §3.7: one row per owner (ordered by name). */
typedef struct {
    uint32_t owner;
    int64_t calls;
    int64_t calls_per_day;     /* e4 */
    int64_t conversations, appointments;
    int64_t conv_to_appt;      /* e4, SF_NONE */
    int64_t proposals;
    int64_t appt_to_proposal;  /* e4, SF_NONE */
    int64_t won, lost;
    int64_t close_ratio;       /* e4, SF_NONE */
    int64_t median_cycle_days; /* SF_NONE */
    int64_t avg_sale;          /* cents, SF_NONE */
} sf_kpi_row;

typedef struct {
    sf_kpi_row *rows;
    uint32_t n;
    int64_t weekdays;          /* Mon-Fri in the window */
    /* The team's median cycle over the same deals as the reps' (won in
     * the KPI window; lower median), and how many: SF_NONE, 0 without. */
    int64_t team_cycle_days;
    int64_t team_won;
} sf_kpi_result;

/* §3.8 plus the aggregates the charts need (rendering never re-scans). */
typedef struct {
    uint32_t count;
    int64_t realization_sum;   /* sum of e4 realizations, for the mean */
} sf_temp_cell;

/* Why growth is "n/a" (SF_NONE). */
typedef enum {
    SF_GROWTH_SHOWN = 0,
    SF_GROWTH_NO_PRIOR,   /* the previous 365 days' revenue is not above 0 */
    SF_GROWTH_PARTIAL     /* the transactions begin inside the previous 365 days */
} sf_growth_why;

typedef struct {
    int64_t rev12_total, rev_prev12_total; /* cents */
    int64_t growth;                        /* e4, SF_NONE when not shown (growth_why) */
    sf_growth_why growth_why;
    sf_date first_tx, prior_start;         /* PARTIAL: first transaction, the window's first day */
    bool no_revenue;                       /* no transaction of the book has amount > 0 */
    uint32_t tier_accounts[SF_TIER_N];
    int64_t tier_revenue[SF_TIER_N];       /* sum of rev12 per tier */
    uint32_t due_count, alert_count, lost_count, fire_count;
    uint32_t verdict_count[3];
    uint32_t f1_miss_count[SF_F1_MISS_N], f2_miss_count[SF_F2_MISS_N];
    /* per owner (indexed by owner id) x tier */
    sf_temp_cell (*temp_grid)[SF_TIER_N];
    uint32_t (*due_grid)[SF_TIER_N];
    uint32_t (*verdict_grid)[3];
    int64_t rejected_total;
} sf_summary_result;

/* §9 explanations: what each verdict rests on and what would change it,
 * in the figures explain.csv writes (the sentences of the review pack and
 * the mail use the same). */
#define SF_EXPLAIN_KEYS_MAX 160
typedef struct {
    const char *id;           /* the account's (borrowed from the dataset) */
    uint32_t account;
    uint32_t bench_peers;     /* as sf_account_result */
    uint8_t bench_level;
    int64_t benchmark;
    int64_t to_next_tier;     /* cents: B and C only, at least 0.01; SF_NONE = empty */
    int64_t to_warm;          /* cold only; SF_NONE = empty */
    int64_t to_hot;           /* cold and warm; SF_NONE = empty */
} sf_explain_account;

typedef struct {
    int64_t a_cut, b_cut;     /* ceil(a_min x L), ceil(b_min x L), cents;
                               * SF_NONE when L does not exist */
    /* per account in accounts.csv order (the order explain.csv and the
     * Accounts sheet read them in: one cache line per row, not four) */
    sf_explain_account *acc;
    uint32_t *pos;            /* per account index: its row in acc */
    int64_t *to_clear;        /* per decline row (rep->decline.rows) */
    /* the id of each row of the other lists explained, in explain.csv's
     * order (decline alerts, cadence, fire, pipeline): read in sequence,
     * fetched ahead, where a list row would reach into the dataset */
    const char **row_ids;
    uint8_t *cad_tier;        /* per cadence row: its tier (interval_days) */
    int64_t cut_net_value;    /* net value of the last fire candidate; SF_NONE */
    int64_t stale_after_days; /* floor(stale_factor x avg_cycle) */
    /* the keys of benchmark level k + 1, ';'-joined ("industry;size_band") */
    char bench_keys[8][SF_EXPLAIN_KEYS_MAX];
    char min_probability[32]; /* [qualification] min_probability as written */
    size_t n_rows;            /* rows of explain.csv */
} sf_explain_result;

/* §10 the backtest: each warning rule replayed at past dates against what
 * then happened, summed over the points. */
typedef enum {
    SF_BT_DECLINE_ALERT = 0, /* in §3.3's list */
    SF_BT_LATE_REORDER,      /* §8 status late or lapsed */
    SF_BT_COLD_A,            /* tier A and cold */
    SF_BT_FIRE,              /* a §3.4 candidate */
    SF_BT_OVERDUE_A_B,       /* in §3.2's list, tier A or B, days_overdue > 0 */
    SF_BT_RULES
} sf_bt_rule;
const char *sf_bt_rule_name(sf_bt_rule r); /* "decline_alert" ... */

typedef struct {
    int64_t points, population, declined, flagged, hits;
    int64_t precision, recall, base_rate; /* e4; SF_NONE when the denominator is 0 */
    int64_t lift;                         /* e4 of the ratio; SF_NONE likewise */
} sf_backtest_row;

typedef struct {
    sf_date as_of;                        /* T */
    int64_t horizon, points, step;        /* H, N, S */
    sf_backtest_row rows[SF_BT_RULES];
} sf_backtest_result;
/* What the data cannot support, or what was read in a way the user may
 * not expect: `check`, the run log and the report's data-quality page
 * say each of these (docs/analyses.md, "Data quality"). */
typedef enum {
    SF_NOTE_NO_REVENUE = 0,  /* no transaction with amount > 0 at all */
    SF_NOTE_GROWTH_PARTIAL,  /* d1 first transaction, d2 first day of the prior year */
    SF_NOTE_CLOSED_AS_OPEN,  /* text a status value that reads as closed, n deals: open */
    SF_NOTE_SHORT_CYCLE,     /* n measured median won cycle, m the cycle used */
    SF_NOTE_NO_NEXT_STEP,    /* no next-step date column: its criteria skipped */
    SF_NOTE_OWNERS_UNNAMED,  /* n owners not in the users export, text the first */
    SF_NOTE_N
} sf_note_kind;

typedef struct {
    sf_note_kind kind;
    const char *text;        /* borrowed from the dataset */
    int64_t n, m;
    sf_date d1, d2;
} sf_note;

typedef struct {
    sf_note *v;
    uint32_t n;
} sf_quality_result;

/* Does a status value read as closed (won, lost, closed...) in English,
 * Russian, Polish, Indonesian or Spanish? */
bool sf_reads_closed(const char *value);
/* One note in English, for the run log and `check`, into out. */
void sf_note_text(const sf_note *n, char *out, size_t cap);

/* §7 what changed since the previous run: the kinds of changes.csv, in
 * its order (rules_changed first, then the accounts', then the deals'). */
typedef enum {
    SF_CHG_RULES_CHANGED = 0,
    SF_CHG_NEW_ACCOUNT, SF_CHG_VANISHED, SF_CHG_TIER_UP, SF_CHG_TIER_DOWN,
    SF_CHG_TEMP_UP, SF_CHG_TEMP_DOWN, SF_CHG_NEW_DECLINE, SF_CHG_RECOVERED,
    SF_CHG_WORSE_DECLINE, SF_CHG_NEW_FIRE, SF_CHG_LEFT_FIRE, SF_CHG_CONTACTED,
    SF_CHG_NEW_LATE_REORDER,
    SF_CHG_NEW_DEAL, SF_CHG_WON, SF_CHG_LOST, SF_CHG_PUSHED, SF_CHG_PULLED_IN,
    SF_CHG_AMOUNT_CHANGE, SF_CHG_STAGE_CHANGE,
    SF_CHG_N
} sf_change_kind;
#define SF_CHG_FIRST_DEAL SF_CHG_NEW_DEAL
const char *sf_change_name(sf_change_kind k); /* "rules_changed", "new_account", ... */

/* What the from / to / delta of a change hold, by kind. */
typedef enum {
    SF_CHV_NONE = 0, SF_CHV_TIER, SF_CHV_TEMP, SF_CHV_MONEY, SF_CHV_DATE, SF_CHV_DAYS,
    SF_CHV_TEXT, SF_CHV_REORDER
} sf_change_value;
sf_change_value sf_change_from_type(sf_change_kind k); /* from and to */
sf_change_value sf_change_delta_type(sf_change_kind k);

typedef struct {
    uint8_t kind;              /* sf_change_kind */
    uint32_t account;          /* account rows: the account now, SF_NO_ACCOUNT
                                * when vanished; deal rows: its account, if known */
    uint32_t opp;              /* deal rows: index into ds->opps, else UINT32_MAX */
    uint32_t owner;            /* owner id; SF_OWNER_ALL for the run row or an
                                * owner no longer in the data */
    const char *id, *name, *owner_name; /* borrowed (dataset or view) */
    int64_t from, to, delta;   /* by the kind's sf_change_value; SF_NONE (or
                                * SF_NODATE for dates) = empty */
    const char *from_text, *to_text; /* SF_CHV_TEXT: the stages */
    char cell[3][32];          /* from, to, delta as changes.csv writes them */
} sf_change_row;

/* §7: changes.csv, tier_migration.csv, trend.csv, and this run as the
 * store keeps it. */
typedef struct {
    sf_change_row *rows;       /* changes.csv order */
    size_t n;
    bool first_run;            /* no previous run */
    bool rules_changed;        /* its fingerprint differs from P's */
    sf_date since;             /* T_P, SF_NODATE on a first run */
    uint32_t count[SF_CHG_N];  /* rows per kind */
    /* the tier moves (tier_up and tier_down rows), largest revenue change
     * first (|delta|, SF_NONE as 0), then by id: indexes into rows. The
     * outputs list the first ones of an owner in this order. */
    uint32_t *moves;
    size_t n_moves;
    uint32_t migration[SF_TIER_N][SF_TIER_N];       /* [from][to] accounts in both runs */
    int64_t migration_rev12[SF_TIER_N][SF_TIER_N];  /* their rev12 now */
    sf_hist_run now;           /* this run (strings borrowed from the dataset) */
    sf_hist_figures *trend;    /* stored runs before T, then this one */
    size_t n_trend;
} sf_history_result;

typedef struct sf_report {
    const sf_dataset *ds;      /* borrowed */
    const sf_config *cfg;      /* borrowed */
    const sf_rejects *rejects; /* borrowed, sorted (rejects.csv order); may be NULL */
    sf_date as_of;
    sf_tiers_result tiers;
    sf_reorder_result reorder;
    sf_cadence_result cadence;
    sf_decline_result decline;
    sf_pipeline_result pipeline;
    sf_fire_result fire;
    sf_split_result split;
    sf_kpi_result kpi;
    sf_summary_result summary;
    sf_explain_result explain;
    /* only in a backtest's report (its outputs), else NULL; borrowed */
    const sf_backtest_result *backtest;
    sf_clv_result clv;
    sf_quality_result quality;
    /* §7, with the history on (sf_analyze_history): the store's view
     * (borrowed; NULL: history off, the §7 lists are not written) */
    const sf_history_view *hist;
    sf_history_result history;
    /* analyses skipped for missing inputs, e.g. "rep KPIs: no activities
     * or opportunities"; static strings */
    const char *skipped[8];
    int n_skipped;
} sf_report;

/* The analyses, in dependency order. Each returns SF_OK or SF_ERR_NOMEM. */
sf_err sf_analyze_tiers(const sf_dataset *ds, const sf_config *cfg, sf_tiers_result *out);
sf_err sf_analyze_reorder(const sf_dataset *ds, const sf_config *cfg, const sf_tiers_result *t, sf_reorder_result *out);
sf_err sf_analyze_cadence(const sf_dataset *ds, const sf_config *cfg, const sf_tiers_result *t,
                          const sf_reorder_result *ro, sf_cadence_result *out);
sf_err sf_analyze_decline(const sf_dataset *ds, const sf_config *cfg, const sf_tiers_result *t, sf_decline_result *out);
sf_err sf_analyze_pipeline(const sf_dataset *ds, const sf_config *cfg, sf_pipeline_result *out);
sf_err sf_analyze_fire(const sf_dataset *ds, const sf_config *cfg, const sf_tiers_result *t,
                       const sf_decline_result *d, const sf_pipeline_result *p, sf_fire_result *out);
sf_err sf_analyze_split(const sf_dataset *ds, const sf_config *cfg, const sf_tiers_result *t, sf_split_result *out);
sf_err sf_analyze_kpi(const sf_dataset *ds, const sf_config *cfg, sf_kpi_result *out);
sf_err sf_analyze_summary(const sf_report *rep, sf_summary_result *out);
/* After every other analysis (it explains their verdicts). */
sf_err sf_analyze_explain(const sf_report *rep, sf_explain_result *out);
void sf_explain_release(sf_explain_result *e); /* NULL-safe */
/* §9 to_clear of a decline alert of prior and current (cents; prior > 0). */
int64_t sf_explain_to_clear(const sf_config *cfg, int64_t prior, int64_t current);

/* §10: replay the analyses as of t_k = T - horizon - k x step, k = 0 ..
 * points - 1, on ds (whose figures are recomputed for each t_k with
 * sf_dataset_at and left as of the last), and score each rule against the
 * revenue of (t_k, t_k + horizon]. progress (NULL: none) is called after
 * each point with k and t_k. SF_OK, SF_ERR_NOMEM (ctx set). */
sf_err sf_backtest(sf_dataset *ds, const sf_config *cfg, sf_date T, int64_t horizon, int64_t points,
                   int64_t step, bool threads, void (*progress)(void *arg, int64_t k, sf_date t),
                   void *arg, sf_backtest_result *out, sf_ctx *ctx);
/* §11: threads lets the fits use a second thread (same figures). The
 * rows are left in account order; sf_clv_order sorts them and picks the
 * clients at risk once the tiers (the id ranks) exist. SF_OK or
 * SF_ERR_NOMEM. */
sf_err sf_analyze_clv(const sf_dataset *ds, const sf_config *cfg, bool threads, sf_clv_result *out);
sf_err sf_clv_order(const sf_dataset *ds, const sf_tiers_result *t, sf_clv_result *out);
/* v with six significant digits, as a plain decimal number (clv_model.csv);
 * "" for a value that is not finite. */
void sf_clv_fmt6(double v, char *out, size_t cap);
void sf_clv_release(sf_clv_result *c); /* NULL-safe */
/* After the summary: the notes of what the data cannot support. */
sf_err sf_analyze_quality(const sf_report *rep, sf_quality_result *out);

/* Run every analysis into rep (zeroed first). On failure rep is released. */
/* threads: the pipeline and KPIs on a second thread (same results). */
sf_err sf_analyze(const sf_dataset *ds, const sf_config *cfg, bool threads, sf_report *rep, sf_ctx *ctx);
void sf_report_release(sf_report *rep);

/* §7, after sf_analyze: this run as the store keeps it (out's arrays
 * owned, strings borrowed from rep->ds). SF_OK or SF_ERR_NOMEM. */
sf_err sf_history_snapshot(const sf_report *rep, sf_hist_run *out);
/* §7, after sf_analyze, with the history on: this run's snapshot, the
 * changes since view->prev, the tier migration and the trend, into
 * rep->history; rep->hist = view (borrowed: it must outlive rep).
 * escalate_share and trend_runs come from rep->cfg. SF_OK, or
 * SF_ERR_NOMEM with ctx set. */
sf_err sf_analyze_history(sf_report *rep, const sf_history_view *view, sf_ctx *ctx);
/* Its parts: the tier migration (out->now against view->prev) and the
 * trend (view->runs then out->now); SF_OK or SF_ERR_NOMEM. */
sf_err sf_analyze_trend(const sf_report *rep, const sf_history_view *view, sf_history_result *out);
void sf_history_release(sf_history_result *h); /* NULL-safe */

/* The owner's name as the lists write it: "(all)" for SF_OWNER_ALL, ""
 * for an unknown id. Borrowed from the dataset or static. */
const char *sf_report_owner_name(const sf_report *rep, uint32_t owner);
/* An input file's base name as the user knows it (rejects.csv's file
 * column): of the configured path, else of the path read, else the kind's
 * name ("@won" stays "@won"). Borrowed. */
const char *sf_report_file_base(const sf_report *rep, sf_file_kind f);
/* The base name of the kind's file number `part` (several files of one
 * kind: [input] activities = Task.csv, Event.csv). Borrowed. */
const char *sf_report_part_base(const sf_report *rep, sf_file_kind f, size_t part);

/* Names used in every output. Static strings. */
const char *sf_tier_name(sf_tier t);  /* "A" .. "D" */
const char *sf_temp_name(sf_temp t);  /* "hot" "warm" "cold" */

#endif
