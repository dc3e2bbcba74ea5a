#!/usr/bin/env bash
# make demo: run salesfocus on every bundled sample; outputs in out/<sample>/.
set -eu
cd "$(dirname "$0")/.."
export SALESFOCUS_SHARE="$PWD"
status=0
for cfg in samples/*/config.ini; do
    name=$(basename "$(dirname "$cfg")")
    echo "== $name"
    if ! ./salesfocus run -c "$cfg" --out "out/$name"; then status=1; fi
done
echo
echo "Open out/<sample>/report.pdf and out/<sample>/workbook.xlsx; the CSV lists are in out/<sample>/csv/."
exit $status
