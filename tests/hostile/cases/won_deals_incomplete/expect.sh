# transactions = @won: a won deal without close date or amount is a
# missing_required line of the opportunities file, the opportunity stays
# accepted, and the derived transactions count it as rejected.
EXIT=0
MSG="check: ok"
COUNTS=(opportunities "4 4 0 0 0" transactions "3 1 2 0 0")
REJECTS=("opportunities 3 missing_required" "opportunities 4 missing_required")
