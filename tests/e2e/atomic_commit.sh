#!/usr/bin/env bash
# All-or-nothing outputs (docs/scheduling.md, "Files appear all at once"):
# after a failure or a kill at ANY point, the output folder holds exactly
# the previous run's files or exactly the new run's, never a mix.
#
# An LD_PRELOAD shim (tests/shim/fault.c) counts the run's file-system
# calls that change folders (rename*, link*, unlink*, mkdir*, rmdir,
# symlinkat) and SIGKILLs the run at the Nth, for every N until the run
# completes; then a failing rename; then with renameat2 unsupported (the
# fallback of two renames). After each kill the folder must equal run A
# (the previous one) or run B (the new one) file for file, and the next
# run sweeps what the killed one left (saying so in the log) and leaves
# nothing hidden behind. A file the runs do not write (notes.txt, a
# folder extra/) survives every switch.
set -euo pipefail
. "$ROOT/tests/py/email_lib.bash"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
cc -shared -fPIC -O1 -o "$TMP/fault.so" "$ROOT/tests/shim/fault.c" -ldl

write_config "$TMP/cfg.ini" "$(printf '[outputs]\nxlsx = no\n')"
# an input error found after the lock (a required column is missing): the
# run sweeps, then fails at ingest without touching the folder
sed 's/^transaction_id,account_id,date,amount/transaction_id,account,date,amount/' \
    "$MINI/transactions.csv" >"$TMP/bad_tx.csv"
sed "s|^transactions = .*|transactions = $TMP/bad_tx.csv|" "$TMP/cfg.ini" >"$TMP/bad.ini"

snap() { (cd "$1" && find . \( -type f -o -type l \) -printf '%p %m\n' | sort && find . -type f | sort | xargs sha256sum); }
# the previous run A, with files of the user's own beside its reports
"$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/A/out" --as-of 2025-06-30
echo "my notes" >"$TMP/A/out/notes.txt"
mkdir -p "$TMP/A/out/extra" && echo x >"$TMP/A/out/extra/x.txt"
snap "$TMP/A/out" >"$TMP/A.snap"
# the new run B, from A, without faults: the reference
cp -a "$TMP/A" "$TMP/B"
"$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/B/out" --as-of 2025-07-07
snap "$TMP/B/out" >"$TMP/B.snap"
! cmp -s "$TMP/A.snap" "$TMP/B.snap"
grep -q '^./notes.txt ' "$TMP/B.snap" && grep -q '^./extra/x.txt ' "$TMP/B.snap"

leftovers() { find "$1" -maxdepth 1 -name '.out.*'; find "$1/out" -name '.*.tmp-*' 2>/dev/null || true; }

# kill_points MODE: SIGKILL at the 1st, 2nd, ... counted call until the
# run completes. MODE "exchange" or "fallback" (renameat2 refused).
kill_points() {
    local mode=$1 n=0 rc state killed=0
    while :; do
        n=$((n + 1))
        rm -rf "$TMP/W" && cp -a "$TMP/A" "$TMP/W"
        rc=0
        { env LD_PRELOAD="$TMP/fault.so" SHIM_KILL_AT=$n \
            ${FALLBACK:+SHIM_FAIL=renameat2:22} \
            "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/W/out" --as-of 2025-07-07 2>"$TMP/kill.err"; } 2>/dev/null || rc=$?
        if [ "$rc" -eq 0 ]; then
            snap "$TMP/W/out" | cmp - "$TMP/B.snap"
            [ -z "$(leftovers "$TMP/W")" ] || { echo "$mode: leftovers after a clean run"; leftovers "$TMP/W"; return 1; }
            break
        fi
        [ "$rc" -eq 137 ] || { echo "$mode kill at $n: exit $rc"; cat "$TMP/kill.err"; return 1; }
        killed=$((killed + 1))
        # right after the kill: A, B, or (fallback, between its two renames)
        # no folder, with the previous one aside
        if [ -d "$TMP/W/out" ]; then
            state=$(snap "$TMP/W/out")
            if [ "$state" != "$(cat "$TMP/A.snap")" ] && [ "$state" != "$(cat "$TMP/B.snap")" ]; then
                echo "$mode kill at $n: the folder is a mix of two runs"
                diff <(echo "$state") "$TMP/A.snap" | head -20
                return 1
            fi
        else
            [ -n "$FALLBACK" ] || { echo "$mode kill at $n: no output folder"; return 1; }
        fi
        # the next run (which fails at its input) sweeps and restores
        local had; had=$(leftovers "$TMP/W")
        rc=0
        "$SF" run -q -c "$TMP/bad.ini" --out "$TMP/W/out" --as-of 2025-07-07 2>"$TMP/sweep.err" || rc=$?
        [ "$rc" -eq 3 ] || { echo "$mode kill at $n: sweeping run exit $rc"; cat "$TMP/sweep.err"; return 1; }
        state=$(snap "$TMP/W/out")
        if [ "$state" != "$(cat "$TMP/A.snap")" ] && [ "$state" != "$(cat "$TMP/B.snap")" ]; then
            echo "$mode kill at $n: after the sweep the folder is neither run's"
            return 1
        fi
        [ -z "$(leftovers "$TMP/W")" ] || { echo "$mode kill at $n: left behind:"; leftovers "$TMP/W"; return 1; }
        if [ -n "$had" ]; then
            grep -q 'notice: an earlier run was killed: ' "$TMP/sweep.err" ||
                { echo "$mode kill at $n: the sweep was not logged"; cat "$TMP/sweep.err"; return 1; }
        fi
    done
    echo "$mode: $killed kill points, each left run A or run B"
    [ "$killed" -ge 10 ]
}

FALLBACK= kill_points exchange
FALLBACK=1 kill_points fallback

# a rename that fails: exit 4, the folder exactly as before (at the
# latest once the next run swept: with every rename failing, the fallback
# cannot even rename the previous folder back), nothing left behind
for call in renameat2 mkdir renameat2:22,rename; do
    rm -rf "$TMP/W" && cp -a "$TMP/A" "$TMP/W"
    rc=0
    LD_PRELOAD="$TMP/fault.so" SHIM_FAIL=$call "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/W/out" \
        --as-of 2025-07-07 2>"$TMP/err" || rc=$?
    [ "$rc" -eq 4 ] || { echo "failing $call: exit $rc"; cat "$TMP/err"; exit 1; }
    if [ "$call" = renameat2 ]; then
        grep -q "salesfocus: error: $TMP/W/out: cannot exchange the new folder with the previous one" "$TMP/err"
        snap "$TMP/W/out" | cmp - "$TMP/A.snap"
        [ -z "$(leftovers "$TMP/W")" ]
    fi
    rc=0
    "$SF" run -q -c "$TMP/bad.ini" --out "$TMP/W/out" --as-of 2025-07-07 2>"$TMP/sweep.err" || rc=$?
    [ "$rc" -eq 3 ]
    snap "$TMP/W/out" | cmp - "$TMP/A.snap"
    [ -z "$(leftovers "$TMP/W")" ]
done

# the previous report.pdf became a folder: refused before anything moves
rm -rf "$TMP/W" && cp -a "$TMP/A" "$TMP/W"
rm "$TMP/W/out/report.pdf" && mkdir "$TMP/W/out/report.pdf" && echo keep >"$TMP/W/out/report.pdf/mine"
snap "$TMP/W/out" >"$TMP/W.snap"
expect_exit 4 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/W/out" --as-of 2025-07-07
grep -q "report.pdf: is a folder where the run writes a file; nothing was replaced" "$TMP/err"
snap "$TMP/W/out" | cmp - "$TMP/W.snap"
[ -z "$(leftovers "$TMP/W")" ]

# a FIFO in the output folder cannot be carried over: refused, unchanged
rm -rf "$TMP/W" && cp -a "$TMP/A" "$TMP/W"
mkfifo "$TMP/W/out/pipe"
expect_exit 4 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/W/out" --as-of 2025-07-07
grep -q "pipe: a special file" "$TMP/err"
[ -p "$TMP/W/out/pipe" ]

# an output folder given as a symbolic link: its target is replaced, the
# link stays
rm -rf "$TMP/W" && cp -a "$TMP/A" "$TMP/W" && mv "$TMP/W/out" "$TMP/W/real" && ln -s real "$TMP/W/out"
"$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/W/out" --as-of 2025-07-07
[ -L "$TMP/W/out" ] && snap "$TMP/W/real" | cmp - "$TMP/B.snap"

# temporaries of an older version's killed run (".NAME.tmp-PID-N") are
# swept too; a live process's are left alone
rm -rf "$TMP/W" && cp -a "$TMP/A" "$TMP/W"
sleep 30 & live=$!
dead=$(sh -c 'echo $$')
touch "$TMP/W/out/.report.pdf.tmp-$dead-0" "$TMP/W/out/csv/.accounts.csv.tmp-$dead-3" \
    "$TMP/W/out/.report.pdf.tmp-$live-0"
"$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/W/out" --as-of 2025-07-07 2>"$TMP/err"
grep -q "removed the temporary file of a dead run .*/.report.pdf.tmp-$dead-0" "$TMP/err"
[ ! -e "$TMP/W/out/.report.pdf.tmp-$dead-0" ] && [ ! -e "$TMP/W/out/csv/.accounts.csv.tmp-$dead-3" ]
[ -e "$TMP/W/out/.report.pdf.tmp-$live-0" ]
kill $live
echo ok
