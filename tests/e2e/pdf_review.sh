#!/usr/bin/env bash
# Review packs: `review --owner` and `--all-owners` write review-<owner>.pdf
# (5 A4 landscape pages, more when the rep's lists need them; fonts
# embedded, qpdf-clean, every page renders) with the rep's figures beside
# the team's, every one of the rep's rows and no owner column. Hostile owner names
# (tests/data/pdf: "../../etc/x", "a/b" and "a_b", a newline, "..",
# Polish and Cyrillic letters) give safe, distinct names inside the folder.
set -euo pipefail
. "$ROOT/tests/e2e/pdf_lib.sh"

# --- hostile names, all owners ---
cp -R "$ROOT/tests/data/pdf" "$TMP/data"
mkdir -p "$TMP/deep/er"
"$SF" review -q -c "$TMP/data/config.ini" --all-owners --out "$TMP/deep/er/out"
out="$TMP/deep/er/out"
expected="review-a_b-2.pdf
review-a_b.pdf
review-etc_x.pdf
review-line_break.pdf
review-owner.pdf
review-Żaneta_Wójcik.pdf
review-Иван_Петров.pdf"
got=$(cd "$out" && LC_ALL=C ls | LC_ALL=C sort)
want=$(LC_ALL=C sort <<<"$expected")
[ "$got" = "$want" ] || { echo "files differ:"; diff <(echo "$got") <(echo "$want") || true; exit 1; }
# nothing escaped the output folder
[ -z "$(find "$TMP" -path "$out" -prune -o -name '*.pdf' -print)" ] || { echo "pdf outside the folder"; find "$TMP" -name '*.pdf'; exit 1; }
[ ! -e "$TMP/deep/etc" ] && [ ! -e "$TMP/etc" ] && [ ! -e "$out/a" ]
for f in "$out"/*.pdf; do
    pdf_ok "$f" 5
done
# the display keeps the owner's real name; "a/b" and "a_b" each get their own pack
pdftotext "$out/review-a_b.pdf" - | grep -qF "Review pack: a/b"
pdftotext "$out/review-a_b-2.pdf" - | grep -qF "Review pack: a_b"
pdftotext "$out/review-Иван_Петров.pdf" - | grep -qF "Иван Петров"
pdftotext "$out/review-Żaneta_Wójcik.pdf" - | grep -qF "Żaneta Wójcik"
# the 1200-character account name is ellipsised, not spilled over the page
pdftotext "$out/review-etc_x.pdf" - | grep -qF "Very long name" # it is there...
for f in "$out"/*.pdf; do pdf_in_margins "$f"; done          # ...but inside the page

# the same names are stable from run to run (deterministic)
"$SF" review -q -c "$TMP/data/config.ini" --owner "../../etc/x" --out "$TMP/one"
[ "$(ls "$TMP/one")" = "review-etc_x.pdf" ]

# --- the worked example, one owner, English and Russian ---
for lang in en ru; do
    mini_config $lang "$TMP/mini-$lang.ini"
    "$SF" review -q -c "$TMP/mini-$lang.ini" --owner "Anna Kowalska" --out "$TMP/mini-$lang"
    f="$TMP/mini-$lang/review-Anna_Kowalska.pdf"
    pdf_ok "$f" 5
    pdftotext -layout "$f" "$TMP/mini-$lang.txt"
done
grep -qF "Review pack: Anna Kowalska" "$TMP/mini-en.txt"
grep -qF "Team" "$TMP/mini-en.txt"
grep -qF "Page 5 of 5" "$TMP/mini-en.txt"
grep -qF "Материалы для разбора: Anna Kowalska" "$TMP/mini-ru.txt"
grep -qF "Команда" "$TMP/mini-ru.txt"
grep -qF "Страница 5 из 5" "$TMP/mini-ru.txt"
# her due contacts (csv/cadence_due.csv of a run) are on her due page
"$SF" run -q -c "$TMP/mini-en.ini" --as-of 2025-06-30 --out "$TMP/run"
names=$($PY - "$TMP/run/csv/cadence_due.csv" <<'PYEOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
print("\n".join(r["name"] for r in rows if r["owner"] == "Anna Kowalska"))
PYEOF
)
[ -n "$names" ] || { echo "no due contacts for Anna in the example"; exit 1; }
pdftotext -f 2 -l 2 "$TMP/mini-en/review-Anna_Kowalska.pdf" "$TMP/p2.txt"
while IFS= read -r n; do
    grep -qF "$n" "$TMP/p2.txt" || { echo "due account '$n' missing from the review"; exit 1; }
done <<<"$names"
# and nobody else's
if grep -qF "Ben Ortiz" "$TMP/p2.txt"; then echo "another owner's row in Anna's due page"; exit 1; fi
# the whole page is hers: no owner column
if grep -qF "Owner" "$TMP/p2.txt"; then echo "an owner column on a one-rep page"; exit 1; fi

# --- a rep with more rows than a page holds: every row is listed ---
# James Carter (salesforce-en) has 25 due contacts and 12 declines: at
# least 15 pt a row, more than one page of 497 pt. His due page continues
# on the next page under "(continued)", every one of his rows is in the
# pack (in list order), "page N of M" counts the added pages, and his open
# deals show the misses beside each verdict.
cp -r "$ROOT/samples/salesforce-en" "$TMP/sf"
"$SF" review -q -c "$TMP/sf/config.ini" --owner "James Carter" --out "$TMP/jc"
"$SF" run -q -c "$TMP/sf/config.ini" --out "$TMP/sfrun"
f="$TMP/jc/review-James_Carter.pdf"
pages=$(pdfinfo "$f" | awk '/^Pages:/ {print $2}')
[ "$pages" -ge 6 ] || { echo "James Carter's pack has $pages pages, his lists need at least 6"; exit 1; }
pdf_ok "$f" "$pages"
pdf_in_margins "$f"
$PY - "$f" "$pages" "$TMP/sfrun/csv" <<'PYEOF'
import csv, subprocess, sys
pdf, pages, csvd = sys.argv[1], int(sys.argv[2]), sys.argv[3]
texts = [subprocess.run(["pdftotext", "-layout", "-f", str(p), "-l", str(p), pdf, "-"],
                        capture_output=True, text=True, check=True).stdout for p in range(1, pages + 1)]
for p, t in enumerate(texts, 1):
    assert f"Page {p} of {pages}" in t, f"page {p}: no 'Page {p} of {pages}'"
    if 1 < p < pages:
        assert "Owner" not in t, f"page {p}: an owner column on a one-rep page"
assert any("(continued)" in t for t in texts), "no table continues on a next page"
lines = [l for t in texts[1:-1] for l in t.splitlines()]
def rows(name):
    return [r for r in csv.DictReader(open(f"{csvd}/{name}.csv", encoding="utf-8-sig"))
            if r["owner"] == "James Carter"]
for name, key, caption in (("cadence_due", "name", "Contacts due"),
                           ("decline_alerts", "name", "Revenue declines"),
                           ("fire_candidates", "name", "Fire candidates"),
                           ("pipeline", "opportunity_id", "Open deals")):
    want = rows(name)
    start = next(i for i, l in enumerate(lines) if l.strip().startswith(caption))
    at = [next((i for i, l in enumerate(lines) if i > start and
                l.split()[:len(r[key].split())] == r[key].split()), -1) for r in want]
    assert -1 not in at, f"{name}: rows missing: {[r[key] for r, i in zip(want, at) if i < 0]}"
    assert at == sorted(at), f"{name}: rows out of the list's order"
    if name == "pipeline":  # misses beside each verdict: every drop names what it misses
        for r, i in zip(want, at):
            if r["verdict"] == "drop":
                assert len(lines[i].split("drop", 1)[1].strip()) > 3, f"no misses: {lines[i]}"
print(f"James Carter: {pages} pages, every row listed")
PYEOF
echo ok
