#!/usr/bin/env bash
# The history store and its commands (SPEC §7, docs/history.md):
# - what a store is: application_id, user_version, WAL, mode 0600, the
#   config it belongs to, a run's rows readable through the views;
# - backfill reads the inputs once and stores, for every date, exactly the
#   rows `run --as-of` of that date stores (compared table by table), and
#   writes no report; a later run compares with the backfilled week;
# - keep_runs keeps the latest runs by as-of date;
# - `history` lists the runs (rules that differ marked) and one account
#   run by run;
# - a moved config takes its store along with one UPDATE (as documented);
# - every bundled sample into one output folder, twice (as make demo
#   does): each keeps a store of its own.
set -euo pipefail
MINI="$ROOT/tests/data/mini"

# --- run by run, then the same dates by backfill --------------------------
for way in runs backfill; do
    mkdir -p "$TMP/$way"
    cp "$MINI"/*.csv "$MINI/config.ini" "$TMP/$way/"
done
for d in 2025-05-05 2025-05-12 2025-05-19 2025-05-26; do
    "$SF" run -q -c "$TMP/runs/config.ini" --as-of $d --out "$TMP/runs/out/$d"
done
"$SF" backfill -q -c "$TMP/backfill/config.ini" --from 2025-05-05 --to 2025-05-26 --out "$TMP/backfill/out/x"
# no report written, only the store (and the lock) beside the output folder
[ ! -e "$TMP/backfill/out/x/csv" ] && [ ! -e "$TMP/backfill/out/x/report.pdf" ]
S1="$TMP/runs/out/history.sqlite" S2="$TMP/backfill/out/history.sqlite"
for t in accounts deals; do
    q="SELECT r.as_of, t.* FROM $t t JOIN runs r USING (run) ORDER BY r.as_of, t.id"
    # the run ids may differ; the as-of date, ids and every value must not
    a=$(sqlite3 "$S1" "$q" | cut -d'|' -f1,3- | md5sum) b=$(sqlite3 "$S2" "$q" | cut -d'|' -f1,3- | md5sum)
    [ "$a" = "$b" ] || { echo "backfill's $t rows differ from the runs'"; exit 1; }
    [ "$(sqlite3 "$S1" "SELECT count(*) FROM $t")" -gt 20 ]
done
cols="as_of, program, fingerprint, rules, currency, accounts, rev12, rev_prev12, growth_e4, a_accounts, b_accounts, c_accounts, d_accounts, a_rev12, b_rev12, c_rev12, d_rev12, cold_a, due, alerts, lost, fire, pursue, qualify, drop_deals, rejected"
[ "$(sqlite3 "$S1" "SELECT $cols FROM runs ORDER BY as_of")" = "$(sqlite3 "$S2" "SELECT $cols FROM runs ORDER BY as_of")" ]
[ "$(sqlite3 "$S2" 'SELECT count(*) FROM runs')" -eq 4 ]
# a run after the backfill compares with its last week, like after the runs
for way in runs backfill; do
    "$SF" run -q -c "$TMP/$way/config.ini" --as-of 2025-06-02 --out "$TMP/$way/out/2025-06-02"
done
cmp "$TMP/runs/out/2025-06-02/csv/changes.csv" "$TMP/backfill/out/2025-06-02/csv/changes.csv"
cmp "$TMP/runs/out/2025-06-02/csv/trend.csv" "$TMP/backfill/out/2025-06-02/csv/trend.csv"
grep -q ',2025-05-26' "$TMP/runs/out/2025-06-02/csv/changes.csv" || [ "$(wc -l <"$TMP/runs/out/2025-06-02/csv/changes.csv")" -eq 1 ]
[ "$(wc -l <"$TMP/backfill/out/2025-06-02/csv/trend.csv")" -eq 6 ]
# backfill's usage errors
set +e
"$SF" backfill -q -c "$TMP/backfill/config.ini" --to 2025-05-26 2>/dev/null; [ $? -eq 2 ] || exit 1
"$SF" backfill -q -c "$TMP/backfill/config.ini" --from 2025-07-01 --to 2025-05-26 2>/dev/null; [ $? -eq 2 ] || exit 1
"$SF" backfill -q -c "$TMP/backfill/config.ini" --from 2025-05-01 --every 0 2>/dev/null; [ $? -eq 2 ] || exit 1
set -e

# --- what a store is --------------------------------------------------------
[ "$(sqlite3 "$S1" 'PRAGMA application_id')" = 1397123187 ]   # 0x53466873, "SFhs"
[ "$(sqlite3 "$S1" 'PRAGMA user_version')" = 2 ]
# a store of schema 1 (before the send log) is upgraded in place by the
# next run: its runs kept, the send log's tables added
S0="$TMP/v1/out/history.sqlite"
mkdir -p "$TMP/v1/out" && cp "$MINI"/*.csv "$MINI/config.ini" "$TMP/v1/"
cp "$S1" "$S0"
sqlite3 "$S0" "UPDATE store SET value = '$TMP/v1/config.ini' WHERE key = 'config';
    DROP VIEW mail_log; DROP TABLE mail_items; DROP TABLE mails; PRAGMA user_version = 1"
n0=$(sqlite3 "$S0" 'SELECT count(*) FROM runs')
"$SF" run -q -c "$TMP/v1/config.ini" --as-of 2025-06-09 --out "$TMP/v1/out/2025-06-09"
[ "$(sqlite3 "$S0" 'PRAGMA user_version')" = 2 ]
[ "$(sqlite3 "$S0" 'SELECT count(*) FROM runs')" -eq $((n0 + 1)) ]
[ "$(sqlite3 "$S0" 'SELECT count(*) FROM mail_log')" -eq 0 ]   # no [outputs] email
[ "$(sqlite3 "$S1" 'PRAGMA journal_mode')" = wal ]
[ "$(stat -c %a "$S1")" = 600 ]
[ "$(sqlite3 "$S1" "SELECT value FROM store WHERE key = 'config'")" = "$TMP/runs/config.ini" ]
# the views read as the lists do: C005 as in accounts.csv of that run
v=$(sqlite3 "$S1" "SELECT tier, temperature, printf('%.2f', rev12), next_due FROM account_runs WHERE as_of = '2025-06-02' AND account_id = 'C005'")
line=$(grep '^C005,' "$TMP/runs/out/2025-06-02/csv/accounts.csv")
IFS=, read -r _ _ _ tier rev _ _ _ temp _ due <<<"$line"
[ "$v" = "$tier|$temp|$rev|${due%$'\r'}" ] || { echo "account_runs: $v, accounts.csv: $line"; exit 1; }
[ "$(sqlite3 "$S1" "SELECT count(*) FROM deal_runs WHERE as_of = '2025-06-02' AND status = 'open' AND verdict IS NOT NULL")" -eq \
  "$(($(wc -l <"$TMP/runs/out/2025-06-02/csv/pipeline.csv") - 1))" ]
# the fingerprint is FNV-1a 64 of the stored rules text
$PY - "$S1" <<'PYEOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for fp, rules in db.execute("SELECT fingerprint, rules FROM runs"):
    h = 0xcbf29ce484222325
    for b in rules.encode():
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    assert f"{h:016x}" == fp, (fp, f"{h:016x}")
    assert "tiers.a_min = 0.8\n" in rules and "potential.segment_by = industry, size_band\n" in rules, rules
    assert "ideal_client.industries = logistics, retail\n" in rules, rules
print("fingerprints ok")
PYEOF
# comments, key order and spelling of a value do not change the rules;
# a changed setting does
cp "$TMP/runs/config.ini" "$TMP/runs/config.ini.bak"
{ printf '; a comment\n[ideal_client]\nmin_employees = 20\nindustries = logistics, RETAIL\n\n'
  grep -v -e '^industries' -e '^min_employees' -e '^\[ideal_client\]' "$TMP/runs/config.ini.bak"; } >"$TMP/runs/config.ini"
"$SF" run -q -c "$TMP/runs/config.ini" --as-of 2025-06-09 --out "$TMP/runs/out/2025-06-09"
[ "$(head -2 "$TMP/runs/out/2025-06-09/csv/changes.csv" | grep -c rules_changed)" -eq 0 ]
printf '\n[tiers]\na_min = 0.85\n' >>"$TMP/runs/config.ini"
"$SF" run -q -c "$TMP/runs/config.ini" --as-of 2025-06-16 --out "$TMP/runs/out/2025-06-16"
sed -n 2p "$TMP/runs/out/2025-06-16/csv/changes.csv" | grep -q '^run,,,,rules_changed,,,,2025-06-09'

# --- history ----------------------------------------------------------------
"$SF" history -c "$TMP/runs/config.ini" --out "$TMP/runs/out/x" >"$TMP/h.txt"
grep -q "history store $TMP/runs/out/history.sqlite: 7 runs" "$TMP/h.txt"
[ "$(grep -c '^2025-' "$TMP/h.txt")" -eq 7 ]
# the runs before the change of a_min have other rules than the config's now: marked
[ "$(grep -Ec '^2025-[0-9-]+ +[0-9TZ:-]+ +[0-9a-f]{16}\*' "$TMP/h.txt")" -eq 6 ]
# each run's figures, as its trend.csv row has them
for d in 2025-06-09 2025-06-16; do
    IFS=, read -r _ acc rev a b c dd _ _ _ cold due alerts fire pur qual drop <<<"$(tail -1 "$TMP/runs/out/$d/csv/trend.csv" | tr -d '\r')"
    grep -Eq "^$d .* $acc +$rev +$a +$b +$c +$dd +$cold +$due +$alerts +$fire +$pur +$qual +$drop\$" "$TMP/h.txt" || {
        echo "history: $d"; cat "$TMP/h.txt"; exit 1; }
done
"$SF" history -c "$TMP/runs/config.ini" --out "$TMP/runs/out/x" --account C005 >"$TMP/a.txt"
grep -q '^account C005: Client 5 Ltd' "$TMP/a.txt"
[ "$(grep -c '^2025-' "$TMP/a.txt")" -eq 7 ]
grep -Eq '^2025-06-02 +A +hot +[0-9.]+ +\(unassigned\)' "$TMP/a.txt" || { cat "$TMP/a.txt"; exit 1; }
set +e
"$SF" history -c "$TMP/runs/config.ini" --out "$TMP/runs/out/x" --account NOPE 2>"$TMP/err"; [ $? -eq 2 ] || exit 1
set -e
grep -q "account 'NOPE' is in none of the stored runs" "$TMP/err"
"$SF" history -c "$TMP/runs/config.ini" --out "$TMP/elsewhere/x" | grep -q '^no history store yet at '

# --- keep_runs ------------------------------------------------------------------
printf '\n[history]\nkeep_runs = 3\n' >>"$TMP/runs/config.ini"
"$SF" run -q -c "$TMP/runs/config.ini" --as-of 2025-06-23 --out "$TMP/runs/out/2025-06-23"
[ "$(sqlite3 "$S1" 'SELECT group_concat(as_of, " ") FROM (SELECT as_of FROM runs ORDER BY as_of)')" = "2025-06-09 2025-06-16 2025-06-23" ]
[ "$(sqlite3 "$S1" 'SELECT count(DISTINCT run) FROM accounts')" -eq 3 ]
[ "$(sqlite3 "$S1" 'SELECT count(DISTINCT run) FROM deals')" -eq 3 ]
# a past run older than every kept one is stored and pruned at once
"$SF" run -q -c "$TMP/runs/config.ini" --as-of 2025-01-06 --out "$TMP/runs/out/2025-01-06"
[ "$(sqlite3 "$S1" 'SELECT min(as_of) FROM runs')" = 2025-06-09 ]

# --- a moved config takes its store along (docs/history.md) ------------------
mv "$TMP/runs" "$TMP/moved"
set +e
"$SF" run -q -c "$TMP/moved/config.ini" --as-of 2025-06-30 --out "$TMP/moved/out/2025-06-30" 2>"$TMP/err"
[ $? -eq 4 ] || exit 1
set -e
sqlite3 "$TMP/moved/out/history.sqlite" "UPDATE store SET value = '$TMP/moved/config.ini' WHERE key = 'config'"
"$SF" run -q -c "$TMP/moved/config.ini" --as-of 2025-06-30 --out "$TMP/moved/out/2025-06-30"

# --- every sample into one folder, twice: a store each --------------------------
for round in 1 2; do
    for cfg in "$ROOT"/samples/*/config.ini; do
        name=$(basename "$(dirname "$cfg")")
        "$SF" run -q -c "$cfg" --out "$TMP/demo/$name"
    done
done
n=0
for cfg in "$ROOT"/samples/*/config.ini; do
    name=$(basename "$(dirname "$cfg")")
    s="$TMP/demo/$name.history.sqlite"
    [ "$(sqlite3 "$s" 'SELECT count(*) FROM runs')" -eq 1 ] || { echo "$name: store"; exit 1; }
    [ "$(sqlite3 "$s" "SELECT value FROM store WHERE key = 'config'")" = "$(readlink -f "$cfg")" ]
    n=$((n + 1))
done
[ "$(ls "$TMP/demo"/*.history.sqlite | wc -l)" -eq "$n" ] && [ ! -e "$TMP/demo/history.sqlite" ]
echo ok
