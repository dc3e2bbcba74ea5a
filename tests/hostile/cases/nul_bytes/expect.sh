# NUL bytes inside fields. A C string would silently cut "5\0" + "00" to
# "5"; the record must be rejected instead (bad_encoding: NUL is no text).
EXIT=0
MSG="check: ok"
COUNTS=(transactions "3 1 2 0 0")
REJECTS=("transactions 3 bad_encoding" "transactions 4 bad_encoding")
