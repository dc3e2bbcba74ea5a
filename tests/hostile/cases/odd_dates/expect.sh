# 0000-00-00, 2024-02-30, month 13 and trailing junk are bad_date;
# 9999-12-31 (after the as-of date: accepted, outside every window),
# 2024-02-29, a date without leading zeros and dates with a time are fine.
EXIT=0
MSG="check: ok"
COUNTS=(transactions "10 5 5 0 0")
REJECTS=("transactions 2 bad_date" "transactions 3 bad_date" "transactions 5 bad_date" "transactions 9 bad_date" "transactions 11 bad_date")
