# -92233720368547758.08 is exactly INT64_MIN cents, the SF_NONE marker:
# accepted as money it would read as "empty" downstream. Either rejecting
# it or handling it is fine; a crash or UB is not.
EXIT=0
MSG="check: ok"
