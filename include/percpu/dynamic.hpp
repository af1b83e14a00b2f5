// SPDX-License-Identifier: MIT OR Apache-2.0
// dynamic<T>: a per-CPU object created at run time (Linux alloc_percpu), with every accessor of a
// per-CPU variable.
#pragma once

#include "area.hpp"
#include "config.hpp"
#include "detail/reserve.hpp"
#include "variable.hpp"

namespace percpu {

/// The owner of one per-CPU object allocated at run time from the reserve every area keeps
/// (PERCPU_DYNAMIC_SIZE bytes; see dynamic_bytes_free): every CPU that init set up has a copy.
/// Move-only; the destructor frees the object. Its accessors are those of percpu<T> (current,
/// remote, every read-modify-write, at/member views, whole-machine views), minus the initial
/// value, which a dynamic object does not keep.
///
/// The owner holds one word: the object's address as if it were a variable in the image (image
/// address + its offset), which is what the accessors hand the backend, as a register where a
/// variable's is a symbol. This CPU's copy costs one load more than a variable's (of that word),
/// or nothing more once it sits in a register.
///
/// REQUIRES: create after init; free (destroy) before nothing else uses the object. A re-init
/// zeroes every CPU's copy of the objects that live across it.
template <class T>
class dynamic : public detail::accessors<dynamic<T>, T, placement::normal> {
  using base = detail::accessors<dynamic<T>, T, placement::normal>;
  friend base;
  static_assert(detail::per_cpu_type<T>::checked);

 public:
  /// An owner of nothing, as a moved-from one is: with PERCPU_DEBUG, its accessors fire the
  /// assert hook.
  constexpr dynamic() = default;
  dynamic(dynamic&& other) : address_(other.address_) { other.address_ = 0; }
  dynamic& operator=(dynamic&& other) {
    if (this != &other) {
      release();
      address_ = other.address_;
      other.address_ = 0;
    }
    return *this;
  }
  ~dynamic() { release(); }

  /// Allocates an object and sets every CPU's copy to `initial`. Safe on any CPU, concurrently,
  /// and in interrupt context (see detail/reserve.hpp). Errors: not_initialised (before init),
  /// over_aligned (alignof(T) above the areas' alignment), too_large (larger than the reserve),
  /// no_space.
  static alloc_result<dynamic> create(const T& initial) {
    const auto position = detail::reserve_allocate(sizeof(T), alignof(T));
    if (!position) return position.error();
    dynamic owner(detail::reserve_origin() + *position);
    const size_t cpus = cpu_count();
    for (size_t cpu = 0; cpu < cpus; ++cpu) {
      __builtin_memcpy(owner.remote_ptr(cpu), &initial, sizeof(T));
    }
    return static_cast<dynamic&&>(owner);
  }

  /// The same with every copy value-initialised (zero for scalars).
  static alloc_result<dynamic> create() { return create(T{}); }

 private:
  explicit dynamic(uintptr_t address) : address_(address) {}

  /// The object as the accessors see it: at its address in the image, which no access touches
  /// (the backends turn it into this CPU's copy). An owner that freed its object or was moved
  /// from holds 0.
  PERCPU_DETAIL_INLINE T& object() const {
    if constexpr (PERCPU_DEBUG) {
      PERCPU_ASSERT(address_ != 0, "percpu: dynamic object used after it was freed or moved from");
    }
    return *reinterpret_cast<T*>(address_);
  }

  void release() {
    if (address_ == 0) return;
    detail::reserve_free(address_ - detail::reserve_origin(), sizeof(T));
    address_ = 0;
  }

  uintptr_t address_ = 0;
};

}  // namespace percpu
