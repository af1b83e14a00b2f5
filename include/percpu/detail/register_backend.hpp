// SPDX-License-Identifier: MIT OR Apache-2.0
// What the backends whose per-CPU register is an ordinary or system register (all but x86_64)
// share: read-modify-write through compiler atomics, and the portable fallback used when a
// variable's symbol cannot be named in asm (-O0).
#pragma once

#include "../config.hpp"
#include "asm.hpp"
#include "rmw.hpp"
#include "section.hpp"

namespace percpu::detail {

/// How a backend reaches a variable, chosen at compile time.
enum class addressing {
  portable,       ///< register + the address the compiler computes for the template
  hot_immediate,  ///< hot variable, offset known from the low bits of its address: the
                  ///< offset is the access's own immediate
  absolute,       ///< the offset is built from the template address as an immediate
  pc_relative,    ///< template anywhere: its address, built PC-relative, plus the register
};

/// The offset is the variable's address (template at VMA 0), or, for an `Arch` with
/// `offset_from_low_bits`, the low 16 bits of it (template 64 KiB-aligned, under 64 KiB).
template <class Arch>
inline constexpr bool offset_from_address = zero_vma || Arch::offset_from_low_bits;

template <class Arch, placement Place>
inline constexpr addressing addressing_for = !symbol_operands             ? addressing::portable
                                             : !offset_from_address<Arch> ? addressing::pc_relative
                                             : Place == placement::hot ? addressing::hot_immediate
                                                                       : addressing::absolute;

/// `Arch` provides name, subword_atomics, offset_from_low_bits, read_register(),
/// write_register(), fast_width<U> (whether its asm load/store handle a U),
/// absolute_address(var), and for the non-portable modes load<Mode>(var), store<Mode>(var,
/// value) and pointer<Mode>(var).
///
/// The register holds area base - template address ("biased"), so that register + a variable's
/// address is its copy; except with offset_from_low_bits away from VMA 0, where it holds the area
/// base and accesses add the offset.
template <class Arch>
struct register_backend : generic_rmw<register_backend<Arch>> {
  static constexpr const char* name = Arch::name;
  static constexpr bool single_instruction_rmw = false;
  static constexpr bool subword_atomics = Arch::subword_atomics;
  static constexpr bool biased_register = zero_vma || !Arch::offset_from_low_bits;

  /// Whether the template sits where this backend's accesses need it.
  static bool placement_ok() {
    if constexpr (biased_register) {
      return true;
    } else {
      return template_vma() % 0x10000 == 0 && area_stride() <= 0x10000;
    }
  }

  static uintptr_t read_register() { return Arch::read_register(); }
  static void write_register(uintptr_t raw) { Arch::write_register(raw); }

  /// The template's link address. With the template at VMA 0 it is built from absolute
  /// relocations: code linked gigabytes away cannot reach address 0 PC-relative.
  template <class T>
  PERCPU_DETAIL_INLINE static uintptr_t template_address(const T& var) {
    if constexpr (zero_vma && symbol_operands) {
      return Arch::absolute_address(var);
    } else {
      return address(&var);
    }
  }

  template <placement Place, class T>
  PERCPU_DETAIL_INLINE static T* this_cpu_ptr(const T& var) {
    constexpr addressing mode = addressing_for<Arch, Place>;
    if constexpr (mode == addressing::portable) {
      const uintptr_t unbias = biased_register ? 0 : template_vma();
      return reinterpret_cast<T*>(Arch::read_register() + address(&var) - unbias);
    } else {
      return reinterpret_cast<T*>(Arch::template pointer<mode>(var));
    }
  }

  template <placement Place, class U>
  PERCPU_DETAIL_INLINE static U load(const U& var) {
    constexpr addressing mode = addressing_for<Arch, Place>;
    if constexpr (mode == addressing::portable || !Arch::template fast_width<U>) {
      return *static_cast<const volatile U*>(this_cpu_ptr<Place>(var));
    } else {
      return Arch::template load<mode>(var);
    }
  }

  template <placement Place, class U>
  PERCPU_DETAIL_INLINE static void store(U& var, U value) {
    constexpr addressing mode = addressing_for<Arch, Place>;
    if constexpr (mode == addressing::portable || !Arch::template fast_width<U>) {
      *static_cast<volatile U*>(this_cpu_ptr<Place>(var)) = value;
    } else {
      Arch::template store<mode>(var, value);
    }
  }
};

}  // namespace percpu::detail
