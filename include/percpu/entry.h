/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* Trap entry and exit support for kernels with a user mode: the per-CPU register the library
 * uses is one that user code can own on some architectures, so every entry from user mode must
 * install the kernel's value and every return to user mode must give the user's back. Include
 * from a .S file for the assembler macros, or from C++ for percpu::entry::init_cpu and the
 * architecture's helpers. Exactly one file of percpu/entry/ is included. See README, "Kernels
 * with user mode". */
#pragma once

#ifndef __ASSEMBLER__
#include "../percpu.hpp"

// A CSR's name or number, from a macro, as asm text.
#define PERCPU_DETAIL_ENTRY_STRING(x) #x
#define PERCPU_DETAIL_ENTRY_CSR(x) PERCPU_DETAIL_ENTRY_STRING(x)
#endif

#if defined(__x86_64__)
#include "entry/x86_64.h"
#elif defined(__riscv) && __riscv_xlen == 64
#include "entry/riscv64.h"
#elif defined(__loongarch__) && __loongarch_grlen == 64
#include "entry/loongarch64.h"
#elif defined(__aarch64__) || defined(__arm__)
#include "entry/arm.h"
#else
#error "percpu/entry.h: supported: x86_64, aarch64, riscv64, loongarch64, armv7-a"
#endif

#ifndef __ASSEMBLER__
#undef PERCPU_DETAIL_ENTRY_CSR
#undef PERCPU_DETAIL_ENTRY_STRING

namespace percpu::entry {

/// Points the calling CPU's per-CPU register at area `cpu` (init_percpu_reg) and sets up the
/// state the trap entry of the architecture relies on (see percpu/entry/<arch>.h). Call it
/// instead of init_percpu_reg on every CPU of a kernel with a user mode, before the CPU takes
/// its first trap, and again after any later init_percpu_reg or write_percpu_reg.
/// REQUIRES: the kernel's privilege level; as init_percpu_reg.
inline void init_cpu(size_t cpu) {
  init_percpu_reg(cpu);
  detail::prepare_entry();
}

}  // namespace percpu::entry
#endif
