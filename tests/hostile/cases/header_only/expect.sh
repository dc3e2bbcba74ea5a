# Only the header line, no newline after it: nothing read, a valid run.
EXIT=0
MSG="check: ok"
COUNTS=(transactions "0 0 0 0 0")
