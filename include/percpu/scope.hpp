// SPDX-License-Identifier: MIT OR Apache-2.0
// this_cpu_scope: several accesses to the calling CPU's copies under one guard and one read of
// the per-CPU register.
#pragma once

#include "arch.hpp"
#include "config.hpp"
#include "detail/asm.hpp"
#include "detail/rmw.hpp"
#include "detail/traits.hpp"
#include "variable.hpp"

namespace percpu {

/// A stretch of code working on the calling CPU's copies: holds PERCPU_GUARD from construction
/// to destruction, and reads the per-CPU register once, at construction, so that every access
/// through it starts from that value: on aarch64 and armv7, whose register is a system register
/// that each plain accessor reads again (`mrs` / `mrc`), an access is then one load or store
/// (`ldr x0, [x1, #:lo12:var]` for a hot variable), a read-modify-write its atomic sequence alone.
/// On x86_64, riscv64 and loongarch64 the accesses name the register themselves and cost what
/// the plain ones cost. A timer tick, say:
///
///     percpu::this_cpu_scope cpu;
///     cpu.inc(ticks);
///     cpu.add(runtime, now - cpu.read(last));
///     cpu.write(last, now);
///
/// The accessors take a variable, a view (`var.at(i)`, `var.member<&T::m>()`) or a dynamic
/// object, and do what the variable's *_current accessors do: read and write are single
/// accesses where the variable's are; add, sub, inc, dec, add_return, xchg and cmpxchg are
/// atomic against interrupts on this CPU (xchg and cmpxchg on 1, 2, 4 or 8-byte values).
/// REQUIRES: init_percpu_reg done on this CPU, and the scope used only by the code that made it
/// (not stored, not passed to another CPU): the base it holds names this CPU's area.
class this_cpu_scope {
 public:
  PERCPU_DETAIL_INLINE this_cpu_scope() : base_(detail::backend::base()) {}
  this_cpu_scope(const this_cpu_scope&) = delete;
  this_cpu_scope& operator=(const this_cpu_scope&) = delete;

  /// This CPU's copy of `object`.
  template <class Derived, class T, placement Place>
  PERCPU_DETAIL_INLINE T* ptr(const detail::accessors<Derived, T, Place>& object) const {
    detail::check_register();
    return detail::backend::template this_cpu_ptr<Place>(object.object(), base_);
  }

  /// Reads this CPU's copy of `object`.
  template <class Derived, class T, placement Place>
  PERCPU_DETAIL_INLINE T read(const detail::accessors<Derived, T, Place>& object) const
      requires(!detail::is_array<T>) {
    if constexpr (!detail::word_sized<T>) {
      return *ptr(object);
    } else {
      detail::check_register();
      return __builtin_bit_cast(T, detail::backend::template load<Place>(object.as_word(), base_));
    }
  }

  /// Writes this CPU's copy of `object`.
  template <class Derived, class T, placement Place>
  PERCPU_DETAIL_INLINE void write(const detail::accessors<Derived, T, Place>& object,
                                  const detail::identity_t<T>& value) const
      requires(!detail::is_array<T>) {
    if constexpr (!detail::word_sized<T>) {
      *ptr(object) = value;
    } else {
      detail::check_register();
      using word = detail::word_t<T>;
      detail::backend::template store<Place>(object.as_word(), __builtin_bit_cast(word, value),
                                             base_);
    }
  }

  /// Adds `value` to this CPU's copy of `object`, atomically against interrupts on this CPU.
  template <class Derived, class T, placement Place>
  PERCPU_DETAIL_INLINE void add(const detail::accessors<Derived, T, Place>& object,
                                detail::identity_t<T> value) const requires detail::integer<T> {
    fetch<detail::rmw_op::add>(object, static_cast<detail::word_t<T>>(value));
  }
  /// Subtracts `value` (as add).
  template <class Derived, class T, placement Place>
  PERCPU_DETAIL_INLINE void sub(const detail::accessors<Derived, T, Place>& object,
                                detail::identity_t<T> value) const requires detail::integer<T> {
    using word = detail::word_t<T>;
    fetch<detail::rmw_op::add>(object, static_cast<word>(word{0} - static_cast<word>(value)));
  }
  /// Adds 1 (as add).
  template <class Derived, class T, placement Place>
  PERCPU_DETAIL_INLINE void inc(
      const detail::accessors<Derived, T, Place>& object) const requires detail::integer<T> {
    fetch<detail::rmw_op::add>(object, detail::word_t<T>{1});
  }
  /// Subtracts 1 (as add).
  template <class Derived, class T, placement Place>
  PERCPU_DETAIL_INLINE void dec(
      const detail::accessors<Derived, T, Place>& object) const requires detail::integer<T> {
    fetch<detail::rmw_op::add>(object, static_cast<detail::word_t<T>>(~detail::word_t<T>{0}));
  }
  /// Adds `value` and returns the new value (as add).
  template <class Derived, class T, placement Place>
  PERCPU_DETAIL_INLINE T add_return(const detail::accessors<Derived, T, Place>& object,
                                    detail::identity_t<T> value) const requires detail::integer<T> {
    using word = detail::word_t<T>;
    return static_cast<T>(
        static_cast<word>(fetch<detail::rmw_op::fetch_add>(object, static_cast<word>(value)) +
                          static_cast<word>(value)));
  }
  /// Stores `value` and returns the old value (as add).
  template <class Derived, class T, placement Place>
  PERCPU_DETAIL_INLINE T xchg(const detail::accessors<Derived, T, Place>& object,
                              detail::identity_t<T> value) const requires detail::exchangeable<T> {
    using word = detail::word_t<T>;
    return __builtin_bit_cast(
        T, fetch<detail::rmw_op::exchange>(object, __builtin_bit_cast(word, value)));
  }
  /// Stores `desired` if the copy equals `expected`; returns the value seen (as add).
  template <class Derived, class T, placement Place>
  PERCPU_DETAIL_INLINE T
  cmpxchg(const detail::accessors<Derived, T, Place>& object, detail::identity_t<T> expected,
          detail::identity_t<T> desired) const requires detail::exchangeable<T> {
    using word = detail::word_t<T>;
    detail::check_register();
    const word old = __builtin_bit_cast(word, expected), next = __builtin_bit_cast(word, desired);
    return __builtin_bit_cast(T, detail::backend::template compare_exchange_in_scope<Place>(
                                     object.as_word(), old, next, base_));
  }

 private:
  template <detail::rmw_op Op, class Derived, class T, placement Place>
  PERCPU_DETAIL_INLINE detail::word_t<T> fetch(const detail::accessors<Derived, T, Place>& object,
                                               detail::word_t<T> operand) const {
    detail::check_register();
    return detail::backend::template rmw_in_scope<Op, Place>(object.as_word(), operand, base_);
  }

  // The guard first: the register is read once it is held.
  [[no_unique_address, maybe_unused]] PERCPU_GUARD guard_;
  [[no_unique_address]] detail::backend::base_t base_;
};

}  // namespace percpu
