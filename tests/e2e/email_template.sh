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
- Client 13 Ltd (Ben Ortiz, tier A): days overdue: 98, call/visit
- Client 9 Sp. z o.o. (Anna Kowalska, tier A): days overdue: 25, call/visit
- Client 5 Ltd ((unassigned), tier A): days overdue: 12, call/visit
- Client 14 Ltd ((unassigned), tier C): days overdue: 61, call
- Client 16 Ltd (Ben Ortiz, tier C): days overdue: 55, call
- Client 1 Ltd (Ben Ortiz, tier C): days overdue: 35, call
- Client 4 Ltd (Ben Ortiz, tier C): days overdue: 34, call
- Client 2 Ltd ((unassigned), tier C): due 2025-06-30, call
- Client 11 Ltd ((unassigned), tier C): due 2025-06-30, call
- Client 18 Sp. z o.o. (Anna Kowalska, tier C): due 2025-06-30, call
… and 4 more (see the attachments)
{literal} the whole team 1/2/5
TXT
"$PY" "$ROOT/tests/py/email_check.py" "$TMP/out/email.eml" --no-attach --to boss@example.com \
    --subject "Sales focus: weekly report as of 2025-06-30 — 14 contacts due, 10 alerts"
"$PY" - "$TMP/out/email.eml" "$TMP/want.txt" <<'PYEOF'
import sys, email, email.policy
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
got = m.get_body().get_content().replace("\r\n", "\n")
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
got = m.get_body().get_content().replace("\r\n", "\n")
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
