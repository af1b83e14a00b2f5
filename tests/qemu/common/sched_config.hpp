// SPDX-License-Identifier: MIT OR Apache-2.0
// The scheduler test kernel's PERCPU_CONFIG_HEADER: its preemption-disable counter as the
// library's guard. Each task's counter sits at the bottom of its stack, so that a task finds its
// own counter from its stack pointer, wherever it runs: a per-CPU counter would itself need the
// guard to be updated safely off x86_64. With PERCPU_TEST_NO_GUARD (the negative control) the
// guard does nothing while the timer keeps preempting.
#pragma once

#include <stdint.h>

namespace sched {

/// Task stacks (the idle tasks' too) have this size and are aligned to it.
inline constexpr uintptr_t stack_size = 16384;

/// The calling task's preemption-disable depth: the first word of its stack block, found from
/// the address of a local variable (a frame address may be the top of the block, which is the
/// next block's start). The empty asm hides where the address came from: derived from the
/// local, the count would look like part of it to the compiler, which then drops the stores of
/// a guard's destructor as dead. The timer interrupt, on the interrupted task's stack, switches
/// tasks only while the count is 0.
inline unsigned& preempt_count() {
  char on_this_stack;
  auto address = reinterpret_cast<uintptr_t>(&on_this_stack);
  asm("" : "+r"(address));
  return *reinterpret_cast<unsigned*>(address & ~(stack_size - 1));
}

/// Disables preemption for its lifetime; nests. The count belongs to the task, so a timer
/// interrupt between the load and the store of the increment finds the old value, switches or
/// not, and the store lands later in the same task's count: no lock or atomic is needed. The
/// compiler barriers keep the guarded accesses between the two updates.
struct preempt_guard {
  preempt_guard() {
    ++preempt_count();
    asm volatile("" ::: "memory");
  }
  ~preempt_guard() {
    asm volatile("" ::: "memory");
    --preempt_count();
  }
  preempt_guard(const preempt_guard&) = delete;
  preempt_guard& operator=(const preempt_guard&) = delete;
};

/// The negative control's guard: nothing.
struct no_guard {};

#if PERCPU_TEST_NO_GUARD
using guard = no_guard;
#else
using guard = preempt_guard;
#endif

}  // namespace sched

#define PERCPU_GUARD ::sched::guard
