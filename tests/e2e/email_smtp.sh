#!/usr/bin/env bash
# A real mail path: the run's messages go through msmtp to a local SMTP
# server and arrive intact - Russian subject decoded, attachments identical
# to the files on disk, per-owner mail to the owner's own address, the
# owner without an address named in the manager's mail. The manager's mail
# greets the whole team (never "(все)") and counts the rejected records;
# a rep's mail greets the rep, shows only the rep's own figures and
# carries the rep's own review pack, not the team's report and workbook.
set -euo pipefail
. "$ROOT/tests/py/email_lib.bash"
trap stop_sink EXIT
start_sink

LANGUAGE=ru write_config "$TMP/cfg.ini" "
[outputs]
email = yes

[email]
from = Отдел продаж <sales@example.com>
to = Руководитель Иванов <boss@example.com>
cc = coach@example.com
subject = Фокус продаж {as_of} — {owner}: контактов {due_count}, тревог {alert_count}
sendmail = $SENDMAIL
per_owner = yes

[owners]
Ben Ortiz = ben@example.com
"
"$SF" run -q -c "$TMP/cfg.ini" --as-of 2025-06-30 --out "$TMP/out"

# manager + Ben; Anna Kowalska has no address
wait_mails 2
sleep 0.3
[ "$(find "$TMP/sink" -name '*.eml' | wc -l)" -eq 2 ]
boss=$(mail_to boss@example.com)
ben=$(mail_to ben@example.com)
[ "$boss" != "$ben" ]
grep -qx coach@example.com "${boss%.eml}.rcpt"     # Cc is delivered too
refute grep -qx ben@example.com "${boss%.eml}.rcpt"
[ "$(wc -l <"${ben%.eml}.rcpt")" -eq 1 ]

# mini example, hand-counted from expected-next/csv: 14 due contacts and 10
# decline alerts in all; Ben Ortiz owns C013 C016 C001 C004 C019 (due) and
# C013 C010 C007 (alerts). Dates in Russian style.
"$PY" "$ROOT/tests/py/email_check.py" "$boss" \
    --subject "Фокус продаж 30.06.2025 — вся команда: контактов 14, тревог 10" \
    --to boss@example.com --cc coach@example.com \
    --from-name "Отдел продаж" --to-name "Руководитель Иванов" \
    --attach "report.pdf=$TMP/out/report.pdf" --attach "workbook.xlsx=$TMP/out/workbook.xlsx" \
    --body-has "Client 13 Ltd (Ben Ortiz, уровень A): просрочено на 98 дней, call/visit" \
    --body-has "Client 9 Sp. z o.o. (Anna Kowalska, уровень A): просрочено на 25 дней" \
    --body-has "у Anna Kowalska нет адреса в [owners]: личное письмо не отправлено" \
    --body-has "… и ещё 4 (см. вложения)" \
    --body-has "Приоритеты продаж — вся команда: еженедельный отчёт на 30.06.2025" \
    --body-has "Отклонённые записи входных данных: 3" --body-lacks "(все)"
"$PY" "$ROOT/tests/py/email_check.py" "$ben" \
    --subject "Фокус продаж 30.06.2025 — Ben Ortiz: контактов 5, тревог 3" \
    --to ben@example.com --to-name "Ben Ortiz" \
    --attach "review-Ben_Ortiz.pdf=$TMP/out/review-Ben_Ortiz.pdf" --attachments review-Ben_Ortiz.pdf \
    --body-has "Client 13 Ltd (Ben Ortiz, уровень A): просрочено на 98 дней" \
    --body-has "Client 19 Ltd (Ben Ortiz, уровень C): срок 05.07.2025, call" \
    --body-lacks "Client 9 Sp. z o.o." --body-lacks "Anna Kowalska" --body-lacks "Client 5 Ltd" \
    --body-has "Приоритеты продаж — Ben Ortiz: еженедельный отчёт на 30.06.2025" \
    --body-lacks "Отклонённые записи"

# the files on disk are the messages that were sent
[ -f "$TMP/out/email.eml" ] && [ -f "$TMP/out/email-Ben_Ortiz.eml" ]
"$PY" "$ROOT/tests/py/email_check.py" "$TMP/out/email.eml" --to boss@example.com \
    --subject "Фокус продаж 30.06.2025 — вся команда: контактов 14, тревог 10"
"$PY" - "$TMP/out/email.eml" "$boss" <<'PYEOF'
import sys, email, email.policy
a, b = (email.message_from_bytes(open(f, "rb").read(), policy=email.policy.default) for f in sys.argv[1:])
assert a["Message-ID"] == b["Message-ID"], (a["Message-ID"], b["Message-ID"])
assert a.get_body(("plain",)).get_content() == b.get_body(("plain",)).get_content()
PYEOF
[ -z "$(find "$TMP/out" -name '.*tmp*')" ]
echo ok
