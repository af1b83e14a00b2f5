// SPDX-License-Identifier: MIT OR Apache-2.0
// The portable SMP test body: every CPU checks its own copies, other CPUs' copies, every
// read-modify-write, hot and over-aligned variables, then counts concurrently and against its
// own timer interrupt. CPU 0 prints a per-CPU table and exits QEMU with pass or fail.
#include <percpu.hpp>

#include "../../common/pair_checks.hpp"
#include "../../common/rmw_checks.hpp"
#include "../../forms/usage_forms.hpp"
#include "console.hpp"
#include "dynamic_checks.hpp"
#include "platform.hpp"
#include "smp.hpp"

#ifdef PERCPU_TEST_LARGE_IMAGE
// 64 KiB of variables: more than 16-bit offsets reach. The large-zero placement (image at VMA 0,
// short offsets): init must refuse it on armv7 (aarch64's checked relocation fails the link
// instead). PERCPU_ARM_SHORT_OFFSETS=0 kernels: init accepts it, and check_local reaches its
// last byte. With external linkage, so that no kernel drops it unused.
namespace large {
PERCPU_DEFINE(uint8_t[0x10000], image, 0);
}  // namespace large
#endif

namespace {

using console::print;

constexpr unsigned cpus = platform::cpu_count;
constexpr uint64_t concurrent_increments = 200'000;
constexpr uint64_t min_loop_increments = 1'000'000;
constexpr uint64_t min_interrupts = 200;

struct alignas(256) cache_block {
  uint64_t word;
};
struct alignas(4096) page {
  uint32_t first;
  uint8_t rest[4092];
};

PERCPU_DEFINE_HOT(uint64_t, hot_word, 0x1234'5678'9abc'def0);
PERCPU_DEFINE_HOT(uint8_t, hot_byte, 0x5a);
PERCPU_DEFINE_HOT(uint32_t, hot_word32, 0x32323232);
PERCPU_DEFINE(uint32_t, cpu_number, 0xffff'ffff);
PERCPU_DEFINE(uint64_t, mailbox, 0);
PERCPU_DEFINE(uint8_t, width8, 8);
PERCPU_DEFINE(uint16_t, width16, 16);
PERCPU_DEFINE(uint32_t, width32, 32);
PERCPU_DEFINE(uint64_t, width64, 64);
PERCPU_DEFINE(cache_block, block, 0xb10c);
PERCPU_DEFINE(page, page_aligned, 0x9a9e, {});
PERCPU_DEFINE(uint64_t, counter, 0);
PERCPU_DEFINE(uint64_t, interrupt_counter, 0);  // incremented by the loop and by the handler
PERCPU_DEFINE(uint64_t, interrupts_taken, 0);   // incremented by the handler only
// The same race on an array element and a struct member, through views.
struct event_counts {
  uint64_t polls;
  uint64_t events;
};
PERCPU_DEFINE(uint64_t[4], event_slots, 0, 0, 0, 0);
PERCPU_DEFINE(event_counts, events, 0, 0);
// Updated through a this_cpu_scope by the loop (every 4th round) and by the handler: a normal
// and a hot counter, one counted down, and an array element; the loop alone also reads and
// writes scope_mailbox through it.
PERCPU_DEFINE(uint64_t, scope_counter, 0);
PERCPU_DEFINE_HOT(uint32_t, scope_hot_counter, 0);
PERCPU_DEFINE(uint64_t, scope_down, 0);
PERCPU_DEFINE(uint64_t, scope_mailbox, 0);
// And on a 16-byte {pointer, tag} pair (64-bit architectures).
#if __SIZEOF_POINTER__ == 8
#define TEST_DOUBLE_WIDTH 1
PERCPU_DEFINE(pair_checks::tagged, tagged_pair, 0, 0);
#endif
// Results each CPU leaves for CPU 0's report.
PERCPU_DEFINE(uintptr_t, register_seen, 0);
PERCPU_DEFINE(uint64_t, loop_increments, 0);
PERCPU_DEFINE(uint32_t, failures, 0);

using smp::barrier;
using smp::console_guard;

void check(bool ok, unsigned cpu, const char* what) {
  if (ok) return;
  failures.inc_current();
  smp::print_failure(cpu, what);
}

// Through a this_cpu_scope: the copies the plain accessors name, at every width and both
// placements, each write read back by the plain accessor and restored. A function of its own:
// inlined into check_local, the unoptimised accessors' temporaries would overflow the 16 KiB
// stacks.
[[gnu::noinline]] void check_scope(unsigned cpu) {
  percpu::this_cpu_scope scope;
  check(scope.ptr(counter) == counter.current_ptr() &&
            scope.ptr(hot_word) == hot_word.current_ptr() &&
            scope.ptr(block) == block.current_ptr() &&
            scope.ptr(event_slots.at(1)) == &event_slots.current_ref_raw()[1],
        cpu, "this_cpu_scope pointers");
  check(scope.read(cpu_number) == cpu && scope.read(hot_word) == 0xc0de'0001 + cpu &&
            scope.read(hot_byte) == 0x10 + cpu && scope.read(hot_word32) == 0x3200 + cpu &&
            scope.read(block).word == 0xb000 + cpu && scope.read(width16) == 16,
        cpu, "this_cpu_scope reads");
  scope.write(hot_byte, static_cast<uint8_t>(0x20 + cpu));
  scope.write(hot_word32, 0x4200 + cpu);
  scope.write(scope_mailbox, uint64_t{0x5555'0000'0000} + cpu);
  scope.write(width16, static_cast<uint16_t>(0x1600 + cpu));
  check(hot_byte.read_current() == 0x20 + cpu && hot_word32.read_current() == 0x4200 + cpu &&
            scope_mailbox.read_current() == uint64_t{0x5555'0000'0000} + cpu &&
            width16.read_current() == 0x1600 + cpu,
        cpu, "this_cpu_scope writes");
  check(scope.add_return(scope_mailbox, 5) == uint64_t{0x5555'0000'0005} + cpu &&
            scope.xchg(hot_word32, 7) == 0x4200 + cpu && scope.cmpxchg(hot_word32, 8, 9) == 7 &&
            scope.cmpxchg(hot_word32, 7, 9) == 7 && hot_word32.read_current() == 9 &&
            scope.xchg(width16, 0x1617) == 0x1600 + cpu,
        cpu, "this_cpu_scope add_return, xchg and cmpxchg");
  scope.write(hot_byte, static_cast<uint8_t>(0x10 + cpu));
  scope.write(hot_word32, 0x3200 + cpu);
  scope.write(scope_mailbox, 0);
  scope.write(width16, 16);
}

void check_local(unsigned cpu) {
  const uintptr_t base = percpu::percpu_area_base(cpu);
  register_seen.write_current(percpu::read_percpu_reg());
  check(percpu::read_percpu_reg() == base, cpu, "read_percpu_reg() != area base");
  check(reinterpret_cast<uintptr_t>(counter.current_ptr()) == base + counter.offset(), cpu,
        "current_ptr != area base + offset");
  check(reinterpret_cast<uintptr_t>(hot_word.current_ptr()) == base + hot_word.offset(), cpu,
        "hot current_ptr != area base + offset");
  check(hot_word.offset() < hot_byte.offset() + 2048 && hot_word.offset() < counter.offset(), cpu,
        "hot variables are not at the front of the area");
#if defined(__x86_64__)
  // The backend's own per-CPU word, its copy of GS_BASE (%gs:x86_gs_base_copy()), must be in the
  // image like any other, or every register write lands outside the areas without a visible
  // effect here: a section attribute lost in link-time optimisation did that.
  check(reinterpret_cast<uintptr_t>(&percpu::detail::x86_gs_base_copy()) -
                percpu::detail::image_vma() <
            percpu::percpu_area_size(),
        cpu, "the GS_BASE copy is outside .percpu");
#endif

#ifdef PERCPU_TEST_LARGE_IMAGE
  // An offset beyond 64 KiB: the array's last byte, reached through the whole address.
  const auto last_byte = large::image.at(0xffff);
  last_byte.write_current(static_cast<uint8_t>(0xa0 + cpu));
  check(last_byte.read_current() == 0xa0 + cpu && *last_byte.current_ptr() == 0xa0 + cpu &&
            last_byte.remote_ptr(cpu) == last_byte.current_ptr() && last_byte.offset() > 0xffff,
        cpu, "a byte past 64 KiB of variables");
#endif
  check(cpu_number.read_current() == 0xffff'ffff, cpu, "initial value of cpu_number");
  check(hot_word.read_current() == 0x1234'5678'9abc'def0, cpu, "initial value of hot_word");
  check(hot_byte.read_current() == 0x5a, cpu, "initial value of hot_byte");
  check(hot_word32.read_current() == 0x32323232, cpu, "initial value of hot_word32");
  check(block.read_current().word == 0xb10c, cpu, "initial value of an alignas(256) variable");
  check(page_aligned.current_ptr()->first == 0x9a9e, cpu,
        "initial value of a page-aligned variable");
  check(reinterpret_cast<uintptr_t>(block.current_ptr()) % 256 == 0, cpu,
        "alignas(256) misaligned");
  check(reinterpret_cast<uintptr_t>(page_aligned.current_ptr()) % 4096 == 0, cpu,
        "alignas(4096) misaligned");

  cpu_number.write_current(cpu);
  hot_word.write_current(0xc0de'0000 + cpu);
  hot_byte.write_current_raw(static_cast<uint8_t>(0x10 + cpu));
  block.with_current([cpu](cache_block& b) { b.word = 0xb000 + cpu; });
  check(cpu_number.read_current() == cpu, cpu, "own write of cpu_number");
  check(hot_word.read_current_raw() == 0xc0de'0000 + cpu, cpu, "own write of hot_word");
  check(hot_byte.read_current() == 0x10 + cpu, cpu, "own write of hot_byte");
  check(block.current_ref_raw().word == 0xb000 + cpu, cpu, "own write of an over-aligned variable");
  hot_word32.write_current(0x3200 + cpu);
  check(hot_word32.read_current_raw() == 0x3200 + cpu, cpu, "own write of hot_word32");
  hot_word.add_current(1);
  check(hot_word.read_current() == 0xc0de'0001 + cpu, cpu, "hot add_current");
  check_scope(cpu);

  const auto check_on_this_cpu = [cpu](bool ok, const char* what) { check(ok, cpu, what); };
  rmw_checks::run(width8, check_on_this_cpu);
  rmw_checks::run(width16, check_on_this_cpu);
  rmw_checks::run(width32, check_on_this_cpu);
  rmw_checks::run(width64, check_on_this_cpu);
  dynamic_checks::check_local(cpu, check_on_this_cpu);
#ifdef TEST_DOUBLE_WIDTH
  pair_checks::run(tagged_pair, check_on_this_cpu);
#endif
}

void check_remote(unsigned cpu) {
  for (unsigned other = 0; other < cpus; ++other) {
    check(*cpu_number.remote_ptr(other) == other, cpu, "remote read of cpu_number");
    check(*hot_word.remote_ptr(other) == 0xc0de'0001 + other, cpu, "remote read of hot_word");
    check(*hot_word32.remote_ptr(other) == 0x3200 + other, cpu, "remote read of hot_word32");
    check(*hot_byte.remote_ptr(other) == 0x10 + other, cpu, "remote read of hot_byte");
    check(block.remote_ptr(other)->word == 0xb000 + other, cpu, "remote read of alignas(256)");
    check(reinterpret_cast<uintptr_t>(page_aligned.remote_ptr(other)) % 4096 == 0, cpu,
          "remote alignas(4096) misaligned");
  }
  dynamic_checks::check_remote(cpus, [cpu](bool ok, const char* what) { check(ok, cpu, what); });
  // Every CPU writes its number into each other CPU's mailbox, one bit per writer.
  for (unsigned other = 0; other < cpus; ++other) {
    if (other != cpu)
      __atomic_fetch_or(mailbox.remote_ptr(other), uint64_t{1} << cpu, __ATOMIC_RELAXED);
  }
  barrier();
  const uint64_t all_but_me = ((uint64_t{1} << cpus) - 1) & ~(uint64_t{1} << cpu);
  check(mailbox.read_current() == all_but_me, cpu, "remote writes from every other CPU");
}

void count_concurrently(unsigned cpu) {
  barrier();
  for (uint64_t i = 0; i < concurrent_increments * (cpu + 1); ++i) counter.inc_current();
  barrier();
}

// One round of updates through a this_cpu_scope, by the loop and by the timer handler.
void scope_round() {
  percpu::this_cpu_scope scope;
  scope.inc(scope_counter);
  rmw_checks::increment_by_cmpxchg(scope, scope_counter);  // and once more
  scope.add(scope_hot_counter, 3);
  scope.sub(scope_down, 2);
  scope.dec(scope_down);
  scope.inc(event_slots.at(3));
}

// The loop and the timer handler increment the same per-CPU counter with the same operation;
// an update lost to an interrupt landing inside the operation would show as a shortfall.
void count_against_interrupts(unsigned cpu) {
  platform::timer_start();
  uint64_t loops = 0;
  uint64_t scope_rounds = 0;
  while (loops < min_loop_increments || interrupts_taken.read_current() < min_interrupts) {
    interrupt_counter.inc_current();
    // Every 4th round: the unoptimised kernels must stay well inside run-qemu.sh's limit.
    if (loops % 4 == 0) {
      scope_round();
      percpu::this_cpu_scope scope;
      scope.write(scope_mailbox, scope.read(scope_mailbox) + 1);
      ++scope_rounds;
    }
    event_slots.at(2).inc_current();
    events.member<&event_counts::events>().add_current(2);
    dynamic_checks::count();
#ifdef TEST_DOUBLE_WIDTH
    // Every 16th round: on riscv64 and loongarch64 the pair's interrupt masking is a CSR write,
    // which QEMU makes slow.
    if (loops % 16 == 0) pair_checks::increment(tagged_pair);
#endif
    ++loops;
  }
  platform::timer_stop();
  loop_increments.write_current(loops);
  check(interrupt_counter.read_current() == loops + interrupts_taken.read_current(), cpu,
        "interrupt phase lost updates");
  check(event_slots.at(2).read_current() == loops + interrupts_taken.read_current() &&
            event_slots.current_ref_raw()[1] == 0,
        cpu, "interrupt phase lost updates of an array element (view)");
  const uint64_t scope_updates = scope_rounds + interrupts_taken.read_current();
  check(scope_counter.read_current() == 2 * scope_updates &&
            scope_hot_counter.read_current() == static_cast<uint32_t>(3 * scope_updates) &&
            scope_down.read_current() == 0 - 3 * scope_updates &&
            event_slots.current_ref_raw()[3] == scope_updates,
        cpu, "interrupt phase lost updates through a this_cpu_scope");
  check(scope_mailbox.read_current() == scope_rounds, cpu,
        "this_cpu_scope read and write of the loop's own variable");
  check(events.member<&event_counts::events>().read_current() ==
                2 * (loops + interrupts_taken.read_current()) &&
            events.current_ref_raw().polls == 0,
        cpu, "interrupt phase lost updates of a member (view)");
  dynamic_checks::check_interrupt_phase(loops + interrupts_taken.read_current(),
                                        [cpu](bool ok, const char* what) { check(ok, cpu, what); });
#ifdef TEST_DOUBLE_WIDTH
  const pair_checks::tagged pair = tagged_pair.read_current();
  check(pair.pointer == (loops + 15) / 16 + interrupts_taken.read_current() &&
            pair.tag == 2 * pair.pointer,
        cpu, "interrupt phase lost updates of a 16-byte pair (cmpxchg)");
#endif
}

void report() {
  console_guard lock;
  print(
      "cpu  register            area base           counter  interrupts  loop+irq == counter  "
      "failures\n");
  uint32_t total_failures = 0;
  uint64_t interrupt_phase_steps = 0;
  for (unsigned cpu = 0; cpu < cpus; ++cpu) {
    const uint64_t taken = *interrupts_taken.remote_ptr(cpu);
    interrupt_phase_steps += *loop_increments.remote_ptr(cpu) + taken;
    const uint64_t lost =
        *loop_increments.remote_ptr(cpu) + taken - *interrupt_counter.remote_ptr(cpu);
    print(cpu, 10, 3);
    print("  0x");
    print(*register_seen.remote_ptr(cpu), 16, 16);
    print("  0x");
    print(percpu::percpu_area_base(cpu), 16, 16);
    print(*counter.remote_ptr(cpu), 10, 9);
    print(taken, 10, 12);
    print(lost == 0 ? "      0 lost" : "      LOST");
    print(*failures.remote_ptr(cpu), 10, 17);
    print("\n");
    total_failures += *failures.remote_ptr(cpu);
    if (*counter.remote_ptr(cpu) != concurrent_increments * (cpu + 1)) {
      ++total_failures;
      print("FAIL: concurrent counter total\n");
    }
  }
  total_failures += dynamic_checks::check_totals(interrupt_phase_steps, cpus, [](const char* what) {
    print("FAIL: ");
    print(what);
    print("\n");
  });
  // The whole-machine views agree with the per-CPU reads above.
  uint64_t expected_sum = 0;
  for (unsigned cpu = 0; cpu < cpus; ++cpu) expected_sum += concurrent_increments * (cpu + 1);
  if (counter.sum() != expected_sum || percpu::cpu_count() != cpus) {
    ++total_failures;
    print("FAIL: sum() or cpu_count()\n");
  }
  unsigned copies = 0;
  for (uint64_t& copy : counter.all_cpus()) {
    if (copy != counter.read_remote(copies)) ++total_failures;
    ++copies;
  }
  if (copies != cpus) ++total_failures;
  print("percpu on ");
  print(percpu::detail::backend::name);
  print(total_failures == 0 ? ": PASS\n" : ": FAIL\n");
  platform::exit(total_failures == 0);
}

[[maybe_unused]] void report_form(unsigned cpu, const char* what) { check(false, cpu, what); }

[[noreturn]] void cpu_main(unsigned cpu) {
  percpu::init_percpu_reg(cpu);
#ifndef PERCPU_TEST_NO_USAGE_FORMS
  usage_forms::check(cpu, report_form);
#endif
  check_local(cpu);
  barrier();
  check_remote(cpu);
  count_concurrently(cpu);
  count_against_interrupts(cpu);
  barrier();
  if (cpu == 0) report();
  for (;;) platform::cpu_relax();
}

}  // namespace

extern "C" void percpu_test_timer_tick() {
  interrupt_counter.inc_current();
  event_slots.at(2).inc_current();
  events.member<&event_counts::events>().add_current(2);
  dynamic_checks::count();
#ifdef TEST_DOUBLE_WIDTH
  pair_checks::increment(tagged_pair);
#endif
  scope_round();
  interrupts_taken.inc_current();
}

#if PERCPU_TEST_PIE
// The PIE is linked at KERNEL_PIE_LINK (arch.cmake, as arch/<arch>/kernel-pie.ld) and runs where
// QEMU loaded it. Unless it runs elsewhere than its link address and the boot code applied its
// relocations (a pointer in data, an R_*_RELATIVE, equals the one the code computes
// PC-relative), the test shows nothing.
extern "C" __attribute__((visibility("hidden"))) char __kernel_start[];
void (*volatile relocated_pointer)() = percpu_test_timer_tick;
#endif

extern "C" [[noreturn]] void kernel_main() {
#if PERCPU_TEST_PIE
  if (reinterpret_cast<uintptr_t>(__kernel_start) == KERNEL_PIE_LINK ||
      relocated_pointer != percpu_test_timer_tick) {
    print("PIE: not running relocated away from its link address: FAIL\n");
    platform::exit(false);
  }
#endif
  const auto areas = percpu::init_in_place();
#ifdef PERCPU_TEST_EXPECT_MISPLACED
  // Built for an image placed where the accesses cannot reach every variable (see the
  // placements in tests/qemu/CMakeLists.txt): init must refuse.
  const bool refused = !areas && areas.error() == percpu::init_error::image_misplaced;
  print(refused ? "init_in_place refused a misplaced image: PASS\n"
                : "init_in_place accepted a misplaced image: FAIL\n");
  platform::exit(refused);
#endif
  if (!areas || *areas != cpus) {
    print("init_in_place failed: ");
    print(areas ? "wrong area count" : percpu::to_string(areas.error()));
    print("\n");
    platform::exit(false);
  }
  dynamic_checks::objects dynamic_objects;  // kernel_main never returns: they live on
  if (const char* error = dynamic_checks::create(dynamic_objects)) {
    print("creating dynamic objects failed: ");
    print(error);
    print("\n");
    platform::exit(false);
  }
  for (unsigned cpu = 1; cpu < cpus; ++cpu) platform::start_cpu(cpu, cpu_main);
  cpu_main(0);
}
