/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* riscv64 context switch for the scheduler test body (platform.hpp: sched_switch,
 * sched_new_stack). A context is its stack: ra and s0-s11. gp is no part of it: it belongs to
 * the CPU (the per-CPU register), so a task that resumes on another CPU finds that CPU's value. */

#define CONTEXT_SIZE (13 * 8 + 8)	/* ra, s0-s11, a pad for 16-byte alignment */

	.text
/* void sched_switch(uintptr_t* save_sp, uintptr_t next_sp) */
	.globl	sched_switch
sched_switch:
	addi	sp, sp, -CONTEXT_SIZE
	sd	ra, 0(sp)
	.irp	r, 0,1,2,3,4,5,6,7,8,9,10,11
	sd	s\r, (\r + 1) * 8(sp)
	.endr
	sd	sp, 0(a0)
	mv	sp, a1
	ld	ra, 0(sp)
	.irp	r, 0,1,2,3,4,5,6,7,8,9,10,11
	ld	s\r, (\r + 1) * 8(sp)
	.endr
	addi	sp, sp, CONTEXT_SIZE
	ret

/* uintptr_t sched_new_stack(uintptr_t top, void (*entry)()): the context sched_switch resumes
 * into entry(), on the stack below `top` (16-byte aligned). */
	.globl	sched_new_stack
sched_new_stack:
	addi	a0, a0, -CONTEXT_SIZE
	sd	a1, 0(a0)
	ret
