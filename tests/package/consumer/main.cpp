// SPDX-License-Identifier: MIT OR Apache-2.0
// A program written only against the public names, built by linking percpu::percpu from an
// installed package, a subdirectory, FetchContent or pkg-config: one thread plays each CPU.
// EXPECTED_AREAS is the area count percpu was configured with (PERCPU_HOSTED_AREAS), which the
// package's link flags must carry.
#include <cstdio>
#include <percpu.hpp>
#include <thread>
#include <vector>

struct stats {
  unsigned long ticks;
  unsigned long last;
};

PERCPU_DEFINE(unsigned long, counter, 10);
PERCPU_DEFINE(stats, cpu_stats, 0, 0);

int main() {
  const auto areas = percpu::init_in_place();
  constexpr size_t expected_areas = EXPECTED_AREAS;
  if (!areas || *areas != expected_areas) {
    std::printf("init_in_place: %zu areas, expected %zu\n", areas ? *areas : 0, expected_areas);
    return 1;
  }
  std::vector<std::thread> cpus;
  for (size_t cpu = 0; cpu < *areas; ++cpu) {
    cpus.emplace_back([cpu] {
      percpu::init_percpu_reg(cpu);
      for (size_t i = 0; i < 1000 * (cpu + 1); ++i) counter.inc_current();
      counter.add_current(5);
      cpu_stats.with_current([&](stats& s) {
        s.ticks = counter.read_current();
        s.last = cpu;
      });
    });
  }
  for (auto& cpu : cpus) cpu.join();
  int failures = 0;
  for (size_t cpu = 0; cpu < *areas; ++cpu) {
    const unsigned long expected = 10 + 1000 * (cpu + 1) + 5;
    const bool ok = *counter.remote_ptr(cpu) == expected &&
                    cpu_stats.remote_ptr(cpu)->ticks == expected &&
                    cpu_stats.remote_ptr(cpu)->last == cpu;
    std::printf("cpu %zu: counter %lu (expected %lu) %s\n", cpu, *counter.remote_ptr(cpu), expected,
                ok ? "ok" : "WRONG");
    failures += !ok;
  }
  return failures == 0 ? 0 : 1;
}
