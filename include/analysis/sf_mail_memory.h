/*
 * sf_mail_memory.h - what the weekly mails remember (docs/scheduling.md,
 * "Only what changed"): the items each recipient was sent, read from the
 * history store's send log, and the record of one mail to write into it.
 *
 * Plain data shared by three floors: the history layer loads a memory
 * from the store and writes log entries (src/history/store_mail.c); the
 * email output decides from it what a mail lists and whether it goes
 * (src/output/email_items.c); the CLI hands one to the other. The rules
 * that compare an item with the time it was mailed ("worse") live here,
 * beside the data they read (src/analysis/mail_memory.c).
 *
 * Ownership: a memory owns its arrays and strings
 * (sf_mail_memory_release); a log entry borrows everything.
 */
#ifndef SF_MAIL_MEMORY_H
#define SF_MAIL_MEMORY_H

#include "base/sf_common.h"

/* What a mail lists: a row of an action list, by kind. */
typedef enum {
    SF_ITEM_DUE = 0, /* cadence_due: an account */
    SF_ITEM_DECLINE, /* decline_alerts: an account */
    SF_ITEM_FIRE,    /* fire_candidates: an account */
    SF_ITEM_PURSUE,  /* pipeline, verdict pursue: an opportunity */
    SF_ITEM_QUALIFY, /* pipeline, verdict qualify: an opportunity */
    SF_ITEM_REORDER, /* reorder_due: an account */
    SF_ITEM_N
} sf_item_kind;

/* "due", "decline", "fire", "pursue", "qualify", "reorder"; and back (-1:
 * unknown). */
const char *sf_item_kind_name(sf_item_kind k);
int sf_item_kind_of(const char *name);

/* One item as a mail listed it: its key (kind, id) and the state that
 * "got worse" compares. */
typedef struct {
    uint8_t kind;         /* sf_item_kind */
    const char *id;       /* account or opportunity id (borrowed) */
    sf_date mailed;       /* memory: the as-of of the mail that listed it */
    int8_t tier;          /* the account's tier (sf_tier), -1 unknown */
    int64_t days_overdue; /* due: days overdue (<= 0: not yet), else SF_NONE */
    int64_t drop;         /* decline: the drop in cents, else SF_NONE */
    int8_t reorder;       /* reorder: 1 late, 2 lapsed; else 0 */
} sf_mail_item;

/* Order by kind, then id in byte order (qsort / bsearch). */
int sf_mail_item_cmp(const void *a, const void *b);
/* The item (kind, id) in the sorted v[0..n), or NULL. */
const sf_mail_item *sf_mail_items_find(const sf_mail_item *v, size_t n, uint8_t kind, const char *id);

/*
 * Did the item get worse since it was mailed as `then`? Its tier fell
 * (A > B > C > D); a due contact's days overdue doubled (or it became
 * overdue); a decline's drop grew by at least escalate_ppm of the drop
 * then ([history] escalate_share, exact integer arithmetic); a client
 * late to reorder became lapsed.
 */
bool sf_mail_item_worse(const sf_mail_item *then, const sf_mail_item *now, int64_t escalate_ppm);

/* The digest of a mail's items: FNV-1a 64 over "kind:id\n" of the items
 * in sf_mail_item_cmp order, 16 hex digits ("" for none). Sorts v. */
void sf_mail_items_digest(sf_mail_item *v, size_t n, char out[17]);

/* What one recipient of one mail (the team's, or one rep's) was sent
 * before the ISO week of the run's as-of date. */
typedef struct {
    char *recipient;          /* owned: the mail's To addresses, sorted, ", " */
    char *scope;              /* owned: "" the team, else the rep's name */
    sf_date last;             /* as-of of the last mail sent; SF_NODATE: none */
    sf_mail_item *last_items; /* owned: that mail's items, sorted */
    size_t n_last;
    sf_mail_item *recent;     /* owned: items sent within the window, each
                               * with its latest mailing, sorted */
    size_t n_recent;
    uint32_t sent_this_week;  /* mails sent (or being sent) in the ISO week of
                               * the as-of date */
} sf_mail_sent_to;

/* A run's memory of its mails. loaded false: the history is off (or
 * nothing was loaded), and every mail is decided as if never sent. */
typedef struct {
    bool loaded;
    sf_date as_of;
    sf_date window_from;      /* items mailed on or after it are recent */
    sf_mail_sent_to *v;       /* owned, sorted by (recipient, scope) */
    size_t n;
    char **ids;               /* owned: the items' id strings */
    size_t n_ids, cap_ids;
} sf_mail_memory;

/* The recipient's entry, or NULL when it was never sent a mail. */
const sf_mail_sent_to *sf_mail_memory_find(const sf_mail_memory *m, const char *recipient, const char *scope);
/* Keep a copy of id for the memory's items (NULL on out of memory). */
const char *sf_mail_memory_str(sf_mail_memory *m, const char *id);
/* Sort v by (recipient, scope) and each entry's items; after loading. */
void sf_mail_memory_sort(sf_mail_memory *m);
/* Free everything the memory owns and zero it. NULL-safe, idempotent. */
void sf_mail_memory_release(sf_mail_memory *m);

/* One mail in the send log. Everything borrowed. */
typedef struct {
    const char *kind;         /* "report" or "failure" */
    const char *recipient;
    const char *scope;        /* "" the team (and the failure mail) */
    sf_date as_of;
    const char *message_id;   /* without the angle brackets */
    const char *digest;       /* sf_mail_items_digest, "" none */
    const sf_mail_item *items;
    size_t n_items;
    uint32_t left_out;        /* items left out as unchanged */
    const char *status;       /* see docs/history.md: sending, sent, failed,
                               * timeout, unchanged, empty, already_sent */
    int exit_code;            /* the sendmail command's exit status, -1 none */
} sf_mail_log_entry;

/* Where the send log goes. begin records e (before a hand-over its status
 * is "sending") and gives its row; end sets the row's outcome. Either may
 * be called with the log off: then fn is NULL. */
typedef struct {
    sf_err (*begin)(void *arg, const sf_mail_log_entry *e, int64_t *row, sf_ctx *ctx);
    sf_err (*end)(void *arg, int64_t row, const char *status, int exit_code, sf_ctx *ctx);
    void *arg;
} sf_mail_log;

#endif
