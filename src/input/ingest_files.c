/*
 * ingest_files.c - the files of the ingest: a kind's files read one after
 * the other (each file's header mapped and its counts kept apart, summed
 * into the kind's; ids checked across the kind's files; opportunities
 * handed to the dataset after the last one), and the reject share of each
 * file. The records themselves are ingest.c's; the order of the kinds and
 * the two-thread split ingest_split.c's.
 */
#include "input/sf_hints.h"
#include "input/sf_ingest_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    return sf_ingest_map_columns(g);
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
    if ((e = sf_ingest_read_records(g)) != SF_OK)
        return e;
    if (g->progress)
        g->progress(g->puser, sf_recsrc_stage(&g->src), 1.0);
    return e;
}

sf_err sf_ingest_read_file(sf_ingest_reader *g, sf_file_kind kind, const sf_input *in)
{
    const char *path = in->path;
    double t0 = sf_now_s();
    sf_file_stats *agg = &g->ds->files[kind];
    sf_file_stats *st = g->st_own ? g->st_own : g->file_no < agg->n_parts ? &agg->parts[g->file_no] : agg;
    g->kind = kind;
    g->path = path;
    g->st = st;
    st->present = true;
    st->min_date = st->max_date = SF_NODATE;
    if (!st->path && !(st->path = sf_strdup(path)))
        return sf_ctx_nomem(g->ctx);
    g->footer = false;
    g->n_pend = 0;
    g->ids_hint = 0;
    /* this reader's lines of this file: the tail of a split file after
     * its head */
    sf_err e = sf_rejects_segment(g->rj, kind, (uint16_t)g->file_no, g->start > 0 ? 1 : 0, &g->seg, g->ctx);
    if (e != SF_OK)
        return e;
    /* the descriptor sf_ingest opened, read with pread (docs/ingest.md,
     * "Open once") */
    g->src.xo.sheet = sf_config_sheet(g->cfg, kind, &g->src.xo.sheet_key);
    e = sf_recsrc_open_fd(&g->src, in->fd, in->size, path, g->progress, g->puser);
    if (e != SF_OK)
        return e;
    e = read_body(g);
    sf_recsrc_close(&g->src);
    st->seconds += sf_now_s() - t0;
    return e;
}

/* Add one file's stats into its kind's (the first file gives the
 * headers; a field is mapped when any file maps it). */
static sf_err sum_part(sf_file_stats *agg, const sf_file_stats *p)
{
    agg->read += p->read;
    agg->accepted += p->accepted;
    agg->rejected += p->rejected;
    agg->kept_with_fault += p->kept_with_fault;
    agg->blank += p->blank;
    agg->footer += p->footer;
    agg->seconds += p->seconds;
    sf_ingest_widen_dates(agg, p->min_date);
    sf_ingest_widen_dates(agg, p->max_date);
    if (!agg->split_at)
        agg->split_at = p->split_at;
    if (!agg->split_note)
        agg->split_note = p->split_note;
    for (int f = 0; f < SF_FIELD_MAX; f++)
        if (!agg->mapped_header[f] && p->mapped_header[f] && !(agg->mapped_header[f] = sf_strdup(p->mapped_header[f])))
            return SF_ERR_NOMEM;
    if (!agg->headers_found.n)
        for (size_t i = 0; i < p->headers_found.n; i++)
            if (sf_strlist_push(&agg->headers_found, p->headers_found.v[i]))
                return SF_ERR_NOMEM;
    for (size_t i = 0; i < p->warnings.n; i++)
        if (sf_strlist_push(&agg->warnings, p->warnings.v[i]))
            return SF_ERR_NOMEM;
    return SF_OK;
}

sf_err sf_ingest_read_kind(sf_ingest_reader *g, sf_file_kind kind)
{
    /* the kind's files as sf_ingest opened them (cfg->inputs[kind], or a
     * configuration made in code that names file[kind] only) */
    size_t n = g->inputs ? g->inputs->n[kind] : 0;
    const sf_input *files = n ? g->inputs->v[kind] : NULL;
    sf_file_stats *agg = &g->ds->files[kind];
    sf_err e = SF_OK;
    if (!n)
        return SF_OK;
    if (!agg->parts) {
        if (!(agg->parts = calloc(n, sizeof *agg->parts)))
            return sf_ctx_nomem(g->ctx);
        agg->n_parts = (uint32_t)n;
    }
    agg->present = true;
    if (!agg->path && !(agg->path = sf_strdup(files[0].path)))
        return sf_ctx_nomem(g->ctx);
    /* ids are unique across the kind's files: one set for all of them */
    sf_idset_free(g->ids);
    g->ids = NULL;
    int64_t limit = g->limit;
    for (size_t i = 0; i < n && e == SF_OK; i++) {
        g->file_no = i;
        g->limit = i == 0 ? limit : -1;
        e = sf_ingest_read_file(g, kind, &files[i]);
        if (e == SF_OK && sum_part(agg, &agg->parts[i]) != SF_OK)
            e = sf_ctx_nomem(g->ctx);
    }
    g->limit = limit;
    g->file_no = 0;
    if (e == SF_OK && kind == SF_FILE_OPPORTUNITIES)
        e = sf_ingest_flush_opps(g);
    return e;
}

/* Reject shares over the limit, all files named in one message: each
 * file of a kind is judged on its own (the transactions made from won
 * deals, which have no file, on their counts). */
sf_err sf_ingest_check_shares(sf_ingest_reader *g)
{
    char msg[1800] = "";
    size_t o = 0;
    for (int f = 0; f < SF_FILE_N; f++) {
        const sf_file_stats *kind = &g->ds->files[f];
        uint32_t np = kind->n_parts ? kind->n_parts : 1;
        for (uint32_t p = 0; p < np; p++) {
            const sf_file_stats *st = kind->n_parts ? &kind->parts[p] : kind;
            int64_t total = st->accepted + st->rejected;
            if (!kind->present || total == 0 ||
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
    /* (the sheet is set per file, as it is opened) */
    sf_xlsx_opts xo = {.date_format = cfg->date_format, .decimal = cfg->decimal};
    sf_err e = sf_recsrc_init(&g->src, cfg->encoding, origin, cfg->delimiter, &xo, ctx);
    if (e == SF_OK && cfg->max_record_bytes > 0)
        sf_csvread_set_max_record(&g->src.csv, cfg->max_record_bytes);
    return e;
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
