#!/usr/bin/env bash
# A sendmail command that fails is an output error (exit 4) naming the
# command and its exit status; the reports and email.eml are already in
# place (they were committed before sending). A command run without a
# shell: an argument with shell syntax reaches it literally.
set -euo pipefail
. "$ROOT/tests/py/email_lib.bash"

cat >"$TMP/fakemail" <<'SH'
#!/bin/sh
# records its arguments and the message, then exits with $FAKE_RC
printf '%s\n' "$@" >"$(dirname "$0")/args"
cat >"$(dirname "$0")/msg"
exit "${FAKE_RC:-0}"
SH
chmod +x "$TMP/fakemail"

write_config "$TMP/cfg.ini" "
[outputs]
email = yes

[email]
to = boss@example.com
sendmail = $TMP/fakemail -t -i \$HOME|cat
"
FAKE_RC=0 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
# no shell: "$HOME|cat" arrives as one literal argument
[ "$(cat "$TMP/args")" = "$(printf -- '-t\n-i\n$HOME|cat')" ]
# the piped message is email.eml with LF line ends (the sendmail convention)
tr -d '\r' <"$TMP/out/email.eml" | cmp - "$TMP/msg"

rm -f "$TMP/args" "$TMP/msg"
# --resend: the first run sent this week's mail (the send log)
FAKE_RC=75 expect_exit 4 "$SF" run -q --resend -c "$TMP/cfg.ini" --out "$TMP/out"
grep -qF "sendmail command '$TMP/fakemail -t -i \$HOME|cat' failed with exit status 75" "$TMP/err"
[ -f "$TMP/out/email.eml" ] && [ -f "$TMP/out/report.pdf" ]

# a command that does not exist
write_config "$TMP/cfg.ini" "
[outputs]
email = yes

[email]
to = boss@example.com
sendmail = $TMP/no-such-sendmail -t
"
expect_exit 4 "$SF" run -q --resend -c "$TMP/cfg.ini" --out "$TMP/out"
grep -qF "no-such-sendmail -t' failed with exit status 127" "$TMP/err"
echo ok
