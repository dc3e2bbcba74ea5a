# Names with bidi controls (RLO, LRI, PDI), a zero-width joiner and
# spreadsheet-formula text: valid UTF-8, kept byte for byte; the workbook
# must store the formula text as a string, never a formula.
EXIT=0
MSG="check: ok"
COUNTS=(accounts "3 3 0 0 0" transactions "3 3 0 0 0")
post() {
    grep -q $'\u202e' "$OUT/csv/accounts.csv"
    "$PY" - "$OUT/workbook.xlsx" <<'PYEOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
found = False
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            v = c.value
            if isinstance(v, str) and ("cmd|" in v or v in ("=+1+1", "+1+1", "-Eve")):
                if c.data_type == "f":
                    sys.exit("data written as a formula: %s!%s %r" % (ws.title, c.coordinate, v))
                found = found or "cmd|" in v
if not found:
    sys.exit("the name =cmd|... is not in the workbook as text")
PYEOF
}
