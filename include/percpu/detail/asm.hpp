// SPDX-License-Identifier: MIT OR Apache-2.0
// Helpers for the backends' inline assembly: the shared toolkit. Unlike each arch header's own
// macros, these stay defined after the header (several headers use them, and
// PERCPU_DETAIL_INLINE is used by the wrapper too); they are internal all the same.
#pragma once

#include "traits.hpp"

/// One `asm volatile` statement whose template is `make(mnemonic)`, the mnemonic chosen by
/// sizeof(type) from the 1, 2, 4 and 8-byte spellings, followed by the constraint lists.
/// Mnemonics have to be string literals, so the choice is made here rather than by computing a
/// string.
#define PERCPU_DETAIL_ASM_BY_SIZE(type, make, m8, m16, m32, m64, ...) \
  if constexpr (sizeof(type) == 1) {                                  \
    asm volatile(make(m8) __VA_ARGS__);                               \
  } else if constexpr (sizeof(type) == 2) {                           \
    asm volatile(make(m16) __VA_ARGS__);                              \
  } else if constexpr (sizeof(type) == 4) {                           \
    asm volatile(make(m32) __VA_ARGS__);                              \
  } else {                                                            \
    asm volatile(make(m64) __VA_ARGS__);                              \
  }

/// Assembler text that picks one of two sequences for a variable's address, passed with the
/// "ri" constraint: the compiler gives a symbol ("i") where it knows the address at link time (a
/// variable named directly) and a register ("r") where the address arrives at run time (a
/// reference or pointer parameter of a function that was not inlined, `c ? a : b`, an array of
/// pointers). C++ cannot tell the two apart before code generation (`__builtin_constant_p` of an
/// address is false in GCC and Clang alike), so the choice is made by the assembler, which
/// compares the printed `operand` with every spelling in `registers` (a comma-separated list).
/// The .irp loop and the .set symbol exist only while the statement is assembled.
#define PERCPU_DETAIL_ASM_IF_REGISTER(registers, operand, if_register, if_symbol)                 \
  ".set .Lpercpu_in_register, 0\n\t.irp percpu_reg, " registers "\n\t.ifc \\percpu_reg, " operand \
  "\n\t.set .Lpercpu_in_register, 1\n\t.endif\n\t.endr\n\t.if "                                   \
  ".Lpercpu_in_register\n\t" if_register "\n\t.else\n\t" if_symbol "\n\t.endif"

/// The constraint, in place of "ri", for an address that, when it arrives in a register, is
/// already what the asm computes: an absolute address (an image at VMA 0), or the address as its
/// own offset (aarch64, armv7 at VMA 0). A symbol is passed as "i", to the sequence that builds
/// the value from relocations; an address in a register is passed in the result's register
/// ("0": the result must be operand 0), so the register branch of PERCPU_DETAIL_ASM_IF_REGISTER
/// is empty, where with "r" it would be a move (measured: a dynamic object's read or write one
/// instruction shorter on aarch64, armv7 and loongarch64 at VMA 0). GCC and Clang satisfy a
/// constant with "i" and need no reload for it; one that chose "0" would build the address its
/// own way, PC-relative on riscv64 and loongarch64, where the VMA-0 codegen tables forbid such
/// sequences (aarch64 and armv7 would build the same value absolutely, one instruction more,
/// which the tables count).
#define PERCPU_DETAIL_ASM_SYMBOL_OR_RESULT "i0"

/// Accessors are always inlined: they are a handful of instructions, and inlined into the code
/// that names a variable, its address reaches the asm as a symbol (the fastest sequences).
#define PERCPU_DETAIL_INLINE __attribute__((always_inline)) inline

namespace percpu::detail {

/// Whether backends use their asm sequences, which take the address as a symbol or a register
/// ("ri"; see PERCPU_DETAIL_ASM_IF_REGISTER): only with optimisation (unoptimised, the compiler
/// never passes a symbol). Otherwise the accessors compute register + address in C++. In
/// position-independent code (-fPIC/-fPIE) every backend's symbol sequences are PC-relative,
/// resolved at link time, so a PIE needs no dynamic relocation for them.
#if defined(__OPTIMIZE__)
inline constexpr bool symbol_operands = true;
#else
inline constexpr bool symbol_operands = false;
#endif

/// Whether the code is position-independent (-fPIC, -fPIE): what it reaches by absolute address
/// would need a dynamic relocation, so the backends reach per-CPU variables PC-relative.
#if defined(__PIC__)
inline constexpr bool position_independent = true;
#else
inline constexpr bool position_independent = false;
#endif

}  // namespace percpu::detail
