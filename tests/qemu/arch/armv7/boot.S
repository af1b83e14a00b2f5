/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* armv7-a QEMU virt entry (PL1, SVC mode), identity-mapped MMU, exception vectors, and the PSCI
 * and semihosting calls. Never touches TPIDRPRW: it belongs to the per-CPU library under test.
 * With PERCPU_TEST_HIGHER_HALF (kernel-higherhalf.ld) the kernel is linked at KERNEL_VMA + its
 * physical address, RAM at 0xc0000000: each CPU starts at the physical address with the MMU off
 * (code reached PC-relative; literals hold link addresses, used only once the MMU is on), turns
 * the MMU on with the RAM mapped at both addresses, jumps high and then unmaps the low RAM.
 * With PERCPU_TEST_PIE (kernel-pie.ld) the kernel is a PIE linked at 0 that runs where QEMU
 * loaded it, 0x40000000, after CPU 0 relocated it. */

#define STACK_SHIFT 14 /* 16 KiB per CPU; must match kernel.ld */

#define MODE_SVC 0x13

#if !PERCPU_TEST_HIGHER_HALF
#define KERNEL_VMA 0 /* otherwise from arch.cmake, as in kernel-higherhalf.ld */
#endif

/* TTBCR: the Long-descriptor format of LPAE (EAE), the same as AArch64's. T0SZ=0: 4 GiB of VA,
 * so walks start at level 1 with a four-entry table. Walks cacheable (IRGN0/ORGN0 = write-back)
 * and inner shareable (SH0), like the RAM they read; EPD1: no TTBR1 walks. */
#define TTBCR_VALUE ((1 << 31) | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23))
/* MAIR0 attribute 0: Strongly-ordered (MMIO); attribute 1: Normal, write-back cacheable (RAM). */
#define MAIR0_VALUE 0xff00
/* Block descriptors (1 GiB at level 1, 2 MiB at level 2; Armv7-A ARM B3.6, Long-descriptor
 * translation table format): valid block, AttrIndx, AP = 00 (read/write at PL1 only), AF (no
 * access-flag faults); RAM inner shareable; MMIO execute-never (PXN, XN: in the upper word). */
#define BLOCK_DEVICE (1 | (0 << 2) | (1 << 10))
#define BLOCK_DEVICE_HIGH ((1 << 21) | (1 << 22))
#define BLOCK_RAM (1 | (1 << 2) | (3 << 8) | (1 << 10))
/* SCTLR: M (MMU), C (data cache), I (instruction cache) on; A (alignment check) off, so unaligned
 * word accesses to Normal memory are allowed as the compilers assume. */
#define SCTLR_SET ((1 << 0) | (1 << 2) | (1 << 12))
#define SCTLR_CLEAR (1 << 1)

	.syntax	unified
	.arm

	.section .text.boot, "ax"
	.globl	_start
_start:
	/* QEMU enters the ELF entry point on CPU 0 only, in SVC mode with the MMU off and IRQs and
	 * FIQs masked; the other CPUs stay off until PSCI CPU_ON. r4 holds the entry function of a
	 * secondary, 0 on CPU 0. */
	mov	r4, #0
#if PERCPU_TEST_PIE
	/* CPU 0, before any absolute address is used (the MMU is off, so every access is
	 * Strongly-ordered, naturally aligned here): apply every Elf32_Rel of .rel.dyn (r_offset,
	 * r_info; the addend is the word in place) as R_ARM_RELATIVE, *(delta + r_offset) += delta,
	 * where delta is the run-time address of link address 0 (kernel-pie.ld): the literals below
	 * (ldr =) included. The addresses come PC-relative: literals holding the distance from the
	 * add that reads pc (R_ARM_REL32, resolved at link time). Any other type (a symbol the link
	 * did not resolve) parks the CPU, and the run times out as a failure. */
	ldr	r0, .Lrel_start
0:	add	r0, pc, r0
	ldr	r1, .Lrel_end
1:	add	r1, pc, r1
	ldr	r2, .Lkernel_start
2:	add	r2, pc, r2
3:	cmp	r0, r1
	bhs	setup
	ldm	r0!, {r3, r6}
	cmp	r6, #23			/* R_ARM_RELATIVE, symbol 0 */
	bne	unrelocatable
	ldr	r6, [r3, r2]
	add	r6, r6, r2
	str	r6, [r3, r2]
	b	3b
unrelocatable:
	wfe
	b	unrelocatable
.Lrel_start:
	.word	__rel_start - (0b + 8)
.Lrel_end:
	.word	__rel_end - (1b + 8)
.Lkernel_start:
	.word	__kernel_start - (2b + 8)
#else
	b	setup
#endif

/* PSCI CPU_ON starts a secondary here in SVC mode with the MMU off, with r0 = context_id, which
 * platform::start_cpu sets to the entry function (PSCI DEN0022, CPU_ON). */
	.globl	secondary_start
secondary_start:
	mov	r4, r0

setup:
	/* r5 = CPU number = MPIDR.Aff0 (0..3: virt puts up to 8 CPUs in an Aff1 cluster with
	 * GICv2). sp = top of its stack: __stacks_start + (cpu + 1) << STACK_SHIFT. */
	mrc	p15, 0, r5, c0, c0, 5
	and	r5, r5, #0xff
	ldr	r0, =__stacks_start
	add	r1, r5, #1
	add	r0, r0, r1, lsl #STACK_SHIFT
	mov	sp, r0

	ldr	r0, =vectors
	mcr	p15, 0, r0, c12, c0, 0	/* VBAR */

	/* Identity map with caches on, so that RAM is Normal memory. With the MMU off every data
	 * access is Strongly-ordered, where neither unaligned accesses nor exclusives can be relied
	 * on; compiled code assumes both. */
	ldr	r0, =MAIR0_VALUE
	mcr	p15, 0, r0, c10, c2, 0	/* MAIR0 */
	ldr	r0, =TTBCR_VALUE
	mcr	p15, 0, r0, c2, c0, 2	/* TTBCR */
	ldr	r0, =identity_map - KERNEL_VMA
	mov	r1, #0
	mcrr	p15, 0, r0, r1, c2	/* TTBR0, 64 bits */
	isb
	mcr	p15, 0, r0, c8, c7, 0	/* TLBIALL */
	dsb
	mrc	p15, 0, r0, c1, c0, 0	/* SCTLR */
	ldr	r1, =SCTLR_SET
	orr	r0, r0, r1
	bic	r0, r0, #SCTLR_CLEAR
	mcr	p15, 0, r0, c1, c0, 0
	isb

#if PERCPU_TEST_HIGHER_HALF
	/* To the link address, then drop the low RAM: from now on an access through a physical
	 * address faults. sp already holds a link address. */
	ldr	pc, =1f
1:	ldr	r0, =kernel_map - KERNEL_VMA
	mov	r1, #0
	mcrr	p15, 0, r0, r1, c2	/* TTBR0 */
	isb
	mcr	p15, 0, r0, c8, c7, 0	/* TLBIALL */
	dsb
	isb
#endif
	cmp	r4, #0
	beq	1f
	mov	r0, r5
	bx	r4		/* entry(cpu), never returns */

	/* CPU 0: clear .bss (word aligned), then run the test body. */
1:	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
2:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	2b
	b	kernel_main

/* int psci_call(function_id, a1, a2, a3): SMC Calling Convention (DEN0028) call through HVC, the
 * conduit QEMU's PSCI answers; arguments in r0-r3, result in r0. */
	.text
	.globl	psci_call
psci_call:
	hvc	#0
	bx	lr

/* void semihost_call(op, parameter): semihosting trap for A32 (semihosting spec: SVC 0x123456,
 * operation in r0, parameter in r1). QEMU handles it before any exception is taken. */
	.globl	semihost_call
semihost_call:
	svc	#0x123456
	bx	lr

/* Exception vectors (Armv7-A ARM B1.8.1), found through VBAR, which needs 32-byte alignment. The
 * kernel stays in SVC mode and makes no SVC calls (semihosting's never becomes an exception), so
 * the only expected entry is IRQ; anything else is reported and fails the run. */
	.balign	32
vectors:
	.rept	6		/* reset, undefined, SVC, prefetch abort, data abort, unused */
	b	unexpected
	.endr
	b	irq_entry
	b	unexpected	/* FIQ */

/* The mode (CPSR) tells which exception it was. The undefined and abort modes have no stack of
 * their own here, so the report runs on the SVC stack. */
	.globl	armv7_unexpected_vector		/* also user.S's */
armv7_unexpected_vector:
unexpected:
	mrs	r0, cpsr
	mov	r1, lr
	mrs	r2, spsr
	cps	#MODE_SVC
	b	armv7_unexpected_exception

/* IRQ taken from the kernel (SVC mode), handled on the SVC stack. IRQs stay masked throughout (set
 * by exception entry; cps changes only the mode), so they never nest. srsdb/rfeia save and
 * restore the return address and the interrupted CPSR (with the flags); the stack also gets the
 * registers AAPCS lets arm_irq clobber, r0-r3, r12 and lr (AAPCS, 'Core registers'), plus r4,
 * which holds the interrupted sp while sp is 8-byte aligned for the call (AAPCS, 'Stack
 * constraints at a public interface'). There is no VFP state to save: the kernel is built
 * soft-float. AAPCS has no red zone below sp. */
	.globl	armv7_irq_entry			/* also user.S's, for IRQs from PL0 too */
armv7_irq_entry:
irq_entry:
	sub	lr, lr, #4	/* LR_irq is the return address + 4 (Armv7-A ARM B1.8.3) */
	srsdb	sp!, #MODE_SVC
	cps	#MODE_SVC
	push	{r0-r4, r12, lr}
	mov	r4, sp
	bic	r0, r4, #7
	mov	sp, r0
	bl	arm_irq
	mov	sp, r4
	pop	{r0-r4, r12, lr}
	rfeia	sp!

	.section .rodata
	/* Level 1. TTBR0 needs the four-entry table aligned to its size, 32 bytes. Each descriptor is
	 * 64 bits: low word first (little-endian), then the upper attributes. */
	.balign	32
identity_map:
	.word	mmio_map - KERNEL_VMA + 3, 0	/* 0-1 GiB: table descriptor, to level 2 */
	.word	0x40000000 | BLOCK_RAM, 0	/* 1-2 GiB: RAM, of which QEMU gives us 128 MiB */
	.word	0, 0
#if PERCPU_TEST_HIGHER_HALF
	.word	0x40000000 | BLOCK_RAM, 0	/* 3-4 GiB: the same RAM at KERNEL_VMA */
	/* Once the kernel runs high: the devices and the high RAM only. */
	.balign	32
kernel_map:
	.word	mmio_map - KERNEL_VMA + 3, 0
	.word	0, 0
	.word	0, 0
	.word	0x40000000 | BLOCK_RAM, 0
#else
	.word	0, 0
#endif
	/* Level 2 for 0-1 GiB, 2 MiB blocks (entry = address >> 21). Only the blocks holding the
	 * devices in use are mapped, so that a stray access near address 0 (a per-CPU variable
	 * reached through its image address, for one) faults instead of reading flash. */
	.balign	4096
mmio_map:
	.fill	64, 8, 0
	.word	0x08000000 | BLOCK_DEVICE, BLOCK_DEVICE_HIGH	/* entry 64: GIC */
	.fill	7, 8, 0
	.word	0x09000000 | BLOCK_DEVICE, BLOCK_DEVICE_HIGH	/* entry 72: PL011 UART */
	.fill	512 - 73, 8, 0
