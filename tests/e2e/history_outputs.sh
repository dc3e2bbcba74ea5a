#!/usr/bin/env bash
# SPEC §7 in the outputs, in all four languages, on the hand-worked
# fixture (tests/data/history): after a first run and the week-later run,
# - the workbook: the Changes sheet (since date, rules note, both migration
#   matrices coloured, the changes typed by kind) and the Trend sheet
#   (the trend list and its native line charts), read back by openpyxl
#   (tests/py/xlsx_check.py);
# - report.pdf: the pages "Since <date>" and the trend, in the language;
# - the mail: the "Since" section with the count of each kind for the team
#   and, in a rep's own mail, for that rep's rows only; the largest moves;
# - the review pack: the rep's accounts over the runs;
# and on the first run, "first run" in the report and the mail.
set -euo pipefail
FIX="$ROOT/tests/data/history"
CHECK="$PY $ROOT/tests/py/xlsx_check.py"

# the config of a version with the language and mail added ([run] of the
# fixture holds only currency: merge by appending to it)
config() { # version lang dest
    sed "s/^\[run\]\$/[run]\nlanguage = $2/" "$FIX/$1/config.ini" >"$3"
    printf '\n[outputs]\nemail = yes\n\n[email]\nfrom = sales@example.com\nto = boss@example.com\nper_owner = yes\n' >>"$3"
    printf '\n[owners]\nBen = ben@example.com\n' >>"$3"
}

body() { # eml: the plain text body
    $PY - "$1" <<'PYEOF'
import email, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
for p in m.walk():
    if p.get_content_type() == "text/plain" and not p.get_filename():
        print(p.get_payload(decode=True).decode("utf-8"))
        break
PYEOF
}

declare -A SINCE=([en]="Since 2025-06-23" [ru]="Изменения с 23.06.2025" [pl]="Zmiany od 23.06.2025"
                  [id]="Perubahan sejak 23/06/2025")
declare -A FIRST=([en]="Since the last run" [ru]="Изменения с прошлого запуска"
                  [pl]="Zmiany od poprzedniego przebiegu" [id]="Perubahan sejak proses terakhir")
declare -A TREND=([en]="Trend over the stored runs" [ru]="Динамика по сохранённым запускам"
                  [pl]="Trend z zapisanych przebiegów" [id]="Tren dari proses yang tersimpan")

for lang in en ru pl id; do
    B="$TMP/$lang/book"
    mkdir -p "$B"
    cp "$FIX"/v1/*.csv "$B/"
    config v1 $lang "$B/config.ini"
    "$SF" run -q -c "$B/config.ini" --as-of 2025-06-23 --out "$TMP/$lang/out/1"
    # first run: said in the report (its last two pages are the history's)
    # and the mail
    n=$(pdfinfo "$TMP/$lang/out/1/report.pdf" | awk '/^Pages:/ { print $2 }')
    pdftotext -layout -f $((n - 1)) -l $((n - 1)) "$TMP/$lang/out/1/report.pdf" "$TMP/$lang/first.txt"
    grep -qF "${FIRST[$lang]}" "$TMP/$lang/first.txt" || { echo "$lang: first run page title"; cat "$TMP/$lang/first.txt"; exit 1; }
    first_mail=$($PY -c "
import configparser, sys
cp = configparser.RawConfigParser(strict=False, interpolation=None, comment_prefixes=(';',))
cp.read('$ROOT/templates/lang/$lang.ini', encoding='utf-8')
print(cp['email']['since_first'])")
    body "$TMP/$lang/out/1/email.eml" >"$TMP/$lang/first-mail.txt"
    grep -qF "$first_mail" "$TMP/$lang/first-mail.txt" || { echo "$lang: no first-run line in the mail"; exit 1; }

    cp "$FIX"/v2/*.csv "$B/"
    config v2 $lang "$B/config.ini"
    "$SF" run -q -c "$B/config.ini" --as-of 2025-06-30 --out "$TMP/$lang/out/2"
    O="$TMP/$lang/out/2"
    cmp "$O/csv/changes.csv" "$FIX/expected/changes.csv"

    # the workbook, read back; in English also through libxlsxwriter's own
    # path ([outputs] xlsx_fast = no: the Changes sheet's rows are written
    # by the fast row writer otherwise)
    $CHECK --out "$O" --root "$ROOT" --config "$B/config.ini" --as-of 2025-06-30
    if [ $lang = en ]; then
        printf '\n[outputs]\nxlsx_fast = no\n' >>"$B/config.ini"
        sed -i 's/^email = yes$/email = no/' "$B/config.ini"
        "$SF" run -q -c "$B/config.ini" --as-of 2025-06-30 --out "$TMP/$lang/slow"
        $CHECK --out "$TMP/$lang/slow" --root "$ROOT" --config "$B/config.ini" --as-of 2025-06-30
        config v2 $lang "$B/config.ini"
    fi

    # the report's two pages, the last
    n=$(pdfinfo "$O/report.pdf" | awk '/^Pages:/ { print $2 }')
    pdftotext -layout -f $((n - 1)) -l "$n" "$O/report.pdf" "$TMP/$lang/since.txt"
    for s in "${SINCE[$lang]}" "${TREND[$lang]}" "Upward Ltd" "Downward Ltd"; do
        grep -qF "$s" "$TMP/$lang/since.txt" || { echo "$lang: '$s' not on the history pages"; exit 1; }
    done
    $PY - "$ROOT/templates/lang/$lang.ini" "$TMP/$lang/since.txt" <<'PYEOF'
import configparser, sys
cp = configparser.RawConfigParser(strict=False, interpolation=None, comment_prefixes=(";",))
cp.read(sys.argv[1], encoding="utf-8")
text = " ".join(open(sys.argv[2], encoding="utf-8").read().split())
# every kind of the fixture's changes is named on the page, and the rules note
for k in ("tier_up", "tier_down", "temp_up", "new_fire", "won", "stage_change"):
    assert cp["common"]["change_" + k] in text, (k, cp["common"]["change_" + k])
assert " ".join(cp["pdf"]["rules_changed"].split()) in text, "no rules note"
# the largest moves: by |delta|, then id (DOWN and UP move 10,000 each)
assert text.index("Downward Ltd") < text.index("Upward Ltd"), "moves out of order"
PYEOF

    # the mails: the team's counts, then Ben's own
    for who in team Ben; do
        eml="$O/email.eml"
        [ $who = Ben ] && eml="$O/email-Ben.eml"
        body "$eml" >"$TMP/$lang/$who.txt"
        $PY - "$ROOT/templates/lang/$lang.ini" "$TMP/$lang/$who.txt" "$O/csv/changes.csv" $who <<'PYEOF'
import collections, configparser, csv, sys
cp = configparser.RawConfigParser(strict=False, interpolation=None, comment_prefixes=(";",))
cp.read(sys.argv[1], encoding="utf-8")
text, who = open(sys.argv[2], encoding="utf-8").read(), sys.argv[4]
with open(sys.argv[3], encoding="utf-8-sig") as f:
    rows = [r for r in csv.DictReader(f) if r["change"] != "rules_changed"]
mine = [r for r in rows if who == "team" or r["owner"] == who]
counts = collections.Counter(r["change"] for r in mine)
assert counts and len(mine) < len(rows) or who == "team", (who, len(mine))
for kind, n in counts.items():
    line = "- " + cp["email"]["since_count"].replace("{change}", cp["common"]["change_" + kind]).replace("{n}", str(n))
    assert line in text.splitlines(), (who, line)
# no kind that is not the rep's
for kind in set(r["change"] for r in rows) - set(counts):
    bad = "- " + cp["common"]["change_" + kind] + ":"
    assert not any(l.startswith(bad) for l in text.splitlines()), (who, bad)
assert cp["email"]["since_rules"] in text, "no rules note"
assert cp["email"]["since_moves"] in text and "Upward Ltd (Ben)" in text, "no moves"
# largest first, then by id: DOWN and UP both moved 10,000
lines = text.splitlines()
at = lines.index(cp["email"]["since_moves"]) + 1
moves = [l.split(" (")[0] for l in lines[at:lines.index("", at)]]
assert moves == ["- Downward Ltd", "- Upward Ltd"], (who, moves)
print(who, "mail ok:", dict(counts))
PYEOF
    done

    # the review pack: Ben's accounts over the runs (page 2)
    "$SF" review -q -c "$B/config.ini" --as-of 2025-06-30 --owner Ben --out "$TMP/$lang/rv"
    pdftotext -layout -f 2 -l 2 "$TMP/$lang/rv/review-Ben.pdf" "$TMP/$lang/strip.txt"
    for s in "Upward Ltd" "Rowan One" "New Ltd"; do
        grep -qF "$s" "$TMP/$lang/strip.txt" || { echo "$lang: '$s' not on the strip page"; exit 1; }
    done
    if grep -qF "Big Corp" "$TMP/$lang/strip.txt"; then echo "$lang: Anna's account on Ben's strip"; exit 1; fi
done
echo ok
