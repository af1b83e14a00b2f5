// SPDX-License-Identifier: MIT OR Apache-2.0
// Helpers shared by the host tests.
#pragma once

#include <cstdlib>
#include <percpu.hpp>

namespace test {

/// Memory for init(): aligned as percpu_area_layout_expected asks, freed on scope exit.
class aligned_block {
 public:
  explicit aligned_block(percpu::area_layout layout)
      : memory_(std::aligned_alloc(layout.align, layout.size)) {}
  ~aligned_block() { std::free(memory_); }
  aligned_block(const aligned_block&) = delete;
  aligned_block& operator=(const aligned_block&) = delete;
  void* get() const { return memory_; }

 private:
  void* memory_;
};

}  // namespace test
