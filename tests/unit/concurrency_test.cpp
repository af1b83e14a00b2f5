// SPDX-License-Identifier: MIT OR Apache-2.0
// Threads as CPUs: each thread points its GS base at its own area, as each CPU of a kernel
// would; and a signal handler interrupting the loop that updates the same per-CPU counter.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <iterator>
#include <percpu.hpp>
#include <thread>
#include <type_traits>
#include <vector>

#include "../common/pair_checks.hpp"
#include "../common/rmw_checks.hpp"
#include "test_support.hpp"

namespace {

PERCPU_DEFINE(uint64_t, COUNTER, 0);
PERCPU_DEFINE(uint32_t, CPU_ID, 0xffffffff);
PERCPU_DEFINE(uint64_t, SIGNAL_COUNTER, 0);
PERCPU_DEFINE(pair_checks::tagged, SIGNAL_PAIR, 0, 0);
struct event_counts {
  uint64_t polls;
  uint64_t events;
};
PERCPU_DEFINE(event_counts, SIGNAL_EVENTS, 0, 0);
// Updated through a this_cpu_scope by the signal handler and the loop.
PERCPU_DEFINE(uint64_t, SIGNAL_SCOPE, 0);
PERCPU_DEFINE_HOT(uint32_t, SIGNAL_SCOPE_HOT, 0);
// A dynamic object's member, which the handler updates too while the test sets it.
percpu::dynamic<event_counts>* signal_dynamic = nullptr;

constexpr uint64_t increments = 2'000'000;

// Another CPU reads the counters while their CPUs update them: read_remote and sum are relaxed
// atomic loads (race-free, checked under TSan), never larger than the final totals, and exact
// once the CPUs stopped.
TEST(Concurrency, WholeMachineViewsWhileEveryCpuCounts) {
  const size_t cpu_count = percpu::percpu_area_num();
  ASSERT_EQ(percpu::init_in_place(), percpu::init_result(cpu_count));
  ASSERT_EQ(percpu::cpu_count(), cpu_count);
  std::atomic<size_t> done{0};
  std::vector<std::thread> cpus;
  for (size_t cpu = 0; cpu < cpu_count; ++cpu) {
    cpus.emplace_back([cpu, &done] {
      percpu::init_percpu_reg(cpu);
      for (uint64_t i = 0; i < increments; ++i) COUNTER.inc_current();
      done.fetch_add(1);
    });
  }
  uint64_t samples = 0;
  while (done.load() != cpu_count) {
    const uint64_t total = COUNTER.sum();
    EXPECT_LE(total, increments * cpu_count);
    EXPECT_LE(COUNTER.read_remote(samples % cpu_count), increments);
    ++samples;
  }
  for (auto& thread : cpus) thread.join();
  EXPECT_EQ(COUNTER.sum(), increments * cpu_count);

  size_t visited = 0;
  COUNTER.for_each_cpu([&visited](size_t cpu, uint64_t& copy) {
    EXPECT_EQ(cpu, visited++);
    EXPECT_EQ(copy, increments);
    copy = cpu;
  });
  EXPECT_EQ(visited, cpu_count);
  uint64_t expected_cpu = 0;
  for (uint64_t& copy : COUNTER.all_cpus()) EXPECT_EQ(copy, expected_cpu++);
  EXPECT_EQ(expected_cpu, cpu_count);
  EXPECT_EQ(COUNTER.all_cpus().size(), cpu_count);
  COUNTER.write_remote(2, 40);
  EXPECT_EQ(*COUNTER.remote_ptr(2), 40u);
  EXPECT_EQ(COUNTER.read_remote(2), 40u);
  EXPECT_EQ(COUNTER.sum(), cpu_count * (cpu_count - 1) / 2 - 2 + 40);
  // The iterator is a std forward iterator where <iterator> is available.
  static_assert(
      std::is_same_v<std::iterator_traits<decltype(COUNTER.all_cpus().begin())>::iterator_category,
                     std::forward_iterator_tag>);
}

TEST(Concurrency, EveryThreadCountsOnlyInItsOwnArea) {
  const size_t cpu_count = percpu::percpu_area_num();
  ASSERT_EQ(percpu::init_in_place(), percpu::init_result(cpu_count));
  std::atomic<size_t> ready{0};
  std::vector<std::thread> cpus;
  for (size_t cpu = 0; cpu < cpu_count; ++cpu) {
    cpus.emplace_back([cpu, cpu_count, &ready] {
      percpu::init_percpu_reg(cpu);
      CPU_ID.write_current(static_cast<uint32_t>(cpu));
      ready.fetch_add(1);
      while (ready.load() != cpu_count) {
      }
      // Different CPUs touch the same offset at once; each in its own area.
      for (uint64_t i = 0; i < increments * (cpu + 1); ++i) COUNTER.inc_current();
      EXPECT_EQ(CPU_ID.read_current(), cpu);
      // A CPU number is what read_current_stable is for: fixed while the thread plays this CPU.
      EXPECT_EQ(CPU_ID.read_current_stable(), cpu);
      EXPECT_EQ(COUNTER.read_current_stable(), increments * (cpu + 1));
      EXPECT_EQ(percpu::read_percpu_reg(), percpu::percpu_area_base(cpu));
    });
  }
  for (auto& thread : cpus) thread.join();
  for (size_t cpu = 0; cpu < cpu_count; ++cpu) {
    EXPECT_EQ(*COUNTER.remote_ptr(cpu), increments * (cpu + 1)) << "cpu " << cpu;
    EXPECT_EQ(*CPU_ID.remote_ptr(cpu), cpu);
  }
}

// Threads as CPUs, each working through a this_cpu_scope on a variable, a hot variable, an
// array element, a member and a dynamic object: every access names the thread's own copy (the
// scope's pointers equal current_ptr) and the totals are exact.
TEST(Concurrency, ThisCpuScopeWorksOnItsOwnCopies) {
  const size_t cpu_count = percpu::percpu_area_num();
  ASSERT_EQ(percpu::init_in_place(), percpu::init_result(cpu_count));
  auto made = percpu::dynamic<event_counts>::create();
  ASSERT_TRUE(made);
  percpu::dynamic<event_counts>& object = *made;
  std::vector<std::thread> cpus;
  for (size_t cpu = 0; cpu < cpu_count; ++cpu) {
    cpus.emplace_back([cpu, &object] {
      percpu::init_percpu_reg(cpu);
      percpu::this_cpu_scope scope;
      EXPECT_EQ(scope.ptr(COUNTER), COUNTER.current_ptr());
      EXPECT_EQ(scope.ptr(SIGNAL_SCOPE_HOT), SIGNAL_SCOPE_HOT.current_ptr());
      EXPECT_EQ(scope.ptr(object), object.current_ptr());
      scope.write(CPU_ID, static_cast<uint32_t>(cpu));
      for (uint64_t i = 0; i < increments / 10 * (cpu + 1); ++i) {
        scope.inc(COUNTER);
        scope.add(SIGNAL_SCOPE_HOT, 3);
        scope.dec(SIGNAL_SCOPE_HOT);
        scope.sub(object.member<&event_counts::events>(), 2);
        scope.inc(SIGNAL_EVENTS.member<&event_counts::polls>());
      }
      EXPECT_EQ(scope.read(CPU_ID), cpu);
      EXPECT_EQ(CPU_ID.read_current(), cpu);
      const event_counts seen = scope.read(SIGNAL_EVENTS);
      EXPECT_EQ(seen.polls, increments / 10 * (cpu + 1));
    });
  }
  for (auto& thread : cpus) thread.join();
  for (size_t cpu = 0; cpu < cpu_count; ++cpu) {
    const uint64_t rounds = increments / 10 * (cpu + 1);
    EXPECT_EQ(*COUNTER.remote_ptr(cpu), rounds) << "cpu " << cpu;
    EXPECT_EQ(*SIGNAL_SCOPE_HOT.remote_ptr(cpu), static_cast<uint32_t>(2 * rounds));
    EXPECT_EQ(object.remote_ptr(cpu)->events, 0 - 2 * rounds);
    EXPECT_EQ(*CPU_ID.remote_ptr(cpu), cpu);
  }
}

volatile sig_atomic_t signals_taken = 0;

/// One round of updates through a this_cpu_scope, by the loop and by the handler.
void scope_round() {
  percpu::this_cpu_scope cpu;
  cpu.inc(SIGNAL_SCOPE);
  rmw_checks::increment_by_cmpxchg(cpu, SIGNAL_SCOPE);  // and once more
  cpu.add(SIGNAL_SCOPE_HOT, 5);
  cpu.sub(SIGNAL_SCOPE_HOT, 2);
  cpu.dec(SIGNAL_SCOPE_HOT);
  if (signal_dynamic) cpu.inc(signal_dynamic->member<&event_counts::polls>());
}

void on_timer(int) {
  scope_round();
  SIGNAL_COUNTER.inc_current();
  pair_checks::increment(SIGNAL_PAIR);
  SIGNAL_EVENTS.member<&event_counts::events>().inc_current();
  if (signal_dynamic) signal_dynamic->member<&event_counts::events>().add_current(2);
  signals_taken = signals_taken + 1;
}

/// Runs `batch()` (which updates this CPU's copy of SIGNAL_COUNTER) on CPU 2 while a timer
/// signal every 20 us increments the same copy, until enough signals have landed in it (at most
/// 60 s, which only a stalled timer needs); returns how many did.
template <class Batch>
uint64_t under_signal_storm(Batch batch) {
  signals_taken = 0;
  EXPECT_TRUE(percpu::init_in_place());
  percpu::init_percpu_reg(2);

  test::signal_storm storm(on_timer, 20'000);  // every 20 us
  if (!storm.armed()) {
    ADD_FAILURE() << "the timer could not be armed";
    return 0;
  }
  constexpr sig_atomic_t signals_wanted = 2000;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (signals_taken < signals_wanted && std::chrono::steady_clock::now() < deadline) batch();
  storm.stop();

  const uint64_t taken = static_cast<uint64_t>(signals_taken);
  ::testing::Test::RecordProperty("signals_taken", static_cast<int>(taken));
  EXPECT_GE(taken, uint64_t{signals_wanted}) << "the timer stalled";
  return taken;
}

// The handler and the interrupted loop both increment this CPU's counter. A read-add-write
// sequence would lose the handler's update whenever the signal lands between the read and the
// write; a single-instruction increment cannot be split, so the total must be exact.
// Between batches the loop uses the tier that is not interrupt-safe the way it must be used, with
// the signal blocked (a kernel disables interrupts): a signal that arrives meanwhile runs at the
// unblock, and its update is not lost either.
TEST(Concurrency, SignalHandlerUpdatesAreNeverLost) {
  if (TEST_SIGNALS_DEFERRED)
    GTEST_SKIP() << "ThreadSanitizer delivers signals only at its own calls";
  uint64_t loop_increments = 0;
  uint64_t loop_pair_increments = 0;
  // Created before the storm's init, which re-initialises: the object stays allocated and its
  // copies start at 0 again.
  ASSERT_TRUE(percpu::init_in_place());
  auto made = percpu::dynamic<event_counts>::create();
  ASSERT_TRUE(made);
  signal_dynamic = &*made;
  const uint64_t taken = under_signal_storm([&] {
    for (int i = 0; i < 10'000; ++i) {
      SIGNAL_COUNTER.inc_current();
      pair_checks::increment(SIGNAL_PAIR);
      SIGNAL_EVENTS.member<&event_counts::events>().inc_current();
      signal_dynamic->member<&event_counts::events>().add_current(2);
      scope_round();
    }
    sigset_t alarm, previous;
    sigemptyset(&alarm);
    sigaddset(&alarm, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &alarm, &previous);
    for (int i = 0; i < 100; ++i) {
      SIGNAL_COUNTER.add_current_raw(3);
      SIGNAL_COUNTER.dec_current_raw();
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    loop_increments += 10'000 + 100 * 2;
    loop_pair_increments += 10'000;
  });
  EXPECT_EQ(SIGNAL_COUNTER.read_current(), loop_increments + taken);
  EXPECT_EQ(*SIGNAL_COUNTER.remote_ptr(2), loop_increments + taken);
  // The 16-byte compare-and-swap loses no update either.
  const uint64_t pair_increments = loop_pair_increments + taken;
  EXPECT_EQ(SIGNAL_PAIR.read_current().pointer, pair_increments);
  EXPECT_EQ(SIGNAL_PAIR.read_current().tag, 2 * pair_increments);
  // So do member views, of a variable and of a dynamic object.
  EXPECT_EQ(SIGNAL_EVENTS.member<&event_counts::events>().read_current(), pair_increments);
  EXPECT_EQ(made->member<&event_counts::events>().read_current(), 2 * pair_increments);
  // And the updates through a this_cpu_scope.
  EXPECT_EQ(SIGNAL_SCOPE.read_current(), 2 * pair_increments);
  EXPECT_EQ(SIGNAL_SCOPE_HOT.read_current(), 2 * pair_increments);
  EXPECT_EQ(made->member<&event_counts::polls>().read_current(), pair_increments);
  signal_dynamic = nullptr;
}

// read_current_stable reads anew after every compiler barrier: the loop sees the handler's
// increments between its barriers, never a value from before one (the stable reads of one batch
// may be merged; a batch ends with a barrier), and the last read after the storm is exact.
TEST(Concurrency, StableReadsSeeUpdatesAcrossBarriers) {
  if (TEST_SIGNALS_DEFERRED)
    GTEST_SKIP() << "ThreadSanitizer delivers signals only at its own calls";
  uint64_t last = 0, advanced = 0;
  const uint64_t taken = under_signal_storm([&] {
    for (int i = 0; i < 10'000; ++i) {
      const uint64_t seen = SIGNAL_COUNTER.read_current_stable();
      asm volatile("" ::: "memory");  // what a guard's boundary does
      EXPECT_GE(seen, last);
      advanced += seen > last;
      last = seen;
    }
  });
  EXPECT_GT(advanced, 0u) << "no read saw a handler's increment";
  asm volatile("" ::: "memory");
  EXPECT_EQ(SIGNAL_COUNTER.read_current_stable(), taken);
}

// The loop drains the counter with xchg_current(0) while the handler increments it: every
// increment is drained exactly once. An exchange that a signal could split between its read and
// its write (x86_64 does a read and an unlocked cmpxchg loop) would drop the increments that land
// in between.
TEST(Concurrency, SignalHandlerUpdatesAreNeverLostByAnExchange) {
  if (TEST_SIGNALS_DEFERRED)
    GTEST_SKIP() << "ThreadSanitizer delivers signals only at its own calls";
  uint64_t drained = 0;
  const uint64_t taken = under_signal_storm([&] {
    for (int i = 0; i < 10'000; ++i) drained += SIGNAL_COUNTER.xchg_current(0);
  });
  EXPECT_EQ(drained + SIGNAL_COUNTER.read_current(), taken);
}

}  // namespace
