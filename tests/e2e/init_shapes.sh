#!/usr/bin/env bash
# `salesfocus init` then `salesfocus run`, end to end, on exports shaped like
# the real ones (tests/py/crm_shapes.py: Salesforce Data Export in
# ISO-8859-1 with NULs, Task, Event and User files; amoCRM CSV and XLSX with
# duplicated headers and B2C deals; Bitrix24 CSV in CP1251 with its HTML
# "Excel" export, and its REST dump with C6:WON codes; Zoho; Odoo with
# invoices; HubSpot and Pipedrive XLSX with date cells; a Salesforce report
# with its footer). For each shape: init finds the kinds, the preset, the
# formats and the closed statuses it should (init_check.py), names the
# files it cannot use, asks for the currency rates it cannot know; after
# the rates are filled in, check says ok, the run succeeds with every file
# under the reject limit and the won deals (or invoices) as its revenue.
# A CRM without a preset (generic_b2c): the mostly empty company column
# gets the contact after it ("Company | Contact"), the mostly blank type the
# subject, and "not closed" in the close dates becomes a blank value.
# Then: the amoCRM CSV and XLSX exports of one book give the same lists;
# init never overwrites without --force; files it cannot use at all.
set -euo pipefail
: "${SF:?}" "${TMP:?}" "${PY:?}" "${ROOT:?}"
SHAPES="$ROOT/tests/py/crm_shapes.py"

for shape in $("$PY" "$SHAPES" list); do
    d="$TMP/$shape"
    "$PY" "$SHAPES" "$shape" "$d"
    files=$("$PY" -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["files"]))' "$d/expect.json")
    (cd "$d" && "$SF" init -o cfg.ini $files >init.out 2>init.err) ||
        { echo "$shape: init failed"; cat "$d/init.err"; exit 1; }
    grep -q "^wrote cfg.ini; next: salesfocus check -c cfg.ini" "$d/init.out"
    "$PY" "$ROOT/tests/py/init_check.py" "$d" || { echo "$shape: init's guesses differ"; cat "$d/cfg.ini"; exit 1; }
    set +e
    (cd "$d" && "$SF" check -c cfg.ini --as-of 2025-06-30 >check.out 2>check.err)
    crc=$?
    (cd "$d" && "$SF" run -c cfg.ini --as-of 2025-06-30 --out out >run.out 2>run.err)
    rc=$?
    set -e
    [ "$crc" -eq 0 ] || { echo "$shape: check failed ($crc)"; cat "$d/check.out" "$d/check.err"; exit 1; }
    grep -q '^check: ok' "$d/check.out"
    [ "$rc" -eq 0 ] || { echo "$shape: run failed ($rc)"; cat "$d/cfg.ini" "$d/run.err"; exit 1; }
    # every file under the limit, the revenue from the won deals (or invoices)
    want=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["won"])' "$d/expect.json")
    grep -q "^  transactions: read [0-9]*, accepted $want, rejected 0$" "$d/run.out" ||
        { echo "$shape: want $want transactions accepted"; cat "$d/run.out"; exit 1; }
    "$PY" - "$d/run.out" <<'PY'
import re, sys
for m in re.finditer(r"^  (\w+): read (\d+), accepted (\d+), rejected (\d+)$", open(sys.argv[1]).read(), re.M):
    kind, read, acc, rej = m.group(1), *map(int, m.groups()[1:])
    assert acc > 0, f"{kind}: nothing accepted"
    assert rej * 20 <= acc + rej, f"{kind}: {rej} of {acc + rej} rejected"
PY
    [ -s "$d/out/csv/pipeline.csv" ]
    echo "$shape: ok"
done

# One book, two formats: the amoCRM CSV and XLSX exports give the same lists.
for f in "$TMP/amocrm_csv/out/csv/"*.csv; do
    n=$(basename "$f")
    [ "$n" = rejects.csv ] && continue
    cmp -s "$f" "$TMP/amocrm_xlsx/out/csv/$n" || { echo "amoCRM CSV and XLSX differ in $n"; diff "$f" "$TMP/amocrm_xlsx/out/csv/$n" | head; exit 1; }
done
# the rejects are the same lines; an XLSX row's raw text is its values joined
# with the delimiter (a comma with delimiter = auto)
cut -d, -f2-5 "$TMP/amocrm_csv/out/csv/rejects.csv" >"$TMP/rj.csv"
cut -d, -f2-5 "$TMP/amocrm_xlsx/out/csv/rejects.csv" >"$TMP/rj.xlsx"
cmp "$TMP/rj.csv" "$TMP/rj.xlsx"
grep -q '^amocrm_export_leads.xlsx,[0-9]*,missing_required,opportunity_id,rejected,",,,,' "$TMP/amocrm_xlsx/out/csv/rejects.csv"

# never over an existing configuration without --force
d="$TMP/amocrm_csv"
cp "$d/cfg.ini" "$TMP/before.ini"
set +e
(cd "$d" && "$SF" init -o cfg.ini amocrm_export_leads.csv >"$TMP/o" 2>"$TMP/e"); rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "cfg.ini exists; init never overwrites a configuration without --force" "$TMP/e"
cmp "$d/cfg.ini" "$TMP/before.ini"
(cd "$d" && "$SF" init --force -o cfg.ini amocrm_export_leads.csv >/dev/null 2>&1)
! cmp -s "$d/cfg.ini" "$TMP/before.ini"   # written again (without the filled-in changes)
grep -q '^opportunities = amocrm_export_leads.csv$' "$d/cfg.ini"
[ "$(find "$d" -name 'cfg.ini.init-*' | wc -l)" -eq 0 ]

# nothing usable: every file named with why, exit 3, nothing written
mkdir -p "$TMP/none" && cd "$TMP/none"
printf 'a,b\n1,2\n' >notes.csv
cp "$TMP/bitrix24_csv/deal.xls" .
set +e
"$SF" init -o x.ini notes.csv deal.xls missing.csv >"$TMP/o" 2>"$TMP/e"; rc=$?
set -e
[ "$rc" -eq 3 ] || { echo "want exit 3, got $rc"; cat "$TMP/e"; exit 1; }
grep -q "notes.csv: its headers fit no kind of export" "$TMP/e"
grep -q "deal.xls: an HTML page, not a spreadsheet" "$TMP/e"
grep -q "missing.csv: cannot open" "$TMP/e"
[ ! -e x.ini ]
# no files at all: a usage error
set +e
"$SF" init -o x.ini >"$TMP/o" 2>"$TMP/e"; rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "init needs the export files" "$TMP/e"
echo ok
