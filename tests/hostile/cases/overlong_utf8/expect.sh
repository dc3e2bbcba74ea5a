# Overlong encodings of "/" (C0 AF, E0 80 AF) in an account name: the
# account is bad_encoding, and its transaction then names an unknown
# account (SPEC 1.1: a rejected account is unknown to its records).
EXIT=0
MSG="check: ok"
COUNTS=(accounts "3 1 2 0 0" transactions "3 1 2 0 0")
REJECTS=("accounts 3 bad_encoding" "accounts 4 bad_encoding" "transactions 3 unknown_account" "transactions 4 unknown_account")
post() { grep -q $'\xef\xbf\xbd' "$OUT/csv/rejects.csv"; }   # U+FFFD in raw
