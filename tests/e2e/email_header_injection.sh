#!/usr/bin/env bash
# A line break in a header value - from the config or from the data - is
# refused with exit 2 naming the key, and nothing is written or sent; it
# never becomes a header of its own.
set -euo pipefail
. "$ROOT/tests/py/email_lib.bash"

cat >"$TMP/fakemail" <<'SH'
#!/bin/sh
cat >>"$(dirname "$0")/sent"
SH
chmod +x "$TMP/fakemail"

# 1. a CR byte inside the configured subject (an INI line cannot hold LF)
write_config "$TMP/cfg.ini" "$(printf '[outputs]\nemail = yes\n\n[email]\nto = boss@example.com\nsendmail = %s\nsubject = Weekly\rBcc: evil@example.com\n' "$TMP/fakemail")"
expect_exit 2 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
grep -q "subject" "$TMP/err"
[ ! -e "$TMP/out/email.eml" ] && [ ! -e "$TMP/sent" ]

# 2. a CR inside a display name of [email] from
write_config "$TMP/cfg.ini" "$(printf '[outputs]\nemail = yes\n\n[email]\nfrom = Sales\rBcc: evil@example.com <s@example.com>\nto = boss@example.com\nsendmail = %s\n' "$TMP/fakemail")"
expect_exit 2 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
grep -q "from" "$TMP/err"
[ ! -e "$TMP/out/email.eml" ] && [ ! -e "$TMP/sent" ]

# 3. an owner name from the data with a CR (quoted CSV field), which
#    per_owner puts in the To display name and the subject
sed 's/"Ben Ortiz"/"Ben\rOrtiz"/' "$MINI/accounts.csv" >"$TMP/accounts.csv"
ACCOUNTS="$TMP/accounts.csv" write_config "$TMP/cfg.ini" "$(printf '[outputs]\nemail = yes\n\n[email]\nto = boss@example.com\nsendmail = %s\nper_owner = yes\n\n[owners]\nBen\rOrtiz = ben@example.com\n' "$TMP/fakemail")"
expect_exit 2 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
grep -q "Ben?Ortiz" "$TMP/err"
[ ! -e "$TMP/out/email.eml" ] && [ ! -e "$TMP/sent" ]

# 4. an owner name with an LF and no address: it only appears in the body
#    (as a warning), the headers stay intact
sed 's/"Ben Ortiz"/"Ben\nBcc: evil@example.com"/' "$MINI/accounts.csv" >"$TMP/accounts.csv"
ACCOUNTS="$TMP/accounts.csv" write_config "$TMP/cfg.ini" "$(printf '[outputs]\nemail = yes\n\n[email]\nto = boss@example.com\nsendmail = %s\nper_owner = yes\n' "$TMP/fakemail")"
"$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
"$PY" "$ROOT/tests/py/email_check.py" "$TMP/out/email.eml" --to boss@example.com \
    --body-has "Ben Bcc: evil@example.com has no address in [owners]" \
    --body-has "Client 13 Ltd (Ben Bcc: evil@example.com, tier A): 98 days overdue"
for f in "$TMP/out/email.eml" "$TMP/sent"; do
    # the header block ends at the first empty line
    refute grep -qi "^bcc:" <(sed '/^\r\?$/q' "$f")
done
echo ok
