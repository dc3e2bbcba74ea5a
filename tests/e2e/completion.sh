#!/usr/bin/env bash
# Bash completion (contrib/bash-completion/salesfocus), driven without an
# interactive shell: set COMP_WORDS/COMP_CWORD, call the function that
# `complete -p salesfocus` names, read COMPREPLY. Hand-written expectations
# per command, and every command and option of `salesfocus --help` must be
# offered where its usage line says it applies.
set -euo pipefail
COMP="$ROOT/contrib/bash-completion/salesfocus"
[ -f "$COMP" ]

# complete WORD...: the sorted offers for the last word, one per line
complete_words() {
    bash --norc --noprofile -c '
        set -u
        . "$1"; shift
        spec=$(complete -p salesfocus) || { echo "salesfocus has no completion" >&2; exit 1; }
        fn=$(sed -E "s/.*-F ([^ ]+).*/\1/" <<<"$spec")
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        "$fn" salesfocus "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]:-}"
        printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$COMP" "$@"
}
expect() { # "offers, space-separated (a space inside an offer: %20)" WORD...
    local want got
    want=$(tr ' ' '\n' <<<"$1" | sed '/^$/d; s/%20/ /g' | sort); shift
    got=$(complete_words "$@" | sed '/^$/d')
    [ "$got" = "$want" ] || { echo "completing '$*': expected [$(echo $want)], got [$(echo $got)]"; exit 1; }
}

expect "backfill backtest check config history init lists review run" salesfocus ""
expect "review run" salesfocus r
expect "backfill backtest" salesfocus b
expect "--help --version" salesfocus --
expect "--as-of --config --help --out --quiet --resend --timeout --version" salesfocus run --
expect "--as-of --config --help --quiet --rejects --version" salesfocus check --
expect "--all-owners --as-of --config --help --out --owner --quiet --timeout --version" salesfocus review --
expect "--owner" salesfocus review --ow
expect "--account --as-of --config --help --out --quiet --version" salesfocus history --
expect "--config --every --from --help --out --quiet --to --version" salesfocus backfill --
expect "$(date +%Y-%m-%d)" salesfocus backfill --from ""
expect "" salesfocus history --account ""
expect "--as-of --config --help --horizon --out --points --quiet --step --timeout --version" salesfocus backtest --
expect "90" salesfocus backtest --horizon ""
expect "28" salesfocus backtest --step ""
expect "8" salesfocus backtest --points ""
expect "--markdown --reference" salesfocus config --
expect "" salesfocus config --reference ""
expect "" salesfocus lists ""
expect "--as-of --config --help --out --quiet --resend --timeout --version" salesfocus run -q ""

# -c offers INI files and folders, not other files
mkdir -p "$TMP/w/sub dir"
: >"$TMP/w/a.ini"; : >"$TMP/w/b.ini"; : >"$TMP/w/data.csv"
cd "$TMP/w"
expect "a.ini b.ini sub%20dir" salesfocus run -c ""
expect "a.ini" salesfocus check --config a
expect "sub%20dir" salesfocus run --out ""
expect "$(date +%Y-%m-%d)" salesfocus run --as-of ""
expect "" salesfocus review --owner ""
# init: its options, the configuration to write, then any export file
expect "--force --help --out --quiet --version" salesfocus init --
expect "a.ini b.ini sub%20dir" salesfocus init -o ""
expect "a.ini b.ini data.csv sub%20dir" salesfocus init --force ""

# every command of --help is offered, and each usage line's options are
# offered after its command (short options by their long name)
"$SF" --help >"$TMP/help"
complete_words salesfocus "" >"$TMP/cmds"
while read -r cmd rest; do
    grep -qx "$cmd" "$TMP/cmds" || { echo "command $cmd of --help not offered"; exit 1; }
    complete_words salesfocus "$cmd" -- >"$TMP/opts"
    for o in $(grep -oE -- '(^| |\[|\()-(-[a-z][a-z-]*|[a-zA-Z])' <<<"$rest" | tr -d ' [('); do
        if [[ $o != --* ]]; then
            o=$(grep -oE -- "^ +$o, --[a-z-]+" "$TMP/help" | sed 's/.*, //')
            [ -n "$o" ] || { echo "short option of '$cmd' has no long name in --help"; exit 1; }
        fi
        grep -qx -- "$o" "$TMP/opts" || { echo "option $o of '$cmd' not offered"; exit 1; }
    done
done < <(sed -nE 's/^(usage:)? *salesfocus +([a-z][a-z-]*)(.*)/\2 \3/p' "$TMP/help")
echo ok
