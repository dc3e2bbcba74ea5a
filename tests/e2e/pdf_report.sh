#!/usr/bin/env bash
# report.pdf on the worked example (tests/data/mini), in English and
# Russian: 18 A4 landscape pages (16, then the history's two), fonts embedded, qpdf-clean, every page
# renders; the localised page titles and the tier counts of
# csv/accounts.csv are in the text (Cyrillic extracted intact); dates and
# numbers follow the language.
set -euo pipefail
. "$ROOT/tests/e2e/pdf_lib.sh"

for lang in en ru; do
    mini_config $lang "$TMP/$lang.ini"
    "$SF" run -q -c "$TMP/$lang.ini" --as-of 2025-06-30 --out "$TMP/$lang/out"
    pdf="$TMP/$lang/out/report.pdf"
    pdf_ok "$pdf" 18
    pdf_in_margins "$pdf"
    pdftotext -layout "$pdf" "$TMP/$lang.txt"
    # no temporary file left beside it
    if ls "$TMP/$lang/out" | grep -v -e '^report.pdf$' -e '^workbook.xlsx$' -e '^csv$' -e '^email.eml$' | grep .; then
        echo "stray files in the output folder"; exit 1
    fi
    # tier counts from accounts.csv appear in the tier table (page 2)
    pdftotext -layout -f 2 -l 2 "$pdf" "$TMP/$lang.p2.txt"
    for t in A B C D; do
        n=$(tail -n +2 "$TMP/$lang/out/csv/accounts.csv" | $PY -c '
import csv, sys
t = sys.argv[1]
print(sum(1 for r in csv.reader(sys.stdin) if len(r) > 3 and r[3] == t))' $t)
        grep -Eq "^ *$t +$n( |\$)" "$TMP/$lang.p2.txt" || { echo "$lang: tier $t count $n not in the tier table"; cat "$TMP/$lang.p2.txt"; exit 1; }
    done
done

# hand-checked figures of the worked example: 3 A, 19 C, 2 D
grep -Eq "^ *A +3 " "$TMP/en.p2.txt"
grep -Eq "^ *C +19 " "$TMP/en.p2.txt"

need() { # lang, text
    grep -qF -- "$2" "$TMP/$1.txt" || { echo "$1: missing '$2'"; exit 1; }
}
for s in "Summary" "Accounts and revenue by tier" "Revenue concentration" \
         "Temperature map: owners × tiers" "Contacts due per owner" "Largest revenue declines" \
         "Clients late to reorder" "Late and lapsed clients per owner" "Largest revenue at risk" \
         "Time split: recommended vs actual" "Pipeline verdicts" "Rep KPIs against benchmarks" \
         "Action list: contacts due" "Action list: revenue declines" "Action list: fire candidates" \
         "Action list: deals to pursue" "As of 2025-06-30" "Page 18 of 18" "Anna Kowalska" \
         "Expected value: who is still buying, and what they will bring" \
         "Clients with a purchase: 20; the model needs at least 100"; do
    need en "$s"
done
for s in "Сводка" "Клиенты и выручка по категориям" "Концентрация выручки" \
         "Температурная карта: менеджеры × категории" "Крупнейшие падения выручки" \
         "Вердикты по воронке" "KPI менеджеров и нормативы" "Список действий: пора связаться" \
         "На дату 30.06.2025" "Страница 18 из 18" "Клиенты, запаздывающие с заказом" "(не назначен)" \
         "Качество данных" "Записи по входным файлам" "Ожидаемая ценность: кто ещё покупает и что принесёт"; do
    need ru "$s"
done
# no English page title leaks into the Russian report
if grep -qF "Revenue concentration" "$TMP/ru.txt"; then echo "ru: English title"; exit 1; fi
# the data-quality page (16): every input file with the counts of the run's
# summary (transactions: 289 read, 286 accepted, 3 rejected), no note
pdftotext -layout -f 16 -l 16 "$TMP/en/out/report.pdf" "$TMP/en.p14.txt"
grep -Eq "transactions\.csv +transactions +289 +286 +3 +0" "$TMP/en.p14.txt" || {
    echo "en: quality page lacks the transactions counts"; cat "$TMP/en.p14.txt"; exit 1; }
grep -q "Nothing to report" "$TMP/en.p14.txt" || { echo "en: quality page has notes"; cat "$TMP/en.p14.txt"; exit 1; }
# the English cover: revenue 330365.43 abbreviated, growth -17.4 %
need en "330k EUR"
need en "-17.4%"
# the action lists (pages 11-14) are the CSV lists: "top N of M" (or "all
# M" when the whole list is shown) counts the list's rows (deals: those to
# pursue), every row is on its page in list order, worded in the report's
# language (owner "(unassigned)", an empty last contact, days overdue 98 / 0
# / -5 as "98 days overdue", "due today", "due in 5 days", severity "lost",
# verdict "pursue")
for lang in en ru; do
$PY - "$TMP/$lang/out" $lang <<'PYEOF'
import csv, subprocess, sys
out, lang = sys.argv[1], sys.argv[2]
words = {"en": {"top": "top {n} of {m}", "all": "all {m}", "(unassigned)": "(unassigned)",
                "never": "never", "lost": "lost", "pursue": "pursue", "d98": "98 days overdue",
                "d0": "due today", "d-5": "due in 5 days", "d-6": "due in 6 days"},
         "ru": {"top": "первые {n} из {m}", "all": "всего {m}", "(unassigned)": "(не назначен)",
                "never": "никогда", "lost": "потерян", "pursue": "вести",
                "d98": "просрочено на 98 дней", "d0": "сегодня", "d-5": "через 5 дней",
                "d-6": "через 6 дней"}}[lang]
def rows(name, keep=lambda r: True):
    with open(f"{out}/csv/{name}.csv", encoding="utf-8-sig") as f:
        return [r for r in csv.DictReader(f) if keep(r)]
# page, rows, key column, {column: {CSV text: word the PDF shows}}
pages = [(11, rows("cadence_due"), "name", {"last_contact": {"": "never"},
                                            "days_overdue": {d: "d" + d for d in ("98", "0", "-5", "-6")}}),
         (12, rows("decline_alerts"), "name", {"severity": {"lost": "lost"}}),
         (13, rows("fire_candidates"), "name", {}),
         (14, rows("pipeline", lambda r: r["verdict"] == "pursue"), "opportunity_id",
          {"verdict": {"pursue": "pursue"}})]
seen = set()
for page, rs, key, worded in pages:
    text = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page),
                           f"{out}/report.pdf", "-"], capture_output=True, text=True,
                          check=True).stdout
    assert rs, f"page {page}: the example has no rows for it"
    want = words["top" if len(rs) > 20 else "all"].format(n=min(len(rs), 20), m=len(rs))
    assert want in text, f"{lang} page {page}: no '{want}'"
    lines = [l for l in text.splitlines() if l.strip()]
    at = [next((i for i, l in enumerate(lines) if l.split()[:len(r[key].split())] == r[key].split()), -1)
          for r in rs[:20]]
    assert -1 not in at, f"{lang} page {page}: rows missing: {[r[key] for r, i in zip(rs, at) if i < 0]}"
    assert at == sorted(at), f"{lang} page {page}: rows out of the list's order"
    worded = dict(worded, owner={"(unassigned)": "(unassigned)"})
    for r, i in zip(rs, at):
        for col, m in worded.items():
            if r.get(col) in m:
                w = words[m[r[col]]]
                assert w in lines[i], f"{lang} page {page}: {r[key]} without '{w}': {lines[i]}"
                seen.add(col)
assert seen == {"owner", "last_contact", "days_overdue", "severity", "verdict"}, \
    f"not every wording met: {seen}"
print(lang, "action lists ok")
PYEOF
done
# the reorder page (7): every owner with a late client, and the accounts of
# the largest revenue at risk of csv/reorder_due.csv, largest first
$PY - "$TMP/en/out" <<'PYEOF'
import csv, subprocess, sys
out = sys.argv[1]
rows = list(csv.DictReader(open(f"{out}/csv/reorder_due.csv", encoding="utf-8-sig")))
assert rows, "the example has clients late to reorder"
text = subprocess.run(["pdftotext", "-layout", "-f", "7", "-l", "7", f"{out}/report.pdf", "-"],
                      capture_output=True, text=True, check=True).stdout
assert "Clients late to reorder" in text and f"top {min(len(rows), 15)} of {len(rows)}" in text, text
for o in {r["owner"] for r in rows}:
    assert o in text, f"owner {o} not on the reorder page"
top = sorted(rows, key=lambda r: -float(r["revenue_at_risk"]))[:15]
at = [text.find(r["name"]) for r in top]
assert -1 not in at and at == sorted(at), f"largest revenue at risk: {[r['name'] for r in top]} at {at}"
print("reorder page ok")
PYEOF
# every bundled sample (each CRM dialect and language) renders cleanly
for cfg in "$ROOT"/samples/*/config.ini; do
    [ -f "$cfg" ] || continue
    name=$(basename "$(dirname "$cfg")")
    "$SF" run -q -c "$cfg" --out "$TMP/samples/$name/out"
    pdf_ok "$TMP/samples/$name/out/report.pdf" 18
    pdf_in_margins "$TMP/samples/$name/out/report.pdf"
done
echo ok
