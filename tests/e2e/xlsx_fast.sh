#!/usr/bin/env bash
# The workbook's fast path ([outputs] xlsx_fast = yes, the default) writes
# the list rows itself, in the XML libxlsxwriter would write, and relies on
# library internals. With xlsx_fast = no every cell goes through the
# library's public API and its own zip. Both workbooks must hold the same
# parts with the same XML, but for the optional r="" reference of a cell
# that directly follows its left neighbour (the fast path leaves it out),
# the text of a number (the fast path writes the exact decimal, 0.0714, the
# library %.16G of the same double, 0.07140000000000001: both are compared
# as the double they denote) and docProps/core.xml (its timestamp): a
# libxlsxwriter upgrade that changes
# what it writes for a cell fails here instead of in a manager's workbook.
set -euo pipefail
fail=0
for s in salesforce-en amocrm-ru; do
    cp -r "$ROOT/samples/$s" "$TMP/$s"
    cfg="$TMP/$s/config.ini"
    printf '\n[outputs]\nxlsx_fast = no\n' >>"$TMP/$s/slow.ini.tail"
    cat "$cfg" "$TMP/$s/slow.ini.tail" >"$TMP/$s/slow.ini"
    "$SF" run -q -c "$cfg" --as-of 2025-06-30 --out "$TMP/$s/fast"
    # one folder further down: the history store beside it is slow.ini's
    # own (a store belongs to one config)
    "$SF" run -q -c "$TMP/$s/slow.ini" --as-of 2025-06-30 --out "$TMP/$s/own/slow"
    for m in fast slow; do
        mkdir -p "$TMP/$s/x-$m"
        wb="$TMP/$s/$m/workbook.xlsx"
        [ "$m" = slow ] && wb="$TMP/$s/own/slow/workbook.xlsx"
        (cd "$TMP/$s/x-$m" && unzip -q "$wb")
        rm -f "$TMP/$s/x-$m/docProps/core.xml"
        # drop every cell reference (the fast path omits the optional ones)
        # and write every number as the shortest text of its double
        for f in "$TMP/$s/x-$m"/xl/worksheets/sheet*.xml; do
            "$PY" - "$f" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = re.sub(r'<c r="[A-Z]+[0-9]+"', "<c", s)
s = re.sub(r"<v>([^<]*)</v>", lambda m: "<v>%r</v>" % float(m.group(1)), s)
open(p, "w", encoding="utf-8").write(s)
PY
        done
    done
    # the parts are the same set, and each is the same XML
    (cd "$TMP/$s/x-fast" && find . -type f | sort) >"$TMP/$s/parts-fast"
    (cd "$TMP/$s/x-slow" && find . -type f | sort) >"$TMP/$s/parts-slow"
    if ! diff "$TMP/$s/parts-fast" "$TMP/$s/parts-slow"; then
        echo "$s: the two paths write different parts"
        fail=1
    fi
    n=0
    while read -r part; do
        n=$((n + 1))
        if ! cmp -s "$TMP/$s/x-fast/$part" "$TMP/$s/x-slow/$part"; then
            echo "$s: $part differs between the fast path and the public API"
            diff <(tr '>' '\n' <"$TMP/$s/x-fast/$part") <(tr '>' '\n' <"$TMP/$s/x-slow/$part") | head -10 || true
            fail=1
        fi
    done <"$TMP/$s/parts-fast"
    # a list sheet with many rows was compared (not an empty workbook)
    rows=$(grep -o '<row ' "$TMP/$s/x-slow/xl/worksheets/sheet2.xml" | wc -l)
    [ "$rows" -gt 100 ] || { echo "$s: the Accounts sheet has only $rows rows"; fail=1; }
    echo "$s: $n parts compared, $rows rows on the Accounts sheet"
done
exit $fail
