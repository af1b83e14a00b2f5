// SPDX-License-Identifier: MIT OR Apache-2.0
// Counters: folding at the batch, exact sums, the documented error bound of approximate() at
// every sample while threads (and a signal handler) add, static and dynamic counters, bad input.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <percpu.hpp>
#include <random>
#include <thread>
#include <vector>

#include "test_support.hpp"

namespace {

PERCPU_DEFINE_COUNTER(STATIC_HITS, 8);
PERCPU_DEFINE_COUNTER(STORM_HITS, 16);

class Counter : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(percpu::init_in_place());
    percpu::init_percpu_reg(0);
  }
};

// |sum - approximate| <= CPUs x L x (batch - 1 + L x m) (counter.hpp).
int64_t error_bound(size_t cpus, int64_t nesting, int64_t batch, int64_t largest_add) {
  return static_cast<int64_t>(cpus) * nesting * (batch - 1 + nesting * largest_add);
}

// The total moves in whole folds, at +-batch, in either direction.
template <class C>
void check_folding(C& counter) {
  const int64_t batch = counter.batch();
  const int64_t start = counter.sum();
  const int64_t total = counter.approximate();
  for (int64_t i = 1; i < batch; ++i) counter.inc();
  EXPECT_EQ(counter.approximate(), total);
  counter.inc();
  EXPECT_EQ(counter.approximate(), total + batch);
  counter.add(-(batch - 1));
  EXPECT_EQ(counter.approximate(), total + batch);
  counter.dec();  // the delta reaches -batch
  EXPECT_EQ(counter.approximate(), total);
  counter.add(3 * batch);  // one add past the batch folds all of it
  EXPECT_EQ(counter.approximate(), total + 3 * batch);
  EXPECT_EQ(counter.sum(), start + 3 * batch);
}

TEST_F(Counter, StaticCounterFoldsAtItsBatch) {
  EXPECT_EQ(STATIC_HITS.batch(), 8);
  check_folding(STATIC_HITS);
}

TEST_F(Counter, DynamicCounterFoldsAtItsBatchAndFreesItsDelta) {
  const size_t free_before = percpu::dynamic_bytes_free();
  {
    auto made = percpu::counter::create(5);
    ASSERT_TRUE(made) << percpu::to_string(made.error());
    percpu::counter hits = std::move(*made);
    EXPECT_EQ(hits.batch(), 5);
    EXPECT_EQ(hits.sum(), 0);
    check_folding(hits);
    EXPECT_EQ(percpu::dynamic_bytes_free(), free_before - sizeof(int64_t));
  }
  EXPECT_EQ(percpu::dynamic_bytes_free(), free_before);
}

TEST_F(Counter, BatchOfOneFoldsEveryAdd) {
  auto hits = *percpu::counter::create(1);
  hits.add(7);
  hits.dec();
  EXPECT_EQ(hits.approximate(), 6);
  EXPECT_EQ(hits.sum(), 6);
}

TEST_F(Counter, BadBatchesAreRefused) {
  for (const int64_t batch : {int64_t{0}, int64_t{-4}, percpu::counter_max_batch + 1}) {
    const auto made = percpu::counter::create(batch);
    ASSERT_FALSE(made);
    EXPECT_EQ(made.error(), percpu::alloc_error::invalid_batch);
  }
  EXPECT_TRUE(percpu::counter::create(percpu::counter_max_batch));
}

// A random walk of adds of either sign on one CPU, other CPUs' deltas left where earlier adds
// put them: sum() is exact after every add, approximate() within the bound.
TEST_F(Counter, RandomWalkStaysWithinTheBound) {
  constexpr int64_t batch = 32;
  constexpr int64_t largest = 20;
  auto walk = *percpu::counter::create(batch);
  std::mt19937 random(7);
  int64_t expected = 0;
  const size_t cpus = percpu::cpu_count();
  for (int step = 0; step < 100'000; ++step) {
    if (step % 1000 == 0) percpu::init_percpu_reg(static_cast<size_t>(step / 1000) % cpus);
    const int64_t amount = static_cast<int64_t>(random() % (2 * largest + 1)) - largest;
    walk.add(amount);
    expected += amount;
    ASSERT_EQ(walk.sum(), expected) << "step " << step;
    ASSERT_LE(std::abs(expected - walk.approximate()), error_bound(cpus, 1, batch, largest))
        << "step " << step;
  }
  percpu::init_percpu_reg(0);
}

// Every thread adds positive amounts and publishes how much it has completed; a sampler checks
// approximate() against the completed amounts at every sample: never above what was added (all
// amounts are positive, and the total only receives added amounts), never further below what
// was completed than the bound.
template <class C>
void check_bound_while_every_cpu_adds(C& counter, int64_t largest) {
  const size_t cpus = percpu::cpu_count();
  constexpr int adds = 300'000;
  std::vector<std::atomic<int64_t>> completed(cpus);
  std::atomic<size_t> running{cpus};
  std::vector<std::thread> threads;
  for (size_t cpu = 0; cpu < cpus; ++cpu) {
    threads.emplace_back([cpu, largest, &counter, &completed, &running] {
      percpu::init_percpu_reg(cpu);
      std::mt19937 random(static_cast<unsigned>(cpu));
      int64_t done = 0;
      for (int i = 0; i < adds; ++i) {
        const int64_t amount = 1 + static_cast<int64_t>(random() % static_cast<unsigned>(largest));
        counter.add(amount);
        done += amount;
        completed[cpu].store(done, std::memory_order_release);
      }
      running.fetch_sub(1);
    });
  }
  const int64_t bound = error_bound(cpus, 1, counter.batch(), largest);
  uint64_t samples = 0;
  while (running.load() != 0) {
    int64_t before = 0;
    for (auto& amount : completed) before += amount.load(std::memory_order_acquire);
    const int64_t approximate = counter.approximate();
    int64_t after = 0;
    for (auto& amount : completed) after += amount.load(std::memory_order_acquire);
    // An add in progress may already be in the total: at most one per CPU.
    ASSERT_LE(approximate, after + static_cast<int64_t>(cpus) * largest);
    ASSERT_GE(approximate, before - bound);
    ++samples;
  }
  for (auto& thread : threads) thread.join();
  int64_t total = 0;
  for (auto& amount : completed) total += amount.load();
  EXPECT_EQ(counter.sum(), total);
  EXPECT_LE(total - counter.approximate(), bound);
  EXPECT_GT(samples, 0u);
}

TEST_F(Counter, BoundHoldsAtEverySampleWhileEveryCpuAddsDynamic) {
  auto hits = *percpu::counter::create(64);
  check_bound_while_every_cpu_adds(hits, 5);
}

TEST_F(Counter, BoundHoldsAtEverySampleWhileEveryCpuAddsStatic) {
  // The static counter keeps what earlier tests added: count from there.
  struct shifted {
    int64_t base;
    decltype(STATIC_HITS)& counter;
    void add(int64_t amount) { counter.add(amount); }
    int64_t approximate() const { return counter.approximate() - base; }
    int64_t sum() const { return counter.sum() - base; }
    int64_t batch() const { return counter.batch(); }
  } from_zero{STATIC_HITS.approximate(), STATIC_HITS};
  check_bound_while_every_cpu_adds(from_zero, 3);
}

percpu::counter* storm_counter = nullptr;
percpu::dynamic<uint64_t>* storm_object = nullptr;
volatile sig_atomic_t storm_signals = 0;

void add_in_handler(int) {
  storm_counter->inc();
  STORM_HITS.add(3);
  storm_object->inc_current();
  storm_signals = storm_signals + 1;
}

// The SIGALRM storm: the handler adds to a dynamic counter, a static counter and a dynamic
// object that the interrupted loop adds to as well, folds included (batch 16): not one update
// may be lost, and approximate() stays within the bound for two nesting levels.
TEST_F(Counter, SignalHandlerAddsAreNeverLost) {
  if (TEST_SIGNALS_DEFERRED)
    GTEST_SKIP() << "ThreadSanitizer delivers signals only at its own calls";
  auto hits = *percpu::counter::create(16);
  auto object = *percpu::dynamic<uint64_t>::create(0);
  storm_counter = &hits;
  storm_object = &object;
  const int64_t static_start = STORM_HITS.sum();
  percpu::init_percpu_reg(1);

  test::signal_storm storm(add_in_handler, 20'000);  // every 20 us
  ASSERT_TRUE(storm.armed());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int64_t loops = 0;
  const int64_t bound = error_bound(percpu::cpu_count(), 2, 16, 3);
  int64_t worst = 0;
  while (storm_signals < 2000 && std::chrono::steady_clock::now() < deadline) {
    for (int i = 0; i < 1000; ++i) {
      hits.add(2);
      STORM_HITS.add(2);
      object.add_current(2);
    }
    loops += 1000;
    worst = std::max(worst, hits.sum() - hits.approximate());
  }
  storm.stop();

  const int64_t taken = storm_signals;
  EXPECT_GE(taken, 2000) << "the timer stalled";
  EXPECT_EQ(hits.sum(), 2 * loops + taken);
  EXPECT_EQ(STORM_HITS.sum() - static_start, 2 * loops + 3 * taken);
  EXPECT_EQ(object.read_current(), static_cast<uint64_t>(2 * loops + taken));
  EXPECT_LE(worst, bound);
  EXPECT_LE(hits.sum() - hits.approximate(), bound);
  percpu::init_percpu_reg(0);
}

}  // namespace
