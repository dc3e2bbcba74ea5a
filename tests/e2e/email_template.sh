#!/usr/bin/env bash
# The body template: placeholders filled with the mini example's figures
# (hand-checked against expected-next/csv/cadence_due.csv: 14 due, with
# the three clients late to reorder pulled to today; top 10 listed), literal braces, and an unknown placeholder refused with exit 2
# naming the template file and line.
set -euo pipefail
. "$ROOT/tests/py/email_lib.bash"

printf 'Due: {due_count}\n{top_due}\n{{literal}} {owner} {pursue}/{qualify}/{drop}\n' >"$TMP/body.txt"
# (the expected-value lists are off: their note, why they are empty for
# the example's 20 clients, would follow the body)
write_config "$TMP/cfg.ini" "
[clv]
enabled = no

[outputs]
email = yes
pdf = no
xlsx = no

[email]
to = Boss <boss@example.com>
body_template = $TMP/body.txt
"
"$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
cat >"$TMP/want.txt" <<'TXT'
Due: 14
- Client 13 Ltd (Ben Ortiz, tier A): 98 days overdue, call/visit
- Client 9 Sp. z o.o. (Anna Kowalska, tier A): 25 days overdue, call/visit
- Client 5 Ltd ((unassigned), tier A): 12 days overdue, call/visit
- Client 14 Ltd ((unassigned), tier C): 61 days overdue, call
- Client 16 Ltd (Ben Ortiz, tier C): 55 days overdue, call
- Client 1 Ltd (Ben Ortiz, tier C): 35 days overdue, call
- Client 4 Ltd (Ben Ortiz, tier C): 34 days overdue, call
- Client 2 Ltd ((unassigned), tier C): due 2025-06-30, call
- Client 11 Ltd ((unassigned), tier C): due 2025-06-30, call
- Client 18 Sp. z o.o. (Anna Kowalska, tier C): due 2025-06-30, call
… and 4 more (see the attachments)
{literal} the whole team 1/2/5
TXT
"$PY" "$ROOT/tests/py/email_check.py" "$TMP/out/email.eml" --no-attach --to boss@example.com \
    --subject "Sales focus 2025-06-30: 10 decline alerts · 14 contacts due · 6 clients late to reorder"
"$PY" - "$TMP/out/email.eml" "$TMP/want.txt" <<'PYEOF'
import sys, email, email.policy
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
got = m.get_body(("plain",)).get_content().replace("\r\n", "\n")
want = open(sys.argv[2], encoding="utf-8").read()
if got != want:
    print("body differs:\n--- got\n" + got + "\n--- want\n" + want)
    sys.exit(1)
PYEOF

# SPEC §8-§9 in the body: the clients late to reorder (expected-next/csv/
# reorder_due.csv, in its order), what ends each decline alert (to_clear of
# expected-next/csv/explain.csv) and the explanations of the five clients
# nearest the next tier (none of the A clients is below its potential):
# their to_next_tier, benchmark_peers and benchmark of explain.csv, the
# segment values of accounts.csv (C014: Software, 120 staff)
printf 'Late: {late_count}\n{top_reorder}\n{top_declines}\n{top_explain}\n' >"$TMP/body.txt"
rm -rf "$TMP/out"
"$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
cat >"$TMP/want.txt" <<'TXT'
Late: 6
- Client 9 Sp. z o.o. (Anna Kowalska, tier A): orders every 33 days, last on 2025-04-15; 43 days late (late), 27,464.38 EUR at risk
- Client 5 Ltd ((unassigned), tier A): orders every 34 days, last on 2025-05-07; 20 days late (late), 14,810.20 EUR at risk
- Client 2 Ltd ((unassigned), tier C): orders every 52 days, last on 2025-02-07; 91 days late (late), 2,753.34 EUR at risk
- Client 18 Sp. z o.o. (Anna Kowalska, tier C): orders every 65 days, last on 2024-11-16; 161 days late (lapsed), 8,871.96 EUR at risk
- Client 11 Ltd ((unassigned), tier C): orders every 39 days, last on 2025-01-15; 127 days late (lapsed), 744.76 EUR at risk
- Client 4 Ltd (Ben Ortiz, tier C): orders every 60 days, last on 2025-01-14; 107 days late (lapsed), 434.54 EUR at risk
- Client 13 Ltd (Ben Ortiz, tier A): 33,197.06 → 17,016.37 EUR (−48.7%), declining: ask for feedback; 9,541.28 EUR more ends the alert
- Client 2 Ltd ((unassigned), tier C): 4,079.28 → 0.00 EUR (−100.0%), lost: ask for feedback; 3,263.43 EUR more ends the alert
- Client 10 Ltd (Ben Ortiz, tier C): 6,333.43 → 2,503.62 EUR (−60.5%), declining: ask for feedback; 2,563.13 EUR more ends the alert
- Client 18 Sp. z o.o. (Anna Kowalska, tier C): 3,159.17 → 0.00 EUR (−100.0%), lost: ask for feedback; 2,527.34 EUR more ends the alert
- Client 17 Ltd ((unassigned), tier C): 12,621.97 → 9,892.76 EUR (−21.6%), declining: ask for feedback; 204.82 EUR more ends the alert
- Client 7 Ltd (Ben Ortiz, tier C): 1,085.10 → 408.91 EUR (−62.3%), declining: ask for feedback; 459.18 EUR more ends the alert
- Client 3 Sp. z o.o. (Anna Kowalska, tier C): 1,635.82 → 1,179.19 EUR (−27.9%), declining: ask for feedback; 129.47 EUR more ends the alert
- Client 11 Ltd ((unassigned), tier C): 229.41 → 0.00 EUR (−100.0%), lost: ask for feedback; 183.53 EUR more ends the alert
- Client 20 Ltd ((unassigned), tier C): 378.86 → 201.78 EUR (−46.7%), declining: ask for feedback; 101.31 EUR more ends the alert
- Client 12 Sp. z o.o. (Anna Kowalska, tier C): 255.73 → 198.63 EUR (−22.3%), declining: ask for feedback; 5.96 EUR more ends the alert
- Client 17 Ltd ((unassigned), tier C): Tier C: 2 look-alike clients in Software, 10–49 staff, have a median of 27,877.07; 935.28 more this year makes it B. Hot: 100% of potential.
- Client 14 Ltd ((unassigned), tier C): Tier C: 2 look-alike clients in Software, 50–249 staff, have a median of 4,952.05; 9,845.28 more this year makes it B. Hot: 100% of potential.
- Client 1 Ltd (Ben Ortiz, tier C): Tier C: 2 look-alike clients in Logistics, 10–49 staff, have a median of 13,011.20; 15,801.15 more this year makes it B. Hot: 100% of potential.
- Client 10 Ltd (Ben Ortiz, tier C): Tier C: 7 look-alike clients in Logistics, have a median of 3,970.42; 17,588.52 more this year makes it B. Hot: 100% of potential.
- Client 15 Sp. z o.o. (Anna Kowalska, tier C): Tier C: 2 look-alike clients in Retail, 250+ staff, have a median of 3,087.60; 20,504.31 more this year makes it B. Hot: 100% of potential.
TXT
"$PY" - "$TMP/out/email.eml" "$TMP/want.txt" <<'PYEOF'
import sys, email, email.policy
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
got = m.get_body(("plain",)).get_content().replace("\r\n", "\n")
want = open(sys.argv[2], encoding="utf-8").read()
if got != want:
    print("body differs:\n--- got\n" + got + "\n--- want\n" + want)
    sys.exit(1)
PYEOF

# quoted-printable round trip: long lines, '=' and UTF-8 at every column,
# trailing blanks, a leading '.' or "From " - the decoded body is the text
"$PY" - "$TMP/body.txt" <<'PYEOF'
import random, sys
random.seed(7)
alphabet = list("abc =.\tЖжąę€ż") + ["From ", ".", "==", "  "]
lines = ["From the start", ".", ". dot", "trailing space ", "trailing tab\t", "", "x" * 300]
for n in range(60):
    lines.append("".join(random.choice(alphabet) for _ in range(random.randint(0, 120))))
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(lines) + "\n")
PYEOF
rm -rf "$TMP/out"
"$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
"$PY" "$ROOT/tests/py/email_check.py" "$TMP/out/email.eml" --no-attach
"$PY" - "$TMP/out/email.eml" "$TMP/body.txt" <<'PYEOF'
import sys, email, email.policy
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
got = m.get_body(("plain",)).get_content().replace("\r\n", "\n")
want = open(sys.argv[2], encoding="utf-8").read()
assert got == want, "QP round trip differs"
raw = open(sys.argv[1], "rb").read().decode("ascii")
body = raw.split("quoted-printable\r\n\r\n", 1)[1].split("\r\n--=_salesfocus", 1)[0]
for line in body.split("\r\n"):
    assert len(line) <= 76, line
    assert not line.startswith(".") and not line.startswith("From "), line
    assert not line.endswith(" ") and not line.endswith("\t"), repr(line)
PYEOF

# an unknown placeholder on line 3
printf 'Hello\n\nDue: {due_cnt}\n' >"$TMP/body.txt"
rm -rf "$TMP/out"
expect_exit 2 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
grep -qF "$TMP/body.txt:3: unknown placeholder '{due_cnt}'" "$TMP/err"
[ ! -e "$TMP/out/email.eml" ]

# the same in the configured subject
printf 'Due: {due_count}\n' >"$TMP/body.txt"
write_config "$TMP/cfg.ini" "
[outputs]
email = yes

[email]
to = boss@example.com
subject = Report {as_off}
"
expect_exit 2 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
grep -qF "[email] subject: unknown placeholder '{as_off}'" "$TMP/err"
echo ok
