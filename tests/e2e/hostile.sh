#!/usr/bin/env bash
# Hostile-input suite: every case under tests/hostile/cases/ is a folder with
# its inputs, an optional config.ini (else tests/hostile/default.ini), an
# optional gen.sh that builds large inputs at test time, and expect.sh (bash,
# sourced) saying what must happen:
#
#   EXIT="0"          allowed exit codes of `check`, "|"-separated ("0|3")
#   MSG="check: ok"   a substring of check's stdout+stderr
#   COUNTS=(transactions "read accepted rejected blank footer" ...)
#                     exact per-file counts, hand-computed
#   REJECTS=("transactions 3 bad_quote" ...)
#                     rows (file base name without .csv, line, reason) that
#                     rejects.csv must contain
#   RUN=1|0           also `run --out` (default: 1 when check exits 0)
#   RUN_EXIT="0"      allowed exit codes of run (default: EXIT)
#   CFG=path          config to use (relative to the case copy)
#   SHARE=path        $SALESFOCUS_SHARE for this case (relative to the copy)
#   ARGS=(...)        extra arguments for check and run
#   post() { ...; }   extra checks after run; $OUT is the output folder,
#                     $LOG the run's stdout+stderr
#   KNOWN_BUG="..."   an open bug (tests/hostile/regressions/): a failure is
#                     reported as KNOWN and does not fail the suite unless
#                     STRICT=1
#
# Whatever the case, every invocation must: exit 0, 2 or 3 (never a crash,
# exit >= 128, or a sanitizer's 1), finish within 60 s under a 4 GB address
# space limit, print a message, keep read = accepted + rejected + blank +
# footer for every file, and - after run - rejects.csv must hold exactly
# (rejected + kept) rows.
#
# Cases come from tests/hostile/cases/ and tests/hostile/regressions/ (the
# reproducers of bugs found by fuzzing or by this suite, dated and named).
# HOSTILE=pattern runs only the matching cases.
set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
SF=${SF:-$ROOT/build/salesfocus}
PY=${PY:-/usr/bin/python3}
TMP=${TMP:-$(mktemp -d)}
CASES="$ROOT/tests/hostile/cases"
export LC_ALL=C.UTF-8

[ -x "$SF" ] || { echo "hostile: no binary at $SF" >&2; exit 1; }
SF=$(readlink -f "$SF")
mkdir -p "$TMP"
TMP=$(readlink -f "$TMP")

# ASan needs terabytes of address space for its shadow memory; the address
# space limit is applied only when the binary starts under it.
VLIMIT=4194304
probe=$( (ulimit -v "$VLIMIT" && "$SF" --version >/dev/null 2>&1; echo $?) 2>/dev/null)
if [ "$probe" != 0 ]; then
    VLIMIT=unlimited
fi

fails=0
known=0
ncases=0
fail() { # case, message
    if [ -n "$KNOWN_BUG" ] && [ "${STRICT:-0}" != 1 ]; then
        echo "KNOWN $1: $2 [open bug: $KNOWN_BUG]"
        known=$((known + 1))
    else
        echo "FAIL $1: $2"
        fails=$((fails + 1))
    fi
}

# Run the binary with the limits; stdout+stderr to $2, exit code echoed.
run_sf() { # log, args...
    local log=$1
    shift
    local rc=0
    (ulimit -v "$VLIMIT"; exec timeout -k 5 60 "$SF" "$@") >"$log" 2>&1 || rc=$?
    echo "$rc"
}

allowed() { # code, "a|b|c"
    local c
    IFS='|' read -ra list <<<"$2"
    for c in "${list[@]}"; do [ "$c" = "$1" ] && return 0; done
    return 1
}

# Exit-code sanity shared by check and run: 124/137 = timeout, >= 128 =
# killed by a signal, 1 = sanitizer report or out of memory.
sane_exit() { # case, what, rc, log
    local rc=$3
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        fail "$1" "$2 did not finish within 60 s"
        return 1
    fi
    if [ "$rc" -ge 128 ] || [ "$rc" -eq 1 ]; then
        fail "$1" "$2 crashed or ran out of memory (exit $rc): $(tail -5 "$4" | cut -c1-300)"
        return 1
    fi
    if [ ! -s "$4" ]; then
        fail "$1" "$2 exited $rc without any message"
        return 1
    fi
    return 0
}

# Per-file counts from check's output: lines "KIND: PATH" then
# "  records: read N, accepted N, rejected N, blank N, footer N".
# Prints "KIND read acc rej blank footer kept" per file.
parse_counts() { # log
    "$PY" - "$1" <<'EOF'
import re, sys
kind = None
rows = {}
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.match(r"^(accounts|transactions|activities|opportunities): ", line)
    if m:
        kind = m.group(1)
        continue
    m = re.match(r"^\s+records: read (\d+), accepted (\d+), rejected (\d+), blank (\d+), footer (\d+)", line)
    if m and kind:
        rows[kind] = [int(x) for x in m.groups()] + [0]
    m = re.match(r"^\s+kept with a field emptied: (.*)$", line)
    if m and kind in rows:
        rows[kind][5] = sum(int(x.rsplit(" ", 1)[1]) for x in m.group(1).split(", "))
for k, v in rows.items():
    print(k, *v)
EOF
}

for dir in "$CASES"/*/ "$ROOT"/tests/hostile/regressions/*/; do
    [ -f "$dir/expect.sh" ] || continue
    name=$(basename "$dir")
    [ -n "${HOSTILE:-}" ] && [[ $name != *$HOSTILE* ]] && continue
    ncases=$((ncases + 1))
    work="$TMP/$name"
    rm -rf "$work"
    cp -R "$dir" "$work"
    EXIT="" MSG="" RUN="" RUN_EXIT="" CFG="config.ini" SHARE="" KNOWN_BUG=""
    COUNTS=() REJECTS=() ARGS=()
    unset -f post 2>/dev/null || true
    # shellcheck disable=SC1091
    source "$work/expect.sh"
    if [ -f "$work/gen.sh" ]; then
        if ! (cd "$work" && PY="$PY" bash ./gen.sh) >"$work/gen.log" 2>&1; then
            fail "$name" "gen.sh failed: $(tail -3 "$work/gen.log")"
            continue
        fi
    fi
    [ -e "$work/$CFG" ] || [ -L "$work/$CFG" ] || cp "$ROOT/tests/hostile/default.ini" "$work/$CFG"
    if [ -n "$SHARE" ]; then
        export SALESFOCUS_SHARE="$work/$SHARE"
    else
        export SALESFOCUS_SHARE="$ROOT"
    fi

    # --- check ---
    log="$work/check.log"
    rc=$(cd "$work" && run_sf "$log" check -c "$work/$CFG" "${ARGS[@]}")
    sane_exit "$name" check "$rc" "$log" || continue
    if ! allowed "$rc" "$EXIT"; then
        fail "$name" "check exited $rc, expected $EXIT: $(head -c 400 "$log")"
        continue
    fi
    if [ -n "$MSG" ] && ! grep -qF -- "$MSG" "$log"; then
        fail "$name" "check's output lacks '$MSG': $(head -c 400 "$log")"
        continue
    fi
    counts=$(parse_counts "$log")
    bad=0
    while read -r kind r a j b f _; do
        [ -n "$kind" ] || continue
        if [ "$r" -ne $((a + j + b + f)) ]; then
            fail "$name" "$kind: read $r != accepted $a + rejected $j + blank $b + footer $f"
            bad=1
        fi
    done <<<"$counts"
    [ "$bad" -eq 0 ] || continue
    for ((i = 0; i < ${#COUNTS[@]}; i += 2)); do
        want="${COUNTS[i]} ${COUNTS[i + 1]}"
        got=$(grep "^${COUNTS[i]} " <<<"$counts" | cut -d' ' -f1-6 || true)
        if [ "$got" != "$want" ]; then
            fail "$name" "counts (file read accepted rejected blank footer): want '$want', got '${got:-none}'"
            bad=1
        fi
    done
    [ "$bad" -eq 0 ] || continue

    # --- run ---
    [ -n "$RUN" ] || { [ "$rc" -eq 0 ] && RUN=1 || RUN=0; }
    [ -n "$RUN_EXIT" ] || RUN_EXIT=$EXIT
    if [ "$RUN" = 1 ]; then
        OUT="$work/out"
        log="$work/run.log"
        rrc=$(cd "$work" && run_sf "$log" run -c "$work/$CFG" --out "$OUT" "${ARGS[@]}")
        if [ "$rrc" -eq 0 ] && [ ! -s "$log" ]; then echo "(silent)" >"$log"; fi
        sane_exit "$name" run "$rrc" "$log" || continue
        if ! allowed "$rrc" "$RUN_EXIT"; then
            fail "$name" "run exited $rrc, expected $RUN_EXIT: $(head -c 400 "$log")"
            continue
        fi
        rej="$OUT/csv/rejects.csv"
        if [ -f "$rej" ]; then
            # rejects.csv rows = rejected + kept of every file; the raw
            # column may hold newlines, so count CSV records, not lines.
            want=$(awk '{s += $4 + $7} END {print s + 0}' <<<"$counts")
            got=$("$PY" -c 'import csv,sys; csv.field_size_limit(sys.maxsize); print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""))) - 1)' "$rej" 2>&1) || true
            if [ "$got" != "$want" ]; then
                fail "$name" "rejects.csv has $got rows, check counted $want rejected + kept"
                continue
            fi
            for row in "${REJECTS[@]}"; do
                read -r rf rl rr <<<"$row"
                if ! "$PY" - "$rej" "$rf" "$rl" "$rr" <<'EOF'; then
import csv, sys
csv.field_size_limit(sys.maxsize)
path, f, line, reason = sys.argv[1:]
rows = list(csv.reader(open(path, encoding="utf-8-sig", newline="")))
ok = any(r[0].rsplit(".", 1)[0] == f and r[1] == line and r[2] == reason for r in rows[1:])
sys.exit(0 if ok else 1)
EOF
                    fail "$name" "rejects.csv lacks a row '$row'"
                    bad=1
                fi
            done
            [ "$bad" -eq 0 ] || continue
        elif [ "$rrc" -eq 0 ]; then
            fail "$name" "run exited 0 without csv/rejects.csv"
            continue
        fi
        if declare -F post >/dev/null; then
            if ! perr=$(OUT="$OUT" LOG="$log" post 2>&1); then
                fail "$name" "post-run check failed: $perr"
                continue
            fi
        fi
    fi
    if [ "$RUN" = 1 ]; then
        echo "ok   $name (check $rc, run $rrc)"
    else
        echo "ok   $name (check $rc)"
    fi
    [ -z "$KNOWN_BUG" ] || echo "     $name passes now: remove KNOWN_BUG from its expect.sh"
done

echo "hostile: $ncases cases, $fails failed, $known known open bugs (STRICT=1 fails on them)"
[ "$ncases" -ge 1 ] && [ "$fails" -eq 0 ]
