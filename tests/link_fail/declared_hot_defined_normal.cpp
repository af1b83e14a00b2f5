// SPDX-License-Identifier: MIT OR Apache-2.0
// Declared with PERCPU_DECLARE_HOT here, defined with PERCPU_DEFINE in defined_normal.cpp: the
// link must fail, naming the hot definition it did not find.
// expect: undefined reference to `percpu_defined_hot::flags'
#include <percpu.hpp>

PERCPU_DECLARE_HOT(int, flags);

int main() {
  if (!percpu::init_in_place()) return 1;
  percpu::init_percpu_reg(0);
  return flags.read_current();
}
