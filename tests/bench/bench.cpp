// SPDX-License-Identifier: MIT OR Apache-2.0
// Catch2 benchmarks: per-CPU accessors against thread_local, a shared atomic and sched_getcpu()
// slots, with one thread and with two threads as two CPUs; and percpu::init for 1 to 256 CPUs.
#include <pthread.h>
#include <sched.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <percpu.hpp>
#include <string>
#include <thread>
#include <utility>

#include "ops.hpp"

#if PERCPU_BENCH_CATCH2_MAJOR >= 3
#include <catch2/benchmark/catch_benchmark.hpp>
#include <catch2/catch_test_macros.hpp>
#else
#define CATCH_CONFIG_ENABLE_BENCHMARKING
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#endif

namespace {

// Operations per thread in one benchmark run. Catch2 reports the time of a run, so its
// milliseconds read as nanoseconds per operation (per thread). Runs this long (0.4 ms at the
// least) also make the start of a run (releasing the second thread) negligible.
constexpr std::uint64_t ops_per_run = 1'000'000;

// init_in_place() resets every area and the calling thread becomes CPU 0. Every test case starts
// here, whatever ran before: the init benchmarks leave the library pointing at memory they free.
void use_reserved_areas() {
  const auto areas = percpu::init_in_place();
  REQUIRE(areas.has_value());
  REQUIRE(*areas >= 2);
  percpu::init_percpu_reg(0);
}

// The spin-wait hint: lets the core know the loop waits (x86_64 only, as these benchmarks are).
void cpu_relax() { __builtin_ia32_pause(); }

/// The first two CPUs the calling thread may run on, or -1 where there is none.
std::array<int, 2> first_two_cpus() {
  std::array<int, 2> cpus{-1, -1};
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return cpus;
  for (int cpu = 0, found = 0; cpu < CPU_SETSIZE && found < 2; ++cpu) {
    if (CPU_ISSET(cpu, &allowed)) cpus[static_cast<std::size_t>(found++)] = cpu;
  }
  return cpus;
}

bool pin(pthread_t thread, int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(thread, sizeof set, &set) == 0;
}

/// The calling thread as CPU 0 and a helper thread as CPU 1, pinned to two different cores so
/// that they really run at the same time (unpinned, the scheduler may put both on one core while
/// the other is busy, and a shared counter then never moves between caches). run(loop) starts
/// `loop` on both at the same moment and returns when both are done. Between runs the helper
/// spins, because waking it from a futex would start it microseconds late, time in which the
/// caller's loop runs uncontended; after a millisecond without a run (Catch2 analysing, the next
/// benchmark being set up) it sleeps, to leave the core to others.
class cpu_pair {
 public:
  explicit cpu_pair(std::array<int, 2> cores) : helper_([this] { serve(); }) {
    CHECK(pthread_getaffinity_np(pthread_self(), sizeof caller_affinity_, &caller_affinity_) == 0);
    CHECK(pin(pthread_self(), cores[0]));
    CHECK(pin(helper_.native_handle(), cores[1]));
  }
  cpu_pair(const cpu_pair&) = delete;
  cpu_pair& operator=(const cpu_pair&) = delete;
  ~cpu_pair() {
    stopping_ = true;
    round_.fetch_add(1, std::memory_order_release);
    round_.notify_one();
    helper_.join();
    pthread_setaffinity_np(pthread_self(), sizeof caller_affinity_, &caller_affinity_);
  }

  void run(bench::loop_fn loop) {
    loop_ = loop;
    const unsigned round = round_.fetch_add(1, std::memory_order_release) + 1;
    round_.notify_one();
    loop(ops_per_run);
    while (done_.load(std::memory_order_acquire) != round) cpu_relax();
  }

 private:
  void serve() {
    percpu::init_percpu_reg(1);
    for (unsigned seen = 0;;) {
      seen = next_round(seen);
      if (stopping_) return;
      loop_(ops_per_run);
      done_.store(seen, std::memory_order_release);
    }
  }

  unsigned next_round(unsigned seen) {
    const auto spin_until = std::chrono::steady_clock::now() + std::chrono::milliseconds(1);
    for (;;) {
      const unsigned round = round_.load(std::memory_order_acquire);
      if (round != seen) return round;
      if (std::chrono::steady_clock::now() < spin_until) {
        cpu_relax();
      } else {
        round_.wait(seen, std::memory_order_acquire);
      }
    }
  }

  // Each flag on its own 128-byte pair of cache lines, away from the counters and each other.
  alignas(128) std::atomic<unsigned> round_{0};
  alignas(128) std::atomic<unsigned> done_{0};
  bench::loop_fn loop_ = nullptr;  // written before round_ is released, read after it is seen
  bool stopping_ = false;          // likewise
  cpu_set_t caller_affinity_;
  std::thread helper_;
};

}  // namespace

TEST_CASE("one thread, 1M operations per run") {
  use_reserved_areas();
  BENCHMARK("percpu read_current x1M, 1 thread") { bench::percpu_read(ops_per_run); };
  BENCHMARK("thread_local read x1M, 1 thread") { bench::thread_local_read(ops_per_run); };
  BENCHMARK("percpu write_current x1M, 1 thread") { bench::percpu_write(ops_per_run); };
  BENCHMARK("thread_local write x1M, 1 thread") { bench::thread_local_write(ops_per_run); };
  BENCHMARK("percpu add_current x1M, 1 thread") { bench::percpu_add(ops_per_run); };
  BENCHMARK("thread_local += x1M, 1 thread") { bench::thread_local_add(ops_per_run); };
  BENCHMARK("shared atomic fetch_add x1M, 1 thread") { bench::atomic_add(ops_per_run); };
  BENCHMARK("sched_getcpu slot fetch_add x1M, 1 thread") { bench::sched_getcpu_add(ops_per_run); };
}

TEST_CASE("two threads as two CPUs, 1M operations per thread per run") {
  use_reserved_areas();
  const auto cores = first_two_cpus();
  INFO("the two-thread cases need two CPUs");
  REQUIRE(cores[1] >= 0);
  cpu_pair cpus(cores);
  BENCHMARK("percpu read_current x1M, 2 threads") { cpus.run(bench::percpu_read); };
  BENCHMARK("thread_local read x1M, 2 threads") { cpus.run(bench::thread_local_read); };
  BENCHMARK("percpu write_current x1M, 2 threads") { cpus.run(bench::percpu_write); };
  BENCHMARK("thread_local write x1M, 2 threads") { cpus.run(bench::thread_local_write); };
  BENCHMARK("percpu add_current x1M, 2 threads") { cpus.run(bench::percpu_add); };
  // Each thread counted in its own copy: after the same runs, the two copies agree.
  CHECK(*bench_counter.remote_ptr(0) == *bench_counter.remote_ptr(1));
  BENCHMARK("thread_local += x1M, 2 threads") { cpus.run(bench::thread_local_add); };
  BENCHMARK("shared atomic fetch_add x1M, 2 threads") { cpus.run(bench::atomic_add); };
  BENCHMARK("sched_getcpu slot fetch_add x1M, 2 threads") { cpus.run(bench::sched_getcpu_add); };
}

/// `cpus` areas in heap memory, initialised; freed with the result.
std::unique_ptr<void, decltype(&std::free)> initialised_areas(std::size_t cpus) {
  const auto layout = percpu::percpu_area_layout_expected(cpus);
  std::unique_ptr<void, decltype(&std::free)> block(std::aligned_alloc(layout.align, layout.size),
                                                    &std::free);
  REQUIRE(block);
  REQUIRE(percpu::init(block.get(), cpus) == percpu::init_result(cpus));
  return block;
}

TEST_CASE("percpu::init") {
  for (const std::size_t cpus : {1, 4, 64, 256}) {
    const auto block = initialised_areas(cpus);
    BENCHMARK("percpu::init, " + std::to_string(cpus) + (cpus == 1 ? " CPU" : " CPUs")) {
      return percpu::init(block.get(), cpus);
    };
  }
}

// Counters: add(1) against a shared atomic's fetch_add (above), with one thread and with two as
// two CPUs; then what reading one costs as the CPU count grows (sum() visits every CPU).
TEST_CASE("counters, 1M adds per thread per run") {
  use_reserved_areas();
  auto dynamic_counter = percpu::counter::create(64);
  REQUIRE(dynamic_counter);
  bench::dynamic_counter = &*dynamic_counter;
  const std::pair<std::string, bench::loop_fn> loops[] = {
      {"static counter add", bench::counter_add},
      {"dynamic counter add", bench::dynamic_counter_add},
      {"shared atomic fetch_add", bench::atomic_add}};
  // Not structured bindings: Clang before 16 cannot capture them in the benchmark's lambda.
  for (const auto& named : loops) {
    const bench::loop_fn loop = named.second;
    BENCHMARK(named.first + " x1M, 1 thread") { loop(ops_per_run); };
  }
  const auto cores = first_two_cpus();
  REQUIRE(cores[1] >= 0);  // the two-thread cases need two CPUs
  {
    cpu_pair cpus(cores);
    for (const auto& named : loops) {
      const bench::loop_fn loop = named.second;
      BENCHMARK(named.first + " x1M, 2 threads") { cpus.run(loop); };
    }
  }
  // Every add reached the counters: the exact sums are whole numbers of runs.
  CHECK(bench_hits.sum() % static_cast<std::int64_t>(ops_per_run) == 0);
  CHECK(dynamic_counter->sum() % static_cast<std::int64_t>(ops_per_run) == 0);
  bench::dynamic_counter = nullptr;
}

TEST_CASE("counter approximate() and sum() against the CPU count") {
  for (const std::size_t cpus : {1, 4, 64, 256}) {
    const auto block = initialised_areas(cpus);
    const std::string suffix = ", " + std::to_string(cpus) + " CPU" + (cpus == 1 ? "" : "s");
    BENCHMARK("counter approximate()" + suffix) { return bench_hits.approximate(); };
    BENCHMARK("counter sum()" + suffix) { return bench_hits.sum(); };
  }
}
