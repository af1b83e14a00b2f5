// SPDX-License-Identifier: MIT OR Apache-2.0
// Picks the backend for the target. The preprocessor chooses (Clang rejects another ISA's
// register names in asm even inside a discarded if-constexpr branch); exactly one file of
// percpu/arch/ is included, and it defines percpu::detail::backend.
#pragma once

#include "config.hpp"
#include "detail/rmw.hpp"
#include "detail/traits.hpp"

#if PERCPU_SINGLE_CPU
#include "arch/single_cpu.hpp"
#elif defined(__x86_64__)
#include "arch/x86_64.hpp"
#elif defined(__aarch64__)
#include "arch/aarch64.hpp"
#elif defined(__riscv) && __riscv_xlen == 64
#include "arch/riscv64.hpp"
#elif defined(__loongarch__) && __loongarch_grlen == 64
#include "arch/loongarch64.hpp"
#elif defined(__arm__) && defined(__ARM_ARCH) && __ARM_ARCH >= 7 && defined(__ARM_ARCH_PROFILE) && \
    __ARM_ARCH_PROFILE == 'A'
#include "arch/armv7.hpp"
#else
#error "percpu: supported: x86_64, aarch64, riscv64, loongarch64, armv7-a (or PERCPU_SINGLE_CPU)"
#endif

namespace percpu::detail {

/// What every backend provides. Backends address a variable through its object in the image (in
/// .percpu); `U` is the unsigned word type of the variable's size. A this_cpu_scope holds a
/// `base_t` from `base()` and passes it to the accesses as their last argument (the *_in_scope
/// read-modify-writes run under the guard the scope holds).
template <class B>
concept backend_type = requires(uintptr_t raw, uint32_t& word, const int& object,
                                typename B::base_t base) {
  { B::name } -> same_as<const char* const&>;
  { B::single_instruction_rmw } -> same_as<const bool&>;
  { B::register_name } -> same_as<const char* const&>;
  { B::register_bias() } -> same_as<uintptr_t>;
  { B::placement_ok() } -> same_as<bool>;
  { B::read_register() } -> same_as<uintptr_t>;
  { B::image_address(object) } -> same_as<uintptr_t>;
  B::write_register(raw);
  { B::template load<placement::normal>(word) } -> same_as<uint32_t>;
  B::template store<placement::hot>(word, uint32_t{});
  { B::template this_cpu_ptr<placement::normal>(object) } -> same_as<int*>;
  { B::template rmw<rmw_op::add, placement::normal>(word, uint32_t{}) } -> same_as<uint32_t>;
  B::template rmw_raw<rmw_op::bit_or, placement::hot>(word, uint32_t{});
  {
    B::template compare_exchange<placement::normal>(word, uint32_t{}, uint32_t{})
    } -> same_as<uint32_t>;
  { B::base() } -> same_as<typename B::base_t>;
  { B::template load<placement::normal>(word, base) } -> same_as<uint32_t>;
  B::template store<placement::hot>(word, uint32_t{}, base);
  { B::template this_cpu_ptr<placement::normal>(object, base) } -> same_as<int*>;
  {
    B::template rmw_in_scope<rmw_op::add, placement::normal>(word, uint32_t{}, base)
    } -> same_as<uint32_t>;
  {
    B::template compare_exchange_in_scope<placement::normal>(word, uint32_t{}, uint32_t{}, base)
    } -> same_as<uint32_t>;
};

static_assert(backend_type<backend>, "percpu: the backend does not provide the whole interface");

}  // namespace percpu::detail
