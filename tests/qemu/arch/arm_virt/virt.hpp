// SPDX-License-Identifier: MIT OR Apache-2.0
// What the aarch64 and armv7 ports of QEMU virt share: the machine (PL011, GICv2, interrupt
// wiring) is the same for both, and so is the generic timer, reached by different instructions.
#pragma once

#include <stdint.h>

namespace virt {

// The EL1 (AArch32: PL1) physical timer, one per CPU; implemented in each port's platform.cpp
// (Arm ARM, 'The Generic Timer in AArch64 state'; Armv7-A ARM B8, 'The Generic Timer').
uint32_t timer_frequency();                // CNTFRQ: counter ticks per second
void timer_set_countdown(uint32_t ticks);  // CNTP_TVAL: fire `ticks` from now
void timer_set_control(uint32_t control);  // CNTP_CTL

// Prints `label`, then `value` as 16 hex digits and a newline: one line of a fault report.
void print_hex(const char* label, uint64_t value);

// User mode (user_tables.cpp): level-1 translation table that maps what `boot_level1` (the
// boot tables, identity-mapped) maps and also lets user code (EL0/PL0) read and execute the
// 4 KiB page at `user_page`, in the RAM. CPU 0 builds it; the others wait for it. The address is
// the table's physical one (identity-mapped), for TTBR0.
uintptr_t user_translation_tables(unsigned cpu, const uint64_t* boot_level1, uintptr_t user_page);

}  // namespace virt

// The IRQ handler (virt.cpp), called from the IRQ vector with IRQs masked.
extern "C" void arm_irq();
