#!/usr/bin/env bash
# One run at a time: while another process holds the lock (flock(1) here,
# as an administrator would), a run exits 5 naming the lock file and the
# holder's PID, and writes nothing; once released, the run succeeds.
set -euo pipefail
. "$ROOT/tests/py/email_lib.bash"

LOCK="$TMP/locks/sub/salesfocus.lock"      # its folder does not exist yet
LOCK_FILE=$LOCK write_config "$TMP/cfg.ini"
mkdir -p "$(dirname "$LOCK")"
flock -x "$LOCK" -c "echo \$\$ >'$LOCK'; exec sleep 60" &
FLOCK_PID=$!
trap 'kill $(cat "$LOCK" 2>/dev/null) 2>/dev/null || true; wait $FLOCK_PID 2>/dev/null || true' EXIT
for i in $(seq 100); do [ -s "$LOCK" ] && break; sleep 0.05; done
holder=$(cat "$LOCK")
[ -n "$holder" ]

expect_exit 5 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
grep -qF "lock '$LOCK' is held by another salesfocus run (pid $holder)" "$TMP/err"
[ ! -e "$TMP/out" ]

kill "$holder"
wait "$FLOCK_PID" 2>/dev/null || true
"$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
[ -f "$TMP/out/csv/accounts.csv" ]

# the lock folder is created when missing
rm -rf "$TMP/locks"
"$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
[ -f "$LOCK" ]
echo ok
