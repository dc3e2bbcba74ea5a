#!/usr/bin/env bash
# End to end: a Russian-Excel style export (CP1251, ';', decimal comma,
# space thousands, dd.mm.yyyy, a footer) goes through `salesfocus run`;
# rejects.csv must list exactly the expected lines; then the reject-share
# limit (exit 3, only rejects.csv written) and a missing column (exit 3,
# message naming file, field, header looked for and headers found).
set -euo pipefail
: "${SF:?}" "${TMP:?}" "${PY:?}"
cd "$TMP"

to1251() { iconv -f UTF-8 -t CP1251; }

{
  printf 'Код;Клиент;Менеджер\r\nK1;ООО Ромашка;Иванов\r\nK2;Ёлка;\r\nK1;Дубль;Петров\r\n'
  for i in $(seq 100 249); do printf 'K%s;Клиент %s;\r\n' "$i" "$i"; done
} | to1251 > accounts.csv
{
  printf 'Клиент;Дата;Сумма\r\n'
  printf 'K1;01.02.2025;1 234,50 руб.\r\n'
  printf 'K2;3.3.2025;-10,00\r\n'
  printf '\r\n'
  printf 'K9;04.03.2025;5,00\r\n'
  printf 'K1;31.02.2025;5,00\r\n'
  printf 'K1;05.03.2025;(5,00)\r\n'
  printf 'K1;05.03.2025;5,00;\r\n'
  for i in $(seq 1 200); do printf 'K2;06.03.2025;1,00\r\n'; done
  printf 'Итого;;1 430,50\r\n'
  printf 'K1;01.01.2025;999\r\n'
} | to1251 > transactions.csv

cat > config.ini <<'INI'
[run]
as_of = 2025-06-30
currency = RUB
[input]
accounts = accounts.csv
transactions = transactions.csv
encoding = CP1251
date_format = %d.%m.%Y
decimal = ,
thousands = space
end_marker = Итого
[columns.accounts]
account_id = Код
name = Клиент
owner = Менеджер
[columns.transactions]
account_id = Клиент
date = Дата
amount = Сумма
[outputs]
pdf = no
xlsx = no
INI

"$SF" run -q -c config.ini --out out
cat > want.csv <<'CSV'
file,line,reason,field,action,raw
accounts.csv,4,duplicate_id,account_id,rejected,K1;Дубль;Петров
transactions.csv,5,unknown_account,account_id,rejected,"K9;04.03.2025;5,00"
transactions.csv,6,bad_date,date,rejected,"K1;31.02.2025;5,00"
transactions.csv,7,bad_number,amount,rejected,"K1;05.03.2025;(5,00)"
transactions.csv,8,field_count,,rejected,"K1;05.03.2025;5,00;"
CSV
# BOM and CRLF as SPEC §4 says; compare the text without them
head -c 3 out/csv/rejects.csv | od -An -tx1 | grep -q 'ef bb bf'
tail -c +4 out/csv/rejects.csv | tr -d '\r' > got.csv
diff -u want.csv got.csv

# accounts.csv of the report: K1 = 1234.50, K2 = -10 + 200 x 1 = 190
"$PY" - <<'PYEOF'
import csv
rows = {r["account_id"]: r for r in csv.DictReader(open("out/csv/accounts.csv", encoding="utf-8-sig"))}
assert rows["K1"]["name"] == "ООО Ромашка", rows["K1"]
assert rows["K1"]["rev12"] == "1234.50", rows["K1"]
assert rows["K2"]["rev12"] == "190.00", rows["K2"]
assert rows["K1"]["owner"] == "Иванов"
PYEOF

# over the limit: transactions 4 of 206 (1.94 %) is fine at 0.05, not at
# 0.01; accounts 1 of 153 (0.65 %) stays within it
sed -i 's/^end_marker = .*/&\nmax_reject_share = 0.01/' config.ini
rm -rf out
set +e
"$SF" run -q -c config.ini --out out 2> err.txt
rc=$?
set -e
[ "$rc" -eq 3 ] || { echo "exit $rc, want 3"; cat err.txt; exit 1; }
grep -q 'transactions.csv: 4 of 206 records rejected (1.94%), more than max_reject_share 1.00%' err.txt
! grep -q 'accounts.csv: ' err.txt || { cat err.txt; exit 1; }
[ -f out/csv/rejects.csv ]
[ ! -e out/csv/accounts.csv ]
tail -c +4 out/csv/rejects.csv | tr -d '\r' > got.csv
diff -u want.csv got.csv

# a missing required column stops at once
sed -i 's/^date = Дата/date = Datum/' config.ini
set +e
"$SF" run -q -c config.ini --out out2 2> err.txt
rc=$?
set -e
[ "$rc" -eq 3 ] || { echo "exit $rc, want 3"; cat err.txt; exit 1; }
grep -q "transactions.csv: missing required column for 'date': looked for header 'Datum'; found: 'Клиент', 'Дата', 'Сумма'" err.txt || { cat err.txt; exit 1; }
echo ok
