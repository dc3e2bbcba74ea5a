/*
 * guess_values.c - `salesfocus init`, second half (sf_guess.h): every row
 * of the files it uses is read once, for the date and number formats
 * (from text values: an XLSX date or number cell says nothing about the
 * export's format), the currency, the empty share of each mapped column
 * and every distinct status, activity type and outcome; then the formats,
 * the language and the value classes are settled.
 *
 * A mapped column that is mostly empty gets a fuller alternative when the
 * file has one: for the account, the contact (the client of a B2C book);
 * for an activity's type, its subject line when that says what it was
 * (docs/init.md, "Mostly empty columns").
 */
#include "input/sf_guess.h"
#include "input/sf_ingest.h"
#include "input/sf_recsrc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SAMPLES 20000
#define MAX_DISTINCT 500

/* The date and money fields of a kind, -1 ended (a switch, so that a new
 * kind has none rather than field 0). */
static const int *date_fields(sf_file_kind k)
{
    static const int tx[] = {SF_TF_DATE, -1}, act[] = {SF_VF_DATE, -1},
                     opp[] = {SF_OF_CREATED, SF_OF_CLOSE_DATE, SF_OF_NEXT_STEP_DATE, -1}, none[] = {-1};
    return k == SF_FILE_TRANSACTIONS ? tx : k == SF_FILE_ACTIVITIES ? act : k == SF_FILE_OPPORTUNITIES ? opp : none;
}

static const int *money_fields(sf_file_kind k)
{
    static const int acc[] = {SF_AF_COMPANY_REVENUE, -1}, tx[] = {SF_TF_AMOUNT, SF_TF_UNIT_PRICE, SF_TF_MARGIN, -1},
                     opp[] = {SF_OF_AMOUNT, -1}, none[] = {-1};
    return k == SF_FILE_ACCOUNTS ? acc : k == SF_FILE_TRANSACTIONS ? tx : k == SF_FILE_OPPORTUNITIES ? opp : none;
}

/* Count value v in l (kept up to MAX_DISTINCT distinct values). */
static bool count_value(sf_guess_values *l, const char *v)
{
    if (!*v) {
        l->blank++;
        return true;
    }
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].value, v) == 0) {
            l->v[i].count++;
            return true;
        }
    if (l->n == MAX_DISTINCT) {
        l->truncated = true;
        return true;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        sf_guess_value *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv)
            return false;
        l->v = nv;
        l->cap = cap;
    }
    sf_guess_value *x = &l->v[l->n];
    memset(x, 0, sizeof *x);
    if (!(x->value = sf_strdup(v)))
        return false;
    x->count = 1;
    l->n++;
    return true;
}

/* What one pass over a file collects besides the guess itself. */
typedef struct {
    sf_strlist dates, money;
    int alt[SF_FIELD_MAX];        /* a candidate fuller column per field, -1 */
    int64_t both_empty[SF_FIELD_MAX]; /* rows where the field and the candidate are empty */
    sf_guess_values gap_subjects; /* activities: the candidate's values where the type is empty */
} pass;

static void pass_release(pass *p)
{
    sf_strlist_clear(&p->dates);
    sf_strlist_clear(&p->money);
    for (size_t i = 0; i < p->gap_subjects.n; i++)
        free(p->gap_subjects.v[i].value);
    free(p->gap_subjects.v);
}

/* The first header of a role that is not one of the field's columns. */
static int role_col(const sf_guess_file *f, sf_header_role role, int field)
{
    for (size_t i = 0; i < f->headers.n; i++) {
        bool mine = false;
        for (int a = 0; field >= 0 && a < f->ncol[field]; a++)
            mine |= f->col[field][a] == (int)i;
        if (!mine && sf_header_role_of(f->headers.v[i]) == role)
            return (int)i;
    }
    return -1;
}

/* The field's value in the current record: the first non-empty of its
 * columns (what the run reads); *col: the column it came from. */
static const char *value_of(const sf_guess_file *f, const sf_recsrc *s, int field, int *col)
{
    *col = -1;
    for (int a = 0; a < f->ncol[field]; a++) {
        const char *v = sf_recsrc_field(s, (size_t)f->col[field][a]);
        if (*v) {
            *col = f->col[field][a];
            return v;
        }
    }
    return "";
}

static bool typed_cell(const sf_recsrc *s, int col, sf_xcell_kind kind)
{
    return s->xlsx && col >= 0 && sf_xlsxread_cell_kind(s->xlsx, (size_t)col) == kind;
}

/* One row of file f: counts, samples, values. False when out of memory. */
static bool take_row(sf_guess *g, sf_guess_file *f, const sf_recsrc *s, pass *p)
{
    bool ok = true;
    int c;
    f->rows++;
    for (int fl = 0; fl < sf_field_count(f->kind); fl++) {
        if (!f->ncol[fl])
            continue;
        bool empty = !*value_of(f, s, fl, &c);
        f->empty[fl] += empty;
        if (p->alt[fl] >= 0)
            p->both_empty[fl] += empty && !*sf_recsrc_field(s, (size_t)p->alt[fl]);
    }
    for (const int *d = date_fields(f->kind); *d >= 0 && ok; d++) {
        const char *v = value_of(f, s, *d, &c);
        if (*v && p->dates.n < MAX_SAMPLES && !typed_cell(s, c, SF_XCELL_DATE))
            ok = sf_strlist_push(&p->dates, v) == SF_OK;
    }
    for (const int *m = money_fields(f->kind); *m >= 0 && ok; m++) {
        const char *v = value_of(f, s, *m, &c);
        if (*v && p->money.n < MAX_SAMPLES && !typed_cell(s, c, SF_XCELL_NUMBER))
            ok = sf_strlist_push(&p->money, v) == SF_OK;
    }
    if (f->kind == SF_FILE_OPPORTUNITIES) {
        int st = f->ncol[SF_OF_STATUS] ? SF_OF_STATUS : SF_OF_STAGE;
        if (f->ncol[st])
            ok &= count_value(&g->status, value_of(f, s, st, &c));
        if (f->ncol[SF_OF_CURRENCY])
            ok &= count_value(&g->currencies, value_of(f, s, SF_OF_CURRENCY, &c));
    } else if (f->kind == SF_FILE_TRANSACTIONS && f->ncol[SF_TF_CURRENCY]) {
        ok &= count_value(&g->currencies, value_of(f, s, SF_TF_CURRENCY, &c));
    } else if (f->kind == SF_FILE_ACTIVITIES) {
        const char *t = value_of(f, s, SF_VF_TYPE, &c);
        ok &= count_value(&g->types, t);
        if (!*t && p->alt[SF_VF_TYPE] >= 0)
            ok &= count_value(&p->gap_subjects, sf_recsrc_field(s, (size_t)p->alt[SF_VF_TYPE]));
        if (f->ncol[SF_VF_OUTCOME])
            ok &= count_value(&g->outcomes, value_of(f, s, SF_VF_OUTCOME, &c));
    }
    return ok;
}

/* Move the values of src into dst (counts added). */
static bool merge_values(sf_guess_values *dst, const sf_guess_values *src)
{
    for (size_t i = 0; i < src->n; i++)
        for (int64_t c = 0; c < src->v[i].count; c++)
            if (!count_value(dst, src->v[i].value))
                return false;
    return true;
}

/* A mostly empty field (empty in more than 5 % of rows) gets a fuller
 * column as its next alternative ("A | B") when that fills at least half
 * of the gaps (see the file comment). Activities: the subject stands in
 * for a missing type only when most of what it says there reads as a
 * call, email, visit or meeting. */
static bool settle_alternatives(sf_guess *g, sf_guess_file *f, pass *p)
{
    for (int fl = 0; fl < sf_field_count(f->kind); fl++) {
        int a = p->alt[fl];
        if (a < 0 || !f->rows || !f->ncol[fl] || f->ncol[fl] == SF_GUESS_ALTS || f->empty[fl] * 20 <= f->rows ||
            p->both_empty[fl] * 2 > f->empty[fl])
            continue;
        if (f->kind == SF_FILE_ACTIVITIES && fl == SF_VF_TYPE) {
            int64_t typed = 0, all = 0;
            for (size_t i = 0; i < p->gap_subjects.n; i++) {
                all += p->gap_subjects.v[i].count;
                if (sf_config_act_type(&g->preset, p->gap_subjects.v[i].value) != SF_ACT_OTHER ||
                    sf_guess_act_type(p->gap_subjects.v[i].value) != SF_ACT_OTHER)
                    typed += p->gap_subjects.v[i].count;
            }
            if (2 * typed < all)
                continue;
            /* the run reads the subject where the type is empty */
            if (!merge_values(&g->types, &p->gap_subjects))
                return false;
            g->types.blank -= all;
        }
        f->col[fl][f->ncol[fl]++] = a;
        f->added[fl] = a;
        f->before_empty[fl] = f->empty[fl];
        f->empty[fl] = p->both_empty[fl];
    }
    return true;
}

/* Read every row of usable file f. */
static sf_err read_rows(sf_guess *g, sf_guess_file *f, sf_strlist *dates, sf_strlist *money, sf_ctx *ctx)
{
    pass p;
    memset(&p, 0, sizeof p);
    for (int fl = 0; fl < SF_FIELD_MAX; fl++)
        p.alt[fl] = -1;
    if (f->kind == SF_FILE_ACTIVITIES)
        p.alt[SF_VF_TYPE] = role_col(f, SF_ROLE_SUBJECT, SF_VF_TYPE);
    int acc = f->kind == SF_FILE_TRANSACTIONS ? SF_TF_ACCOUNT_ID : f->kind == SF_FILE_ACTIVITIES ? SF_VF_ACCOUNT_ID
              : f->kind == SF_FILE_OPPORTUNITIES ? SF_OF_ACCOUNT_ID : -1;
    if (acc >= 0)
        p.alt[acc] = role_col(f, SF_ROLE_CONTACT, acc);
    sf_ctx fctx = {0};
    sf_recsrc s;
    sf_xlsx_opts xo = {.date_format = "%Y-%m-%d", .decimal = '.'};
    sf_err e = sf_recsrc_init(&s, f->encoding, "encoding", f->delimiter, &xo, &fctx);
    int64_t blank = 0;
    if (e == SF_OK && (e = sf_recsrc_open(&s, f->path, NULL, NULL)) == SF_OK)
        e = sf_recsrc_header(&s, &blank);
    while (e == SF_OK) {
        sf_csv_event ev;
        if ((e = sf_recsrc_next(&s, &ev)) != SF_OK || ev != SF_CSV_RECORD)
            break;
        if (s.rec->blank)
            continue;
        if ((e = sf_recsrc_fields(&s)) == SF_OK && !take_row(g, f, &s, &p))
            e = SF_ERR_NOMEM;
    }
    sf_recsrc_release(&s);
    bool ok = e == SF_OK && settle_alternatives(g, f, &p);
    for (size_t i = 0; ok && i < p.dates.n && dates->n < MAX_SAMPLES; i++)
        ok = sf_strlist_push(dates, p.dates.v[i]) == SF_OK;
    for (size_t i = 0; ok && i < p.money.n && money->n < MAX_SAMPLES; i++)
        ok = sf_strlist_push(money, p.money.v[i]) == SF_OK;
    pass_release(&p);
    if (e == SF_ERR_NOMEM || (e == SF_OK && !ok))
        return sf_ctx_nomem(ctx);
    if (e)
        return sf_ctx_error(ctx, SF_ERR_INPUT, "%s", fctx.msg);
    return SF_OK;
}

/* ---- settling ---------------------------------------------------------------------------- */

static void settle_encoding(sf_guess *g)
{
    const char *enc[16];
    int votes[16], n = 0;
    g->encoding = "UTF-8";
    g->delimiter = 0;
    bool first = true, same = true;
    for (size_t i = 0; i < g->n; i++) {
        const sf_guess_file *f = &g->files[i];
        if (!f->usable || f->xlsx)
            continue;
        same &= first || f->delimiter == g->delimiter;
        g->delimiter = f->delimiter;
        first = false;
        if (!f->non_ascii)
            continue;
        int k = 0;
        while (k < n && strcmp(enc[k], f->encoding) != 0)
            k++;
        if (k == n && n < 16) {
            enc[n] = f->encoding;
            votes[n++] = 0;
        }
        if (k < n)
            votes[k]++;
    }
    if (!same)
        g->delimiter = 0;
    int best = -1;
    for (int k = 0; k < n; k++)
        if (best < 0 || votes[k] > votes[best])
            best = k;
    if (best >= 0)
        g->encoding = enc[best];
}

static bool symbol_in(const sf_strlist *money, const char *sym)
{
    for (size_t i = 0; i < money->n; i++)
        if (strstr(money->v[i], sym))
            return true;
    return false;
}

/* The language of the headers: Cyrillic is Russian; Polish or Indonesian
 * words or letters; else English. */
static void settle_language(sf_guess *g)
{
    static const char *const polish[] = {"ą", "ę", "ł", "ś", "ż", "ź", "ć", "ń", "nazwa", "kwota", "data ", "klient",
                                         "firma", "opiekun", "wartość"};
    static const char *const indonesian[] = {"tanggal", "jumlah", "nama", "pelanggan", "perusahaan", "pemilik",
                                             "nilai", "jenis", "tahap"};
    int ru = 0, pl = 0, id = 0;
    for (size_t i = 0; i < g->n; i++) {
        for (size_t h = 0; g->files[i].usable && h < g->files[i].headers.n; h++) {
            char *low = sf_utf8_lower(g->files[i].headers.v[h]);
            if (!low)
                continue;
            for (const unsigned char *p = (const unsigned char *)low; *p; p++)
                ru += (*p == 0xD0 || *p == 0xD1);
            for (size_t k = 0; k < SF_ARRAY_LEN(polish); k++)
                pl += strstr(low, polish[k]) != NULL;
            for (size_t k = 0; k < SF_ARRAY_LEN(indonesian); k++)
                id += strstr(low, indonesian[k]) != NULL;
            free(low);
        }
    }
    g->language = ru ? "ru" : pl >= 2 ? "pl" : id >= 2 ? "id" : "en";
}

static void settle_currency(sf_guess *g, const sf_strlist *money)
{
    const sf_guess_value *top = NULL;
    int64_t all = 0;
    for (size_t i = 0; i < g->currencies.n; i++) {
        all += g->currencies.v[i].count;
        if (strlen(g->currencies.v[i].value) == 3 && (!top || g->currencies.v[i].count > top->count))
            top = &g->currencies.v[i];
    }
    if (top) {
        snprintf(g->currency, sizeof g->currency, "%s", top->value);
        snprintf(g->currency_why, sizeof g->currency_why, "the currency of %lld of %lld records",
                 (long long)top->count, (long long)all);
        return;
    }
    static const struct {
        const char *sym, *code;
    } signs[] = {{"₽", "RUB"}, {"руб", "RUB"}, {"zł", "PLN"}, {"Rp", "IDR"}, {"€", "EUR"}, {"£", "GBP"}, {"$", "USD"}};
    for (size_t i = 0; i < SF_ARRAY_LEN(signs); i++)
        if (symbol_in(money, signs[i].sym)) {
            snprintf(g->currency, sizeof g->currency, "%s", signs[i].code);
            snprintf(g->currency_why, sizeof g->currency_why, "amounts are written with %s", signs[i].sym);
            return;
        }
    const char *by_lang = strcmp(g->language, "ru") == 0   ? "RUB"
                          : strcmp(g->language, "pl") == 0 ? "PLN"
                          : strcmp(g->language, "id") == 0 ? "IDR"
                                                           : "EUR";
    snprintf(g->currency, sizeof g->currency, "%s", by_lang);
    snprintf(g->currency_why, sizeof g->currency_why, "no currency in the data: a guess from the language; check it");
}

/* Each value's class: the preset's lists first, else the words. */
static void settle_classes(sf_guess *g)
{
    const sf_config *p = &g->preset;
    bool st_set = p->statuses[SF_ST_WON].set || p->statuses[SF_ST_LOST].set;
    for (size_t i = 0; i < g->status.n; i++) {
        sf_guess_value *v = &g->status.v[i];
        sf_status s = st_set ? sf_config_status(p, v->value) : SF_ST_OPEN;
        v->by_preset = s != SF_ST_OPEN;
        v->cls = v->by_preset ? (int)s : (int)sf_guess_status(v->value, &v->closed);
    }
    for (size_t i = 0; i < g->types.n; i++) {
        sf_guess_value *v = &g->types.v[i];
        sf_act_type t = sf_config_act_type(p, v->value);
        v->by_preset = t != SF_ACT_OTHER && p->activity_types[t].set;
        v->cls = t != SF_ACT_OTHER ? (int)t : (int)sf_guess_act_type(v->value);
    }
    for (size_t i = 0; i < g->outcomes.n; i++) {
        sf_guess_value *v = &g->outcomes.v[i];
        sf_outcome o = sf_config_outcome(p, v->value);
        v->by_preset = o != SF_OUT_NONE && p->outcomes[o].set;
        v->cls = o != SF_OUT_NONE ? (int)o : (int)sf_guess_outcome(v->value);
    }
}

__attribute__((format(printf, 2, 3))) static bool note(sf_guess *g, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    return sf_strlist_push(&g->notes, line) == SF_OK;
}

/* What the user must still decide or do, one line each. */
static bool settle_notes(sf_guess *g)
{
    bool ok = true;
    for (size_t i = 0; i < g->n && ok; i++) {
        const sf_guess_file *f = &g->files[i];
        if (!f->usable)
            continue;
        if (!f->xlsx && f->non_ascii && strcmp(f->encoding, g->encoding) != 0)
            ok &= note(g, "%s reads as %s, the other files as %s: convert it (iconv -f %s -t %s)", f->path,
                       f->encoding, g->encoding, f->encoding, g->encoding);
        for (int k = 0; k < sf_field_count(f->kind) && ok; k++)
            if (sf_field_required(f->kind, k) && f->ncol[k] && f->empty[k] * 20 > f->rows)
                ok &= note(g, "%s: '%s' (%s) is empty in %lld of %lld rows; they are rejected, and more than 5%% "
                              "rejected stops the run", f->path, f->headers.v[f->col[k][0]],
                           sf_field_name(f->kind, k), (long long)f->empty[k], (long long)f->rows);
    }
    bool won = false;
    for (size_t i = 0; i < g->status.n && ok; i++) {
        won |= g->status.v[i].cls == SF_ST_WON;
        if (g->status.v[i].closed)
            ok &= note(g, "status '%s' reads as closed but neither won nor lost: add it to [opportunity_status] "
                          "won or lost", g->status.v[i].value);
    }
    if (ok && g->status.n && !won)
        ok &= note(g, "no status reads as won: name the won stage(s) in [opportunity_status] won");
    for (size_t i = 0; i < g->currencies.n && ok; i++)
        if (strcmp(g->currencies.v[i].value, g->currency) != 0)
            ok &= note(g, "%lld records are in %s: give its rate in [currency_rates], or they are rejected as "
                          "unknown_currency", (long long)g->currencies.v[i].count, g->currencies.v[i].value);
    return ok;
}

/* The commonest value of dates that the chosen format does not parse
 * (amoCRM's "не закрыта" in the close date of open deals). */
static bool settle_date_other(sf_guess *g, const sf_strlist *dates)
{
    sf_guess_values other = {0};
    bool ok = true;
    const char *fmt = g->date_format ? g->date_format : g->preset.date_format;
    for (size_t i = 0; ok && i < dates->n; i++) {
        sf_date d;
        if (!sf_parse_date(dates->v[i], fmt, &d))
            ok = count_value(&other, dates->v[i]);
    }
    const sf_guess_value *top = NULL;
    for (size_t i = 0; i < other.n; i++)
        if (!top || other.v[i].count > top->count)
            top = &other.v[i];
    if (ok && top && !(g->date_other = sf_strdup(top->value)))
        ok = false;
    g->date_other_n = top ? top->count : 0;
    for (size_t i = 0; i < other.n; i++)
        free(other.v[i].value);
    free(other.v);
    return ok;
}

sf_err sf_guess_read_values(sf_guess *g, sf_ctx *ctx)
{
    sf_strlist dates = {0}, money = {0};
    sf_err e = SF_OK;
    for (size_t i = 0; e == SF_OK && i < g->n; i++)
        if (g->files[i].usable)
            e = read_rows(g, &g->files[i], &dates, &money, ctx);
    if (e == SF_OK) {
        settle_encoding(g);
        settle_language(g);
        g->date_format = sf_sniff_date_format((const char *const *)dates.v, dates.n, g->preset.date_format,
                                              &g->dates_parsed, &g->dates_ambiguous);
        g->dates_total = dates.n;
        sf_numfmt pref = {g->preset.decimal, g->preset.thousands};
        g->num_found = sf_sniff_number_format((const char *const *)money.v, money.n, &pref, &g->num,
                                              &g->nums_parsed);
        g->nums_total = money.n;
        settle_currency(g, &money);
        settle_classes(g);
        if (!settle_notes(g) || !settle_date_other(g, &dates))
            e = sf_ctx_nomem(ctx);
    }
    sf_strlist_clear(&dates);
    sf_strlist_clear(&money);
    return e;
}
