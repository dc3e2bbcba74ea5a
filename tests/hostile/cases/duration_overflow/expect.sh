# Durations whose sum would pass what the time split can add up: INT64_MAX
# (line 2) and a second 4e18 (line 4, the first fits) are bad_number, the
# activity kept with its type's default duration; one beyond int64 (line
# 6) too. No overflow anywhere (UBSan), and the time split stays between 0
# and 1.
EXIT=0
MSG="check: ok"
COUNTS=(activities "5 5 0 0 0")
REJECTS=("activities 2 bad_number" "activities 4 bad_number" "activities 6 bad_number")
post() {
    "$PY" - "$OUT/csv/time_split.csv" "$OUT/csv/rejects.csv" <<'PYEOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
for r in rows:
    for k in ("actual_key", "actual_other", "actual_prospecting"):
        if r[k]:
            assert 0 <= float(r[k]) <= 1, (k, r)
rej = list(csv.DictReader(open(sys.argv[2], encoding="utf-8-sig", newline="")))
kept = [(r["line"], r["field"], r["action"]) for r in rej if r["file"] == "activities.csv"]
assert kept == [("2", "duration_min", "kept"), ("4", "duration_min", "kept"), ("6", "duration_min", "kept")], kept
PYEOF
}
