#!/usr/bin/env bash
# The worked example of shared/examples/mini at T = 2025-06-30: all eight
# CSV lists must equal tests/golden/mini/*.csv byte for byte (BOM, CRLF,
# quoting, every number to the cent). The goldens are copies of the
# example's expected/csv, produced by an independent implementation.
set -euo pipefail
MINI="$ROOT/../shared/examples/mini"
[ -d "$MINI" ] || MINI=/work/shared/examples/mini
GOLD="$ROOT/tests/golden/mini"
# the lock lives next to the output folder: keep both inside $TMP
"$SF" run -q -c "$MINI/config.ini" --as-of 2025-06-30 --out "$TMP/run/out"
fail=0
for f in accounts cadence_due decline_alerts fire_candidates time_split pipeline rep_kpis rejects; do
    if ! cmp -s "$TMP/run/out/csv/$f.csv" "$GOLD/$f.csv"; then
        echo "differs: $f.csv"
        diff "$TMP/run/out/csv/$f.csv" "$GOLD/$f.csv" | head -20 || true
        fail=1
    fi
done
# the golden copies must still match the shared example
for f in "$MINI"/expected/csv/*.csv; do
    cmp -s "$f" "$GOLD/$(basename "$f")" || { echo "golden copy stale: $(basename "$f")"; fail=1; }
done
exit $fail
