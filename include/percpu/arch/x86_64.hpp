// SPDX-License-Identifier: MIT OR Apache-2.0
// x86_64 backend. GS_BASE holds (area base - template address), so a %gs-prefixed access to a
// variable's template address reaches this CPU's copy in one instruction.
#pragma once

#include "../detail/asm.hpp"
#include "../detail/rmw.hpp"
#include "../detail/section.hpp"

namespace percpu::detail {

/// This CPU's GS_BASE value, kept in its own area: reading GS_BASE back would need rdmsr (slow,
/// kernel only) or rdgsbase (not enabled on every system), while %gs:copy is one load.
/// `used`: GCC 12's link-time optimisation otherwise moves this zero-initialised inline variable
/// to .bss, dropping its section (the QEMU LTO kernels check that it stays in .percpu).
[[gnu::section(".percpu.hot.gs_base"), gnu::used]] inline constinit uintptr_t x86_gs_base_copy = 0;

// The segment-relative operand for template variable number N of the asm statement.
// With an absolute displacement where the code model allows one: the template at VMA 0 (then the
// address is the offset), or a non-PIC build in the small or kernel code model (every address
// fits a sign-extended 32 bits). %P prints the bare symbol: R_X86_64_32S, checked by the linker.
// Otherwise (PIC, PIE, other code models): RIP-relative (R_X86_64_PC32, +-2 GiB of the code).
// Both are one instruction; the absolute form is also the faster one for back-to-back updates
// of one variable on some CPUs (BENCHMARKS.md).
#if PERCPU_ZERO_VMA || \
    (!defined(__PIC__) && (defined(__code_model_small__) || defined(__code_model_kernel__)))
#define PERCPU_DETAIL_GS(n) "%%gs:%P" #n
#else
#define PERCPU_DETAIL_GS(n) "%%gs:%" #n
#endif
// `mnemonic register-or-immediate, this CPU's copy`, for PERCPU_DETAIL_ASM_BY_SIZE.
#define PERCPU_DETAIL_X86_TO_COPY(mnemonic) mnemonic " %1, " PERCPU_DETAIL_GS(0)

/// Every statement below is `volatile`: its result depends on the CPU it runs on and an
/// interrupt handler on this CPU may change the copy between two accesses, so the compiler must
/// neither merge two of them nor move one across a guard. The "m" operand names the template
/// variable only to give the compiler the address (and an ordering point); the access itself
/// goes to this CPU's copy. A single instruction cannot be split by an interrupt or a migration,
/// so no access here needs the preemption guard or a lock prefix (Intel SDM Vol. 3A, "Locked
/// Atomic Operations": LOCK matters only for other processors' accesses).
struct x86_64_backend {
  static constexpr const char* name = "x86_64";
  static constexpr bool biased_register = true;
  static bool placement_ok() { return true; }
  static constexpr bool single_instruction_rmw = true;

  template <class T>
  static uintptr_t template_address(const T& var) {
    return address(&var);
  }

  static uintptr_t read_register() {
    uintptr_t raw;
    asm volatile("mov " PERCPU_DETAIL_GS(1) ", %0" : "=r"(raw) : "m"(x86_gs_base_copy));
    return raw;
  }

  static void write_register(uintptr_t raw) {
#if PERCPU_X86_LINUX_USER
    // arch_prctl(ARCH_SET_GS, raw): syscall 158, code 0x1001 (<asm/prctl.h>), spelled out so the
    // header needs no kernel headers. The syscall instruction clobbers rcx and r11.
    long result;
    asm volatile("syscall"
                 : "=a"(result)
                 : "a"(158L), "D"(0x1001L), "S"(raw)
                 : "rcx", "r11", "memory");
    PERCPU_ASSERT(result == 0, "percpu: arch_prctl(ARCH_SET_GS) failed");
#else
    // wrmsr IA32_GS_BASE (MSR 0xC0000101, SDM Vol. 4, table 2-2): edx:eax = value.
    asm volatile("wrmsr"
                 :
                 : "c"(0xC0000101u), "a"(static_cast<uint32_t>(raw)),
                   "d"(static_cast<uint32_t>(raw >> 32))
                 : "memory");
#endif
    uintptr_t& copy = x86_gs_base_copy;
    asm volatile("mov %1, " PERCPU_DETAIL_GS(0) : "=m"(copy) : "r"(raw));
  }

  template <placement, class U>
  PERCPU_DETAIL_INLINE static U load(const U& var) {
    U value;
    asm volatile("mov " PERCPU_DETAIL_GS(1) ", %0" : "=r"(value) : "m"(var));
    return value;
  }

  template <placement, class U>
  PERCPU_DETAIL_INLINE static void store(U& var, U value) {
    PERCPU_DETAIL_ASM_BY_SIZE(PERCPU_DETAIL_X86_TO_COPY, "movb", "movw", "movl", "movq",
                              : "=m"(var)
                              : "er"(value))
  }

  /// this CPU's copy = template address + GS_BASE (one lea or mov, one add from %gs).
  template <placement, class T>
  PERCPU_DETAIL_INLINE static T* this_cpu_ptr(const T& var) {
    uintptr_t pointer = address(&var);
    asm volatile("add " PERCPU_DETAIL_GS(1) ", %0" : "+r"(pointer) : "m"(x86_gs_base_copy));
    return reinterpret_cast<T*>(pointer);
  }

  template <rmw_op Op, placement, class U>
  PERCPU_DETAIL_INLINE static U rmw(U& var, U operand) {
    if constexpr (Op == rmw_op::add) {
      PERCPU_DETAIL_ASM_BY_SIZE(PERCPU_DETAIL_X86_TO_COPY, "addb", "addw", "addl", "addq",
                                : "+m"(var)
                                : "er"(operand))
    } else if constexpr (Op == rmw_op::bit_and) {
      PERCPU_DETAIL_ASM_BY_SIZE(PERCPU_DETAIL_X86_TO_COPY, "andb", "andw", "andl", "andq",
                                : "+m"(var)
                                : "er"(operand))
    } else if constexpr (Op == rmw_op::bit_or) {
      PERCPU_DETAIL_ASM_BY_SIZE(PERCPU_DETAIL_X86_TO_COPY, "orb", "orw", "orl", "orq",
                                : "+m"(var)
                                : "er"(operand))
    } else if constexpr (Op == rmw_op::bit_xor) {
      PERCPU_DETAIL_ASM_BY_SIZE(PERCPU_DETAIL_X86_TO_COPY, "xorb", "xorw", "xorl", "xorq",
                                : "+m"(var)
                                : "er"(operand))
    } else if constexpr (Op == rmw_op::fetch_add) {
      asm volatile("xadd %0, " PERCPU_DETAIL_GS(1) : "+r"(operand), "+m"(var));
    } else {
      // xchg with a memory operand is locked implicitly (SDM Vol. 2, XCHG); still one
      // instruction, as interrupt safety requires.
      static_assert(Op == rmw_op::exchange);
      asm volatile("xchg %0, " PERCPU_DETAIL_GS(1) : "+r"(operand), "+m"(var));
    }
    return operand;  // the old value for fetch_add and exchange
  }

  template <placement, class U>
  PERCPU_DETAIL_INLINE static U compare_exchange(U& var, U expected, U desired) {
    asm volatile("cmpxchg %2, " PERCPU_DETAIL_GS(1) : "+a"(expected), "+m"(var) : "r"(desired));
    return expected;  // cmpxchg leaves the value it saw in the accumulator
  }
};

using backend = x86_64_backend;

}  // namespace percpu::detail
