// SPDX-License-Identifier: MIT OR Apache-2.0
// Our accessors next to transcriptions of Linux's this_cpu_* and of the Rust crate's accessors,
// compiled together with one target's kernel flags, so that scripts/codegen-peers.sh recomputes
// the comparison from object code. One extern "C" function per accessor and peer:
// <peer>_{read,write,add,inc,ptr,tick} on an unsigned long, the machine word.
//
// The transcriptions are written from the behaviour of their sources, not copied: Linux's
// arch/<arch>/include/asm/percpu.h and asm-generic/percpu.h (a kernel without preemption, so
// preempt_disable() is a compiler barrier, as our default guard does nothing), and the crate's
// percpu_macros/src/arch.rs (v0.4, offsets from a VMA-0 image, as its default features). The
// crate has no read-modify-write accessors: its callers write `*current_ptr() += v` (with
// with_current), which is not interrupt-safe; that is what its add and inc rows do.
#include <percpu.hpp>

using word = unsigned long;

// tick(): what a timer interrupt does to per-CPU scheduler state, written once for every peer
// with its read, write, add and increment: 2 read-modify-writes, 3 reads, 1 write. Returns
// whether the running task's slice is over.
#define PEER_FUNCTIONS(peer, read, write, add, inc, ptr)                     \
  extern "C" word peer##_read() { return read(peer##_counter); }             \
  extern "C" void peer##_write(word value) { write(peer##_counter, value); } \
  extern "C" void peer##_add(word value) { add(peer##_counter, value); }     \
  extern "C" void peer##_inc() { inc(peer##_counter); }                      \
  extern "C" word* peer##_ptr() { return ptr(peer##_counter); }              \
  extern "C" bool peer##_tick(word now) {                                    \
    inc(peer##_ticks);                                                       \
    const word elapsed = now - read(peer##_last);                            \
    write(peer##_last, now);                                                 \
    add(peer##_runtime, elapsed);                                            \
    return read(peer##_slice_start) + read(peer##_slice) <= now;             \
  }

// The six variables of one peer, each defined by `define(name)`.
#define PEER_VARIABLES(peer, define) \
  define(peer##_counter);            \
  define(peer##_ticks);              \
  define(peer##_last);               \
  define(peer##_runtime);            \
  define(peer##_slice_start);        \
  define(peer##_slice)

// ---- Ours: the plain API, on normal and on hot variables.
#define OURS_DEFINE(name) PERCPU_DEFINE(word, name, 0)
#define OURS_DEFINE_HOT(name) PERCPU_DEFINE_HOT(word, name, 0)
#define OURS_READ(var) var.read_current()
#define OURS_WRITE(var, value) var.write_current(value)
#define OURS_ADD(var, value) var.add_current(value)
#define OURS_INC(var) var.inc_current()
#define OURS_PTR(var) var.current_ptr()
PEER_VARIABLES(ours, OURS_DEFINE);
PEER_VARIABLES(ours_hot, OURS_DEFINE_HOT);
PEER_FUNCTIONS(ours, OURS_READ, OURS_WRITE, OURS_ADD, OURS_INC, OURS_PTR)
PEER_FUNCTIONS(ours_hot, OURS_READ, OURS_WRITE, OURS_ADD, OURS_INC, OURS_PTR)

// tick() once more with this_cpu_scope: one guard and one read of the register for the whole
// function, where the plain accessors read it for each access (aarch64, armv7).
#define OURS_SCOPE_TICK(peer)                                            \
  extern "C" bool peer##_scope_tick(word now) {                          \
    percpu::this_cpu_scope cpu;                                          \
    cpu.inc(peer##_ticks);                                               \
    const word elapsed = now - cpu.read(peer##_last);                    \
    cpu.write(peer##_last, now);                                         \
    cpu.add(peer##_runtime, elapsed);                                    \
    return cpu.read(peer##_slice_start) + cpu.read(peer##_slice) <= now; \
  }
OURS_SCOPE_TICK(ours)
OURS_SCOPE_TICK(ours_hot)

// ---- Linux and the crate: their variables are plain objects in a per-CPU section; the
// accessors below turn an object's address into this CPU's copy as each of them does.
#define PEER_DEFINE(name) __attribute__((section(".data..percpu"))) word name = 0
PEER_VARIABLES(linux, PEER_DEFINE);
PEER_VARIABLES(crate, PEER_DEFINE);
#if defined(__x86_64__) && defined(__clang__)
PEER_VARIABLES(linux_seg, PEER_DEFINE);
#endif

#if defined(__riscv)
extern word linux_per_cpu_offset[64];  // Linux's __per_cpu_offset, one entry per CPU
#elif defined(__aarch64__) || defined(__arm__)
// Linux's current_stack_pointer, whose target the offset reads below name as a fake input
// (a global register variable: inside a namespace GCC would materialise it as 0).
register unsigned long linux_stack_pointer asm("sp");
#endif

namespace {

#if !defined(__x86_64__)
// Linux's preempt_disable()/preempt_enable() in a kernel without preemption: barrier().
inline void linux_barrier() { asm volatile("" ::: "memory"); }
#endif

// The crate's accessors are Rust asm! blocks without options: to the compiler each may read and
// write any memory and has side effects, which is asm volatile with a "memory" clobber.

#if defined(__x86_64__)

// Linux, asm version (GCC; Clang without named address spaces): one volatile %gs-prefixed
// instruction per operation, its operand "m" (the compiler prints var(%rip)); constant 1 becomes
// inc; this_cpu_ptr adds this_cpu_off, read with a non-volatile asm (raw_cpu_read).
inline word linux_read(word& var) {
  word value;
  asm volatile("movq %%gs:%[var], %[value]" : [value] "=r"(value) : [var] "m"(var));
  return value;
}
inline void linux_write(word& var, word value) {
  asm volatile("movq %[value], %%gs:%[var]" : [var] "=m"(var) : [value] "re"(value));
}
inline void linux_add(word& var, word value) {
  if (__builtin_constant_p(value) && value == 1) {
    asm volatile("incq %%gs:%[var]" : [var] "+m"(var));
  } else {
    asm volatile("addq %[value], %%gs:%[var]" : [var] "+m"(var) : [value] "re"(value));
  }
}
inline void linux_inc(word& var) { linux_add(var, 1); }
__attribute__((section(".data..percpu"))) word linux_this_cpu_off;
inline word* linux_ptr(word& var) {
  word offset;
  asm("movq %%gs:%[off], %[offset]" : [offset] "=r"(offset) : [off] "m"(linux_this_cpu_off));
  return reinterpret_cast<word*>(offset + reinterpret_cast<word>(&var));
}

#if defined(__clang__)
// Linux with named address spaces (CONFIG_USE_X86_SEG_SUPPORT): this_cpu_read/write are volatile
// __seg_gs accesses that the compiler emits itself (and may fold into an ALU operand); this_cpu_off
// is read non-volatile. Clang prints no segment for a __seg_gs asm operand, so the adds keep the
// explicit prefix of the asm version.
inline volatile word __seg_gs& linux_seg_var(word& var) {
  return *reinterpret_cast<volatile word __seg_gs*>(reinterpret_cast<word>(&var));
}
inline word linux_seg_read(word& var) { return linux_seg_var(var); }
inline void linux_seg_write(word& var, word value) { linux_seg_var(var) = value; }
inline word* linux_seg_ptr(word& var) {
  const word offset =
      *reinterpret_cast<word __seg_gs*>(reinterpret_cast<word>(&linux_this_cpu_off));
  return reinterpret_cast<word*>(offset + reinterpret_cast<word>(&var));
}
#endif

// The crate: `mov reg, gs:[offset VAR]` (an absolute 32-bit displacement), current_ptr as
// the GS_BASE copy at gs:[offset __PERCPU_SELF_PTR] plus `add reg, offset VAR`.
__attribute__((section(".data..percpu"))) word crate_self_ptr;
inline word crate_read(word& var) {
  word value;
  asm volatile("movq %%gs:%c[var], %[value]" : [value] "=r"(value) : [var] "i"(&var) : "memory");
  return value;
}
inline void crate_write(word& var, word value) {
  asm volatile("movq %[value], %%gs:%c[var]" : : [value] "r"(value), [var] "i"(&var) : "memory");
}
inline word* crate_ptr(word& var) {
  word pointer;
  asm volatile("movq %%gs:%c[self], %[pointer]\n\taddq %[var], %[pointer]"
               : [pointer] "=&r"(pointer)
               : [self] "i"(&crate_self_ptr), [var] "i"(&var)
               : "memory");
  return reinterpret_cast<word*>(pointer);
}

#elif defined(__aarch64__)

// Linux: the offset is TPIDR_EL1, read by a non-volatile asm whose fake stack operand orders it
// against barrier(); raw_cpu_ptr adds it to the variable's address (adrp + add); reads and
// writes are READ_ONCE/WRITE_ONCE; add is an LDXR/STXR loop on a "+Q" operand (one base
// register), inside barrier()s.
inline word* linux_ptr(word& var) {
  word offset;
  asm("mrs %0, tpidr_el1"
      : "=r"(offset)
      : "Q"(*reinterpret_cast<const word*>(linux_stack_pointer)));
  return reinterpret_cast<word*>(offset + reinterpret_cast<word>(&var));
}
inline void linux_add(word& var, word value) {
  linux_barrier();
  word* copy = linux_ptr(var);
  unsigned loop;
  word sum;
  asm volatile(
      "1: ldxr %[sum], %[copy]\n\t"
      "add %[sum], %[sum], %[value]\n\t"
      "stxr %w[loop], %[sum], %[copy]\n\t"
      "cbnz %w[loop], 1b"
      : [loop] "=&r"(loop), [sum] "=&r"(sum), [copy] "+Q"(*copy)
      : [value] "r"(value));
  linux_barrier();
}

// The crate: current_ptr is `mrs` plus the offset from `movz #:abs_g0_nc:VAR`, two asm blocks.
#define CRATE_BASE "mrs %0, tpidr_el1"
#define CRATE_OFFSET "movz %0, #:abs_g0_nc:%c1"

#elif defined(__arm__)

// Linux: asm-generic operations; the offset is TPIDRPRW, read by a non-volatile mrc with a fake
// stack operand; this_cpu_add disables interrupts around a plain add (mrs cpsr + cpsid i, then
// msr cpsr_c).
inline word* linux_ptr(word& var) {
  word offset;
  asm("mrc p15, 0, %0, c13, c0, 4"
      : "=r"(offset)
      : "Q"(*reinterpret_cast<const word*>(linux_stack_pointer)));
  return reinterpret_cast<word*>(offset + reinterpret_cast<word>(&var));
}
inline void linux_add(word& var, word value) {
  word flags;
  asm volatile("mrs %0, cpsr\n\tcpsid i" : "=r"(flags) : : "memory", "cc");
  *linux_ptr(var) += value;
  asm volatile("msr cpsr_c, %0" : : "r"(flags) : "memory", "cc");
}

// The crate: mrc, then movw/movt of the offset, two asm blocks.
#define CRATE_BASE "mrc p15, 0, %0, c13, c0, 4"
#define CRATE_OFFSET "movw %0, #:lower16:%c1\n\tmovt %0, #:upper16:%c1"

#elif defined(__riscv)

// Linux: asm-generic operations. The offset is __per_cpu_offset[current's CPU number], current
// being tp (its thread_info.cpu a word at a fixed offset); this_cpu_add disables interrupts
// around a plain add (csrrci sstatus, then csrs of the saved SIE bit).
struct linux_thread_info {
  word flags;
  int preempt_count;
  long kernel_sp, user_sp;
  int cpu;
};
inline word* linux_ptr(word& var) {
  register const linux_thread_info* current asm("tp");
  asm("" : "=r"(current));
  const word offset = linux_per_cpu_offset[current->cpu];
  return reinterpret_cast<word*>(offset + reinterpret_cast<word>(&var));
}
inline void linux_add(word& var, word value) {
  word flags;
  asm volatile("csrrci %0, sstatus, 2" : "=r"(flags) : : "memory");
  *linux_ptr(var) += value;
  asm volatile("csrs sstatus, %0" : : "r"(flags & 2) : "memory");
}

// The crate: read and write as lui %hi + add gp + the access with %lo, one asm block;
// current_ptr as `mv gp` plus the offset from lui %hi + addi %lo.
#define CRATE_BASE "mv %0, gp"
#define CRATE_OFFSET "lui %0, %%hi(%1)\n\taddi %0, %0, %%lo(%1)"
#define CRATE_LOAD "lui %0, %%hi(%1)\n\tadd %0, %0, gp\n\tld %0, %%lo(%1)(%0)"
#define CRATE_STORE "lui %0, %%hi(%2)\n\tadd %0, %0, gp\n\tsd %1, %%lo(%2)(%0)"

#elif defined(__loongarch__)

// Linux: the offset lives in $r21 (a register variable, refreshed by an empty volatile asm);
// read and write are volatile ldx/stx with $r21 and the address; add is amadd on $r21 + the
// address, inside barrier()s.
inline word linux_offset() {
  register word r21 asm("$r21");
  asm volatile("" : "=r"(r21));
  return r21;
}
inline word linux_read(word& var) {
  word value;
  asm volatile("ldx.d %0, $r21, %1" : "=&r"(value) : "r"(&var) : "memory");
  return value;
}
inline void linux_write(word& var, word value) {
  asm volatile("stx.d %0, $r21, %1" : : "r"(value), "r"(&var) : "memory");
}
inline word* linux_ptr(word& var) {
  return reinterpret_cast<word*>(linux_offset() + reinterpret_cast<word>(&var));
}
inline void linux_add(word& var, word value) {
  linux_barrier();
  word* copy = linux_ptr(var);
  word old;
  asm volatile("amadd.d %0, %2, %1" : "=&r"(old), "+ZB"(*copy) : "r"(value));
  linux_barrier();
}

// The crate: read and write as lu12i.w %abs_hi20 + ori %abs_lo12 + ldx/stx with $r21, one asm
// block; current_ptr as `move $r21` plus the offset from lu12i.w + ori.
#define CRATE_BASE "move %0, $r21"
#define CRATE_OFFSET "lu12i.w %0, %%abs_hi20(%1)\n\tori %0, %0, %%abs_lo12(%1)"
#define CRATE_LOAD CRATE_OFFSET "\n\tldx.d %0, %0, $r21"
#define CRATE_STORE "lu12i.w %0, %%abs_hi20(%2)\n\tori %0, %0, %%abs_lo12(%2)\n\tstx.d %1, %0, $r21"

#else
#error "peers.cpp: no transcriptions for this architecture"
#endif

// What is the same on several architectures.
#if !defined(__x86_64__) && !defined(__loongarch__)
// Linux's asm-generic this_cpu_read/write: READ_ONCE/WRITE_ONCE through raw_cpu_ptr, inside
// barrier()s (aarch64 spells the same).
inline word linux_read(word& var) {
  linux_barrier();
  const word value = *static_cast<const volatile word*>(linux_ptr(var));
  linux_barrier();
  return value;
}
inline void linux_write(word& var, word value) {
  linux_barrier();
  *static_cast<volatile word*>(linux_ptr(var)) = value;
  linux_barrier();
}
#endif
#if !defined(__x86_64__)
inline void linux_inc(word& var) { linux_add(var, 1); }
#endif
#if !defined(__x86_64__)
inline word* crate_ptr(word& var) {
  word base, offset;
  asm volatile(CRATE_BASE : "=r"(base) : : "memory");
  asm volatile(CRATE_OFFSET : "=r"(offset) : "i"(&var) : "memory");
  return reinterpret_cast<word*>(base + offset);
}
#endif
#if defined(CRATE_LOAD)
inline word crate_read(word& var) {
  word value;
  asm volatile(CRATE_LOAD : "=&r"(value) : "i"(&var) : "memory");
  return value;
}
inline void crate_write(word& var, word value) {
  word scratch;
  asm volatile(CRATE_STORE : "=&r"(scratch) : "r"(value), "i"(&var) : "memory");
}
#elif !defined(__x86_64__)
// The crate reads and writes through current_ptr where it has no asm of its own.
inline word crate_read(word& var) { return *crate_ptr(var); }
inline void crate_write(word& var, word value) { *crate_ptr(var) = value; }
#endif
// The crate's add and inc: `*current_ptr() += value` (see the top of the file).
inline void crate_add(word& var, word value) { *crate_ptr(var) += value; }
inline void crate_inc(word& var) { crate_add(var, 1); }

}  // namespace

PEER_FUNCTIONS(linux, linux_read, linux_write, linux_add, linux_inc, linux_ptr)
PEER_FUNCTIONS(crate, crate_read, crate_write, crate_add, crate_inc, crate_ptr)
#if defined(__x86_64__) && defined(__clang__)
PEER_FUNCTIONS(linux_seg, linux_seg_read, linux_seg_write, linux_add, linux_inc, linux_seg_ptr)
#endif
