// SPDX-License-Identifier: MIT OR Apache-2.0
// armv7-a backend: TPIDRPRW (CP15 c13, c0, 4; PL1 only) holds (area base - template address).
// User space keeps TPIDRURO/TPIDRURW for its TLS.
#pragma once

#include "../detail/register_backend.hpp"

// Every mode uses one sequence: mrc, then movw/movt of the template address (R_ARM_MOVW_ABS_NC /
// R_ARM_MOVT_ABS: any 32-bit address, so either placement, in ARM or Thumb-2 code), then a
// register-offset access. 8-byte values go through the portable path (ldrd/strd need an even
// register pair in ARM state).
#define PERCPU_DETAIL_ARM_ADDRESS                                             \
  "mrc p15, 0, %[base], c13, c0, 4\n\tmovw %[off], #:lower16:%c[sym]\n\t" \
  "movt %[off], #:upper16:%c[sym]\n\t"

namespace percpu::detail {

struct armv7_arch {
  static constexpr const char* name = "armv7-a";
  static constexpr bool subword_atomics = true;  // ldrexb/ldrexh
  template <class U>
  static constexpr bool fast_width = sizeof(U) <= 4;

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
  template <addressing, class U>
  PERCPU_DETAIL_INLINE static U load(const U& var) {
    U value;
    uintptr_t base, offset;
    PERCPU_DETAIL_ASM_BY_SIZE(PERCPU_DETAIL_ARM_ADDRESS, "ldrb", "ldrh", "ldr", "ldr",
                              "%[value], [%[base], %[off]]",
                              : [value] "=r"(value), [base] "=&r"(base), [off] "=&r"(offset)
                              : [sym] "i"(&var)
                              : "memory")
    return value;
  }

  template <addressing, class U>
  PERCPU_DETAIL_INLINE static void store(U& var, U value) {
    uintptr_t base, offset;
    PERCPU_DETAIL_ASM_BY_SIZE(PERCPU_DETAIL_ARM_ADDRESS, "strb", "strh", "str", "str",
                              "%[value], [%[base], %[off]]",
                              : [base] "=&r"(base), [off] "=&r"(offset)
                              : [value] "r"(value), [sym] "i"(&var)
                              : "memory")
  }

  /// The template's address from absolute relocations (R_ARM_MOVW_ABS_NC/MOVT_ABS: any 32-bit address). Not volatile: a
  /// link-time constant.
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
