#!/usr/bin/env bash
# `salesfocus backtest` (SPEC §10) on the worked example, T = 2025-06-30,
# the defaults (horizon 90, 8 points 28 days apart):
# - one ingest replays what a run as of each t_k concludes: every rule's
#   flags are read back from the CSV lists of `salesfocus run --as-of t_k`
#   (decline_alerts, reorder_due, accounts, fire_candidates, cadence_due),
#   the population and the declines from the accepted transactions (the
#   input minus the rejected lines), and backtest.csv must equal the counts
#   and ratios worked out here from them;
# - backtest.xlsx holds that sheet, typed; backtest.pdf is one page that
#   names every rule and marks exactly those with lift <= 1 as not predictive;
# - bad option values are usage errors (exit 2); the outputs are all or
#   nothing (a write that fails leaves the previous files as they were).
set -euo pipefail
. "$ROOT/tests/e2e/pdf_lib.sh"
MINI="$ROOT/tests/data/mini"
mini_config en "$TMP/cfg.ini"

"$SF" backtest -c "$TMP/cfg.ini" --as-of 2025-06-30 --out "$TMP/bt" >"$TMP/stdout"
[ -f "$TMP/bt/csv/backtest.csv" ] && [ -f "$TMP/bt/backtest.xlsx" ] && [ -f "$TMP/bt/backtest.pdf" ]
[ "$(cd "$TMP/bt" && find . -type f | sort | tr '\n' ' ')" = "./backtest.pdf ./backtest.xlsx ./csv/backtest.csv " ]
grep -qF "8 points from 2024-09-17 to 2025-04-01" "$TMP/stdout"

# the runs as of each point, for their lists
for k in 0 1 2 3 4 5 6 7; do
    t=$(date -u -d "2025-06-30 - $((90 + 28 * k)) days" +%F)
    "$SF" run -q -c "$TMP/cfg.ini" --as-of "$t" --out "$TMP/run-$k"
    echo "$k $t" >>"$TMP/points"
done

$PY - "$TMP" "$MINI" <<'PYEOF'
import csv, datetime, sys
from fractions import Fraction
tmp, mini = sys.argv[1], sys.argv[2]
def rows(path):
    return list(csv.DictReader(open(path, encoding="utf-8-sig", newline="")))
# the accepted transactions: the input without the lines rejects.csv rejects
rej = {int(r["line"]) for r in rows(f"{tmp}/run-0/csv/rejects.csv")
       if r["file"] == "transactions.csv" and r["action"] == "rejected"}
tx = []
with open(f"{mini}/transactions.csv", encoding="utf-8-sig", newline="") as f:
    rd = csv.DictReader(f)
    for r in rd:
        if rd.line_num in rej:
            continue
        tx.append((r["account_id"], datetime.date.fromisoformat(r["date"]), round(Fraction(r["amount"]) * 100)))
H, share = 90, Fraction(20, 100)
tot = dict(population=0, declined=0)
rules = ["decline_alert", "late_reorder", "cold_a", "fire", "overdue_a_b"]
flagged = {r: 0 for r in rules}
hits = {r: 0 for r in rules}
for line in open(f"{tmp}/points"):
    k, t = line.split()
    t = datetime.date.fromisoformat(t)
    before, after = {}, {}
    for a, d, c in tx:
        if t - datetime.timedelta(H) < d <= t:
            before[a] = before.get(a, 0) + c
        elif t < d <= t + datetime.timedelta(H):
            after[a] = after.get(a, 0) + c
    pop = {a for a, v in before.items() if v > 0}
    dec = {a for a in pop if after.get(a, 0) < (1 - share) * before[a]}
    run = f"{tmp}/run-{k}/csv"
    acc = {r["account_id"]: r for r in rows(f"{run}/accounts.csv")}
    flags = {
        "decline_alert": {r["account_id"] for r in rows(f"{run}/decline_alerts.csv")},
        "late_reorder": {r["account_id"] for r in rows(f"{run}/reorder_due.csv")},
        "cold_a": {a for a, r in acc.items() if r["tier"] == "A" and r["temperature"] == "cold"},
        "fire": {r["account_id"] for r in rows(f"{run}/fire_candidates.csv")},
        "overdue_a_b": {r["account_id"] for r in rows(f"{run}/cadence_due.csv")
                        if r["tier"] in "AB" and int(r["days_overdue"]) > 0},
    }
    tot["population"] += len(pop)
    tot["declined"] += len(dec)
    for r in rules:
        flagged[r] += len(flags[r] & pop)
        hits[r] += len(flags[r] & pop & dec)
def e4(num, den):
    if den == 0:
        return ""
    q = Fraction(num) / den * 10000
    v = int(q + Fraction(1, 2))  # half away from zero (all ratios >= 0)
    return f"{v // 10000}.{v % 10000:04d}"
want = ["rule,points,population,declined,flagged,hits,precision,recall,base_rate,lift"]
P, D = tot["population"], tot["declined"]
for r in rules:
    F, X = flagged[r], hits[r]
    lift = e4(X * P, F * D) if F and D and P else ""
    want.append(f"{r},8,{P},{D},{F},{X},{e4(X, F)},{e4(X, D)},{e4(D, P)},{lift}")
got = open(f"{tmp}/bt/csv/backtest.csv", encoding="utf-8", newline="").read()
assert got.startswith("\ufeff") and got.endswith("\r\n"), "BOM and CRLF"
got = got[1:].split("\r\n")[:-1]
assert got == want, "backtest.csv differs:\n" + "\n".join(got) + "\n--- want\n" + "\n".join(want)
assert P > 0 and D > 0 and any(flagged.values()) and any(hits.values()), "the example exercises the rules"
print("backtest.csv = the runs as of each point:", got[1:])
PYEOF

# the workbook: one sheet, typed, as the CSV
$PY - "$TMP/bt" "$ROOT/templates/lang/en.ini" <<'PYEOF'
import configparser, csv, sys, openpyxl
out = sys.argv[1]
cp = configparser.RawConfigParser(strict=False, interpolation=None, comment_prefixes=(";",), inline_comment_prefixes=None)
cp.optionxform = str
cp.read(sys.argv[2], encoding="utf-8")
xl = cp["xlsx"]
wb = openpyxl.load_workbook(f"{out}/backtest.xlsx")
assert wb.sheetnames == [xl["sheet_backtest"]], wb.sheetnames
ws = wb[xl["sheet_backtest"]]
rows = list(csv.reader(open(f"{out}/csv/backtest.csv", encoding="utf-8-sig")))
assert [c.value for c in ws[1]] == [xl["col_" + h] for h in rows[0]], [c.value for c in ws[1]]
assert ws.max_row == len(rows) and ws.freeze_panes == "A2"
for i, r in enumerate(rows[1:], start=2):
    cells = ws[i]
    assert cells[0].value == r[0]
    for j in range(1, 6):
        assert cells[j].value == int(r[j]), (i, j, cells[j].value, r[j])
    for j in range(6, 10):
        v = cells[j].value
        assert (v is None) if r[j] == "" else abs(v - float(r[j])) < 1e-9, (i, j, v, r[j])
    for j in (6, 7, 8):
        assert cells[j].value is None or cells[j].number_format == "0.00%", cells[j].number_format
assert wb.properties.title == xl["title_backtest"]
print("backtest.xlsx ok")
PYEOF

# the PDF: one page naming every rule, "not predictive" exactly for lift <= 1
pdf_ok "$TMP/bt/backtest.pdf" 1
pdf_in_margins "$TMP/bt/backtest.pdf"
pdftotext -layout "$TMP/bt/backtest.pdf" "$TMP/bt.txt"
$PY - "$TMP/bt" "$TMP/bt.txt" <<'PYEOF'
import csv, sys
rows = list(csv.DictReader(open(f"{sys.argv[1]}/csv/backtest.csv", encoding="utf-8-sig")))
text = open(sys.argv[2], encoding="utf-8").read()
assert "Do the warnings predict a decline?" in text
label = {"decline_alert": "Decline alert", "late_reorder": "Late to reorder", "cold_a": "Cold A client",
         "fire": "Fire candidate", "overdue_a_b": "Overdue A or B contact"}
lines = text.splitlines()
weak = 0
for r in rows:
    line = [l for l in lines if l.strip().startswith(label[r["rule"]]) and "%" in l]
    assert len(line) == 1, (r["rule"], line)
    F, X, P, D = (int(r[k]) for k in ("flagged", "hits", "population", "declined"))
    if F and D:
        not_pred = X * P <= F * D
        assert ("not predictive on this data" in line[0]) == not_pred, line[0]
        assert ("predictive:" in line[0]) == (not not_pred), line[0]
        weak += not_pred
    else:
        assert "cannot tell" in line[0], line[0]
assert weak > 0, "the example has a rule that is not predictive"
print("backtest.pdf ok")
PYEOF

# Russian labels in the PDF
mini_config ru "$TMP/ru.ini"
"$SF" backtest -q -c "$TMP/ru.ini" --as-of 2025-06-30 --out "$TMP/bt-ru"
pdftotext "$TMP/bt-ru/backtest.pdf" - | grep -F "Предсказывают ли сигналы падение выручки?" >/dev/null

# options: bad values are usage errors; --points 1 --step 7 --horizon 30 works
for bad in "--horizon 0" "--points x" "--step 3651" "--points 1001" "--horizon 12a"; do
    rc=0
    # shellcheck disable=SC2086
    "$SF" backtest -q -c "$TMP/cfg.ini" $bad --out "$TMP/bad" 2>"$TMP/err" || rc=$?
    [ "$rc" -eq 2 ] || { echo "$bad: exit $rc"; exit 1; }
    grep -qF "expected a whole number" "$TMP/err"
    [ ! -e "$TMP/bad" ]
done
rc=0; "$SF" run -q -c "$TMP/cfg.ini" --horizon 30 --out "$TMP/bad" 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || { echo "run --horizon: exit $rc"; exit 1; }
"$SF" backtest -q -c "$TMP/cfg.ini" --as-of 2025-06-30 --horizon 30 --points 1 --step 7 --out "$TMP/one"
grep -q '^decline_alert,1,' "$TMP/one/csv/backtest.csv"

# all or nothing: a write that fails part-way (a file size limit below the
# PDF's size: the CSV and the workbook are already staged) leaves the
# previous backtest's files byte for byte, and no temporary file
(cd "$TMP/bt" && find . -type f | sort | xargs sha256sum) >"$TMP/before.sha"
limit=$(( $(stat -c %s "$TMP/bt/backtest.pdf") / 1024 / 2 ))
[ "$limit" -gt $(( $(stat -c %s "$TMP/bt/backtest.xlsx") / 1024 + 1 )) ] || { echo "the PDF is not the largest file"; exit 1; }
rc=0
(
    trap '' XFSZ
    ulimit -f "$limit"
    exec "$SF" backtest -q -c "$TMP/cfg.ini" --as-of 2025-05-31 --out "$TMP/bt"
) 2>"$TMP/err" || rc=$?
[ "$rc" -eq 4 ] || { echo "expected exit 4, got $rc"; cat "$TMP/err"; exit 1; }
grep -qF "backtest.pdf" "$TMP/err"
(cd "$TMP/bt" && sha256sum -c --quiet "$TMP/before.sha")
(cd "$TMP/bt" && find . -type f | sort | xargs sha256sum) | cmp - "$TMP/before.sha"
echo ok
