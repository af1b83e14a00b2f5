/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* x86_64 context switch for the scheduler test body (platform.hpp: sched_switch,
 * sched_new_stack). A context is its stack: the SysV callee-saved registers pushed under the
 * return address. GS_BASE is no part of it: it belongs to the CPU, so a task that resumes on
 * another CPU finds that CPU's value. */

#include "registers.h"

	.text
/* void sched_switch(uintptr_t* save_sp, uintptr_t next_sp) */
	.globl	sched_switch
sched_switch:
	push_call_preserved
	mov	%rsp, (%rdi)
	mov	%rsi, %rsp
	pop_call_preserved
	ret

/* uintptr_t sched_new_stack(uintptr_t top, void (*entry)()): the context sched_switch resumes
 * into entry(), on the stack below `top` (16-byte aligned), as if entry had been called. */
	.globl	sched_new_stack
sched_new_stack:
	lea	-64(%rdi), %rax		/* six registers, the return address, a pad */
	mov	%rsi, 48(%rax)
	ret

	.section .note.GNU-stack, "", @progbits
