#!/usr/bin/env bash
# Performance benchmark (make bench): generates two large canonical data sets
# with sfgen (cached under $BENCH_DIR by size and seed, so only the first run
# pays for generation), then times `salesfocus run` with every output on:
# one warm-up run, then $BENCH_RUNS timed runs per set. Prints the median and
# the spread (min..max) of wall time and peak RSS, the median CPU time
# (user + sys: on two cores it may exceed the wall time), and the median per-stage
# times when the binary reports them (SF_TIMINGS=1: "timing: <stage> <s>"
# lines on stderr). The history (SPEC §7, docs/history.md): each timed run
# compares with a stored run a week earlier; after each, the same run with
# the history off gives the overhead (median against median); the store's
# growth by that second run, per account; and on the 1M set a backfill of
# 52 weekly dates into a fresh store.
# Then times `salesfocus backtest` with its defaults (8
# points) on the same set and prints its median against the run's (the
# target: at most 3 x a run).
#
#   BENCH_RUNS=5  BENCH_DIR=/tmp/salesfocus-bench  BENCH_SETS="1m 10m"
#       (also: smoke, 1m-uuid, 10m-uuid, 10m-sfid: random transaction ids;
#       book: 1M accounts, 10M transactions, 2M activities, 500k deals)
#   BUILD=build   (which build directory's binaries to use)
#   BENCH_BASE_SF=/path/to/salesfocus   another build (e.g. of the commit
#       before a feature, in a worktree of its own: it reads the templates
#       beside it) timed on the same runs, interleaved with this one: the
#       table then gives this build's wall time against that one's
#   BENCH_INI='[clv]\nenabled = no'   (INI text added to the runs' config, to
#                 measure what a part costs: printf escapes are expanded)
#   BENCH_REVIEW_OWNERS=6000 (0: skip) - then `review --all-owners` on that
#   many owners whose names all reduce to one file name (cut at 80 bytes):
#   the numbering of colliding names must stay linear
#   BENCH_REVIEW_BOOK_OWNERS=2000 (0: skip), BENCH_REVIEW_RUNS=3 - and on a
#   book of the 1M set's shape whose accounts have that many owners
# Per stage (SF_TIMINGS=1's top-level stages) it prints the median wall
# time, CPU time and peak RSS; per file the ingest rate in MB/s.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
RUNS=${BENCH_RUNS:-5}
DIR=${BENCH_DIR:-/tmp/salesfocus-bench}
SETS=${BENCH_SETS:-"1m 10m"}
SEED=${BENCH_SEED:-42}
AS_OF=2025-06-30
PREV=2025-06-23  # the history's run before (a week earlier)
SF="$ROOT/$BUILD/salesfocus"
SFGEN="$ROOT/$BUILD/sfgen"
export SALESFOCUS_SHARE="$ROOT"

make -C "$ROOT" --no-print-directory BUILD="$BUILD" all >/dev/null
[ -x /usr/bin/time ] || "$ROOT/tools/deps.sh" time
mkdir -p "$DIR"

# set name -> "accounts transactions activities opportunities transaction-ids"
# (ids: style = INV-0000001..., uuid = random UUIDs, sfid = random
# 18-character Salesforce-style ids; issue 16's "ids of any shape");
# book = a book of a million accounts
sizes() {
    case $1 in
        smoke) echo "2000 20000 5000 500 style" ;;
        1m) echo "100000 1000000 500000 50000 style" ;;
        10m) echo "100000 10000000 500000 50000 style" ;;
        1m-uuid) echo "100000 1000000 500000 50000 uuid" ;;
        10m-uuid) echo "100000 10000000 500000 50000 uuid" ;;
        10m-sfid) echo "100000 10000000 500000 50000 sfid" ;;
        book) echo "1000000 10000000 2000000 500000 style" ;;
        *) echo "unknown set '$1' (smoke, 1m, 10m, 1m-uuid, 10m-uuid, 10m-sfid, book)" >&2; exit 2 ;;
    esac
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
minmax() { sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR) printf "%s..%s", lo, hi }'; }

declare -a TABLE=() HIST=() USAGE=()
for set in $SETS; do
    read -r na nt nv no ids <<<"$(sizes "$set")"
    data="$DIR/a$na-t$nt-v$nv-o$no-s$SEED"
    [ "$ids" = style ] || data+="-$ids"
    if [ ! -f "$data/.done" ]; then
        echo "generating $set data set into $data ..."
        rm -rf "$data"
        t0=$(date +%s.%N)
        "$SFGEN" --out "$data" --accounts "$na" --transactions "$nt" --activities "$nv" \
            --opportunities "$no" --seed "$SEED" --as-of "$AS_OF" --tx-ids "$ids"
        t1=$(date +%s.%N)
        printf '  generated in %.1f s (%s)\n' "$(echo "$t1 - $t0" | awk '{ print $1 - $3 }')" \
            "$(du -sh "$data" | cut -f1)"
        touch "$data/.done"
    fi
    # Every output on; the mail is only written (no sendmail configured).
    # The history store is the bench's own, one per set (a store belongs to
    # one config), with a run a week earlier in it so that every timed run
    # compares with one, as a weekly run does; bench-off.ini is the same
    # with the history off, run after each timed run for the overhead.
    cfg="$data/bench.ini"; cfg_off="$data/bench-off.ini"
    hstore="$DIR/history-$set.sqlite"
    for c in "$cfg" "$cfg_off"; do
        { awk '/^\[/ { skip = ($0 == "[history]") } !skip' "$data/config.ini"
          printf '\n[outputs]\npdf = yes\nxlsx = yes\ncsv = yes\nemail = yes\n'
          printf '\n[email]\nfrom = bench@example.com\nto = manager@example.com\n'
          [ -z "${BENCH_INI:-}" ] || printf "\n${BENCH_INI}\n"
          if [ "$c" = "$cfg" ]; then printf '\n[history]\npath = %s\n' "$hstore"
          else printf '\n[history]\nenabled = no\n'; fi
        } >"$c"
    done
    rm -f "$hstore" "$hstore-wal" "$hstore-shm"
    "$SF" run -c "$cfg" -q --as-of "$PREV" --out "$DIR/out-$set-prev" || { echo "run failed on $set" >&2; exit 1; }
    size_one=$(stat -c %s "$hstore")
    out="$DIR/out-$set"
    times="$DIR/times-$set.txt"; stages="$DIR/stages-$set.txt"; times_off="$DIR/times-off-$set.txt"
    btimes="$DIR/btimes-$set.txt"; basetimes="$DIR/basetimes-$set.txt"
    : >"$times"; : >"$stages"; : >"$times_off"; : >"$btimes"; : >"$basetimes"
    for i in $(seq 0 "$RUNS"); do
        rm -rf "$out"
        # the run before's files written back first: on the book (a
        # gigabyte of outputs) their writeback otherwise lands in this run
        # and moves its time by 1-3 s (docs/performance.md)
        sync
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
            # "timing: output xlsx 0.200" -> "output_xlsx 0.200 - -"; a
            # top-level stage's "timing: ingest 0.5 cpu 0.9 peak_mb 80"
            # (the process's CPU and peak RSS so far) -> "ingest 0.5 0.9 80"
            # with the CPU since the top-level stage before
            grep -E '^timing: ' "$ef" |
                awk '{ k = 2; while (k <= NF && $k !~ /^[0-9]+\.[0-9]+$/) k++
                       s = $2; for (i = 3; i < k; i++) s = s "_" $i
                       if ($(k + 1) == "cpu") { c = s == "total" ? $(k + 2) : $(k + 2) - prev; prev = $(k + 2); print s, $k, c, $(k + 4) }
                       else print s, $k, "-", "-" }' >>"$stages" || true
        fi
        rm -f "$tf" "$ef"
        if [ "$i" -gt 0 ]; then
            rm -rf "$out"
            sync
            /usr/bin/time -f '%e %U %S' -o "$tf" "$SF" run -c "$cfg_off" -q --out "$out" 2>/dev/null ||
                { echo "run failed on $set (history off)" >&2; exit 1; }
            tail -1 "$tf" >>"$times_off"
            rm -f "$tf"
        fi
        if [ -n "${BENCH_BASE_SF:-}" ]; then
            rm -rf "$out"
            sync
            # its own templates: the share folder it finds beside itself
            env -u SALESFOCUS_SHARE /usr/bin/time -f '%e' -o "$DIR/time.$$" "$BENCH_BASE_SF" run -c "$cfg" -q --out "$out"
            printf '  %-4s %-8s base build %s s\n' "$set" "$label" "$(cat "$DIR/time.$$")"
            [ "$i" -gt 0 ] && cat "$DIR/time.$$" >>"$basetimes"
            rm -f "$DIR/time.$$"
        fi
    done
    # the backtest with its defaults: one ingest, 8 replays, three files
    for i in $(seq 1 "$RUNS"); do
        rm -rf "$out-bt"
        /usr/bin/time -f '%e' -o "$DIR/time.$$" "$SF" backtest -c "$cfg" -q --out "$out-bt"
        printf '  %-4s backtest %s s\n' "$set" "$(cat "$DIR/time.$$")"
        cat "$DIR/time.$$" >>"$btimes"
        rm -f "$DIR/time.$$"
    done
    # the store with two runs (a week earlier, then the timed runs' date,
    # replaced by each): the second run's bytes per account
    size_two=$(stat -c %s "$hstore")
    off_med=$(awk '{ print $1 }' "$times_off" | median)
    on_med=$(awk '{ print $1 }' "$times" | median)
    off_cpu=$(awk '{ printf "%.2f\n", $2 + $3 }' "$times_off" | median)
    on_cpu=$(awk '{ printf "%.2f\n", $3 + $4 }' "$times" | median)
    HIST+=("$(printf '%-4s history: wall %s s on, %s s off (%+.1f %%; target <= 5 %%); cpu %s s on, %s s off; store %s bytes for one run = %s bytes per account (target <= 150)' \
        "$set" "$on_med" "$off_med" "$(awk -v a="$on_med" -v b="$off_med" 'BEGIN { printf "%.1f", (a - b) * 100 / b }')" \
        "$on_cpu" "$off_cpu" \
        "$((size_two - size_one))" "$(awk -v d="$((size_two - size_one))" -v n="$na" 'BEGIN { printf "%.1f", d / n }')")")
    if [ "$set" = 1m ] || [ "$set" = smoke ]; then
        # 52 weekly dates into a fresh store from one reading of the inputs
        rm -f "$hstore" "$hstore-wal" "$hstore-shm"
        from=$(date -d "$AS_OF - 357 days" +%Y-%m-%d)
        /usr/bin/time -f '%e %U %S' -o "$DIR/time.$$" "$SF" backfill -q -c "$cfg" --from "$from" --to "$AS_OF" \
            --out "$out" || { echo "backfill failed on $set" >&2; exit 1; }
        read -r b_wall b_user b_sys <"$DIR/time.$$"
        rm -f "$DIR/time.$$"
        HIST+=("$(printf '%-4s backfill: 52 weekly dates (%s .. %s) in %s s wall, %s s cpu (target <= 15 s); store %s MB' \
            "$set" "$from" "$AS_OF" "$b_wall" "$(awk -v u="$b_user" -v s="$b_sys" 'BEGIN { print u + s }')" \
            "$(awk -v b="$(stat -c %s "$hstore")" 'BEGIN { printf "%.0f", b / 1e6 }')")")
    fi
    wall_med=$(awk '{ print $1 }' "$times" | median)
    wall_mm=$(awk '{ print $1 }' "$times" | minmax)
    rss_med=$(awk '{ printf "%.0f\n", $2 / 1024 }' "$times" | median)
    rss_mm=$(awk '{ printf "%.0f\n", $2 / 1024 }' "$times" | minmax)
    cpu_med=$(awk '{ printf "%.2f\n", $3 + $4 }' "$times" | median)
    bt_med=$(median <"$btimes")
    extra="backtest ${bt_med} s = $(awk -v b="$bt_med" -v r="$wall_med" 'BEGIN { printf "%.2f", b / r }') x run"
    if [ -s "$basetimes" ]; then
        base_med=$(median <"$basetimes")
        extra+=", base build ${base_med} s (this one $(awk -v b="$base_med" -v r="$wall_med" 'BEGIN { printf "%+.1f", (r / b - 1) * 100 }') %)"
    fi
    # ingest rate per file: its size over its stage's median time
    rate_txt=""
    for f in accounts transactions activities opportunities; do
        t=$(awk -v s="ingest_$f" '$1 == s { print $2 }' "$stages" | median)
        [ -n "$t" ] && [ -f "$data/$f.csv" ] || continue
        rate_txt+="$(awk -v b="$(stat -c %s "$data/$f.csv")" -v t="$t" -v f="$f" \
            'BEGIN { printf "%s %.0f MB in %.3f s = %.0f MB/s; ", f, b / 1e6, t, (t > 0 ? b / 1e6 / t : 0) }')"
    done
    stage_txt=""
    for st in $(awk '{ print $1 }' "$stages" | awk '!seen[$0]++'); do
        stage_txt+="$st=$(awk -v s="$st" '$1 == s { print $2 }' "$stages" | median)s "
    done
    # the top-level stages one per line: wall, CPU (every thread) and the
    # peak RSS at the stage's end, medians over the timed runs
    USAGE+=("$(printf '%-4s %-22s %8s %8s %9s' "$set" stage "wall s" "cpu s" "peak MB")")
    for st in $(awk '$3 != "-" { print $1 }' "$stages" | awk '!seen[$0]++'); do
        USAGE+=("$(printf '%-4s %-22s %8s %8s %9s' "$set" "$st" \
            "$(awk -v s="$st" '$1 == s { print $2 }' "$stages" | median)" \
            "$(awk -v s="$st" '$1 == s { printf "%.3f\n", $3 }' "$stages" | median)" \
            "$(awk -v s="$st" '$1 == s { print $4 }' "$stages" | median)")")
    done
    TABLE+=("$(printf '%-4s %9s %9s %9s %8s | %7s s %-13s | %5s s | %6s MB %-11s | %s' \
        "$set" "$na" "$nt" "$nv" "$no" "$wall_med" "($wall_mm)" "$cpu_med" "$rss_med" "($rss_mm)" \
        "${stage_txt:-(no SF_TIMINGS output)}")")
    TABLE+=("     $extra")
    [ -z "$rate_txt" ] || TABLE+=("     ingest: $rate_txt")
done

echo
echo "$("$SF" --version 2>/dev/null | head -1): $RUNS runs per set after one warm-up (median (min..max))"
printf '%-4s %9s %9s %9s %8s | %-23s | %-7s | %-23s | %s\n' set accounts txns activities opps wall cpu "peak RSS" "stages (median)"
for row in "${TABLE[@]}"; do echo "$row"; done
echo
echo "per stage (cpu: user + sys of every thread since the stage before, the whole run's for total; peak RSS at the stage's end):"
for row in "${USAGE[@]}"; do echo "$row"; done
echo
for row in "${HIST[@]}"; do echo "$row"; done

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

# review packs of a real book with many owners (issue 16: 2,000 owners in
# <= 20 s): the 1M set's shape, its accounts spread over that many owners
NBOOK=${BENCH_REVIEW_BOOK_OWNERS:-2000}
if [ "$NBOOK" -gt 0 ]; then
    rbook="$DIR/a100000-t1000000-v500000-o50000-s$SEED-reps$NBOOK"
    if [ ! -f "$rbook/.done" ]; then
        echo "generating a book of $NBOOK owners into $rbook ..."
        rm -rf "$rbook"
        "$SFGEN" --out "$rbook" --accounts 100000 --transactions 1000000 --activities 500000 \
            --opportunities 50000 --seed "$SEED" --as-of "$AS_OF" --reps "$NBOOK"
        touch "$rbook/.done"
    fi
    rcfg="$rbook/review.ini"
    { awk '/^\[/ { skip = ($0 == "[history]") } !skip' "$rbook/config.ini"
      printf '\n[history]\nenabled = no\n'; } >"$rcfg"
    : >"$DIR/review-times.txt"
    for i in $(seq 1 "${BENCH_REVIEW_RUNS:-3}"); do
        rm -rf "$DIR/out-review"
        tf="$DIR/time.$$"
        /usr/bin/time -f '%e %M %U %S' -o "$tf" "$SF" review -q -c "$rcfg" --all-owners --out "$DIR/out-review"
        cat "$tf" >>"$DIR/review-times.txt"
        rm -f "$tf"
    done
    packs=$(find "$DIR/out-review" -name 'review-*.pdf' | wc -l)
    # (a process substitution: head's early exit must not fail the bench)
    mapfile -t first < <(find "$DIR/out-review" -name 'review-*.pdf' | sort | head -n 50)
    pages=$(for f in "${first[@]}"; do pdfinfo "$f" 2>/dev/null; done |
            awk '/^Pages:/ { s += $2; n++ } END { if (n) printf "%.1f", s / n }')
    printf 'review --all-owners, a book of %s owners (100,000 accounts): %s packs (%s pages each on average, of the first 50), median of %s runs %s s wall, %s s cpu, peak RSS %s MB (target <= 20 s)\n' \
        "$NBOOK" "$packs" "${pages:-?}" "${BENCH_REVIEW_RUNS:-3}" \
        "$(awk '{ print $1 }' "$DIR/review-times.txt" | median)" \
        "$(awk '{ printf "%.2f\n", $3 + $4 }' "$DIR/review-times.txt" | median)" \
        "$(awk '{ printf "%.0f\n", $2 / 1024 }' "$DIR/review-times.txt" | median)"
    rm -rf "$DIR/out-review"
fi
