// SPDX-License-Identifier: MIT OR Apache-2.0
// Facts checked at compile time: the wrapper adds nothing to a variable, needs no dynamic
// initialiser or destructor, and init_result behaves like std::expected in constant expressions.
#include <stdint.h>

#include <percpu.hpp>

struct three_words {
  uint64_t a, b, c;
};

static_assert(sizeof(percpu::percpu<uint8_t>) == 1);
static_assert(sizeof(percpu::percpu<uint64_t>) == 8);
static_assert(sizeof(percpu::percpu<three_words>) == sizeof(three_words));
static_assert(alignof(percpu::percpu<uint64_t>) == alignof(uint64_t));
static_assert(percpu::detail::trivially_destructible<percpu::percpu<three_words>>);
static_assert(percpu::detail::word_sized<bool> && percpu::detail::word_sized<double> &&
              percpu::detail::word_sized<void*> && !percpu::detail::word_sized<three_words>);
static_assert(percpu::detail::integer<long> && !percpu::detail::integer<bool> &&
              !percpu::detail::integer<float>);
static_assert(percpu::detail::same_as<percpu::detail::word_t<int16_t>, uint16_t>);

constexpr percpu::init_result ok{size_t{4}};
constexpr percpu::init_result failed{percpu::init_error::zero_cpus};
static_assert(ok.has_value() && static_cast<bool>(ok) && *ok == 4 && ok.value() == 4);
static_assert(!failed.has_value() && failed.error() == percpu::init_error::zero_cpus);
static_assert(ok != failed && ok == percpu::init_result(size_t{4}));

// A definition is constant-initialised: usable in a constinit context with a constant.
PERCPU_DEFINE(three_words, constant_initialised, 1, 2, 3);
