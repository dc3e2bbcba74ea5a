# Shared helpers of the pdf_*.sh end-to-end tests (sourced, not run: the
# runner only picks up *.sh files with set -e semantics, so this file
# exits 0 on its own).
# pdf_ok FILE PAGES: page count, A4 landscape size, every font embedded,
# qpdf structure check, every page renders.
pdf_ok() {
    local f=$1 pages=$2 info
    [ -s "$f" ] || { echo "missing or empty: $f"; return 1; }
    info=$(pdfinfo "$f")
    grep -Eq "^Pages: +$pages\$" <<<"$info" || { echo "$f: expected $pages pages"; grep Pages <<<"$info"; return 1; }
    grep -Eq "^Page size: +842 x 595 pts" <<<"$info" || { echo "$f: not 842x595"; grep 'Page size' <<<"$info"; return 1; }
    local fonts
    fonts=$(pdffonts "$f" | tail -n +3)
    [ -n "$fonts" ] || { echo "$f: no fonts"; return 1; }
    grep -q DejaVuSans <<<"$fonts" || { echo "$f: DejaVu Sans not used"; echo "$fonts"; return 1; }
    # emb is the 4th-from-last column group: check every row says yes
    if awk '{ if ($(NF-4) != "yes") bad=1 } END { exit !bad }' <<<"$fonts"; then
        echo "$f: a font is not embedded"; echo "$fonts"; return 1
    fi
    qpdf --check "$f" >/dev/null || { echo "$f: qpdf --check failed"; qpdf --check "$f" | tail -5; return 1; }
    local dir
    dir=$(mktemp -d "$TMP/ppm.XXXXXX")
    pdftoppm -png -r 30 "$f" "$dir/p"
    local n
    n=$(find "$dir" -name 'p-*.png' -size +100c | wc -l)
    [ "$n" -eq "$pages" ] || { echo "$f: rendered $n of $pages pages"; return 1; }
}

# mini_config LANG OUTCFG: the worked example's config with absolute input
# paths and [run] language = LANG.
mini_config() {
    local lang=$1 out=$2 mini="$ROOT/tests/data/mini"
    sed -E -e "s#^(accounts|transactions|activities|opportunities) *= *(.*)#\1 = $mini/\2#" \
        -e "s#^\[run\]#[run]\nlanguage = $lang#" "$mini/config.ini" >"$out"
}

# pdf_in_margins FILE: every word pdftotext finds lies inside the page
# margins (36 pt): long names are ellipsised, never drawn off the page.
pdf_in_margins() {
    pdftotext -bbox "$1" - | $PY -c '
import re, sys
bad = [m for m in re.finditer(r"<word xMin=\"([-0-9.]+)\" yMin=\"([-0-9.]+)\" xMax=\"([-0-9.]+)\" yMax=\"([-0-9.]+)\">([^<]*)", sys.stdin.read())
       if float(m.group(1)) < 35 or float(m.group(3)) > 807 or float(m.group(4)) > 595]
for m in bad[:5]:
    print("outside the margins:", m.group(0)[:160])
sys.exit(1 if bad else 0)'
}
