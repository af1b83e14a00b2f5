// SPDX-License-Identifier: MIT OR Apache-2.0
// One per-CPU variable used from two translation units.
#include <gtest/gtest.h>

#include "shared_counter.hpp"

namespace {

TEST(MultiTranslationUnit, BothUnitsSeeTheSameCopy) {
  ASSERT_TRUE(percpu::init_in_place());
  percpu::init_percpu_reg(1);
  EXPECT_EQ(shared_counter.read_current(), 1000u);
  bump_shared_counter_in_other_tu();
  shared_counter.add_current(10);
  bump_shared_counter_in_other_tu();
  EXPECT_EQ(shared_counter.read_current(), 1012u);
  EXPECT_EQ(*shared_counter.remote_ptr(1), 1012u);
  EXPECT_EQ(*shared_counter.remote_ptr(0), 1000u);
}

TEST(MultiTranslationUnit, HotVariablesComeFirstInTheArea) {
  ASSERT_TRUE(percpu::init_in_place());
  percpu::init_percpu_reg(3);
  EXPECT_EQ(shared_hot_flag.read_current(), 7u);
  shared_hot_flag.or_current(0x100);
  EXPECT_EQ(*shared_hot_flag.remote_ptr(3), 0x107u);
  EXPECT_LT(shared_hot_flag.offset(), shared_counter.offset());
  EXPECT_LT(shared_hot_flag.offset(), 2048u);
}

}  // namespace
