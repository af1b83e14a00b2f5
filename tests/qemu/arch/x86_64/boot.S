/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* x86_64 QEMU q35 entry: the multiboot header, 32-bit entry, the real-mode AP trampoline, the
 * switch to long mode, and the interrupt entry stubs. Never writes GS or FS: the GS base belongs
 * to the per-CPU library under test; the timer entry swaps it with the user's (swapgs) only when
 * it interrupted ring 3.
 * With PERCPU_TEST_HIGHER_HALF (kernel-higherhalf.ld) everything but the multiboot header and the
 * 32-bit code runs at KERNEL_VMA + its physical address: the 32-bit code reaches it through the
 * physical addresses (symbol - KERNEL_VMA), and once in long mode every CPU jumps high and
 * switches to page tables without the low RAM.
 * With PERCPU_TEST_PIE (kernel-pie.ld) the kernel is a PIE linked at 0 that runs where multiboot
 * loaded it, 2 MiB, identity-mapped, after CPU 0 relocated it in 32-bit code. */

#define CPU_COUNT 4             /* platform::cpu_count */
#define STACK_SHIFT 14          /* 16 KiB per CPU */
#define AP_TRAMPOLINE 0x8000    /* platform.cpp ap_trampoline; a page below 1 MiB for the SIPI */

#define CODE32 0x08             /* selectors into gdt below */
#define DATA 0x10
#define CODE64 0x18

#define CR0_PE (1 << 0)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)

/* Paging-structure entry bits (SDM Vol. 3A, chapter "Paging", the 4-level entry formats):
 * present, writable, PWT, PCD, and PS (a 2 MiB page in a page directory). */
#define PTE_P 0x01
#define PTE_W 0x02
#define PTE_PWT 0x08
#define PTE_PCD 0x10
#define PTE_PS 0x80
/* U/S: the user-mode test body (user.S) runs ring-3 code in the identity-mapped RAM; every level
 * of the walk must allow it. Other kernels keep ring 3 out. */
#if PERCPU_TEST_USER_MODE
#define PTE_USER 0x04
#else
#define PTE_USER 0
#endif

#if PERCPU_TEST_HIGHER_HALF
#define KERNEL_VMA 0xffffffff80000000 /* kernel-higherhalf.ld; -mcmodel=kernel's top 2 GiB */
#else
#define KERNEL_VMA 0
#endif

#include <percpu/entry.h>

#include "registers.h"

/* Flat 4 GiB descriptors (SDM Vol. 3A, "Segment Descriptors"), with the accessed bit preset so
 * the processor never writes to this table. The 64-bit code segment sets L and clears D. The PIE
 * keeps its copy in the text it relocates, the others in .rodata. */
	.macro	flat_gdt
	.balign 8
gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* CODE32: base 0, limit 4 GiB, execute/read, D=1 */
	.quad	0x00cf93000000ffff	/* DATA: base 0, limit 4 GiB, read/write */
	.quad	0x00af9b000000ffff	/* CODE64: L=1 */
gdt_end:
	.endm

/* From 32-bit protected mode to long mode, once CR3 holds the page tables' physical address;
 * the far jump into 64-bit code is the caller's. Sequence from SDM Vol. 3A, "Initializing
 * IA-32e Mode": PAE on, CR3 set, EFER.LME set, then paging on activates long mode. Control
 * registers are written whole: multiboot leaves their other bits undefined (spec 3.2). */
	.macro	enable_long_mode
	mov	$DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$MSR_EFER, %ecx
	mov	$EFER_LME, %eax
	xor	%edx, %edx
	wrmsr
	mov	$(CR0_PE | CR0_PG), %eax
	mov	%eax, %cr0
	.endm

/* Multiboot 1 header (spec 3.1): within the first 8 KiB of the file, 4-byte aligned. Flags 0
 * (spec 3.1.2, bit 16 clear): the loader follows the ELF program headers, and QEMU loads each
 * by its physical address, so a .percpu image linked at VMA 0 still lands in the image. */
	.section .multiboot, "a"
	.balign 4
	.long	0x1badb002
	.long	0
	.long	-0x1badb002

#if PERCPU_TEST_PIE
/* The position-independent kernel (kernel-pie.ld: linked at 0, loaded at 2 MiB). 32-bit code has
 * no EIP-relative addressing, so it finds where it runs with call/pop on a scratch stack (%ebx =
 * run-time address of pie_anchor), and reaches the rest of the image through the distances in
 * pie_distances (R_X86_64_PC32, resolved at link time; an absolute R_X86_64_32 has no place in a
 * PIE). Before anything reads an absolute address it applies every Elf64_Rela of .rela.dyn
 * (r_offset, r_info, r_addend) as R_X86_64_RELATIVE, *(delta + r_offset) = delta + r_addend,
 * where delta (%ebp) is the run-time address of __kernel_start minus its link address,
 * KERNEL_PIE_LINK (arch.cmake, as kernel-pie.ld): the page tables and the
 * exception entry table included. Everything lies below 4 GiB, so each upper half is 0. Any
 * other type (a symbol the link did not resolve) halts, and the run times out as a failure. The
 * GDT pointer and the far jumps, which hold 32-bit addresses, are written here. */
#define SCRATCH_STACK 0x7000    /* below the AP trampoline; conventional memory */
#define R_X86_64_RELATIVE 8
	.section .text.boot, "ax"
	.code32
	.globl	_start
_start:
	cld
	mov	$SCRATCH_STACK, %esp
	call	pie_anchor
pie_anchor:
	pop	%ebx
	lea	(kernel_start_distance - pie_anchor)(%ebx), %ebp
	add	(%ebp), %ebp
	sub	$KERNEL_PIE_LINK, %ebp
	lea	(rela_start_distance - pie_anchor)(%ebx), %esi
	add	(%esi), %esi
	lea	(rela_end_distance - pie_anchor)(%ebx), %edi
	add	(%edi), %edi
1:	cmp	%edi, %esi
	jae	2f
	cmpl	$R_X86_64_RELATIVE, 8(%esi)
	jne	halt32
	cmpl	$0, 12(%esi)
	jne	halt32
	mov	(%esi), %eax
	add	%ebp, %eax
	mov	16(%esi), %edx
	add	%ebp, %edx
	mov	%edx, (%eax)
	movl	$0, 4(%eax)
	add	$24, %esi
	jmp	1b
2:	lea	(gdt - pie_anchor)(%ebx), %eax
	mov	%eax, (gdtr + 2 - pie_anchor)(%ebx)
	lea	(ap_protected_mode - pie_anchor)(%ebx), %eax
	mov	%eax, (ap_far - pie_anchor)(%ebx)
	mov	%ebx, (ap_anchor - pie_anchor)(%ebx)
	lea	(long_mode - pie_anchor)(%ebx), %eax
	mov	%eax, (long_mode_far - pie_anchor)(%ebx)
	/* The trampoline is copied now, with paging off, because long mode leaves the first 2 MiB
	 * unmapped. */
	lea	(ap_trampoline - pie_anchor)(%ebx), %esi
	mov	$AP_TRAMPOLINE, %edi
	mov	$(ap_trampoline_end - ap_trampoline), %ecx
	rep movsb
	lgdt	(gdtr - pie_anchor)(%ebx)
	xor	%esi, %esi		/* 0: CPU 0, to bsp_long_mode */
	jmp	enter_long_mode

/* Application processors arrive here from the trampoline, in 32-bit protected mode with the
 * kernel GDT loaded, CS = CODE32 and %ebx = the run-time address of pie_anchor. */
ap_protected_mode:
	mov	$1, %esi		/* 1: an AP, to ap_long_mode */

/* Both paths, %esi saying which; as in the position-dependent kernel below. */
enter_long_mode:
	lea	(pml4_distance - pie_anchor)(%ebx), %eax
	add	(%eax), %eax
	mov	%eax, %cr3
	enable_long_mode
	ljmp	*(long_mode_far - pie_anchor)(%ebx)

halt32:
	cli
	hlt
	jmp	halt32

	flat_gdt
long_mode_far:				/* m16:32 far pointer: long_mode's run-time address */
	.long	0
	.word	CODE64
/* pie_distances: each word is the distance from itself to a symbol. */
kernel_start_distance:
	.long	__kernel_start - .
rela_start_distance:
	.long	__rela_start - .
rela_end_distance:
	.long	__rela_end - .
pml4_distance:
	.long	pml4 - .
#else
	.section .text.boot, "ax"
	.code32
	.globl	_start
_start:
	/* Multiboot machine state (spec 3.2): protected mode, paging off, flat CS/DS/ES/SS,
	 * interrupts off; no stack, GDTR undefined, EFLAGS.DF undefined. The trampoline is copied
	 * now, with paging off, because long mode leaves the first 2 MiB unmapped. */
	cld
	mov	$ap_trampoline, %esi
	mov	$AP_TRAMPOLINE, %edi
	mov	$(ap_trampoline_end - ap_trampoline), %ecx
	rep movsb
	lgdt	gdtr
	mov	$(bsp_long_mode - KERNEL_VMA), %esi
	jmp	enter_long_mode

/* Application processors arrive here from the trampoline, in 32-bit protected mode with the
 * kernel GDT loaded and CS = CODE32. */
ap_protected_mode:
	mov	$(ap_long_mode - KERNEL_VMA), %esi

/* Both paths: %esi = the physical address of the 64-bit code to continue at. */
enter_long_mode:
	mov	$(pml4 - KERNEL_VMA), %eax
	mov	%eax, %cr3
	enable_long_mode
	ljmp	$CODE64, $long_mode

#endif
	.code64
long_mode:
#if PERCPU_TEST_PIE
	/* Direct jumps, RIP-relative. */
	test	%esi, %esi
	jnz	ap_long_mode
	jmp	bsp_long_mode
#else
	/* The upper halves of the registers are undefined after the mode switch. pml4 maps the
	 * kernel at KERNEL_VMA too, so this jump leaves the identity map. */
	mov	%esi, %esi
	movabs	$KERNEL_VMA, %rax
	add	%rax, %rsi
	jmp	*%rsi
#endif

/* The first thing each CPU does at KERNEL_VMA in a higher-half kernel: load the GDT through its
 * high address (the CPU reads it at every segment load, iretq's included), then switch to the
 * page tables without the low RAM, so that an access through a physical or VMA-0 address
 * faults. */
#if PERCPU_TEST_HIGHER_HALF
	.macro	enter_kernel_map
	lgdt	gdtr_high(%rip)
	mov	$(pml4_kernel - KERNEL_VMA), %eax
	mov	%rax, %cr3
	.endm
#else
	.macro	enter_kernel_map
	.endm
#endif

	.text
bsp_long_mode:
	enter_kernel_map
	/* CPU 0's stack lies in .bss, but nothing is pushed before .bss is clear. */
	lea	stacks + (1 << STACK_SHIFT)(%rip), %rsp
	lea	__bss_start(%rip), %rdi
	lea	__bss_end(%rip), %rcx
	sub	%rdi, %rcx
	xor	%eax, %eax
	rep stosb
	call	x86_bsp_main

/* Every AP runs this at about the same time (the SIPI is broadcast): the first to arrive
 * becomes CPU 1, and so on. Any CPU beyond CPU_COUNT halts. */
ap_long_mode:
	enter_kernel_map
	mov	$1, %edi
	lock xadd %edi, next_cpu(%rip)
	cmp	$CPU_COUNT, %edi
	jae	halt
	lea	1(%rdi), %eax
	shl	$STACK_SHIFT, %eax
	lea	stacks(%rip), %rsp
	add	%rax, %rsp
	call	x86_ap_main		/* (cpu in %edi); returns only if entry(cpu) does */
halt:
	cli
	hlt
	jmp	halt

	.section .text.boot, "ax"
/* The SIPI starts an AP in real mode at CS:IP = (AP_TRAMPOLINE >> 4):0 (SDM Vol. 3A,
 * "Interrupt Command Register (ICR)", Start-Up). This code runs from the copy at AP_TRAMPOLINE,
 * so it addresses its own data CS-relative. It loads the kernel GDT and goes straight on to
 * 32-bit code in the image. Writing CR0 whole also clears CD and NW, which INIT leaves as they
 * were (caches off at power-up; SDM Vol. 3A, "Processor States Following Power-up, Reset, or
 * INIT"). */
	.code16
ap_trampoline:
	lgdtl	%cs:(gdtr - ap_trampoline)
	mov	$CR0_PE, %eax
	mov	%eax, %cr0
#if PERCPU_TEST_PIE
	/* The run-time addresses CPU 0 wrote into the copy: pie_anchor, ap_protected_mode. */
	movl	%cs:(ap_anchor - ap_trampoline), %ebx
	ljmpl	*%cs:(ap_far - ap_trampoline)
ap_anchor:
	.long	0
ap_far:					/* m16:32 far pointer */
	.long	0
	.word	CODE32
	/* Also read by CPU 0 in place; CPU 0 writes the base. */
gdtr:
	.word	gdt_end - gdt - 1
	.long	0
#else
	ljmpl	$CODE32, $ap_protected_mode
	/* Also read by CPU 0 in place. lgdtl: a full 32-bit base even in 16-bit code. */
gdtr:
	.word	gdt_end - gdt - 1
	.long	gdt - KERNEL_VMA
#endif
ap_trampoline_end:
	.code64

#if !PERCPU_TEST_PIE
	.section .rodata
	flat_gdt
#if PERCPU_TEST_HIGHER_HALF
gdtr_high:
	.word	gdt_end - gdt - 1
	.quad	gdt
#endif
#endif

	.data
	.balign 4
next_cpu:
	.long	1			/* CPU 0 is the one multiboot started */

/* Identity map of the low 4 GiB in 2 MiB pages, except the first 2 MiB: leaving page 0 out
 * makes a stray access to a VMA-0 .percpu image address (or a null pointer) fault instead
 * of reading low memory. The top GiB (LAPIC, HPET) is uncached, as the SDM requires for the
 * APIC registers (Vol. 3A, "The Local APIC Block Diagram"). The tables hold physical addresses.
 * A higher-half kernel, loaded in the first 2 MiB, maps them too while it boots; pml4 then also
 * maps the first GiB at KERNEL_VMA (PML4 entry 511, PDPT entry 510), and pml4_kernel, which
 * each CPU switches to once it runs there, maps only that and the top GiB. */
	.balign 4096
pml4:
	.quad	pdpt - KERNEL_VMA + PTE_P + PTE_W + PTE_USER
#if PERCPU_TEST_HIGHER_HALF
	.fill	510, 8, 0
	.quad	pdpt_high - KERNEL_VMA + PTE_P + PTE_W
pml4_kernel:
	.quad	pdpt_devices - KERNEL_VMA + PTE_P + PTE_W
	.fill	510, 8, 0
	.quad	pdpt_high - KERNEL_VMA + PTE_P + PTE_W
pdpt_high:
	.fill	510, 8, 0
	.quad	pd - KERNEL_VMA + PTE_P + PTE_W
	.quad	0
pdpt_devices:
	.fill	3, 8, 0
	.quad	pd + 0x3000 - KERNEL_VMA + PTE_P + PTE_W
	.fill	508, 8, 0
#else
	.fill	511, 8, 0
#endif
pdpt:
	.quad	pd + 0x0000 - KERNEL_VMA + PTE_P + PTE_W + PTE_USER
	.quad	pd + 0x1000 - KERNEL_VMA + PTE_P + PTE_W + PTE_USER
	.quad	pd + 0x2000 - KERNEL_VMA + PTE_P + PTE_W + PTE_USER
	.quad	pd + 0x3000 - KERNEL_VMA + PTE_P + PTE_W
	.fill	508, 8, 0
pd:
#if PERCPU_TEST_HIGHER_HALF
	.quad	0 + PTE_PS + PTE_P + PTE_W
#else
	.quad	0
#endif
	.set	page, 0x200000
	.rept	3 * 512 - 1
	.quad	page + PTE_PS + PTE_P + PTE_W + PTE_USER
	.set	page, page + 0x200000
	.endr
	.rept	512
	.quad	page + PTE_PS + PTE_PCD + PTE_PWT + PTE_P + PTE_W
	.set	page, page + 0x200000
	.endr

	.section .bss.stacks, "aw", @nobits
	.balign 16
stacks:
	.skip	CPU_COUNT << STACK_SHIFT

/* Interrupt entry. In 64-bit mode the processor aligns RSP to 16 bytes and pushes SS, RSP,
 * RFLAGS, CS and RIP (SDM Vol. 3A, "64-Bit Mode Stack Frame"); an interrupt gate clears IF, so
 * nothing nests. */
	.text

/* The timer: saves the nine registers the SysV ABI lets C++ clobber (registers.h);
 * x86_timer_interrupt preserves the rest, and neither touches FS or any vector register (the
 * kernel is built with -mgeneral-regs-only). An interrupt from ring 3 (the user-mode test)
 * arrives with the user's GS base in GS_BASE: swapgs first and last (percpu/entry.h); from
 * ring 0 both are no-ops. The frame's CS is at 8(%rsp) at both points. */
	.globl	x86_timer_entry
x86_timer_entry:
	percpu_x86_swapgs_if_user 8
	push_call_clobbered
	cld				/* the ABI wants DF clear; the interrupted code may have set it */
	call	x86_timer_interrupt
	pop_call_clobbered
	percpu_x86_swapgs_if_user 8
	iretq

/* A spurious APIC interrupt gets no EOI (SDM Vol. 3A, "Spurious Interrupt"). */
	.globl	x86_spurious_entry
x86_spurious_entry:
	iretq

/* Exceptions 0-31 are fatal: each stub makes the frame uniform (error code or 0, then the
 * vector) for x86_exception, which reports and exits. Vectors with an error code: SDM Vol. 3A,
 * "Exception and Interrupt Reference". */
	.irp	v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
exception_\v:
	.if	!(\v == 8 || (\v >= 10 && \v <= 14) || \v == 17 || \v == 21 || \v == 29 || \v == 30)
	push	$0
	.endif
	push	$\v
	jmp	exception_common
	.endr

/* x86_exception never returns, so the stack can simply be realigned for the call. */
exception_common:
	mov	%rsp, %rdi
	and	$-16, %rsp
	call	x86_exception

	.section .rodata
	.balign 8
	.globl	x86_exception_entries
x86_exception_entries:
	.irp	v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad	exception_\v
	.endr

/* No executable stack wanted: tells GNU ld so, which otherwise warns. */
	.section .note.GNU-stack, "", @progbits
