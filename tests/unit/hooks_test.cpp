// SPDX-License-Identifier: MIT OR Apache-2.0
// The customization points, configured by hooks_config.hpp: the assert hook (use before init,
// CPU ids out of range) and the preemption guard. Runs in a process of its own, so the first
// tests see the library before any init.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <percpu.hpp>
#include <thread>

#if defined(__SANITIZE_ADDRESS__)
#define TEST_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ADDRESS_SANITIZER 1
#endif
#endif
#ifndef TEST_ADDRESS_SANITIZER
#define TEST_ADDRESS_SANITIZER 0
#endif

namespace {

PERCPU_DEFINE(uint32_t, VALUE, 5);

using test::assert_failure;
using test::counting_guard;

// The reserved areas, from the API: the suite runs with any PERCPU_HOSTED_AREAS of 4 or more.
size_t areas() { return percpu::percpu_area_num(); }

TEST(AssertHook, UseBeforeInitIsReported) {
  EXPECT_THROW(percpu::percpu_area_base(0), assert_failure);
  EXPECT_THROW(percpu::init_percpu_reg(0), assert_failure);
  EXPECT_THROW(VALUE.remote_ptr(0), assert_failure);
  try {
    percpu::percpu_area_base(0);
  } catch (const assert_failure& failure) {
    EXPECT_STREQ(failure.what(), "percpu: per-CPU areas used before init");
  }
}

TEST(AssertHook, DynamicObjectsBeforeInitAreRefused) {
  const auto made = percpu::dynamic<uint64_t>::create(1);
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error(), percpu::alloc_error::not_initialised);
  EXPECT_THROW(static_cast<void>(made.value()), assert_failure);
  EXPECT_EQ(percpu::counter::create(4).error(), percpu::alloc_error::not_initialised);
}

TEST(AssertHook, CpuOutOfRangeIsReported) {
  ASSERT_EQ(percpu::init_in_place(), percpu::init_result(areas()));
  EXPECT_NO_THROW(VALUE.remote_ptr(areas() - 1));
  EXPECT_THROW(VALUE.remote_ptr(areas()), assert_failure);
  EXPECT_THROW(percpu::init_percpu_reg(areas() + 13), assert_failure);
}

// Runs after init but before any init_percpu_reg in this process: the main thread's GS base is
// still 0, so every current access would reach the image itself.
TEST(AssertHook, CurrentAccessBeforeInitPercpuRegIsReported) {
  ASSERT_EQ(percpu::init_in_place(), percpu::init_result(areas()));
  EXPECT_THROW(VALUE.read_current(), assert_failure);
  EXPECT_THROW(VALUE.write_current(99), assert_failure);
  EXPECT_THROW(VALUE.inc_current(), assert_failure);
  EXPECT_THROW(VALUE.cmpxchg_current(5, 6), assert_failure);
  EXPECT_THROW(VALUE.current_ptr(), assert_failure);
  EXPECT_STREQ(test::assert_hook::last_message,
               "percpu: this CPU's register does not point at an area: call "
               "init_percpu_reg(cpu) on every CPU after init");
  // Nothing was written: the image still holds the initial value, and init copies it.
  EXPECT_EQ(VALUE.initial_value(), 5u);
  ASSERT_EQ(percpu::init_in_place(), percpu::init_result(areas()));
  EXPECT_EQ(*VALUE.remote_ptr(0), 5u);
}

// A re-init at another base leaves every register on the old areas until init_percpu_reg.
TEST(AssertHook, ReinitAtANewBaseNeedsInitPercpuRegAgain) {
  ASSERT_EQ(percpu::init_in_place(), percpu::init_result(areas()));
  percpu::init_percpu_reg(1);
  VALUE.write_current(7);
  const auto layout = percpu::percpu_area_layout_expected(2);
  void* block = std::aligned_alloc(layout.align, layout.size);
  ASSERT_EQ(percpu::init(block, 2), percpu::init_result(2));
  EXPECT_THROW(VALUE.read_current(), assert_failure);
  EXPECT_THROW(VALUE.add_current(1), assert_failure);
  percpu::init_percpu_reg(1);
  EXPECT_EQ(VALUE.read_current(), 5u);
  EXPECT_EQ(VALUE.current_ptr(), VALUE.remote_ptr(1));
  EXPECT_EQ(reinterpret_cast<uintptr_t>(VALUE.remote_ptr(1)),
            reinterpret_cast<uintptr_t>(block) + layout.size / 2 + VALUE.offset());
  ASSERT_EQ(percpu::init_in_place(), percpu::init_result(areas()));
  percpu::init_percpu_reg(1);
  std::free(block);
}

TEST(AssertHook, WhenTheHookReturnsCallsGiveHarmlessValues) {
  ASSERT_EQ(percpu::init_in_place(), percpu::init_result(areas()));
  percpu::init_percpu_reg(2);
  test::assert_hook::returning = true;
  EXPECT_EQ(VALUE.remote_ptr(areas()), nullptr);
  EXPECT_STREQ(test::assert_hook::last_message, "percpu: CPU id out of range");
  EXPECT_EQ(percpu::percpu_area_base(areas() + 95), 0u);
  percpu::init_percpu_reg(areas() + 95);  // leaves the register alone
  test::assert_hook::returning = false;
  EXPECT_EQ(percpu::read_percpu_reg(), percpu::percpu_area_base(2));
}

// Use after move (or free) and a second free of the same object.
TEST(AssertHook, DynamicMisuseIsReported) {
  ASSERT_TRUE(percpu::init_in_place());
  percpu::init_percpu_reg(0);
  auto owner = *percpu::dynamic<uint64_t>::create(1);
  auto taker = std::move(owner);
  EXPECT_THROW(owner.read_current(), assert_failure);
  EXPECT_THROW(owner.inc_current(), assert_failure);
  EXPECT_THROW(owner.remote_ptr(1), assert_failure);
  EXPECT_STREQ(test::assert_hook::last_message,
               "percpu: dynamic object used after it was freed or moved from");
  EXPECT_EQ(taker.read_current(), 1u);
  const uintptr_t offset = taker.offset();
  taker = percpu::dynamic<uint64_t>();
  EXPECT_THROW(percpu::detail::reserve_free(offset, sizeof(uint64_t)), assert_failure);
  EXPECT_STREQ(test::assert_hook::last_message, "percpu: dynamic object freed twice");
  percpu::counter moved_from;
  EXPECT_THROW(moved_from.inc(), assert_failure);
}

TEST(AssertHook, ValueOfAnErrorIsReported) {
  const auto failed = percpu::init(nullptr, 1);
  EXPECT_THROW(static_cast<void>(failed.value()), assert_failure);
  EXPECT_THROW(static_cast<void>(percpu::init_result(3).error()), assert_failure);
}

TEST(Guard, GuardedAccessorsHoldTheGuardRawOnesDoNot) {
  ASSERT_TRUE(percpu::init_in_place());
  percpu::init_percpu_reg(0);
  counting_guard::entered = 0;

  VALUE.read_current_raw();
  VALUE.write_current_raw(6);
  VALUE.current_ptr();
  EXPECT_EQ(counting_guard::entered, 0);

  // read_current and write_current of a 4-byte variable are one instruction on x86_64 and take
  // no guard there (Guard.SingleInstructionOperationsNeedNoGuardOnX86); elsewhere they take it.
#if defined(__x86_64__)
  constexpr int guarded_read_write = 0;
#else
  constexpr int guarded_read_write = 1;
#endif
  EXPECT_EQ(VALUE.read_current(), 6u);
  EXPECT_EQ(counting_guard::entered, guarded_read_write);
  VALUE.write_current(7);
  EXPECT_EQ(counting_guard::entered, 2 * guarded_read_write);
  const int depth_inside = VALUE.with_current([](uint32_t& v) {
    v += 1;
    return counting_guard::depth;
  });
  EXPECT_EQ(depth_inside, 1);
  EXPECT_EQ(counting_guard::entered, 2 * guarded_read_write + 1);
  EXPECT_EQ(counting_guard::depth, 0);
  EXPECT_EQ(VALUE.read_current_raw(), 8u);
}

// A this_cpu_scope takes the guard once, for its whole life; its accessors take none of their own.
TEST(Guard, ThisCpuScopeHoldsTheGuardForItsWholeLife) {
  ASSERT_TRUE(percpu::init_in_place());
  percpu::init_percpu_reg(0);
  VALUE.write_current_raw(10);
  counting_guard::entered = 0;
  {
    percpu::this_cpu_scope scope;
    EXPECT_EQ(counting_guard::depth, 1);
    EXPECT_EQ(scope.read(VALUE), 10u);
    scope.write(VALUE, 20);
    scope.add(VALUE, 5);
    scope.sub(VALUE, 2);
    scope.inc(VALUE);
    scope.dec(VALUE);
    EXPECT_EQ(*scope.ptr(VALUE), 23u);
    EXPECT_EQ(scope.add_return(VALUE, 7), 30u);
    EXPECT_EQ(scope.xchg(VALUE, 40), 30u);
    EXPECT_EQ(scope.cmpxchg(VALUE, 41, 50), 40u);  // not equal: unchanged
    EXPECT_EQ(scope.cmpxchg(VALUE, 40, 50), 40u);
    EXPECT_EQ(counting_guard::entered, 1);
  }
  EXPECT_EQ(counting_guard::depth, 0);
  EXPECT_EQ(VALUE.read_current_raw(), 50u);
}

// An access through a scope on a CPU whose register was never set is reported (PERCPU_DEBUG).
TEST(AssertHook, ThisCpuScopeWithoutTheRegisterIsReported) {
  ASSERT_TRUE(percpu::init_in_place());
  std::thread([] {  // a new thread: its GS base is 0
    percpu::this_cpu_scope scope;
    EXPECT_THROW(static_cast<void>(scope.read(VALUE)), assert_failure);
    EXPECT_THROW(scope.inc(VALUE), assert_failure);
    EXPECT_THROW(static_cast<void>(scope.cmpxchg(VALUE, 5, 6)), assert_failure);
    EXPECT_STREQ(test::assert_hook::last_message,
                 "percpu: this CPU's register does not point at an area: call "
                 "init_percpu_reg(cpu) on every CPU after init");
  })
      .join();
}

// A value of more than 8 bytes is read and written in several instructions on every
// architecture, x86_64 included: read_current and write_current hold the guard for it.
struct wide {
  uint64_t low, high;
};
PERCPU_DEFINE(wide, WIDE, 1, 2);

TEST(Guard, MultiInstructionReadsAndWritesHoldTheGuard) {
  ASSERT_TRUE(percpu::init_in_place());
  percpu::init_percpu_reg(0);
  counting_guard::entered = 0;
  EXPECT_EQ(WIDE.read_current().high, 2u);
  EXPECT_EQ(counting_guard::entered, 1);
  WIDE.write_current({3, 4});
  EXPECT_EQ(counting_guard::entered, 2);
  EXPECT_EQ(counting_guard::depth, 0);
  EXPECT_EQ(WIDE.read_current_raw().low, 3u);
}

// A thread that never set its GS base (0) reaches the image itself through %gs:var. The debug
// check reports it first; if the hook returns, the write goes ahead, and init made the image
// read-only, so it faults instead of changing every CPU's initial value.
TEST(AssertHookDeathTest, WriteWithoutTheRegisterFaultsInsteadOfCorruptingTheImage) {
  // threadsafe: the statement runs in a freshly executed process, whose GS base is 0.
  // Death tests run first: the parent must stay uninitialised for the tests that follow.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const auto write_without_register = [] {
    if (!percpu::init_in_place()) return;
    test::assert_hook::returning = true;
    VALUE.write_current_raw(0xbad);
  };
#if TEST_ADDRESS_SANITIZER
  // ASan catches the fault itself, reports it and exits.
  EXPECT_DEATH(write_without_register(), "SEGV");
#else
  EXPECT_EXIT(write_without_register(), ::testing::KilledBySignal(SIGSEGV), "");
#endif
  EXPECT_EQ(VALUE.initial_value(), 5u);
}

TEST(Guard, ResetToInitHoldsTheGuard) {
  ASSERT_TRUE(percpu::init_in_place());
  percpu::init_percpu_reg(0);
  VALUE.write_current_raw(9);
  counting_guard::entered = 0;
  VALUE.reset_to_init();
  EXPECT_EQ(counting_guard::entered, 1);
  EXPECT_EQ(counting_guard::depth, 0);
  EXPECT_EQ(VALUE.read_current_raw(), 5u);
}

TEST(Guard, SingleInstructionOperationsNeedNoGuardOnX86) {
  ASSERT_TRUE(percpu::init_in_place());
  percpu::init_percpu_reg(0);
  counting_guard::entered = 0;
  VALUE.add_current(1);
  VALUE.inc_current();
  VALUE.cmpxchg_current(0, 1);
  VALUE.xchg_current(3);
  VALUE.write_current(4);
  EXPECT_EQ(VALUE.read_current(), 4u);
  // x86_64 does each in one %gs-relative instruction; the other backends form the address of
  // this CPU's copy first, so each of the six takes the guard.
#if defined(__x86_64__)
  EXPECT_EQ(counting_guard::entered, 0);
#else
  EXPECT_EQ(counting_guard::entered, 6);
#endif
}

}  // namespace
