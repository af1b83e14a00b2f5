// SPDX-License-Identifier: MIT OR Apache-2.0
// Single-CPU "backend" (PERCPU_SINGLE_CPU=1): no register; the image is the only copy, so
// every access goes straight to the global.
#pragma once

#include "../detail/baseless.hpp"
#include "../detail/rmw.hpp"
#include "../detail/section.hpp"

namespace percpu::detail {

struct single_cpu_backend : baseless<single_cpu_backend> {
  static constexpr const char* name = "single-cpu";
  static constexpr const char* register_name = "none";
  // No register: nothing is biased, but read_register() + this is still the image, the one
  // copy.
  static uintptr_t register_bias() { return image_vma(); }
  static bool placement_ok() { return true; }
  static constexpr bool single_instruction_rmw = false;

  template <class T>
  static uintptr_t image_address(const T& var) {
    return address(&var);
  }

  static uintptr_t read_register() { return 0; }
  static void write_register(uintptr_t) {}

  // Volatile, as on every backend: an interrupt handler may change the value between two reads.
  template <placement, class U>
  static U load(const U& var, base_t = {}) {
    return *static_cast<const volatile U*>(&var);
  }
  template <placement, class U>
  static void store(U& var, U value, base_t = {}) {
    *static_cast<volatile U*>(&var) = value;
  }
  template <placement, class T>
  static T* this_cpu_ptr(const T& var, base_t = {}) {
    return const_cast<T*>(&var);
  }
  // Atomic, so an interrupt handler updating the same variable loses nothing.
  template <rmw_op Op, placement, class U>
  static U rmw(U& var, U operand) {
    return compiler_atomics<true>::fetch_op<Op>(&var, operand);
  }
  template <placement, class U>
  static U compare_exchange(U& var, U expected, U desired) {
#ifndef __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16
    static_assert(sizeof(U) < 16,
                  "percpu: single-CPU builds have 16-byte compare-and-swap where the compiler "
                  "inlines it (x86_64: -mcx16)");
#endif
    return compiler_atomics<true>::compare_exchange(&var, expected, desired);
  }
  template <rmw_op Op, placement, class U>
  static void rmw_raw(U& var, U operand) {
    volatile U& copy = var;
    copy = apply<Op>(static_cast<U>(copy), operand);
  }
};

using backend = single_cpu_backend;

}  // namespace percpu::detail
