/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* riscv64 trap entry and exit (include percpu/entry.h, which includes this): gp is the per-CPU
 * register, and in the psABI gp is the global pointer of the user program, which sets it at start
 * and relaxes accesses against it. The kernel's gp (K below: area base - image address) is
 * never 0, since an area is never the image itself; that lets one scratch CSR say where a trap
 * came from, as Linux does with tp:
 *  - while user code runs, the scratch CSR holds K; while the kernel runs, it holds 0;
 *  - entry: csrrw gp, scratch, gp. From user mode, gp = K and the scratch holds the user's gp;
 *    from the kernel, the exchange read 0, so a second exchange puts K back in gp and 0 in the
 *    scratch (percpu_riscv_trap_entry);
 *  - the kernel takes the user's gp out of the scratch (percpu_riscv_take_user_gp), saving it in
 *    the trap frame, before anything that can trap again: a nested trap must find 0 there;
 *  - return to user mode: K into the scratch, the user's gp into gp (percpu_riscv_return_to_user),
 *    with interrupts off, last before sret/mret. Return to the kernel: leave gp alone. Never
 *    restore the kernel's gp from a saved frame: a preempted task may resume on another CPU,
 *    whose K is already in gp.
 * The scratch CSR is PERCPU_RISCV_SCRATCH: sscratch for an S-mode kernel, mscratch for one in
 * M-mode (by default it follows PERCPU_RISCV_M_MODE; define either on the command line, which .S
 * files see too, not in a PERCPU_CONFIG_HEADER). The entry path switches to the kernel stack by
 * its own means; with the image at VMA 0, hot per-CPU slots are reachable from gp alone
 * (`sd sp, %lo(slot)(gp)`).
 * Assemble the entry code with `.option norelax`, or link without __global_pointer$ (see the
 * backend), so that nothing rewrites an access into one relative to gp. */
#pragma once

#ifndef PERCPU_RISCV_SCRATCH
#if PERCPU_RISCV_M_MODE
#define PERCPU_RISCV_SCRATCH mscratch
#else
#define PERCPU_RISCV_SCRATCH sscratch
#endif
#endif

#ifdef __ASSEMBLER__

/* First instructions of the trap vector: gp = K, whatever mode the trap came from. Jumps to
 * `from_user` when it came from user mode (the scratch then holds the user's gp), falls through
 * when it came from the kernel (the scratch holds 0 again). Touches no other register. */
.macro percpu_riscv_trap_entry from_user
	csrrw	gp, PERCPU_RISCV_SCRATCH, gp
	bnez	gp, \from_user
	csrrw	gp, PERCPU_RISCV_SCRATCH, zero
.endm

/* On the from-user path, once `reg` is free (saved): reg = the user's gp, scratch = 0. */
.macro percpu_riscv_take_user_gp reg
	csrrw	\reg, PERCPU_RISCV_SCRATCH, zero
.endm

/* Last step before sret/mret to user mode, interrupts off: scratch = K, gp = the user's gp from
 * `reg` (which the caller restores afterwards, if it needs to). */
.macro percpu_riscv_return_to_user reg
	csrw	PERCPU_RISCV_SCRATCH, gp
	mv	gp, \reg
.endm

#else

namespace percpu::entry::detail {

/// The scratch CSR to 0: the trap entry reads it as "the trap came from the kernel".
inline void prepare_entry() {
  asm volatile("csrw " PERCPU_DETAIL_ENTRY_CSR(PERCPU_RISCV_SCRATCH) ", zero" ::: "memory");
}

}  // namespace percpu::entry::detail

#endif
