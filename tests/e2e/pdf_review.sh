#!/usr/bin/env bash
# Review packs: `review --owner` and `--all-owners` write review-<owner>.pdf
# (7 A4 landscape pages, more when the rep's lists need them; fonts
# embedded, qpdf-clean, every page renders) with the rep's figures beside
# the team's, every one of the rep's rows and no owner column, the rep's
# clients late to reorder and a page of explanations. Hostile owner names
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
    pdf_ok "$f" 7
done
# the display keeps the owner's real name; "a/b" and "a_b" each get their own pack
# (grep reads to the end: with pipefail, grep -q would leave pdftotext a
# broken pipe on a long text)
pdftotext "$out/review-a_b.pdf" - | grep -F "Review pack: a/b" >/dev/null
pdftotext "$out/review-a_b-2.pdf" - | grep -F "Review pack: a_b" >/dev/null
pdftotext "$out/review-Иван_Петров.pdf" - | grep -F "Иван Петров" >/dev/null
pdftotext "$out/review-Żaneta_Wójcik.pdf" - | grep -F "Żaneta Wójcik" >/dev/null
# the 1200-character account name is ellipsised, not spilled over the page
pdftotext "$out/review-etc_x.pdf" - | grep -F "Very long name" >/dev/null # it is there...
for f in "$out"/*.pdf; do pdf_in_margins "$f"; done          # ...but inside the page

# the same names are stable from run to run (deterministic)
"$SF" review -q -c "$TMP/data/config.ini" --owner "../../etc/x" --out "$TMP/one"
[ "$(ls "$TMP/one")" = "review-etc_x.pdf" ]

# --- the worked example, one owner, English and Russian ---
for lang in en ru; do
    mini_config $lang "$TMP/mini-$lang.ini"
    # each config its own folder, so each its own history store
    "$SF" review -q -c "$TMP/mini-$lang.ini" --owner "Anna Kowalska" --out "$TMP/mini-$lang/out"
    f="$TMP/mini-$lang/out/review-Anna_Kowalska.pdf"
    pdf_ok "$f" 7
    pdftotext -layout "$f" "$TMP/mini-$lang.txt"
done
grep -qF "Review pack: Anna Kowalska" "$TMP/mini-en.txt"
grep -qF "Team" "$TMP/mini-en.txt"
grep -qF "Page 7 of 7" "$TMP/mini-en.txt"
grep -qF "Материалы для разбора: Anna Kowalska" "$TMP/mini-ru.txt"
grep -qF "Команда" "$TMP/mini-ru.txt"
grep -qF "Страница 7 из 7" "$TMP/mini-ru.txt"
# her due contacts (csv/cadence_due.csv of a run) are on her due page
"$SF" run -q -c "$TMP/mini-en.ini" --as-of 2025-06-30 --out "$TMP/run"
names=$($PY - "$TMP/run/csv/cadence_due.csv" <<'PYEOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
print("\n".join(r["name"] for r in rows if r["owner"] == "Anna Kowalska"))
PYEOF
)
[ -n "$names" ] || { echo "no due contacts for Anna in the example"; exit 1; }
pdftotext -f 2 -l 2 "$TMP/mini-en/out/review-Anna_Kowalska.pdf" "$TMP/p2.txt"
while IFS= read -r n; do
    grep -qF "$n" "$TMP/p2.txt" || { echo "due account '$n' missing from the review"; exit 1; }
done <<<"$names"
# and nobody else's
if grep -qF "Ben Ortiz" "$TMP/p2.txt"; then echo "another owner's row in Anna's due page"; exit 1; fi

# page 3: her clients late to reorder (csv/reorder_due.csv), in list order,
# and nobody else's; page 5: why, in sentences with explain.csv's numbers
"$SF" run -q -c "$TMP/mini-ru.ini" --as-of 2025-06-30 --out "$TMP/ru/run-ru"
for lang in en ru; do
$PY - "$TMP/mini-$lang/out/review-Anna_Kowalska.pdf" "$TMP/run" "$ROOT/tests/data/mini/accounts.csv" $lang <<'PYEOF'
import csv, subprocess, sys
pdf, run, acc_in, lang = sys.argv[1:5]
def rows(name):
    return list(csv.DictReader(open(f"{run}/csv/{name}.csv", encoding="utf-8-sig")))
def page(n):
    t = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), pdf, "-"], capture_output=True,
                       text=True, check=True).stdout
    return " ".join(t.replace("\u00a0", " ").split())
mine = lambda r: r["owner"] == "Anna Kowalska"
late = [r for r in rows("reorder_due") if mine(r)]
others = [r for r in rows("reorder_due") if not mine(r)]
p3 = page(3)
assert late and others, "the example has late clients of Anna and of others"
at = [p3.find(r["name"]) for r in late]
assert -1 not in at and at == sorted(at), f"page 3: {[r['name'] for r in late]} at {at}"
assert not any(r["name"] in p3 for r in others), "page 3 shows another owner's client"

# the numbers as the language writes them: exact, no decimals when whole
def money(text):
    v = round(float(text) * 100)
    s = f"{abs(v) // 100:,}" + (f".{abs(v) % 100:02d}" if v % 100 else "")
    if lang == "ru":
        s = s.replace(",", " ").replace(".", ",")
    return ("-" if v < 0 else "") + s
say = {"en": {"decline": "Revenue fell from {prior} to {current}; {to_clear} more in this period ends the alert.",
              "tier": "Tier {tier}: {peers} look-alike clients in {segment}, have a median of {benchmark}; {to_next} more this year makes it {next}.",
              "cold": "Cold: {pct}% of potential; {to_warm} more makes it warm, {to_hot} more hot.",
              "hot": "Hot: {pct}% of potential.", "staff": "{band} staff"},
       "ru": {"decline": "Выручка упала с {prior} до {current}; ещё {to_clear} в этом периоде — и сигнал снимется.",
              "tier": "Категория {tier}: у {peers} похожих клиентов ({segment}) медиана {benchmark}; ещё {to_next} за год — и будет {next}.",
              "cold": "Холодный: {pct} % потенциала; ещё {to_warm} — и станет тёплым, {to_hot} — горячим.",
              "hot": "Горячий: {pct} % потенциала.", "staff": "{band} сотрудников"}}[lang]
ex = {}
for r in rows("explain"):
    ex[(r["list"], r["id"], r["item"])] = r["value"]
p5 = page(5)
# every decline alert of hers: what ends it
dec = [r for r in rows("decline_alerts") if mine(r)]
assert dec, "the example has declines of Anna"
for r in dec:
    want = say["decline"].format(prior=money(r["prior"]), current=money(r["current"]),
                                 to_clear=money(ex[("decline_alerts", r["account_id"], "to_clear")]))
    assert want in p5, f"{lang} page 5: missing {want!r}"
# her six B/C clients nearest the next tier (none of her A clients is below
# potential): the tier and the temperature, from explain.csv and accounts.csv
inp = {r["account_id"]: r for r in csv.DictReader(open(acc_in, encoding="utf-8-sig"))}
def band(emp):
    e = int(emp)
    return "1\u20139" if e < 10 else "10\u201349" if e < 50 else "50\u2013249" if e < 250 else "250+"
accs = [r for r in rows("accounts") if mine(r)]
assert not [r for r in accs if r["tier"] == "A" and r["temperature"] != "hot"]
near = sorted((r for r in accs if ex[("accounts", r["account_id"], "to_next_tier")]),
              key=lambda r: float(ex[("accounts", r["account_id"], "to_next_tier")]))[:6]
assert len(near) == 6
for r in near:
    i = r["account_id"]
    keys = ex[("accounts", i, "benchmark_keys")].split(";")
    seg = ", ".join(say["staff"].format(band=band(inp[i]["employees"])) if k == "size_band" else inp[i][k]
                    for k in keys)
    want = say["tier"].format(tier=r["tier"], peers=ex[("accounts", i, "benchmark_peers")], segment=seg,
                              benchmark=money(ex[("accounts", i, "benchmark")]),
                              to_next=money(ex[("accounts", i, "to_next_tier")]),
                              next={"B": "A", "C": "B"}[r["tier"]])
    pct = max(round(float(r["rev12"]) * 100), 0) * 100 // round(float(r["potential"]) * 100)
    if r["temperature"] == "cold":
        want += " " + say["cold"].format(pct=pct, to_warm=money(ex[("accounts", i, "to_warm")]),
                                         to_hot=money(ex[("accounts", i, "to_hot")]))
    elif r["temperature"] == "hot":
        want += " " + say["hot"].format(pct=pct)
    assert want in p5, f"{lang} page 5: missing {want!r}\n{p5}"
print(lang, "reorder and explanation pages ok")
PYEOF
done
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

# --- [outputs] review_max_rows: the first N rows of each list, the caption
# says "top N of M", and the pack is shorter ---
cp "$TMP/sf/config.ini" "$TMP/sf/capped.ini"
printf '\n[outputs]\nreview_max_rows = 10\n\n[history]\nenabled = no\n' >>"$TMP/sf/capped.ini"
"$SF" review -q -c "$TMP/sf/capped.ini" --owner "James Carter" --out "$TMP/jc10"
g="$TMP/jc10/review-James_Carter.pdf"
capped=$(pdfinfo "$g" | awk '/^Pages:/ {print $2}')
[ "$capped" -lt "$pages" ] || { echo "capped pack $capped pages, uncapped $pages"; exit 1; }
pdf_ok "$g" "$capped"
$PY - "$g" "$capped" "$TMP/sfrun/csv" <<'PYEOF'
import csv, subprocess, sys
pdf, pages, csvd = sys.argv[1], int(sys.argv[2]), sys.argv[3]
text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
lines = text.splitlines()
due = [r for r in csv.DictReader(open(f"{csvd}/cadence_due.csv", encoding="utf-8-sig"))
       if r["owner"] == "James Carter"]
assert len(due) > 10, len(due)
start = next(i for i, l in enumerate(lines) if l.strip().startswith("Contacts due"))
end = next(i for i, l in enumerate(lines) if i > start and l.strip().startswith("Revenue declines"))
assert f"top 10 of {len(due)}" in lines[start], lines[start]
lines = lines[start + 1:end]  # the due table alone (an account may also decline)
def listed(r):
    return any(l.split()[:len(r["name"].split())] == r["name"].split() for l in lines)
assert all(listed(r) for r in due[:10]), "a row of the first 10 is missing"
assert not any(listed(r) for r in due[10:]), "a row past the first 10 is listed"
print(f"James Carter capped at 10 rows a list: {pages} pages")
PYEOF
echo ok
