// SPDX-License-Identifier: MIT OR Apache-2.0
// An array has no by-value accessors: its elements go through current_ref_raw() or with_current.
// expect: (constraints not satisfied|no matching member function|does not satisfy|invalid use)
#include <percpu.hpp>

PERCPU_DEFINE(unsigned long[4], stats, 1, 2, 3, 4);

void use() { stats.read_current(); }
