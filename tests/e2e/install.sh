#!/usr/bin/env bash
# make install honours PREFIX and DESTDIR, and the installed binary finds
# its presets and templates without SALESFOCUS_SHARE.
set -euo pipefail
make -s -C "$ROOT" BUILD="$(basename "$(dirname "$SF")")" install PREFIX=/opt/sf DESTDIR="$TMP/dest" >/dev/null
bin="$TMP/dest/opt/sf/bin/salesfocus"
[ -x "$bin" ]
[ -f "$TMP/dest/opt/sf/share/salesfocus/config/crm/bitrix24.ini" ]
[ -f "$TMP/dest/opt/sf/share/salesfocus/templates/lang/ru.ini" ]
cd "$TMP"
env -u SALESFOCUS_SHARE "$bin" check -c "$ROOT/samples/bitrix24-ru/config.ini" > check.txt
grep -q 'preset bitrix24' check.txt
grep -q 'check: ok' check.txt
env -u SALESFOCUS_SHARE "$bin" run -q -c "$ROOT/samples/bitrix24-ru/config.ini" --out "$TMP/out"
[ -s "$TMP/out/report.pdf" ]
echo ok
