/*
 * sf_config_schema.h - inside the config layer only: the key types, the
 * schema table built from sf_config_keys.def, the entries read from a file
 * and the loader state the setters work on. No other layer includes it;
 * they see sf_config.h.
 *
 * Files of the layer: config.c (init, release, load: presets, applying
 * entries, whole-config checks), config_read.c (a file into entries),
 * config_schema.c (the table), config_set.c (one setter per key type),
 * config_doc.c (reference INI and markdown), fields.c (canonical names and
 * value mapping).
 */
#ifndef SF_CONFIG_SCHEMA_H
#define SF_CONFIG_SCHEMA_H

#include "config/sf_config.h"

/* Range helpers for the min/max columns of sf_config_keys.def. */
#define PPM(x) ((int64_t)(x) * SF_PPM) /* whole numbers only */
#define MONEY_MAX INT64_C(10000000000000) /* 1e11 units: sums stay far from overflow */
/* [costs] per activity: 1,000,000.00 at most, so that a year of any number
 * of activities memory can hold (9.2e10 would be needed) never sums past
 * int64 cents. */
#define SF_COST_MAX INT64_C(100000000)
#define VM_EMPTY_UNSETS 1 /* aux of a VALMAP: empty means "not configured" */
#define NOFLAG ((size_t)-1) /* aux of a number without has_ flag */

/*
 * The key types. A new type is one line here, its setter in config_set.c
 * and its member declaration SF_CFG_DECL_<TYPE> in sf_config.h.
 *
 *   X(TYPE, member size, list, setter, release, docs type, docs allowed)
 *
 * list: the value is a list, so indented continuation lines are allowed.
 * release: what sf_config_release frees (config.c): FREE_NONE, FREE_STR
 * (a char *), FREE_VALMAP, FREE_STRLIST.
 * docs allowed: the "allowed" column; NULL = from the range or choices.
 */
#define CFG_TYPES(X) \
    X(INT, sizeof(int64_t), false, set_number, FREE_NONE, "integer", NULL) \
    X(FRAC, sizeof(int64_t), false, set_number, FREE_NONE, "fraction", NULL) \
    X(MONEY, sizeof(int64_t), false, set_number, FREE_NONE, "money", NULL) \
    X(BOOL, sizeof(bool), false, set_bool, FREE_NONE, "bool", "yes/no, true/false, on/off, 1/0") \
    X(STR, sizeof(char *), false, set_text, FREE_STR, "text", "") \
    X(OSTR, sizeof(char *), false, set_optional_text, FREE_STR, "text, optional", "") \
    X(PATH, sizeof(char *), false, set_path, FREE_STR, "path", "") \
    X(CHOICE, sizeof(char *), false, set_choice, FREE_STR, "choice", NULL) \
    X(ENUM, sizeof(int), false, set_choice, FREE_NONE, "choice", NULL) \
    X(DATE, sizeof(sf_date), false, set_date, FREE_NONE, "date", "YYYY-MM-DD") \
    X(DELIM, sizeof(char), false, set_delimiter, FREE_NONE, "delimiter", \
      "auto, comma, semicolon, tab") \
    X(DECIMAL, sizeof(char), false, set_decimal, FREE_NONE, "decimal mark", "`.` `,`") \
    X(THOUSANDS, sizeof(int), false, set_thousands, FREE_NONE, "thousands separator", \
      "none, space, comma, dot, apostrophe") \
    X(ENCODING, sizeof(char *), false, set_encoding, FREE_STR, "encoding", "") \
    X(DATEFMT, sizeof(char *), false, set_date_format, FREE_STR, "date format", \
      "%Y or %y, %m, %d once each") \
    X(VALMAP, sizeof(sf_valmap), true, set_valmap, FREE_VALMAP, "value list", "") \
    X(STRLIST, sizeof(sf_strlist), true, set_strlist, FREE_STRLIST, "list", "") \
    X(TIERS, sizeof(bool[SF_TIER_N]), true, set_tiers, FREE_NONE, "tier list", "A, B, C, D") \
    X(ACTTYPES, sizeof(bool[SF_ACT_N]), true, set_act_types, FREE_NONE, "activity type list", \
      "call, email, visit, meeting, other") \
    X(SEGMENTS, sizeof(sf_segment_key[8]), true, set_segments, FREE_NONE, "segment key list", \
      "industry, size_band, region, fit, owner") \
    X(SIZEBANDS, sizeof(int64_t[16]), true, set_size_bands, FREE_NONE, "integer list", \
      "ascending, 1 to 1000000000") \
    X(INPUT, sizeof(char *), true, set_input, FREE_STR, "paths", NULL) \
    X(PRESET, sizeof(char *), false, set_preset, FREE_STR, "preset name", "[a-z0-9_-]+")

typedef enum { FREE_NONE = 0, FREE_STR, FREE_VALMAP, FREE_STRLIST } cfg_free;

#define CFG_TYPE_ENUM(T, size, list, setter, release, doc, allowed) K_##T,
typedef enum { CFG_TYPES(CFG_TYPE_ENUM) K_N } cfg_type;
#undef CFG_TYPE_ENUM

/* The member size each type expects; config_schema.c checks every line. */
#define CFG_TYPE_SIZE(T, size, list, setter, release, doc, allowed) CFG_SIZE_##T = (int)(size),
enum { CFG_TYPES(CFG_TYPE_SIZE) };
#undef CFG_TYPE_SIZE

/* The number of keys, counted from the table. */
enum {
    CFG_N_KEYS = 0
#define SF_CFG_KEY(...) +1
#define SF_CFG_KEY_ELEM(...) +1
#include "config/sf_config_keys.def"
#undef SF_CFG_KEY
#undef SF_CFG_KEY_ELEM
};

/* One line of the schema, with the member as an offset into sf_config. */
typedef struct {
    const char *section;
    const char *key;
    cfg_type type;
    const char *def;     /* default exactly as written in a file; NULL: required */
    int64_t min, max;    /* INT, FRAC (ppm), MONEY (cents) */
    size_t off;          /* the member */
    size_t aux;          /* numbers: offset of the has_ flag or NOFLAG; SEGMENTS,
                            SIZEBANDS: offset of the count; VALMAP:
                            VM_EMPTY_UNSETS or 0; INPUT: sf_file_kind */
    const char *choices; /* CHOICE, ENUM: space-separated */
    const char *help;    /* one line for the reference */
} cfg_key;

extern const cfg_key cfg_keys[CFG_N_KEYS];

/* Sections with free keys or per-file keys, after the fixed ones. */
#define CFG_N_EXTRA_SECTIONS 7
extern const char *const cfg_extra_sections[CFG_N_EXTRA_SECTIONS];

/* Index of [section] key in cfg_keys, -1 if none. */
int cfg_find_key(const char *section, const char *key);

/* Does the type take a list (and so continuation lines)? */
bool cfg_type_is_list(cfg_type t);

/* One key (or, with key NULL, one section header) of a file. */
typedef struct {
    char *section;
    char *key;       /* NULL: a section header line */
    char *value;     /* continuation lines joined with '\n' */
    int line;
    int cont_line;   /* first continuation line, 0 if none */
} cfg_entry;

/* A file read into entries (config_read.c). */
typedef struct {
    const char *path;  /* for messages; borrowed */
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

/* Read `path` into cf's entries (cf is reset first; cfg_file_release it
 * in every case). Errors: SF_ERR_USAGE with a FILE:LINE message (cannot
 * open, line too long, not UTF-8, syntax); SF_ERR_NOMEM. */
sf_err cfg_file_read(cfg_file *cf, const char *path, sf_ctx *ctx);
void cfg_file_release(cfg_file *cf);

/* The state of one load: the config being filled and where each key was
 * last set, for messages and the cross-key checks. */
typedef struct {
    sf_config *cfg;
    sf_ctx *ctx;
    const char *path;     /* file being applied, for messages */
    bool preset;          /* applying a preset: no input paths */
    const char *forced;   /* preset = auto resolved to this (sf_config_load_auto) */
    bool defaults;        /* applying the built-in defaults */
    int key_line[CFG_N_KEYS]; /* where each key was last set (0: default) */
    const char *key_file[CFG_N_KEYS];
    int input_header_line;
    /* [columns.KIND.NAME] lines, matched with the input files once every
     * entry is applied */
    struct cfg_file_col {
        sf_file_kind kind;
        char *name;       /* NAME as written */
        int field;
        char *value;      /* NULL: FIELD = (unmapped) */
        const char *path; /* the config file (or preset) of the line */
        int line;
        bool preset;
    } *file_cols;
    size_t n_file_cols;
} cfg_loader;

/* Record "FILE:LINE: [section] key: <what>" (line 0: the entry's line) and
 * return SF_ERR_USAGE; under ld->defaults an internal error instead. */
__attribute__((format(printf, 4, 5)))
sf_err cfg_key_error(cfg_loader *ld, const cfg_entry *e, int line, const char *fmt, ...);

/* The message for an indented line after a key that is not a list. */
#define CFG_NOT_A_LIST "an indented line continues the previous key, and only a list can continue; remove the indentation"

/* Apply one value of a schema key to ld->cfg (config_set.c). */
sf_err cfg_set_key(cfg_loader *ld, const cfg_key *k, const cfg_entry *e);

/* Copy s into out (size n) with control characters shown as '?', so a
 * message never carries a raw CR or escape sequence to the terminal. */
void cfg_printable(const char *s, char *out, size_t n);

/* Parse a decimal "[-]digits[.digits]" into value * 10^scale. Returns 0 on
 * success, 1 if malformed, 2 if it has more than `scale` decimals, 3 on
 * overflow. */
int cfg_parse_fixed(const char *s, int scale, int64_t *out);

/* Format a ppm value ("0.05", "1", "20") or cents ("12.5") shortly. */
void cfg_fmt_ppm(int64_t v, char out[32]);
void cfg_fmt_cents(int64_t v, char out[32]);

/* Words of a space-separated choice list, joined with ", " into out. */
void cfg_choices_text(const char *choices, char *out, size_t n);

/* Blank (space or tab), and a trimmed copy of s[0..n) (NULL: no memory). */
static inline bool cfg_is_blank(char c) { return c == ' ' || c == '\t'; }
char *cfg_trim_dup(const char *s, size_t n);

/* Names of fixed word lists (fields.c): activity types, tiers "A".."D",
 * segment keys. */
extern const char *const cfg_act_names[SF_ACT_N];
extern const char *const cfg_tier_names[SF_TIER_N];
#define CFG_N_SEGMENTS 5
extern const char *const cfg_segment_names[CFG_N_SEGMENTS];

#endif
