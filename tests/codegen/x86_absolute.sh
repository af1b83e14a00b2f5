#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# Passes when every per-CPU access of tests/codegen/accessors.cpp, compiled for an x86_64 kernel
# (image at VMA 0, -mcmodel=kernel), uses an absolute %gs displacement (R_X86_64_32S) and
# none a RIP-relative one (R_X86_64_PC32).
# usage: x86_absolute.sh INCLUDE_DIR OBJDUMP COMPILER [FLAGS...]
set -eu
include=$1 objdump=$2
shift 2
object=$(mktemp)
trap 'rm -f "$object"' EXIT
"$@" -std=c++20 -O2 -DNDEBUG -DPERCPU_ZERO_VMA=1 -I "$include" \
  -c "$(dirname "$0")/accessors.cpp" -o "$object"
relocations=$("$objdump" -dr "$object")
absolute=$(printf '%s\n' "$relocations" | grep -c 'R_X86_64_32S' || true)
relative=$(printf '%s\n' "$relocations" | grep -c 'R_X86_64_PC32' || true)
echo "absolute: $absolute, RIP-relative: $relative"
[ "$absolute" -gt 0 ] && [ "$relative" -eq 0 ]
