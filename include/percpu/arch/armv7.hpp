// SPDX-License-Identifier: MIT OR Apache-2.0
// armv7-a backend: TPIDRPRW (CP15 c13, c0, 4; PL1 only) holds (area base - template address).
// User space keeps TPIDRURO/TPIDRURW for its TLS.
#pragma once

#include "../detail/register_backend.hpp"

// Two sequences. Generally: mrc, then movw/movt of the template address (R_ARM_MOVW_ABS_NC /
// R_ARM_MOVT_ABS: any 32-bit address, so either placement, in ARM or Thumb-2 code), then a
// register-offset access. Hot 1 and 4-byte variables with the template at VMA 0, in ARM state,
// with PERCPU_ARM_ABS12: mrc, then the access's imm12 field takes the offset through an explicit
// R_ARM_ABS12 (overflow-checked by the linker: hot offsets must stay below 4 KiB). ldrh/strh
// have only an 8-bit split immediate and keep the general sequence. 8-byte values go through
// the portable path (ldrd/strd need an even register pair in ARM state).
#define PERCPU_DETAIL_ARM_MRC "mrc p15, 0, %[base], c13, c0, 4\n\t"
#define PERCPU_DETAIL_ARM_ADDRESS \
  PERCPU_DETAIL_ARM_MRC "movw %[off], #:lower16:%c[sym]\n\tmovt %[off], #:upper16:%c[sym]\n\t"
#define PERCPU_DETAIL_ARM_HOT PERCPU_DETAIL_ARM_MRC ".reloc ., R_ARM_ABS12, %c[sym]\n\t"

namespace percpu::detail {

struct armv7_arch {
  static constexpr const char* name = "armv7-a";
  static constexpr bool subword_atomics = true;  // ldrexb/ldrexh
  static constexpr bool offset_from_low_bits = false;
  template <class U>
  static constexpr bool fast_width = sizeof(U) <= 4;
#if PERCPU_ARM_ABS12 && !defined(__thumb__)
  template <addressing Mode, class U>
  static constexpr bool immediate_offset = Mode == addressing::hot_immediate && sizeof(U) != 2;
#else
  template <addressing Mode, class U>
  static constexpr bool immediate_offset = false;
#endif

  // Volatile: the register differs per CPU, so a read must not be merged with one from before
  // a migration, nor hoisted out of a guarded region.
  static uintptr_t read_register() {
    uintptr_t raw;
    asm volatile("mrc p15, 0, %0, c13, c0, 4" : "=r"(raw));
    return raw;
  }
  static void write_register(uintptr_t raw) {
    asm volatile("mcr p15, 0, %0, c13, c0, 4" : : "r"(raw) : "memory");
  }

  // The "memory" clobber orders the access against other memory accesses, since the compiler
  // cannot see which copy it touches.
  template <addressing Mode, class U>
  PERCPU_DETAIL_INLINE static U load(const U& var) {
    U value;
    uintptr_t base, offset;
    if constexpr (immediate_offset<Mode, U>) {
      PERCPU_DETAIL_ASM_BY_SIZE(PERCPU_DETAIL_ARM_HOT, "ldrb", "ldrh", "ldr", "ldr",
                                "%[value], [%[base], #0]",
                                : [value] "=r"(value), [base] "=&r"(base), [off] "=&r"(offset)
                                : [sym] "i"(&var)
                                : "memory")
    } else {
      PERCPU_DETAIL_ASM_BY_SIZE(PERCPU_DETAIL_ARM_ADDRESS, "ldrb", "ldrh", "ldr", "ldr",
                                "%[value], [%[base], %[off]]",
                                : [value] "=r"(value), [base] "=&r"(base), [off] "=&r"(offset)
                                : [sym] "i"(&var)
                                : "memory")
    }
    return value;
  }

  template <addressing Mode, class U>
  PERCPU_DETAIL_INLINE static void store(U& var, U value) {
    uintptr_t base, offset;
    if constexpr (immediate_offset<Mode, U>) {
      PERCPU_DETAIL_ASM_BY_SIZE(PERCPU_DETAIL_ARM_HOT, "strb", "strh", "str", "str",
                                "%[value], [%[base], #0]",
                                : [base] "=&r"(base), [off] "=&r"(offset)
                                : [value] "r"(value), [sym] "i"(&var)
                                : "memory")
    } else {
      PERCPU_DETAIL_ASM_BY_SIZE(PERCPU_DETAIL_ARM_ADDRESS, "strb", "strh", "str", "str",
                                "%[value], [%[base], %[off]]",
                                : [base] "=&r"(base), [off] "=&r"(offset)
                                : [value] "r"(value), [sym] "i"(&var)
                                : "memory")
    }
  }

  /// The template's address from absolute relocations (R_ARM_MOVW_ABS_NC/MOVT_ABS: any 32-bit
  /// address). Not volatile: a link-time constant.
  template <class T>
  PERCPU_DETAIL_INLINE static uintptr_t absolute_address(const T& var) {
    uintptr_t result;
    asm("movw %0, #:lower16:%c1\n\tmovt %0, #:upper16:%c1" : "=r"(result) : "i"(&var));
    return result;
  }

  template <addressing, class T>
  PERCPU_DETAIL_INLINE static uintptr_t pointer(const T& var) {
    uintptr_t base, offset;
    asm volatile(PERCPU_DETAIL_ARM_ADDRESS "add %[base], %[base], %[off]"
                 : [base] "=&r"(base), [off] "=&r"(offset)
                 : [sym] "i"(&var));
    return base;
  }
};

using backend = register_backend<armv7_arch>;

}  // namespace percpu::detail
