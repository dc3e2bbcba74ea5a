/*
 * ingest.c - the record rules of the CSV ingest (SPEC §1, §1.1): the
 * header mapped to canonical fields, each record typed, checked in the
 * reject precedence of §1.1 and folded into the dataset.
 *
 * Records come from the CSV reader (csvread.c: blocks, record boundaries,
 * line numbers, decoding, fields). Every record ends accepted, rejected
 * (a line in rejects), blank or footer: read = accepted + rejected + blank
 * + footer. The order of the files and the two-thread split of a large
 * transactions file are in ingest_split.c.
 *
 * Choices where SPEC leaves room (also in docs/ingest.md):
 * - duplicate transaction and opportunity ids are found through an
 *   sf_idset: a bitmap per id family (prefix + zero-padded counter, the
 *   usual invoice number), else 64-bit hashes (a false "duplicate" needs a
 *   64-bit collision, ~3e-8 for a million ids);
 * - with `transactions = @won` a won deal that yields no transaction is a
 *   rejected line of the opportunities file (file = opportunities, reason
 *   missing_required or bad_number) counted in files[SF_FILE_TRANSACTIONS]
 *   and rejects->count[SF_FILE_TRANSACTIONS]; the opportunity itself stays
 *   accepted;
 * - a currency code written in the amount ("USD 12.50") is the record's
 *   currency when the currency field is unmapped or empty.
 */
#include "input/sf_ingest_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the account cache: acindex.c ------------------------------------------ */

/* The first non-empty of a field's other columns ("A | B"). */
static const char *fld_alt(const sf_ingest_reader *g, int field)
{
    for (int a = 0; a < g->nalt[field]; a++) {
        const char *v = sf_recsrc_field(&g->src, (size_t)g->alt[field][a]);
        if (*v)
            return v;
    }
    return "";
}

static const char *fld(const sf_ingest_reader *g, int field)
{
    int c = g->col[field];
    if (c < 0)
        return "";
    const char *v = sf_recsrc_field(&g->src, (size_t)c);
    return *v || !g->nalt[field] ? v : fld_alt(g, field);
}

/* An account_id: the first of its column and its alternatives ("A | B")
 * that is neither empty nor one of [input] null_ids (Bitrix24 writes
 * COMPANY_ID 0 for a deal without a company: its contact is the account). */
static const char *fld_account(const sf_ingest_reader *g, int field)
{
    const char *v = fld(g, field);
    if (!g->cfg->null_ids.set || !sf_config_null_id(g->cfg, v))
        return v;
    for (int a = 0; a < g->nalt[field]; a++) {
        v = sf_recsrc_field(&g->src, (size_t)g->alt[field][a]);
        if (*v && !sf_config_null_id(g->cfg, v))
            return v;
    }
    return "";
}

/* The field of that canonical name in the file being read, -1 if none. */
static int field_index(sf_file_kind kind, const char *name)
{
    for (int f = 0; name && f < sf_field_count(kind); f++)
        if (strcmp(sf_field_name(kind, f), name) == 0)
            return f;
    return -1;
}

/* Does v (text that failed to parse as a date or number) mean "empty" in
 * this export ([input] blank_values)? Asked only after a parse failed, so
 * the common record pays nothing. */
static bool blank_word(const sf_ingest_reader *g, const char *v)
{
    return g->cfg->blank_values.set && sf_config_blank_value(g->cfg, v);
}

static bool has(const sf_ingest_reader *g, int field) { return *fld(g, field) != '\0'; }

/* Map a CRM value (activity type, outcome, status) to its canonical enum.
 * The mapping lower-cases (and allocates) per call and a file repeats a
 * handful of values a million times, so recent answers are remembered. */
enum { MEMO_TYPE, MEMO_OUTCOME, MEMO_STATUS };
static int map_value(sf_ingest_reader *g, int kind, const char *v)
{
    size_t n = strlen(v);
    if (n < sizeof g->memo[0][0].key) {
        for (int i = 0; i < 8; i++)
            if (g->memo[kind][i].key[0] && strcmp(g->memo[kind][i].key, v) == 0)
                return g->memo[kind][i].val;
    }
    int val = kind == MEMO_TYPE      ? (int)sf_config_act_type(g->cfg, v)
              : kind == MEMO_OUTCOME ? (int)sf_config_outcome(g->cfg, v)
                                     : (int)sf_config_status(g->cfg, v);
    if (n && n < sizeof g->memo[0][0].key) {
        unsigned slot = g->memo_next[kind]++ % 8;
        memcpy(g->memo[kind][slot].key, v, n + 1);
        g->memo[kind][slot].val = val;
    }
    return val;
}


/* The hash of id for find_account_h (0 when too long to be cached, or
 * when the shared index does not hash), its cache slot asked for early:
 * the lookup follows a parse of the rest of the record, which hides the
 * memory's latency. */
static uint64_t acache_prefetch(const sf_ingest_reader *g, const char *id, size_t len)
{
    if (g->acindex)
        return sf_acindex_prefetch(g->acindex, id, len);
    if (len > SF_ACACHE_KEY)
        return 0;
    uint64_t h = sf_acache_hash(id);
    if (g->accounts.cap)
        __builtin_prefetch(&g->accounts.v[(size_t)h & (g->accounts.cap - 1)]);
    return h;
}

/* sf_dataset_find through the shared index, or this reader's cache. */
static uint32_t find_account_h(sf_ingest_reader *g, const char *id, size_t len, uint64_t h)
{
    if (g->acindex)
        return sf_acindex_find(g->acindex, g->ds, id, len, h);
    if (len > SF_ACACHE_KEY)
        return sf_dataset_find(g->ds, id);
    sf_acache *c = &g->accounts;
    if (c->cap) {
        for (size_t i = (size_t)h & (c->cap - 1); c->v[i].h; i = (i + 1) & (c->cap - 1))
            if (c->v[i].h == h && c->v[i].len == len && memcmp(c->v[i].key, id, len) == 0)
                return c->v[i].idx;
    }
    uint32_t idx = sf_dataset_find(g->ds, id);
    if (idx != SF_NO_ACCOUNT)
        sf_acache_add(c, h, id, len, idx);
    return idx;
}

static uint32_t find_account(sf_ingest_reader *g, const char *id)
{
    size_t len = strlen(id);
    return find_account_h(g, id, len, acache_prefetch(g, id, len));
}

/* ---- rejects ---------------------------------------------------------------- */

/* A line for the current record, written when the record is done
 * (flush_lines): `line_file` is the file shown, `count_file` the file
 * whose counters it adds to. */
static sf_err push_line(sf_ingest_reader *g, sf_file_kind line_file, sf_file_kind count_file,
                        sf_reject_reason reason, const char *field, bool kept)
{
    if (g->n_pend == (int)SF_ARRAY_LEN(g->pend))
        return sf_ctx_error(g->ctx, SF_ERR_NOMEM, "internal error: too many reject lines for one record");
    g->pend[g->n_pend].line_file = line_file;
    g->pend[g->n_pend].count_file = count_file;
    g->pend[g->n_pend].reason = reason;
    g->pend[g->n_pend].field = field;
    g->pend[g->n_pend].kept = kept;
    g->n_pend++;
    sf_rejects *r = g->rj;
    if (r->n_ex[count_file][reason][kept] < SF_REJ_EXAMPLES) {
        /* what check shows: the field's value, or of a record-level fault
         * the record itself */
        char note[64], head[SF_REJ_EXAMPLE_TEXT + 8];
        /* the record's text is not NUL-terminated: its first bytes, enough
         * for the example (which is cut at SF_REJ_EXAMPLE_TEXT anyway) */
        size_t hn = g->src.rec->text_n < sizeof head - 1 ? g->src.rec->text_n : sizeof head - 1;
        memcpy(head, g->src.rec->text, hn);
        head[hn] = '\0';
        const char *value = head;
        int fi = field_index(g->kind, field);
        if (fi >= 0) {
            value = fld(g, fi);
        } else if (reason == SF_REJ_FIELD_COUNT) {
            snprintf(note, sizeof note, "%zu fields, the header has %zu", g->src.nf, g->ncols);
            value = note;
        }
        if (!sf_rejects_example(r, count_file, reason, kept, (uint16_t)g->file_no, g->src.rec->line, field, value))
            return sf_ctx_nomem(g->ctx);
    }
    return SF_OK;
}

/* Reject the current record: its kept lines are dropped (SPEC §1.1: only
 * the rejection is written). */
static sf_err reject(sf_ingest_reader *g, sf_reject_reason reason, const char *field)
{
    if (g->kept_lines)
        sf_rejects_drop_kept_examples(g->rj, g->kind, (uint16_t)g->file_no, g->src.rec->line);
    g->n_pend = 0;
    g->kept_lines = 0;
    g->st->rejected++;
    return push_line(g, g->kind, g->kind, reason, field, false);
}

/* The record is kept with `field` left empty. */
static sf_err keep(sf_ingest_reader *g, sf_reject_reason reason, const char *field)
{
    g->kept_lines++;
    return push_line(g, g->kind, g->kind, reason, field, true);
}

/* The record is done: its lines to the spool, with its raw text. A
 * rejection found after kept lines (a won deal whose derived transaction
 * fails) still replaces them. */
static sf_err flush_lines(sf_ingest_reader *g)
{
    bool rejected = false, kept = false;
    for (int i = 0; i < g->n_pend; i++) {
        rejected |= !g->pend[i].kept;
        kept |= g->pend[i].kept;
    }
    if (rejected && kept)
        sf_rejects_drop_kept_examples(g->rj, g->kind, (uint16_t)g->file_no, g->src.rec->line);
    sf_err e = SF_OK;
    for (int i = 0; i < g->n_pend && !e; i++) {
        if (rejected && g->pend[i].kept)
            continue;
        sf_reject x = {.file = g->pend[i].line_file, .line = g->src.rec->line, .reason = g->pend[i].reason,
                       .field = g->pend[i].field, .kept = g->pend[i].kept, .raw = g->src.rec->text,
                       .part = (uint16_t)g->file_no};
        e = sf_rejects_put(g->rj, g->seg, &x, g->src.rec->text_n, g->pend[i].count_file, g->ctx);
    }
    g->n_pend = 0;
    return e;
}

void sf_ingest_widen_dates(sf_file_stats *st, sf_date d)
{
    if (d == SF_NODATE)
        return;
    if (st->min_date == SF_NODATE || d < st->min_date)
        st->min_date = d;
    if (st->max_date == SF_NODATE || d > st->max_date)
        st->max_date = d;
}

static void accept(sf_ingest_reader *g, sf_date main_date)
{
    g->st->accepted++;
    if (g->kept_lines)
        g->st->kept_with_fault++;
    sf_ingest_widen_dates(g->st, main_date);
}

/* ---- typed records ------------------------------------------------------------- */


/* Currency rate for a code; NULL/empty code = report currency. */
static bool rate_of(const sf_config *cfg, const char *code, int64_t *rate)
{
    if (!code || !*code)
        code = cfg->currency ? cfg->currency : "EUR";
    return sf_config_rate(cfg, code, rate);
}

static sf_err do_account(sf_ingest_reader *g)
{
    const sf_config *cfg = g->cfg;
    const char *id = fld(g, SF_AF_ACCOUNT_ID), *name = fld(g, SF_AF_NAME);
    if (!*id)
        return reject(g, SF_REJ_MISSING_REQUIRED, "account_id");
    if (!*name)
        return reject(g, SF_REJ_MISSING_REQUIRED, "name");
    /* a duplicate id is found by sf_dataset_add_account below; its
     * rejection drops any kept line of the record (SPEC §1.1) */
    sf_err e;
    int64_t employees = SF_NONE, revenue = SF_NONE;
    if (has(g, SF_AF_EMPLOYEES) &&
        !sf_parse_int(fld(g, SF_AF_EMPLOYEES), cfg->decimal, cfg->thousands, &employees)) {
        employees = SF_NONE;
        if (!blank_word(g, fld(g, SF_AF_EMPLOYEES)) && (e = keep(g, SF_REJ_BAD_NUMBER, "employees")) != SF_OK)
            return e;
    }
    if (has(g, SF_AF_COMPANY_REVENUE) && !blank_word(g, fld(g, SF_AF_COMPANY_REVENUE))) {
        char code[4] = "";
        int64_t rate;
        if (!sf_parse_money(fld(g, SF_AF_COMPANY_REVENUE), cfg->decimal, cfg->thousands, &revenue,
                            code)) {
            revenue = SF_NONE;
            e = keep(g, SF_REJ_BAD_NUMBER, "company_revenue");
        } else if (!rate_of(cfg, code, &rate)) {
            revenue = SF_NONE;
            e = keep(g, SF_REJ_UNKNOWN_CURRENCY, "company_revenue");
        } else if (!sf_convert_cents(revenue, rate, &revenue)) {
            revenue = SF_NONE;
            e = keep(g, SF_REJ_BAD_NUMBER, "company_revenue");
        } else {
            e = SF_OK;
        }
        if (e != SF_OK)
            return e;
    }
    bool dup;
    uint32_t a = sf_dataset_add_account(g->ds, id, name, fld(g, SF_AF_OWNER), fld(g, SF_AF_INDUSTRY),
                                        fld(g, SF_AF_REGION), employees, revenue,
                                        fld(g, SF_AF_CONTACT_TITLE), fld(g, SF_AF_FIT), g->src.rec->line, &dup);
    if (a == SF_NO_ACCOUNT)
        return dup ? reject(g, SF_REJ_DUPLICATE_ID, "account_id") : sf_ctx_nomem(g->ctx);
    accept(g, SF_NODATE);
    return SF_OK;
}

/* Find or, with accounts derived, create the account of a transaction.
 * Returns SF_OK with *acc set, or SF_ERR_NOMEM. */
static sf_err tx_account(sf_ingest_reader *g, const char *aid, uint32_t *acc)
{
    *acc = find_account(g, aid);
    if (*acc != SF_NO_ACCOUNT)
        return SF_OK;
    bool dup;
    *acc = sf_dataset_add_account(g->ds, aid, aid, NULL, NULL, NULL, SF_NONE, SF_NONE, NULL, NULL, 0, &dup);
    return *acc == SF_NO_ACCOUNT ? sf_ctx_nomem(g->ctx) : SF_OK;
}

static sf_err do_transaction(sf_ingest_reader *g)
{
    const sf_config *cfg = g->cfg;
    const char *aid = fld_account(g, SF_TF_ACCOUNT_ID);
    if (!*aid)
        return reject(g, SF_REJ_MISSING_REQUIRED, "account_id");
    sf_idset_key idk = {0};
    bool has_id = has(g, SF_TF_TRANSACTION_ID);
    if (has_id) {
        const char *id = fld(g, SF_TF_TRANSACTION_ID);
        sf_idset_prefetch(g->ids, id, strlen(id), &idk); /* loads while the values are parsed */
    }
    if (!has(g, SF_TF_DATE))
        return reject(g, SF_REJ_MISSING_REQUIRED, "date");
    if (!g->by_product && !has(g, SF_TF_AMOUNT))
        return reject(g, SF_REJ_MISSING_REQUIRED, "amount");
    if (g->by_product && !has(g, SF_TF_QUANTITY))
        return reject(g, SF_REJ_MISSING_REQUIRED, "quantity");
    if (g->by_product && !has(g, SF_TF_UNIT_PRICE))
        return reject(g, SF_REJ_MISSING_REQUIRED, "unit_price");
    /* the account's cache line is fetched while the values are parsed */
    size_t aid_len = strlen(aid);
    uint64_t aid_h = acache_prefetch(g, aid, aid_len);
    sf_date date;
    if (!sf_parse_date(fld(g, SF_TF_DATE), cfg->date_format, &date))
        return reject(g, blank_word(g, fld(g, SF_TF_DATE)) ? SF_REJ_MISSING_REQUIRED : SF_REJ_BAD_DATE, "date");
    int64_t amount;
    char code[4] = "";
    const char *amount_field = "amount";
    if (!g->by_product) {
        if (!sf_parse_money(fld(g, SF_TF_AMOUNT), cfg->decimal, cfg->thousands, &amount, code))
            return reject(g, blank_word(g, fld(g, SF_TF_AMOUNT)) ? SF_REJ_MISSING_REQUIRED : SF_REJ_BAD_NUMBER,
                          "amount");
    } else {
        /* both exactly as written, the product rounded once (SPEC §1.1) */
        sf_decimal q, p;
        char qcode[4];
        if (!sf_parse_decimal_exact(fld(g, SF_TF_QUANTITY), cfg->decimal, cfg->thousands, &q, qcode) || qcode[0])
            return reject(g, SF_REJ_BAD_NUMBER, "quantity");
        if (!sf_parse_decimal_exact(fld(g, SF_TF_UNIT_PRICE), cfg->decimal, cfg->thousands, &p, code))
            return reject(g, SF_REJ_BAD_NUMBER, "unit_price");
        amount_field = "unit_price";
        if (!sf_decimal_mul_cents(&q, &p, &amount))
            return reject(g, SF_REJ_BAD_NUMBER, "unit_price");
    }
    const char *cur = fld(g, SF_TF_CURRENCY), *cur_field = "currency";
    if (!*cur && code[0]) {
        cur = code;
        cur_field = amount_field;
    }
    int64_t rate;
    if (!rate_of(cfg, cur, &rate))
        return reject(g, SF_REJ_UNKNOWN_CURRENCY, cur_field);
    if (!sf_convert_cents(amount, rate, &amount))
        return reject(g, SF_REJ_BAD_NUMBER, amount_field);
    uint32_t acc = find_account_h(g, aid, aid_len, aid_h);
    if (acc == SF_NO_ACCOUNT && !g->ds->accounts_derived)
        return reject(g, SF_REJ_UNKNOWN_ACCOUNT, "account_id");
    if (acc != SF_NO_ACCOUNT)
        sf_tx_prefetch(g->ds, g->part, acc); /* while the id and margin are checked */
    if (has_id) {
        bool found;
        if ((!g->ids && !(g->ids = sf_idset_new(g->ids_hint, g->rj ? g->rj->dir : NULL))) ||
            !sf_idset_probe(g->ids, fld(g, SF_TF_TRANSACTION_ID), &idk, &found))
            return sf_ctx_nomem(g->ctx);
        if (found)
            return reject(g, SF_REJ_DUPLICATE_ID, "transaction_id");
    }
    sf_err e;
    int64_t margin = SF_NONE;
    if (has(g, SF_TF_MARGIN) && !blank_word(g, fld(g, SF_TF_MARGIN))) {
        if (!sf_parse_money(fld(g, SF_TF_MARGIN), cfg->decimal, cfg->thousands, &margin, NULL) ||
            !sf_convert_cents(margin, rate, &margin)) {
            margin = SF_NONE;
            if ((e = keep(g, SF_REJ_BAD_NUMBER, "margin")) != SF_OK)
                return e;
        }
    }
    /* an aggregated export's purchase count (docs/scale.md): a whole
     * number >= 0; blank, as without the column, counts this row's amount */
    int64_t purchases = SF_NONE;
    if (has(g, SF_TF_PURCHASES) && !blank_word(g, fld(g, SF_TF_PURCHASES)) &&
        (!sf_parse_int(fld(g, SF_TF_PURCHASES), cfg->decimal, cfg->thousands, &purchases) || purchases < 0 ||
         purchases > (int64_t)UINT32_MAX))
        return reject(g, SF_REJ_BAD_NUMBER, "purchases");
    if (acc == SF_NO_ACCOUNT && (e = tx_account(g, aid, &acc)) != SF_OK)
        return e;
    if (g->part ? !sf_tx_part_add_n(g->part, acc, date, amount, margin, purchases)
                : !sf_dataset_add_transactions(g->ds, acc, date, amount, margin, purchases))
        return reject(g, SF_REJ_BAD_NUMBER, amount_field);
    if (has_id && !sf_idset_put(g->ids, fld(g, SF_TF_TRANSACTION_ID), &idk))
        return sf_ctx_nomem(g->ctx);
    accept(g, date);
    return SF_OK;
}

/* Owner id of a record: UINT32_MAX ("the account's owner") when empty. */
static sf_err owner_of(sf_ingest_reader *g, const char *name, uint32_t *owner)
{
    *owner = UINT32_MAX;
    if (!*name)
        return SF_OK;
    *owner = sf_dataset_owner(g->ds, name);
    return *owner == UINT32_MAX ? sf_ctx_nomem(g->ctx) : SF_OK;
}

static sf_err do_activity(sf_ingest_reader *g)
{
    const sf_config *cfg = g->cfg;
    const char *aid = fld_account(g, SF_VF_ACCOUNT_ID);
    /* a task logged on a lead (Salesforce) has no account: with
     * activity_without_account = owner it still counts for its owner */
    bool owner_only = !*aid && has(g, SF_VF_OWNER) && cfg->activity_without_account &&
                      strcmp(cfg->activity_without_account, "owner") == 0;
    if (!*aid && !owner_only)
        return reject(g, SF_REJ_MISSING_REQUIRED, "account_id");
    if (!has(g, SF_VF_DATE))
        return reject(g, SF_REJ_MISSING_REQUIRED, "date");
    /* a blank type is "other" (a task export whose Type is left empty):
     * only the type column itself is required */
    size_t aid_len = strlen(aid);
    uint64_t aid_h = owner_only ? 0 : acache_prefetch(g, aid, aid_len);
    sf_date date;
    if (!sf_parse_date(fld(g, SF_VF_DATE), cfg->date_format, &date))
        return reject(g, blank_word(g, fld(g, SF_VF_DATE)) ? SF_REJ_MISSING_REQUIRED : SF_REJ_BAD_DATE, "date");
    uint32_t acc = owner_only ? SF_NO_ACCOUNT : find_account_h(g, aid, aid_len, aid_h);
    if (acc == SF_NO_ACCOUNT && !owner_only && !g->ds->accounts_derived)
        return reject(g, SF_REJ_UNKNOWN_ACCOUNT, "account_id");
    if (acc != SF_NO_ACCOUNT)
        sf_activity_prefetch(g->ds, acc);
    sf_err e;
    int64_t minutes = 0;
    /* a duration that would take the book's minutes past what every sum
     * of them can hold is bad_number too (sf_dataset_minutes_fit) */
    if (has(g, SF_VF_DURATION_MIN) &&
        (!sf_parse_int(fld(g, SF_VF_DURATION_MIN), cfg->decimal, cfg->thousands, &minutes) ||
         !sf_dataset_minutes_fit(g->ds, minutes))) {
        minutes = 0;
        if (!blank_word(g, fld(g, SF_VF_DURATION_MIN)) && (e = keep(g, SF_REJ_BAD_NUMBER, "duration_min")) != SF_OK)
            return e;
    }
    /* an aggregated export's count (docs/scale.md): a whole number >= 1,
     * blank = 1; its default minutes must fit the book's total too */
    int64_t count = 1;
    if (has(g, SF_VF_COUNT) && !blank_word(g, fld(g, SF_VF_COUNT)) &&
        (!sf_parse_int(fld(g, SF_VF_COUNT), cfg->decimal, cfg->thousands, &count) || count < 1 ||
         count > SF_COUNT_MAX))
        return reject(g, SF_REJ_BAD_NUMBER, "count");
    uint32_t owner;
    if ((e = owner_of(g, fld(g, SF_VF_OWNER), &owner)) != SF_OK)
        return e;
    const char *tv = fld(g, SF_VF_TYPE), *ov = fld(g, SF_VF_OUTCOME);
    sf_act_type type = *tv ? (sf_act_type)map_value(g, MEMO_TYPE, tv) : SF_ACT_OTHER;
    sf_outcome outcome = *ov ? (sf_outcome)map_value(g, MEMO_OUTCOME, ov) : SF_OUT_NONE;
    if (g->ds->collect_values &&
        (!sf_tally_add(&g->ds->tally[SF_TALLY_TYPE], tv, type) ||
         (g->col[SF_VF_OUTCOME] >= 0 && !sf_tally_add(&g->ds->tally[SF_TALLY_OUTCOME], ov, outcome))))
        return sf_ctx_nomem(g->ctx);
    if (minutes <= 0 && count > 1 && !sf_dataset_minutes_fit(g->ds, g->cfg->durations[type] * count))
        return reject(g, SF_REJ_BAD_NUMBER, "count");
    if (!sf_dataset_add_activities(g->ds, acc, owner, date, type, outcome, minutes, count))
        return sf_ctx_nomem(g->ctx);
    accept(g, date);
    return SF_OK;
}

static char *dup_or_null(const char *s, bool *oom)
{
    if (!s || !*s)
        return NULL;
    char *c = sf_strdup(s);
    if (!c)
        *oom = true;
    return c;
}

/* A yes/no flag (is_won, is_closed): 1, 0, or -1 when unmapped or empty;
 * -2 for a value that is neither (a kept bad_value line). */
static int flag_of(const char *v)
{
    static const char *const yes[] = {"true", "yes", "y", "1", "x", "да", "tak", "ya"};
    static const char *const no[] = {"false", "no", "n", "0", "нет", "nie", "tidak"};
    if (!*v)
        return -1;
    for (size_t i = 0; i < SF_ARRAY_LEN(yes); i++)
        if (sf_utf8_ieq(v, yes[i]))
            return 1;
    for (size_t i = 0; i < SF_ARRAY_LEN(no); i++)
        if (sf_utf8_ieq(v, no[i]))
            return 0;
    return -2;
}

/* A deal's status (SPEC §1 status, with the program's is_won and
 * is_closed flags, docs/ingest.md "Status"): the status column mapped
 * through [opportunity_status]; then is_won true makes it won, is_closed
 * true makes it lost unless the status or is_won say won, is_closed false
 * makes it open, and is_won false alone takes a "won" status back to
 * open. Counted in the status tally with the value of the status column. */
static sf_err deal_status(sf_ingest_reader *g, sf_status *out)
{
    sf_err e;
    const char *sv = fld(g, SF_OF_STATUS);
    sf_status st = *sv ? (sf_status)map_value(g, MEMO_STATUS, sv) : SF_ST_OPEN;
    int won = g->col[SF_OF_IS_WON] >= 0 ? flag_of(fld(g, SF_OF_IS_WON)) : -1;
    int closed = g->col[SF_OF_IS_CLOSED] >= 0 ? flag_of(fld(g, SF_OF_IS_CLOSED)) : -1;
    if (won == -2 && (e = keep(g, SF_REJ_BAD_VALUE, "is_won")) != SF_OK)
        return e;
    if (closed == -2 && (e = keep(g, SF_REJ_BAD_VALUE, "is_closed")) != SF_OK)
        return e;
    if (won == 1)
        st = SF_ST_WON;
    else if (closed == 1)
        st = st == SF_ST_WON && won != 0 ? SF_ST_WON : SF_ST_LOST;
    else if (closed == 0 || (won == 0 && st == SF_ST_WON))
        st = SF_ST_OPEN;
    *out = st;
    if (g->col[SF_OF_STATUS] >= 0 && !sf_tally_add(&g->ds->tally[SF_TALLY_STATUS], sv, st))
        return sf_ctx_nomem(g->ctx);
    return SF_OK;
}

/* A probability 0-100 ("60%" is 60) in ppm of a point; false if bad. */
static bool probability_of(const sf_config *cfg, const char *prob, int64_t *out)
{
    char tmp[64];
    size_t pn = strlen(prob);
    int64_t ppm;
    if (pn >= sizeof tmp)
        return false;
    memcpy(tmp, prob, pn + 1);
    if (pn && tmp[pn - 1] == '%')
        tmp[pn - 1] = '\0';
    if (!sf_parse_decimal_ppm(tmp, cfg->decimal, cfg->thousands, &ppm) || ppm < 0 || ppm > 100 * (int64_t)SF_PPM)
        return false;
    *out = ppm;
    return true;
}

/* With transactions = @won: the won deal becomes a transaction, or a
 * missing_required / bad_number line (see the file comment). */
static sf_err derive_transaction(sf_ingest_reader *g, const sf_opportunity *o)
{
    sf_file_stats *tst = &g->ds->files[SF_FILE_TRANSACTIONS];
    tst->read++;
    const char *miss = o->close_date == SF_NODATE ? "close_date" : o->amount == SF_NONE ? "amount" : NULL;
    sf_reject_reason why = SF_REJ_MISSING_REQUIRED;
    if (!miss) {
        uint32_t acc;
        sf_err e = tx_account(g, o->account_id, &acc);
        if (e != SF_OK)
            return e;
        if (sf_dataset_add_transaction(g->ds, acc, o->close_date, o->amount, SF_NONE)) {
            tst->accepted++;
            sf_ingest_widen_dates(tst, o->close_date);
            return SF_OK;
        }
        miss = "amount";
        why = SF_REJ_BAD_NUMBER;
    }
    tst->rejected++;
    return push_line(g, SF_FILE_OPPORTUNITIES, SF_FILE_TRANSACTIONS, why, miss, false);
}

static sf_err do_opportunity(sf_ingest_reader *g)
{
    const sf_config *cfg = g->cfg;
    const char *id = fld(g, SF_OF_OPPORTUNITY_ID), *aid = fld_account(g, SF_OF_ACCOUNT_ID);
    if (!*id)
        return reject(g, SF_REJ_MISSING_REQUIRED, "opportunity_id");
    if (!*aid)
        return reject(g, SF_REJ_MISSING_REQUIRED, "account_id");
    if (!has(g, SF_OF_CREATED))
        return reject(g, SF_REJ_MISSING_REQUIRED, "created");
    sf_date created;
    if (!sf_parse_date(fld(g, SF_OF_CREATED), cfg->date_format, &created))
        return reject(g, blank_word(g, fld(g, SF_OF_CREATED)) ? SF_REJ_MISSING_REQUIRED : SF_REJ_BAD_DATE,
                      "created");
    if (!g->ds->accounts_derived && find_account(g, aid) == SF_NO_ACCOUNT)
        return reject(g, SF_REJ_UNKNOWN_ACCOUNT, "account_id");
    sf_idset_key idk = {0};
    bool found;
    if ((!g->ids && !(g->ids = sf_idset_new(g->ids_hint, g->rj ? g->rj->dir : NULL))) ||
        !sf_idset_probe(g->ids, id, &idk, &found))
        return sf_ctx_nomem(g->ctx);
    if (found)
        return reject(g, SF_REJ_DUPLICATE_ID, "opportunity_id");

    sf_err e = SF_OK;
    sf_opportunity o;
    memset(&o, 0, sizeof o);
    o.account = SF_NO_ACCOUNT;
    o.created = created;
    o.line = g->src.rec->line;
    o.part = (uint16_t)g->file_no;
    if ((e = deal_status(g, &o.status)) != SF_OK)
        return e;
    o.amount = SF_NONE;
    o.probability = SF_NONE;
    o.close_date = o.next_step_date = SF_NODATE;

    char code[4] = "";
    if (has(g, SF_OF_AMOUNT) && !blank_word(g, fld(g, SF_OF_AMOUNT)) &&
        !sf_parse_money(fld(g, SF_OF_AMOUNT), cfg->decimal, cfg->thousands, &o.amount, code)) {
        o.amount = SF_NONE;
        if ((e = keep(g, SF_REJ_BAD_NUMBER, "amount")) != SF_OK)
            return e;
    }
    const char *cur = has(g, SF_OF_CURRENCY) ? fld(g, SF_OF_CURRENCY) : code;
    int64_t rate;
    if (!rate_of(cfg, cur, &rate)) {
        o.amount = SF_NONE;
        if ((e = keep(g, SF_REJ_UNKNOWN_CURRENCY, "currency")) != SF_OK)
            return e;
    } else if (o.amount != SF_NONE && !sf_convert_cents(o.amount, rate, &o.amount)) {
        o.amount = SF_NONE;
        if ((e = keep(g, SF_REJ_BAD_NUMBER, "amount")) != SF_OK)
            return e;
    }
    const char *prob = fld(g, SF_OF_PROBABILITY);
    if (*prob && !blank_word(g, prob) && !probability_of(cfg, prob, &o.probability) &&
        (e = keep(g, SF_REJ_BAD_NUMBER, "probability")) != SF_OK)
        return e;
    if (has(g, SF_OF_CLOSE_DATE) && !sf_parse_date(fld(g, SF_OF_CLOSE_DATE), cfg->date_format, &o.close_date)) {
        o.close_date = SF_NODATE;
        if (!blank_word(g, fld(g, SF_OF_CLOSE_DATE)) && (e = keep(g, SF_REJ_BAD_DATE, "close_date")) != SF_OK)
            return e;
    }
    if (has(g, SF_OF_NEXT_STEP_DATE) &&
        !sf_parse_date(fld(g, SF_OF_NEXT_STEP_DATE), cfg->date_format, &o.next_step_date)) {
        o.next_step_date = SF_NODATE;
        if (!blank_word(g, fld(g, SF_OF_NEXT_STEP_DATE)) &&
            (e = keep(g, SF_REJ_BAD_DATE, "next_step_date")) != SF_OK)
            return e;
    }
    if ((e = owner_of(g, fld(g, SF_OF_OWNER), &o.owner)) != SF_OK)
        return e;

    bool oom = false;
    o.id = dup_or_null(id, &oom);
    o.account_id = dup_or_null(aid, &oom);
    o.stage = dup_or_null(fld(g, SF_OF_STAGE), &oom);
    o.probability_text = o.probability != SF_NONE ? dup_or_null(prob, &oom) : NULL;
    o.next_step = dup_or_null(fld(g, SF_OF_NEXT_STEP), &oom);
    o.contact_title = dup_or_null(fld(g, SF_OF_CONTACT_TITLE), &oom);
    o.name = dup_or_null(fld(g, SF_OF_NAME), &oom);
    if (!oom && g->n_opps == g->cap_opps) {
        size_t cap = g->cap_opps ? g->cap_opps * 2 : 64;
        sf_opportunity *v = realloc(g->opps, cap * sizeof *v);
        if (v) {
            g->opps = v;
            g->cap_opps = cap;
        } else {
            oom = true;
        }
    }
    if (oom) {
        sf_opportunity_release(&o);
        return sf_ctx_nomem(g->ctx);
    }
    if (!sf_idset_put(g->ids, id, &idk)) {
        sf_opportunity_release(&o);
        return sf_ctx_nomem(g->ctx);
    }
    g->opps[g->n_opps++] = o;
    accept(g, created);
    if (cfg->transactions_from_won && o.status == SF_ST_WON)
        return derive_transaction(g, &o);
    return SF_OK;
}

/* Hand the buffered opportunities to the dataset. They wait until the end
 * of the file so that, with accounts derived from won deals, an open deal
 * finds an account created by a later won one. */
sf_err sf_ingest_flush_opps(sf_ingest_reader *g)
{
    sf_err e = SF_OK;
    for (size_t i = 0; i < g->n_opps; i++)
        g->opps[i].account = find_account(g, g->opps[i].account_id);
    /* An account made from won deals (transactions = @won, no accounts
     * file) takes the owner of its latest won deal (close date, then the
     * later record), so that its lists do not say "(unassigned)". */
    if (g->cfg->transactions_from_won && g->ds->accounts_derived && g->ds->n_accounts) {
        size_t *latest = malloc(g->ds->n_accounts * sizeof *latest);
        if (!latest)
            return sf_ctx_nomem(g->ctx);
        for (uint32_t a = 0; a < g->ds->n_accounts; a++)
            latest[a] = SIZE_MAX;
        for (size_t i = 0; i < g->n_opps; i++) {
            const sf_opportunity *o = &g->opps[i];
            if (o->status != SF_ST_WON || o->account == SF_NO_ACCOUNT || o->owner == UINT32_MAX ||
                o->close_date == SF_NODATE)
                continue;
            size_t *l = &latest[o->account];
            if (*l == SIZE_MAX || g->opps[*l].close_date <= o->close_date)
                *l = i;
        }
        for (uint32_t a = 0; a < g->ds->n_accounts; a++)
            if (latest[a] != SIZE_MAX)
                sf_dataset_set_account_owner(g->ds, a, g->opps[latest[a]].owner);
        free(latest);
    }
    for (size_t i = 0; i < g->n_opps; i++) {
        sf_opportunity *o = &g->opps[i];
        if (e == SF_OK && !sf_dataset_add_opportunity(g->ds, o))
            e = sf_ctx_nomem(g->ctx);
        sf_opportunity_release(o);
    }
    g->n_opps = 0;
    return e;
}

/* A user of the users export: its id and the name shown for it (name,
 * else first and last name). */
static sf_err do_user(sf_ingest_reader *g)
{
    const char *id = fld(g, SF_UF_USER_ID);
    if (!*id)
        return reject(g, SF_REJ_MISSING_REQUIRED, "user_id");
    char both[512];
    const char *name = fld(g, SF_UF_NAME);
    if (!*name) {
        const char *a = fld(g, SF_UF_FIRST_NAME), *b = fld(g, SF_UF_LAST_NAME);
        snprintf(both, sizeof both, "%s%s%s", a, *a && *b ? " " : "", b);
        name = both;
    }
    bool dup;
    if (!sf_dataset_add_user(g->ds, id, name, &dup))
        return sf_ctx_nomem(g->ctx);
    if (dup)
        return reject(g, SF_REJ_DUPLICATE_ID, "user_id");
    accept(g, SF_NODATE);
    return SF_OK;
}

/* ---- one record, one file ------------------------------------------------------ */

/* Does a column some field reads hold undecodable bytes (U+FFFD in the
 * lossy text)? Bytes a mapped field never reads cost nothing: the record
 * is kept and its raw text shows U+FFFD. */
static bool mapped_undecodable(const sf_ingest_reader *g)
{
    for (size_t i = 0; i < g->n_used; i++)
        if (strstr(sf_recsrc_field(&g->src, (size_t)g->used[i]), "\xEF\xBF\xBD"))
            return true;
    return false;
}

/* The record just read (g->src.rec): counted, then typed unless blank or
 * after the footer. */
static sf_err type_record(sf_ingest_reader *g)
{
    sf_file_stats *st = g->st;
    const sf_csvrec *rec = g->src.rec;
    st->read++;
    if (g->footer) {
        st->footer++;
        return SF_OK;
    }
    if (rec->blank) {
        st->blank++;
        return SF_OK;
    }
    sf_err e = sf_recsrc_fields(&g->src);
    if (e != SF_OK)
        return e;
    const char *marker = g->cfg->end_marker;
    if (marker && *marker && g->src.nf > 0 &&
        strncmp(sf_recsrc_field(&g->src, 0), marker, strlen(marker)) == 0) {
        g->footer = true;
        st->footer++;
        return SF_OK;
    }
    g->n_pend = 0;
    g->kept_lines = 0;
    /* a record too long to hold has no fields: nothing else can be said */
    if (rec->too_long)
        return reject(g, SF_REJ_TOO_LONG, NULL);
    if (rec->open_quote)
        return reject(g, SF_REJ_BAD_QUOTE, NULL);
    if (rec->bad_encoding && (g->src.nf != g->ncols || mapped_undecodable(g)))
        return reject(g, SF_REJ_BAD_ENCODING, NULL);
    if (g->src.nf != g->ncols)
        return reject(g, SF_REJ_FIELD_COUNT, NULL);
    switch (g->kind) {
    case SF_FILE_ACCOUNTS:
        return do_account(g);
    case SF_FILE_TRANSACTIONS:
        return do_transaction(g);
    case SF_FILE_ACTIVITIES:
        return do_activity(g);
    case SF_FILE_OPPORTUNITIES:
        return do_opportunity(g);
    case SF_FILE_USERS:
        return do_user(g);
    case SF_FILE_N:
        break;
    }
    return SF_OK;
}

/* A record typed, then its reject lines written (flush_lines). */
static sf_err handle_record(sf_ingest_reader *g)
{
    sf_err e = type_record(g);
    sf_err f = g->n_pend ? flush_lines(g) : SF_OK;
    return e ? e : f;
}

/* Read the data records after the header. */
sf_err sf_ingest_read_records(sf_ingest_reader *g)
{
    sf_err e;
    for (;;) {
        sf_csv_event ev;
        if ((e = sf_recsrc_next(&g->src, &ev)) != SF_OK)
            return e;
        if (ev == SF_CSV_RECORD) {
            if ((e = handle_record(g)) != SF_OK)
                return e;
        } else if (ev == SF_CSV_END) {
            return SF_OK;
        } else {
            /* the tail's first byte (ingest_split.c) */
            bool done = false;
            if ((e = sf_ingest_at_tail(g, ev == SF_CSV_AT_LIMIT, &done)) != SF_OK)
                return e;
            if (done)
                return SF_OK;
        }
    }
}

