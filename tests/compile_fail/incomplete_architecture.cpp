// SPDX-License-Identifier: MIT OR Apache-2.0
// An architecture file that does not provide the whole per-architecture contract (arch_policy)
// is refused where the shared backend is instantiated, with a message naming the contract.
// expect: the architecture file does not provide the contract
#include <percpu/detail/register_backend.hpp>

struct incomplete_arch {
  static constexpr const char* name = "incomplete";
  static constexpr const char* register_name = "r0";
  static constexpr bool subword_atomics = true;
  static constexpr bool offset_from_low_bits = false;
  // No register access, no load/store/pointer sequences.
};

static_assert(sizeof(percpu::detail::register_backend<incomplete_arch>) > 0);
