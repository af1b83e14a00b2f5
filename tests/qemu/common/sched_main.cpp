// SPDX-License-Identifier: MIT OR Apache-2.0
// The scheduler test body: 12 tasks on 4 CPUs, preempted by the timer and migrated: a preempted
// task goes to the run queue of the next CPU, and a CPU whose queue is empty steals from the
// others. Every task updates per-CPU state through the guarded accessors and a read-modify-write
// while it is being moved around; the guard (sched_config.hpp, PERCPU_GUARD) is the kernel's
// preemption-disable counter. Checked: the per-CPU totals are exact, no guarded section ran on
// two CPUs or updated another CPU's copy, every guard depth is back to zero, and tasks were in
// fact preempted and migrated. Built with PERCPU_TEST_NO_GUARD (the guard compiled out, the
// timer still preempting), the same checks must find the corruption: the negative control.
#include <stddef.h>

#include <percpu.hpp>

#include "console.hpp"
#include "platform.hpp"
#include "smp.hpp"

namespace {

using console::print;

constexpr unsigned cpus = platform::cpu_count;
constexpr unsigned task_count = 12;
constexpr uint64_t min_iterations = 20'000;  // per task; then on until enough preemptions
constexpr unsigned window = 40;              // delay inside each guarded read-modify-write
constexpr uint64_t min_preemptions = 20 * task_count;
// A preempted task goes to the next CPU's queue, but a steal may bring it back.
constexpr uint64_t min_migrations = 5 * task_count;

struct task {
  unsigned preempt_count;  // first: sched::preempt_count() finds it at the stack block's start
  bool idle;
  bool done;
  unsigned id;
  unsigned last_cpu;
  uintptr_t sp;  // saved by sched_switch while the task is not running
  task* next;    // run-queue link
  uint64_t iterations, preemptions, migrations, violations;
};

struct alignas(sched::stack_size) task_block {
  task self;
  alignas(16) uint8_t stack[sched::stack_size - 64];
};
static_assert(offsetof(task_block, self) == 0 && offsetof(task, preempt_count) == 0);
static_assert(sizeof(task) <= 64 && sizeof(task_block) == sched::stack_size);

// The tasks, then one idle task per CPU.
task_block blocks[task_count + cpus];

struct run_queue {
  task* head;
  task* tail;
  int lock;
};

PERCPU_DEFINE(uint32_t, cpu_number, 0xffff'ffff);
PERCPU_DEFINE(run_queue, queue, nullptr, nullptr, 0);
PERCPU_DEFINE(task*, current, nullptr);
PERCPU_DEFINE(task*, previous, nullptr);  // switched away from; queued by the next context
PERCPU_DEFINE(task*, idle_task, nullptr);
// What the tasks update.
PERCPU_DEFINE(uint64_t, counter, 0);     // with_current: read, delay, write
PERCPU_DEFINE(uint64_t, counter_rw, 0);  // read_current, delay, write_current, in an outer guard
PERCPU_DEFINE(uint64_t, hits, 0);        // add_current
PERCPU_DEFINE(uint64_t, ticks, 0);

unsigned tasks_done;
uint64_t preemptions;  // all tasks'

uint64_t expected_total() {
  uint64_t total = 0;
  for (unsigned i = 0; i < task_count; ++i) total += blocks[i].self.iterations;
  return total;
}

void delay(unsigned n) {
  for (unsigned i = 0; i < n; ++i) asm volatile("" ::: "memory");
}

// Run queues. Callers have interrupts disabled; a queue's lock also serialises stealing CPUs.
void push(unsigned cpu, task* t) {
  run_queue& q = queue.remote_ref_raw(cpu);
  while (__atomic_exchange_n(&q.lock, 1, __ATOMIC_ACQUIRE)) platform::cpu_relax();
  t->next = nullptr;
  (q.tail ? q.tail->next : q.head) = t;
  q.tail = t;
  __atomic_store_n(&q.lock, 0, __ATOMIC_RELEASE);
}

task* pop(unsigned cpu) {
  run_queue& q = queue.remote_ref_raw(cpu);
  while (__atomic_exchange_n(&q.lock, 1, __ATOMIC_ACQUIRE)) platform::cpu_relax();
  task* t = q.head;
  if (t) {
    q.head = t->next;
    if (!q.head) q.tail = nullptr;
  }
  __atomic_store_n(&q.lock, 0, __ATOMIC_RELEASE);
  return t;
}

// This CPU's next task, or one stolen from another CPU's queue.
task* pick(unsigned cpu) {
  for (unsigned i = 0; i < cpus; ++i) {
    if (task* t = pop((cpu + i) % cpus)) return t;
  }
  return nullptr;
}

// After every switch, in the context switched to, on the CPU that switched: the task switched
// away from goes to the next CPU's queue only now that its stack pointer is saved (before, a CPU
// stealing it would resume a stale one).
void finish_switch() {
  const unsigned cpu = cpu_number.read_current_raw();
  task* prev = previous.read_current_raw();
  if (prev && !prev->idle && !prev->done) push((cpu + 1) % cpus, prev);
  task* self = current.read_current_raw();
  if (self->last_cpu != cpu) ++self->migrations;
  self->last_cpu = cpu;
}

// Interrupts disabled.
void switch_to(task* prev, task* next) {
  previous.write_current_raw(prev);
  current.write_current_raw(next);
  sched_switch(&prev->sp, next->sp);
  finish_switch();
}

void run(task& self) {
  for (; self.iterations < min_iterations ||
         __atomic_load_n(&preemptions, __ATOMIC_RELAXED) < min_preemptions;
       ++self.iterations) {
    // A read-modify-write of this CPU's copy that is no single instruction, widened by a delay:
    // only the guard keeps another task of this CPU out of it, and this task on this CPU.
    counter.with_current([&self](uint64_t& copy) {
      const uint32_t cpu_before = cpu_number.read_current_raw();
      const uint64_t value = copy;
      delay(window);
      copy = value + 1;
      if (cpu_number.read_current_raw() != cpu_before || &copy != counter.remote_ptr(cpu_before))
        ++self.violations;
    });
    {
      // The same with the two guarded accessors, which nest their own guard in this one where the
      // access is more than one instruction.
      [[maybe_unused]] sched::guard outer;  // empty in the negative control
      const uint64_t value = counter_rw.read_current();
      delay(window);
      counter_rw.write_current(value + 1);
    }
    hits.add_current(1);
  }
  if (self.preempt_count != 0) ++self.violations;
}

[[noreturn]] void task_entry() {
  finish_switch();
  task& self = *current.read_current_raw();  // interrupts still disabled: this task
  platform::interrupts_enable();
  run(self);
  platform::interrupts_disable();
  self.done = true;
  __atomic_fetch_add(&tasks_done, 1, __ATOMIC_RELEASE);
  switch_to(&self, idle_task.read_current_raw());
  for (;;) platform::cpu_relax();  // never resumed
}

void report() {
  uint64_t migrations = 0, violations = 0;
  unsigned depth_left = 0;
  print("task  iterations  preemptions  migrations  violations\n");
  for (unsigned i = 0; i < task_count; ++i) {
    const task& t = blocks[i].self;
    print(t.id, 10, 4);
    print(t.iterations, 10, 12);
    print(t.preemptions, 10, 13);
    print(t.migrations, 10, 12);
    print(t.violations, 10, 12);
    print("\n");
    migrations += t.migrations;
    violations += t.violations;
    depth_left += t.preempt_count;
  }
  print("cpu     counter  counter_rw        hits  ticks\n");
  for (unsigned cpu = 0; cpu < cpus; ++cpu) {
    print(cpu, 10, 3);
    print(counter.read_remote(cpu), 10, 12);
    print(counter_rw.read_remote(cpu), 10, 12);
    print(hits.read_remote(cpu), 10, 12);
    print(ticks.read_remote(cpu), 10, 7);
    print("\n");
  }
  const uint64_t expected = expected_total();
  const uint64_t lost = (expected - counter.sum()) + (expected - counter_rw.sum());
  print("iterations: ");
  print(expected);
  print(", sums: ");
  print(counter.sum());
  print(" ");
  print(counter_rw.sum());
  print(" ");
  print(hits.sum());
  print("\nupdates lost: ");
  print(lost);
  print(", guarded sections split across CPUs: ");
  print(violations);
  print(", preemptions: ");
  print(preemptions);
  print(", migrations: ");
  print(migrations);
  print("\n");
  if (lost != 0 || violations != 0) print("corruption detected\n");
  const bool pass = lost == 0 && violations == 0 && depth_left == 0 && hits.sum() == expected &&
                    preemptions >= min_preemptions && migrations >= min_migrations;
  print("percpu scheduler on ");
  print(percpu::backend_name());
  print(pass ? ": PASS\n" : ": FAIL\n");
  platform::exit(pass);
}

[[noreturn]] void idle_entry() {
  task& self = *current.read_current_raw();
  const unsigned cpu = cpu_number.read_current_raw();
  platform::timer_start();
  while (__atomic_load_n(&tasks_done, __ATOMIC_ACQUIRE) < task_count) {
    platform::interrupts_disable();
    if (task* next = pick(cpu)) switch_to(&self, next);  // back when a task ends on this CPU
    platform::interrupts_enable();
    platform::cpu_relax();
  }
  platform::timer_stop();
  smp::barrier();
  if (cpu == 0) report();
  for (;;) platform::cpu_relax();
}

[[noreturn]] void cpu_main(unsigned cpu) {
  percpu::init_percpu_reg(cpu);
  cpu_number.write_current_raw(cpu);
  task& idle = blocks[task_count + cpu].self;
  idle.idle = true;
  idle.last_cpu = cpu;
  idle.sp = sched_new_stack(reinterpret_cast<uintptr_t>(&blocks[task_count + cpu] + 1), idle_entry);
  idle_task.write_current_raw(&idle);
  current.write_current_raw(&idle);
  if (cpu == 0) {
    // Every task starts in CPU 0's queue: the others begin by stealing.
    for (unsigned i = 0; i < task_count; ++i) {
      task& t = blocks[i].self;
      t.id = i;
      t.last_cpu = 0;
      t.sp = sched_new_stack(reinterpret_cast<uintptr_t>(&blocks[i] + 1), task_entry);
      push(0, &t);
    }
  }
  smp::barrier();
  uintptr_t boot_sp;  // the boot stack is never resumed
  sched_switch(&boot_sp, idle.sp);
  for (;;) platform::cpu_relax();
}

}  // namespace

// The timer, on the interrupted context's stack with interrupts disabled: preempts a task whose
// guard depth is 0 for the next one of this CPU's queue, or one stolen.
extern "C" void percpu_test_timer_tick() {
  ticks.inc_current();
  task* self = current.read_current_raw();
  if (self->idle || sched::preempt_count() != 0) return;
  task* next = pick(cpu_number.read_current_raw());
  if (!next) return;
  ++self->preemptions;
  __atomic_fetch_add(&preemptions, 1, __ATOMIC_RELAXED);
  switch_to(self, next);  // returns when some CPU resumes this task
}

extern "C" [[noreturn]] void kernel_main() { smp::start_all_cpus(cpu_main); }
