// SPDX-License-Identifier: MIT OR Apache-2.0
// A definition inside a function (here a static in a function template, which GCC would place in
// .data whatever its section attribute) must not compile.
// expect: per-CPU variables are defined at namespace scope only
#include <percpu.hpp>

template <class T>
T next() {
  static PERCPU_DEFINE(T, local_counter, 0);
  return local_counter.add_return_current(1);
}

int use() { return next<int>(); }
