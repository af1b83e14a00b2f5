// SPDX-License-Identifier: MIT OR Apache-2.0
// platform.hpp for riscv64 QEMU virt in M-mode: 16550 UART, SiFive test device for the exit
// status, CLINT machine timer. The higher-half kernel (PERCPU_TEST_HIGHER_HALF) runs in S-mode
// instead, with the S-mode CSRs and Sstc's stimecmp as its timer.
#include "platform.hpp"

#include "ns16550.hpp"

// The CSR (or bit) of the mode the kernel runs in.
#if PERCPU_TEST_HIGHER_HALF
#define CSR(machine, supervisor) supervisor
#else
#define CSR(machine, supervisor) machine
#endif

namespace {

constexpr uintptr_t uart_base = 0x1000'0000;
constexpr uintptr_t test_device = 0x10'0000;

// The virt machine's timebase is 10 MHz (timebase-frequency in its device tree): 1 ms ticks.
constexpr uint64_t tick_interval = 10'000;

// xstatus.xIE, xie.xTIE and the timer's xcause (Privileged spec 3.1.6.1, 3.1.9; S-mode: 4.1.1,
// 4.1.3).
constexpr uint64_t status_ie = CSR(1u << 3, 1u << 1);
constexpr uint64_t ie_timer = CSR(1u << 7, 1u << 5);
constexpr uint64_t cause_timer = (1ull << 63) | CSR(7, 5);

template <typename T>
volatile T& mmio(uintptr_t addr) {
  return *reinterpret_cast<volatile T*>(addr);
}

// S-mode cannot read mhartid: boot.S leaves the hart id in sscratch.
uint64_t hart_id() {
  uint64_t id;
  asm volatile("csrr %0, " CSR("mhartid", "sscratch") : "=r"(id));
  return id;
}

#if PERCPU_TEST_HIGHER_HALF
// stimecmp is CSR 0x14d (Sstc), by number for assemblers that predate the name. Writing it clears
// the pending STIP; ~0 never fires.
void set_timer(uint64_t deadline) { asm volatile("csrw 0x14d, %0" ::"r"(deadline)); }

void arm_timer() {
  uint64_t now;
  asm volatile("rdtime %0" : "=r"(now));
  set_timer(now + tick_interval);
}
#else
constexpr uintptr_t clint_mtimecmp = 0x200'4000;  // + 8 * hart
constexpr uintptr_t clint_mtime = 0x200'bff8;

// Writing mtimecmp clears the pending MTIP (Privileged spec 3.2.1); ~0 never fires.
void set_timer(uint64_t deadline) { mmio<uint64_t>(clint_mtimecmp + 8 * hart_id()) = deadline; }

void arm_timer() { set_timer(mmio<uint64_t>(clint_mtime) + tick_interval); }
#endif

void put_hex(const char* label, uint64_t value) {
  for (; *label; ++label) platform::console_putc(*label);
  for (int shift = 60; shift >= 0; shift -= 4)
    platform::console_putc("0123456789abcdef"[(value >> shift) & 0xf]);
  platform::console_putc('\n');
}

}  // namespace

// Entry points from boot.S.
extern "C" void (*volatile riscv_cpu_entry[platform::cpu_count])(unsigned);

extern "C" void riscv_trap(uint64_t cause) {
  if (cause == cause_timer) {
    arm_timer();
    percpu_test_timer_tick();
    return;
  }
  uint64_t epc, tval;
  asm volatile("csrr %0, " CSR("mepc", "sepc") : "=r"(epc));
  asm volatile("csrr %0, " CSR("mtval", "stval") : "=r"(tval));
  put_hex("unexpected trap: cause=", cause);
  put_hex("  epc=", epc);
  put_hex("  tval=", tval);
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
  asm volatile("csrs " CSR("mie", "sie") ", %0" ::"r"(ie_timer));
  asm volatile("csrs " CSR("mstatus", "sstatus") ", %0" ::"r"(status_ie) : "memory");
}

void timer_stop() {
  asm volatile("csrc " CSR("mstatus", "sstatus") ", %0" ::"r"(status_ie) : "memory");
  asm volatile("csrc " CSR("mie", "sie") ", %0" ::"r"(ie_timer));
  set_timer(~0ull);
}

void cpu_relax() { asm volatile("pause" ::: "memory"); }

void interrupts_enable() {
  asm volatile("csrs " CSR("mstatus", "sstatus") ", %0" ::"r"(status_ie) : "memory");
}

void interrupts_disable() {
  asm volatile("csrc " CSR("mstatus", "sstatus") ", %0" ::"r"(status_ie) : "memory");
}

}  // namespace platform
