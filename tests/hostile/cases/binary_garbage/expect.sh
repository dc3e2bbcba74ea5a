# 64 KiB of pseudo-random bytes: the "header" has none of the required
# columns, so the run stops at once naming the missing field.
EXIT=3
MSG="missing required column for 'account_id'"
