# Found 2026-11-22 by fuzz_csv and fuzz_parse; their reproducers are
# tests/hostile/regressions/fuzz_{csv,parse}/2026-11-22_unit_price_int128_wrap.bin
# (replayed by tests/e2e/fuzz_regressions.sh):
#   src/parse.c:148: signed integer overflow: 0x45c2...8300 * 10 cannot be
#   represented in type '__int128'
# parse_core() caps the integer part at NUM_LIMIT = 1e30 and then scales by
# 10^keep; quantity and unit_price use keep = 9 (sf_parse_money_e9), and
# 1e30 * 1e9 exceeds __int128. In a release build the product wraps: the
# unit price 340282366920938463463374608666 (2^128/1e9 + a bit) is read as
# 1234.23 and ACCEPTED - a silently wrong amount.
# Fixed in 6c43765: #define NUM_LIMIT 1e28 (1000000000000000000LL *
# 10000000000LL), so that the integer part x 10^9 always fits; every
# such value is far beyond int64 cents anyway and stays bad_number.

EXIT=0
MSG="check: ok"
COUNTS=(transactions "3 1 2 0 0")
REJECTS=("transactions 3 bad_number" "transactions 4 bad_number")
