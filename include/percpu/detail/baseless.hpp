// SPDX-License-Identifier: MIT OR Apache-2.0
// The this_cpu_scope side of a backend that has no base to hold.
#pragma once

#include "asm.hpp"
#include "rmw.hpp"

namespace percpu::detail {

/// For a backend whose accesses name the per-CPU register themselves and whose
/// read-modify-writes take no guard (x86_64: one %gs instruction each; single CPU: the compiler's
/// atomics on the one copy): its base is empty, its load, store and this_cpu_ptr take it as an
/// optional last argument and ignore it, and a this_cpu_scope's read-modify-writes are the plain
/// ones. `Backend` derives from baseless<Backend>.
template <class Backend>
struct baseless {
  struct base_t {};
  PERCPU_DETAIL_INLINE static base_t base() { return {}; }

  template <rmw_op Op, placement Place, class U>
  PERCPU_DETAIL_INLINE static U rmw_in_scope(U& var, U operand, base_t) {
    return Backend::template rmw<Op, Place>(var, operand);
  }
  template <placement Place, class U>
  PERCPU_DETAIL_INLINE static U compare_exchange_in_scope(U& var, U expected, U desired, base_t) {
    return Backend::template compare_exchange<Place>(var, expected, desired);
  }
};

}  // namespace percpu::detail
