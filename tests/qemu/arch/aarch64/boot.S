/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* aarch64 QEMU virt entry at EL1 (or EL2 with PERCPU_ARM_EL2=1), identity-mapped MMU, exception
 * vectors, and the PSCI and semihosting calls. Never touches TPIDR_EL1 or TPIDR_EL2: they belong
 * to the per-CPU library under test.
 * With PERCPU_TEST_HIGHER_HALF (EL1 only; kernel-higherhalf.ld) the kernel is linked at
 * KERNEL_VMA + its physical address, in the TTBR1 half: each CPU starts at the physical address
 * with the MMU off (code reached PC-relative, adrp), turns the MMU on with the RAM mapped at both
 * addresses, jumps high and then unmaps the low RAM.
 * With PERCPU_TEST_PIE (kernel-pie.ld) the kernel is a PIE linked at 0 that runs where QEMU
 * loaded it, 0x40000000, after CPU 0 relocated it. */

#define STACK_SHIFT 14 /* 16 KiB per CPU; must match kernel.ld */

#if PERCPU_TEST_HIGHER_HALF
#if PERCPU_ARM_EL2
#error "EL2 has no TTBR1 (without VHE): no higher half"
#endif
/* KERNEL_VMA (from arch.cmake, as in kernel-higherhalf.ld): the bottom of the 4 GiB that TTBR1
 * translates with T1SZ = 32, 0xffffffff00000000. TCR_EL1 as for TTBR0 below: 4 KiB granule (TG1
 * = 0b10), walks write-back and inner shareable, EPD1 clear. */
#define TCR_HIGH ((32 << 16) | (1 << 24) | (1 << 26) | (3 << 28) | (2 << 30))
#else
#define KERNEL_VMA 0
#define TCR_HIGH 0
#endif

#if PERCPU_ARM_EL2
#define KERNEL_EL 2
#define SCTLR_ELx sctlr_el2
#define TCR_ELx tcr_el2
#define MAIR_ELx mair_el2
#define TTBR0_ELx ttbr0_el2
#define VBAR_ELx vbar_el2
#define ESR_ELx esr_el2
#define ELR_ELx elr_el2
#define FAR_ELx far_el2
#define SPSR_ELx spsr_el2
#define TLBI_ALL tlbi alle2
#define PSCI_CONDUIT smc /* QEMU's PSCI answers SMC when it emulates EL2 (virtualization=on) */
/* TCR_EL2 (non-VHE) bits 31 and 23 are RES1. */
#define TCR_RES1 ((1 << 31) | (1 << 23))
/* AP[1] is RES1 in a regime with one privilege level, and bit 54 is its only execute-never bit
 * (Arm ARM K.a D8.4.1.2, stage 1 Direct permissions). */
#define BLOCK_AP (1 << 6)
#define BLOCK_XN (1 << 54)
#else
#define KERNEL_EL 1
#define SCTLR_ELx sctlr_el1
#define TCR_ELx tcr_el1
#define MAIR_ELx mair_el1
#define TTBR0_ELx ttbr0_el1
#define VBAR_ELx vbar_el1
#define ESR_ELx esr_el1
#define ELR_ELx elr_el1
#define FAR_ELx far_el1
#define SPSR_ELx spsr_el1
#define TLBI_ALL tlbi vmalle1
#define PSCI_CONDUIT hvc /* QEMU's PSCI answers HVC when EL2 is not emulated */
/* TCR_EL1.EPD1 (bit 23): no TTBR1 walks, the upper VA range stays unmapped (unless it holds a
 * higher-half kernel). */
#if PERCPU_TEST_HIGHER_HALF
#define TCR_RES1 0
#else
#define TCR_RES1 (1 << 23)
#endif
/* AP = 00: read/write at EL1 only. Device memory is execute-never at EL1 (PXN) and EL0 (UXN). */
#define BLOCK_AP 0
#define BLOCK_XN ((1 << 53) | (1 << 54))
#endif

/* MAIR attribute 0: Device-nGnRnE (MMIO); attribute 1: Normal, write-back cacheable (RAM). */
#define MAIR_VALUE 0xff00
/* 4 GiB of VA (T0SZ=32), so walks start at level 1 with a four-entry table; 4 KiB granule; walks
 * cacheable (IRGN0/ORGN0 = write-back) and inner shareable (SH0), like the RAM they read. The
 * physical address size field is 0, 32 bits, which covers the whole virt map used here. */
#define TCR_VALUE (32 | (1 << 8) | (1 << 10) | (3 << 12) | TCR_RES1 | TCR_HIGH)
/* Block descriptors (1 GiB at level 1, 2 MiB at level 2): valid block, AttrIndx, AF (no
 * access-flag faults), SH = inner shareable for RAM (Arm ARM, VMSAv8-64 descriptor formats). */
#define BLOCK_DEVICE (1 | (0 << 2) | BLOCK_AP | (1 << 10) | BLOCK_XN)
#define BLOCK_RAM (1 | (1 << 2) | BLOCK_AP | (3 << 8) | (1 << 10))
/* SCTLR_ELx: M (MMU), C (data cache), I (instruction cache) on; A (alignment check) off, so
 * unaligned accesses to Normal memory are allowed as the compilers assume. */
#define SCTLR_SET ((1 << 0) | (1 << 2) | (1 << 12))
#define SCTLR_CLEAR (1 << 1)
/* HCR_EL2.IMO: physical IRQs are taken to EL2. Without it they target EL1, and an interrupt
 * targeting a lower EL is never taken while running at EL2 (Arm ARM, HCR_EL2.IMO). */
#define HCR_IMO (1 << 4)

	.section .text.boot, "ax"
	.globl	_start
_start:
	/* QEMU enters the ELF entry point on CPU 0 only, at EL1 (EL2 with virtualization=on), with
	 * the MMU off and DAIF masked; the other CPUs stay off until PSCI CPU_ON. x19 holds the
	 * entry function of a secondary, 0 on CPU 0. */
	mov	x19, xzr
#if PERCPU_TEST_PIE
	/* CPU 0, before any absolute address is used (adrp/add are PC-relative; the MMU is off, so
	 * every access is to Device memory, naturally aligned here): apply every Elf64_Rela of
	 * .rela.dyn (r_offset, r_info, r_addend) as R_AARCH64_RELATIVE, *(delta + r_offset) =
	 * delta + r_addend, where delta is the run-time address of link address 0 (kernel-pie.ld):
	 * the literals (ldr =vectors) and page tables below included. Any other type (a symbol the
	 * link did not resolve) parks the CPU, and the run times out as a failure. */
	adrp	x0, __rela_start
	add	x0, x0, :lo12:__rela_start
	adrp	x1, __rela_end
	add	x1, x1, :lo12:__rela_end
	adrp	x2, __kernel_start
	add	x2, x2, :lo12:__kernel_start
	mov	x3, #1027		/* R_AARCH64_RELATIVE, symbol 0 */
1:	cmp	x0, x1
	b.hs	setup
	ldp	x4, x5, [x0]
	cmp	x5, x3
	b.ne	unrelocatable
	ldr	x5, [x0, #16]
	add	x5, x5, x2
	str	x5, [x4, x2]
	add	x0, x0, #24
	b	1b
unrelocatable:
	wfe
	b	unrelocatable
#else
	b	setup
#endif

/* PSCI CPU_ON starts a secondary here, at the EL CPU 0 booted at with the MMU off, with x0 =
 * context_id, which platform::start_cpu sets to the entry function (PSCI DEN0022, CPU_ON). */
	.globl	secondary_start
secondary_start:
	mov	x19, x0

setup:
	/* x20 = CPU number = MPIDR_EL1.Aff0 (0..3: virt puts up to 8 CPUs in an Aff1 cluster with
	 * GICv2). sp = top of its stack: __stacks_start + (cpu + 1) << STACK_SHIFT. */
	mrs	x20, mpidr_el1
	and	x20, x20, #0xff
	adrp	x0, __stacks_start
	add	x0, x0, :lo12:__stacks_start
	add	x1, x20, #1
	add	x0, x0, x1, lsl #STACK_SHIFT
	mov	sp, x0

	/* Any ELx system register access below would trap if QEMU started us at another EL. */
	mrs	x0, CurrentEL
	lsr	x0, x0, #2
	cmp	x0, #KERNEL_EL
	b.ne	aarch64_wrong_el

	/* The link address (R_AARCH64_ABS64 literal), where the vectors are once the MMU is on. */
	ldr	x0, =vectors
	msr	VBAR_ELx, x0
#if PERCPU_ARM_EL2
	mov	x0, #HCR_IMO
	msr	hcr_el2, x0
#endif

	/* Identity map with caches on, so that RAM is Normal memory. With the MMU off every data
	 * access is to Device memory, where unaligned accesses fault and exclusives and atomics are
	 * IMPLEMENTATION DEFINED; compiled code assumes neither. */
	ldr	x0, =MAIR_VALUE
	msr	MAIR_ELx, x0
	ldr	x0, =TCR_VALUE
	msr	TCR_ELx, x0
	adrp	x0, identity_map
	add	x0, x0, :lo12:identity_map
	msr	TTBR0_ELx, x0
#if PERCPU_TEST_HIGHER_HALF
	adrp	x0, high_map
	add	x0, x0, :lo12:high_map
	msr	ttbr1_el1, x0
#endif
	isb
	TLBI_ALL
	dsb	nsh
	mrs	x0, SCTLR_ELx
	ldr	x1, =SCTLR_SET
	orr	x0, x0, x1
	bic	x0, x0, #SCTLR_CLEAR
	msr	SCTLR_ELx, x0
	isb

#if PERCPU_TEST_HIGHER_HALF
	/* Jump to the link address (a literal, R_AARCH64_ABS64), move sp there too, then drop the
	 * low RAM: from now on an access through a physical address faults. */
	ldr	x0, =1f
	br	x0
1:	ldr	x1, =KERNEL_VMA
	mov	x0, sp
	add	sp, x0, x1
	ldr	x0, =device_map - KERNEL_VMA
	msr	ttbr0_el1, x0
	isb
	TLBI_ALL
	dsb	nsh
	isb
#endif
	cbz	x19, 2f
	mov	x0, x20
	br	x19		/* entry(cpu), never returns */

	/* CPU 0: clear .bss (16-byte aligned in kernel.ld), then run the test body. */
2:	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
3:	cmp	x0, x1
	b.hs	4f
	stp	xzr, xzr, [x0], #16
	b	3b
4:	b	kernel_main

/* long psci_call(function_id, a1, a2, a3): SMC Calling Convention (DEN0028) call; arguments
 * in x0-x3, result in x0. SMCCC v1.0 may corrupt x4-x17, which AAPCS64 callers save anyway. */
	.text
	.globl	psci_call
psci_call:
	PSCI_CONDUIT #0
	ret

/* void semihost_call(op, parameter): semihosting trap for A64 (semihosting spec: HLT #0xF000,
 * operation in w0, parameter in x1). */
	.globl	semihost_call
semihost_call:
	hlt	#0xf000
	ret

/* Exception vectors (Arm ARM, 'Vector tables'): 16 entries of 128 bytes, 2 KiB aligned. The
 * kernel runs on SP_ELx and never enters a lower EL, so the only expected entry is IRQ from the
 * current EL with SP_ELx; anything else is reported and fails the run. */
	.macro	unexpected_vector offset
	.balign	128
	mov	x0, #\offset
	b	unexpected
	.endm

	.balign	2048
vectors:
	.irp	offset, 0x000, 0x080, 0x100, 0x180, 0x200	/* SP_EL0 group; SP_ELx synchronous */
	unexpected_vector \offset
	.endr
	.balign	128
	b	irq_entry					/* 0x280: SP_ELx IRQ */
	.irp	offset, 0x300, 0x380				/* SP_ELx FIQ, SError */
	unexpected_vector \offset
	.endr
	.irp	offset, 0x400, 0x480, 0x500, 0x580, 0x600, 0x680, 0x700, 0x780	/* lower ELs */
	unexpected_vector \offset
	.endr

/* Also user.S's, for the vectors it does not expect. */
	.globl	aarch64_unexpected_vector
aarch64_unexpected_vector:
unexpected:
	mrs	x1, ESR_ELx
	mrs	x2, ELR_ELx
	mrs	x3, FAR_ELx
	b	aarch64_unexpected_exception

/* IRQ taken from the kernel itself. Exception entry sets PSTATE.I and nothing here clears it, so
 * IRQs never nest. Saves the registers AAPCS64 lets arm_irq clobber, x0-x18 and x30 (AAPCS64,
 * 'General-purpose registers'); arm_irq preserves x19-x29 and sp itself. Also ELR_ELx and SPSR_ELx
 * (return address, NZCV, PSTATE): the scheduler test switches tasks inside the handler, and
 * another task's IRQ rewrites them before this one returns. There is no SIMD/FP state to save: the
 * kernel is built with -mgeneral-regs-only. The interrupted code's stack is used, as AAPCS64 has
 * no red zone. Also user.S's, for IRQs from the kernel. */
	.globl	aarch64_kernel_irq_entry
aarch64_kernel_irq_entry:
irq_entry:
	stp	x0, x1, [sp, #-176]!
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
	mrs	x0, ELR_ELx
	mrs	x1, SPSR_ELx
	stp	x0, x1, [sp, #160]
	bl	arm_irq
	ldp	x0, x1, [sp, #160]
	msr	ELR_ELx, x0
	msr	SPSR_ELx, x1
	ldp	x18, x30, [sp, #144]
	ldp	x16, x17, [sp, #128]
	ldp	x14, x15, [sp, #112]
	ldp	x12, x13, [sp, #96]
	ldp	x10, x11, [sp, #80]
	ldp	x8, x9, [sp, #64]
	ldp	x6, x7, [sp, #48]
	ldp	x4, x5, [sp, #32]
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp], #176
	eret

	.section .rodata
	/* Level 1. TTBR0_ELx needs a table of fewer than 8 entries 64-byte aligned. Descriptors
	 * hold physical addresses. */
	.balign	64
identity_map:
	.quad	mmio_map - KERNEL_VMA + 3	/* 0-1 GiB: table descriptor, to level 2 */
	.quad	0x40000000 | BLOCK_RAM		/* 1-2 GiB: RAM, of which QEMU gives us 128 MiB */
	.quad	0
	.quad	0
#if PERCPU_TEST_HIGHER_HALF
	/* TTBR1: the same RAM at KERNEL_VMA + 1 GiB. */
	.balign	64
high_map:
	.quad	0
	.quad	0x40000000 | BLOCK_RAM
	.quad	0
	.quad	0
	/* TTBR0 once the kernel runs high: the devices only. */
	.balign	64
device_map:
	.quad	mmio_map - KERNEL_VMA + 3
	.quad	0
	.quad	0
	.quad	0
#endif
	/* Level 2 for 0-1 GiB, 2 MiB blocks (entry = address >> 21). Only the blocks holding the
	 * devices in use are mapped, so that a stray access near address 0 (a per-CPU variable
	 * reached through its image address, for one) faults instead of reading flash. */
	.balign	4096
mmio_map:
	.fill	64, 8, 0
	.quad	0x08000000 | BLOCK_DEVICE	/* entry 64: GIC distributor and CPU interface */
	.fill	7, 8, 0
	.quad	0x09000000 | BLOCK_DEVICE	/* entry 72: PL011 UART */
	.fill	512 - 73, 8, 0
