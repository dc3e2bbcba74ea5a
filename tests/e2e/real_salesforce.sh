#!/usr/bin/env bash
# The Salesforce Data Export Service's shape (tests/py/real_fixtures.py
# salesforce_export): API names, ISO-8859-1 Spanish names, NUL bytes and
# line breaks in rich-text columns no field maps, blank task Type (Subject
# stands in), Task.csv + Event.csv, IsWon/IsClosed with Spanish stage names,
# four currencies, deals entered at close, owners as user ids named by
# User.csv. With only the preset, the file names and the rates: under 5 %
# rejects, every closed stage classified, owners by name, deal and account
# names in the workbook, filter 2 without a next-step column, the short
# cycle said.
set -euo pipefail
. "$ROOT/tests/e2e/real_lib.sh"
D="$TMP/sf"
real_make salesforce_export "$D"
real_run "$D"
under_5pct "$D"
C="$D/check.txt"

# the NUL bytes sit in unmapped columns: nothing rejected for them, nothing
# rejected at all but the one impossible event date, named in Event.csv
need "$C" "opportunities: $D/Opportunity.csv"
need "$C" "records: read 150, accepted 150, rejected 0"
need "$C" "accounts: $D/Account.csv"
need "$C" "records: read 40, accepted 40, rejected 0"
need "$C" "activities: 2 files"
need "$C" "file 1 of 2: $D/Task.csv"
need "$C" "records: read 200, accepted 200, rejected 0"
need "$C" "file 2 of 2: $D/Event.csv"
need "$C" "records: read 60, accepted 59, rejected 1"
need "$C" "e.g. bad_date: Event.csv line 19 date '2025-02-30'"
never "$C" "bad_encoding"
# a task's date: ActivityDate, else CreatedDate; its type: Type, else Subject
need "$C" 'date             <- "ActivityDate | CreatedDate"'
need "$C" 'type             <- "Type | Subject"'
need "$C" 'date             <- "ActivityDate | ActivityDateTime"'
# every stage classified through IsWon / IsClosed, whatever its language
need "$C" "'Cerrada ganada': 60 -> won"
need "$C" "'Cerrada perdida': 30 -> lost"
need "$C" "'Prospección': 20 -> open"
never "$C" "reads as closed"
# blank task types read through the subject; a task with neither is other
need "$C" "'Llamada': 30 -> call"
need "$C" "'Send Letter': 33 -> email"
need "$C" "'' (empty): 33 -> other"
# deals entered at close; no next-step column; one owner not in User.csv
need "$C" "warning: the median won deal closed 0 days after it was created"
need "$C" "warning: no next-step date column: the next-step criteria of filter 2 are skipped"
need "$C" "warning: 1 owner(s) not in the users export, e.g. '0058a000000099AAX'"
need "$C" "users: 5 in the users export, 5 owner(s) shown by name"
need "$D/log.txt" "warning: the median won deal closed 0 days"

# the outputs: names, not ids; Latin-1 read as such; rejects.csv names the file
"$PY" - "$D" <<'PYEOF'
import csv, json, os, re, sys
import openpyxl
d = sys.argv[1]
exp = json.load(open(os.path.join(d, "expect.json"), encoding="utf-8"))
def rows(name):
    with open(os.path.join(d, "out", "csv", name), encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))
users = set(exp["users"])
acc = rows("accounts.csv")
assert len(acc) == 40, len(acc)
owners = {r["owner"] for r in acc}
assert owners <= users | {exp["unnamed_owner"]}, owners
assert users <= owners, owners
assert any("Compañía Minera Pérez" in r["name"] for r in acc), "Latin-1 name not decoded"
assert not any("\ufffd" in r["name"] for r in acc)
pipe = rows("pipeline.csv")
assert len(pipe) == exp["open"], (len(pipe), exp["open"])
assert {r["owner"] for r in pipe} <= users | {exp["unnamed_owner"]}
# pipeline.csv keeps SPEC's columns
assert list(pipe[0].keys()) == ["opportunity_id", "account_id", "owner", "stage", "amount", "probability",
                                "next_step_date", "filter1", "filter1_misses", "filter2", "filter2_misses",
                                "verdict"], list(pipe[0].keys())
# filter 2 without next-step criteria: deals can be pursued; the stale check
# runs on the default 60-day cycle (open deals created up to 120 days ago pass)
verdicts = {r["verdict"] for r in pipe}
assert "pursue" in verdicts, verdicts
assert not any("no_next_step" in r["filter2_misses"] for r in pipe)
rej = rows("rejects.csv")
assert [(r["file"], r["line"], r["reason"]) for r in rej] == [("Event.csv", str(exp["bad_event_line"]), "bad_date")], rej
# the workbook's pipeline sheet: the deal's and the account's names beside their ids
wb = openpyxl.load_workbook(os.path.join(d, "out", "workbook.xlsx"), read_only=True)
ws = wb["Pipeline"]
head = [c.value for c in next(ws.iter_rows(max_row=1))]
assert head[:5] == ["Opportunity ID", "Deal", "Account ID", "Account name", "Owner"], head
first = [c.value for c in next(ws.iter_rows(min_row=2, max_row=2))]
assert re.fullmatch(r"Oportunidad \d+ .+", first[1]), first
assert first[3] and first[3] in {r["name"] for r in acc}, first
print("salesforce export ok")
PYEOF

# the report's data-quality page says the short cycle; the cover shows growth
pdftotext -layout "$D/out/report.pdf" "$D/report.txt"
need "$D/report.txt" "Data quality"
need "$D/report.txt" "Won deals closed a median 0 days after they were created"
need "$D/report.txt" "Event.csv"

# the run summary counts each kind; the users export is one of them
need "$D/run.txt" "activities: read 260, accepted 259, rejected 1"
need "$D/run.txt" "users: read 5, accepted 5, rejected 0"

# check --rejects writes the list it describes, as rejects.csv
"$SF" check -q -c "$D/config.ini" --rejects "$D/rej.csv" >/dev/null
cmp "$D/rej.csv" "$D/out/csv/rejects.csv"
need "$D/run.txt" "    Task.csv: read 200, accepted 200, rejected 0"
need "$D/run.txt" "    Event.csv: read 60, accepted 59, rejected 1"

# the workbook read back against the CSV lists (the pipeline sheet's name
# columns, the Summary's row per activities file)
"$PY" "$ROOT/tests/py/xlsx_check.py" --out "$D/out" --root "$ROOT" --config "$D/config.ini"
