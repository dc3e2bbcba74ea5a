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
#include "input/sf_hints.h"
#include "input/sf_ingest_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* From parse.c: money scaled by 1e9, for the exact quantity x price. */
bool sf_parse_money_e9(const char *s, char decimal, sf_thousands th, __int128 *v, char code[4]);

/* ---- the account cache ---------------------------------------------------- */

static void acache_add(sf_acache *c, uint64_t h, const char *id, size_t len, uint32_t idx)
{
    if (2 * (c->n + 1) > c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        sf_acache_ent *v = sf_table_alloc(cap * sizeof *v);
        if (!v)
            return; /* the cache is optional */
        for (size_t i = 0; i < c->cap; i++) {
            if (!c->v[i].h)
                continue;
            size_t j = (size_t)c->v[i].h & (cap - 1);
            while (v[j].h)
                j = (j + 1) & (cap - 1);
            v[j] = c->v[i];
        }
        free(c->v);
        c->v = v;
        c->cap = cap;
    }
    size_t i = (size_t)h & (c->cap - 1);
    while (c->v[i].h)
        i = (i + 1) & (c->cap - 1);
    c->v[i].h = h;
    c->v[i].idx = idx;
    c->v[i].len = (uint8_t)len;
    memcpy(c->v[i].key, id, len);
    c->n++;
}

static const char *fld(const sf_ingest_reader *g, int field)
{
    int c = g->col[field];
    return c < 0 ? "" : sf_recsrc_field(&g->src, (size_t)c);
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


static uint64_t id_hash(const char *s)
{
    uint64_t h = sf_hash_str(s);
    return h ? h : 1; /* 0 marks an empty cache slot */
}

/* sf_dataset_find through the cache. */
/* The hash of id for find_account_h (0 when too long to be cached), its
 * cache slot asked for early: the lookup follows a parse of the rest of
 * the record, which hides the memory's latency. */
static uint64_t acache_prefetch(const sf_ingest_reader *g, const char *id, size_t len)
{
    if (len > SF_ACACHE_KEY)
        return 0;
    uint64_t h = id_hash(id);
    if (g->accounts.cap)
        __builtin_prefetch(&g->accounts.v[(size_t)h & (g->accounts.cap - 1)]);
    return h;
}

static uint32_t find_account_h(sf_ingest_reader *g, const char *id, size_t len, uint64_t h)
{
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
        acache_add(c, h, id, len, idx);
    return idx;
}

static uint32_t find_account(sf_ingest_reader *g, const char *id)
{
    size_t len = strlen(id);
    return find_account_h(g, id, len, acache_prefetch(g, id, len));
}

/* ---- rejects ---------------------------------------------------------------- */

/* Append one line for the current record: `line_file` is the file shown,
 * `count_file` the file whose counters it adds to. */
static sf_err push_line(sf_ingest_reader *g, sf_file_kind line_file, sf_file_kind count_file,
                        sf_reject_reason reason, const char *field, bool kept)
{
    sf_rejects *r = g->rj;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        sf_reject *v = realloc(r->v, cap * sizeof *v);
        if (!v)
            return sf_ctx_nomem(g->ctx);
        r->v = v;
        r->cap = cap;
    }
    char *raw = sf_strndup(g->src.rec->text, g->src.rec->text_n);
    if (!raw)
        return sf_ctx_nomem(g->ctx);
    r->v[r->n++] = (sf_reject){.file = line_file, .line = g->src.rec->line, .reason = reason,
                               .field = field, .kept = kept, .raw = raw};
    if (kept)
        r->kept_count[count_file][reason]++;
    else
        r->count[count_file][reason]++;
    return SF_OK;
}

/* Reject the current record: its kept lines are dropped (SPEC §1.1: only
 * the rejection is written). */
static sf_err reject(sf_ingest_reader *g, sf_reject_reason reason, const char *field)
{
    sf_rejects *r = g->rj;
    while (r->n > g->rec_mark) {
        sf_reject *x = &r->v[--r->n];
        if (x->kept)
            r->kept_count[x->file][x->reason]--;
        free(x->raw);
    }
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
        if ((e = keep(g, SF_REJ_BAD_NUMBER, "employees")) != SF_OK)
            return e;
    }
    if (has(g, SF_AF_COMPANY_REVENUE)) {
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

/* quantity x unit_price rounded half away from zero to cents (both parsed
 * at nine decimals, exact for up to nine). False on overflow. */
static bool product_cents(__int128 q, __int128 p, int64_t *cents)
{
    __int128 prod;
    if (__builtin_mul_overflow(q, p, &prod))
        return false;
    const __int128 den = (__int128)10000000000000000LL; /* 1e18 / 1e2 */
    __int128 c = prod / den, r = prod % den;
    if (r < 0)
        r = -r;
    if (2 * r >= den)
        c += prod < 0 ? -1 : 1;
    if (c > INT64_MAX || c < -INT64_MAX)
        return false;
    *cents = (int64_t)c;
    return true;
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
    const char *aid = fld(g, SF_TF_ACCOUNT_ID);
    if (!*aid)
        return reject(g, SF_REJ_MISSING_REQUIRED, "account_id");
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
        return reject(g, SF_REJ_BAD_DATE, "date");
    int64_t amount;
    char code[4] = "";
    const char *amount_field = "amount";
    if (!g->by_product) {
        if (!sf_parse_money(fld(g, SF_TF_AMOUNT), cfg->decimal, cfg->thousands, &amount, code))
            return reject(g, SF_REJ_BAD_NUMBER, "amount");
    } else {
        __int128 q, p;
        char qcode[4];
        if (!sf_parse_money_e9(fld(g, SF_TF_QUANTITY), cfg->decimal, cfg->thousands, &q, qcode) || qcode[0])
            return reject(g, SF_REJ_BAD_NUMBER, "quantity");
        if (!sf_parse_money_e9(fld(g, SF_TF_UNIT_PRICE), cfg->decimal, cfg->thousands, &p, code))
            return reject(g, SF_REJ_BAD_NUMBER, "unit_price");
        amount_field = "unit_price";
        if (!product_cents(q, p, &amount))
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
    sf_idset_key idk;
    bool has_id = has(g, SF_TF_TRANSACTION_ID);
    if (has_id) {
        bool found;
        if ((!g->ids && !(g->ids = sf_idset_new(g->ids_hint))) ||
            !sf_idset_probe(g->ids, fld(g, SF_TF_TRANSACTION_ID), &idk, &found))
            return sf_ctx_nomem(g->ctx);
        if (found)
            return reject(g, SF_REJ_DUPLICATE_ID, "transaction_id");
    }
    sf_err e;
    int64_t margin = SF_NONE;
    if (has(g, SF_TF_MARGIN)) {
        if (!sf_parse_money(fld(g, SF_TF_MARGIN), cfg->decimal, cfg->thousands, &margin, NULL) ||
            !sf_convert_cents(margin, rate, &margin)) {
            margin = SF_NONE;
            if ((e = keep(g, SF_REJ_BAD_NUMBER, "margin")) != SF_OK)
                return e;
        }
    }
    if (acc == SF_NO_ACCOUNT && (e = tx_account(g, aid, &acc)) != SF_OK)
        return e;
    if (g->part ? !sf_tx_part_add(g->part, acc, date, amount, margin)
                : !sf_dataset_add_transaction(g->ds, acc, date, amount, margin))
        return reject(g, SF_REJ_BAD_NUMBER, amount_field);
    if (has_id && !sf_idset_put(g->ids, &idk))
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
    const char *aid = fld(g, SF_VF_ACCOUNT_ID);
    if (!*aid)
        return reject(g, SF_REJ_MISSING_REQUIRED, "account_id");
    if (!has(g, SF_VF_DATE))
        return reject(g, SF_REJ_MISSING_REQUIRED, "date");
    if (!has(g, SF_VF_TYPE))
        return reject(g, SF_REJ_MISSING_REQUIRED, "type");
    size_t aid_len = strlen(aid);
    uint64_t aid_h = acache_prefetch(g, aid, aid_len);
    sf_date date;
    if (!sf_parse_date(fld(g, SF_VF_DATE), cfg->date_format, &date))
        return reject(g, SF_REJ_BAD_DATE, "date");
    uint32_t acc = find_account_h(g, aid, aid_len, aid_h);
    if (acc == SF_NO_ACCOUNT && !g->ds->accounts_derived)
        return reject(g, SF_REJ_UNKNOWN_ACCOUNT, "account_id");
    if (acc != SF_NO_ACCOUNT)
        sf_activity_prefetch(g->ds, acc);
    sf_err e;
    int64_t minutes = 0;
    if (has(g, SF_VF_DURATION_MIN) &&
        !sf_parse_int(fld(g, SF_VF_DURATION_MIN), cfg->decimal, cfg->thousands, &minutes)) {
        minutes = 0;
        if ((e = keep(g, SF_REJ_BAD_NUMBER, "duration_min")) != SF_OK)
            return e;
    }
    uint32_t owner;
    if ((e = owner_of(g, fld(g, SF_VF_OWNER), &owner)) != SF_OK)
        return e;
    sf_act_type type = (sf_act_type)map_value(g, MEMO_TYPE, fld(g, SF_VF_TYPE));
    sf_outcome outcome = has(g, SF_VF_OUTCOME) ? (sf_outcome)map_value(g, MEMO_OUTCOME, fld(g, SF_VF_OUTCOME)) : SF_OUT_NONE;
    if (!sf_dataset_add_activity(g->ds, acc, owner, date, type, outcome, minutes))
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
    const char *id = fld(g, SF_OF_OPPORTUNITY_ID), *aid = fld(g, SF_OF_ACCOUNT_ID);
    if (!*id)
        return reject(g, SF_REJ_MISSING_REQUIRED, "opportunity_id");
    if (!*aid)
        return reject(g, SF_REJ_MISSING_REQUIRED, "account_id");
    if (!has(g, SF_OF_CREATED))
        return reject(g, SF_REJ_MISSING_REQUIRED, "created");
    sf_date created;
    if (!sf_parse_date(fld(g, SF_OF_CREATED), cfg->date_format, &created))
        return reject(g, SF_REJ_BAD_DATE, "created");
    if (!g->ds->accounts_derived && find_account(g, aid) == SF_NO_ACCOUNT)
        return reject(g, SF_REJ_UNKNOWN_ACCOUNT, "account_id");
    sf_idset_key idk;
    bool found;
    if ((!g->ids && !(g->ids = sf_idset_new(g->ids_hint))) ||
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
    o.status = has(g, SF_OF_STATUS) ? (sf_status)map_value(g, MEMO_STATUS, fld(g, SF_OF_STATUS)) : SF_ST_OPEN;
    o.amount = SF_NONE;
    o.probability = SF_NONE;
    o.close_date = o.next_step_date = SF_NODATE;

    char code[4] = "";
    if (has(g, SF_OF_AMOUNT) &&
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
    if (*prob) {
        /* "60%" is accepted as 60 */
        char tmp[64];
        size_t pn = strlen(prob);
        int64_t ppm;
        bool ok = pn < sizeof tmp;
        if (ok) {
            memcpy(tmp, prob, pn + 1);
            if (pn && tmp[pn - 1] == '%')
                tmp[pn - 1] = '\0';
            ok = sf_parse_decimal_ppm(tmp, cfg->decimal, cfg->thousands, &ppm) && ppm >= 0 &&
                 ppm <= 100 * (int64_t)SF_PPM;
        }
        if (ok) {
            o.probability = ppm;
        } else if ((e = keep(g, SF_REJ_BAD_NUMBER, "probability")) != SF_OK) {
            return e;
        }
    }
    if (has(g, SF_OF_CLOSE_DATE) && !sf_parse_date(fld(g, SF_OF_CLOSE_DATE), cfg->date_format, &o.close_date)) {
        o.close_date = SF_NODATE;
        if ((e = keep(g, SF_REJ_BAD_DATE, "close_date")) != SF_OK)
            return e;
    }
    if (has(g, SF_OF_NEXT_STEP_DATE) &&
        !sf_parse_date(fld(g, SF_OF_NEXT_STEP_DATE), cfg->date_format, &o.next_step_date)) {
        o.next_step_date = SF_NODATE;
        if ((e = keep(g, SF_REJ_BAD_DATE, "next_step_date")) != SF_OK)
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
    if (!sf_idset_put(g->ids, &idk)) {
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
static sf_err flush_opps(sf_ingest_reader *g)
{
    sf_err e = SF_OK;
    for (size_t i = 0; i < g->n_opps; i++) {
        sf_opportunity *o = &g->opps[i];
        o->account = find_account(g, o->account_id);
        if (e == SF_OK && !sf_dataset_add_opportunity(g->ds, o))
            e = sf_ctx_nomem(g->ctx);
        sf_opportunity_release(o);
    }
    g->n_opps = 0;
    return e;
}

/* ---- one record, one file ------------------------------------------------------ */

/* The record just read (g->src.rec): counted, then typed unless blank or
 * after the footer. */
static sf_err handle_record(sf_ingest_reader *g)
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
    g->rec_mark = g->rj->n;
    g->kept_lines = 0;
    if (rec->open_quote)
        return reject(g, SF_REJ_BAD_QUOTE, NULL);
    if (rec->bad_encoding)
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
    case SF_FILE_N:
        break;
    }
    return SF_OK;
}

/* Append "'h', " items of the headers found to buf. */
static void list_headers(const sf_file_stats *st, char *buf, size_t cap)
{
    size_t o = strlen(buf);
    for (size_t i = 0; i < st->headers_found.n && o + 1 < cap; i++) {
        int w = snprintf(buf + o, cap - o, "%s'%s'", i ? ", " : "", st->headers_found.v[i]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
}

static int header_index(const sf_file_stats *st, const char *h)
{
    for (size_t i = 0; i < st->headers_found.n; i++)
        if (strcmp(st->headers_found.v[i], h) == 0)
            return (int)i;
    return -1;
}

/* Map canonical fields to columns (SPEC §1.1 Headers). Missing required
 * column: SF_ERR_INPUT with the message of SPEC §1. */
static sf_err resolve_columns(sf_ingest_reader *g)
{
    const sf_config *cfg = g->cfg;
    sf_file_stats *st = g->st;
    int nfields = sf_field_count(g->kind);
    for (int f = 0; f < SF_FIELD_MAX; f++)
        g->col[f] = -1;
    for (int f = 0; f < nfields; f++) {
        const sf_colmap *cm = &cfg->columns[g->kind][f];
        const char *want = cm->kind == SF_MAP_HEADER ? cm->header
                           : cm->kind == SF_MAP_DEFAULT ? sf_field_name(g->kind, f) : NULL;
        if (!want)
            continue;
        int idx = header_index(st, want);
        if (idx >= 0) {
            g->col[f] = idx;
            if (!(st->mapped_header[f] = sf_strdup(st->headers_found.v[idx])))
                return sf_ctx_nomem(g->ctx);
        } else if (cm->kind == SF_MAP_HEADER && !sf_field_required(g->kind, f)) {
            char w[512];
            snprintf(w, sizeof w, "%s: mapped optional header '%s' for field '%s' not found", g->path,
                     want, sf_field_name(g->kind, f));
            if (sf_strlist_push(&st->warnings, w) != SF_OK)
                return sf_ctx_nomem(g->ctx);
        }
    }
    g->by_product = false;
    if (g->kind == SF_FILE_TRANSACTIONS && g->col[SF_TF_AMOUNT] < 0 &&
        cfg->columns[g->kind][SF_TF_AMOUNT].kind != SF_MAP_HEADER && g->col[SF_TF_QUANTITY] >= 0 &&
        g->col[SF_TF_UNIT_PRICE] >= 0)
        g->by_product = true;
    for (int f = 0; f < nfields; f++) {
        if (!sf_field_required(g->kind, f) || g->col[f] >= 0)
            continue;
        if (g->kind == SF_FILE_TRANSACTIONS && f == SF_TF_AMOUNT && g->by_product)
            continue;
        const sf_colmap *cm = &cfg->columns[g->kind][f];
        const char *want = cm->kind == SF_MAP_HEADER ? cm->header : sf_field_name(g->kind, f);
        char found[1400] = "";
        list_headers(st, found, sizeof found);
        return sf_ctx_error(g->ctx, SF_ERR_INPUT,
                            "%s: missing required column for '%s': looked for header '%s'; found: %s",
                            g->path, sf_field_name(g->kind, f), want, found);
    }
    if (g->kind == SF_FILE_TRANSACTIONS)
        g->ds->margin_mapped = g->col[SF_TF_MARGIN] >= 0;
    return SF_OK;
}


/* Read the header record (the first non-blank line) and map its columns. */
static sf_err read_header(sf_ingest_reader *g)
{
    int64_t blank = 0;
    sf_err e = sf_recsrc_header(&g->src, &blank);
    g->st->read += blank;
    g->st->blank += blank;
    if (e != SF_OK)
        return e;
    if (g->src.rec->bad_encoding)
        return sf_ctx_error(g->ctx, SF_ERR_INPUT,
                            "%s:%u: header line is not valid %s (check [input] encoding)", g->path,
                            (unsigned)g->src.rec->line, g->cfg->encoding ? g->cfg->encoding : "UTF-8");
    for (size_t i = 0; i < g->src.nf; i++) {
        const char *h = sf_recsrc_field(&g->src, i);
        while (strncmp(h, "\xEF\xBB\xBF", 3) == 0)
            h += 3;
        while (*h == ' ' || *h == '\t')
            h++;
        if (sf_strlist_push(&g->st->headers_found, h) != SF_OK)
            return sf_ctx_nomem(g->ctx);
    }
    g->ncols = g->src.nf;
    return resolve_columns(g);
}

/* Read the data records after the header. */
static sf_err read_records(sf_ingest_reader *g)
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

/* The file's header, then its records from g->start (if set). */
static sf_err read_body(sf_ingest_reader *g)
{
    sf_err e;
    /* Rows expected in the part read, from the line length of its start. */
    g->ids_hint = sf_recsrc_rows_hint(&g->src, g->start, g->limit);
    /* the account table sized once from the estimate (best effort: it
     * grows as needed anyway) */
    if (g->kind == SF_FILE_ACCOUNTS && g->ids_hint)
        (void)sf_dataset_reserve_accounts(g->ds, g->ids_hint < ((size_t)1 << 24)
                                                     ? g->ids_hint + g->ids_hint / 8
                                                     : ((size_t)1 << 24));
    if ((e = read_header(g)) != SF_OK) {
        if (e == SF_ERR_INPUT)
            sf_hint_header_error(g->cfg, g->path, g->ctx); /* the encoding or delimiter that fits */
        return e;
    }
    /* the tail of a split file: records from `start`, lines counted from
     * 1 there (the caller shifts them) */
    if (g->start > 0 && (e = sf_recsrc_seek(&g->src, g->start)) != SF_OK)
        return e;
    sf_recsrc_set_limit(&g->src, g->limit);
    if ((e = read_records(g)) != SF_OK)
        return e;
    if (g->kind == SF_FILE_OPPORTUNITIES)
        e = flush_opps(g);
    if (g->progress)
        g->progress(g->puser, sf_recsrc_stage(&g->src), 1.0);
    return e;
}

sf_err sf_ingest_read_file(sf_ingest_reader *g, sf_file_kind kind, const char *path)
{
    double t0 = sf_now_s();
    sf_file_stats *st = g->st_own ? g->st_own : &g->ds->files[kind];
    g->kind = kind;
    g->path = path;
    g->st = st;
    st->present = true;
    st->min_date = st->max_date = SF_NODATE;
    if (!st->path && !(st->path = sf_strdup(path)))
        return sf_ctx_nomem(g->ctx);
    g->footer = false;
    sf_idset_free(g->ids);
    g->ids = NULL;
    g->ids_hint = 0;
    sf_err e = sf_recsrc_open(&g->src, path, g->progress, g->puser);
    if (e != SF_OK)
        return e;
    e = read_body(g);
    sf_recsrc_close(&g->src);
    st->seconds += sf_now_s() - t0;
    return e;
}


/* Reject shares over the limit, all files named in one message. */
sf_err sf_ingest_check_shares(sf_ingest_reader *g)
{
    char msg[1800] = "";
    size_t o = 0;
    for (int f = 0; f < SF_FILE_N; f++) {
        const sf_file_stats *st = &g->ds->files[f];
        int64_t total = st->accepted + st->rejected;
        if (!st->present || total == 0 ||
            (__int128)st->rejected * SF_PPM <= (__int128)g->cfg->max_reject_share * total)
            continue;
        int64_t pct = (int64_t)(((__int128)st->rejected * 10000 + total / 2) / total);
        int64_t lim = (g->cfg->max_reject_share + 50) / 100;
        int w = snprintf(msg + o, sizeof msg - o,
                         "%s%s: %lld of %lld records rejected (%lld.%02lld%%), more than "
                         "max_reject_share %lld.%02lld%%",
                         o ? "; " : "", st->path ? st->path : sf_file_kind_name(f), (long long)st->rejected,
                         (long long)total, (long long)(pct / 100), (long long)(pct % 100),
                         (long long)(lim / 100), (long long)(lim % 100));
        if (w < 0 || (size_t)w >= sizeof msg - o)
            break;
        o += (size_t)w;
    }
    if (o) {
        g->rj->over_limit = true;
        return sf_ctx_error(g->ctx, SF_ERR_INPUT, "%s (see rejects.csv)", msg);
    }
    return SF_OK;
}


sf_err sf_ingest_reader_init(sf_ingest_reader *g, sf_dataset *ds, const sf_config *cfg, sf_rejects *rejects,
                             sf_progress_fn progress, void *progress_user, sf_ctx *ctx)
{
    memset(g, 0, sizeof *g);
    g->ds = ds;
    g->cfg = cfg;
    g->rj = rejects;
    g->ctx = ctx;
    g->progress = progress;
    g->puser = progress_user;
    g->limit = -1;
    char origin[600];
    snprintf(origin, sizeof origin, "%s: [input] encoding", cfg->path ? cfg->path : "config");
    /* a workbook's dates and numbers are written as the CSV export has them */
    sf_xlsx_opts xo = {.sheet = cfg->sheet, .date_format = cfg->date_format, .decimal = cfg->decimal};
    return sf_recsrc_init(&g->src, cfg->encoding, origin, cfg->delimiter, &xo, ctx);
}

void sf_ingest_reader_release(sf_ingest_reader *g)
{
    for (size_t i = 0; i < g->n_opps; i++)
        sf_opportunity_release(&g->opps[i]);
    free(g->opps);
    sf_idset_free(g->ids);
    free(g->accounts.v);
    sf_recsrc_release(&g->src);
    memset(g, 0, sizeof *g);
}
