#!/usr/bin/env bash
# A run that cannot finish writing (a file size limit makes a write fail
# with EFBIG part-way) exits 4 and leaves the previous run's report.pdf,
# workbook.xlsx and CSV lists byte-identical, with no temporary files left.
# Each writer is tried in turn: the PDF, the workbook, the CSV lists, and
# explain.csv alone (written on its own thread).
set -euo pipefail
. "$ROOT/tests/py/email_lib.bash"

# try NAME TARGET OUTPUTS_INI: a good run with every output, then a run
# with OUTPUTS_INI under a limit of half of TARGET's size.
try() {
    local name=$1 target=$2 outputs=$3 rc=0
    # the history store off: under the limit it could not grow either, and
    # the run would fail there before the writer under test is reached
    local nohist
    nohist=$(printf '[history]\nenabled = no\n')
    echo "-- $name"
    rm -rf "$TMP/out"
    write_config "$TMP/cfg.ini" "$nohist"
    "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
    [ -f "$TMP/out/report.pdf" ] && [ -f "$TMP/out/workbook.xlsx" ] && [ -f "$TMP/out/csv/accounts.csv" ]
    (cd "$TMP/out" && find . -type f | sort | xargs sha256sum) >"$TMP/before.sha"

    # ulimit -f counts KiB; SIGXFSZ is ignored so that the write returns
    # EFBIG instead of killing the process
    local limit=$(( $(stat -c %s "$TMP/out/$target") / 1024 / 2 ))
    [ "$limit" -ge 1 ] || limit=1
    write_config "$TMP/cfg.ini" "$outputs
$nohist"
    (
        trap '' XFSZ
        ulimit -f "$limit"
        exec "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out" --as-of 2025-07-07
    ) 2>"$TMP/err" || rc=$?
    cat "$TMP/err"
    [ "$rc" -eq 4 ] || { echo "$name: expected exit 4, got $rc"; return 1; }
    # the failure is the writer's: the error names the file
    grep -q "$(basename "$target")" "$TMP/err" || { echo "$name: the error does not name $target"; return 1; }
    # every file as before, nothing added, nothing left behind
    (cd "$TMP/out" && sha256sum -c --quiet "$TMP/before.sha")
    (cd "$TMP/out" && find . -type f | sort | xargs sha256sum) | cmp - "$TMP/before.sha"
    [ -z "$(find "$TMP/out" -name '*.tmp*')" ]
}

try pdf report.pdf "$(printf '[outputs]\nxlsx = no\ncsv = no\n')"
try xlsx workbook.xlsx "$(printf '[outputs]\npdf = no\n')"
try csv csv/accounts.csv "$(printf '[outputs]\npdf = no\nxlsx = no\n')"

# explain.csv is written on a thread of its own beside the other lists: a
# limit that only it exceeds (every other list is under half its size)
# fails that thread's write, and the run fails as a whole all the same,
# naming the file; with one thread, the same
for threads in 2 1; do
    [ "$(stat -c %s "$TMP/out/csv/accounts.csv")" -lt "$(( $(stat -c %s "$TMP/out/csv/explain.csv") / 2 ))" ]
    SF_THREADS=$threads try "explain, SF_THREADS=$threads" csv/explain.csv "$(printf '[outputs]\npdf = no\nxlsx = no\n')"
done

# without the limit the same run succeeds and replaces the files
"$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out" --as-of 2025-07-07
refute sh -c "cd '$TMP/out' && sha256sum -c --quiet '$TMP/before.sha' >/dev/null 2>&1"
[ -z "$(find "$TMP/out" -name '*.tmp*')" ]
echo ok
