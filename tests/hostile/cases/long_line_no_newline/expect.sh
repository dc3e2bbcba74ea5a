# 20 MB on one line without a delimiter or a final newline: one record
# with one field, field_count; no quadratic blow-up.
EXIT=0
MSG="check: ok"
COUNTS=(transactions "1 0 1 0 0")
REJECTS=("transactions 2 field_count")
