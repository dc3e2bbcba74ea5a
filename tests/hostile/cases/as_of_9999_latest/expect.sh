# The latest as-of date allowed: every date of every list is a valid
# four-digit-year date, 9999-12-31 at the latest.
EXIT=0
ARGS=(--as-of 9999-07-04)
MSG="check: ok"
COUNTS=(transactions "3 3 0 0 0" activities "2 2 0 0 0")
post() {
    ! grep -rqE '(^|,)[0-9]{5,}-[0-9]{2}-[0-9]{2}' "$OUT/csv"
    grep -q '9999-' "$OUT/csv/accounts.csv"
}
