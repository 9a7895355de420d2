#!/usr/bin/env bash
# The benchmark: `bench/run.sh [SIZE...]`, sizes in deals written 100k, 1m or 10m (default: all three).
#
# For each size it generates a data set with `compplan gen` (200 deals per rep, seed 1), runs the
# benchmark computation (bench/SEMANTICS.md) with compplan, DuckDB and pandas, checks that all three
# agree on every rep's total for every month to the cent (bench/compare.py), then times each one
# RUNS times (default 3) with `/usr/bin/time -v` and reports the median wall time and the peak
# memory of that run. It ends with the compiler benchmark: `compplan check` of a generated
# workspace of 1,000 plans, cold, and re-checks after a one-line edit through the analysis API.
#
# Prints a Markdown table (the one in BENCHMARKS.md). Data and outputs go to BENCH_DIR (default
# bench/out, ignored by git). Needs Python 3 and pip; installs duckdb and pandas if missing. TIMER=python
# measures with Python instead of /usr/bin/time (used anyway when /usr/bin/time is missing).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100k 1m 10m)
runs=${RUNS:-3}
dir=${BENCH_DIR:-bench/out}
mkdir -p "$dir"

python3 -c 'import duckdb, pandas' 2>/dev/null || python3 -m pip install --quiet duckdb==2.0.1 pandas==3.1.1
# /usr/bin/time -v (Debian package `time`) when present; otherwise Python measures the same two
# numbers (wall time, and the child's peak resident set from wait4's rusage).
if [ -n "${TIMER:-}" ]; then timer=$TIMER; elif [ -x /usr/bin/time ]; then timer=gnu; else timer=python; fi
cargo build --release --locked --quiet
cargo build --release --locked --quiet --example check_edit
compplan=target/release/compplan

deals_of() {
    case $1 in
        *k) echo $(( ${1%k} * 1000 )) ;;
        *m) echo $(( ${1%m} * 1000000 )) ;;
        *) echo "$1" ;;
    esac
}

# Runs a command under /usr/bin/time -v; prints "seconds kilobytes".
measure() {
    local log="$dir/time.log"
    if [ "$timer" = python ]; then
        python3 - "$@" >"$dir/stdout.log" 2>"$dir/stderr.log" <<'PY' || { cat "$dir/stderr.log" >&2; exit 1; }
import os, subprocess, sys, time
start = time.monotonic()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
wall = time.monotonic() - start
if status != 0:
    sys.exit(f"{sys.argv[1:]} failed")
print(f"{wall:.2f} {usage.ru_maxrss}")
PY
        cat "$dir/stdout.log"
        return
    fi
    /usr/bin/time -v -o "$log" "$@" >/dev/null 2>"$dir/stderr.log" || { cat "$dir/stderr.log" >&2; exit 1; }
    local wall kb
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }')
    kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
    echo "$wall $kb"
}

# Median wall time of RUNS runs, with the peak memory of that run: "seconds kilobytes".
median() {
    for _ in $(seq "$runs"); do measure "$@"; done | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

echo "| deals | reps | tool | wall (s) | peak memory (MB) | bytes per deal | vs compplan |"
echo "|---:|---:|---|---:|---:|---:|---:|"
for size in "${sizes[@]}"; do
    deals=$(deals_of "$size")
    reps=$(( deals / 200 ))
    data="$dir/data-$size"
    [ -f "$data/deals.csv" ] || $compplan gen --reps "$reps" --deals "$deals" --seed 1 --out "$data" >/dev/null

    # The differential test first: the three must agree before any of them is timed.
    $compplan run bench/plans --data "$data" --period 2026 --out "$dir/compplan-$size" >/dev/null
    python3 bench/baseline_duckdb.py "$data" "$dir/duckdb-$size.csv"
    python3 bench/baseline_pandas.py "$data" "$dir/pandas-$size.csv"
    python3 bench/compare.py "$dir/compplan-$size/payouts.csv" "$dir/duckdb-$size.csv" "$dir/pandas-$size.csv" >&2

    read -r c_wall c_kb < <(median $compplan run bench/plans --data "$data" --period 2026 --out "$dir/compplan-$size")
    read -r d_wall d_kb < <(median python3 bench/baseline_duckdb.py "$data" "$dir/duckdb-$size.csv")
    read -r p_wall p_kb < <(median python3 bench/baseline_pandas.py "$data" "$dir/pandas-$size.csv")
    for row in "compplan $c_wall $c_kb" "DuckDB $d_wall $d_kb" "pandas $p_wall $p_kb"; do
        read -r tool wall kb <<<"$row"
        awk -v d="$deals" -v r="$reps" -v t="$tool" -v w="$wall" -v k="$kb" -v c="$c_wall" 'BEGIN {
            printf "| %d | %d | %s | %.2f | %.0f | %.0f | %s |\n", d, r, t, w, k / 1024, k * 1024 / d, (t == "compplan" ? "1×" : sprintf("%.1f× slower", w / c)) }'
    done
done

# The compiler: a workspace of 1,000 generated plans.
workspace="$dir/workspace"
[ -d "$workspace/plans" ] || $compplan gen --reps 100 --deals 1000 --plans 1000 --out "$workspace" >/dev/null
read -r cold _ < <(median $compplan check "$workspace/plans")
echo
echo "| compiler, 1,000 plan files | time |"
echo "|---|---:|"
echo "| \`compplan check\` cold (process start to exit, median of $runs) | ${cold} s |"
target/release/examples/check_edit "$workspace/plans" | grep -v '^| plan files\|^| edited'
