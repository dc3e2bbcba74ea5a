#!/usr/bin/env bash
# The documents generated from the config schema: `salesfocus config
# --reference` prints config/salesfocus.ini byte for byte, and `--markdown`
# the table between <!-- schema:begin --> and <!-- schema:end --> of
# docs/configuration.md (which says how to regenerate both). Also the
# command's usage errors and a failed write.
set -euo pipefail
cd "$TMP"
DOC="$ROOT/docs/configuration.md"
fails=0

"$SF" config --reference > reference.ini
if ! cmp -s reference.ini "$ROOT/config/salesfocus.ini"; then
    echo "FAIL config/salesfocus.ini differs from 'salesfocus config --reference'" \
         "(regenerate it: docs/configuration.md, first section)"
    diff -u "$ROOT/config/salesfocus.ini" reference.ini | head -40 || true
    fails=$((fails + 1))
fi

# Exactly one pair of markers, each on a line of its own, begin before end.
begin=$(grep -nx '<!-- schema:begin -->' "$DOC" | cut -d: -f1)
end=$(grep -nx '<!-- schema:end -->' "$DOC" | cut -d: -f1)
if [ "$(printf '%s\n' "$begin" | wc -l)" -ne 1 ] || [ "$(printf '%s\n' "$end" | wc -l)" -ne 1 ] ||
   [ -z "$begin" ] || [ -z "$end" ] || [ "$begin" -ge "$end" ]; then
    echo "FAIL docs/configuration.md needs one '<!-- schema:begin -->' line before one '<!-- schema:end -->' line"
    exit 1
fi
sed -n "$((begin + 1)),$((end - 1))p" "$DOC" > shipped.md
"$SF" config --markdown > table.md
if ! cmp -s table.md shipped.md; then
    echo "FAIL the table of docs/configuration.md differs from 'salesfocus config --markdown'" \
         "(regenerate it: docs/configuration.md, first section)"
    diff -u shipped.md table.md | head -40 || true
    fails=$((fails + 1))
fi
# The table has a header and one row per key; the reference one line per key.
rows=$(grep -c '^| `\[' table.md)
keys=$(grep -Ec '^[a-z_]+ =' reference.ini || true)
required=$(grep -Ec '^; [a-z_]+ = [a-z_]+\.csv$' reference.ini || true)
if [ "$rows" -ne $((keys + required)) ] || [ "$rows" -lt 90 ]; then
    echo "FAIL $rows table rows for $keys keys with a default and $required required"
    fails=$((fails + 1))
fi

# exactly one of --reference or --markdown, nothing else
expect_usage() {
    local rc=0
    "$SF" config "$@" > out 2> err || rc=$?
    if [ "$rc" -ne 2 ] || ! grep -qF 'config needs exactly one of --reference or --markdown' err ||
       [ -s out ]; then
        echo "FAIL 'salesfocus config $*': exit $rc, expected 2 and the usage"; cat err
        fails=$((fails + 1))
    fi
}
expect_usage
expect_usage --reference --markdown
expect_usage --markdown --markdown
expect_usage -c x.ini
expect_usage --reference extra
expect_usage --html

# a write error is an output error (exit 4)
if [ -w /dev/full ]; then
    rc=0
    "$SF" config --reference > /dev/full 2> err || rc=$?
    if [ "$rc" -ne 4 ] || ! grep -qF 'cannot write to standard output' err; then
        echo "FAIL config --reference > /dev/full: exit $rc, expected 4"; cat err
        fails=$((fails + 1))
    fi
fi

[ "$fails" -eq 0 ] && echo "ok   config docs"
[ "$fails" -eq 0 ]
