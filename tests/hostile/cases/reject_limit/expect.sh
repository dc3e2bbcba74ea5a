# 3 of 4 records rejected with the default limit (0.05): exit 3, and run
# writes rejects.csv with every line and nothing else.
EXIT=3
MSG="check: too many rejected records"
COUNTS=(transactions "4 1 3 0 0")
RUN=1
REJECTS=("transactions 3 bad_date" "transactions 4 bad_number" "transactions 5 field_count")
post() { [ ! -e "$OUT/workbook.xlsx" ] && [ ! -e "$OUT/csv/accounts.csv" ]; }
