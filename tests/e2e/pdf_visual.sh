#!/usr/bin/env bash
# What a reader sees, checked on the rendered pages of two samples (English
# salesforce-en, Russian amocrm-ru): every page of report.pdf and of every
# review pack is rendered (pdftoppm) and must not be blank between its
# header and footer; no text may overflow a table cell: the PDF writer
# leaves the box of every cell it draws in a side file (SF_DEBUG_CELLS) and
# every word pdftotext finds in a cell must lie inside that cell, and no
# word there may be cut with "…". A decline into a net credit is worded as
# one. The workbook, converted by LibreOffice, must print its Summary on one
# page (without soffice: SKIP that part, unless CI=true).
set -euo pipefail

check_pdfs() { # dir of PDFs, dir of cell files
    "$PY" - "$1" "$2" <<'PYEOF'
import glob, os, re, subprocess, sys
pdf_dir, cell_dir = sys.argv[1], sys.argv[2]
bad = []
WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="[\d.]+" height="[\d.]+">(.*?)</page>', re.S)
pdfs = sorted(glob.glob(os.path.join(pdf_dir, "*.pdf")))
assert len(pdfs) >= 2, pdfs
n_pages = n_cells = n_words = 0
for pdf in pdfs:
    name = os.path.basename(pdf)
    # blank pages: grey render at 20 dpi, dark pixels between the header
    # rule (54 pt) and the footer rule (567 pt)
    tmp = os.path.join(cell_dir, name + ".render")
    os.makedirs(tmp, exist_ok=True)
    subprocess.run(["pdftoppm", "-gray", "-r", "20", pdf, os.path.join(tmp, "p")], check=True)
    pages = sorted(glob.glob(os.path.join(tmp, "p-*.pgm")))
    for p in pages:
        raw = open(p, "rb").read()
        m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", raw)
        w, h = int(m.group(1)), int(m.group(2))
        px = raw[m.end():]
        top, bottom = int(h * 60 / 595), int(h * 560 / 595)
        dark = sum(1 for b in px[top * w:bottom * w] if b < 200)
        if dark < 0.002 * w * (bottom - top):
            bad.append(f"{name} {os.path.basename(p)}: blank page ({dark} dark pixels)")
    n_pages += len(pages)
    # overflow: every word whose middle is in a table cell lies inside it
    cells = {}
    cf = os.path.join(cell_dir, name + ".cells")
    if not os.path.exists(cf):
        bad.append(f"{name}: no cell boxes ({cf}): was SF_DEBUG_CELLS passed down?")
        continue
    for line in open(cf, encoding="utf-8"):
        f = line.split("\t")
        cells.setdefault(int(f[1]), []).append(tuple(float(v) for v in f[2:6]))
        n_cells += 1
    bbox = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout
    for pno, body in enumerate(PAGE.findall(bbox), 1):
        for m in WORD.finditer(body):
            x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
            word = m.group(5)
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            hit = [c for c in cells.get(pno, []) if c[0] <= cx <= c[2] and c[1] <= cy <= c[3]]
            if not hit:
                continue
            n_words += 1
            c = hit[0]
            if x0 < c[0] - 0.5 or x1 > c[2] + 0.5 or y0 < c[1] - 1 or y1 > c[3] + 1:
                bad.append(f"{name} page {pno}: '{word}' at ({x0:.1f},{y0:.1f})-({x1:.1f},{y1:.1f}) "
                           f"overflows its cell ({c[0]:.1f},{c[1]:.1f})-({c[2]:.1f},{c[3]:.1f})")
            if "…" in word:
                bad.append(f"{name} page {pno}: '{word}' is cut in its cell")
for b in bad[:25]:
    print(b)
print(f"{len(pdfs)} PDFs, {n_pages} pages, {n_cells} cells, {n_words} words in cells checked")
if n_cells < 100 or n_words < 500:
    print("too few cells or words: the check did not look at the tables")
    sys.exit(1)
sys.exit(1 if bad else 0)
PYEOF
}

fail=0
for s in salesforce-en amocrm-ru; do
    cp -r "$ROOT/samples/$s" "$TMP/$s"
    mkdir -p "$TMP/$s/cells"
    SF_DEBUG_CELLS="$TMP/$s/cells" "$SF" run -q -c "$TMP/$s/config.ini" --out "$TMP/$s/out"
    SF_DEBUG_CELLS="$TMP/$s/cells" "$SF" review -q -c "$TMP/$s/config.ini" --all-owners --out "$TMP/$s/out"
    # the side files stay out of the output folder
    if ls "$TMP/$s/out" | grep -q '\.cells$'; then echo "$s: cell boxes in the output folder"; fail=1; fi
    echo "$s:"
    check_pdfs "$TMP/$s/out" "$TMP/$s/cells" || fail=1
done
# without the variable, no side file is written
printf '\n[outputs]\nemail = yes\n[email]\nto = boss@example.com\n' \
    | cat "$TMP/salesforce-en/config.ini" - >"$TMP/salesforce-en/mail.ini"
"$SF" run -q -c "$TMP/salesforce-en/mail.ini" --out "$TMP/plain"
[ -z "$(find "$TMP/plain" -name '*.cells')" ] || { echo "cell boxes written without SF_DEBUG_CELLS"; fail=1; }

# A decline whose current period is a net credit (Granite Textiles Group:
# 1,108.08 -> -1,061.02, a "drop" of 196 %) reads "lost, net credit" in
# the action list and in the mail, never as a drop over 100 %. (Its
# to_clear, SPEC §9: floor(0.8 x 1,108.08) + 0.01 + 1,061.02 = 1,947.49.)
pdftotext -layout "$TMP/plain/report.pdf" "$TMP/declines.txt"
grep -q "Granite Textiles Group .* 1,108 *net credit -1,061 *2,169 *— *lost" "$TMP/declines.txt" || {
    echo "the net credit row is not worded as such:"; grep "Granite Textiles" "$TMP/declines.txt"; fail=1; }
if grep -q "196%" "$TMP/declines.txt"; then echo "a drop of 196 % is shown"; fail=1; fi
"$PY" - "$TMP/plain/email.eml" <<'PYEOF' || fail=1
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
body = m.get_body(("plain",)).get_content()
line = [l for l in body.splitlines() if "Granite Textiles Group" in l]
want = ("- Granite Textiles Group (Daniel Kim, tier A): 1,108.08 → lost, net credit -1,061.02 GBP: ask for feedback; "
        "1,947.49 GBP more ends the alert")
if line != [want]:
    print("mail line of the net credit:", line, "expected", want)
    sys.exit(1)
if not body.startswith("Sales focus for the whole team: weekly report as of 2025-06-30"):
    print("mail greeting:", body.splitlines()[0])
    sys.exit(1)
PYEOF

# The workbook's Summary prints on one page: LibreOffice converts the
# workbook to PDF; the page header names the sheet ("&A"), so the Summary's
# pages are those whose header line starts with its name.
if ! command -v soffice >/dev/null 2>&1; then
    if [ "${CI:-}" = true ]; then echo "soffice missing (CI=true)"; exit 1; fi
    echo "SKIP (workbook part): soffice not installed (Debian: libreoffice-calc-nogui)"
    exit $fail
fi
mkdir -p "$TMP/home"
for s in salesforce-en:Summary amocrm-ru:Сводка; do
    name=${s%%:*} sheet=${s#*:}
    HOME="$TMP/home" timeout 180 soffice "-env:UserInstallation=file://$TMP/lo" --headless \
        --convert-to pdf --outdir "$TMP/conv-$name" "$TMP/$name/out/workbook.xlsx" >"$TMP/lo-$name.log" 2>&1
    pdf="$TMP/conv-$name/workbook.pdf"
    [ -s "$pdf" ] || { cat "$TMP/lo-$name.log"; exit 1; }
    "$PY" - "$pdf" "$sheet" <<'PYEOF' || fail=1
import subprocess, sys
pdf, sheet = sys.argv[1], sys.argv[2]
pages = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True,
                       check=True).stdout.split("\f")
summary = [i + 1 for i, p in enumerate(pages) if p.strip() and f"{sheet} · " in p.splitlines()[0]]
print(f"{pdf}: {len(pages) - 1} pages, the Summary on {summary}")
if summary != [1]:
    print("the Summary does not print on exactly the first page")
    sys.exit(1)
PYEOF
done
exit $fail
