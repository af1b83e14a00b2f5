// SPDX-License-Identifier: MIT OR Apache-2.0
// The benchmarked loops. No link-time optimisation is used, so none is inlined into a caller
// that could specialise it, and each compiles to one inspectable function.
#include "ops.hpp"

#include <sched.h>

#include <atomic>

PERCPU_DEFINE(std::uint64_t, bench_counter, 0);
PERCPU_DEFINE_COUNTER(bench_hits, 64);

namespace bench {
namespace {

// Over-aligned to 128 bytes, not 64: Intel's L2 spatial prefetcher fetches cache lines in
// 128-byte pairs, so two hot lines in one pair still interfere.
constexpr std::size_t line = 128;

thread_local std::uint64_t thread_counter = 0;
alignas(line) std::atomic<std::uint64_t> shared_counter{0};

struct alignas(line) slot {
  std::atomic<std::uint64_t> value;
};
// A power of two, so that `& (slot_count - 1)` bounds any CPU number (and sched_getcpu's -1 on
// failure) in one instruction. CPU_SETSIZE: the CPU numbers the affinity API can name.
constexpr std::size_t slot_count = CPU_SETSIZE;
static_assert((slot_count & (slot_count - 1)) == 0);
slot slots[slot_count];

// What Catch::Benchmark::keep_memory does, spelled out so that bench_callgrind needs no Catch2:
// the compiler must assume this reads *p and writes any memory, so a store before it reaches
// memory and a load after it is redone. Without it the thread_local loops would keep the counter
// in a register (or fold the loop into one add), which the per-CPU accessors, volatile asm,
// never allow.
template <class T>
void keep_memory(T* p) {
  asm volatile("" : : "g"(p) : "memory");
}

// What Catch::Benchmark::deoptimize_value does for a register: the sum of a read loop must be
// computed. Taking its address instead (keep_memory) would keep it in memory on every iteration.
void keep_value(std::uint64_t value) { asm volatile("" : : "r"(value)); }

}  // namespace

void percpu_read(std::uint64_t count) {
  std::uint64_t sum = 0;
  for (std::uint64_t i = 0; i < count; ++i) sum += bench_counter.read_current();
  keep_value(sum);
}

void percpu_write(std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) bench_counter.write_current(i);
}

void percpu_add(std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) bench_counter.add_current(1);
}

void thread_local_read(std::uint64_t count) {
  std::uint64_t sum = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    sum += thread_counter;
    keep_memory(&thread_counter);
  }
  keep_value(sum);
}

void thread_local_write(std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) {
    thread_counter = i;
    keep_memory(&thread_counter);
  }
}

void thread_local_add(std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) {
    thread_counter += 1;
    keep_memory(&thread_counter);
  }
}

// Compilers do not merge or drop atomic read-modify-writes, so no barrier is needed here.
void atomic_add(std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) shared_counter.fetch_add(1, std::memory_order_relaxed);
}

void sched_getcpu_add(std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) {
    const auto cpu = static_cast<std::size_t>(sched_getcpu());
    slots[cpu & (slot_count - 1)].value.fetch_add(1, std::memory_order_relaxed);
  }
}

void counter_add(std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) bench_hits.add(1);
}

void dynamic_counter_add(std::uint64_t count) {
  percpu::counter& counter = *dynamic_counter;
  for (std::uint64_t i = 0; i < count; ++i) counter.add(1);
}

}  // namespace bench
