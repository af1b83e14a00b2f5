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

// The operations Linux's this_cpu_* has beyond the basic set, on a 64-bit (armv7: 32-bit)
// normal variable: the new value returned, a compare-and-swap reporting success, and an
// exchange of a pointer (this_cpu_xchg(ptr, NULL)).
PERCPU_DEFINE(uintptr_t, normal_word, 0);
PERCPU_DEFINE(void*, normal_pointer, nullptr);

extern "C" {
uintptr_t inc_return_word() { return normal_word.inc_return_current(); }
uintptr_t sub_return_word(uintptr_t value) { return normal_word.sub_return_current(value); }
bool try_cmpxchg_word(uintptr_t* expected, uintptr_t desired) {
  return normal_word.try_cmpxchg_current(*expected, desired);
}
void* xchg_pointer() { return normal_pointer.xchg_current(nullptr); }
}

// The 16-byte compare-and-swap of a {pointer, tag} pair (64-bit architectures).
#if __SIZEOF_POINTER__ == 8
struct alignas(16) codegen_tagged {
  uint64_t pointer;
  uint64_t tag;
};
PERCPU_DEFINE(codegen_tagged, normal_tagged, 0, 0);

// Constant operands: the count is the exchange's, not the calling convention's moves.
extern "C" void cmpxchg_pair() { normal_tagged.cmpxchg_current({1, 2}, {3, 4}); }
#endif

// Dynamic objects: the owner holds the object's address as if it were a variable in the image, so
// this CPU's copy costs the load of that word plus an access with the address in a register (at
// most one instruction more than a variable's). `unsigned long`: compare with the 64-bit rows, the
// 32-bit ones on armv7. Views of a dynamic object cost the same; these views are at offset 0, since
// on x86_64 Clang in non-PIC code passes the address as an "ri" operand, which cannot carry a
// register plus an offset, and adds a lea for any other offset.
struct codegen_words {
  unsigned long first;
  unsigned long second;
};

extern "C" {
unsigned long read_dynamic(const percpu::dynamic<unsigned long>& object) {
  return object.read_current_raw();
}
void write_dynamic(const percpu::dynamic<unsigned long>& object, unsigned long value) {
  object.write_current_raw(value);
}
void add_dynamic(const percpu::dynamic<unsigned long>& object, unsigned long value) {
  object.add_current(value);
}
void inc_dynamic(const percpu::dynamic<unsigned long>& object) { object.inc_current(); }
unsigned long xchg_old_dynamic(const percpu::dynamic<unsigned long>& object, unsigned long value) {
  return object.xchg_current(value);
}
unsigned long* ptr_dynamic(const percpu::dynamic<unsigned long>& object) {
  return object.current_ptr();
}
void inc_dynamic_member(const percpu::dynamic<codegen_words>& object) {
  object.member<&codegen_words::first>().inc_current();
}
void inc_dynamic_element(const percpu::dynamic<unsigned long[4]>& object) {
  object.at(0).inc_current();
}
}
