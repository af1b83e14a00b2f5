// SPDX-License-Identifier: MIT OR Apache-2.0
// Every read-modify-write on the calling CPU's copy of one integer per-CPU variable, with the
// expected values stated here, and an increment by a compare-and-swap loop through a
// this_cpu_scope that the host signal storm and the QEMU interrupt phase run both in the
// interrupted loop and in the handler. Shared by the host tests (tests/unit) and the QEMU test
// body. Freestanding: no standard library.
#pragma once

#include <percpu.hpp>

#include "checks_inline.hpp"

namespace rmw_checks {

/// Runs every read-modify-write on the calling CPU's copy of `var` (an integer percpu<T>, or a
/// dynamic<T> or view of one) and passes each outcome to `check(bool ok, const char* what)`.
/// Starts from and restores the initial value (of a dynamic object or view, the value it finds).
/// REQUIRES: init_percpu_reg done on this CPU.
template <class Var, class Check>
void run(const Var& var, Check&& check) {
  using T = typename Var::value_type;
  using word = percpu::detail::word_t<T>;
  constexpr bool is_signed = static_cast<T>(-1) < static_cast<T>(0);
  constexpr T max =
      is_signed ? static_cast<T>(static_cast<word>(~word{0}) >> 1) : static_cast<T>(~word{0});
  constexpr T min = is_signed ? static_cast<T>(static_cast<word>(max) + 1) : T{0};

  constexpr bool has_initial_value = requires { var.initial_value(); };
  T initial = var.read_current();
  if constexpr (has_initial_value) {
    initial = var.initial_value();
    check(var.read_current() == initial, "initial value");
  }
  var.write_current(T{10});
  var.add_current(T{5});
  check(var.read_current() == T{15}, "add_current");
  var.sub_current(T{7});
  check(var.read_current() == T{8}, "sub_current");
  var.inc_current();
  var.inc_current();
  var.dec_current();
  check(var.read_current() == T{9}, "inc_current / dec_current");
  var.and_current(T{3});
  check(var.read_current() == T{1}, "and_current");
  var.or_current(T{6});
  check(var.read_current() == T{7}, "or_current");
  var.xor_current(T{5});
  check(var.read_current() == T{2}, "xor_current");
  check(var.xchg_current(T{40}) == T{2} && var.read_current() == T{40}, "xchg_current");
  check(var.add_return_current(T{2}) == T{42}, "add_return_current");
  check(var.cmpxchg_current(T{42}, T{50}) == T{42} && var.read_current() == T{50},
        "cmpxchg_current (match)");
  check(var.cmpxchg_current(T{42}, T{60}) == T{50} && var.read_current() == T{50},
        "cmpxchg_current (mismatch)");
  T expected{42};
  check(!var.try_cmpxchg_current(expected, T{60}) && expected == T{50},
        "try_cmpxchg_current (mismatch: reports the value seen)");
  check(var.try_cmpxchg_current(expected, T{60}) && var.read_current() == T{60},
        "try_cmpxchg_current (match)");
  check(var.sub_return_current(T{5}) == T{55}, "sub_return_current");
  check(var.inc_return_current() == T{56}, "inc_return_current");
  check(var.dec_return_current() == T{55}, "dec_return_current");
  // Below zero: -5 for a signed type, the same bits for an unsigned one.
  check(var.sub_return_current(T{60}) == static_cast<T>(T{55} - T{60}), "sub_return below zero");
  // Wrap-around behaves like the arithmetic of the type's width.
  var.write_current(max);
  var.inc_current();
  check(var.read_current() == min, "inc_current wraps around");
  var.dec_current();
  check(var.read_current() == max, "dec_current wraps around");
  check(var.inc_return_current() == min, "inc_return_current wraps around");
  check(var.dec_return_current() == max, "dec_return_current wraps around");
  check(var.add_return_current(T{2}) == static_cast<T>(min + 1), "add_return_current wraps");
  // The tier that is not interrupt-safe: the caller keeps interrupts off this variable (here no
  // handler touches it).
  var.write_current(T{20});
  var.add_current_raw(T{5});
  check(var.read_current() == T{25}, "add_current_raw");
  var.sub_current_raw(T{7});
  check(var.read_current() == T{18}, "sub_current_raw");
  var.inc_current_raw();
  var.inc_current_raw();
  var.dec_current_raw();
  check(var.read_current() == T{19}, "inc_current_raw / dec_current_raw");
  var.and_current_raw(T{6});
  check(var.read_current() == T{2}, "and_current_raw");
  var.or_current_raw(T{9});
  check(var.read_current() == T{11}, "or_current_raw");
  var.xor_current_raw(T{3});
  check(var.read_current() == T{8}, "xor_current_raw");
  var.sub_current_raw(T{10});
  check(var.read_current() == static_cast<T>(T{8} - T{10}), "sub_current_raw below zero");
  var.write_current(max);
  var.inc_current_raw();
  check(var.read_current() == min, "inc_current_raw wraps around");
  var.dec_current_raw();
  check(var.read_current() == max, "dec_current_raw wraps around");
  if constexpr (has_initial_value) {
    var.reset_to_init();
  } else {
    var.write_current(initial);
  }
  check(var.read_current() == initial, "reset_to_init");
}

/// `var` += 1 on the calling CPU's copy through `scope`, by a compare-and-swap loop: an
/// interrupt that changes the copy between the read and the cmpxchg makes the cmpxchg fail and
/// report what it saw, and the loop retries from there.
template <class Var>
CHECKS_INLINE void increment_by_cmpxchg(percpu::this_cpu_scope& scope, const Var& var) {
  using T = typename Var::value_type;
  for (T seen = scope.read(var), was; (was = scope.cmpxchg(var, seen, T(seen + 1))) != seen;)
    seen = was;
}

}  // namespace rmw_checks
