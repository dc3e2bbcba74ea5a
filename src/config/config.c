/*
 * config.c - the run configuration (SPEC §6): INI read with inih into an
 * sf_config, every key checked against one schema table.
 *
 * The table `keys[]` below is the only description of the fixed keys: it
 * drives the defaults (sf_config_init parses each default string through
 * the same code as a user's value), the parsing, the error messages and the
 * generated reference (config/salesfocus.ini, docs/configuration.md).
 *
 * Loading reads a file once into a list of entries (section, key, value,
 * line) with our own line reader, so every key has its line and an
 * over-long line is an error instead of being split by inih. A preset named
 * in [input] preset is applied first, then the user's entries.
 */
#include "config/sf_config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Generated documentation (tests compare it with the shipped files). No
 * public header carries these: the test declares them itself. */
sf_err sf_config_write_reference(FILE *out);
sf_err sf_config_write_markdown(FILE *out);

/* ------------------------------------------------------------------ */
/* Canonical fields and names                                          */
/* ------------------------------------------------------------------ */

typedef struct {
    const char *name;
    bool required;
} field_def;

static const field_def account_fields[SF_AF_N] = {
    {"account_id", true}, {"name", true}, {"owner", false},
    {"industry", false}, {"region", false}, {"employees", false},
    {"company_revenue", false}, {"contact_title", false}, {"fit", false},
};
static const field_def transaction_fields[SF_TF_N] = {
    {"account_id", true}, {"date", true}, {"amount", true},
    {"quantity", false}, {"unit_price", false}, {"transaction_id", false},
    {"margin", false}, {"currency", false},
};
static const field_def activity_fields[SF_VF_N] = {
    {"account_id", true}, {"date", true}, {"type", true},
    {"owner", false}, {"outcome", false}, {"duration_min", false},
};
static const field_def opportunity_fields[SF_OF_N] = {
    {"opportunity_id", true}, {"account_id", true}, {"created", true},
    {"status", false}, {"stage", false}, {"amount", false},
    {"currency", false}, {"probability", false}, {"close_date", false},
    {"next_step_date", false}, {"next_step", false}, {"owner", false},
    {"contact_title", false},
};

static const field_def *fields_of(sf_file_kind f, int *n)
{
    switch (f) {
    case SF_FILE_ACCOUNTS: *n = SF_AF_N; return account_fields;
    case SF_FILE_TRANSACTIONS: *n = SF_TF_N; return transaction_fields;
    case SF_FILE_ACTIVITIES: *n = SF_VF_N; return activity_fields;
    case SF_FILE_OPPORTUNITIES: *n = SF_OF_N; return opportunity_fields;
    case SF_FILE_N: break;
    }
    *n = 0;
    return NULL;
}

int sf_field_count(sf_file_kind f)
{
    int n;
    fields_of(f, &n);
    return n;
}

/* Static string; NULL for a field number out of range. */
const char *sf_field_name(sf_file_kind f, int field)
{
    int n;
    const field_def *d = fields_of(f, &n);
    return (d && field >= 0 && field < n) ? d[field].name : NULL;
}

bool sf_field_required(sf_file_kind f, int field)
{
    int n;
    const field_def *d = fields_of(f, &n);
    return d && field >= 0 && field < n && d[field].required;
}

static const char *const file_kind_names[SF_FILE_N] = {
    "accounts", "transactions", "activities", "opportunities"};

const char *sf_file_kind_name(sf_file_kind f)
{
    return (f >= 0 && f < SF_FILE_N) ? file_kind_names[f] : "?";
}

static const char *const act_names[SF_ACT_N] = {"call", "email", "visit", "meeting", "other"};

const char *sf_act_type_name(sf_act_type t)
{
    return (t >= 0 && t < SF_ACT_N) ? act_names[t] : "?";
}

static const char *const tier_names[SF_TIER_N] = {"A", "B", "C", "D"};
static const char *const segment_names[] = {"industry", "size_band", "region", "fit", "owner"};

/* ------------------------------------------------------------------ */
/* The schema                                                          */
/* ------------------------------------------------------------------ */

typedef enum {
    K_INT,       /* int64, range; aux = offset of a has_ flag or NOFLAG */
    K_FRAC,      /* decimal, at most 6 decimals -> ppm int64, range in ppm */
    K_MONEY,     /* decimal, at most 2 decimals -> cents, range in cents; aux flag */
    K_BOOL,      /* bool */
    K_STR,       /* char *, non-empty */
    K_OSTR,      /* char *, empty -> NULL */
    K_PATH,      /* char *, relative to the config file; empty -> NULL */
    K_CHOICE,    /* char *, one of `choices` */
    K_ENUM,      /* typed enum, one of `choices`; aux = which enum */
    K_DATE,      /* sf_date, empty -> SF_NODATE */
    K_DELIM,     /* char: auto , ; tab */
    K_DECIMAL,   /* char: . , */
    K_THOUSANDS, /* sf_thousands */
    K_ENCODING,  /* char *, iconv must know it */
    K_DATEFMT,   /* char *, %Y %y %m %d and separators */
    K_VALMAP,    /* sf_valmap, lower-cased; aux: VM_EMPTY_UNSETS or 0 */
    K_STRLIST,   /* sf_strlist */
    K_TIERS,     /* bool[SF_TIER_N] */
    K_ACTTYPES,  /* bool[SF_ACT_N], at least one */
    K_SEGMENTS,  /* segment_by */
    K_SIZEBANDS, /* size_bands */
    K_INPUT,     /* [input] file path or @won; aux = sf_file_kind */
    K_PRESET     /* [input] preset, handled before the rest */
} key_type;

enum { ENUM_COMPARE = 0, ENUM_SPLIT = 1 };
#define NOFLAG ((size_t)-1)
#define VM_EMPTY_UNSETS 1
#define MONEY_MAX INT64_C(10000000000000) /* 1e11 units: sums stay far from overflow */
#define PPM(x) ((int64_t)(x) * SF_PPM) /* whole numbers only */

typedef struct {
    const char *section;
    const char *key;
    key_type type;
    const char *def;     /* default exactly as written in a file; NULL: required */
    int64_t min, max;    /* K_INT, K_FRAC (ppm), K_MONEY (cents) */
    size_t off;          /* target in sf_config */
    size_t aux;          /* see key_type */
    const char *choices; /* K_CHOICE, K_ENUM: space-separated */
    const char *help;    /* one line for the reference */
} cfg_key;

#define OFF(m) offsetof(sf_config, m)
#define K(sec, key, type, def, min, max, member, aux, choices, help) \
    {sec, key, type, def, min, max, OFF(member), aux, choices, help}

static const cfg_key keys[] = {
    K("run", "as_of", K_DATE, "", 0, 0, as_of, 0, NULL, "as-of date YYYY-MM-DD; empty: --as-of, else today"),
    K("run", "output_dir", K_STR, "out/{as_of}", 0, 0, output_dir, 0, NULL, "output folder, relative to the current directory; {as_of} and {period} are replaced"),
    K("run", "language", K_CHOICE, "en", 0, 0, language, 0, "en ru pl id", "language of the report, workbook and email"),
    K("run", "currency", K_STR, "EUR", 0, 0, currency, 0, NULL, "report currency (a label; also the code that converts at 1)"),
    K("run", "period", K_CHOICE, "weekly", 0, 0, period, 0, "weekly monthly", "period named in titles and {period}"),
    K("run", "lock_file", K_OSTR, "", 0, 0, lock_file, 0, NULL, "lock file; empty: {output_dir}/../.salesfocus.lock"),

    K("input", "preset", K_PRESET, "", 0, 0, preset, 0, NULL, "CRM preset NAME: config/crm/NAME.ini is loaded first, this file overrides it"),
    K("input", "accounts", K_INPUT, "", 0, 0, file, SF_FILE_ACCOUNTS, NULL, "accounts export, relative to this file; empty: derived from transactions"),
    K("input", "transactions", K_INPUT, NULL, 0, 0, file, SF_FILE_TRANSACTIONS, NULL, "transactions export (required), or @won: the won opportunities"),
    K("input", "activities", K_INPUT, "", 0, 0, file, SF_FILE_ACTIVITIES, NULL, "activities export; empty: none"),
    K("input", "opportunities", K_INPUT, "", 0, 0, file, SF_FILE_OPPORTUNITIES, NULL, "opportunities export; empty: none"),
    K("input", "delimiter", K_DELIM, "auto", 0, 0, delimiter, 0, NULL, "auto, comma, semicolon or tab (a bare ; would start a comment)"),
    K("input", "encoding", K_ENCODING, "UTF-8", 0, 0, encoding, 0, NULL, "encoding of the exports, any iconv name (CP1251, ISO-8859-2, ...)"),
    K("input", "date_format", K_DATEFMT, "%Y-%m-%d", 0, 0, date_format, 0, NULL, "date format from %Y %y %m %d and separators"),
    K("input", "decimal", K_DECIMAL, ".", 0, 0, decimal, 0, NULL, "decimal mark: . or ,"),
    K("input", "thousands", K_THOUSANDS, "none", 0, 0, thousands, 0, NULL, "thousands separator: none, space, comma, dot or apostrophe"),
    K("input", "max_reject_share", K_FRAC, "0.05", 0, PPM(1), max_reject_share, 0, NULL, "stop (exit 3) when a file rejects more than this share of records"),
    K("input", "end_marker", K_OSTR, "", 0, 0, end_marker, 0, NULL, "data ends at the first record whose first field starts with this"),

    K("activity_types", "call", K_VALMAP, "", 0, 0, activity_types[SF_ACT_CALL], VM_EMPTY_UNSETS, NULL, "CRM values meaning a call; empty: the word call"),
    K("activity_types", "email", K_VALMAP, "", 0, 0, activity_types[SF_ACT_EMAIL], VM_EMPTY_UNSETS, NULL, "CRM values meaning an email"),
    K("activity_types", "visit", K_VALMAP, "", 0, 0, activity_types[SF_ACT_VISIT], VM_EMPTY_UNSETS, NULL, "CRM values meaning a visit"),
    K("activity_types", "meeting", K_VALMAP, "", 0, 0, activity_types[SF_ACT_MEETING], VM_EMPTY_UNSETS, NULL, "CRM values meaning a meeting; anything else is other"),

    K("outcomes", "conversation", K_VALMAP, "", 0, 0, outcomes[SF_OUT_CONVERSATION], VM_EMPTY_UNSETS, NULL, "CRM outcome values meaning a conversation"),
    K("outcomes", "appointment", K_VALMAP, "", 0, 0, outcomes[SF_OUT_APPOINTMENT], VM_EMPTY_UNSETS, NULL, "CRM outcome values meaning an appointment was set"),

    K("opportunity_status", "won", K_VALMAP, "", 0, 0, statuses[SF_ST_WON], VM_EMPTY_UNSETS, NULL, "CRM status values meaning won"),
    K("opportunity_status", "lost", K_VALMAP, "", 0, 0, statuses[SF_ST_LOST], VM_EMPTY_UNSETS, NULL, "CRM status values meaning lost; anything else is open"),

    K("tiers", "reference_top_share", K_FRAC, "0.10", 0, PPM(1), reference_top_share, 0, NULL, "share of buying clients whose revenue sets the A level"),
    K("tiers", "a_min", K_FRAC, "0.80", 0, PPM(1), a_min, 0, NULL, "potential / A level from which an account is A"),
    K("tiers", "b_min", K_FRAC, "0.45", 0, PPM(1), b_min, 0, NULL, "potential / A level from which an account is B (else C)"),

    K("potential", "segment_by", K_SEGMENTS, "industry, size_band, region", 0, 0, segment_by, 0, NULL, "lookalike keys, most specific first: industry size_band region fit owner"),
    K("potential", "size_bands", K_SIZEBANDS, "10, 50, 250", 0, 0, size_bands, 0, NULL, "ascending employee counts where a size band starts"),
    K("potential", "min_peers", K_INT, "3", 1, 1000000, min_peers, NOFLAG, NULL, "buying peers a segment needs to give a benchmark"),

    K("temperature", "hot_min", K_FRAC, "0.75", 0, PPM(1), hot_min, 0, NULL, "realization from which an account is hot"),
    K("temperature", "cold_below", K_FRAC, "0.30", 0, PPM(1), cold_below, 0, NULL, "realization below which an account is cold"),

    K("cadence", "a_days", K_INT, "30", 1, 3650, cadence_days[SF_TIER_A], NOFLAG, NULL, "contact interval of A accounts, days"),
    K("cadence", "b_days", K_INT, "90", 1, 3650, cadence_days[SF_TIER_B], NOFLAG, NULL, "contact interval of B accounts, days"),
    K("cadence", "c_days", K_INT, "90", 1, 3650, cadence_days[SF_TIER_C], NOFLAG, NULL, "contact interval of C accounts, days"),
    K("cadence", "d_days", K_INT, "180", 1, 3650, cadence_days[SF_TIER_D], NOFLAG, NULL, "contact interval of D accounts, days"),
    K("cadence", "a_channel", K_STR, "call/visit", 0, 0, cadence_channel[SF_TIER_A], 0, NULL, "suggested channel for A"),
    K("cadence", "b_channel", K_STR, "call", 0, 0, cadence_channel[SF_TIER_B], 0, NULL, "suggested channel for B"),
    K("cadence", "c_channel", K_STR, "call", 0, 0, cadence_channel[SF_TIER_C], 0, NULL, "suggested channel for C"),
    K("cadence", "d_channel", K_STR, "email", 0, 0, cadence_channel[SF_TIER_D], 0, NULL, "suggested channel for D"),
    K("cadence", "contact_types", K_ACTTYPES, "call, email, visit, meeting, other", 0, 0, contact_types, 0, NULL, "activity types that count as a contact"),
    K("cadence", "horizon_days", K_INT, "7", 0, 3650, horizon_days, NOFLAG, NULL, "list contacts due within this many days"),
    K("cadence", "tiers", K_TIERS, "A, B, C, D", 0, 0, cadence_tiers, 0, NULL, "tiers listed in the due list"),

    K("decline", "window_days", K_INT, "90", 1, 3650, decline_window_days, NOFLAG, NULL, "length of the compared windows, days"),
    K("decline", "compare", K_ENUM, "yoy", 0, 0, decline_compare, ENUM_COMPARE, "yoy previous", "compare with the same window a year ago, or the previous window"),
    K("decline", "min_drop_share", K_FRAC, "0.20", 0, PPM(1), min_drop_share, 0, NULL, "alert from this share of prior revenue lost"),
    K("decline", "min_drop_amount", K_MONEY, "0", 0, MONEY_MAX, min_drop_amount, NOFLAG, NULL, "and from this amount lost"),

    K("fire", "fraction", K_FRAC, "0.10", 0, PPM(1), fire_fraction, 0, NULL, "share of eligible clients proposed to let go"),
    K("fire", "min_tenure_days", K_INT, "180", 0, 36500, min_tenure_days, NOFLAG, NULL, "only clients whose first purchase is this old"),
    K("fire", "protect_tiers", K_TIERS, "A", 0, 0, protect_tiers, 0, NULL, "tiers never proposed"),
    K("fire", "gross_margin", K_FRAC, "0.30", 0, PPM(1), gross_margin, 0, NULL, "margin assumed where a transaction has none"),
    K("fire", "high_cost_share", K_FRAC, "0.5", 0, PPM(1000), high_cost_share, 0, NULL, "high_cost when contact cost exceeds this share of margin"),

    K("costs", "call", K_MONEY, "15", 0, MONEY_MAX, costs[SF_ACT_CALL], NOFLAG, NULL, "cost of one call"),
    K("costs", "email", K_MONEY, "3", 0, MONEY_MAX, costs[SF_ACT_EMAIL], NOFLAG, NULL, "cost of one email"),
    K("costs", "visit", K_MONEY, "120", 0, MONEY_MAX, costs[SF_ACT_VISIT], NOFLAG, NULL, "cost of one visit"),
    K("costs", "meeting", K_MONEY, "80", 0, MONEY_MAX, costs[SF_ACT_MEETING], NOFLAG, NULL, "cost of one meeting"),
    K("costs", "other", K_MONEY, "10", 0, MONEY_MAX, costs[SF_ACT_OTHER], NOFLAG, NULL, "cost of any other activity"),

    K("durations", "call", K_INT, "10", 0, 100000, durations[SF_ACT_CALL], NOFLAG, NULL, "minutes of a call without duration"),
    K("durations", "email", K_INT, "5", 0, 100000, durations[SF_ACT_EMAIL], NOFLAG, NULL, "minutes of an email"),
    K("durations", "visit", K_INT, "90", 0, 100000, durations[SF_ACT_VISIT], NOFLAG, NULL, "minutes of a visit"),
    K("durations", "meeting", K_INT, "60", 0, 100000, durations[SF_ACT_MEETING], NOFLAG, NULL, "minutes of a meeting"),
    K("durations", "other", K_INT, "15", 0, 100000, durations[SF_ACT_OTHER], NOFLAG, NULL, "minutes of any other activity"),

    K("time_split", "mode", K_ENUM, "auto", 0, 0, split_mode, ENUM_SPLIT, "auto existing new", "auto picks new when new business dominates"),
    K("time_split", "new_business_share", K_FRAC, "0.5", 0, PPM(1), new_business_share, 0, NULL, "auto: new when new clients bring more than this share"),
    K("time_split", "existing_factor", K_FRAC, "0.5", 0, PPM(1), existing_factor, 0, NULL, "time on key clients = factor x their revenue share"),
    K("time_split", "new_factor", K_FRAC, "0.75", 0, PPM(1), new_factor, 0, NULL, "the factor in new-business mode"),
    K("time_split", "actual_window_days", K_INT, "90", 1, 3650, actual_window_days, NOFLAG, NULL, "window of the actual time, days"),

    K("ideal_client", "industries", K_VALMAP, "", 0, 0, ic_industries, VM_EMPTY_UNSETS, NULL, "ideal industries; empty: any"),
    K("ideal_client", "min_employees", K_INT, "", 0, 1000000000, min_employees, OFF(has_min_employees), NULL, "minimum employees; empty: any"),
    K("ideal_client", "max_employees", K_INT, "", 0, 1000000000, max_employees, OFF(has_max_employees), NULL, "maximum employees; empty: any"),
    K("ideal_client", "regions", K_VALMAP, "", 0, 0, ic_regions, VM_EMPTY_UNSETS, NULL, "ideal regions; empty: any"),
    K("ideal_client", "min_company_revenue", K_MONEY, "", 0, MONEY_MAX, min_company_revenue, OFF(has_min_company_revenue), NULL, "minimum annual turnover of the account; empty: any"),
    K("ideal_client", "fit_values", K_VALMAP, "", 0, 0, ic_fit_values, VM_EMPTY_UNSETS, NULL, "fit labels that pass; empty: any"),

    K("qualification", "min_won", K_INT, "3", 1, 1000000, min_won, NOFLAG, NULL, "won deals needed to measure the sales cycle"),
    K("qualification", "default_cycle_days", K_INT, "60", 1, 3650, default_cycle_days, NOFLAG, NULL, "sales cycle when fewer are won"),
    K("qualification", "stale_factor", K_FRAC, "2", 0, PPM(1000), stale_factor, 0, NULL, "stale when older than this many sales cycles"),
    K("qualification", "min_probability", K_FRAC, "20", 0, PPM(100), min_probability, 0, NULL, "lowest probability (percent) that passes"),
    K("qualification", "require_decision_maker", K_BOOL, "no", 0, 0, require_decision_maker, 0, NULL, "require a decision-maker title"),
    K("qualification", "decision_titles", K_VALMAP, "owner, founder, president, ceo, cfo, controller, director", 0, 0, decision_titles, 0, NULL, "title words of decision makers (case-insensitive)"),

    K("kpi", "window_days", K_INT, "90", 1, 3650, kpi_window_days, NOFLAG, NULL, "KPI window, days"),
    K("kpi", "daily_call_quota", K_INT, "20", 0, 100000, daily_call_quota, NOFLAG, NULL, "calls per working day expected"),
    K("kpi", "conv_to_appt_low", K_FRAC, "0.04", 0, PPM(1), conv_to_appt_low, 0, NULL, "low end of the conversation-to-appointment band"),
    K("kpi", "conv_to_appt_high", K_FRAC, "0.18", 0, PPM(1), conv_to_appt_high, 0, NULL, "high end of the band"),
    K("kpi", "proposal_stages", K_VALMAP, "proposal, negotiation", 0, 0, proposal_stages, 0, NULL, "stages that count as a proposal"),

    K("outputs", "pdf", K_BOOL, "yes", 0, 0, out_pdf, 0, NULL, "write the PDF report"),
    K("outputs", "xlsx", K_BOOL, "yes", 0, 0, out_xlsx, 0, NULL, "write the XLSX workbook"),
    K("outputs", "csv", K_BOOL, "yes", 0, 0, out_csv, 0, NULL, "write the CSV lists"),
    K("outputs", "email", K_BOOL, "no", 0, 0, out_email, 0, NULL, "write (and send) the email"),
    K("outputs", "csv_bom", K_BOOL, "yes", 0, 0, csv_bom, 0, NULL, "start CSV lists with a UTF-8 byte-order mark"),
    K("outputs", "xlsx_fast", K_BOOL, "yes", 0, 0, xlsx_fast, 0, NULL, "write the workbook's list rows on the fast path (no: every cell through libxlsxwriter's public API)"),

    K("email", "from", K_OSTR, "", 0, 0, email_from, 0, NULL, "sender address"),
    K("email", "to", K_STRLIST, "", 0, 0, email_to, 0, NULL, "recipients"),
    K("email", "cc", K_STRLIST, "", 0, 0, email_cc, 0, NULL, "copy recipients"),
    K("email", "subject", K_OSTR, "", 0, 0, email_subject, 0, NULL, "subject template; empty: the language's default"),
    K("email", "body_template", K_PATH, "", 0, 0, email_body_template, 0, NULL, "body template, relative to this file; empty: templates/email/<language>.txt"),
    K("email", "sendmail", K_OSTR, "", 0, 0, sendmail, 0, NULL, "command that sends, e.g. /usr/sbin/sendmail -t -i; empty: only write email.eml"),
    K("email", "skip_when_empty", K_BOOL, "no", 0, 0, skip_when_empty, 0, NULL, "send nothing when every action list is empty"),
    K("email", "on_failure", K_BOOL, "yes", 0, 0, on_failure, 0, NULL, "mail the error when a run fails"),
    K("email", "per_owner", K_BOOL, "no", 0, 0, per_owner, 0, NULL, "also mail each owner of [owners] their own lists"),
};
#define N_KEYS SF_ARRAY_LEN(keys)

/* Sections with free keys or per-file keys, after the fixed ones. */
static const char *const extra_sections[] = {
    "columns.accounts", "columns.transactions", "columns.activities",
    "columns.opportunities", "currency_rates", "owners"};

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* Trimmed copy of s[0..n); NULL on allocation failure. */
static char *trim_dup(const char *s, size_t n)
{
    while (n > 0 && is_blank(*s)) {
        s++;
        n--;
    }
    while (n > 0 && (is_blank(s[n - 1]) || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    return sf_strndup(s, n);
}

/* Edit distance with adjacent transpositions (optimal string alignment);
 * names longer than 64 bytes are never close to a known key. */
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 99;
    int d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

/* Tracks the closest candidate for a "did you mean" hint. */
typedef struct {
    const char *best;
    int dist;
} suggest;

static void suggest_try(suggest *s, const char *typed, const char *cand)
{
    int d = edit_distance(typed, cand);
    if (d <= 2 && d < (int)strlen(cand) && (!s->best || d < s->dist)) {
        s->best = cand;
        s->dist = d;
    }
}

/* Format a ppm value as a short decimal ("0.05", "1", "20"). */
static void fmt_ppm(int64_t v, char out[32])
{
    bool neg = v < 0;
    uint64_t u = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int n = snprintf(out, 32, "%s%llu.%06llu", neg ? "-" : "",
                     (unsigned long long)(u / SF_PPM), (unsigned long long)(u % SF_PPM));
    while (n > 0 && out[n - 1] == '0')
        out[--n] = '\0';
    if (n > 0 && out[n - 1] == '.')
        out[--n] = '\0';
}

static void fmt_cents(int64_t v, char out[32])
{
    fmt_ppm(v * 10000, out); /* MONEY_MAX * 1e4 stays inside int64 */
}

/* Parse a decimal "[-]digits[.digits]" into value * 10^scale. Returns 0 on
 * success, 1 if malformed, 2 if it has more than `scale` decimals, 3 on
 * overflow. */
static int parse_fixed(const char *s, int scale, int64_t *out)
{
    const char *p = s;
    bool neg = false;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    __int128 v = 0;
    int digits = 0, decimals = 0;
    bool dot = false;
    for (; *p; p++) {
        if (*p == '.' && !dot) {
            dot = true;
            continue;
        }
        if (*p < '0' || *p > '9')
            return 1;
        if (dot) {
            if (++decimals > scale)
                return 2;
        }
        digits++;
        v = v * 10 + (*p - '0');
        if (v > (__int128)INT64_MAX)
            return 3;
    }
    if (digits == 0)
        return 1;
    for (int i = decimals; i < scale; i++) {
        v *= 10;
        if (v > (__int128)INT64_MAX)
            return 3;
    }
    *out = (int64_t)(neg ? -v : v);
    return 0;
}

/* Words of a space-separated choice list, joined with ", " into out. */
static void choices_text(const char *choices, char *out, size_t n)
{
    size_t o = 0;
    for (const char *p = choices; *p && o + 3 < n; p++) {
        if (*p == ' ') {
            out[o++] = ',';
            out[o++] = ' ';
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

/* Index of word `v` in a space-separated list, -1 if absent. */
static int choice_index(const char *choices, const char *v)
{
    size_t vl = strlen(v);
    int i = 0;
    for (const char *p = choices; *p; i++) {
        const char *e = strchr(p, ' ');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == vl && strncmp(p, v, l) == 0)
            return i;
        if (!e)
            break;
        p = e + 1;
    }
    return -1;
}

/* Strip one pair of surrounding double quotes, for values such as ";"
 * that inih would otherwise read as a comment. Returns a pointer into buf. */
static const char *unquote(const char *v, char *buf, size_t n)
{
    size_t l = strlen(v);
    if (l >= 2 && v[0] == '"' && v[l - 1] == '"' && l - 2 < n) {
        memcpy(buf, v + 1, l - 2);
        buf[l - 2] = '\0';
        return buf;
    }
    return v;
}

static bool ieq(const char *a, const char *b) { return strcasecmp(a, b) == 0; }

/* Split a list value (items separated by commas or by continuation-line
 * breaks) into trimmed, non-empty items appended to out. */
static sf_err split_list(const char *v, sf_strlist *out)
{
    const char *p = v;
    for (;;) {
        size_t l = strcspn(p, ",\n");
        char *item = trim_dup(p, l);
        if (!item)
            return SF_ERR_NOMEM;
        sf_err rc = SF_OK;
        if (*item)
            rc = sf_strlist_push(out, item);
        free(item);
        if (rc)
            return rc;
        if (!p[l])
            break;
        p += l + 1;
    }
    return SF_OK;
}

/* ------------------------------------------------------------------ */
/* Reading a file into entries                                         */
/* ------------------------------------------------------------------ */

/* One key (or, with key NULL, one section header) of a file. */
typedef struct {
    char *section;
    char *key;       /* NULL: a section header line */
    char *value;     /* continuation lines joined with '\n' */
    int line;
    int cont_line;   /* first continuation line, 0 if none */
} cfg_entry;

typedef struct {
    const char *path;  /* for messages */
    cfg_entry *v;
    size_t n, cap;
    /* reader state */
    FILE *f;
    char *buf;
    size_t bufcap;
    int lineno;
    int max_len;       /* longest line inih can take */
    bool indented;     /* the current line starts with a blank */
    int too_long;      /* line number of an over-long line */
    int bad_utf8;      /* line number of a line that is not UTF-8 */
    bool nomem;
} cfg_file;

static void file_release(cfg_file *cf)
{
    for (size_t i = 0; i < cf->n; i++) {
        free(cf->v[i].section);
        free(cf->v[i].key);
        free(cf->v[i].value);
    }
    free(cf->v);
    free(cf->buf);
    cf->v = NULL;
    cf->buf = NULL;
    cf->n = cf->cap = 0;
}

/* Append an entry; copies the strings. false on allocation failure. */
static bool file_push(cfg_file *cf, const char *section, const char *key,
                      const char *value, int line)
{
    if (cf->n == cf->cap) {
        size_t cap = cf->cap ? cf->cap * 2 : 32;
        cfg_entry *v = realloc(cf->v, cap * sizeof *v);
        if (!v)
            return false;
        cf->v = v;
        cf->cap = cap;
    }
    cfg_entry *e = &cf->v[cf->n];
    memset(e, 0, sizeof *e);
    e->section = sf_strdup(section);
    e->key = key ? sf_strdup(key) : NULL;
    e->value = value ? sf_strdup(value) : NULL;
    e->line = line;
    cf->n++;
    if (!e->section || (key && !e->key) || (value && !e->value))
        return false;
    return true;
}

/* fgets-style reader for inih: one physical line per call, counted, with
 * over-long and non-UTF-8 lines stopping the parse (NULL = end). */
static char *cfg_reader(char *str, int num, void *stream)
{
    cfg_file *cf = stream;
    ssize_t got = getline(&cf->buf, &cf->bufcap, cf->f);
    if (got < 0)
        return NULL;
    cf->lineno++;
    size_t len = (size_t)got;
    while (len > 0 && (cf->buf[len - 1] == '\n' || cf->buf[len - 1] == '\r'))
        len--;
    cf->max_len = num - 2; /* room for the newline and the NUL */
    if (len > (size_t)cf->max_len) {
        cf->too_long = cf->lineno;
        return NULL;
    }
    if (!sf_utf8_valid(cf->buf, len)) {
        cf->bad_utf8 = cf->lineno;
        return NULL;
    }
    cf->indented = len > 0 && is_blank(cf->buf[0]);
    /* inih reports no section headers (INI_CALL_HANDLER_ON_NEW_SECTION is
     * off), so note them here to check names and lines in file order. */
    const char *s = cf->buf;
    if (cf->lineno == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3;
    if (!cf->indented && *s == '[') {
        const char *end = memchr(s, ']', len - (size_t)(s - cf->buf));
        if (end) {
            char *name = sf_strndup(s + 1, (size_t)(end - s - 1));
            if (!name || !file_push(cf, name, NULL, NULL, cf->lineno)) {
                free(name);
                cf->nomem = true;
                return NULL;
            }
            free(name);
        }
    }
    memcpy(str, cf->buf, len);
    str[len] = '\n';
    str[len + 1] = '\0';
    return str;
}

static int cfg_handler(void *user, const char *section, const char *name, const char *value)
{
    cfg_file *cf = user;
    if (cf->indented && cf->n > 0) {
        cfg_entry *last = &cf->v[cf->n - 1];
        if (last->key && strcmp(last->key, name) == 0 && strcmp(last->section, section) == 0) {
            /* A continuation line of the previous key (inih multiline). */
            size_t a = strlen(last->value), b = strlen(value);
            char *nv = realloc(last->value, a + b + 2);
            if (!nv) {
                cf->nomem = true;
                return 0;
            }
            nv[a] = '\n';
            memcpy(nv + a + 1, value, b + 1);
            last->value = nv;
            if (!last->cont_line)
                last->cont_line = cf->lineno;
            return 1;
        }
    }
    if (!file_push(cf, section, name, value, cf->lineno)) {
        cf->nomem = true;
        return 0;
    }
    return 1;
}

/* Read `path` into cf's entries. Errors: SF_ERR_USAGE with a FILE:LINE
 * message (cannot open, line too long, not UTF-8, syntax); SF_ERR_NOMEM. */
static sf_err file_read(cfg_file *cf, const char *path, sf_ctx *ctx)
{
    memset(cf, 0, sizeof *cf);
    cf->path = path;
    cf->f = fopen(path, "r");
    if (!cf->f)
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: cannot open config file: %s", path, strerror(errno));
    int rc = ini_parse_stream(cfg_reader, cf, cfg_handler, cf);
    bool read_err = ferror(cf->f);
    fclose(cf->f);
    cf->f = NULL;
    if (cf->nomem || rc == -2)
        return sf_ctx_nomem(ctx);
    if (read_err)
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: cannot read config file", path);
    /* The first problem in file order wins. */
    int syntax = rc > 0 ? rc : 0;
    if (cf->too_long && (!syntax || cf->too_long < syntax))
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s:%d: line too long (more than %d bytes)",
                            path, cf->too_long, cf->max_len);
    if (cf->bad_utf8 && (!syntax || cf->bad_utf8 < syntax))
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s:%d: line is not valid UTF-8", path, cf->bad_utf8);
    if (syntax)
        return sf_ctx_error(ctx, SF_ERR_USAGE,
                            "%s:%d: syntax error: expected '[section]', 'key = value' or a comment",
                            path, syntax);
    if (rc < 0)
        return sf_ctx_error(ctx, SF_ERR_USAGE, "%s: cannot read config file", path);
    return SF_OK;
}

/* ------------------------------------------------------------------ */
/* Applying entries                                                    */
/* ------------------------------------------------------------------ */

typedef struct {
    sf_config *cfg;
    sf_ctx *ctx;
    const char *path;     /* file being applied, for messages */
    bool preset;          /* applying a preset: no input paths */
    bool defaults;        /* applying the built-in defaults */
    int key_line[N_KEYS]; /* where each key was last set (0: default) */
    const char *key_file[N_KEYS];
    int input_header_line;
} cfg_loader;

/* Copy s into out (size n) with control characters shown as '?', so a
 * message never carries a raw CR or escape sequence to the terminal. */
static void printable(const char *s, char *out, size_t n)
{
    size_t o = 0;
    for (; s && *s && o + 1 < n; s++)
        out[o++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s;
    out[o] = '\0';
}

/* Record "FILE:LINE: [section] key: <what>" and return SF_ERR_USAGE. */
__attribute__((format(printf, 4, 5)))
static sf_err key_error(cfg_loader *ld, const cfg_entry *e, int line, const char *fmt, ...)
{
    char what[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char sec[128], key[128];
    printable(e->section, sec, sizeof sec);
    printable(e->key, key, sizeof key);
    if (ld->defaults) /* a broken built-in default is a bug, not a user error */
        return sf_ctx_error(ld->ctx, SF_ERR_NOMEM, "internal: default [%s] %s: %s", sec, key, what);
    return sf_ctx_error(ld->ctx, SF_ERR_USAGE, "%s:%d: [%s] %s: %s", ld->path,
                        line ? line : e->line, sec, key, what);
}

/* First control character in s, or 0; tab is fine and LF only joins
 * continuation lines (a file line cannot hold one). A CR inside a value
 * could split a mail header later on, so none is accepted. */
static int control_char(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f)
            return *p;
    return 0;
}

static sf_err set_str(char **dst, const char *v, bool empty_null)
{
    char *n = NULL;
    if (*v || !empty_null) {
        n = sf_strdup(v);
        if (!n)
            return SF_ERR_NOMEM;
    }
    free(*dst);
    *dst = n;
    return SF_OK;
}

/* Resolve a path relative to the config file's directory; malloc'd. */
static char *resolve_path(const sf_config *cfg, const char *v)
{
    if (v[0] == '/' || !cfg->dir || strcmp(cfg->dir, ".") == 0)
        return sf_strdup(v);
    size_t a = strlen(cfg->dir), b = strlen(v);
    char *p = malloc(a + b + 2);
    if (!p)
        return NULL;
    memcpy(p, cfg->dir, a);
    p[a] = '/';
    memcpy(p + a + 1, v, b + 1);
    return p;
}

static bool valid_date_format(const char *f)
{
    int y = 0, m = 0, d = 0;
    for (const char *p = f; *p; p++) {
        if (*p != '%')
            continue;
        p++;
        if (*p == 'Y' || *p == 'y')
            y++;
        else if (*p == 'm')
            m++;
        else if (*p == 'd')
            d++;
        else
            return false;
    }
    return y == 1 && m == 1 && d == 1;
}

/* Parse one item list into flags of a fixed name set (tiers, types). */
static sf_err set_flags(cfg_loader *ld, const cfg_entry *e, const char *const *names, int n,
                        bool *flags, bool allow_empty, const char *expected)
{
    sf_strlist items = {0};
    if (split_list(e->value, &items)) {
        sf_strlist_clear(&items);
        return sf_ctx_nomem(ld->ctx);
    }
    bool tmp[8] = {false};
    sf_err rc = SF_OK;
    for (size_t i = 0; i < items.n && !rc; i++) {
        int k = -1;
        for (int j = 0; j < n; j++)
            if (ieq(items.v[i], names[j]))
                k = j;
        if (k < 0)
            rc = key_error(ld, e, 0, "'%s' is not one of %s", items.v[i], expected);
        else
            tmp[k] = true;
    }
    if (!rc && items.n == 0 && !allow_empty)
        rc = key_error(ld, e, 0, "expected at least one of %s", expected);
    if (!rc)
        memcpy(flags, tmp, (size_t)n * sizeof *flags);
    sf_strlist_clear(&items);
    return rc;
}

static sf_err set_valmap(cfg_loader *ld, const cfg_entry *e, sf_valmap *m, bool empty_unsets)
{
    sf_strlist items = {0};
    if (split_list(e->value, &items))
        goto nomem;
    for (size_t i = 0; i < items.n; i++) {
        char *low = sf_utf8_lower(items.v[i]);
        if (!low)
            goto nomem;
        free(items.v[i]);
        items.v[i] = low;
    }
    sf_strlist_clear(&m->values);
    m->values = items;
    m->set = !(empty_unsets && items.n == 0);
    return SF_OK;
nomem:
    sf_strlist_clear(&items);
    return sf_ctx_nomem(ld->ctx);
}

static sf_err set_segments(cfg_loader *ld, const cfg_entry *e)
{
    sf_strlist items = {0};
    if (split_list(e->value, &items)) {
        sf_strlist_clear(&items);
        return sf_ctx_nomem(ld->ctx);
    }
    sf_segment_key seg[8];
    int n = 0;
    sf_err rc = SF_OK;
    if (items.n == 0)
        rc = key_error(ld, e, 0, "expected a list of industry, size_band, region, fit, owner");
    for (size_t i = 0; i < items.n && !rc; i++) {
        int k = -1;
        for (int j = 0; j < (int)SF_ARRAY_LEN(segment_names); j++)
            if (ieq(items.v[i], segment_names[j]))
                k = j;
        if (k < 0) {
            rc = key_error(ld, e, 0, "'%s' is not one of industry, size_band, region, fit, owner", items.v[i]);
            break;
        }
        for (int j = 0; j < n; j++)
            if ((int)seg[j] == k)
                rc = key_error(ld, e, 0, "'%s' is listed twice", items.v[i]);
        if (!rc)
            seg[n++] = (sf_segment_key)k; /* at most 5 distinct: fits */
    }
    if (!rc) {
        memcpy(ld->cfg->segment_by, seg, (size_t)n * sizeof seg[0]);
        ld->cfg->n_segment_by = n;
    }
    sf_strlist_clear(&items);
    return rc;
}

static sf_err set_size_bands(cfg_loader *ld, const cfg_entry *e)
{
    sf_strlist items = {0};
    if (split_list(e->value, &items)) {
        sf_strlist_clear(&items);
        return sf_ctx_nomem(ld->ctx);
    }
    int64_t v[16];
    int n = 0;
    sf_err rc = SF_OK;
    int cap = (int)SF_ARRAY_LEN(ld->cfg->size_bands);
    if (items.n == 0 || items.n > (size_t)cap)
        rc = key_error(ld, e, 0, "expected 1 to %d ascending employee counts, got %zu", cap, items.n);
    for (size_t i = 0; i < items.n && !rc; i++) {
        int64_t x;
        if (parse_fixed(items.v[i], 0, &x) || x < 1 || x > 1000000000)
            rc = key_error(ld, e, 0, "expected a whole number from 1 to 1000000000, got '%s'", items.v[i]);
        else if (n > 0 && x <= v[n - 1])
            rc = key_error(ld, e, 0, "sizes must be ascending ('%s' after %lld)", items.v[i], (long long)v[n - 1]);
        else
            v[n++] = x;
    }
    if (!rc) {
        memcpy(ld->cfg->size_bands, v, (size_t)n * sizeof v[0]);
        ld->cfg->n_size_bands = n;
    }
    sf_strlist_clear(&items);
    return rc;
}

/* Apply one value of a schema key to the config. */
static sf_err set_key(cfg_loader *ld, const cfg_key *k, const cfg_entry *e)
{
    sf_config *cfg = ld->cfg;
    void *p = (char *)cfg + k->off;
    const char *v = e->value;
    char ubuf[64];
    char range_lo[32], range_hi[32];
    int64_t x = 0;
    bool is_list = k->type == K_VALMAP || k->type == K_STRLIST || k->type == K_TIERS ||
                   k->type == K_ACTTYPES || k->type == K_SEGMENTS || k->type == K_SIZEBANDS;
    if (e->cont_line && !is_list)
        return key_error(ld, e, e->cont_line,
                         "an indented line continues the previous key, and only a list can continue; remove the indentation");

    switch (k->type) {
    case K_INT:
    case K_FRAC:
    case K_MONEY: {
        bool has_flag = k->type != K_FRAC && k->aux != NOFLAG;
        if (!*v && has_flag) {
            *(bool *)((char *)cfg + k->aux) = false;
            *(int64_t *)p = 0;
            return SF_OK;
        }
        int scale = k->type == K_INT ? 0 : k->type == K_FRAC ? 6 : 2;
        int r = parse_fixed(v, scale, &x);
        if (k->type == K_FRAC) {
            fmt_ppm(k->min, range_lo);
            fmt_ppm(k->max, range_hi);
        } else if (k->type == K_MONEY) {
            fmt_cents(k->min, range_lo);
            fmt_cents(k->max, range_hi);
        } else {
            snprintf(range_lo, sizeof range_lo, "%lld", (long long)k->min);
            snprintf(range_hi, sizeof range_hi, "%lld", (long long)k->max);
        }
        if (r == 2)
            return key_error(ld, e, 0, "'%s' has more than %d decimals", v, scale);
        if (r == 1)
            return key_error(ld, e, 0, "expected %s from %s to %s, got '%s'",
                             k->type == K_INT ? "a whole number" : k->type == K_FRAC
                                 ? "a decimal number" : "an amount",
                             range_lo, range_hi, v);
        if (r == 3 || x < k->min || x > k->max)
            return key_error(ld, e, 0, "%s is out of range (allowed: %s to %s)", v, range_lo, range_hi);
        *(int64_t *)p = x;
        if (has_flag)
            *(bool *)((char *)cfg + k->aux) = true;
        return SF_OK;
    }
    case K_BOOL: {
        bool b;
        if (ieq(v, "yes") || ieq(v, "true") || ieq(v, "on") || strcmp(v, "1") == 0)
            b = true;
        else if (ieq(v, "no") || ieq(v, "false") || ieq(v, "off") || strcmp(v, "0") == 0)
            b = false;
        else
            return key_error(ld, e, 0, "expected yes or no (or true/false, on/off, 1/0), got '%s'", v);
        *(bool *)p = b;
        return SF_OK;
    }
    case K_STR:
        if (!*v)
            return key_error(ld, e, 0, "must not be empty");
        return set_str(p, v, false) ? sf_ctx_nomem(ld->ctx) : SF_OK;
    case K_OSTR:
        return set_str(p, v, true) ? sf_ctx_nomem(ld->ctx) : SF_OK;
    case K_PATH: {
        char *r = NULL;
        if (*v && !(r = resolve_path(cfg, v)))
            return sf_ctx_nomem(ld->ctx);
        free(*(char **)p);
        *(char **)p = r;
        return SF_OK;
    }
    case K_CHOICE:
    case K_ENUM: {
        int i = choice_index(k->choices, v);
        if (i < 0) {
            char list[256];
            choices_text(k->choices, list, sizeof list);
            return key_error(ld, e, 0, "expected one of %s, got '%s'", list, v);
        }
        if (k->type == K_CHOICE)
            return set_str(p, v, false) ? sf_ctx_nomem(ld->ctx) : SF_OK;
        if (k->aux == ENUM_COMPARE)
            cfg->decline_compare = (sf_compare)i;
        else
            cfg->split_mode = (sf_split_mode)i;
        return SF_OK;
    }
    case K_DATE: {
        int y, m, d, used = 0;
        if (!*v) {
            cfg->as_of = SF_NODATE;
            return SF_OK;
        }
        if (strlen(v) != 10 || sscanf(v, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10 ||
            !isdigit((unsigned char)v[5]) || !isdigit((unsigned char)v[8]))
            return key_error(ld, e, 0, "expected a date YYYY-MM-DD, got '%s'", v);
        if (!sf_date_valid_ymd(y, m, d))
            return key_error(ld, e, 0, "'%s' is not a real date", v);
        *(sf_date *)p = sf_date_from_ymd(y, m, d);
        return SF_OK;
    }
    case K_DELIM: {
        const char *u = unquote(v, ubuf, sizeof ubuf);
        char c;
        if (ieq(u, "auto"))
            c = 0;
        else if (strcmp(u, ",") == 0 || ieq(u, "comma"))
            c = ',';
        else if (strcmp(u, ";") == 0 || ieq(u, "semicolon"))
            c = ';';
        else if (ieq(u, "tab") || strcmp(u, "\\t") == 0 || strcmp(u, "\t") == 0)
            c = '\t';
        else
            return key_error(ld, e, 0,
                             "expected auto, comma, semicolon or tab, got '%s' (a bare ; starts a comment: write semicolon)", v);
        *(char *)p = c;
        return SF_OK;
    }
    case K_DECIMAL: {
        const char *u = unquote(v, ubuf, sizeof ubuf);
        char c;
        if (strcmp(u, ".") == 0 || ieq(u, "dot") || ieq(u, "point"))
            c = '.';
        else if (strcmp(u, ",") == 0 || ieq(u, "comma"))
            c = ',';
        else
            return key_error(ld, e, 0, "expected . or , (or dot, comma), got '%s'", v);
        *(char *)p = c;
        return SF_OK;
    }
    case K_THOUSANDS: {
        const char *u = unquote(v, ubuf, sizeof ubuf);
        sf_thousands t;
        if (ieq(u, "none") || !*u)
            t = SF_THOUSANDS_NONE;
        else if (ieq(u, "space") || strcmp(u, " ") == 0)
            t = SF_THOUSANDS_SPACE;
        else if (strcmp(u, ",") == 0 || ieq(u, "comma"))
            t = SF_THOUSANDS_COMMA;
        else if (strcmp(u, ".") == 0 || ieq(u, "dot"))
            t = SF_THOUSANDS_DOT;
        else if (strcmp(u, "'") == 0 || ieq(u, "apostrophe"))
            t = SF_THOUSANDS_APOS;
        else
            return key_error(ld, e, 0, "expected none, space, comma, dot or apostrophe, got '%s'", v);
        cfg->thousands = t;
        return SF_OK;
    }
    case K_ENCODING: {
        if (!*v)
            return key_error(ld, e, 0, "must not be empty");
        iconv_t cd = iconv_open("UTF-8", v);
        if (cd == (iconv_t)-1)
            return key_error(ld, e, 0, "unknown encoding '%s' (iconv does not know it)", v);
        iconv_close(cd);
        return set_str(p, v, false) ? sf_ctx_nomem(ld->ctx) : SF_OK;
    }
    case K_DATEFMT:
        if (!valid_date_format(v))
            return key_error(ld, e, 0,
                             "expected a format with one year (%%Y or %%y), one %%m and one %%d between separators, got '%s'", v);
        return set_str(p, v, false) ? sf_ctx_nomem(ld->ctx) : SF_OK;
    case K_VALMAP:
        return set_valmap(ld, e, p, k->aux == VM_EMPTY_UNSETS);
    case K_STRLIST: {
        sf_strlist items = {0};
        if (split_list(v, &items)) {
            sf_strlist_clear(&items);
            return sf_ctx_nomem(ld->ctx);
        }
        sf_strlist_clear(p);
        *(sf_strlist *)p = items;
        return SF_OK;
    }
    case K_TIERS:
        return set_flags(ld, e, tier_names, SF_TIER_N, p, true, "A, B, C, D");
    case K_ACTTYPES:
        return set_flags(ld, e, act_names, SF_ACT_N, p, false, "call, email, visit, meeting, other");
    case K_SEGMENTS:
        return set_segments(ld, e);
    case K_SIZEBANDS:
        return set_size_bands(ld, e);
    case K_INPUT: {
        sf_file_kind f = (sf_file_kind)k->aux;
        if (ld->preset)
            return key_error(ld, e, 0, "a preset cannot name input files (it carries only mappings and formats)");
        if (f == SF_FILE_TRANSACTIONS)
            cfg->transactions_from_won = false;
        free(cfg->file[f]);
        cfg->file[f] = NULL;
        if (f == SF_FILE_TRANSACTIONS && strcmp(v, "@won") == 0) {
            cfg->transactions_from_won = true;
            return SF_OK;
        }
        if (*v && !(cfg->file[f] = resolve_path(cfg, v)))
            return sf_ctx_nomem(ld->ctx);
        return SF_OK;
    }
    case K_PRESET:
        if (ld->preset)
            return key_error(ld, e, 0, "a preset cannot name another preset");
        return SF_OK; /* loaded by sf_config_load before this file's keys */
    }
    return SF_OK;
}

static bool known_section(const char *s)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (strcmp(keys[i].section, s) == 0)
            return true;
    for (size_t i = 0; i < SF_ARRAY_LEN(extra_sections); i++)
        if (strcmp(extra_sections[i], s) == 0)
            return true;
    return false;
}

static sf_err section_error(cfg_loader *ld, const cfg_entry *e)
{
    suggest sg = {0};
    char list[1024];
    size_t o = 0;
    list[0] = '\0';
    const char *prev = "";
    for (size_t i = 0; i <= N_KEYS + SF_ARRAY_LEN(extra_sections); i++) {
        const char *s = i < N_KEYS ? keys[i].section
                        : i - N_KEYS < SF_ARRAY_LEN(extra_sections) ? extra_sections[i - N_KEYS] : NULL;
        if (!s || strcmp(s, prev) == 0)
            continue;
        prev = s;
        suggest_try(&sg, e->section, s);
        int w = snprintf(list + o, sizeof list - o, "%s%s", o ? ", " : "", s);
        if (w > 0 && (size_t)w < sizeof list - o)
            o += (size_t)w;
    }
    char sec[128];
    printable(e->section, sec, sizeof sec);
    if (sg.best)
        return sf_ctx_error(ld->ctx, SF_ERR_USAGE, "%s:%d: [%s]: unknown section (did you mean '%s'?)",
                            ld->path, e->line, sec, sg.best);
    return sf_ctx_error(ld->ctx, SF_ERR_USAGE, "%s:%d: [%s]: unknown section (known sections: %s)",
                        ld->path, e->line, sec, list);
}

static sf_err unknown_key(cfg_loader *ld, const cfg_entry *e, const char *const *names, size_t n)
{
    suggest sg = {0};
    char list[1024];
    size_t o = 0;
    list[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        suggest_try(&sg, e->key, names[i]);
        int w = snprintf(list + o, sizeof list - o, "%s%s", o ? ", " : "", names[i]);
        if (w > 0 && (size_t)w < sizeof list - o)
            o += (size_t)w;
    }
    if (sg.best)
        return key_error(ld, e, 0, "unknown key (did you mean '%s'?)", sg.best);
    return key_error(ld, e, 0, "unknown key (known keys: %s)", list);
}

static sf_err apply_columns(cfg_loader *ld, const cfg_entry *e, sf_file_kind f)
{
    int n;
    const field_def *d = fields_of(f, &n);
    int idx = -1;
    const char *names[SF_FIELD_MAX];
    for (int i = 0; i < n; i++) {
        names[i] = d[i].name;
        if (strcmp(d[i].name, e->key) == 0)
            idx = i;
    }
    if (idx < 0)
        return unknown_key(ld, e, names, (size_t)n);
    if (e->cont_line)
        return key_error(ld, e, e->cont_line,
                         "an indented line continues the previous key, and only a list can continue; remove the indentation");
    sf_colmap *c = &ld->cfg->columns[f][idx];
    if (!*e->value && d[idx].required)
        return key_error(ld, e, 0, "a required field cannot be left unmapped");
    char *h = NULL;
    if (*e->value && !(h = sf_strdup(e->value)))
        return sf_ctx_nomem(ld->ctx);
    free(c->header);
    c->header = h;
    c->kind = h ? SF_MAP_HEADER : SF_MAP_NONE;
    return SF_OK;
}

static sf_err apply_rate(cfg_loader *ld, const cfg_entry *e)
{
    sf_config *cfg = ld->cfg;
    const char *c = e->key;
    if (strlen(c) != 3 || !isupper((unsigned char)c[0]) || !isupper((unsigned char)c[1]) ||
        !isupper((unsigned char)c[2]))
        return key_error(ld, e, 0, "a currency code is three uppercase letters (e.g. USD)");
    int64_t rate;
    int r = parse_fixed(e->value, 6, &rate);
    if (r == 2)
        return key_error(ld, e, 0, "'%s' has more than 6 decimals", e->value);
    if (r || rate <= 0 || rate > PPM(1000000000))
        return key_error(ld, e, 0, "expected a rate above 0 (units of the report currency per %s), got '%s'",
                         c, e->value);
    for (size_t i = 0; i < cfg->n_rates; i++)
        if (strcmp(cfg->rates[i].code, c) == 0) { /* a preset's rate overridden */
            cfg->rates[i].rate = rate;
            return SF_OK;
        }
    sf_rate *v = realloc(cfg->rates, (cfg->n_rates + 1) * sizeof *v);
    if (!v)
        return sf_ctx_nomem(ld->ctx);
    cfg->rates = v;
    if (!(v[cfg->n_rates].code = sf_strdup(c)))
        return sf_ctx_nomem(ld->ctx);
    v[cfg->n_rates++].rate = rate;
    return SF_OK;
}

static sf_err apply_owner(cfg_loader *ld, const cfg_entry *e)
{
    sf_config *cfg = ld->cfg;
    const char *a = e->value;
    if (e->cont_line)
        return key_error(ld, e, e->cont_line,
                         "an indented line continues the previous key, and only a list can continue; remove the indentation");
    const char *at = strchr(a, '@');
    if (!at || at == a || !at[1] || strpbrk(a, " \t,"))
        return key_error(ld, e, 0, "expected one email address, got '%s'", a);
    for (size_t i = 0; i < cfg->n_owners; i++)
        if (strcmp(cfg->owners[i].name, e->key) == 0) {
            char *n = sf_strdup(a);
            if (!n)
                return sf_ctx_nomem(ld->ctx);
            free(cfg->owners[i].address);
            cfg->owners[i].address = n;
            return SF_OK;
        }
    sf_owner_addr *v = realloc(cfg->owners, (cfg->n_owners + 1) * sizeof *v);
    if (!v)
        return sf_ctx_nomem(ld->ctx);
    cfg->owners = v;
    sf_owner_addr *o = &v[cfg->n_owners];
    o->name = sf_strdup(e->key);
    o->address = sf_strdup(a);
    cfg->n_owners++; /* counted first so release frees a half-built pair */
    if (!o->name || !o->address)
        return sf_ctx_nomem(ld->ctx);
    return SF_OK;
}

/* Apply every entry of a file in order; the first error stops. */
static sf_err apply_file(cfg_loader *ld, const cfg_file *cf)
{
    ld->path = cf->path;
    for (size_t i = 0; i < cf->n; i++) {
        const cfg_entry *e = &cf->v[i];
        if (!e->key) { /* a section header */
            if (!known_section(e->section))
                return section_error(ld, e);
            if (strcmp(e->section, "input") == 0 && !ld->preset && !ld->input_header_line)
                ld->input_header_line = e->line;
            continue;
        }
        if (!*e->section) {
            char key[128];
            printable(e->key, key, sizeof key);
            return sf_ctx_error(ld->ctx, SF_ERR_USAGE, "%s:%d: %s: key outside any [section]",
                                ld->path, e->line, key);
        }
        int cc = control_char(e->key);
        if (cc || (cc = control_char(e->value)))
            return key_error(ld, e, 0, "holds a control character (0x%02X); not allowed in a config file", cc);
        for (size_t j = 0; j < i; j++) {
            const cfg_entry *p = &cf->v[j];
            if (p->key && strcmp(p->key, e->key) == 0 && strcmp(p->section, e->section) == 0)
                return key_error(ld, e, 0, "duplicate key (first set on line %d)", p->line);
        }
        sf_err rc = SF_OK;
        int cols = -1;
        if (strncmp(e->section, "columns.", 8) == 0)
            for (int f = 0; f < SF_FILE_N; f++)
                if (strcmp(e->section + 8, file_kind_names[f]) == 0)
                    cols = f;
        if (cols >= 0) {
            rc = apply_columns(ld, e, (sf_file_kind)cols);
        } else if (strcmp(e->section, "currency_rates") == 0) {
            rc = apply_rate(ld, e);
        } else if (strcmp(e->section, "owners") == 0) {
            rc = apply_owner(ld, e);
        } else {
            const cfg_key *k = NULL;
            const char *names[64];
            size_t nn = 0;
            for (size_t j = 0; j < N_KEYS; j++) {
                if (strcmp(keys[j].section, e->section) != 0)
                    continue;
                if (nn < SF_ARRAY_LEN(names))
                    names[nn++] = keys[j].key;
                if (strcmp(keys[j].key, e->key) == 0) {
                    k = &keys[j];
                    ld->key_line[j] = e->line;
                    ld->key_file[j] = ld->path;
                }
            }
            rc = k ? set_key(ld, k, e) : unknown_key(ld, e, names, nn);
        }
        if (rc)
            return rc;
    }
    return SF_OK;
}

static int find_key(const char *section, const char *key)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].key, key) == 0)
            return (int)i;
    return -1;
}

static void key_value_text(const sf_config *cfg, const cfg_key *k, char out[32])
{
    int64_t v = *(const int64_t *)((const char *)cfg + k->off);
    if (k->type == K_FRAC)
        fmt_ppm(v, out);
    else if (k->type == K_MONEY)
        fmt_cents(v, out);
    else
        snprintf(out, 32, "%lld", (long long)v);
}

/* Cross-key rule: value of key `lo` must not exceed value of key `hi`.
 * The key set last in the user's file is blamed. */
static sf_err check_order(cfg_loader *ld, const char *section, const char *lo, const char *hi)
{
    int il = find_key(section, lo), ih = find_key(section, hi);
    const cfg_key *kl = &keys[il], *kh = &keys[ih];
    const sf_config *cfg = ld->cfg;
    if (kl->aux != NOFLAG && kl->type != K_FRAC &&
        (!*(const bool *)((const char *)cfg + kl->aux) || !*(const bool *)((const char *)cfg + kh->aux)))
        return SF_OK;
    int64_t vl = *(const int64_t *)((const char *)cfg + kl->off);
    int64_t vh = *(const int64_t *)((const char *)cfg + kh->off);
    if (vl <= vh)
        return SF_OK;
    char tl[32], th[32];
    key_value_text(cfg, kl, tl);
    key_value_text(cfg, kh, th);
    /* Prefer the key of the user's file over a preset's, then the later. */
    bool lo_user = ld->key_line[il] && ld->key_file[il] == cfg->path;
    bool hi_user = ld->key_line[ih] && ld->key_file[ih] == cfg->path;
    bool blame_lo;
    if (lo_user != hi_user)
        blame_lo = lo_user;
    else if (!ld->key_line[il] || !ld->key_line[ih])
        blame_lo = ld->key_line[il] != 0;
    else
        blame_lo = ld->key_line[il] > ld->key_line[ih];
    cfg_entry e = {.section = (char *)section};
    ld->defaults = false;
    if (blame_lo) {
        e.key = (char *)lo;
        ld->path = ld->key_file[il];
        return key_error(ld, &e, ld->key_line[il], "%s must not exceed %s (%s)", tl, hi, th);
    }
    e.key = (char *)hi;
    ld->path = ld->key_file[ih];
    return key_error(ld, &e, ld->key_line[ih], "%s must not be below %s (%s)", th, lo, tl);
}

static sf_err check_input_file(cfg_loader *ld, sf_file_kind f)
{
    const char *p = ld->cfg->file[f];
    if (!p)
        return SF_OK;
    int idx = find_key("input", file_kind_names[f]);
    int line = ld->key_line[idx];
    const char *why = NULL;
    struct stat st;
    FILE *fp = fopen(p, "r");
    if (!fp)
        why = strerror(errno);
    else if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode))
        why = strerror(EISDIR);
    if (fp)
        fclose(fp);
    if (why)
        return sf_ctx_error(ld->ctx, SF_ERR_INPUT, "%s:%d: [input] %s: cannot open '%s': %s",
                            ld->key_file[idx] ? ld->key_file[idx] : ld->cfg->path, line,
                            file_kind_names[f], p, why);
    return SF_OK;
}

/* Checks that need the whole configuration. */
static sf_err check_config(cfg_loader *ld)
{
    sf_config *cfg = ld->cfg;
    sf_err rc;
    cfg_entry e = {.section = (char *)"input", .key = (char *)"transactions"};
    ld->path = cfg->path;
    int it = find_key("input", "transactions");
    if (!cfg->file[SF_FILE_TRANSACTIONS] && !cfg->transactions_from_won) {
        if (ld->input_header_line)
            return key_error(ld, &e, ld->input_header_line,
                             "missing; name the transactions export (or @won to use won opportunities)");
        return sf_ctx_error(ld->ctx, SF_ERR_USAGE,
                            "%s: [input] transactions: missing; name the transactions export (or @won to use won opportunities)",
                            cfg->path);
    }
    if (cfg->transactions_from_won && !cfg->file[SF_FILE_OPPORTUNITIES])
        return key_error(ld, &e, ld->key_line[it], "@won needs [input] opportunities");
    if ((rc = check_order(ld, "tiers", "b_min", "a_min")) ||
        (rc = check_order(ld, "temperature", "cold_below", "hot_min")) ||
        (rc = check_order(ld, "kpi", "conv_to_appt_low", "conv_to_appt_high")) ||
        (rc = check_order(ld, "ideal_client", "min_employees", "max_employees")))
        return rc;
    if ((cfg->decimal == '.' && cfg->thousands == SF_THOUSANDS_DOT) ||
        (cfg->decimal == ',' && cfg->thousands == SF_THOUSANDS_COMMA)) {
        int ik = find_key("input", "thousands");
        e.key = (char *)"thousands";
        ld->path = ld->key_file[ik] ? ld->key_file[ik] : cfg->path;
        return key_error(ld, &e, ld->key_line[ik], "must differ from the decimal mark '%c'", cfg->decimal);
    }
    for (int f = 0; f < SF_FILE_N; f++)
        if ((rc = check_input_file(ld, (sf_file_kind)f)))
            return rc;
    return SF_OK;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

sf_err sf_config_init(sf_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->as_of = SF_NODATE;
    sf_ctx ctx = {0};
    cfg_loader ld = {.cfg = cfg, .ctx = &ctx, .path = "(defaults)", .defaults = true};
    for (size_t i = 0; i < N_KEYS; i++) {
        if (!keys[i].def)
            continue;
        cfg_entry e = {.section = (char *)keys[i].section, .key = (char *)keys[i].key,
                       .value = (char *)keys[i].def};
        if (set_key(&ld, &keys[i], &e)) {
            sf_config_release(cfg);
            return SF_ERR_NOMEM;
        }
    }
    return SF_OK;
}

static void valmap_release(sf_valmap *m)
{
    sf_strlist_clear(&m->values);
    m->set = false;
}

void sf_config_release(sf_config *cfg)
{
    if (!cfg)
        return;
    char **strs[] = {&cfg->path, &cfg->dir, &cfg->share_dir, &cfg->output_dir, &cfg->language,
                     &cfg->currency, &cfg->period, &cfg->lock_file, &cfg->encoding,
                     &cfg->date_format, &cfg->end_marker, &cfg->preset, &cfg->email_from,
                     &cfg->email_subject, &cfg->email_body_template, &cfg->sendmail};
    for (size_t i = 0; i < SF_ARRAY_LEN(strs); i++)
        free(*strs[i]);
    for (int f = 0; f < SF_FILE_N; f++) {
        free(cfg->file[f]);
        for (int i = 0; i < SF_FIELD_MAX; i++)
            free(cfg->columns[f][i].header);
    }
    for (int t = 0; t < SF_TIER_N; t++)
        free(cfg->cadence_channel[t]);
    for (size_t i = 0; i < SF_ARRAY_LEN(cfg->activity_types); i++)
        valmap_release(&cfg->activity_types[i]);
    for (int i = 0; i < 3; i++) {
        valmap_release(&cfg->outcomes[i]);
        valmap_release(&cfg->statuses[i]);
    }
    valmap_release(&cfg->ic_industries);
    valmap_release(&cfg->ic_regions);
    valmap_release(&cfg->ic_fit_values);
    valmap_release(&cfg->decision_titles);
    valmap_release(&cfg->proposal_stages);
    sf_strlist_clear(&cfg->email_to);
    sf_strlist_clear(&cfg->email_cc);
    for (size_t i = 0; i < cfg->n_rates; i++)
        free(cfg->rates[i].code);
    free(cfg->rates);
    for (size_t i = 0; i < cfg->n_owners; i++) {
        free(cfg->owners[i].name);
        free(cfg->owners[i].address);
    }
    free(cfg->owners);
    memset(cfg, 0, sizeof *cfg);
    cfg->as_of = SF_NODATE;
}

static bool valid_preset_name(const char *n)
{
    if (!*n)
        return false;
    for (const char *p = n; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return false;
    return true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "a, b, c" of the presets in dir (sorted), or "none found in DIR". */
static void list_presets(const char *dir, char *out, size_t n)
{
    sf_strlist names = {0};
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d))) {
            size_t l = strlen(de->d_name);
            if (l > 4 && strcmp(de->d_name + l - 4, ".ini") == 0) {
                char *nm = sf_strndup(de->d_name, l - 4);
                if (nm && valid_preset_name(nm))
                    (void)sf_strlist_push(&names, nm); /* a short list at worst */
                free(nm);
            }
        }
        closedir(d);
    }
    if (names.n == 0) {
        if (snprintf(out, n, "none found in %s", dir) >= (int)n && n > 4)
            memcpy(out + n - 4, "...", 4); /* truncated: say so */
        return;
    }
    qsort(names.v, names.n, sizeof names.v[0], cmp_str);
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < names.n; i++) {
        int w = snprintf(out + o, n - o, "%s%s", i ? ", " : "", names.v[i]);
        if (w < 0 || (size_t)w >= n - o)
            break;
        o += (size_t)w;
    }
    sf_strlist_clear(&names);
}

/* Load the preset named by entry e of the user's file, then apply it. */
static sf_err load_preset(cfg_loader *ld, const cfg_entry *e)
{
    sf_config *cfg = ld->cfg;
    ld->path = cfg->path;
    if (e->cont_line)
        return key_error(ld, e, e->cont_line,
                         "an indented line continues the previous key, and only a list can continue; remove the indentation");
    if (!valid_preset_name(e->value))
        return key_error(ld, e, 0, "'%s' is not a preset name (letters a-z, digits, _ and -)", e->value);
    char dir[PATH_MAX], path[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s/config/crm", cfg->share_dir) >= (int)sizeof dir ||
        snprintf(path, sizeof path, "%s/%s.ini", dir, e->value) >= (int)sizeof path)
        return key_error(ld, e, 0, "share directory path too long");
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        char list[1024];
        list_presets(dir, list, sizeof list);
        return key_error(ld, e, 0, "unknown preset '%s' (available: %s)", e->value, list);
    }
    char r1[PATH_MAX], r2[PATH_MAX];
    if (realpath(path, r1) && realpath(cfg->path, r2) && strcmp(r1, r2) == 0)
        return key_error(ld, e, 0, "preset '%s' is this file itself", e->value);
    if (set_str(&cfg->preset, e->value, true))
        return sf_ctx_nomem(ld->ctx);
    cfg_file pf;
    sf_err rc = file_read(&pf, path, ld->ctx);
    if (!rc) {
        ld->preset = true;
        rc = apply_file(ld, &pf);
        ld->preset = false;
    }
    file_release(&pf);
    return rc;
}

sf_err sf_config_load(sf_config *cfg, const char *path, const char *share_dir, sf_ctx *ctx)
{
    cfg_file uf = {0};
    cfg_loader *ld = sf_xcalloc(1, sizeof *ld);
    if (!ld)
        return sf_ctx_nomem(ctx);
    ld->cfg = cfg;
    ld->ctx = ctx;
    ld->path = path;
    sf_err rc = SF_OK;

    free(cfg->path);
    free(cfg->dir);
    free(cfg->share_dir);
    cfg->path = sf_strdup(path);
    const char *slash = strrchr(path, '/');
    cfg->dir = !slash ? sf_strdup(".") : slash == path ? sf_strdup("/")
                                                        : sf_strndup(path, (size_t)(slash - path));
    cfg->share_dir = sf_strdup(share_dir ? share_dir : ".");
    if (!cfg->path || !cfg->dir || !cfg->share_dir) {
        rc = sf_ctx_nomem(ctx);
        goto done;
    }
    if ((rc = file_read(&uf, cfg->path, ctx))) /* key_file[] compares with cfg->path */
        goto done;
    ld->path = cfg->path;
    for (size_t i = 0; i < uf.n; i++) {
        const cfg_entry *e = &uf.v[i];
        if (e->key && strcmp(e->section, "input") == 0 && strcmp(e->key, "preset") == 0) {
            if (*e->value && (rc = load_preset(ld, e)))
                goto done;
            break; /* a second preset line is a duplicate, reported below */
        }
    }
    if ((rc = apply_file(ld, &uf)))
        goto done;
    rc = check_config(ld);
done:
    file_release(&uf);
    free(ld);
    return rc;
}

bool sf_config_rate(const sf_config *cfg, const char *code, int64_t *rate_ppm)
{
    for (size_t i = 0; i < cfg->n_rates; i++)
        if (strcmp(cfg->rates[i].code, code) == 0) {
            *rate_ppm = cfg->rates[i].rate;
            return true;
        }
    if (cfg->currency && strcmp(cfg->currency, code) == 0) {
        *rate_ppm = SF_PPM;
        return true;
    }
    return false;
}

bool sf_valmap_match(const sf_valmap *m, const char *canon, const char *value)
{
    if (!value)
        return false;
    /* Lower-casing keeps blanks, so trim the lowered copy in place. */
    char *low = sf_utf8_lower(value);
    if (!low)
        return false;
    char *s = low;
    while (is_blank(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && (is_blank(s[n - 1]) || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    s[n] = '\0';
    bool hit = false;
    if (!m || !m->set) {
        hit = canon && ieq(s, canon);
    } else {
        for (size_t i = 0; i < m->values.n && !hit; i++)
            hit = strcmp(m->values.v[i], s) == 0;
    }
    free(low);
    return hit;
}

sf_act_type sf_config_act_type(const sf_config *cfg, const char *value)
{
    for (int t = SF_ACT_CALL; t < SF_ACT_OTHER; t++)
        if (sf_valmap_match(&cfg->activity_types[t], act_names[t], value))
            return (sf_act_type)t;
    return SF_ACT_OTHER;
}

sf_outcome sf_config_outcome(const sf_config *cfg, const char *value)
{
    if (sf_valmap_match(&cfg->outcomes[SF_OUT_CONVERSATION], "conversation", value))
        return SF_OUT_CONVERSATION;
    if (sf_valmap_match(&cfg->outcomes[SF_OUT_APPOINTMENT], "appointment", value))
        return SF_OUT_APPOINTMENT;
    return SF_OUT_NONE;
}

sf_status sf_config_status(const sf_config *cfg, const char *value)
{
    if (sf_valmap_match(&cfg->statuses[SF_ST_WON], "won", value))
        return SF_ST_WON;
    if (sf_valmap_match(&cfg->statuses[SF_ST_LOST], "lost", value))
        return SF_ST_LOST;
    return SF_ST_OPEN;
}

char *sf_config_expand(const sf_config *cfg, const char *tmpl, sf_date as_of)
{
    char iso[16];
    sf_date_iso(as_of, iso);
    const char *period = cfg && cfg->period ? cfg->period : "";
    size_t cap = strlen(tmpl) + 1, n = 0;
    for (const char *p = tmpl; (p = strchr(p, '{')); p++)
        cap += 32 + strlen(period);
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (const char *p = tmpl; *p;) {
        const char *rep = NULL;
        size_t skip = 0;
        if (strncmp(p, "{as_of}", 7) == 0) {
            rep = iso;
            skip = 7;
        } else if (strncmp(p, "{period}", 8) == 0) {
            rep = period;
            skip = 8;
        }
        if (rep) {
            size_t l = strlen(rep);
            memcpy(out + n, rep, l);
            n += l;
            p += skip;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
    return out;
}

/* ------------------------------------------------------------------ */
/* Generated documentation                                             */
/* ------------------------------------------------------------------ */

static void write_columns_ini(FILE *out)
{
    for (int f = 0; f < SF_FILE_N; f++) {
        int n;
        const field_def *d = fields_of((sf_file_kind)f, &n);
        fprintf(out, "\n[columns.%s]\n", file_kind_names[f]);
        if (f == 0)
            fprintf(out, "; FIELD = header of the CRM export (case-sensitive). A field not listed\n"
                         "; uses the header of its own name; FIELD = (nothing) leaves an optional\n"
                         "; field unmapped. The same header may serve two fields.\n");
        for (int i = 0; i < n; i++)
            fprintf(out, "; %s = %s%s\n", d[i].name, d[i].name, d[i].required ? "    (required)" : "");
    }
}

/* Write the reference INI (config/salesfocus.ini): every section and key
 * with its default and a one-line comment. Returns SF_ERR_OUTPUT on a
 * write error. */
sf_err sf_config_write_reference(FILE *out)
{
    fprintf(out,
            "; salesfocus - reference configuration: every key with its default (SPEC §6).\n"
            ";\n"
            "; Generated from the schema in src/config.c; tests/unit/test_config.c checks\n"
            "; that this file matches it. Lists are comma-separated, and an indented line\n"
            "; continues a list. A ; after a blank starts a comment. Fractions take at most\n"
            "; six decimals, amounts two. Paths in [input] are relative to this file.\n"
            "; See docs/configuration.md.\n");
    const char *prev = "";
    for (size_t i = 0; i < N_KEYS; i++) {
        const cfg_key *k = &keys[i];
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

static const char *type_name(const cfg_key *k)
{
    switch (k->type) {
    case K_INT: return "integer";
    case K_FRAC: return "fraction";
    case K_MONEY: return "money";
    case K_BOOL: return "bool";
    case K_STR: return "text";
    case K_OSTR: return "text, optional";
    case K_PATH: return "path";
    case K_CHOICE: case K_ENUM: return "choice";
    case K_DATE: return "date";
    case K_DELIM: return "delimiter";
    case K_DECIMAL: return "decimal mark";
    case K_THOUSANDS: return "thousands separator";
    case K_ENCODING: return "encoding";
    case K_DATEFMT: return "date format";
    case K_VALMAP: return "value list";
    case K_STRLIST: return "list";
    case K_TIERS: return "tier list";
    case K_ACTTYPES: return "activity type list";
    case K_SEGMENTS: return "segment key list";
    case K_SIZEBANDS: return "integer list";
    case K_INPUT: return "path";
    case K_PRESET: return "preset name";
    }
    return "?";
}

/* Write the markdown schema table of docs/configuration.md. */
sf_err sf_config_write_markdown(FILE *out)
{
    fprintf(out, "| section | key | type | default | allowed | meaning |\n"
                 "|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < N_KEYS; i++) {
        const cfg_key *k = &keys[i];
        char range[256] = "", lo[32], hi[32];
        switch (k->type) {
        case K_INT:
            snprintf(range, sizeof range, "%lld to %lld", (long long)k->min, (long long)k->max);
            break;
        case K_FRAC:
            fmt_ppm(k->min, lo);
            fmt_ppm(k->max, hi);
            snprintf(range, sizeof range, "%s to %s", lo, hi);
            break;
        case K_MONEY:
            fmt_cents(k->min, lo);
            snprintf(range, sizeof range, "%s or more", lo);
            break;
        case K_CHOICE:
        case K_ENUM:
            choices_text(k->choices, range, sizeof range);
            break;
        case K_BOOL: snprintf(range, sizeof range, "yes/no, true/false, on/off, 1/0"); break;
        case K_TIERS: snprintf(range, sizeof range, "A, B, C, D"); break;
        case K_ACTTYPES: snprintf(range, sizeof range, "call, email, visit, meeting, other"); break;
        case K_SEGMENTS: snprintf(range, sizeof range, "industry, size_band, region, fit, owner"); break;
        case K_SIZEBANDS: snprintf(range, sizeof range, "ascending, 1 to 1000000000"); break;
        case K_DELIM: snprintf(range, sizeof range, "auto, comma, semicolon, tab"); break;
        case K_DECIMAL: snprintf(range, sizeof range, "`.` `,`"); break;
        case K_THOUSANDS: snprintf(range, sizeof range, "none, space, comma, dot, apostrophe"); break;
        case K_DATE: snprintf(range, sizeof range, "YYYY-MM-DD"); break;
        case K_DATEFMT: snprintf(range, sizeof range, "%%Y or %%y, %%m, %%d once each"); break;
        case K_INPUT: if (k->aux == SF_FILE_TRANSACTIONS) snprintf(range, sizeof range, "a path or @won"); break;
        case K_PRESET: snprintf(range, sizeof range, "[a-z0-9_-]+"); break;
        default: break;
        }
        char def[128];
        if (!k->def)
            snprintf(def, sizeof def, "(required)");
        else if (!*k->def)
            snprintf(def, sizeof def, "(empty)");
        else
            snprintf(def, sizeof def, "`%s`", k->def);
        fprintf(out, "| `[%s]` | `%s` | %s | %s | %s | %s |\n", k->section, k->key, type_name(k),
                def, range, k->help);
    }
    return ferror(out) ? SF_ERR_OUTPUT : SF_OK;
}
