// SPDX-License-Identifier: MIT OR Apache-2.0
// A single-CPU build does a 16-byte compare-and-swap with the compiler's atomic, which must be
// inline (an interrupt handler may race with it): without cmpxchg16b (x86_64 before -mcx16) the
// compiler would call libatomic, which a kernel does not have.
// expect: single-CPU builds have 16-byte compare-and-swap where the compiler inlines it
// flags: -DPERCPU_SINGLE_CPU=1 -mno-cx16
#include <stdint.h>

#include <percpu.hpp>

struct alignas(16) pair {
  uint64_t pointer;
  uint64_t tag;
};
PERCPU_DEFINE(pair, free_list_head, 0, 0);

void use() { free_list_head.cmpxchg_current(pair{0, 0}, pair{1, 1}); }
