// SPDX-License-Identifier: MIT OR Apache-2.0
// platform.hpp's user mode for the riscv64 M-mode kernel: PMP opened to U-mode, the user-mode
// trap vector (user.S), and the system-call dispatch.
#include "platform.hpp"
#include "user_syscall.hpp"

// From user.S.
extern "C" void riscv_user_trap_entry();
extern "C" uint64_t riscv_enter_user(uintptr_t user_register, unsigned cpu, uintptr_t user_sp);
// From platform.cpp: timer interrupts and fatal traps.
extern "C" void riscv_trap(uint64_t cause);

namespace {

constexpr uint64_t cause_user_ecall = 8;  // Privileged spec 3.1.15
// a7 the number, a0 and a2 the arguments, a0 and a1 the results.
constexpr user_syscall::registers syscall_registers{17, 10, 12, 11};

}  // namespace

// Called by user.S with the trap frame (x0-x31 by number). Returns non-zero for the exit call,
// which user.S turns into the return of riscv_enter_user.
extern "C" uint64_t riscv_user_trap(uint64_t* frame) {
  uint64_t cause;
  asm volatile("csrr %0, mcause" : "=r"(cause));
  if (cause != cause_user_ecall) {
    riscv_trap(cause);
    return 0;
  }
  // Resume after the ecall, 4 bytes (it has no compressed form).
  uint64_t epc;
  asm volatile("csrr %0, mepc" : "=r"(epc));
  asm volatile("csrw mepc, %0" ::"r"(epc + 4));
  return user_syscall::handle(frame, syscall_registers);
}

namespace platform {

void user_mode_setup(unsigned) {
  // U-mode may access nothing until a PMP entry allows it (Privileged spec 3.7.1): one NAPOT
  // entry over the whole address space, R, W and X; M-mode ignores unlocked entries.
  asm volatile("csrw pmpaddr0, %0" ::"r"(~0ull));
  asm volatile("csrw pmpcfg0, %0" ::"r"(0x1full));
  asm volatile("csrw mtvec, %0" ::"r"(riscv_user_trap_entry) : "memory");
}

uint64_t run_user_program(uintptr_t user_register, unsigned cpu, uintptr_t user_stack_top) {
  return riscv_enter_user(user_register, cpu, user_stack_top);
}

}  // namespace platform
