// SPDX-License-Identifier: MIT OR Apache-2.0
// expect: add_current
#include <percpu.hpp>

PERCPU_DEFINE(double, ratio, 0.5);

void bad() { ratio.add_current(1.0); }
