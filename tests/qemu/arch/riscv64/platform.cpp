// SPDX-License-Identifier: MIT OR Apache-2.0
// platform.hpp for riscv64 QEMU virt in M-mode: 16550 UART, SiFive test device for the exit
// status, CLINT machine timer.
#include "platform.hpp"

#include "ns16550.hpp"

namespace {

constexpr uintptr_t uart_base = 0x1000'0000;
constexpr uintptr_t test_device = 0x10'0000;
constexpr uintptr_t clint_mtimecmp = 0x200'4000;  // + 8 * hart
constexpr uintptr_t clint_mtime = 0x200'bff8;

// The virt machine's timebase is 10 MHz (timebase-frequency in its device tree): 1 ms ticks.
constexpr uint64_t tick_interval = 10'000;

constexpr uint64_t mstatus_mie = 1u << 3;  // Privileged spec 3.1.6.1
constexpr uint64_t mie_mtie = 1u << 7;     // Privileged spec 3.1.9
constexpr uint64_t mcause_machine_timer = (1ull << 63) | 7;

template <typename T>
volatile T& mmio(uintptr_t addr) {
  return *reinterpret_cast<volatile T*>(addr);
}

uint64_t hart_id() {
  uint64_t id;
  asm volatile("csrr %0, mhartid" : "=r"(id));
  return id;
}

void arm_timer() {
  mmio<uint64_t>(clint_mtimecmp + 8 * hart_id()) = mmio<uint64_t>(clint_mtime) + tick_interval;
}

void put_hex(const char* label, uint64_t value) {
  for (; *label; ++label) platform::console_putc(*label);
  for (int shift = 60; shift >= 0; shift -= 4)
    platform::console_putc("0123456789abcdef"[(value >> shift) & 0xf]);
  platform::console_putc('\n');
}

}  // namespace

// Entry points from boot.S.
extern "C" void (*volatile riscv_cpu_entry[platform::cpu_count])(unsigned);

extern "C" void riscv_trap(uint64_t mcause) {
  if (mcause == mcause_machine_timer) {
    // Writing mtimecmp clears the pending MTIP (Privileged spec 3.2.1).
    arm_timer();
    percpu_test_timer_tick();
    return;
  }
  uint64_t mepc, mtval;
  asm volatile("csrr %0, mepc" : "=r"(mepc));
  asm volatile("csrr %0, mtval" : "=r"(mtval));
  put_hex("unexpected trap: mcause=", mcause);
  put_hex("  mepc=", mepc);
  put_hex("  mtval=", mtval);
  put_hex("  hart=", hart_id());
  platform::exit(false);
}

namespace platform {

void console_putc(char c) { ns16550_putc(uart_base, c); }

void exit(bool pass) {
  // SiFive test device: 0x5555 powers off with status 0; (code << 16) | 0x3333 exits with code.
  mmio<uint32_t>(test_device) = pass ? 0x5555 : (1u << 16) | 0x3333;
  for (;;) asm volatile("wfi");
}

void start_cpu(unsigned cpu, void (*entry)(unsigned cpu)) {
  // Release: everything CPU 0 wrote before (cleared .bss included) is visible to the new CPU.
  __atomic_store_n(&riscv_cpu_entry[cpu], entry, __ATOMIC_RELEASE);
}

void timer_start() {
  arm_timer();
  asm volatile("csrs mie, %0" ::"r"(mie_mtie));
  asm volatile("csrs mstatus, %0" ::"r"(mstatus_mie) : "memory");
}

void timer_stop() {
  asm volatile("csrc mstatus, %0" ::"r"(mstatus_mie) : "memory");
  asm volatile("csrc mie, %0" ::"r"(mie_mtie));
  mmio<uint64_t>(clint_mtimecmp + 8 * hart_id()) = ~0ull;
}

bool irq_save() {
  uint64_t old;
  asm volatile("csrrc %0, mstatus, %1" : "=r"(old) : "r"(mstatus_mie) : "memory");
  return old & mstatus_mie;
}

void irq_restore(bool enabled) {
  if (enabled) asm volatile("csrs mstatus, %0" ::"r"(mstatus_mie) : "memory");
}

void cpu_relax() { asm volatile("pause" ::: "memory"); }

}  // namespace platform
