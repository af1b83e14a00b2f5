// SPDX-License-Identifier: MIT OR Apache-2.0
// The library at work in Linux user space: four threads play four CPUs, each points its GS base
// at its own area and counts in its own copy of the same per-CPU variables.
#include <cstdio>
#include <percpu.hpp>
#include <thread>
#include <vector>

PERCPU_DEFINE(unsigned long, events, 0);
PERCPU_DEFINE(unsigned, cpu_number, 0xffffffff);

int main() {
  const auto areas = percpu::init_in_place();
  if (!areas) {
    std::printf("init failed: %s\n", percpu::to_string(areas.error()));
    return 1;
  }
  std::printf("percpu: %zu areas of %zu bytes (stride %zu)\n", *areas, percpu::percpu_area_size(),
              percpu::percpu_area_layout_expected(1).size);

  std::vector<std::thread> cpus;
  for (unsigned cpu = 0; cpu < *areas; ++cpu) {
    cpus.emplace_back([cpu] {
      percpu::init_percpu_reg(cpu);
      cpu_number.write_current(cpu);
      for (unsigned i = 0; i < 1000 * (cpu + 1); ++i) events.inc_current();
    });
  }
  for (auto& cpu : cpus) cpu.join();

  std::printf("%-4s %-18s %-8s %s\n", "cpu", "area base", "id", "events");
  for (unsigned cpu = 0; cpu < *areas; ++cpu) {
    std::printf("%-4u 0x%-16lx %-8u %lu\n", cpu,
                static_cast<unsigned long>(percpu::percpu_area_base(cpu)),
                *cpu_number.remote_ptr(cpu), *events.remote_ptr(cpu));
  }
  return 0;
}
