// SPDX-License-Identifier: MIT OR Apache-2.0
// expect: constinit|constant
#include <percpu.hpp>

int computed_at_run_time();

PERCPU_DEFINE(int, bad, computed_at_run_time());
