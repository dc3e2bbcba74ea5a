#!/usr/bin/env bash
# SPEC §11 on the CDNOW sample (tests/data/cdnow): the published figures.
# The purchase log becomes a transactions CSV (tests/py/cdnow_to_csv.py;
# the conventions are in tests/data/cdnow/README.md), run at T = 1997-09-30
# with a time unit of 7 days. Then:
# - the counts of the paper: 2,357 customers, 946 of them with a repeat
#   purchase day in the calibration period, and the repeat purchase days
#   the raw file gives when counted here independently;
# - BG/NBD chosen (lowest AIC), r = 0.243, alpha = 4.414, a = 0.793,
#   b = 2.426 each within 1 % (Fader, Hardie & Lee 2005), log-likelihood
#   -9582.4; Gamma-Gamma p = 6.25, q = 3.74, gamma = 15.44 within 1 %, its
#   log-likelihood -4055.92 (as CLVTools reports it);
# - every account's p_alive, expected purchases and clv within 0.5 % of an
#   independent implementation of the formulas (tests/py/clv_ref.py);
# - with min_accounts above the book: both lists header-only, and the log
#   says why.
set -euo pipefail
CD="$ROOT/tests/data/cdnow"
said=$($PY "$ROOT/tests/py/cdnow_to_csv.py" "$CD/CDNOW_sample.txt" "$TMP/book")
[ "$said" = "8 purchases of \$0.00 written as 0.01" ] || { echo "converter: $said"; exit 1; }
"$SF" run -q -c "$TMP/book/config.ini" --out "$TMP/out"

$PY - "$CD/CDNOW_sample.txt" "$TMP/out/csv" <<'PYEOF'
import csv, collections, datetime, sys
src, out = sys.argv[1], sys.argv[2]
T = datetime.date(1997, 9, 30)
days = collections.defaultdict(set)
for line in open(src, encoding="ascii"):
    f = line.split()
    d = datetime.date(int(f[2][:4]), int(f[2][4:6]), int(f[2][6:]))
    if d <= T:
        days[f[1]].add(d)
customers = len(days)
repeaters = sum(1 for s in days.values() if len(s) > 1)
repeat_days = sum(len(s) - 1 for s in days.values())
assert (customers, repeaters) == (2357, 946), (customers, repeaters)

def rows(name):
    with open(f"{out}/{name}.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))
clv = rows("clv")
assert len(clv) == 2357, len(clv)
assert sum(1 for r in clv if int(r["repeat_purchases"]) > 0) == 946
assert sum(int(r["repeat_purchases"]) for r in clv) == repeat_days, repeat_days

model = rows("clv_model")
got = {(r["model"], r["param"]): r["value"] for r in model}
assert model[0]["model"] == "bgnbd", model[0]
def near(key, want, rel):
    v = float(got[key])
    assert abs(v - want) <= rel * abs(want), f"{key}: {v}, published {want}"
for p, want in [("r", 0.243), ("alpha", 4.414), ("a", 0.793), ("b", 2.426)]:
    near(("bgnbd", p), want, 0.01)
near(("bgnbd", "loglik"), -9582.4, 1e-5)
for p, want in [("p", 6.25), ("q", 3.74), ("gamma", 15.44)]:
    near(("gammagamma", p), want, 0.01)
near(("gammagamma", "loglik"), -4055.92, 1e-5)
assert got[("bgnbd", "accounts")] == "2357" and got[("gammagamma", "accounts")] == "946", got
# the limit models were fitted and lost on AIC
aic = float(got[("bgnbd", "aic")])
assert float(got[("nbd", "aic")]) > aic and float(got[("bg_fixed", "aic")]) > aic, got
assert [(r["model"], r["param"]) for r in model] == [
    ("bgnbd", "r"), ("bgnbd", "alpha"), ("bgnbd", "a"), ("bgnbd", "b"), ("bgnbd", "loglik"),
    ("bgnbd", "aic"), ("bgnbd", "accounts"), ("nbd", "aic"), ("bg_fixed", "aic"),
    ("gammagamma", "p"), ("gammagamma", "q"), ("gammagamma", "gamma"), ("gammagamma", "loglik"),
    ("gammagamma", "accounts")], model
# six significant digits
for r in model:
    if r["param"] != "accounts":
        assert "e" not in r["value"] and len(r["value"].lstrip("-").replace(".", "").strip("0")) <= 6, r
print("published figures ok:", {k[1]: v for k, v in got.items() if k[0] in ("bgnbd", "gammagamma")})
PYEOF

$PY "$ROOT/tests/py/clv_ref.py" check "$TMP/out"

# too few accounts for the model: header-only lists, the reason in the log
$PY "$ROOT/tests/py/cdnow_to_csv.py" "$CD/CDNOW_sample.txt" "$TMP/few-book" --min-accounts 3000 >/dev/null
"$SF" run -c "$TMP/few-book/config.ini" --out "$TMP/fewdir/few" 2>"$TMP/few.log"
grep -qF "expected value: 2357 clients with a purchase on or before the as-of date, fewer than [clv] min_accounts = 3000" "$TMP/few.log" \
    || { cat "$TMP/few.log"; exit 1; }
[ "$(wc -l <"$TMP/fewdir/few/csv/clv.csv")" -eq 1 ] && [ "$(wc -l <"$TMP/fewdir/few/csv/clv_model.csv")" -eq 1 ]
echo ok
