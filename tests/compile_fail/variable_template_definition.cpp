// SPDX-License-Identifier: MIT OR Apache-2.0
// A per-CPU variable template must not compile (its instantiations would lose the section).
// expect: (template|namespace)
#include <percpu.hpp>

template <class T>
PERCPU_DEFINE(T, per_type_counter, 0);

int use() { return per_type_counter<int>.read_current(); }
