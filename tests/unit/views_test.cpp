// SPDX-License-Identifier: MIT OR Apache-2.0
// Element and member views: every accessor on one part of each CPU's copy, the other parts
// untouched; threads as CPUs; the index check.
#include <gtest/gtest.h>

#include <cstdint>
#include <percpu.hpp>
#include <thread>
#include <vector>

namespace {

struct net_stats {
  uint64_t rx;
  uint64_t tx;
  uint32_t errors[4];
};

PERCPU_DEFINE(uint64_t[8], SLOTS, 1, 2, 3, 4, 5, 6, 7, 8);
PERCPU_DEFINE(net_stats, NET, 10, 20, {1, 2, 3, 4});
PERCPU_DEFINE(net_stats[2], QUEUES, {100, 200, {}}, {300, 400, {}});

class Views : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(percpu::init_in_place());
    percpu::init_percpu_reg(0);
  }
};

TEST_F(Views, ElementViewReachesOneElementOfThisCpusCopy) {
  const auto third = SLOTS.at(2);
  EXPECT_EQ(third.read_current(), 3u);
  third.write_current(30);
  third.add_current(5);
  EXPECT_EQ(third.inc_return_current(), 36u);
  EXPECT_EQ(SLOTS.current_ref_raw()[2], 36u);
  EXPECT_EQ(SLOTS.current_ref_raw()[1], 2u);  // the neighbours are untouched
  EXPECT_EQ(SLOTS.current_ref_raw()[3], 4u);
  EXPECT_EQ(SLOTS.remote_ref_raw(1)[2], 3u);  // and so is another CPU's copy
  EXPECT_EQ(third.current_ptr(), &SLOTS.current_ref_raw()[2]);
  EXPECT_EQ(third.remote_ptr(1), &SLOTS.remote_ref_raw(1)[2]);
  EXPECT_EQ(third.offset(), SLOTS.offset() + 2 * sizeof(uint64_t));
}

TEST_F(Views, ARuntimeIndexReachesTheSameElement) {
  volatile size_t length = 8;  // an index the compiler cannot know
  for (size_t index = 0; index < length; ++index) {
    EXPECT_EQ(SLOTS.at(index).read_current(), index + 1);
    SLOTS.at(index).add_current(100);
    EXPECT_EQ(SLOTS.current_ref_raw()[index], index + 101);
  }
}

TEST_F(Views, MemberViewsAndViewsOfViews) {
  const auto tx = NET.member<&net_stats::tx>();
  EXPECT_EQ(tx.read_current(), 20u);
  EXPECT_EQ(tx.xchg_current(7), 20u);
  EXPECT_EQ(NET.current_ref_raw().tx, 7u);
  EXPECT_EQ(NET.current_ref_raw().rx, 10u);
  const auto third_error = NET.member<&net_stats::errors>().at(2);
  third_error.inc_current();
  EXPECT_EQ(NET.current_ref_raw().errors[2], 4u);
  EXPECT_EQ(NET.current_ref_raw().errors[1], 2u);
  const auto second_rx = QUEUES.at(1).member<&net_stats::rx>();
  EXPECT_EQ(second_rx.read_current(), 300u);
  second_rx.sub_current(1);
  EXPECT_EQ(QUEUES.current_ref_raw()[1].rx, 299u);
  EXPECT_EQ(QUEUES.current_ref_raw()[0].rx, 100u);
}

TEST_F(Views, EveryReadModifyWriteOnAnElement) {
  SLOTS.at(5).write_current(0);
  int failures = 0;
  const auto element = SLOTS.at(5);
  element.add_current(3);
  element.sub_current(1);
  element.or_current(8);
  element.and_current(12);
  element.xor_current(1);
  failures += element.read_current() != 9u;
  uint64_t expected = 9;
  failures += !element.try_cmpxchg_current(expected, 11);
  failures += element.cmpxchg_current(11, 12) != 11u;
  failures += element.dec_return_current() != 11u;
  EXPECT_EQ(failures, 0);
}

TEST_F(Views, WholeMachineViewsOfAMemberWhileEveryCpuCounts) {
  const size_t cpus = percpu::percpu_area_num();
  constexpr uint64_t increments = 100'000;
  const auto rx = NET.member<&net_stats::rx>();
  std::vector<std::thread> threads;
  for (size_t cpu = 0; cpu < cpus; ++cpu) {
    threads.emplace_back([cpu, rx] {
      percpu::init_percpu_reg(cpu);
      for (uint64_t i = 0; i < increments; ++i) rx.inc_current();
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(rx.sum(), cpus * (10 + increments));
  for (size_t cpu = 0; cpu < cpus; ++cpu) {
    EXPECT_EQ(rx.read_remote(cpu), 10 + increments);
    EXPECT_EQ(NET.remote_ref_raw(cpu).tx, 20u);
  }
}

TEST_F(Views, ArrayViewsCostNothingExtraToKeep) {
  // A view is a reference: copying one keeps naming the same element.
  const auto a = SLOTS.at(4);
  const auto b = a;
  a.write_current(44);
  EXPECT_EQ(b.read_current(), 44u);
  static_assert(sizeof(a) == sizeof(void*));
}

TEST(ViewsDeathTest, IndexOutOfRangeHitsTheAssertHook) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  ASSERT_TRUE(percpu::init_in_place());
  volatile size_t eight = 8;
  EXPECT_DEATH(SLOTS.at(eight), "percpu: array index out of range");
}

}  // namespace
