// SPDX-License-Identifier: MIT OR Apache-2.0
// expect: T must be trivially copyable
#include <percpu.hpp>

struct with_copy_constructor {
  int value;
  with_copy_constructor(int v) : value(v) {}
  with_copy_constructor(const with_copy_constructor& other) : value(other.value) {}
};

PERCPU_DEFINE(with_copy_constructor, bad, 1);
