/*
 * sf_history_view.h - a run as the history store keeps it (SPEC §7 "What
 * a run stores"), and what the analyses of §7 read from the store: the
 * previous run P, the headline figures of the stored runs (the trend) and
 * each account's tier and temperature over the last runs (the review
 * pack's strip).
 *
 * Plain data: the history layer (src/history) fills a view from the store
 * and writes a run into it; the analyses (an_changes.c, an_trend.c)
 * compare the current run with P. The same record serves both sides: this
 * run is turned into an sf_hist_run (sf_history_snapshot) and compared
 * with P field by field, and that is also what the store keeps.
 *
 * Ownership: a view owns its arrays and the strings of its arena
 * (sf_history_view_release); a snapshot owns its arrays and borrows its
 * strings from the dataset (sf_hist_run_release).
 */
#ifndef SF_HISTORY_VIEW_H
#define SF_HISTORY_VIEW_H

#include "data/sf_dataset.h"

/* One account in a run. */
typedef struct {
    const char *id, *name, *owner; /* owner: the name as the lists write it */
    uint8_t tier;                  /* sf_tier */
    uint8_t temp;                  /* sf_temp */
    uint8_t decline;               /* 0 not alerted, 1 declining, 2 lost */
    uint8_t reorder;               /* sf_reorder_status */
    bool fire;                     /* a fire candidate */
    int64_t rev12, potential;      /* cents */
    sf_date last_contact, next_due;
    int64_t days_overdue;          /* SF_NONE unless in the due list */
    int64_t drop;                  /* cents, SF_NONE unless alerted */
    uint32_t index;                /* in the dataset (a snapshot), else
                                    * SF_NO_ACCOUNT (read from the store) */
} sf_hist_account;

/* One opportunity created on or before the run's T, open or closed then. */
typedef struct {
    const char *id, *account_id, *owner;
    const char *stage;             /* NULL when empty */
    uint8_t status;                /* sf_status at T */
    int8_t verdict;                /* sf_verdict, -1 when not open */
    int64_t amount;                /* cents, SF_NONE when empty */
    sf_date close_date, next_step_date;
    uint32_t index;                /* in ds->opps (a snapshot), else UINT32_MAX */
} sf_hist_deal;

/* A run's headline figures: one row of trend.csv. */
typedef struct {
    sf_date as_of;
    uint32_t accounts;
    int64_t rev12;
    uint32_t tier_accounts[SF_TIER_N];
    int64_t tier_rev12[SF_TIER_N];
    uint32_t cold_a, due, alerts, fire;
    uint32_t verdicts[3];          /* pursue, qualify, drop */
} sf_hist_figures;

/* A whole run: T, its rules, figures, accounts and deals (each sorted by
 * id in byte order, ids unique). */
typedef struct {
    sf_date as_of;
    char fingerprint[17];
    sf_hist_figures fig;
    /* the §3.8 figures the trend does not show, stored with the run */
    int64_t rev_prev12, growth;    /* cents; e4, SF_NONE */
    uint32_t lost;
    int64_t rejected;
    sf_hist_account *acc;
    size_t n_acc;
    sf_hist_deal *deals;
    size_t n_deals;
} sf_hist_run;

/* Runs in the review pack's strip, this one included. */
#define SF_HIST_STRIP_MAX 12
#define SF_HIST_ABSENT 0xFF /* strip cell of an account not in that run */

typedef struct sf_history_view {
    /* P, the stored run with the latest T_P < T (have_prev false: none,
     * a first run) */
    bool have_prev;
    sf_hist_run prev;
    /* the figures of the stored runs before T, oldest first: at most
     * trend_runs - 1 of them, so that with this run's row trend.csv has
     * trend_runs rows */
    sf_hist_figures *runs;
    size_t n_runs;
    /* this run's rules fingerprint (the CLI computes it from the config) */
    char fingerprint[17];
    /* the strip: tier and temperature of every account of the current
     * dataset in the last n_strip stored runs before T, oldest first:
     * strip_tier[r * n_strip_accounts + a], SF_HIST_ABSENT when the
     * account was not in run r. Loaded for the review pack only. */
    size_t n_strip;
    sf_date strip_as_of[SF_HIST_STRIP_MAX];
    uint8_t *strip_tier, *strip_temp;
    uint32_t n_strip_accounts;
    void *arena; /* private: the strings of prev */
} sf_history_view;

/* A copy of s[0..n) (NUL added) in the view's arena, NULL on out of
 * memory; lives until sf_history_view_release. */
const char *sf_history_view_str(sf_history_view *v, const char *s, size_t n);
/* Free everything the view owns and zero it. NULL-safe, idempotent. */
void sf_history_view_release(sf_history_view *v);
/* Free a snapshot's arrays (not its borrowed strings) and zero it. */
void sf_hist_run_release(sf_hist_run *r);

/* Sort a run's accounts and deals by id (byte order). */
void sf_hist_run_sort(sf_hist_run *r);

#endif
