// SPDX-License-Identifier: MIT OR Apache-2.0
// Bad input gets an error value, never silent corruption.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/time.h>

#include <atomic>
#include <cstdint>
#include <percpu.hpp>

#include "test_support.hpp"

namespace {

PERCPU_DEFINE(uint64_t, SENTINEL, 0x5e5e);

percpu::init_error error_of(percpu::init_result result) {
  EXPECT_FALSE(result.has_value());
  return result.error();
}

TEST(BadInput, NullBase) {
  EXPECT_EQ(error_of(percpu::init(nullptr, 4)), percpu::init_error::invalid_base);
}

TEST(BadInput, MisalignedBaseForEveryOffsetBelowTheAlignment) {
  const auto layout = percpu::percpu_area_layout_expected(2);
  test::aligned_block block(percpu::area_layout{layout.size + layout.align, layout.align});
  for (size_t misalign : {size_t{1}, size_t{8}, size_t{32}, layout.align / 2}) {
    EXPECT_EQ(error_of(percpu::init(static_cast<char*>(block.get()) + misalign, 2)),
              percpu::init_error::unaligned_base)
        << misalign;
  }
}

TEST(BadInput, ZeroCpus) {
  test::aligned_block block(percpu::percpu_area_layout_expected(1));
  EXPECT_EQ(error_of(percpu::init(block.get(), 0)), percpu::init_error::zero_cpus);
}

TEST(BadInput, SizesThatOverflow) {
  const size_t align = percpu::percpu_area_layout_expected(1).align;
  // cpu_count * stride overflows.
  EXPECT_EQ(error_of(percpu::init(reinterpret_cast<void*>(align), SIZE_MAX)),
            percpu::init_error::size_overflow);
  // The product fits but base + size wraps around the address space.
  const uintptr_t near_top = UINTPTR_MAX & ~(align - 1);
  EXPECT_EQ(error_of(percpu::init(reinterpret_cast<void*>(near_top), 2)),
            percpu::init_error::size_overflow);
  EXPECT_EQ(percpu::percpu_area_layout_expected(SIZE_MAX).size, 0u);
}

#if defined(__x86_64__)
// GS_BASE would hold area base - image address, negative for areas below the program, and
// Linux refuses a GS base outside user space: init says so rather than leave init_percpu_reg to
// fail. Nothing is written to the refused base (the address is not mapped).
TEST(BadInput, AreasBelowTheProgramAreOutOfReachOfGsBase) {
  const uintptr_t below_the_program = 0x10000;  // Linux maps no program below 64 KiB
  ASSERT_GT(SENTINEL.symbol_vma(), below_the_program);
  EXPECT_EQ(error_of(percpu::init(reinterpret_cast<void*>(below_the_program), 1)),
            percpu::init_error::base_out_of_reach);
}
#endif

TEST(BadInput, RefusedInitLeavesTheAreasAlone) {
  ASSERT_TRUE(percpu::init_in_place());
  percpu::init_percpu_reg(0);
  SENTINEL.write_current(0xabc);
  EXPECT_FALSE(percpu::init(nullptr, 4));
  EXPECT_FALSE(percpu::init(reinterpret_cast<void*>(64), SIZE_MAX));
  EXPECT_EQ(SENTINEL.read_current(), 0xabcu);
  EXPECT_EQ(percpu::read_percpu_reg(), percpu::percpu_area_base(0));
}

TEST(BadInput, InitRacingAnotherInitIsRefused) {
  // Simulate an init in progress on another CPU: it holds the busy flag.
  __atomic_store_n(&percpu::detail::areas.busy, 1u, __ATOMIC_RELEASE);
  const auto racing = percpu::init_in_place();
  __atomic_store_n(&percpu::detail::areas.busy, 0u, __ATOMIC_RELEASE);
  EXPECT_EQ(error_of(racing), percpu::init_error::busy);
  EXPECT_TRUE(percpu::init_in_place());
}

TEST(Layout, ExpectedLayoutIsCountTimesAnAlignedStride) {
  const auto one = percpu::percpu_area_layout_expected(1);
  EXPECT_GE(one.align, 64u);
  EXPECT_EQ(one.align & (one.align - 1), 0u) << "alignment is a power of two";
  EXPECT_EQ(one.size % one.align, 0u);
  EXPECT_GE(one.size, percpu::percpu_area_size());
  for (size_t cpus : {size_t{2}, size_t{4}, size_t{64}, size_t{256}}) {
    const auto layout = percpu::percpu_area_layout_expected(cpus);
    EXPECT_EQ(layout.size, cpus * one.size);
    EXPECT_EQ(layout.align, one.align);
  }
  EXPECT_EQ(percpu::percpu_area_layout_expected(0).size, 0u);
}

TEST(Layout, AreasAreOneStrideApart) {
  const auto layout = percpu::percpu_area_layout_expected(8);
  test::aligned_block block(layout);
  ASSERT_EQ(percpu::init(block.get(), 8), percpu::init_result(8));
  for (size_t cpu = 0; cpu < 8; ++cpu) {
    EXPECT_EQ(percpu::percpu_area_base(cpu),
              reinterpret_cast<uintptr_t>(block.get()) + cpu * layout.size / 8);
    EXPECT_EQ(*SENTINEL.remote_ptr(cpu), 0x5e5eu);
  }
  ASSERT_TRUE(percpu::init_in_place());
}

// A signal handler (an interrupt handler in a kernel) that asks for an area while its own CPU is
// inside init must not wait for that init: it would wait forever.
std::atomic<unsigned> handler_calls_during_init{0};
std::atomic<uintptr_t> handler_saw{0};

void area_base_from_handler(int) {
  const bool during_init = __atomic_load_n(&percpu::detail::areas.busy, __ATOMIC_RELAXED) != 0;
  handler_saw.store(percpu::percpu_area_base(1));
  if (during_init) handler_calls_during_init.fetch_add(1);
}

TEST(Reentrancy, HandlerOnTheCpuDoingInitDoesNotHang) {
  constexpr size_t cpus = 256;  // a long copy, so that the timer often lands inside it
  const auto layout = percpu::percpu_area_layout_expected(cpus);
  test::aligned_block block(layout);
  ASSERT_TRUE(percpu::init(block.get(), cpus));
  struct sigaction action {};
  action.sa_handler = area_base_from_handler;
  ASSERT_EQ(sigaction(SIGALRM, &action, nullptr), 0);
  const itimerval every_50us{{0, 50}, {0, 50}};
  ASSERT_EQ(setitimer(ITIMER_REAL, &every_50us, nullptr), 0);
  for (int round = 0; round < 100'000 && handler_calls_during_init.load() < 20; ++round) {
    ASSERT_TRUE(percpu::init(block.get(), cpus));
  }
  const itimerval off{};
  setitimer(ITIMER_REAL, &off, nullptr);
  signal(SIGALRM, SIG_DFL);
  EXPECT_GE(handler_calls_during_init.load(), 20u);
  // During a re-init at the same base, the handler saw that base.
  EXPECT_EQ(handler_saw.load(), reinterpret_cast<uintptr_t>(block.get()) + layout.size / cpus);
  ASSERT_TRUE(percpu::init_in_place());
}

TEST(BadInput, ErrorsHaveDescriptions) {
  for (auto error : {percpu::init_error::invalid_base, percpu::init_error::unaligned_base,
                     percpu::init_error::zero_cpus, percpu::init_error::size_overflow,
                     percpu::init_error::no_reserved_areas, percpu::init_error::busy,
                     percpu::init_error::base_out_of_reach, percpu::init_error::image_misplaced}) {
    EXPECT_STRNE(percpu::to_string(error), "unknown error");
  }
}

TEST(BadInputDeathTest, RemoteCpuOutOfRangeHitsTheAssertHook) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  ASSERT_TRUE(percpu::init_in_place());
  // The default hook of hosted Linux builds prints the message, then aborts.
  const size_t out_of_range = percpu::percpu_area_num();
  EXPECT_DEATH(SENTINEL.remote_ptr(out_of_range), "percpu: CPU id out of range");
  EXPECT_DEATH(percpu::percpu_area_base(1000), "percpu: CPU id out of range");
  EXPECT_DEATH(percpu::init_percpu_reg(out_of_range), "percpu: CPU id out of range");
}

}  // namespace
