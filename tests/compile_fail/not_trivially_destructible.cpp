// SPDX-License-Identifier: MIT OR Apache-2.0
// expect: T must be trivially destructible
#include <percpu.hpp>

struct with_destructor {
  int value;
  constexpr ~with_destructor() {}
};

PERCPU_DEFINE(with_destructor, bad, 1);
