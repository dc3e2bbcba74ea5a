/*
 * lists.c - the registry of lists (sf_lists[], in the order of SPEC §4),
 * the rejects list (the records the inputs could not use), and the one
 * text form of a cell that the CSV lists write and every other output
 * starts from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/sf_list.h"

const sf_list *const sf_lists[] = {
    &sf_list_accounts, &sf_list_cadence, &sf_list_decline, &sf_list_fire,
    &sf_list_split,    &sf_list_pipeline, &sf_list_kpis,   &sf_list_reorder,
    &sf_list_explain,  &sf_list_clv,      &sf_list_clv_model, &sf_list_rejects,
    &sf_list_changes,  &sf_list_tier_migration, &sf_list_trend,
};
const size_t sf_n_lists = SF_ARRAY_LEN(sf_lists);

bool sf_list_walk_open(sf_list_walk *w, const sf_list *l, const sf_report *rep)
{
    w->l = l;
    w->rep = rep;
    w->reader = l->open ? l->open(rep) : NULL;
    return !l->open || w->reader;
}

bool sf_list_walk_row(sf_list_walk *w, size_t row, sf_cell *cells)
{
    memset(cells, 0, SF_LIST_MAX_COLS * sizeof *cells);
    if (w->l->read)
        return w->reader && w->l->read(w->reader, row, cells);
    w->l->row(w->rep, row, cells);
    return true;
}

void sf_list_walk_close(sf_list_walk *w)
{
    if (w->l && w->l->close && w->reader)
        w->l->close(w->reader);
    w->reader = NULL;
}

bool sf_list_ahead_open(sf_list_ahead *a, const sf_list *l, const sf_report *rep, size_t n)
{
    a->n = n;
    a->next = 0;
    a->ahead = l->read ? 0 : SF_LIST_AHEAD;
    return sf_list_walk_open(&a->w, l, rep);
}

const sf_cell *sf_list_ahead_row(sf_list_ahead *a, size_t r)
{
    const sf_list *l = a->w.l;
    for (; a->next < a->n && a->next <= r + a->ahead; a->next++) {
        if (l->prefetch && a->ahead && a->next + a->ahead < a->n)
            l->prefetch(a->w.rep, a->next + a->ahead);
        sf_cell *cells = a->ring[a->next % (a->ahead + 1)];
        if (!sf_list_walk_row(&a->w, a->next, cells))
            return NULL;
        for (int c = 0; a->ahead && c < l->n_cols; c++)
            if (cells[c].text)
                __builtin_prefetch(cells[c].text);
    }
    return r < a->next ? a->ring[r % (a->ahead + 1)] : NULL;
}

void sf_list_ahead_close(sf_list_ahead *a) { sf_list_walk_close(&a->w); }

const sf_list *sf_list_find(const char *name)
{
    for (size_t i = 0; i < sf_n_lists; i++)
        if (strcmp(sf_lists[i]->name, name) == 0)
            return sf_lists[i];
    return NULL;
}

int sf_list_col(const sf_list *l, const char *name)
{
    for (int c = 0; c < l->n_cols; c++)
        if (strcmp(l->cols[c].name, name) == 0)
            return c;
    return -1;
}

void sf_report_account_cells(const sf_report *rep, uint32_t account, sf_cell *c)
{
    const sf_account *ac = &rep->ds->accounts[account];
    c[0].text = ac->id;
    c[1].text = ac->name;
    c[2].text = sf_report_owner_name(rep, ac->owner);
    c[3].v = rep->tiers.acc[account].tier;
}

void sf_report_account_prefetch(const sf_report *rep, uint32_t account)
{
    const sf_account *ac = &rep->ds->accounts[account];
    __builtin_prefetch(&ac->owner);
    __builtin_prefetch(&ac->id);
    __builtin_prefetch(&ac->name);
    __builtin_prefetch(&rep->tiers.acc[account].tier);
}

/* Names of the set bits, ';'-joined in bit order; cut at a name that does
 * not fit (never happens with the fixed vocabularies). */
static void join_flags(const sf_column *col, int64_t bits, char *out)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < col->n_flags; i++) {
        if (!(bits & ((int64_t)1 << i)))
            continue;
        int k = snprintf(out + len, SF_CELL_TEXT_MAX - len, "%s%s", len ? ";" : "", col->flag_name(i));
        if (k < 0 || (size_t)k >= SF_CELL_TEXT_MAX - len) {
            out[len] = '\0';
            break;
        }
        len += (size_t)k;
    }
}

const char *sf_cell_text(const sf_column *col, const sf_cell *cell, char *out)
{
    out[0] = '\0';
    /* a cell of its own type (explain.csv's values): that type's text */
    sf_col_type type = col->type == SF_COL_ANY ? cell->type : col->type;
    switch (type) {
    case SF_COL_TEXT:
    case SF_COL_PERCENT:
        return cell->text ? cell->text : "";
    case SF_COL_INT:
        if (cell->v != SF_NONE)
            sf_fmt_int(cell->v, out);
        break;
    case SF_COL_MONEY:
        sf_fmt_money(cell->v, out);
        break;
    case SF_COL_SHARE:
    case SF_COL_DECIMAL:
    case SF_COL_RATIO:
        sf_fmt_e4(cell->v, out);
        break;
    case SF_COL_DATE:
        sf_date_iso((sf_date)cell->v, out);
        break;
    case SF_COL_TIER:
        return sf_tier_name((sf_tier)cell->v);
    case SF_COL_TEMP:
        return sf_temp_name((sf_temp)cell->v);
    case SF_COL_FLAGS:
        if (col->type == SF_COL_FLAGS) /* flags need their column's names */
            join_flags(col, cell->v, out);
        break;
    case SF_COL_ANY:
        break;
    }
    return out;
}

/* ---- rejects.csv (SPEC §1, §4) ----------------------------------------------- */

static const sf_column rejects_cols[] = {
    SF_COLUMN("file", SF_COL_TEXT), SF_COLUMN("line", SF_COL_INT), SF_COLUMN("reason", SF_COL_TEXT), SF_COLUMN("field", SF_COL_TEXT),
    SF_COLUMN("action", SF_COL_TEXT), SF_COLUMN("raw", SF_COL_TEXT),
};

static size_t rejects_count(const sf_report *rep) { return rep->rejects ? rep->rejects->n : 0; }

static uint32_t rejects_owner(const sf_report *rep, size_t row)
{
    (void)rep;
    (void)row;
    return SF_OWNER_ALL;
}

const char *sf_report_part_base(const sf_report *rep, sf_file_kind f, size_t part)
{
    const char *p = rep->cfg && part < rep->cfg->inputs[f].n ? rep->cfg->inputs[f].v[part].path : NULL;
    if (!p && rep->ds && part < rep->ds->files[f].n_parts)
        p = rep->ds->files[f].parts[part].path;
    if (!p)
        return sf_report_file_base(rep, f);
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

const char *sf_report_file_base(const sf_report *rep, sf_file_kind f)
{
    const char *p = rep->cfg ? rep->cfg->file[f] : NULL;
    if (!p && rep->ds)
        p = rep->ds->files[f].path;
    if (!p)
        return sf_file_kind_name(f);
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* The rows come back from the rejects' spool, one reader per walk. */
typedef struct {
    const sf_report *rep;
    sf_rejects_reader *rd;
} rejects_walk;

static void *rejects_open(const sf_report *rep)
{
    rejects_walk *w = calloc(1, sizeof *w);
    if (w && rep->rejects && !(w->rd = sf_rejects_open(rep->rejects))) {
        free(w);
        return NULL;
    }
    if (w)
        w->rep = rep;
    return w;
}

static bool rejects_read(void *reader, size_t row, sf_cell *c)
{
    rejects_walk *w = reader;
    sf_reject r;
    if (!w->rd || !sf_rejects_read(w->rd, row, &r))
        return false;
    c[0].text = sf_report_part_base(w->rep, r.file, r.part);
    c[1].v = r.line;
    c[2].text = sf_reject_reason_name(r.reason);
    c[3].text = r.field;
    c[4].text = r.kept ? "kept" : "rejected";
    c[5].text = r.raw;
    return true;
}

static void rejects_close(void *reader)
{
    rejects_walk *w = reader;
    if (w)
        sf_rejects_close(w->rd);
    free(w);
}

const sf_list sf_list_rejects = {
    .name = "rejects",
    .sheet_key = "sheet_rejects",
    .cols = rejects_cols,
    .n_cols = (int)SF_ARRAY_LEN(rejects_cols),
    .count = rejects_count,
    .owner = rejects_owner,
    .open = rejects_open,
    .read = rejects_read,
    .close = rejects_close,
};
