#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# Compiles usage_forms.cpp at every optimisation level, with the image at VMA 0 and elsewhere,
# and elsewhere in position-independent code.
# usage: compile.sh INCLUDE_DIR COMPILER [FLAGS...]
set -eu
include=$1
shift
source=$(dirname "$0")/usage_forms.cpp
# A VMA-0 image needs position-dependent code (-fno-pie; the host compiler may default to PIE);
# the image elsewhere is compiled both ways, unless the flags pick a code model that has no
# position-independent form (x86_64 -mcmodel=kernel).
placements="-DPERCPU_ZERO_VMA=0:-fno-pie -DPERCPU_ZERO_VMA=1:-fno-pie"
case " $* " in
  *" -mcmodel=kernel "*) ;;
  *) placements="$placements -DPERCPU_ZERO_VMA=0:-fPIE" ;;
esac
for level in -O0 -O1 -O2 -O3 -Os -Og; do
  for pair in $placements; do
    placement=$(echo "$pair" | tr : ' ')
    echo "$level $placement"
    # shellcheck disable=SC2086 # $placement is two flags
    "$@" "$level" $placement -std=c++20 -Wall -Wextra -Wpedantic -Werror -I "$include" \
      -c "$source" -o /dev/null
  done
done
