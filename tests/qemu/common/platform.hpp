// SPDX-License-Identifier: MIT OR Apache-2.0
// The few machine services the portable QEMU test kernel needs; one implementation per
// architecture lives in tests/qemu/arch/<arch>/.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace platform {

/// Number of CPUs every test machine is started with (QEMU -smp 4).
inline constexpr unsigned cpu_count = 4;

/// Writes one byte to the serial console, polled. Callers serialise (the test body holds a lock).
void console_putc(char c);

/// Ends the run: QEMU exits with a status the runner maps to pass (true) or fail (false).
[[noreturn]] void exit(bool pass);

/// Starts secondary CPU `cpu` (1 .. cpu_count-1) on its own stack; it calls `entry(cpu)`, which
/// never returns. Called on CPU 0 only. On platforms where every CPU enters the image at once,
/// this releases the parked CPU instead.
void start_cpu(unsigned cpu, void (*entry)(unsigned cpu));

/// Arms a periodic timer interrupt on the calling CPU and enables interrupts on it. Each
/// interrupt calls `percpu_test_timer_tick()` on the interrupted CPU, then returns to the
/// interrupted code with every register (including the per-CPU register) as it was.
void timer_start();

/// Disarms the calling CPU's timer and disables interrupts on it.
void timer_stop();

/// Spin-wait hint for busy loops (pause / yield / nop).
void cpu_relax();

}  // namespace platform

/// Provided by the test body: CPU 0 enters here from the boot stub (stack set, .bss zeroed).
extern "C" [[noreturn]] void kernel_main();

/// Provided by the test body: called from the timer interrupt handler of the interrupted CPU.
extern "C" void percpu_test_timer_tick();
