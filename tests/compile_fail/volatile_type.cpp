// SPDX-License-Identifier: MIT OR Apache-2.0
// expect: T must not be volatile
#include <percpu.hpp>

PERCPU_DEFINE(volatile int, flag, 0);
