#!/usr/bin/env bash
# 100,000 accounts: the workbook is written in constant-memory mode, every
# list sheet holds all its rows, and the Pareto data (on the chart-data
# sheet) is downsampled to 200 points. Its speed is measured by `make bench`, not here.
set -euo pipefail
[ -x "${SFGEN:-}" ] || { echo "SKIP: no sample generator (\$SFGEN)"; exit 0; }
"$SFGEN" --out "$TMP/in" --accounts 100000 --transactions 300000 --activities 100000 \
    --opportunities 10000 --seed 11 --as-of 2025-06-30 >/dev/null
printf '\n[outputs]\npdf = no\nemail = no\n' >>"$TMP/in/config.ini"
SF_TIMINGS=1 "$SF" run -q -c "$TMP/in/config.ini" --out "$TMP/out" 2>"$TMP/timings"
cat "$TMP/timings"
"$SF" lists >"$TMP/lists"
$PY - "$TMP/out" "$TMP/lists" "$ROOT/templates/lang/en.ini" <<'PYEOF'
import configparser, csv, os, sys, zipfile, openpyxl
out = sys.argv[1]
cp = configparser.RawConfigParser(strict=False, interpolation=None, comment_prefixes=(";",),
                                  inline_comment_prefixes=None)
cp.optionxform = str
cp.read(sys.argv[3], encoding="utf-8")
# every list of `salesfocus lists`: its sheet (English label) and CSV file
lists = [(cp["xlsx"][l.split("\t")[1]], l.split("\t")[0]) for l in open(sys.argv[2]).read().splitlines()]
assert len(lists) >= 8, lists
wb = openpyxl.load_workbook(os.path.join(out, "workbook.xlsx"), read_only=True)
def csv_rows(name):
    with open(os.path.join(out, "csv", name), encoding="utf-8-sig", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1
for sheet, name in lists:
    n = csv_rows(name)
    ws = wb[sheet]
    # an empty list: header, the table's blank row, the note
    assert ws.max_row == (n + 1 if n else 3), (sheet, ws.max_row, n)
assert csv_rows("accounts.csv") == 100000
s = wb["Chart data"]
rows = list(s.iter_rows(values_only=True))
start = [i for i, r in enumerate(rows) if r[0] == "Revenue concentration"][0]
pts = [r[1:3] for r in rows[start + 1:] if r[1] is not None]
assert len(pts) == 200, len(pts)
assert pts[0] == (0, 0) and abs(pts[-1][0] - 1) < 1e-12 and abs(pts[-1][1] - 1) < 1e-12, pts[-1]
assert all(b[0] > a[0] and b[1] >= a[1] for a, b in zip(pts, pts[1:]))
with zipfile.ZipFile(os.path.join(out, "workbook.xlsx")) as z:
    assert sum(1 for n in z.namelist() if n.startswith("xl/charts/chart")) == 5
    # constant-memory mode writes the cells' strings inline, not to a shared
    # table: the shared strings hold only the list headers, which adding
    # the Excel tables writes a second time (xlsx_look.c), never data
    sst = z.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in z.namelist() else ""
    n_sst = sst.count("<si>")
    n_cols = sum(len(l.split("\t")[2].split(",")) for l in open(sys.argv[2]).read().splitlines())
    assert n_sst <= n_cols, (n_sst, n_cols)
    assert "<f>" not in sst and len(sst) < 20000, len(sst)
    for n in z.namelist():
        if n.startswith("xl/worksheets/sheet"):
            assert "t=\"s\"" not in z.read(n).decode(), n  # no cell refers to a shared string
print("scale ok")
PYEOF
