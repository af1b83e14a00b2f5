// SPDX-License-Identifier: MIT OR Apache-2.0
// armv7-a backend: TPIDRPRW (CP15 c13, c0, 4; PL1 only) holds (area base - image address).
// User space keeps TPIDRURO/TPIDRURW for its TLS.
#pragma once

#include "../detail/register_backend.hpp"

// Two sequences, after the mrc that reads the register (base(): by the access, or once for
// several by a this_cpu_scope). Generally a register-offset access with the image address in a
// register, which the compiler builds itself (movw/movt, R_ARM_MOVW_ABS_NC / R_ARM_MOVT_ABS: any
// 32-bit address, so either placement, in ARM or Thumb-2 code; or whatever it has at hand for
// an address known only at run time). Hot 1 and 4-byte variables with the image at VMA 0,
// in ARM state, with PERCPU_ARM_ABS12: the access's imm12 field takes the offset
// through an explicit R_ARM_ABS12 (overflow-checked by the linker: hot offsets must stay below
// 4 KiB), which needs the address as a symbol: there it is passed as "ri", and `%a` prints it
// bare (a symbol) or as `[rN]` (a register: see PERCPU_DETAIL_ASM_IF_REGISTER). ldrh/strh have
// only an 8-bit split immediate and keep the general sequence. 8-byte values go through the
// portable path (ldrd/strd need an even register pair in ARM state).
#define PERCPU_DETAIL_ARM_REGISTERS \
  "[r0],[r1],[r2],[r3],[r4],[r5],[r6],[r7],[r8],[r9],[r10],[r11],[r12],[sl],[fp],[ip],[lr]"
#define PERCPU_DETAIL_ARM_IN_REGISTER(m) m " %[value], [%[base], %[sym]]"
// A hot variable's copy into %[copy]: `read`, then its offset (the address in a register, or
// movw of the symbol: below 64 KiB at VMA 0) added to `base`.
#define PERCPU_DETAIL_ARM_HOT_POINTER(read, base)                                   \
  PERCPU_DETAIL_ASM_IF_REGISTER(                                                    \
      PERCPU_DETAIL_ARM_REGISTERS, "%a[sym]", read "add %[copy], " base ", %[sym]", \
      "movw %[off], #:lower16:%a[sym]\n\t" read "add %[copy], " base ", %[off]")
#define PERCPU_DETAIL_ARM_MRC_COPY "mrc p15, 0, %[copy], c13, c0, 4\n\t"
#define PERCPU_DETAIL_ARM_HOT(m)                                        \
  PERCPU_DETAIL_ASM_IF_REGISTER(PERCPU_DETAIL_ARM_REGISTERS, "%a[sym]", \
                                PERCPU_DETAIL_ARM_IN_REGISTER(m),       \
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

  using base_t = uintptr_t;
  PERCPU_DETAIL_INLINE static base_t base() { return read_register(); }
  /// A plain accessor's base: the hot and 8-byte sequences read the register themselves
  /// (load, store, pointer); the others read it with register_value.
  struct deferred {};
  PERCPU_DETAIL_INLINE static deferred deferred_base() { return {}; }

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
      PERCPU_DETAIL_ASM_BY_SIZE(U, PERCPU_DETAIL_ARM_IN_REGISTER, "ldrb", "ldrh", "ldr", "ldr",
                                : [value] "=r"(value)
                                : [base] "r"(register_value<armv7_arch>(base)), [sym] "r"(&var)
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
      PERCPU_DETAIL_ASM_BY_SIZE(
          U, PERCPU_DETAIL_ARM_IN_REGISTER, "strb", "strh", "str", "str",
          :
          : [value] "r"(value), [base] "r"(register_value<armv7_arch>(base)), [sym] "r"(&var)
          : "memory")
    }
  }

  /// The image's address: the compiler's own movw/movt (absolute relocations) are what this
  /// needs, so it is the plain address.
  template <class T>
  PERCPU_DETAIL_INLINE static uintptr_t absolute_address(const T& var) {
    return address(&var);
  }

  /// This CPU's copy. Generally the sum in C++: the compiler builds the image address itself
  /// and can fold the add into a register-offset access (`ldr r, [base, off]`, what the *_raw
  /// read-modify-writes use). Not for 8-byte objects: ldrd/strd/ldrexd need an even register
  /// pair, and with the add folded GCC moves the value through callee-saved pairs (2-3 more
  /// instructions), so their address is summed in asm. A hot variable at VMA 0 has an offset
  /// below PERCPU_HOT_LIMIT, so movw alone builds it (R_ARM_MOVW_ABS_NC: the low 16 bits, exact
  /// below 64 KiB), one instruction less than movw/movt.
  template <addressing Mode, class Base, class T>
  PERCPU_DETAIL_INLINE static uintptr_t pointer(Base base, const T& var) {
    uintptr_t copy;
    [[maybe_unused]] uintptr_t offset;  // unused with the address in a register
    if constexpr (sizeof(T) == 8 && same_as<Base, deferred>) {
      // A plain accessor's 8-byte copy: the mrc in the same statement (into %[copy]), since as
      // two statements GCC moves the value through a callee-saved pair (2-3 more instructions).
      if constexpr (Mode == addressing::hot_immediate) {
        asm volatile(PERCPU_DETAIL_ARM_HOT_POINTER(PERCPU_DETAIL_ARM_MRC_COPY, "%[copy]")
                     : [copy] "=&r"(copy), [off] "=&r"(offset)
                     : [sym] "ri"(&var));
      } else {
        asm volatile(PERCPU_DETAIL_ARM_MRC_COPY "add %[copy], %[copy], %[sym]"
                     : [copy] "=&r"(copy)
                     : [sym] "r"(&var));
      }
    } else if constexpr (Mode == addressing::hot_immediate) {
      asm(PERCPU_DETAIL_ARM_HOT_POINTER("", "%[base]")
          : [copy] "=r"(copy), [off] "=&r"(offset)
          : [base] "r"(register_value<armv7_arch>(base)), [sym] "ri"(&var));
    } else if constexpr (sizeof(T) == 8) {
      asm("add %[copy], %[base], %[sym]" : [copy] "=r"(copy) : [base] "r"(base), [sym] "r"(&var));
    } else {
      copy = register_value<armv7_arch>(base) + address(&var);
    }
    return copy;
  }
};

using backend = register_backend<armv7_arch>;

}  // namespace percpu::detail

#undef PERCPU_DETAIL_ARM_REGISTERS
#undef PERCPU_DETAIL_ARM_IN_REGISTER
#undef PERCPU_DETAIL_ARM_HOT
#undef PERCPU_DETAIL_ARM_HOT_READ
#undef PERCPU_DETAIL_ARM_HOT_POINTER
#undef PERCPU_DETAIL_ARM_MRC_COPY
