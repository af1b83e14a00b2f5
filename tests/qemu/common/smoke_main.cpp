// SPDX-License-Identifier: MIT OR Apache-2.0
// Bring-up body for a new platform port: every CPU says hello and takes timer interrupts.
// Replaced by the real per-CPU test body once the port boots.
#include "platform.hpp"

// The linker fragment refuses an empty .percpu; the smoke kernel has one word in it.
[[gnu::used, gnu::section(".percpu")]] unsigned long smoke_percpu_word = 1;

namespace {
volatile unsigned ticks[platform::cpu_count];
volatile unsigned arrived;
volatile int console_lock;

void puts(const char* s) {
  while (__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE)) platform::cpu_relax();
  for (; *s; ++s) platform::console_putc(*s);
  __atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
}

[[noreturn]] void cpu_main(unsigned cpu) {
  char msg[] = "hello from CPU ?\n";
  msg[15] = static_cast<char>('0' + cpu);
  puts(msg);
  platform::timer_start();
  while (ticks[cpu] < 100) platform::cpu_relax();
  platform::timer_stop();
  __atomic_fetch_add(&arrived, 1, __ATOMIC_SEQ_CST);
  if (cpu != 0)
    for (;;) platform::cpu_relax();
  while (arrived != platform::cpu_count) platform::cpu_relax();
  puts("all CPUs took 100 timer interrupts\n");
  platform::exit(true);
}
}  // namespace

// Without per-CPU data the smoke test finds "this CPU" through a platform hook.
extern "C" unsigned smoke_current_cpu();

extern "C" void percpu_test_timer_tick() {
  ticks[smoke_current_cpu()] = ticks[smoke_current_cpu()] + 1;
}

extern "C" [[noreturn]] void kernel_main() {
  for (unsigned cpu = 1; cpu < platform::cpu_count; ++cpu) platform::start_cpu(cpu, cpu_main);
  cpu_main(0);
}
