#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# Compiles usage_forms.cpp at every optimisation level, with the template at VMA 0 and elsewhere.
# usage: compile.sh INCLUDE_DIR COMPILER [FLAGS...]
set -eu
include=$1
shift
source=$(dirname "$0")/usage_forms.cpp
for level in -O0 -O1 -O2 -O3 -Os -Og; do
  for zero_vma in 0 1; do
    echo "$level PERCPU_ZERO_VMA=$zero_vma"
    "$@" "$level" -DPERCPU_ZERO_VMA=$zero_vma -std=c++20 -Wall -Wextra -Wpedantic -Werror \
      -I "$include" -c "$source" -o /dev/null
  done
done
