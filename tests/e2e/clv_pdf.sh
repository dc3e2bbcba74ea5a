#!/usr/bin/env bash
# The expected-value page (SPEC §11) on a book where BG/NBD is fitted
# (sfgen, 3,000 accounts): its page of the report and of one rep's pack.
# - the largest expected values are clv.csv's first rows, in its order,
#   with "top N of M" counting the list;
# - the valuable clients least likely to be alive are recomputed here from
#   transactions.csv and clv.csv (revenue to date: the purchase days up to
#   the as-of date; valuable from the revenue of the client at place
#   ceil(n/4); p_alive below 0.5; by owner name, revenue descending,
#   account_id): the caption counts them and the rows shown are the first
#   ones, in that order; in the rep's pack only the rep's, without an owner
#   column;
# - the line under the tables names the model chosen in clv_model.csv;
# - every word in a table cell lies inside its cell (SF_DEBUG_CELLS).
set -euo pipefail
[ -x "${SFGEN:-}" ] || { echo "no sample generator (\$SFGEN)"; exit 1; }
"$SFGEN" --out "$TMP/in" --accounts 3000 --transactions 40000 --activities 20000 \
    --opportunities 1500 --seed 7 --as-of 2025-06-30 >/dev/null
mkdir -p "$TMP/cells"
SF_DEBUG_CELLS="$TMP/cells" "$SF" run -q -c "$TMP/in/config.ini" --out "$TMP/out"
SF_DEBUG_CELLS="$TMP/cells" "$SF" review -q -c "$TMP/in/config.ini" --owner "James Carter" --out "$TMP/out"
# the page: the one under its title
pages=$(pdfinfo "$TMP/out/report.pdf" | awk '/^Pages:/ { print $2 }')
page=0
for p in $(seq 1 "$pages"); do
    pdftotext -layout -f "$p" -l "$p" "$TMP/out/report.pdf" "$TMP/p.txt"
    if grep -qF "Expected value: who is still buying" "$TMP/p.txt"; then page=$p; fi
done
[ "$page" -gt 0 ] || { echo "no expected-value page in report.pdf"; exit 1; }
pdftotext -layout -f "$page" -l "$page" "$TMP/out/report.pdf" "$TMP/report.txt"
pdftotext -layout "$TMP/out/review-James_Carter.pdf" "$TMP/pack.txt"
pdftotext -bbox -f "$page" -l "$page" "$TMP/out/report.pdf" "$TMP/report.bbox"

$PY - "$TMP" "$page" <<'PYEOF'
import collections, csv, datetime, re, sys
tmp, page = sys.argv[1], int(sys.argv[2])
def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))
clv = rows(f"{tmp}/out/csv/clv.csv")
model = rows(f"{tmp}/out/csv/clv_model.csv")
T = datetime.date(2025, 6, 30)
days = collections.defaultdict(lambda: collections.defaultdict(int))
for r in rows(f"{tmp}/in/transactions.csv"):
    try:
        d = datetime.date.fromisoformat(r["date"])
        cents = round(float(r["amount"]) * 100)
    except ValueError:
        continue  # the generator's deliberately bad records (rejected by the run)
    days[r["account_id"]][d] += cents
revenue = {a: sum(v for d, v in dd.items() if d <= T and v > 0) for a, dd in days.items()}
revs = sorted((revenue[r["account_id"]] for r in clv), reverse=True)
valuable = revs[(len(revs) + 3) // 4 - 1]
risk = [r for r in clv if revenue[r["account_id"]] >= valuable and float(r["p_alive"]) < 0.5]
risk.sort(key=lambda r: (r["owner"].encode(), -revenue[r["account_id"]], r["account_id"].encode()))
assert model[0]["model"] == "bgnbd" and len(risk) > 5, (model[0], len(risk))

text = open(f"{tmp}/report.txt", encoding="utf-8").read()
assert "Expected value: who is still buying, and what they will bring" in text
lines = [l for l in text.splitlines() if l.strip()]
def order(names, after):
    start = next(i for i, l in enumerate(lines) if after in l)
    at = [next((i for i, l in enumerate(lines) if i > start and n in l), -1) for n in names]
    assert -1 not in at, f"missing after '{after}': {[n for n, i in zip(names, at) if i < 0]}"
    assert at == sorted(at), f"out of order after '{after}'"
top = re.search(r"top (\d+) of ([\d,]+)", text)
assert top and int(top.group(2).replace(",", "")) == len(clv), top
order([r["name"] for r in clv[:int(top.group(1))]], "Largest expected value")
cap = re.findall(r"(?:top (\d+) of (\d+)|all (\d+))", text)[1]
shown, total = (int(cap[0]), int(cap[1])) if cap[0] else (int(cap[2]), int(cap[2]))
assert total == len(risk), (total, len(risk))
order([r["name"] for r in risk[:shown]], "Valuable clients least likely")
assert f"Model: BG/NBD; order value: Gamma-Gamma; fitted on {len(clv):,} clients" in text, text[-400:]

pack = open(f"{tmp}/pack.txt", encoding="utf-8").read()
part = pack[pack.index("Expected value of the clients"):]
part = part[:part.index("\f")] if "\f" in part else part
mine = [r for r in risk if r["owner"] == "James Carter"]
lines = [l for l in part.splitlines() if l.strip()]
order([r["name"] for r in mine[:8]], "Valuable clients least likely")
assert "Owner" not in part, "an owner column in a one-rep pack"
others = [r["name"] for r in risk if r["owner"] != "James Carter"]
assert not any(n in part for n in others), "another owner's client in the pack"

# every word in a table cell of the page lies inside its cell
cells = [tuple(float(v) for v in l.split("\t")[2:6])
         for l in open(f"{tmp}/cells/report.pdf.cells", encoding="utf-8") if int(l.split("\t")[1]) == page]
words = re.findall(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>',
                   open(f"{tmp}/report.bbox", encoding="utf-8").read())
checked = 0
for x0, y0, x1, y1, w in words:
    x0, y0, x1, y1 = float(x0), float(y0), float(x1), float(y1)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hit = [c for c in cells if c[0] <= cx <= c[2] and c[1] <= cy <= c[3]]
    if not hit:
        continue
    checked += 1
    c = hit[0]
    assert c[0] - 0.5 <= x0 and x1 <= c[2] + 0.5 and c[1] - 1 <= y0 and y1 <= c[3] + 1, (w, c)
    assert "…" not in w, w
assert checked > 100, checked
print(f"page {page}: {int(top.group(1))} of {len(clv)} largest, {shown} of {len(risk)} at risk, "
      f"{checked} words in cells")
PYEOF
echo ok
