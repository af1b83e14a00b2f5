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

TEST(SingleCpu, NoRegister) {
  EXPECT_STREQ(percpu::backend_name(), "single-cpu");
  EXPECT_STREQ(percpu::register_name(), "none");
  EXPECT_EQ(percpu::read_percpu_reg_raw(), 0u);
}

}  // namespace
