/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* aarch64 user mode for the EL1 test kernel (the `user` test body): the vector table of a kernel
 * with EL0, the switch into EL0 and back, and the user program. Nothing to swap at entry or exit
 * (percpu/entry.h): TPIDR_EL1 is out of EL0's reach, which the program checks by trying to read
 * and write it. */

#define FRAME_SIZE (32 * 8)  /* x0-x30 at 8 * their number, and a pad to keep sp 16-byte aligned */
#define TRAP_SYNC 0
#define TRAP_IRQ 1
#define SYS_EXIT 0
#define SYS_COUNT 1
#define USER_SPIN 200        /* register checks between two system calls */

/* A vector entry (Arm ARM, 'Vector tables': 128 bytes each) for an exception this test does
 * not expect: boot.S reports it. */
	.macro	unexpected_entry offset
	.balign	128
	mov	x0, #\offset
	b	aarch64_unexpected_vector
	.endm

/* An entry from EL0, on SP_EL1: the kernel stack as aarch64_enter_user left it. Opens the
 * frame, frees x17 (saved in it) to say which kind of exception this is, goes on to from_user. */
	.macro	from_user_entry kind
	sub	sp, sp, #FRAME_SIZE
	str	x17, [sp, #17 * 8]
	mov	x17, #\kind
	b	from_user
	.endm

	.text
	.balign	2048
	.globl	aarch64_user_vectors
aarch64_user_vectors:
	.irp	offset, 0x000, 0x080, 0x100, 0x180, 0x200	/* SP_EL0 group; SP_ELx synchronous */
	unexpected_entry \offset
	.endr
	.balign	128
	b	aarch64_kernel_irq_entry			/* 0x280: IRQ from the kernel */
	.irp	offset, 0x300, 0x380
	unexpected_entry \offset
	.endr
	.balign	128
	from_user_entry TRAP_SYNC				/* 0x400: synchronous from EL0 */
	.balign	128
	from_user_entry TRAP_IRQ				/* 0x480: IRQ from EL0 */
	.irp	offset, 0x500, 0x580, 0x600, 0x680, 0x700, 0x780
	unexpected_entry \offset
	.endr

/* Saves the rest of x0-x30 and passes the frame and the kind (x17) to aarch64_user_trap. IRQs
 * stay masked (PSTATE.I, set by the exception) until eret, so nothing nests and
 * ELR_EL1/SPSR_EL1 stay as they are. */
from_user:
	.irp	r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,18,19,20,21,22,23,24,25,26,27,28,29,30
	str	x\r, [sp, #\r * 8]
	.endr
	mov	x0, sp
	mov	x1, x17
	bl	aarch64_user_trap	/* non-zero: the exit call; leave EL0 for good */
	cbnz	x0, leave_user
	.irp	r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	ldr	x\r, [sp, #\r * 8]
	.endr
	add	sp, sp, #FRAME_SIZE
	eret

/* uint64_t aarch64_enter_user(uint64_t register_value, unsigned cpu, uintptr_t user_sp): saves
 * the callee-saved registers on the kernel stack, which stays SP_EL1 for exceptions from EL0,
 * and enters user_program at EL0 with IRQs unmasked there (SPSR_EL1 = EL0t, DAIF clear).
 * Returns, through leave_user, with the argument of the program's exit call. */
	.globl	aarch64_enter_user
aarch64_enter_user:
	msr	daifset, #2		/* no IRQ between setting ELR/SPSR and eret */
	stp	x29, x30, [sp, #-96]!
	.irp	r, 19,20,21,22,23,24,25,26,27,28
	str	x\r, [sp, #(\r - 17) * 8]
	.endr
	adr	x9, user_program
	msr	elr_el1, x9
	msr	spsr_el1, xzr
	msr	sp_el0, x2
	eret

/* From from_user, on the frame of the exit call: returns the call's x0 from aarch64_enter_user. */
leave_user:
	ldr	x0, [sp]
	add	sp, sp, #FRAME_SIZE
	.irp	r, 19,20,21,22,23,24,25,26,27,28
	ldr	x\r, [sp, #(\r - 17) * 8]
	.endr
	ldp	x29, x30, [sp], #96
	ret

/* The user program, at EL0, alone in a page that user.cpp maps readable and executable at EL0:
 * x0 = the value it gives its own thread register TPIDR_EL0, x1 = its CPU. First it tries to read
 * and to write TPIDR_EL1; each attempt must trap, and the kernel counts it in x3. x19 keeps its
 * value, x20 counts its system calls, x21 keeps the CPU. Any check that fails ends it with the
 * exit call's argument 0. */
	.section .text.user, "ax"
	.balign	4096
	.globl	user_program
user_program:
	msr	tpidr_el0, x0
	mov	x19, x0
	mov	x20, #0
	mov	x21, x1
	mov	x3, #0
	mrs	x4, tpidr_el1
	msr	tpidr_el1, x19
	cmp	x3, #2
	b.ne	user_failed
1:	add	x20, x20, #1
	mov	x8, #SYS_COUNT
	mov	x0, x20
	mov	x2, x21
	svc	#0			/* x0 = the kernel's count, x1 = done */
	mrs	x9, tpidr_el0
	cmp	x9, x19
	b.ne	user_failed
	cmp	x0, x20
	b.ne	user_failed
	mov	x10, #USER_SPIN
2:	mrs	x9, tpidr_el0		/* timer interrupts land here */
	cmp	x9, x19
	b.ne	user_failed
	subs	x10, x10, #1
	b.ne	2b
	cbz	x1, 1b
	mov	x8, #SYS_EXIT
	mov	x0, x20
	svc	#0
user_failed:
	mov	x8, #SYS_EXIT
	mov	x0, #0
	svc	#0
	.balign	4096
