/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* armv7-a user mode for the test kernel (the `user` test body): the vector table of a kernel with
 * PL0, the switch into User mode and back, and the user program. Nothing to swap at entry or exit
 * (percpu/entry.h): TPIDRPRW is out of PL0's reach, which the program checks by trying to read
 * and write it. The kernel runs in SVC mode; its banked sp stays the kernel stack while User mode
 * runs on its own (banked) sp, so exceptions from PL0 find the kernel stack without help. */

#define MODE_USR 0x10
#define MODE_SVC 0x13
#define MODE_UND 0x1b
#define MODE_SYS 0x1f
#define FRAME_SIZE (14 * 4)  /* r0-r12 at 4 * their number, lr_svc for 8-byte alignment */
#define SYS_EXIT 0
#define SYS_COUNT 1
#define USER_SPIN 200        /* register checks between two system calls */

	.syntax	unified
	.arm
	.text
/* Vectors (Armv7-A ARM B1.8.1), 32-byte aligned for VBAR. IRQs from PL1 or PL0 go to boot.S's
 * entry, which saves what arm_irq may clobber on the SVC stack; the banked sp_usr and lr_usr
 * are not touched. */
	.balign	32
	.globl	armv7_user_vectors
armv7_user_vectors:
	b	armv7_unexpected_vector		/* reset */
	b	undefined_entry
	b	svc_entry
	b	armv7_unexpected_vector		/* prefetch abort */
	b	armv7_unexpected_vector		/* data abort */
	b	armv7_unexpected_vector		/* unused */
	b	armv7_irq_entry
	b	armv7_unexpected_vector		/* FIQ */

/* An undefined instruction: from User mode, the program's access to TPIDRPRW, refused; counted
 * in its r3 and skipped (LR_und is the next instruction in ARM state, B1.8.5). From PL1: a bug,
 * reported. Runs on the SVC stack: srsdb saves LR_und and SPSR_und there. */
undefined_entry:
	srsdb	sp!, #MODE_SVC
	cps	#MODE_SVC
	push	{r0}
	ldr	r0, [sp, #8]		/* SPSR_und */
	and	r0, r0, #0x1f
	cmp	r0, #MODE_USR
	pop	{r0}
	bne	undefined_in_kernel
	add	r3, r3, #1
	rfeia	sp!
undefined_in_kernel:
	mov	r0, #MODE_UND
	ldr	r1, [sp]
	ldr	r2, [sp, #4]
	b	armv7_unexpected_exception

/* svc #0 from User mode (the kernel makes none: semihosting's svc 0x123456 never becomes an
 * exception). The frame: r0-r12, then lr_svc for alignment, then LR_svc and SPSR_svc stored by
 * srsdb. IRQs stay masked until rfe, so nothing nests. */
svc_entry:
	srsdb	sp!, #MODE_SVC
	push	{r0-r12, lr}
	mov	r0, sp
	bl	armv7_user_trap		/* non-zero: the exit call; leave User mode for good */
	cmp	r0, #0
	bne	leave_user
	pop	{r0-r12, lr}
	rfeia	sp!

/* uint32_t armv7_enter_user(uint32_t register_value, unsigned cpu, uintptr_t user_sp): saves the
 * callee-saved registers on the kernel (SVC) stack, sets the User-mode sp (through System mode,
 * which shares User's registers), and enters user_program in User mode with IRQs enabled there
 * (SPSR_svc = User, I clear). Returns, through leave_user, with the argument of the program's
 * exit call. */
	.globl	armv7_enter_user
armv7_enter_user:
	cpsid	i			/* no IRQ between setting SPSR and the exception return */
	push	{r4-r12, lr}		/* 10 words: sp stays 8-byte aligned */
	cps	#MODE_SYS
	mov	sp, r2
	cps	#MODE_SVC
	mov	r3, #MODE_USR
	msr	spsr_cxsf, r3
	ldr	lr, =user_program
	movs	pc, lr

/* From svc_entry, on the frame of the exit call: returns the call's r0 from armv7_enter_user. */
leave_user:
	ldr	r0, [sp]
	add	sp, sp, #FRAME_SIZE + 8
	pop	{r4-r12, pc}

/* The user program, in User mode, alone in a page that user.cpp maps readable and executable at
 * PL0: r0 = the value it gives its own thread register TPIDRURW, r1 = its CPU. First it tries to
 * read and to write TPIDRPRW; each attempt must be undefined, and the kernel counts it in r3.
 * r4 keeps its value, r5 counts its system calls, r6 keeps the CPU. Any check that fails ends it
 * with the exit call's argument 0. */
	.section .text.user, "ax"
	.balign	4096
	.globl	user_program
user_program:
	mcr	p15, 0, r0, c13, c0, 2	/* TPIDRURW */
	mov	r4, r0
	mov	r5, #0
	mov	r6, r1
	mov	r3, #0
	mrc	p15, 0, r8, c13, c0, 4	/* TPIDRPRW: undefined at PL0 */
	mcr	p15, 0, r4, c13, c0, 4
	cmp	r3, #2
	bne	user_failed
1:	add	r5, r5, #1
	mov	r7, #SYS_COUNT
	mov	r0, r5
	mov	r2, r6
	svc	#0			/* r0 = the kernel's count, r1 = done */
	mrc	p15, 0, r8, c13, c0, 2
	cmp	r8, r4
	bne	user_failed
	cmp	r0, r5
	bne	user_failed
	mov	r9, #USER_SPIN
2:	mrc	p15, 0, r8, c13, c0, 2	/* timer interrupts land here */
	cmp	r8, r4
	bne	user_failed
	subs	r9, r9, #1
	bne	2b
	cmp	r1, #0
	beq	1b
	mov	r7, #SYS_EXIT
	mov	r0, r5
	svc	#0
user_failed:
	mov	r7, #SYS_EXIT
	mov	r0, #0
	svc	#0
	.balign	4096
