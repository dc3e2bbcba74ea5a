# A quoted name holding CRLF and LF: one record over three lines, so the
# bad date after it is reported on line 6 (header 1, A1 2, A2 3-5).
EXIT=0
MSG="check: ok"
COUNTS=(transactions "3 2 1 0 0")
REJECTS=("transactions 6 bad_date")
