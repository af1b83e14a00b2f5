// SPDX-License-Identifier: MIT OR Apache-2.0
// A value or an error, shaped like std::expected (which freestanding builds do not have): the
// result of init (init_result) and of creating a dynamic object (alloc_result).
#pragma once

#include "../config.hpp"

namespace percpu::detail {

/// A `V` or an `E`. `V` is default-constructible: an error result holds a default `V` (for an
/// owner such as dynamic<T>, an empty one), so no storage tricks are needed. A move-only `V`
/// makes the result move-only; its value moves out with `*std::move(result)`, or through a
/// reference (`auto owner = std::move(*result);`).
template <class V, class E>
class [[nodiscard]] result {
 public:
  constexpr result(V value) : value_(static_cast<V&&>(value)), error_(), ok_(true) {}
  constexpr result(E error) : value_(), error_(error), ok_(false) {}

  constexpr bool has_value() const { return ok_; }
  constexpr explicit operator bool() const { return ok_; }
  /// REQUIRES: has_value() (else the assert hook fires and the default V is returned).
  constexpr const V& value() const& {
    PERCPU_ASSERT(ok_, "percpu: value() of a result that holds an error");
    return value_;
  }
  constexpr V& value() & {
    PERCPU_ASSERT(ok_, "percpu: value() of a result that holds an error");
    return value_;
  }
  constexpr V&& value() && { return static_cast<V&&>(value()); }
  constexpr const V& operator*() const& { return value(); }
  constexpr V& operator*() & { return value(); }
  constexpr V&& operator*() && { return static_cast<V&&>(value()); }
  constexpr V* operator->() { return &value(); }
  constexpr const V* operator->() const { return &value(); }
  /// REQUIRES: !has_value().
  constexpr E error() const {
    PERCPU_ASSERT(!ok_, "percpu: error() of a result that holds a value");
    return error_;
  }
  friend constexpr bool operator==(const result&, const result&) = default;

 private:
  V value_;
  E error_;
  bool ok_;
};

}  // namespace percpu::detail
