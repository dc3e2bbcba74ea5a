/*
 * email_html.c - the mail's HTML body (sf_email.h): a title, headline
 * cards, the "Since" digest, the charts (inline PNG images named by
 * cid:), the top of each action list as a table with names (account,
 * deal, owner), the explanations, the notes.
 *
 * Written for mail readers, not browsers: tables for the layout and
 * inline CSS only - no <style> block (Gmail keeps it, Outlook's Word
 * engine does not always), no script, no external image, font or link -
 * so that Gmail, Outlook and Thunderbird show it alike. Every text comes
 * from the same placeholder values as the plain-text part (vt, and the
 * rows' own values from sf_email_row_vars), so the two give the same
 * figures; every text is HTML-escaped.
 */
#include "output/sf_email.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FONT "font-family:Arial,Helvetica,sans-serif;"
#define INK "#1f2937"
#define MUTED "#6b7280"
#define LINE "#e5e7eb"
#define ACCENT "#1f4e8c"

static const char *L(const sf_email_text *t, const char *key)
{
    return sf_email_label(t, key);
}

/* text with & < > " ' escaped. */
static void esc(sf_buf *out, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        switch (*p) {
        case '&': sf_buf_puts(out, "&amp;"); break;
        case '<': sf_buf_puts(out, "&lt;"); break;
        case '>': sf_buf_puts(out, "&gt;"); break;
        case '"': sf_buf_puts(out, "&quot;"); break;
        case '\'': sf_buf_puts(out, "&#39;"); break;
        default: sf_buf_putc(out, *p);
        }
    }
}

static const char *var(const sf_tvars *vt, const char *name)
{
    const char *v = sf_tvars_get(vt, name, strlen(name));
    return v ? v : "";
}

/* A label rendered with vt, escaped. */
static sf_err label_esc(const sf_email_text *t, const char *key, const sf_tvars *vt, sf_buf *out, sf_ctx *ctx)
{
    sf_buf b = {0};
    sf_err e = sf_email_label_render(t, key, vt, &b, ctx);
    if (!e && b.oom)
        e = sf_ctx_nomem(ctx);
    if (!e)
        esc(out, sf_buf_str(&b));
    sf_buf_free(&b);
    return e;
}

/* ------------------------------------------------------------- the cards */

/* One card: a label, a large value, a note (or none). */
static void card(sf_buf *out, const char *label, const char *value, const char *note, const char *data)
{
    sf_buf_printf(out,
                  "<td width=\"25%%\" valign=\"top\" style=\"width:25%%;padding:4px;\">"
                  "<table role=\"presentation\" width=\"100%%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
                  "style=\"border:1px solid " LINE ";background-color:#f9fafb;\"><tr><td data-card=\"%s\" "
                  "style=\"padding:10px 12px;" FONT "\"><div style=\"font-size:12px;color:" MUTED ";\">",
                  data);
    esc(out, label);
    sf_buf_puts(out, "</div><div style=\"font-size:20px;font-weight:bold;color:" INK ";padding-top:2px;\">");
    esc(out, value);
    sf_buf_puts(out, "</div><div style=\"font-size:12px;color:" MUTED ";padding-top:2px;\">");
    if (note && *note)
        esc(out, note);
    else
        sf_buf_puts(out, "&nbsp;");
    sf_buf_puts(out, "</div></td></tr></table></td>");
}

static sf_err cards(const sf_email_text *t, const sf_email_content *c, const sf_tvars *vt, sf_buf *out,
                    sf_ctx *ctx)
{
    char revenue[160];
    snprintf(revenue, sizeof revenue, "%s %s", var(vt, "revenue"), var(vt, "currency"));
    sf_buf growth = {0}, lost = {0};
    sf_err e = sf_email_label_render(t, "email.card_growth", vt, &growth, ctx);
    if (!e)
        e = sf_email_label_render(t, "email.card_lost", vt, &lost, ctx);
    if (!e && (growth.oom || lost.oom))
        e = sf_ctx_nomem(ctx);
    if (!e) {
        sf_buf_puts(out, "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
                         "border=\"0\"><tr>");
        card(out, L(t, "email.card_revenue"), revenue, sf_buf_str(&growth), "revenue");
        card(out, L(t, "email.card_due"), var(vt, "due_count"), NULL, "due_count");
        card(out, L(t, "email.card_alerts"), var(vt, "alert_count"), sf_buf_str(&lost), "alert_count");
        card(out, L(t, "email.card_late"), var(vt, "late_count"), NULL, "late_count");
        sf_buf_puts(out, "</tr><tr>");
        card(out, L(t, "email.card_pursue"), var(vt, "pursue"), NULL, "pursue");
        card(out, L(t, "email.card_qualify"), var(vt, "qualify"), NULL, "qualify");
        card(out, L(t, "email.card_drop"), var(vt, "drop"), NULL, "drop");
        card(out, L(t, "email.card_fire"), var(vt, "fire_count"), NULL, "fire_count");
        sf_buf_puts(out, "</tr></table>");
    }
    /* the team's rejected records, as the text says them */
    if (!e && c->s.owner == SF_OWNER_ALL) {
        sf_buf_puts(out, "<p data-card=\"rejected\" style=\"margin:6px 4px 0 4px;font-size:12px;color:" MUTED
                         ";" FONT "\">");
        e = label_esc(t, "email.html_rejected", vt, out, ctx);
        sf_buf_puts(out, "</p>");
    }
    sf_buf_free(&growth);
    sf_buf_free(&lost);
    return e;
}

/* ---------------------------------------------------- text as paragraphs */

/* The next line of *p (a copy, to free; without its "\n"), *p moved past
 * it; NULL at the end of the text (*p NULL or "") or out of memory
 * (out->oom set). */
static char *next_line(const char **p, sf_buf *out)
{
    if (!*p || !**p)
        return NULL;
    size_t n = strcspn(*p, "\n");
    char *line = sf_strndup(*p, n);
    *p += n + ((*p)[n] == '\n');
    if (!line)
        out->oom = true;
    return line;
}

/* Multi-line text (the "Since" section, the notes): "- " lines as a
 * list, the others as paragraphs; blank lines dropped. */
static void lines_html(sf_buf *out, const char *text, const char *data)
{
    bool in_list = false;
    sf_buf_printf(out, "<div data-section=\"%s\" style=\"" FONT "font-size:14px;color:" INK ";\">", data);
    const char *p = text;
    for (char *line; (line = next_line(&p, out));) {
        bool item = strncmp(line, "- ", 2) == 0;
        if (item && !in_list)
            sf_buf_puts(out, "<ul style=\"margin:4px 0 8px 0;padding-left:20px;\">");
        if (!item && in_list)
            sf_buf_puts(out, "</ul>");
        in_list = item;
        if (item) {
            sf_buf_puts(out, "<li style=\"margin:2px 0;\">");
            esc(out, line + 2);
            sf_buf_puts(out, "</li>");
        } else if (*line) {
            sf_buf_puts(out, "<p style=\"margin:8px 0 4px 0;\">");
            esc(out, line);
            sf_buf_puts(out, "</p>");
        }
        free(line);
    }
    if (in_list)
        sf_buf_puts(out, "</ul>");
    sf_buf_puts(out, "</div>");
}

/* ------------------------------------------------------------- the tables */

/* A column of a section's table: its header label, the placeholder of a
 * row it shows (DUE_WHEN: days overdue or the date due), its alignment,
 * and whether the header names the currency. */
#define DUE_WHEN "@when"
typedef struct {
    const char *head;
    const char *var;
    bool right, money;
} column;

#define COL_ACCOUNT {"email.col_account", "name", false, false}
#define COL_OWNER {"email.col_owner", "owner", false, false}
#define COL_TIER {"email.col_tier", "tier", false, false}
static const column k_due[] = {COL_ACCOUNT, COL_OWNER, COL_TIER, {"email.col_when", DUE_WHEN, true, false},
                               {"email.col_channel", "channel", false, false}};
static const column k_decline[] = {COL_ACCOUNT, COL_OWNER, COL_TIER,
                                   {"email.col_before", "prior", true, true},
                                   {"email.col_now", "current", true, true},
                                   {"email.col_drop", "drop_share", true, false},
                                   {"email.col_severity", "severity", false, false},
                                   {"email.col_to_clear", "to_clear", true, true}};
static const column k_fire[] = {COL_ACCOUNT, COL_OWNER, COL_TIER, {"email.col_net_value", "net_value", true, true},
                                {"email.col_reasons", "reasons", false, false}};
static const column k_pursue[] = {{"email.col_deal", "opportunity", false, false}, COL_ACCOUNT, COL_OWNER,
                                  {"email.col_amount", "amount", true, true},
                                  {"email.col_next_step", "next_step_date", true, false}};
static const column k_qualify[] = {{"email.col_deal", "opportunity", false, false}, COL_ACCOUNT, COL_OWNER,
                                   {"email.col_amount", "amount", true, true},
                                   {"email.col_missing", "misses", false, false}};
static const column k_reorder[] = {COL_ACCOUNT, COL_OWNER, COL_TIER, {"email.col_every", "typical", true, false},
                                   {"email.col_last", "last", true, false},
                                   {"email.col_days_late", "days_late", true, false},
                                   {"email.col_at_risk", "at_risk", true, true},
                                   {"email.col_status", "status", false, false}};
static const column k_explain[] = {COL_ACCOUNT, COL_OWNER, COL_TIER, {"email.col_why", "why", false, false}};

typedef struct {
    const char *title;  /* label */
    const char *list;   /* the list's name, on the table (data-list) */
    const column *cols;
    size_t n;
} table_def;

#define TD(title, list, cols) {title, list, cols, SF_ARRAY_LEN(cols)}
/* by sf_item_kind */
static const table_def k_tables[SF_ITEM_N] = {
    TD("email.html_sec_due", "cadence_due", k_due),
    TD("email.html_sec_declines", "decline_alerts", k_decline),
    TD("email.html_sec_fire", "fire_candidates", k_fire),
    TD("email.html_sec_pursue", "pipeline", k_pursue),
    TD("email.html_sec_qualify", "pipeline", k_qualify),
    TD("email.html_sec_reorder", "reorder_due", k_reorder),
};
static const table_def k_explain_table = TD("email.html_sec_explain", "explain", k_explain);

#define TH_STYLE "padding:6px 8px;border-bottom:2px solid #d1d5db;background-color:#f3f4f6;font-size:12px;"
#define TD_STYLE "padding:6px 8px;border-bottom:1px solid " LINE ";vertical-align:top;font-size:13px;"

static void section_title(sf_buf *out, const char *title)
{
    sf_buf_puts(out, "<h2 style=\"margin:22px 0 8px 0;font-size:16px;color:" ACCENT ";" FONT "\">");
    esc(out, title);
    sf_buf_puts(out, "</h2>");
}

static void table_head(const sf_email_text *t, const table_def *d, const char *kind, sf_buf *out)
{
    sf_buf_printf(out,
                  "<table data-list=\"%s\" data-kind=\"%s\" width=\"100%%\" cellpadding=\"0\" cellspacing=\"0\" "
                  "border=\"0\" style=\"width:100%%;border-collapse:collapse;" FONT "color:" INK ";\"><thead><tr>",
                  d->list, kind);
    for (size_t k = 0; k < d->n; k++) {
        sf_buf_printf(out, "<th style=\"" TH_STYLE "text-align:%s;\">", d->cols[k].right ? "right" : "left");
        esc(out, L(t, d->cols[k].head));
        if (d->cols[k].money && t->cfg->currency && *t->cfg->currency) {
            sf_buf_puts(out, ", ");
            esc(out, t->cfg->currency);
        }
        sf_buf_puts(out, "</th>");
    }
    sf_buf_puts(out, "</tr></thead><tbody>");
}

/* One row: its cells from vt (a due contact's "when" is its days
 * overdue in words or the date due); worse (or SF_NODATE) marks the first cell. */
static sf_err table_row(const sf_email_text *t, const table_def *d, const sf_tvars *vt,
                        sf_date worse, sf_buf *out, sf_ctx *ctx)
{
    sf_buf_puts(out, "<tr>");
    for (size_t k = 0; k < d->n; k++) {
        const column *col = &d->cols[k];
        sf_buf_printf(out, "<td style=\"" TD_STYLE "text-align:%s;%s\">", col->right ? "right" : "left",
                      col->right ? "white-space:nowrap;" : "");
        if (k == 0 && worse != SF_NODATE) {
            sf_buf_puts(out, "<span data-worse=\"1\" style=\"display:inline-block;padding:1px 6px;margin:0 0 2px 0;"
                             "font-size:11px;font-weight:bold;color:#991b1b;background-color:#fee2e2;\">");
            sf_buf b = {0};
            sf_err e = sf_email_worse_mark(t, worse, &b, ctx);
            if (!e)
                esc(out, sf_buf_str(&b));
            sf_buf_free(&b);
            if (e)
                return e;
            sf_buf_puts(out, "</span><br>");
        }
        const char *v = var(vt, strcmp(col->var, DUE_WHEN) == 0 ? "when" : col->var);
        if (k == 0)
            sf_buf_puts(out, "<b>");
        esc(out, v);
        if (k == 0)
            sf_buf_puts(out, "</b>");
        sf_buf_puts(out, "</td>");
    }
    sf_buf_puts(out, "</tr>");
    return SF_OK;
}

/* A grey line under a table: "(none)", "... and N more", "N left out". */
static sf_err table_foot(const sf_email_text *t, const sf_email_section *S, sf_buf *out, sf_ctx *ctx)
{
    sf_tvars vt = {0};
    sf_email_put_int(t, &vt, "total", S->total);
    sf_email_put_int(t, &vt, "weeks", t->cfg->repeat_after_weeks);
    sf_err e = SF_OK;
    const char *keys[2] = {S->more ? "email.more" : NULL, S->left_out ? "email.left_out" : NULL};
    uint32_t ns[2] = {S->more, S->left_out};
    for (int i = 0; i < 2 && !e; i++) {
        if (!keys[i])
            continue;
        sf_email_put_int(t, &vt, "n", ns[i]);
        sf_buf_puts(out, "<p data-foot=\"1\" style=\"margin:4px 0 0 0;font-size:12px;color:" MUTED ";" FONT "\">");
        e = label_esc(t, keys[i], &vt, out, ctx);
        sf_buf_puts(out, "</p>");
    }
    sf_tvars_free(&vt);
    return e;
}

static void nothing(const sf_email_text *t, sf_buf *out)
{
    sf_buf_puts(out, "<p style=\"margin:0;font-size:13px;color:" MUTED ";" FONT "\">");
    esc(out, L(t, "email.none"));
    sf_buf_puts(out, "</p>");
}

static sf_err section_table(const sf_email_text *t, const sf_email_content *c, int sec, sf_buf *out, sf_ctx *ctx)
{
    const table_def *d = &k_tables[sec];
    const sf_email_section *S = &c->sec[sec];
    section_title(out, L(t, d->title));
    if (S->n == 0 && S->left_out == 0) {
        nothing(t, out);
        return SF_OK;
    }
    sf_err e = SF_OK;
    if (S->n > 0) {
        table_head(t, d, sf_item_kind_name((sf_item_kind)sec), out);
        for (uint32_t j = 0; j < S->n && !e; j++) {
            sf_tvars vt = {0};
            const char *key = NULL;
            e = sf_email_row_vars(t, sec, S->rows[j], &vt, &key, ctx);
            if (!e)
                e = table_row(t, d, &vt, S->worse_since[j], out, ctx);
            sf_tvars_free(&vt);
        }
        sf_buf_puts(out, "</tbody></table>");
    }
    return e ? e : table_foot(t, S, out, ctx);
}

static sf_err explain_table(const sf_email_text *t, const sf_email_content *c, sf_buf *out, sf_ctx *ctx)
{
    uint32_t pick[10];
    size_t n = sf_email_explain_pick(t, &c->s, pick);
    section_title(out, L(t, k_explain_table.title));
    if (n == 0) {
        nothing(t, out);
        return SF_OK;
    }
    table_head(t, &k_explain_table, "explain", out);
    sf_err e = SF_OK;
    for (size_t k = 0; k < n && !e; k++) {
        sf_tvars vt = {0};
        sf_buf why = {0};
        sf_email_explain_vars(t, pick[k], &vt);
        e = sf_email_explain_why(t, pick[k], &why, ctx);
        if (!e) {
            sf_tvars_set(&vt, "why", sf_buf_str(&why));
            e = vt.oom ? sf_ctx_nomem(ctx) : table_row(t, &k_explain_table, &vt, SF_NODATE, out, ctx);
        }
        sf_buf_free(&why);
        sf_tvars_free(&vt);
    }
    sf_buf_puts(out, "</tbody></table>");
    return e;
}

/* ---------------------------------------------------------------- the page */

static void images(sf_buf *out, const sf_email_image *img, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sf_buf_printf(out, "<tr><td style=\"padding:8px 24px 0 24px;\"><img src=\"cid:%s\" width=\"%d\" "
                           "height=\"%d\" alt=\"",
                      img[i].cid, img[i].w, img[i].h);
        esc(out, img[i].alt);
        sf_buf_printf(out, "\" style=\"display:block;width:100%%;max-width:%dpx;height:auto;border:0;\"></td></tr>",
                      img[i].w);
    }
}

/* The opening of the page: the document, the frame, the title. */
static void page_top(const sf_email_text *t, const char *subject, const char *title, sf_buf *out)
{
    sf_buf_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
                  sf_lang_code(t->lang));
    esc(out, subject);
    sf_buf_puts(out, "</title>\n</head>\n<body style=\"margin:0;padding:0;background-color:#f3f4f6;\">\n"
                     "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
                     "style=\"background-color:#f3f4f6;\"><tr><td align=\"center\" style=\"padding:16px 8px;\">\n"
                     "<table role=\"presentation\" width=\"680\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
                     "style=\"width:680px;max-width:680px;background-color:#ffffff;border:1px solid " LINE ";" FONT
                     "color:" INK ";\">\n"
                     "<tr><td style=\"padding:20px 24px 8px 24px;\"><h1 style=\"margin:0;font-size:20px;color:" ACCENT
                     ";" FONT "\">");
    esc(out, title);
    sf_buf_puts(out, "</h1></td></tr>\n");
}

static void page_bottom(const char *attached, sf_buf *out)
{
    sf_buf_puts(out, "<tr><td style=\"padding:20px 24px 20px 24px;border-top:1px solid " LINE ";font-size:12px;color:"
                     MUTED ";" FONT "\">");
    /* "Attached: ...", then a line for each file left out as too large */
    const char *p = attached;
    for (char *line; (line = next_line(&p, out));) {
        if (*line) {
            esc(out, line);
            sf_buf_puts(out, "<br>");
        }
        free(line);
    }
    sf_buf_puts(out, "salesfocus</td></tr>\n</table>\n</td></tr></table>\n</body>\n</html>\n");
}

sf_err sf_email_html(const sf_email_text *t, const sf_email_content *c, const sf_tvars *vt, const char *subject,
                     const char *notes, const sf_email_image *img, size_t n_img, const char *attached, sf_buf *out,
                     sf_ctx *ctx)
{
    sf_buf title = {0};
    sf_err e = sf_email_label_render(t, "email.html_title", vt, &title, ctx);
    if (e)
        return e;
    page_top(t, subject, sf_buf_str(&title), out);
    sf_buf_free(&title);
    sf_buf_puts(out, "<tr><td style=\"padding:8px 20px;\">");
    e = cards(t, c, vt, out, ctx);
    sf_buf_puts(out, "</td></tr>\n");
    const char *since = var(vt, "since"), *unchanged = var(vt, "unchanged");
    if (!e && (*since || *unchanged)) {
        sf_buf_puts(out, "<tr><td style=\"padding:4px 24px;\">");
        lines_html(out, since, "since");
        if (*unchanged)
            lines_html(out, unchanged, "unchanged");
        sf_buf_puts(out, "</td></tr>\n");
    }
    if (!e)
        images(out, img, n_img);
    static const int order[SF_ITEM_N] = {SF_ITEM_DUE,    SF_ITEM_DECLINE, SF_ITEM_FIRE,
                                         SF_ITEM_PURSUE, SF_ITEM_QUALIFY, SF_ITEM_REORDER};
    sf_buf_puts(out, "<tr><td style=\"padding:0 24px 8px 24px;\">");
    for (int i = 0; i < SF_ITEM_N && !e; i++)
        e = section_table(t, c, order[i], out, ctx);
    if (!e)
        e = explain_table(t, c, out, ctx);
    if (!e && notes && *notes) {
        section_title(out, L(t, "email.notes"));
        lines_html(out, notes, "notes");
    }
    sf_buf_puts(out, "</td></tr>\n");
    if (!e)
        page_bottom(attached, out);
    return !e && out->oom ? sf_ctx_nomem(ctx) : e;
}
