#!/usr/bin/env bash
# Formula injection: account names =HYPERLINK(...), +1, -2, @SUM(A1) and a
# rejected record whose raw text starts with = must come back as text cells
# (data_type 's'), and no sheet may hold a formula. The set has no
# activities or opportunities, so the pipeline, KPI and cadence sheets show
# the header, the table's one blank row and the "nothing due" note. A name holding U+FFFE (valid UTF-8,
# not allowed in XML) must not break the file: it shows U+FFFD.
set -euo pipefail
$PY "$ROOT/tests/py/xlsx_prep.py" "$ROOT/tests/data/xlsx" "$TMP/in"
"$SF" run -q -c "$TMP/in/config.ini" --out "$TMP/out"
$PY "$ROOT/tests/py/xlsx_check.py" --out "$TMP/out" --root "$ROOT" --config "$TMP/in/config.ini" \
    --text '=HYPERLINK("http://x","y")' --text '+1' --text '-2' --text '@SUM(A1)' \
    --text "'Quoted' [name]: *?/\\"

$PY - "$TMP/out/workbook.xlsx" <<'PYEOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            assert c.data_type != "f", (ws.title, c.coordinate, c.value)
dq = wb["Data quality"]
raw = [r[5].value for r in dq.iter_rows(min_row=2)]
assert '"=cmd|\' /C calc\'!A0",X2,2025-02-30,10.00' in raw, raw
for name in ("Pipeline", "Rep KPIs", "Cadence", "Declines"):
    ws = wb[name]
    # the table keeps one blank row; the note is under it
    assert ws.max_row == 3 and ws["A3"].value == "Nothing due: this list is empty.", name
    (t,) = ws.tables.values()
    assert t.ref.endswith("2") and not ws.auto_filter.ref, (t.ref, ws.auto_filter.ref)
acc = wb["Accounts"]
names = [r[1].value for r in acc.iter_rows(min_row=2)]
assert "ООО «Ромашка»" in names and "Zakład Łódź sp. z o.o." in names, names
assert acc["E2"].number_format == '#,##0.00 "PLN"', acc["E2"].number_format
print("injection ok")
PYEOF
