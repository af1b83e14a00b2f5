// SPDX-License-Identifier: MIT OR Apache-2.0
// read_current_stable on x86_64 (tests/codegen/expected/x86_64-stable-*.txt): what the
// compiler may merge or fold (twice, compare, sum8), and what it must keep: a read after a guard
// boundary (across_guard) or after a write of the variable (after_write) is a new load. The guard
// is a compiler barrier, as a kernel's preempt_disable() is at least.
namespace codegen {
/// The guard: only its barriers matter here.
struct barrier_guard {
  barrier_guard() { asm volatile("" ::: "memory"); }
  ~barrier_guard() { asm volatile("" ::: "memory"); }
  barrier_guard(const barrier_guard&) = delete;
  barrier_guard& operator=(const barrier_guard&) = delete;
};
}  // namespace codegen
#define PERCPU_GUARD ::codegen::barrier_guard

#include <percpu.hpp>

PERCPU_DEFINE(unsigned long, stable, 0);
PERCPU_DEFINE(unsigned long[8], stable_array, 0, 0, 0, 0, 0, 0, 0, 0);

extern "C" {
// Each function subtracts two reads: merged, they cancel and no load is left (xor of the result
// register); kept apart, both loads remain.
// Merged.
unsigned long twice() { return stable.read_current_stable() - stable.read_current_stable(); }
// The same with read_current: two loads.
unsigned long twice_volatile() { return stable.read_current() - stable.read_current(); }
// Not merged across the guard: two loads.
unsigned long across_guard() {
  unsigned long first;
  {
    [[maybe_unused]] PERCPU_GUARD guard;
    first = stable.read_current_stable();
  }
  [[maybe_unused]] PERCPU_GUARD guard;
  return first - stable.read_current_stable();
}
// Not merged across a write: the second load sees it.
unsigned long after_write(unsigned long value) {
  const unsigned long before = stable.read_current_stable();
  stable.write_current(value);
  return before - stable.read_current_stable();
}
// Clang folds the load into the comparison (cmpq $5, %gs:stable).
bool compare() { return stable.read_current_stable() == 5; }
// Clang: a load and seven adds from memory; GCC: eight loads and seven adds.
unsigned long sum8() {
  unsigned long sum = 0;
  for (int i = 0; i < 8; ++i) sum += stable_array.at(i).read_current_stable();
  return sum;
}
unsigned long sum8_volatile() {
  unsigned long sum = 0;
  for (int i = 0; i < 8; ++i) sum += stable_array.at(i).read_current();
  return sum;
}
}
