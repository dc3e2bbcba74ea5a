# A trailing comma adds a field (field_count); a quote inside an unquoted
# field is text (SPEC 1.1), so A"2 is an account id.
EXIT=0
MSG="check: ok"
COUNTS=(transactions "3 2 1 0 0")
REJECTS=("transactions 2 field_count")
