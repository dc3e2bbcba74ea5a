#!/usr/bin/env bash
# A sendmail command that never finishes (here it neither reads the message
# nor exits, and has a child of its own) is killed with its process group
# after [email] timeout: the run exits 4 naming the command and the
# timeout, the new reports are in place (the mail comes after the switch),
# the lock is free for the next run, nothing of the command is left
# running, and the failure mail (handed to the same command, which answers
# the second time) says that this run's reports are in place.
set -euo pipefail
. "$ROOT/tests/py/email_lib.bash"

mark="sleep 4242.$$"
cat >"$TMP/hangmail" <<SH
#!/bin/sh
d=\$(dirname "\$0")
if [ ! -e "\$d/first" ]; then
    touch "\$d/first"
    $mark &
    exec $mark
fi
cat >"\$d/failmail"
SH
chmod +x "$TMP/hangmail"

write_config "$TMP/cfg.ini" "
[outputs]
email = yes

[email]
to = boss@example.com
sendmail = $TMP/hangmail
timeout = 2
"
# the guard only catches a hang; the run itself takes about two seconds
rc=0
timeout 120 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out" 2>"$TMP/err" || rc=$?
cat "$TMP/err"
[ "$rc" -eq 4 ]
grep -qF "sendmail command '$TMP/hangmail' did not finish within 2 s ([email] timeout): killed" "$TMP/err"
[ -f "$TMP/out/report.pdf" ] && [ -f "$TMP/out/email.eml" ] && [ -f "$TMP/out/csv/accounts.csv" ]
# nothing of the command is still running
sleep 0.2
! pgrep -f "$mark" >/dev/null
# the failure mail, sent the second time, is truthful about the files
"$PY" "$ROOT/tests/py/email_check.py" "$TMP/failmail" --no-attach --to boss@example.com \
    --body-has "This run's reports are in place in $TMP/out; only what came after them failed." \
    --body-has "did not finish within 2 s ([email] timeout): killed"
# the send log says so: the report mail killed (no exit status), the
# failure mail sent; a mail that was not sent counts as not sent
store="$TMP/history.sqlite"
[ "$(sqlite3 "$store" "SELECT kind || ':' || status || ':' || ifnull(exit_code, '-') FROM mails ORDER BY mail")" = \
  "$(printf 'report:timeout:-\nfailure:sent:0')" ]
# the lock was released: the next run is not refused with exit 5
rc=0
"$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out" 2>"$TMP/err2" || rc=$?
[ "$rc" -eq 0 ]
[ "$(sqlite3 "$store" "SELECT status FROM mails ORDER BY mail DESC LIMIT 1")" = sent ]   # sent this time
echo ok
