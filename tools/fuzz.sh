#!/usr/bin/env bash
# Build the libFuzzer harnesses (fuzz/fuzz_*.c) into build-fuzz/ and run each
# for SECONDS (default 30) on a scratch copy of its seed corpus. Fails if any
# harness finds a crash, leak, hang or sanitizer report; the reproducer is
# left in build-fuzz/artifacts/<harness>/.
#
#   tools/fuzz.sh [SECONDS]          build and run every harness
#   HARNESS=fuzz_csv tools/fuzz.sh   run one harness
#   FUZZ_BUILD_ONLY=1 tools/fuzz.sh  build only
#
# Needs clang with libFuzzer. Without it the script says so and exits 0,
# or 1 when CI=true (a CI job that asked for fuzzing must not pass silently).
set -euo pipefail

SECONDS_EACH=${1:-30}
[ -n "$SECONDS_EACH" ] || SECONDS_EACH=30
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/build-fuzz"
CLANG=${CLANG:-clang}
PKGS="inih cairo pangocairo xlsxwriter zlib libisal expat minizip sqlite3 gsl"

if ! command -v "$CLANG" >/dev/null 2>&1; then
    echo "fuzz: clang not found; install clang (Debian: apt-get install clang) to build the libFuzzer harnesses" >&2
    [ "${CI:-}" = "true" ] && exit 1
    exit 0
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n){(void)d;(void)n;return 0;}\n' >"$probe/p.c"
if ! "$CLANG" -fsanitize=fuzzer,address,undefined -o "$probe/p" "$probe/p.c" >/dev/null 2>&1; then
    echo "fuzz: $CLANG cannot link -fsanitize=fuzzer (libFuzzer runtime missing)" >&2
    [ "${CI:-}" = "true" ] && exit 1
    exit 0
fi

SAN=("-fsanitize=fuzzer-no-link,address,undefined")
# shellcheck disable=SC2207,SC2086
CFLAGS=(-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 -fno-omit-frame-pointer
        -Wall -Wextra -Wno-unused-parameter "-DSF_VERSION=\"0.1.0-fuzz\"" "-DSF_SHAREDIR=\"$ROOT\""
        "-DSF_FUZZ_ROOT=\"$ROOT\"" "-I$ROOT/include" $(pkg-config --cflags $PKGS))
# shellcheck disable=SC2207,SC2086
LIBS=($(pkg-config --libs $PKGS) -lcsv -lm -lpthread)

mkdir -p "$OUT/obj"
# Objects built with other flags or other headers are stale. Headers are
# compared by content, not mtime: a header saved while a compile was
# running once left an object with the old struct layout and a newer mtime.
stamp="${CFLAGS[*]} ${SAN[*]} $(cat "$ROOT"/include/*/*.h | cksum)"
if [ "$(cat "$OUT/obj/.stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -f "$OUT"/obj/*.o
fi
# Compile every library source (all of src/ but main.c); only what changed.
objs=()
for src in "$ROOT"/src/*/*.c; do
    name=$(basename "$src" .c)
    [ "$name" = main ] && continue
    obj="$OUT/obj/$name.o"
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ]; then
        echo "  CC   $src"
        "$CLANG" "${CFLAGS[@]}" "${SAN[@]}" -c -o "$obj" "$src"
    fi
    objs+=("$obj")
done
printf '%s' "$stamp" >"$OUT/obj/.stamp"
# Objects of sources since removed must not be linked in.
for obj in "$OUT"/obj/*.o; do
    compgen -G "$ROOT/src/*/$(basename "$obj" .o).c" >/dev/null || rm -f "$obj"
done

harnesses=()
for h in "$ROOT"/fuzz/fuzz_*.c; do
    name=$(basename "$h" .c)
    [ -n "${HARNESS:-}" ] && [ "$name" != "$HARNESS" ] && continue
    echo "  LD   $OUT/$name"
    "$CLANG" "${CFLAGS[@]}" -fsanitize=fuzzer,address,undefined \
        -o "$OUT/$name" "$h" "${objs[@]}" "${LIBS[@]}"
    harnesses+=("$name")
done
[ -n "${FUZZ_BUILD_ONLY:-}" ] && exit 0

export SALESFOCUS_SHARE="$ROOT"
# Leaks are findings too. UBSan halts on the first report so libFuzzer
# keeps the input; it is built recoverable so that a local run can pass
# UBSAN_OPTIONS=...:suppressions=FILE to look past a known open bug.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# The harnesses keep their scratch files under $TMPDIR; libFuzzer ends with
# _Exit, so they cannot clean up themselves: this folder goes at the end.
base=/tmp
[ -w /dev/shm ] && base=/dev/shm
scratch=$(mktemp -d "$base/sf-fuzz.XXXXXX")
trap 'rm -rf "$probe" "$scratch"' EXIT
export TMPDIR="$scratch"
failed=()
for name in "${harnesses[@]}"; do
    # The committed seeds are never touched: libFuzzer grows a scratch copy.
    work="$OUT/corpus/$name"
    art="$OUT/artifacts/$name"
    rm -rf "$work"
    mkdir -p "$work" "$art"
    if [ -d "$ROOT/fuzz/corpus/$name" ]; then
        cp -R "$ROOT/fuzz/corpus/$name/." "$work/"
    fi
    dict=()
    [ -f "$ROOT/fuzz/$name.dict" ] && dict=("-dict=$ROOT/fuzz/$name.dict")
    echo "fuzz: $name for ${SECONDS_EACH}s"
    if "$OUT/$name" "$work" "${dict[@]}" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 \
        -timeout=10 -max_len=65536 \
        -artifact_prefix="$art/" -print_final_stats=1 >"$OUT/$name.log" 2>&1; then
        echo "ok   $name ($(grep -c . "$OUT/$name.log") log lines, corpus $(find "$work" -type f | wc -l) files)"
    else
        failed+=("$name")
        echo "FAIL $name: reproducer in $art/, log $OUT/$name.log"
        grep -E 'ERROR|runtime error|invariant|SUMMARY|Test unit written' "$OUT/$name.log" | head -20 | sed 's/^/    | /'
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: crashes in ${failed[*]}"
    exit 1
fi
echo "fuzz: ${#harnesses[@]} harnesses ran ${SECONDS_EACH}s each without a crash"
