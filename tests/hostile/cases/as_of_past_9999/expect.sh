# An as-of date whose next contact dates would pass 9999-12-31 (the longest
# default [cadence] interval is 180 days): a configuration error naming the
# latest date allowed, instead of year-10000 dates in the lists.
EXIT=2
ARGS=(--as-of 9999-12-20)
MSG="as-of 9999-12-20: the next contact dates would pass 9999-12-31 (the longest [cadence] interval is 180 days); the latest as-of date this configuration allows is 9999-07-04"
