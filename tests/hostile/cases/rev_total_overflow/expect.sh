# Two accounts each near INT64_MAX/2 cents and a third: every account is
# fine, but totals over accounts (summary, tiers, Pareto) exceed int64.
# The run must still end cleanly (0, or a clear error), not wrap or trap.
EXIT=0
MSG="check: ok"
COUNTS=(transactions "3 3 0 0 0")
RUN_EXIT="0|3"
