# One too_long record (memory stays at the limit, not the file's size).
EXIT=0
MSG="check: ok"
COUNTS=(transactions "1 0 1 0 0")
REJECTS=("transactions 2 too_long")
