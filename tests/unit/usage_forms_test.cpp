// SPDX-License-Identifier: MIT OR Apache-2.0
// The usage forms of tests/forms on the host: every thread plays one CPU.
#include "../forms/usage_forms.hpp"

#include <gtest/gtest.h>

#include <percpu.hpp>
#include <thread>
#include <vector>

namespace {

void report(unsigned cpu, const char* what) { ADD_FAILURE() << "cpu " << cpu << ": " << what; }

TEST(UsageForms, EveryFormOnEveryCpu) {
  const auto areas = percpu::init_in_place();
  ASSERT_TRUE(areas);
  std::vector<std::thread> cpus;
  for (unsigned cpu = 0; cpu < *areas; ++cpu) {
    cpus.emplace_back([cpu] {
      percpu::init_percpu_reg(cpu);
      EXPECT_EQ(usage_forms::check(cpu, report), 0u);
    });
  }
  for (auto& thread : cpus) thread.join();
}

}  // namespace
