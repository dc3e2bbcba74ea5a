# Floating-point spellings are not money: NaN, inf, 1e308, 1E5, hex.
EXIT=0
MSG="check: ok"
COUNTS=(transactions "8 1 7 0 0")
REJECTS=("transactions 3 bad_number" "transactions 4 bad_number" "transactions 5 bad_number" "transactions 6 bad_number" "transactions 7 bad_number" "transactions 8 bad_number" "transactions 9 bad_number")
