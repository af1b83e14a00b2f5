// SPDX-License-Identifier: MIT OR Apache-2.0
// What a program may print about the backend it was built with: names, and the per-CPU register
// as the hardware holds it (for diagnostics; accesses go through percpu<T> and the area API).
#pragma once

#include "arch.hpp"
#include "config.hpp"

namespace percpu {

/// The backend's name, such as "x86_64", "riscv64" or "single-cpu".
constexpr const char* backend_name() { return detail::backend::name; }

/// The per-CPU register's name as the architecture manual spells it ("none" in a single-CPU
/// build).
constexpr const char* register_name() { return detail::backend::register_name; }

/// The calling CPU's per-CPU register as the hardware holds it: read_percpu_reg() minus the
/// image's address where the register is biased (see the README's register table), else the
/// same. 0 in a single-CPU build.
inline uintptr_t read_percpu_reg_raw() { return detail::backend::read_register(); }

}  // namespace percpu
