/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* loongarch64 QEMU virt entry (PLV0, direct address translation) and the general exception entry.
 * Never touches $r21: it is the per-CPU register of the library under test.
 * With PERCPU_TEST_HIGHER_HALF (kernel-higherhalf.ld) the kernel is linked in the cached direct
 * mapping window at 0x9000000000000000 + its physical address, as Linux is, and runs in mapped
 * address translation mode with two windows only: that one and an uncached one for the devices.
 * An access through a physical address then misses both and takes a TLB refill exception.
 * With PERCPU_TEST_PIE (kernel-pie.ld) the kernel is a PIE that CPU 0 relocates to the physical
 * addresses it runs at, in direct address translation. */

#define STACK_SHIFT 14 /* 16 KiB per CPU; must match kernel.ld */
#define MAX_CPUS 4     /* platform::cpu_count */

#define CSR_ECFG   0x4
#define CSR_PRMD   0x1
#define CSR_ESTAT  0x5
#define CSR_ERA    0x6
#define CSR_EENTRY 0xc
#define CSR_CPUID  0x20

#if PERCPU_TEST_HIGHER_HALF
/* Reference Manual vol. 1: CRMD (§7.4.1), TLBRENTRY, TLBRBADV, TLBRERA (§7.5.13-§7.5.15), DMW
 * (§7.5.17). A window maps the virtual segment VSEG (address bits 63:60) at PLV0 onto physical
 * addresses with memory access type MAT: 1 coherent cached, 0 strongly-ordered uncached. */
#define CSR_CRMD      0x0
#define CSR_TLBRENTRY 0x88
#define CSR_TLBRBADV  0x89
#define CSR_TLBRERA   0x8a
#define CSR_DMW0      0x180
#define CSR_DMW1      0x181
#define CRMD_DA       (1 << 3)
#define CRMD_PG       (1 << 4)
#define DMW_PLV0      1
#define DMW_CACHED    (1 << 4)
#define DMW_KERNEL    (0x9 << 60 | DMW_CACHED | DMW_PLV0)	/* kernel-higherhalf.ld KERNEL_VMA */
#define DMW_DEVICES   (0x8 << 60 | DMW_PLV0)			/* platform.cpp io_window */
#endif

	.section .text.boot, "ax"
	.globl _start
_start:
	/* QEMU starts every CPU here at once, in direct address translation mode (CRMD.DA=1,
	 * Reference Manual vol. 1 §7.4.1), so addresses are physical. ECFG and EENTRY are per CPU:
	 * ECFG=0 masks every local interrupt and selects one shared entry (VS=0, §7.4.5). */
#if PERCPU_TEST_HIGHER_HALF
	/* In direct address translation the address bits above PALEN are ignored, so the link
	 * address (la.abs: R_LARCH_ABS_* relocations) reaches the code as well: jump there, open the
	 * two windows, send TLB refills to tlb_refill_entry (a physical address: refills are taken
	 * in direct address translation) and turn mapped translation on. */
	la.abs	$t0, 1f
	jr	$t0
1:	li.d	$t0, DMW_KERNEL
	csrwr	$t0, CSR_DMW0
	li.d	$t0, DMW_DEVICES
	csrwr	$t0, CSR_DMW1
	la.pcrel $t0, tlb_refill_entry
	bstrpick.d $t0, $t0, 47, 0	/* the physical address: below PALEN, 48 bits on QEMU's la464 */
	csrwr	$t0, CSR_TLBRENTRY
	li.d	$t0, CRMD_PG
	li.d	$t1, CRMD_DA | CRMD_PG
	csrxchg	$t0, $t1, CSR_CRMD
#endif
#if PERCPU_TEST_PIE
	/* QEMU enters at the link address (see kernel-pie.ld); continue at the physical one, where
	 * the kernel runs from now on: PC-relative addresses are then physical too. */
	la.pcrel $t0, 1f
	bstrpick.d $t0, $t0, 47, 0	/* below PALEN, 48 bits on QEMU's la464 */
	jr	$t0
1:
#endif
	csrwr	$zero, CSR_ECFG
	la.pcrel $t0, trap_entry
	csrwr	$t0, CSR_EENTRY
	csrrd	$t0, CSR_CPUID
	li.d	$t1, MAX_CPUS
	bgeu	$t0, $t1, halt
	/* $sp = top of this CPU's stack: __stacks_start + (cpu + 1) << STACK_SHIFT. */
	la.pcrel $sp, __stacks_start
	addi.d	$t1, $t0, 1
	slli.d	$t1, $t1, STACK_SHIFT
	add.d	$sp, $sp, $t1
	bnez	$t0, park

#if PERCPU_TEST_PIE
	/* CPU 0, before any absolute address is used (la.pcrel is PC-relative): apply every
	 * Elf64_Rela of .rela.dyn (r_offset, r_info, r_addend) as R_LARCH_RELATIVE,
	 * *(delta + r_offset) = delta + r_addend, where delta is the run-time address of
	 * __kernel_start minus its link address, KERNEL_PIE_LINK (kernel-pie.ld). Any other type (a
	 * symbol the link did not resolve) halts, and the run times out as a failure. The other CPUs
	 * park until CPU 0 starts them, after this. */
	la.pcrel $t1, __rela_start
	la.pcrel $t2, __rela_end
	la.pcrel $t3, __kernel_start
	li.d	$t4, KERNEL_PIE_LINK
	sub.d	$t3, $t3, $t4
	li.d	$t4, 3			/* R_LARCH_RELATIVE, symbol 0 */
1:	bgeu	$t1, $t2, 2f
	ld.d	$t5, $t1, 8
	bne	$t5, $t4, halt
	ld.d	$t5, $t1, 0
	ld.d	$t6, $t1, 16
	add.d	$t6, $t6, $t3
	stx.d	$t6, $t5, $t3
	addi.d	$t1, $t1, 24
	b	1b
2:
#endif
	la.pcrel $t0, __bss_start
	la.pcrel $t1, __bss_end
1:	bgeu	$t0, $t1, 2f
	st.d	$zero, $t0, 0
	addi.d	$t0, $t0, 8
	b	1b
2:	b	kernel_main

/* Secondary CPUs spin until platform::start_cpu publishes their entry point. The mailbox is in
 * .data, so it is zero from the moment the image is loaded, before CPU 0 clears .bss. */
park:
	la.pcrel $t1, loongarch_cpu_entry
	alsl.d	$t1, $t0, $t1, 3
3:	ld.d	$t2, $t1, 0
	beqz	$t2, 3b
	dbar	0		/* full barrier: pairs with start_cpu's release store */
	move	$a0, $t0	/* entry(cpu): CSR.CPUID is the CPU number */
	jr	$t2

halt:
	idle	0
	b	halt

	.data
	.balign 8
	.globl loongarch_cpu_entry
loongarch_cpu_entry:
	.zero	8 * MAX_CPUS

/* Every exception and interrupt lands here (EENTRY keeps only bits 63:12, §7.4.10, hence the
 * page alignment) with CRMD.IE cleared by hardware (§7.4.1), so they never nest. Saves the
 * registers the calling convention lets loongarch_trap clobber ($ra, $a0-$a7, $t0-$t8); $tp,
 * $sp, $r21, $fp and $s0-$s8 are preserved by loongarch_trap itself. Also ERA and PRMD: the
 * scheduler test switches tasks inside the handler, and another task's exception rewrites them
 * before this one returns. No FP registers: EUEN.FPE stays 0 (§7.4.3), so no FP state exists. */
	.text
	.balign 4096
trap_entry:
	addi.d	$sp, $sp, -160
	st.d	$ra, $sp, 0
	st.d	$a0, $sp, 8
	st.d	$a1, $sp, 16
	st.d	$a2, $sp, 24
	st.d	$a3, $sp, 32
	st.d	$a4, $sp, 40
	st.d	$a5, $sp, 48
	st.d	$a6, $sp, 56
	st.d	$a7, $sp, 64
	st.d	$t0, $sp, 72
	st.d	$t1, $sp, 80
	st.d	$t2, $sp, 88
	st.d	$t3, $sp, 96
	st.d	$t4, $sp, 104
	st.d	$t5, $sp, 112
	st.d	$t6, $sp, 120
	st.d	$t7, $sp, 128
	st.d	$t8, $sp, 136
	csrrd	$t0, CSR_ERA
	st.d	$t0, $sp, 144
	csrrd	$t0, CSR_PRMD
	st.d	$t0, $sp, 152
	csrrd	$a0, CSR_ESTAT
	bl	loongarch_trap
	ld.d	$t0, $sp, 144
	csrwr	$t0, CSR_ERA
	ld.d	$t0, $sp, 152
	csrwr	$t0, CSR_PRMD
	ld.d	$ra, $sp, 0
	ld.d	$a0, $sp, 8
	ld.d	$a1, $sp, 16
	ld.d	$a2, $sp, 24
	ld.d	$a3, $sp, 32
	ld.d	$a4, $sp, 40
	ld.d	$a5, $sp, 48
	ld.d	$a6, $sp, 56
	ld.d	$a7, $sp, 64
	ld.d	$t0, $sp, 72
	ld.d	$t1, $sp, 80
	ld.d	$t2, $sp, 88
	ld.d	$t3, $sp, 96
	ld.d	$t4, $sp, 104
	ld.d	$t5, $sp, 112
	ld.d	$t6, $sp, 120
	ld.d	$t7, $sp, 128
	ld.d	$t8, $sp, 136
	addi.d	$sp, $sp, 160
	ertn

#if PERCPU_TEST_HIGHER_HALF
/* A TLB refill: an access outside both windows, which this kernel never makes on purpose. Runs in
 * direct address translation, where the kernel's link addresses and the device window still
 * work; reports the address and the instruction and fails the run. TLBRENTRY keeps only bits
 * PALEN-1:12, hence the page alignment. */
	.balign 4096
tlb_refill_entry:
	csrrd	$a0, CSR_TLBRBADV
	csrrd	$a1, CSR_TLBRERA
	b	loongarch_tlb_refill
#endif
