// SPDX-License-Identifier: MIT OR Apache-2.0
// platform.hpp for loongarch64 QEMU virt at PLV0 in direct address mode: 16550 UART, ACPI GED
// sleep register (pass) and pvpanic-pci (fail) for the exit status, per-CPU constant timer.
#include "platform.hpp"

#include "ns16550.hpp"

namespace {

// Physical addresses, usable as they are in direct address translation mode; the higher-half
// kernel reaches them through its uncached direct mapping window (boot.S DMW_DEVICES).
#if PERCPU_TEST_HIGHER_HALF
constexpr uintptr_t io_window = 0x8000'0000'0000'0000;
#else
constexpr uintptr_t io_window = 0;
#endif
constexpr uintptr_t uart_base = io_window + 0x1fe0'01e0;
constexpr uintptr_t ged_sleep_ctl = io_window + 0x100e'001c;
constexpr uintptr_t pcie_ecam = io_window + 0x2000'0000;
constexpr uintptr_t pcie_mmio = 0x4000'0000;  // identity-mapped PCI memory window
constexpr unsigned pvpanic_slot = 31;         // run.sh: -device pvpanic-pci,addr=1f

// Reference Manual vol. 1 CSR numbers (§7.4, §7.6).
constexpr unsigned csr_crmd = 0x0, csr_ecfg = 0x4, csr_era = 0x6, csr_badv = 0x7, csr_cpuid = 0x20,
                   csr_tcfg = 0x41, csr_ticlr = 0x44;

constexpr uint64_t crmd_ie = 1u << 2;          // §7.4.1
constexpr uint64_t irq_timer = 1u << 11;       // TI in ECFG.LIE and ESTAT.IS (§7.4.5, §7.4.6)
constexpr uint64_t estat_ecode = 0x3fu << 16;  // 0 = interrupt (with ECFG.VS = 0)
constexpr uint64_t tcfg_en = 1u << 0, tcfg_periodic = 1u << 1;  // §7.6.2

// QEMU's constant timer runs at 100 MHz (CPUCFG word 4 CC_FREQ, CC_MUL = CC_DIV = 1): 1 ms
// ticks. TCFG.InitVal must be a multiple of 4 (§7.6.2).
constexpr uint64_t tick_interval = 100'000;
static_assert(tick_interval % 4 == 0);

template <unsigned csr>
uint64_t csr_read() {
  uint64_t value;
  asm volatile("csrrd %0, %1" : "=r"(value) : "i"(csr));
  return value;
}

template <unsigned csr>
void csr_write(uint64_t value) {
  asm volatile("csrwr %0, %1" : "+r"(value) : "i"(csr) : "memory");
}

// Writes `value` into the bits of `mask` and returns the old CSR value (CSRXCHG).
template <unsigned csr>
uint64_t csr_exchange(uint64_t value, uint64_t mask) {
  asm volatile("csrxchg %0, %1, %2" : "+r"(value) : "r"(mask), "i"(csr) : "memory");
  return value;
}

template <typename T>
volatile T& mmio(uintptr_t addr) {
  return *reinterpret_cast<volatile T*>(addr);
}

void put_hex(const char* label, uint64_t value) {
  for (; *label; ++label) platform::console_putc(*label);
  for (int shift = 60; shift >= 0; shift -= 4)
    platform::console_putc("0123456789abcdef"[(value >> shift) & 0xf]);
  platform::console_putc('\n');
}

// Without firmware nobody has assigned pvpanic-pci a BAR: place BAR0 at the start of the PCI
// memory window through ECAM, enable memory decoding, then report the panic (PVPANIC_PANICKED).
void pvpanic() {
  const uintptr_t config = pcie_ecam + (pvpanic_slot << 15);
  mmio<uint32_t>(config + 0x10) = pcie_mmio;  // BAR0
  mmio<uint16_t>(config + 0x04) = 1u << 1;    // Command: Memory Space Enable
  mmio<uint8_t>(io_window + pcie_mmio) = 1;
}

}  // namespace

// Entry points from boot.S.
extern "C" void (*volatile loongarch_cpu_entry[platform::cpu_count])(unsigned);

extern "C" void loongarch_trap(uint64_t estat) {
  if ((estat & estat_ecode) == 0 && (estat & irq_timer)) {
    csr_write<csr_ticlr>(1);  // TICLR.CLR acknowledges the timer interrupt (§7.6.5)
    percpu_test_timer_tick();
    return;
  }
  put_hex("unexpected exception: estat=", estat);
  put_hex("  era=", csr_read<csr_era>());
  put_hex("  badv=", csr_read<csr_badv>());
  put_hex("  cpu=", csr_read<csr_cpuid>());
  platform::exit(false);
}

#if PERCPU_TEST_HIGHER_HALF
// From boot.S: a TLB refill, taken in direct address translation: an access outside the windows.
extern "C" [[noreturn]] void loongarch_tlb_refill(uint64_t address, uint64_t era) {
  put_hex("access outside the direct mapping windows: address=", address);
  put_hex("  tlbrera=", era);
  put_hex("  cpu=", csr_read<csr_cpuid>());
  platform::exit(false);
}
#endif

namespace platform {

void console_putc(char c) { ns16550_putc(uart_base, c); }

void exit(bool pass) {
  if (pass) {
    // ACPI sleep control: SLP_EN | SLP_TYP=5 (S5, soft off); QEMU then exits with status 0.
    mmio<uint8_t>(ged_sleep_ctl) = (1u << 5) | (5u << 2);
  } else {
    // With -action panic=exit-failure, QEMU exits with status 1.
    pvpanic();
  }
  for (;;) asm volatile("idle 0");
}

void start_cpu(unsigned cpu, void (*entry)(unsigned cpu)) {
  // Release: everything CPU 0 wrote before (cleared .bss included) is visible to the new CPU.
  __atomic_store_n(&loongarch_cpu_entry[cpu], entry, __ATOMIC_RELEASE);
}

void timer_start() {
  csr_write<csr_tcfg>(tick_interval | tcfg_periodic | tcfg_en);
  csr_exchange<csr_ecfg>(irq_timer, irq_timer);
  csr_exchange<csr_crmd>(crmd_ie, crmd_ie);
}

void timer_stop() {
  csr_exchange<csr_crmd>(0, crmd_ie);
  csr_exchange<csr_ecfg>(0, irq_timer);
  csr_write<csr_tcfg>(0);
  csr_write<csr_ticlr>(1);
}

void interrupts_enable() { csr_exchange<csr_crmd>(crmd_ie, crmd_ie); }

void interrupts_disable() { csr_exchange<csr_crmd>(0, crmd_ie); }

// LoongArch has no spin-wait hint instruction; the barrier keeps the caller's loop re-reading
// memory.
void cpu_relax() { asm volatile("" ::: "memory"); }

}  // namespace platform
