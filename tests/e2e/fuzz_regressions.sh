#!/usr/bin/env bash
# Replay the fuzz seed corpora (fuzz/corpus/<harness>/) and any saved fuzz
# reproducers (tests/hostile/regressions/<harness>/) through the libFuzzer
# harnesses' invariants, without libFuzzer: each fuzz/fuzz_*.c is linked
# with fuzz/replay.c and the objects of the build under test (the folder of
# $SF), with the same sanitizers when that build has them. This keeps the
# harnesses compiling and their invariants true in every `make check`,
# even where clang is not installed.
set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
SF=${SF:-$ROOT/build/salesfocus}
TMP=${TMP:-$(mktemp -d)}
CC=${CC:-cc}
mkdir -p "$TMP"
OBJDIR=$(dirname "$(readlink -f "$SF")")

objs=()
for o in "$OBJDIR"/*/*.o; do
    rel=${o#"$OBJDIR"/}
    [ "$rel" = cli/main.o ] && continue
    [ -f "$ROOT/src/${rel%.o}.c" ] || continue   # left from a removed source
    objs+=("$o")
done
[ ${#objs[@]} -gt 0 ] || { echo "fuzz_regressions: no objects in $OBJDIR" >&2; exit 1; }
# The harnesses see today's headers; objects built before a header changed
# would disagree on struct layouts and report nonsense counts.
newer=$(find "$ROOT/include" -name '*.h' -newer "$OBJDIR/data/dataset.o" -print -quit)
if [ -n "$newer" ]; then
    echo "fuzz_regressions: $newer is newer than the objects in $OBJDIR; rebuild first" >&2
    exit 1
fi

# Link with the sanitizers the objects were built with, else it cannot link.
san=()
if nm "$OBJDIR/base/common.o" 2>/dev/null | grep -q '__asan_'; then
    san+=(-fsanitize=address)
fi
if nm "$OBJDIR/base/common.o" 2>/dev/null | grep -q '__ubsan_'; then
    san+=(-fsanitize=undefined)
fi

# shellcheck disable=SC2046,SC2207
libs=($(pkg-config --libs inih cairo pangocairo xlsxwriter zlib libisal expat minizip sqlite3 gsl) -lcsv -lm -lpthread)
# shellcheck disable=SC2046,SC2207
cflags=(-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 -Wall -Wextra
        -I"$ROOT/include" $(pkg-config --cflags inih) "-DSF_FUZZ_ROOT=\"$ROOT\"")
export SALESFOCUS_SHARE="$ROOT"

n=0
for h in "$ROOT"/fuzz/fuzz_*.c; do
    name=$(basename "$h" .c)
    "$CC" "${cflags[@]}" "${san[@]}" -o "$TMP/$name" "$h" "$ROOT/fuzz/replay.c" "${objs[@]}" \
        "${san[@]}" "${libs[@]}"
    inputs=("$ROOT/fuzz/corpus/$name")
    [ -d "$ROOT/tests/hostile/regressions/$name" ] && inputs+=("$ROOT/tests/hostile/regressions/$name")
    if ! TMPDIR="$TMP" "$TMP/$name" "${inputs[@]}" >"$TMP/$name.log" 2>&1; then
        echo "FAIL $name: an input broke an invariant or crashed:"
        tail -25 "$TMP/$name.log"
        exit 1
    fi
    echo "ok   $name: $(tail -1 "$TMP/$name.log")"
    n=$((n + 1))
done
[ "$n" -ge 3 ]
