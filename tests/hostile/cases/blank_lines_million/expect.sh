# A header, a million blank lines (LF and CRLF), then one record: the
# blank lines are counted, not rejected, and the record's line is right.
EXIT=0
MSG="check: ok"
COUNTS=(transactions "1000001 0 1 1000000 0")
REJECTS=("transactions 1000002 bad_date")
