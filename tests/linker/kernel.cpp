// SPDX-License-Identifier: MIT OR Apache-2.0
// A freestanding object with per-CPU variables, linked (not run) by the `linker` tests against
// the kernel scripts next to it.
#include <percpu.hpp>

PERCPU_DEFINE(unsigned long, ticks, 1);
PERCPU_DEFINE_HOT(unsigned, flags, 2);

extern "C" unsigned long _start() {
  ticks.inc_current();
  flags.or_current(4);
  return percpu::percpu_area_num();
}
