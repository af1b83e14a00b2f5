// SPDX-License-Identifier: MIT OR Apache-2.0
// percpu<T>: one per-CPU variable, and the macros that define and declare one.
#pragma once

#include "arch.hpp"
#include "area.hpp"
#include "config.hpp"
#include "detail/asm.hpp"
#include "detail/rmw.hpp"
#include "detail/section.hpp"
#include "detail/traits.hpp"

// Only in hosted builds: a freestanding kernel may see a hosted C++ library's headers that need
// C library headers it does not have.
#if __STDC_HOSTED__ && __has_include(<iterator>)
#define PERCPU_DETAIL_STD_ITERATOR 1
#include <iterator>
#else
#define PERCPU_DETAIL_STD_ITERATOR 0
#endif

namespace percpu {

namespace detail {
struct no_initial_copy {};

/// The copies of one per-CPU variable, one area stride apart: the range percpu::all_cpus gives.
/// Its iterator is a forward iterator in the std sense in hosted builds that have <iterator>.
template <class T>
class copies {
 public:
  class iterator {
   public:
#if PERCPU_DETAIL_STD_ITERATOR
    using iterator_category = std::forward_iterator_tag;
#endif
    using value_type = T;
    using difference_type = ptrdiff_t;
    using pointer = T*;
    using reference = T&;

    iterator() = default;
    iterator(uintptr_t at, size_t stride) : at_(at), stride_(stride) {}
    T& operator*() const { return *reinterpret_cast<T*>(at_); }
    T* operator->() const { return reinterpret_cast<T*>(at_); }
    iterator& operator++() {
      at_ += stride_;
      return *this;
    }
    iterator operator++(int) {
      iterator before = *this;
      at_ += stride_;
      return before;
    }
    friend bool operator==(const iterator&, const iterator&) = default;

   private:
    uintptr_t at_ = 0;
    size_t stride_ = 0;
  };

  copies(T* first, size_t count, size_t stride)
      : first_(address(first)), count_(count), stride_(stride) {}
  iterator begin() const { return {first_, stride_}; }
  iterator end() const { return {first_ + count_ * stride_, stride_}; }
  size_t size() const { return count_; }

 private:
  uintptr_t first_;
  size_t count_;
  size_t stride_;
};

/// The first argument of percpu's constructor, which only the PERCPU_DEFINE macros pass: a
/// percpu<T> defined any other way would not be in .percpu, and every accessor would then
/// address memory that is no CPU's copy.
struct definition_tag {
  explicit constexpr definition_tag() = default;
};

/// Whether `Backend` does every current access of a 1-, 2-, 4- or 8-byte copy (load, store,
/// read-modify-write) in one instruction, which neither an interrupt nor a migration can split
/// (x86_64: one %gs-relative instruction): such an access needs no preemption guard, whichever CPU
/// it runs on. A backend says so with `static constexpr bool single_instruction_access = true`.
template <class Backend>
inline constexpr bool single_instruction_access = requires {
  requires Backend::single_instruction_access;
};

/// The load behind read_current_stable: the backend's `load_stable` where it has one (a load the
/// compiler may merge), else its ordinary load, which meets the contract by never merging.
/// (`Backend` is always `backend`; a parameter, so that the requires-expression asks.)
template <class Backend, placement Place, class U>
PERCPU_DETAIL_INLINE U load_stable(const U& var) {
  if constexpr (requires { Backend::template load_stable<Place>(var); }) {
    return Backend::template load_stable<Place>(var);
  } else {
    return Backend::template load<Place>(var);
  }
}

/// The type rules every per-CPU object obeys (percpu<T>, dynamic<T>), each with its own message.
template <class T>
struct per_cpu_type {
  static_assert(!is_const<T>,
                "percpu<T>: T must not be const: init writes every CPU's copy. Data that no CPU "
                "changes needs no per-CPU copies: make it a plain const global");
  static_assert(!is_volatile<T>,
                "percpu<T>: T must not be volatile: every accessor already reads and writes this "
                "CPU's copy as a volatile access; drop the qualifier");
  static_assert(trivially_destructible<T>,
                "percpu<T>: T must be trivially destructible: no destructor runs for a CPU's copy");
  static_assert(trivially_copyable<T> && (is_array<T> || __is_constructible(T, const T&)),
                "percpu<T>: T must be trivially copyable: each CPU's copy is a byte-wise copy of "
                "the initial value. For std::atomic<T>, use percpu<T>: its *_current "
                "read-modify-writes are atomic against interrupts and preemption on this CPU");
  static constexpr bool checked = true;
};

/// Copies an array element by element in a constant expression (arrays cannot be copied whole).
template <class T>
constexpr void copy_constant(T& to, const T& from) {
  if constexpr (is_array<T>) {
    for (size_t i = 0; i < sizeof(T) / sizeof(to[0]); ++i) copy_constant(to[i], from[i]);
  } else {
    to = from;
  }
}
}  // namespace detail

template <class T, placement Place = placement::normal>
class view;

class this_cpu_scope;

namespace detail {

/// The accessors of every per-CPU object, written once: a variable (percpu<T>) and a view of an
/// element or member of one (percpu::view<T>). `Derived::object()` is the object's image copy, the
/// instance in .percpu whose address the backends turn into this CPU's copy; the accessors work
/// on that copy (or another CPU's) and never on the image itself.
template <class Derived, class T, placement Place>
class accessors {
  // Its accessors take the base it read once instead of reading it again (scope.hpp).
  friend class ::percpu::this_cpu_scope;

 protected:
  static constexpr bool single_cpu = PERCPU_SINGLE_CPU != 0;
  static constexpr bool array = is_array<T>;
  // What the by-value accessors return: T, which an array cannot be (they are not available for
  // arrays; the placeholder keeps their declarations valid).
  using by_value = conditional_t<array, no_initial_copy, T>;
  using word = word_t<conditional_t<word_sized<T> || double_exchangeable<T>, T, char>>;
  // read_current and write_current take no guard where one instruction does the access.
  static constexpr bool guard_free_access = word_sized<T> && single_instruction_access<backend>;

  PERCPU_DETAIL_INLINE T& object() const { return static_cast<const Derived&>(*this).object(); }

 public:
  using value_type = T;

  /// Offset of this object inside every area.
  PERCPU_DETAIL_INLINE uintptr_t offset() const {
    if constexpr (single_cpu) {
      return 0;
    } else {
      return symbol_vma() - image_vma();
    }
  }

  /// Address of the image in .percpu (the link address: the offset when linked at VMA 0).
  PERCPU_DETAIL_INLINE uintptr_t symbol_vma() const { return backend::image_address(object()); }

  /// The calling CPU's copy. REQUIRES: preemption disabled; init_percpu_reg done on this CPU
  /// since the last init (PERCPU_DEBUG checks: see check_register).
  PERCPU_DETAIL_INLINE T* current_ptr() const {
    check_register();
    return backend::template this_cpu_ptr<Place>(object());
  }

  /// The calling CPU's copy. REQUIRES: as current_ptr().
  PERCPU_DETAIL_INLINE T& current_ref_raw() const { return *current_ptr(); }

  /// CPU `cpu`'s copy. REQUIRES: init done; cpu < the count given to init (PERCPU_DEBUG checks;
  /// if the assert hook returns, the result is null).
  PERCPU_DETAIL_INLINE T* remote_ptr(size_t cpu) const {
    if constexpr (single_cpu) {
      if constexpr (PERCPU_DEBUG) {
        PERCPU_ASSERT(cpu == 0, "percpu: CPU id out of range");
        if (cpu != 0) return nullptr;
      }
      static_cast<void>(cpu);
      return &object();
    } else {
      const uintptr_t base = percpu_area_base(cpu);
      return base == 0 ? nullptr : reinterpret_cast<T*>(base + offset());
    }
  }

  /// CPU `cpu`'s copy. REQUIRES: as remote_ptr().
  PERCPU_DETAIL_INLINE T& remote_ref_raw(size_t cpu) const { return *remote_ptr(cpu); }

  // Whole-machine views. read_remote, write_remote and sum use relaxed atomic accesses, so they
  // are race-free against the owning CPU's own updates (the documented way to read another
  // CPU's counter while it counts); for_each_cpu and all_cpus hand out plain references, for
  // when no CPU updates its copy meanwhile (or for atomic accesses of the caller's own).

  /// CPU `cpu`'s copy, read with a relaxed atomic load. REQUIRES: as remote_ptr() (if the
  /// assert hook returns, the result is a zero value).
  PERCPU_DETAIL_INLINE by_value read_remote(size_t cpu) const requires word_sized<T> {
    const T* copy = remote_ptr(cpu);
    if (copy == nullptr) return from_word(0);
    return from_word(__atomic_load_n(reinterpret_cast<const word*>(copy), __ATOMIC_RELAXED));
  }

  /// Stores `value` into CPU `cpu`'s copy with a relaxed atomic store. REQUIRES: as remote_ptr().
  PERCPU_DETAIL_INLINE void write_remote(size_t cpu, const T& value) const requires word_sized<T> {
    T* copy = remote_ptr(cpu);
    if (copy != nullptr) {
      __atomic_store_n(reinterpret_cast<word*>(copy), as_word_value(value), __ATOMIC_RELAXED);
    }
  }

  /// Calls f(cpu, T&) for every CPU that init set up, in CPU order. REQUIRES: init done.
  template <class F>
  void for_each_cpu(F&& f) const {
    const size_t cpus = cpu_count();
    for (size_t cpu = 0; cpu < cpus; ++cpu) f(cpu, remote_ref_raw(cpu));
  }

  /// The sum of every CPU's copy (relaxed atomic loads; wraps like T's arithmetic).
  /// REQUIRES: init done.
  by_value sum() const requires integer<T> {
    word total = 0;
    const size_t cpus = cpu_count();
    for (size_t cpu = 0; cpu < cpus; ++cpu) total += as_word_value(read_remote(cpu));
    return static_cast<T>(total);
  }

  /// Every CPU's copy as a range: `for (T& copy : var.all_cpus())`. REQUIRES: init done.
  copies<T> all_cpus() const {
    const size_t cpus = cpu_count();
    if (cpus == 0) return {nullptr, 0, 0};
    if constexpr (single_cpu) {
      return {remote_ptr(0), 1, sizeof(T)};
    } else {
      return {remote_ptr(0), cpus, area_stride()};
    }
  }

  /// Element `index` of an array object, as a view with every accessor of a variable: a named
  /// variable and a constant index cost what a scalar variable costs (x86_64: `incq
  /// %gs:stats+24`); an index known only at run time adds the index arithmetic. REQUIRES: index
  /// below the array's length (PERCPU_DEBUG checks; if the assert hook returns, element 0).
  PERCPU_DETAIL_INLINE auto at(size_t index) const requires array {
    using element = remove_cvref_t<decltype(object()[0])>;
    if constexpr (PERCPU_DEBUG) {
      constexpr size_t length = sizeof(T) / sizeof(element);
      PERCPU_ASSERT(index < length, "percpu: array index out of range");
      if (index >= length) index = 0;
    }
    return view<element, Place>(object()[index]);
  }

  /// Member `Member` (a pointer to a data member of T: `var.member<&stats::rx>()`), as a view
  /// with every accessor of a variable, at the cost of a scalar variable.
  template <auto Member>
  PERCPU_DETAIL_INLINE auto member() const requires member_of<decltype(Member), T> {
    return view<member_type_t<decltype(Member)>, Place>(object().*Member);
  }

  /// Reads the calling CPU's copy: one load where the backend allows. REQUIRES: as current_ptr().
  /// An array is reached through current_ref_raw()[i] or with_current instead.
  PERCPU_DETAIL_INLINE by_value read_current_raw() const requires(!array) {
    if constexpr (!word_sized<T>) {
      return *current_ptr();
    } else {
      check_register();
      return __builtin_bit_cast(T, backend::template load<Place>(as_word()));
    }
  }

  /// Writes the calling CPU's copy: one store where the backend allows. REQUIRES: as
  /// current_ptr().
  PERCPU_DETAIL_INLINE void write_current_raw(const T& value) const requires(!array) {
    if constexpr (!word_sized<T>) {
      *current_ptr() = value;
    } else {
      check_register();
      backend::template store<Place>(as_word(), __builtin_bit_cast(word, value));
    }
  }

  /// Reads the calling CPU's copy so that the compiler may treat it as an ordinary load (Linux's
  /// raw_cpu_read with named address spaces, this_cpu_read_stable within one guarded region):
  /// it may merge two stable reads of the variable, reuse one, fold it into another instruction
  /// (`cmpq $5, %gs:x`) or drop it if unused. It never moves one across a compiler barrier
  /// (PERCPU_GUARD's constructor and destructor, an `asm volatile` with a "memory" clobber, a call
  /// the compiler cannot see into) nor across this library's writes and read-modify-writes of the
  /// variable: a read after one of those reads anew.
  /// REQUIRES: as current_ptr() (preemption disabled), and no interrupt handler on this CPU
  /// writing the variable between two reads that nothing of the above separates, since the
  /// compiler may then return the first value for both: values fixed while the CPU runs the
  /// caller (a CPU number, the current task, configuration set at boot), or read under a guard
  /// that also keeps interrupts out. Where the backend has no such load (every architecture but
  /// x86_64 so far) it is read_current_raw, which never merges.
  PERCPU_DETAIL_INLINE by_value read_current_stable() const requires word_sized<T> {
    check_register();
    return from_word(load_stable<backend, Place>(as_word()));
  }

  /// read_current_raw under PERCPU_GUARD; without it where one instruction reads the copy
  /// (x86_64, 1/2/4/8-byte T): that instruction reads the copy of the CPU it runs on, whenever
  /// it runs, as a guarded read would.
  PERCPU_DETAIL_INLINE by_value read_current() const requires(!array) {
    if constexpr (guard_free_access) {
      return read_current_raw();
    } else {
      [[maybe_unused]] PERCPU_GUARD guard;
      return read_current_raw();
    }
  }

  /// write_current_raw under PERCPU_GUARD; without it where one instruction writes the copy
  /// (as read_current).
  PERCPU_DETAIL_INLINE void write_current(const T& value) const requires(!array) {
    if constexpr (guard_free_access) {
      write_current_raw(value);
    } else {
      [[maybe_unused]] PERCPU_GUARD guard;
      write_current_raw(value);
    }
  }

  /// Calls f(T&) on the calling CPU's copy under PERCPU_GUARD; returns what f returns.
  template <class F>
  PERCPU_DETAIL_INLINE decltype(auto) with_current(F&& f) const {
    [[maybe_unused]] PERCPU_GUARD guard;
    return static_cast<F&&>(f)(current_ref_raw());
  }

  // Read-modify-write operations on the calling CPU's copy: arithmetic and bitwise ones on
  // integer T, exchanges on any exchangeable T. On x86_64 each is one instruction; elsewhere an
  // atomic (AMO or LL/SC) under PERCPU_GUARD.

  PERCPU_DETAIL_INLINE void add_current(T value) const requires integer<T> {
    update<rmw_op::add>(as_word_value(value));
  }
  PERCPU_DETAIL_INLINE void sub_current(T value) const requires integer<T> {
    update<rmw_op::add>(static_cast<word>(word{0} - as_word_value(value)));
  }
  PERCPU_DETAIL_INLINE void inc_current() const requires integer<T> {
    update<rmw_op::add>(word{1});
  }
  PERCPU_DETAIL_INLINE void dec_current() const requires integer<T> {
    update<rmw_op::add>(static_cast<word>(~word{0}));
  }
  PERCPU_DETAIL_INLINE void and_current(T value) const requires integer<T> {
    update<rmw_op::bit_and>(as_word_value(value));
  }
  PERCPU_DETAIL_INLINE void or_current(T value) const requires integer<T> {
    update<rmw_op::bit_or>(as_word_value(value));
  }
  PERCPU_DETAIL_INLINE void xor_current(T value) const requires integer<T> {
    update<rmw_op::bit_xor>(as_word_value(value));
  }
  /// Adds `value`, returns the new value.
  PERCPU_DETAIL_INLINE by_value add_return_current(T value) const requires integer<T> {
    return static_cast<T>(update<rmw_op::fetch_add>(as_word_value(value)) + value);
  }
  /// Subtracts `value`, returns the new value.
  PERCPU_DETAIL_INLINE by_value sub_return_current(T value) const requires integer<T> {
    const word old = update<rmw_op::fetch_add>(static_cast<word>(word{0} - as_word_value(value)));
    return static_cast<T>(static_cast<word>(old - as_word_value(value)));
  }
  /// Adds 1, returns the new value.
  PERCPU_DETAIL_INLINE by_value inc_return_current() const requires integer<T> {
    return static_cast<T>(static_cast<word>(update<rmw_op::fetch_add>(word{1}) + 1));
  }
  /// Subtracts 1, returns the new value.
  PERCPU_DETAIL_INLINE by_value dec_return_current() const requires integer<T> {
    return static_cast<T>(
        static_cast<word>(update<rmw_op::fetch_add>(static_cast<word>(~word{0})) - 1));
  }

  // The same without interrupt safety (Linux __this_cpu_add and friends), for code that has
  // disabled interrupts on this CPU, which disables preemption too: a plain load, operation and
  // store where that is cheaper than an atomic (every architecture but x86_64, where the single
  // %gs instruction above is already the cheapest). An interrupt that updates the same copy
  // between the load and the store would be lost: never use them with interrupts enabled.

  PERCPU_DETAIL_INLINE void add_current_raw(T value) const requires integer<T> {
    update_raw<rmw_op::add>(as_word_value(value));
  }
  PERCPU_DETAIL_INLINE void sub_current_raw(T value) const requires integer<T> {
    update_raw<rmw_op::add>(static_cast<word>(word{0} - as_word_value(value)));
  }
  PERCPU_DETAIL_INLINE void inc_current_raw() const requires integer<T> {
    update_raw<rmw_op::add>(word{1});
  }
  PERCPU_DETAIL_INLINE void dec_current_raw() const requires integer<T> {
    update_raw<rmw_op::add>(static_cast<word>(~word{0}));
  }
  PERCPU_DETAIL_INLINE void and_current_raw(T value) const requires integer<T> {
    update_raw<rmw_op::bit_and>(as_word_value(value));
  }
  PERCPU_DETAIL_INLINE void or_current_raw(T value) const requires integer<T> {
    update_raw<rmw_op::bit_or>(as_word_value(value));
  }
  PERCPU_DETAIL_INLINE void xor_current_raw(T value) const requires integer<T> {
    update_raw<rmw_op::bit_xor>(as_word_value(value));
  }

  // The exchanges take any T of 1, 2, 4 or 8 bytes whose value is its bytes (integers, pointers,
  // enums, bool): they compare and move bit patterns.

  /// Stores `value`, returns the old value.
  PERCPU_DETAIL_INLINE by_value xchg_current(T value) const requires exchangeable<T> {
    return from_word(update<rmw_op::exchange>(as_word_value(value)));
  }
  /// Stores `desired` if the copy equals `expected`; returns the value seen (== expected on
  /// success). Also on a 16-byte T on 64-bit architectures (Linux this_cpu_cmpxchg128: a
  /// {pointer, tag} pair), which must be 16-byte aligned: cmpxchg16b on x86_64, LDXP/STXP or
  /// CASP on aarch64, a compare and store with interrupts disabled on riscv64 and loongarch64.
  PERCPU_DETAIL_INLINE by_value
  cmpxchg_current(T expected, T desired) const requires exchangeable<T> || double_exchangeable<T> {
    static_assert(alignof(T) >= sizeof(T) || !double_exchangeable<T>,
                  "percpu: a 16-byte compare-and-swap needs a 16-byte aligned T (alignas(16))");
    check_register();
    return from_word(backend::template compare_exchange<Place>(as_word(), as_word_value(expected),
                                                               as_word_value(desired)));
  }
  /// Stores `desired` if the copy equals `expected` and returns true; otherwise sets `expected`
  /// to the value seen and returns false (Linux this_cpu_try_cmpxchg).
  PERCPU_DETAIL_INLINE bool try_cmpxchg_current(T& expected, T desired) const requires
      exchangeable<T> || double_exchangeable<T> {
    const T seen = cmpxchg_current(expected, desired);
    const bool exchanged = as_word_value(seen) == as_word_value(expected);
    expected = seen;
    return exchanged;
  }

 protected:
  // The image viewed as the unsigned word of its size: the form backends work on. Backends
  // use it as an asm operand or take its address; only the single-CPU one accesses it, volatile.
  PERCPU_DETAIL_INLINE word& as_word() const { return reinterpret_cast<word&>(object()); }
  static word as_word_value(T value) { return __builtin_bit_cast(word, value); }
  static by_value from_word(word value) { return __builtin_bit_cast(T, value); }

  template <rmw_op Op>
  PERCPU_DETAIL_INLINE word update(word operand) const {
    check_register();
    return backend::template rmw<Op, Place>(as_word(), operand);
  }

  template <rmw_op Op>
  PERCPU_DETAIL_INLINE void update_raw(word operand) const {
    check_register();
    backend::template rmw_raw<Op, Place>(as_word(), operand);
  }
};

}  // namespace detail

/// A per-CPU variable. The object itself is the image in the .percpu section, holding the
/// initial value; every CPU works on its own copy in its area. Define one with PERCPU_DEFINE (or
/// PERCPU_DEFINE_HOT), never directly.
///
/// "Current" accessors act on the calling CPU's copy. The *_raw ones and current_ptr() do no
/// preemption control: REQUIRES preemption disabled (or a thread pinned to its CPU), else the
/// caller may end up using another CPU's copy. read_current, write_current and with_current hold
/// PERCPU_GUARD themselves (read_current and write_current only where the access is more than one
/// instruction). The read-modify-write operations (*_current) are atomic with respect
/// to interrupts and preemption on the calling CPU, not with respect to other CPUs.
template <class T, placement Place = placement::normal>
class percpu : public detail::accessors<percpu<T, Place>, T, Place> {
  using base = detail::accessors<percpu<T, Place>, T, Place>;
  friend base;
  static_assert(detail::per_cpu_type<T>::checked);
  static_assert(alignof(T) <= detail::max_variable_align,
                "percpu<T>: T is over-aligned: a per-CPU variable may be aligned to at most 4096 "
                "bytes");

  using base::array;
  using base::single_cpu;
  using typename base::by_value;

 public:
  /// Constant-initialises the image (PERCPU_DEFINE makes this constinit). Only the
  /// PERCPU_DEFINE macros construct a percpu: see detail::definition_tag.
  constexpr percpu(detail::definition_tag, const T& initial) requires(!array)
      : value_(initial), initial_(make_initial(initial)) {}
  constexpr percpu(detail::definition_tag, const T& initial) requires array : value_{}, initial_{} {
    detail::copy_constant(value_, initial);
    if constexpr (single_cpu) detail::copy_constant(initial_, initial);
  }
  percpu(const percpu&) = delete;
  percpu& operator=(const percpu&) = delete;

  /// Sets the calling CPU's copy back to the initial value, under PERCPU_GUARD (as the Rust
  /// crate's disables preemption). REQUIRES: init_percpu_reg done on this CPU.
  PERCPU_DETAIL_INLINE void reset_to_init() const {
    [[maybe_unused]] PERCPU_GUARD guard;
    if constexpr (detail::word_sized<T>) {
      this->write_current_raw(initial_value());
    } else {
      detail::copy_bytes(this->current_ptr(), initial_image(), sizeof(T));
    }
  }

  /// The value PERCPU_DEFINE gave, read from the pristine image.
  PERCPU_DETAIL_INLINE by_value initial_value() const requires(!array) {
    if constexpr (single_cpu) {
      return initial_;
    } else {
      T value;
      detail::copy_bytes(&value, initial_image(), sizeof(T));
      return value;
    }
  }

 private:
  PERCPU_DETAIL_INLINE T& object() const { return const_cast<T&>(value_); }

  static constexpr auto make_initial(const T& initial) {
    if constexpr (single_cpu) {
      return initial;
    } else {
      return detail::no_initial_copy{};
    }
  }

  // The initial value's bytes: the image itself with one CPU, else the pristine image.
  PERCPU_DETAIL_INLINE const void* initial_image() const {
    if constexpr (single_cpu) {
      return &initial_;
    } else {
      return detail::image_bytes() + this->offset();
    }
  }

  T value_;
  [[no_unique_address]] detail::conditional_t<single_cpu, T, detail::no_initial_copy> initial_;
};

/// An element or member of a per-CPU variable or dynamic object (`at`, `member`): the same
/// current, remote, read-modify-write and whole-machine accessors, on that part of every CPU's
/// copy. A view is a reference to the part's image copy; it is valid as long as the variable (a
/// dynamic object: until it is freed).
template <class T, placement Place>
class view : public detail::accessors<view<T, Place>, T, Place> {
  // Every accessor base makes views (at, member), whatever object it serves.
  template <class, class, placement>
  friend class detail::accessors;

 private:
  PERCPU_DETAIL_INLINE explicit view(T& object) : object_(object) {}
  PERCPU_DETAIL_INLINE T& object() const { return object_; }

  T& object_;
};

}  // namespace percpu

// Hidden visibility: a per-CPU variable belongs to the module whose .percpu holds it, and the
// compiler may address it directly (PC-relative in a PIE) rather than through the GOT.
#if PERCPU_SINGLE_CPU
#define PERCPU_DETAIL_STORAGE(section_name) __attribute__((visibility("hidden")))
#else
#define PERCPU_DETAIL_STORAGE(section_name) \
  __attribute__((section(section_name), visibility("hidden"))) PERCPU_DETAIL_NO_REDZONE
#endif

// Every variable lives in a namespace named after the macro that defined it, and a
// using-declaration brings it into the enclosing namespace. That turns two mistakes into build
// errors (Linux gets the same from dummy symbols):
// - PERCPU_DECLARE_HOT of a variable defined with PERCPU_DEFINE, or the reverse, names another
//   object: `undefined reference to 'percpu_defined_hot::name'` when linking, or conflicting
//   using-declarations in one file;
// - a definition at block scope (a `static` in a function template too) or as a template:
//   GCC ignores the section of such template-instantiated objects, and the definition would
//   land in .data; a namespace cannot be opened there, so it does not compile.
#define PERCPU_DETAIL_DEFINE(scope, section_name, place, type, name, ...)                        \
  namespace scope { /* error here? per-CPU variables are defined at namespace scope only */      \
  PERCPU_DETAIL_STORAGE(section_name)                                                            \
  constinit ::percpu::percpu<type, place> name{::percpu::detail::definition_tag{},               \
                                               ::percpu::detail::identity_t<type>{__VA_ARGS__}}; \
  }                                                                                              \
  using scope::name

#define PERCPU_DETAIL_DECLARE(scope, place, type, name)                            \
  namespace scope {                                                                \
  extern __attribute__((visibility("hidden"))) ::percpu::percpu<type, place> name; \
  }                                                                                \
  using scope::name

/// Defines per-CPU variable `name` of type `type` (at namespace scope), initialised with the
/// brace initialiser `...` (empty: value-initialised). The initial value is a constant
/// (constinit), copied into every CPU's area by init. A type containing a comma needs an alias.
/// `type` may be an array (`unsigned long[8]`), initialised by the elements' values.
#define PERCPU_DEFINE(type, name, ...)                                                     \
  PERCPU_DETAIL_DEFINE(percpu_defined, ".percpu", ::percpu::placement::normal, type, name, \
                       __VA_ARGS__)

/// Like PERCPU_DEFINE, but at the front of every area: with the image at VMA 0, accesses
/// encode the offset in the load or store itself (see README, "Hot variables").
/// Each hot variable has a section of its own: GCC may address the objects of one section
/// through a shared anchor symbol plus an offset, and armv7's R_ARM_ABS12 (a REL relocation,
/// whose addend lives in the instruction) would lose that offset.
#define PERCPU_DEFINE_HOT(type, name, ...)                                                       \
  PERCPU_DETAIL_DEFINE(percpu_defined_hot, ".percpu.hot." #name, ::percpu::placement::hot, type, \
                       name, __VA_ARGS__)

/// Declares a per-CPU variable defined elsewhere with PERCPU_DEFINE (for headers).
#define PERCPU_DECLARE(type, name) \
  PERCPU_DETAIL_DECLARE(percpu_defined, ::percpu::placement::normal, type, name)

/// Declares a per-CPU variable defined elsewhere with PERCPU_DEFINE_HOT.
#define PERCPU_DECLARE_HOT(type, name) \
  PERCPU_DETAIL_DECLARE(percpu_defined_hot, ::percpu::placement::hot, type, name)
