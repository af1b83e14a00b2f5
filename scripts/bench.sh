#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# The host benchmarks in one run: installs what is missing, builds `bench` (Catch2) with GCC and
# with Clang, each as a PIE and not, and `bench_callgrind` with GCC (Release, in build/bench),
# runs the Catch2 benchmarks,
# then counts instructions per operation with callgrind. Prints the markdown BENCHMARKS.md quotes.
# Environment: PERCPU_BUILD_DIR (default build/), PERCPU_BENCH_SAMPLES (Catch2 samples, 50).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PERCPU_BUILD_DIR:-$root/build}/bench
# Half Catch2's default: intervals stay within a few percent on a quiet machine, and the whole
# script (two builds included) within about two minutes.
samples=${PERCPU_BENCH_SAMPLES:-50}

"$root/scripts/install-deps.sh" host

# build_bench DIR COMPILER PIE|NOPIE TARGET...: a Release build with one job (the other core is
# someone else's), as a PIE (the Debian default) or a position-dependent executable; the logs
# are shown only on failure.
build_bench() {
  local dir=$1 compiler=$2 pie=$3 flags=()
  shift 3
  [[ $pie == NOPIE ]] && flags=(-DCMAKE_CXX_FLAGS=-fno-pie -DCMAKE_EXE_LINKER_FLAGS=-no-pie)
  mkdir -p "$dir"
  cmake -S "$root" -B "$dir" -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_BUILD_TYPE=Release \
    "${flags[@]}" > "$dir.configure.log" || { cat "$dir.configure.log"; exit 1; }
  cmake --build "$dir" --target "$@" -j 1 > "$dir.build.log" || { cat "$dir.build.log"; exit 1; }
}

# catch_tables DIR TITLE: runs DIR's `bench` and prints its results and the claims they decide.
# Rows named "... x1M, N thread(s)" time runs of 1,000,000 operations per thread and are shown
# per operation; percpu::init rows time one call.
catch_tables() {
  local xml=$1/bench.xml
  "$1/tests/bench/bench" --benchmark-samples "$samples" -r xml -o "$xml" ||
    { echo "bench failed; its report: $xml"; exit 1; }
  echo "## Catch2, $2 (mean of $samples runs, 95% bootstrap interval)"
  echo
  awk -F'"' '
    function attr(key,   i) { for (i = 1; i < NF; i += 2) if ($i ~ " " key "=$") return $(i + 1) }
    function ns(v) { return sprintf(v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v) }
    function ratio(claim, numerator, denominator, limit, at_least,   r, ok) {
      r = value[numerator] / value[denominator]
      ok = at_least ? r >= limit : r <= limit
      printf "- %s: %s / %s = %.2f (%s %s): %s\n", claim, numerator, denominator, r,
             at_least ? ">=" : "<=", limit, ok ? "holds" : "FAILS"
    }
    BEGIN {
      print "| benchmark | threads | ns per op (mean) | 95% interval | std dev |"
      print "|---|---|---:|---:|---:|"
    }
    /<BenchmarkResults / { name = attr("name") }
    /<mean / { mean = attr("value"); low = attr("lowerBound"); high = attr("upperBound") }
    /<standardDeviation / {
      scale = 1; threads = "1"
      if (match(name, / x1M, [0-9]+ threads?$/)) {
        scale = 1e6; threads = substr(name, RSTART + 6, 1); name = substr(name, 1, RSTART - 1)
      }
      printf "| %s | %s | %s | %s – %s | %s |\n", name, threads, ns(mean / scale),
             ns(low / scale), ns(high / scale), ns(attr("value") / scale)
      value[name ", " threads] = mean / scale
    }
    END {
      print ""
      print "Claims:"
      print ""
      ratio("per-CPU add >= 10x faster than a contended atomic", "shared atomic fetch_add, 2",
            "percpu add_current, 2", 10, 1)
      ratio("per-CPU add within 1.2x of thread_local", "percpu add_current, 1",
            "thread_local +=, 1", 1.2, 0)
      ratio("per-CPU add within 1.2x of thread_local", "percpu add_current, 2",
            "thread_local +=, 2", 1.2, 0)
    }' "$xml"
  echo
}

model=$(lscpu | sed -n 's/^Model name: *//p')
hypervisor=$(lscpu | sed -n 's/^Hypervisor vendor: *//p')
echo "## Machine"
echo
echo "- CPU: $model, $(nproc) CPUs online${hypervisor:+, under $hypervisor}"
echo "- $(uname -sr); $(g++ --version | head -1); $(clang++ --version | head -1);" \
     "$(valgrind --version)"
echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

build_bench "$build/gcc" g++ PIE bench bench_callgrind
build_bench "$build/clang" clang++ PIE bench
build_bench "$build/gcc-nopie" g++ NOPIE bench
build_bench "$build/clang-nopie" clang++ NOPIE bench
catch_tables "$build/gcc" "GCC, PIE"
catch_tables "$build/clang" "Clang, PIE"
catch_tables "$build/gcc-nopie" "GCC, non-PIE"
catch_tables "$build/clang-nopie" "Clang, non-PIE"

echo "## callgrind, GCC, PIE (Ir: instructions executed, by the whole program and by the loop function)"
echo
echo "| operation | iterations | program Ir | loop Ir | loop Ir per iteration |"
echo "|---|---:|---:|---:|---:|"
for op in percpu_add thread_local_add atomic_add sched_getcpu_add; do
  out=$build/gcc/callgrind.$op.out
  log=$build/gcc/callgrind.$op.log
  valgrind --tool=callgrind --callgrind-out-file="$out" \
    "$build/gcc/tests/bench/bench_callgrind" "$op" > "$log" 2>&1 || { cat "$log"; exit 1; }
  iterations=$(sed -n "s/^$op: \([0-9]*\) iterations\$/\1/p" "$log")
  total=$(sed -n 's/^totals: *//p' "$out")
  # Inclusive cost of the loop function: the loop and what it calls (sched_getcpu).
  loop=$(callgrind_annotate --inclusive=yes --threshold=100 "$out" |
         awk -v fn="bench::$op(" 'index($0, fn) && !found++ { gsub(",", "", $1); print $1 }')
  awk -v op="$op" -v total="$total" -v loop="$loop" -v n="$iterations" \
    'BEGIN { printf "| %s | %d | %d | %d | %.2f |\n", op, n, total, loop, loop / n }'
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
