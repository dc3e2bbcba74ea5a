# A quoted field of one million escaped quotes ("" pairs): one record,
# valid, whose account id is 500000 quote characters.
EXIT=0
MSG="check: ok"
COUNTS=(transactions "2 2 0 0 0")
