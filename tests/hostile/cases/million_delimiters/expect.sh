# One record with a million commas: field_count, not a crash or a hang.
EXIT=0
MSG="check: ok"
COUNTS=(transactions "2 1 1 0 0")
REJECTS=("transactions 3 field_count")
