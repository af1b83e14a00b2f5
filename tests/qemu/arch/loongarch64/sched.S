/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* loongarch64 context switch for the scheduler test body (platform.hpp: sched_switch,
 * sched_new_stack). A context is its stack: $ra, $fp and $s0-$s8. $r21 is no part of it: it
 * belongs to the CPU (the per-CPU register), so a task that resumes on another CPU finds that
 * CPU's value. */

#include "registers.h"

#define CONTEXT_SIZE (11 * 8 + 8)	/* $ra, $fp, $s0-$s8, a pad for 16-byte alignment */

	.text
/* void sched_switch(uintptr_t* save_sp, uintptr_t next_sp) */
	.globl	sched_switch
sched_switch:
	addi.d	$sp, $sp, -CONTEXT_SIZE
	call_preserved st.d
	st.d	$sp, $a0, 0
	move	$sp, $a1
	call_preserved ld.d
	addi.d	$sp, $sp, CONTEXT_SIZE
	jr	$ra

/* uintptr_t sched_new_stack(uintptr_t top, void (*entry)()): the context sched_switch resumes
 * into entry(), on the stack below `top` (16-byte aligned). */
	.globl	sched_new_stack
sched_new_stack:
	addi.d	$a0, $a0, -CONTEXT_SIZE
	st.d	$a1, $a0, 0
	jr	$ra
