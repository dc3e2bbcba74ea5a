# 1000 empty lines and nothing else: no header line at all.
EXIT=3
MSG="transactions.csv: empty file"
