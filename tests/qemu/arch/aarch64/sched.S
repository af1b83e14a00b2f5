/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* aarch64 context switch for the scheduler test body (platform.hpp: sched_switch,
 * sched_new_stack). A context is its stack: x19-x30. TPIDR_EL1 is no part of it: it belongs to
 * the CPU (the per-CPU register), so a task that resumes on another CPU finds that CPU's value. */

#define CONTEXT_SIZE (12 * 8)	/* x19-x30 */

	.text
/* void sched_switch(uintptr_t* save_sp, uintptr_t next_sp) */
	.globl	sched_switch
sched_switch:
	sub	sp, sp, #CONTEXT_SIZE
	.irp	r, 19,20,21,22,23,24,25,26,27,28,29,30
	str	x\r, [sp, #(\r - 19) * 8]
	.endr
	mov	x9, sp
	str	x9, [x0]
	mov	sp, x1
	.irp	r, 19,20,21,22,23,24,25,26,27,28,29,30
	ldr	x\r, [sp, #(\r - 19) * 8]
	.endr
	add	sp, sp, #CONTEXT_SIZE
	ret

/* uintptr_t sched_new_stack(uintptr_t top, void (*entry)()): the context sched_switch resumes
 * into entry(), on the stack below `top` (16-byte aligned); x29 = 0 ends frame-pointer walks. */
	.globl	sched_new_stack
sched_new_stack:
	sub	x0, x0, #CONTEXT_SIZE
	str	xzr, [x0, #(29 - 19) * 8]
	str	x1, [x0, #(30 - 19) * 8]
	ret
