// SPDX-License-Identifier: MIT OR Apache-2.0
// One operation, named on the command line, run 10,000,000 times on CPU 0, for
// `valgrind --tool=callgrind`: the loop's instruction count over 10,000,000 is the cost per
// operation, the same on a busy machine as on an idle one.
#include <cstdio>
#include <cstring>
#include <percpu.hpp>

#include "ops.hpp"

namespace {

constexpr std::uint64_t iterations = 10'000'000;

struct operation {
  const char* name;
  bench::loop_fn loop;
};

constexpr operation operations[] = {
    {"percpu_add", bench::percpu_add},
    {"thread_local_add", bench::thread_local_add},
    {"atomic_add", bench::atomic_add},
    {"sched_getcpu_add", bench::sched_getcpu_add},
};

}  // namespace

int main(int argc, char** argv) {
  for (const operation& op : operations) {
    if (argc != 2 || std::strcmp(argv[1], op.name) != 0) continue;
    if (!percpu::init_in_place()) return 1;
    percpu::init_percpu_reg(0);
    op.loop(iterations);
    std::printf("%s: %llu iterations\n", op.name, static_cast<unsigned long long>(iterations));
    return 0;
  }
  std::fprintf(stderr, "usage: %s OPERATION  (runs it %llu times); OPERATION is one of:\n",
               argc > 0 ? argv[0] : "bench_callgrind", static_cast<unsigned long long>(iterations));
  for (const operation& op : operations) std::fprintf(stderr, "  %s\n", op.name);
  return 2;
}
