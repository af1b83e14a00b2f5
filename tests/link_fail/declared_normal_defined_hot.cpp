// SPDX-License-Identifier: MIT OR Apache-2.0
// Declared with PERCPU_DECLARE here, defined with PERCPU_DEFINE_HOT in defined_hot.cpp.
// expect: undefined reference to `percpu_defined::flags'
#include <percpu.hpp>

PERCPU_DECLARE(int, flags);

int main() {
  if (!percpu::init_in_place()) return 1;
  percpu::init_percpu_reg(0);
  return flags.read_current();
}
