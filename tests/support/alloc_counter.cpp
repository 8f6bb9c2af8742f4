#include "tests/support/alloc_counter.hpp"

#include <atomic>
#include <cstdlib>
#include <malloc.h>
#include <new>

namespace {

std::atomic<size_t> allocations{0};
std::atomic<int64_t> live_bytes{0};

} // namespace

void* operator new(size_t n) {
  ++allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) {
    live_bytes += static_cast<int64_t>(malloc_usable_size(p));
    return p;
  }
  throw std::bad_alloc{};
}

void operator delete(void* p) noexcept {
  if (p != nullptr)
    live_bytes -= static_cast<int64_t>(malloc_usable_size(p));
  std::free(p);
}

void operator delete(void* p, size_t) noexcept {
  operator delete(p);
}

namespace shoal::test_support {

size_t heap_allocations() {
  return allocations.load();
}

int64_t live_heap_bytes() {
  return live_bytes.load();
}

} // namespace shoal::test_support
