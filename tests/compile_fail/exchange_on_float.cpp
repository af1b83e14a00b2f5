// SPDX-License-Identifier: MIT OR Apache-2.0
// The exchanges compare bit patterns, which for floating point is not comparing values (+0.0 and
// -0.0, NaNs): refused.
// expect: xchg_current
#include <percpu.hpp>

PERCPU_DEFINE(double, ratio, 0.5);

void bad() { ratio.xchg_current(1.0); }
