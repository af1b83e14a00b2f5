/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* x86_64 user mode for the test kernel (the `user` test body): the system-call gate (int $0x80
 * from ring 3), the switch into ring 3 and back, and the user program. GS_BASE is switched by
 * percpu/entry.h's swapgs macro; timer interrupts from ring 3 go through boot.S's
 * x86_timer_entry, which uses the same macro. */
#include <percpu/entry.h>

#include "registers.h"

#define USER_CS (0x28 | 3)     /* user.cpp's GDT, RPL 3 */
#define USER_DS (0x20 | 3)
#define RFLAGS_IF (1 << 9)
#define RFLAGS_FIXED (1 << 1)  /* always 1 */
#define SYS_EXIT 0
#define SYS_COUNT 1
#define USER_SPIN 200          /* register checks between two system calls */
/* Offset of RSP0 in the 64-bit TSS (SDM Vol. 3A, "Task Management in 64-bit Mode"). */
#define TSS_RSP0 4

	.text

/* int $0x80 (a DPL-3 interrupt gate: IF clear, on the TSS's RSP0 stack from ring 3). Number in
 * rax, arguments in rdi and rsi; results in rax and rdx. swapgs before anything else, so that
 * the C++ handler's %gs accesses reach this CPU's area; the frame's CS is at 8(%rsp). All
 * fifteen general registers are saved, since user code may expect any of them back: struct
 * user_frame in user.cpp. */
	.globl	x86_syscall_entry
x86_syscall_entry:
	percpu_x86_swapgs_if_user 8
	push_call_clobbered
	push_call_preserved
	cld
	mov	%rsp, %rdi		/* 15 pushes after the 5-word frame: 16-byte aligned */
	call	x86_user_syscall	/* non-zero: the exit call; the kernel stack to resume on */
	test	%rax, %rax
	jnz	leave_user
	pop_call_preserved
	pop_call_clobbered
	percpu_x86_swapgs_if_user 8
	iretq

/* The exit call: back on the stack x86_enter_user left (in rax), returning the call's argument
 * (the frame's rdi, 10 words up). GS_BASE already holds the kernel's value: the entry swapped. */
leave_user:
	mov	10 * 8(%rsp), %rdx
	mov	%rax, %rsp
	mov	%rdx, %rax
	pop_call_preserved
	ret

/* NMI, a paranoid entry (percpu/entry.h): it can arrive anywhere, between an entry and its
 * swapgs too, so GS_BASE is saved whatever it holds (in %rbx, which x86_nmi preserves) and the
 * kernel's value is loaded from the word above the top of this CPU's IST1 stack, where
 * user_mode_setup put it: 40 bytes above %rsp at entry (the processor's five-word frame). NMIs
 * stay blocked until iretq, so nothing nests. */
	.globl	x86_nmi_entry
x86_nmi_entry:
	push_call_clobbered
	push	%rbx
	mov	(5 + 10) * 8(%rsp), %rax
	percpu_x86_paranoid_entry %rbx, %rax
	sub	$8, %rsp		/* 16-byte alignment for the call */
	cld
	call	x86_nmi
	add	$8, %rsp
	percpu_x86_paranoid_exit %rbx
	pop	%rbx
	pop_call_clobbered
	iretq

/* uint64_t x86_enter_user(uint64_t register_value, unsigned cpu, uintptr_t user_rsp, uintptr_t*
 * resume_rsp, void* tss): saves the callee-saved registers, records the stack in *resume_rsp (for
 * leave_user) and in the TSS's RSP0 (for traps from ring 3), and enters user_program in ring 3
 * with interrupts enabled there, through an iretq frame built here. Interrupts stay off from cli
 * to iretq: a trap in between would find the user's GS base installed by the swapgs with a ring-0
 * CS. Returns through leave_user. */
	.globl	x86_enter_user
x86_enter_user:
	cli
	push_call_preserved
	mov	%rsp, (%rcx)
	mov	%rsp, TSS_RSP0(%r8)
	push	$USER_DS		/* SS */
	push	%rdx			/* RSP */
	push	$(RFLAGS_IF | RFLAGS_FIXED)
	push	$USER_CS
	lea	user_program(%rip), %rax
	push	%rax			/* RIP */
	percpu_x86_swapgs_if_user 8	/* CS is the user's: GS_BASE = the user's (0 at first) */
	iretq

/* The user program, in ring 3: rdi = the value it gives its GS base (wrgsbase, CR4.FSGSBASE),
 * esi = its CPU. r12 keeps that value, r13 counts its system calls, r14 keeps the CPU. Any check
 * that fails ends it with the exit call's argument 0. */
user_program:
	wrgsbase %rdi
	mov	%rdi, %r12
	xor	%r13d, %r13d
	mov	%esi, %r14d
1:	inc	%r13
	mov	$SYS_COUNT, %eax
	mov	%r13, %rdi
	mov	%r14, %rsi
	int	$0x80			/* rax = the kernel's count, rdx = done */
	rdgsbase %rcx
	cmp	%rcx, %r12
	jne	user_failed
	cmp	%rax, %r13
	jne	user_failed
	mov	$USER_SPIN, %ecx
2:	rdgsbase %rsi			/* timer interrupts land here */
	cmp	%rsi, %r12
	jne	user_failed
	dec	%ecx
	jnz	2b
	test	%rdx, %rdx
	jz	1b
	mov	$SYS_EXIT, %eax
	mov	%r13, %rdi
	int	$0x80
user_failed:
	mov	$SYS_EXIT, %eax
	xor	%edi, %edi
	int	$0x80

	.section .note.GNU-stack, "", @progbits
