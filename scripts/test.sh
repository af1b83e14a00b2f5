#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# The whole test suite, as on a fresh Debian 12 machine: installs what it needs, then runs the
# workflow presets of CMakePresets.json (configure, build, test, each in build/<preset>): gcc
# (every label, with the cross, QEMU and toolchains tests), clang, and sanitizers (ASan/UBSan).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh" all

# A preset cannot compute the machine's core count and a fixed one fits no machine but one, so the
# presets set no jobs and the build and test steps take them from the variables CMake and CTest
# read when none is given (a caller's own values win).
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}
export CTEST_PARALLEL_LEVEL=${CTEST_PARALLEL_LEVEL:-$(nproc)}

# "passed failed" of one ctest run, counted as ctest counts, from the JUnit file its test preset
# writes: per testcase element, status "run" passed, "disabled" not counted, "notrun" passed only
# when the test skipped itself (its <skipped> message is SKIP_RETURN_CODE=... or
# SKIP_REGULAR_EXPRESSION_MATCHED; otherwise the executable or a fixture was missing), and any
# other status ("fail") failed.
junit_counts() {
  awk 'BEGIN { RS = "<" }
    /^testcase[ \t\n]/ {
      notrun = 0
      status = ""
      if (match($0, /status="[^"]*"/)) status = substr($0, RSTART + 8, RLENGTH - 9)
      if (status == "run") passed++
      else if (status == "notrun") notrun = 1
      else if (status != "disabled") failed++
      next
    }
    /^skipped[ \t\n\/]/ && notrun {
      if ($0 ~ /message="SKIP_/) passed++
      else failed++
      notrun = 0
    }
    /^\/testcase>/ && notrun { failed++; notrun = 0 }
    END { print passed + 0, failed + 0 }' "$1"
}

passed=0 failed=0
for preset in gcc clang sanitizers; do
  echo "=== $preset"
  junit=$root/build/$preset/junit.xml  # the preset's binaryDir and outputJUnitFile
  rm -f "$junit"
  status=0
  (cd "$root" && cmake --workflow --preset "$preset") || status=1
  counts="0 0"
  [[ -f $junit ]] && counts=$(junit_counts "$junit")
  read -r preset_passed preset_failed <<< "$counts"
  passed=$((passed + preset_passed))
  failed=$((failed + preset_failed))
  # A failed configure or build, or a ctest failure that is no test's, counts as one failure.
  if [[ $status -ne 0 && $preset_failed -eq 0 ]]; then failed=$((failed + 1)); fi
done

echo "percpu: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
