// SPDX-License-Identifier: MIT OR Apache-2.0
// A VMA-0 image needs position-dependent code: PIC reaches it PC-relative or relocated.
// flags: -fPIE -DPERCPU_ZERO_VMA=1
// expect: PERCPU_ZERO_VMA=1 needs position-dependent code
#include <percpu.hpp>

PERCPU_DEFINE(unsigned long, ticks, 0);

unsigned long read_ticks() { return ticks.read_current(); }
