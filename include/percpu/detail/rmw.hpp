// SPDX-License-Identifier: MIT OR Apache-2.0
// Read-modify-write operations: the list, and the strategy with compiler atomics that
// architectures without a single instruction on a base+offset memory operand adopt.
#pragma once

#include "../config.hpp"
#include "asm.hpp"
#include "traits.hpp"

namespace percpu::detail {

enum class rmw_op { add, bit_and, bit_or, bit_xor, fetch_add, exchange };

template <rmw_op Op, class U>
constexpr U apply(U old, U operand) {
  if constexpr (Op == rmw_op::add || Op == rmw_op::fetch_add) {
    return static_cast<U>(old + operand);
  } else if constexpr (Op == rmw_op::bit_and) {
    return static_cast<U>(old & operand);
  } else if constexpr (Op == rmw_op::bit_or) {
    return static_cast<U>(old | operand);
  } else if constexpr (Op == rmw_op::bit_xor) {
    return static_cast<U>(old ^ operand);
  } else {
    return operand;
  }
}

/// A 1- or 2-byte operation as a compare-and-swap loop on the aligned 32-bit word around it, for
/// targets where the compiler would call libatomic for sub-word atomics (an arch file says so
/// with `compiler_atomics<false>`).
/// An interrupt that changes the word between the load and the CAS makes the CAS fail and the
/// loop retry, so no update is lost. `new_value(old, store)` returns the value to write, or clears
/// `store` to leave the word alone; returns the old value.
template <class U, class NewValue>
PERCPU_DETAIL_INLINE U subword_update(U* pointer, NewValue new_value) {
  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
                "sub-word emulation assumes little endian");
  using word_alias [[gnu::may_alias]] = uint32_t;
  const uintptr_t at = reinterpret_cast<uintptr_t>(pointer);
  auto* word = reinterpret_cast<word_alias*>(at & ~uintptr_t{3});
  const unsigned shift = static_cast<unsigned>(at & 3) * 8;
  const uint32_t mask = static_cast<uint32_t>(static_cast<U>(~U{0})) << shift;
  uint32_t seen = __atomic_load_n(word, __ATOMIC_RELAXED);
  for (;;) {
    const U old = static_cast<U>((seen & mask) >> shift);
    bool store = true;
    const U next = new_value(old, store);
    if (!store) return old;
    const uint32_t desired = (seen & ~mask) | (static_cast<uint32_t>(next) << shift);
    if (__atomic_compare_exchange_n(word, &seen, desired, true, __ATOMIC_RELAXED,
                                    __ATOMIC_RELAXED)) {
      return old;
    }
  }
}

/// `Op` on *pointer with relaxed compiler atomics (an AMO, or an LL/SC loop that an interrupt
/// cannot split without the store-conditional failing); returns the old value.
template <bool SubwordAtomics, rmw_op Op, class U>
PERCPU_DETAIL_INLINE U atomic_rmw(U* pointer, U operand) {
  if constexpr (sizeof(U) < 4 && !SubwordAtomics) {
    return subword_update(pointer, [operand](U old, bool&) { return apply<Op>(old, operand); });
  } else if constexpr (Op == rmw_op::add || Op == rmw_op::fetch_add) {
    return __atomic_fetch_add(pointer, operand, __ATOMIC_RELAXED);
  } else if constexpr (Op == rmw_op::bit_and) {
    return __atomic_fetch_and(pointer, operand, __ATOMIC_RELAXED);
  } else if constexpr (Op == rmw_op::bit_or) {
    return __atomic_fetch_or(pointer, operand, __ATOMIC_RELAXED);
  } else if constexpr (Op == rmw_op::bit_xor) {
    return __atomic_fetch_xor(pointer, operand, __ATOMIC_RELAXED);
  } else {
    return __atomic_exchange_n(pointer, operand, __ATOMIC_RELAXED);
  }
}

/// Compare-and-swap with relaxed compiler atomics; returns the value seen.
template <bool SubwordAtomics, class U>
PERCPU_DETAIL_INLINE U atomic_compare_exchange(U* pointer, U expected, U desired) {
  if constexpr (sizeof(U) < 4 && !SubwordAtomics) {
    return subword_update(pointer, [expected, desired](U old, bool& store) {
      store = old == expected;
      return desired;
    });
  } else {
    __atomic_compare_exchange_n(pointer, &expected, desired, false, __ATOMIC_RELAXED,
                                __ATOMIC_RELAXED);
    return expected;
  }
}

#ifdef __SIZEOF_INT128__
/// A 16-byte compare-and-swap for architectures without a 16-byte atomic (riscv64,
/// loongarch64): the compare and the store run with this CPU's interrupts disabled, by an
/// `InterruptsOff` object whose destructor restores them, so nothing on this CPU comes between
/// them. Like every operation here, not atomic with respect to other CPUs. Returns the value
/// seen.
template <class InterruptsOff>
PERCPU_DETAIL_INLINE uint128_t compare_exchange_interrupts_off(uint128_t* pointer,
                                                               uint128_t expected,
                                                               uint128_t desired) {
  const InterruptsOff interrupts_off;
  volatile uint64_t* halves = reinterpret_cast<volatile uint64_t*>(pointer);  // little endian
  const uint128_t seen = static_cast<uint128_t>(halves[1]) << 64 | halves[0];
  if (seen == expected) {
    halves[0] = static_cast<uint64_t>(desired);
    halves[1] = static_cast<uint64_t>(desired >> 64);
  }
  return seen;
}
#endif

/// The read-modify-write strategy of an architecture for which relaxed compiler atomics are the
/// best operation on a CPU's own copy: an AMO, or an LL/SC loop that an interrupt cannot split
/// without the store-conditional failing. An architecture file adopts it by deriving from it;
/// one with better instructions of its own provides fetch_op and compare_exchange itself.
/// `SubwordAtomics`: whether the compiler inlines 1- and 2-byte atomics (else they become a CAS
/// loop on the word around them, see subword_update).
template <bool SubwordAtomics>
struct compiler_atomics {
  /// `Op` on *pointer; returns the old value.
  template <rmw_op Op, class U>
  PERCPU_DETAIL_INLINE static U fetch_op(U* pointer, U operand) {
    return atomic_rmw<SubwordAtomics, Op>(pointer, operand);
  }
  /// Compare-and-swap on *pointer; returns the value seen.
  template <class U>
  PERCPU_DETAIL_INLINE static U compare_exchange(U* pointer, U expected, U desired) {
    return atomic_compare_exchange<SubwordAtomics>(pointer, expected, desired);
  }
};

}  // namespace percpu::detail
