// SPDX-License-Identifier: MIT OR Apache-2.0
// The allocator of dynamic per-CPU objects: granules of the reserve every area keeps
// (PERCPU_DYNAMIC_SIZE), tracked by one bitmap that no heap and no lock stands behind.
#pragma once

#include "../area.hpp"
#include "../config.hpp"
#include "result.hpp"
#include "section.hpp"

namespace percpu {

/// Why a dynamic object (dynamic<T>::create, counter::create) was not created.
enum class alloc_error {
  not_initialised,  ///< no init has set up the areas yet
  no_space,         ///< no free run of the reserve is large enough (see dynamic_bytes_free)
  too_large,        ///< the object is larger than the whole reserve (PERCPU_DYNAMIC_SIZE)
  over_aligned,     ///< alignof(T) exceeds the areas' alignment (percpu_area_layout_expected)
  invalid_batch,    ///< counter::create: a batch below 1 or above counter_max_batch
};

/// A short English description of `error`.
constexpr const char* to_string(alloc_error error) {
  switch (error) {
    case alloc_error::not_initialised:
      return "the per-CPU areas are not initialised";
    case alloc_error::no_space:
      return "no room left in the dynamic per-CPU reserve";
    case alloc_error::too_large:
      return "the object is larger than the dynamic per-CPU reserve";
    case alloc_error::over_aligned:
      return "the object is aligned more strictly than the per-CPU areas";
    case alloc_error::invalid_batch:
      return "a counter's batch must be at least 1 and at most counter_max_batch";
  }
  return "unknown error";
}

/// A created object, or why it was not created (shaped like std::expected<V, alloc_error>).
template <class V>
using alloc_result = detail::result<V, alloc_error>;

}  // namespace percpu

/// Single-CPU builds (no areas, no linker fragment): bytes of the one static reserve that
/// dynamic objects come from.
#ifndef PERCPU_SINGLE_CPU_DYNAMIC_SIZE
#define PERCPU_SINGLE_CPU_DYNAMIC_SIZE 4096
#endif

namespace percpu::detail {

// The reserve is an array of granules at the same offset in every area, so one map serves all
// CPUs: bit i of reserve_map is set while granule i belongs to an object. An object is a run of
// granules that starts on its alignment.
//
// Allocation is lock-free, so it may run on any CPU at once and in an interrupt (or signal)
// handler that interrupted another allocation or free on its own CPU (a lock would deadlock
// there):
//   scan the map for a free run (plain atomic loads);
//   claim it word by word with fetch_or; if a word shows bits that were already set (another
//     allocation got there first), clear the bits this claim set, in that word and every word
//     before, and go on scanning;
//   free with fetch_and.
// Only the bits a claim itself set are ever cleared by it, so two allocations never share a
// granule. A scan that lost a race rescans once; a run that another allocation holds for the
// moment (an interrupted one, say) and gives back afterwards can make the result no_space.
// Ordering: claims are acquire and frees release, so an object's new owner never sees accesses
// of the previous owner that preceded its free.

/// Granules the map tracks; the granule grows with the reserve so that it covers the reserve.
inline constexpr size_t reserve_map_granules = 4096;
inline constinit uint64_t reserve_map[reserve_map_granules / 64]{};

#if PERCPU_SINGLE_CPU
alignas(64) inline constinit unsigned char single_cpu_reserve[PERCPU_SINGLE_CPU_DYNAMIC_SIZE]{};
/// Where granule 0 starts: the one reserve's address.
inline uintptr_t reserve_start() { return address(single_cpu_reserve); }
inline size_t reserve_size() { return sizeof(single_cpu_reserve); }
/// Added to a granule's position, the address the accessors take for an object.
inline uintptr_t reserve_origin() { return 0; }
inline size_t reserve_align_limit() { return 64; }
#else
/// Where granule 0 starts: the reserve's offset in an area.
inline uintptr_t reserve_start() { return dynamic_reserve_offset(); }
inline size_t reserve_size() { return dynamic_reserve_size(); }
/// Added to an offset, the address the accessors take for an object: its address in the image,
/// as if it were a variable there (register + that address is this CPU's copy; see the
/// README's Per-CPU registers).
inline uintptr_t reserve_origin() { return image_vma(); }
/// Copies are aligned as their offset is, up to the areas' own alignment.
inline size_t reserve_align_limit() { return area_align(); }
#endif

/// Bytes per granule: at least 8, and a power of two large enough that the map covers the
/// reserve.
inline size_t reserve_granule() {
  size_t granule = 8;
  while (reserve_size() / granule > reserve_map_granules) granule *= 2;
  return granule;
}

inline size_t reserve_granules() { return reserve_size() / reserve_granule(); }

/// The number of set bits, by halves (SWAR): __builtin_popcountll becomes a call to libgcc's
/// __popcountdi2 on targets without a popcount instruction, which a kernel need not link.
inline size_t count_bits(uint64_t bits) {
  bits -= (bits >> 1) & 0x5555'5555'5555'5555;
  bits = (bits & 0x3333'3333'3333'3333) + ((bits >> 2) & 0x3333'3333'3333'3333);
  bits = (bits + (bits >> 4)) & 0x0f0f'0f0f'0f0f'0f0f;
  return static_cast<size_t>((bits * 0x0101'0101'0101'0101) >> 56);
}

/// The index of the lowest set bit of `bits` (not 0), for the same reason not __builtin_ctzll.
inline size_t lowest_bit(uint64_t bits) { return count_bits((bits & (0 - bits)) - 1); }

/// The bits of map word `word` that belong to granules [first, end).
inline uint64_t reserve_mask(size_t word, size_t first, size_t end) {
  const size_t low = first > word * 64 ? first - word * 64 : 0;
  const size_t high = end < (word + 1) * 64 ? end - word * 64 : 64;
  const uint64_t width = high - low == 64 ? ~uint64_t{0} : (uint64_t{1} << (high - low)) - 1;
  return width << low;
}

/// The first granule of [first, end) in use, or `end` if none is.
inline size_t reserve_first_used(size_t first, size_t end) {
  for (size_t word = first / 64; word * 64 < end; ++word) {
    const uint64_t used =
        __atomic_load_n(&reserve_map[word], __ATOMIC_RELAXED) & reserve_mask(word, first, end);
    if (used != 0) return word * 64 + lowest_bit(used);
  }
  return end;
}

/// Clears the bits of granules [first, end) in the words before `stop` (the claim's own).
inline void reserve_unclaim(size_t first, size_t end, size_t stop) {
  for (size_t word = first / 64; word < stop; ++word) {
    __atomic_fetch_and(&reserve_map[word], ~reserve_mask(word, first, end), __ATOMIC_RELAXED);
  }
}

/// Sets the bits of granules [first, end) if none was set; returns whether it did.
inline bool reserve_claim(size_t first, size_t end) {
  for (size_t word = first / 64; word * 64 < end; ++word) {
    const uint64_t mask = reserve_mask(word, first, end);
    const uint64_t before = __atomic_fetch_or(&reserve_map[word], mask, __ATOMIC_ACQUIRE);
    if ((before & mask) != 0) {
      // Give back only what this claim set: the bits set before belong to another allocation.
      __atomic_fetch_and(&reserve_map[word], ~(mask & ~before), __ATOMIC_RELAXED);
      reserve_unclaim(first, end, word);
      return false;
    }
  }
  return true;
}

/// A run of granules for `size` bytes aligned to `align` (a power of two): its position
/// (reserve_start() + granule index x granule), or why there is none.
inline result<uintptr_t, alloc_error> reserve_allocate(size_t size, size_t align) {
  if (cpu_count() == 0) return alloc_error::not_initialised;
  if (align > reserve_align_limit()) return alloc_error::over_aligned;
  const size_t granule = reserve_granule();
  const size_t total = reserve_granules();
  if (size > total * granule) return alloc_error::too_large;
  const size_t count = (size + granule - 1) / granule;
  constexpr int passes = 2;  // a scan that lost a race rescans once (see above)
  for (int pass = 0; pass < passes; ++pass) {
    bool lost_a_race = false;
    size_t first = 0;
    while (first + count <= total) {
      const uintptr_t position = reserve_start() + first * granule;
      if (position % align != 0) {
        first += (align - position % align + granule - 1) / granule;
        continue;
      }
      const size_t used = reserve_first_used(first, first + count);
      if (used < first + count) {
        first = used + 1;
      } else if (reserve_claim(first, first + count)) {
        return position;
      } else {
        lost_a_race = true;  // look at the same run again: the winner's bits now show
      }
    }
    if (!lost_a_race) break;
  }
  return alloc_error::no_space;
}

/// Gives back the run of `size` bytes at `position`. REQUIRES: it was allocated and not freed
/// since (the assert hook otherwise, with PERCPU_DEBUG).
inline void reserve_free(uintptr_t position, size_t size) {
  const size_t granule = reserve_granule();
  const size_t first = (position - reserve_start()) / granule;
  const size_t end = first + (size + granule - 1) / granule;
  bool was_allocated = true;
  for (size_t word = first / 64; word * 64 < end; ++word) {
    const uint64_t mask = reserve_mask(word, first, end);
    const uint64_t before = __atomic_fetch_and(&reserve_map[word], ~mask, __ATOMIC_RELEASE);
    was_allocated = was_allocated && (before & mask) == mask;
  }
  if constexpr (PERCPU_DEBUG) {
    PERCPU_ASSERT(was_allocated, "percpu: dynamic object freed twice");
  }
}

}  // namespace percpu::detail

namespace percpu {

/// Bytes of the dynamic reserve no object holds (a snapshot while other CPUs allocate). A
/// request may still fail with no_space: the free bytes need not be in one run.
inline size_t dynamic_bytes_free() {
  const size_t total = detail::reserve_granules();
  size_t free_granules = 0;
  for (size_t word = 0; word * 64 < total; ++word) {
    const uint64_t used = __atomic_load_n(&detail::reserve_map[word], __ATOMIC_RELAXED);
    free_granules += detail::count_bits(~used & detail::reserve_mask(word, 0, total));
  }
  return free_granules * detail::reserve_granule();
}

}  // namespace percpu
