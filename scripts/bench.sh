#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# The host benchmarks in one run: installs what is missing, builds `bench` (Catch2) with GCC and
# with Clang, each as a PIE and not, `bench_forms` (addressing forms, xchg) with both, and
# `bench_callgrind` with GCC (Release, in build/bench); runs the four `bench` programs in
# interleaved rounds (round r runs each once, in a rotated order) and reports, per benchmark, the
# median of the rounds' means with their spread (minimum - maximum); runs `bench_forms` (which
# interleaves its own loops); then counts instructions per operation with callgrind. Prints the
# markdown BENCHMARKS.md quotes.
# Environment: PERCPU_BUILD_DIR (default build/), PERCPU_BENCH_ROUNDS (rounds, 5),
# PERCPU_BENCH_SAMPLES (Catch2 samples per round, 20), PERCPU_FORMS_ROUNDS (bench_forms rounds,
# 21).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PERCPU_BUILD_DIR:-$root/build}/bench
# 5 rounds of 20 samples: about the time of the former single 50-sample run, and a median that
# one disturbed round (a colleague's build on the other core) cannot move.
rounds=${PERCPU_BENCH_ROUNDS:-5}
samples=${PERCPU_BENCH_SAMPLES:-20}
forms_rounds=${PERCPU_FORMS_ROUNDS:-21}

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

# catch_round DIR ROUND: runs DIR's `bench` once and appends "round|benchmark|threads|ns" per
# benchmark to DIR/rounds.txt. Rows named "... x1M, N thread(s)" time runs of 1,000,000
# operations per thread and are recorded per operation; percpu::init rows time one call.
catch_round() {
  local xml=$1/bench.$2.xml
  "$1/tests/bench/bench" --benchmark-samples "$samples" -r xml -o "$xml" ||
    { echo "bench failed; its report: $xml"; exit 1; }
  awk -F'"' -v round="$2" '
    function attr(key,   i) { for (i = 1; i < NF; i += 2) if ($i ~ " " key "=$") return $(i + 1) }
    /<BenchmarkResults / { name = attr("name") }
    /<mean / {
      scale = 1; threads = "1"
      if (match(name, / x1M, [0-9]+ threads?$/)) {
        scale = 1e6; threads = substr(name, RSTART + 6, 1); name = substr(name, 1, RSTART - 1)
      }
      printf "%s|%s|%s|%.6f\n", round, name, threads, attr("value") / scale
    }' "$xml" >> "$1/rounds.txt"
}

# catch_tables DIR TITLE: the median over the rounds of each benchmark's mean, its spread, and the
# claims decided on the medians.
catch_tables() {
  echo "### Catch2, $2 (median of $rounds rounds' means, $samples samples each; spread: min - max)"
  echo
  awk -F'|' '
    function ns(v) { return sprintf(v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v) }
    function ratio(claim, numerator, denominator, limit, at_least,   r, ok) {
      r = median[numerator] / median[denominator]
      ok = at_least ? r >= limit : r <= limit
      printf "- %s: %s / %s = %.2f (%s %s): %s\n", claim, numerator, denominator, r,
             at_least ? ">=" : "<=", limit, ok ? "holds" : "FAILS"
    }
    {
      key = $2 ", " $3
      if (!(key in count)) order[++keys] = key
      values[key, ++count[key]] = $4
    }
    END {
      print "| benchmark | threads | ns per op (median) | spread (min - max) |"
      print "|---|---|---:|---:|"
      for (k = 1; k <= keys; k++) {
        key = order[k]; n = count[key]
        # sort the values of this key (insertion sort)
        for (i = 2; i <= n; i++) {
          v = values[key, i]
          for (j = i - 1; j >= 1 && values[key, j] > v; j--) values[key, j + 1] = values[key, j]
          values[key, j + 1] = v
        }
        median[key] = n % 2 ? values[key, (n + 1) / 2] : (values[key, n / 2] + values[key, n / 2 + 1]) / 2
        split(key, part, ", ")
        printf "| %s | %s | %s | %s - %s |\n", part[1], part[2], ns(median[key]),
               ns(values[key, 1]), ns(values[key, n])
      }
      print ""
      print "Claims (on the medians):"
      print ""
      ratio("per-CPU add >= 10x faster than a contended atomic", "shared atomic fetch_add, 2",
            "percpu add_current, 2", 10, 1)
      ratio("per-CPU add within 1.2x of thread_local", "percpu add_current, 1",
            "thread_local +=, 1", 1.2, 0)
      ratio("per-CPU add within 1.2x of thread_local", "percpu add_current, 2",
            "thread_local +=, 2", 1.2, 0)
    }' "$1/rounds.txt"
  echo
}

model=$(lscpu | sed -n 's/^Model name: *//p')
hypervisor=$(lscpu | sed -n 's/^Hypervisor vendor: *//p')
# Some hypervisors name no vendor; the CPUID hypervisor bit still says the CPUs are virtual.
[[ -z $hypervisor ]] && grep -qw hypervisor /proc/cpuinfo && hypervisor="a hypervisor"
cpuid() { sed -n "s/^$1[[:space:]]*: //p" /proc/cpuinfo | head -1; }
echo "## Machine"
echo
echo "- CPU: $model ($(cpuid vendor_id), family $(cpuid 'cpu family'), model $(cpuid model)," \
     "stepping $(cpuid stepping)), $(nproc) CPUs online${hypervisor:+, under $hypervisor}"
echo "- $(uname -sr); $(g++ --version | head -1); $(clang++ --version | head -1);" \
     "$(valgrind --version)"
echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

builds=(gcc clang gcc-nopie clang-nopie)
titles=("GCC, PIE" "Clang, PIE" "GCC, non-PIE" "Clang, non-PIE")
build_bench "$build/gcc" g++ PIE bench bench_callgrind bench_forms
build_bench "$build/clang" clang++ PIE bench bench_forms
build_bench "$build/gcc-nopie" g++ NOPIE bench
build_bench "$build/clang-nopie" clang++ NOPIE bench
for b in "${builds[@]}"; do rm -f "$build/$b/rounds.txt"; done
for ((round = 0; round < rounds; round++)); do
  for ((k = 0; k < ${#builds[@]}; k++)); do
    catch_round "$build/${builds[(k + round) % ${#builds[@]}]}" "$round"
  done
done
for ((k = 0; k < ${#builds[@]}; k++)); do catch_tables "$build/${builds[k]}" "${titles[k]}"; done

echo "## Addressing forms and xchg (bench_forms: $forms_rounds interleaved rounds)"
echo
for compiler in gcc clang; do
  echo "### $compiler (position-dependent)"
  echo
  "$build/$compiler/tests/bench/bench_forms" "$forms_rounds"
  echo
done

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
