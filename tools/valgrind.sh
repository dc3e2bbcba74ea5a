#!/usr/bin/env bash
# make valgrind: the demo run of every sample under valgrind's memcheck;
# any error or leak fails.
set -eu
cd "$(dirname "$0")/.."
export SALESFOCUS_SHARE="$PWD"
command -v valgrind >/dev/null || { echo "valgrind is not installed (make deps EXTRA_DEB_PKGS=valgrind)"; exit 1; }
for cfg in samples/*/config.ini; do
    name=$(basename "$(dirname "$cfg")")
    echo "== valgrind: $name"
    valgrind -q --error-exitcode=1 --leak-check=full --suppressions=tests/valgrind.supp --errors-for-leak-kinds=definite,indirect \
        ./build/salesfocus run -q -c "$cfg" --out "tests/tmp/valgrind/$name"
done
echo "valgrind: clean"
