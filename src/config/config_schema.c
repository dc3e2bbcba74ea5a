/*
 * config_schema.c - the schema table cfg_keys[], built from
 * sf_config_keys.def, and the compile-time checks that every line's member
 * has the C type its key type stores.
 */
#include "config/sf_config_schema.h"

#include <string.h>

/* What the aux column becomes in the table, per type: the offset of a
 * number's has_ flag or of a list's count, or the value as written. */
#define CFG_AUX_NUM_0(m) NOFLAG
#define CFG_AUX_NUM_OPTIONAL(m) offsetof(sf_config, has_##m)
#define CFG_AUX_INT(m, aux) CFG_AUX_NUM_##aux(m)
#define CFG_AUX_FRAC(m, aux) NOFLAG
#define CFG_AUX_MONEY(m, aux) CFG_AUX_NUM_##aux(m)
#define CFG_AUX_ENUM(m, aux) 0 /* aux names the member's enum type */
#define CFG_AUX_SEGMENTS(m, aux) offsetof(sf_config, n_##m)
#define CFG_AUX_SIZEBANDS(m, aux) offsetof(sf_config, n_##m)
#define CFG_AUX_VALUE(m, aux) (size_t)(aux)
#define CFG_AUX_BOOL CFG_AUX_VALUE
#define CFG_AUX_STR CFG_AUX_VALUE
#define CFG_AUX_OSTR CFG_AUX_VALUE
#define CFG_AUX_PATH CFG_AUX_VALUE
#define CFG_AUX_CHOICE CFG_AUX_VALUE
#define CFG_AUX_DATE CFG_AUX_VALUE
#define CFG_AUX_DELIM CFG_AUX_VALUE
#define CFG_AUX_DECIMAL CFG_AUX_VALUE
#define CFG_AUX_THOUSANDS CFG_AUX_VALUE
#define CFG_AUX_ENCODING CFG_AUX_VALUE
#define CFG_AUX_DATEFMT CFG_AUX_VALUE
#define CFG_AUX_VALMAP CFG_AUX_VALUE
#define CFG_AUX_STRLIST CFG_AUX_VALUE
#define CFG_AUX_TIERS CFG_AUX_VALUE
#define CFG_AUX_ACTTYPES CFG_AUX_VALUE
#define CFG_AUX_INPUT CFG_AUX_VALUE
#define CFG_AUX_PRESET CFG_AUX_VALUE

#define SF_CFG_KEY(section, key, type, def, min, max, member, aux, choices, help) \
    {section, key, K_##type, def, min, max, offsetof(sf_config, member),        \
     CFG_AUX_##type(member, aux), choices, help},
#define SF_CFG_KEY_ELEM SF_CFG_KEY

const cfg_key cfg_keys[CFG_N_KEYS] = {
#include "config/sf_config_keys.def"
};

#undef SF_CFG_KEY
#undef SF_CFG_KEY_ELEM

/* A line whose member is not of its type's size would be written through
 * the wrong type by the setter: refuse to build. */
#define SF_CFG_KEY(section, key, type, def, min, max, member, aux, choices, help) \
    _Static_assert(sizeof(((sf_config *)0)->member) == CFG_SIZE_##type,          \
                   "[" section "] " key ": the member does not match the type " #type);
#define SF_CFG_KEY_ELEM SF_CFG_KEY
#include "config/sf_config_keys.def"
#undef SF_CFG_KEY
#undef SF_CFG_KEY_ELEM

const char *const cfg_extra_sections[CFG_N_EXTRA_SECTIONS] = {
    "columns.accounts", "columns.transactions", "columns.activities",
    "columns.opportunities", "columns.users", "currency_rates", "owners"};

int cfg_find_key(const char *section, const char *key)
{
    for (int i = 0; i < CFG_N_KEYS; i++)
        if (strcmp(cfg_keys[i].section, section) == 0 && strcmp(cfg_keys[i].key, key) == 0)
            return i;
    return -1;
}

bool cfg_type_is_list(cfg_type t)
{
#define CFG_TYPE_LIST(T, size, list, setter, release, doc, allowed) [K_##T] = list,
    static const bool lists[K_N] = {CFG_TYPES(CFG_TYPE_LIST)};
#undef CFG_TYPE_LIST
    return t >= 0 && t < K_N && lists[t];
}
