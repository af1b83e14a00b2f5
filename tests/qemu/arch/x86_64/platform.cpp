// SPDX-License-Identifier: MIT OR Apache-2.0
// platform.hpp for x86_64 on QEMU q35: COM1 serial, isa-debug-exit for the exit status, the local
// APIC (xAPIC) for the timer and for starting CPUs, the HPET as the clock for delays.
#include "platform.hpp"

// From boot.S.
extern "C" void x86_timer_entry();
extern "C" void x86_spurious_entry();
extern "C" void (*const x86_exception_entries[32])();

namespace {

constexpr uint16_t com1 = 0x3f8;
constexpr uint16_t debug_exit = 0xf4;  // run.sh: -device isa-debug-exit,iobase=0xf4
// QEMU exits with status (value << 1) | 1: 33 for pass, 3 for fail.
constexpr uint8_t exit_pass = 0x10, exit_fail = 0x01;
constexpr uint16_t pic_master_data = 0x21, pic_slave_data = 0xa1;

constexpr uintptr_t ap_trampoline = 0x8000;  // boot.S AP_TRAMPOLINE
constexpr uintptr_t lapic = 0xfee0'0000;     // the xAPIC's default base (IA32_APIC_BASE)
constexpr uintptr_t hpet = 0xfed0'0000;      // where QEMU q35 places the HPET

// Local APIC registers (SDM Vol. 3A, "Local APIC Register Address Map").
constexpr uintptr_t apic_id = 0x20, apic_tpr = 0x80, apic_eoi = 0xb0, apic_svr = 0xf0,
                    apic_icr_low = 0x300, apic_lvt_timer = 0x320, apic_timer_initial = 0x380,
                    apic_timer_current = 0x390, apic_timer_divide = 0x3e0;
constexpr uint32_t svr_apic_enable = 1u << 8;
constexpr uint32_t lvt_masked = 1u << 16, lvt_periodic = 1u << 17;
constexpr uint32_t timer_divide_by_1 = 0b1011;
// ICR: destination shorthand "all excluding self", level assert, delivery mode, send pending
// (SDM Vol. 3A, "Interrupt Command Register (ICR)").
constexpr uint32_t icr_all_but_self = 3u << 18, icr_assert = 1u << 14, icr_pending = 1u << 12;
constexpr uint32_t icr_init = 5u << 8, icr_startup = 6u << 8;

// HPET registers (IA-PC HPET specification 1.0a, 2.3): the counter period in femtoseconds sits
// in the top half of the capabilities register; ENABLE_CNF starts the main counter.
constexpr uintptr_t hpet_capabilities = 0x0, hpet_config = 0x10, hpet_counter = 0xf0;
constexpr uint64_t hpet_enable_cnf = 1;

constexpr uint8_t timer_vector = 0x20;     // the first vector above the exceptions
constexpr uint8_t spurious_vector = 0xff;  // low four bits set, as older APICs require

uint64_t hpet_ticks_per_us;
uint32_t apic_ticks_per_ms;
unsigned cpus_online = 1;  // CPU 0
void (*ap_entry[platform::cpu_count])(unsigned);

// A 64-bit interrupt gate (SDM Vol. 3A, "64-Bit Mode IDT").
struct idt_gate {
  uint16_t offset_low, selector;
  uint8_t ist, type;
  uint16_t offset_mid;
  uint32_t offset_high, reserved;
};
static_assert(sizeof(idt_gate) == 16);
idt_gate idt[256];

struct [[gnu::packed]] table_pointer {
  uint16_t limit;
  const void* base;
};

// What boot.S's exception stubs leave on the stack: their two pushes, then the processor's frame.
struct exception_frame {
  uint64_t vector, error, rip, cs, rflags, rsp, ss;
};

template <typename T>
volatile T& mmio(uintptr_t addr) {
  return *reinterpret_cast<volatile T*>(addr);
}

volatile uint32_t& apic(uintptr_t reg) { return mmio<uint32_t>(lapic + reg); }

void outb(uint16_t port, uint8_t value) { asm volatile("outb %0, %1" ::"a"(value), "Nd"(port)); }

uint8_t inb(uint16_t port) {
  uint8_t value;
  asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}

void put_hex(const char* label, uint64_t value) {
  for (; *label; ++label) platform::console_putc(*label);
  for (int shift = 60; shift >= 0; shift -= 4)
    platform::console_putc("0123456789abcdef"[(value >> shift) & 0xf]);
  platform::console_putc('\n');
}

uint64_t microseconds() { return mmio<uint64_t>(hpet + hpet_counter) / hpet_ticks_per_us; }

void delay_us(uint64_t us) {
  const uint64_t start = microseconds();
  while (microseconds() - start < us) platform::cpu_relax();
}

void send_ipi(uint32_t icr) {
  apic(apic_icr_low) = icr;
  while (apic(apic_icr_low) & icr_pending) platform::cpu_relax();
}

// What every CPU does before it runs test code: load the shared IDT, switch its local APIC on.
void cpu_setup() {
  const table_pointer idtr{sizeof(idt) - 1, idt};
  asm volatile("lidt %0" ::"m"(idtr));
  apic(apic_tpr) = 0;  // accept every priority class
  apic(apic_svr) = svr_apic_enable | spurious_vector;
}

// The APIC timer counts at the bus clock, which no register reports: measure it against the HPET.
void calibrate_apic_timer() {
  constexpr uint32_t calibration_ms = 10;
  apic(apic_timer_divide) = timer_divide_by_1;
  apic(apic_lvt_timer) = lvt_masked;
  apic(apic_timer_initial) = ~0u;
  delay_us(calibration_ms * 1000);
  apic_ticks_per_ms = (~0u - apic(apic_timer_current)) / calibration_ms;
  apic(apic_timer_initial) = 0;
}

// SDM Vol. 3A, "Typical BSP Initialization Sequence": INIT, 10 ms, SIPI, 200 us, SIPI, each
// broadcast to all APs. An AP ignores a SIPI once it runs, so none starts twice. The APs come up
// now and wait in x86_ap_main for start_cpu.
void start_application_processors() {
  send_ipi(icr_all_but_self | icr_assert | icr_init);
  delay_us(10'000);
  for (int i = 0; i < 2; ++i) {
    send_ipi(icr_all_but_self | icr_assert | icr_startup | (ap_trampoline >> 12));
    delay_us(200);
  }
  const uint64_t start = microseconds();
  while (__atomic_load_n(&cpus_online, __ATOMIC_ACQUIRE) < platform::cpu_count) {
    if (microseconds() - start > 1'000'000) {
      put_hex("CPUs online after 1 s (QEMU needs -smp 4): ", cpus_online);
      platform::exit(false);
    }
    platform::cpu_relax();
  }
}

}  // namespace

// Also user.cpp's, for its system-call gate.
void x86_set_gate(uint8_t vector, void (*handler)(), unsigned privilege, uint8_t ist) {
  const auto address = reinterpret_cast<uintptr_t>(handler);
  uint16_t code_selector;
  asm("mov %%cs, %0" : "=r"(code_selector));
  // Type 0x8e: present, 64-bit interrupt gate (clears IF on entry); DPL `privilege`, the least
  // privileged ring int $vector may come from; `ist`: 0, or the TSS's IST stack to switch to.
  idt[vector] = {static_cast<uint16_t>(address),
                 code_selector,
                 ist,
                 static_cast<uint8_t>(0x8e | privilege << 5),
                 static_cast<uint16_t>(address >> 16),
                 static_cast<uint32_t>(address >> 32),
                 0};
}

extern "C" [[noreturn]] void x86_bsp_main() {
  // The firmware leaves the 8259 PICs delivering (the PIT on IRQ 0) at vectors 8-15, which are
  // exception vectors in protected mode: mask every line.
  outb(pic_master_data, 0xff);
  outb(pic_slave_data, 0xff);
  hpet_ticks_per_us = 1'000'000'000 / (mmio<uint64_t>(hpet + hpet_capabilities) >> 32);
  mmio<uint64_t>(hpet + hpet_config) = mmio<uint64_t>(hpet + hpet_config) | hpet_enable_cnf;
  for (uint8_t vector = 0; vector < 32; ++vector)
    x86_set_gate(vector, x86_exception_entries[vector], 0, 0);
  x86_set_gate(timer_vector, x86_timer_entry, 0, 0);
  x86_set_gate(spurious_vector, x86_spurious_entry, 0, 0);
  cpu_setup();
  calibrate_apic_timer();
  start_application_processors();
  kernel_main();
}

extern "C" void x86_ap_main(unsigned cpu) {
  cpu_setup();
  __atomic_fetch_add(&cpus_online, 1, __ATOMIC_RELEASE);
  void (*entry)(unsigned);
  while (!(entry = __atomic_load_n(&ap_entry[cpu], __ATOMIC_ACQUIRE))) platform::cpu_relax();
  entry(cpu);
}

// The end of interrupt goes first: the tick may switch to another task (the scheduler test),
// and the APIC delivers no further timer interrupt to this CPU until it has it. Interrupts stay
// disabled until iretq, so the next one waits for that anyway.
extern "C" void x86_timer_interrupt() {
  apic(apic_eoi) = 0;
  percpu_test_timer_tick();
}

extern "C" [[noreturn]] void x86_exception(const exception_frame* frame) {
  uint64_t cr2;  // the faulting address of a page fault
  asm volatile("mov %%cr2, %0" : "=r"(cr2));
  put_hex("unexpected exception: vector=", frame->vector);
  put_hex("  error=", frame->error);
  put_hex("  rip=", frame->rip);
  put_hex("  rsp=", frame->rsp);
  put_hex("  cr2=", cr2);
  put_hex("  apic id=", apic(apic_id) >> 24);
  platform::exit(false);
}

namespace platform {

void console_putc(char c) {
  constexpr uint8_t lsr_thr_empty = 1u << 5;
  while (!(inb(com1 + 5) & lsr_thr_empty)) cpu_relax();
  outb(com1, static_cast<uint8_t>(c));
}

void exit(bool pass) {
  outb(debug_exit, pass ? exit_pass : exit_fail);
  for (;;) asm volatile("cli; hlt");
}

void start_cpu(unsigned cpu, void (*entry)(unsigned cpu)) {
  // Release: everything CPU 0 wrote before is visible to the CPU once it sees its entry.
  __atomic_store_n(&ap_entry[cpu], entry, __ATOMIC_RELEASE);
}

void timer_start() {
  apic(apic_timer_divide) = timer_divide_by_1;
  apic(apic_lvt_timer) = lvt_periodic | timer_vector;
  apic(apic_timer_initial) = apic_ticks_per_ms;
  asm volatile("sti" ::: "memory");
}

void timer_stop() {
  asm volatile("cli" ::: "memory");
  apic(apic_lvt_timer) = lvt_masked;
  apic(apic_timer_initial) = 0;  // stops the count in either mode
}

void cpu_relax() { asm volatile("pause" ::: "memory"); }

void interrupts_enable() { asm volatile("sti" ::: "memory"); }

void interrupts_disable() { asm volatile("cli" ::: "memory"); }

}  // namespace platform
