// SPDX-License-Identifier: MIT OR Apache-2.0
// loongarch64 backend: $r21 holds (area base - template address). The ABI reserves $r21 (the
// Linux kernel keeps its per-CPU offset there too), so compilers never allocate it.
#pragma once

#include "../detail/register_backend.hpp"

// Address-forming prefixes for each mode (see detail::addressing):
// hot_immediate: no prefix; the access's own si12 field receives the offset through an explicit
//   R_LARCH_ABS_LO12 (the assembler accepts %abs_lo12 only on ori). That relocation is not
//   overflow-checked, so the linker fragment asserts hot variables end within 2 KiB.
// absolute: lu12i.w %abs_hi20 + ori %abs_lo12 (a 32-bit offset), then an indexed access.
// pc_relative: pcalau12i %pc_hi20 + addi.d %pc_lo12 (+-2 GiB of the code), then indexed.
#define PERCPU_DETAIL_LA_HOT ".reloc ., R_LARCH_ABS_LO12, %[sym]\n\t"
#define PERCPU_DETAIL_LA_ABSOLUTE \
  "lu12i.w %[base], %%abs_hi20(%[sym])\n\tori %[base], %[base], %%abs_lo12(%[sym])\n\t"
#define PERCPU_DETAIL_LA_PC_RELATIVE \
  "pcalau12i %[base], %%pc_hi20(%[sym])\n\taddi.d %[base], %[base], %%pc_lo12(%[sym])\n\t"

// One access in the given mode: `hot` mnemonics take register + immediate, `indexed` ones
// register + register. The "memory" clobber orders it against other memory accesses, since the
// compiler cannot see which copy it touches.
#define PERCPU_DETAIL_LA_ACCESS(h8, h16, h32, h64, x8, x16, x32, x64, ...)                  \
  if constexpr (Mode == addressing::hot_immediate) {                                        \
    PERCPU_DETAIL_ASM_BY_SIZE(PERCPU_DETAIL_LA_HOT, h8, h16, h32, h64, "%[value], $r21, 0", \
                              __VA_ARGS__)                                                  \
  } else if constexpr (Mode == addressing::absolute) {                                      \
    PERCPU_DETAIL_ASM_BY_SIZE(PERCPU_DETAIL_LA_ABSOLUTE, x8, x16, x32, x64,                 \
                              "%[value], %[base], $r21", __VA_ARGS__)                       \
  } else {                                                                                  \
    PERCPU_DETAIL_ASM_BY_SIZE(PERCPU_DETAIL_LA_PC_RELATIVE, x8, x16, x32, x64,              \
                              "%[value], %[base], $r21", __VA_ARGS__)                       \
  }

namespace percpu::detail {

struct loongarch64_arch {
  static constexpr const char* name = "loongarch64";
  // LoongArch has no byte or halfword AM* instructions; Clang inlines masked LL/SC loops.
  static constexpr bool subword_atomics = true;
  static constexpr bool offset_from_low_bits = false;
  template <class U>
  static constexpr bool fast_width = true;

  // Volatile: $r21 differs per CPU, so a read must not be merged with one from before a
  // migration, nor hoisted out of a guarded region.
  static uintptr_t read_register() {
    uintptr_t raw;
    asm volatile("move %0, $r21" : "=r"(raw));
    return raw;
  }
  static void write_register(uintptr_t raw) {
    asm volatile("move $r21, %0" : : "r"(raw) : "memory");
  }

  template <addressing Mode, class U>
  PERCPU_DETAIL_INLINE static U load(const U& var) {
    U value;
    uintptr_t base;
    PERCPU_DETAIL_LA_ACCESS("ld.bu", "ld.hu", "ld.wu", "ld.d", "ldx.bu", "ldx.hu", "ldx.wu",
                            "ldx.d",
                            : [value] "=r"(value), [base] "=&r"(base)
                            : [sym] "i"(&var)
                            : "memory")
    return value;
  }

  template <addressing Mode, class U>
  PERCPU_DETAIL_INLINE static void store(U& var, U value) {
    uintptr_t base;
    PERCPU_DETAIL_LA_ACCESS("st.b", "st.h", "st.w", "st.d", "stx.b", "stx.h", "stx.w", "stx.d",
                            : [base] "=&r"(base)
                            : [value] "r"(value), [sym] "i"(&var)
                            : "memory")
  }

  /// The template's address from absolute relocations (R_LARCH_ABS_HI20/LO12: an address below 2
  /// GiB). Not volatile: a link-time constant.
  template <class T>
  PERCPU_DETAIL_INLINE static uintptr_t absolute_address(const T& var) {
    uintptr_t result;
    asm("lu12i.w %0, %%abs_hi20(%1)\n\tori %0, %0, %%abs_lo12(%1)" : "=r"(result) : "i"(&var));
    return result;
  }

  template <addressing Mode, class T>
  PERCPU_DETAIL_INLINE static uintptr_t pointer(const T& var) {
    uintptr_t base;
    if constexpr (Mode == addressing::hot_immediate) {
      asm volatile(PERCPU_DETAIL_LA_HOT "addi.d %[base], $r21, 0"
                   : [base] "=r"(base)
                   : [sym] "i"(&var));
    } else if constexpr (Mode == addressing::absolute) {
      asm volatile(PERCPU_DETAIL_LA_ABSOLUTE "add.d %[base], %[base], $r21"
                   : [base] "=&r"(base)
                   : [sym] "i"(&var));
    } else {
      asm volatile(PERCPU_DETAIL_LA_PC_RELATIVE "add.d %[base], %[base], $r21"
                   : [base] "=&r"(base)
                   : [sym] "i"(&var));
    }
    return base;
  }
};

using backend = register_backend<loongarch64_arch>;

}  // namespace percpu::detail
