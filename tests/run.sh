#!/usr/bin/env bash
# Run every test: the cmocka unit binaries, then the end-to-end scripts.
# Prints a line per test and closes with "N passed, N failed".
# TESTS=pattern limits the run to matching names.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
export ROOT
export SF="$ROOT/$BUILD/salesfocus"
export SFGEN="$ROOT/$BUILD/sfgen"
export SFCLVSIM="$ROOT/$BUILD/sfclvsim"
export PY=/usr/bin/python3
export SALESFOCUS_SHARE="$ROOT"
pass=0; fail=0; failed=()
TMPBASE="$ROOT/tests/tmp/$(basename "$BUILD")"
mkdir -p "$TMPBASE"
run_one() { # name, command...
    local name=$1; shift
    local log="$TMPBASE/$name.log"
    if "$@" >"$log" 2>&1; then
        pass=$((pass+1)); echo "ok   $name"
    else
        fail=$((fail+1)); failed+=("$name"); echo "FAIL $name"
        sed 's/^/    | /' "$log" | tail -40
    fi
}
for t in "$ROOT/$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    n=$(basename "$t")
    [ -n "${TESTS:-}" ] && [[ $n != *$TESTS* ]] && continue
    run_one "$n" "$t"
done
for s in "$ROOT"/tests/e2e/*.sh; do
    [ -f "$s" ] || continue
    n=$(basename "$s" .sh)
    case $n in *_lib) continue ;; esac   # sourced helpers, not tests
    [ -n "${TESTS:-}" ] && [[ $n != *$TESTS* ]] && continue
    export TMP="$TMPBASE/$n"
    rm -rf "$TMP"; mkdir -p "$TMP"
    run_one "$n" bash "$s"
done
[ ${#failed[@]} -gt 0 ] && echo "failed: ${failed[*]}"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
