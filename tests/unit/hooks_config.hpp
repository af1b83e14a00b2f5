// SPDX-License-Identifier: MIT OR Apache-2.0
// PERCPU_CONFIG_HEADER for hooks_test.cpp: an assert hook that throws (or returns), and a guard
// that counts.
#pragma once

#include <stdexcept>

namespace test {

struct assert_failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The assert hook: throws, or, while `returning` is set, records the message and returns (the
/// library must then hand back its documented harmless values).
struct assert_hook {
  static inline bool returning = false;
  static inline const char* last_message = nullptr;
  static void fail(const char* message) {
    last_message = message;
    if (!returning) throw assert_failure(message);
  }
};

/// Counts guard entries and tracks nesting, as a kernel's preempt_disable count would.
struct counting_guard {
  static inline int entered = 0;
  static inline int depth = 0;
  counting_guard() {
    ++entered;
    ++depth;
  }
  ~counting_guard() { --depth; }
  counting_guard(const counting_guard&) = delete;
  counting_guard& operator=(const counting_guard&) = delete;
};

}  // namespace test

#define PERCPU_ASSERT(condition, message) \
  ((condition) ? static_cast<void>(0) : ::test::assert_hook::fail(message))
#define PERCPU_GUARD ::test::counting_guard
#define PERCPU_DEBUG 1
