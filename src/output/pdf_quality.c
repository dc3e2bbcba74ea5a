/*
 * pdf_quality.c - the data-quality page of report.pdf (sf_pdf_quality.h):
 * records read, accepted, rejected and kept per input file (each file of
 * a kind that has several), the notes of what the data cannot support in
 * the report's language, and the export's status values with the deals
 * that had them and the class they were read as, a closed-sounding value
 * read as open marked. What `check` prints, for the reader of the report.
 */
#include "output/sf_pdf_quality.h"

#include "draw/sf_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATUS_ROWS 14 /* status values shown, most deals first */
#define QCELL 128      /* bytes of a cell */

static const char *const k_note_keys[SF_NOTE_N] = {
    [SF_NOTE_NO_REVENUE] = "note_no_revenue",
    [SF_NOTE_GROWTH_PARTIAL] = "note_growth_partial",
    [SF_NOTE_CLOSED_AS_OPEN] = "note_closed_as_open",
    [SF_NOTE_SHORT_CYCLE] = "note_short_cycle",
    [SF_NOTE_NO_NEXT_STEP] = "note_no_next_step",
    [SF_NOTE_OWNERS_UNNAMED] = "note_owners_unnamed",
};

/* Append s[0..n) to out at *o, cut at cap. */
static void put(char *out, size_t cap, size_t *o, const char *s, size_t n)
{
    if (*o + 1 >= cap)
        return;
    if (n > cap - 1 - *o)
        n = cap - 1 - *o;
    memcpy(out + *o, s, n);
    *o += n;
    out[*o] = '\0';
}

void sf_pdf_note_text(const sf_output_ctx *o, const sf_note *n, char *out, size_t cap)
{
    sf_pdf_label_note(o, (unsigned)n->kind < SF_NOTE_N ? k_note_keys[n->kind] : "nothing", n, out, cap);
}

void sf_pdf_label_note(const sf_output_ctx *o, const char *key, const sf_note *n, char *out, size_t cap)
{
    char num[48];
    const char *tmpl = sf_pdf_label(o, key);
    size_t w = 0;
    out[0] = '\0';
    /* labels are data: placeholders are replaced, never given to printf */
    for (const char *p = tmpl; *p;) {
        const char *open = strchr(p, '{'), *close = open ? strchr(open, '}') : NULL;
        if (!open || !close) {
            put(out, cap, &w, p, strlen(p));
            break;
        }
        put(out, cap, &w, p, (size_t)(open - p));
        size_t l = (size_t)(close - open - 1);
        const char *name = open + 1, *rep = NULL;
        if (l == 1 && (*name == 'n' || *name == 'm')) {
            sf_lang_fmt_int(o->lang, *name == 'n' ? n->n : n->m, num, sizeof num);
            rep = num;
        } else if (l == 2 && (strncmp(name, "d1", 2) == 0 || strncmp(name, "d2", 2) == 0)) {
            sf_lang_fmt_date(o->lang, name[1] == '1' ? n->d1 : n->d2, num, sizeof num);
            rep = num;
        } else if (l == 5 && strncmp(name, "value", 5) == 0) {
            rep = n->text ? n->text : "";
        }
        if (rep)
            put(out, cap, &w, rep, strlen(rep));
        else
            put(out, cap, &w, open, l + 2);
        p = close + 1;
    }
}

/* "pdf.kind_<kind>": the kind of an input file in the language. */
static const char *kind_label(const sf_output_ctx *o, sf_file_kind f)
{
    char key[48];
    snprintf(key, sizeof key, "kind_%s", sf_file_kind_name(f));
    return sf_pdf_label(o, key);
}

/* The input files: one row per file (a kind's files apart). */
static double files_table(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box)
{
    enum { COLS = 6, ROWS = 24 };
    char cells[ROWS][COLS][64];
    char *ptrs[ROWS * COLS];
    size_t n = 0;
    for (int f = 0; f < SF_FILE_N && n < ROWS; f++) {
        const sf_file_stats *k = &o->ds->files[f];
        if (!k->present)
            continue;
        uint32_t np = k->n_parts ? k->n_parts : 1;
        for (uint32_t p = 0; p < np && n < ROWS; p++, n++) {
            const sf_file_stats *st = k->n_parts ? &k->parts[p] : k;
            snprintf(cells[n][0], 64, "%s", sf_report_part_base(o->rep, (sf_file_kind)f, p));
            snprintf(cells[n][1], 64, "%s", kind_label(o, (sf_file_kind)f));
            sf_lang_fmt_int(o->lang, st->read, cells[n][2], 64);
            sf_lang_fmt_int(o->lang, st->accepted, cells[n][3], 64);
            sf_lang_fmt_int(o->lang, st->rejected, cells[n][4], 64);
            sf_lang_fmt_int(o->lang, st->kept_with_fault, cells[n][5], 64);
            for (int c = 0; c < COLS; c++)
                ptrs[n * COLS + (size_t)c] = cells[n][c];
        }
    }
    const char *hdr[COLS] = {sf_pdf_label(o, "col_file"),     sf_pdf_label(o, "col_kind"),
                             sf_pdf_label(o, "col_read"),     sf_pdf_label(o, "col_accepted"),
                             sf_pdf_label(o, "col_rejected"), sf_pdf_label(o, "col_kept")};
    static const sf_align al[COLS] = {SF_AL_LEFT, SF_AL_LEFT, SF_AL_RIGHT, SF_AL_RIGHT, SF_AL_RIGHT, SF_AL_RIGHT};
    static const bool wrap[COLS] = {true, false, false, false, false, false};
    sf_table tb = {.headers = hdr, .align = al, .wrap = wrap, .n_cols = COLS, .cells = ptrs, .n_rows = n};
    return sf_chart_table(&d->ch, box, &tb);
}

/* The status values, most deals first; false on out of memory. */
static bool status_table(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box)
{
    const sf_tally *t = &o->ds->tally[SF_TALLY_STATUS];
    enum { COLS = 3 };
    static const char *const classes[] = {"status_open", "status_won", "status_lost"};
    if (!t->n)
        return true;
    uint32_t *ord = sf_tally_order(t);
    if (!ord)
        return false;
    char cells[STATUS_ROWS][COLS][QCELL];
    char *ptrs[STATUS_ROWS * COLS];
    sf_rgb mark[STATUS_ROWS];
    size_t n = 0;
    for (uint32_t i = 0; i < t->n && n < STATUS_ROWS; i++, n++) {
        const sf_tally_ent *e = &t->v[ord[i]];
        bool odd = e->cls == SF_ST_OPEN && sf_reads_closed(e->value);
        snprintf(cells[n][0], QCELL, "%s", *e->value ? e->value : sf_pdf_label(o, "empty_value"));
        sf_lang_fmt_int(o->lang, e->count, cells[n][1], QCELL);
        snprintf(cells[n][2], QCELL, "%s%s%s", sf_pdf_label(o, classes[(unsigned)e->cls < 3 ? e->cls : 0]),
                 odd ? " " : "", odd ? sf_pdf_label(o, "reads_closed") : "");
        mark[n] = odd ? sf_rgb_bad : e->cls == SF_ST_WON ? sf_rgb_good : e->cls == SF_ST_LOST ? sf_rgb_muted : sf_rgb_accent;
        for (int c = 0; c < COLS; c++)
            ptrs[n * COLS + (size_t)c] = cells[n][c];
    }
    free(ord);
    const char *hdr[COLS] = {sf_pdf_label(o, "col_status_value"), sf_pdf_label(o, "col_deals"),
                             sf_pdf_label(o, "col_read_as")};
    static const sf_align al[COLS] = {SF_AL_LEFT, SF_AL_RIGHT, SF_AL_LEFT};
    static const bool wrap[COLS] = {true, false, true};
    sf_table tb = {.headers = hdr, .align = al, .wrap = wrap, .n_cols = COLS, .cells = ptrs, .n_rows = n,
                   .row_mark = mark};
    sf_chart_table(&d->ch, box, &tb);
    return true;
}

bool sf_pdf_page_quality(sf_pdf_doc *d, const sf_output_ctx *o, sf_box box, uint32_t owner)
{
    (void)owner;
    sf_chart *c = &d->ch;
    double gw = (box.w - 30) / 2;
    sf_box left = {box.x, box.y, gw, box.h}, right = {box.x + gw + 30, box.y, gw, box.h};
    /* left: the files, then the notes */
    double y = left.y;
    y += sf_chart_text(c, left.x, y, gw, sf_pdf_label(o, "quality_files"), 11, true, SF_AL_LEFT, sf_rgb_text) + 6;
    y += files_table(d, o, (sf_box){left.x, y, gw, left.h / 2}) + 16;
    y += sf_chart_text(c, left.x, y, gw, sf_pdf_label(o, "quality_notes"), 11, true, SF_AL_LEFT, sf_rgb_text) + 6;
    const sf_quality_result *q = &o->rep->quality;
    if (!q->n)
        y += sf_chart_text_wrap(c, left.x, y, gw, sf_pdf_label(o, "quality_none"), 9, sf_rgb_muted, 2);
    char text[1024];
    for (uint32_t i = 0; i < q->n && y < left.y + left.h - 20; i++) {
        sf_pdf_note_text(o, &q->v[i], text, sizeof text);
        bool grave = q->v[i].kind == SF_NOTE_NO_REVENUE || q->v[i].kind == SF_NOTE_CLOSED_AS_OPEN;
        y += sf_chart_text_wrap(c, left.x, y, gw, text, 9, grave ? sf_rgb_bad : sf_rgb_text, 4) + 6;
    }
    /* right: the status values */
    double ry = right.y;
    ry += sf_chart_text(c, right.x, ry, gw, sf_pdf_label(o, "quality_statuses"), 11, true, SF_AL_LEFT,
                        sf_rgb_text) + 6;
    if (!o->ds->tally[SF_TALLY_STATUS].n) {
        sf_chart_text_wrap(c, right.x, ry, gw, sf_pdf_label(o, "quality_no_statuses"), 9, sf_rgb_muted, 2);
        return true;
    }
    return status_table(d, o, (sf_box){right.x, ry, gw, right.h - (ry - right.y)});
}
