#!/usr/bin/env bash
# The history store's safety (SPEC §7, docs/history.md), with faults
# injected by strace into the store's own writes (pwrite64: SQLite's; the
# outputs use write):
# - a run killed (SIGKILL) in the middle of its store transaction leaves
#   the store as it was (same main file, same rows); the next run recovers
#   and stores;
# - a full disk (ENOSPC from the store's writes) is exit 4 and the store
#   as it was;
# - the store is written while the run holds its lock, and a run that
#   cannot take the lock does not touch it;
# - a file that is not a salesfocus store (text, empty, another program's
#   SQLite database) or of a newer schema is exit 4 and never written; a
#   store of another config is exit 4 naming [history] path;
# - check, history and review write nothing, not even after a crash left
#   a "-wal" file (they read it; SQLite's -shm index is theirs to update).
set -euo pipefail
command -v strace >/dev/null || { echo "strace is needed (Makefile DEB_PKGS)"; exit 1; }
# LeakSanitizer cannot run under ptrace: the traced runs of an ASan build
# check everything but leaks (the untraced ones do)
traced() { ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace "$@"; }
FIX="$ROOT/tests/data/history"
B="$TMP/book"
STORE="$TMP/store/history.sqlite"
mkdir -p "$B"

setup() { # version: the book's inputs and its config with the store's path
    cp "$FIX/$1"/*.csv "$B/"
    cp "$FIX/$1/config.ini" "$B/config.ini"
    printf '\n[history]\npath = %s\n' "$STORE" >>"$B/config.ini"
}
dump() { sqlite3 "$STORE" .dump; }
state() { # the store's folder: every name, every file's bytes (the -shm
    # file is SQLite's shared-memory index, which any reader of a WAL file
    # updates: its name counts, its bytes do not)
    (cd "$(dirname "$STORE")" && for f in $(ls -A | sort); do
        case $f in *-shm) printf '%s\n' "$f" ;; *) printf '%s %s\n' "$f" "$(md5sum <"$f")" ;; esac
    done)
}
runs() { sqlite3 "$STORE" 'SELECT group_concat(as_of, " ") FROM (SELECT as_of FROM runs ORDER BY as_of)'; }

setup v1
"$SF" run -q -c "$B/config.ini" --as-of 2025-06-23 --out "$TMP/out/1"
[ "$(runs)" = 2025-06-23 ]
setup v2
cp "$STORE" "$TMP/before.sqlite"
dump >"$TMP/before.dump"

# where the store transaction's writes are: a dry run, traced, then undone.
# One thread (SF_THREADS=1): strace counts each thread's calls apart, and
# the store's writes are then the main thread's.
export SF_THREADS=1
traced -f -qq -y -o "$TMP/dry.txt" -e trace=pwrite64 "$SF" run -q -c "$B/config.ini" --as-of 2025-06-30 --out "$TMP/dry"
[ "$(runs)" = "2025-06-23 2025-06-30" ]
cp "$TMP/before.sqlite" "$STORE"
[ ! -e "$STORE-wal" ] && [ ! -e "$STORE-shm" ]
main=$(head -1 "$TMP/dry.txt" | awk '{print $1}')
first_wal=$(grep -E "^$main +pwrite64" "$TMP/dry.txt" | grep -n 'history.sqlite-wal>' | head -1 | cut -d: -f1)
total=$(grep -cE "^$main +pwrite64" "$TMP/dry.txt")
[ -n "$first_wal" ] && [ "$total" -gt $((first_wal + 4)) ] || { echo "no store transaction in the dry run"; cat "$TMP/dry.txt"; exit 1; }

# killed two writes into the transaction: the store is as it was
kill_at=$((first_wal + 2))
set +e
traced -f -qq -o /dev/null -e trace=pwrite64 -e inject=pwrite64:signal=SIGKILL:when=$kill_at \
    "$SF" run -q -c "$B/config.ini" --as-of 2025-06-30 --out "$TMP/killed" 2>"$TMP/kill.err"
rc=$?
set -e
[ "$rc" -eq 137 ] || { echo "the run was not killed (exit $rc)"; cat "$TMP/kill.err"; exit 1; }
[ -e "$STORE-wal" ] || { echo "the kill was not inside the store transaction"; exit 1; }
cmp "$STORE" "$TMP/before.sqlite" || { echo "the store's file changed under a killed run"; exit 1; }
# check, history and review read it (the interrupted writes are not seen)
# and write nothing, even beside a -wal file
state >"$TMP/s1"
"$SF" check -q -c "$B/config.ini" --as-of 2025-06-30 >"$TMP/check.txt"
grep -q "^history: $STORE: schema 2, 1 run, as of 2025-06-23 .. 2025-06-23" "$TMP/check.txt" || { cat "$TMP/check.txt"; exit 1; }
"$SF" history -q -c "$B/config.ini" >"$TMP/history.txt"
grep -q '^2025-06-23 ' "$TMP/history.txt" && ! grep -q '^2025-06-30 ' "$TMP/history.txt"
"$SF" review -q -c "$B/config.ini" --as-of 2025-06-30 --owner Ben --out "$TMP/rv"
state >"$TMP/s2"
cmp "$TMP/s1" "$TMP/s2" || { echo "check, history or review wrote beside the store"; diff "$TMP/s1" "$TMP/s2"; exit 1; }
[ "$(dump | md5sum)" = "$(md5sum <"$TMP/before.dump")" ] || { echo "the store's rows changed"; exit 1; }
# the next run recovers and stores
"$SF" run -q -c "$B/config.ini" --as-of 2025-06-30 --out "$TMP/out/2"
[ "$(runs)" = "2025-06-23 2025-06-30" ]
cmp "$TMP/out/2/csv/changes.csv" "$FIX/expected/changes.csv"
[ ! -e "$STORE-wal" ] || { echo "a -wal file is left after a clean run"; exit 1; }

# a full disk from the transaction's first write on: exit 4, store as it was
cp "$TMP/before.sqlite" "$STORE"
set +e
traced -f -qq -o /dev/null -e trace=pwrite64 -e inject=pwrite64:error=ENOSPC:when=$first_wal+ \
    "$SF" run -q -c "$B/config.ini" --as-of 2025-06-30 --out "$TMP/full" 2>"$TMP/full.err"
rc=$?
set -e
[ "$rc" -eq 4 ] || { echo "a full disk gave exit $rc"; cat "$TMP/full.err"; exit 1; }
grep -q "history store '$STORE' (\[history\] path): .*the disk is full; the store is left as it was" "$TMP/full.err" || { cat "$TMP/full.err"; exit 1; }
[ "$(dump | md5sum)" = "$(md5sum <"$TMP/before.dump")" ] || { echo "the store's rows changed on a full disk"; exit 1; }
"$SF" run -q -c "$B/config.ini" --as-of 2025-06-30 --out "$TMP/out/2"
[ "$(runs)" = "2025-06-23 2025-06-30" ]

unset SF_THREADS
# the store is written while the run holds its lock (never released before)
traced -f -qq -y -o "$TMP/lock.txt" -e trace=flock,pwrite64,close "$SF" run -q -c "$B/config.ini" \
    --as-of 2025-07-01 --out "$TMP/out/3"
$PY - "$TMP/lock.txt" <<'PYEOF'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
lock = next(i for i, l in enumerate(lines) if re.search(r"flock\(\d+<[^>]*salesfocus\.lock>, LOCK_EX", l) and l.endswith("= 0"))
fd = re.search(r"flock\((\d+)<", lines[lock]).group(1)
wal = [i for i, l in enumerate(lines) if "history.sqlite-wal>" in l and "pwrite64" in l]
assert wal and wal[0] > lock, "store written before the lock was taken"
released = [i for i, l in enumerate(lines) if i > lock and (f"flock({fd}<" in l and "LOCK_UN" in l or f"close({fd}<" in l)]
assert not released or released[0] > wal[-1], "lock released before the store was written"
print("store written under the lock")
PYEOF
# a run that cannot take the lock does not touch the store
LOCK="$TMP/out/.salesfocus.lock"
state >"$TMP/s3"
flock -x "$LOCK" -c "\"$SF\" run -q -c \"$B/config.ini\" --as-of 2025-07-07 --out \"$TMP/out/4\"" 2>"$TMP/lock.err" && {
    echo "a run ran without the lock"; exit 1; } || [ $? -eq 5 ]
state >"$TMP/s4"
cmp "$TMP/s3" "$TMP/s4"

# files that are not this config's store: exit 4, never written
expect4() { # what message-part
    local before
    before=$(state)
    set +e
    "$SF" run -q -c "$B/config.ini" --as-of 2025-07-14 --out "$TMP/out/5" 2>"$TMP/err"
    local rc=$?
    set -e
    [ "$rc" -eq 4 ] || { echo "$1: exit $rc"; cat "$TMP/err"; exit 1; }
    grep -qF "history store '$STORE' ([history] path)" "$TMP/err" && grep -qF "$2" "$TMP/err" || {
        echo "$1: message"; cat "$TMP/err"; exit 1; }
    [ "$(state)" = "$before" ] || { echo "$1: the file was written"; exit 1; }
    "$SF" check -q -c "$B/config.ini" >/dev/null 2>&1 && { echo "$1: check passed"; exit 1; } || true
    [ "$(state)" = "$before" ] || { echo "$1: check wrote"; exit 1; }
}
mv "$STORE" "$TMP/good.sqlite"
printf 'my notes, not a database\n' >"$STORE"
expect4 "a text file" "not a salesfocus history store (not an SQLite database)"
: >"$STORE"
expect4 "an empty file" "not a salesfocus history store (not an SQLite database)"
rm "$STORE"
sqlite3 "$STORE" 'CREATE TABLE t(x); INSERT INTO t VALUES (1)'
expect4 "another program's database" "an SQLite database of another program"
rm "$STORE"
cp "$TMP/good.sqlite" "$STORE"
sqlite3 "$STORE" 'PRAGMA user_version = 99'
expect4 "a newer schema" "its schema version 99 is newer than this salesfocus knows (2)"
rm "$STORE"
cp "$TMP/good.sqlite" "$STORE"
# another config's store
cp "$B/config.ini" "$TMP/other.ini"
sed -i "s|^accounts = accounts.csv|accounts = $B/accounts.csv|; s|^transactions = .*|transactions = $B/transactions.csv|; s|^activities = .*|activities = $B/activities.csv|; s|^opportunities = .*|opportunities = $B/opportunities.csv|" "$TMP/other.ini"
before=$(state)
set +e
"$SF" run -q -c "$TMP/other.ini" --as-of 2025-07-14 --out "$TMP/out/6" 2>"$TMP/err"
rc=$?
set -e
[ "$rc" -eq 4 ] || { echo "another config: exit $rc"; cat "$TMP/err"; exit 1; }
grep -qF "history store '$STORE' ([history] path) belongs to the config '$B/config.ini', not to '$TMP/other.ini'" "$TMP/err" || { cat "$TMP/err"; exit 1; }
[ "$(state)" = "$before" ]
# and it is still this config's
"$SF" run -q -c "$B/config.ini" --as-of 2025-07-14 --out "$TMP/out/7"
[ "$(runs)" = "2025-06-23 2025-06-30 2025-07-01 2025-07-14" ]
# a run that fails after its analyses (its output folder is a file: the
# outputs cannot be written) stores nothing: its transaction rolls back
before=$(state)
: >"$TMP/outfile"
set +e
"$SF" run -q -c "$B/config.ini" --as-of 2025-07-21 --out "$TMP/outfile" 2>"$TMP/err"
rc=$?
set -e
[ "$rc" -eq 4 ] && grep -q "outfile" "$TMP/err" || { echo "a failing run: exit $rc"; cat "$TMP/err"; exit 1; }
[ "$(state)" = "$before" ] || { echo "a failed run changed the store"; exit 1; }
# and a first run that fails leaves no store behind
printf '\n[history]\npath = %s\n' "$TMP/fresh/history.sqlite" >"$TMP/fresh.tail"
sed '/^\[history\]/,$d' "$B/config.ini" >"$TMP/fresh.ini"
cat "$TMP/fresh.tail" >>"$TMP/fresh.ini"
sed -i "s|^accounts = accounts.csv|accounts = $B/accounts.csv|; s|^transactions = .*|transactions = $B/transactions.csv|; s|^activities = .*|activities = $B/activities.csv|; s|^opportunities = .*|opportunities = $B/opportunities.csv|" "$TMP/fresh.ini"
set +e
"$SF" run -q -c "$TMP/fresh.ini" --as-of 2025-07-21 --out "$TMP/outfile" 2>"$TMP/err"
rc=$?
set -e
[ "$rc" -eq 4 ] && [ ! -e "$TMP/fresh/history.sqlite" ] && [ ! -e "$TMP/fresh/history.sqlite-wal" ] || {
    echo "a failed first run left a store ($rc)"; ls -la "$TMP/fresh"; exit 1; }
"$SF" run -q -c "$TMP/fresh.ini" --as-of 2025-07-21 --out "$TMP/fresh/out"
[ "$(sqlite3 "$TMP/fresh/history.sqlite" 'SELECT count(*) FROM runs')" -eq 1 ]
echo ok
