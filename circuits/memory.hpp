// Storage for the large flat arrays of the IR (gate arrays, hash table, per-gate analysis
// arrays). Allocations of 2 MiB and more are mapped directly and advised to use transparent huge
// pages: a 10^7-gate circuit then costs a few hundred page faults instead of tens of thousands,
// and random operand reads miss the TLB far less. Smaller ones use malloc.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

namespace rnncc::circuits {

template <class T>
struct BigAllocator {
  using value_type = T;
  static constexpr std::size_t kHuge = std::size_t{2} << 20;

  BigAllocator() = default;
  template <class U>
  BigAllocator(const BigAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    std::size_t bytes = n * sizeof(T);
    if (bytes >= kHuge) {
      std::size_t len = (bytes + kHuge - 1) / kHuge * kHuge;
      void* p = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) throw std::bad_alloc();
      ::madvise(p, len, MADV_HUGEPAGE);
      return static_cast<T*>(p);
    }
    void* p = std::malloc(bytes ? bytes : 1);
    if (!p) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    std::size_t bytes = n * sizeof(T);
    if (bytes >= kHuge) {
      ::munmap(p, (bytes + kHuge - 1) / kHuge * kHuge);
    } else {
      std::free(p);
    }
  }
  template <class U>
  bool operator==(const BigAllocator<U>&) const noexcept {
    return true;
  }
};

// A std::vector of plain values backed by BigAllocator.
template <class T>
using BigVector = std::vector<T, BigAllocator<T>>;

}  // namespace rnncc::circuits
