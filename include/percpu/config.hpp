// SPDX-License-Identifier: MIT OR Apache-2.0
// Compile-time configuration. Every option is a macro with a default; define it on the command
// line (the CMake options do) or in a header named by PERCPU_CONFIG_HEADER.
#pragma once

#ifdef PERCPU_CONFIG_HEADER
#include PERCPU_CONFIG_HEADER
#endif

/// 1: single-CPU build (the Rust crate's `sp-naive`). Per-CPU variables are plain globals, no
/// register is used, `init` reports one CPU; the API is unchanged.
#ifndef PERCPU_SINGLE_CPU
#define PERCPU_SINGLE_CPU 0
#endif

/// 1: the `.percpu` image is linked at VMA 0 (the usual kernel placement; the linker script
/// must agree: `PERCPU_ZERO_VMA = 1;` before `INCLUDE percpu.ld`). A variable's address is then
/// its offset, which lets backends encode offsets as absolute immediates; position-dependent code
/// only. 0: the image sits at any address (hosted programs, PIE); accesses are PC-relative.
#ifndef PERCPU_ZERO_VMA
#define PERCPU_ZERO_VMA 0
#endif
// Position-independent code reaches what it links PC-relative, or through absolute addresses
// that the loader relocates: neither gives a VMA-0 image's offsets once the kernel runs
// anywhere but its link address (a variable at offset 8 would be found at load base + 8).
#if PERCPU_ZERO_VMA && defined(__PIC__) && !PERCPU_SINGLE_CPU
#error \
    "percpu: PERCPU_ZERO_VMA=1 needs position-dependent code; a position-independent \
kernel (-fPIE, -fPIC) keeps the image at its load address: drop PERCPU_ZERO_VMA (README, \
Position-independent kernels)"
#endif

/// aarch64 only: 1 keeps the base in TPIDR_EL2 (code running at EL2), 0 in TPIDR_EL1.
#ifndef PERCPU_ARM_EL2
#define PERCPU_ARM_EL2 0
#endif

/// aarch64 and armv7, position-dependent code: 1 takes a variable's offset from the low 16 bits
/// of its address (one movz or movw), which limits the per-CPU areas to 64 KiB (init refuses
/// larger ones); 0 builds the whole address (one instruction more per access: movz+movk at VMA
/// 0 on aarch64, adrp+add elsewhere, movw+movt on armv7), for kernels with more per-CPU data.
#ifndef PERCPU_ARM_SHORT_OFFSETS
#define PERCPU_ARM_SHORT_OFFSETS 1
#endif

/// armv7 only: 1 lets hot variables (image at VMA 0, ARM state) use `ldr r, [base, #off]`
/// with an explicit R_ARM_ABS12 relocation: 2 instructions instead of 3. GNU ld applies it
/// (overflow-checked); LLD 19 does not know it. Defaults to 1 with GCC, 0 with Clang.
#ifndef PERCPU_ARM_ABS12
#ifdef __clang__
#define PERCPU_ARM_ABS12 0
#else
#define PERCPU_ARM_ABS12 1
#endif
#endif

/// riscv64 only: the privilege mode the kernel runs in, for the one operation that disables
/// interrupts (the 16-byte compare-and-swap): 0 (S-mode, the default) clears sstatus.SIE, 1
/// (M-mode) mstatus.MIE.
#ifndef PERCPU_RISCV_M_MODE
#define PERCPU_RISCV_M_MODE 0
#endif

/// x86_64 only: 1 sets GS_BASE with arch_prctl(ARCH_SET_GS) (Linux user space), 0 with wrmsr
/// (kernel). Defaults to 1 in hosted Linux builds.
#ifndef PERCPU_X86_LINUX_USER
#if defined(__linux__) && __STDC_HOSTED__
#define PERCPU_X86_LINUX_USER 1
#else
#define PERCPU_X86_LINUX_USER 0
#endif
#endif

/// x86_64 only: the addressing form of a per-CPU access (BENCHMARKS.md, "Addressing forms"). All
/// forms are correct; they differ in speed for back-to-back updates of one variable, and no
/// one-instruction form is fast on every CPU measured (Intel family 6 model 207 is slow through
/// RIP-relative operands, AMD Zen 5 through absolute ones).
///   0 (default): an absolute %gs:var where the code model allows it (image at VMA 0, or non-PIC
///     small/kernel code model), else RIP-relative. One instruction per access.
///   1: RIP-relative %gs:var(%rip) everywhere. One instruction. An image at VMA 0 is then out of
///     reach of a kernel linked in the top 2 GiB (the linker reports the overflow).
///   2: the address in a register, %gs:(%reg): fast on every CPU measured, at one more
///     instruction per access site (mov or lea of the address) where the compiler cannot hoist it.
#ifndef PERCPU_X86_ADDRESSING
#define PERCPU_X86_ADDRESSING 0
#endif

/// 1: check CPU ids against the number of areas in remote accessors. Defaults to on unless
/// NDEBUG is defined.
#ifndef PERCPU_DEBUG
#ifdef NDEBUG
#define PERCPU_DEBUG 0
#else
#define PERCPU_DEBUG 1
#endif
#endif

/// The assert hook, called for programming errors: use before `init`, a CPU id out of range
/// (with PERCPU_DEBUG). `message` is a string literal. The default traps, except in hosted Linux
/// builds, where it writes the message and a newline to stderr and aborts. A replacement should
/// not return; if it does, the failing call returns a harmless value (0 or a null pointer).
#ifndef PERCPU_ASSERT
#if defined(__linux__) && __STDC_HOSTED__ && defined(__has_include)
#if __has_include(<unistd.h>)
#define PERCPU_DETAIL_ASSERT_WRITES 1
#endif
#endif

#ifdef PERCPU_DETAIL_ASSERT_WRITES
namespace percpu::detail {

// POSIX write(2), declared rather than included so that no libc header comes with this one.
extern "C" __PTRDIFF_TYPE__ write(int fd, const void* buffer, __SIZE_TYPE__ length);

inline void write_to_stderr(const char* text, __SIZE_TYPE__ length) {
  while (length > 0) {
    const __PTRDIFF_TYPE__ written = write(2, text, length);
    if (written <= 0) return;  // nowhere to report to
    text += written;
    length -= static_cast<__SIZE_TYPE__>(written);
  }
}

[[noreturn]] inline void report_and_abort(const char* message) {
  write_to_stderr(message, __builtin_strlen(message));
  write_to_stderr("\n", 1);
  __builtin_abort();
}

}  // namespace percpu::detail
#define PERCPU_ASSERT(condition, message)                    \
  (__builtin_expect(!!(condition), 1) ? static_cast<void>(0) \
                                      : ::percpu::detail::report_and_abort(message))
#else
#define PERCPU_ASSERT(condition, message) \
  (__builtin_expect(!!(condition), 1) ? static_cast<void>(0) : __builtin_trap())
#endif
#endif

/// The preemption guard: a default-constructible RAII type. Its constructor must stop the
/// scheduler from moving the caller to another CPU (disable preemption) and its destructor undo
/// that. Used by with_current, reset_to_init and, where the access is more than one instruction
/// (every architecture but x86_64, and types other than 1/2/4/8 bytes), by read_current,
/// write_current and the read-modify-write *_current operations. The default does
/// nothing, which is right for kernels without preemption and for pinned threads.
#ifndef PERCPU_GUARD
#define PERCPU_GUARD ::percpu::no_guard
#endif

namespace percpu {

/// The default preemption guard: does nothing.
struct no_guard {};

/// Where a per-CPU variable sits in the area. Hot variables come first (PERCPU_DEFINE_HOT), so
/// that with the image at VMA 0 their offsets fit a load instruction's immediate field.
enum class placement { normal, hot };

}  // namespace percpu
