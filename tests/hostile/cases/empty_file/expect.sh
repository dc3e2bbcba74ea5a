# A 0-byte transactions export: an input error naming the file.
EXIT=3
MSG="transactions.csv: empty file"
