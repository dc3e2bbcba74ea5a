#!/usr/bin/env bash
# The manual page renders without a warning (groff -ww, and man -l), and
# documents what the program and the code say exists: every command and
# every option that `salesfocus --help` prints, every exit code of its
# usage text, every environment variable the CLI reads, every CRM preset
# and every document installed beside it; its version is the Makefile's.
# A new option, command or variable without documentation fails here.
set -euo pipefail
MAN="$ROOT/man/salesfocus.1"
[ -f "$MAN" ]

groff -man -Tutf8 -ww -z "$MAN" 2>"$TMP/groff.err"
[ ! -s "$TMP/groff.err" ] || { echo "groff warnings:"; cat "$TMP/groff.err"; exit 1; }
MANWIDTH=100 man --warnings -l "$MAN" 2>"$TMP/man.err" | col -b >"$TMP/man.txt"
[ ! -s "$TMP/man.err" ] || { echo "man warnings:"; cat "$TMP/man.err"; exit 1; }
grep -q '^NAME' "$TMP/man.txt"

# section TITLE: the rendered text of one section (up to the next heading)
section() { awk -v s="$1" '/^[A-Z][A-Z ]*$/ { on = ($0 == s); next } on' "$TMP/man.txt"; }
for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES; do
    [ -n "$(section "$s")" ] || { echo "section $s missing or empty"; exit 1; }
done
section SYNOPSIS >"$TMP/synopsis"
section COMMANDS >"$TMP/commands"
section OPTIONS >"$TMP/options"
section "EXIT STATUS" >"$TMP/exit"
section ENVIRONMENT >"$TMP/env"
section FILES >"$TMP/files"

"$SF" --help >"$TMP/help"
# commands: the first word after "salesfocus" on each usage line
cmds=$(sed -nE 's/^(usage:)? *salesfocus +([a-z][a-z-]*).*/\2/p' "$TMP/help" | sort -u)
[ "$(echo "$cmds" | wc -l)" -ge 3 ] || { echo "no commands found in --help"; exit 1; }
for c in $cmds; do
    grep -Eq "^ *salesfocus $c( |$)" "$TMP/synopsis" || { echo "command $c not in SYNOPSIS"; exit 1; }
    grep -Eq "^       $c( |$)" "$TMP/commands" || { echo "command $c not described in COMMANDS"; exit 1; }
done
# options: every long and short option the help names, as an item of OPTIONS
longs=$(grep -oE -- '--[a-z][a-z-]*' "$TMP/help" | sort -u)
[ "$(echo "$longs" | wc -l)" -ge 8 ] || { echo "too few long options in --help"; exit 1; }
for o in $longs; do
    grep -Eq "^       (-[a-zA-Z]( [A-Z]+)?, )?$o( [A-Z]+)?$" "$TMP/options" ||
        { echo "option $o has no item in OPTIONS"; exit 1; }
done
shorts=$(grep -oE -- '^ +-[a-zA-Z],' "$TMP/help" | tr -d ' ,' | sort -u)
for o in $shorts; do
    grep -Eq "^       $o( [A-Z]+)?, --" "$TMP/options" || { echo "short option $o has no item in OPTIONS"; exit 1; }
done
# exit codes: those of the usage text, and 1 (internal failure)
codes=$(sed -n '/^exit codes:/,$p' "$TMP/help" | grep -oE '(^|[ ,:])[0-9] ' | tr -dc '0-9\n')
[ -n "$codes" ] || { echo "no exit codes in --help"; exit 1; }
for c in $codes 1; do
    grep -Eq "^       $c  " "$TMP/exit" || { echo "exit code $c not in EXIT STATUS"; exit 1; }
done
# environment: every variable the CLI's settings read (src/base/settings.c,
# the one place that reads the environment)
vars=$(grep -ohE '"(SF|SALESFOCUS)_[A-Z_]+"' "$ROOT/src/base/settings.c" | tr -d '"' | sort -u)
[ "$(echo "$vars" | wc -l)" -ge 4 ] || { echo "environment variables not found in src/base/settings.c"; exit 1; }
for v in $vars; do
    grep -Eq "^       $v$" "$TMP/env" || { echo "environment variable $v not in ENVIRONMENT"; exit 1; }
done
# files: every preset, every installed document
for p in "$ROOT"/config/crm/*.ini; do
    grep -q "$(basename "$p" .ini)" "$TMP/files" || { echo "preset $(basename "$p") not in FILES"; exit 1; }
done
for d in "$ROOT"/docs/*.md; do
    grep -q "$(basename "$d")" "$TMP/files" || { echo "docs/$(basename "$d") not in FILES"; exit 1; }
done
# the version in the page footer is the Makefile's
ver=$(sed -n 's/^VERSION *:= *//p' "$ROOT/Makefile")
grep -q "^\.TH SALESFOCUS 1 [0-9-]* \"salesfocus $ver\"" "$MAN" || { echo "man page is not for version $ver"; exit 1; }
grep -q "crontab" "$TMP/man.txt"
echo ok
