// SPDX-License-Identifier: MIT OR Apache-2.0
// The symbols linker/percpu.ld defines, and what the library derives from them.
#pragma once

#include "../config.hpp"
#include "traits.hpp"

// Hidden visibility: the symbols are in this module, so the compiler may address them directly
// (PC-relative in a PIE) instead of through the GOT.
#define PERCPU_DETAIL_LINKER_SYMBOL(name) \
  extern "C" __attribute__((visibility("hidden"))) char name[]

PERCPU_DETAIL_LINKER_SYMBOL(_percpu_load_start);  // the image (link address; 0 with ZERO_VMA)
PERCPU_DETAIL_LINKER_SYMBOL(_percpu_image);       // where the image is loaded
PERCPU_DETAIL_LINKER_SYMBOL(_percpu_start);       // the first reserved area
PERCPU_DETAIL_LINKER_SYMBOL(_percpu_end);         // the end of the reserved areas
// Marks at _percpu_start + a size (see linker/percpu.ld).
PERCPU_DETAIL_LINKER_SYMBOL(_percpu_size_mark);
PERCPU_DETAIL_LINKER_SYMBOL(_percpu_stride_mark);
PERCPU_DETAIL_LINKER_SYMBOL(_percpu_align_mark);
PERCPU_DETAIL_LINKER_SYMBOL(_percpu_zero_vma_mark);
PERCPU_DETAIL_LINKER_SYMBOL(_percpu_dynamic_mark);       // the dynamic reserve's offset
PERCPU_DETAIL_LINKER_SYMBOL(_percpu_dynamic_size_mark);  // and size (PERCPU_DYNAMIC_SIZE)

// On every per-CPU definition: no sanitizer redzones between the variables of .percpu. Clang's
// ASan pads instrumented globals with them, and init copies the whole image, padding
// included, which ASan reports as an overflow (and the padding would be in every area). GCC does
// not instrument a variable with a section attribute, and warns about the attribute on one.
#ifdef __clang__
#define PERCPU_DETAIL_NO_REDZONE __attribute__((no_sanitize("address")))
#else
#define PERCPU_DETAIL_NO_REDZONE
#endif

namespace percpu::detail {

inline constexpr bool zero_vma = PERCPU_ZERO_VMA != 0;

/// The largest alignment a per-CPU variable may have: areas are page-aligned at most.
inline constexpr size_t max_variable_align = 4096;

inline uintptr_t address(const void* p) { return reinterpret_cast<uintptr_t>(p); }

/// Distance of a mark from _percpu_start.
inline size_t mark_distance(const char* mark) { return address(mark) - address(_percpu_start); }

/// The run-time address of the image. A "biased" per-CPU register holds area base minus this,
/// so that register + a variable's image address is the variable's copy in the area.
inline uintptr_t image_vma() {
  if constexpr (zero_vma) {
    return 0;
  } else {
    return address(_percpu_load_start);
  }
}

/// The pristine image image (initial values), readable at run time in both placements.
inline const unsigned char* image_bytes() {
  if constexpr (zero_vma) {
    return reinterpret_cast<const unsigned char*>(_percpu_image);
  } else {
    return reinterpret_cast<const unsigned char*>(_percpu_load_start);
  }
}

/// Bytes of per-CPU data in one area.
inline size_t area_size() { return mark_distance(_percpu_size_mark); }

/// Distance between two areas: the size rounded up to area_align().
inline size_t area_stride() { return mark_distance(_percpu_stride_mark); }

/// Alignment every area needs: the strictest per-CPU variable's, and at least 64.
inline size_t area_align() { return mark_distance(_percpu_align_mark); }

/// Offset of the reserve for dynamic objects inside every area (64-byte aligned).
inline size_t dynamic_reserve_offset() { return mark_distance(_percpu_dynamic_mark); }

/// Bytes every area reserves for dynamic objects (PERCPU_DYNAMIC_SIZE).
inline size_t dynamic_reserve_size() { return mark_distance(_percpu_dynamic_size_mark); }

/// Whether the linker placed the image where the code was compiled to expect it.
inline bool image_placement_matches() {
  return (mark_distance(_percpu_zero_vma_mark) == 0) == zero_vma;
}

}  // namespace percpu::detail
