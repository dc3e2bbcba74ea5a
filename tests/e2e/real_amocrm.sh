#!/usr/bin/env bash
# amoCRM's deals export (tests/py/real_fixtures.py amocrm): a header with a
# trailing space ("Бюджет "), seven duplicated headers, "не закрыта" in the
# close date of every open deal, B2C deals whose client is the contact,
# continuation rows without an ID, "150 000 ₽" budgets, ';' with a BOM.
# With only the preset and the file: no bad date, under 5 % rejects (the
# continuation rows only), the contact as the client of a B2C deal, the
# derived accounts owned by the owner of their latest won deal.
set -euo pipefail
. "$ROOT/tests/e2e/real_lib.sh"
D="$TMP/amo"
real_make amocrm "$D"
real_run "$D"
under_5pct "$D"
C="$D/check.txt"
need "$C" "records: read 123, accepted 120, rejected 3"
need "$C" "rejected by reason: missing_required 3"
need "$C" "e.g. missing_required: line 10 opportunity_id ''"
never "$C" "bad_date"
never "$C" "kept with a field emptied"
# the trailing space and the first of duplicated headers
need "$C" 'amount           <- "Бюджет"'
need "$C" 'owner            <- "Ответственный"'
need "$C" 'account_id       <- "Компания | Полное имя контакта"'
need "$C" "'Успешно реализовано': 40 -> won"
need "$C" "'Закрыто и не реализовано': 20 -> lost"
never "$C" "reads as closed"
need "$C" "warning: no next-step date column"

"$PY" - "$D" <<'PYEOF'
import csv, json, os, sys
d = sys.argv[1]
exp = json.load(open(os.path.join(d, "expect.json"), encoding="utf-8"))
def rows(name):
    with open(os.path.join(d, "out", "csv", name), encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))
acc = {r["account_id"]: r for r in rows("accounts.csv")}
# every account a won deal made, B2C ones named after the contact
assert set(exp["owners"]) == set(acc), (sorted(exp["owners"]), sorted(acc))
assert any(k.startswith("Покупатель ") for k in acc), "no B2C account"
# the owner of each derived account is the owner of its latest won deal
for a, owner in exp["owners"].items():
    assert acc[a]["owner"] == owner, (a, acc[a]["owner"], owner)
pipe = rows("pipeline.csv")
assert len(pipe) == exp["open"], (len(pipe), exp["open"])
assert "pursue" in {r["verdict"] for r in pipe}
rej = rows("rejects.csv")
assert [r["reason"] for r in rej] == ["missing_required"] * exp["continuations"], rej
# budgets "150 000 ₽": the won deals' revenue
won = sum(float(r["rev12"]) for r in acc.values())
assert won > 0
print("amocrm ok")
PYEOF
