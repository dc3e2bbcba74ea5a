# A BOM at the start of a data line is text (U+FEFF) in the account id:
# a distinct, valid id. Counts add up; nothing crashes.
EXIT=0
MSG="check: ok"
COUNTS=(transactions "2 2 0 0 0")
