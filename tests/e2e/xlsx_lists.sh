#!/usr/bin/env bash
# The workbook against the CSV lists of the same run: the worked example in
# all four report languages (sheet names, headers, labels), then every
# bundled sample set. Each sheet of a list must hold the CSV's rows cell for
# cell, typed (numbers, dates, money, percent and ratio formats), with a
# frozen bold header, an Excel table, fitted widths, tier colours and the
# conditional formats (temperature, KPI bands, days overdue, data bars),
# print setup; the Summary's figures must agree with the lists, it prints
# on one page; its charts must be native, drawn on the hidden chart data.
set -euo pipefail
MINI="$ROOT/tests/data/mini"
CHECK="$PY $ROOT/tests/py/xlsx_check.py"
PREP="$PY $ROOT/tests/py/xlsx_prep.py"

for lang in en ru pl id; do
    $PREP "$MINI" "$TMP/mini-$lang" --lang "$lang"
    "$SF" run -q -c "$TMP/mini-$lang/config.ini" --as-of 2025-06-30 --out "$TMP/out-$lang"
    $CHECK --out "$TMP/out-$lang" --root "$ROOT" --config "$TMP/mini-$lang/config.ini"
done

# The worked example's CSV lists are the independent reference: the
# English workbook must show exactly those rows (every list the run writes
# and the reference has).
for f in "$MINI"/expected-next/csv/*.csv; do
    [ -f "$TMP/out-en/csv/$(basename "$f")" ] || continue
    cmp -s "$f" "$TMP/out-en/csv/$(basename "$f")" || {
        echo "csv/$(basename "$f") differs from the worked example (the xlsx check compared against it)"
        exit 1
    }
done

# Hand-checked cells of the worked example (expected/csv/accounts.csv row 1:
# C005, Client 5 Ltd, A, 107318.01, ratio 1.6761, hot, next_due 2025-06-18).
$PY - "$TMP/out-en/workbook.xlsx" <<'PYEOF'
import datetime, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Accounts"]
row = [c.value for c in ws[2]]
assert row[:4] == ["C005", "Client 5 Ltd", "(unassigned)", "A"], row
assert abs(row[4] - 107318.01) < 1e-9 and abs(row[6] - 1.6761) < 1e-12, row
assert row[8] == "hot" and row[10] == datetime.datetime(2025, 6, 18), row
assert ws["E2"].number_format == '#,##0.00 "EUR"', ws["E2"].number_format
s = wb["Summary"]
labels = {r[0].value: r[1].value for r in s.iter_rows() if r[0].value}
assert abs(labels["Revenue, last 12 months"] - 330365.43) < 1e-9, labels
assert abs(labels["Growth year over year"] - (-0.1739)) < 1e-12, labels
assert labels["Contacts due"] == 14 and labels["Fire candidates"] == 2, labels
assert labels["Opportunities to drop"] == 5 and labels["Records rejected"] == 3, labels
assert ws["G2"].number_format == "0.00", ws["G2"].number_format  # a ratio, not 168 %
k = wb["Rep KPIs"]
# Ben Ortiz: conv_to_appt 0.6667 is above the 4-18 % band: the band's rule
# (conditional, so it follows an edited value) marks F4
assert k["A4"].value == "Ben Ortiz" and abs(k["F4"].value - 0.6667) < 1e-12
(band,) = [r for cf in k.conditional_formatting if str(cf.sqref).startswith("F2") for r in cf.rules]
assert band.operator == "notBetween" and band.formula == ["0.04", "0.18"], band.formula
assert band.dxf.fill.bgColor.rgb.endswith("FFC7CE")
print("worked example cells ok")
PYEOF

n=0
for cfg in "$ROOT"/samples/*/config.ini; do
    [ -f "$cfg" ] || continue
    d=$(dirname "$cfg"); name=$(basename "$d")
    $PREP "$d" "$TMP/s-$name"
    "$SF" run -q -c "$TMP/s-$name/config.ini" --out "$TMP/sout-$name"
    $CHECK --out "$TMP/sout-$name" --root "$ROOT" --config "$TMP/s-$name/config.ini"
    n=$((n + 1))
done
echo "samples checked: $n"
