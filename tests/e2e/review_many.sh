#!/usr/bin/env bash
# review --all-owners writes each pack from the lists grouped by owner
# once, on two threads (issue 16: 2,000 owners in seconds, not minutes);
# the packs must be byte for byte what one thread writes (SF_THREADS=1)
# and what `review --owner NAME` writes for each owner alone, which scans
# every list. A generated book of 40 owners (sfgen --reps) with its
# unassigned accounts, plus two owners whose names give the same file name
# (numbered in the owners' order, whichever thread writes first).
set -euo pipefail
D="$TMP/book"
"$SFGEN" --out "$D" --accounts 3000 --transactions 30000 --activities 12000 --opportunities 1500 \
    --seed 7 --as-of 2025-06-30 --reps 40 >/dev/null
# two owners that collide on a file name: "x/y" and "x_y" ("x_y.pdf" and "x_y-2.pdf")
awk -F, 'NR == 2 { $3 = "x/y" } NR == 3 { $3 = "x_y" } { print }' OFS=, "$D/accounts.csv" >"$D/a.csv"
mv "$D/a.csv" "$D/accounts.csv"
cfg="$TMP/cfg.ini"
{ awk '/^\[/ { skip = ($0 == "[history]") } !skip' "$D/config.ini"; printf '\n[history]\nenabled = no\n'; } |
    sed "s|= accounts.csv|= $D/accounts.csv|; s|= transactions.csv|= $D/transactions.csv|;
         s|= activities.csv|= $D/activities.csv|; s|= opportunities.csv|= $D/opportunities.csv|" >"$cfg"
"$SF" review -q -c "$cfg" --all-owners --out "$TMP/all"
SF_THREADS=1 "$SF" review -q -c "$cfg" --all-owners --out "$TMP/one"
n=$(ls "$TMP/all" | wc -l)
[ "$n" -ge 40 ] || { echo "only $n packs"; exit 1; }
diff -r "$TMP/all" "$TMP/one"
[ -f "$TMP/all/review-x_y.pdf" ] && [ -f "$TMP/all/review-x_y-2.pdf" ]
pdftotext "$TMP/all/review-x_y.pdf" "$TMP/xy1.txt"
pdftotext "$TMP/all/review-x_y-2.pdf" "$TMP/xy2.txt"
grep -qF "Review pack: x/y" "$TMP/xy1.txt"
grep -qF "Review pack: x_y" "$TMP/xy2.txt"
# each owner alone: the same bytes (five owners of different book sizes,
# and the two whose names collide, alone each gets the plain name)
for f in $(ls "$TMP/all" | grep -v '^review-x_y' | awk 'NR % 9 == 1' | head -5); do
    pdftotext -l 1 "$TMP/all/$f" "$TMP/p1.txt"
    owner=$(sed -n 's/^Review pack: //p' "$TMP/p1.txt" | head -1)
    [ -n "$owner" ]
    rm -rf "$TMP/single"
    "$SF" review -q -c "$cfg" --owner "$owner" --out "$TMP/single"
    cmp "$TMP/single/$f" "$TMP/all/$f"
done
"$SF" review -q -c "$cfg" --owner "x/y" --out "$TMP/xy"
cmp "$TMP/xy/review-x_y.pdf" "$TMP/all/review-x_y.pdf"
echo ok
