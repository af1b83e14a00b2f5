// SPDX-License-Identifier: MIT OR Apache-2.0
// platform.hpp's user mode for armv7-a: translation tables that let PL0 run the user program's
// page (../arm_virt/user_tables.cpp), the vector table of user.S, and the system-call dispatch.
#include "../arm_virt/virt.hpp"
#include "platform.hpp"
#include "user_syscall.hpp"

// From user.S.
extern "C" char armv7_user_vectors[];
extern "C" char user_program[];
extern "C" uint32_t armv7_enter_user(uintptr_t user_register, unsigned cpu, uintptr_t user_sp);

namespace {

// r7 the number, r0 and r2 the arguments, r0 and r1 the results (user.S).
constexpr user_syscall::registers syscall_registers{7, 0, 2, 1};

}  // namespace

// Called by user.S's svc entry with the frame (r0-r12 by number). Returns non-zero for the exit
// call, which user.S turns into the return of armv7_enter_user.
extern "C" uint32_t armv7_user_trap(uint32_t* frame) {
  return user_syscall::handle(frame, syscall_registers);
}

namespace platform {

void user_mode_setup(unsigned cpu) {
  uint32_t low, high;
  asm volatile("mrrc p15, 0, %0, %1, c2" : "=r"(low), "=r"(high));  // TTBR0, 64 bits
  const uintptr_t level1 = virt::user_translation_tables(
      cpu, reinterpret_cast<const uint64_t*>(low), reinterpret_cast<uintptr_t>(user_program));
  // The new tables map everything the old ones did, at the same addresses and attributes (the
  // user page aside): switch, then drop whatever the TLB holds from the old ones (TLBIALL).
  asm volatile(
      "dsb ishst\n\tmcrr p15, 0, %0, %1, c2\n\tisb\n\tmcr p15, 0, %0, c8, c7, 0\n\t"
      "dsb nsh\n\tisb" ::"r"(level1),
      "r"(high)
      : "memory");
  asm volatile("mcr p15, 0, %0, c12, c0, 0\n\tisb" ::"r"(armv7_user_vectors) : "memory");  // VBAR
}

uint64_t run_user_program(uintptr_t user_register, unsigned cpu, uintptr_t user_stack_top) {
  return armv7_enter_user(user_register, cpu, user_stack_top);
}

}  // namespace platform
