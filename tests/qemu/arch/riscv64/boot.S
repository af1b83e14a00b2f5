/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* riscv64 QEMU virt entry (M-mode, -bios none) and the machine trap vector.
 * Never touches gp or tp: gp is the per-CPU register of the library under test.
 * With PERCPU_TEST_HIGHER_HALF (kernel-higherhalf.ld) the kernel runs in S-mode under Sv39,
 * linked at KERNEL_VMA + its physical address: each hart leaves M-mode at the physical address,
 * turns translation on with the RAM mapped at both addresses, jumps high, then unmaps the low
 * RAM; traps go to S-mode, and the timer is Sstc's stimecmp.
 * With PERCPU_TEST_PIE (kernel-pie.ld) the kernel is a PIE linked at 0 that runs where QEMU
 * loaded it, 0x80000000, after hart 0 relocated it. */

#define STACK_SHIFT 14 /* 16 KiB per hart; must match kernel.ld */
#define MAX_HARTS 4    /* platform::cpu_count */

#if PERCPU_TEST_HIGHER_HALF
#define XTVEC stvec
#define XCAUSE scause
#define XEPC sepc
#define XSTATUS sstatus
#define XRET sret
/* KERNEL_VMA comes from arch.cmake (kernel-higherhalf.ld has the same): 0xffffffff00000000, so
 * that RAM at 0x80000000 appears at 0xffffffff80000000, the top 2 GiB of Sv39. */
#define SATP_SV39 (8 << 60)
/* Sv39 leaf PTEs for 1 GiB pages (Privileged spec 4.4.1): PPN = physical address >> 12, placed
 * from bit 10; V, R, W, A, D (A and D preset: no access or dirty faults), and X for RAM. */
#define PTE_GIGA(pa, flags) ((((pa) >> 12) << 10) | (flags))
#define PTE_DEVICE 0xc7
#define PTE_RAM 0xcf
#define CSR_MENVCFG 0x30a          /* numbers, for assemblers without the 1.12 names */
#define MENVCFG_STCE (1 << 63)     /* S-mode may use stimecmp (Sstc) */
#define MCOUNTEREN_TM (1 << 1)     /* S-mode may read time */
#define MSTATUS_MPP_MASK (3 << 11)
#define MSTATUS_MPP_S (1 << 11)
#define PMPCFG_NAPOT_RWX 0x1f      /* A = NAPOT, R, W, X */
#else
#define XTVEC mtvec
#define XCAUSE mcause
#define XEPC mepc
#define XSTATUS mstatus
#define XRET mret
#endif

	.section .text.boot, "ax"
	.globl _start
_start:
	/* QEMU's reset stub enters here on every hart at once, with a0 = mhartid. */
	li	t0, MAX_HARTS
	bgeu	a0, t0, halt
#if PERCPU_TEST_HIGHER_HALF
	/* M-mode, per hart: let S-mode reach all memory (one PMP entry, NAPOT over the whole
	 * address space, Privileged spec 3.7), take every trap and interrupt in S-mode, use
	 * stimecmp and read time; then mret into S-mode at the physical address of 1f. */
	li	t0, -1
	csrw	pmpaddr0, t0
	li	t0, PMPCFG_NAPOT_RWX
	csrw	pmpcfg0, t0
	li	t0, -1
	csrw	medeleg, t0
	csrw	mideleg, t0
	li	t0, MENVCFG_STCE
	csrs	CSR_MENVCFG, t0
	li	t0, MCOUNTEREN_TM
	csrs	mcounteren, t0
	li	t0, MSTATUS_MPP_MASK
	csrc	mstatus, t0
	li	t0, MSTATUS_MPP_S
	csrs	mstatus, t0
	la	t0, 1f
	csrw	mepc, t0
	mret
	/* S-mode, bare: translate with boot_root, which maps the RAM at both addresses, jump to
	 * the link address of 2f (la is PC-relative: it gives physical addresses until then), and
	 * switch to kernel_root, without the low RAM. sscratch keeps the hart id for platform.cpp,
	 * since S-mode cannot read mhartid. */
1:	la	t0, boot_root
	srli	t0, t0, 12
	li	t1, SATP_SV39
	or	t0, t0, t1
	csrw	satp, t0
	sfence.vma
	li	t1, KERNEL_VMA
	la	t0, 2f
	add	t0, t0, t1
	jr	t0
2:	la	t0, kernel_root
	sub	t0, t0, t1
	srli	t0, t0, 12
	li	t1, SATP_SV39
	or	t0, t0, t1
	csrw	satp, t0
	sfence.vma
	csrw	sscratch, a0
#endif
	/* The trap vector is per hart (Privileged spec 3.1.7), so each sets its own; direct mode
	 * (low bits 0) sends every trap to trap_entry. */
	la	t0, trap_entry
	csrw	XTVEC, t0
	/* sp = top of this hart's stack: __stacks_start + (hart + 1) << STACK_SHIFT. */
	la	sp, __stacks_start
	addi	t0, a0, 1
	slli	t0, t0, STACK_SHIFT
	add	sp, sp, t0
	bnez	a0, park

#if PERCPU_TEST_PIE
	/* Hart 0, before any absolute address is used (la is PC-relative here: boot.S is assembled
	 * without -fpic): apply every Elf64_Rela of .rela.dyn (r_offset, r_info, r_addend) as
	 * R_RISCV_RELATIVE, *(delta + r_offset) = delta + r_addend, where delta is the run-time
	 * address of link address 0 (kernel-pie.ld). Any other type (a symbol the link did not
	 * resolve) halts, and the run times out as a failure. The other harts park until hart 0
	 * starts them, after this. */
	la	t0, __rela_start
	la	t1, __rela_end
	la	t2, __kernel_start
	li	t3, 3			/* R_RISCV_RELATIVE, symbol 0 */
1:	bgeu	t0, t1, 2f
	ld	t4, 8(t0)
	bne	t4, t3, halt
	ld	t4, 0(t0)
	ld	t5, 16(t0)
	add	t4, t4, t2
	add	t5, t5, t2
	sd	t5, 0(t4)
	addi	t0, t0, 24
	j	1b
2:
#endif
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	tail	kernel_main

/* Secondary harts spin until platform::start_cpu publishes their entry point. The mailbox is in
 * .data, so it is zero from the moment the image is loaded, before hart 0 clears .bss. */
park:
	la	t0, riscv_cpu_entry
	slli	t1, a0, 3
	add	t0, t0, t1
3:	pause
	ld	t1, 0(t0)
	beqz	t1, 3b
	fence	r, rw		/* acquire: pairs with start_cpu's release store */
	jr	t1		/* entry(cpu): a0 still holds the hart id, which is the CPU number */

halt:
	wfi
	j	halt

	.data
	.balign 8
	.globl riscv_cpu_entry
riscv_cpu_entry:
	.zero	8 * MAX_HARTS

#if PERCPU_TEST_HIGHER_HALF
/* Sv39 root tables of 1 GiB pages. The first GiB (UART, test device) stays identity-mapped. */
	.section .rodata
	.balign 4096
boot_root:
	.quad	PTE_GIGA(0, PTE_DEVICE)
	.quad	0
	.quad	PTE_GIGA(0x80000000, PTE_RAM)		/* 0x80000000: the RAM, identity */
	.fill	507, 8, 0
	.quad	PTE_GIGA(0x80000000, PTE_RAM)		/* entry 510: KERNEL_VMA + 0x80000000 */
	.quad	0
kernel_root:
	.quad	PTE_GIGA(0, PTE_DEVICE)
	.fill	509, 8, 0
	.quad	PTE_GIGA(0x80000000, PTE_RAM)
	.quad	0
#endif

/* Every trap lands here with mstatus.MIE (sstatus.SIE) cleared by hardware (Privileged spec
 * 3.1.6.1, 4.1.1), so traps never nest. Saves the registers the calling convention lets
 * riscv_trap clobber (ra, t0-t6, a0-a7); gp, tp, sp and s0-s11 are preserved by riscv_trap
 * itself. Also xepc and xstatus: the scheduler test switches tasks inside the handler, and
 * another task's trap rewrites them before this one returns. No FP registers: mstatus.FS stays
 * Off, so no FP state exists. */
	.text
	.balign 4
trap_entry:
	addi	sp, sp, -144
	sd	ra, 0(sp)
	sd	t0, 8(sp)
	sd	t1, 16(sp)
	sd	t2, 24(sp)
	sd	t3, 32(sp)
	sd	t4, 40(sp)
	sd	t5, 48(sp)
	sd	t6, 56(sp)
	sd	a0, 64(sp)
	sd	a1, 72(sp)
	sd	a2, 80(sp)
	sd	a3, 88(sp)
	sd	a4, 96(sp)
	sd	a5, 104(sp)
	sd	a6, 112(sp)
	sd	a7, 120(sp)
	csrr	t0, XEPC
	sd	t0, 128(sp)
	csrr	t0, XSTATUS
	sd	t0, 136(sp)
	csrr	a0, XCAUSE
	call	riscv_trap
	ld	t0, 128(sp)
	csrw	XEPC, t0
	ld	t0, 136(sp)
	csrw	XSTATUS, t0
	ld	ra, 0(sp)
	ld	t0, 8(sp)
	ld	t1, 16(sp)
	ld	t2, 24(sp)
	ld	t3, 32(sp)
	ld	t4, 40(sp)
	ld	t5, 48(sp)
	ld	t6, 56(sp)
	ld	a0, 64(sp)
	ld	a1, 72(sp)
	ld	a2, 80(sp)
	ld	a3, 88(sp)
	ld	a4, 96(sp)
	ld	a5, 104(sp)
	ld	a6, 112(sp)
	ld	a7, 120(sp)
	addi	sp, sp, 144
	XRET
