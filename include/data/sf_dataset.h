/*
 * sf_dataset.h - the ingested data: accounts, owners, opportunities, each
 * account's transactions summed by day, the activities; and the view of
 * all of it as of a date T (SPEC §1.1 "State as of T", §2).
 *
 * The book itself does not depend on T: transactions are kept as one
 * entry per account and day (sums are exact int64 cents), activities as
 * compact records. sf_dataset_at(ds, T) computes the per-account and
 * per-owner figures that every analysis reads (rev12, last_contact, ...)
 * for any T, so one ingest serves a run, a backfill of many dates, a
 * backtest's replays, the reorder rhythm (purchase days) and the
 * expected-value model (the whole purchase history).
 *
 * Ownership: the dataset owns every string and array in it; everything is
 * freed by sf_dataset_free. Analyses only read it.
 */
#ifndef SF_DATASET_H
#define SF_DATASET_H

#include "config/sf_config.h"
#include "data/sf_tally.h"

#define SF_OWNER_UNASSIGNED 0 /* owner id 0 is always "(unassigned)" */
#define SF_NO_ACCOUNT UINT32_MAX

/* Minutes of one owner on one account inside the time-split window. */
typedef struct {
    uint32_t owner;
    int64_t minutes;
} sf_owner_minutes;

/* An account: its figures as of T (set by sf_dataset_at: SPEC §2, §3.3,
 * §3.5, §3.8), then what the accounts file says of it. */
typedef struct {
    int64_t rev12;          /* (T-365, T] */
    int64_t rev_prev12;     /* (T-730, T-365] */
    int64_t margin12;       /* (T-365, T] */
    int64_t dec_current;    /* decline current window */
    int64_t dec_prior;      /* decline prior window */
    sf_date first_purchase; /* SF_NODATE = never bought (amount > 0, <= T) */
    sf_date last_purchase;

    /* from the activities */
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

/* One day of an account's transactions. */
typedef struct {
    sf_date date;
    uint32_t positive;      /* transactions with amount > 0 that day */
    int64_t amount;         /* sum of amounts, report-currency cents */
    int64_t margin;         /* sum of margins: as given, else amount x
                             * gross_margin rounded per transaction */
} sf_tx_day;

/* One activity as read (owner and minutes resolved). */
typedef struct {
    uint32_t account;       /* SF_NO_ACCOUNT: counts for its owner only */
    uint32_t owner;         /* the activity's owner, else the account's */
    sf_date date;
    uint8_t type;           /* sf_act_type */
    uint8_t outcome;        /* sf_outcome */
    uint16_t count;         /* activities this record stands for (an
                             * aggregated export's `count`; 1 as read) */
    int64_t minutes;        /* of them all: duration_min when > 0, else
                             * [durations] x count */
} sf_activity;

typedef struct {
    char *id;
    char *account_id;       /* as given */
    uint32_t account;       /* index or SF_NO_ACCOUNT */
    sf_date created;
    sf_status status_given; /* as the export says */
    sf_status status;       /* as of T (sf_dataset_at, SPEC §1.1) */
    char *stage;            /* raw text, NULL when empty */
    int64_t amount;         /* cents in report currency, SF_NONE when empty */
    char *probability_text; /* as given (trimmed), NULL when empty/invalid */
    int64_t probability;    /* ppm of a percentage point (50.5 -> 50500000), SF_NONE */
    sf_date close_date;     /* SF_NODATE when empty */
    sf_date next_step_date;
    char *next_step;
    uint32_t owner;         /* opportunity owner, else account owner */
    char *contact_title;
    char *name;             /* the deal's name (opportunities.name), NULL when empty */
    uint32_t line;
    uint16_t part;          /* which opportunities file (cfg->inputs) */
} sf_opportunity;

/* Per-owner counters over the KPI window, from activities. */
typedef struct {
    int64_t calls;
    int64_t conversations; /* outcome conversation or appointment */
    int64_t appointments;
} sf_owner_acts;

/* Counts per input file (SPEC §1: read = accepted + rejected + blank + footer).
 * ds->files[kind] sums a kind's files; with several files of a kind (or
 * one) each has its own stats in parts[] (mapping, headers, counts). */
typedef struct sf_file_stats {
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
    struct sf_file_stats *parts; /* each file of the kind (owned), n_parts */
    uint32_t n_parts;
} sf_file_stats;

typedef struct sf_dataset {
    const sf_config *cfg;   /* borrowed */
    sf_date as_of;          /* T of the figures (sf_dataset_at) */

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
    bool collect_values;    /* tally activity types and outcomes too (check) */
    sf_tally tally[SF_TALLY_N]; /* status always; type and outcome when collecting */
    uint32_t n_users;       /* entries of the users export */
    uint32_t owners_named;  /* owners whose id the users export named */
    bool *owner_named;      /* per owner id: named so (NULL without a users export) */
    sf_file_stats files[SF_FILE_N];

    /* each account's transactions by day, dates ascending: account a's
     * are days[day_start[a] .. day_start[a + 1]) (sf_dataset_finish) */
    sf_tx_day *days;
    uint32_t *day_start;
    size_t n_days;
    /* the activities, in the order read */
    sf_activity *acts;
    size_t n_acts, cap_acts;
    int64_t minutes_total;   /* of every activity: at most SF_MINUTES_MAX */

    void *index;            /* private: account id hash, owner hash */
    void *tx_log;           /* private: transactions until sf_dataset_finish */
    bool two_threads;       /* sf_dataset_finish may sum the days on two (the
                             * days are the same either way); the caller sets it */
} sf_dataset;

/* New empty dataset; cfg is borrowed and must outlive it. as_of is the T
 * that sf_dataset_finish computes the figures for. */
sf_dataset *sf_dataset_new(const sf_config *cfg, sf_date as_of);
void sf_dataset_free(sf_dataset *ds); /* NULL-safe */

/* Free the strings an opportunity owns (the struct itself is the caller's). */
void sf_opportunity_release(sf_opportunity *o);

/* Free what a file's stats own and zero them (NULL-safe members). */
void sf_file_stats_release(sf_file_stats *fs);

/* Intern an owner name (trimmed); "" or NULL gives SF_OWNER_UNASSIGNED.
 * Marks the owner as seen. Returns UINT32_MAX on out of memory. */
uint32_t sf_dataset_owner(sf_dataset *ds, const char *name);

/* A user of the users export: owner text `id` is shown as `name`
 * (sf_dataset_finish renames the owners). false on out of memory; *dup
 * when the id was given before (the first one stays). */
bool sf_dataset_add_user(sf_dataset *ds, const char *id, const char *name, bool *dup);

/* Set an account's owner (the owner of the latest won deal of an account
 * derived from `transactions = @won`). */
void sf_dataset_set_account_owner(sf_dataset *ds, uint32_t account, uint32_t owner);

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

/* Add one transaction (amount and margin in report-currency cents; margin
 * SF_NONE = use amount x gross_margin, rounded per transaction). Returns
 * false when the book's total of absolute amounts or margins would
 * overflow int64 (nothing is changed; the caller rejects the record as
 * bad_number): with that total within int64, every sum over any set of
 * transactions is too. */
bool sf_dataset_add_transaction(sf_dataset *ds, uint32_t account, sf_date date,
                                int64_t amount, int64_t margin);
/* The same for a row that stands for several transactions of one account
 * and day (an aggregated export, docs/scale.md): purchases of them had a
 * positive amount (the day's purchase count; SF_NONE: amount > 0 ? 1 : 0).
 * The margin, when SF_NONE, is amount x gross_margin rounded once. */
bool sf_dataset_add_transactions(sf_dataset *ds, uint32_t account, sf_date date, int64_t amount,
                                 int64_t margin, int64_t purchases);

/* A private part of the transactions (the accounts are fixed): a second
 * reader adds the tail of a transactions file to it while the first adds
 * the head to the dataset, then the part is merged. The result is exactly
 * what one reader gives (day sums do not depend on the order). */
typedef struct sf_tx_part sf_tx_part;
sf_tx_part *sf_tx_part_new(const sf_dataset *ds); /* NULL on out of memory */
void sf_tx_part_free(sf_tx_part *p);                /* NULL-safe */
/* As sf_dataset_add_transaction, into the part (its own book totals). */
bool sf_tx_part_add(sf_tx_part *p, uint32_t account, sf_date date, int64_t amount, int64_t margin);
bool sf_tx_part_add_n(sf_tx_part *p, uint32_t account, sf_date date, int64_t amount, int64_t margin,
                      int64_t purchases);
/* Hints kept for the readers' loops: transactions and activities are
 * appended to logs now, so there is nothing to fetch ahead. */
static inline void sf_tx_prefetch(const sf_dataset *ds, const sf_tx_part *p, uint32_t account)
{
    (void)ds, (void)p, (void)account;
}
static inline void sf_activity_prefetch(const sf_dataset *ds, uint32_t account)
{
    (void)ds, (void)account;
}
/* Add the part into ds. False (ds unchanged) when the book's totals of
 * absolute amounts would overflow: the caller folds the tail itself. */
bool sf_dataset_merge_tx_part(sf_dataset *ds, sf_tx_part *p); /* takes p's transactions */

/* Add one activity. account may be SF_NO_ACCOUNT (accounts derived and
 * id unknown): then it counts only in its owner's KPIs. owner is the
 * activity owner's id, or UINT32_MAX for "use the account owner".
 * minutes <= 0 means "default for the type". False on out of memory. */
bool sf_dataset_add_activity(sf_dataset *ds, uint32_t account, uint32_t owner,
                             sf_date date, sf_act_type type, sf_outcome outcome,
                             int64_t minutes);
/* count (>= 1) activities of one account, owner, day, type and outcome
 * (an aggregated export's `count`, docs/scale.md): minutes is their total,
 * <= 0 for the type's default x count (the caller checks that it fits:
 * sf_dataset_minutes_fit). */
bool sf_dataset_add_activities(sf_dataset *ds, uint32_t account, uint32_t owner, sf_date date,
                               sf_act_type type, sf_outcome outcome, int64_t minutes, int64_t count);
/* The book's minutes stay within SF_MINUTES_MAX, so that every sum of
 * them (an owner's time split, the team's) fits int64 with room to spare:
 * half of INT64_MAX, which the [durations] defaults (at most 100,000 each)
 * cannot fill with any number of activities memory can hold. Would a
 * duration of `minutes` from the data still fit? (Else it is bad_number,
 * and the activity kept with its type's default.) */
#define SF_MINUTES_MAX (INT64_MAX / 2)
/* An aggregated export's activity count is at most this (a billion
 * activities of one account, owner, day, type and outcome). */
#define SF_COUNT_MAX INT64_C(1000000000)
bool sf_dataset_minutes_fit(const sf_dataset *ds, int64_t minutes);

/* Append an opportunity (strings copied, may be NULL). owner UINT32_MAX =
 * the account's owner. Returns false on out of memory. */
bool sf_dataset_add_opportunity(sf_dataset *ds, const sf_opportunity *o);

/* After ingest: owners named through the users export (two owners
 * given one name keep their ids beside it), sort owner ids, sum the
 * transactions by account and day, then sf_dataset_at(ds, ds->as_of). */
sf_err sf_dataset_finish(sf_dataset *ds, sf_ctx *ctx);

/* The figures as of T (after sf_dataset_finish): every account's rev12,
 * windows, first/last purchase, last contact, cost, time-split minutes,
 * open opportunities and every owner's KPI counts. May be called again
 * for another T (backfill, backtest). SF_OK or SF_ERR_NOMEM. */
sf_err sf_dataset_at(sf_dataset *ds, sf_date T, sf_ctx *ctx);

/* The days of account a (dates ascending); *n receives their count. */
static inline const sf_tx_day *sf_account_days(const sf_dataset *ds, uint32_t a, uint32_t *n)
{
    if (!ds->day_start) {
        *n = 0;
        return NULL;
    }
    *n = ds->day_start[a + 1] - ds->day_start[a];
    return ds->days + ds->day_start[a];
}

/* Window helper: is d in the N-day window ending on end, (end-N, end]? */
static inline bool sf_in_window(sf_date d, sf_date end, int64_t n)
{
    return d != SF_NODATE && (int64_t)d > (int64_t)end - n && d <= end;
}

#endif
