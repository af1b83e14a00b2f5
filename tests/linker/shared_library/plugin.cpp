// SPDX-License-Identifier: MIT OR Apache-2.0
// A plugin that defines its own per-CPU variable: refused at link time.
#include <percpu.hpp>

PERCPU_DEFINE(unsigned long, plugin_ticks, 5);

unsigned long plugin_tick() {
  plugin_ticks.inc_current();
  return plugin_ticks.read_current();
}
