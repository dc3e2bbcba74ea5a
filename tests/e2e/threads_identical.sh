#!/usr/bin/env bash
# Using both cores changes nothing: the activities file and the tail of the
# transactions file are read on a second thread (SF_SPLIT_MIN=1 splits even
# this small file), the workbook is written on its own thread, and the
# outputs are byte-identical to a single-threaded run (SF_THREADS=1).
set -euo pipefail
"$SFGEN" --out "$TMP/in" --accounts 3000 --transactions 40000 --activities 20000 \
    --opportunities 1500 --seed 7 --as-of 2025-06-30 --bad 12 >/dev/null
SF_SPLIT_MIN=1 SF_TIMINGS=1 "$SF" run -q -c "$TMP/in/config.ini" --out "$TMP/par" 2>"$TMP/par.stderr"
grep -q "split at byte .*tail read in parallel" "$TMP/par.stderr" || { cat "$TMP/par.stderr"; exit 1; }
SF_THREADS=1 "$SF" run -q -c "$TMP/in/config.ini" --out "$TMP/seq"
for f in $("$SF" lists | cut -f1 | sed 's|^|csv/|') workbook.xlsx report.pdf; do
    [ -s "$TMP/par/$f" ] || { echo "missing $f"; exit 1; }
    cmp "$TMP/par/$f" "$TMP/seq/$f" || { echo "$f differs between parallel and single-threaded runs"; exit 1; }
done
# the rejects really came from both parallel files
grep -q '^activities.csv,' "$TMP/par/csv/rejects.csv" || grep -q '^transactions.csv,' "$TMP/par/csv/rejects.csv"
echo ok
