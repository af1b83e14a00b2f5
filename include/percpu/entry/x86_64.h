/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* x86_64 trap entry and exit (include percpu/entry.h, which includes this): GS_BASE is the per-CPU
 * register, and user code owns a GS base of its own (wrgsbase with CR4.FSGSBASE, or arch_prctl
 * under Linux). The processor keeps the other one in IA32_KERNEL_GS_BASE (MSR 0xC0000102), and
 * swapgs exchanges the two (Intel SDM Vol. 2B, SWAPGS). Rules:
 *  - While user code runs, GS_BASE holds the user's value and IA32_KERNEL_GS_BASE the kernel's;
 *    in the kernel, the other way round. Hence exactly one swapgs on every entry from ring 3 and
 *    one on every return to it, and none on an entry from ring 0.
 *  - Interrupts, exceptions and int $n through the IDT: the CS the processor pushed says where
 *    the trap came from (RPL 3: user): percpu_x86_swapgs_if_user, at entry before the first
 *    %gs access and again just before iretq, with interrupts still off.
 *  - syscall comes only from ring 3: swapgs first thing; sysretq returns only there: swapgs
 *    right before it. An IDT gate with an IST stack, not the syscall entry, must handle what
 *    can hit that window (NMI, #MC, #DB).
 *  - NMI, #MC and #DB ("paranoid" entries) can arrive between an entry and its swapgs, or
 *    between the exit's swapgs and iretq: there the CS is the kernel's while GS_BASE still holds
 *    the user's value, so the CS test gives the wrong answer. Such a handler saves GS_BASE and
 *    loads the kernel's value whatever it was (percpu_x86_paranoid_entry), and puts the saved
 *    value back before iretq (percpu_x86_paranoid_exit). It finds the kernel's value without
 *    %gs: from memory it reaches through its own stack, such as the top of this CPU's IST stack,
 *    written at CPU bring-up with percpu::read_percpu_reg_raw(). Needs CR4.FSGSBASE (Linux does
 *    the same on CPUs that have it; without it, rdmsr/wrmsr of IA32_GS_BASE serve, slower).
 *  - Never restore GS_BASE from a saved frame when returning to kernel code: a preempted task
 *    may resume on another CPU, whose GS_BASE is already in place. */
#pragma once

#ifdef __ASSEMBLER__

/* Exchanges GS_BASE and IA32_KERNEL_GS_BASE when the trap frame's CS, at cs_offset(%rsp), has
 * RPL 3: the trap came from user mode (entry), or returns to it (exit). Use the same macro at
 * both ends: at entry before any %gs access, at exit after the last one, right before iretq.
 * cs_offset is 8 with the processor's frame alone (RIP, CS, ...), 16 after an error code, plus
 * 8 per register pushed since. Clobbers the flags only. */
.macro percpu_x86_swapgs_if_user cs_offset
	testb	$3, \cs_offset(%rsp)
	jz	.Lpercpu_x86_kernel_gs\@
	swapgs
.Lpercpu_x86_kernel_gs\@:
.endm

/* Paranoid entry (NMI, #MC, #DB): saves GS_BASE, whatever it holds, in register `saved`, and
 * loads the kernel's value from register `kernel` (loaded by the caller from memory it reaches
 * without %gs). `saved` must survive the handler: a callee-saved register (%rbx, %r12-%r15). */
.macro percpu_x86_paranoid_entry saved, kernel
	rdgsbase \saved
	wrgsbase \kernel
.endm

/* Paranoid exit: GS_BASE back to the value the handler interrupted, user's or kernel's. */
.macro percpu_x86_paranoid_exit saved
	wrgsbase \saved
.endm

#else

namespace percpu::entry {

/// The GS base user code gets at the next return to ring 3 (the next swapgs moves it into
/// GS_BASE): IA32_KERNEL_GS_BASE while the kernel runs. For a new user context, or a context
/// switch between user programs. REQUIRES: ring 0, with the kernel's GS_BASE in place.
inline void set_user_gs_base(uintptr_t base) {
  asm volatile("wrmsr"
               :
               : "c"(0xC0000102u), "a"(static_cast<uint32_t>(base)),
                 "d"(static_cast<uint32_t>(base >> 32))
               : "memory");
}

/// The user's GS base as the last entry from ring 3 left it (IA32_KERNEL_GS_BASE), to save on a
/// context switch. REQUIRES: ring 0, with the kernel's GS_BASE in place.
inline uintptr_t user_gs_base() {
  uint32_t low, high;
  asm volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(0xC0000102u));
  return (uintptr_t{high} << 32) | low;
}

}  // namespace percpu::entry

namespace percpu::entry::detail {

/// IA32_KERNEL_GS_BASE, the user's GS base while the kernel runs, to 0 until set_user_gs_base
/// gives it the user's value.
inline void prepare_entry() { set_user_gs_base(0); }

}  // namespace percpu::entry::detail

#endif
