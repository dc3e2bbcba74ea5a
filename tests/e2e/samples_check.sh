#!/usr/bin/env bash
# The bundled samples (samples/*/config.ini) load cleanly through their CRM
# presets: `salesfocus check` exits 0, prints a mapping for every file, and
# the record counts add up (read = accepted + rejected + blank + footer).
# The samples were made by sfgen, whose command line is in each config.ini,
# so the expected counts are known by construction: every generated record
# is accepted, and the --bad N injected faults show up as exactly N reject
# lines (rejected or kept). Finally each sample regenerates byte for byte.
set -euo pipefail
: "${SF:?}" "${ROOT:?}" "${TMP:?}"
export SALESFOCUS_SHARE=${SALESFOCUS_SHARE:-$ROOT}

fail() { echo "FAIL: $*" >&2; exit 1; }

n=0
for cfg in "$ROOT"/samples/*/config.ini; do
    dir=$(dirname "$cfg"); name=$(basename "$dir")
    n=$((n + 1))
    out="$TMP/$name.check"
    "$SF" check -c "$cfg" >"$out" 2>&1 || { cat "$out"; fail "$name: check exited $?"; }

    # The generator's command line, from the comment sfgen wrote.
    args=$(sed -n '2s/^;//p' "$cfg")
    arg() { # option -> value in $args
        echo "$args" | tr -s ' ' '\n' | awk -v o="$1" 'p { print; exit } $0 == o { p = 1 }'
    }
    bad=$(arg --bad); bad=${bad:-0}
    won=no; grep -q '^transactions = @won' "$cfg" && won=yes

    # Records: one line per input file, in order accounts, transactions,
    # activities, opportunities; each must add up.
    mapfile -t recs < <(grep -E '^ *records: read' "$out")
    [ "${#recs[@]}" -eq 4 ] || { cat "$out"; fail "$name: expected 4 records lines, got ${#recs[@]}"; }
    files=(accounts transactions activities opportunities)
    total_rej=0
    for i in 0 1 2 3; do
        line=${recs[$i]}
        [[ $line =~ read\ ([0-9]+),\ accepted\ ([0-9]+),\ rejected\ ([0-9]+),\ blank\ ([0-9]+),\ footer\ ([0-9]+) ]] ||
            fail "$name: cannot parse '$line'"
        r=${BASH_REMATCH[1]} a=${BASH_REMATCH[2]} j=${BASH_REMATCH[3]} b=${BASH_REMATCH[4]} f=${BASH_REMATCH[5]}
        [ "$r" -eq $((a + j + b + f)) ] ||
            fail "$name ${files[$i]}: read $r != accepted $a + rejected $j + blank $b + footer $f"
        total_rej=$((total_rej + j))
        # Every generated record is accepted: the faults are extra records,
        # or stand in for one when only an optional field is bad.
        want=$(arg "--${files[$i]}")
        case "${files[$i]}/$won" in
            transactions/yes|opportunities/yes) ;;  # won deals double as sales
            *) [ "$a" -eq "$want" ] || fail "$name ${files[$i]}: accepted $a, generated $want" ;;
        esac
        if [[ $name == salesforce-* ]]; then
            # Report footer: two blank lines, then Grand Totals, blank,
            # confidentiality notice, blank, copyright = 5 footer records.
            [ "$b" -eq 2 ] && [ "$f" -eq 5 ] || fail "$name ${files[$i]}: blank $b footer $f, want 2 and 5"
        fi
    done
    kept=$( { grep -E '^ *kept with a field emptied:' "$out" || true; } | sed 's/^[^:]*://' |
           { grep -oE '[0-9]+' || true; } | awk '{ s += $1 } END { print s + 0 }')
    [ $((total_rej + kept)) -eq "$bad" ] ||
        { cat "$out"; fail "$name: $total_rej rejected + $kept kept != $bad injected faults"; }

    # A mapping line per canonical field, and the preset's headers in use.
    [ "$(grep -c ' <- ' "$out")" -ge 30 ] || fail "$name: mapping lines missing"
    grep -qE '^ *account_id +<- "' "$out" || fail "$name: account_id not mapped"

    # Reproducible: sfgen with the same arguments gives the same bytes.
    if [ -x "${SFGEN:-}" ]; then
        regen="$TMP/regen/$name"   # same folder name: the config names its store after it
        mkdir -p "$TMP/regen"
        # shellcheck disable=SC2086
        set -- $args
        newargs=()
        while [ $# -gt 0 ]; do
            if [ "$1" = --out ]; then newargs+=(--out "$regen"); shift 2; else newargs+=("$1"); shift; fi
        done
        "$SFGEN" "${newargs[@]}"
        for csv in "$dir"/*.csv; do
            cmp -s "$csv" "$regen/$(basename "$csv")" || fail "$name: $(basename "$csv") does not regenerate identically"
        done
        # (without the command line, which names another --out and may
        # take more than one comment line)
        cmdless() { awk 'NR > 1 && /^;   / { next } { print }' "$1"; }
        diff <(cmdless "$cfg") <(cmdless "$regen/config.ini") >/dev/null || fail "$name: config.ini differs from sfgen's"
    fi
    echo "ok $name: $total_rej rejected, $kept kept, $bad injected"
done
[ "$n" -ge 3 ] || fail "expected at least 3 samples, found $n"

# Spot checks of the dialects the presets promise.
sf="$ROOT/samples/salesforce-en"
head -1 "$sf/accounts.csv" | grep -q '^"Account ID","Account Name","Account Owner"' || fail "salesforce headers"
grep -q '^"Grand Totals (' "$sf/transactions.csv" || fail "salesforce footer"
bx="$ROOT/samples/bitrix24-ru"
if iconv -f UTF-8 -t UTF-8 "$bx/accounts.csv" >/dev/null 2>&1; then fail "bitrix24 sample is not CP1251"; fi
head -1 "$bx/accounts.csv" | iconv -f CP1251 -t UTF-8 | grep -q '^ID;Название компании;Ответственный' || fail "bitrix24 headers"
iconv -f CP1251 -t UTF-8 "$bx/opportunities.csv" | grep ';Сделка успешна;' >/dev/null || fail "bitrix24 won stage"
"$SF" check -c "$bx/config.ini" 2>&1 | grep 'account_id *<- "Название компании"' >/dev/null || fail "bitrix24 mapping"
hs="$ROOT/samples/hubspot-pl"
head -c3 "$hs/accounts.csv" | od -An -tx1 | grep -q 'ef bb bf' || fail "hubspot BOM"
echo "all samples ok"
