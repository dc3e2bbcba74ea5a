#!/usr/bin/env bash
# The weekly mail people act on (docs/email.md), in Russian, run by run
# over one history store:
# - the message: text and HTML (multipart/alternative, the HTML with its
#   charts in multipart/related by cid:), tables equal to the lists and
#   to the text's figures, Auto-Submitted, List-Unsubscribe, a subject of
#   facts (tests/py/email_html_check.py, email_check.py);
# - each rep's mail: only the rep's accounts, the rep's review pack
#   attached and not the team's files;
# - the send log: two runs in one ISO week send once (a second is logged
#   already_sent, same Message-ID), --resend sends again (".2");
# - repeats: an item mailed within repeat_after_weeks and unchanged is
#   left out (counted), one that got worse is listed "ухудшилось с
#   <date>", one mailed longer ago is listed again;
# - send_when = changed: nothing new, nothing sent; history off: every
#   run sends; the failure mail is logged;
# - the HTML rendered by headless Chromium: charts loaded, Cyrillic drawn
#   with real glyphs, the tables' text as the lists, a screenshot that is
#   not blank (SKIP without chromium, unless CI=true).
set -euo pipefail
. "$ROOT/tests/py/email_lib.bash"

mkdir -p "$TMP/sent"
cat >"$TMP/fakemail" <<'SH'
#!/bin/sh
# keeps each message as sent/<n>.eml
d="$(dirname "$0")/sent"
n=$(($(ls "$d" | wc -l) + 1))
cat >"$d/$n.eml"
SH
chmod +x "$TMP/fakemail"
sent() { ls "$TMP/sent" | wc -l; }
STORE="$TMP/history.sqlite"
q() { sqlite3 "$STORE" "$1"; }

LANGUAGE=ru write_config "$TMP/cfg.ini" "
[outputs]
email = yes

[email]
to = boss@example.com
sendmail = $TMP/fakemail
per_owner = yes
unsubscribe = unsub@example.com

[owners]
Ben Ortiz = ben@example.com
Anna Kowalska = anna@example.com
"
run() { "$SF" run -q -c "$TMP/cfg.ini" "$@"; }

# --- week 1: three mails ------------------------------------------------------
run --as-of 2025-06-30 --out "$TMP/w1"
[ "$(sent)" -eq 3 ]
W1="$TMP/w1"
# hand-counted from expected-next/csv: 10 decline alerts, 14 due contacts,
# 6 clients late to reorder (the first three facts that are not zero; a
# first run has no A client turned cold, and says the alerts, not the new)
"$PY" "$ROOT/tests/py/email_check.py" "$W1/email.eml" --to boss@example.com \
    --subject "Приоритеты продаж на 30.06.2025: 10 тревог о падении · 14 контактов к выполнению · 6 клиентов опаздывают с заказом" \
    --attachments report.pdf,workbook.xlsx
"$PY" "$ROOT/tests/py/email_html_check.py" "$W1/email.eml" --csv "$W1/csv" \
    --unsubscribe "<mailto:unsub@example.com>" --extract "$TMP/x"
# a rep's mail: the rep's lists, the rep's review pack, nobody else's accounts
for rep in "Ben Ortiz" "Anna Kowalska"; do
    f=${rep// /_}
    others=()
    while IFS= read -r name; do others+=(--lacks "$name"); done < <(
        "$PY" -c 'import csv,sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    if r["owner"] != sys.argv[2]: print(r["name"])' "$MINI/accounts.csv" "$rep")
    "$PY" "$ROOT/tests/py/email_html_check.py" "$W1/email-$f.eml" --csv "$W1/csv" --owner "$rep" "${others[@]}"
    "$PY" "$ROOT/tests/py/email_check.py" "$W1/email-$f.eml" --attachments "review-$f.pdf" \
        --attach "review-$f.pdf=$W1/review-$f.pdf"
done
grep -q "Subject: =?UTF-8?" "$W1/email-Ben_Ortiz.eml"          # RFC 2047
grep -qx "Auto-Submitted: auto-generated" <(tr -d '\r' <"$W1/email.eml")
mid1=$(grep -i '^Message-ID:' "$W1/email.eml" | tr -d '\r')
# the log: one row per mail, sent, with its items
[ "$(q "SELECT count(*) FROM mail_log WHERE status = 'sent' AND as_of = '2025-06-30' AND iso_week = '2025-W27'")" -eq 3 ]
[ "$(q "SELECT message_id FROM mail_log WHERE recipient = 'boss@example.com'")" = "$(echo "${mid1#*<}" | tr -d '>')" ]
q "SELECT item_list FROM mail_log WHERE scope = 'Ben Ortiz'" | grep -q "due:C013"
[ "$(q "SELECT exit_code FROM mail_log WHERE scope = 'Ben Ortiz'")" = 0 ]

# --- the same week again: written, not sent; --resend sends -------------------
run --as-of 2025-07-02 --out "$TMP/w1b"
[ "$(sent)" -eq 3 ]
[ "$(q "SELECT count(*) FROM mail_log WHERE status = 'already_sent'")" -eq 3 ]
run --as-of 2025-06-30 --out "$TMP/w1c"
[ "$(grep -i '^Message-ID:' "$TMP/w1c/email.eml" | tr -d '\r')" = "$mid1" ]   # deterministic
run --as-of 2025-06-30 --out "$TMP/w1d" --resend
[ "$(sent)" -eq 6 ]
grep -i '^Message-ID:' "$TMP/w1d/email.eml" | grep -q '\.2@'

# --- week 2: unchanged items left out, worse ones marked ----------------------
run --as-of 2025-07-07 --out "$TMP/w2"
[ "$(sent)" -eq 9 ]                       # each mail has something new
"$PY" - "$TMP/w2/email.eml" "$TMP/w2/email-Ben_Ortiz.eml" <<'PYEOF'
import sys, email, email.policy
def text(f):
    m = email.message_from_bytes(open(f, "rb").read(), policy=email.policy.default)
    return m.get_body(("plain",)).get_content()
boss, ben = text(sys.argv[1]), text(sys.argv[2])
# Client 13 Ltd: 98 days overdue a week ago, 105 now (not doubled): left out
assert "- Client 13 Ltd (Ben Ortiz" not in boss, boss
# Client 20 Ltd: its drop was 378.86 - 201.78 = 177.08, now 378.86 - 0,
# grown by more than escalate_share (25 %): worse, marked
assert "- [ухудшилось с 30.06.2025] Client 20 Ltd" in boss, boss
# Client 19 Ltd was 11th of 14 due contacts on 30.06, past the manager's
# top 10: new to the manager, unmarked
assert "- Client 19 Ltd (Ben Ortiz, уровень C): просрочено на 2 дня," in boss, boss
# the mail says how many it left out as unchanged
assert "Не показано позиций без изменений (отправлялись за последние 4 нед.):" in boss, boss
# Ben's mail of 30.06 listed Client 19 Ltd, due 05.07: overdue now, worse
assert "- [ухудшилось с 30.06.2025] Client 19 Ltd" in ben, ben
assert "Client 13 Ltd (Ben Ortiz, уровень A): просрочено" not in ben, ben
PYEOF
grep -q 'ухудшилось с 30.06.2025' <("$PY" -c 'import email,email.policy,sys
m=email.message_from_bytes(open(sys.argv[1],"rb").read(),policy=email.policy.default)
print(m.get_body(("html",)).get_content())' "$TMP/w2/email.eml")
[ "$(q "SELECT left_out > 0 FROM mail_log WHERE as_of = '2025-07-07' AND scope = ''")" = 1 ]

# --- four weeks on: mailed before the window, listed again --------------------
run --as-of 2025-07-28 --out "$TMP/w5"
"$PY" - "$TMP/w5/email.eml" <<'PYEOF'
import sys, email, email.policy
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
t = m.get_body(("plain",)).get_content()
# last mailed on 30.06, more than 4 weeks before: listed, unmarked
assert "\n- Client 13 Ltd (Ben Ortiz, уровень A)" in t, t
PYEOF

# --- the failure mail is logged too (too many rejects: exit 3) ------------------
cp "$TMP/cfg.ini" "$TMP/cfg.good"
sed -i 's/^max_reject_share = .*/max_reject_share = 0.0001/' "$TMP/cfg.ini"
expect_exit 3 run --as-of 2025-08-04 --out "$TMP/wf"
cp "$TMP/cfg.good" "$TMP/cfg.ini"
[ "$(q "SELECT kind || ' ' || recipient || ' ' || status FROM mail_log WHERE as_of = '2025-08-04'")" = "failure boss@example.com sent" ]

# --- send_when = changed with nothing listed: written, not sent ---------------
# (as of 2020-01-01 with only A clients on a cadence the mini example has
# nothing to act on: tests/e2e/email_skip_empty.sh; a store of its own)
cp "$TMP/cfg.ini" "$TMP/empty.ini"
printf '\n[cadence]\ntiers = A\n' >>"$TMP/empty.ini"
n=$(sent)
"$SF" run -q -c "$TMP/empty.ini" --as-of 2020-01-01 --out "$TMP/e/out"
[ "$(sent)" -eq "$n" ] && [ -f "$TMP/e/out/email.eml" ]
[ "$(sqlite3 "$TMP/e/history.sqlite" "SELECT count(*) FROM mail_log WHERE status = 'unchanged'")" -eq 3 ]

# --- history off: every run sends, nothing is logged --------------------------
cp "$TMP/cfg.ini" "$TMP/off.ini"
printf '\n[history]\nenabled = no\n' >>"$TMP/off.ini"
n=$(sent)
"$SF" run -q -c "$TMP/off.ini" --as-of 2025-06-30 --out "$TMP/off1"
"$SF" run -q -c "$TMP/off.ini" --as-of 2025-06-30 --out "$TMP/off2"
[ "$(sent)" -eq $((n + 6)) ]

# --- a real browser ------------------------------------------------------------
if ! command -v chromium >/dev/null 2>&1; then
    if [ "${CI:-}" = true ]; then echo "chromium missing (CI=true)"; exit 1; fi
    echo "SKIP: chromium not installed (the browser checks)"; echo ok; exit 0
fi
chr() {
    HOME="$TMP/home" timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$TMP/chrome" "$@" 2>>"$TMP/chromium.log"
}
chr --window-size=800,1400 --screenshot="$TMP/shot.png" "file://$TMP/x/body.html" >/dev/null
chr --dump-dom "file://$TMP/x/probe.html" >"$TMP/dom.html"
"$PY" "$ROOT/tests/py/email_html_check.py" "$W1/email.eml" --csv "$W1/csv" --dom "$TMP/dom.html" \
    --screenshot "$TMP/shot.png"
echo ok
