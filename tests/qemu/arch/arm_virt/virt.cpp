// SPDX-License-Identifier: MIT OR Apache-2.0
// QEMU virt devices shared by the aarch64 and armv7 ports: the PL011 console, the GICv2 and the
// timer interrupt. The armv7 port builds this file from here.
#include "virt.hpp"

#include "console.hpp"
#include "platform.hpp"

namespace {

// The virt memory map (QEMU hw/arm/virt.c), the same for 32- and 64-bit CPUs.
constexpr uintptr_t gicd_base = 0x0800'0000;
constexpr uintptr_t gicc_base = 0x0801'0000;
constexpr uintptr_t uart_base = 0x0900'0000;

// PL011 (PrimeCell UART TRM, 3.3): data register; flag register, TXFF = transmit FIFO full.
// QEMU's PL011 transmits without being configured.
constexpr uintptr_t uart_dr = 0x000;
constexpr uintptr_t uart_fr = 0x018;
constexpr uint32_t uart_fr_txff = 1u << 5;

// GICv2 (IHI 0048B, 4.1.2 and 4.1.3). Without the Security Extensions every interrupt resets to
// group 0 with priority 0, and group 0 is signalled as IRQ, so neither needs programming.
constexpr uintptr_t gicd_ctlr = 0x000;
constexpr uintptr_t gicd_isenabler0 = 0x100;  // banked per CPU: SGIs and PPIs, INTIDs 0-31
constexpr uintptr_t gicd_icenabler0 = 0x180;
constexpr uintptr_t gicc_ctlr = 0x000;
constexpr uintptr_t gicc_pmr = 0x004;
constexpr uintptr_t gicc_iar = 0x00c;
constexpr uintptr_t gicc_eoir = 0x010;
constexpr uint32_t gic_enable = 1;       // GICD_CTLR / GICC_CTLR: forward group 0
constexpr uint32_t gicc_pmr_all = 0xff;  // mask no priority
constexpr uint32_t gicc_iar_intid = 0x3ff;
constexpr uint32_t gic_spurious = 1023;

// virt wires the non-secure EL1 physical timer of each CPU to PPI 14, INTID 30.
constexpr uint32_t timer_intid = 30;
constexpr uint32_t cntp_ctl_enable = 1;  // ENABLE, with IMASK clear

template <typename T>
volatile T& mmio(uintptr_t addr) {
  return *reinterpret_cast<volatile T*>(addr);
}

// 1 ms from now. Moving the compare value into the future also clears the timer's level-sensitive
// interrupt (ISTATUS), so the handler rearms before its end of interrupt.
void arm_timer() { virt::timer_set_countdown(virt::timer_frequency() / 1000); }

}  // namespace

namespace virt {

void print_hex(const char* label, uint64_t value) {
  console::print(label);
  console::print(value, 16, 16);
  console::print("\n");
}

}  // namespace virt

extern "C" void arm_irq() {
  const uint32_t iar = mmio<uint32_t>(gicc_base + gicc_iar);
  const uint32_t intid = iar & gicc_iar_intid;
  if (intid == gic_spurious) return;  // nothing was acknowledged, so nothing to end
  if (intid != timer_intid) {
    virt::print_hex("unexpected interrupt: INTID ", intid);
    platform::exit(false);
  }
  // The end of interrupt before the tick: the tick may switch to another task (the scheduler
  // test), and the GIC signals no further interrupt of this priority to this CPU until it has
  // it. IRQs stay masked until eret, so the next one waits for that anyway.
  arm_timer();
  mmio<uint32_t>(gicc_base + gicc_eoir) = iar;
  percpu_test_timer_tick();
}

namespace platform {

void console_putc(char c) {
  while (mmio<uint32_t>(uart_base + uart_fr) & uart_fr_txff) cpu_relax();
  mmio<uint32_t>(uart_base + uart_dr) = static_cast<uint8_t>(c);
}

void timer_start() {
  // The distributor is shared: each CPU enabling it again is harmless. The enable bits of the
  // PPIs and the whole CPU interface are banked per CPU.
  mmio<uint32_t>(gicd_base + gicd_ctlr) = gic_enable;
  mmio<uint32_t>(gicd_base + gicd_isenabler0) = 1u << timer_intid;
  mmio<uint32_t>(gicc_base + gicc_pmr) = gicc_pmr_all;
  mmio<uint32_t>(gicc_base + gicc_ctlr) = gic_enable;
  arm_timer();
  virt::timer_set_control(cntp_ctl_enable);
  interrupts_enable();
}

void timer_stop() {
  interrupts_disable();
  virt::timer_set_control(0);
  mmio<uint32_t>(gicd_base + gicd_icenabler0) = 1u << timer_intid;
}

}  // namespace platform
