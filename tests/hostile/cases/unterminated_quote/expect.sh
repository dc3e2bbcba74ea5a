# A quote opened on line 3 and never closed swallows the rest of the file:
# one bad_quote record, reported on the line where it starts.
EXIT=0
MSG="check: ok"
COUNTS=(transactions "2 1 1 0 0")
REJECTS=("transactions 3 bad_quote")
