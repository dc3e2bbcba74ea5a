#!/usr/bin/env bash
# Odoo (tests/py/real_fixtures.py odoo): opportunities with their labels
# and customer invoices in ten monthly files read through one pattern
# (transactions = invoices/*.csv), credit notes negative, one impossible
# date in one month. Each file counted apart and named in rejects.csv;
# growth n/a, with the reason, as the invoices begin inside the previous
# year. Then a book of credit notes only: no revenue at all, said in
# check, the run log and on the report's first page.
set -euo pipefail
. "$ROOT/tests/e2e/real_lib.sh"
D="$TMP/odoo"
real_make odoo "$D"
real_run "$D"
under_5pct "$D"
C="$D/check.txt"
need "$C" "transactions: 10 files"
need "$C" "file 1 of 10: $D/invoices/2024-09.csv"
need "$C" "file 10 of 10: $D/invoices/2025-06.csv"
need "$C" "records: read 400, accepted 399, rejected 1"
need "$C" "e.g. bad_date: 2025-01.csv line 6 date '2025-01-32'"
need "$C" 'amount           <- "amount_total_signed"'
need "$C" 'created          <- "Created on"'
need "$C" "'Won': 7 -> won"
need "$C" "warning: growth is n/a: the transactions begin on 2024-09-01, after the first day of the previous 365 days (2023-07-02)"
need "$D/run.txt" "growth:                      n/a (the transactions begin on 2024-09-01, inside the previous 365 days)"
need "$D/run.txt" "transactions: read 400, accepted 399, rejected 1"
need "$D/log.txt" "warning: growth is n/a"
"$PY" - "$D" <<'PYEOF'
import csv, os, sys
d = sys.argv[1]
with open(os.path.join(d, "out", "csv", "rejects.csv"), encoding="utf-8-sig", newline="") as f:
    rej = list(csv.DictReader(f))
assert [(r["file"], r["line"], r["reason"], r["field"]) for r in rej] == [("2025-01.csv", "6", "bad_date", "date")], rej
# credit notes count: revenue is the invoices less the refunds
with open(os.path.join(d, "out", "csv", "accounts.csv"), encoding="utf-8-sig", newline="") as f:
    acc = list(csv.DictReader(f))
assert len(acc) == 12, len(acc)
print("odoo ok")
PYEOF
# the cover: growth "—" with the reason
pdftotext -layout -f 1 -l 1 "$D/out/report.pdf" "$D/p1.txt"
need "$D/p1.txt" "n/a: the data begin on 2024-09-01"

# credit notes only
N="$TMP/none"
real_make odoo_no_revenue "$N"
"$SF" check -c "$N/config.ini" >"$N/check.txt"
need "$N/check.txt" "warning: no transaction has an amount above 0"
"$SF" run -c "$N/config.ini" --out "$N/out" >"$N/run.txt" 2>"$N/log.txt"
need "$N/log.txt" "warning: no transaction has an amount above 0"
pdftotext -layout -f 1 -l 1 "$N/out/report.pdf" "$N/p1.txt"
need "$N/p1.txt" "Warning: no transaction has an amount above 0."
