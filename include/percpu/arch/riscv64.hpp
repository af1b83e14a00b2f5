// SPDX-License-Identifier: MIT OR Apache-2.0
// riscv64 backend: gp holds (area base - image address). gp is then no global pointer: link
// without __global_pointer$ (linker/percpu.ld does not define it) so no linker relaxation
// targets gp, and never reload gp in trap entry code.
#pragma once

#include "../detail/register_backend.hpp"

// Every sequence runs with relaxation off: otherwise the linker may rewrite lui+lo (or
// auipc+pcrel_lo) pairs as accesses relative to x0 or __global_pointer$, dropping the
// `add ..., gp` in between that selects this CPU's copy.
#define PERCPU_DETAIL_RV_BEGIN ".option push\n\t.option norelax\n\t"
#define PERCPU_DETAIL_RV_END "\n\t.option pop"

// The sequences for each mode (see detail::addressing), with the address as a symbol:
// hot_immediate: `%lo(sym)(gp)`; R_RISCV_LO12_I/S is not overflow-checked, so the linker
//   fragment asserts hot variables end within 2 KiB (a signed 12-bit offset).
// absolute: lui %hi (R_RISCV_HI20, checked: offsets below 2 GiB) + gp, then %lo in the access.
// pc_relative: auipc %pcrel_hi (R_RISCV_PCREL_HI20, +-2 GiB of the code) + gp, then
//   %pcrel_lo of the auipc's label in the access. 3 instructions for either.
// With the address in a register (see PERCPU_DETAIL_ASM_IF_REGISTER), register + gp is the copy
// in every mode: add, then the access.
#define PERCPU_DETAIL_RV_REGISTERS                                                          \
  "zero,ra,sp,gp,tp,t0,t1,t2,s0,fp,s1,a0,a1,a2,a3,a4,a5,a6,a7,s2,s3,s4,s5,s6,s7,s8,s9,s10," \
  "s11,t3,t4,t5,t6"
#define PERCPU_DETAIL_RV_SELECT(if_register, if_symbol) \
  PERCPU_DETAIL_RV_BEGIN PERCPU_DETAIL_ASM_IF_REGISTER( \
      PERCPU_DETAIL_RV_REGISTERS, "%[sym]", if_register, if_symbol) PERCPU_DETAIL_RV_END
// Each sequence takes (m, value, base): the access's mnemonic, the operand holding the value,
// and the one receiving the address (a load passes its value operand: it needs no other
// register).
#define PERCPU_DETAIL_RV_IN_REGISTER(m, value, base) \
  "add " base ", %[sym], gp\n\t" m " " value ", 0(" base ")"
#define PERCPU_DETAIL_RV_HOT_SEQUENCE(m, value, base)                   \
  PERCPU_DETAIL_RV_SELECT(PERCPU_DETAIL_RV_IN_REGISTER(m, value, base), \
                          m " " value ", %%lo(%[sym])(gp)")
#define PERCPU_DETAIL_RV_ABSOLUTE_SEQUENCE(m, value, base)                                 \
  PERCPU_DETAIL_RV_SELECT(PERCPU_DETAIL_RV_IN_REGISTER(m, value, base),                    \
                          "lui " base ", %%hi(%[sym])\n\tadd " base ", " base ", gp\n\t" m \
                          " " value ", %%lo(%[sym])(" base ")")
#define PERCPU_DETAIL_RV_PC_RELATIVE_SEQUENCE(m, value, base)                            \
  PERCPU_DETAIL_RV_SELECT(PERCPU_DETAIL_RV_IN_REGISTER(m, value, base),                  \
                          "1: auipc " base ", %%pcrel_hi(%[sym])\n\tadd " base ", " base \
                          ", gp\n\t" m " " value ", %%pcrel_lo(1b)(" base ")")
#define PERCPU_DETAIL_RV_HOT(args) PERCPU_DETAIL_RV_HOT_SEQUENCE args
#define PERCPU_DETAIL_RV_ABSOLUTE(args) PERCPU_DETAIL_RV_ABSOLUTE_SEQUENCE args
#define PERCPU_DETAIL_RV_PC_RELATIVE(args) PERCPU_DETAIL_RV_PC_RELATIVE_SEQUENCE args

// One access (load or store) of a `type` in addressing `mode`, with the operands named by the
// strings `value` and `base`. The "memory" clobber orders it against other memory accesses,
// since the compiler cannot see which copy it touches.
#define PERCPU_DETAIL_RV_ACCESS(mode, type, value, base, m8, m16, m32, m64, ...)                 \
  if constexpr (mode == addressing::hot_immediate) {                                             \
    PERCPU_DETAIL_ASM_BY_SIZE(type, PERCPU_DETAIL_RV_HOT, (m8, value, base), (m16, value, base), \
                              (m32, value, base), (m64, value, base), __VA_ARGS__)               \
  } else if constexpr (mode == addressing::absolute) {                                           \
    PERCPU_DETAIL_ASM_BY_SIZE(type, PERCPU_DETAIL_RV_ABSOLUTE, (m8, value, base),                \
                              (m16, value, base), (m32, value, base), (m64, value, base),        \
                              __VA_ARGS__)                                                       \
  } else {                                                                                       \
    PERCPU_DETAIL_ASM_BY_SIZE(type, PERCPU_DETAIL_RV_PC_RELATIVE, (m8, value, base),             \
                              (m16, value, base), (m32, value, base), (m64, value, base),        \
                              __VA_ARGS__)                                                       \
  }

namespace percpu::detail {

// Read-modify-writes: AMOs (amoadd.w/d ...) from the compiler's atomics, which take no offset,
// hence the pointer first. GCC 12 calls libatomic for 1- and 2-byte atomics; the CAS-loop
// emulation (compiler_atomics<false>) avoids it.
struct riscv64_arch : compiler_atomics<false> {
  static constexpr const char* name = "riscv64";
  static constexpr const char* register_name = "gp";
  template <class U>
  static constexpr bool atomic_instruction = sizeof(U) >= 4;  // amo*.w, amo*.d
  static constexpr bool offset_from_low_bits = false;
  template <class U>
  static constexpr bool fast_width = true;

  // Volatile: gp differs per CPU, so a read must not be merged with one from before a
  // migration, nor hoisted out of a guarded region.
  static uintptr_t read_register() {
    uintptr_t raw;
    asm volatile("mv %0, gp" : "=r"(raw));
    return raw;
  }
  static void write_register(uintptr_t raw) { asm volatile("mv gp, %0" : : "r"(raw) : "memory"); }

  // The accesses name gp themselves: nothing to read first.
  using base_t = register_named;
  PERCPU_DETAIL_INLINE static base_t base() { return {}; }

  template <addressing Mode, class U>
  PERCPU_DETAIL_INLINE static U load(base_t, const U& var) {
    // The value's register holds the address first: each sequence reads %[sym] before writing
    // it, so it needs no early clobber.
    U value;
    PERCPU_DETAIL_RV_ACCESS(Mode, U, "%[value]", "%[value]", "lbu", "lhu", "lwu", "ld",
                            : [value] "=r"(value)
                            : [sym] "ri"(&var)
                            : "memory")
    return value;
  }

  template <addressing Mode, class U>
  PERCPU_DETAIL_INLINE static void store(base_t, U& var, U value) {
    // Early clobber: the address is written before the value is read.
    uintptr_t base;
    PERCPU_DETAIL_RV_ACCESS(Mode, U, "%[value]", "%[base]", "sb", "sh", "sw", "sd",
                            : [base] "=&r"(base)
                            : [value] "r"(value), [sym] "ri"(&var)
                            : "memory")
  }

  /// Interrupts off for as long as it lives, then as they were: sstatus.SIE (bit 1) in an
  /// S-mode kernel, mstatus.MIE (bit 3) with PERCPU_RISCV_M_MODE. A kernel's way to make a
  /// sequence atomic on its CPU.
  struct interrupts_off {
#if PERCPU_RISCV_M_MODE
#define PERCPU_DETAIL_RV_STATUS "mstatus"
    static constexpr unsigned long interrupt_enable = 8;
#else
#define PERCPU_DETAIL_RV_STATUS "sstatus"
    static constexpr unsigned long interrupt_enable = 2;
#endif
    unsigned long status;
    interrupts_off() {
      asm volatile("csrrc %0, " PERCPU_DETAIL_RV_STATUS ", %1"
                   : "=r"(status)
                   : "r"(interrupt_enable)
                   : "memory");
    }
    ~interrupts_off() {
      asm volatile("csrs " PERCPU_DETAIL_RV_STATUS ", %0"
                   :
                   : "r"(status & interrupt_enable)
                   : "memory");
    }
#undef PERCPU_DETAIL_RV_STATUS
  };

  /// 16 bytes: no 16-byte LR/SC, so a compare and store with interrupts off.
  PERCPU_DETAIL_INLINE static uint128_t compare_exchange_double(uint128_t* pointer,
                                                                uint128_t expected,
                                                                uint128_t desired) {
    return compare_exchange_interrupts_off<interrupts_off>(pointer, expected, desired);
  }

  /// The image's address: from absolute relocations (R_RISCV_HI20/LO12_I: an address below
  /// 2 GiB) when it is a symbol. Not volatile: a link-time constant.
  template <class T>
  PERCPU_DETAIL_INLINE static uintptr_t absolute_address(const T& var) {
    uintptr_t result;
    asm(PERCPU_DETAIL_RV_SELECT("",
                                "lui %[base], %%hi(%[sym])\n\taddi %[base], %[base], %%lo(%[sym])")
        : [base] "=r"(result)
        : [sym] PERCPU_DETAIL_ASM_SYMBOL_OR_RESULT(&var));
    return result;
  }

  template <addressing Mode, class T>
  PERCPU_DETAIL_INLINE static uintptr_t pointer(base_t, const T& var) {
    uintptr_t base;
    if constexpr (Mode == addressing::hot_immediate) {
      asm volatile(
          PERCPU_DETAIL_RV_SELECT("add %[base], %[sym], gp", "addi %[base], gp, %%lo(%[sym])")
          : [base] "=r"(base)
          : [sym] "ri"(&var));
    } else if constexpr (Mode == addressing::absolute) {
      asm volatile(
          PERCPU_DETAIL_RV_SELECT("add %[base], %[sym], gp",
                                  "lui %[base], %%hi(%[sym])\n\tadd %[base], %[base], gp\n\t"
                                  "addi %[base], %[base], %%lo(%[sym])")
          : [base] "=&r"(base)
          : [sym] "ri"(&var));
    } else {
      asm volatile(PERCPU_DETAIL_RV_SELECT("add %[base], %[sym], gp",
                                           "1: auipc %[base], %%pcrel_hi(%[sym])\n\t"
                                           "add %[base], %[base], gp\n\t"
                                           "addi %[base], %[base], %%pcrel_lo(1b)")
                   : [base] "=&r"(base)
                   : [sym] "ri"(&var));
    }
    return base;
  }
};

using backend = register_backend<riscv64_arch>;

}  // namespace percpu::detail

#undef PERCPU_DETAIL_RV_BEGIN
#undef PERCPU_DETAIL_RV_END
#undef PERCPU_DETAIL_RV_REGISTERS
#undef PERCPU_DETAIL_RV_SELECT
#undef PERCPU_DETAIL_RV_IN_REGISTER
#undef PERCPU_DETAIL_RV_HOT_SEQUENCE
#undef PERCPU_DETAIL_RV_ABSOLUTE_SEQUENCE
#undef PERCPU_DETAIL_RV_PC_RELATIVE_SEQUENCE
#undef PERCPU_DETAIL_RV_HOT
#undef PERCPU_DETAIL_RV_ABSOLUTE
#undef PERCPU_DETAIL_RV_PC_RELATIVE
#undef PERCPU_DETAIL_RV_ACCESS
