// SPDX-License-Identifier: MIT OR Apache-2.0
// Every scenario of the Rust crate's own test (in-place and caller-provided init, pointers,
// initial values, writes, with_current on a struct, reset_to_init, remote CPUs 1-3, bad bases).
#include <gtest/gtest.h>

#include <cstdlib>
#include <percpu.hpp>

#include "test_support.hpp"

namespace {

struct pair_struct {
  unsigned long foo;
  unsigned char bar;
};

PERCPU_DEFINE(bool, BOOL, true);
PERCPU_DEFINE(uint8_t, U8, 1);
PERCPU_DEFINE(uint16_t, U16, 2);
PERCPU_DEFINE(uint32_t, U32, 3);
PERCPU_DEFINE(uint64_t, U64, 4);
PERCPU_DEFINE(size_t, USIZE, 5);
PERCPU_DEFINE(pair_struct, STRUCT, 6, 7);

void check_local_pointers(uintptr_t base) {
  EXPECT_EQ(base + BOOL.offset(), reinterpret_cast<uintptr_t>(BOOL.current_ptr()));
  EXPECT_EQ(base + U8.offset(), reinterpret_cast<uintptr_t>(U8.current_ptr()));
  EXPECT_EQ(base + U16.offset(), reinterpret_cast<uintptr_t>(U16.current_ptr()));
  EXPECT_EQ(base + U32.offset(), reinterpret_cast<uintptr_t>(U32.current_ptr()));
  EXPECT_EQ(base + U64.offset(), reinterpret_cast<uintptr_t>(U64.current_ptr()));
  EXPECT_EQ(base + USIZE.offset(), reinterpret_cast<uintptr_t>(USIZE.current_ptr()));
  EXPECT_EQ(base + STRUCT.offset(), reinterpret_cast<uintptr_t>(STRUCT.current_ptr()));
}

void check_local_initial_values() {
  EXPECT_TRUE(BOOL.read_current());
  EXPECT_EQ(U8.read_current(), 1);
  EXPECT_EQ(U16.read_current(), 2);
  EXPECT_EQ(U32.read_current(), 3u);
  EXPECT_EQ(U64.read_current(), 4u);
  EXPECT_EQ(USIZE.read_current(), 5u);
  STRUCT.with_current([](pair_struct& s) {
    EXPECT_EQ(s.foo, 6u);
    EXPECT_EQ(s.bar, 7);
  });
}

void check_local_writes() {
  BOOL.write_current(false);
  U8.write_current(123);
  U16.write_current(0xabcd);
  U32.write_current(0xdeadbeef);
  U64.write_current(0xa2cea2cea2cea2ceull);
  USIZE.write_current(0xffff0000);
  STRUCT.with_current([](pair_struct& s) {
    s.foo = 0x2333;
    s.bar = 100;
  });
  EXPECT_FALSE(BOOL.read_current());
  EXPECT_EQ(U8.read_current(), 123);
  EXPECT_EQ(U16.read_current(), 0xabcd);
  EXPECT_EQ(U32.read_current(), 0xdeadbeefu);
  EXPECT_EQ(U64.read_current(), 0xa2cea2cea2cea2ceull);
  EXPECT_EQ(USIZE.read_current(), 0xffff0000u);
  EXPECT_EQ(STRUCT.with_current([](pair_struct& s) { return s.foo * 1000 + s.bar; }),
            0x2333u * 1000 + 100);
}

void reset_all() {
  BOOL.reset_to_init();
  U8.reset_to_init();
  U16.reset_to_init();
  U32.reset_to_init();
  U64.reset_to_init();
  USIZE.reset_to_init();
  STRUCT.reset_to_init();
}

void check_local(uintptr_t base) {
  check_local_pointers(base);
  check_local_initial_values();
  check_local_writes();
  reset_all();
  check_local_initial_values();
}

void check_remote(size_t cpu) {
  EXPECT_TRUE(*BOOL.remote_ptr(cpu));
  EXPECT_EQ(*U8.remote_ptr(cpu), 1);
  EXPECT_EQ(*U16.remote_ptr(cpu), 2);
  EXPECT_EQ(*U32.remote_ptr(cpu), 3u);
  EXPECT_EQ(*U64.remote_ptr(cpu), 4u);
  EXPECT_EQ(*USIZE.remote_ptr(cpu), 5u);
  EXPECT_EQ(STRUCT.remote_ptr(cpu)->foo, 6u);
  EXPECT_EQ(STRUCT.remote_ptr(cpu)->bar, 7);

  BOOL.remote_ref_raw(cpu) = false;
  U8.remote_ref_raw(cpu) = 222;
  U16.remote_ref_raw(cpu) = 0x1234;
  U32.remote_ref_raw(cpu) = 0xf00df00d;
  U64.remote_ref_raw(cpu) = 0xfeedfeedfeedfeedull;
  USIZE.remote_ref_raw(cpu) = 0x0000ffff;
  STRUCT.remote_ref_raw(cpu) = pair_struct{0x2333, 100};
  EXPECT_FALSE(*BOOL.remote_ptr(cpu));
  EXPECT_EQ(*U8.remote_ptr(cpu), 222);
  EXPECT_EQ(*U16.remote_ptr(cpu), 0x1234);
  EXPECT_EQ(*U32.remote_ptr(cpu), 0xf00df00du);
  EXPECT_EQ(*U64.remote_ptr(cpu), 0xfeedfeedfeedfeedull);
  EXPECT_EQ(*USIZE.remote_ptr(cpu), 0x0000ffffu);
  EXPECT_EQ(STRUCT.remote_ptr(cpu)->foo, 0x2333u);
  EXPECT_EQ(STRUCT.remote_ptr(cpu)->bar, 100);
  // The calling CPU's copy is a different object and kept its value.
  EXPECT_EQ(U64.read_current(), 4u);
}

// PERCPU_TEST_HOSTED_AREAS: the count CMake was configured with (PERCPU_HOSTED_AREAS).
TEST(SeedPort, MultiCoreInPlace) {
  ASSERT_EQ(percpu::init_in_place(), percpu::init_result(size_t{PERCPU_TEST_HOSTED_AREAS}));
  percpu::init_percpu_reg(0);
  const uintptr_t base = percpu::read_percpu_reg();
  EXPECT_EQ(base, percpu::percpu_area_base(0));
  EXPECT_EQ(percpu::percpu_area_num(), size_t{PERCPU_TEST_HOSTED_AREAS});
  check_local(base);
  for (size_t cpu = 1; cpu < percpu::percpu_area_num(); ++cpu) check_remote(cpu);
}

TEST(SeedPort, MultiCoreDynamic) {
  const auto layout = percpu::percpu_area_layout_expected(4);
  test::aligned_block block(layout);
  ASSERT_EQ(percpu::init(block.get(), 4), percpu::init_result(4));
  percpu::init_percpu_reg(0);
  const uintptr_t base = percpu::read_percpu_reg();
  EXPECT_EQ(base, reinterpret_cast<uintptr_t>(block.get()));
  EXPECT_EQ(percpu::percpu_area_base(0), base);
  check_local(base);
  for (size_t cpu = 1; cpu < 4; ++cpu) check_remote(cpu);
}

TEST(SeedPort, InitRejectsInvalidBase) {
  const auto null_result = percpu::init(nullptr, 1);
  ASSERT_FALSE(null_result);
  EXPECT_EQ(null_result.error(), percpu::init_error::invalid_base);

  test::aligned_block block(percpu::percpu_area_layout_expected(1));
  const auto unaligned = percpu::init(static_cast<char*>(block.get()) + 1, 1);
  ASSERT_FALSE(unaligned);
  EXPECT_EQ(unaligned.error(), percpu::init_error::unaligned_base);
}

}  // namespace
