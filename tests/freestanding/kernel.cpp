// SPDX-License-Identifier: MIT OR Apache-2.0
// A kernel with no C library at all: every library function that a kernel calls, linked with
// -nostdlib. Any call the library (or the compiler on its behalf) makes to memcpy, memset or
// another C function is an undefined symbol, and the link fails.
#include <percpu.hpp>

struct counters {
  unsigned long events;
  unsigned long errors;
};

PERCPU_DEFINE(unsigned long, ticks, 0);
PERCPU_DEFINE_HOT(unsigned, cpu_id, 0);
PERCPU_DEFINE(counters, stats, 1, 2);
PERCPU_DEFINE(unsigned char[300], buffer, 1, 2, 3);
// Large enough that a compiler copies it with a call to memcpy unless told otherwise.
struct big {
  unsigned long words[64];
};
PERCPU_DEFINE(big, big_state, {1, 2, 3});
PERCPU_DEFINE_COUNTER(events_seen, 32);

alignas(4096) unsigned char areas[8 * 4096 * 4];

extern "C" [[noreturn]] void _start() {
  if (!percpu::init_in_place()) __builtin_trap();
  const auto layout = percpu::percpu_area_layout_expected(2);
  if (layout.size > sizeof areas || !percpu::init(areas, 2)) __builtin_trap();
  percpu::init_percpu_reg(1);
  cpu_id.write_current(1);
  ticks.inc_current();
  ticks.add_current(percpu::percpu_area_size() + percpu::percpu_area_num());
  stats.with_current([](counters& c) { ++c.events; });
  stats.reset_to_init();
  buffer.current_ref_raw()[7] = static_cast<unsigned char>(ticks.read_current());
  *ticks.remote_ptr(0) = percpu::read_percpu_reg();
  // Bulk copies the library makes itself: initial values restored, dynamic objects created.
  buffer.reset_to_init();
  big_state.reset_to_init();
  auto zeroed_big = percpu::dynamic<big>::create();
  auto dynamic_big = percpu::dynamic<big>::create(big_state.initial_value());
  if (!zeroed_big || !dynamic_big) __builtin_trap();
  dynamic_big->with_current([](big& b) { ++b.words[1]; });
  events_seen.inc();
  auto counter = percpu::counter::create(8);
  if (!counter) __builtin_trap();
  counter->add(static_cast<long long>(events_seen.sum()));
  for (;;) {
  }
}
