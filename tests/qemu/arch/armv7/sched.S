/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* armv7-a context switch for the scheduler test body (platform.hpp: sched_switch,
 * sched_new_stack). A context is its stack: r4-r12 and lr (r12 for 8-byte alignment).
 * TPIDRPRW is no part of it: it belongs to the CPU (the per-CPU register), so a task that resumes
 * on another CPU finds that CPU's value. */

#define CONTEXT_SIZE (10 * 4)	/* r4-r12, lr */

	.syntax	unified
	.arm
	.text
/* void sched_switch(uintptr_t* save_sp, uintptr_t next_sp) */
	.globl	sched_switch
sched_switch:
	push	{r4-r12, lr}
	str	sp, [r0]
	mov	sp, r1
	pop	{r4-r12, pc}		/* interworking: entry() may be Thumb */

/* uintptr_t sched_new_stack(uintptr_t top, void (*entry)()): the context sched_switch resumes
 * into entry(), on the stack below `top` (8-byte aligned). */
	.globl	sched_new_stack
sched_new_stack:
	sub	r0, r0, #CONTEXT_SIZE
	str	r1, [r0, #CONTEXT_SIZE - 4]
	bx	lr
