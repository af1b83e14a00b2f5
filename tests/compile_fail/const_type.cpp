// SPDX-License-Identifier: MIT OR Apache-2.0
// expect: T must not be const
#include <percpu.hpp>

PERCPU_DEFINE(const int, limit, 5);
