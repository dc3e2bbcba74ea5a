# 20 MB on one line without a delimiter or a final newline: longer than
# [input] max_record_bytes (16 MiB), so too_long, skipped without being
# held; no quadratic blow-up.
EXIT=0
MSG="check: ok"
COUNTS=(transactions "1 0 1 0 0")
REJECTS=("transactions 2 too_long")
