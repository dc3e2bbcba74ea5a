#!/usr/bin/env bash
# on_failure: a run that fails after the config was read (here: the output
# folder's parent is a regular file, exit 4) mails the error and the exit
# code in the report language; with on_failure = no nothing is sent.
set -euo pipefail
. "$ROOT/tests/py/email_lib.bash"
trap stop_sink EXIT
start_sink

echo "not a folder" >"$TMP/blocker"
cfg() {
    OUT_DIR="$TMP/blocker/out" LANGUAGE=pl write_config "$TMP/cfg.ini" "
[outputs]
email = yes

[email]
from = salesfocus <sales@example.com>
to = boss@example.com
sendmail = $SENDMAIL
on_failure = $1
"
}
cfg yes
expect_exit 4 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/blocker/out"
grep -q blocker "$TMP/err"
wait_mails 1
m=$(mail_to boss@example.com)
host=$(hostname | tr -cd 'A-Za-z0-9.-')
"$PY" "$ROOT/tests/py/email_check.py" "$m" --no-attach --to boss@example.com \
    --subject "Nieudane uruchomienie salesfocus na $host (kod wyjścia 4)" \
    --body-has "Kod wyjścia: 4 (błąd zapisu wyników)" \
    --body-has "$TMP/blocker" \
    --body-has "Nie zapisano żadnego raportu: folder $TMP/blocker/out nie istnieje."

rm -f "$TMP"/sink/*
cfg no
expect_exit 4 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/blocker/out"
sleep 1
[ -z "$(ls "$TMP/sink")" ]
echo ok
