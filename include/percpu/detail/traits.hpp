// SPDX-License-Identifier: MIT OR Apache-2.0
// The few type traits the library needs, from compiler builtins: Clang bare-metal targets ship
// no <type_traits>.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace percpu::detail {

template <class T>
struct type_identity {
  using type = T;
};
/// Names any type as a simple-type-specifier, so `identity_t<int*>{nullptr}` is valid syntax.
template <class T>
using identity_t = typename type_identity<T>::type;

template <class T>
concept trivially_copyable = __is_trivially_copyable(T);

template <class T>
concept trivially_destructible =
#if __has_builtin(__is_trivially_destructible)
    __is_trivially_destructible(T);
#else
    __has_trivial_destructor(T);
#endif

template <class T, class U>
concept same_as = __is_same(T, U);

template <class T>
concept integer = same_as<T, char> || same_as<T, signed char> || same_as<T, unsigned char> ||
    same_as<T, char8_t> || same_as<T, char16_t> || same_as<T, char32_t> || same_as<T, wchar_t> ||
    same_as<T, short> || same_as<T, unsigned short> || same_as<T, int> || same_as<T, unsigned> ||
    same_as<T, long> || same_as<T, unsigned long> || same_as<T, long long> ||
    same_as<T, unsigned long long>;

/// Types the register-sized fast paths handle: copied as one 1, 2, 4 or 8-byte machine word.
template <class T>
concept word_sized = trivially_copyable<T> &&
    (sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8);

/// Types the exchanges take: a word whose value is exactly its bytes, so that comparing bit
/// patterns compares values (no padding, no float with two zeros).
template <class T>
concept exchangeable = word_sized<T> && __has_unique_object_representations(T);

/// Types the double-width compare-and-swap takes on 64-bit architectures: 16 bytes whose value
/// is exactly their bytes, such as a {pointer, tag} pair (the accessor also asks for 16-byte
/// alignment, with a message of its own).
template <class T>
concept double_exchangeable = sizeof(void*) == 8 && trivially_copyable<T> && sizeof(T) == 16 &&
                              __has_unique_object_representations(T);

template <size_t Size>
struct uint_of_size;
template <>
struct uint_of_size<1> {
  using type = uint8_t;
};
template <>
struct uint_of_size<2> {
  using type = uint16_t;
};
template <>
struct uint_of_size<4> {
  using type = uint32_t;
};
template <>
struct uint_of_size<8> {
  using type = uint64_t;
};
#ifdef __SIZEOF_INT128__
__extension__ typedef unsigned __int128 uint128_t;
template <>
struct uint_of_size<16> {
  using type = uint128_t;
};
#endif
/// The unsigned integer with the size of T: the form word-sized values take inside backends.
template <class T>
using word_t = typename uint_of_size<sizeof(T)>::type;

template <class T>
struct remove_cvref {
  using type = T;
};
template <class T>
struct remove_cvref<const T> : remove_cvref<T> {};
template <class T>
struct remove_cvref<T&> : remove_cvref<T> {};
template <class T>
using remove_cvref_t = typename remove_cvref<T>::type;

template <class T>
inline constexpr bool is_const = false;
template <class T>
inline constexpr bool is_const<const T> = true;

template <class T>
inline constexpr bool is_volatile = false;
template <class T>
inline constexpr bool is_volatile<volatile T> = true;

template <class T>
inline constexpr bool is_array = false;
template <class T, size_t N>
inline constexpr bool is_array<T[N]> = true;
template <class T>
inline constexpr bool is_array<T[]> = true;

/// Whether `M` is a pointer to a data member of class `C`, and that member's type.
template <class M, class C>
inline constexpr bool is_member_of = false;
template <class Member, class C>
inline constexpr bool is_member_of<Member C::*, C> = true;
template <class M, class C>
concept member_of = is_member_of<M, C>;
template <class M>
struct member_type;
template <class Member, class C>
struct member_type<Member C::*> {
  using type = Member;
};
template <class M>
using member_type_t = typename member_type<M>::type;

template <bool Condition, class Then, class Else>
struct conditional {
  using type = Then;
};
template <class Then, class Else>
struct conditional<false, Then, Else> {
  using type = Else;
};
template <bool Condition, class Then, class Else>
using conditional_t = typename conditional<Condition, Then, Else>::type;

}  // namespace percpu::detail
