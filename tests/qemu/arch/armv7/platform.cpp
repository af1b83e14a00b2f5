// SPDX-License-Identifier: MIT OR Apache-2.0
// platform.hpp for armv7-a QEMU virt at PL1 (SVC mode): PSCI, semihosting, interrupt masking and
// the timer's CP15 registers. The devices are in ../arm_virt/virt.cpp, shared with aarch64.
#include "platform.hpp"

#include "../arm_virt/virt.hpp"

// From boot.S.
extern "C" char secondary_start[];
extern "C" intptr_t psci_call(uintptr_t function, uintptr_t a1, uintptr_t a2, uintptr_t a3);
extern "C" void semihost_call(uintptr_t op, const void* parameter);

namespace {

constexpr uintptr_t psci_cpu_on = 0x8400'0003;             // PSCI DEN0022 5.1.4, SMC32
constexpr uintptr_t semihost_sys_exit_extended = 0x20;     // semihosting spec
constexpr uintptr_t semihost_application_exit = 0x2'0026;  // ADP_Stopped_ApplicationExit
#if PERCPU_TEST_HIGHER_HALF
constexpr uintptr_t kernel_vma = KERNEL_VMA;  // link - load address (kernel-higherhalf.ld)
#else
constexpr uintptr_t kernel_vma = 0;
#endif

uint32_t mpidr() {
  uint32_t value;
  asm volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(value));
  return value;
}

}  // namespace

// From boot.S: any exception other than IRQ. `cpsr` is the exception's (its mode names it),
// `lr` and `spsr` are that mode's banked link register and saved status.
extern "C" [[noreturn]] void armv7_unexpected_exception(uint32_t cpsr, uint32_t lr, uint32_t spsr) {
  uint32_t dfsr, dfar, ifsr, ifar;
  asm volatile("mrc p15, 0, %0, c5, c0, 0" : "=r"(dfsr));
  asm volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(dfar));
  asm volatile("mrc p15, 0, %0, c5, c0, 1" : "=r"(ifsr));
  asm volatile("mrc p15, 0, %0, c6, c0, 2" : "=r"(ifar));
  virt::print_hex("unexpected exception: mode=", cpsr & 0x1f);
  virt::print_hex("  LR=", lr);
  virt::print_hex("  SPSR=", spsr);
  virt::print_hex("  DFSR=", dfsr);
  virt::print_hex("  DFAR=", dfar);
  virt::print_hex("  IFSR=", ifsr);
  virt::print_hex("  IFAR=", ifar);
  virt::print_hex("  CPU=", mpidr() & 0xff);
  platform::exit(false);
}

namespace virt {

uint32_t timer_frequency() {
  uint32_t value;
  asm volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(value));  // CNTFRQ
  return value;
}

// The isb makes the timer see the write before the GIC is told the interrupt has ended.
void timer_set_countdown(uint32_t ticks) {
  asm volatile("mcr p15, 0, %0, c14, c2, 0\n\tisb" ::"r"(ticks));
}

void timer_set_control(uint32_t control) {
  asm volatile("mcr p15, 0, %0, c14, c2, 1\n\tisb" ::"r"(control));
}

}  // namespace virt

namespace platform {

void exit(bool pass) {
  // A32's SYS_EXIT cannot carry a status; SYS_EXIT_EXTENDED takes a {reason, subcode} block, and
  // QEMU exits with the subcode as its status.
  const uintptr_t block[2] = {semihost_application_exit, pass ? 0u : 1u};
  semihost_call(semihost_sys_exit_extended, block);
  for (;;) asm volatile("wfi");  // not reached: QEMU has exited
}

void start_cpu(unsigned cpu, void (*entry)(unsigned cpu)) {
  // CPU_ON(target_cpu, entry_point_address, context_id). The target is MPIDR Aff0 = cpu (boot.S);
  // the CPU starts at secondary_start's physical address, with the MMU off, with r0 = context_id
  // = entry, which boot.S calls once the MMU is on.
  const uintptr_t start = reinterpret_cast<uintptr_t>(secondary_start) - kernel_vma;
  const intptr_t status = psci_call(psci_cpu_on, cpu, start, reinterpret_cast<uintptr_t>(entry));
  if (status != 0) {
    virt::print_hex("PSCI CPU_ON failed: ", static_cast<uint32_t>(status));
    exit(false);
  }
}

void cpu_relax() { asm volatile("yield" ::: "memory"); }

}  // namespace platform

// IRQ masking: CPSR.I.
namespace platform {
void interrupts_enable() { asm volatile("cpsie i" ::: "memory"); }
void interrupts_disable() { asm volatile("cpsid i" ::: "memory"); }
}  // namespace platform
