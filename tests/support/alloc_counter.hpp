// Counts the heap allocations of a whole test binary.
//
// Linking alloc_counter.cpp into a test binary replaces the global operator
// new and delete with ones that count, so a test can check that a function
// allocates nothing per call, or how many bytes many nodes hold. Thread-safe
// (libraries may allocate on their own threads). Link it into a binary once.

#pragma once

#include <cstddef>
#include <cstdint>

namespace shoal::test_support {

/// Calls of operator new so far.
size_t heap_allocations();

/// Bytes allocated with operator new and not yet freed.
int64_t live_heap_bytes();

} // namespace shoal::test_support
