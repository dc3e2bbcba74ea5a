/*
 * sf_config.h - the run configuration (SPEC §6), loaded from INI with inih.
 *
 * Fractions are held exactly as parts per million (int64 "ppm", at most six
 * decimals in the file); money as int64 cents. Every comparison involving a
 * fraction is done in integer arithmetic by the analyses.
 */
#ifndef SF_CONFIG_H
#define SF_CONFIG_H

#include "base/sf_common.h"

#define SF_PPM 1000000

/* Input files, in the order rejects.csv lists them. */
typedef enum {
    SF_FILE_ACCOUNTS = 0,
    SF_FILE_TRANSACTIONS,
    SF_FILE_ACTIVITIES,
    SF_FILE_OPPORTUNITIES,
    SF_FILE_N
} sf_file_kind;

/* Canonical fields (SPEC §1), per file. The numbering is per file: each
 * file kind has its own enum; sf_field_name() gives the canonical name. */
typedef enum {
    SF_AF_ACCOUNT_ID = 0, SF_AF_NAME, SF_AF_OWNER, SF_AF_INDUSTRY, SF_AF_REGION,
    SF_AF_EMPLOYEES, SF_AF_COMPANY_REVENUE, SF_AF_CONTACT_TITLE, SF_AF_FIT,
    SF_AF_N
} sf_account_field;

typedef enum {
    SF_TF_ACCOUNT_ID = 0, SF_TF_DATE, SF_TF_AMOUNT, SF_TF_QUANTITY,
    SF_TF_UNIT_PRICE, SF_TF_TRANSACTION_ID, SF_TF_MARGIN, SF_TF_CURRENCY,
    SF_TF_N
} sf_transaction_field;

typedef enum {
    SF_VF_ACCOUNT_ID = 0, SF_VF_DATE, SF_VF_TYPE, SF_VF_OWNER, SF_VF_OUTCOME,
    SF_VF_DURATION_MIN,
    SF_VF_N
} sf_activity_field;

typedef enum {
    SF_OF_OPPORTUNITY_ID = 0, SF_OF_ACCOUNT_ID, SF_OF_CREATED, SF_OF_STATUS,
    SF_OF_STAGE, SF_OF_AMOUNT, SF_OF_CURRENCY, SF_OF_PROBABILITY,
    SF_OF_CLOSE_DATE, SF_OF_NEXT_STEP_DATE, SF_OF_NEXT_STEP, SF_OF_OWNER,
    SF_OF_CONTACT_TITLE,
    SF_OF_N
} sf_opportunity_field;

#define SF_FIELD_MAX 13 /* the largest of SF_xF_N */

/* Number of canonical fields of a file, a field's canonical name, and
 * whether it is required. Static strings: do not free. */
int sf_field_count(sf_file_kind f);
const char *sf_field_name(sf_file_kind f, int field);
bool sf_field_required(sf_file_kind f, int field);
const char *sf_file_kind_name(sf_file_kind f); /* "accounts", ... */

/* Activity types, outcomes, statuses, tiers. */
typedef enum { SF_ACT_CALL = 0, SF_ACT_EMAIL, SF_ACT_VISIT, SF_ACT_MEETING, SF_ACT_OTHER, SF_ACT_N } sf_act_type;
typedef enum { SF_OUT_NONE = 0, SF_OUT_CONVERSATION, SF_OUT_APPOINTMENT } sf_outcome;
typedef enum { SF_ST_OPEN = 0, SF_ST_WON, SF_ST_LOST } sf_status;
typedef enum { SF_TIER_A = 0, SF_TIER_B, SF_TIER_C, SF_TIER_D, SF_TIER_N } sf_tier;
const char *sf_act_type_name(sf_act_type t); /* "call" ... "other" */

/* A column mapping: state of one canonical field of one file. */
typedef enum {
    SF_MAP_DEFAULT = 0, /* not in config: header of the field's own name, if present */
    SF_MAP_HEADER,      /* mapped to `header` */
    SF_MAP_NONE         /* "FIELD =" with no value: left unmapped */
} sf_map_kind;

typedef struct {
    sf_map_kind kind;
    char *header; /* owned; SF_MAP_HEADER only */
} sf_colmap;

/* A mapped-value list ([activity_types] call = ..., proposal_stages, ...):
 * `set` false means "not configured" (the canonical name itself matches). */
typedef struct {
    bool set;
    sf_strlist values; /* lower-cased with sf_utf8_lower at load time */
} sf_valmap;

typedef enum { SF_THOUSANDS_NONE = 0, SF_THOUSANDS_SPACE, SF_THOUSANDS_COMMA, SF_THOUSANDS_DOT, SF_THOUSANDS_APOS } sf_thousands;
typedef enum { SF_CMP_YOY = 0, SF_CMP_PREVIOUS } sf_compare;
typedef enum { SF_SPLIT_AUTO = 0, SF_SPLIT_EXISTING, SF_SPLIT_NEW } sf_split_mode;

/* Segment keys for the lookalike benchmark. */
typedef enum { SF_SEG_INDUSTRY = 0, SF_SEG_SIZE_BAND, SF_SEG_REGION, SF_SEG_FIT, SF_SEG_OWNER } sf_segment_key;

typedef struct {
    char *code;     /* owned, exact ISO code */
    int64_t rate;   /* ppm of the report currency */
} sf_rate;

typedef struct {
    char *name;     /* owner name as in the data (trimmed) */
    char *address;  /* e-mail address */
} sf_owner_addr;

/* When an output of the registry (config/sf_outputs.def) runs. */
typedef enum {
    SF_PHASE_STAGED = 0,  /* writes temporaries, committed with the others */
    SF_PHASE_AFTER_COMMIT /* runs once the staged files are in place */
} sf_output_phase;

typedef struct sf_config {
    /* where it came from */
    char *path;       /* config file as given */
    char *dir;        /* its directory, for relative paths */
    char *share_dir;  /* where config/crm and templates/ were found */

    /* [run] */
    sf_date as_of;    /* SF_NODATE = not set (CLI or today decides) */
    char *output_dir; /* unexpanded template, default "out/{as_of}" */
    char *language;   /* en ru pl id */
    char *currency;   /* label, default EUR */
    char *period;     /* weekly | monthly */
    char *lock_file;  /* unexpanded; NULL = default */

    /* [input] */
    char *file[SF_FILE_N]; /* resolved paths; NULL = absent (transactions required) */
    bool transactions_from_won; /* transactions = @won */
    char delimiter;   /* ',', ';', '\t', or 0 = auto */
    char *encoding;   /* iconv name, default UTF-8 */
    char *date_format;/* default %Y-%m-%d */
    char decimal;     /* '.' or ',' */
    sf_thousands thousands;
    int64_t max_reject_share; /* ppm, default 50000 */
    char *end_marker; /* NULL = none */
    char *preset;     /* NULL = none */

    /* [columns.*] */
    sf_colmap columns[SF_FILE_N][SF_FIELD_MAX];

    /* [activity_types] (call email visit meeting), [outcomes], [opportunity_status] */
    sf_valmap activity_types[SF_ACT_OTHER];
    sf_valmap outcomes[3];   /* index SF_OUT_CONVERSATION, SF_OUT_APPOINTMENT */
    sf_valmap statuses[3];   /* index SF_ST_WON, SF_ST_LOST */

    /* [tiers] */
    int64_t reference_top_share, a_min, b_min; /* ppm */

    /* [potential] */
    sf_segment_key segment_by[8];
    int n_segment_by;
    int64_t size_bands[16]; /* ascending employee thresholds */
    int n_size_bands;
    int64_t min_peers;

    /* [temperature] */
    int64_t hot_min, cold_below; /* ppm */

    /* [cadence] */
    int64_t cadence_days[SF_TIER_N];   /* A B C D */
    char *cadence_channel[SF_TIER_N];
    bool contact_types[SF_ACT_N];      /* all true by default */
    int64_t horizon_days;
    bool cadence_tiers[SF_TIER_N];     /* all true by default */

    /* [decline] */
    int64_t decline_window_days;
    sf_compare decline_compare;
    int64_t min_drop_share;  /* ppm */
    int64_t min_drop_amount; /* cents */

    /* [fire] */
    int64_t fire_fraction;   /* ppm */
    int64_t min_tenure_days;
    bool protect_tiers[SF_TIER_N]; /* default A */
    int64_t gross_margin;    /* ppm */
    int64_t high_cost_share; /* ppm */

    /* [costs] (cents) and [durations] (minutes), by sf_act_type */
    int64_t costs[SF_ACT_N];
    int64_t durations[SF_ACT_N];

    /* [time_split] */
    sf_split_mode split_mode;
    int64_t new_business_share, existing_factor, new_factor; /* ppm */
    int64_t actual_window_days;

    /* [ideal_client]: a list is set when non-empty; numbers have has_ flags */
    sf_valmap ic_industries, ic_regions, ic_fit_values;
    bool has_min_employees, has_max_employees, has_min_company_revenue;
    int64_t min_employees, max_employees;
    int64_t min_company_revenue; /* cents */

    /* [qualification] */
    int64_t min_won, default_cycle_days;
    int64_t stale_factor;    /* ppm */
    int64_t min_probability; /* ppm of a percentage point: 20 -> 20000000 */
    bool require_decision_maker;
    sf_valmap decision_titles; /* always set (defaults filled) */

    /* [kpi] */
    int64_t kpi_window_days, daily_call_quota;
    int64_t conv_to_appt_low, conv_to_appt_high; /* ppm */
    sf_valmap proposal_stages; /* always set (defaults filled) */

    /* [outputs] */
    bool out_pdf, out_xlsx, out_csv, out_email, csv_bom;
    bool xlsx_fast; /* [outputs] xlsx_fast */

    /* [currency_rates] */
    sf_rate *rates;
    size_t n_rates;

    /* [email] */
    char *email_from;
    sf_strlist email_to, email_cc;
    char *email_subject;       /* template; NULL = language default */
    char *email_body_template; /* path; NULL = templates/email/<lang>.txt */
    char *sendmail;            /* NULL/empty = only write email.eml */
    bool skip_when_empty, on_failure, per_owner;

    /* [owners] */
    sf_owner_addr *owners;
    size_t n_owners;
} sf_config;

/* Fill cfg with every default of SPEC §6. Returns SF_OK or SF_ERR_NOMEM. */
sf_err sf_config_init(sf_config *cfg);

/* Load the INI file at path over the defaults (sf_config_init first): a
 * preset named in [input] preset is loaded first, then this file's keys
 * override it. share_dir is where config/crm/ and templates/ live (NULL:
 * "."; the CLI passes sf_settings.share_dir). On error returns SF_ERR_USAGE with ctx->msg
 * "FILE:LINE: [section] key: what is wrong" (nearest valid key suggested
 * for likely typos); a missing input file named in [input] is SF_ERR_INPUT.
 */
sf_err sf_config_load(sf_config *cfg, const char *path, const char *share_dir, sf_ctx *ctx);

/* Free everything cfg owns; accepts a zeroed or half-built config. */
void sf_config_release(sf_config *cfg);

/* Rate (ppm) for a currency code; false if unknown. The report currency
 * converts at 1 (1000000) unless a rate is configured. */
bool sf_config_rate(const sf_config *cfg, const char *code, int64_t *rate_ppm);

/* Does `value` (raw CRM text) match the mapped list, or - when the list
 * is not configured - the canonical name `canon`? Trimmed, Unicode
 * lower-cased comparison. */
bool sf_valmap_match(const sf_valmap *m, const char *canon, const char *value);

/* Map raw CRM values to canonical enums through the config. */
sf_act_type sf_config_act_type(const sf_config *cfg, const char *value);
sf_outcome sf_config_outcome(const sf_config *cfg, const char *value);
sf_status sf_config_status(const sf_config *cfg, const char *value);

/* Expand {as_of} and {period} in a template (output_dir); malloc'd. */
char *sf_config_expand(const sf_config *cfg, const char *tmpl, sf_date as_of);

#endif
