#!/usr/bin/env bash
# A list longer than a sheet (1,048,575 rows) continues on a second sheet
# instead of failing the run: 1,100,000 rejected records (the cheapest
# long list to make: one-byte lines) give "Data quality" with rows 2 ..
# 1,048,576 and "Data quality (2)" with the 51,425 after, each with its
# header; the Summary says so, `check` says so before the run, the CSV
# list has every row, and the fast path and the public API path write the
# same sheets.
set -euo pipefail
D="$TMP/d"
mkdir -p "$D"
awk 'BEGIN { print "account_id,date,amount"; for (i = 0; i < 1100000; i++) print "x" }' >"$D/transactions.csv"
printf '[run]\nas_of = 2025-06-30\n[input]\ntransactions = transactions.csv\nmax_reject_share = 1\n[outputs]\npdf = no\n' >"$D/fast.ini"
sed 's/^pdf = no$/pdf = no\nxlsx_fast = no/' "$D/fast.ini" >"$D/slow.ini"

"$SF" check -c "$D/fast.ini" >"$TMP/check.txt"
grep -q "^workbook: rejects: 1100000 rows, more than one sheet holds (1048575): continued on 1 more sheet$" \
    "$TMP/check.txt"

for m in fast slow; do
    "$SF" run -q -c "$D/$m.ini" --out "$TMP/$m"
    [ "$(($(wc -l <"$TMP/$m/csv/rejects.csv") - 1))" -eq 1100000 ]
    x="$TMP/$m/workbook.xlsx"
    unzip -p "$x" xl/workbook.xml | grep -o '<sheet name="[^"]*"' | sed 's/<sheet name=//' >"$TMP/$m.sheets"
    # the sheets in order: the list's first, then its continuation
    i=$(grep -nx '"Data quality"' "$TMP/$m.sheets" | cut -d: -f1)
    [ "$(sed -n "$((i + 1))p" "$TMP/$m.sheets")" = '"Data quality (2)"' ]
    big="xl/worksheets/sheet$i.xml" more="xl/worksheets/sheet$((i + 1)).xml"
    # the first sheet ends at row 1,048,576 (the header, then 1,048,575
    # rows), the second at 51,426 (its header, then the 51,425 after)
    unzip -p "$x" "$big" | tail -c 4000 >"$TMP/$m.big_tail"
    grep -q '<row r="1048576"' "$TMP/$m.big_tail"
    grep -q '<dimension ref="A1:F1048576"/>' <(unzip -p "$x" "$big" | head -c 2000)
    unzip -p "$x" "$more" >"$TMP/$m.more.xml"
    grep -q '<row r="51426"' "$TMP/$m.more.xml"
    ! grep -q '<row r="51427"' "$TMP/$m.more.xml"
    # its header and its first row: line 1,048,577 of the file (line 1 is
    # the CSV header, so the 1,048,576th record)
    grep -q '<t>Line</t>' "$TMP/$m.more.xml"
    grep -q '<v>1048577</v>' "$TMP/$m.more.xml"
    # the Summary's note
    unzip -p "$x" xl/worksheets/sheet1.xml | sed 's/&quot;/"/g' |
        grep -qF 'Data quality: 1,100,000 rows, more than one sheet holds (1,048,575); they continue on 1 more sheet(s), from "Data quality (2)" on.'
done
# the two paths write the same continuation sheet and the same end of the
# first (cell references, which the fast path leaves out, dropped)
norm() { sed -e 's/<c r="[A-Z]*[0-9]*"/<c/g' "$1"; }
cmp <(norm "$TMP/fast.more.xml") <(norm "$TMP/slow.more.xml")
cmp <(norm "$TMP/fast.big_tail" | tail -c 2000) <(norm "$TMP/slow.big_tail" | tail -c 2000)
cmp "$TMP/fast.sheets" "$TMP/slow.sheets"
echo ok
