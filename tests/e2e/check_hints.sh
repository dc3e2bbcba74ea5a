#!/usr/bin/env bash
# `preset = auto` and the hints of `check`, through the binary:
# - auto picks the preset whose headers the files have (pipedrive here),
#   check prints every candidate with how many headers it found and marks
#   the one chosen, the run log names it and the others; with canonical
#   headers no preset is chosen;
# - a CP1251 file read as UTF-8: the header error names CP1251;
# - a ';' file read with delimiter = comma: the missing column's error names
#   the delimiter the header has more of;
# - dates in another format: check names the format that parses them;
# - an XLSX export read by the run, and an HTML page named .xls refused with
#   the fix.
set -euo pipefail
: "${SF:?}" "${TMP:?}" "${PY:?}"
cd "$TMP"

expect() { # code, substring, command...
    local code=$1 sub=$2; shift 2
    set +e; "$@" >out 2>err; local rc=$?; set -e
    if [ "$rc" -ne "$code" ]; then echo "expected exit $code, got $rc: $*"; cat out err; exit 1; fi
    if ! grep -qF -- "$sub" out err; then echo "expected '$sub' from: $*"; cat out err; exit 1; fi
}

# ---- preset = auto
cat >deals.csv <<'CSV'
Deal - ID,Deal - Organization,Deal - Deal created,Deal - Status,Deal - Value,Deal - Deal closed on,Deal - Stage
1,Acme,2025-01-01,Won,100,2025-02-01,Closed
2,Beta,2025-01-05,Open,50,,Proposal Made
3,Acme,2025-02-05,Won,70,2025-03-01,Closed
CSV
cat >auto.ini <<'INI'
[run]
as_of = 2025-06-30
[input]
preset = auto
transactions = @won
opportunities = deals.csv
[outputs]
pdf = no
xlsx = no
INI
"$SF" check -c auto.ini >out 2>err
grep -q '^config: auto.ini (preset auto: pipedrive)$' out
grep -q '^preset auto: pipedrive$' out
grep -Eq '^  \* pipedrive: 7 of 15 headers found$' out
grep -Eq '^    hubspot: 0 of 14 headers found, 3 required missing$' out
grep -Eq '^    no preset \(canonical names\): 0 of 16 headers found, 3 required missing$' out
[ "$(grep -c '^  [ *] ' out)" -ge 6 ]
grep -q '^check: ok' out
"$SF" run -c auto.ini --out o >out 2>err
grep -q 'preset auto: pipedrive: 7 of 15 headers found' err
grep -q 'preset auto: not chosen: salesforce: ' err
grep -q '^  transactions: read 2, accepted 2, rejected 0$' out
# canonical headers: no preset
printf 'account_id,date,amount\nA,2025-01-01,5\n' >tx.csv
printf '[input]\npreset = auto\ntransactions = tx.csv\n' >canon.ini
"$SF" check -c canon.ini >out 2>err
grep -q '^config: canon.ini (preset auto: none)$' out
grep -q '^preset auto: none (canonical names)$' out
grep -Eq '^  \* no preset \(canonical names\): 3 of 9 headers found$' out

# ---- hints
printf 'Клиент;Дата;Сумма\nK1;01.02.2025;5\n' | iconv -t CP1251 >t1251.csv
printf '[input]\ntransactions = t1251.csv\n' >enc.ini
expect 3 'header line is not valid UTF-8 (check [input] encoding) (hint: set [input] encoding = CP1251: the file is not valid UTF-8 and decodes as CP1251)' "$SF" check -c enc.ini
printf 'account_id;date;amount\nA;2025-01-01;5\n' >semi.csv
printf '[input]\ntransactions = semi.csv\ndelimiter = comma\n' >delim.ini
expect 3 "(hint: set [input] delimiter = semicolon: the header has 2 ';' and 0 ',')" "$SF" check -c delim.ini
{ echo 'account_id,date,amount'; for i in $(seq 1 20); do printf 'A%s,%02d.03.2025,5\n' "$i" "$i"; done; } >dmy.csv
printf '[input]\ntransactions = dmy.csv\n' >dates.ini
expect 3 'hint: set [input] date_format = %d.%m.%Y: 20 of 20 dates do not parse as %Y-%m-%d, %d.%m.%Y parses 20 of them' "$SF" check -c dates.ini
# a file that is fine gets no hint
printf '[input]\ntransactions = tx.csv\n' >fine.ini
"$SF" check -c fine.ini >out 2>err
! grep -q 'hint:' out

# ---- XLSX through the run, and the HTML "Excel" export
"$PY" - <<'PY'
import datetime, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Invoices"
ws.append(["Клиент", "Дата", "Сумма"])
ws.append(["K1", datetime.date(2025, 2, 1), 1234.5])
ws.append(["K2", datetime.date(2025, 3, 2), 10])
for row in ws.iter_rows(min_row=2):
    row[1].number_format = "dd.mm.yyyy"
wb.create_sheet("Notes").append(["nothing"])
wb.save("inv.xlsx")
PY
cat >x.ini <<'INI'
[run]
as_of = 2025-06-30
currency = RUB
[input]
transactions = inv.xlsx
date_format = %d.%m.%Y
decimal = comma
thousands = space
[columns.transactions]
account_id = Клиент
date = Дата
amount = Сумма
[outputs]
pdf = no
xlsx = no
[history]
# auto.ini's runs beside it own ./history.sqlite
enabled = no
INI
"$SF" run -c x.ini --out ox >out 2>err
grep -q '^  transactions: read 2, accepted 2, rejected 0$' out
grep -q 'revenue, last 365 days: *1244.50$' out
sed 's/^transactions = inv.xlsx$/transactions = inv.xlsx\nsheet = Sales/' x.ini >x2.ini
expect 3 "inv.xlsx: no sheet 'Sales' (check [input] sheet); the workbook has 'Invoices', 'Notes'" "$SF" run -c x2.ini --out ox2
# one workbook holding two inputs, each on a sheet of its own: [input]
# <kind>_sheet names each; a missing one names its own key
"$PY" - <<'PY'
import datetime, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Read me"
ws.append(["This workbook holds the clients and their invoices"])
cl = wb.create_sheet("Clients"); cl.append(["Код", "Название"])
cl.append(["K1", "Альфа"]); cl.append(["K2", "Бета"]); cl.append(["K3", "Гамма"])
inv = wb.create_sheet("Invoices"); inv.append(["Клиент", "Дата", "Сумма"])
inv.append(["K1", datetime.date(2025, 2, 1), 100]); inv.append(["K3", datetime.date(2025, 3, 2), 50.5])
for row in inv.iter_rows(min_row=2):
    row[1].number_format = "dd.mm.yyyy"
wb.save("book.xlsx")
PY
# x.ini, reading both files from the one workbook
sed -e 's/^transactions = inv.xlsx$/accounts = book.xlsx\ntransactions = book.xlsx\naccounts_sheet = Clients\ntransactions_sheet = Invoices/' \
    -e 's/^\[columns.transactions\]$/[columns.accounts]\naccount_id = Код\nname = Название\n[columns.transactions]/' \
    x.ini >book.ini
"$SF" run -c book.ini --out obook >out 2>err
grep -q '^  accounts: read 3, accepted 3, rejected 0$' out
grep -q '^  transactions: read 2, accepted 2, rejected 0$' out
grep -q 'revenue, last 365 days: *150.50$' out
grep -q '^K3,Гамма,' obook/csv/accounts.csv
# [input] sheet is every file's sheet unless its own key says otherwise
sed 's/^accounts_sheet = Clients$/sheet = Clients/' book.ini >book2.ini
"$SF" check -c book2.ini >out 2>err
grep -q '^check: ok$' out
sed 's/^transactions_sheet = Invoices$/transactions_sheet = Sales/' book.ini >book3.ini
expect 3 "book.xlsx: no sheet 'Sales' (check [input] transactions_sheet); the workbook has 'Read me', 'Clients', 'Invoices'" "$SF" run -c book3.ini --out obook3
printf '<meta http-equiv="Content-type" content="text/html;charset=utf-8" />\n<table><tr><td>ID</td></tr></table>\n' >deal.xls
printf '[input]\ntransactions = deal.xls\n' >html.ini
expect 3 'deal.xls: an HTML page, not a spreadsheet (Bitrix24'"'"'s "Excel" export is an HTML table saved as .xls): export CSV instead, or open it in a spreadsheet program and save it as .xlsx' "$SF" check -c html.ini
echo ok
