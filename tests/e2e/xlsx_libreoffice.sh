#!/usr/bin/env bash
# A real spreadsheet application opens the workbook: LibreOffice headless
# converts it to CSV (the first sheet) and to PDF (every sheet, charts
# included). Without soffice: SKIP, unless CI=true.
set -euo pipefail
if ! command -v soffice >/dev/null 2>&1; then
    if [ "${CI:-}" = true ]; then echo "soffice missing (CI=true)"; exit 1; fi
    echo "SKIP: soffice not installed"; exit 0
fi
$PY "$ROOT/tests/py/xlsx_prep.py" "$ROOT/tests/data/mini" "$TMP/in" --lang ru
"$SF" run -q -c "$TMP/in/config.ini" --as-of 2025-06-30 --out "$TMP/out"
mkdir -p "$TMP/home" "$TMP/conv"
lo() { HOME="$TMP/home" timeout 180 soffice "-env:UserInstallation=file://$TMP/lo" --headless "$@"; }
# CSV filter options: comma, double quote, UTF-8 (76), first line 1
lo --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' --outdir "$TMP/conv" "$TMP/out/workbook.xlsx" >"$TMP/lo-csv.log" 2>&1
lo --convert-to pdf --outdir "$TMP/conv" "$TMP/out/workbook.xlsx" >"$TMP/lo-pdf.log" 2>&1
test -s "$TMP/conv/workbook.csv" || { cat "$TMP/lo-csv.log"; exit 1; }
test -s "$TMP/conv/workbook.pdf" || { cat "$TMP/lo-pdf.log"; exit 1; }
# the first sheet is the Russian Summary; its title and revenue survive
grep -q 'Книга приоритетов продаж' "$TMP/conv/workbook.csv" || {
    echo "Summary title not in the CSV conversion"; head -5 "$TMP/conv/workbook.csv"; exit 1; }
grep -q '330,365.43 EUR' "$TMP/conv/workbook.csv" || {
    echo "revenue 330365.43 not in the CSV conversion"; head -20 "$TMP/conv/workbook.csv"; exit 1; }
if command -v pdfinfo >/dev/null 2>&1; then
    pages=$(pdfinfo "$TMP/conv/workbook.pdf" | awk '/^Pages:/ {print $2}')
    [ "$pages" -ge 9 ] || { echo "PDF has $pages pages, expected one or more per sheet"; exit 1; }
fi
echo "libreoffice conversions ok"
