// SPDX-License-Identifier: MIT OR Apache-2.0
// Helpers shared by the host tests.
#pragma once

#include <sys/mman.h>

#include <percpu.hpp>

namespace test {

/// Memory for init(): page-aligned (enough for percpu_area_layout_expected's alignment, at most
/// 4096), unmapped on scope exit. From mmap rather than the heap: on x86_64 Linux GS_BASE holds
/// area base - image address, and Linux refuses a negative one, so areas must lie above the
/// program, where mmap puts memory (an allocator may not: Clang 19's ASan heap is below a PIE).
class aligned_block {
 public:
  explicit aligned_block(percpu::area_layout layout) : size_(layout.size), memory_(map(layout)) {}
  ~aligned_block() {
    if (memory_ != nullptr) munmap(memory_, size_);
  }
  aligned_block(const aligned_block&) = delete;
  aligned_block& operator=(const aligned_block&) = delete;
  void* get() const { return memory_; }

 private:
  static void* map(percpu::area_layout layout) {
    if (layout.align > 4096) return nullptr;
    void* memory =
        mmap(nullptr, layout.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return memory == MAP_FAILED ? nullptr : memory;
  }

  size_t size_;
  void* memory_;
};

}  // namespace test
