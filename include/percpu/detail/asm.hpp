// SPDX-License-Identifier: MIT OR Apache-2.0
// Helpers for the backends' inline assembly.
#pragma once

#include "traits.hpp"

/// One `asm volatile` statement: `prefix` (instructions that form the address), then a
/// mnemonic chosen by sizeof(U) from the 1, 2, 4 and 8-byte spellings, then the operand template
/// and the constraint lists. Mnemonics have to be string literals, so the choice is made here
/// rather than by computing a string.
#define PERCPU_DETAIL_ASM_BY_SIZE(prefix, m8, m16, m32, m64, operands, ...) \
  if constexpr (sizeof(U) == 1) {                                           \
    asm volatile(prefix m8 " " operands __VA_ARGS__);                       \
  } else if constexpr (sizeof(U) == 2) {                                    \
    asm volatile(prefix m16 " " operands __VA_ARGS__);                      \
  } else if constexpr (sizeof(U) == 4) {                                    \
    asm volatile(prefix m32 " " operands __VA_ARGS__);                      \
  } else {                                                                  \
    asm volatile(prefix m64 " " operands __VA_ARGS__);                      \
  }

/// Accessors are always inlined: besides being a handful of instructions, the fast paths name
/// the variable's symbol in asm, so its address must reach the asm as a link-time constant.
#define PERCPU_DETAIL_INLINE __attribute__((always_inline)) inline

namespace percpu::detail {

/// Whether backends may name a variable's symbol in asm ("i"/"S" constraints): only when the
/// compiler folds the variable's address to a link-time constant, which needs optimisation, and
/// only without -fPIC/-fPIE, where an address is not such a constant.
#if defined(__OPTIMIZE__) && !defined(__PIC__)
inline constexpr bool symbol_operands = true;
#else
inline constexpr bool symbol_operands = false;
#endif

}  // namespace percpu::detail
