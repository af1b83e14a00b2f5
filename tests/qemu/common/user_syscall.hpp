// SPDX-License-Identifier: MIT OR Apache-2.0
// The system-call dispatch of the user-mode platforms whose entry code saves the registers as an
// array indexed by register number (riscv64, loongarch64, aarch64, armv7).
#pragma once

#include "platform.hpp"

namespace user_syscall {

/// Which registers carry the call: the number, the first argument (also the first result), the
/// second argument (the CPU) and the second result (done).
struct registers {
  unsigned number, first, second, done;
};

/// Handles the call saved in `frame`. Returns true for the exit call (number 0), which leaves
/// user mode with the first argument; otherwise stores percpu_test_syscall's results in the
/// frame, for the return to the program.
template <class Word>
bool handle(Word* frame, registers r) {
  if (frame[r.number] == 0) return true;
  const syscall_result result =
      percpu_test_syscall(frame[r.number], frame[r.first], frame[r.second]);
  frame[r.first] = static_cast<Word>(result.value);
  frame[r.done] = static_cast<Word>(result.done);
  return false;
}

}  // namespace user_syscall
