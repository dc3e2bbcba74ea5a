#!/usr/bin/env bash
# report.pdf on a degenerate book: one owner, two accounts, no activities,
# no opportunities, negative revenue (a credit note), no declines. Every
# page still renders, empty charts say so in words instead of drawing an
# empty axis, and the missing inputs are named.
set -euo pipefail
. "$ROOT/tests/e2e/pdf_lib.sh"
mkdir -p "$TMP/in"
printf 'account_id,name,owner\nE1,Only Client,Solo Rep\nE2,Credit Client,Solo Rep\n' >"$TMP/in/accounts.csv"
printf 'account_id,date,amount\nE1,2025-03-01,1200.00\nE2,2025-04-01,-300.00\n' >"$TMP/in/transactions.csv"
cat >"$TMP/in/config.ini" <<'INI'
[run]
as_of = 2025-06-30
[input]
accounts = accounts.csv
transactions = transactions.csv
INI
"$SF" run -q -c "$TMP/in/config.ini" --out "$TMP/out"
pdf="$TMP/out/report.pdf"
pdf_ok "$pdf" 18
pdf_in_margins "$pdf"
pdftotext "$pdf" "$TMP/r.txt"
for s in "No revenue declines: nothing to show." "No client is late to reorder: nothing to show." \
         "No activities in the input" "No opportunities in the input" \
         "No activities or opportunities in the input: rep KPIs are left out." \
         "Solo Rep" "Clients with a purchase: 1; the model needs at least 100"; do
    grep -qF "$s" "$TMP/r.txt" || { echo "missing: $s"; exit 1; }
done
# the negative tier revenue gets a negative axis tick on the tier page
pdftotext -f 2 -l 2 "$pdf" - | grep -Eq '^-[0-9]' || { echo "no negative tick on the tier page"; exit 1; }
"$SF" review -q -c "$TMP/in/config.ini" --owner "Solo Rep" --out "$TMP/rv"
pdf_ok "$TMP/rv/review-Solo_Rep.pdf" 7
# nothing to explain but the tier of two C clients, nothing late to reorder
pdftotext -f 3 -l 3 "$TMP/rv/review-Solo_Rep.pdf" - | grep -F "Nothing to show." >/dev/null || { echo "empty reorder page"; exit 1; }
echo ok
