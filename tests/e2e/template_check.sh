#!/usr/bin/env bash
# Mail templates checked before anything is read or written: `check` finds
# a typo in the body template (file and line), in [email] subject, and in
# a list line of the language file; `run` refuses it too (exit 2, no
# output folder made) and - unlike other config errors - sends the failure
# mail, since the mail that would have gone has no template. A body
# template that is /dev/zero or a FIFO is refused at once; one larger than
# 1 MiB too. The default templates of every language pass.
set -euo pipefail
. "$ROOT/tests/py/email_lib.bash"

cat >"$TMP/mail" <<'SH'
#!/bin/sh
cat >"$(dirname "$0")/sent.eml"
SH
chmod +x "$TMP/mail"
cfg() { # body template, extra [email] lines
    write_config "$TMP/cfg.ini" "
[outputs]
email = yes

[email]
to = boss@example.com
sendmail = $TMP/mail
body_template = $1
${2:-}
"
}

# the defaults of every language
for lang in en ru pl id; do
    LANGUAGE=$lang cfg ""
    "$SF" check -c "$TMP/cfg.ini" >"$TMP/out.txt"
    grep -q "^mail templates: ok$" "$TMP/out.txt"
done

# a typo on line 3 of the body template
printf 'Hello\n\nDue: {due_cont}\n' >"$TMP/body.txt"
cfg "$TMP/body.txt"
expect_exit 2 "$SF" check -c "$TMP/cfg.ini"
grep -q "$TMP/body.txt:3: unknown placeholder '{due_cont}'" "$TMP/err"
rm -f "$TMP/sent.eml"
expect_exit 2 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
grep -q "body.txt:3: unknown placeholder '{due_cont}'" "$TMP/err"
[ ! -e "$TMP/out" ]
"$PY" "$ROOT/tests/py/email_check.py" "$TMP/sent.eml" --no-attach --to boss@example.com \
    --body-has "Exit code: 2" --body-has "unknown placeholder '{due_cont}'" \
    --body-has "No report was written: $TMP/out does not exist."

# a typo in [email] subject
printf 'Due: {due_count}\n' >"$TMP/body.txt"
cfg "$TMP/body.txt" "subject = Report {as_off}"
expect_exit 2 "$SF" check -c "$TMP/cfg.ini"
grep -q "cfg.ini: \[email\] subject: unknown placeholder '{as_off}'" "$TMP/err"

# a typo in a list line of the language file (a copy of the share folder)
mkdir -p "$TMP/share/templates"
cp -r "$ROOT/config" "$TMP/share/"
cp -r "$ROOT/templates/email" "$ROOT/templates/lang" "$TMP/share/templates/"
sed -i 's/^line_fire = {name}/line_fire = {nmae}/' "$TMP/share/templates/lang/en.ini"
cfg "$TMP/body.txt"
SALESFOCUS_SHARE="$TMP/share" expect_exit 2 "$SF" check -c "$TMP/cfg.ini"
grep -q "templates/lang/en.ini \[email\] line_fire: unknown placeholder '{nmae}'" "$TMP/err"

# /dev/zero, a FIFO, a template over 1 MiB
for t in zero fifo big; do
    case $t in
    zero) ln -sf /dev/zero "$TMP/t_$t" ;;
    fifo) rm -f "$TMP/t_$t"; mkfifo "$TMP/t_$t" ;;
    big) head -c 1048577 /dev/zero | tr '\0' x >"$TMP/t_$t" ;;
    esac
    cfg "$TMP/t_$t"
    rc=0
    timeout 60 "$SF" check -c "$TMP/cfg.ini" >/dev/null 2>"$TMP/err" || rc=$?
    [ "$rc" -eq 2 ] || { echo "$t: exit $rc"; cat "$TMP/err"; exit 1; }
    grep -q "t_$t: cannot read mail template: " "$TMP/err"
done
grep -q "larger than 1048576 bytes" "$TMP/err"
echo ok
