#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# Every architecture header #undefs its own macros: after <percpu.hpp>, the only internal
# (PERCPU_DETAIL_) macros left are the shared toolkit that the wrapper and several headers use.
# usage: macro_leaks.sh INCLUDE_DIR COMPILER [FLAGS...]
set -eu
include=$1
shift
shared='ASM_BY_SIZE|ASM_IF_REGISTER|ASM_SYMBOL_OR_RESULT|DECLARE|DEFINE|INLINE|LINKER_SYMBOL|NO_REDZONE|STD_ITERATOR|STORAGE'
leaked=$(echo '#include <percpu.hpp>' | "$@" -std=c++20 -I"$include" -dM -E -x c++ - |
  sed -n 's/^#define \(PERCPU_DETAIL_[A-Za-z0-9_]*\).*/\1/p' |
  grep -Ev "^PERCPU_DETAIL_($shared)\$" || true)
if [ -n "$leaked" ]; then
  echo "internal macros left defined after <percpu.hpp>:"
  echo "$leaked"
  exit 1
fi
echo "no internal macro leaks"
