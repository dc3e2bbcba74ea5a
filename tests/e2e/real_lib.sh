# Helpers of tests/e2e/real_*.sh (sourced; run.sh skips *_lib): a fixture
# with the shape of a real CRM export (tests/py/real_fixtures.py), `check`
# and `run` on it with only the preset and the file names in its config,
# and the share of rejected records of every file read.

# real_make SHAPE DIR: write the fixture; DIR/expect.json has its counts.
real_make() {
    "$PY" "$ROOT/tests/py/real_fixtures.py" "$1" "$2"
}

# real_run DIR: check (DIR/check.txt) then run (DIR/out, summary in
# DIR/run.txt, log in DIR/log.txt); both must exit 0.
real_run() {
    local d=$1
    "$SF" check -c "$d/config.ini" >"$d/check.txt" 2>"$d/check.err" || {
        echo "check failed on $d:"; cat "$d/check.txt" "$d/check.err"; return 1; }
    grep -q '^check: ok$' "$d/check.txt" || { echo "check not ok"; cat "$d/check.txt"; return 1; }
    "$SF" run -c "$d/config.ini" --out "$d/out" >"$d/run.txt" 2>"$d/log.txt" || {
        echo "run failed on $d:"; cat "$d/run.txt" "$d/log.txt"; return 1; }
}

# under_5pct DIR: every "records:" line of check (each file) rejects under 5 %.
under_5pct() {
    "$PY" - "$1/check.txt" <<'PYEOF'
import re, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.search(r"records: read (\d+), accepted (\d+), rejected (\d+)", line)
    if m:
        a, r = int(m[2]), int(m[3])
        n += 1
        assert a + r == 0 or r * 100 < 5 * (a + r), f"{r} of {a + r} rejected: {line.strip()}"
assert n, "no records line in check"
PYEOF
}

# need FILE TEXT: FILE holds TEXT (fixed string).
need() {
    grep -qF -- "$2" "$1" || { echo "$1: no '$2'"; sed 's/^/    /' "$1" | head -80; return 1; }
}

# never FILE TEXT: FILE does not hold TEXT.
never() {
    if grep -qF -- "$2" "$1"; then echo "$1: unexpected '$2'"; grep -F -- "$2" "$1" | head -5; return 1; fi
}
