#!/usr/bin/env bash
# A time limit for the whole run (--timeout, [run] timeout): a run that
# hangs is stopped at the deadline, exit 4, what it left is swept (and
# said in the log), the lock is free again, and the failure mail says
# truthfully which files are in place:
# - stuck before its folder was switched in (an LD_PRELOAD shim makes it
#   sleep while it carries the user's notes.txt over): the previous run's
#   files, unchanged;
# - stuck after (a sendmail that never answers, [email] timeout above the
#   run's): this run's files.
# A value that is not a number of seconds is a usage error.
set -euo pipefail
. "$ROOT/tests/py/email_lib.bash"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
cc -shared -fPIC -O1 -o "$TMP/fault.so" "$ROOT/tests/shim/fault.c" -ldl

# a sendmail that hangs the first time when told to, and records after
cat >"$TMP/mail" <<'SH'
#!/bin/sh
d=$(dirname "$0")
if [ -e "$d/hang" ] && [ ! -e "$d/hung" ]; then
    touch "$d/hung"
    exec sleep 4343.5
fi
n=$(ls "$d" | grep -c '^sent' || true)
cat >"$d/sent$n.eml"
SH
chmod +x "$TMP/mail"
cfg() { # extra [run] lines
    write_config "$TMP/cfg.ini" "
[outputs]
email = yes
xlsx = no

[email]
to = boss@example.com
sendmail = $TMP/mail
timeout = 600
"
    [ -z "${1:-}" ] || sed -i "s/^\[run\]$/[run]\n$1/" "$TMP/cfg.ini"
}
snap() { (cd "$1" && find . -type f | sort | xargs sha256sum); }

cfg
"$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
echo "my notes" >"$TMP/out/notes.txt"
snap "$TMP/out" >"$TMP/before.snap"
rm -f "$TMP"/sent*.eml

# 1. stuck before the switch
rc=0
LD_PRELOAD="$TMP/fault.so" SHIM_SLEEP_ON=linkat:notes.txt \
    timeout 120 "$SF" run -c "$TMP/cfg.ini" --out "$TMP/out" --as-of 2025-07-07 --timeout 2 2>"$TMP/err" || rc=$?
cat "$TMP/err"
[ "$rc" -eq 4 ]
grep -q "error: the run did not finish within 2 s (--timeout): stopped" "$TMP/err"
grep -q "the stopped run's removed the folder of a dead run .*/.out.new-" "$TMP/err"
snap "$TMP/out" | cmp - "$TMP/before.snap"
[ -z "$(find "$TMP" -maxdepth 1 -name '.out.*')" ]
"$PY" "$ROOT/tests/py/email_check.py" "$TMP/sent0.eml" --no-attach --to boss@example.com \
    --body-has "did not finish within 2 s (--timeout): stopped" \
    --body-has "The files in $TMP/out are exactly the previous run's, unchanged."
rm -f "$TMP"/sent*.eml

# 2. stuck after the switch, in the sendmail; the limit from the config
cfg "timeout = 2"
touch "$TMP/hang"
rc=0
timeout 120 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out" --as-of 2025-07-07 2>"$TMP/err" || rc=$?
cat "$TMP/err"
[ "$rc" -eq 4 ]
grep -q "error: the run did not finish within 2 s (\[run\] timeout): stopped" "$TMP/err"
! cmp -s <(snap "$TMP/out") "$TMP/before.snap"
[ -f "$TMP/out/notes.txt" ] && [ -f "$TMP/out/email.eml" ]
"$PY" "$ROOT/tests/py/email_check.py" "$TMP/sent0.eml" --no-attach --to boss@example.com \
    --body-has "This run's reports are in place in $TMP/out"
# the hanging sendmail died with the run (nothing is left running)
sleep 0.2
! pgrep -f "sleep 4343.5" >/dev/null
# the lock is free: a run without the hang succeeds
rm -f "$TMP/hang" "$TMP/hung"
"$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out" --as-of 2025-07-07

# 3. a value that is no number of seconds
expect_exit 2 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out" --timeout soon
grep -q -- "--timeout 'soon': expected whole seconds" "$TMP/err"
echo ok
