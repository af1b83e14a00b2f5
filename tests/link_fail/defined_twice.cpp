// SPDX-License-Identifier: MIT OR Apache-2.0
// A second definition of the variable that defined_normal.cpp defines: the link must fail, as it
// does for two definitions of any global (a per-CPU variable is a strong symbol).
// expect: (multiple definition of `|duplicate symbol: )percpu_defined::flags
#include <percpu.hpp>

PERCPU_DEFINE(int, flags, 4);

int main() {
  if (!percpu::init_in_place()) return 1;
  percpu::init_percpu_reg(0);
  return flags.read_current();
}
