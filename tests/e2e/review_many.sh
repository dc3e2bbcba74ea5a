#!/usr/bin/env bash
# review --all-owners writes each pack from the lists grouped by owner
# once, on two threads (issue 16: 2,000 owners in seconds, not minutes);
# the packs must be byte for byte what one thread writes (SF_THREADS=1)
# and what `review --owner NAME` writes for each owner alone, which scans
# every list. A generated book of 40 owners (sfgen --reps) with its
# unassigned accounts, plus two owners whose names give the same file name
# (numbered in the owners' order, whichever thread writes first).
#
# Byte for byte as a rule. Once in many CI runs a pack drawn beside the
# other thread embedded its bold font as two subsets instead of one
# (docs/outputs.md): a pack whose bytes differ must still have the same
# text and the same page images, page by page.
set -euo pipefail

# same_pack A B: the same bytes, or the same text and page images
same_pack() {
    cmp -s "$1" "$2" && return 0
    local d="$TMP/cmp.$$"
    rm -rf "$d" && mkdir -p "$d/a" "$d/b"
    pdftotext -layout "$1" "$d/a.txt" && pdftotext -layout "$2" "$d/b.txt"
    cmp -s "$d/a.txt" "$d/b.txt" || { echo "$1 and $2: the text differs"; diff "$d/a.txt" "$d/b.txt" | head; return 1; }
    pdftoppm -r 60 -gray "$1" "$d/a/p" && pdftoppm -r 60 -gray "$2" "$d/b/p"
    (cd "$d/a" && md5sum -- *) >"$d/a.sum" && (cd "$d/b" && md5sum -- *) >"$d/b.sum"
    cmp -s "$d/a.sum" "$d/b.sum" || { echo "$1 and $2: the pages differ"; diff "$d/a.sum" "$d/b.sum"; return 1; }
    echo "note: $1 and $2: the same pages, other bytes (a font embedded as two subsets)"
}
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
[ "$(ls "$TMP/all")" = "$(ls "$TMP/one")" ]
for f in $(ls "$TMP/all"); do
    same_pack "$TMP/all/$f" "$TMP/one/$f"
done
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
    same_pack "$TMP/single/$f" "$TMP/all/$f"
done
"$SF" review -q -c "$cfg" --owner "x/y" --out "$TMP/xy"
same_pack "$TMP/xy/review-x_y.pdf" "$TMP/all/review-x_y.pdf"
echo ok
