// SPDX-License-Identifier: MIT OR Apache-2.0
// The x86_64 experiment behind two backend choices (BENCHMARKS.md, "Addressing forms and xchg"):
// - which addressing form of a %gs-relative update is fast: an absolute displacement (%gs:var,
//   R_X86_64_32S), RIP-relative (%gs:var(%rip)) or a base register (%gs:(%reg)); the same three
//   without a segment, and thread_local's %fs:var@tpoff, for comparison;
// - xchg_current as `xchg` with memory (implicitly locked) against Linux's this_cpu_xchg, a read
//   and an unlocked `cmpxchg` loop.
// Each loop does `iterations` back-to-back operations on one variable; rounds interleave the
// loops (each round in another order), and the program prints, per loop, the median time per
// operation over the rounds with the spread (minimum, maximum). Built position-dependent (the
// absolute forms need addresses below 2 GiB); not a test: scripts/bench.sh runs it.
// usage: bench_forms [ROUNDS [ITERATIONS]]
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <percpu.hpp>
#include <vector>

PERCPU_DEFINE(std::uint64_t, forms_counter, 0);
// Named in asm text below, so with C linkage (an unmangled name) and external (kept).
extern "C" thread_local std::uint64_t forms_thread_counter;
thread_local std::uint64_t forms_thread_counter = 0;

namespace {

std::uint64_t plain_counter = 0;

// One loop per form. `asm volatile` keeps every update in the loop; each names the variable in
// the form under test: "i" with %c prints the bare symbol (absolute, R_X86_64_32S), %c...(%rip)
// the RIP-relative form (R_X86_64_PC32), "r" a register holding the address (its lea is
// hoisted out of the loop). The %gs forms reach this thread's copy of forms_counter (GS base =
// area - image address); the others update a plain global or the thread_local.
#define FORMS_LOOP(name, ...)                                            \
  __attribute__((noinline)) void name(std::uint64_t count) {             \
    for (std::uint64_t i = 0; i < count; ++i) asm volatile(__VA_ARGS__); \
  }
FORMS_LOOP(gs_absolute, "addq $1, %%gs:%c0" : : "i"(&forms_counter) : "memory")
FORMS_LOOP(gs_rip_relative, "addq $1, %%gs:%c0(%%rip)" : : "i"(&forms_counter) : "memory")
FORMS_LOOP(gs_register, "addq $1, %%gs:(%0)" : : "r"(&forms_counter) : "memory")
FORMS_LOOP(plain_absolute, "addq $1, %c0" : : "i"(&plain_counter) : "memory")
FORMS_LOOP(plain_rip_relative, "addq $1, %c0(%%rip)" : : "i"(&plain_counter) : "memory")
FORMS_LOOP(plain_register, "addq $1, (%0)" : : "r"(&plain_counter) : "memory")
FORMS_LOOP(fs_tpoff, "addq $1, %%fs:forms_thread_counter@tpoff" : : : "memory")
#undef FORMS_LOOP

// xchg with memory (implicitly locked) against a read and an unlocked cmpxchg loop, both in the
// register form (fast on every CPU measured, so that the form does not decide the comparison).
__attribute__((noinline)) void locked_xchg(std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t value = i;
    asm volatile("xchg %0, %%gs:(%1)" : "+r"(value) : "r"(&forms_counter) : "memory");
  }
}
__attribute__((noinline)) void unlocked_cmpxchg_loop(std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t old;
    asm volatile("mov %%gs:(%2), %0\n1:\tcmpxchg %1, %%gs:(%2)\n\tjnz 1b"
                 : "=&a"(old)
                 : "r"(i), "r"(&forms_counter)
                 : "memory", "cc");
  }
}

// The library's own accessors, in whatever form this build gives them (absolute here, unless
// PERCPU_X86_ADDRESSING says otherwise).
__attribute__((noinline)) void library_add(std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) forms_counter.add_current(1);
}
__attribute__((noinline)) void library_xchg(std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) forms_counter.xchg_current(i);
}

struct loop {
  const char* name;
  void (*run)(std::uint64_t);
  std::vector<double> ns_per_op;
};

double now_ns() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 21;
  const std::uint64_t iterations = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 10'000'000;
  if (rounds < 1 || iterations < 1 || !percpu::init_in_place()) return 2;
  percpu::init_percpu_reg(0);

  std::vector<loop> loops = {
      {"add %gs:var (absolute)", gs_absolute, {}},
      {"add %gs:var(%rip)", gs_rip_relative, {}},
      {"add %gs:(%reg)", gs_register, {}},
      {"add var (absolute, no segment)", plain_absolute, {}},
      {"add var(%rip), no segment", plain_rip_relative, {}},
      {"add (%reg), no segment", plain_register, {}},
      {"add %fs:var@tpoff (thread_local)", fs_tpoff, {}},
      {"xchg %reg, %gs:(%reg) (implicitly locked)", locked_xchg, {}},
      {"mov + unlocked cmpxchg loop, %gs:(%reg)", unlocked_cmpxchg_loop, {}},
      {"add_current (library)", library_add, {}},
      {"xchg_current (library)", library_xchg, {}},
  };
  for (loop& l : loops) l.run(iterations / 10);  // warm up caches and the clock
  for (int round = 0; round < rounds; ++round) {
    // Rotate the order, so that no loop always runs first or right after the same other one.
    for (std::size_t k = 0; k < loops.size(); ++k) {
      loop& l = loops[(k + static_cast<std::size_t>(round)) % loops.size()];
      const double start = now_ns();
      l.run(iterations);
      l.ns_per_op.push_back((now_ns() - start) / static_cast<double>(iterations));
    }
  }
  std::printf("| loop (%d rounds of %llu operations) | median ns/op | min | max |\n", rounds,
              static_cast<unsigned long long>(iterations));
  std::printf("|---|---:|---:|---:|\n");
  for (loop& l : loops) {
    std::sort(l.ns_per_op.begin(), l.ns_per_op.end());
    std::printf("| %s | %.2f | %.2f | %.2f |\n", l.name, l.ns_per_op[l.ns_per_op.size() / 2],
                l.ns_per_op.front(), l.ns_per_op.back());
  }
  return 0;
}
