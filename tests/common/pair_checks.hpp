// SPDX-License-Identifier: MIT OR Apache-2.0
// The 16-byte compare-and-swap on the calling CPU's copy of a {pointer, tag} pair, as lock-free
// per-CPU free lists use it (64-bit architectures): its semantics, and an increment that the host
// signal storm and the QEMU interrupt phase run both in the interrupted loop and in the handler.
// Shared by tests/unit and the QEMU test body. Freestanding: no standard library.
#pragma once

#include <stdint.h>

#include <percpu.hpp>

#include "checks_inline.hpp"

namespace pair_checks {

struct alignas(16) tagged {
  uint64_t pointer;
  uint64_t tag;
};

/// pointer += 1, tag += 2 on the calling CPU's copy, by a try_cmpxchg_current loop: a copy
/// changed (or read torn) by an interrupt between the read and the exchange makes the exchange
/// fail and report what it saw, and the loop retries from there.
template <class Var>
CHECKS_INLINE void increment(const Var& var) {
  tagged expected = var.read_current();
  while (!var.try_cmpxchg_current(expected, tagged{expected.pointer + 1, expected.tag + 2})) {
  }
}

/// Runs the 16-byte operations on the calling CPU's copy of `var` (a percpu<tagged>) and passes
/// each outcome to `check(bool ok, const char* what)`; restores the initial value.
template <class Var, class Check>
CHECKS_INLINE void run(const Var& var, Check&& check) {
  const tagged initial = var.initial_value();
  var.write_current(tagged{1, 10});
  tagged seen = var.cmpxchg_current(tagged{1, 10}, tagged{2, 20});
  check(seen.pointer == 1 && seen.tag == 10 && var.read_current().tag == 20,
        "16-byte cmpxchg_current (match)");
  // Only the high half differs: both halves are compared.
  seen = var.cmpxchg_current(tagged{2, 21}, tagged{3, 30});
  check(seen.pointer == 2 && seen.tag == 20 && var.read_current().pointer == 2,
        "16-byte cmpxchg_current (high half differs)");
  seen = var.cmpxchg_current(tagged{5, 20}, tagged{3, 30});
  check(seen.pointer == 2 && var.read_current().tag == 20,
        "16-byte cmpxchg_current (low half differs)");
  tagged expected{7, 7};
  check(!var.try_cmpxchg_current(expected, tagged{8, 8}) && expected.pointer == 2 &&
            expected.tag == 20,
        "16-byte try_cmpxchg_current (mismatch: reports the value seen)");
  check(var.try_cmpxchg_current(expected, tagged{~uint64_t{0}, uint64_t{1} << 63}) &&
            var.read_current().pointer == ~uint64_t{0} &&
            var.read_current().tag == uint64_t{1} << 63,
        "16-byte try_cmpxchg_current (match, every bit)");
  increment(var);
  check(var.read_current().pointer == 0 && var.read_current().tag == (uint64_t{1} << 63) + 2,
        "16-byte increment (the low word wraps alone)");
  var.write_current(initial);
}

}  // namespace pair_checks
