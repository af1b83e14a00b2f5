// SPDX-License-Identifier: MIT OR Apache-2.0
// Counters with per-CPU deltas (Linux percpu_counter, FreeBSD counter(9)): cheap to update on
// every CPU at once, exact when summed, approximate when read cheaply.
#pragma once

#include "dynamic.hpp"
#include "variable.hpp"

namespace percpu {

/// The largest batch a counter takes: 2 * (batch - 1) must fit the fast path's unsigned compare.
inline constexpr int64_t counter_max_batch = int64_t{1} << 62;

namespace detail {

/// What every counter does, over `Derived::delta()`: its per-CPU int64_t delta (a percpu or a
/// dynamic), which folds into the shared total once it reaches +-batch.
///
/// add(v): delta = this CPU's delta += v (one read-modify-write: interrupt-safe);
///         if |delta| >= batch (one unsigned compare): fold:
///           taken = exchange this CPU's delta with 0; total += taken (atomic).
/// An amount is always in exactly one place: a delta, a fold in progress (taken, not yet added),
/// or the total; the exchange and the atomic add move it whole, so no interrupt, migration or
/// other CPU can lose or double it, and sum() is exact whenever no add runs. Neither step needs
/// the preemption guard: a thread that moves to another CPU between them folds that CPU's delta,
/// which is as good.
///
/// Error bound of approximate() (the total alone): a CPU holds back what it added since its
/// last completed fold. With m the largest |amount| of one add and L the deepest nesting of
/// adds on one CPU (1 when no add is interrupted or preempted by another add on its CPU, 2 with
/// an interrupt handler that adds, ...), a CPU holds back at most L x (batch - 1 + L x m), so
///   |sum() - approximate()| <= CPUs x L x (batch - 1 + L x m)
/// (with inc/dec and no nesting: at most CPUs x batch).
template <class Derived>
class counter_operations {
 public:
  /// Adds `amount` to this CPU's delta; folds the delta into the total when it reaches +-batch.
  /// Interrupt-safe: an interrupt handler on this CPU may add to the same counter. No guard
  /// needed.
  PERCPU_DETAIL_INLINE void add(int64_t amount) {
    const int64_t delta = self().delta().add_return_current(amount);
    // -batch < delta < batch  <=>  delta + (batch - 1) in [0, 2 (batch - 1)], one compare.
    if (static_cast<uint64_t>(delta) + limit_ > 2 * limit_) [[unlikely]] {
      fold();
    }
  }
  PERCPU_DETAIL_INLINE void inc() { add(1); }
  PERCPU_DETAIL_INLINE void dec() { add(-1); }

  /// The shared total: one relaxed load, off by at most the bound above.
  int64_t approximate() const { return __atomic_load_n(&total_, __ATOMIC_RELAXED); }

  /// The total plus every CPU's delta (relaxed loads: race-free while CPUs add): exact when no
  /// add runs meanwhile. REQUIRES: init done.
  int64_t sum() const {
    return static_cast<int64_t>(static_cast<uint64_t>(approximate()) +
                                static_cast<uint64_t>(self().delta().sum()));
  }

  /// The batch the counter was made with.
  int64_t batch() const { return static_cast<int64_t>(limit_) + 1; }

 protected:
  constexpr explicit counter_operations(int64_t batch)
      : total_(0), limit_(static_cast<uint64_t>(batch - 1)) {}
  counter_operations() = default;

 private:
  const Derived& self() const { return static_cast<const Derived&>(*this); }

  // Out of line: the fast path stays one read-modify-write and one compare.
  [[gnu::noinline, gnu::cold]] void fold() {
    const int64_t taken = self().delta().xchg_current(0);
    __atomic_fetch_add(&total_, taken, __ATOMIC_RELAXED);
  }

  int64_t total_ = 0;
  uint64_t limit_ = 0;  // batch - 1
};

}  // namespace detail

/// A counter defined with PERCPU_DEFINE_COUNTER: `Delta` is its per-CPU delta, a variable, so
/// add is as fast as a variable's add_return_current (x86_64: `xadd %gs:delta`, a compare).
template <auto& Delta>
class static_counter : public detail::counter_operations<static_counter<Delta>> {
  friend detail::counter_operations<static_counter<Delta>>;

 public:
  /// Only PERCPU_DEFINE_COUNTER constructs one (constinit).
  constexpr static_counter(detail::definition_tag, int64_t batch)
      : detail::counter_operations<static_counter<Delta>>(batch) {}
  static_counter(const static_counter&) = delete;
  static_counter& operator=(const static_counter&) = delete;

 private:
  static constexpr auto& delta() { return Delta; }
};

/// A counter created at run time (Linux percpu_counter_init): its delta is a dynamic<int64_t>.
/// Move-only, like the delta it owns; destroying it frees the delta. Members as
/// detail::counter_operations: add, inc, dec, approximate, sum, batch.
class counter : public detail::counter_operations<counter> {
  friend detail::counter_operations<counter>;

 public:
  /// A counter that owns no delta (as a moved-from one): with PERCPU_DEBUG, using it fires the
  /// assert hook.
  counter() = default;

  /// A counter at 0 whose CPUs fold their deltas into the total at +-batch. Errors: those of
  /// dynamic<int64_t>::create, and invalid_batch for batch < 1 or > counter_max_batch. Safe on
  /// any CPU and in interrupt context.
  static alloc_result<counter> create(int64_t batch) {
    if (batch < 1 || batch > counter_max_batch) return alloc_error::invalid_batch;
    auto delta = dynamic<int64_t>::create(0);
    if (!delta) return delta.error();
    return counter(batch, static_cast<dynamic<int64_t>&&>(*delta));
  }

 private:
  counter(int64_t batch, dynamic<int64_t>&& delta)
      : detail::counter_operations<counter>(batch),
        delta_(static_cast<dynamic<int64_t>&&>(delta)) {}

  PERCPU_DETAIL_INLINE const dynamic<int64_t>& delta() const { return delta_; }

  dynamic<int64_t> delta_;
};

}  // namespace percpu

/// Defines counter `name` (at namespace scope) with the given batch (a constant, 1 to
/// percpu::counter_max_batch): a percpu::static_counter whose per-CPU delta is the variable
/// `name##_percpu_delta`. Constant-initialised, like every per-CPU definition.
#define PERCPU_DEFINE_COUNTER(name, batch)                                         \
  static_assert((batch) >= 1 && (batch) <= ::percpu::counter_max_batch,            \
                "PERCPU_DEFINE_COUNTER: the batch must be at least 1 and at most " \
                "percpu::counter_max_batch");                                      \
  PERCPU_DEFINE(int64_t, name##_percpu_delta, 0);                                  \
  constinit ::percpu::static_counter<name##_percpu_delta> name {                   \
    ::percpu::detail::definition_tag{}, (batch)                                    \
  }

/// Declares a counter defined elsewhere with PERCPU_DEFINE_COUNTER (for headers).
#define PERCPU_DECLARE_COUNTER(name)            \
  PERCPU_DECLARE(int64_t, name##_percpu_delta); \
  extern ::percpu::static_counter<name##_percpu_delta> name
