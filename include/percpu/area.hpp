// SPDX-License-Identifier: MIT OR Apache-2.0
// The per-CPU areas: layout, initialisation, and the per-CPU register. Names and meanings follow
// the Rust crate `percpu` (ArceOS), so code written against it ports one to one.
#pragma once

#include "arch.hpp"
#include "config.hpp"
#include "detail/asm.hpp"
#include "detail/result.hpp"
#include "detail/section.hpp"

namespace percpu {

/// Why `init` or `init_in_place` refused to initialise.
enum class init_error {
  invalid_base,       ///< the base address is null
  unaligned_base,     ///< the base is not aligned to percpu_area_layout_expected(n).align
  zero_cpus,          ///< asked for zero CPUs
  size_overflow,      ///< cpu_count areas do not fit in the address space from base
  no_reserved_areas,  ///< init_in_place: the linker script reserved no area
  busy,               ///< another init is running at the same time
  base_out_of_reach,  ///< the per-CPU register cannot hold this base (x86_64 Linux user space:
                      ///< areas below the program, a negative GS base, which Linux refuses)
  image_misplaced,    ///< .percpu not linked where the code expects it: not at VMA 0 though
                      ///< built with PERCPU_ZERO_VMA (or the reverse); or not aligned or sized
                      ///< as the backend needs (aarch64, armv7: see image_alignment there)
};

/// A short English description of `error`.
constexpr const char* to_string(init_error error) {
  switch (error) {
    case init_error::invalid_base:
      return "base address is null";
    case init_error::unaligned_base:
      return "base address is not aligned to the area alignment";
    case init_error::zero_cpus:
      return "CPU count is zero";
    case init_error::size_overflow:
      return "the areas would overflow the address space";
    case init_error::no_reserved_areas:
      return "the linker script reserved no per-CPU area";
    case init_error::busy:
      return "another initialisation is in progress";
    case init_error::base_out_of_reach:
      return "the per-CPU register cannot hold this base";
    case init_error::image_misplaced:
      return ".percpu is not linked where the code expects it";
  }
  return "unknown error";
}

/// The result of `init`: the number of areas initialised, or an init_error. Shaped like
/// std::expected<std::size_t, init_error>.
using init_result = detail::result<size_t, init_error>;

/// Size and alignment of a block of per-CPU areas (like core::alloc::Layout).
struct area_layout {
  size_t size;   ///< bytes; 0 when the size would overflow or no CPU was asked for
  size_t align;  ///< the alignment the block's base needs
};

namespace detail {

/// Set by init: where the areas are and how many there are. Written while `busy` is held and
/// published with release stores; read with acquire loads.
struct area_state {
  uintptr_t base;
  size_t count;
  uint32_t busy;  // a word, not a bool: not every backend has an inline 1-byte CAS
};
inline constinit area_state areas{};

inline bool multiply_overflows(size_t a, size_t b, size_t& product) {
  return __builtin_mul_overflow(a, b, &product);
}

}  // namespace detail

#if PERCPU_SINGLE_CPU

namespace detail {
inline bool register_points_at_an_area() { return true; }
}  // namespace detail

inline size_t percpu_area_num() { return 1; }
inline size_t cpu_count() { return 1; }
inline size_t percpu_area_size() { return 0; }
inline area_layout percpu_area_layout_expected(size_t) { return {0, 64}; }
inline uintptr_t percpu_area_base(size_t) { return 0; }
inline uintptr_t read_percpu_reg() { return 0; }
inline void write_percpu_reg(uintptr_t) {}
inline void init_percpu_reg(size_t) {}
/// Single-CPU build: nothing to initialise; reports one CPU whatever the arguments.
inline init_result init(void*, size_t) { return size_t{1}; }
inline init_result init_in_place() { return size_t{1}; }

#else

/// Number of areas the linker script reserved (PERCPU_AREA_COUNT).
inline size_t percpu_area_num() {
  return (detail::address(_percpu_end) - detail::address(_percpu_start)) / detail::area_stride();
}

/// Number of CPUs the last init set up areas for (0 before init): the CPU ids that remote_ptr
/// and the whole-machine views accept.
inline size_t cpu_count() {
  return __atomic_load_n(&detail::areas.base, __ATOMIC_ACQUIRE) == 0
             ? 0
             : __atomic_load_n(&detail::areas.count, __ATOMIC_RELAXED);
}

/// Bytes of per-CPU data in one area (all per-CPU variables, before rounding to the stride).
inline size_t percpu_area_size() { return detail::area_size(); }

/// The memory `init(base, cpu_count)` needs: cpu_count strides, aligned like the strictest
/// per-CPU variable (at least 64 bytes). size is 0 when cpu_count is 0 or the size overflows.
inline area_layout percpu_area_layout_expected(size_t cpu_count) {
  size_t size = 0;
  if (detail::multiply_overflows(cpu_count, detail::area_stride(), size)) size = 0;
  return {size, detail::area_align()};
}

/// Base address of CPU `cpu`'s area. Never waits: during the first init it reports use before
/// init, and during a re-init it may return the old areas or the new ones (so an interrupt or
/// signal handler that runs on the CPU doing the init cannot deadlock against it).
/// REQUIRES: init done (else the assert hook); cpu < the count given to init (checked with
/// PERCPU_DEBUG).
inline uintptr_t percpu_area_base(size_t cpu) {
  const uintptr_t base = __atomic_load_n(&detail::areas.base, __ATOMIC_ACQUIRE);
  PERCPU_ASSERT(base != 0, "percpu: per-CPU areas used before init");
  if (base == 0) return 0;
  if constexpr (PERCPU_DEBUG) {
    const bool in_range = cpu < __atomic_load_n(&detail::areas.count, __ATOMIC_RELAXED);
    PERCPU_ASSERT(in_range, "percpu: CPU id out of range");
    if (!in_range) return 0;
  }
  return base + cpu * detail::area_stride();
}

/// The area base of the calling CPU, read from the per-CPU register (see the README's register
/// table).
inline uintptr_t read_percpu_reg() {
  return detail::backend::read_register() + detail::backend::register_bias();
}

/// Points the per-CPU register of the calling CPU at the area at `area_base`.
inline void write_percpu_reg(uintptr_t area_base) {
  detail::backend::write_register(area_base - detail::backend::register_bias());
}

/// Points the per-CPU register of the calling CPU at area `cpu`. Call once on every CPU, after
/// init. REQUIRES: as percpu_area_base (on failure, the register is left alone).
inline void init_percpu_reg(size_t cpu) {
  const uintptr_t base = percpu_area_base(cpu);
  if (base != 0) write_percpu_reg(base);
}

namespace detail {

/// Whether the calling CPU's register points at one of the areas the last init set up.
inline bool register_points_at_an_area() {
  const uintptr_t first = __atomic_load_n(&areas.base, __ATOMIC_ACQUIRE);
  const size_t count = __atomic_load_n(&areas.count, __ATOMIC_RELAXED);
  const uintptr_t distance = read_percpu_reg() - first;
  return first != 0 && distance < count * area_stride() && distance % area_stride() == 0;
}

/// Whether the backend's register can hold the value for areas from `base` to `end`; every base
/// can where the backend states no limit.
template <class Backend = backend>
inline bool register_reaches(uintptr_t base, uintptr_t end) {
  if constexpr (requires { Backend::register_reaches(uintptr_t{}, uintptr_t{}); }) {
    return Backend::register_reaches(base - Backend::register_bias(),
                                     end - Backend::register_bias());
  } else {
    return true;
  }
}

/// Makes the image read-only where the backend can (hosted Linux); elsewhere does nothing.
template <class Backend = backend>
inline void protect_image() {
  if constexpr (requires { Backend::protect_image(uintptr_t{}, size_t{}); }) {
    Backend::protect_image(image_vma(), area_stride());
  }
}

/// Copies the image into the area at `area_base` without memcpy (see copy_bytes). The whole
/// stride: the image's dynamic reserve is zeros, so every area's starts zeroed. The image and
/// every area start on a 64-byte boundary and span a stride, a multiple of 64 bytes, so the copy
/// goes a word at a time.
inline void copy_image(uintptr_t area_base) {
  copy_bytes(reinterpret_cast<void*>(area_base), image_bytes(), area_stride());
}

inline init_result init_areas(uintptr_t base, size_t cpu_count) {
  if (base == 0) return init_error::invalid_base;
  if (base % area_align() != 0) return init_error::unaligned_base;
  if (cpu_count == 0) return init_error::zero_cpus;
  size_t total = 0;
  uintptr_t end = 0;
  if (multiply_overflows(cpu_count, area_stride(), total) ||
      __builtin_add_overflow(base, total, &end)) {
    return init_error::size_overflow;
  }
  if (!image_placement_matches() || !backend::placement_ok()) {
    return init_error::image_misplaced;
  }
  if (!register_reaches(base, end)) return init_error::base_out_of_reach;

  uint32_t idle = 0;
  if (!__atomic_compare_exchange_n(&areas.busy, &idle, 1, false, __ATOMIC_ACQUIRE,
                                   __ATOMIC_RELAXED)) {
    return init_error::busy;
  }
  // Every area, the first included, starts as a copy of the pristine image; the image
  // itself is never written, so reset_to_init can always read initial values from it.
  for (size_t cpu = 0; cpu < cpu_count; ++cpu) copy_image(base + cpu * area_stride());
  protect_image();
  __atomic_store_n(&areas.count, cpu_count, __ATOMIC_RELEASE);
  __atomic_store_n(&areas.base, base, __ATOMIC_RELEASE);
  __atomic_store_n(&areas.busy, 0, __ATOMIC_RELEASE);
  return cpu_count;
}

}  // namespace detail

/// Initialises `cpu_count` areas in caller-provided memory at `base` (see
/// percpu_area_layout_expected), copying the initial values into each. May be called again to
/// re-initialise (every area is overwritten). Returns cpu_count, or why it refused.
inline init_result init(void* base, size_t cpu_count) {
  return detail::init_areas(detail::address(base), cpu_count);
}

/// Initialises the areas the linker script reserved (percpu_area_num() of them).
inline init_result init_in_place() {
  if (percpu_area_num() == 0) return init_error::no_reserved_areas;
  return detail::init_areas(detail::address(_percpu_start), percpu_area_num());
}

#endif

namespace detail {

/// With PERCPU_DEBUG, every current accessor first checks that this CPU's register was set by
/// init_percpu_reg since the last init: otherwise (a CPU or thread that never called it, code
/// that runs before init, a CPU still on the areas of an earlier init) its accesses would go to
/// memory that is no CPU's copy; on a hosted build, with the register at 0, to the image.
PERCPU_DETAIL_INLINE void check_register() {
  if constexpr (PERCPU_DEBUG && !PERCPU_SINGLE_CPU) {
    PERCPU_ASSERT(register_points_at_an_area(),
                  "percpu: this CPU's register does not point at an area: call "
                  "init_percpu_reg(cpu) on every CPU after init");
  }
}

}  // namespace detail

}  // namespace percpu
