/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* riscv64 user mode for the M-mode test kernel (the `user` test body): the trap vector that
 * takes traps from U-mode and from the kernel, the switch into U-mode and back, and the user
 * program. The per-CPU register gp is switched by percpu/entry.h's macros through mscratch
 * (PERCPU_RISCV_SCRATCH, which follows PERCPU_RISCV_M_MODE, arch.cmake). Needs the image at VMA 0: the entry path reaches its
 * two per-CPU slots from gp alone. */
#include <percpu/entry.h>

#define FRAME_SIZE (32 * 8)    /* x0-x31 at 8 * their number; x0's slot is unused */
#define CAUSE_USER_ECALL 8
#define MSTATUS_MIE (1 << 3)
#define MSTATUS_MPIE (1 << 7)
#define MSTATUS_MPP_MASK (3 << 11)
#define SYS_EXIT 0
#define SYS_COUNT 1
#define USER_SPIN 200          /* register checks between two system calls */

	.option norelax

/* Two hot per-CPU variables, at the front of every area (linker/percpu.ld): with the image at
 * VMA 0, %lo(slot)(gp) reaches this CPU's copy with no other register. */
	.section .percpu.hot.riscv_entry, "aw", @progbits
	.balign 8
entry_user_sp:			/* the user's sp while the kernel handles its trap */
	.quad	0
entry_kernel_sp:		/* the kernel stack user-mode traps run on */
	.quad	0

	.text
/* Every trap of a CPU in user-mode tests (mtvec, direct mode). From U-mode: gp = the kernel's,
 * the user's sp parked in entry_user_sp and the kernel stack taken from entry_kernel_sp; from
 * the kernel: on the stack it was using. Then one frame layout either way. mstatus.MIE is clear
 * until mret, so nothing nests. */
	.globl	riscv_user_trap_entry
	.balign 4
riscv_user_trap_entry:
	percpu_riscv_trap_entry from_user
	addi	sp, sp, -FRAME_SIZE
	sd	t0, 5 * 8(sp)
	addi	t0, sp, FRAME_SIZE
	sd	t0, 2 * 8(sp)		/* the interrupted sp; gp needs no slot: it stays */
	j	save_rest
from_user:
	sd	sp, %lo(entry_user_sp)(gp)
	ld	sp, %lo(entry_kernel_sp)(gp)
	addi	sp, sp, -FRAME_SIZE
	sd	t0, 5 * 8(sp)
	percpu_riscv_take_user_gp t0
	sd	t0, 3 * 8(sp)
	ld	t0, %lo(entry_user_sp)(gp)
	sd	t0, 2 * 8(sp)
save_rest:
	sd	x1, 1 * 8(sp)
	.irp	r, 4,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\r, \r * 8(sp)
	.endr
	mv	a0, sp
	call	riscv_user_trap		/* non-zero: the exit call; leave user mode for good */
	bnez	a0, leave_user
	csrr	t0, mstatus
	li	t1, MSTATUS_MPP_MASK
	and	t0, t0, t1
	bnez	t0, restore		/* back to M-mode: gp stays this CPU's */
	ld	t0, 3 * 8(sp)
	percpu_riscv_return_to_user t0
restore:
	ld	x1, 1 * 8(sp)
	.irp	r, 4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\r, \r * 8(sp)
	.endr
	ld	sp, 2 * 8(sp)
	mret

/* uint64_t riscv_enter_user(uint64_t register_value, unsigned cpu, uintptr_t user_sp): saves the
 * kernel's callee-saved registers, records the stack for user-mode traps, and enters user_program
 * in U-mode with interrupts enabled there (mstatus.MPIE). Returns, through leave_user, with the
 * argument of the program's exit call. */
	.globl	riscv_enter_user
riscv_enter_user:
	csrci	mstatus, MSTATUS_MIE	/* no trap between setting mscratch and mret */
	addi	sp, sp, -112
	sd	ra, 0(sp)
	.irp	r, 0,1,2,3,4,5,6,7,8,9,10,11
	sd	s\r, (\r + 1) * 8(sp)
	.endr
	sd	sp, %lo(entry_kernel_sp)(gp)
	la	t0, user_program
	csrw	mepc, t0
	li	t0, MSTATUS_MPP_MASK	/* MPP = 0: U-mode */
	csrc	mstatus, t0
	li	t0, MSTATUS_MPIE
	csrs	mstatus, t0
	mv	sp, a2
	percpu_riscv_return_to_user zero	/* the program starts with gp = 0 */
	mret

/* From the trap vector, on the frame of the exit call: back on the stack riscv_enter_user saved
 * (entry_kernel_sp), returning the exit call's a0. mscratch is 0 already (taken at entry). */
leave_user:
	ld	a0, 10 * 8(sp)
	ld	sp, %lo(entry_kernel_sp)(gp)
	ld	ra, 0(sp)
	.irp	r, 0,1,2,3,4,5,6,7,8,9,10,11
	ld	s\r, (\r + 1) * 8(sp)
	.endr
	addi	sp, sp, 112
	ret

/* The user program, in U-mode: a0 = the value it gives gp, a1 = its CPU. s1 keeps that value,
 * s2 counts its system calls, s3 keeps the CPU. Any check that fails ends it with the exit
 * call's argument 0. */
user_program:
	mv	gp, a0
	mv	s1, a0
	li	s2, 0
	mv	s3, a1
1:	addi	s2, s2, 1
	li	a7, SYS_COUNT
	mv	a0, s2
	mv	a2, s3
	ecall				/* a0 = the kernel's count, a1 = done */
	bne	gp, s1, user_failed
	bne	a0, s2, user_failed
	li	t0, USER_SPIN
2:	bne	gp, s1, user_failed	/* timer interrupts land here */
	addi	t0, t0, -1
	bnez	t0, 2b
	beqz	a1, 1b
	li	a7, SYS_EXIT
	mv	a0, s2
	ecall
user_failed:
	li	a7, SYS_EXIT
	li	a0, 0
	ecall
