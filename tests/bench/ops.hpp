// SPDX-License-Identifier: MIT OR Apache-2.0
// The operations the benchmarks compare, each a loop of `count` operations on the calling thread.
// They live in their own translation unit so that every case, and callgrind, runs the same code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <percpu.hpp>

namespace bench {

/// One loop per operation and kind of storage. Reads add what they read into a sum that is kept;
/// writes store the loop index; adds add 1.
using loop_fn = void (*)(std::uint64_t count);

void percpu_read(std::uint64_t count);   // sum += counter.read_current()
void percpu_write(std::uint64_t count);  // counter.write_current(i)
void percpu_add(std::uint64_t count);    // counter.add_current(1)

void thread_local_read(std::uint64_t count);   // sum += counter
void thread_local_write(std::uint64_t count);  // counter = i
void thread_local_add(std::uint64_t count);    // counter += 1

/// One std::atomic<uint64_t> shared by every thread: fetch_add(1, relaxed).
void atomic_add(std::uint64_t count);

/// An array of slots, one per CPU number, each on its own pair of cache lines, indexed by
/// sched_getcpu(): slot.fetch_add(1, relaxed). The add has to be atomic: the thread may migrate
/// between sched_getcpu() and the add, and then shares the slot with the thread now running on
/// its old CPU.
void sched_getcpu_add(std::uint64_t count);

/// Counters (percpu/counter.hpp), batch 64: add(1) on a static one (PERCPU_DEFINE_COUNTER) and
/// on the dynamic one `dynamic_counter` points at (set it before running the loop).
void counter_add(std::uint64_t count);
void dynamic_counter_add(std::uint64_t count);
inline percpu::counter* dynamic_counter = nullptr;

}  // namespace bench

/// The static counter counter_add uses (defined in ops.cpp).
PERCPU_DECLARE_COUNTER(bench_hits);

/// The per-CPU counter the percpu_* loops use (defined in ops.cpp).
PERCPU_DECLARE(std::uint64_t, bench_counter);
