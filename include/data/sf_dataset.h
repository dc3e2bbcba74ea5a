/*
 * sf_dataset.h - the ingested data: accounts with per-account accumulators,
 * owners, opportunities, per-owner activity counters.
 *
 * Transactions and activities are not kept: they are folded into the
 * accumulators as they stream in (memory grows with accounts and owners,
 * not with file size). The windows are fixed by the as-of date T given to
 * sf_dataset_new, so the accumulators hold exactly what SPEC §2 defines.
 * Opportunities are kept as records (the pipeline lists each).
 *
 * Ownership: the dataset owns every string and array in it; everything is
 * freed by sf_dataset_free. Analyses only read it.
 */
#ifndef SF_DATASET_H
#define SF_DATASET_H

#include "config/sf_config.h"

#define SF_OWNER_UNASSIGNED 0 /* owner id 0 is always "(unassigned)" */
#define SF_NO_ACCOUNT UINT32_MAX

/* Minutes of one owner on one account inside the time-split window. */
typedef struct {
    uint32_t owner;
    int64_t minutes;
} sf_owner_minutes;

typedef struct {
    /* transaction accumulators (SPEC §2, §3.3, §3.8). First, and the
     * struct aligned to a cache line, so that folding a transaction
     * touches exactly one line of the account (ingest is bound by these
     * random accesses). */
    _Alignas(64) int64_t rev12; /* (T-365, T] */
    int64_t rev_prev12;     /* (T-730, T-365] */
    int64_t margin12;       /* (T-365, T] */
    int64_t dec_current;    /* decline current window */
    int64_t dec_prior;      /* decline prior window */
    sf_date first_purchase; /* SF_NODATE = never bought (amount > 0, <= T) */
    sf_date last_purchase;
    uint32_t n_transactions;

    /* activity accumulators (the second line) */
    sf_date last_contact;   /* SF_NODATE = never; types in contact_types, <= T */
    int64_t cost12;         /* cents, (T-365, T] */
    sf_owner_minutes *split_minutes; /* time-split window, per activity owner */
    uint32_t n_split_minutes, cap_split_minutes;
    uint32_t owner;         /* owner id; SF_OWNER_UNASSIGNED when empty */

    /* opportunities */
    uint32_t open_opps;     /* status open and created <= T (SPEC §1.1) */

    /* from accounts.csv (or derived: name = id, the rest empty/NULL) */
    char *id;
    char *name;
    char *industry;         /* NULL when empty */
    char *region;
    int64_t employees;      /* SF_NONE when empty */
    int64_t company_revenue;/* cents, SF_NONE when empty */
    char *contact_title;
    char *fit;
    uint32_t line;          /* line of the record in its file (0: derived) */
} sf_account;

typedef struct {
    char *id;
    char *account_id;       /* as given */
    uint32_t account;       /* index or SF_NO_ACCOUNT */
    sf_date created;
    sf_status status;
    char *stage;            /* raw text, NULL when empty */
    int64_t amount;         /* cents in report currency, SF_NONE when empty */
    char *probability_text; /* as given (trimmed), NULL when empty/invalid */
    int64_t probability;    /* ppm of a percentage point (50.5 -> 50500000), SF_NONE */
    sf_date close_date;     /* SF_NODATE when empty */
    sf_date next_step_date;
    char *next_step;
    uint32_t owner;         /* opportunity owner, else account owner */
    char *contact_title;
    uint32_t line;
} sf_opportunity;

/* Per-owner counters over the KPI window, from activities. */
typedef struct {
    int64_t calls;
    int64_t conversations; /* outcome conversation or appointment */
    int64_t appointments;
} sf_owner_acts;

/* Counts per input file (SPEC §1: read = accepted + rejected + blank + footer). */
typedef struct {
    bool present;
    char *path;
    int64_t read, accepted, rejected, kept_with_fault, blank, footer;
    sf_date min_date, max_date; /* of accepted records' main date */
    /* header mapping used: canonical field -> header text (NULL = unmapped) */
    char *mapped_header[SF_FIELD_MAX];
    sf_strlist headers_found;
    sf_strlist warnings;
    /* how it was read (SF_TIMINGS): seconds, and for a transactions file
     * split across two threads the tail's first byte and its fate */
    double seconds;
    int64_t split_at;       /* 0: not split */
    const char *split_note; /* static text */
} sf_file_stats;

typedef struct sf_dataset {
    const sf_config *cfg;   /* borrowed */
    sf_date as_of;          /* T */

    sf_account *accounts;
    uint32_t n_accounts, cap_accounts;
    bool accounts_derived;  /* accounts file absent */

    char **owners;          /* owners[0] = "(unassigned)" */
    uint32_t n_owners, cap_owners;
    uint32_t *owner_order;  /* owner ids sorted by strcmp (set by finish) */
    sf_owner_acts *owner_acts; /* parallel to owners */
    bool *owner_seen;       /* owner appears on an account/activity/opportunity */

    sf_opportunity *opps;
    uint32_t n_opps, cap_opps;

    bool have_activities, have_opportunities;
    bool margin_mapped;     /* transactions map a margin column */
    /* Sums of |amount| and |margin| over every accepted transaction: kept
     * within int64 so that any total of any subset (tiers, owners, the
     * whole book) fits int64 cents too. */
    int64_t abs_amount_total, abs_margin_total;
    sf_file_stats files[SF_FILE_N];

    void *index;            /* private: account id hash, owner hash */
} sf_dataset;

/* New empty dataset for as-of date T; cfg is borrowed and must outlive it. */
sf_dataset *sf_dataset_new(const sf_config *cfg, sf_date as_of);
void sf_dataset_free(sf_dataset *ds); /* NULL-safe */

/* Free the strings an opportunity owns (the struct itself is the caller's). */
void sf_opportunity_release(sf_opportunity *o);

/* Free what a file's stats own and zero them (NULL-safe members). */
void sf_file_stats_release(sf_file_stats *fs);

/* Intern an owner name (trimmed); "" or NULL gives SF_OWNER_UNASSIGNED.
 * Marks the owner as seen. Returns UINT32_MAX on out of memory. */
uint32_t sf_dataset_owner(sf_dataset *ds, const char *name);

/* Find an account by id; SF_NO_ACCOUNT if unknown. */
uint32_t sf_dataset_find(const sf_dataset *ds, const char *id);

/* Room for n accounts in all (a file's estimate, to grow once); false on
 * out of memory. */
bool sf_dataset_reserve_accounts(sf_dataset *ds, size_t n);

/* Add an account (fields copied; NULL or "" optional text = empty). The
 * accumulators start empty. Returns its index, SF_NO_ACCOUNT if the id is
 * already present (*dup = true) or on out of memory (*dup = false). */
uint32_t sf_dataset_add_account(sf_dataset *ds, const char *id, const char *name,
                                const char *owner, const char *industry,
                                const char *region, int64_t employees,
                                int64_t company_revenue, const char *contact_title,
                                const char *fit, uint32_t line, bool *dup);

/* Fold one transaction (amount and margin in report-currency cents; margin
 * SF_NONE = use amount x gross_margin, rounded per transaction) into the
 * account's accumulators. Returns false when a sum would overflow int64 -
 * the account's, or the book's total of absolute amounts - (nothing is
 * changed; the caller rejects the record as bad_number). */
bool sf_dataset_add_transaction(sf_dataset *ds, uint32_t account, sf_date date,
                                int64_t amount, int64_t margin);

/* A private set of transaction accumulators for every account (the
 * accounts are fixed): a second reader folds the tail of a transactions
 * file into it while the first folds the head into the dataset, then the
 * part is merged. Sums, first/last purchase and counts combine exactly as
 * if the tail had been folded after the head. */
typedef struct sf_tx_part sf_tx_part;
sf_tx_part *sf_tx_part_new(const sf_dataset *ds); /* NULL on out of memory */
void sf_tx_part_free(sf_tx_part *p);                /* NULL-safe */
/* As sf_dataset_add_transaction, into the part (its own book totals). */
bool sf_tx_part_add(sf_tx_part *p, uint32_t account, sf_date date, int64_t amount, int64_t margin);
/* Ask for the accumulators of account (in p, or in ds when p is NULL)
 * ahead of the fold: ingest is bound by these random accesses. */
void sf_tx_prefetch(const sf_dataset *ds, const sf_tx_part *p, uint32_t account);
void sf_activity_prefetch(const sf_dataset *ds, uint32_t account); /* the same for an activity */
/* Add the part into ds. False (ds unchanged) when the book's totals of
 * absolute amounts would overflow: the caller folds the tail itself. */
bool sf_dataset_merge_tx_part(sf_dataset *ds, const sf_tx_part *p);

/* Fold one activity. account may be SF_NO_ACCOUNT (accounts derived and
 * id unknown): then only the owner's KPI counters change. owner is the
 * activity owner's id, or SF_NO_ACCOUNT-style UINT32_MAX for "use the
 * account owner". minutes <= 0 means "default for the type". */
bool sf_dataset_add_activity(sf_dataset *ds, uint32_t account, uint32_t owner,
                             sf_date date, sf_act_type type, sf_outcome outcome,
                             int64_t minutes);

/* Append an opportunity (strings copied, may be NULL). owner UINT32_MAX =
 * the account's owner. Returns false on out of memory. */
bool sf_dataset_add_opportunity(sf_dataset *ds, const sf_opportunity *o);

/* After ingest: sort owner ids, finalise indexes. */
sf_err sf_dataset_finish(sf_dataset *ds, sf_ctx *ctx);

/* Window helper: is d in the N-day window ending on end, (end-N, end]? */
static inline bool sf_in_window(sf_date d, sf_date end, int64_t n)
{
    return d != SF_NODATE && (int64_t)d > (int64_t)end - n && d <= end;
}

#endif
