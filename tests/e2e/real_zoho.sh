#!/usr/bin/env bash
# Zoho CRM deals (tests/py/real_fixtures.py zoho): API-flattened names,
# "Closed-Lost to Competition", B2C deals with a contact and no account
# (12 % of the book: over the 5 % limit unless the contact stands in), two
# deals with neither, Created_Time with a zone, migrated records closed
# before their creation. With only the preset and the file: 2 % rejects,
# every closed stage classified. Then a config whose lost list forgets a
# closed stage: check, the run log and the report's data-quality page
# warn that it reads as closed but counts as open.
set -euo pipefail
. "$ROOT/tests/e2e/real_lib.sh"
D="$TMP/zoho"
real_make zoho "$D"
real_run "$D"
under_5pct "$D"
C="$D/check.txt"
need "$C" "records: read 100, accepted 98, rejected 2"
need "$C" "e.g. missing_required: line 43 account_id ''; line 79 account_id ''"
need "$C" 'account_id       <- "Account_Name__name | Contact_Name__name"'
need "$C" "'Closed-Lost to Competition': 12 -> lost"
need "$C" "'Closed Won': 11 -> won"
never "$C" "reads as closed"
"$PY" - "$D" <<'PYEOF'
import csv, json, os, sys
d = sys.argv[1]
exp = json.load(open(os.path.join(d, "expect.json"), encoding="utf-8"))
def rows(name):
    with open(os.path.join(d, "out", "csv", name), encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))
pipe = rows("pipeline.csv")
# the deals with neither account nor contact are rejected
assert len(pipe) == exp["open_accepted"], (len(pipe), exp["open_accepted"])
b2c = [r for r in pipe if r["account_id"].startswith("Person ")]
assert b2c, "no B2C deal in the pipeline"
assert {r["owner"] for r in pipe} == {"Chloe Martin", "Liam Walker", "Ava Singh"}
print("zoho ok", len(b2c), "B2C open deals")
PYEOF

# a lost list without the competition stage: a warning everywhere
cat >>"$D/config.ini" <<'INI'

[opportunity_status]
won = Closed Won
lost = Closed Lost
INI
"$SF" check -c "$D/config.ini" >"$D/check2.txt"
need "$D/check2.txt" "'Closed-Lost to Competition': 12 -> open   warning: reads as closed; add it to [opportunity_status] won or lost"
need "$D/check2.txt" "warning: status 'Closed-Lost to Competition' (12 deals) reads as closed but counts as open"
"$SF" run -c "$D/config.ini" --out "$D/out2" >/dev/null 2>"$D/log2.txt"
need "$D/log2.txt" "warning: status 'Closed-Lost to Competition' (12 deals) reads as closed but counts as open"
pdftotext -layout "$D/out2/report.pdf" "$D/report2.txt"
need "$D/report2.txt" "Status “Closed-Lost to Competition” (12 deals) reads as closed"
need "$D/report2.txt" "(reads as closed!)"
