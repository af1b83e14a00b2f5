/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* For the entry code of boot.S and user.S: saving and restoring the nine registers the SysV ABI
 * lets a C++ function clobber (nine pushes after the processor's five-word frame leave RSP
 * 16-byte aligned for a call), and the six it must preserve. */

.macro push_call_clobbered
	.irp	r, rax, rcx, rdx, rsi, rdi, r8, r9, r10, r11
	push	%\r
	.endr
.endm

.macro pop_call_clobbered
	.irp	r, r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax
	pop	%\r
	.endr
.endm

.macro push_call_preserved
	.irp	r, rbx, rbp, r12, r13, r14, r15
	push	%\r
	.endr
.endm

.macro pop_call_preserved
	.irp	r, r15, r14, r13, r12, rbp, rbx
	pop	%\r
	.endr
.endm
