# A 20 MB account id (unquoted) and a 20 MB quoted name: valid, if absurd,
# text. Memory must stay bounded and the counts add up.
EXIT=0
MSG="check: ok"
COUNTS=(transactions "2 2 0 0 0")
