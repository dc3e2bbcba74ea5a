#!/usr/bin/env bash
# A consistent read: every input is opened once and both threads of a
# split transactions file read that one descriptor. An LD_PRELOAD shim
# (tests/shim/readhook.c) changes the file just before its first read:
# - a new export renamed over it: the run reads the file it opened, whole
#   (its lists equal a run on that file alone; before, the second thread
#   opened the path again and read the tail of the new file: a revenue
#   figure that belonged to neither);
# - cut short, grown, or rewritten in place (same size): an input error
#   (exit 3) naming the file, nothing written.
set -euo pipefail
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
cc -shared -fPIC -O1 -o "$TMP/readhook.so" "$ROOT/tests/shim/readhook.c" -ldl
D="$TMP/d"
mkdir -p "$D"
"$PY" - "$D" <<'PYEOF'
import random, sys
d = sys.argv[1]
rnd = random.Random(7)
with open(f"{d}/accounts.csv", "w") as f:
    f.write("account_id,name,owner,industry,employees\n")
    for i in range(1, 61):
        f.write(f"A{i:03},Client {i},Rep {i % 4},Retail,{10 + i}\n")
rows = []
for i in range(6000):
    rows.append((f"T{i:05}", f"A{rnd.randint(1, 60):03}",
                 f"{rnd.choice([2024, 2025])}-{rnd.randint(1, 6):02}-{rnd.randint(1, 28):02}",
                 rnd.randint(100, 90000)))
for name, factor in (("transactions.csv", 1), ("other.csv", 7)):
    with open(f"{d}/{name}", "w") as f:
        f.write("transaction_id,account_id,date,amount\n")
        for t, a, day, cents in rows:
            f.write(f"{t},{a},{day},{cents * factor / 100:.2f}\n")
PYEOF
printf '[run]\nas_of = 2025-06-30\n[input]\naccounts = accounts.csv\ntransactions = transactions.csv\n[outputs]\npdf = no\nxlsx = no\n' >"$D/cfg.ini"
cp "$D/transactions.csv" "$D/transactions.orig"
cp "$D/other.csv" "$D/other.orig"
export SF_SPLIT_MIN=1

# the reference: the original file, read alone
"$SF" run -q -c "$D/cfg.ini" --out "$TMP/ref"

reset() { cp "$D/transactions.orig" "$D/transactions.csv"; cp "$D/other.orig" "$D/other.csv"; touch -d 2020-01-01 "$D/transactions.csv"; }
hooked() { # action, then salesfocus arguments
    local act=$1
    shift
    LD_PRELOAD="$TMP/readhook.so" SHIM_PATH="$(readlink -f "$D/transactions.csv")" SHIM_ACTION="$act" "$SF" "$@"
}

# a new export renamed over the file while it is read
reset
SF_TIMINGS=1 hooked "rename:$D/other.csv" run -q -c "$D/cfg.ini" --out "$TMP/renamed" 2>"$TMP/err"
grep -q "split at byte .*tail read in parallel" "$TMP/err" || { cat "$TMP/err"; exit 1; }
cmp "$D/transactions.csv" "$D/other.orig" # it was replaced, mid-read
for f in "$TMP"/ref/csv/*.csv; do
    cmp "$f" "$TMP/renamed/csv/$(basename "$f")"
done

# the same with XLSX exports (the zip is opened through /proc/self/fd, the
# file opened once): a new workbook renamed over the file mid-read is not
# mixed in
"$PY" - "$D" <<'PYEOF'
import csv, sys, openpyxl
d = sys.argv[1]
for src, dst in (("transactions.orig", "tx.xlsx.orig"), ("other.orig", "other.xlsx.orig")):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in csv.reader(open(f"{d}/{src}")):
        ws.append(row)
    wb.save(f"{d}/{dst}")
PYEOF
sed 's/^transactions = transactions.csv$/transactions = tx.xlsx/' "$D/cfg.ini" >"$D/xlsx.ini"
cp "$D/tx.xlsx.orig" "$D/tx.xlsx"
"$SF" run -q -c "$D/xlsx.ini" --out "$TMP/xref"
cp "$D/tx.xlsx.orig" "$D/tx.xlsx"
cp "$D/other.xlsx.orig" "$D/other.xlsx"
LD_PRELOAD="$TMP/readhook.so" SHIM_PATH="$(readlink -f "$D/tx.xlsx")" SHIM_ACTION="rename:$D/other.xlsx" \
    "$SF" run -q -c "$D/xlsx.ini" --out "$TMP/xrenamed"
cmp "$D/tx.xlsx" "$D/other.xlsx.orig" # it was replaced, mid-read
for f in "$TMP"/xref/csv/*.csv; do
    cmp "$f" "$TMP/xrenamed/csv/$(basename "$f")"
done

# changed in place: cut short, grown, rewritten at the same size
size=$(stat -c %s "$D/transactions.orig")
for act in "truncate:$((size / 2))" "truncate:0" "append:T99999,A001,2025-01-01,5.00
" "rewrite:transaction_id,account_id,date,amount
T00000,A001,2025-01-01,99"; do
    reset
    rc=0
    hooked "$act" run -q -c "$D/cfg.ini" --out "$TMP/changed" 2>"$TMP/err" || rc=$?
    [ "$rc" -eq 3 ] || { echo "$act: exit $rc"; cat "$TMP/err"; exit 1; }
    grep -q "transactions.csv: the file \(changed\|became shorter\) while it was read" "$TMP/err" ||
        { echo "$act:"; cat "$TMP/err"; exit 1; }
    [ ! -e "$TMP/changed" ]
    # and check says so as well
    reset
    rc=0
    hooked "$act" check -c "$D/cfg.ini" >/dev/null 2>"$TMP/err" || rc=$?
    [ "$rc" -eq 3 ]
done
echo ok
