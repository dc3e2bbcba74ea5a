#!/usr/bin/env bash
# Performance benchmark (make bench): generates two large canonical data sets
# with sfgen (cached under $BENCH_DIR by size and seed, so only the first run
# pays for generation), then times `salesfocus run` with every output on:
# one warm-up run, then $BENCH_RUNS timed runs per set. Prints the median and
# the spread (min..max) of wall time and peak RSS, the median CPU time
# (user + sys: on two cores it may exceed the wall time), and the median per-stage
# times when the binary reports them (SF_TIMINGS=1: "timing: <stage> <s>"
# lines on stderr).
#
#   BENCH_RUNS=5  BENCH_DIR=/tmp/salesfocus-bench  BENCH_SETS="1m 10m"
#   BUILD=build   (which build directory's binaries to use)
#   BENCH_INI='[clv]\nenabled = no'   (INI text added to the runs' config, to
#                 measure what a part costs: printf escapes are expanded)
#   BENCH_REVIEW_OWNERS=6000 (0: skip) - then `review --all-owners` on that
#   many owners whose names all reduce to one file name (cut at 80 bytes):
#   the numbering of colliding names must stay linear
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
RUNS=${BENCH_RUNS:-5}
DIR=${BENCH_DIR:-/tmp/salesfocus-bench}
SETS=${BENCH_SETS:-"1m 10m"}
SEED=${BENCH_SEED:-42}
AS_OF=2025-06-30
SF="$ROOT/$BUILD/salesfocus"
SFGEN="$ROOT/$BUILD/sfgen"
export SALESFOCUS_SHARE="$ROOT"

make -C "$ROOT" --no-print-directory BUILD="$BUILD" all >/dev/null
[ -x /usr/bin/time ] || "$ROOT/tools/deps.sh" time
mkdir -p "$DIR"

# set name -> "accounts transactions activities opportunities"
sizes() {
    case $1 in
        smoke) echo "2000 20000 5000 500" ;;
        1m) echo "100000 1000000 500000 50000" ;;
        10m) echo "100000 10000000 500000 50000" ;;
        *) echo "unknown set '$1' (smoke, 1m, 10m)" >&2; exit 2 ;;
    esac
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
minmax() { sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR) printf "%s..%s", lo, hi }'; }

declare -a TABLE=()
for set in $SETS; do
    read -r na nt nv no <<<"$(sizes "$set")"
    data="$DIR/a$na-t$nt-v$nv-o$no-s$SEED"
    if [ ! -f "$data/.done" ]; then
        echo "generating $set data set into $data ..."
        rm -rf "$data"
        t0=$(date +%s.%N)
        "$SFGEN" --out "$data" --accounts "$na" --transactions "$nt" --activities "$nv" \
            --opportunities "$no" --seed "$SEED" --as-of "$AS_OF"
        t1=$(date +%s.%N)
        printf '  generated in %.1f s (%s)\n' "$(echo "$t1 - $t0" | awk '{ print $1 - $3 }')" \
            "$(du -sh "$data" | cut -f1)"
        touch "$data/.done"
    fi
    # Every output on; the mail is only written (no sendmail configured).
    cfg="$data/bench.ini"
    { cat "$data/config.ini"
      printf '\n[outputs]\npdf = yes\nxlsx = yes\ncsv = yes\nemail = yes\n'
      printf '\n[email]\nfrom = bench@example.com\nto = manager@example.com\n'
      [ -z "${BENCH_INI:-}" ] || printf "\n${BENCH_INI}\n"
    } >"$cfg"
    out="$DIR/out-$set"
    times="$DIR/times-$set.txt"; stages="$DIR/stages-$set.txt"
    : >"$times"; : >"$stages"
    for i in $(seq 0 "$RUNS"); do
        rm -rf "$out"
        tf="$DIR/time.$$"; ef="$DIR/stderr.$$"
        if ! SF_TIMINGS=1 /usr/bin/time -f '%e %M %U %S' -o "$tf" "$SF" run -c "$cfg" -q --out "$out" 2>"$ef"; then
            echo "run failed on $set (see $ef):" >&2
            tail -5 "$ef" >&2
            exit 1
        fi
        label=$([ "$i" -eq 0 ] && echo warm-up || echo "run $i")
        read -r t_wall t_rss t_user t_sys <"$tf"
        printf '  %-4s %-8s %s s, %s KB, %s s user + %s s sys\n' "$set" "$label" "$t_wall" "$t_rss" \
            "$t_user" "$t_sys"
        if [ "$i" -gt 0 ]; then
            tail -1 "$tf" >>"$times"
            # "timing: output xlsx 0.200" -> "output_xlsx 0.200"
            grep -E '^timing: ' "$ef" |
                awk '{ v = $NF; s = $2; for (k = 3; k < NF; k++) s = s "_" $k; print s, v }' >>"$stages" || true
        fi
        rm -f "$tf" "$ef"
    done
    wall_med=$(awk '{ print $1 }' "$times" | median)
    wall_mm=$(awk '{ print $1 }' "$times" | minmax)
    rss_med=$(awk '{ printf "%.0f\n", $2 / 1024 }' "$times" | median)
    rss_mm=$(awk '{ printf "%.0f\n", $2 / 1024 }' "$times" | minmax)
    cpu_med=$(awk '{ printf "%.2f\n", $3 + $4 }' "$times" | median)
    stage_txt=""
    for st in $(awk '{ print $1 }' "$stages" | awk '!seen[$0]++'); do
        stage_txt+="$st=$(awk -v s="$st" '$1 == s { print $2 }' "$stages" | median)s "
    done
    TABLE+=("$(printf '%-4s %9s %9s %9s %8s | %7s s %-13s | %5s s | %6s MB %-11s | %s' \
        "$set" "$na" "$nt" "$nv" "$no" "$wall_med" "($wall_mm)" "$cpu_med" "$rss_med" "($rss_mm)" \
        "${stage_txt:-(no SF_TIMINGS output)}")")
done

echo
echo "$("$SF" --version 2>/dev/null | head -1): $RUNS runs per set after one warm-up (median (min..max))"
printf '%-4s %9s %9s %9s %8s | %-23s | %-7s | %-23s | %s\n' set accounts txns activities opps wall cpu "peak RSS" "stages (median)"
for row in "${TABLE[@]}"; do echo "$row"; done

# review packs of many owners whose file names collide: one timed run
NREV=${BENCH_REVIEW_OWNERS:-6000}
if [ "$NREV" -gt 0 ]; then
    rdata="$DIR/review-collide-$NREV"
    if [ ! -f "$rdata/.done" ]; then
        rm -rf "$rdata" && mkdir -p "$rdata"
        awk -v n="$NREV" -v d="$rdata" 'BEGIN {
            o = sprintf("%085d", 0); gsub(/0/, "O", o)
            print "account_id,name,owner" > (d "/accounts.csv")
            print "account_id,date,amount" > (d "/transactions.csv")
            for (i = 0; i < n; i++) {
                printf "A%06d,Client %d,%s%d\n", i, i, o, i > (d "/accounts.csv")
                printf "A%06d,2025-05-01,%d.00\n", i, 100 + i > (d "/transactions.csv")
            }
        }'
        printf '[run]\nas_of = %s\n[input]\naccounts = accounts.csv\ntransactions = transactions.csv\n' \
            "$AS_OF" >"$rdata/cfg.ini"
        touch "$rdata/.done"
    fi
    rm -rf "$DIR/out-review"
    tf="$DIR/time.$$"
    /usr/bin/time -f '%e %M' -o "$tf" "$SF" review -q -c "$rdata/cfg.ini" --all-owners --out "$DIR/out-review"
    read -r r_wall r_rss <"$tf"
    rm -f "$tf"
    packs=$(find "$DIR/out-review" -name 'review-*.pdf' | wc -l)
    echo
    printf 'review --all-owners, %s owners whose file names collide: %s packs in %s s, peak RSS %s MB\n' \
        "$NREV" "$packs" "$r_wall" "$((r_rss / 1024))"
    rm -rf "$DIR/out-review"
fi
