/*
 * owner_rows.c - the lists' rows grouped by owner (see sf_owner_rows.h):
 * per list a counting sort of its row indices by owner, one pass to count
 * and one to place, so each owner's rows stay in the list's order.
 */
#include "output/sf_owner_rows.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const sf_list *l;
    size_t *start;  /* n_owners + 1 offsets into rows */
    uint32_t *rows;
} list_index;

struct sf_owner_rows {
    uint32_t n_owners;
    list_index *lists;
    size_t n_lists;
};

void sf_owner_rows_free(sf_owner_rows *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->n_lists; i++) {
        free(x->lists[i].start);
        free(x->lists[i].rows);
    }
    free(x->lists);
    free(x);
}

/* Group the rows of l; false on out of memory. */
static bool index_list(const sf_report *rep, const sf_list *l, uint32_t n_owners, list_index *li)
{
    size_t n = l->count(rep);
    li->l = l;
    li->start = calloc((size_t)n_owners + 1, sizeof *li->start);
    li->rows = malloc((n ? n : 1) * sizeof *li->rows);
    if (!li->start || !li->rows || n > UINT32_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        uint32_t ow = l->owner(rep, i);
        if (ow < n_owners)
            li->start[ow + 1]++;
    }
    for (uint32_t k = 0; k < n_owners; k++)
        li->start[k + 1] += li->start[k];
    /* place with a moving cursor per owner: start[k] runs up to the next
     * owner's start, then is put back */
    for (size_t i = 0; i < n; i++) {
        uint32_t ow = l->owner(rep, i);
        if (ow < n_owners)
            li->rows[li->start[ow]++] = (uint32_t)i;
    }
    for (uint32_t k = n_owners; k > 0; k--)
        li->start[k] = li->start[k - 1];
    li->start[0] = 0;
    return true;
}

sf_err sf_owner_rows_build(const sf_report *rep, sf_owner_rows **out, sf_ctx *ctx)
{
    *out = NULL;
    sf_owner_rows *x = calloc(1, sizeof *x);
    if (!x)
        return sf_ctx_nomem(ctx);
    x->n_owners = rep->ds->n_owners;
    x->lists = calloc(sf_n_lists + 1, sizeof *x->lists);
    if (!x->lists) {
        sf_owner_rows_free(x);
        return sf_ctx_nomem(ctx);
    }
    for (size_t i = 0; i < sf_n_lists; i++) {
        const sf_list *l = sf_lists[i];
        if (!l->owner || !l->row || (l->present && !l->present(rep)))
            continue;
        if (!index_list(rep, l, x->n_owners, &x->lists[x->n_lists++])) {
            sf_owner_rows_free(x);
            return sf_ctx_nomem(ctx);
        }
    }
    *out = x;
    return SF_OK;
}

const uint32_t *sf_owner_rows_of(const sf_owner_rows *x, const sf_list *l, uint32_t owner, size_t *n)
{
    *n = 0;
    if (!x || !l || owner >= x->n_owners)
        return NULL;
    for (size_t i = 0; i < x->n_lists; i++)
        if (x->lists[i].l == l) {
            const list_index *li = &x->lists[i];
            *n = li->start[owner + 1] - li->start[owner];
            return li->rows + li->start[owner];
        }
    return NULL;
}
