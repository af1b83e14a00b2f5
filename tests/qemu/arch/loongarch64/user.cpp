// SPDX-License-Identifier: MIT OR Apache-2.0
// platform.hpp's user mode for loongarch64: the user-mode exception entry (user.S) and the
// system-call dispatch.
#include "platform.hpp"
#include "user_syscall.hpp"

// From user.S.
extern "C" void loongarch_user_trap_entry();
extern "C" uint64_t loongarch_enter_user(uintptr_t user_register, unsigned cpu, uintptr_t user_sp);
// From platform.cpp: timer interrupts and fatal exceptions.
extern "C" void loongarch_trap(uint64_t estat);

namespace {

constexpr unsigned csr_estat = 0x5, csr_era = 0x6, csr_eentry = 0xc;
constexpr uint64_t ecode_syscall = 0xb;  // ESTAT.Ecode SYS (Reference Manual vol. 1 §7.4.6)
// $a7 ($r11) the number, $a0 and $a2 ($r4, $r6) the arguments, $a0 and $a1 ($r5) the results.
constexpr user_syscall::registers syscall_registers{11, 4, 6, 5};

}  // namespace

// Called by user.S with the frame ($r0-$r31 by number). Returns non-zero for the exit call,
// which user.S turns into the return of loongarch_enter_user.
extern "C" uint64_t loongarch_user_trap(uint64_t* frame) {
  uint64_t estat, era;
  asm volatile("csrrd %0, %1" : "=r"(estat) : "i"(csr_estat));
  if ((estat >> 16 & 0x3f) != ecode_syscall) {
    loongarch_trap(estat);
    return 0;
  }
  // ERA points at the syscall instruction: resume after it.
  asm volatile("csrrd %0, %1" : "=r"(era) : "i"(csr_era));
  era += 4;
  asm volatile("csrwr %0, %1" : "+r"(era) : "i"(csr_era));
  return user_syscall::handle(frame, syscall_registers);
}

namespace platform {

void user_mode_setup(unsigned) {
  auto entry = reinterpret_cast<uintptr_t>(loongarch_user_trap_entry);
  asm volatile("csrwr %0, %1" : "+r"(entry) : "i"(csr_eentry) : "memory");
}

uint64_t run_user_program(uintptr_t user_register, unsigned cpu, uintptr_t user_stack_top) {
  return loongarch_enter_user(user_register, cpu, user_stack_top);
}

}  // namespace platform
