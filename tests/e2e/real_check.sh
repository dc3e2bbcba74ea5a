#!/usr/bin/env bash
# `check` leads to the fix: a missing column names the closest headers of
# the file; two headers that differ only in case from the one looked for
# are named as ambiguous; each reject reason shows its first three bad
# values with their lines (kept lines too); `check --rejects FILE` writes
# the list it describes even when the reject limit stops the run; a
# [columns.KIND.FILE] section that names no file of that kind, and a
# pattern that matches none, are errors naming the config line.
set -euo pipefail
. "$ROOT/tests/e2e/real_lib.sh"
D="$TMP/c"
mkdir -p "$D"
printf 'account_id,Transaction Date,amount\nA,2025-01-02,10\n' >"$D/tx.csv"
cat >"$D/config.ini" <<'INI'
[run]
as_of = 2025-06-30
[input]
transactions = tx.csv
INI
set +e
"$SF" check -c "$D/config.ini" >"$D/out.txt" 2>"$D/err.txt"
rc=$?
set -e
[ "$rc" = 3 ] || { echo "missing column: exit $rc"; cat "$D/err.txt"; exit 1; }
need "$D/err.txt" "tx.csv: missing required column for 'date': looked for header 'date'; found: 'account_id', 'Transaction Date', 'amount'"
cat >>"$D/config.ini" <<'INI'
[columns.transactions]
date = Transaction Dat
INI
set +e
"$SF" check -c "$D/config.ini" >"$D/out.txt" 2>"$D/err.txt"
set -e
need "$D/err.txt" "looked for header 'Transaction Dat'; found: 'account_id', 'Transaction Date', 'amount'; closest: 'Transaction Date'"

# case, blanks and a trailing '*' are ignored when nothing matches exactly,
# unless two different headers would match
printf 'account_id,DATE *, date ,amount\nA,2025-01-02,2025-01-03,10\n' >"$D/tx.csv"
sed -i 's/^date = Transaction Dat$/date = Date/' "$D/config.ini"
set +e
"$SF" check -c "$D/config.ini" >"$D/out.txt" 2>"$D/err.txt"
set -e
need "$D/err.txt" "looked for header 'Date'; found: 'account_id', 'DATE *', 'date', 'amount'; headers 'DATE *' and 'date' both match it but for case, blanks or '*'"
printf 'account_id,DATE *,amount\nA,2025-01-02,10\n' >"$D/tx.csv"
"$SF" check -c "$D/config.ini" >"$D/out.txt"
need "$D/out.txt" 'date             <- "DATE *"'

# the first three bad values of each reason, with their lines; kept too
cat >"$D/tx.csv" <<'CSV'
account_id,DATE *,amount,margin
A,2025-01-02,10,
A,2025-13-02,10,
A,2025-01-02,ten,
A,31.01.2025,10,
A,2025-01-05,11,x1
A,2025-02-30,10,
A,2025-01-06,12,
A,2025-01-07,13,
CSV
"$SF" check -c "$D/config.ini" --rejects "$D/rejects.csv" >"$D/out.txt" 2>"$D/err.txt" || true
need "$D/out.txt" "rejected by reason: bad_date 3, bad_number 1"
need "$D/out.txt" "e.g. bad_date: line 3 date '2025-13-02'; line 5 date '31.01.2025'; line 7 date '2025-02-30'"
need "$D/out.txt" "e.g. bad_number: line 4 amount 'ten'"
need "$D/out.txt" "kept with a field emptied: bad_number 1"
need "$D/out.txt" "e.g. bad_number: line 6 margin 'x1'"
need "$D/out.txt" "check: too many rejected records"
# the list check describes, in rejects.csv's columns and order
"$PY" - "$D/rejects.csv" <<'PYEOF'
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
assert rows[0] == ["file", "line", "reason", "field", "action", "raw"], rows[0]
got = [(r[0], r[1], r[2], r[3], r[4]) for r in rows[1:]]
want = [("tx.csv", "3", "bad_date", "date", "rejected"), ("tx.csv", "4", "bad_number", "amount", "rejected"),
        ("tx.csv", "5", "bad_date", "date", "rejected"), ("tx.csv", "6", "bad_number", "margin", "kept"),
        ("tx.csv", "7", "bad_date", "date", "rejected")]
assert got == want, got
print("rejects list ok")
PYEOF

# several files of a kind: a file's own mapping; a section for no file is an error
printf 'account_id,date,amount\nA,2025-01-02,10\n' >"$D/a.csv"
printf 'Client,Day,Sum\nB,2025-01-03,20\n' >"$D/b.csv"
cat >"$D/multi.ini" <<'INI'
[run]
as_of = 2025-06-30
[input]
transactions = a.csv, b.csv
[columns.transactions.b.csv]
account_id = Client
date = Day
amount = Sum
INI
"$SF" check -c "$D/multi.ini" >"$D/out.txt"
need "$D/out.txt" "transactions: 2 files"
need "$D/out.txt" 'account_id       <- "Client"'
need "$D/out.txt" "records: read 2, accepted 2, rejected 0"
printf '[columns.transactions.c.csv]\naccount_id = Client\n' >>"$D/multi.ini"
set +e
"$SF" check -c "$D/multi.ini" >"$D/out.txt" 2>"$D/err.txt"
rc=$?
set -e
[ "$rc" = 2 ] || { echo "section for no file: exit $rc"; exit 1; }
need "$D/err.txt" "multi.ini:10: [columns.transactions.c.csv]: no transactions file is named 'c.csv' (files: 'a.csv', 'b.csv')"
printf '[run]\nas_of = 2025-06-30\n[input]\ntransactions = inv-*.csv\n' >"$D/glob.ini"
set +e
"$SF" check -c "$D/glob.ini" >"$D/out.txt" 2>"$D/err.txt"
rc=$?
set -e
[ "$rc" = 3 ] || { echo "pattern without a match: exit $rc"; exit 1; }
need "$D/err.txt" "glob.ini:4: [input] transactions: no file matches '$D/inv-*.csv'"
# an empty alternative is a config error
printf '[input]\ntransactions = a.csv\n[columns.transactions]\naccount_id = A | | B\n' >"$D/alt.ini"
set +e
"$SF" check -c "$D/alt.ini" >"$D/out.txt" 2>"$D/err.txt"
rc=$?
set -e
[ "$rc" = 2 ] || { echo "empty alternative: exit $rc"; exit 1; }
need "$D/err.txt" "alt.ini:4: [columns.transactions] account_id: 'A | | B' has an empty alternative"
