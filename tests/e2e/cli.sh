#!/usr/bin/env bash
# The command line: help, version, usage errors (exit 2 with a one-line
# reason and the usage), --as-of validation, check on the worked example.
set -euo pipefail
MINI="$ROOT/tests/data/mini"

"$SF" --help | grep -q 'usage: salesfocus run'
"$SF" --version | grep -Eq '^salesfocus [0-9]+\.[0-9]+'

expect() { # code, substring, command...
    local code=$1 sub=$2; shift 2
    set +e; "$@" >"$TMP/out" 2>"$TMP/err"; local rc=$?; set -e
    if [ "$rc" -ne "$code" ]; then echo "expected exit $code, got $rc: $*"; cat "$TMP/err"; exit 1; fi
    if ! grep -qF -- "$sub" "$TMP/err" "$TMP/out"; then echo "expected '$sub' from: $*"; cat "$TMP/err"; exit 1; fi
}
expect 2 'missing command' "$SF"
expect 2 'unknown command: frobnicate' "$SF" frobnicate
expect 2 'missing -c CONFIG' "$SF" run
expect 2 'unexpected argument: extra' "$SF" run -c x.ini extra
expect 2 'review needs exactly one of' "$SF" review -c x.ini
expect 2 'belong to the review command' "$SF" run -c x.ini --owner Ann
expect 2 "--as-of 'tomorrow': expected a date YYYY-MM-DD" "$SF" check -c "$MINI/config.ini" --as-of tomorrow
expect 2 "--as-of '2025-02-30'" "$SF" check -c "$MINI/config.ini" --as-of 2025-02-30
# a config file that does not exist is a config error naming it
expect 2 'nope.ini' "$SF" check -c "$TMP/nope.ini"

# check prints the mapping and counts, writes nothing
cd "$TMP"
"$SF" check -c "$MINI/config.ini" > check.txt
grep -q 'transactions: .*transactions.csv' check.txt
grep -Eq 'account_id +<- "account_id"' check.txt
grep -q 'records: read 289, accepted 286, rejected 3, blank 0, footer 0' check.txt
grep -q 'rejected by reason: .*bad_date 1' check.txt
grep -q 'accounts: 24, owners: 3' check.txt
[ -z "$(ls -A "$TMP" | grep -v -e check.txt -e out -e err)" ]
echo ok
