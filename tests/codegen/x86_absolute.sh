#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# Passes when every per-CPU (%gs-prefixed) access of tests/codegen/accessors.cpp, compiled for an x86_64 kernel
# (image at VMA 0, -mcmodel=kernel), uses an absolute %gs displacement (R_X86_64_32S) and
# none a RIP-relative one (R_X86_64_PC32). With --rip: compiled with PERCPU_X86_ADDRESSING=1 and the
# image elsewhere, every access is RIP-relative and none absolute.
# usage: x86_absolute.sh [--rip] INCLUDE_DIR OBJDUMP COMPILER [FLAGS...]
set -eu
form=absolute placement=-DPERCPU_ZERO_VMA=1
if [ "$1" = --rip ]; then
  form=rip placement="-DPERCPU_ZERO_VMA=0 -DPERCPU_X86_ADDRESSING=1"
  shift
fi
include=$1 objdump=$2
shift 2
object=$(mktemp)
trap 'rm -f "$object"' EXIT
# shellcheck disable=SC2086  # $placement is a word list
"$@" -std=c++20 -O2 -DNDEBUG $placement -I "$include" \
  -c "$(dirname "$0")/accessors.cpp" -o "$object"
# The relocation type of every %gs-prefixed instruction (objdump -dr prints an instruction's
# relocation on the line after it); other relocations, such as ptr_*'s mov of the image address,
# are not per-CPU accesses.
relocations=$("$objdump" -dr --no-show-raw-insn "$object" | awk '
  /^ +[0-9a-f]+:\t/ { in_gs = index($0, "%gs:") > 0; next }
  in_gs && / R_X86_64_/ { print $2 }')
absolute=$(printf '%s\n' "$relocations" | grep -c 'R_X86_64_32S' || true)
relative=$(printf '%s\n' "$relocations" | grep -c 'R_X86_64_PC32' || true)
echo "absolute: $absolute, RIP-relative: $relative"
if [ $form = rip ]; then
  [ "$relative" -gt 0 ] && [ "$absolute" -eq 0 ]
else
  [ "$absolute" -gt 0 ] && [ "$relative" -eq 0 ]
fi
