#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# Links kernel.cpp with no C library at every optimisation level; the link fails on any C library
# call. usage: check.sh ROOT OUTPUT_DIR COMPILER [FLAGS...]
set -eu
root=$1 out=$2
shift 2
here=$(dirname "$0")
mkdir -p "$out"
for level in -O0 -O1 -O2 -O3 -Os; do
  echo "$level"
  "$@" "$level" -std=c++20 -Wall -Wextra -Wpedantic -Werror -ffreestanding -fno-exceptions \
    -fno-rtti -nostdinc++ -nostdlib -static -DPERCPU_ZERO_VMA=1 -I "$root/include" \
    "$here/kernel.cpp" -o "$out/kernel$level.elf" -Wl,-L,"$root/linker" -Wl,-T,"$here/kernel.ld"
done
