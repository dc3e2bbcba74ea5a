#!/usr/bin/env bash
# The worked example (tests/data/mini) at T = 2025-06-30: every CSV list
# (as `salesfocus lists` names them) must equal tests/data/mini/expected/csv/*.csv byte for byte (BOM,
# CRLF, quoting, every number to the cent). The expected lists were
# produced by an independent implementation of docs/spec.md.
set -euo pipefail
MINI="$ROOT/tests/data/mini"
GOLD="$MINI/expected/csv"
# the lock lives next to the output folder: keep both inside $TMP
"$SF" run -q -c "$MINI/config.ini" --as-of 2025-06-30 --out "$TMP/run/out"
fail=0
n=0
for f in $("$SF" lists | cut -f1); do
    n=$((n + 1))
    if ! cmp -s "$TMP/run/out/csv/$f" "$GOLD/$f"; then
        echo "differs: $f"
        diff "$TMP/run/out/csv/$f" "$GOLD/$f" | head -20 || true
        fail=1
    fi
done
# every expected list is one the loop compared (a list added to expected/
# without a comparison would pass unseen)
[ "$(find "$GOLD" -name '*.csv' | wc -l)" -eq "$n" ] || { echo "expected/csv holds lists not compared"; fail=1; }
# and no list the run writes is left unchecked
for f in "$TMP"/run/out/csv/*.csv; do
    [ -f "$GOLD/$(basename "$f")" ] || { echo "written but not expected: $(basename "$f")"; fail=1; }
done
exit $fail
