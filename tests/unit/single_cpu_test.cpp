// SPDX-License-Identifier: MIT OR Apache-2.0
// Single-CPU mode (PERCPU_SINGLE_CPU=1, the Rust crate's sp-naive): same API, plain globals.
#include <gtest/gtest.h>

#include <cstdint>
#include <percpu.hpp>

namespace {

struct point {
  int x;
  int y;
};

PERCPU_DEFINE(uint64_t, COUNTER, 40);
PERCPU_DEFINE(point, ORIGIN, 1, 2);

TEST(SingleCpu, InitReportsOneCpuAndAccessorsActOnTheGlobal) {
  EXPECT_EQ(percpu::init_in_place(), percpu::init_result(1));
  EXPECT_EQ(percpu::init(nullptr, 1), percpu::init_result(1));
  percpu::init_percpu_reg(0);
  EXPECT_EQ(percpu::read_percpu_reg(), 0u);

  EXPECT_EQ(COUNTER.read_current(), 40u);
  COUNTER.inc_current();
  COUNTER.add_current(2);
  EXPECT_EQ(COUNTER.add_return_current(1), 44u);
  EXPECT_EQ(COUNTER.xchg_current(7), 44u);
  EXPECT_EQ(COUNTER.cmpxchg_current(7, 9), 7u);
  EXPECT_EQ(*COUNTER.remote_ptr(0), 9u);
  EXPECT_EQ(COUNTER.current_ptr(), COUNTER.remote_ptr(0));
  EXPECT_EQ(reinterpret_cast<uintptr_t>(COUNTER.current_ptr()), COUNTER.symbol_vma());
  COUNTER.reset_to_init();
  EXPECT_EQ(COUNTER.read_current(), 40u);

  ORIGIN.with_current([](point& p) { p.x = 10; });
  EXPECT_EQ(ORIGIN.read_current().x, 10);
  ORIGIN.reset_to_init();
  EXPECT_EQ(ORIGIN.read_current().x, 1);
  EXPECT_EQ(ORIGIN.read_current().y, 2);
}

TEST(SingleCpu, WholeMachineViewsSeeOneCopy) {
  EXPECT_EQ(percpu::cpu_count(), 1u);
  COUNTER.write_current(5);
  EXPECT_EQ(COUNTER.sum(), 5u);
  EXPECT_EQ(COUNTER.read_remote(0), 5u);
  COUNTER.write_remote(0, 6);
  size_t copies = 0;
  for (uint64_t& copy : COUNTER.all_cpus()) {
    EXPECT_EQ(copy, 6u);
    ++copies;
  }
  EXPECT_EQ(copies, 1u);
  COUNTER.for_each_cpu([](size_t cpu, uint64_t& copy) {
    EXPECT_EQ(cpu, 0u);
    EXPECT_EQ(&copy, COUNTER.current_ptr());
  });
  COUNTER.reset_to_init();
}

// Dynamic objects and counters come from one static reserve (PERCPU_SINGLE_CPU_DYNAMIC_SIZE).
TEST(SingleCpu, DynamicObjectsAndCounters) {
  const size_t free_before = percpu::dynamic_bytes_free();
  EXPECT_EQ(free_before, size_t{PERCPU_SINGLE_CPU_DYNAMIC_SIZE});
  {
    auto made = percpu::dynamic<point>::create(point{3, 4});
    ASSERT_TRUE(made);
    const auto y = made->member<&point::y>();
    y.add_current(5);
    EXPECT_EQ(made->read_current().y, 9);
    EXPECT_EQ(y.sum(), 9);
    EXPECT_EQ(made->current_ptr(), made->remote_ptr(0));
    auto hits = *percpu::counter::create(2);
    hits.inc();
    hits.inc();
    hits.inc();
    EXPECT_EQ(hits.approximate(), 2);
    EXPECT_EQ(hits.sum(), 3);
    EXPECT_EQ(percpu::dynamic<char[PERCPU_SINGLE_CPU_DYNAMIC_SIZE]>::create().error(),
              percpu::alloc_error::no_space);
  }
  EXPECT_EQ(percpu::dynamic_bytes_free(), free_before);
}

TEST(SingleCpu, NoRegister) {
  EXPECT_STREQ(percpu::backend_name(), "single-cpu");
  EXPECT_STREQ(percpu::register_name(), "none");
  EXPECT_EQ(percpu::read_percpu_reg_raw(), 0u);
}

}  // namespace
