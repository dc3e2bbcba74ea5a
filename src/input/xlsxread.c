/*
 * xlsxread.c - the XLSX record reader (include/input/sf_xlsxread.h): the
 * workbook's parts through minizip and expat, then its sheet streamed row
 * by row.
 *
 * The sheet's XML is fed to expat from the zip entry in 256 KiB pieces;
 * at each </row> the handler suspends the parser (XML_StopParser,
 * resumable), sf_xlsxread_next hands the row out, and the next call
 * resumes. Memory is one row, one piece of XML, the styles and the shared
 * strings. Elements are matched by their local name (the prefix cut off),
 * so a workbook written with prefixes ("x:row") reads the same. A document type declaration is refused: OOXML parts have none, and
 * entity tricks have no business in a spreadsheet.
 */
#include "input/sf_xlsxread_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unzip.h>

#define MAX_SHARED ((size_t)1 << 31) /* bytes of shared strings we accept */

bool sf_xbuf_add(sf_xbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q)
            return false;
        b->p = q;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return true;
}

const char *sf_xlsx_local(const char *name)
{
    /* names are short ("c", "x:row"): the part after a prefix */
    const char *p = strchr(name, ':');
    return p ? p + 1 : name;
}

const char *sf_xlsx_attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(sf_xlsx_local(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

void sf_xlsx_fail(sf_xlsxread *x, sf_err e)
{
    if (!x->err)
        x->err = e;
    if (x->cur)
        XML_StopParser(x->cur, XML_FALSE);
}

/* ---- zip entries through expat ----------------------------------------------- */

bool sf_xlsx_locate(sf_xlsxread *x, const char *entry)
{
    return unzLocateFile(x->zf, entry, 1) == UNZ_OK || unzLocateFile(x->zf, entry, 2) == UNZ_OK;
}

static sf_err xml_error(sf_xlsxread *x, XML_Parser p, const char *entry)
{
    if (x->err)
        return x->err;
    return sf_ctx_error(x->ctx, SF_ERR_INPUT, "%s: %s is not well-formed XML (line %lu: %s): a damaged workbook",
                        x->path, entry, (unsigned long)XML_GetCurrentLineNumber(p),
                        XML_ErrorString(XML_GetErrorCode(p)));
}

/* Every part's state starts with the reader. */
typedef struct {
    sf_xlsxread *x;
} part_head;

static void XMLCALL refuse_doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub,
                                   int has_internal)
{
    (void)name, (void)sys, (void)pub, (void)has_internal;
    sf_xlsxread *x = ((part_head *)ud)->x;
    sf_xlsx_fail(x, sf_ctx_error(x->ctx, SF_ERR_INPUT, "%s: a workbook part declares a document type: not "
                                                       "an XLSX workbook written by a spreadsheet program",
                                 x->path));
}

/* A parser with ud (a part state) and no document type. Elements are
 * known by their local name, prefix or not: without namespace processing,
 * so a name is not prefixed with its (long) namespace on every element. */
static XML_Parser new_parser(void *ud)
{
    XML_Parser p = XML_ParserCreate(NULL);
    if (!p)
        return NULL;
    XML_SetUserData(p, ud);
    XML_SetStartDoctypeDeclHandler(p, refuse_doctype);
    return p;
}

/* Parse a whole (small) part; missing entries are SF_OK with *found false. */
static sf_err parse_part(sf_xlsxread *x, const char *entry, XML_Parser p, bool *found)
{
    *found = false;
    if (!sf_xlsx_locate(x, entry))
        return SF_OK;
    *found = true;
    x->cur = p;
    if (unzOpenCurrentFile(x->zf) != UNZ_OK)
        return sf_ctx_error(x->ctx, SF_ERR_INPUT, "%s: cannot open %s in the zip", x->path, entry);
    sf_err e = SF_OK;
    for (;;) {
        void *buf = XML_GetBuffer(p, (int)SF_XLSX_PIECE);
        if (!buf) {
            e = sf_ctx_nomem(x->ctx);
            break;
        }
        int n = unzReadCurrentFile(x->zf, buf, (unsigned)SF_XLSX_PIECE);
        if (n < 0) {
            e = sf_ctx_error(x->ctx, SF_ERR_INPUT, "%s: %s cannot be unpacked (zip error %d)", x->path, entry, n);
            break;
        }
        if (XML_ParseBuffer(p, n, n == 0) != XML_STATUS_OK) {
            e = xml_error(x, p, entry);
            break;
        }
        if (x->err) {
            e = x->err;
            break;
        }
        if (n == 0)
            break;
    }
    unzCloseCurrentFile(x->zf);
    x->cur = NULL;
    return e;
}

/* ---- workbook: sheets, date system; relationships -------------------------------- */

typedef struct {
    sf_xlsxread *x;
    sf_strlist names, ids;
    sf_xbuf rels_target;   /* target of the wanted id */
    const char *want_id;
    char *shared, *styles;
} wb_state;

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    wb_state *w = ud;
    const char *n = sf_xlsx_local(name);
    if (strcmp(n, "sheet") == 0) {
        const char *nm = sf_xlsx_attr(atts, "name"), *id = sf_xlsx_attr(atts, "id");
        if (sf_strlist_push(&w->names, nm ? nm : "") != SF_OK || sf_strlist_push(&w->ids, id ? id : "") != SF_OK)
            sf_xlsx_fail(w->x, sf_ctx_nomem(w->x->ctx));
    } else if (strcmp(n, "workbookPr") == 0) {
        const char *d = sf_xlsx_attr(atts, "date1904");
        w->x->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
    }
}

/* The zip entry of a relationship target (relative to xl/). */
static char *entry_of(const char *target)
{
    if (*target == '/')
        return sf_strdup(target + 1);
    size_t n = strlen(target) + 4;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "xl/%s", target);
    return s;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    wb_state *w = ud;
    if (strcmp(sf_xlsx_local(name), "Relationship") != 0)
        return;
    const char *id = sf_xlsx_attr(atts, "Id"), *type = sf_xlsx_attr(atts, "Type"), *target = sf_xlsx_attr(atts, "Target");
    if (!target)
        return;
    bool oom = false;
    if (w->want_id && id && strcmp(id, w->want_id) == 0 && !w->rels_target.n)
        oom = !sf_xbuf_add(&w->rels_target, target, strlen(target));
    else if (type && ends_with(type, "/sharedStrings") && !w->shared)
        oom = !(w->shared = entry_of(target));
    else if (type && ends_with(type, "/styles") && !w->styles)
        oom = !(w->styles = entry_of(target));
    if (oom)
        sf_xlsx_fail(w->x, sf_ctx_nomem(w->x->ctx));
}

/* Pick the sheet and find its entry, the shared strings' and the styles'. */
static sf_err read_workbook(sf_xlsxread *x, wb_state *w, char **sheet_entry)
{
    XML_Parser p = new_parser(w);
    if (!p)
        return sf_ctx_nomem(x->ctx);
    XML_SetStartElementHandler(p, wb_start);
    bool found;
    sf_err e = parse_part(x, "xl/workbook.xml", p, &found);
    XML_ParserFree(p);
    if (e)
        return e;
    if (!found)
        return sf_ctx_error(x->ctx, SF_ERR_INPUT,
                            "%s: a zip archive without xl/workbook.xml: not an XLSX workbook (a zip of CSV "
                            "files, such as Salesforce's Data Export, must be unpacked and its CSV files named)",
                            x->path);
    if (!w->names.n)
        return sf_ctx_error(x->ctx, SF_ERR_INPUT, "%s: the workbook has no sheet", x->path);
    size_t pick = 0;
    if (x->sheet_name && *x->sheet_name) {
        for (pick = 0; pick < w->names.n && strcmp(w->names.v[pick], x->sheet_name) != 0; pick++)
            ;
        if (pick == w->names.n) {
            char list[1024] = "";
            size_t o = 0;
            for (size_t i = 0; i < w->names.n && o + 1 < sizeof list; i++) {
                int k = snprintf(list + o, sizeof list - o, "%s'%s'", i ? ", " : "", w->names.v[i]);
                if (k < 0)
                    break;
                o += (size_t)k;
            }
            return sf_ctx_error(x->ctx, SF_ERR_INPUT, "%s: no sheet '%s' (check [input] %s); the workbook has %s",
                                x->path, x->sheet_name, x->o.sheet_key ? x->o.sheet_key : "sheet", list);
        }
    }
    free(x->sheet_name);
    if (!(x->sheet_name = sf_strdup(w->names.v[pick])))
        return sf_ctx_nomem(x->ctx);
    w->want_id = w->ids.v[pick];
    if (!(p = new_parser(w)))
        return sf_ctx_nomem(x->ctx);
    XML_SetStartElementHandler(p, rels_start);
    e = parse_part(x, "xl/_rels/workbook.xml.rels", p, &found);
    XML_ParserFree(p);
    if (e)
        return e;
    if (w->rels_target.n) {
        *sheet_entry = entry_of(w->rels_target.p);
    } else if ((*sheet_entry = malloc(48)) != NULL) { /* no relationships: the usual name */
        snprintf(*sheet_entry, 48, "xl/worksheets/sheet%zu.xml", pick + 1);
    }
    return *sheet_entry ? SF_OK : sf_ctx_nomem(x->ctx);
}

/* ---- styles ----------------------------------------------------------------------- */

typedef struct {
    sf_xlsxread *x;
    int *fmt_id;          /* custom numFmts: id -> code */
    char **fmt_code;
    size_t n_fmt, cap_fmt;
    bool in_xfs;
    int *xf_fmt;
    size_t n_xf, cap_xf;
} st_state;

static void XMLCALL st_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    st_state *s = ud;
    const char *n = sf_xlsx_local(name);
    if (strcmp(n, "numFmt") == 0) {
        const char *id = sf_xlsx_attr(atts, "numFmtId"), *code = sf_xlsx_attr(atts, "formatCode");
        if (!id || !code)
            return;
        if (s->n_fmt == s->cap_fmt) {
            size_t cap = s->cap_fmt ? s->cap_fmt * 2 : 16;
            int *a = realloc(s->fmt_id, cap * sizeof *a);
            if (a)
                s->fmt_id = a;
            char **b = a ? realloc(s->fmt_code, cap * sizeof *b) : NULL;
            if (!b) {
                sf_xlsx_fail(s->x, sf_ctx_nomem(s->x->ctx));
                return;
            }
            s->fmt_code = b;
            s->cap_fmt = cap;
        }
        if (!(s->fmt_code[s->n_fmt] = sf_strdup(code))) {
            sf_xlsx_fail(s->x, sf_ctx_nomem(s->x->ctx));
            return;
        }
        s->fmt_id[s->n_fmt++] = atoi(id);
    } else if (strcmp(n, "cellXfs") == 0) {
        s->in_xfs = true;
    } else if (strcmp(n, "xf") == 0 && s->in_xfs) {
        const char *id = sf_xlsx_attr(atts, "numFmtId");
        if (s->n_xf == s->cap_xf) {
            size_t cap = s->cap_xf ? s->cap_xf * 2 : 64;
            int *a = realloc(s->xf_fmt, cap * sizeof *a);
            if (!a) {
                sf_xlsx_fail(s->x, sf_ctx_nomem(s->x->ctx));
                return;
            }
            s->xf_fmt = a;
            s->cap_xf = cap;
        }
        s->xf_fmt[s->n_xf++] = id ? atoi(id) : 0;
    }
}

static void XMLCALL st_end(void *ud, const XML_Char *name)
{
    st_state *s = ud;
    if (strcmp(sf_xlsx_local(name), "cellXfs") == 0)
        s->in_xfs = false;
}

static sf_err read_styles(sf_xlsxread *x, const char *entry)
{
    st_state s = {.x = x};
    XML_Parser p = new_parser(&s);
    if (!p)
        return sf_ctx_nomem(x->ctx);
    XML_SetElementHandler(p, st_start, st_end);
    bool found;
    sf_err e = parse_part(x, entry ? entry : "xl/styles.xml", p, &found);
    XML_ParserFree(p);
    if (!e && s.n_xf && !(x->xf = malloc(s.n_xf)))
        e = sf_ctx_nomem(x->ctx);
    for (size_t i = 0; !e && i < s.n_xf; i++) {
        const char *code = NULL;
        for (size_t k = 0; k < s.n_fmt; k++)
            if (s.fmt_id[k] == s.xf_fmt[i])
                code = s.fmt_code[k];
        x->xf[i] = (uint8_t)sf_xlsx_numfmt_style(s.xf_fmt[i], code);
    }
    if (!e)
        x->n_xf = s.n_xf;
    for (size_t k = 0; k < s.n_fmt; k++)
        free(s.fmt_code[k]);
    free(s.fmt_code);
    free(s.fmt_id);
    free(s.xf_fmt);
    return e;
}

/* ---- shared strings ---------------------------------------------------------------- */

typedef struct {
    sf_xlsxread *x;
    int depth_t; /* inside a <t> that counts */
    bool in_rph;
    sf_xbuf cur;
} ss_state;

static void XMLCALL ss_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    ss_state *s = ud;
    const char *n = sf_xlsx_local(name);
    if (strcmp(n, "si") == 0)
        s->cur.n = 0;
    else if (strcmp(n, "rPh") == 0)
        s->in_rph = true;
    else if (strcmp(n, "t") == 0 && !s->in_rph)
        s->depth_t++;
}

static void XMLCALL ss_text(void *ud, const XML_Char *t, int len)
{
    ss_state *s = ud;
    if (s->depth_t > 0 && !sf_xbuf_add(&s->cur, t, (size_t)len))
        sf_xlsx_fail(s->x, sf_ctx_nomem(s->x->ctx));
}

static void XMLCALL ss_end(void *ud, const XML_Char *name)
{
    ss_state *s = ud;
    sf_xlsxread *x = s->x;
    const char *n = sf_xlsx_local(name);
    if (strcmp(n, "rPh") == 0) {
        s->in_rph = false;
    } else if (strcmp(n, "t") == 0 && !s->in_rph && s->depth_t > 0) {
        s->depth_t--;
    } else if (strcmp(n, "si") == 0) {
        if (x->n_ss == x->cap_ss) {
            size_t cap = x->cap_ss ? x->cap_ss * 2 : 1024;
            size_t *v = realloc(x->ss_off, cap * sizeof *v);
            if (!v) {
                sf_xlsx_fail(x, sf_ctx_nomem(x->ctx));
                return;
            }
            x->ss_off = v;
            x->cap_ss = cap;
        }
        size_t len = s->cur.n ? sf_xlsx_unescape(s->cur.p, s->cur.n) : 0;
        x->ss_off[x->n_ss++] = x->ss.n;
        if (x->ss.n + len > MAX_SHARED)
            sf_xlsx_fail(x, sf_ctx_error(x->ctx, SF_ERR_INPUT, "%s: more than 2 GiB of shared strings", x->path));
        else if (!sf_xbuf_add(&x->ss, s->cur.p ? s->cur.p : "", len))
            sf_xlsx_fail(x, sf_ctx_nomem(x->ctx));
        else
            x->ss.n++; /* the NUL after it stays: the strings are C strings */
        s->cur.n = 0;
    }
}

static sf_err read_shared(sf_xlsxread *x, const char *entry)
{
    ss_state s = {.x = x};
    XML_Parser p = new_parser(&s);
    if (!p)
        return sf_ctx_nomem(x->ctx);
    XML_SetElementHandler(p, ss_start, ss_end);
    XML_SetCharacterDataHandler(p, ss_text);
    bool found;
    sf_err e = parse_part(x, entry ? entry : "xl/sharedStrings.xml", p, &found);
    XML_ParserFree(p);
    free(s.cur.p);
    return e;
}

/* ---- the sheet ----------------------------------------------------------------------- */


sf_err sf_xlsxread_open(sf_xlsxread **out, const char *path, const sf_xlsx_opts *opts,
                        sf_csv_progress_fn progress, void *user, sf_ctx *ctx)
{
    *out = NULL;
    sf_xlsxread *x = calloc(1, sizeof *x);
    if (!x)
        return sf_ctx_nomem(ctx);
    x->ctx = ctx;
    x->progress = progress;
    x->puser = user;
    x->path = sf_strdup(path);
    x->sheet_name = opts && opts->sheet ? sf_strdup(opts->sheet) : NULL;
    x->date_format = sf_strdup(opts && opts->date_format ? opts->date_format : "%Y-%m-%d");
    if (!x->path || !x->date_format || (opts && opts->sheet && !x->sheet_name)) {
        sf_xlsxread_free(x);
        return sf_ctx_nomem(ctx);
    }
    x->o.date_format = x->date_format;
    x->o.sheet_key = opts ? opts->sheet_key : NULL; /* static strings */
    x->o.decimal = opts && opts->decimal ? opts->decimal : '.';
    x->o.delimiter = opts && opts->delimiter ? opts->delimiter : ',';
    sf_err e = SF_OK;
    wb_state w = {.x = x};
    char *sheet_entry = NULL;
    if (!(x->zf = unzOpen64(opts && opts->open_path ? opts->open_path : path)))
        e = sf_ctx_error(ctx, SF_ERR_INPUT, "%s: starts like a zip archive (XLSX) but cannot be opened as one",
                         path);
    if (!e)
        e = read_workbook(x, &w, &sheet_entry);
    if (!e)
        e = read_styles(x, w.styles);
    if (!e)
        e = read_shared(x, w.shared);
    if (!e)
        e = sf_xlsx_sheet_open(x, sheet_entry);
    sf_strlist_clear(&w.names);
    sf_strlist_clear(&w.ids);
    free(w.rels_target.p);
    free(w.shared);
    free(w.styles);
    free(sheet_entry);
    if (e) {
        sf_xlsxread_free(x);
        return e;
    }
    *out = x;
    return SF_OK;
}

void sf_xlsxread_free(sf_xlsxread *x)
{
    if (!x)
        return;
    if (x->xp)
        XML_ParserFree(x->xp);
    if (x->entry_open)
        unzCloseCurrentFile(x->zf);
    if (x->zf)
        unzClose(x->zf);
    free(x->path);
    free(x->sheet_name);
    free(x->date_format);
    free(x->xf);
    free(x->ss.p);
    free(x->ss_off);
    free(x->txt.p);
    free(x->slot_off);
    free(x->slot_len);
    free(x->slot_gen);
    free(x->slot_kind);
    free(x->rowbuf.p);
    free(x->fb.p);
    free(x->fo);
    free(x->kinds);
    free(x->raw.p);
    free(x);
}

void sf_xlsxread_set_width(sf_xlsxread *x, size_t n) { x->width = n; }
const sf_csvrec *sf_xlsxread_rec(const sf_xlsxread *x) { return &x->rec; }
const char *sf_xlsxread_sheet(const sf_xlsxread *x) { return x->sheet_name; }
const char *sf_xlsxread_stage(const sf_xlsxread *x) { return x->stage; }
size_t sf_xlsxread_rows_hint(const sf_xlsxread *x) { return x->rows_hint; }

void sf_xlsxread_fields(const sf_xlsxread *x, const char **fb, const size_t **fo, size_t *nf)
{
    *fb = x->fb.p ? x->fb.p : "";
    *fo = x->fo;
    *nf = x->nf;
}

sf_xcell_kind sf_xlsxread_cell_kind(const sf_xlsxread *x, size_t i)
{
    return i < x->nf ? (sf_xcell_kind)x->kinds[i] : SF_XCELL_EMPTY;
}
