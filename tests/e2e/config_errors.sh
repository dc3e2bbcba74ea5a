#!/usr/bin/env bash
# Config errors through the CLI: `salesfocus check -c bad.ini` exits 2 (3 for
# a missing input file) and stderr names FILE:LINE, the section and the key.
set -euo pipefail
cd "$TMP"
printf 'account_id,date,amount\nA1,2025-01-02,10.00\n' > t.csv

fails=0
# expect NAME CODE MESSAGE: run check on NAME.ini, compare exit code and
# look for MESSAGE (a fixed string) in stderr.
expect() {
    local name=$1 code=$2 msg=$3 rc=0
    "$SF" check -c "$name.ini" >"$name.out" 2>"$name.err" || rc=$?
    if [ "$rc" -ne "$code" ]; then
        echo "FAIL $name: exit $rc, expected $code"; cat "$name.err"; fails=$((fails+1)); return
    fi
    if ! grep -qF -- "$msg" "$name.err"; then
        echo "FAIL $name: stderr lacks: $msg"; cat "$name.err"; fails=$((fails+1)); return
    fi
    echo "ok   $name"
}

printf '[input]\ntransactions = t.csv\n[cadence]\na_dyas = 3\n' > typo_key.ini
expect typo_key 2 "typo_key.ini:4: [cadence] a_dyas: unknown key (did you mean 'a_days'?)"

printf '[input]\ntransactions = t.csv\n\n[tierz]\na_min = 0.5\n' > typo_section.ini
expect typo_section 2 "typo_section.ini:4: [tierz]: unknown section (did you mean 'tiers'?)"

printf '[input]\ntransactions = t.csv\n[tiers]\na_min = 1.5\n' > range.ini
expect range 2 "range.ini:4: [tiers] a_min: 1.5 is out of range (allowed: 0 to 1)"

printf '[input]\ntransactions = t.csv\n[fire]\nfraction = 0.1234567\n' > decimals.ini
expect decimals 2 "decimals.ini:4: [fire] fraction: '0.1234567' has more than 6 decimals"

printf '[input]\ntransactions = t.csv\n[outputs]\npdf = perhaps\n' > bool.ini
expect bool 2 "bool.ini:4: [outputs] pdf: expected yes or no"

printf '[input]\ntransactions = t.csv\n[run]\nlanguage = en\nlanguage = pl\n' > dup.ini
expect dup 2 "dup.ini:5: [run] language: duplicate key (first set on line 4)"

printf '[run]\nlanguage = en\n' > no_tx.ini
expect no_tx 2 "no_tx.ini: [input] transactions: missing"

printf '[input]\ntransactions = @won\n' > won.ini
expect won 2 "won.ini:2: [input] transactions: @won needs [input] opportunities"

printf '[input]\ntransactions = t.csv\npreset = no_such_crm\n' > preset.ini
expect preset 2 "preset.ini:3: [input] preset: unknown preset 'no_such_crm' (available: "

{ printf '[input]\ntransactions = t.csv\n[run]\ncurrency = '; head -c 300 /dev/zero | tr '\0' x; printf '\n'; } > long.ini
expect long 2 "long.ini:4: line too long (more than 198 bytes)"

printf '[input]\ntransactions = t.csv\naccounts = missing.csv\n' > missing.ini
expect missing 3 "missing.ini:3: [input] accounts: cannot open 'missing.csv': No such file or directory"

# Paths are relative to the config file, not to the current directory.
mkdir -p sub
printf '[input]\ntransactions = nope.csv\n' > sub/rel.ini
rc=0; "$SF" check -c sub/rel.ini >/dev/null 2>rel.err || rc=$?
if [ "$rc" -eq 3 ] && grep -qF "sub/rel.ini:2: [input] transactions: cannot open 'sub/nope.csv'" rel.err; then
    echo "ok   relative"
else
    echo "FAIL relative: exit $rc"; cat rel.err; fails=$((fails+1))
fi

[ "$fails" -eq 0 ]
