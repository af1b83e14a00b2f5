/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* aarch64 and armv7-a trap entry and exit (include percpu/entry.h, which includes this): nothing
 * to swap. The per-CPU register is one that user code can neither read nor write:
 *  - aarch64: TPIDR_EL1 (TPIDR_EL2 with PERCPU_ARM_EL2); an access at EL0 is UNDEFINED (Arm ARM
 *    D19.2, TPIDR_EL1). User code has TPIDR_EL0 and TPIDRRO_EL0 for its thread pointer.
 *  - armv7-a: TPIDRPRW (CP15 c13, c0, 4), PL1 only (Arm ARM B4.1.150). User code has TPIDRURW
 *    and TPIDRURO.
 * An exception taken to the kernel therefore finds the kernel's value in place, whether it came
 * from user mode or from the kernel, and the exception return leaves it there. The user's
 * thread-pointer registers belong to the user context, saved on a context switch, not on each
 * entry. No assembler macros, and percpu::entry::init_cpu is init_percpu_reg. */
#pragma once

#ifndef __ASSEMBLER__

namespace percpu::entry::detail {

/// Nothing: no entry state besides the register.
inline void prepare_entry() {}

}  // namespace percpu::entry::detail

#endif
