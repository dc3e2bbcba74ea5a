/*
 * fields.c - the names the configuration speaks: canonical fields per input
 * file (SPEC §1), file kinds, activity types, tiers and segment keys; and
 * the mapping of raw CRM values to canonical ones through [activity_types],
 * [outcomes] and [opportunity_status].
 */
#include "config/sf_config_schema.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
    {"margin", false}, {"currency", false}, {"purchases", false},
};
static const field_def activity_fields[SF_VF_N] = {
    {"account_id", true}, {"date", true}, {"type", true},
    {"owner", false}, {"outcome", false}, {"duration_min", false},
    {"count", false},
};
static const field_def opportunity_fields[SF_OF_N] = {
    {"opportunity_id", true}, {"account_id", true}, {"created", true},
    {"status", false}, {"stage", false}, {"amount", false},
    {"currency", false}, {"probability", false}, {"close_date", false},
    {"next_step_date", false}, {"next_step", false}, {"owner", false},
    {"contact_title", false}, {"name", false}, {"is_won", false},
    {"is_closed", false},
};
static const field_def user_fields[SF_UF_N] = {
    {"user_id", true}, {"name", false}, {"first_name", false}, {"last_name", false},
};

static const field_def *fields_of(sf_file_kind f, int *n)
{
    switch (f) {
    case SF_FILE_ACCOUNTS: *n = SF_AF_N; return account_fields;
    case SF_FILE_TRANSACTIONS: *n = SF_TF_N; return transaction_fields;
    case SF_FILE_ACTIVITIES: *n = SF_VF_N; return activity_fields;
    case SF_FILE_OPPORTUNITIES: *n = SF_OF_N; return opportunity_fields;
    case SF_FILE_USERS: *n = SF_UF_N; return user_fields;
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
    "accounts", "transactions", "activities", "opportunities", "users"};

const char *sf_file_kind_name(sf_file_kind f)
{
    return (f >= 0 && f < SF_FILE_N) ? file_kind_names[f] : "?";
}

const char *const cfg_act_names[SF_ACT_N] = {"call", "email", "visit", "meeting", "other"};

const char *sf_act_type_name(sf_act_type t)
{
    return (t >= 0 && t < SF_ACT_N) ? cfg_act_names[t] : "?";
}

const char *const cfg_tier_names[SF_TIER_N] = {"A", "B", "C", "D"};
const char *const cfg_segment_names[CFG_N_SEGMENTS] = {"industry", "size_band", "region", "fit",
                                                       "owner"};

const char *sf_segment_key_name(sf_segment_key k)
{
    return ((int)k >= 0 && (int)k < CFG_N_SEGMENTS) ? cfg_segment_names[k] : "?";
}

/* Mapping raw CRM values */

/* Does s match pattern p, where '*' stands for any text (also none)?
 * Bytes compare exactly: both sides are lower-cased UTF-8, and a '*'
 * that stops inside a character cannot make the rest match. */
static bool glob_match(const char *p, const char *s)
{
    const char *star = NULL, *resume = NULL;
    while (*s) {
        if (*p == '*') {
            star = p++;
            resume = s;
        } else if (*p == *s) {
            p++;
            s++;
        } else if (star) {
            p = star + 1;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return !*p;
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
    while (cfg_is_blank(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && (cfg_is_blank(s[n - 1]) || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    s[n] = '\0';
    bool hit = false;
    if (!m || !m->set) {
        hit = canon && strcasecmp(s, canon) == 0;
    } else {
        for (size_t i = 0; i < m->values.n && !hit; i++)
            hit = strcmp(m->values.v[i], s) == 0 ||
                  (m->wild && strchr(m->values.v[i], '*') && glob_match(m->values.v[i], s));
    }
    free(low);
    return hit;
}

sf_act_type sf_config_act_type(const sf_config *cfg, const char *value)
{
    for (int t = SF_ACT_CALL; t < SF_ACT_OTHER; t++)
        if (sf_valmap_match(&cfg->activity_types[t], cfg_act_names[t], value))
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

const sf_colmap *sf_config_column(const sf_config *cfg, sf_file_kind k, size_t part, int field)
{
    const sf_input_list *in = &cfg->inputs[k];
    if (part < in->n && in->v[part].columns[field].kind != SF_MAP_DEFAULT)
        return &in->v[part].columns[field];
    return &cfg->columns[k][field];
}

bool sf_config_blank_value(const sf_config *cfg, const char *value)
{
    return cfg->blank_values.set && sf_valmap_match(&cfg->blank_values, NULL, value);
}

const char *sf_config_sheet(const sf_config *cfg, sf_file_kind k, const char **key)
{
    static const char *const keys[SF_FILE_N] = {"accounts_sheet", "transactions_sheet", "activities_sheet",
                                                "opportunities_sheet", "users_sheet"};
    if (k >= 0 && k < SF_FILE_N && cfg->sheets[k] && *cfg->sheets[k]) {
        *key = keys[k];
        return cfg->sheets[k];
    }
    *key = "sheet";
    return cfg->sheet && *cfg->sheet ? cfg->sheet : NULL;
}

/* Asked of every account_id read, so no lower-cased copy: ids are ASCII
 * in practice, and the values were lower-cased when the config was read. */
bool sf_config_null_id(const sf_config *cfg, const char *value)
{
    if (!cfg->null_ids.set || !value || !*value)
        return false;
    for (size_t i = 0; i < cfg->null_ids.values.n; i++)
        if (strcasecmp(cfg->null_ids.values.v[i], value) == 0)
            return true;
    return false;
}
