// SPDX-License-Identifier: MIT OR Apache-2.0
// expect: T is over-aligned
#include <percpu.hpp>

struct alignas(8192) huge_page_aligned {
  int value;
};

PERCPU_DEFINE(huge_page_aligned, bad, 1);
