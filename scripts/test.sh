#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# The whole test suite, as on a fresh Debian 12 machine: installs what it needs, then builds and
# runs every ctest label with GCC (plus the QEMU boots and the toolchains matrix), with Clang, and
# under ASan/UBSan.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PERCPU_BUILD_DIR:-$root/build}
jobs=$(nproc)
"$root/scripts/install-deps.sh" all

passed=0 failed=0
run_suite() {
  local name=$1
  shift
  echo "=== $name"
  cmake -S "$root" -B "$build/$name" "$@" > "$build/$name.configure.log" ||
    { cat "$build/$name.configure.log"; return 1; }
  cmake --build "$build/$name" -j "$jobs"
  local log="$build/$name.ctest.log" status=0
  (cd "$build/$name" && ctest --output-on-failure -j "$jobs") 2>&1 | tee "$log" || status=1
  local total bad
  total=$(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -1)
  bad=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed.*/\1/p' "$log" | tail -1)
  passed=$((passed + ${total:-0} - ${bad:-0}))
  failed=$((failed + ${bad:-0}))
  if [[ $status -ne 0 && ${bad:-0} -eq 0 ]]; then failed=$((failed + 1)); fi
}

mkdir -p "$build"
run_suite gcc -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPERCPU_QEMU_TESTS=ON -DPERCPU_CROSS_TESTS=ON \
  -DPERCPU_TOOLCHAIN_TESTS=ON
run_suite clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Release
run_suite sanitizers -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=Debug \
  "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined -fno-sanitize-recover=all"

echo "percpu: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
