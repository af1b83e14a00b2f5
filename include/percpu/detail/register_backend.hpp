// SPDX-License-Identifier: MIT OR Apache-2.0
// What the backends whose per-CPU register is an ordinary or system register (all but x86_64)
// share: the choice of addressing mode, read-modify-writes on the pointer to this CPU's copy
// with the architecture's own strategy, and the portable fallback used when a variable's symbol
// cannot be named in asm (-O0).
#pragma once

#include "../config.hpp"
#include "asm.hpp"
#include "rmw.hpp"
#include "section.hpp"

namespace percpu::detail {

/// How a backend reaches a variable, chosen at compile time.
enum class addressing {
  portable,       ///< register + the address the compiler computes for the image
  hot_immediate,  ///< hot variable, offset known from the low bits of its address: the
                  ///< offset is the access's own immediate
  absolute,       ///< the offset is built from the image address as an immediate
  pc_relative,    ///< image anywhere: its address, built PC-relative, plus the register
};

/// The placement an `Arch` with offset_from_low_bits states: the image's alignment and the
/// largest area stride under which an address's low bits are its offset.
template <class Arch>
concept low_bits_placement = requires {
  { Arch::image_alignment } -> same_as<const uintptr_t&>;
  { Arch::max_area_stride } -> same_as<const size_t&>;
};

/// The base of an architecture whose per-CPU register is a general register that its accesses
/// name themselves (riscv64 gp, loongarch64 $r21): nothing to read first.
struct register_named {};

/// The per-CPU register's value, from a base that holds it (`uintptr_t`: aarch64, armv7) or
/// read now (any other base: one that only names the register, or armv7's deferred one).
template <class Arch, class Base>
PERCPU_DETAIL_INLINE uintptr_t register_value(Base from) {
  if constexpr (same_as<Base, uintptr_t>) {
    return from;
  } else {
    return Arch::read_register();
  }
}

/// The members of arch_policy that every architecture has.
template <class Arch>
concept arch_members = requires(uintptr_t raw, uint32_t& word, uint32_t* pointer, const int& object,
                                typename Arch::base_t base) {
  { Arch::name } -> same_as<const char* const&>;
  { Arch::register_name } -> same_as<const char* const&>;
  { Arch::template fetch_op<rmw_op::add>(pointer, uint32_t{}) } -> same_as<uint32_t>;
  { Arch::compare_exchange(pointer, uint32_t{}, uint32_t{}) } -> same_as<uint32_t>;
  { Arch::template atomic_instruction<uint32_t> } -> same_as<const bool&>;
  { Arch::offset_from_low_bits } -> same_as<const bool&>;
  { Arch::read_register() } -> same_as<uintptr_t>;
  Arch::write_register(raw);
  { Arch::base() } -> same_as<typename Arch::base_t>;
  { Arch::template fast_width<uint32_t> } -> same_as<const bool&>;
  { Arch::absolute_address(object) } -> same_as<uintptr_t>;
  { Arch::template load<addressing::hot_immediate>(base, word) } -> same_as<uint32_t>;
  { Arch::template load<addressing::absolute>(base, word) } -> same_as<uint32_t>;
  { Arch::template load<addressing::pc_relative>(base, word) } -> same_as<uint32_t>;
  Arch::template store<addressing::hot_immediate>(base, word, uint32_t{});
  Arch::template store<addressing::absolute>(base, word, uint32_t{});
  Arch::template store<addressing::pc_relative>(base, word, uint32_t{});
  { Arch::template pointer<addressing::hot_immediate>(base, object) } -> same_as<uintptr_t>;
  { Arch::template pointer<addressing::absolute>(base, object) } -> same_as<uintptr_t>;
  { Arch::template pointer<addressing::pc_relative>(base, object) } -> same_as<uintptr_t>;
};

/// What a 64-bit architecture adds: the 16-byte compare-and-swap.
#ifdef __SIZEOF_INT128__
template <class Arch>
concept double_width_members = requires(uint128_t* pointer) {
  { Arch::compare_exchange_double(pointer, uint128_t{}, uint128_t{}) } -> same_as<uint128_t>;
};
#else
template <class Arch>
concept double_width_members = true;  // 32-bit: no 16-byte operations
#endif

/// What an architecture file provides to register_backend: the per-architecture contract.
/// `U` stands for any unsigned word type the wrapper passes (checked here with uint32_t).
/// - name, register_name: for backend_name() and register_name().
/// - fetch_op<Op>(pointer, operand), compare_exchange(pointer, expected, desired): the
///   interrupt-safe read-modify-write on this CPU's copy at `pointer` (the strategy: derive from
///   compiler_atomics, or the architecture's own instructions), and on 64-bit architectures
///   compare_exchange_double(pointer, expected, desired) on 16 bytes.
/// - atomic_instruction<U>: whether fetch_op on a U is one instruction (an AMO), which nothing
///   beats, not even a load, op and store with interrupts disabled.
/// - offset_from_low_bits: whether position-dependent accesses take a variable's offset from the
///   low bits of its address (at VMA 0 the address is the offset), away from VMA 0 with the
///   register holding the area base itself; such an architecture also states image_alignment
///   and max_area_stride, the placement that makes those low bits the offset (init checks it:
///   placement_ok).
/// - read_register(), write_register(raw): the register as the hardware holds it.
/// - base_t, base(): what every access starts from. A system register (aarch64, armv7) is read
///   into a general register first: base_t is uintptr_t and base() that read, which a
///   this_cpu_scope makes once for all its accesses. A general register that the accesses name
///   themselves (riscv64, loongarch64): register_named, and base() reads nothing. Optionally
///   deferred_base(): what plain accessors pass instead (see register_backend::plain_base).
/// - fast_width<U>: whether its asm load and store handle a U (else the portable path does).
/// - absolute_address(var): the image address from absolute relocations.
/// - load<Mode>(base, var), store<Mode>(base, var, value), pointer<Mode>(base, var) for every
///   non-portable mode.
template <class Arch>
concept arch_policy = arch_members<Arch> && double_width_members<Arch> &&
    (!Arch::offset_from_low_bits || low_bits_placement<Arch>);

/// The offset is the variable's address (image at VMA 0), or, for an `Arch` with
/// `offset_from_low_bits`, the low bits of it (see arch_policy).
template <class Arch>
inline constexpr bool offset_from_address = zero_vma || Arch::offset_from_low_bits;

template <class Arch, placement Place>
inline constexpr addressing addressing_for = !symbol_operands             ? addressing::portable
                                             : !offset_from_address<Arch> ? addressing::pc_relative
                                             : Place == placement::hot ? addressing::hot_immediate
                                                                       : addressing::absolute;

/// The backend of an architecture whose per-CPU register is an ordinary or system register.
///
/// The register holds area base - image address ("biased"), so that register + a variable's
/// address is its copy; except with offset_from_low_bits away from VMA 0, where it holds the area
/// base and accesses add the offset. register_bias() is the difference either way.
template <class Arch>
struct register_backend {
  static_assert(arch_policy<Arch>, "percpu: the architecture file does not provide the contract");

  static constexpr const char* name = Arch::name;
  static constexpr const char* register_name = Arch::register_name;
  static constexpr bool single_instruction_rmw = false;
  static constexpr bool biased_register = zero_vma || !Arch::offset_from_low_bits;

  /// What the register holds less than the area base.
  static uintptr_t register_bias() { return biased_register ? image_vma() : 0; }

  /// Whether the image sits where this backend's accesses need it. With offset_from_low_bits, a
  /// 16-bit offset must reach every variable: away from VMA 0 that takes the image aligned to
  /// image_alignment and areas no larger than max_area_stride (dynamic objects included, which
  /// are reached by the low bits of their address as well); at VMA 0, where an address is its
  /// offset, the variables must end within max_area_stride (dynamic objects are reached by their
  /// whole address there). aarch64's link fails first (R_AARCH64_MOVW_UABS_G0 is checked),
  /// armv7's does not (R_ARM_MOVW_ABS_NC is not), so there this check is the only one.
  static bool placement_ok() {
    if constexpr (!Arch::offset_from_low_bits) {
      return true;
    } else if constexpr (zero_vma) {
      return area_size() <= Arch::max_area_stride;
    } else {
      return image_vma() % Arch::image_alignment == 0 && area_stride() <= Arch::max_area_stride;
    }
  }

  static uintptr_t read_register() { return Arch::read_register(); }
  static void write_register(uintptr_t raw) { Arch::write_register(raw); }

  /// What the accesses start from (see arch_policy): read once by a this_cpu_scope, else by
  /// each access.
  using base_t = typename Arch::base_t;
  PERCPU_DETAIL_INLINE static base_t base() { return Arch::base(); }

  /// What each plain accessor starts from: base(), or the architecture's `deferred_base()`,
  /// which tells its sequences to read the register themselves where one statement allocates
  /// registers better than two (armv7's 8-byte and hot accesses).
  PERCPU_DETAIL_INLINE static auto plain_base() {
    if constexpr (requires { Arch::deferred_base(); }) {
      return Arch::deferred_base();
    } else {
      return Arch::base();
    }
  }
  using plain_base_t = decltype(plain_base());

  /// The image's link address. With the image at VMA 0 it is built from absolute
  /// relocations: code linked gigabytes away cannot reach address 0 PC-relative.
  template <class T>
  PERCPU_DETAIL_INLINE static uintptr_t image_address(const T& var) {
    if constexpr (zero_vma && symbol_operands) {
      return Arch::absolute_address(var);
    } else {
      return address(&var);
    }
  }

  template <placement Place, class T, class Base = plain_base_t>
  PERCPU_DETAIL_INLINE static T* this_cpu_ptr(const T& var, Base from = plain_base()) {
    constexpr addressing mode = addressing_for<Arch, Place>;
    if constexpr (mode == addressing::portable) {
      // area base + offset, as (register + bias) + (address - image address).
      return reinterpret_cast<T*>(register_value<Arch>(from) + register_bias() +
                                  (address(&var) - image_vma()));
    } else {
      return reinterpret_cast<T*>(Arch::template pointer<mode>(from, var));
    }
  }

  template <placement Place, class U, class Base = plain_base_t>
  PERCPU_DETAIL_INLINE static U load(const U& var, Base from = plain_base()) {
    constexpr addressing mode = addressing_for<Arch, Place>;
    if constexpr (mode == addressing::portable || !Arch::template fast_width<U>) {
      return *static_cast<const volatile U*>(this_cpu_ptr<Place>(var, from));
    } else {
      return Arch::template load<mode>(from, var);
    }
  }

  template <placement Place, class U, class Base = plain_base_t>
  PERCPU_DETAIL_INLINE static void store(U& var, U value, Base from = plain_base()) {
    constexpr addressing mode = addressing_for<Arch, Place>;
    if constexpr (mode == addressing::portable || !Arch::template fast_width<U>) {
      *static_cast<volatile U*>(this_cpu_ptr<Place>(var, from)) = value;
    } else {
      Arch::template store<mode>(from, var, value);
    }
  }

  // Read-modify-writes under the preemption guard, so the pointer still names this CPU's copy
  // when the operation runs.
  template <rmw_op Op, placement Place, class U>
  PERCPU_DETAIL_INLINE static U rmw(U& var, U operand) {
    [[maybe_unused]] PERCPU_GUARD guard;
    return rmw_in_scope<Op, Place>(var, operand, plain_base());
  }

  /// rmw with the caller's base, read under a guard the caller holds (this_cpu_scope).
  template <rmw_op Op, placement Place, class U, class Base>
  PERCPU_DETAIL_INLINE static U rmw_in_scope(U& var, U operand, Base from) {
    return Arch::template fetch_op<Op>(this_cpu_ptr<Place>(var, from), operand);
  }

  template <placement Place, class U>
  PERCPU_DETAIL_INLINE static U compare_exchange(U& var, U expected, U desired) {
    [[maybe_unused]] PERCPU_GUARD guard;
    return compare_exchange_in_scope<Place>(var, expected, desired, plain_base());
  }

  /// compare_exchange with the caller's base, as rmw_in_scope.
  template <placement Place, class U, class Base>
  PERCPU_DETAIL_INLINE static U compare_exchange_in_scope(U& var, U expected, U desired,
                                                          Base from) {
    if constexpr (sizeof(U) == 16) {
      return Arch::compare_exchange_double(this_cpu_ptr<Place>(var, from), expected, desired);
    } else {
      return Arch::compare_exchange(this_cpu_ptr<Place>(var, from), expected, desired);
    }
  }

  /// The read-modify-write for callers that have disabled interrupts (so preemption too): a
  /// plain load, `Op` and store, which an interrupt could split, but cheaper than an atomic
  /// loop; where the atomic is one instruction, that instruction.
  template <rmw_op Op, placement Place, class U>
  PERCPU_DETAIL_INLINE static void rmw_raw(U& var, U operand) {
    if constexpr (Arch::template atomic_instruction<U>) {
      Arch::template fetch_op<Op>(this_cpu_ptr<Place>(var), operand);
    } else {
      volatile U& copy = *static_cast<volatile U*>(this_cpu_ptr<Place>(var));
      copy = apply<Op>(static_cast<U>(copy), operand);
    }
  }
};

}  // namespace percpu::detail
