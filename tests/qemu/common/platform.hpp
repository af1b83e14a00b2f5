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
/// interrupt calls `percpu_test_timer_tick()` on the interrupted CPU, on the interrupted code's
/// stack, after the interrupt controller's end of interrupt, then returns to the interrupted code
/// with every register as it was, the per-CPU register included. The tick may switch to another
/// context (the scheduler body): the entry keeps the interrupted code's return state on its
/// stack, so the interrupt returns correctly whenever and on whichever CPU it resumes, with that
/// CPU's per-CPU register.
void timer_start();

/// Disarms the calling CPU's timer and disables interrupts on it.
void timer_stop();

/// Spin-wait hint for busy loops (pause / yield / nop).
void cpu_relax();

/// Enables or disables interrupts on the calling CPU, leaving the timer as it is.
void interrupts_enable();
void interrupts_disable();

/// User mode (the `user` test body; arch/<arch>/user.S and user.cpp). Prepares the calling CPU
/// (number `cpu`) to run user code and take its system calls; percpu::entry::init_cpu ran before.
void user_mode_setup(unsigned cpu);

/// Runs the architecture's user program on the calling CPU, in user mode, with interrupts
/// enabled there, on the stack below `user_stack_top`. The program sets the per-CPU register to
/// `user_register`, then calls percpu_test_syscall with number 1, its count of calls so far and
/// `cpu` (the CPU it was started on) until the result's `done` is non-zero, checking after every
/// call and on every turn of its loop that the register still holds its value; then it makes the
/// exit call (number 0) with its count, or with 0 as soon as a check failed. Returns the exit
/// call's argument, in the kernel, with interrupts disabled.
uint64_t run_user_program(uintptr_t user_register, unsigned cpu, uintptr_t user_stack_top);

}  // namespace platform

/// The scheduler test body's context switch (arch/<arch>/sched.S). A context is the stack of a
/// task, with the callee-saved registers on it; the per-CPU register is not part of it.
/// sched_switch saves the calling context's stack pointer in *save_sp and resumes the context
/// `next_sp`; it returns when some CPU resumes the saved context. sched_new_stack prepares the
/// stack below `top` (aligned as the ABI wants) so that resuming it calls `entry`, which must
/// never return.
extern "C" void sched_switch(uintptr_t* save_sp, uintptr_t next_sp);
extern "C" uintptr_t sched_new_stack(uintptr_t top, void (*entry)());

/// Result of a system call: the program's return registers (riscv64 a0/a1, x86_64 rax/rdx, ...).
struct syscall_result {
  uint64_t value;
  uint64_t done;
};

/// Provided by the test body: CPU 0 enters here from the boot stub (stack set, .bss zeroed).
extern "C" [[noreturn]] void kernel_main();

/// Provided by the test body: called from the timer interrupt handler of the interrupted CPU.
extern "C" void percpu_test_timer_tick();

/// Provided by the user test body: system call `number` (not 0, the exit call, which the
/// platform handles) with arguments `count` and `cpu`, from the user program of the calling CPU.
extern "C" syscall_result percpu_test_syscall(uint64_t number, uint64_t count, uint64_t cpu);
