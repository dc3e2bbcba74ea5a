#!/usr/bin/env bash
# The CSV formula guard (SPEC §4): the worked example with every id, name,
# owner and stage turned into formula-looking text (= + - @ and a TAB in a
# rejected line's raw text). In every CSV list no field may start with
# = + - @ TAB or CR unless it is a plain number (-?digits[.digits]); every
# list with rows must show the guard at work; an id that is a plain number
# ("-5") is written as it is; sorting uses the raw value (owners "(x" and
# "=a": "(x" sorts first although "'=a" would sort before it). With
# csv_formula_guard = no the raw values come back.
set -euo pipefail
MINI="$ROOT/tests/data/mini"
D="$TMP/data"
mkdir -p "$D"
cp "$MINI"/*.csv "$MINI/config.ini" "$D/"
# account ids =C001.., owners @Ben Ortiz / -Anna Kowalska, stages +..., opp
# ids -O001..; the transaction ids keep their form
sed -i -e 's/\bC0\([0-9][0-9]\)/=C0\1/g' -e 's/Ben Ortiz/@Ben Ortiz/g' \
    -e 's/Anna Kowalska/-Anna Kowalska/g' "$D"/*.csv
sed -i -e 's/\bO0\([0-9][0-9]\)/-O0\1/g' -e 's/,qualification,/,+qualification,/g' \
    -e 's/,negotiation,/,+negotiation,/g' "$D/opportunities.csv"
# an account whose id is a plain number, a third owner "(x"; a record
# rejected with a TAB at the start of its raw text
printf -- '-5,Minus Five Ltd,(x,Retail,South,40,100000,CEO,good\n' >>"$D/accounts.csv"
printf -- '-5,2025-06-01,call,(x,,10\n' >>"$D/activities.csv"
printf '\t=1+1,2025-01-01,notadate\n' >>"$D/transactions.csv"
sed -i 's/max_reject_share = 0.10/max_reject_share = 0.5/' "$D/config.ini"

"$SF" run -q -c "$D/config.ini" --as-of 2025-06-30 --out "$TMP/out"
"$PY" - "$TMP/out/csv" guard <<'PYEOF'
import csv, os, re, sys
d, mode = sys.argv[1], sys.argv[2]
plain = re.compile(r"-?[0-9]+(\.[0-9]+)?$")
seen_guard = {}
rows_of = {}
for f in sorted(os.listdir(d)):
    with open(os.path.join(d, f), encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    rows_of[f] = rows
    for r in rows[1:]:
        for cell in r:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not plain.match(cell):
                sys.exit("%s: unguarded formula-looking field %r" % (f, cell))
            if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@", "\t", "\r"):
                seen_guard[f] = True
for f, rows in rows_of.items():
    if len(rows) > 1 and not seen_guard.get(f):
        sys.exit("%s has rows but no guarded field" % f)
acc = rows_of["accounts.csv"]
ids = [r[0] for r in acc[1:]]
assert "-5" in ids, "the plain-number id -5 must be written as it is"
assert "'=C001" in ids, ids
owners = [r[0] for r in rows_of["rep_kpis.csv"][1:]]
assert owners.index("(x") < owners.index("'-Anna Kowalska"), owners  # raw order: "(" < "-"
raws = [r[5] for r in rows_of["rejects.csv"][1:]]
assert any(x.startswith("'\t=1+1") for x in raws), raws
print("guarded lists:", ", ".join(sorted(seen_guard)))
PYEOF

# the raw sort order of owners: "(x" (0x28) before "-Anna" (0x2D) before
# "@Ben" (0x40), although "'" (0x27) would sort the guarded ones first
cut -d, -f1 "$TMP/out/csv/time_split.csv" | tr -d '\r\357\273\277' >"$TMP/owners"
printf 'owner\n(unassigned)\n(x\n'"'"'-Anna Kowalska\n'"'"'@Ben Ortiz\n(all)\n' | cmp - "$TMP/owners"

# csv_formula_guard = no: the raw values
printf '\n[outputs]\ncsv_formula_guard = no\n' >>"$D/config.ini"
"$SF" run -q -c "$D/config.ini" --as-of 2025-06-30 --out "$TMP/raw"
grep -q '^=C001,' "$TMP/raw/csv/accounts.csv"
! grep -q "'=C001" "$TMP/raw/csv/accounts.csv"
echo ok
