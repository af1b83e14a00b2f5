// SPDX-License-Identifier: MIT OR Apache-2.0
// expect: For std::atomic<T>, use percpu<T>
#include <atomic>
#include <percpu.hpp>

PERCPU_DEFINE(std::atomic<int>, counter, 0);
