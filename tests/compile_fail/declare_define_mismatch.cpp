// SPDX-License-Identifier: MIT OR Apache-2.0
// Declared hot, defined normal, in one file: conflicting declarations (across files the link
// fails instead: see the link_fail tests).
// expect: (conflict|already declared|redefinition|target of using declaration)
#include <percpu.hpp>

PERCPU_DECLARE_HOT(int, flags);
PERCPU_DEFINE(int, flags, 0);

int use() { return flags.read_current(); }
