# too_long before any other reason, at the line where the record starts;
# the lines after a skipped record keep their numbers; the raw text is the
# record's first 1000 bytes (never a cut UTF-8 sequence) and "…".
EXIT=0
MSG="check: ok"
COUNTS=(transactions "6 4 2 0 0")
REJECTS=("transactions 3 too_long" "transactions 9 too_long")
post() {
    "$PY" - "$OUT/csv/rejects.csv" <<'PYEOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))[1:]
long = [r for r in rows if r[2] == "too_long"]
assert len(long) == 2, rows
for r in long:
    assert r[5].endswith("\u2026") and len(r[5].encode()) <= 1003, (len(r[5].encode()), r[5][-10:])
    assert "\ufffd" not in r[5], "a cut UTF-8 sequence"
assert long[0][5].startswith('"qqq'), long[0][5][:10]
assert long[1][5].startswith("ÄÄÄ"), long[1][5][:10]
PYEOF
}
