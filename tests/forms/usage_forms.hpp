// SPDX-License-Identifier: MIT OR Apache-2.0
// Every usage form of per-CPU variables that must compile and be correct on every architecture,
// compiler, optimisation level and placement: shared by the host tests and the QEMU kernels.
#pragma once

namespace usage_forms {

/// Runs every form on the calling CPU, whose register init_percpu_reg(cpu) has set; returns the
/// number of failed checks, and passes each failure's description to `report` (may be null).
/// Call it once per CPU, before the CPUs' copies of the variables are changed otherwise.
unsigned check(unsigned cpu, void (*report)(unsigned cpu, const char* what));

}  // namespace usage_forms
