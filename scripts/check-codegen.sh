#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Compiles tests/codegen/accessors.cpp for one target, counts each function's instructions in the
# object code (the final return instruction excluded) and compares with a checked-in table.
# usage: check-codegen.sh EXPECTED_TABLE OBJDUMP -- COMPILER [FLAGS...]
#        check-codegen.sh --print OBJDUMP -- COMPILER [FLAGS...]   (print the counts only)
set -euo pipefail
table=$1 objdump=$2
shift 2
[[ $1 == -- ]] && shift
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# GCC folds functions with identical code into a tail call of one of them (-fipa-icf), which
# would be counted instead of the code; Clang does no such folding when compiling.
icf=()
if "$1" --version | grep -q "Free Software Foundation"; then icf=(-fno-ipa-icf); fi
"$@" -std=c++20 -O2 -DNDEBUG -ffunction-sections -fno-asynchronous-unwind-tables "${icf[@]}" \
  -Wall -Wextra -Wpedantic -Werror -I"$root/include" -c "$root/tests/codegen/accessors.cpp" \
  -o "$work/accessors.o"

# One line per function: name and count. Return instructions: ret (x86, aarch64, loongarch
# `ret` alias), jr ra / ret (riscv), bx lr (arm).
"$objdump" -d --no-show-raw-insn "$work/accessors.o" | awk '
  /^[0-9a-f]+ <\.L/ { next }
  /^[0-9a-f]+ <[^>]+>:$/ { if (name != "") print name, count; name = substr($2, 2, length($2) - 3); count = 0; next }
  /^ +[0-9a-f]+: *\t/ {
    line = $0; sub(/^ +[0-9a-f]+: *\t/, "", line)
    if (line ~ /^(ret|retq|jr[ \t]+ra|bx[ \t]+lr)([ \t]|$)/) next
    if (line ~ /^(jirl[ \t]+\$zero, \$ra, 0|jirl[ \t]+\$r0, \$r1, 0)/) next
    count++
  }
  END { if (name != "") print name, count }' | sort > "$work/actual.txt"

if [[ $table == --print ]]; then
  cat "$work/actual.txt"
  exit 0
fi
# A line "forbid <regex>" in the table names instructions that must not appear anywhere in the
# object code, where a count alone cannot tell (an instruction swapped for a slower one).
status=0
while read -r _ pattern; do
  if "$objdump" -d --no-show-raw-insn "$work/accessors.o" | grep -E -- "$pattern" > "$work/forbidden.txt"; then
    echo "forbidden instructions ($pattern) in the object code:"
    head "$work/forbidden.txt"
    status=1
  fi
done < <(grep '^forbid ' "$table" || true)
grep -v -e '^#' -e '^forbid ' "$table" | sed '/^$/d' | sort > "$work/expected.txt"
if ! diff -u "$work/expected.txt" "$work/actual.txt" > "$work/diff.txt"; then
  echo "instruction counts differ from $table (- expected, + actual):"
  cat "$work/diff.txt"
  exit 1
fi
[[ $status == 0 ]] || exit 1
echo "$(wc -l < "$work/actual.txt") functions match $table"
