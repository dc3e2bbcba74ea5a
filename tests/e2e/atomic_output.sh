#!/usr/bin/env bash
# A run that cannot finish writing (a file size limit makes a write fail
# with EFBIG part-way) exits 4 and leaves the previous run's report.pdf,
# workbook.xlsx and CSV lists byte-identical, with no temporary files left.
# Each writer is tried in turn: the PDF, the workbook, the CSV lists.
set -euo pipefail
. "$ROOT/tests/py/email_lib.bash"

# try NAME TARGET OUTPUTS_INI: a good run with every output, then a run
# with OUTPUTS_INI under a limit of half of TARGET's size.
try() {
    local name=$1 target=$2 outputs=$3 rc=0
    echo "-- $name"
    rm -rf "$TMP/out"
    write_config "$TMP/cfg.ini"
    "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
    [ -f "$TMP/out/report.pdf" ] && [ -f "$TMP/out/workbook.xlsx" ] && [ -f "$TMP/out/csv/accounts.csv" ]
    (cd "$TMP/out" && find . -type f | sort | xargs sha256sum) >"$TMP/before.sha"

    # ulimit -f counts KiB; SIGXFSZ is ignored so that the write returns
    # EFBIG instead of killing the process
    local limit=$(( $(stat -c %s "$TMP/out/$target") / 1024 / 2 ))
    [ "$limit" -ge 1 ] || limit=1
    write_config "$TMP/cfg.ini" "$outputs"
    (
        trap '' XFSZ
        ulimit -f "$limit"
        exec "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out" --as-of 2025-07-07
    ) 2>"$TMP/err" || rc=$?
    cat "$TMP/err"
    [ "$rc" -eq 4 ] || { echo "$name: expected exit 4, got $rc"; return 1; }
    # every file as before, nothing added, nothing left behind
    (cd "$TMP/out" && sha256sum -c --quiet "$TMP/before.sha")
    (cd "$TMP/out" && find . -type f | sort | xargs sha256sum) | cmp - "$TMP/before.sha"
    [ -z "$(find "$TMP/out" -name '*.tmp*')" ]
}

try pdf report.pdf ""
try xlsx workbook.xlsx "$(printf '[outputs]\npdf = no\n')"
try csv csv/accounts.csv "$(printf '[outputs]\npdf = no\nxlsx = no\n')"

# without the limit the same run succeeds and replaces the files
"$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out" --as-of 2025-07-07
refute sh -c "cd '$TMP/out' && sha256sum -c --quiet '$TMP/before.sha' >/dev/null 2>&1"
[ -z "$(find "$TMP/out" -name '*.tmp*')" ]
echo ok
