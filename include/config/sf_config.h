/*
 * sf_config.h - the run configuration (SPEC §6), loaded from INI with inih.
 *
 * Fractions are held exactly as parts per million (int64 "ppm", at most six
 * decimals in the file); money as int64 cents. Every comparison involving a
 * fraction is done in integer arithmetic by the analyses. The keys are
 * described once, in sf_config_keys.def.
 */
#ifndef SF_CONFIG_H
#define SF_CONFIG_H

#include <stdio.h>

#include "base/sf_common.h"

#define SF_PPM 1000000

/* Input files, in the order rejects.csv lists them. */
typedef enum {
    SF_FILE_ACCOUNTS = 0,
    SF_FILE_TRANSACTIONS,
    SF_FILE_ACTIVITIES,
    SF_FILE_OPPORTUNITIES,
    SF_FILE_USERS,   /* a users export: owner id -> display name */
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
    SF_TF_PURCHASES, /* an aggregated export's purchase count (docs/scale.md) */
    SF_TF_N
} sf_transaction_field;

typedef enum {
    SF_VF_ACCOUNT_ID = 0, SF_VF_DATE, SF_VF_TYPE, SF_VF_OWNER, SF_VF_OUTCOME,
    SF_VF_DURATION_MIN,
    SF_VF_COUNT, /* an aggregated export's activity count (docs/scale.md) */
    SF_VF_N
} sf_activity_field;

typedef enum {
    SF_OF_OPPORTUNITY_ID = 0, SF_OF_ACCOUNT_ID, SF_OF_CREATED, SF_OF_STATUS,
    SF_OF_STAGE, SF_OF_AMOUNT, SF_OF_CURRENCY, SF_OF_PROBABILITY,
    SF_OF_CLOSE_DATE, SF_OF_NEXT_STEP_DATE, SF_OF_NEXT_STEP, SF_OF_OWNER,
    SF_OF_CONTACT_TITLE, SF_OF_NAME, SF_OF_IS_WON, SF_OF_IS_CLOSED,
    SF_OF_N
} sf_opportunity_field;

typedef enum {
    SF_UF_USER_ID = 0, SF_UF_NAME, SF_UF_FIRST_NAME, SF_UF_LAST_NAME,
    SF_UF_N
} sf_user_field;

#define SF_FIELD_MAX 16 /* the largest of SF_xF_N */

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
    char *header; /* owned; SF_MAP_HEADER only: one header, or several
                   * joined by '|' (the first non-empty of them) */
} sf_colmap;

/* One input file of a kind: [input] activities = Task.csv, Event.csv
 * names two. columns[] are the file's own [columns.KIND.NAME] overrides:
 * SF_MAP_DEFAULT = as [columns.KIND] says. */
typedef struct {
    char *path;   /* resolved (a glob pattern expanded) */
    char *given;  /* the item as written in [input] */
    sf_colmap columns[SF_FIELD_MAX];
} sf_input_file;

typedef struct {
    sf_input_file *v;
    size_t n;
} sf_input_list;

/* A mapped-value list ([activity_types] call = ..., proposal_stages, ...):
 * `set` false means "not configured" (the canonical name itself matches). */
typedef struct {
    bool set;
    bool wild;         /* an item holds '*', which matches any text */
    sf_strlist values; /* lower-cased with sf_utf8_lower at load time */
} sf_valmap;

typedef enum { SF_THOUSANDS_NONE = 0, SF_THOUSANDS_SPACE, SF_THOUSANDS_COMMA, SF_THOUSANDS_DOT, SF_THOUSANDS_APOS } sf_thousands;
typedef enum { SF_CMP_YOY = 0, SF_CMP_PREVIOUS } sf_compare;
typedef enum { SF_SPLIT_AUTO = 0, SF_SPLIT_EXISTING, SF_SPLIT_NEW } sf_split_mode;
/* [email] send_when: when a mail is handed to sendmail */
typedef enum { SF_SEND_ALWAYS = 0, SF_SEND_NONEMPTY, SF_SEND_CHANGED } sf_send_when;
/* [email] owner_attachments: what a rep's own mail carries */
typedef enum { SF_OWNER_ATT_REVIEW = 0, SF_OWNER_ATT_NONE, SF_OWNER_ATT_ALL } sf_owner_att;

/* Segment keys for the lookalike benchmark. */
typedef enum { SF_SEG_INDUSTRY = 0, SF_SEG_SIZE_BAND, SF_SEG_REGION, SF_SEG_FIT, SF_SEG_OWNER } sf_segment_key;
/* Its name as segment_by spells it: "industry", "size_band", ... */
const char *sf_segment_key_name(sf_segment_key k);

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
    SF_PHASE_STAGED = 0, /* writes into the run's folder, beside the others */
    SF_PHASE_LAST        /* writes into it once every staged output is complete
                          * (the email reads the files it attaches); work for
                          * after the switch is deferred (sf_stage_defer) */
} sf_output_phase;

/* The member each key type declares, for a SF_CFG_KEY line of
 * sf_config_keys.def: SF_CFG_DECL_<TYPE>(member, aux). Fractions are ppm,
 * money cents. An OPTIONAL number carries has_<member>; a segment or size
 * list carries its count n_<member>. */
#define SF_CFG_DECL_NUM_0(m) int64_t m;
#define SF_CFG_DECL_NUM_OPTIONAL(m) int64_t m; bool has_##m;
#define SF_CFG_DECL_INT(m, aux) SF_CFG_DECL_NUM_##aux(m)
#define SF_CFG_DECL_FRAC(m, aux) int64_t m;
#define SF_CFG_DECL_MONEY(m, aux) SF_CFG_DECL_NUM_##aux(m)
#define SF_CFG_DECL_BOOL(m, aux) bool m;
#define SF_CFG_DECL_STR(m, aux) char *m;
#define SF_CFG_DECL_OSTR(m, aux) char *m;     /* NULL = empty */
#define SF_CFG_DECL_PATH(m, aux) char *m;     /* resolved; NULL = empty */
#define SF_CFG_DECL_CHOICE(m, aux) char *m;
#define SF_CFG_DECL_ENUM(m, aux) aux m;
#define SF_CFG_DECL_DATE(m, aux) sf_date m;   /* SF_NODATE = empty */
#define SF_CFG_DECL_DELIM(m, aux) char m;     /* 0 = auto */
#define SF_CFG_DECL_DECIMAL(m, aux) char m;
#define SF_CFG_DECL_THOUSANDS(m, aux) sf_thousands m;
#define SF_CFG_DECL_ENCODING(m, aux) char *m;
#define SF_CFG_DECL_DATEFMT(m, aux) char *m;
#define SF_CFG_DECL_VALMAP(m, aux) sf_valmap m;
#define SF_CFG_DECL_STRLIST(m, aux) sf_strlist m;
#define SF_CFG_DECL_TIERS(m, aux) bool m[SF_TIER_N];
#define SF_CFG_DECL_ACTTYPES(m, aux) bool m[SF_ACT_N];
#define SF_CFG_DECL_SEGMENTS(m, aux) sf_segment_key m[8]; int n_##m;
#define SF_CFG_DECL_SIZEBANDS(m, aux) int64_t m[16]; int n_##m; /* ascending */
#define SF_CFG_DECL_PRESET(m, aux) char *m;   /* NULL = none */

/*
 * The configuration. Every member that a key of sf_config_keys.def sets on
 * its own is declared from that table, in its order (names as in the
 * table's member column; [outputs] gives out_pdf, out_xlsx, ...). Written
 * by hand are the members no key maps 1:1: where the file came from, the
 * per-file column maps, the free-key sections, and the arrays indexed by
 * an enum whose elements are separate keys (cadence_days[SF_TIER_A] is
 * [cadence] a_days): the table names one element per line, and declaring
 * the array from those lines would need its bound and element type there
 * too, for no gain.
 */
typedef struct sf_config {
    /* where it came from */
    char *path;       /* config file as given */
    char *dir;        /* its directory, for relative paths */
    char *share_dir;  /* where config/crm and templates/ were found */

    /* every SF_CFG_KEY of the schema */
#define SF_CFG_KEY(section, key, type, def, min, max, member, aux, choices, help) \
    SF_CFG_DECL_##type(member, aux)
#define SF_CFG_KEY_ELEM(section, key, type, def, min, max, member, aux, choices, help)
#include "config/sf_config_keys.def"
#undef SF_CFG_KEY
#undef SF_CFG_KEY_ELEM

    /* [input] preset = auto: the preset is chosen from the files
     * (sf_preset_choose, input layer) and the file loaded again with it
     * (sf_config_load_auto); until then no preset is loaded */
    bool preset_auto;

    /* [input]: resolved paths, NULL = absent (transactions required);
     * file[k] is the first of the kind's files, inputs[k] every one of
     * them (glob patterns expanded by sf_config_load), input_items[k] the
     * items as written, resolved against the config's folder */
    char *file[SF_FILE_N];
    char *sheets[SF_FILE_N];   /* [input] <kind>_sheet; NULL: [input] sheet */
    sf_input_list inputs[SF_FILE_N];
    sf_strlist input_items[SF_FILE_N];
    sf_strlist input_given[SF_FILE_N];
    bool transactions_from_won; /* transactions = @won */

    /* [columns.*] */
    sf_colmap columns[SF_FILE_N][SF_FIELD_MAX];

    /* [activity_types] (call email visit meeting), [outcomes], [opportunity_status] */
    sf_valmap activity_types[SF_ACT_OTHER];
    sf_valmap outcomes[3];   /* index SF_OUT_CONVERSATION, SF_OUT_APPOINTMENT */
    sf_valmap statuses[3];   /* index SF_ST_WON, SF_ST_LOST */

    /* [cadence] by tier A B C D */
    int64_t cadence_days[SF_TIER_N];
    char *cadence_channel[SF_TIER_N];

    /* [costs] (cents) and [durations] (minutes), by sf_act_type */
    int64_t costs[SF_ACT_N];
    int64_t durations[SF_ACT_N];

    /* [currency_rates] */
    sf_rate *rates;
    size_t n_rates;

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

/* sf_config_load for a file with [input] preset = auto, the preset chosen
 * being `preset` (NULL or "": none); cfg->preset_auto is set. */
sf_err sf_config_load_auto(sf_config *cfg, const char *path, const char *share_dir, const char *preset,
                           sf_ctx *ctx);

/* Apply only preset `name` (share_dir/config/crm/NAME.ini) over cfg
 * (after sf_config_init): its formats, column maps and value lists, for
 * comparing presets with files. No whole-config checks. */
sf_err sf_config_load_preset_only(sf_config *cfg, const char *share_dir, const char *name, sf_ctx *ctx);

/* The names of the presets in share_dir/config/crm, sorted, appended to
 * names. SF_OK (no folder: none) or SF_ERR_NOMEM. */
sf_err sf_config_preset_names(const char *share_dir, sf_strlist *names);

/* Free everything cfg owns; accepts a zeroed or half-built config. */
void sf_config_release(sf_config *cfg);

/* Rate (ppm) for a currency code; false if unknown. The report currency
 * converts at 1 (1000000) unless a rate is configured. */
bool sf_config_rate(const sf_config *cfg, const char *code, int64_t *rate_ppm);

/* Does `value` (raw CRM text) match the mapped list, or - when the list
 * is not configured - the canonical name `canon`? Trimmed, Unicode
 * lower-cased comparison. */
bool sf_valmap_match(const sf_valmap *m, const char *canon, const char *value);

/* The mapping of `field` in input file `part` of kind k: the file's own
 * [columns.KIND.NAME] line when it has one, else [columns.KIND]. */
const sf_colmap *sf_config_column(const sf_config *cfg, sf_file_kind k, size_t part, int field);

/* Does value (trimmed) match one of [input] blank_values (an export's
 * word for "empty", e.g. amoCRM's "не закрыта" in a close date)? */
bool sf_config_blank_value(const sf_config *cfg, const char *value);

/* Does value (trimmed) match one of [input] null_ids (an export's id for
 * "no record", e.g. Bitrix24's COMPANY_ID 0)? */
bool sf_config_null_id(const sf_config *cfg, const char *value);

/* The sheet an XLSX file of kind k is read from ([input] <kind>_sheet, else
 * [input] sheet; NULL: the first), and in *key the name of the key that
 * said so, for messages. */
const char *sf_config_sheet(const sf_config *cfg, sf_file_kind k, const char **key);

/* Map raw CRM values to canonical enums through the config. */
sf_act_type sf_config_act_type(const sf_config *cfg, const char *value);
sf_outcome sf_config_outcome(const sf_config *cfg, const char *value);
sf_status sf_config_status(const sf_config *cfg, const char *value);

/* Expand {as_of} and {period} in a template (output_dir); malloc'd. */
char *sf_config_expand(const sf_config *cfg, const char *tmpl, sf_date as_of);

/* The rules of the analyses (SPEC §7): every setting of [run] currency,
 * [tiers] .. [kpi], [reorder] and [currency_rates], one
 * "section.key = value" line each in the schema's order (rates by code),
 * values canonical (shortest exact numbers, set-like lists sorted,
 * defaults included), so that comments, key order and spelling do not
 * change it. malloc'd (caller frees); NULL on out of memory. */
char *sf_config_rules(const sf_config *cfg);
/* The rules' fingerprint: FNV-1a 64 of the text, 16 lowercase hex digits. */
void sf_config_fingerprint(const char *rules, char out[17]);

/* The generated documentation (`salesfocus config --reference` and
 * `--markdown`): the reference INI config/salesfocus.ini, every section and
 * key with its default and one line of help; and the markdown table of
 * docs/configuration.md. Return SF_ERR_OUTPUT on a write error. */
sf_err sf_config_write_reference(FILE *out);
sf_err sf_config_write_markdown(FILE *out);

#endif
