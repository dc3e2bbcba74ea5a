#!/usr/bin/env bash
# contrib/warehouse/ (docs/scale.md): the SQL that sums transactions per
# account and day and counts activities per account, day, type, owner and
# outcome, run as it is in SQLite (the sqlite3 CLI) over a generated book
# with the cases aggregation must keep: duplicate invoice ids (the first
# kept), a day with a positive and a negative invoice (a purchase day whose
# sum is negative), a day of several invoices, invoices in another currency
# on one day, activities with and without a duration. salesfocus reads the
# aggregated files (the purchases and count columns) and writes every list
# exactly as from the raw exports; only rejects.csv differs (the duplicates
# never reach it: the warehouse removed them).
set -euo pipefail
: "${SF:?}" "${TMP:?}" "${ROOT:?}"
[ -x "${SFGEN:-}" ] || { echo "no sample generator (\$SFGEN)"; exit 1; }
command -v sqlite3 >/dev/null || { echo "no sqlite3 CLI"; exit 1; }
cd "$TMP"

"$SFGEN" --out raw --accounts 400 --transactions 12000 --activities 8000 --opportunities 300 \
    --seed 77 --as-of 2025-06-30 >/dev/null
# the cases, on accounts the book has
{
    echo "DUP-1,C000007,2025-03-03,100.00,30.00,GBP"
    echo "DUP-1,C000007,2025-03-04,999.00,300.00,GBP"          # same id: rejected, never summed
    echo "PN-1,C000011,2025-04-10,100.00,30.00,GBP"
    echo "PN-2,C000011,2025-04-10,-150.00,-45.00,GBP"          # the day sums to -50, a purchase all the same
    echo "FX-1,C000012,2025-05-05,10.01,3.00,USD"
    echo "FX-2,C000012,2025-05-05,10.01,3.00,USD"              # each converted and rounded on its own
    echo "FX-3,C000012,2025-05-05,0.01,0.00,USD"
    echo ",C000013,2025-05-06,40.00,12.00,GBP"                 # no id: never a duplicate
    echo ",C000013,2025-05-06,40.00,12.00,GBP"
} >>raw/transactions.csv
{
    echo "C000011,2025-06-02,call,,conversation,"
    echo "C000011,2025-06-02,call,,conversation,"
    echo "C000011,2025-06-02,call,,conversation,7"
    echo "C000011,2025-06-02,call,,conversation,0"
    echo "C000011,2025-06-02,visit,,appointment,90"
    echo "C000011,2025-06-02,visit,,appointment,30"
} >>raw/activities.csv
grep -q '^margin\|,margin,' raw/transactions.csv || { echo "generated transactions have no margin column"; exit 1; }
head -1 raw/transactions.csv | grep -qx 'transaction_id,account_id,date,amount,margin,currency'
head -1 raw/activities.csv | grep -qx 'account_id,date,type,owner,outcome,duration_min'
# every generated invoice gives its margin: the one thing aggregation
# cannot keep exact is amount x gross_margin rounded per invoice
! awk -F, 'NR > 1 && $5 == ""' raw/transactions.csv | grep -q .

cat >>raw/config.ini <<'INI'

[outputs]
csv = yes
xlsx = no
pdf = no
email = no

[history]
enabled = no
INI

"$SF" run -q -c raw/config.ini --out out-raw

# The warehouse: the exports loaded as they are (text), the two views the
# SQL reads (the per-engine part: here SQLite's types), then the SQL.
mkdir agg
cp raw/accounts.csv raw/opportunities.csv agg/
sqlite3 wh.db <<SQL
.import --csv raw/transactions.csv raw_tx
.import --csv raw/activities.csv raw_act
CREATE VIEW sf_transactions AS
  SELECT transaction_id, account_id, date, CAST(amount AS REAL) AS amount,
         CASE WHEN margin = '' THEN NULL ELSE CAST(margin AS REAL) END AS margin,
         currency, rowid AS line
  FROM raw_tx;
CREATE VIEW sf_activities AS
  SELECT account_id, date, type, owner, outcome,
         CASE WHEN duration_min = '' THEN NULL ELSE CAST(duration_min AS INTEGER) END AS duration_min
  FROM raw_act;
.headers on
.mode csv
.output agg/transactions.csv
.read $ROOT/contrib/warehouse/transactions_by_day.sql
.output agg/activities.csv
.read $ROOT/contrib/warehouse/activities_by_day.sql
.output stdout
SQL
# (sqlite3's CSV lines end in CRLF, which salesfocus reads as any export's;
# the checks below read them without the CR)
tr -d '\r' <agg/transactions.csv >tx.txt
tr -d '\r' <agg/activities.csv >act.txt
head -1 tx.txt | grep -qx 'account_id,date,currency,amount,margin,purchases'
head -1 act.txt | grep -qx 'account_id,date,type,owner,outcome,duration_min,count'
# it did aggregate
raw_tx=$(wc -l <raw/transactions.csv); agg_tx=$(wc -l <agg/transactions.csv)
raw_act=$(wc -l <raw/activities.csv); agg_act=$(wc -l <agg/activities.csv)
[ "$agg_tx" -lt "$raw_tx" ] || { echo "transactions not aggregated: $agg_tx of $raw_tx"; exit 1; }
[ "$agg_act" -lt "$raw_act" ] || { echo "activities not aggregated: $agg_act of $raw_act"; exit 1; }
# the cases as the warehouse wrote them
grep -qx 'C000007,2025-03-03,GBP,100.0,30.0,' tx.txt
! grep -q '^C000007,2025-03-04,' tx.txt
grep -qx 'C000011,2025-04-10,GBP,-50.0,-15.0,1' tx.txt
[ "$(grep -c '^C000012,2025-05-05,USD,' tx.txt)" -eq 3 ]
grep -qx 'C000013,2025-05-06,GBP,80.0,24.0,2' tx.txt
grep -qx 'C000011,2025-06-02,call,"",conversation,7,1' act.txt
grep -qx 'C000011,2025-06-02,call,"",conversation,,3' act.txt
grep -qx 'C000011,2025-06-02,visit,"",appointment,120,2' act.txt

sed 's|^transactions = .*|transactions = ../agg/transactions.csv|; s|^activities = .*|activities = ../agg/activities.csv|' \
    raw/config.ini >raw/agg.ini
rm -rf out-agg
"$SF" run -q -c raw/agg.ini --out out-agg

n=0
for f in out-raw/csv/*.csv; do
    b=$(basename "$f")
    [ "$b" = rejects.csv ] && continue
    [ -f "out-agg/csv/$b" ] || { echo "aggregated run wrote no $b"; exit 1; }
    cmp -s "$f" "out-agg/csv/$b" || { echo "$b differs:"; diff "$f" "out-agg/csv/$b" | head -20; exit 1; }
    n=$((n + 1))
done
[ "$n" -ge 10 ] || { echo "only $n lists compared"; exit 1; }
# the raw run rejected the duplicate; the aggregated files have none to reject
grep -q 'duplicate_id' out-raw/csv/rejects.csv
! grep -q 'duplicate_id' out-agg/csv/rejects.csv
# the purchase day whose sum is negative still counts: C000011's reorder row
# and explanations match the raw run's (compared above); and without the
# purchases column that day would be lost: check it is there in the lists
grep -q 'C000011' out-agg/csv/accounts.csv
echo "$n lists identical"
