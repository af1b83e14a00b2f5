// SPDX-License-Identifier: MIT OR Apache-2.0
// A minimal SMP kernel using percpu as the README says: variables defined with PERCPU_DEFINE,
// init_in_place() once on the boot CPU, init_percpu_reg(cpu) on every CPU, then this CPU's
// copies through the register. It boots on the QEMU ports under tests/qemu/arch (the
// `platform` layer: console, CPU start-up, timer) and prints one line per CPU.
#include <percpu.hpp>

#include "console.hpp"
#include "platform.hpp"

namespace {

using console::print;

PERCPU_DEFINE_HOT(unsigned long, ticks, 0);   // bumped by this CPU's timer interrupt
PERCPU_DEFINE(unsigned long, work_done, 0);   // bumped by this CPU's main loop
PERCPU_DEFINE(uintptr_t, register_value, 0);  // what this CPU saw in its register

volatile unsigned finished;

[[noreturn]] void cpu_main(unsigned cpu) {
  percpu::init_percpu_reg(cpu);
  register_value.write_current(percpu::read_percpu_reg_raw());
  platform::timer_start();
  for (unsigned long i = 0; i < 100'000 * (cpu + 1) || ticks.read_current() < 10; ++i) {
    work_done.inc_current();
  }
  platform::timer_stop();
  __atomic_fetch_add(&finished, 1, __ATOMIC_RELEASE);
  if (cpu != 0) {
    for (;;) platform::cpu_relax();
  }
  while (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) != platform::cpu_count) platform::cpu_relax();

  // Each CPU counted in its own copies: its loop ran to the end and its timer ticked.
  bool counted = true;
  print("cpu  register (raw)      area base           work_done  ticks\n");
  for (unsigned other = 0; other < platform::cpu_count; ++other) {
    counted = counted && *work_done.remote_ptr(other) >= 100'000 * (other + 1ul) &&
              *ticks.remote_ptr(other) >= 10;
    print(other, 10, 3);
    print("  0x");
    print(*register_value.remote_ptr(other), 16, 16);
    print("  0x");
    print(percpu::percpu_area_base(other), 16, 16);
    print(*work_done.remote_ptr(other), 10, 11);
    print(*ticks.remote_ptr(other), 10, 7);
    print("\n");
  }
  // The image's address: a variable's link address less its offset in the area.
  print("backend ");
  print(percpu::backend_name());
  print(", register ");
  print(percpu::register_name());
  print(", .percpu image at 0x");
  print(ticks.symbol_vma() - ticks.offset(), 16, 0);
  print(", area stride ");
  print(percpu::percpu_area_layout_expected(1).size, 10, 0);
  print(" bytes\n");
  platform::exit(counted);
}

}  // namespace

extern "C" void percpu_test_timer_tick() { ticks.inc_current(); }

extern "C" [[noreturn]] void kernel_main() {
  if (!percpu::init_in_place()) platform::exit(false);
  for (unsigned cpu = 1; cpu < platform::cpu_count; ++cpu) platform::start_cpu(cpu, cpu_main);
  cpu_main(0);
}
