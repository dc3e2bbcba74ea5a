#!/usr/bin/env bash
# [email] max_attachment_mb (docs/email.md, "Choices"): a mail attaches its
# files in their order while the sum of their raw sizes stays within the
# limit; a file that does not fit is left out, and the mail says so in its
# text and its HTML, in the report's language, with the file's size and
# its path in the FINAL output folder (not the run's stage folder).
# - a generated book whose workbook is over 1 MB, limit 1: the manager's
#   mail keeps the PDF, leaves out the workbook; each rep's review pack
#   over 1 MB is left out, one under it attached; the run's log says it;
# - limit 0: no limit, everything attached;
# - owner_attachments = all in Russian, with a body template that has no
#   {attached}: the sentence goes to the notes, the rep gets the PDF;
# - the default (15) keeps both files of the mini book;
# - a value out of range is a config error naming the key.
set -euo pipefail
. "$ROOT/tests/py/email_lib.bash"

D="$TMP/book"
"$SFGEN" --out "$D" --accounts 20000 --transactions 60000 --activities 20000 --opportunities 5000 \
    --seed 42 --as-of 2025-06-30 --reps 3 >/dev/null
# the generated config with absolute inputs, without its history section
base="$TMP/base.ini"
awk '/^\[/ { skip = ($0 == "[history]") } !skip' "$D/config.ini" |
    sed "s|= accounts.csv|= $D/accounts.csv|; s|= transactions.csv|= $D/transactions.csv|;
         s|= activities.csv|= $D/activities.csv|; s|= opportunities.csv|= $D/opportunities.csv|" >"$base"
reps() { # the two largest owners of the book, one a line
    "$PY" -c 'import csv, collections, sys
c = collections.Counter(r["owner"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")) if r["owner"])
for name, _ in c.most_common(2): print(name)' "$D/accounts.csv"
}
mapfile -t REPS < <(reps)
[ "${#REPS[@]}" -eq 2 ]
config() { # config FILE EXTRA
    # review packs of every row (not the first 100 of each list): the
    # larger rep's is over 1 MB, the other's under it
    { cat "$base"; printf '\n[history]\nenabled = no\n\n[outputs]\nemail = yes\nreview_max_rows = 0\n\n%s\n' "$2"
      printf '[owners]\n%s = rep1@example.com\n%s = rep2@example.com\n' "${REPS[0]}" "${REPS[1]}"; } >"$1"
}
# size SEP FILE: the file's size in MB (1 MB = 1,000,000 bytes) as the mail
# gives it, one decimal rounded up, with the language's decimal separator
size() { "$PY" -c 'import math, os, sys
t = math.ceil(os.path.getsize(sys.argv[2]) / 100000)
print("%d%s%d" % (t // 10, sys.argv[1], t % 10))' "$1" "$2"; }
CHECK="$ROOT/tests/py/email_check.py"

# --- limit 1: the workbook left out, the PDF kept --------------------------------
config "$TMP/one.ini" "[email]
to = boss@example.com
per_owner = yes
max_attachment_mb = 1"
# a relative --out: the mail names the folder's absolute, final path
mkdir -p "$TMP/w"
(cd "$TMP/w" && "$SF" run -c "$TMP/one.ini" --out out1 >/dev/null 2>"$TMP/log1")
O=$(cd "$TMP/w/out1" && pwd -P)
wb=$(stat -c %s "$O/workbook.xlsx")
[ "$wb" -gt 1000000 ] || { echo "the workbook ($wb bytes) is not over 1 MB: the test proves nothing"; exit 1; }
[ "$(stat -c %s "$O/report.pdf")" -le 1000000 ]
line="The workbook ($(size . "$O/workbook.xlsx") MB) is too large to attach (limit 1 MB). It is in $O/workbook.xlsx."
"$PY" "$CHECK" "$O/email.eml" --attachments report.pdf --attach "report.pdf=$O/report.pdf" \
    --body-has "Attached: report.pdf" --body-has "$line" --html-has "Attached: report.pdf" --html-has "$line" \
    --body-lacks ".new-" --html-lacks ".new-"
grep -qF "email.eml: workbook.xlsx ($(size . "$O/workbook.xlsx") MB) not attached: over [email] max_attachment_mb = 1" \
    "$TMP/log1" || { echo "the log does not say the workbook was left out:"; cat "$TMP/log1"; exit 1; }
# the message does not carry the workbook's bytes: it is smaller than the file
[ "$(stat -c %s "$O/email.eml")" -lt "$wb" ]
# each rep: the review pack attached when it fits, else the sentence
over=0 under=0
for rep in "${REPS[@]}"; do
    f=${rep// /_}
    pack="$O/review-$f.pdf"
    if [ "$(stat -c %s "$pack")" -gt 1000000 ]; then
        over=$((over + 1))
        l="Your review pack ($(size . "$pack") MB) is too large to attach (limit 1 MB). It is in $pack."
        "$PY" "$CHECK" "$O/email-$f.eml" --no-attach --body-has "$l" --html-has "$l" --body-lacks "Attached:"
        grep -qF "email-$f.eml: review-$f.pdf (" "$TMP/log1"
    else
        under=$((under + 1))
        "$PY" "$CHECK" "$O/email-$f.eml" --attachments "review-$f.pdf" --attach "review-$f.pdf=$pack" \
            --body-lacks "too large" --html-lacks "too large"
    fi
done
# the book is chosen so that one pack is over 1 MB and one under it
[ "$over" -eq 1 ] && [ "$under" -eq 1 ] || { echo "packs over 1 MB: $over, under: $under"; exit 1; }

# --- 0: no limit ------------------------------------------------------------------
config "$TMP/zero.ini" "[email]
to = boss@example.com
per_owner = yes
owner_attachments = all
max_attachment_mb = 0"
"$SF" run -q -c "$TMP/zero.ini" --out "$TMP/out0" 2>"$TMP/log0"
"$PY" "$CHECK" "$TMP/out0/email.eml" --attachments report.pdf,workbook.xlsx \
    --attach "workbook.xlsx=$TMP/out0/workbook.xlsx" --body-lacks "too large"
f=${REPS[0]// /_}
"$PY" "$CHECK" "$TMP/out0/email-$f.eml" --attachments report.pdf,workbook.xlsx --body-lacks "too large"
refute grep -q "not attached" "$TMP/log0"

# --- a rep with the team's files, in Russian, a template without {attached} --------
sed '/{attached}/d' "$ROOT/templates/email/ru.txt" >"$TMP/body.txt"
refute grep -q "{attached}" "$TMP/body.txt"
config "$TMP/ru.ini" "[email]
to = boss@example.com
per_owner = yes
owner_attachments = all
max_attachment_mb = 1
body_template = $TMP/body.txt"
sed -i 's/^language = .*/language = ru/' "$TMP/ru.ini"
"$SF" run -q -c "$TMP/ru.ini" --out "$TMP/ru"
R="$TMP/ru"
l="Книга Excel ($(size , "$R/workbook.xlsx") МБ) слишком велика, чтобы её вложить (предел 1 МБ). Она лежит здесь: $R/workbook.xlsx."
for f in email.eml "email-${REPS[1]// /_}.eml"; do
    # the text: among the notes, as its template has no {attached}; the
    # HTML: at its foot, where it names the attachments
    "$PY" "$CHECK" "$R/$f" --attachments report.pdf --body-has "- $l" --html-has "$l" --html-has "Во вложении: report.pdf"
done

# --- the default keeps both files of the mini book ------------------------------------
write_config "$TMP/mini.ini" "
[outputs]
email = yes

[email]
to = boss@example.com
"
"$SF" run -q -c "$TMP/mini.ini" --out "$TMP/mini"
"$PY" "$CHECK" "$TMP/mini/email.eml" --attachments report.pdf,workbook.xlsx \
    --attach "report.pdf=$TMP/mini/report.pdf" --attach "workbook.xlsx=$TMP/mini/workbook.xlsx" \
    --body-has "Attached: report.pdf, workbook.xlsx" --body-lacks "too large" --html-lacks "too large"

# --- out of range: a config error naming the key ----------------------------------------
for v in 2049 -1; do
    write_config "$TMP/bad.ini" "
[outputs]
email = yes

[email]
max_attachment_mb = $v
"
    expect_exit 2 "$SF" run -q -c "$TMP/bad.ini" --out "$TMP/bad"
    grep -qF "[email] max_attachment_mb: $v is out of range (allowed: 0 to 2048)" "$TMP/err" ||
        { cat "$TMP/err"; exit 1; }
done
[ ! -e "$TMP/bad" ]
