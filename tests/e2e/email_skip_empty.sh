#!/usr/bin/env bash
# skip_when_empty = yes: with every action list empty nothing is handed to
# sendmail, but email.eml is still written; with skip_when_empty = no the
# same run sends it. As of 2020-01-01 the mini example has no buying
# client (no alerts, no fire candidates), no opportunity created yet (no
# deals) and, with [cadence] tiers = A, no due contact.
set -euo pipefail
. "$ROOT/tests/py/email_lib.bash"

cat >"$TMP/fakemail" <<'SH'
#!/bin/sh
cat >>"$(dirname "$0")/sent"
echo >>"$(dirname "$0")/count"
SH
chmod +x "$TMP/fakemail"
cfg() {
    write_config "$TMP/cfg.ini" "
[cadence]
tiers = A

[outputs]
email = yes

[email]
to = boss@example.com
sendmail = $TMP/fakemail
skip_when_empty = $1
send_when = always
per_owner = yes

[owners]
Ben Ortiz = ben@example.com
"
}
cfg yes
"$SF" run -q -c "$TMP/cfg.ini" --as-of 2020-01-01 --out "$TMP/out"
[ ! -e "$TMP/sent" ]
"$PY" "$ROOT/tests/py/email_check.py" "$TMP/out/email.eml" --to boss@example.com \
    --subject "Sales focus 2020-01-01: nothing to act on" \
    --body-has "Contacts due: 0" --body-has "Open deals: pursue 0, qualify 0, drop 0"
[ -f "$TMP/out/email-Ben_Ortiz.eml" ]

cfg no
"$SF" run -q -c "$TMP/cfg.ini" --as-of 2020-01-01 --out "$TMP/out"
[ "$(wc -l <"$TMP/count")" -eq 2 ]     # the manager and Ben Ortiz

# a week with work to do is sent even with skip_when_empty = yes
rm -f "$TMP/sent" "$TMP/count"
cfg yes
"$SF" run -q -c "$TMP/cfg.ini" --as-of 2025-06-30 --out "$TMP/out2"
[ "$(wc -l <"$TMP/count")" -eq 2 ]
echo ok
