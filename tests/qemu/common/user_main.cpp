// SPDX-License-Identifier: MIT OR Apache-2.0
// The user-mode test body: every CPU runs a user program that sets the per-CPU register to a
// value of its own (the register value of the next CPU: a kernel that used it would update that
// CPU's copies, quietly) and makes system calls in a loop while the timer interrupts it. The
// kernel counts both in per-CPU variables; the counts must be exact, and the program must see its
// register unchanged across every trap. CPU 0 prints a per-CPU table and exits with the verdict.
#include <percpu/entry.h>

#include <percpu.hpp>

#include "console.hpp"
#include "platform.hpp"
#include "smp.hpp"

namespace {

using console::print;

constexpr unsigned cpus = platform::cpu_count;
constexpr uint64_t min_syscalls = 20'000;
constexpr uint64_t min_kernel_ticks = 5;  // from kernel code, before user mode
constexpr uint64_t min_ticks = 100;       // in all, most of them from user mode

PERCPU_DEFINE(uint64_t, syscalls, 0);
PERCPU_DEFINE(uint64_t, ticks, 0);
PERCPU_DEFINE(uint32_t, cpu_number, 0xffff'ffff);
PERCPU_DEFINE(uint32_t, failures, 0);
PERCPU_DEFINE(uint64_t, user_count, 0);  // what the program reported at its exit

alignas(16) uint8_t user_stacks[cpus][4096];

void check(bool ok, unsigned cpu, const char* what) {
  if (ok) return;
  failures.inc_current();
  smp::print_failure(cpu, what);
}

// The register value of CPU `other`, as this CPU's register would hold it.
uintptr_t register_of(unsigned cpu, unsigned other) {
  return percpu::read_percpu_reg_raw() +
         (percpu::percpu_area_base(other) - percpu::percpu_area_base(cpu));
}

void report() {
  smp::console_guard lock;
  print("cpu  syscalls  program  ticks  failures\n");
  uint32_t total_failures = 0;
  for (unsigned i = 0; i < cpus; ++i) {
    print(i, 10, 3);
    print(*syscalls.remote_ptr(i), 10, 10);
    print(*user_count.remote_ptr(i), 10, 9);
    print(*ticks.remote_ptr(i), 10, 7);
    print(*failures.remote_ptr(i), 10, 10);
    print("\n");
    total_failures += *failures.remote_ptr(i);
  }
  print("percpu user mode on ");
  print(percpu::backend_name());
  print(total_failures == 0 ? ": PASS\n" : ": FAIL\n");
  platform::exit(total_failures == 0);
}

[[noreturn]] void cpu_main(unsigned cpu) {
  percpu::entry::init_cpu(cpu);
  cpu_number.write_current(cpu);
  platform::user_mode_setup(cpu);
  smp::barrier();
  // Timer interrupts from kernel code first: the entry path's other branch.
  platform::timer_start();
  while (ticks.read_current() < min_kernel_ticks) platform::cpu_relax();
  const uintptr_t user_register = register_of(cpu, (cpu + 1) % cpus);
  const uint64_t reported = platform::run_user_program(
      user_register, cpu, reinterpret_cast<uintptr_t>(user_stacks[cpu] + sizeof user_stacks[cpu]));
  platform::timer_stop();
  user_count.write_current(reported);
  check(reported != 0, cpu, "the user program saw its register or its count change");
  check(reported == syscalls.read_current(), cpu, "system calls counted != the program's count");
  check(cpu_number.read_current() == cpu, cpu, "cpu_number changed");
  check(percpu::read_percpu_reg() == percpu::percpu_area_base(cpu), cpu,
        "the kernel's register after user mode");
  smp::barrier();
  if (cpu == 0) report();
  for (;;) platform::cpu_relax();
}

}  // namespace

extern "C" void percpu_test_timer_tick() { ticks.inc_current(); }

extern "C" syscall_result percpu_test_syscall(uint64_t number, uint64_t count_so_far,
                                              uint64_t cpu) {
  // Where the kernel's register points: at the program's CPU's area, or the copies below are
  // another CPU's, which can look consistent (every CPU on its neighbour's area) but for this.
  const bool right_area = cpu_number.read_current() == cpu;
  const uint64_t count = syscalls.inc_return_current();
  if (number != 1 || count != count_so_far || !right_area) {
    failures.inc_current();
    smp::print_failure(static_cast<unsigned>(cpu),
                       right_area ? "bad system call" : "system call on another CPU's area");
    return {0, 1};
  }
  return {count, count >= min_syscalls && ticks.read_current() >= min_ticks};
}

extern "C" [[noreturn]] void kernel_main() { smp::start_all_cpus(cpu_main); }
