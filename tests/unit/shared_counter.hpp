// SPDX-License-Identifier: MIT OR Apache-2.0
// A per-CPU variable declared for several translation units, defined in shared_counter.cpp.
#pragma once

#include <cstdint>
#include <percpu.hpp>

PERCPU_DECLARE(uint64_t, shared_counter);
PERCPU_DECLARE_HOT(uint32_t, shared_hot_flag);

/// Increments shared_counter from the defining translation unit.
void bump_shared_counter_in_other_tu();
