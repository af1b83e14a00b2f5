// SPDX-License-Identifier: MIT OR Apache-2.0
// A 16-byte compare-and-swap needs the pair 16-byte aligned in every area (cmpxchg16b faults on
// anything less); a plain two-word struct is only 8-byte aligned.
// expect: needs a 16-byte aligned T
#include <stdint.h>

#include <percpu.hpp>

struct pair {
  uint64_t pointer;
  uint64_t tag;
};
PERCPU_DEFINE(pair, free_list_head, 0, 0);

void use() { free_list_head.cmpxchg_current(pair{0, 0}, pair{1, 1}); }
