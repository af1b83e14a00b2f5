// SPDX-License-Identifier: MIT OR Apache-2.0
// A percpu<T> defined without the macros would not be in .percpu.
// expect: (no matching (constructor|function)|no matching constructor for initialization)
#include <percpu.hpp>

percpu::percpu<int> bare{5};
