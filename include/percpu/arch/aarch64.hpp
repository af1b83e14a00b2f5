// SPDX-License-Identifier: MIT OR Apache-2.0
// aarch64 backend: TPIDR_EL1 (or TPIDR_EL2 with PERCPU_ARM_EL2) holds the area base (minus the
// image address in position-independent code). The kernel owns the register; user space
// keeps TPIDR_EL0 for its TLS.
#pragma once

#include "../detail/register_backend.hpp"

#if PERCPU_ARM_EL2
#define PERCPU_DETAIL_TPIDR "tpidr_el2"
#else
#define PERCPU_DETAIL_TPIDR "tpidr_el1"
#endif

// Every access starts from base(), the register read by one `mrs` (by the access, or once for
// several by a this_cpu_scope).
// Position-dependent code: a variable's offset is the low 16 bits of its address, with the
// image at VMA 0 (offsets below 64 KiB), and with the image elsewhere too, because the
// linker fragment aligns it to 64 KiB and init refuses an image that is not aligned so or is
// 64 KiB or larger. An offset is then one immediate away, so the register holds the area base
// itself.
// hot_immediate: the access's scaled imm12 takes :lo12: (R_AARCH64_LDST*_ABS_LO12_NC;
//   not overflow-checked: the linker fragment asserts hot variables end within 2 KiB).
// absolute: movz :abs_g0: (R_AARCH64_MOVW_UABS_G0, overflow-checked, at VMA 0: a .percpu
//   of 64 KiB or more fails to link) or :abs_g0_nc: (elsewhere: the address's low 16 bits, the
//   offset once init's alignment check passed), then a register-offset access; the offset is
//   an asm of its own (aarch64_arch::offset_of), which the compiler shares.
// Position-independent code (-fPIE): the MOVW relocations are absolute, which a PIE cannot
// hold in an instruction, and a load address need not keep the low 16 bits. The register holds
// area base - image address (biased, as on the other architectures), and (the same in
// position-dependent code built with PERCPU_ARM_SHORT_OFFSETS=0, for areas of 64 KiB or more)
// pc_relative: adrp (R_AARCH64_ADR_PREL_PG_HI21, +-4 GiB of the code) + add :lo12:
//   (R_AARCH64_ADD_ABS_LO12_NC, which PIE links allow: a page offset needs no relocation at
//   load time), then a register-offset access: 4 with the mrs, as Linux's this_cpu_read.
#if PERCPU_ZERO_VMA || defined(__PIC__) || !PERCPU_ARM_SHORT_OFFSETS
#define PERCPU_DETAIL_A64_OFFSET_FROM_REGISTER ""
#define PERCPU_DETAIL_A64_REGISTER_OFFSET "%[sym]"
#else
#define PERCPU_DETAIL_A64_OFFSET_FROM_REGISTER "and %[off], %[sym], #0xffff\n\t"
#define PERCPU_DETAIL_A64_REGISTER_OFFSET "%[off]"
#endif
// The offset alone, for aarch64_arch::offset_of: from a symbol as above; from an address
// in a register, that address itself at VMA 0 (passed in the result's register: nothing to do),
// its low 16 bits elsewhere.
#if PERCPU_ZERO_VMA
#define PERCPU_DETAIL_A64_OFFSET PERCPU_DETAIL_A64_SELECT("", "movz %[off], #:abs_g0:%[sym]")
#define PERCPU_DETAIL_A64_OFFSET_SYMBOL PERCPU_DETAIL_ASM_SYMBOL_OR_RESULT
#else
#define PERCPU_DETAIL_A64_OFFSET \
  PERCPU_DETAIL_A64_SELECT("and %[off], %[sym], #0xffff", "movz %[off], #:abs_g0_nc:%[sym]")
#define PERCPU_DETAIL_A64_OFFSET_SYMBOL "ri"
#endif
#define PERCPU_DETAIL_A64_PC_RELATIVE "adrp %[off], %[sym]\n\tadd %[off], %[off], #:lo12:%[sym]\n\t"
// GCC passes a symbol for "i" only in position-dependent code; "S" (a symbolic address, which
// Clang knows too) is what it passes in PIC.
#ifdef __PIC__
#define PERCPU_DETAIL_A64_SYMBOL "rS"
#else
#define PERCPU_DETAIL_A64_SYMBOL "ri"
#endif
// With the address in a register (see PERCPU_DETAIL_ASM_IF_REGISTER), its offset is the
// address itself with a biased register, or its low 16 bits (the same rule as for symbols).
#define PERCPU_DETAIL_A64_REGISTERS                                                            \
  "x0,x1,x2,x3,x4,x5,x6,x7,x8,x9,x10,x11,x12,x13,x14,x15,x16,x17,x18,x19,x20,x21,x22,x23,x24," \
  "x25,x26,x27,x28,x29,x30"
#define PERCPU_DETAIL_A64_IN_REGISTER(m) \
  PERCPU_DETAIL_A64_OFFSET_FROM_REGISTER m " [%[base], " PERCPU_DETAIL_A64_REGISTER_OFFSET "]"
#define PERCPU_DETAIL_A64_SELECT(if_register, if_symbol) \
  PERCPU_DETAIL_ASM_IF_REGISTER(PERCPU_DETAIL_A64_REGISTERS, "%[sym]", if_register, if_symbol)
#define PERCPU_DETAIL_A64_HOT(m) \
  PERCPU_DETAIL_A64_SELECT(PERCPU_DETAIL_A64_IN_REGISTER(m), m " [%[base], #:lo12:%[sym]]")
#define PERCPU_DETAIL_A64_PC_RELATIVE_ACCESS(m)              \
  PERCPU_DETAIL_A64_SELECT(PERCPU_DETAIL_A64_IN_REGISTER(m), \
                           PERCPU_DETAIL_A64_PC_RELATIVE m " [%[base], %[off]]")

// this CPU's copy of the variable at `address` into %[copy], from %[base], with
// `symbol_sequence` when the address is a symbol; `...` is the output list.
#define PERCPU_DETAIL_A64_POINTER(symbol_sequence, from, address, ...)                     \
  asm(PERCPU_DETAIL_A64_SELECT(PERCPU_DETAIL_A64_OFFSET_FROM_REGISTER                      \
                               "add %[copy], %[base], " PERCPU_DETAIL_A64_REGISTER_OFFSET, \
                               symbol_sequence)                                            \
      : __VA_ARGS__                                                                        \
      : [base] "r"(from), [sym] PERCPU_DETAIL_A64_SYMBOL(address))

// An access at the offset %[off] from %[base], computed apart (aarch64_arch::offset_of).
#define PERCPU_DETAIL_A64_AT_OFFSET(m) m " [%[base], %[off]]"

// The loads' and stores' "memory" clobber orders each against other memory accesses, since
// the compiler cannot see which copy it touches. Their mnemonics carry the value register with
// its width modifier (%w for 1-4 bytes, %x for 8).
// A hot sequence's outputs `...`, and the offset register where it needs one: only for an
// address in a register away from VMA 0 (the `and` above). Chosen by the preprocessor, as the
// sequences are: Clang checks every asm's operand names, even in a discarded if-constexpr branch.
#if PERCPU_ZERO_VMA || defined(__PIC__) || !PERCPU_ARM_SHORT_OFFSETS
#define PERCPU_DETAIL_A64_HOT_OUTPUTS(offset, ...) __VA_ARGS__
#else
#define PERCPU_DETAIL_A64_HOT_OUTPUTS(offset, ...) __VA_ARGS__ __VA_OPT__(, )[off] "=&r"(offset)
#endif

namespace percpu::detail {

// Read-modify-writes: the compiler's atomics, an LDXR/STXR loop (an interrupt clears the
// exclusive monitor, so the store fails and the loop retries), or LSE's ldadd / swp / cas when
// built for Armv8.1 or later; byte and halfword forms exist for both.
struct aarch64_arch : compiler_atomics<true> {
  static constexpr const char* name =
      PERCPU_ARM_EL2 ? "aarch64 (TPIDR_EL2)" : "aarch64 (TPIDR_EL1)";
  static constexpr const char* register_name = PERCPU_ARM_EL2 ? "TPIDR_EL2" : "TPIDR_EL1";
#ifdef __ARM_FEATURE_ATOMICS
  template <class U>
  static constexpr bool atomic_instruction = true;  // LSE: ldadd, stadd, swp... at every width
#else
  template <class U>
  static constexpr bool atomic_instruction = false;  // an LDXR/STXR loop
#endif
  // Not in position-independent code, nor with PERCPU_ARM_SHORT_OFFSETS=0 (see above): there
  // the register is biased.
  static constexpr bool offset_from_low_bits = !position_independent && PERCPU_ARM_SHORT_OFFSETS;
  /// The placement that makes an address's low 16 bits (what movz :abs_g0_nc: and `and #0xffff`
  /// keep) its offset: the image aligned to 64 KiB (linker/percpu.ld aligns it so), and no
  /// area 64 KiB or larger. init checks both (placement_ok). linker/percpu.ld states the same
  /// alignment as _percpu_low_bits_alignment (the cross tests check that they agree).
  static constexpr uintptr_t image_alignment = 0x10000;
  static constexpr size_t max_area_stride = 0x10000;
  template <class U>
  static constexpr bool fast_width = true;

  // Volatile: the register differs per CPU, so a read must not be merged with one from before
  // a migration, nor hoisted out of a guarded region.
  static uintptr_t read_register() {
    uintptr_t raw;
    asm volatile("mrs %0, " PERCPU_DETAIL_TPIDR : "=r"(raw));
    return raw;
  }
  static void write_register(uintptr_t raw) {
    asm volatile("msr " PERCPU_DETAIL_TPIDR ", %0" : : "r"(raw) : "memory");
  }

  using base_t = uintptr_t;
  PERCPU_DETAIL_INLINE static base_t base() { return read_register(); }

  // Registers are 32 or 64 bits wide; narrower values travel zero-extended in a w register.
  template <class U>
  using register_t = conditional_t<sizeof(U) == 8, uint64_t, uint32_t>;

  /// In position-dependent code a normal variable's offset is its address's low 16 bits (at
  /// VMA 0 the address itself): `movz` for a symbol; for an address in a register, `and`, or at
  /// VMA 0 nothing (PERCPU_DETAIL_ASM_SYMBOL_OR_RESULT). Loads, stores and pointers take it from an
  /// asm of its own, not volatile (a link-time constant, or a function of the address), so that
  /// one function's accesses to one variable share it: a read and then a write (an
  /// `add_current_raw`, say) build it once. (Position-independent code has no absolute mode:
  /// PERCPU_ZERO_VMA is refused there, and the register is biased.) With
  /// PERCPU_ARM_SHORT_OFFSETS=0 the absolute mode is only at VMA 0, and the offset is the whole
  /// address (absolute_address: movz, movk).
  template <class T>
  PERCPU_DETAIL_INLINE static uintptr_t offset_of(const T& var) {
    if constexpr (!offset_from_low_bits) {
      return absolute_address(var);  // PERCPU_ARM_SHORT_OFFSETS=0, at VMA 0: the whole offset
    } else {
      uintptr_t offset;
      asm(PERCPU_DETAIL_A64_OFFSET
          : [off] "=r"(offset)
          : [sym] PERCPU_DETAIL_A64_OFFSET_SYMBOL(&var));
      return offset;
    }
  }

  // The offset is early-clobber: it is written before the base and the address are read.
  template <addressing Mode, class U>
  PERCPU_DETAIL_INLINE static U load(uintptr_t base, const U& var) {
    register_t<U> value;
    [[maybe_unused]] uintptr_t offset;  // unused by hot sequences at VMA 0
    if constexpr (Mode == addressing::absolute) {
      PERCPU_DETAIL_ASM_BY_SIZE(U, PERCPU_DETAIL_A64_AT_OFFSET, "ldrb %w[value],",
                                "ldrh %w[value],", "ldr %w[value],", "ldr %x[value],",
                                : [value] "=r"(value)
                                : [base] "r"(base), [off] "r"(offset_of(var))
                                : "memory")
    } else if constexpr (Mode == addressing::hot_immediate) {
      PERCPU_DETAIL_ASM_BY_SIZE(U, PERCPU_DETAIL_A64_HOT, "ldrb %w[value],", "ldrh %w[value],",
                                "ldr %w[value],", "ldr %x[value],",
                                : PERCPU_DETAIL_A64_HOT_OUTPUTS(offset, [value] "=r"(value))
                                : [base] "r"(base), [sym] PERCPU_DETAIL_A64_SYMBOL(&var)
                                : "memory")
    } else {
      static_assert(Mode == addressing::pc_relative);
      PERCPU_DETAIL_ASM_BY_SIZE(U, PERCPU_DETAIL_A64_PC_RELATIVE_ACCESS, "ldrb %w[value],",
                                "ldrh %w[value],", "ldr %w[value],", "ldr %x[value],",
                                : [value] "=r"(value), [off] "=&r"(offset)
                                : [base] "r"(base), [sym] PERCPU_DETAIL_A64_SYMBOL(&var)
                                : "memory")
    }
    return static_cast<U>(value);
  }

  template <addressing Mode, class U>
  PERCPU_DETAIL_INLINE static void store(uintptr_t base, U& var, U value) {
    [[maybe_unused]] uintptr_t offset;  // unused by hot sequences at VMA 0
    if constexpr (Mode == addressing::absolute) {
      PERCPU_DETAIL_ASM_BY_SIZE(U, PERCPU_DETAIL_A64_AT_OFFSET, "strb %w[value],",
                                "strh %w[value],", "str %w[value],", "str %x[value],",
                                :
                                : [value] "r"(static_cast<register_t<U>>(value)), [base] "r"(base),
                                  [off] "r"(offset_of(var))
                                : "memory")
    } else if constexpr (Mode == addressing::hot_immediate) {
      PERCPU_DETAIL_ASM_BY_SIZE(U, PERCPU_DETAIL_A64_HOT, "strb %w[value],", "strh %w[value],",
                                "str %w[value],", "str %x[value],",
                                : PERCPU_DETAIL_A64_HOT_OUTPUTS(offset)
                                : [value] "r"(static_cast<register_t<U>>(value)), [base] "r"(base),
                                  [sym] PERCPU_DETAIL_A64_SYMBOL(&var)
                                : "memory")
    } else {
      static_assert(Mode == addressing::pc_relative);
      PERCPU_DETAIL_ASM_BY_SIZE(U, PERCPU_DETAIL_A64_PC_RELATIVE_ACCESS, "strb %w[value],",
                                "strh %w[value],", "str %w[value],", "str %x[value],",
                                : [off] "=&r"(offset)
                                : [value] "r"(static_cast<register_t<U>>(value)), [base] "r"(base),
                                  [sym] PERCPU_DETAIL_A64_SYMBOL(&var)
                                : "memory")
    }
  }

  /// 16 bytes: CASP with LSE; else an LDXP/STXP loop, which an interrupt cannot split (the
  /// exception return clears the exclusive monitor, so the STXP fails and the loop retries).
  /// Returns the value seen.
  PERCPU_DETAIL_INLINE static uint128_t compare_exchange_double(uint128_t* pointer,
                                                                uint128_t expected,
                                                                uint128_t desired) {
#ifdef __ARM_FEATURE_ATOMICS
    // CASP takes each pair in two consecutive registers from an even one, which no constraint
    // can ask for: the pairs are register variables, x0/x1 (compared, then the value seen) and
    // x2/x3 (stored).
    register uint64_t seen_low asm("x0") = static_cast<uint64_t>(expected);
    register uint64_t seen_high asm("x1") = static_cast<uint64_t>(expected >> 64);
    register uint64_t new_low asm("x2") = static_cast<uint64_t>(desired);
    register uint64_t new_high asm("x3") = static_cast<uint64_t>(desired >> 64);
    asm volatile("casp %[seen_low], %[seen_high], %[new_low], %[new_high], %[copy]"
                 : [seen_low] "+r"(seen_low), [seen_high] "+r"(seen_high), [copy] "+Q"(*pointer)
                 : [new_low] "r"(new_low), [new_high] "r"(new_high)
                 : "memory");
#else
    uint64_t seen_low, seen_high;
    uint32_t failed;
    asm volatile(
        "1: ldxp %[seen_low], %[seen_high], %[copy]\n\t"
        "cmp %[seen_low], %[expected_low]\n\t"
        "ccmp %[seen_high], %[expected_high], #0, eq\n\t"
        "b.ne 2f\n\t"
        "stxp %w[failed], %[new_low], %[new_high], %[copy]\n\t"
        "cbnz %w[failed], 1b\n"
        "2:"
        : [seen_low] "=&r"(seen_low), [seen_high] "=&r"(seen_high), [failed] "=&r"(failed),
          [copy] "+Q"(*pointer)
        : [expected_low] "r"(static_cast<uint64_t>(expected)),
          [expected_high] "r"(static_cast<uint64_t>(expected >> 64)),
          [new_low] "r"(static_cast<uint64_t>(desired)),
          [new_high] "r"(static_cast<uint64_t>(desired >> 64))
        : "cc", "memory");
#endif
    return static_cast<uint128_t>(seen_high) << 64 | seen_low;
  }

  /// The image's address: from absolute relocations (R_AARCH64_MOVW_UABS_G1 (checked) and
  /// G0_NC: an address below 4 GiB) when it is a symbol. Not volatile: a link-time constant.
  template <class T>
  PERCPU_DETAIL_INLINE static uintptr_t absolute_address(const T& var) {
    uintptr_t result;
    asm(PERCPU_DETAIL_A64_SELECT("",
                                 "movz %[result], #:abs_g1:%[sym]\n\t"
                                 "movk %[result], #:abs_g0_nc:%[sym]")
        : [result] "=r"(result)
        : [sym] PERCPU_DETAIL_ASM_SYMBOL_OR_RESULT(&var));
    return result;
  }

  // Non-volatile: from a given base, a link-time offset away.
  template <addressing Mode, class T>
  PERCPU_DETAIL_INLINE static uintptr_t pointer(uintptr_t base, const T& var) {
    uintptr_t copy;
    [[maybe_unused]] uintptr_t offset;  // unused by hot sequences at VMA 0
    if constexpr (Mode == addressing::hot_immediate) {
      PERCPU_DETAIL_A64_POINTER("add %[copy], %[base], #:lo12:%[sym]", base, &var,
                                PERCPU_DETAIL_A64_HOT_OUTPUTS(offset, [copy] "=r"(copy)));
    } else if constexpr (Mode == addressing::absolute) {
      copy = base + offset_of(var);
    } else {
      static_assert(Mode == addressing::pc_relative);
      PERCPU_DETAIL_A64_POINTER(PERCPU_DETAIL_A64_PC_RELATIVE "add %[copy], %[base], %[off]", base,
                                &var, [copy] "=r"(copy), [off] "=&r"(offset));
    }
    return copy;
  }
};

using backend = register_backend<aarch64_arch>;

}  // namespace percpu::detail

#undef PERCPU_DETAIL_TPIDR
#undef PERCPU_DETAIL_A64_OFFSET_FROM_REGISTER
#undef PERCPU_DETAIL_A64_REGISTER_OFFSET
#undef PERCPU_DETAIL_A64_OFFSET
#undef PERCPU_DETAIL_A64_OFFSET_SYMBOL
#undef PERCPU_DETAIL_A64_PC_RELATIVE
#undef PERCPU_DETAIL_A64_SYMBOL
#undef PERCPU_DETAIL_A64_REGISTERS
#undef PERCPU_DETAIL_A64_IN_REGISTER
#undef PERCPU_DETAIL_A64_SELECT
#undef PERCPU_DETAIL_A64_HOT
#undef PERCPU_DETAIL_A64_PC_RELATIVE_ACCESS
#undef PERCPU_DETAIL_A64_POINTER
#undef PERCPU_DETAIL_A64_AT_OFFSET
#undef PERCPU_DETAIL_A64_HOT_OUTPUTS
