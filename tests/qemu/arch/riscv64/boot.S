/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* riscv64 QEMU virt entry (M-mode, -bios none) and the machine trap vector.
 * Never touches gp or tp: gp is the per-CPU register of the library under test. */

#define STACK_SHIFT 14 /* 16 KiB per hart; must match kernel.ld */
#define MAX_HARTS 4    /* platform::cpu_count */

	.section .text.boot, "ax"
	.globl _start
_start:
	/* QEMU's reset stub enters here on every hart at once, with a0 = mhartid. mtvec is per hart
	 * (Privileged spec 3.1.7), so each sets its own; direct mode (low bits 0) sends every trap
	 * to trap_entry. */
	la	t0, trap_entry
	csrw	mtvec, t0
	li	t0, MAX_HARTS
	bgeu	a0, t0, halt
	/* sp = top of this hart's stack: __stacks_start + (hart + 1) << STACK_SHIFT. */
	la	sp, __stacks_start
	addi	t0, a0, 1
	slli	t0, t0, STACK_SHIFT
	add	sp, sp, t0
	bnez	a0, park

	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	tail	kernel_main

/* Secondary harts spin until platform::start_cpu publishes their entry point. The mailbox is in
 * .data, so it is zero from the moment the image is loaded, before hart 0 clears .bss. */
park:
	la	t0, riscv_cpu_entry
	slli	t1, a0, 3
	add	t0, t0, t1
3:	pause
	ld	t1, 0(t0)
	beqz	t1, 3b
	fence	r, rw		/* acquire: pairs with start_cpu's release store */
	jr	t1		/* entry(cpu): a0 still holds the hart id, which is the CPU number */

halt:
	wfi
	j	halt

	.data
	.balign 8
	.globl riscv_cpu_entry
riscv_cpu_entry:
	.zero	8 * MAX_HARTS

/* Every trap lands here with mstatus.MIE cleared by hardware (Privileged spec 3.1.6.1), so traps
 * never nest and mepc/mcause/mstatus.MPIE need no saving. Saves the registers the calling
 * convention lets riscv_trap clobber (ra, t0-t6, a0-a7); gp, tp, sp and s0-s11 are preserved by
 * riscv_trap itself. No FP registers: mstatus.FS stays Off, so no FP state exists. */
	.text
	.balign 4
trap_entry:
	addi	sp, sp, -128
	sd	ra, 0(sp)
	sd	t0, 8(sp)
	sd	t1, 16(sp)
	sd	t2, 24(sp)
	sd	t3, 32(sp)
	sd	t4, 40(sp)
	sd	t5, 48(sp)
	sd	t6, 56(sp)
	sd	a0, 64(sp)
	sd	a1, 72(sp)
	sd	a2, 80(sp)
	sd	a3, 88(sp)
	sd	a4, 96(sp)
	sd	a5, 104(sp)
	sd	a6, 112(sp)
	sd	a7, 120(sp)
	csrr	a0, mcause
	call	riscv_trap
	ld	ra, 0(sp)
	ld	t0, 8(sp)
	ld	t1, 16(sp)
	ld	t2, 24(sp)
	ld	t3, 32(sp)
	ld	t4, 40(sp)
	ld	t5, 48(sp)
	ld	t6, 56(sp)
	ld	a0, 64(sp)
	ld	a1, 72(sp)
	ld	a2, 80(sp)
	ld	a3, 88(sp)
	ld	a4, 96(sp)
	ld	a5, 104(sp)
	ld	a6, 112(sp)
	ld	a7, 120(sp)
	addi	sp, sp, 128
	mret
