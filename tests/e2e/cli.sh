#!/usr/bin/env bash
# The command line: help, version, usage errors (exit 2 with a one-line
# reason and the usage), --as-of validation, check on the worked example.
set -euo pipefail
MINI="$ROOT/tests/data/mini"

"$SF" --help | grep -q 'usage: salesfocus run'

# --version: the Makefile's version, then the libraries of the build (from
# pkg-config and the headers, independently of the program) and the ones
# loaded at run time (Debian ships headers and libraries of one version,
# so both lines name the same numbers here).
"$SF" --version >"$TMP/version"
ver=$(sed -n 's/^VERSION *:= *//p' "$ROOT/Makefile")
inc=$(pkg-config --variable=includedir xlsxwriter)
lxw=$(sed -n 's/^#define LXW_VERSION "\(.*\)"$/\1/p' "$inc/xlsxwriter.h")
csv=$(awk '/^#define CSV_(MAJOR|MINOR|RELEASE) / { v = v (v == "" ? "" : ".") $3 } END { print v }' /usr/include/csv.h)
glibc=$(getconf GNU_LIBC_VERSION | sed 's/^glibc //')
libs="cairo $(pkg-config --modversion cairo), pango $(pkg-config --modversion pango), libxlsxwriter $lxw, zlib $(pkg-config --modversion zlib)"
libs2="expat $(pkg-config --modversion expat), gsl $(pkg-config --modversion gsl)"
# ISA-L has no version function: built with only
printf 'salesfocus %s\nbuilt with: %s, isa-l %s, %s, inih %s, minizip %s, libcsv %s, glibc %s\nruns with: %s, %s, glibc %s\n' \
    "$ver" "$libs" "$(pkg-config --modversion libisal)" "$libs2" "$(pkg-config --modversion inih)" \
    "$(pkg-config --modversion minizip)" "$csv" "$glibc" "$libs" "$libs2" "$glibc" >"$TMP/version.want"
diff "$TMP/version.want" "$TMP/version"
"$SF" -V | cmp -s - "$TMP/version"
"$SF" run --version | cmp -s - "$TMP/version"

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
[ -z "$(ls -A "$TMP" | grep -v -e check.txt -e out -e err -e version)" ]
echo ok
