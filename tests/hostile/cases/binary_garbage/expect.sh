# 64 KiB of pseudo-random bytes: the "header" line is not UTF-8 (or, if
# it were, has none of the required columns), so the run stops at once
# with an input error on line 1.
EXIT=3
MSG="transactions.csv:1: header line is not valid UTF-8"
