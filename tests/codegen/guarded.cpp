// SPDX-License-Identifier: MIT OR Apache-2.0
// x86_64 with a real preemption guard, as a preemptible kernel has one: a per-CPU preempt count,
// raised on entry and lowered on exit, which calls the scheduler when it reaches 0 (Linux's
// preempt_disable()/preempt_enable() shape). Every operation that is one instruction must stay
// one (checked against tests/codegen/expected/x86_64-guarded.txt). Where the guard is taken it
// costs about 13 instructions (with_current of a read: 15 with GCC 12, 14 with Clang 19).
#include <stdint.h>

namespace codegen {
/// Defined below, once the library is there: PERCPU_GUARD must name a declared type first.
struct preempt_guard {
  preempt_guard();
  ~preempt_guard();
  preempt_guard(const preempt_guard&) = delete;
  preempt_guard& operator=(const preempt_guard&) = delete;
};
}  // namespace codegen
#define PERCPU_GUARD ::codegen::preempt_guard

#include <percpu.hpp>

PERCPU_DEFINE(uint32_t, preempt_count, 0);
extern "C" void preempt_schedule();

// The count is this CPU's, updated in one instruction (no guard of its own on x86_64); the
// barriers keep the guarded accesses between the two updates.
inline codegen::preempt_guard::preempt_guard() {
  preempt_count.inc_current();
  asm volatile("" ::: "memory");
}
inline codegen::preempt_guard::~preempt_guard() {
  asm volatile("" ::: "memory");
  if (preempt_count.dec_return_current() == 0) preempt_schedule();
}

PERCPU_DEFINE(uint64_t, guarded, 0);

extern "C" {
uint64_t guarded_read() { return guarded.read_current(); }
void guarded_write(uint64_t value) { guarded.write_current(value); }
void guarded_add(uint64_t value) { guarded.add_current(value); }
void guarded_inc() { guarded.inc_current(); }
void guarded_xchg(uint64_t value) { guarded.xchg_current(value); }
uint64_t guarded_cmpxchg(uint64_t expected, uint64_t desired) {
  return guarded.cmpxchg_current(expected, desired);
}
}
