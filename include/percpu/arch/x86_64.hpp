// SPDX-License-Identifier: MIT OR Apache-2.0
// x86_64 backend. GS_BASE holds (area base - image address), so a %gs-prefixed access to a
// variable's image address reaches this CPU's copy in one instruction.
#pragma once

#include "../detail/asm.hpp"
#include "../detail/baseless.hpp"
#include "../detail/rmw.hpp"
#include "../detail/section.hpp"

// This CPU's GS_BASE value, kept in its own area in the word the linker fragment reserves at the
// front of .percpu: reading GS_BASE back would need rdmsr (slow, kernel only) or rdgsbase (not
// enabled on every system), while %gs:copy is one load.
PERCPU_DETAIL_LINKER_SYMBOL(_percpu_register_copy);

namespace percpu::detail {

/// The image's register-copy word, as the operand that names its address in asm.
inline uintptr_t& x86_gs_base_copy() {
  return *reinterpret_cast<uintptr_t*>(_percpu_register_copy);
}

// The segment-relative operand `%[copy]` that names this CPU's copy of a variable, in the form
// PERCPU_X86_ADDRESSING chooses (config.hpp; BENCHMARKS.md, "Addressing forms", measured which
// CPUs run back-to-back updates of one variable slowly in which form).
// 0, absolute where the code model allows one: the image at VMA 0 (then the address is the
// offset), or a non-PIC build in the small or kernel code model (every address fits a
// sign-extended 32 bits): R_X86_64_32S, checked by the linker. GCC prints the bare symbol of a
// memory operand with %P; Clang ignores %P there (it prints var(%rip)), so with Clang the address
// comes as an "ri" operand printed with %a: the bare symbol, or (%reg) for an address known only
// at run time. Otherwise (PIC, PIE, other code models) RIP-relative, as with 1.
// 1, RIP-relative: the memory operand as the compiler prints it, var(%rip) (R_X86_64_PC32,
// +-2 GiB of the code: with the image at VMA 0 and a kernel linked in the top 2 GiB, the
// linker reports the overflow).
// 2, register: the address in a register, %gs:(%reg), which the compiler loads with one more
// instruction per access site unless it can hoist it.
// The operand lists: READS(var) for an input, WRITTEN(var) / UPDATED(var) for an output plus
// ADDRESS(var) at the end of the inputs (ADDRESS_ONLY(var) where there is no other input). With
// an address operand the memory operand stays, not printed, so that the compiler still orders the
// access against others to the image.
#if PERCPU_X86_ADDRESSING == 2
#define PERCPU_DETAIL_GS "%%gs:(%[copy])"
#define PERCPU_DETAIL_X86_ADDRESS_CONSTRAINT "r"
#elif PERCPU_X86_ADDRESSING == 1
#define PERCPU_DETAIL_GS "%%gs:%[copy]"
#define PERCPU_DETAIL_X86_RIP_RELATIVE 1
#elif PERCPU_X86_ADDRESSING != 0
#error "percpu: PERCPU_X86_ADDRESSING: 0 (absolute where possible), 1 (RIP-relative), 2 (register)"
#elif PERCPU_ZERO_VMA || \
    (!defined(__PIC__) && (defined(__code_model_small__) || defined(__code_model_kernel__)))
#ifdef __clang__
#define PERCPU_DETAIL_GS "%%gs:%a[copy]"
#define PERCPU_DETAIL_X86_ADDRESS_CONSTRAINT "ri"
#else
#define PERCPU_DETAIL_GS "%%gs:%P[copy]"
#endif
#else
#define PERCPU_DETAIL_GS "%%gs:%[copy]"
#define PERCPU_DETAIL_X86_RIP_RELATIVE 1
#endif
#ifdef PERCPU_DETAIL_X86_ADDRESS_CONSTRAINT
#define PERCPU_DETAIL_X86_READS(var) [copy] PERCPU_DETAIL_X86_ADDRESS_CONSTRAINT(&(var)), "m"(var)
#define PERCPU_DETAIL_X86_WRITTEN(var) "=m"(var)
#define PERCPU_DETAIL_X86_UPDATED(var) "+m"(var)
#define PERCPU_DETAIL_X86_ADDRESS_ONLY(var) [copy] PERCPU_DETAIL_X86_ADDRESS_CONSTRAINT(&(var))
#define PERCPU_DETAIL_X86_ADDRESS(var) , PERCPU_DETAIL_X86_ADDRESS_ONLY(var)
#else
#define PERCPU_DETAIL_X86_READS(var) [copy] "m"(var)
#define PERCPU_DETAIL_X86_WRITTEN(var) [copy] "=m"(var)
#define PERCPU_DETAIL_X86_UPDATED(var) [copy] "+m"(var)
#define PERCPU_DETAIL_X86_ADDRESS(var)
#define PERCPU_DETAIL_X86_ADDRESS_ONLY(var)
#endif
// `mnemonic register-or-immediate, this CPU's copy`, for PERCPU_DETAIL_ASM_BY_SIZE.
#define PERCPU_DETAIL_X86_TO_COPY(mnemonic) mnemonic " %[operand], " PERCPU_DETAIL_GS

/// Every statement below is `volatile`: its result depends on the CPU it runs on and an
/// interrupt handler on this CPU may change the copy between two accesses, so the compiler must
/// neither merge two of them nor move one across a guard. The operand names the image
/// variable only to give the compiler the address (and an ordering point); the access itself
/// goes to this CPU's copy. A single instruction cannot be split by an interrupt or a migration,
/// so no access here needs the preemption guard or a lock prefix (Intel SDM Vol. 3A, "Locked
/// Atomic Operations": LOCK matters only for other processors' accesses).
struct x86_64_backend : baseless<x86_64_backend> {
  static constexpr const char* name = "x86_64";
  static constexpr const char* register_name = "GS_BASE";
  /// GS_BASE holds area base - image address.
  static uintptr_t register_bias() { return image_vma(); }
  static bool placement_ok() { return true; }
  static constexpr bool single_instruction_rmw = true;
  /// Every load, store and read-modify-write of a 1/2/4/8-byte copy below is one instruction:
  /// read_current and write_current take no guard.
  static constexpr bool single_instruction_access = true;

  template <class T>
  static uintptr_t image_address(const T& var) {
    return address(&var);
  }

  static uintptr_t read_register() {
    uintptr_t raw;
    asm volatile("mov " PERCPU_DETAIL_GS ", %[raw]"
                 : [raw] "=r"(raw)
                 : PERCPU_DETAIL_X86_READS(x86_gs_base_copy()));
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
    uintptr_t& copy = x86_gs_base_copy();
    asm volatile("mov %[raw], " PERCPU_DETAIL_GS
                 : PERCPU_DETAIL_X86_WRITTEN(copy)
                 : [raw] "r"(raw)PERCPU_DETAIL_X86_ADDRESS(copy));
  }

#if PERCPU_X86_LINUX_USER
  /// Whether arch_prctl(ARCH_SET_GS) accepts the register values from `first` to `last`: Linux
  /// takes only user-space addresses (below 2^47 with 4-level paging, the smallest it runs with),
  /// so areas below the image (a GS base below 0) are out of reach.
  static bool register_reaches(uintptr_t first, uintptr_t last) {
    constexpr uintptr_t user_limit = uintptr_t{1} << 47;
    return first < user_limit && last < user_limit;
  }

  /// Called by init once the areas hold their copies: makes the image's pages read-only.
  /// A thread whose GS base was never set (0) reaches the image itself through %gs:var; its
  /// writes then fault instead of changing every CPU's initial value. The linker fragments start
  /// the image on a page and the areas on the next one, so no other data shares those pages.
  static void protect_image(uintptr_t start, size_t size) {
    // mprotect(start, size, PROT_READ): syscall 10, PROT_READ 1. Nothing to do on failure (a
    // image off a page boundary, EINVAL): the protection is a safety net, not a promise.
    long result;
    asm volatile("syscall"
                 : "=a"(result)
                 : "a"(10L), "D"(start), "S"(size), "d"(1L)
                 : "rcx", "r11", "memory");
    static_cast<void>(result);
  }
#endif

  /// Clang, where the copy is addressed RIP-relative anyway: the plain load and store are
  /// volatile accesses through a __seg_gs pointer, which the compiler emits itself, one
  /// instruction as the asm is, and can fold into an ALU operand (`sub %gs:var(%rip), %rax`:
  /// a timer tick's 11 instructions become 9, Linux's with named address spaces). Volatile
  /// keeps each one: never merged, dropped or moved across a guard's barrier. Elsewhere Clang
  /// would not give the absolute or register form that PERCPU_X86_ADDRESSING asks for (it
  /// addresses globals RIP-relative), and GCC 12 has named address spaces in C only.
#if defined(__clang__) && defined(__SEG_GS) && defined(PERCPU_DETAIL_X86_RIP_RELATIVE)
  template <placement, class U>
  PERCPU_DETAIL_INLINE static U load(const U& var, base_t = {}) {
    return *reinterpret_cast<const volatile U __seg_gs*>(address(&var));
  }

  template <placement, class U>
  PERCPU_DETAIL_INLINE static void store(U& var, U value, base_t = {}) {
    *reinterpret_cast<volatile U __seg_gs*>(address(&var)) = value;
  }
#else
  template <placement, class U>
  PERCPU_DETAIL_INLINE static U load(const U& var, base_t = {}) {
    U value;
    asm volatile("mov " PERCPU_DETAIL_GS ", %[value]"
                 : [value] "=r"(value)
                 : PERCPU_DETAIL_X86_READS(var));
    return value;
  }

  template <placement, class U>
  PERCPU_DETAIL_INLINE static void store(U& var, U value, base_t = {}) {
    PERCPU_DETAIL_ASM_BY_SIZE(U, PERCPU_DETAIL_X86_TO_COPY, "movb", "movw", "movl", "movq",
                              : PERCPU_DETAIL_X86_WRITTEN(var)
                              : [operand] "er"(value)PERCPU_DETAIL_X86_ADDRESS(var))
  }
#endif

  /// read_current_stable's load (variable.hpp states the contract): visible to the compiler, so
  /// that it may merge or reuse it and fold it into an instruction's operand, yet ordered
  /// against every compiler barrier and every access of the library to the variable.
  /// Clang: a plain (non-volatile) load through a __seg_gs pointer, which Clang supports in C++;
  /// it addresses the variable RIP-relative, so not with the image at VMA 0 (out of reach of a
  /// kernel linked in the top 2 GiB). GCC 12 supports named address spaces in C only: a
  /// non-volatile asm, whose "m" input makes every store to the variable and every memory clobber
  /// (a guard's barrier) invalidate an earlier result; two such reads with nothing of the kind
  /// between them are merged. Hot variables take the same path (their offset is an ordinary
  /// displacement here).
  template <placement, class U>
  PERCPU_DETAIL_INLINE static U load_stable(const U& var) {
#if defined(__clang__) && defined(__SEG_GS) && !PERCPU_ZERO_VMA
    return *reinterpret_cast<const U __seg_gs*>(address(&var));
#else
    U value;
    asm("mov " PERCPU_DETAIL_GS ", %[value]" : [value] "=r"(value) : PERCPU_DETAIL_X86_READS(var));
    return value;
#endif
  }

  /// this CPU's copy = image address + GS_BASE (one lea or mov, one add from %gs).
  template <placement, class T>
  PERCPU_DETAIL_INLINE static T* this_cpu_ptr(const T& var, base_t = {}) {
    uintptr_t pointer = address(&var);
    asm volatile("add " PERCPU_DETAIL_GS ", %[pointer]"
                 : [pointer] "+r"(pointer)
                 : PERCPU_DETAIL_X86_READS(x86_gs_base_copy()));
    return reinterpret_cast<T*>(pointer);
  }

  template <rmw_op Op, placement, class U>
  PERCPU_DETAIL_INLINE static U rmw(U& var, U operand) {
    if constexpr (Op == rmw_op::add) {
      PERCPU_DETAIL_ASM_BY_SIZE(U, PERCPU_DETAIL_X86_TO_COPY, "addb", "addw", "addl", "addq",
                                : PERCPU_DETAIL_X86_UPDATED(var)
                                : [operand] "er"(operand)PERCPU_DETAIL_X86_ADDRESS(var))
    } else if constexpr (Op == rmw_op::bit_and) {
      PERCPU_DETAIL_ASM_BY_SIZE(U, PERCPU_DETAIL_X86_TO_COPY, "andb", "andw", "andl", "andq",
                                : PERCPU_DETAIL_X86_UPDATED(var)
                                : [operand] "er"(operand)PERCPU_DETAIL_X86_ADDRESS(var))
    } else if constexpr (Op == rmw_op::bit_or) {
      PERCPU_DETAIL_ASM_BY_SIZE(U, PERCPU_DETAIL_X86_TO_COPY, "orb", "orw", "orl", "orq",
                                : PERCPU_DETAIL_X86_UPDATED(var)
                                : [operand] "er"(operand)PERCPU_DETAIL_X86_ADDRESS(var))
    } else if constexpr (Op == rmw_op::bit_xor) {
      PERCPU_DETAIL_ASM_BY_SIZE(U, PERCPU_DETAIL_X86_TO_COPY, "xorb", "xorw", "xorl", "xorq",
                                : PERCPU_DETAIL_X86_UPDATED(var)
                                : [operand] "er"(operand)PERCPU_DETAIL_X86_ADDRESS(var))
    } else if constexpr (Op == rmw_op::fetch_add) {
      asm volatile("xadd %[operand], " PERCPU_DETAIL_GS
                   : [operand] "+r"(operand), PERCPU_DETAIL_X86_UPDATED(var)
                   : PERCPU_DETAIL_X86_ADDRESS_ONLY(var));
    } else {
      // Not `xchg`: with a memory operand it is locked implicitly (SDM Vol. 2, XCHG), which
      // made it 2.2x slower than this loop on AMD Zen 5 (BENCHMARKS.md, "xchg"); Linux's
      // this_cpu_xchg does the same for that reason. Read the copy into the accumulator, then an
      // unlocked cmpxchg stores `operand` if the copy still holds it; if an interrupt changed the
      // copy in between, cmpxchg fails, leaves the value it saw in the accumulator and the loop
      // retries with it. A migration in between is harmless too: cmpxchg then compares with the
      // new CPU's copy, and what it finally returns is the old value of the copy it wrote.
      static_assert(Op == rmw_op::exchange);
      U old;
      asm volatile("mov " PERCPU_DETAIL_GS
                   ", %[old]\n"
                   "1:\tcmpxchg %[operand], " PERCPU_DETAIL_GS
                   "\n\t"
                   "jnz 1b"
                   : [old] "=&a"(old), PERCPU_DETAIL_X86_UPDATED(var)
                   : [operand] "r"(operand)PERCPU_DETAIL_X86_ADDRESS(var)
                   : "cc");
      return old;
    }
    return operand;  // the old value for fetch_add
  }

  template <placement, class U>
  PERCPU_DETAIL_INLINE static U compare_exchange(U& var, U expected, U desired) {
    if constexpr (sizeof(U) == 16) {
      // cmpxchg16b compares rdx:rax with the 16 bytes (which must be 16-byte aligned, else
      // #GP), stores rcx:rbx if equal, else loads them into rdx:rax.
      uint64_t low = static_cast<uint64_t>(expected);
      uint64_t high = static_cast<uint64_t>(expected >> 64);
      asm volatile("cmpxchg16b " PERCPU_DETAIL_GS
                   : "+a"(low), "+d"(high), PERCPU_DETAIL_X86_UPDATED(var)
                   : "b"(static_cast<uint64_t>(desired)),
                     "c"(static_cast<uint64_t>(desired >> 64)) PERCPU_DETAIL_X86_ADDRESS(var));
      return static_cast<U>(static_cast<U>(high) << 64 | low);
    } else {
      asm volatile("cmpxchg %[desired], " PERCPU_DETAIL_GS
                   : "+a"(expected), PERCPU_DETAIL_X86_UPDATED(var)
                   : [desired] "r"(desired)PERCPU_DETAIL_X86_ADDRESS(var));
      return expected;  // cmpxchg leaves the value it saw in the accumulator
    }
  }

  /// One %gs instruction is as cheap as the load, op and store it would replace.
  template <rmw_op Op, placement Place, class U>
  PERCPU_DETAIL_INLINE static void rmw_raw(U& var, U operand) {
    rmw<Op, Place>(var, operand);
  }
};

using backend = x86_64_backend;

}  // namespace percpu::detail

#undef PERCPU_DETAIL_GS
#undef PERCPU_DETAIL_X86_RIP_RELATIVE
#undef PERCPU_DETAIL_X86_READS
#undef PERCPU_DETAIL_X86_WRITTEN
#undef PERCPU_DETAIL_X86_UPDATED
#undef PERCPU_DETAIL_X86_ADDRESS_ONLY
#undef PERCPU_DETAIL_X86_ADDRESS
#undef PERCPU_DETAIL_X86_TO_COPY
#undef PERCPU_DETAIL_X86_ADDRESS_CONSTRAINT
