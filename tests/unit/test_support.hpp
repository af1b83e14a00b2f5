// SPDX-License-Identifier: MIT OR Apache-2.0
// Helpers shared by the host tests.
#pragma once

#include <signal.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <percpu.hpp>

namespace test {

/// Memory for init(): page-aligned (enough for percpu_area_layout_expected's alignment, at most
/// 4096), unmapped on scope exit. From mmap rather than the heap: on x86_64 Linux GS_BASE holds
/// area base - image address, and Linux refuses a negative one, so areas must lie above the
/// program, where mmap puts memory (an allocator may not: Clang 19's ASan heap is below a PIE).
class aligned_block {
 public:
  explicit aligned_block(percpu::area_layout layout) : size_(layout.size), memory_(map(layout)) {}
  ~aligned_block() {
    if (memory_ != nullptr) munmap(memory_, size_);
  }
  aligned_block(const aligned_block&) = delete;
  aligned_block& operator=(const aligned_block&) = delete;
  void* get() const { return memory_; }

 private:
  static void* map(percpu::area_layout layout) {
    if (layout.align > 4096) return nullptr;
    void* memory =
        mmap(nullptr, layout.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return memory == MAP_FAILED ? nullptr : memory;
  }

  size_t size_;
  void* memory_;
};

/// SIGALRM every `period_ns` on the calling thread, into `handler`, until destroyed (or stop()):
/// the host's stand-in for a timer interrupt that lands anywhere in the interrupted code.
class signal_storm {
 public:
  signal_storm(void (*handler)(int), long period_ns) {
    struct sigaction action = {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    sigevent event = {};
    event.sigev_notify = SIGEV_THREAD_ID;
    event.sigev_signo = SIGALRM;
    event._sigev_un._tid = gettid();
    const itimerspec every = {{0, period_ns}, {0, period_ns}};
    armed_ = sigaction(SIGALRM, &action, nullptr) == 0 &&
             timer_create(CLOCK_MONOTONIC, &event, &timer_) == 0 &&
             timer_settime(timer_, 0, &every, nullptr) == 0;
  }
  ~signal_storm() { stop(); }
  signal_storm(const signal_storm&) = delete;
  signal_storm& operator=(const signal_storm&) = delete;

  /// Whether the timer runs (the test must fail if not).
  bool armed() const { return armed_; }

  /// Stops the timer and ignores a signal still on its way.
  void stop() {
    if (!armed_) return;
    const itimerspec never = {};
    timer_settime(timer_, 0, &never, nullptr);
    timer_delete(timer_);
    signal(SIGALRM, SIG_IGN);
    armed_ = false;
  }

 private:
  timer_t timer_{};
  bool armed_ = false;
};

}  // namespace test

// ThreadSanitizer holds a signal back until the thread next enters its run-time library (an
// intercepted call), so under it no handler runs in the middle of a tested loop.
#if defined(__SANITIZE_THREAD__)
#define TEST_SIGNALS_DEFERRED 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TEST_SIGNALS_DEFERRED 1
#endif
#endif
#ifndef TEST_SIGNALS_DEFERRED
#define TEST_SIGNALS_DEFERRED 0
#endif
