#!/usr/bin/env bash
# The worked example (tests/data/mini) at T = 2025-06-30, against lists an
# independent implementation of docs/spec.md produced:
# - expected-next/csv: every list of the grown spec. Every list the run
#   writes (`salesfocus lists`) must equal its file byte for byte (BOM,
#   CRLF, quoting, every number to the cent); a list of expected-next that
#   the run does not write yet is named as pending.
# - expected/csv: the first version's eight lists, before the reorder
#   rhythm pulled the cadence: with [reorder] pull_cadence = no the run
#   must still give exactly those.
set -euo pipefail
MINI="$ROOT/tests/data/mini"
fail=0
# the lock lives next to the output folder: keep both inside $TMP
"$SF" run -q -c "$MINI/config.ini" --as-of 2025-06-30 --out "$TMP/run/out"
n=0
for f in $("$SF" lists | cut -f1); do
    n=$((n + 1))
    if ! cmp -s "$TMP/run/out/csv/$f" "$MINI/expected-next/csv/$f"; then
        echo "differs from expected-next: $f"
        diff "$TMP/run/out/csv/$f" "$MINI/expected-next/csv/$f" | head -20 || true
        fail=1
    fi
done
for g in "$MINI"/expected-next/csv/*.csv; do
    [ -f "$TMP/run/out/csv/$(basename "$g")" ] || echo "pending (not written yet): $(basename "$g")"
done
for f in "$TMP"/run/out/csv/*.csv; do
    [ -f "$MINI/expected-next/csv/$(basename "$f")" ] || { echo "written but not expected: $(basename "$f")"; fail=1; }
done

# the first version's rules: no cadence pull
cp -r "$MINI" "$TMP/v1"
printf '\n[reorder]\npull_cadence = no\n' >>"$TMP/v1/config.ini"
"$SF" run -q -c "$TMP/v1/config.ini" --as-of 2025-06-30 --out "$TMP/v1/out"
m=0
for g in "$MINI"/expected/csv/*.csv; do
    m=$((m + 1))
    f=$(basename "$g")
    if ! cmp -s "$TMP/v1/out/csv/$f" "$g"; then
        echo "differs from expected (v1 rules): $f"
        diff "$TMP/v1/out/csv/$f" "$g" | head -20 || true
        fail=1
    fi
done
[ "$m" -eq 8 ] || { echo "expected/csv should hold the eight v1 lists, has $m"; fail=1; }
echo "compared $n lists with expected-next, $m with expected (v1)"
exit $fail
