# Found 2026-11-22 by this suite under UBSan (make check-asan):
#   src/an_summary.c:38: signed integer overflow: 5000000000000000000 +
#   5000000000000000000 cannot be represented in type 'long int'
# Three accounts of 5e16 EUR each: every account fits int64 cents (the
# dataset guards per account), but the tier total and the 365-day total do
# not. The release build printed "revenue, last 365 days:
# -34467440737095516.16" and "tier A: 3 accounts, revenue -3446...": a
# negative revenue from positive sales. Expected: no UB, and never a
# wrapped total (saturate, or stop with a clear input error, exit 3).
# Fix: sum tier_revenue in __int128 like cur/prev, and check both fit
# int64 before storing (an_summary.c:31-45).

EXIT=0
MSG="check: ok"
# Fixed: the dataset keeps the book's total of absolute amounts within
# int64 cents, so the second and third 5e16 sales are bad_number.
COUNTS=(transactions "3 1 2 0 0")
REJECTS=("transactions 3 bad_number" "transactions 4 bad_number")
RUN_EXIT="0|3"
post() { ! grep -E "revenue[^0-9-]*-[0-9]" "$LOG"; }
