#!/usr/bin/env bash
# Regenerate the bundled sample sets with sfgen (fixed seeds: the output is
# byte-identical on every machine). Run from anywhere: samples/regen.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SFGEN=${SFGEN:-$ROOT/build/sfgen}
[ -x "$SFGEN" ] || make --no-print-directory tools >/dev/null
gen() { # dir, sfgen arguments...
    local dir=$1; shift
    rm -f "samples/$dir"/*.csv "samples/$dir/config.ini"
    "$SFGEN" --out "samples/$dir" --as-of 2025-06-30 "$@"
}
gen salesforce-en --style salesforce --lang en --accounts 200 --transactions 2000 \
    --activities 1200 --opportunities 150 --seed 101 --bad 10
gen bitrix24-ru --style bitrix24 --lang ru --accounts 200 --transactions 2500 \
    --activities 1500 --opportunities 150 --seed 202 --bad 10
gen hubspot-pl --style hubspot --lang pl --accounts 150 --transactions 2000 \
    --activities 1200 --opportunities 120 --seed 303 --bad 8
gen pipedrive-id --style pipedrive --lang id --accounts 150 --transactions 1200 \
    --activities 1200 --opportunities 120 --seed 404 --bad 8
gen amocrm-ru --style amocrm --lang ru --accounts 120 --transactions 800 \
    --activities 800 --opportunities 100 --seed 505 --bad 6
