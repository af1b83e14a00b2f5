/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* loongarch64 user mode for the test kernel (the `user` test body): the exception entry that
 * takes exceptions from PLV3 and from the kernel, the switch into PLV3 and back, and the user
 * program. The per-CPU register $r21 is saved and reloaded by percpu/entry.h's macros through
 * KS3 (PERCPU_LOONGARCH_KSCRATCH); the entry's own scratch CSRs are KS0 and KS1. Runs in direct
 * address translation: PLV3 reaches the kernel's memory, which is all this test needs. */
#include <percpu/entry.h>

#include "registers.h"

#define CSR_PRMD   0x1
#define CSR_ERA    0x6
#define CSR_EENTRY 0xc
#define CSR_CRMD   0x0
#define KS_T0      0x30      /* $t0 while the entry finds its stack */
#define KS_KSP     0x31      /* the kernel stack of exceptions from PLV3 */
#define CRMD_IE    (1 << 2)
#define PRMD_PPLV3 3         /* Reference Manual vol. 1 §7.4.2 */
#define PRMD_PIE   (1 << 2)
#define FRAME_SIZE (32 * 8)  /* $r0-$r31 at 8 * their number; $r0's slot is unused */
#define SYS_EXIT   0
#define SYS_COUNT  1
#define USER_SPIN  200       /* register checks between two system calls */

	.text
/* Every exception of a CPU in user-mode tests (EENTRY keeps bits 63:12 only, §7.4.10: page
 * aligned). CRMD.IE is clear until ertn, so nothing nests. From PLV3 the kernel stack comes
 * from KS_KSP, from the kernel the stack stays; then one frame layout either way. */
	.balign 4096
	.globl	loongarch_user_trap_entry
loongarch_user_trap_entry:
	csrwr	$t0, KS_T0
	csrrd	$t0, CSR_PRMD
	andi	$t0, $t0, 3		/* PPLV: the level the exception came from */
	beqz	$t0, 1f
	move	$t0, $sp
	csrrd	$sp, KS_KSP
	b	2f
1:	move	$t0, $sp
2:	addi.d	$sp, $sp, -FRAME_SIZE
	st.d	$t0, $sp, 3 * 8		/* the interrupted $sp */
	csrrd	$t0, KS_T0
	.irp	r, 1,2,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,22,23,24,25,26,27,28,29,30,31
	st.d	$r\r, $sp, \r * 8
	.endr
	percpu_loongarch_trap_entry 21 * 8
	move	$a0, $sp
	bl	loongarch_user_trap	/* non-zero: the exit call; leave user mode for good */
	bnez	$a0, leave_user
	csrrd	$t0, CSR_PRMD
	andi	$t0, $t0, 3
	beqz	$t0, 3f			/* back to the kernel: $r21 stays this CPU's */
	percpu_loongarch_return_to_user 21 * 8
3:	.irp	r, 1,2,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,22,23,24,25,26,27,28,29,30,31
	ld.d	$r\r, $sp, \r * 8
	.endr
	ld.d	$sp, $sp, 3 * 8
	ertn

/* uint64_t loongarch_enter_user(uint64_t register_value, unsigned cpu, uintptr_t user_sp):
 * saves the kernel's callee-saved registers, records the stack in KS_KSP for exceptions from
 * PLV3, and enters user_program at PLV3 with interrupts enabled there (PRMD.PIE). Returns,
 * through leave_user, with the argument of the program's exit call. */
	.globl	loongarch_enter_user
loongarch_enter_user:
	li.d	$t0, CRMD_IE		/* no exception between setting KS_KSP and ertn */
	csrxchg	$zero, $t0, CSR_CRMD
	addi.d	$sp, $sp, -96
	call_preserved st.d
	move	$t0, $sp
	csrwr	$t0, KS_KSP
	la.pcrel $t0, user_program
	csrwr	$t0, CSR_ERA
	li.d	$t0, PRMD_PPLV3 | PRMD_PIE
	csrwr	$t0, CSR_PRMD
	move	$sp, $a2
	move	$r21, $zero		/* the program starts with 0; the kernel's stays in KS3 */
	ertn

/* From the exception entry, on the frame of the exit call: back on the stack
 * loongarch_enter_user saved, returning the exit call's $a0. $r21 is the kernel's already. */
leave_user:
	ld.d	$a0, $sp, 4 * 8
	csrrd	$sp, KS_KSP
	call_preserved ld.d
	addi.d	$sp, $sp, 96
	jr	$ra

/* The user program, at PLV3: $a0 = the value it gives $r21, $a1 = its CPU. $s1 keeps that
 * value, $s2 counts its system calls, $s3 keeps the CPU. Any check that fails ends it with the
 * exit call's argument 0. */
user_program:
	move	$r21, $a0
	move	$s1, $a0
	move	$s2, $zero
	move	$s3, $a1
1:	addi.d	$s2, $s2, 1
	li.d	$a7, SYS_COUNT
	move	$a0, $s2
	move	$a2, $s3
	syscall	0			/* $a0 = the kernel's count, $a1 = done */
	bne	$r21, $s1, user_failed
	bne	$a0, $s2, user_failed
	li.d	$t0, USER_SPIN
2:	bne	$r21, $s1, user_failed	/* timer interrupts land here */
	addi.d	$t0, $t0, -1
	bnez	$t0, 2b
	beqz	$a1, 1b
	li.d	$a7, SYS_EXIT
	move	$a0, $s2
	syscall	0
user_failed:
	li.d	$a7, SYS_EXIT
	move	$a0, $zero
	syscall	0
