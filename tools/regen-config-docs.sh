#!/usr/bin/env bash
# Regenerate config/salesfocus.ini and the key table of docs/configuration.md
# from the schema (include/config/sf_config_keys.def) through the binary.
# tests/e2e/config_docs.sh fails until this is run after a schema change.
set -euo pipefail
cd "$(dirname "$0")/.."
SF=${SF:-./build/salesfocus}
"$SF" config --reference >config/salesfocus.ini
table=$(mktemp)
doc=$(mktemp)
trap 'rm -f "$table" "$doc"' EXIT
"$SF" config --markdown >"$table"
awk -v t="$table" '/^<!-- schema:end -->$/ { skip = 0 }
     !skip { print }
     /^<!-- schema:begin -->$/ { while ((getline l < t) > 0) print l; skip = 1 }' \
    docs/configuration.md >"$doc"
cat "$doc" >docs/configuration.md
