// SPDX-License-Identifier: MIT OR Apache-2.0
// platform.hpp's user mode for x86_64: a GDT with ring-3 segments and one TSS per CPU (RSP0,
// the stack of traps from ring 3; IST1, the NMI stack), the int $0x80 gate, CR4.FSGSBASE for
// the user program's wrgsbase, and the system-call dispatch. CPU 0 also sends NMIs to the other
// CPUs while they run user code: their paranoid entry (user.S) must find the kernel's GS base
// wherever they were interrupted.
#include <percpu.hpp>

#include "console.hpp"
#include "platform.hpp"

// From user.S.
extern "C" void x86_syscall_entry();
extern "C" void x86_nmi_entry();
extern "C" uint64_t x86_enter_user(uintptr_t user_register, unsigned cpu, uintptr_t user_rsp,
                                   uintptr_t* resume_rsp, void* tss);
// From platform.cpp.
void x86_set_gate(uint8_t vector, void (*handler)(), unsigned privilege, uint8_t ist);

namespace {

constexpr uint8_t syscall_vector = 0x80, nmi_vector = 2;
constexpr uint64_t sys_exit = 0;
constexpr uint64_t cr4_fsgsbase = 1u << 16;
// Local APIC: ID, and the ICR with "all excluding self", level assert, delivery mode NMI (SDM
// Vol. 3A, "Interrupt Command Register (ICR)").
constexpr uintptr_t apic_id = 0xfee0'0020, apic_icr_low = 0xfee0'0300;
constexpr uint32_t icr_nmi_all_but_self = 3u << 18 | 1u << 14 | 4u << 8;
constexpr uint64_t nmi_period = 256;  // CPU 0's system calls between two NMIs

// The 64-bit TSS (SDM Vol. 3A, "Task Management in 64-bit Mode"): RSP0 and IST1.
struct [[gnu::packed]] task_state {
  uint32_t reserved0;
  uint64_t rsp[3];
  uint64_t reserved1;
  uint64_t ist[7];
  uint64_t reserved2;
  uint16_t reserved3, io_map_base;
};
static_assert(sizeof(task_state) == 104);

task_state tss[platform::cpu_count];
alignas(16) uint8_t nmi_stacks[platform::cpu_count][4096];
uint32_t apic_id_of_cpu[platform::cpu_count];

volatile uint32_t& apic_register(uintptr_t address) {
  return *reinterpret_cast<volatile uint32_t*>(address);
}

// boot.S's four descriptors (the selectors every CPU runs with stay valid), the ring-3 data and
// 64-bit code segments (DPL 3) at 0x20 and 0x28 (user.S USER_DS, USER_CS), then one 16-byte TSS
// descriptor per CPU from 0x30. Accessed bits preset, as in boot.S.
constexpr unsigned tss_selector_base = 0x30;
uint64_t gdt[6 + 2 * platform::cpu_count] = {
    0,
    0x00cf9b000000ffff,  // 0x08 CODE32
    0x00cf93000000ffff,  // 0x10 DATA
    0x00af9b000000ffff,  // 0x18 CODE64
    0x00cff3000000ffff,  // 0x20 user data: DPL 3
    0x00affb000000ffff,  // 0x28 user code: L=1, DPL 3
};

struct [[gnu::packed]] table_pointer {
  uint16_t limit;
  const void* base;
};

// What user.S's system-call entry pushed, from the last push up.
struct user_frame {
  uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax;
};

PERCPU_DEFINE(unsigned, user_cpu, 0);     // this CPU's number, for its TSS
PERCPU_DEFINE(uintptr_t, resume_rsp, 0);  // where the exit call returns to the kernel
PERCPU_DEFINE(uint64_t, nmis_taken, 0);

}  // namespace

// Called by user.S's system-call entry with the kernel's GS base in place. Returns 0 to go back
// to the program, or, for the exit call, the stack that x86_enter_user saved.
extern "C" uintptr_t x86_user_syscall(user_frame* frame) {
  if (user_cpu.read_current_raw() == 0 && frame->rdi % nmi_period == 0) {
    apic_register(apic_icr_low) = icr_nmi_all_but_self;
  }
  if (frame->rax == sys_exit) return resume_rsp.read_current();
  const syscall_result result = percpu_test_syscall(frame->rax, frame->rdi, frame->rsi);
  frame->rax = result.value;
  frame->rdx = result.done;
  return 0;
}

// Called by user.S's NMI entry with the kernel's GS base in place: counts the NMI in this CPU's
// area, which must be the one of the CPU the APIC says this is.
extern "C" void x86_nmi() {
  nmis_taken.inc_current();
  if (apic_id_of_cpu[user_cpu.read_current_raw()] != apic_register(apic_id) >> 24) {
    console::print("NMI: GS_BASE names another CPU's area\n");
    platform::exit(false);
  }
}

namespace platform {

void user_mode_setup(unsigned cpu) {
  uint32_t eax = 7, ebx, ecx = 0, edx;
  asm volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
  if (!(ebx & 1)) {  // CPUID.(EAX=7,ECX=0):EBX.FSGSBASE[bit 0]
    console::print("no FSGSBASE: run QEMU with -cpu max\n");
    exit(false);
  }
  uint64_t cr4;
  asm volatile("mov %%cr4, %0" : "=r"(cr4));
  asm volatile("mov %0, %%cr4" ::"r"(cr4 | cr4_fsgsbase));
  user_cpu.write_current(cpu);
  apic_id_of_cpu[cpu] = apic_register(apic_id) >> 24;
  // IST1: the NMI stack, with this CPU's GS_BASE value in the word above its top, where the
  // paranoid entry finds it without %gs (16-byte aligned, as the processor aligns it anyway).
  const auto nmi_top = reinterpret_cast<uintptr_t>(nmi_stacks[cpu] + sizeof nmi_stacks[cpu]) - 16;
  *reinterpret_cast<uintptr_t*>(nmi_top) = percpu::read_percpu_reg_raw();
  tss[cpu].ist[0] = nmi_top;
  // This CPU's TSS descriptor (SDM Vol. 3A, "TSS Descriptor in 64-bit mode"): limit 103, type
  // 0x89 (present, available 64-bit TSS), base split over both words.
  const auto base = reinterpret_cast<uintptr_t>(&tss[cpu]);
  tss[cpu].io_map_base = sizeof(task_state);  // no I/O permission map
  const unsigned slot = tss_selector_base / 8 + 2 * cpu;
  gdt[slot] = (sizeof(task_state) - 1) | (base & 0xff'ffff) << 16 | uint64_t{0x89} << 40 |
              (base >> 24 & 0xff) << 56;
  gdt[slot + 1] = base >> 32;
  const table_pointer gdtr{sizeof(gdt) - 1, gdt};
  asm volatile("lgdt %0" ::"m"(gdtr) : "memory");
  asm volatile("ltr %w0" ::"r"(tss_selector_base + 16 * cpu) : "memory");
  if (cpu == 0) {
    x86_set_gate(syscall_vector, x86_syscall_entry, 3, 0);
    x86_set_gate(nmi_vector, x86_nmi_entry, 0, 1);
  }
}

uint64_t run_user_program(uintptr_t user_register, unsigned cpu, uintptr_t user_stack_top) {
  const uint64_t result =
      x86_enter_user(user_register, cpu, user_stack_top, resume_rsp.current_ptr(), &tss[cpu]);
  if (cpu != 0 && nmis_taken.read_current() == 0) {
    console::print("no NMI from CPU 0 while in user mode\n");
    exit(false);
  }
  return result;
}

}  // namespace platform
