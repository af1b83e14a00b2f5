// SPDX-License-Identifier: MIT OR Apache-2.0
// armv7-a backend: TPIDRPRW (CP15 c13, c0, 4; PL1 only) holds the area base (minus the image
// address in position-independent code). User space keeps TPIDRURO/TPIDRURW for its TLS.
#pragma once

#include "../detail/register_backend.hpp"

// Every access starts from base(), the register read by one mrc (by the access, or once for
// several by a this_cpu_scope).
// Position-dependent code: as on aarch64, a variable's offset is the low 16 bits of its address,
// with the image at VMA 0 and elsewhere (the linker fragment aligns it to 64 KiB), because init
// refuses an image that is not aligned so or whose areas are 64 KiB or larger (at VMA 0: whose
// variables reach 64 KiB, as R_ARM_MOVW_ABS_NC is not overflow-checked). The register holds the
// area base itself, and
// absolute: movw of the symbol (R_ARM_MOVW_ABS_NC: the address's low 16 bits), in an asm of its
//   own that the compiler shares between one function's accesses to one variable
//   (armv7_arch::low_bits_offset), then a register-offset access: mrc, movw, ldr [base, off], one
//   instruction less than the compiler's movw/movt of the whole address. With the address in a
//   register: `uxth` (its low 16 bits), or at VMA 0 nothing (the address is the offset:
//   PERCPU_DETAIL_ASM_SYMBOL_OR_RESULT).
// hot_immediate: hot 1- and 4-byte variables with the image at VMA 0, in ARM state, with
//   PERCPU_ARM_ABS12: the access's imm12 field takes the offset through an explicit R_ARM_ABS12
//   (overflow-checked by the linker: hot offsets must stay below 4 KiB), which needs the address
//   as a symbol: there it is passed as "ri", and `%a` prints it bare (a symbol) or as `[rN]` (a
//   register: see PERCPU_DETAIL_ASM_IF_REGISTER). ldrh/strh have only an 8-bit split immediate;
//   they, and hot variables elsewhere, take the absolute sequence.
// Position-independent code: a MOVW relocation is absolute, which a PIE cannot hold in an
// instruction. The register holds area base - image address (biased, as on the other
// architectures), and (the same in position-dependent code built with
// PERCPU_ARM_SHORT_OFFSETS=0, for areas of 64 KiB or more, the compiler's address then being
// movw/movt)
// pc_relative: the compiler's own address of the image (PC-relative), as a register-offset
//   access's offset.
// 8-byte values go through the portable path (ldrd/strd need an even register pair in ARM state).
#define PERCPU_DETAIL_ARM_REGISTERS \
  "[r0],[r1],[r2],[r3],[r4],[r5],[r6],[r7],[r8],[r9],[r10],[r11],[r12],[sl],[fp],[ip],[lr]"
#define PERCPU_DETAIL_ARM_SELECT(if_register, if_symbol) \
  PERCPU_DETAIL_ASM_IF_REGISTER(PERCPU_DETAIL_ARM_REGISTERS, "%a[sym]", if_register, if_symbol)
#define PERCPU_DETAIL_ARM_IN_REGISTER(m) m " %[value], [%[base], %[sym]]"
#define PERCPU_DETAIL_ARM_SYMBOL_OFFSET "movw %[off], #:lower16:%a[sym]"
// A variable's offset into %[off] (armv7_arch::low_bits_offset), and this CPU's copy into
// %[copy]: `read`, then the offset added to `base` (a register address at VMA 0 is its offset).
#if PERCPU_ZERO_VMA
#define PERCPU_DETAIL_ARM_REGISTER_OFFSET ""
#define PERCPU_DETAIL_ARM_OFFSET_SYMBOL PERCPU_DETAIL_ASM_SYMBOL_OR_RESULT
#define PERCPU_DETAIL_ARM_POINTER_FROM_REGISTER(read, base) read "add %[copy], " base ", %[sym]"
#else
#define PERCPU_DETAIL_ARM_REGISTER_OFFSET "uxth %[off], %[sym]"
#define PERCPU_DETAIL_ARM_OFFSET_SYMBOL "ri"
#define PERCPU_DETAIL_ARM_POINTER_FROM_REGISTER(read, base) \
  PERCPU_DETAIL_ARM_REGISTER_OFFSET "\n\t" read "add %[copy], " base ", %[off]"
#endif
#define PERCPU_DETAIL_ARM_OFFSET \
  PERCPU_DETAIL_ARM_SELECT(PERCPU_DETAIL_ARM_REGISTER_OFFSET, PERCPU_DETAIL_ARM_SYMBOL_OFFSET)
#define PERCPU_DETAIL_ARM_POINTER(read, base)                                               \
  PERCPU_DETAIL_ARM_SELECT(PERCPU_DETAIL_ARM_POINTER_FROM_REGISTER(read, base),             \
                           PERCPU_DETAIL_ARM_SYMBOL_OFFSET "\n\t" read "add %[copy], " base \
                                                           ", %[off]")
#define PERCPU_DETAIL_ARM_MRC_COPY "mrc p15, 0, %[copy], c13, c0, 4\n\t"
#define PERCPU_DETAIL_ARM_HOT(m)                             \
  PERCPU_DETAIL_ARM_SELECT(PERCPU_DETAIL_ARM_IN_REGISTER(m), \
                           ".reloc ., R_ARM_ABS12, %a[sym]\n\t" m " %[value], [%[base], #0]")
// The same with the mrc into %[base] first, for a plain accessor: as two statements, GCC passes
// a hot variable read and then written in a register instead of R_ARM_ABS12 (2 more).
#define PERCPU_DETAIL_ARM_HOT_READ(m) "mrc p15, 0, %[base], c13, c0, 4\n\t" PERCPU_DETAIL_ARM_HOT(m)

namespace percpu::detail {

// Read-modify-writes: the compiler's atomics, LDREX/STREX loops (ldrexb/ldrexh for bytes and
// halfwords, ldrexd for 8 bytes); an exception clears the exclusive monitor, so an interrupted
// loop retries.
struct armv7_arch : compiler_atomics<true> {
  static constexpr const char* name = "armv7-a";
  static constexpr const char* register_name = "TPIDRPRW";
  template <class U>
  static constexpr bool atomic_instruction = false;  // LDREX/STREX loops only
  // Not in position-independent code (see above), nor with PERCPU_ARM_SHORT_OFFSETS=0: there
  // the register is biased and an access adds the whole address (pc_relative, or at VMA 0 the
  // compiler's movw/movt).
  static constexpr bool offset_from_low_bits = !position_independent && PERCPU_ARM_SHORT_OFFSETS;
  template <addressing Mode>
  static constexpr bool whole_address = Mode == addressing::pc_relative || !offset_from_low_bits;
  /// The placement that makes an address's low 16 bits (what movw :lower16: and uxth keep) its
  /// offset, as on aarch64 (linker/percpu.ld aligns the image so; init checks both).
  static constexpr uintptr_t image_alignment = 0x10000;
  static constexpr size_t max_area_stride = 0x10000;
  template <class U>
  static constexpr bool fast_width = sizeof(U) <= 4;
#if PERCPU_ARM_ABS12 && !defined(__thumb__)
  template <addressing Mode, class U>
  static constexpr bool immediate_offset = (Mode == addressing::hot_immediate) && zero_vma &&
                                           sizeof(U) != 2;
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

  using base_t = uintptr_t;
  PERCPU_DETAIL_INLINE static base_t base() { return read_register(); }
  /// A plain accessor's base: the hot and 8-byte sequences read the register themselves
  /// (load, store, pointer); the others read it with register_value.
  struct deferred {};
  PERCPU_DETAIL_INLINE static deferred deferred_base() { return {}; }

  /// A variable's offset in position-dependent code: its address's low 16 bits (see above), in
  /// an asm of its own, not volatile (a link-time constant, or a function of the address), so
  /// that one function's accesses to one variable share it: a read and then a write build it
  /// once.
  template <class T>
  PERCPU_DETAIL_INLINE static uintptr_t low_bits_offset(const T& var) {
    uintptr_t offset;
    asm(PERCPU_DETAIL_ARM_OFFSET
        : [off] "=r"(offset)
        : [sym] PERCPU_DETAIL_ARM_OFFSET_SYMBOL(&var));
    return offset;
  }

  /// What a register-offset access adds to the register in addressing `Mode`.
  template <addressing Mode, class T>
  PERCPU_DETAIL_INLINE static uintptr_t register_offset(const T& var) {
    if constexpr (whole_address<Mode>) {
      return address(&var);
    } else {
      return low_bits_offset(var);
    }
  }

  // The "memory" clobber orders the access against other memory accesses, since the compiler
  // cannot see which copy it touches.
  template <addressing Mode, class Base, class U>
  PERCPU_DETAIL_INLINE static U load(Base base, const U& var) {
    U value;
    if constexpr (immediate_offset<Mode, U> && same_as<Base, deferred>) {
      uintptr_t read;
      PERCPU_DETAIL_ASM_BY_SIZE(U, PERCPU_DETAIL_ARM_HOT_READ, "ldrb", "ldrh", "ldr", "ldr",
                                : [value] "=r"(value), [base] "=&r"(read)
                                : [sym] "ri"(&var)
                                : "memory")
    } else if constexpr (immediate_offset<Mode, U>) {
      PERCPU_DETAIL_ASM_BY_SIZE(U, PERCPU_DETAIL_ARM_HOT, "ldrb", "ldrh", "ldr", "ldr",
                                : [value] "=r"(value)
                                : [base] "r"(register_value<armv7_arch>(base)), [sym] "ri"(&var)
                                : "memory")
    } else {
      PERCPU_DETAIL_ASM_BY_SIZE(
          U, PERCPU_DETAIL_ARM_IN_REGISTER, "ldrb", "ldrh", "ldr", "ldr",
          : [value] "=r"(value)
          : [base] "r"(register_value<armv7_arch>(base)), [sym] "r"(register_offset<Mode>(var))
          : "memory")
    }
    return value;
  }

  template <addressing Mode, class Base, class U>
  PERCPU_DETAIL_INLINE static void store(Base base, U& var, U value) {
    if constexpr (immediate_offset<Mode, U> && same_as<Base, deferred>) {
      uintptr_t read;
      PERCPU_DETAIL_ASM_BY_SIZE(U, PERCPU_DETAIL_ARM_HOT_READ, "strb", "strh", "str", "str",
                                : [base] "=&r"(read)
                                : [value] "r"(value), [sym] "ri"(&var)
                                : "memory")
    } else if constexpr (immediate_offset<Mode, U>) {
      PERCPU_DETAIL_ASM_BY_SIZE(
          U, PERCPU_DETAIL_ARM_HOT, "strb", "strh", "str", "str",
          :
          : [value] "r"(value), [base] "r"(register_value<armv7_arch>(base)), [sym] "ri"(&var)
          : "memory")
    } else {
      PERCPU_DETAIL_ASM_BY_SIZE(U, PERCPU_DETAIL_ARM_IN_REGISTER, "strb", "strh", "str", "str",
                                :
                                : [value] "r"(value), [base] "r"(register_value<armv7_arch>(base)),
                                  [sym] "r"(register_offset<Mode>(var))
                                : "memory")
    }
  }

  /// The image's address: the compiler's own movw/movt (absolute relocations) are what this
  /// needs, so it is the plain address.
  template <class T>
  PERCPU_DETAIL_INLINE static uintptr_t absolute_address(const T& var) {
    return address(&var);
  }

  /// This CPU's copy. Generally the sum in C++, which the compiler can fold into a
  /// register-offset access (`ldr r, [base, off]`, what the *_raw read-modify-writes use). Not
  /// for 8-byte objects: ldrd/strd/ldrexd need an even register pair, and with the add folded
  /// GCC moves the value through callee-saved pairs (2-3 more instructions), so their copy is
  /// summed in asm, with the offset built inside.
  template <addressing Mode, class Base, class T>
  PERCPU_DETAIL_INLINE static uintptr_t pointer(Base base, const T& var) {
    uintptr_t copy;
    [[maybe_unused]] uintptr_t offset;  // unused by the whole-address sums
    if constexpr (whole_address<Mode> && sizeof(T) == 8 && same_as<Base, deferred>) {
      // A plain accessor's 8-byte copy: the mrc in the same statement (into %[copy]), since as
      // two statements GCC moves the value through a callee-saved pair (2-3 more instructions).
      asm volatile(PERCPU_DETAIL_ARM_MRC_COPY "add %[copy], %[copy], %[sym]"
                   : [copy] "=&r"(copy)
                   : [sym] "r"(&var));
    } else if constexpr (whole_address<Mode> && sizeof(T) == 8) {
      asm("add %[copy], %[base], %[sym]" : [copy] "=r"(copy) : [base] "r"(base), [sym] "r"(&var));
    } else if constexpr (sizeof(T) == 8 && same_as<Base, deferred>) {
      asm volatile(PERCPU_DETAIL_ARM_POINTER(PERCPU_DETAIL_ARM_MRC_COPY, "%[copy]")
                   : [copy] "=&r"(copy), [off] "=&r"(offset)
                   : [sym] "ri"(&var));
    } else if constexpr (sizeof(T) == 8) {
      asm(PERCPU_DETAIL_ARM_POINTER("", "%[base]")
          : [copy] "=r"(copy), [off] "=&r"(offset)
          : [base] "r"(register_value<armv7_arch>(base)), [sym] "ri"(&var));
    } else {
      copy = register_value<armv7_arch>(base) + register_offset<Mode>(var);
    }
    return copy;
  }
};

using backend = register_backend<armv7_arch>;

}  // namespace percpu::detail

#undef PERCPU_DETAIL_ARM_REGISTERS
#undef PERCPU_DETAIL_ARM_SELECT
#undef PERCPU_DETAIL_ARM_IN_REGISTER
#undef PERCPU_DETAIL_ARM_SYMBOL_OFFSET
#undef PERCPU_DETAIL_ARM_REGISTER_OFFSET
#undef PERCPU_DETAIL_ARM_OFFSET_SYMBOL
#undef PERCPU_DETAIL_ARM_POINTER_FROM_REGISTER
#undef PERCPU_DETAIL_ARM_OFFSET
#undef PERCPU_DETAIL_ARM_POINTER
#undef PERCPU_DETAIL_ARM_MRC_COPY
#undef PERCPU_DETAIL_ARM_HOT
#undef PERCPU_DETAIL_ARM_HOT_READ
