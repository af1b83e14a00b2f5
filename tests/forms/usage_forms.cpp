// SPDX-License-Identifier: MIT OR Apache-2.0
// The forms: variables named directly, and reached through references, pointers, `?:` and
// arrays of pointers that the compiler cannot resolve at link time (functions kept out of line),
// per-CPU arrays, hot variables. Each result is compared with the value computed another way
// (from the initial value and the operations done, or through remote_ptr, which takes the area
// base from init rather than from the register).
#include "usage_forms.hpp"

#include <stdint.h>

#include <percpu.hpp>

namespace usage_forms {
namespace {

struct alignas(64) cache_line {
  uint32_t first;
  uint32_t rest[15];
};

PERCPU_DEFINE(uint64_t, form_a, 100);
PERCPU_DEFINE(uint64_t, form_b, 200);
PERCPU_DEFINE(uint8_t, form_byte, 7);
PERCPU_DEFINE_HOT(uint32_t, form_hot, 300);
PERCPU_DEFINE(unsigned long[8], form_stats, 1, 2, 3, 4, 5, 6, 7, 8);
PERCPU_DEFINE(uint16_t[3][2], form_matrix, {1, 2}, {3, 4}, {5, 6});
PERCPU_DEFINE(cache_line[2], form_lines, {11, {}}, {22, {}});

using u64_var = percpu::percpu<uint64_t>;
using hot_u32_var = percpu::percpu<uint32_t, percpu::placement::hot>;

}  // namespace

// Out of line and with external linkage, so that the address of the variable reaches the
// accessors only at run time: no inlining, and no clone specialised for a constant argument
// (GCC's noipa; Clang propagates constants only into functions it can see every call of).
#ifdef __clang__
#define USAGE_FORMS_OUT_OF_LINE [[gnu::noinline]]
#else
#define USAGE_FORMS_OUT_OF_LINE [[gnu::noipa]]
#endif
USAGE_FORMS_OUT_OF_LINE void add_through_reference(const u64_var& var, uint64_t value) {
  var.add_current(value);
}
USAGE_FORMS_OUT_OF_LINE uint64_t read_through_pointer(const u64_var* var) {
  return var->read_current();
}
USAGE_FORMS_OUT_OF_LINE uint64_t read_stable_through_reference(const u64_var& var) {
  return var.read_current_stable();
}
USAGE_FORMS_OUT_OF_LINE void write_through_pointer(const u64_var* var, uint64_t value) {
  var->write_current(value);
}
USAGE_FORMS_OUT_OF_LINE uint64_t* pointer_through_reference(const u64_var& var) {
  return var.current_ptr();
}
USAGE_FORMS_OUT_OF_LINE uint64_t xchg_through_reference(const u64_var& var, uint64_t value) {
  return var.xchg_current(value);
}
USAGE_FORMS_OUT_OF_LINE uint64_t cmpxchg_through_reference(const u64_var& var, uint64_t expected,
                                                           uint64_t desired) {
  return var.cmpxchg_current(expected, desired);
}
USAGE_FORMS_OUT_OF_LINE void inc_hot_through_reference(const hot_u32_var& var) {
  var.inc_current();
}
USAGE_FORMS_OUT_OF_LINE uint32_t read_hot_through_reference(const hot_u32_var& var) {
  return var.read_current_raw();
}
USAGE_FORMS_OUT_OF_LINE void write_hot_through_reference(const hot_u32_var& var, uint32_t value) {
  var.write_current_raw(value);
}
USAGE_FORMS_OUT_OF_LINE void inc_element_through_view(percpu::view<unsigned long> element) {
  element.inc_current();
}
USAGE_FORMS_OUT_OF_LINE void sub_byte_through_reference(const percpu::percpu<uint8_t>& var) {
  var.sub_current(uint8_t{3});
}
// The same through a template that takes the variable by reference: inlined, it may take the
// fast path; not inlined, the portable one; correct either way.
template <class Var>
void add_in_image(const Var& var, uint64_t value) {
  var.add_current(value);
}

namespace {

volatile bool opaque_true = true;
volatile unsigned opaque_index = 1;
const u64_var* const variables[] = {&form_a, &form_b};

class checker {
 public:
  checker(unsigned cpu, void (*report)(unsigned, const char*)) : cpu_(cpu), report_(report) {}
  void operator()(bool ok, const char* what) {
    if (ok) return;
    ++failures_;
    if (report_) report_(cpu_, what);
  }
  unsigned failures() const { return failures_; }

 private:
  unsigned cpu_;
  void (*report_)(unsigned, const char*);
  unsigned failures_ = 0;
};

uintptr_t address_of(const void* p) { return reinterpret_cast<uintptr_t>(p); }

}  // namespace

unsigned check(unsigned cpu, void (*report)(unsigned cpu, const char* what)) {
  checker check(cpu, report);
  const uint64_t mark = uint64_t{cpu} << 40;

  // Named directly, then through a reference and a pointer: the same copy.
  check(form_a.read_current() == 100, "direct read of the initial value");
  check(read_through_pointer(&form_a) == 100, "read through a pointer");
  check(form_a.read_current_stable() == 100, "direct stable read");
  check(read_stable_through_reference(form_a) == 100, "stable read through a reference");
  add_through_reference(form_a, mark);
  check(form_a.read_current() == 100 + mark, "add through a reference");
  check(*form_a.remote_ptr(cpu) == 100 + mark, "add through a reference: remote view");
  add_in_image(form_a, 1);
  check(*form_a.remote_ptr(cpu) == 101 + mark, "add through a template");
  check(pointer_through_reference(form_a) == form_a.remote_ptr(cpu),
        "current_ptr through a reference");
  check(pointer_through_reference(form_b) == form_b.current_ptr(),
        "current_ptr through a reference, second variable");
  write_through_pointer(&form_b, 200 + mark);
  check(*form_b.remote_ptr(cpu) == 200 + mark, "write through a pointer");
  check(xchg_through_reference(form_b, 5) == 200 + mark && form_b.read_current() == 5,
        "xchg through a reference");
  check(cmpxchg_through_reference(form_b, 5, 6) == 5 && form_b.read_current() == 6,
        "cmpxchg through a reference");
  form_b.write_current(200 + mark);

  // Chosen with ?: and from an array of pointers.
  (opaque_true ? form_a : form_b).inc_current();
  check(*form_a.remote_ptr(cpu) == 102 + mark, "inc through ?:");
  (opaque_true ? form_b : form_a).dec_current();
  check(*form_b.remote_ptr(cpu) == 199 + mark, "dec through ?:");
  variables[opaque_index]->add_current(11);
  check(*form_b.remote_ptr(cpu) == 210 + mark, "add through an array of pointers");
  check(variables[opaque_index ^ 1]->read_current() == 102 + mark,
        "read through an array of pointers");

  // Sub-word and hot variables through references.
  sub_byte_through_reference(form_byte);
  check(form_byte.read_current() == 4 && *form_byte.remote_ptr(cpu) == 4,
        "byte sub through a reference");
  check(read_hot_through_reference(form_hot) == 300, "hot read through a reference");
  check(form_hot.read_current_stable() == 300, "direct stable hot read");
  write_hot_through_reference(form_hot, 1000 + cpu);
  inc_hot_through_reference(form_hot);
  check(form_hot.read_current() == 1001 + cpu && *form_hot.remote_ptr(cpu) == 1001 + cpu,
        "hot write and inc through a reference");

  // Arrays: brace-initialised elements, elements through the reference, the remote view and
  // with_current, alignment of over-aligned elements, reset_to_init.
  unsigned long initial_sum = 0;
  for (unsigned i = 0; i < 8; ++i) {
    check(form_stats.current_ref_raw()[i] == i + 1, "array element initial value");
    initial_sum += form_stats.remote_ref_raw(cpu)[i];
  }
  check(initial_sum == 36, "array elements through remote_ref_raw");
  form_stats.current_ref_raw()[3] = 40 + cpu;
  check(form_stats.remote_ref_raw(cpu)[3] == 40 + cpu, "array element write");
  const unsigned long sum = form_stats.with_current([](unsigned long(&stats)[8]) {
    unsigned long total = 0;
    for (unsigned long value : stats) total += value;
    return total;
  });
  check(sum == 36 - 4 + 40 + cpu, "array through with_current");
  check(form_matrix.current_ref_raw()[2][1] == 6 && form_matrix.current_ref_raw()[1][0] == 3,
        "two-dimensional array initial values");
  check(form_lines.current_ref_raw()[1].first == 22, "array of over-aligned structs");
  check(address_of(&form_lines.current_ref_raw()[1]) % 64 == 0 &&
            address_of(form_lines.current_ptr()) % 64 == 0,
        "array of alignas(64) structs aligned in this CPU's area");
  // Element views: named with a constant index, with a run-time one, passed out of line.
  form_stats.at(5).add_current(10);
  form_stats.at(opaque_index + 5).add_current(100);
  inc_element_through_view(form_stats.at(6));
  check(form_stats.current_ref_raw()[5] == 6 + 10 && form_stats.current_ref_raw()[6] == 7 + 100 + 1,
        "element views");
  check(form_lines.at(1).member<&cache_line::first>().read_current() == 22 &&
            form_matrix.at(2).at(1).read_current() == 6,
        "member and nested element views");
  form_stats.reset_to_init();
  check(form_stats.current_ref_raw()[3] == 4, "array reset_to_init");
  check(address_of(form_stats.current_ptr()) == percpu::percpu_area_base(cpu) + form_stats.offset(),
        "array current_ptr is area base + offset");
  return check.failures();
}

}  // namespace usage_forms
