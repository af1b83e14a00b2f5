// SPDX-License-Identifier: MIT OR Apache-2.0
// What the SMP test bodies share: a console lock, so that lines from different CPUs do not mix,
// a barrier where every CPU meets, the report of a failed check, and the start of every CPU.
#pragma once

#include <percpu.hpp>

#include "console.hpp"
#include "platform.hpp"

namespace smp {

inline volatile int console_lock;

/// Holds the console for one or more whole lines.
struct console_guard {
  console_guard() {
    while (__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE)) platform::cpu_relax();
  }
  ~console_guard() { __atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE); }
};

inline volatile unsigned barrier_count;
inline volatile unsigned barrier_generation;

/// All platform::cpu_count CPUs meet here; a sense-reversing barrier, reusable.
inline void barrier() {
  const unsigned generation = __atomic_load_n(&barrier_generation, __ATOMIC_ACQUIRE);
  if (__atomic_add_fetch(&barrier_count, 1, __ATOMIC_ACQ_REL) == platform::cpu_count) {
    __atomic_store_n(&barrier_count, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&barrier_generation, generation + 1, __ATOMIC_RELEASE);
  } else {
    while (__atomic_load_n(&barrier_generation, __ATOMIC_ACQUIRE) == generation) {
      platform::cpu_relax();
    }
  }
}

/// Prints "FAIL cpu <cpu>: <what>" as one line.
inline void print_failure(unsigned cpu, const char* what) {
  console_guard lock;
  console::print("FAIL cpu ");
  console::print(cpu);
  console::print(": ");
  console::print(what);
  console::print("\n");
}

/// CPU 0, from kernel_main: sets up one area per CPU, or reports why not and fails the run, then
/// runs `cpu_main(cpu)` on every CPU, itself last.
[[noreturn]] inline void start_all_cpus(void (*cpu_main)(unsigned cpu)) {
  const auto areas = percpu::init_in_place();
  if (!areas || *areas != platform::cpu_count) {
    console::print("init_in_place failed: ");
    console::print(areas ? "wrong area count" : percpu::to_string(areas.error()));
    console::print("\n");
    platform::exit(false);
  }
  for (unsigned cpu = 1; cpu < platform::cpu_count; ++cpu) platform::start_cpu(cpu, cpu_main);
  cpu_main(0);
  for (;;) platform::cpu_relax();
}

}  // namespace smp
