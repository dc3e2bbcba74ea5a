#!/usr/bin/python3
"""xlsx_check.py - read workbook.xlsx back with openpyxl and check it against
the CSV lists of the same run (SPEC §4) and the [xlsx] labels: every list
sheet holds the CSV's cells, typed, in an Excel table named after the list;
its conditional formats (KPIs outside their band, days overdue, the
temperature, data bars for revenue) are evaluated row by row against the
CSV; every sheet is set up to print (landscape A4, one page wide, the
header row repeated, title and page numbers); the Summary's figures agree
with the lists, it prints on one page with its charts, which draw on the
hidden chart-data sheet.

usage: xlsx_check.py --out OUTDIR --root ROOT [--config CONFIG.ini]
                     [--lang en] [--as-of 2025-06-30] [--currency EUR]
                     [--text NAME ...] [--quota 20] [--band-low 0.04]
                     [--band-high 0.18]
--config takes language, currency, as_of and the [kpi] bands from the run's
config; the other options override it.

Exits 0 when every check passes; otherwise prints each failure and exits 1.
"""
import argparse
import configparser
import csv
import datetime
import os
import re
import subprocess
import sys
import warnings
import zipfile

import openpyxl
from openpyxl.utils import get_column_letter

# openpyxl drops the data bars' Excel 2010 extension it cannot model, with a
# warning per sheet: the extension is checked in the XML (check_zip)
warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")

# The lists as the binary describes them (`salesfocus lists`: CSV file,
# sheet label key or "-" for a CSV file only, NAME:TYPE columns, NAME:TYPE:sheet
# for a column only the workbook shows), in workbook order after the Summary;
# the column types decide how each cell must read back. Types are per list
# (trend's "drop" is a count, decline_alerts' "drop" money).
def _lists():
    out = subprocess.run([os.environ["SF"], "lists"], check=True, capture_output=True, text=True).stdout
    lists, types, cols_of = [], {}, {}
    for line in out.splitlines():
        f, key, cols = line.split("\t")
        if key != "-":
            lists.append((key, f))
        types[f] = {}
        cols_of[f] = []
        for c in cols.split(","):
            parts = c.split(":")
            types[f][parts[0]] = parts[1]
            cols_of[f].append((parts[0], len(parts) > 2 and parts[2] == "sheet"))
    return lists, types, cols_of


LISTS, TYPES, COLS_OF = _lists()
MONEY, PCT, DATES, INTS, DECIMALS, RATIOS = "money", "share", "date", "int", ("decimal", "percent"), "ratio"

TEMP_FILL = {"hot": "F8696B", "warm": "FFC000", "cold": "5B9BD5"}
TIER_FILL = {"A": "00B050", "B": "92D050", "C": "FFE699", "D": "D9D9D9"}
BAD_FILL = "FFC7CE"

failures = []


def fail(msg):
    failures.append(msg)


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def labels(root, lang):
    cp = configparser.RawConfigParser(strict=False, interpolation=None,
                                      comment_prefixes=(";", "#"),
                                      inline_comment_prefixes=None)
    cp.optionxform = str
    with open(os.path.join(root, "templates", "lang", lang + ".ini"), encoding="utf-8-sig") as f:
        cp.read_file(f)
    return dict(cp["xlsx"]), dict(cp["common"])


PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?$")


def unguard(text):
    """The CSV formula guard (SPEC §4) writes a ' before a text that starts
    with = + - @ TAB or CR and is not a plain number; the workbook holds the
    raw text."""
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r") and not PLAIN_NUMBER.match(text[1:]):
        return text[1:]
    return text


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = [[unguard(c) for c in r] for r in csv.reader(f)]
    return rows[0], rows[1:]


def fill_rgb(cell):
    f = cell.fill
    if f is None or f.fill_type in (None, "none"):
        return None
    rgb = f.fgColor.rgb if f.fgColor is not None else None
    return rgb[-6:].upper() if isinstance(rgb, str) else None


def check_cell(where, typ, text, cell, currency, date_fmt):
    v = cell.value
    if text == "":
        if v is not None:
            fail(f"{where}: expected an empty cell, got {v!r}")
        return
    if typ == MONEY:
        if not is_num(v) or abs(v - float(text)) > 1e-9 or f"{v:.2f}" != text:
            fail(f"{where}: money {text} read back as {v!r}")
        elif "#,##0.00" not in cell.number_format or currency not in cell.number_format:
            fail(f"{where}: money format {cell.number_format!r}")
    elif typ == PCT:
        if not is_num(v) or abs(v - float(text)) > 1e-9:
            fail(f"{where}: share {text} read back as {v!r}")
        elif cell.number_format != "0.00%":
            fail(f"{where}: share format {cell.number_format!r}")
    elif typ == RATIOS:
        # a ratio (potential / A-level 1.6761) is a number shown "1.68",
        # never a percentage ("168 %")
        if not is_num(v) or abs(v - float(text)) > 1e-9:
            fail(f"{where}: ratio {text} read back as {v!r}")
        elif cell.number_format != "0.00":
            fail(f"{where}: ratio format {cell.number_format!r}")
    elif typ == DATES:
        if not isinstance(v, datetime.datetime) or v.date().isoformat() != text:
            fail(f"{where}: date {text} read back as {v!r}")
        elif cell.number_format != date_fmt:
            fail(f"{where}: date format {cell.number_format!r}, expected {date_fmt!r}")
    elif typ == INTS:
        if not is_num(v) or v != int(text):
            fail(f"{where}: integer {text} read back as {v!r}")
    elif typ in DECIMALS:
        if not is_num(v) or abs(v - float(text.replace(",", "."))) > 1e-9:
            fail(f"{where}: number {text} read back as {v!r}")
    else:
        # U+FFFE/U+FFFF cannot stand in XML: the workbook shows U+FFFD
        text = text.replace("\ufffe", "\ufffd").replace("\uffff", "\ufffd")
        if cell.data_type != "s" or v != text:
            fail(f"{where}: text {text!r} read back as {v!r} (type {cell.data_type})")


def explain_items(csv_path):
    """A list's items in explain.csv (SPEC §9), (id, item) -> text: the
    values of its sheet-only figures (the Accounts sheet's to_next_tier and
    to_warm)."""
    name = os.path.basename(csv_path)
    _, items = read_csv(os.path.join(os.path.dirname(csv_path), "explain.csv"))
    stem = name[:-len(".csv")]
    return {(r[1], r[2]): r[3] for r in items if r[0] == stem}


def sheet_only_values(csv_dir, name, header, rows, only):
    """The CSV text each workbook-only column should show where the figure
    is another list's (p_alive and clv of clv.csv beside accounts.csv): the
    same figure of the same account, "" where that list has no row for it.
    None for a column no other list has (a name beside an id)."""
    out = {}
    for col in only:
        found = None
        for _, f in LISTS:
            p = os.path.join(csv_dir, f)
            if f == name or not os.path.exists(p):
                continue
            h, rs = read_csv(p)
            if col in h and "account_id" in h:
                j, k = h.index(col), h.index("account_id")
                found = {r[k]: r[j] for r in rs}
                break
        if found is None or "account_id" not in header:
            out[col] = None
        else:
            a = header.index("account_id")
            out[col] = [found.get(r[a], "") for r in rows]
    return out


def rules_by_column(ws):
    """Column letter -> [(first row, last row, rule)] of the sheet's
    conditional formats (each sqref is one column range here)."""
    out = {}
    for cf in ws.conditional_formatting:
        ref = str(cf.sqref)
        m = re.fullmatch(r"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?", ref)
        if not m or (m.group(3) and m.group(1) != m.group(3)):
            fail(f"{ws.title}: conditional format over {ref}, expected one column")
            continue
        last = int(m.group(4) or m.group(2))
        for r in cf.rules:
            out.setdefault(m.group(1), []).append((int(m.group(2)), last, r))
    return out


def dxf_fill(rule):
    f = rule.dxf.fill if rule.dxf is not None else None
    if f is None:
        return None
    for c in (f.bgColor, f.fgColor):
        if c is not None and isinstance(c.rgb, str) and c.rgb[-6:] not in ("000000",):
            return c.rgb[-6:].upper()
    return None


def cell_rule_applies(rule, v):
    """Does a cellIs rule hold for the cell value v (as Excel judges it)?"""
    f = rule.formula
    if rule.operator == "equal":
        return isinstance(v, str) and f[0] == '"' + v + '"'
    if v is None or not is_num(v):
        return False
    a = float(f[0])
    if rule.operator == "lessThan":
        return v < a
    if rule.operator == "greaterThan":
        return v > a
    if rule.operator == "notBetween":
        return v < a or v > float(f[1])
    fail(f"rule operator {rule.operator} not understood")
    return False


def fill_by_rules(rules, row, v):
    """The fill the column's cellIs rules give a cell of that row, or None."""
    for first, last, r in rules:
        if r.type == "cellIs" and first <= row <= last and cell_rule_applies(r, v):
            return dxf_fill(r)
    return None


# Which columns carry which conditional format (src/output/xlsx_look.c).
DATA_BARS = {"rev12", "drop", "revenue_at_risk"}


def check_rules(ws, name, header, rows, args, at):
    """Each rule on its column over exactly the data rows, with the
    configuration's thresholds; then row by row, the fill the rules give is
    the one the CSV's value calls for."""
    by_col = rules_by_column(ws)
    n = len(rows)
    want_cols = {}
    for j, col in enumerate(header):
        letter = get_column_letter(at[j] + 1)
        rules = by_col.get(letter, [])
        kinds = sorted((r.type, r.operator or "") for _, _, r in rules)
        expect = {"conv_to_appt": [("cellIs", "notBetween")],
                  "calls_per_day": [("cellIs", "lessThan")],
                  "days_overdue": [("cellIs", "greaterThan")],
                  "temperature": [("cellIs", "equal")] * 3}.get(col, [])
        if col in DATA_BARS:
            expect = [("dataBar", "")]
        if not n:
            expect = []
        want_cols[j] = rules
        if kinds != sorted(expect):
            fail(f"{name}: column {col} conditional formats {kinds}, expected {sorted(expect)}")
            continue
        for first, last, r in rules:
            if (first, last) != (2, n + 1):
                fail(f"{name}: column {col} rule over rows {first}-{last}, list has {n}")
        if col == "conv_to_appt" and rules:
            f = rules[0][2].formula
            if [float(v) for v in f] != [args.band_low, args.band_high]:
                fail(f"{name}: conv_to_appt band rule {f}, config {args.band_low}-{args.band_high}")
        if col == "calls_per_day" and rules and float(rules[0][2].formula[0]) != args.quota:
            fail(f"{name}: calls_per_day quota rule {rules[0][2].formula}, config {args.quota}")
        if col == "days_overdue" and rules and float(rules[0][2].formula[0]) != 0:
            fail(f"{name}: days_overdue rule {rules[0][2].formula}")
        if col == "temperature" and rules:
            got = {r.formula[0].strip('"'): dxf_fill(r) for _, _, r in rules}
            if got != TEMP_FILL:
                fail(f"{name}: temperature rules {got}, expected {TEMP_FILL}")
    return want_cols


def check_print(ws, name, repeat_header, pages_tall, title):
    ps = ws.page_setup
    if ps.orientation != "landscape" or str(ps.paperSize) != "9":
        fail(f"{name}: page {ps.orientation} paper {ps.paperSize}, expected landscape A4 (9)")
    pr = ws.sheet_properties.pageSetUpPr
    if pr is None or not pr.fitToPage:
        fail(f"{name}: not fitted to the page width")
    if int(ps.fitToWidth or 1) != 1 or int(ps.fitToHeight if ps.fitToHeight is not None else 1) != pages_tall:
        fail(f"{name}: fit to {ps.fitToWidth} x {ps.fitToHeight} pages, expected 1 x {pages_tall}")
    if repeat_header and ws.print_title_rows not in ("1:1", "$1:$1"):
        fail(f"{name}: repeated rows {ws.print_title_rows!r}, expected the header row")
    head = ws.oddHeader.left.text or ""
    if head.replace("&&", "&") != title:
        fail(f"{name}: page header {head!r}, expected the title {title!r}")
    if "&A" not in (ws.oddHeader.right.text or ""):
        fail(f"{name}: page header lacks the sheet name: {ws.oddHeader.right.text!r}")
    foot = ws.oddFooter.right.text or ""
    if "&P" not in foot or "&N" not in foot:
        fail(f"{name}: page footer {foot!r} lacks page N of M")


def col_label(xl, csv_name, col):
    """A list's column header: xlsx.col_<list>_<col> when the language has
    it (trend's "drop"), else xlsx.col_<col>."""
    return xl.get(f"col_{csv_name[:-4]}_{col}") or xl.get("col_" + col)


def check_list(ws, csv_path, xl, args):
    header, rows = read_csv(csv_path)
    name = os.path.basename(csv_path)
    types = TYPES[name]
    # the sheet's columns: the CSV's, with the sheet-only ones between
    sheet_cols = [c for c, _ in COLS_OF[name]]
    if [c for c, only in COLS_OF[name] if not only] != header:
        fail(f"{name}: CSV header {header} is not the list's columns {COLS_OF[name]}")
    at = [sheet_cols.index(h) for h in header]
    extra = sheet_only_values(os.path.dirname(csv_path), name, header, rows,
                              [c for c, only in COLS_OF[name] if only])
    got_header = [c.value for c in ws[1]]
    want_header = [col_label(xl, name, h) for h in sheet_cols]
    if got_header != want_header:
        fail(f"{name}: header {got_header} != {want_header}")
    for c in ws[1]:
        if not c.font.b:
            fail(f"{name}: header cell {c.coordinate} is not bold")
    if ws.freeze_panes != "A2":
        fail(f"{name}: freeze_panes {ws.freeze_panes!r}")
    # an Excel table named after the list (the same in every language),
    # banded, over the header and the rows (one blank row when empty), its
    # columns named as the header cells; the table brings the filter
    last = get_column_letter(len(sheet_cols))
    want_ref = f"A1:{last}{max(len(rows), 1) + 1}"
    tname = os.path.splitext(name)[0]
    if list(ws.tables.keys()) != [tname]:
        fail(f"{name}: tables {list(ws.tables.keys())}, expected one named {tname!r}")
    else:
        t = ws.tables[tname]
        cols = [c.name for c in t.tableColumns]
        if t.ref != want_ref:
            fail(f"{name}: table over {t.ref}, expected {want_ref}")
        if cols != want_header or len(set(cols)) != len(cols):
            fail(f"{name}: table columns {cols}, header {want_header}")
        si = t.tableStyleInfo
        if si is None or si.name != "TableStyleLight9" or not si.showRowStripes:
            fail(f"{name}: table style {si.name if si else None}, banded {si.showRowStripes if si else None}")
        if t.autoFilter is None or t.autoFilter.ref != want_ref:
            fail(f"{name}: table filter {t.autoFilter.ref if t.autoFilter else None}")
    if ws.auto_filter.ref:
        fail(f"{name}: a sheet filter {ws.auto_filter.ref} beside the table's")
    if ws.max_column != len(sheet_cols):
        fail(f"{name}: {ws.max_column} columns, the list has {len(sheet_cols)}")
    check_print(ws, name, True, 0, xl["title"])
    rules = check_rules(ws, name, header, rows, args, at)
    if not rows:
        if ws.max_row != 3 or ws["A3"].value != xl["empty_list"] or any(c.value for c in ws[2]):
            fail(f"{name}: empty list shows {ws['A3'].value!r} under a blank row ({ws.max_row} rows)")
        return
    if ws.max_row != len(rows) + 1:
        fail(f"{name}: {ws.max_row - 1} data rows, CSV has {len(rows)}")
    explained = explain_items(csv_path)
    explained_cols = {item for _, item in explained} & {c for c, only in COLS_OF[name] if only}
    for i, row in enumerate(rows):
        allcells = ws[i + 2]
        cells = [allcells[k] for k in at]
        # a sheet-only column holds a figure of explain.csv for the row's id,
        # or the same figure as the list it comes from (p_alive, clv), typed
        # as its column, else text (a name) or nothing
        for k, (c, only) in enumerate(COLS_OF[name]):
            if not only:
                continue
            if (row[0], c) in explained:
                check_cell(f"{name} row {i + 2} {c}", types[c], explained[(row[0], c)], allcells[k],
                           args.currency, xl["date_format"])
            elif extra.get(c) is not None:
                check_cell(f"{name} row {i + 2} {c}", types[c], extra[c][i], allcells[k], args.currency,
                           xl["date_format"])
            elif c in explained_cols:
                fail(f"{name} row {i + 2} {c}: no explain.csv item for {row[0]}")
            elif allcells[k].value is not None and allcells[k].data_type != "s":
                fail(f"{name} row {i + 2} {c}: {allcells[k].value!r} is not text")
        for j, col in enumerate(header):
            check_cell(f"{name} row {i + 2} {col}", types[col], row[j], cells[j],
                       args.currency, xl["date_format"])
            if col == "temperature":
                if fill_rgb(cells[j]) is not None:
                    fail(f"{name} row {i + 2}: temperature with a fixed fill (the rule colours it)")
                if fill_by_rules(rules[j], i + 2, cells[j].value) != TEMP_FILL[row[j]]:
                    fail(f"{name} row {i + 2}: temperature {row[j]} rule fill "
                         f"{fill_by_rules(rules[j], i + 2, cells[j].value)}")
            if col == "tier" and fill_rgb(cells[j]) != TIER_FILL[row[j]]:
                fail(f"{name} row {i + 2}: tier {row[j]} fill {fill_rgb(cells[j])}")
            if col == "conv_to_appt":
                off = bool(row[j]) and not (args.band_low <= float(row[j]) <= args.band_high)
                if (fill_by_rules(rules[j], i + 2, cells[j].value) == BAD_FILL) != off:
                    fail(f"{name} row {i + 2}: conv_to_appt {row[j]} highlight wrong")
            if col == "calls_per_day":
                low = bool(row[j]) and float(row[j]) < args.quota
                if (fill_by_rules(rules[j], i + 2, cells[j].value) == BAD_FILL) != low:
                    fail(f"{name} row {i + 2}: calls_per_day {row[j]} highlight wrong")
            if col == "days_overdue":
                late = int(row[j]) > 0
                if (fill_by_rules(rules[j], i + 2, cells[j].value) == BAD_FILL) != late:
                    fail(f"{name} row {i + 2}: days_overdue {row[j]} highlight wrong")
    # widths fit the content (capped)
    for j, col in enumerate(header):
        letter = get_column_letter(at[j] + 1)
        longest = max([len(r[j]) for r in rows] + [len(want_header[at[j]] or "")])
        w = ws.column_dimensions[letter].width
        if w is None or w < min(longest, 55) or w > 62:
            fail(f"{name}: column {letter} ({col}) width {w} for text of {longest}")


def summary_values(ws):
    """Column A label -> row cells, for the Summary sheet."""
    out = {}
    for row in ws.iter_rows():
        if row[0].value is not None and row[0].value not in out:
            out[row[0].value] = row
    return out


def cents(text):
    return round(float(text) * 100) if text else 0


def check_summary(ws, data, xl, common, args, out):
    sv = summary_values(ws)
    if ws["A1"].value != xl["title"]:
        fail(f"summary: title {ws['A1'].value!r}")
    # one landscape page: the print area holds the figures and the charts
    # (placed from column F, three rows of charts), fitted to 1 x 1 pages
    check_print(ws, "summary", False, 1, xl["title"])
    area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
    m = re.fullmatch(r"\$?A\$?1:\$?([A-Z]+)\$?(\d+)", (area or "").split("!")[-1])
    if not m or m.group(1) != "U" or int(m.group(2)) < max(ws.max_row, 48):
        fail(f"summary: print area {area!r}, expected A1 to column U below the charts and figures")
    if data.sheet_state != "hidden":
        fail(f"chart data: sheet is {data.sheet_state}, expected hidden")
    check_print(data, "chart data", False, 0, xl["title"])
    # the Summary holds figures only: no chart tables left on it
    if sv.get(xl["pareto"]) or sv.get(xl["time_split"]) or sv.get(xl["verdicts"]):
        fail("summary: chart data tables still on the Summary")
    if ws.max_row > 45:
        fail(f"summary: {ws.max_row} rows, a one-page Summary has about 30 (40 with every note)")
    sv_summary, sv = sv, summary_values(data)

    def val(key):
        row = sv_summary.get(xl[key])
        if row is None:
            fail(f"summary: no row labelled {xl[key]!r}")
            return None
        return row[1].value

    asof = val("as_of")
    if not isinstance(asof, datetime.datetime) or asof.date().isoformat() != args.as_of:
        fail(f"summary: as-of {asof!r}")
    if val("currency") != args.currency:
        fail("summary: currency")
    csvd = os.path.join(out, "csv")
    _, acc = read_csv(os.path.join(csvd, "accounts.csv"))
    total = sum(cents(r[4]) for r in acc)
    got = val("rev12_total")
    if not is_num(got) or round(got * 100) != total:
        fail(f"summary: revenue {got!r}, accounts.csv sums to {total / 100:.2f}")
    counts = [("due_count", "cadence_due.csv", None), ("alert_count", "decline_alerts.csv", None),
              ("lost_count", "decline_alerts.csv", (8, "lost")),
              ("fire_count", "fire_candidates.csv", None),
              ("verdict_pursue_count", "pipeline.csv", (11, "pursue")),
              ("verdict_qualify_count", "pipeline.csv", (11, "qualify")),
              ("verdict_drop_count", "pipeline.csv", (11, "drop")),
              ("rejected_total", "rejects.csv", (4, "rejected"))]
    for key, f, cond in counts:
        _, rows = read_csv(os.path.join(csvd, f))
        n = sum(1 for r in rows if cond is None or r[cond[0]] == cond[1])
        if val(key) != n:
            fail(f"summary: {key} {val(key)!r}, {f} has {n}")
    # tier table: accounts and revenue per tier from accounts.csv, on the
    # Summary and on the chart data its charts draw on
    for sheet, table in ((ws, sv_summary), (data, sv)):
        tier_hdr = table.get(xl["tiers"])
        if tier_hdr is None:
            fail(f"{sheet.title}: no tier table")
            continue
        r0 = tier_hdr[0].row
        for k, t in enumerate("ABCD"):
            row = sheet[r0 + 1 + k]
            n = sum(1 for r in acc if r[3] == t)
            rev = sum(cents(r[4]) for r in acc if r[3] == t)
            if row[0].value != t or row[1].value != n or round((row[2].value or 0) * 100) != rev:
                fail(f"{sheet.title}: tier {t} row {[c.value for c in row[:3]]}, expected {n} / {rev / 100:.2f}")
    # per input file: rejected lines of rejects.csv
    _, rej = read_csv(os.path.join(csvd, "rejects.csv"))
    files_hdr = sv_summary.get(xl["input_files"])
    if files_hdr is None:
        fail("summary: no input file table")
    else:
        r = files_hdr[0].row + 1
        seen = 0
        while ws.cell(r, 1).value:
            fname, read, accepted, rejected = (ws.cell(r, c).value for c in range(1, 5))
            n = sum(1 for x in rej if x[0] == fname and x[4] == "rejected")
            if rejected != n or accepted + rejected > read:
                fail(f"summary: file {fname}: read {read} accepted {accepted} rejected {rejected} (csv {n})")
            seen += 1
            r += 1
        if seen == 0:
            fail("summary: no input file rows")
    # Pareto data (chart data sheet): at most 200 points from (0,0) rising to (1,1)
    ws = data
    p_hdr = sv.get(xl["pareto"])
    if p_hdr is None:
        fail("chart data: no Pareto table")
    else:
        pts = []
        r = p_hdr[0].row + 1
        while is_num(ws.cell(r, 2).value):
            pts.append((ws.cell(r, 2).value, ws.cell(r, 3).value))
            r += 1
        if not 1 <= len(pts) <= 200 or pts[0] != (0, 0):
            fail(f"summary: {len(pts)} Pareto points starting {pts[:1]}")
        elif total > 0 and (abs(pts[-1][0] - 1) > 1e-12 or abs(pts[-1][1] - 1) > 1e-12):
            fail(f"summary: Pareto ends at {pts[-1]}")
        if any(b[0] < a[0] or b[1] < a[1] - 1e-12 for a, b in zip(pts, pts[1:])):
            fail("summary: Pareto curve not monotonic")
        # one point per buying client plus (0, 0), downsampled to 200
        buying = sum(1 for r in acc if cents(r[4]) > 0)
        if len(pts) != min(buying + 1, 200):
            fail(f"summary: {len(pts)} Pareto points for {buying} buying clients")
        elif buying and buying + 1 <= 200:
            # exact curve: k-th point = top k clients' share of revenue
            revs = sorted((cents(r[4]) for r in acc if cents(r[4]) > 0), reverse=True)
            pos_total = sum(revs)
            cum = 0
            for k, (px, py) in enumerate(pts):
                if abs(px - k / buying) > 1e-9 or abs(py - cum / pos_total) > 1e-9:
                    fail(f"summary: Pareto point {k} is {(px, py)}")
                    break
                if k < buying:
                    cum += revs[k]


def check_zip(path, data_name, trend_name=None, n_charts=5, n_trend=4):
    """Native charts: n_charts on the Summary (the first sheet's drawing),
    drawn on the chart-data sheet; with the history on, n_trend line charts
    on the Trend sheet, drawn on its own table."""
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        charts = sorted(n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        want = n_charts + (n_trend if trend_name else 0)
        if len(charts) != want:
            fail(f"zip: {len(charts)} charts, expected {want}: {charts}")
        if "xl/drawings/drawing1.xml" not in names:
            fail("zip: no xl/drawings/drawing1.xml")
            return
        drawing = z.read("xl/drawings/drawing1.xml").decode()
        if drawing.count("<c:chart ") != n_charts:
            fail("zip: drawing1.xml does not reference every Summary chart")
        srels = z.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
        if "../drawings/drawing1.xml" not in srels:
            fail("zip: the drawing is not on the first (Summary) sheet")
        on = {}
        for d in sorted(n for n in names if re.fullmatch(r"xl/drawings/_rels/drawing\d+\.xml\.rels", n)):
            for c in re.findall(r"\.\./charts/(chart\d+\.xml)", z.read(d).decode()):
                on[c] = d
        for c in charts:
            x = z.read(c).decode()
            summary = on.get(os.path.basename(c), "").endswith("drawing1.xml.rels")
            sheet = data_name if summary else trend_name
            if sheet is None or sheet not in x:
                fail(f"zip: {c} does not draw on the {sheet} sheet")
            if not summary and "<c:lineChart>" not in x:
                fail(f"zip: {c} on the trend sheet is not a line chart")
        for n in names:
            if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"):
                if "<f>" in z.read(n).decode():
                    fail(f"zip: {n} holds a formula")


# How the from / to / delta of each change kind read back (an_changes.c).
CHANGE_FROM = {"new_account": "tier", "vanished": "tier", "tier_up": "tier", "tier_down": "tier",
               "temp_up": "temp", "temp_down": "temp", "new_decline": MONEY, "recovered": MONEY,
               "worse_decline": MONEY, "amount_change": MONEY, "contacted": DATES, "pushed": DATES,
               "pulled_in": DATES, "new_late_reorder": "text", "stage_change": "text"}
CHANGE_DELTA = {"tier_up": MONEY, "tier_down": MONEY, "worse_decline": MONEY, "new_deal": MONEY,
                "won": MONEY, "lost": MONEY, "amount_change": MONEY, "contacted": INTS,
                "pushed": INTS, "pulled_in": INTS}
MOVE_FILL = {"up": "C6EFCE", "down": "FFC7CE", "same": "F2F2F2"}


def find_row(ws, text):
    for row in ws.iter_rows():
        if row[0].value == text:
            return row[0].row
    return None


def check_changes(ws, out, xl, args):
    """The Changes sheet: since when, the rules note, the two migration
    matrices against tier_migration.csv, the changes list against
    changes.csv with cells typed by change kind."""
    csvd = os.path.join(out, "csv")
    header, rows = read_csv(os.path.join(csvd, "changes.csv"))
    _, mig = read_csv(os.path.join(csvd, "tier_migration.csv"))
    _, trend = read_csv(os.path.join(csvd, "trend.csv"))
    first = not mig
    if first:
        if ws["A1"].value != xl["first_run"]:
            fail(f"changes: first run says {ws['A1'].value!r}")
    else:
        since = trend[-2][0] if len(trend) >= 2 else None
        b1 = ws["B1"].value
        if ws["A1"].value != xl["changes_since"] or not isinstance(b1, datetime.datetime) \
                or b1.date().isoformat() != since:
            fail(f"changes: since {ws['A1'].value!r} {b1!r}, expected {since}")
    rules = bool(rows) and rows[0][4] == "rules_changed"
    if (find_row(ws, xl["rules_changed"]) is not None) != rules:
        fail(f"changes: the rules note should {'' if rules else 'not '}be there")
    for key, col, money in (("migration_accounts", 2, False), ("migration_revenue", 3, True)):
        r0 = find_row(ws, xl[key])
        if first:
            if r0 is not None:
                fail(f"changes: a first run shows the {key} matrix")
            continue
        if r0 is None:
            fail(f"changes: no {key} matrix")
            continue
        if [c.value for c in ws[r0 + 1][:5]] != [xl["migration_corner"], "A", "B", "C", "D"]:
            fail(f"changes: {key} header {[c.value for c in ws[r0 + 1][:5]]}")
        for i, fr in enumerate("ABCD"):
            cells = ws[r0 + 2 + i]
            if cells[0].value != fr or fill_rgb(cells[0]) != TIER_FILL[fr]:
                fail(f"changes: {key} row {fr}: {cells[0].value!r}")
            for j, to in enumerate("ABCD"):
                want = next(m for m in mig if m[0] == fr and m[1] == to)[col]
                v = cells[1 + j].value
                ok = is_num(v) and (abs(v - float(want)) < 1e-9 if money else v == int(want))
                move = "up" if j < i else "down" if j > i else "same"
                if not ok or fill_rgb(cells[1 + j]) != MOVE_FILL[move]:
                    fail(f"changes: {key} {fr}->{to} {v!r} fill {fill_rgb(cells[1 + j])}, "
                         f"expected {want} {move}")
                if money and args.currency not in cells[1 + j].number_format:
                    fail(f"changes: {key} {fr}->{to} format {cells[1 + j].number_format!r}")
    h = find_row(ws, xl["col_entity"])
    if h is None:
        fail("changes: no list header")
        return
    want_header = [col_label(xl, "changes.csv", c) for c in header]
    if [c.value for c in ws[h]][:len(header)] != want_header:
        fail(f"changes: header {[c.value for c in ws[h]]} != {want_header}")
    # an Excel table named "changes" over the header and the rows (a blank
    # row when there are none), as every list; the sheet set up to print
    want_ref = f"A{h}:{get_column_letter(len(header))}{h + max(len(rows), 1)}"
    if list(ws.tables.keys()) != ["changes"]:
        fail(f"changes: tables {list(ws.tables.keys())}, expected one named 'changes'")
    else:
        t = ws.tables["changes"]
        if t.ref != want_ref or [c.name for c in t.tableColumns] != want_header:
            fail(f"changes: table over {t.ref} with {[c.name for c in t.tableColumns]}, expected {want_ref}")
    if ws.auto_filter.ref:
        fail(f"changes: a sheet filter {ws.auto_filter.ref} beside the table's")
    check_print(ws, "changes", False, 0, xl["title"])
    # an empty list says nothing changed, under the table's blank row,
    # unless there was nothing to compare
    note = None if first else xl["empty_changes"]
    if not rows and ws.cell(h + 2, 1).value != note:
        fail(f"changes: empty list shows {ws.cell(h + 2, 1).value!r}, expected {note!r}")
    for i, row in enumerate(rows):
        cells = ws[h + 1 + i]
        where = f"changes row {h + 1 + i}"
        for j in range(5):
            check_cell(f"{where} {header[j]}", "text", row[j], cells[j], args.currency, xl["date_format"])
        kind = row[4]
        for j, typ in ((5, CHANGE_FROM.get(kind)), (6, CHANGE_FROM.get(kind)), (7, CHANGE_DELTA.get(kind))):
            c = cells[j]
            if typ in ("tier", "temp"):
                fills = TIER_FILL if typ == "tier" else TEMP_FILL
                if row[j] and (c.value != row[j] or fill_rgb(c) != fills[row[j]]):
                    fail(f"{where} {header[j]}: {typ} {row[j]} read back as {c.value!r} {fill_rgb(c)}")
                elif not row[j] and c.value is not None:
                    fail(f"{where} {header[j]}: expected empty, got {c.value!r}")
            else:
                check_cell(f"{where} {header[j]}", typ or "text", row[j], c, args.currency, xl["date_format"])
        check_cell(f"{where} since", DATES, row[8], cells[8], args.currency, xl["date_format"])

def from_config(args):
    """Fill unset options from the run's config, then the SPEC defaults."""
    found = {}
    if args.config:
        cp = configparser.RawConfigParser(strict=False, interpolation=None,
                                          inline_comment_prefixes=None)
        cp.optionxform = str
        with open(args.config, encoding="utf-8-sig") as f:
            cp.read_file(f)
        for sec, key, name in [("run", "language", "lang"), ("run", "currency", "currency"),
                               ("run", "as_of", "as_of"), ("kpi", "daily_call_quota", "quota"),
                               ("kpi", "conv_to_appt_low", "band_low"),
                               ("kpi", "conv_to_appt_high", "band_high")]:
            if cp.has_option(sec, key):
                found[name] = cp.get(sec, key).strip()
    defaults = {"lang": "en", "currency": "EUR", "as_of": None, "quota": 20,
                "band_low": 0.04, "band_high": 0.18}
    for name, d in defaults.items():
        if getattr(args, name) is None:
            v = found.get(name, d)
            if name in ("quota", "band_low", "band_high"):
                v = float(v)
            setattr(args, name, v)
    if args.as_of is None:
        sys.exit("xlsx_check: --as-of or a config with as_of is needed")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--config")
    ap.add_argument("--lang")
    ap.add_argument("--as-of")
    ap.add_argument("--currency")
    ap.add_argument("--text", action="append", default=[],
                    help="an account name that must read back as text")
    ap.add_argument("--quota", type=float)
    ap.add_argument("--band-low", type=float)
    ap.add_argument("--band-high", type=float)
    args = ap.parse_args()
    from_config(args)

    xl, common = labels(args.root, args.lang)
    path = os.path.join(args.out, "workbook.xlsx")
    wb = openpyxl.load_workbook(path)
    # the lists the run wrote (the history's only with a store), each on
    # its sheet; the Changes sheet holds two lists
    written = [(k, f) for k, f in LISTS if os.path.exists(os.path.join(args.out, "csv", f))]
    keys = []
    for k, _ in written:
        if k not in keys:
            keys.append(k)
    want = [xl["sheet_summary"]] + [xl[k] for k in keys] + [xl["sheet_chart_data"]]
    if wb.sheetnames != want:
        fail(f"sheets {wb.sheetnames} != {want}")
    else:
        for (key, f) in written:
            if key == "sheet_changes":
                if f == "changes.csv":
                    check_changes(wb[xl[key]], args.out, xl, args)
                continue
            check_list(wb[xl[key]], os.path.join(args.out, "csv", f), xl, args)
        check_summary(wb[xl["sheet_summary"]], wb[xl["sheet_chart_data"]], xl, common, args, args.out)
    p = wb.properties
    if p.creator != "salesfocus" or p.title != xl["title"]:
        fail(f"properties: creator {p.creator!r} title {p.title!r}")
    if not (p.subject or "").startswith(xl["doc_subject"]) or args.as_of not in (p.subject or ""):
        fail(f"properties: subject {p.subject!r}")
    if p.created is None or p.created.date().isoformat() != args.as_of:
        fail(f"properties: created {p.created!r}")
    if args.text:
        ws = wb[xl["sheet_accounts"]]
        found = {}
        for row in ws.iter_rows(min_row=2):
            found[row[1].value] = row[1]
        for t in args.text:
            c = found.get(t)
            if c is None or c.data_type != "s":
                fail(f"injection: {t!r} not read back as text ({c.data_type if c else 'missing'})")
    check_zip(path, xl["sheet_chart_data"],
              xl["sheet_trend"] if os.path.exists(os.path.join(args.out, "csv", "trend.csv")) else None)

    for f in failures[:60]:
        print("FAIL", f)
    if failures:
        print(f"{len(failures)} failures")
        return 1
    print(f"xlsx_check: {path} ({args.lang}) ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
