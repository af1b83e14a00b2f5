/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* loongarch64 trap entry and exit (include percpu/entry.h, which includes this): $r21 is the
 * per-CPU register. The psABI reserves it, but nothing stops code at PLV3 from writing it, so the
 * kernel cannot trust it on entry. LoongArch has KScratch CSRs (KS0-KS8, CSR 0x30-0x38,
 * Reference Manual vol. 1 §7.4.16) that only PLV0 reaches; as Linux does (its PERCPU_BASE_KS),
 * one of them keeps this CPU's $r21 value for good:
 *  - at CPU bring-up, after init_percpu_reg: $r21 copied into the KScratch CSR
 *    (percpu::entry::init_cpu);
 *  - entry, from any level, once the kernel has a stack frame: the interrupted $r21 saved in the
 *    frame, $r21 reloaded from the KScratch CSR (percpu_loongarch_trap_entry). An entry from the
 *    kernel reloads the same value, so no test of PRMD.PPLV is needed;
 *  - return to PLV3: $r21 from the frame (percpu_loongarch_return_to_user), last before ertn.
 *    Return to PLV0: leave $r21 alone; never restore it from a saved frame, since a preempted
 *    task may resume on another CPU, whose value is already in $r21.
 * The CSR is PERCPU_LOONGARCH_KSCRATCH, 0x33 (KS3, Linux's choice) unless defined before; the
 * entry code's own scratch CSRs (for t0/t1 while it finds the kernel stack) must be others. */
#pragma once

#ifndef PERCPU_LOONGARCH_KSCRATCH
#define PERCPU_LOONGARCH_KSCRATCH 0x33
#endif

#ifdef __ASSEMBLER__

/* With $sp on the kernel's frame: st.d $r21 at offset(sp), then $r21 = the kernel's value. */
.macro percpu_loongarch_trap_entry offset
	st.d	$r21, $sp, \offset
	csrrd	$r21, PERCPU_LOONGARCH_KSCRATCH
.endm

/* Returning to PLV3 only: $r21 = the user's value, from offset(sp). */
.macro percpu_loongarch_return_to_user offset
	ld.d	$r21, $sp, \offset
.endm

#else

namespace percpu::entry::detail {

/// This CPU's $r21 into the KScratch CSR, where the trap entry reloads it from.
inline void prepare_entry() {
  // csrwr exchanges: the CSR gets the value, the register its old content (discarded).
  uintptr_t value = read_percpu_reg_raw();
  asm volatile("csrwr %0, " PERCPU_DETAIL_ENTRY_CSR(PERCPU_LOONGARCH_KSCRATCH)
               : "+r"(value)
               :
               : "memory");
}

}  // namespace percpu::entry::detail

#endif
