/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* loongarch64 QEMU virt entry (PLV0, direct address translation) and the general exception entry.
 * Never touches $r21: it is the per-CPU register of the library under test. */

#define STACK_SHIFT 14 /* 16 KiB per CPU; must match kernel.ld */
#define MAX_CPUS 4     /* platform::cpu_count */

#define CSR_ECFG   0x4
#define CSR_ESTAT  0x5
#define CSR_EENTRY 0xc
#define CSR_CPUID  0x20

	.section .text.boot, "ax"
	.globl _start
_start:
	/* QEMU starts every CPU here at once, in direct address translation mode (CRMD.DA=1,
	 * Reference Manual vol. 1 §7.4.1), so addresses are physical. ECFG and EENTRY are per CPU:
	 * ECFG=0 masks every local interrupt and selects one shared entry (VS=0, §7.4.5). */
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
 * page alignment) with CRMD.IE cleared by hardware (§7.4.1), so they never nest and ERA/PRMD
 * need no saving. Saves the registers the calling convention lets loongarch_trap clobber ($ra,
 * $a0-$a7, $t0-$t8); $tp, $sp, $r21, $fp and $s0-$s8 are preserved by loongarch_trap itself.
 * No FP registers: EUEN.FPE stays 0 (§7.4.3), so no FP state exists. */
	.text
	.balign 4096
trap_entry:
	addi.d	$sp, $sp, -144
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
	csrrd	$a0, CSR_ESTAT
	bl	loongarch_trap
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
	addi.d	$sp, $sp, 144
	ertn
