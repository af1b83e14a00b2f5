// SPDX-License-Identifier: MIT OR Apache-2.0
// platform.hpp's user mode for aarch64 at EL1: translation tables that let EL0 run the user
// program's page (../arm_virt/user_tables.cpp), the vector table of user.S, and the dispatch of
// exceptions from EL0.
#include "../arm_virt/virt.hpp"
#include "platform.hpp"
#include "user_syscall.hpp"

// From user.S and boot.S.
extern "C" char aarch64_user_vectors[];
extern "C" char user_program[];
extern "C" uint64_t aarch64_enter_user(uintptr_t user_register, unsigned cpu, uintptr_t user_sp);
extern "C" [[noreturn]] void aarch64_unexpected_exception(uint64_t vector, uint64_t esr,
                                                          uint64_t elr, uint64_t far);

namespace {

constexpr uint64_t trap_irq = 1;  // user.S TRAP_IRQ
// ESR_EL1.EC (Arm ARM D17.2.37): SVC from AArch64; an MRS/MSR trapped or UNDEFINED at EL0.
constexpr uint64_t ec_svc64 = 0x15, ec_msr_mrs = 0x18, ec_unknown = 0x00;
// x8 the number, x0 and x2 the arguments, x0 and x1 the results; x3 counts refused accesses.
constexpr user_syscall::registers syscall_registers{8, 0, 2, 1};
constexpr unsigned refused_register = 3;

}  // namespace

// Called by user.S with the frame (x0-x30 by number) and the kind of exception. Returns
// non-zero for the exit call, which user.S turns into the return of aarch64_enter_user.
extern "C" uint64_t aarch64_user_trap(uint64_t* frame, uint64_t kind) {
  if (kind == trap_irq) {
    arm_irq();
    return 0;
  }
  uint64_t esr, elr, far;
  asm volatile("mrs %0, esr_el1" : "=r"(esr));
  asm volatile("mrs %0, elr_el1" : "=r"(elr));
  asm volatile("mrs %0, far_el1" : "=r"(far));
  const uint64_t ec = esr >> 26;
  if (ec == ec_svc64) return user_syscall::handle(frame, syscall_registers);  // ELR is past svc
  if (ec == ec_msr_mrs || ec == ec_unknown) {
    // The program's access to TPIDR_EL1, refused: count it and skip the instruction.
    ++frame[refused_register];
    asm volatile("msr elr_el1, %0" ::"r"(elr + 4));
    return 0;
  }
  aarch64_unexpected_exception(0x400, esr, elr, far);
}

namespace platform {

void user_mode_setup(unsigned cpu) {
  uint64_t ttbr0;
  asm volatile("mrs %0, ttbr0_el1" : "=r"(ttbr0));
  const uintptr_t level1 = virt::user_translation_tables(
      cpu, reinterpret_cast<const uint64_t*>(ttbr0), reinterpret_cast<uintptr_t>(user_program));
  // The new tables map everything the old ones did, at the same addresses and attributes (the
  // user page aside): switch, then drop whatever the TLB holds from the old ones.
  asm volatile(
      "dsb ishst\n\tmsr ttbr0_el1, %0\n\tisb\n\ttlbi vmalle1\n\tdsb nsh\n\tisb" ::"r"(level1)
      : "memory");
  asm volatile("msr vbar_el1, %0\n\tisb" ::"r"(aarch64_user_vectors) : "memory");
}

uint64_t run_user_program(uintptr_t user_register, unsigned cpu, uintptr_t user_stack_top) {
  return aarch64_enter_user(user_register, cpu, user_stack_top);
}

}  // namespace platform
