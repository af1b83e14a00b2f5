// SPDX-License-Identifier: MIT OR Apache-2.0
// The QEMU kernels' checks of dynamic per-CPU objects and counters: created by CPU 0 after init,
// then on every CPU every read-modify-write at every width, member and element views, and, in
// the interrupt phase, the loop and the timer handler adding to the same objects and counters.
// Freestanding: no standard library.
#pragma once

#include <percpu.hpp>

#include "../../common/rmw_checks.hpp"

namespace dynamic_checks {

struct event_counts {
  uint64_t polls;
  uint64_t events;
};

/// The counters' batch: small, so that the interrupt phase folds often.
inline constexpr int64_t batch = 32;

/// Every dynamic object the checks use. Lives in kernel_main's frame (which never returns): a
/// global owner would need a registered destructor.
struct objects {
  percpu::dynamic<uint8_t> width8;
  percpu::dynamic<uint16_t> width16;
  percpu::dynamic<uint32_t> width32;
  percpu::dynamic<uint64_t> width64;
  percpu::dynamic<event_counts> events;
  percpu::dynamic<uint64_t[4]> slots;
  percpu::counter hits;
};

inline objects* live = nullptr;

PERCPU_DEFINE_COUNTER(static_hits, batch);

/// Moves a created object into `slot`; returns the error's text, or null.
template <class Owner, class Result>
const char* take(Owner& slot, Result&& result) {
  if (!result) return percpu::to_string(result.error());
  slot = static_cast<Owner&&>(*result);
  return nullptr;
}

/// CPU 0, after init and before the other CPUs start: creates every object into `storage`.
/// Returns null, or what failed.
inline const char* create(objects& storage) {
  const size_t free_before = percpu::dynamic_bytes_free();
  const char* error = take(storage.width8, percpu::dynamic<uint8_t>::create(8));
  if (!error) error = take(storage.width16, percpu::dynamic<uint16_t>::create(16));
  if (!error) error = take(storage.width32, percpu::dynamic<uint32_t>::create(32));
  if (!error) error = take(storage.width64, percpu::dynamic<uint64_t>::create(64));
  if (!error) error = take(storage.events, percpu::dynamic<event_counts>::create());
  if (!error) error = take(storage.slots, percpu::dynamic<uint64_t[4]>::create());
  if (!error) error = take(storage.hits, percpu::counter::create(batch));
  if (error) return error;
  if (percpu::dynamic_bytes_free() >= free_before) return "dynamic_bytes_free did not go down";
  live = &storage;
  return nullptr;
}

/// On every CPU: initial values, addresses, alignment, every read-modify-write at every width.
template <class Check>
void check_local(unsigned cpu, Check&& check) {
  check(live->width8.read_current() == 8 && live->width64.read_current() == 64,
        "initial value of a dynamic object");
  check(reinterpret_cast<uintptr_t>(live->width64.current_ptr()) ==
            percpu::percpu_area_base(cpu) + live->width64.offset(),
        "dynamic current_ptr != area base + offset");
  check(reinterpret_cast<uintptr_t>(live->width64.current_ptr()) % alignof(uint64_t) == 0,
        "dynamic object misaligned");
  rmw_checks::run(live->width8, check);
  rmw_checks::run(live->width16, check);
  rmw_checks::run(live->width32, check);
  rmw_checks::run(live->width64, check);
  live->width32.write_current(0x3200 + cpu);
}

/// On every CPU, after every CPU ran check_local: another CPU's copies.
template <class Check>
void check_remote(unsigned cpus, Check&& check) {
  for (unsigned other = 0; other < cpus; ++other) {
    check(live->width32.read_remote(other) == 0x3200 + other, "remote read of a dynamic object");
  }
}

/// One step of the interrupt phase: the loop and the timer handler both call it. Four
/// operations: the unoptimised (-O0) kernels run it a million times per CPU.
inline void count() {
  live->events.member<&event_counts::events>().inc_current();
  live->slots.at(1).add_current(2);
  live->hits.inc();
  static_hits.inc();
}

/// After the interrupt phase on this CPU: `steps` calls of count(), loop and handler together.
template <class Check>
void check_interrupt_phase(uint64_t steps, Check&& check) {
  check(live->events.current_ref_raw().events == steps && live->events.current_ref_raw().polls == 0,
        "interrupt phase lost updates of a dynamic object's member (view)");
  const uint64_t(&slots)[4] = live->slots.current_ref_raw();
  check(slots[1] == 2 * steps && slots[0] == 0 && slots[2] == 0,
        "interrupt phase lost updates of a dynamic array's element (view)");
}

/// CPU 0, once every CPU finished the interrupt phase: `steps` of all CPUs together. Returns the
/// number of failures, each printed with `fail(what)`.
template <class Fail>
unsigned check_totals(uint64_t steps, unsigned cpus, Fail&& fail) {
  unsigned failures = 0;
  const auto expect = [&failures, &fail](bool ok, const char* what) {
    if (!ok) {
      ++failures;
      fail(what);
    }
  };
  const auto total = static_cast<int64_t>(steps);
  // Two nesting levels (loop, handler), adds of 1: see percpu/counter.hpp.
  const int64_t bound = static_cast<int64_t>(cpus) * 2 * (batch - 1 + 2);
  expect(live->events.member<&event_counts::events>().sum() == steps,
         "dynamic object's sum() after the interrupt phase");
  expect(live->hits.sum() == total, "counter lost adds in the interrupt phase");
  expect(live->hits.approximate() <= total && total - live->hits.approximate() <= bound,
         "counter's approximate() outside its bound");
  expect(static_hits.sum() == total, "static counter lost adds in the interrupt phase");
  return failures;
}

}  // namespace dynamic_checks
