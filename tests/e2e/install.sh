#!/usr/bin/env bash
# make install honours PREFIX and DESTDIR: the binary, presets and
# templates (the installed binary finds them without SALESFOCUS_SHARE), the
# man page (rendered, naming the installed folders), the bash completion,
# the documents, and example units whose paths point at what was installed.
set -euo pipefail
make -s -C "$ROOT" BUILD="$(basename "$(dirname "$SF")")" install PREFIX=/opt/sf DESTDIR="$TMP/dest" >/dev/null
D="$TMP/dest"
P="$D/opt/sf"
bin="$P/bin/salesfocus"
[ -x "$bin" ]
[ -f "$P/share/salesfocus/config/crm/bitrix24.ini" ]
[ -f "$P/share/salesfocus/templates/lang/ru.ini" ]

# the man page: installed where man finds it, renders, names /opt/sf paths
man1="$P/share/man/man1/salesfocus.1"
[ -f "$man1" ] && [ "$(stat -c %a "$man1")" = 644 ]
[ "$(MANPATH="$P/share/man" man -w salesfocus)" = "$man1" ]
MANWIDTH=100 MANPATH="$P/share/man" man salesfocus 2>"$TMP/man.err" | col -b >"$TMP/man.txt"
[ ! -s "$TMP/man.err" ] || { cat "$TMP/man.err"; exit 1; }
grep -q '/opt/sf/share/salesfocus/config/crm/NAME.ini' "$TMP/man.txt"
grep -q '/opt/sf/share/doc/salesfocus/' "$TMP/man.txt"
grep -q 'PREFIX=/opt/sf\.' "$TMP/man.txt"
! grep -q '/usr/local' "$man1" || { echo "installed man page still names /usr/local"; exit 1; }

# the completion, as shipped
cmp "$ROOT/contrib/bash-completion/salesfocus" "$P/share/bash-completion/completions/salesfocus"

# the documents
doc="$P/share/doc/salesfocus"
for f in README.md CHANGELOG.md LICENSE; do cmp "$ROOT/$f" "$doc/$f"; done
n=0
for f in "$ROOT"/docs/*.md; do cmp "$f" "$doc/docs/$(basename "$f")"; n=$((n + 1)); done
[ "$n" -ge 8 ] && [ -f "$doc/docs/spec.md" ]

# the example units: every Documentation= target and ExecStart's binary exist
unit="$P/share/salesfocus/config/salesfocus.service"
docs=$(sed -n 's/^Documentation=//p' "$unit")
[ "$(wc -w <<<"$docs")" -eq 2 ] || { echo "expected two Documentation= targets: $docs"; exit 1; }
for u in $docs; do
    case $u in
        man:salesfocus\(1\)) [ -f "$man1" ] ;;
        file://*) [ -f "$D${u#file://}" ] || { echo "Documentation=$u not installed"; exit 1; } ;;
        *) echo "unexpected Documentation=$u"; exit 1 ;;
    esac
done
exe=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$unit")
[ "$exe" = /opt/sf/bin/salesfocus ] && [ -x "$D$exe" ]
grep -q ' /opt/sf/bin/salesfocus run ' "$P/share/salesfocus/config/cron.example"
# the source unit names the default PREFIX's installed paths
grep -qx 'Documentation=file:///usr/local/share/doc/salesfocus/docs/scheduling.md' "$ROOT/config/salesfocus.service"

cd "$TMP"
env -u SALESFOCUS_SHARE "$bin" check -c "$ROOT/samples/bitrix24-ru/config.ini" > check.txt
grep -q 'preset bitrix24' check.txt
grep -q 'check: ok' check.txt
env -u SALESFOCUS_SHARE "$bin" run -q -c "$ROOT/samples/bitrix24-ru/config.ini" --out "$TMP/out"
[ -s "$TMP/out/report.pdf" ]
echo ok
