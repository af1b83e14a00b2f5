// SPDX-License-Identifier: MIT OR Apache-2.0
// The definition that declared_normal_defined_hot.cpp declares with the wrong macro.
#include <percpu.hpp>

PERCPU_DEFINE_HOT(int, flags, 3);
