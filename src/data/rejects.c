/*
 * rejects.c - reason names, the rejects.csv order and release of the
 * rejects list (data/sf_rejects.h).
 */
#include "data/sf_rejects.h"

#include <stdlib.h>
#include <string.h>

const char *sf_reject_reason_name(sf_reject_reason r)
{
    static const char *const names[SF_REJ_N] = {
        [SF_REJ_FIELD_COUNT] = "field_count",
        [SF_REJ_BAD_QUOTE] = "bad_quote",
        [SF_REJ_BAD_ENCODING] = "bad_encoding",
        [SF_REJ_MISSING_REQUIRED] = "missing_required",
        [SF_REJ_BAD_DATE] = "bad_date",
        [SF_REJ_BAD_NUMBER] = "bad_number",
        [SF_REJ_UNKNOWN_ACCOUNT] = "unknown_account",
        [SF_REJ_UNKNOWN_CURRENCY] = "unknown_currency",
        [SF_REJ_DUPLICATE_ID] = "duplicate_id",
        [SF_REJ_BAD_VALUE] = "bad_value",
    };
    return (unsigned)r < SF_REJ_N ? names[r] : "unknown";
}

static bool reject_before(const sf_reject *a, const sf_reject *b)
{
    if (a->file != b->file)
        return a->file < b->file;
    if (a->part != b->part)
        return a->part < b->part;
    return a->line < b->line;
}

/*
 * Stable merge sort by (file, line): lines of one record keep the order
 * in which ingest added them. Ingest drops a record's kept lines when it
 * rejects that record, but a won deal whose derived transaction is
 * rejected (transactions = @won) adds its rejection to an opportunities
 * line that may already have kept lines: those are dropped here (SPEC
 * §1.1, "only the rejection is written"). With no memory for the merge
 * buffer an insertion sort (stable, O(n^2) only on badly ordered input;
 * ingest appends mostly in order) does the job.
 */
/* After sorting: a record (same file and line) with a rejection keeps
 * only its rejected lines. */
static void drop_moot_kept(sf_rejects *r)
{
    size_t w = 0;
    for (size_t s = 0; s < r->n;) {
        size_t end = s + 1;
        bool rejected = !r->v[s].kept;
        while (end < r->n && r->v[end].file == r->v[s].file && r->v[end].part == r->v[s].part &&
               r->v[end].line == r->v[s].line)
            rejected |= !r->v[end++].kept;
        for (size_t i = s; i < end; i++) {
            if (rejected && r->v[i].kept)
                free(r->v[i].raw);
            else
                r->v[w++] = r->v[i];
        }
        s = end;
    }
    r->n = w;
}

void sf_rejects_sort(sf_rejects *r)
{
    if (!r || r->n < 2)
        return;
    size_t n = r->n;
    sf_reject *tmp = malloc(n * sizeof *tmp);
    if (!tmp) {
        for (size_t i = 1; i < n; i++) {
            sf_reject x = r->v[i];
            size_t j = i;
            while (j > 0 && reject_before(&x, &r->v[j - 1])) {
                r->v[j] = r->v[j - 1];
                j--;
            }
            r->v[j] = x;
        }
        drop_moot_kept(r);
        return;
    }
    sf_reject *a = r->v, *b = tmp;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n;
            size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                b[k++] = reject_before(&a[j], &a[i]) ? a[j++] : a[i++];
            while (i < mid)
                b[k++] = a[i++];
            while (j < hi)
                b[k++] = a[j++];
        }
        sf_reject *t = a;
        a = b;
        b = t;
    }
    if (a != r->v)
        memcpy(r->v, a, n * sizeof *a);
    free(tmp);
    drop_moot_kept(r);
}

/* A copy of s cut to at most SF_REJ_EXAMPLE_TEXT bytes at a UTF-8
 * character boundary, "..." added when cut. */
static char *example_text(const char *s)
{
    size_t n = strlen(s);
    bool cut = n > SF_REJ_EXAMPLE_TEXT;
    if (cut) {
        n = SF_REJ_EXAMPLE_TEXT;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    char *c = malloc(n + 4);
    if (!c)
        return NULL;
    memcpy(c, s, n);
    memcpy(c + n, cut ? "..." : "", cut ? 4 : 1);
    return c;
}

bool sf_rejects_example(sf_rejects *r, sf_file_kind file, sf_reject_reason reason, bool kept,
                        uint16_t part, uint32_t line, const char *field, const char *value)
{
    uint8_t *n = &r->n_ex[file][reason][kept];
    if (*n >= SF_REJ_EXAMPLES)
        return true;
    char *v = example_text(value ? value : "");
    if (!v)
        return false;
    r->ex[file][reason][kept][(*n)++] = (sf_reject_example){.part = part, .line = line, .field = field, .value = v};
    return true;
}

void sf_rejects_drop_kept_examples(sf_rejects *r, sf_file_kind file, uint16_t part, uint32_t line)
{
    for (int reason = 0; reason < SF_REJ_N; reason++) {
        uint8_t *n = &r->n_ex[file][reason][1];
        sf_reject_example *v = r->ex[file][reason][1];
        uint8_t w = 0;
        for (uint8_t i = 0; i < *n; i++) {
            if (v[i].part == part && v[i].line == line)
                free(v[i].value);
            else
                v[w++] = v[i];
        }
        *n = w;
    }
}

void sf_rejects_merge_examples(sf_rejects *dst, sf_rejects *src, uint32_t line_shift)
{
    for (int f = 0; f < SF_FILE_N; f++)
        for (int reason = 0; reason < SF_REJ_N; reason++)
            for (int k = 0; k < 2; k++) {
                uint8_t *nd = &dst->n_ex[f][reason][k];
                for (uint8_t i = 0; i < src->n_ex[f][reason][k]; i++) {
                    sf_reject_example x = src->ex[f][reason][k][i];
                    if (*nd < SF_REJ_EXAMPLES) {
                        x.line += line_shift;
                        dst->ex[f][reason][k][(*nd)++] = x;
                    } else {
                        free(x.value);
                    }
                }
                src->n_ex[f][reason][k] = 0;
            }
}

void sf_rejects_release(sf_rejects *r)
{
    if (!r)
        return;
    for (int f = 0; f < SF_FILE_N; f++)
        for (int reason = 0; reason < SF_REJ_N; reason++)
            for (int k = 0; k < 2; k++)
                for (uint8_t i = 0; i < r->n_ex[f][reason][k]; i++)
                    free(r->ex[f][reason][k][i].value);
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i].raw);
    free(r->v);
    memset(r, 0, sizeof *r);
}
