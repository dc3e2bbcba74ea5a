# [costs] above 1,000,000.00 per activity: refused (exit 2) naming the key,
# so that cost12 can never wrap.
EXIT=2
MSG="[costs] call"
