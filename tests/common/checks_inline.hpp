// SPDX-License-Identifier: MIT OR Apache-2.0
// How the shared check helpers of tests/common are inlined.
#pragma once

// Inlined when optimising: a variable whose address is passed to a function is reached
// PC-relative by the compiler, out of range of a VMA-0 image from a riscv64 kernel linked at
// 2 GiB (README, "Mistakes and what you get"; Clang called such a helper out of line). Not at
// -O0, where forced inlining piles every caller's locals into one frame, more than a test
// kernel's 16 KiB stack holds (and no VMA-0 riscv64 kernel is built at -O0).
#ifdef __OPTIMIZE__
#define CHECKS_INLINE [[gnu::always_inline]] inline
#else
#define CHECKS_INLINE inline
#endif
