#!/usr/bin/env bash
# The second core reads the tail of a large transactions file (ingest.c,
# "two readers"). Whatever the tail holds, the outputs must be those of a
# single reader: SF_SPLIT_MIN=1 splits even these small files, and each case
# is compared byte for byte (lists, rejects, run summary) with SF_THREADS=1.
# The cases put at the split point what a blind split gets wrong: a quoted
# field whose line breaks straddle it, a transaction id seen before it, the
# footer marker before it, CRLF line ends, rejects on both sides.
set -euo pipefail
mk() { # case-name: writes $TMP/<case>/ inputs with the python generator below
    "$PY" - "$TMP/$1" "$1" <<'PYEOF'
import os, sys, random
d, case = sys.argv[1], sys.argv[2]
os.makedirs(d, exist_ok=True)
rnd = random.Random(11)
nl = "\r\n" if case == "crlf" else "\n"
with open(f"{d}/accounts.csv", "w", newline="") as f:
    f.write("account_id,name,owner,industry,employees" + nl)
    for i in range(1, 61):
        f.write(f"A{i:03},Client {i},Rep {i % 4},Retail,{10 + i}" + nl)
rows = []
for i in range(4000):
    acc = f"A{rnd.randint(1, 60):03}"
    day = rnd.randint(1, 28)
    mon = rnd.randint(1, 12)
    year = rnd.choice([2023, 2024, 2025])
    amt = f"{rnd.randint(-2000, 90000) / 100:.2f}"
    rows.append([f"T{i:05}", acc, f"{year}-{mon:02}-{day:02}", amt, "ok"])
# rejects on both sides of the middle
for k in (100, 1500, 2500, 3900):
    rows[k][2] = "2024-02-30"
    rows[k + 1][1] = "NOPE"
    rows[k + 2][0] = rows[k - 50][0]          # a duplicate on the same side
if case == "quoted":
    # a note with line breaks around the middle of the file
    rows[2000][4] = '"' + "line\n" * 400 + 'end"'
if case == "dupcross":
    rows[3500][0] = rows[3][0]                # the tail repeats a head id
if case == "footer":
    rows[1000][0] = "TOTAL"                   # end_marker in the head
with open(f"{d}/transactions.csv", "w", newline="") as f:
    f.write("transaction_id,account_id,date,amount,note" + nl)
    for r in rows:
        f.write(",".join(r) + nl)
with open(f"{d}/config.ini", "w") as f:
    f.write("[run]\nas_of = 2025-06-30\ncurrency = EUR\n\n[input]\n"
            "accounts = accounts.csv\ntransactions = transactions.csv\nmax_reject_share = 0.5\n")
    if case == "footer":
        f.write("end_marker = TOTAL\n")
PYEOF
}
for c in plain quoted dupcross footer crlf; do
    mk "$c"
    for mode in split seq; do
        rm -rf "$TMP/$c/out"
        if [ $mode = split ]; then
            SF_SPLIT_MIN=1 SF_TIMINGS=1 "$SF" run -c "$TMP/$c/config.ini" --out "$TMP/$c/out" \
                >"$TMP/$c/$mode.stdout" 2>"$TMP/$c/$mode.stderr"
        else
            SF_THREADS=1 "$SF" run -c "$TMP/$c/config.ini" --out "$TMP/$c/out" \
                >"$TMP/$c/$mode.stdout" 2>"$TMP/$c/$mode.stderr"
        fi
        mv "$TMP/$c/out" "$TMP/$c/$mode"
    done
    for f in accounts.csv decline_alerts.csv fire_candidates.csv rejects.csv; do
        cmp "$TMP/$c/split/csv/$f" "$TMP/$c/seq/csv/$f" ||
            { echo "$c: $f differs between split and single-threaded reads"; exit 1; }
    done
    cmp "$TMP/$c/split.stdout" "$TMP/$c/seq.stdout" || { echo "$c: run summary differs"; exit 1; }
    # the split really happened, and the tail was used only where it may be
    grep -q '^ingest: transactions.csv split at byte' "$TMP/$c/split.stderr" ||
        { echo "$c: no split"; cat "$TMP/$c/split.stderr"; exit 1; }
    case $c in
        plain|crlf) want="tail read in parallel" ;;
        *) want="tail read again" ;;
    esac
    grep -q "$want" "$TMP/$c/split.stderr" || { echo "$c: expected '$want'"; cat "$TMP/$c/split.stderr"; exit 1; }
done
# the rejects on the tail's side keep their true line numbers
grep -q '^transactions.csv,3903,unknown_account' "$TMP/plain/split/csv/rejects.csv" ||
    { echo "tail reject line wrong"; grep 3903 "$TMP/plain/split/csv/rejects.csv"; exit 1; }
grep -q '^transactions.csv,3502,duplicate_id' "$TMP/dupcross/split/csv/rejects.csv" ||
    { echo "cross duplicate not rejected"; exit 1; }
echo ok
