# Amounts beyond int64 cents are bad_number; so is the transaction that
# would take the book's total of absolute amounts past int64 cents (A9 at
# INT64_MAX cents after A1's 1.00), so every total of the report fits;
# the next cent then fits again.
EXIT=0
MSG="check: ok"
COUNTS=(transactions "7 2 5 0 0")
REJECTS=("transactions 3 bad_number" "transactions 4 bad_number" "transactions 5 bad_number" "transactions 6 bad_number" "transactions 7 bad_number")
