// SPDX-License-Identifier: MIT OR Apache-2.0
// loongarch64 backend: $r21 holds (area base - image address). The ABI reserves $r21 (the
// Linux kernel keeps its per-CPU offset there too), so compilers never allocate it.
#pragma once

#include "../detail/register_backend.hpp"

// The sequences for each mode (see detail::addressing):
// hot_immediate: the access's own si12 field receives the offset through an explicit
//   R_LARCH_ABS_LO12 (the assembler accepts %abs_lo12 only on ori). That relocation is not
//   overflow-checked, so the linker fragment asserts hot variables end within 2 KiB. With the
//   address in a register (see PERCPU_DETAIL_ASM_IF_REGISTER), one indexed access.
// absolute and pc_relative: one indexed access (register + $r21) from the image address in a
//   register, built apart where the compiler can share it, so that a variable read and then
//   written builds it once (as with Linux's $r21-relative accessors; indexed_address):
//   absolute (image at VMA 0): lu12i.w %abs_hi20 + ori %abs_lo12 (a 32-bit offset) in an asm
//     that is not volatile (absolute_address; an address already in a register is used as it
//     is), since the compiler's own address would be PC-relative, out of reach of address 0
//     from a kernel linked high.
//   pc_relative (the image anywhere): the compiler builds the address itself (pcalau12i +
//     addi.d in the normal code model, whatever the code model needs otherwise; hidden
//     visibility keeps it off the GOT in a PIE).
#define PERCPU_DETAIL_LA_REGISTERS                                                              \
  "$zero,$ra,$tp,$sp,$a0,$a1,$a2,$a3,$a4,$a5,$a6,$a7,$t0,$t1,$t2,$t3,$t4,$t5,$t6,$t7,$t8,$r21," \
  "$fp,$s0,$s1,$s2,$s3,$s4,$s5,$s6,$s7,$s8,$r0,$r1,$r2,$r3,$r4,$r5,$r6,$r7,$r8,$r9,$r10,$r11,"  \
  "$r12,$r13,$r14,$r15,$r16,$r17,$r18,$r19,$r20,$r22,$r23,$r24,$r25,$r26,$r27,$r28,$r29,$r30,$r31"
#define PERCPU_DETAIL_LA_SELECT(if_register, if_symbol) \
  PERCPU_DETAIL_ASM_IF_REGISTER(PERCPU_DETAIL_LA_REGISTERS, "%[sym]", if_register, if_symbol)
// Each sequence takes (stem, size, value): the access's mnemonic as a stem ("ld", "st") and a
// size suffix (".wu", ".d"), whose register + immediate form is stem size and indexed (register
// + register) form stem "x" size; and the operand holding the value.
#define PERCPU_DETAIL_LA_INDEXED_SEQUENCE(stem, size, value) \
  stem "x" size " " value ", %[sym], $r21"
#define PERCPU_DETAIL_LA_HOT_SEQUENCE(stem, size, value)                               \
  PERCPU_DETAIL_LA_SELECT(PERCPU_DETAIL_LA_INDEXED_SEQUENCE(stem, size, value),        \
                          ".reloc ., R_LARCH_ABS_LO12, %[sym]\n\t" stem size " " value \
                          ", $r21, 0")
#define PERCPU_DETAIL_LA_HOT(args) PERCPU_DETAIL_LA_HOT_SEQUENCE args
#define PERCPU_DETAIL_LA_INDEXED(args) PERCPU_DETAIL_LA_INDEXED_SEQUENCE args

// The operand lists of one access: `outputs` (in parentheses), the address as %[sym] with
// `constraint` ("ri": a symbol or a register; "r": a register), then the other inputs. The
// "memory" clobber orders the access against other memory accesses, since the compiler cannot
// see which copy it touches.
#define PERCPU_DETAIL_LA_UNPAREN(...) __VA_ARGS__
#define PERCPU_DETAIL_LA_OPERANDS(constraint, address, outputs, ...)                        \
  : PERCPU_DETAIL_LA_UNPAREN outputs : [sym] constraint(address) __VA_OPT__(, ) __VA_ARGS__ \
  : "memory"

// One access of `var`, a `type`, in addressing `mode`: `stem` with the size suffix s8 ... s64 of
// the type's size, the value in the operand named by the string `value`.
#define PERCPU_DETAIL_LA_ACCESS(mode, type, stem, s8, s16, s32, s64, value, var, outputs, ...)     \
  if constexpr (mode == addressing::hot_immediate) {                                               \
    PERCPU_DETAIL_ASM_BY_SIZE(type, PERCPU_DETAIL_LA_HOT, (stem, s8, value), (stem, s16, value),   \
                              (stem, s32, value), (stem, s64, value),                              \
                              PERCPU_DETAIL_LA_OPERANDS("ri", &(var), outputs, __VA_ARGS__))       \
  } else {                                                                                         \
    PERCPU_DETAIL_ASM_BY_SIZE(                                                                     \
        type, PERCPU_DETAIL_LA_INDEXED, (stem, s8, value), (stem, s16, value), (stem, s32, value), \
        (stem, s64, value),                                                                        \
        PERCPU_DETAIL_LA_OPERANDS("r", indexed_address<mode>(var), outputs, __VA_ARGS__))          \
  }

// One AM* read-modify-write of a 4- or 8-byte `type`: `stem`.w or `stem`.d. The old value's
// register is early-clobber: the ISA leaves an AM* instruction whose rd equals rj or rk
// undefined.
#define PERCPU_DETAIL_LA_AM_TEXT(m) m " %[old], %[operand], %[pointer]"
#define PERCPU_DETAIL_LA_AM(stem, type, old, operand, pointer)                            \
  PERCPU_DETAIL_ASM_BY_SIZE(type, PERCPU_DETAIL_LA_AM_TEXT, "", "", stem ".w", stem ".d", \
                            : [old] "=&r"(old)                                            \
                            : [operand] "r"(operand), [pointer] "r"(pointer)              \
                            : "memory")

namespace percpu::detail {

// Read-modify-writes: see fetch_op. Compare-and-swap and 1- and 2-byte operations (LoongArch
// has no byte or halfword AM* instructions) use the compiler's atomics: LL/SC loops, masked for
// sub-words, which an interrupt cannot split (ERTN clears LLbit, so the SC fails and retries).
struct loongarch64_arch : compiler_atomics<true> {
  static constexpr const char* name = "loongarch64";
  static constexpr const char* register_name = "$r21";
  template <class U>
  static constexpr bool atomic_instruction = sizeof(U) >= 4;  // am*.w, am*.d
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

  // The accesses name $r21 themselves: nothing to read first.
  using base_t = register_named;
  PERCPU_DETAIL_INLINE static base_t base() { return {}; }

  template <addressing Mode, class U>
  PERCPU_DETAIL_INLINE static U load(base_t, const U& var) {
    U value;
    PERCPU_DETAIL_LA_ACCESS(Mode, U, "ld", ".bu", ".hu", ".wu", ".d", "%[value]", var,
                            ([value] "=r"(value)))
    return value;
  }

  template <addressing Mode, class U>
  PERCPU_DETAIL_INLINE static void store(base_t, U& var, U value) {
    PERCPU_DETAIL_LA_ACCESS(Mode, U, "st", ".b", ".h", ".w", ".d", "%[value]", var,
                            (), [value] "r"(value))
  }

  /// 4- and 8-byte operations: one AM* instruction without the _db barrier that the compiler
  /// adds even to a relaxed atomic (amadd_db.d): a CPU's own copy needs atomicity against its
  /// interrupts, which one instruction has, and no ordering against other CPUs.
  template <rmw_op Op, class U>
  PERCPU_DETAIL_INLINE static U fetch_op(U* pointer, U operand) {
    if constexpr (sizeof(U) < 4) {
      return compiler_atomics<true>::fetch_op<Op>(pointer, operand);
    } else {
      U old;
      if constexpr (Op == rmw_op::add || Op == rmw_op::fetch_add) {
        PERCPU_DETAIL_LA_AM("amadd", U, old, operand, pointer)
      } else if constexpr (Op == rmw_op::bit_and) {
        PERCPU_DETAIL_LA_AM("amand", U, old, operand, pointer)
      } else if constexpr (Op == rmw_op::bit_or) {
        PERCPU_DETAIL_LA_AM("amor", U, old, operand, pointer)
      } else if constexpr (Op == rmw_op::bit_xor) {
        PERCPU_DETAIL_LA_AM("amxor", U, old, operand, pointer)
      } else {
        static_assert(Op == rmw_op::exchange);
        PERCPU_DETAIL_LA_AM("amswap", U, old, operand, pointer)
      }
      return old;
    }
  }

  /// Interrupts off (CRMD.IE, bit 2, cleared through csrxchg) for as long as it lives, then as
  /// they were: PLV0 code's way to make a sequence atomic on its CPU. The mask is in a named
  /// register: csrxchg with $r0 or $r1 as its mask register is another instruction (csrrd,
  /// csrwr).
  struct interrupts_off {
    unsigned long crmd = 0;
    interrupts_off() {
      register unsigned long interrupt_enable asm("$t0") = 4;
      asm volatile("csrxchg %0, %1, 0x0" : "+r"(crmd) : "r"(interrupt_enable) : "memory");
    }
    ~interrupts_off() {
      register unsigned long interrupt_enable asm("$t0") = 4;
      unsigned long restore = crmd & 4;
      asm volatile("csrxchg %0, %1, 0x0" : "+r"(restore) : "r"(interrupt_enable) : "memory");
    }
  };

  /// 16 bytes: no 16-byte LL/SC, so a compare and store with interrupts off (PLV0).
  PERCPU_DETAIL_INLINE static uint128_t compare_exchange_double(uint128_t* pointer,
                                                                uint128_t expected,
                                                                uint128_t desired) {
    return compare_exchange_interrupts_off<interrupts_off>(pointer, expected, desired);
  }

  /// The image's address: from absolute relocations (R_LARCH_ABS_HI20/LO12: an address
  /// below 2 GiB) when it is a symbol. Not volatile: a link-time constant.
  template <class T>
  PERCPU_DETAIL_INLINE static uintptr_t absolute_address(const T& var) {
    uintptr_t result;
    asm(PERCPU_DETAIL_LA_SELECT("",
                                "lu12i.w %[result], %%abs_hi20(%[sym])\n\t"
                                "ori %[result], %[result], %%abs_lo12(%[sym])")
        : [result] "=r"(result)
        : [sym] PERCPU_DETAIL_ASM_SYMBOL_OR_RESULT(&var));
    return result;
  }

  /// The image address an indexed access adds to $r21 (see the sequences above).
  template <addressing Mode, class T>
  PERCPU_DETAIL_INLINE static uintptr_t indexed_address(const T& var) {
    if constexpr (Mode == addressing::absolute) {
      return absolute_address(var);
    } else {
      return address(&var);
    }
  }

  template <addressing Mode, class T>
  PERCPU_DETAIL_INLINE static uintptr_t pointer(base_t, const T& var) {
    uintptr_t base;
    if constexpr (Mode == addressing::hot_immediate) {
      asm volatile(PERCPU_DETAIL_LA_SELECT("add.d %[base], %[sym], $r21",
                                           ".reloc ., R_LARCH_ABS_LO12, %[sym]\n\t"
                                           "addi.d %[base], $r21, 0")
                   : [base] "=r"(base)
                   : [sym] "ri"(&var));
    } else if constexpr (Mode == addressing::absolute) {
      asm volatile(PERCPU_DETAIL_LA_SELECT("add.d %[base], %[sym], $r21",
                                           "lu12i.w %[base], %%abs_hi20(%[sym])\n\t"
                                           "ori %[base], %[base], %%abs_lo12(%[sym])\n\t"
                                           "add.d %[base], %[base], $r21")
                   : [base] "=&r"(base)
                   : [sym] "ri"(&var));
    } else {
      asm volatile("add.d %[base], %[sym], $r21" : [base] "=r"(base) : [sym] "r"(&var));
    }
    return base;
  }
};

using backend = register_backend<loongarch64_arch>;

}  // namespace percpu::detail

#undef PERCPU_DETAIL_LA_REGISTERS
#undef PERCPU_DETAIL_LA_SELECT
#undef PERCPU_DETAIL_LA_HOT_SEQUENCE
#undef PERCPU_DETAIL_LA_INDEXED_SEQUENCE
#undef PERCPU_DETAIL_LA_UNPAREN
#undef PERCPU_DETAIL_LA_OPERANDS
#undef PERCPU_DETAIL_LA_HOT
#undef PERCPU_DETAIL_LA_INDEXED
#undef PERCPU_DETAIL_LA_ACCESS
#undef PERCPU_DETAIL_LA_AM_TEXT
#undef PERCPU_DETAIL_LA_AM
