#!/usr/bin/env bash
# Two runs started together: the second one, started while the first still
# holds the lock (it is busy in a slow sendmail command), exits 5 naming
# the first run's PID; the first finishes normally.
set -euo pipefail
. "$ROOT/tests/py/email_lib.bash"

cat >"$TMP/slowmail" <<'SH'
#!/bin/sh
cat >/dev/null
touch "$(dirname "$0")/sending"
sleep 2
SH
chmod +x "$TMP/slowmail"
write_config "$TMP/cfg.ini" "
[outputs]
email = yes

[email]
to = boss@example.com
sendmail = $TMP/slowmail
"
"$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out1" 2>"$TMP/err1" &
first=$!
for i in $(seq 200); do [ -e "$TMP/sending" ] && break; sleep 0.05; done
[ -e "$TMP/sending" ]

expect_exit 5 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out2"
grep -qF "is held by another salesfocus run (pid $first)" "$TMP/err"
[ ! -e "$TMP/out2" ]

rc=0
wait "$first" || rc=$?
cat "$TMP/err1"
[ "$rc" -eq 0 ]
[ -f "$TMP/out1/email.eml" ]
# released: a later run gets the lock
"$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out2"
echo ok
