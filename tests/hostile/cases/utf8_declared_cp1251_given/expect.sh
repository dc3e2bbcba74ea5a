# encoding = UTF-8 (default) but the file is CP1251: the Cyrillic records
# are bad_encoding, the ASCII one is accepted; raw text shows U+FFFD.
EXIT=0
MSG="check: ok"
COUNTS=(transactions "3 1 2 0 0")
REJECTS=("transactions 3 bad_encoding" "transactions 4 bad_encoding")
post() { grep -q $'\xef\xbf\xbd' "$OUT/csv/rejects.csv"; }
