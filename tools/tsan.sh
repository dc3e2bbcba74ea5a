#!/usr/bin/env bash
# make tsan: salesfocus built with ThreadSanitizer (build-tsan), then for
# every sample a run with each file split across two readers, a second run
# a week later (it loads the first's history while it reads), a review
# pack for every owner and a backtest. Any data race fails; the
# suppressions (tests/tsan.supp) are libraries whose own locks
# ThreadSanitizer cannot see.
set -eu
cd "$(dirname "$0")/.."
export SALESFOCUS_SHARE="$PWD" SF_SPLIT_MIN=1
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 report_signal_unsafe=0 suppressions=$PWD/tests/tsan.supp"
make -s --no-print-directory BUILD=build-tsan OPT='-O1 -g' SAN='-fsanitize=thread' build-tsan/salesfocus
# without address randomisation where the system lets us turn it off: on
# kernels that randomise mmap with more bits than ThreadSanitizer's memory
# layout allows, it stops with "unexpected memory mapping"
norand=()
if setarch "$(uname -m)" -R true 2>/dev/null; then
    norand=(setarch "$(uname -m)" -R)
fi
sf() { "${norand[@]}" ./build-tsan/salesfocus "$@"; }
for cfg in samples/*/config.ini; do
    name=$(basename "$(dirname "$cfg")")
    dir="tests/tmp/tsan/$name"
    rm -rf "$dir"
    echo "== tsan: $name"
    sf run -q -c "$cfg" --out "$dir/out"
    sf run -q -c "$cfg" --out "$dir/out" --as-of 2025-07-07
    sf review -q -c "$cfg" --all-owners --out "$dir/review"
    sf backtest -q -c "$cfg" --points 2 --out "$dir/backtest"
done
echo "tsan: clean"
