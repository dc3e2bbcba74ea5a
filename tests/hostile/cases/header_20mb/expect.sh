# A 20 MB header field among the canonical ones: found, mapped, no crash.
EXIT=0
MSG="check: ok"
COUNTS=(transactions "1 1 0 0 0")
