# Amounts beyond int64 cents are bad_number; so is the transaction whose
# sum would overflow the account's accumulator (A9 at INT64_MAX cents,
# then one more cent).
EXIT=0
MSG="check: ok"
COUNTS=(transactions "7 2 5 0 0")
REJECTS=("transactions 3 bad_number" "transactions 4 bad_number" "transactions 5 bad_number" "transactions 6 bad_number" "transactions 8 bad_number")
