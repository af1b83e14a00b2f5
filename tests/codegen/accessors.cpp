// SPDX-License-Identifier: MIT OR Apache-2.0
// One extern "C" function per accessor, compiled at -O2 and disassembled by
// scripts/check-codegen.sh, which compares each function's instruction count with the table for
// the target.
#include <stdint.h>

#include <percpu.hpp>

#define PERCPU_CODEGEN_VARIABLES(bits, define) \
  define(uint##bits##_t, normal_u##bits, 0);   \
  define##_HOT(uint##bits##_t, hot_u##bits, 0)

PERCPU_CODEGEN_VARIABLES(8, PERCPU_DEFINE);
PERCPU_CODEGEN_VARIABLES(16, PERCPU_DEFINE);
PERCPU_CODEGEN_VARIABLES(32, PERCPU_DEFINE);
PERCPU_CODEGEN_VARIABLES(64, PERCPU_DEFINE);

// The accessors of one variable: read, write, add (register and constant), inc, xchg (result
// unused, then returned: returning it may cost a register move the calling convention needs),
// cmpxchg, current_ptr, and the add of the tier that is not interrupt-safe.
#define PERCPU_CODEGEN_ACCESSORS(type, var)                           \
  type read_##var() { return var.read_current_raw(); }                \
  void write_##var(type value) { var.write_current_raw(value); }      \
  void add_##var(type value) { var.add_current(value); }              \
  void add_const_##var() { var.add_current(3); }                      \
  void inc_##var() { var.inc_current(); }                             \
  void xchg_##var(type value) { var.xchg_current(value); }            \
  type xchg_old_##var(type value) { return var.xchg_current(value); } \
  type cmpxchg_##var(type expected, type desired) {                   \
    return var.cmpxchg_current(expected, desired);                    \
  }                                                                   \
  type* ptr_##var() { return var.current_ptr(); }                     \
  void add_raw_##var(type value) { var.add_current_raw(value); }

extern "C" {
PERCPU_CODEGEN_ACCESSORS(uint8_t, normal_u8)
PERCPU_CODEGEN_ACCESSORS(uint16_t, normal_u16)
PERCPU_CODEGEN_ACCESSORS(uint32_t, normal_u32)
PERCPU_CODEGEN_ACCESSORS(uint64_t, normal_u64)
PERCPU_CODEGEN_ACCESSORS(uint8_t, hot_u8)
PERCPU_CODEGEN_ACCESSORS(uint16_t, hot_u16)
PERCPU_CODEGEN_ACCESSORS(uint32_t, hot_u32)
PERCPU_CODEGEN_ACCESSORS(uint64_t, hot_u64)
}

// Element and member views cost what a scalar variable costs (the tables give them the counts of
// the matching 64-bit scalar accessor).
struct codegen_pair {
  uint64_t first;
  uint64_t second;
};
PERCPU_DEFINE(uint64_t[4], normal_array, 0, 0, 0, 0);
PERCPU_DEFINE(codegen_pair, normal_pair, 0, 0);

extern "C" {
uint64_t read_element() { return normal_array.at(2).read_current_raw(); }
void write_element(uint64_t value) { normal_array.at(2).write_current_raw(value); }
void inc_element() { normal_array.at(2).inc_current(); }
void inc_member() { normal_pair.member<&codegen_pair::second>().inc_current(); }
}
