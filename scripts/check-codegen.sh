#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Compiles tests/codegen/accessors.cpp (or --source FILE) for one target, counts each function's
# instructions in the object code (the final return instruction excluded) and compares with a
# checked-in table.
# usage: check-codegen.sh [--source FILE] EXPECTED_TABLE OBJDUMP -- COMPILER [FLAGS...]
#        check-codegen.sh [--source FILE] --print OBJDUMP -- COMPILER [FLAGS...]
#          (print the counts only: name count)
#        check-codegen.sh [--source FILE] --print-bytes OBJDUMP -- COMPILER [FLAGS...]
#          (name count bytes; bytes: the whole function, its return included)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source_file=$root/tests/codegen/accessors.cpp
if [[ $1 == --source ]]; then
  source_file=$2
  shift 2
fi
table=$1 objdump=$2
shift 2
[[ $1 == -- ]] && shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# GCC folds functions with identical code into a tail call of one of them (-fipa-icf), which
# would be counted instead of the code; Clang does no such folding when compiling.
icf=()
if "$1" --version | grep -q "Free Software Foundation"; then icf=(-fno-ipa-icf); fi
"$@" -std=c++20 -O2 -DNDEBUG -ffunction-sections -fno-asynchronous-unwind-tables "${icf[@]}" \
  -Wall -Wextra -Wpedantic -Werror -I"$root/include" -c "$source_file" -o "$work/accessors.o"

# One line per function: name, count and size in bytes (from the symbol table: with
# -ffunction-sections every function is alone in its section). Return instructions: ret (x86,
# aarch64, loongarch `ret` alias), jr ra / ret (riscv), bx lr (arm).
{
  "$objdump" -t "$work/accessors.o" | awk '$3 == "F" || $2 == "F" { print "size", $NF, $(NF - 1) }'
  "$objdump" -d --no-show-raw-insn "$work/accessors.o"
} | awk '
  function hex(text,   i, value) {
    value = 0
    for (i = 1; i <= length(text); i++) value = value * 16 + index("0123456789abcdef", substr(text, i, 1)) - 1
    return value
  }
  $1 == "size" { bytes[$2] = hex($3); next }
  /^[0-9a-f]+ <\.L/ { next }
  /^[0-9a-f]+ <[^>]+>:$/ { if (name != "") print name, count, bytes[name]; name = substr($2, 2, length($2) - 3); count = 0; next }
  /^ +[0-9a-f]+: *\t/ {
    line = $0; sub(/^ +[0-9a-f]+: *\t/, "", line)
    if (line ~ /^(ret|retq|jr[ \t]+ra|bx[ \t]+lr)([ \t]|$)/) next
    if (line ~ /^(jirl[ \t]+\$zero, \$ra, 0|jirl[ \t]+\$r0, \$r1, 0)/) next
    count++
  }
  END { if (name != "") print name, count, bytes[name] }' | sort > "$work/with-bytes.txt"
cut -d' ' -f1,2 "$work/with-bytes.txt" > "$work/actual.txt"

if [[ $table == --print ]]; then
  cat "$work/actual.txt"
  exit 0
elif [[ $table == --print-bytes ]]; then
  cat "$work/with-bytes.txt"
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
