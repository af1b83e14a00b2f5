// SPDX-License-Identifier: MIT OR Apache-2.0
// Every accessor and read-modify-write operation, on every word size and kind of type, and
// over-aligned variables in every area.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <percpu.hpp>

#include "../common/pair_checks.hpp"
#include "../common/rmw_checks.hpp"
#include "test_support.hpp"

namespace {

enum class colour : uint16_t { red = 1, green = 2, blue = 0x8001 };

PERCPU_DEFINE(int8_t, I8, -8);
PERCPU_DEFINE(int16_t, I16, -16);
PERCPU_DEFINE(int32_t, I32, -32);
PERCPU_DEFINE(int64_t, I64, -64);
PERCPU_DEFINE(uint8_t, U8, 8);
PERCPU_DEFINE(uint16_t, U16, 16);
PERCPU_DEFINE(uint32_t, U32, 32);
PERCPU_DEFINE(uint64_t, U64, 64);
PERCPU_DEFINE(colour, COLOUR, colour::green);
PERCPU_DEFINE(const char*, NAME, "initial");
PERCPU_DEFINE(double, RATIO, 0.5);
PERCPU_DEFINE(float, SCALE, 1.5f);
PERCPU_DEFINE(uint64_t, ZEROED);
PERCPU_DEFINE(bool, FLAG, false);
PERCPU_DEFINE(pair_checks::tagged, PAIR, 5, 6);

struct alignas(256) line256 {
  uint64_t word;
};
struct alignas(4096) page {
  uint32_t first;
  uint8_t rest[4092];
};
PERCPU_DEFINE(uint8_t, BEFORE_ALIGNED, 1);
PERCPU_DEFINE(line256, LINE, 0x256);
PERCPU_DEFINE(page, PAGE, 0x4096, {});

class Accessors : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(percpu::percpu_area_num(), 4u) << "these tests use CPUs 0 to 3";
    ASSERT_TRUE(percpu::init_in_place());
    percpu::init_percpu_reg(0);
  }
};

template <class T>
void check_rmw(const percpu::percpu<T>& var) {
  rmw_checks::run(var, [](bool ok, const char* what) { EXPECT_TRUE(ok) << what; });
  // Another CPU's copy is untouched by all of that.
  EXPECT_EQ(*var.remote_ptr(1), var.initial_value());
}

TEST_F(Accessors, ReadModifyWriteEveryWidthSignedAndUnsigned) {
  check_rmw(I8);
  check_rmw(I16);
  check_rmw(I32);
  check_rmw(I64);
  check_rmw(U8);
  check_rmw(U16);
  check_rmw(U32);
  check_rmw(U64);
}

TEST_F(Accessors, SixteenByteCompareExchange) {
  pair_checks::run(PAIR, [](bool ok, const char* what) { EXPECT_TRUE(ok) << what; });
  EXPECT_EQ(PAIR.read_current().pointer, 5u);
  EXPECT_EQ(PAIR.read_current().tag, 6u);
  // Every CPU's copy is 16-byte aligned, as cmpxchg16b needs.
  for (size_t cpu = 0; cpu < percpu::cpu_count(); ++cpu) {
    EXPECT_EQ(reinterpret_cast<uintptr_t>(PAIR.remote_ptr(cpu)) % 16, 0u) << "cpu " << cpu;
  }
}

TEST_F(Accessors, ExchangesOnEnumsPointersAndBool) {
  EXPECT_EQ(COLOUR.xchg_current(colour::blue), colour::green);
  EXPECT_EQ(COLOUR.cmpxchg_current(colour::red, colour::green), colour::blue);
  colour expected = colour::blue;
  EXPECT_TRUE(COLOUR.try_cmpxchg_current(expected, colour::red));
  EXPECT_EQ(COLOUR.read_current(), colour::red);
  EXPECT_EQ(*COLOUR.remote_ptr(1), colour::green);

  static const char other[] = "other";
  EXPECT_STREQ(NAME.xchg_current(other), "initial");
  EXPECT_EQ(NAME.xchg_current(nullptr), other);  // this_cpu_xchg(ptr, NULL)
  const char* seen = other;
  EXPECT_FALSE(NAME.try_cmpxchg_current(seen, other));
  EXPECT_EQ(seen, nullptr);
  EXPECT_TRUE(NAME.try_cmpxchg_current(seen, other));
  EXPECT_EQ(NAME.read_current(), other);

  EXPECT_FALSE(FLAG.xchg_current(true));
  EXPECT_TRUE(FLAG.cmpxchg_current(true, false));
  EXPECT_FALSE(FLAG.read_current());
  EXPECT_FALSE(*FLAG.remote_ptr(2));
}

TEST_F(Accessors, EnumsPointersAndFloatingPoint) {
  EXPECT_EQ(COLOUR.read_current(), colour::green);
  COLOUR.write_current(colour::blue);
  EXPECT_EQ(COLOUR.read_current_raw(), colour::blue);
  EXPECT_EQ(*COLOUR.remote_ptr(2), colour::green);

  EXPECT_STREQ(NAME.read_current(), "initial");
  static const char other[] = "cpu 0";
  NAME.write_current(other);
  EXPECT_EQ(NAME.read_current(), other);

  EXPECT_EQ(RATIO.read_current(), 0.5);
  RATIO.write_current(-2.25);
  EXPECT_EQ(RATIO.read_current(), -2.25);
  EXPECT_EQ(SCALE.read_current(), 1.5f);
  SCALE.write_current_raw(3.0f);
  EXPECT_EQ(SCALE.read_current_raw(), 3.0f);
  EXPECT_EQ(*SCALE.remote_ptr(3), 1.5f);

  EXPECT_EQ(ZEROED.read_current(), 0u);
}

TEST_F(Accessors, CurrentPointerAndReferenceAgree) {
  U32.write_current(77);
  EXPECT_EQ(*U32.current_ptr(), 77u);
  U32.current_ref_raw() = 78;
  EXPECT_EQ(U32.read_current_raw(), 78u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(U32.current_ptr()),
            percpu::percpu_area_base(0) + U32.offset());
}

template <class T>
T bytes_at(uintptr_t address) {
  T value;
  std::memcpy(&value, reinterpret_cast<const void*>(address), sizeof value);
  return value;
}

// Offsets and copies against what the test knows without the library: the addresses the
// compiler gives the image objects, the initial values, and the block it hands to init.
TEST_F(Accessors, OffsetsLocateEachCopyInTheCallersBlock) {
  constexpr size_t cpus = 3;
  const auto layout = percpu::percpu_area_layout_expected(cpus);
  test::aligned_block block(layout);
  ASSERT_EQ(percpu::init(block.get(), cpus), percpu::init_result(cpus));
  // Two variables lie as far apart in an area as their image objects do.
  EXPECT_EQ(U64.offset() - I32.offset(),
            reinterpret_cast<uintptr_t>(&U64) - reinterpret_cast<uintptr_t>(&I32));
  for (size_t cpu = 0; cpu < cpus; ++cpu) {
    const uintptr_t area = reinterpret_cast<uintptr_t>(block.get()) + cpu * (layout.size / cpus);
    // At each offset the area holds that variable's initial value, copied by init.
    EXPECT_EQ(bytes_at<int32_t>(area + I32.offset()), -32) << "cpu " << cpu;
    EXPECT_EQ(bytes_at<uint64_t>(area + U64.offset()), 64u) << "cpu " << cpu;
    EXPECT_EQ(bytes_at<double>(area + RATIO.offset()), 0.5) << "cpu " << cpu;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(U64.remote_ptr(cpu)), area + U64.offset());
  }
  percpu::init_percpu_reg(1);
  U64.write_current(0x1234);
  EXPECT_EQ(bytes_at<uint64_t>(reinterpret_cast<uintptr_t>(block.get()) + layout.size / cpus +
                               U64.offset()),
            0x1234u);
  ASSERT_TRUE(percpu::init_in_place());
}

TEST_F(Accessors, OverAlignedVariablesAreAlignedInEveryArea) {
  EXPECT_GE(percpu::percpu_area_layout_expected(1).align, 4096u);
  for (size_t cpu = 0; cpu < percpu::percpu_area_num(); ++cpu) {
    EXPECT_EQ(reinterpret_cast<uintptr_t>(LINE.remote_ptr(cpu)) % 256, 0u) << "cpu " << cpu;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(PAGE.remote_ptr(cpu)) % 4096, 0u) << "cpu " << cpu;
    EXPECT_EQ(LINE.remote_ptr(cpu)->word, 0x256u);
    EXPECT_EQ(PAGE.remote_ptr(cpu)->first, 0x4096u);
    EXPECT_EQ(*BEFORE_ALIGNED.remote_ptr(cpu), 1);
  }
  EXPECT_EQ(reinterpret_cast<uintptr_t>(PAGE.current_ptr()) % 4096, 0u);
}

TEST_F(Accessors, ReinitialisationRestoresInitialValuesEverywhere) {
  U64.write_current(1234);
  *U64.remote_ptr(3) = 5678;
  ASSERT_EQ(percpu::init_in_place(), percpu::init_result(percpu::percpu_area_num()));
  percpu::init_percpu_reg(0);
  EXPECT_EQ(U64.read_current(), 64u);
  EXPECT_EQ(*U64.remote_ptr(3), 64u);
}

TEST_F(Accessors, InitialValueComesFromThePristineImage) {
  I32.write_current(99);
  EXPECT_EQ(I32.initial_value(), -32);
  // The image itself, at the symbol's address, still holds the initial value.
  EXPECT_EQ(bytes_at<int32_t>(I32.symbol_vma()), -32);
}

// The backend's names are compile-time constants, for a kernel's boot banner.
static_assert(percpu::backend_name()[0] != '\0' && percpu::register_name()[0] != '\0');

TEST_F(Accessors, BackendNamesAndTheRawRegister) {
#if defined(__x86_64__)
  EXPECT_STREQ(percpu::backend_name(), "x86_64");
  EXPECT_STREQ(percpu::register_name(), "GS_BASE");
  // GS_BASE holds the area base less the image's address (offset() bytes below a variable).
  const uintptr_t image_address = U32.symbol_vma() - U32.offset();
  percpu::init_percpu_reg(2);
  EXPECT_EQ(percpu::read_percpu_reg_raw(), percpu::percpu_area_base(2) - image_address);
#endif
}

}  // namespace
