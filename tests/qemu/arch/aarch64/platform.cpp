// SPDX-License-Identifier: MIT OR Apache-2.0
// platform.hpp for aarch64 QEMU virt at EL1 or EL2: PSCI, semihosting, interrupt masking and the
// timer's system registers. The devices are in ../arm_virt/virt.cpp, shared with armv7.
#include "platform.hpp"

#include "../arm_virt/virt.hpp"
#include "console.hpp"

// From boot.S.
extern "C" char secondary_start[];
extern "C" intptr_t psci_call(uintptr_t function, uintptr_t a1, uintptr_t a2, uintptr_t a3);
extern "C" void semihost_call(uintptr_t op, const void* parameter);

namespace {

constexpr uintptr_t psci_cpu_on = 0xc400'0003;            // PSCI DEN0022 5.1.4, SMC64
constexpr uintptr_t semihost_sys_exit = 0x18;             // semihosting spec, SYS_EXIT
constexpr uint64_t semihost_application_exit = 0x2'0026;  // ADP_Stopped_ApplicationExit
#if PERCPU_TEST_HIGHER_HALF
constexpr uintptr_t kernel_vma = KERNEL_VMA;  // link - load address (kernel-higherhalf.ld)
#else
constexpr uintptr_t kernel_vma = 0;
#endif

uint64_t mpidr() {
  uint64_t value;
  asm volatile("mrs %0, mpidr_el1" : "=r"(value));
  return value;
}

}  // namespace

// From boot.S, when CurrentEL is not the one the kernel was built for.
extern "C" [[noreturn]] void aarch64_wrong_el(uint64_t current_el) {
  console::print("kernel entered at EL");
  console::print(current_el);
  console::print(", not at the EL it was built for (PERCPU_EL; run.sh's el argument)\n");
  platform::exit(false);
}

// From boot.S: any exception other than an IRQ from the kernel. `vector` is the offset of the
// vector entry; ESR/ELR/FAR are those of the kernel's exception level.
extern "C" [[noreturn]] void aarch64_unexpected_exception(uint64_t vector, uint64_t esr,
                                                          uint64_t elr, uint64_t far) {
  virt::print_hex("unexpected exception: vector offset=", vector);
  virt::print_hex("  ESR=", esr);
  virt::print_hex("  ELR=", elr);
  virt::print_hex("  FAR=", far);
  virt::print_hex("  CPU=", mpidr() & 0xff);
  platform::exit(false);
}

namespace virt {

uint32_t timer_frequency() {
  uint64_t value;
  asm volatile("mrs %0, cntfrq_el0" : "=r"(value));
  return static_cast<uint32_t>(value);
}

// At EL2 these are still the EL1 physical timer (HCR_EL2.E2H is 0), and CNTHCTL_EL2 only traps
// accesses from EL1 and EL0, so the same code serves both levels. The isb makes the timer see
// the write before the GIC is told the interrupt has ended.
void timer_set_countdown(uint32_t ticks) {
  asm volatile("msr cntp_tval_el0, %0\n\tisb" ::"r"(uint64_t{ticks}));
}

void timer_set_control(uint32_t control) {
  asm volatile("msr cntp_ctl_el0, %0\n\tisb" ::"r"(uint64_t{control}));
}

}  // namespace virt

namespace platform {

void exit(bool pass) {
  // On A64, SYS_EXIT takes a {reason, subcode} block; QEMU exits with the subcode as its status.
  const uint64_t block[2] = {semihost_application_exit, pass ? 0u : 1u};
  semihost_call(semihost_sys_exit, block);
  for (;;) asm volatile("wfi");  // not reached: QEMU has exited
}

void start_cpu(unsigned cpu, void (*entry)(unsigned cpu)) {
  // CPU_ON(target_cpu, entry_point_address, context_id). The target is MPIDR Aff0 = cpu (boot.S);
  // the CPU starts at secondary_start's physical address, with the MMU off, with x0 = context_id
  // = entry, which boot.S calls once the MMU is on.
  const uintptr_t start = reinterpret_cast<uintptr_t>(secondary_start) - kernel_vma;
  const intptr_t status = psci_call(psci_cpu_on, cpu, start, reinterpret_cast<uintptr_t>(entry));
  if (status != 0) {
    virt::print_hex("PSCI CPU_ON failed: ", static_cast<uint64_t>(status));
    exit(false);
  }
}

void cpu_relax() { asm volatile("yield" ::: "memory"); }

}  // namespace platform

// IRQ masking: DAIF.I.
namespace platform {
void interrupts_enable() { asm volatile("msr daifclr, #2" ::: "memory"); }
void interrupts_disable() { asm volatile("msr daifset, #2" ::: "memory"); }
}  // namespace platform
