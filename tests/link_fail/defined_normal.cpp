// SPDX-License-Identifier: MIT OR Apache-2.0
// The definition that declared_hot_defined_normal.cpp declares with the wrong macro.
#include <percpu.hpp>

PERCPU_DEFINE(int, flags, 3);
