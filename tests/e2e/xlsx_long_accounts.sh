#!/usr/bin/env bash
# A book of more accounts than a sheet holds (1,048,575 rows): the
# Accounts sheet continues on "Accounts (2)" with its own header and the
# rows after (issue 16: the workbook never silently loses rows), the
# Summary says so, and the PDF stays bounded (top-N tables, the same
# pages as for a small book). xlsx_long_list.sh covers the other lists'
# continuation (the same writer) and the public API path; this one the
# list of accounts itself, 1,048,600 of them (one-line records, a single
# invoice, CSV lists off to keep the test short).
set -euo pipefail
D="$TMP/d"
mkdir -p "$D"
N=1048600
awk -v n=$N 'BEGIN { print "account_id,name,owner"; for (i = 0; i < n; i++) printf "A%07d,Client %d,Rep %d\n", i, i, i % 3 }' \
    >"$D/accounts.csv"
printf 'account_id,date,amount\nA0000001,2025-05-01,10.00\n' >"$D/transactions.csv"
printf '[run]\nas_of = 2025-06-30\n[input]\naccounts = accounts.csv\ntransactions = transactions.csv\n[history]\nenabled = no\n[outputs]\ncsv = no\npdf = yes\nxlsx = yes\n' \
    >"$D/cfg.ini"
"$SF" run -q -c "$D/cfg.ini" --out "$TMP/out"
x="$TMP/out/workbook.xlsx"
unzip -p "$x" xl/workbook.xml | grep -o '<sheet name="[^"]*"' | sed 's/<sheet name=//' >"$TMP/sheets"
i=$(grep -nx '"Accounts"' "$TMP/sheets" | cut -d: -f1)
[ "$(sed -n "$((i + 1))p" "$TMP/sheets")" = '"Accounts (2)"' ]
big="xl/worksheets/sheet$i.xml" more="xl/worksheets/sheet$((i + 1)).xml"
# the first sheet: the header and 1,048,575 rows; the second: its header
# and the 25 after (N - 1,048,575)
unzip -p "$x" "$big" | tail -c 6000 >"$TMP/big_tail"
grep -q '<row r="1048576"' "$TMP/big_tail"
grep -Eq '<dimension ref="A1:[A-Z]+1048576"/>' <(unzip -p "$x" "$big" | head -c 3000)
unzip -p "$x" "$more" >"$TMP/more.xml"
grep -q '<row r="26"' "$TMP/more.xml"
! grep -q '<row r="27"' "$TMP/more.xml"
# the second sheet read back by openpyxl (only it: reading the first
# sheet's million rows would take minutes): the same header, the 25
# accounts after the first sheet's, none of them on the first sheet's
# last row
last1=$(grep -o '<row r="1048576".*' "$TMP/big_tail" | grep -o '<t>A[0-9]*</t>' | head -1 | sed 's/<[^>]*>//g')
[ -n "$last1" ]
$PY - "$x" $N "$last1" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
n, last1 = int(sys.argv[2]), sys.argv[3]
second = wb["Accounts (2)"]
rows = list(second.iter_rows(values_only=True))
head1 = [c.value for c in next(wb["Accounts"].iter_rows(min_row=1, max_row=1))]
assert list(rows[0]) == head1, (rows[0], head1)
ids2 = [r[0] for r in rows[1:]]
assert len(ids2) == n - 1048575, len(ids2)
assert len(set(ids2)) == len(ids2) and last1 not in ids2
assert all(i.startswith("A") for i in ids2)
print("ok", len(ids2), last1)
PY
# the Summary's note
unzip -p "$x" xl/worksheets/sheet1.xml | sed 's/&quot;/"/g' >"$TMP/summary.xml"
grep -qF 'Accounts: 1,048,600 rows, more than one sheet holds (1,048,575); they continue on 1 more sheet(s), from "Accounts (2)" on.' "$TMP/summary.xml"
# the PDF bounded: as many pages as a book of three accounts gives
pages=$(pdfinfo "$TMP/out/report.pdf" | awk '/^Pages:/ { print $2 }')
head -4 "$D/accounts.csv" >"$D/small.csv"
sed 's/accounts.csv/small.csv/' "$D/cfg.ini" >"$D/small.ini"
"$SF" run -q -c "$D/small.ini" --out "$TMP/small"
small=$(pdfinfo "$TMP/small/report.pdf" | awk '/^Pages:/ { print $2 }')
[ "$pages" -le "$((small + 2))" ] || { echo "report.pdf: $pages pages for $N accounts, $small for 3"; exit 1; }
echo ok
