// SPDX-License-Identifier: MIT OR Apache-2.0
// Dynamic per-CPU objects: creation, every accessor and view, threads as CPUs, exhaustion,
// fragmentation and reuse, an allocate/free storm from every thread and from a signal handler,
// bad input, and the owner's move and free.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <percpu.hpp>
#include <random>
#include <thread>
#include <vector>

#include "../common/rmw_checks.hpp"
#include "test_support.hpp"

namespace {

constexpr size_t reserve = PERCPU_TEST_DYNAMIC_SIZE;

struct net_stats {
  uint64_t rx;
  uint64_t tx;
  uint32_t errors[4];
};

template <size_t Size>
struct blob {
  unsigned char bytes[Size];
};

struct alignas(256) aligned_256 {
  uint64_t word;
};

struct alignas(8192) over_aligned {
  uint64_t word;
};

class Dynamic : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(percpu::init_in_place());
    percpu::init_percpu_reg(0);
    // Every test frees what it created: the whole reserve is free again.
    ASSERT_EQ(percpu::dynamic_bytes_free(), reserve);
  }
  void TearDown() override { EXPECT_EQ(percpu::dynamic_bytes_free(), reserve); }
};

TEST_F(Dynamic, EveryCpuStartsWithTheInitialValue) {
  auto made = percpu::dynamic<uint64_t>::create(0x5eed);
  ASSERT_TRUE(made) << percpu::to_string(made.error());
  const percpu::dynamic<uint64_t> seed = std::move(*made);
  auto zeroed = percpu::dynamic<net_stats>::create();
  ASSERT_TRUE(zeroed);
  for (size_t cpu = 0; cpu < percpu::cpu_count(); ++cpu) {
    EXPECT_EQ(seed.read_remote(cpu), 0x5eedu);
    EXPECT_EQ(zeroed->remote_ref_raw(cpu).tx, 0u);
    EXPECT_EQ(zeroed->remote_ref_raw(cpu).errors[3], 0u);
  }
  EXPECT_EQ(seed.read_current(), 0x5eedu);
  EXPECT_EQ(percpu::dynamic_bytes_free(), reserve - 8 - sizeof(net_stats));
}

TEST_F(Dynamic, CopiesSitAtTheirOffsetInEveryArea) {
  auto a = *percpu::dynamic<uint32_t>::create(1);
  auto b = *percpu::dynamic<uint32_t>::create(2);
  EXPECT_NE(a.offset(), b.offset());
  EXPECT_GE(a.offset(), percpu::percpu_area_size());  // after every variable
  EXPECT_LT(a.offset() + sizeof(uint32_t), percpu::percpu_area_layout_expected(1).size);
  for (size_t cpu = 0; cpu < percpu::cpu_count(); ++cpu) {
    EXPECT_EQ(reinterpret_cast<uintptr_t>(a.remote_ptr(cpu)),
              percpu::percpu_area_base(cpu) + a.offset());
  }
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a.current_ptr()), percpu::percpu_area_base(0) + a.offset());
  EXPECT_EQ(a.symbol_vma(), percpu::detail::image_vma() + a.offset());
}

TEST_F(Dynamic, EveryReadModifyWriteAtEveryWidth) {
  std::vector<std::string> failures;
  const auto check = [&failures](bool ok, const char* what) {
    if (!ok) failures.emplace_back(what);
  };
  rmw_checks::run(*percpu::dynamic<uint8_t>::create(7), check);
  rmw_checks::run(*percpu::dynamic<int16_t>::create(-3), check);
  rmw_checks::run(*percpu::dynamic<uint32_t>::create(), check);
  rmw_checks::run(*percpu::dynamic<int64_t>::create(1), check);
  EXPECT_TRUE(failures.empty()) << failures.front();
}

TEST_F(Dynamic, PlainAccessorsAndExchangesOnAnyWord) {
  auto value = *percpu::dynamic<uint64_t>::create(3);
  value.write_current(4);
  EXPECT_EQ(value.read_current_raw(), 4u);
  value.write_current_raw(5);
  EXPECT_EQ(value.with_current([](uint64_t& copy) { return ++copy; }), 6u);
  EXPECT_EQ(value.current_ref_raw(), 6u);
  EXPECT_EQ(value.read_remote(1), 3u);  // other CPUs' copies are untouched
  value.write_remote(1, 9);
  EXPECT_EQ(value.remote_ref_raw(1), 9u);

  int target = 0;
  auto pointer = *percpu::dynamic<int*>::create(&target);
  EXPECT_EQ(pointer.xchg_current(nullptr), &target);
  EXPECT_EQ(pointer.read_current(), nullptr);
  int* expected = nullptr;
  EXPECT_TRUE(pointer.try_cmpxchg_current(expected, &target));
  EXPECT_EQ(pointer.read_remote(2), &target);
}

TEST_F(Dynamic, MemberAndElementViews) {
  auto stats = *percpu::dynamic<net_stats>::create(net_stats{10, 20, {1, 2, 3, 4}});
  const auto tx = stats.member<&net_stats::tx>();
  tx.add_current(5);
  EXPECT_EQ(tx.read_current(), 25u);
  stats.member<&net_stats::errors>().at(2).inc_current();
  EXPECT_EQ(stats.current_ref_raw().errors[2], 4u);
  EXPECT_EQ(stats.current_ref_raw().errors[1], 2u);
  EXPECT_EQ(stats.current_ref_raw().rx, 10u);
  EXPECT_EQ(tx.read_remote(3), 20u);
  EXPECT_EQ(tx.offset(), stats.offset() + sizeof(uint64_t));

  auto slots = *percpu::dynamic<uint64_t[8]>::create();
  volatile size_t index = 5;  // known only at run time
  slots.at(index).write_current(50);
  slots.at(1).dec_current();
  EXPECT_EQ(slots.current_ref_raw()[5], 50u);
  EXPECT_EQ(slots.current_ref_raw()[1], ~uint64_t{0});
  EXPECT_EQ(slots.current_ref_raw()[4], 0u);
}

TEST_F(Dynamic, AlignedObjectsAreAlignedOnEveryCpu) {
  auto small = *percpu::dynamic<uint8_t>::create(1);  // puts the next one off its first granule
  auto block = percpu::dynamic<aligned_256>::create(aligned_256{42});
  ASSERT_TRUE(block);
  for (size_t cpu = 0; cpu < percpu::cpu_count(); ++cpu) {
    EXPECT_EQ(reinterpret_cast<uintptr_t>(block->remote_ptr(cpu)) % 256, 0u);
    EXPECT_EQ(block->remote_ref_raw(cpu).word, 42u);
  }
}

TEST_F(Dynamic, ThreadsAsCpusCountInTheirOwnCopies) {
  const size_t cpus = percpu::cpu_count();
  constexpr uint64_t increments = 200'000;
  auto count = *percpu::dynamic<uint64_t>::create(0);
  auto stats = *percpu::dynamic<net_stats>::create();
  const auto rx = stats.member<&net_stats::rx>();
  std::vector<std::thread> threads;
  for (size_t cpu = 0; cpu < cpus; ++cpu) {
    threads.emplace_back([cpu, &count, rx] {
      percpu::init_percpu_reg(cpu);
      for (uint64_t i = 0; i < increments * (cpu + 1); ++i) {
        count.inc_current();
        rx.add_current(2);
      }
    });
  }
  while (count.sum() < increments) {
    EXPECT_LE(count.sum(), increments * cpus * (cpus + 1) / 2);  // race-free while counting
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(count.sum(), increments * cpus * (cpus + 1) / 2);
  count.for_each_cpu([](size_t cpu, uint64_t& copy) { EXPECT_EQ(copy, increments * (cpu + 1)); });
  size_t cpu = 0;
  for (const net_stats& copy : stats.all_cpus()) {
    EXPECT_EQ(copy.rx, 2 * increments * (cpu + 1));
    EXPECT_EQ(copy.tx, 0u);
    ++cpu;
  }
  EXPECT_EQ(cpu, cpus);
}

TEST_F(Dynamic, ExhaustionThenReuse) {
  std::vector<percpu::dynamic<uint64_t>> all;
  for (;;) {
    auto made = percpu::dynamic<uint64_t>::create(all.size());
    if (!made) {
      EXPECT_EQ(made.error(), percpu::alloc_error::no_space);
      break;
    }
    all.push_back(std::move(*made));
  }
  EXPECT_EQ(all.size(), reserve / 8);
  EXPECT_EQ(percpu::dynamic_bytes_free(), 0u);
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].read_remote(3), i);  // no overlap
  all.pop_back();
  all.erase(all.begin() + 3);
  EXPECT_EQ(percpu::dynamic_bytes_free(), 16u);
  EXPECT_TRUE(percpu::dynamic<uint64_t>::create());
  EXPECT_TRUE(percpu::dynamic<uint64_t>::create());
  all.clear();
  // All of it comes back as one run.
  EXPECT_TRUE(percpu::dynamic<blob<reserve>>::create());
}

// One object of one of four sizes and alignments, by `kind`.
struct any_object {
  percpu::dynamic<blob<8>> small;
  percpu::dynamic<blob<24>> medium;
  percpu::dynamic<aligned_256> aligned;
  percpu::dynamic<blob<200>> large;
  bool held = false;
};

any_object create_kind(size_t kind) {
  any_object made;
  const auto take = [&made](auto& slot, auto result) {
    made.held = static_cast<bool>(result);
    if (result) slot = std::move(*result);
  };
  switch (kind % 4) {
    case 0:
      take(made.small, percpu::dynamic<blob<8>>::create());
      break;
    case 1:
      take(made.medium, percpu::dynamic<blob<24>>::create());
      break;
    case 2:
      take(made.aligned, percpu::dynamic<aligned_256>::create());
      break;
    default:
      take(made.large, percpu::dynamic<blob<200>>::create());
  }
  return made;
}

// Allocate sizes and alignments until nothing fits, free every other object, allocate the same
// sizes again into the holes: every one fits, and everything freed adds up to the whole reserve.
TEST_F(Dynamic, FreedSpaceIsReusedWithoutLeaks) {
  for (size_t round = 0; round < 3; ++round) {
    std::vector<any_object> objects;
    for (size_t kind = round;; ++kind) {
      any_object made = create_kind(kind);
      if (!made.held) break;
      objects.push_back(std::move(made));
    }
    ASSERT_GT(objects.size(), 8u);
    for (size_t i = 0; i < objects.size(); i += 2) objects[i] = any_object{};
    for (size_t i = 0; i < objects.size(); i += 2) {
      objects[i] = create_kind(round + i);
      EXPECT_TRUE(objects[i].held) << "object " << i << " of round " << round;
    }
    objects.clear();
    EXPECT_EQ(percpu::dynamic_bytes_free(), reserve);
  }
}

TEST_F(Dynamic, MovingHandsOverAndFreeing) {
  auto first = *percpu::dynamic<uint64_t>::create(1);
  const uintptr_t offset = first.offset();
  percpu::dynamic<uint64_t> second = std::move(first);
  EXPECT_EQ(second.offset(), offset);
  EXPECT_EQ(percpu::dynamic_bytes_free(), reserve - 8);
  second = *percpu::dynamic<uint64_t>::create(2);  // frees the first object
  EXPECT_EQ(percpu::dynamic_bytes_free(), reserve - 8);
  EXPECT_EQ(second.read_current(), 2u);
  {
    const auto scoped = percpu::dynamic<uint64_t>::create(3);
    EXPECT_EQ(percpu::dynamic_bytes_free(), reserve - 16);
  }
  EXPECT_EQ(percpu::dynamic_bytes_free(), reserve - 8);
  static_assert(sizeof(percpu::dynamic<net_stats>) == sizeof(void*));
}

TEST_F(Dynamic, BadInputGetsAnError) {
  const auto too_large = percpu::dynamic<blob<reserve + 8>>::create();
  ASSERT_FALSE(too_large);
  EXPECT_EQ(too_large.error(), percpu::alloc_error::too_large);
  EXPECT_STREQ(percpu::to_string(too_large.error()),
               "the object is larger than the dynamic per-CPU reserve");
  // Aligned beyond the areas (the suite's areas are 4096-aligned, for its alignas(4096)
  // variable): no CPU's copy could be.
  ASSERT_LE(percpu::percpu_area_layout_expected(1).align, alignof(over_aligned) / 2);
  const auto misaligned = percpu::dynamic<over_aligned>::create();
  ASSERT_FALSE(misaligned);
  EXPECT_EQ(misaligned.error(), percpu::alloc_error::over_aligned);
  const auto full = percpu::dynamic<blob<reserve>>::create();
  ASSERT_TRUE(full);
  const auto one_more = percpu::dynamic<uint8_t>::create();
  ASSERT_FALSE(one_more);
  EXPECT_EQ(one_more.error(), percpu::alloc_error::no_space);
}

// A re-init zeroes every area's reserve: the objects stay allocated, their copies read 0.
TEST_F(Dynamic, ReinitZeroesLiveObjectsCopies) {
  auto value = *percpu::dynamic<uint64_t>::create(77);
  ASSERT_TRUE(percpu::init_in_place());
  percpu::init_percpu_reg(0);
  EXPECT_EQ(value.sum(), 0u);
  value.write_current(5);
  EXPECT_EQ(value.read_remote(0), 5u);
}

// Areas in caller memory (init(base, n)) have the reserve too: percpu_area_layout_expected counts
// it.
TEST_F(Dynamic, AreasInCallerMemoryHaveTheReserve) {
  const size_t cpus = 2;
  const auto layout = percpu::percpu_area_layout_expected(cpus);
  EXPECT_GE(layout.size, cpus * (percpu::percpu_area_size() + reserve));
  test::aligned_block block(layout);
  ASSERT_NE(block.get(), nullptr);
  ASSERT_EQ(percpu::init(block.get(), cpus), percpu::init_result(cpus));
  percpu::init_percpu_reg(1);
  {
    auto value = *percpu::dynamic<blob<reserve>>::create();
    value.current_ref_raw().bytes[reserve - 1] = 9;
    const uintptr_t end = reinterpret_cast<uintptr_t>(block.get()) + layout.size;
    EXPECT_LE(reinterpret_cast<uintptr_t>(value.remote_ptr(1) + 1), end);
    EXPECT_EQ(value.remote_ref_raw(1).bytes[reserve - 1], 9);
  }
  ASSERT_TRUE(percpu::init_in_place());
}

// Every thread allocates and frees objects of several sizes, each with its own pattern in every
// CPU's copy: two objects that shared a granule would break one's pattern.
TEST_F(Dynamic, AllocateAndFreeStormFromEveryThread) {
  const size_t cpus = percpu::cpu_count();
  constexpr int rounds = 20'000;
  std::atomic<uint64_t> created{0};
  std::atomic<uint64_t> broken{0};
  std::vector<std::thread> threads;
  for (size_t cpu = 0; cpu < cpus; ++cpu) {
    threads.emplace_back([cpu, cpus, &created, &broken] {
      percpu::init_percpu_reg(cpu);
      std::mt19937 random(static_cast<unsigned>(cpu));
      std::vector<std::pair<percpu::dynamic<blob<40>>, uint8_t>> held;
      for (int round = 0; round < rounds; ++round) {
        const auto pattern = static_cast<uint8_t>(random());
        blob<40> initial;
        for (auto& byte : initial.bytes) byte = pattern;
        if (auto made = percpu::dynamic<blob<40>>::create(initial)) {
          held.emplace_back(std::move(*made), pattern);
          created.fetch_add(1, std::memory_order_relaxed);
        }
        if (held.size() > 4 || (random() & 1)) {
          const size_t victim = random() % held.size();
          for (size_t other = 0; other < cpus; ++other) {
            for (auto byte : held[victim].first.remote_ref_raw(other).bytes) {
              if (byte != held[victim].second) broken.fetch_add(1, std::memory_order_relaxed);
            }
          }
          held.erase(held.begin() + static_cast<ptrdiff_t>(victim));
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(broken.load(), 0u);
  EXPECT_GT(created.load(), uint64_t{rounds} * cpus / 2);
}

volatile sig_atomic_t handler_created = 0;
volatile sig_atomic_t handler_broken = 0;
volatile sig_atomic_t signals_taken = 0;

// Interrupt context: allocate, check the copies, free, in the middle of the thread's own
// allocations and frees.
void allocate_in_handler(int) {
  if (auto made = percpu::dynamic<uint64_t>::create(0xfeed)) {
    handler_created = handler_created + 1;
    if (made->read_remote(1) != 0xfeed || made->read_current() != 0xfeed) {
      handler_broken = handler_broken + 1;
    }
  }
  signals_taken = signals_taken + 1;
}

TEST_F(Dynamic, AllocationsFromASignalHandlerAmidTheThreadsOwn) {
  if (TEST_SIGNALS_DEFERRED)
    GTEST_SKIP() << "ThreadSanitizer delivers signals only at its own calls";
  test::signal_storm storm(allocate_in_handler, 20'000);  // every 20 us
  ASSERT_TRUE(storm.armed());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  uint64_t broken = 0;
  while (signals_taken < 1000 && std::chrono::steady_clock::now() < deadline) {
    auto a = percpu::dynamic<blob<24>>::create(blob<24>{{1, 2, 3}});
    auto b = percpu::dynamic<uint64_t>::create(0xb);
    broken += !a || !b || a->remote_ref_raw(2).bytes[2] != 3 || b->read_remote(3) != 0xb;
  }
  storm.stop();
  EXPECT_GE(signals_taken, 1000) << "the timer stalled";
  EXPECT_EQ(broken, 0u);
  EXPECT_EQ(handler_broken, 0);
  EXPECT_EQ(handler_created, signals_taken);  // nearly all of the reserve is free
}

TEST(DynamicDeathTest, UseAfterMoveAndDoubleFreeHitTheAssertHook) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  ASSERT_TRUE(percpu::init_in_place());
  percpu::init_percpu_reg(0);
  EXPECT_DEATH(
      {
        auto owner = *percpu::dynamic<uint64_t>::create(1);
        auto taker = std::move(owner);
        owner.inc_current();
      },
      "percpu: dynamic object used after it was freed or moved from");
  EXPECT_DEATH(
      {
        // A byte copy of an owner (two owners of one object): the second free is caught.
        alignas(percpu::dynamic<uint64_t>) unsigned char twin[sizeof(percpu::dynamic<uint64_t>)];
        auto owner = *percpu::dynamic<uint64_t>::create(1);
        std::memcpy(twin, &owner, sizeof owner);
        owner = percpu::dynamic<uint64_t>();
        reinterpret_cast<percpu::dynamic<uint64_t>*>(twin)->~dynamic();
      },
      "percpu: dynamic object freed twice");
}

}  // namespace
