#!/usr/bin/env bash
# No symlink traps (a run is often root, its folders writable by others):
# - a symbolic link planted at the lock file is refused, never followed,
#   and the file it points at is untouched; so is a hard link;
# - links planted at the temporary names older versions used
#   (.report.pdf.tmp-PID-N, for a range of coming PIDs) catch nothing: the
#   run writes into a fresh folder of its own with an unpredictable name;
# - a link planted where the run writes a folder (csv -> elsewhere) or a
#   file (report.pdf -> victim) is refused before anything is written
#   through it;
# - modes: outputs 0644, folders 0755, the lock 0600, even under umask 000.
set -euo pipefail
. "$ROOT/tests/py/email_lib.bash"

echo "root-only secret" >"$TMP/victim"
chmod 600 "$TMP/victim"
cp "$TMP/victim" "$TMP/victim.orig"

# the lock as a symbolic link
ln -s "$TMP/victim" "$TMP/salesfocus.lock"
write_config "$TMP/cfg.ini"
expect_exit 4 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
grep -q "lock '$TMP/salesfocus.lock' is a symbolic link: refused" "$TMP/err"
cmp "$TMP/victim" "$TMP/victim.orig"
[ ! -e "$TMP/out" ]
rm "$TMP/salesfocus.lock"

# the lock as a hard link to another file
ln "$TMP/victim" "$TMP/salesfocus.lock"
expect_exit 4 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
grep -q "is not a regular file of its own" "$TMP/err"
cmp "$TMP/victim" "$TMP/victim.orig"
rm "$TMP/salesfocus.lock"

# the temporary names of older versions, planted for the coming PIDs
"$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
next=$(sh -c 'echo $$')
for p in $(seq "$next" $((next + 300))); do
    for n in 0 1 2 3 4 5 6 7 8 9 10 11; do
        ln -s "$TMP/victim" "$TMP/out/.report.pdf.tmp-$p-$n"
        ln -s "$TMP/victim" "$TMP/out/.workbook.xlsx.tmp-$p-$n"
    done
    ln -s "$TMP/victim" "$TMP/out/csv/.accounts.csv.tmp-$p-0"
done
"$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out" --as-of 2025-07-07
cmp "$TMP/victim" "$TMP/victim.orig"
# the planted links are carried over as links, never followed
[ -L "$TMP/out/.report.pdf.tmp-$next-0" ]
find "$TMP/out" -name '.*.tmp-*' -type l -delete

# a link where the run writes a folder, and one where it writes a file
mkdir "$TMP/elsewhere"
mv "$TMP/out/csv" "$TMP/csv.real" && ln -s "$TMP/elsewhere" "$TMP/out/csv"
expect_exit 4 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
grep -q "out/csv: is a symbolic link where the run writes a folder; nothing was replaced" "$TMP/err"
[ -z "$(ls -A "$TMP/elsewhere")" ]
rm "$TMP/out/csv" && mv "$TMP/csv.real" "$TMP/out/csv"
rm "$TMP/out/report.pdf" && ln -s "$TMP/victim" "$TMP/out/report.pdf"
expect_exit 4 "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/out"
grep -q "out/report.pdf: is a symbolic link where the run writes a file" "$TMP/err"
cmp "$TMP/victim" "$TMP/victim.orig"
rm "$TMP/out/report.pdf"

# modes, whatever the umask
rm -rf "$TMP/m" "$TMP/salesfocus.lock"
(umask 000 && "$SF" run -q -c "$TMP/cfg.ini" --out "$TMP/m/out")
[ "$(stat -c %a "$TMP/salesfocus.lock")" = 600 ]
[ "$(stat -c %a "$TMP/m/out")" = 755 ] && [ "$(stat -c %a "$TMP/m/out/csv")" = 755 ]
[ -z "$(find "$TMP/m/out" -type f ! -perm 644)" ]
echo ok
