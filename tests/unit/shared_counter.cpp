// SPDX-License-Identifier: MIT OR Apache-2.0
// Defines the variables shared_counter.hpp declares.
#include "shared_counter.hpp"

PERCPU_DEFINE(uint64_t, shared_counter, 1000);
PERCPU_DEFINE_HOT(uint32_t, shared_hot_flag, 7);

void bump_shared_counter_in_other_tu() { shared_counter.inc_current(); }
