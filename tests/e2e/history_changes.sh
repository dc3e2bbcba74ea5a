#!/usr/bin/env bash
# SPEC §7 on the hand-worked fixture (tests/data/history/README.md): a run
# at T - 7 (v1), then the export of a week later (v2, one rule changed) at
# T: changes.csv, tier_migration.csv and trend.csv byte for byte as worked
# out by hand, every change kind at least once, exactly one tier_down row.
# First run: changes and tier_migration header only, trend one row. Runs
# on the same data give a header-only changes.csv: the same date twice,
# and the next day (no window edge passes a record).
set -euo pipefail
FIX="$ROOT/tests/data/history"
BOOK="$TMP/book"
mkdir -p "$BOOK"
cp "$FIX"/v1/* "$BOOK/"

header_only() { # file
    [ "$(wc -l <"$1")" -eq 1 ] || { echo "$1 is not header-only:"; cat "$1"; exit 1; }
}

# first run: nothing to compare with
"$SF" run -q -c "$BOOK/config.ini" --as-of 2025-06-23 --out "$TMP/out/2025-06-23"
header_only "$TMP/out/2025-06-23/csv/changes.csv"
header_only "$TMP/out/2025-06-23/csv/tier_migration.csv"
[ "$(wc -l <"$TMP/out/2025-06-23/csv/trend.csv")" -eq 2 ]
tail -n 1 "$FIX/expected/trend.csv" | cmp -s - <(tail -n 1 "$TMP/out/2025-06-23/csv/trend.csv") && {
    echo "first run's trend row should be T1's"; exit 1; }
head -n 2 "$FIX/expected/trend.csv" | cmp - "$TMP/out/2025-06-23/csv/trend.csv"
# state as of T (SPEC §1.1) on a past date: at T1 the deals that the
# export shows won and lost on 06-26/06-27 were open (pursued), the deal
# created on 06-25 did not exist yet; the store keeps them so
for d in D_WON D_LOST; do
    grep -q "^$d,.*,pursue"$'\r'"\$" "$TMP/out/2025-06-23/csv/pipeline.csv" || { echo "$d not open at T1"; exit 1; }
done
! grep -q '^D_NEW,' "$TMP/out/2025-06-23/csv/pipeline.csv"
[ "$(sqlite3 "$TMP/out/history.sqlite" "SELECT group_concat(opportunity_id || ':' || status, ' ') FROM
      (SELECT * FROM deal_runs WHERE opportunity_id IN ('D_WON', 'D_LOST', 'D_NEW', 'D_OLD') ORDER BY opportunity_id)")" = \
  "D_LOST:open D_OLD:won D_WON:open" ]
# the store is beside the dated folders, mode 0600
[ -f "$TMP/out/history.sqlite" ]
[ "$(stat -c %a "$TMP/out/history.sqlite")" = 600 ]

# the same date again: replaced, still a first run
"$SF" run -q -c "$BOOK/config.ini" --as-of 2025-06-23 --out "$TMP/out/2025-06-23"
header_only "$TMP/out/2025-06-23/csv/changes.csv"
[ "$(sqlite3 "$TMP/out/history.sqlite" 'SELECT count(*) FROM runs')" = 1 ]

# a week later, the new export and one rule changed
cp "$FIX"/v2/* "$BOOK/"
"$SF" run -q -c "$BOOK/config.ini" --as-of 2025-06-30 --out "$TMP/out/2025-06-30"
fail=0
for f in changes tier_migration trend; do
    if ! cmp -s "$TMP/out/2025-06-30/csv/$f.csv" "$FIX/expected/$f.csv"; then
        echo "csv/$f.csv differs from the hand-worked fixture:"
        diff "$TMP/out/2025-06-30/csv/$f.csv" "$FIX/expected/$f.csv" || true
        fail=1
    fi
done
[ "$fail" -eq 0 ]
# every change kind of SPEC §7, and one tier move down
kinds=$(cut -d, -f5 "$TMP/out/2025-06-30/csv/changes.csv" | tail -n +2 | sort -u | tr '\n' ' ')
for k in rules_changed new_account vanished tier_up tier_down temp_up temp_down new_decline \
    recovered worse_decline new_fire left_fire contacted new_late_reorder new_deal won lost \
    pushed pulled_in amount_change stage_change; do
    [[ " $kinds" == *" $k "* ]] || { echo "no $k row"; exit 1; }
done
[ "$(grep -c ',tier_down,' "$TMP/out/2025-06-30/csv/changes.csv")" -eq 1 ]

# the next day on the same data: nothing changed
"$SF" run -q -c "$BOOK/config.ini" --as-of 2025-07-01 --out "$TMP/out/2025-07-01"
header_only "$TMP/out/2025-07-01/csv/changes.csv"
[ "$(wc -l <"$TMP/out/2025-07-01/csv/trend.csv")" -eq 4 ]

# a past --as-of compares with the runs before it only, and its trend
# stops at it
"$SF" run -q -c "$BOOK/config.ini" --as-of 2025-06-30 --out "$TMP/out/again"
cmp "$TMP/out/again/csv/changes.csv" "$FIX/expected/changes.csv"
cmp "$TMP/out/again/csv/trend.csv" "$FIX/expected/trend.csv"

# with the history off, no §7 list and no store change
before=$(sqlite3 "$TMP/out/history.sqlite" 'SELECT count(*), max(stored_at) FROM runs')
printf '\n[history]\nenabled = no\n' >>"$BOOK/config.ini"
"$SF" run -q -c "$BOOK/config.ini" --as-of 2025-07-07 --out "$TMP/out/off"
for f in changes tier_migration trend; do
    [ ! -e "$TMP/out/off/csv/$f.csv" ] || { echo "$f.csv written with the history off"; exit 1; }
done
[ "$(sqlite3 "$TMP/out/history.sqlite" 'SELECT count(*), max(stored_at) FROM runs')" = "$before" ]
echo ok
