// Helpers shared by the rolling windows (rolling_fns.cpp,
// rolling_extremum.cpp, quantile_fns.cpp): when a sample leaves a window,
// and the value of a window entry (a `double` in count windows, a `point` in
// time windows). Pure functions; any thread may call them.

#pragma once

#include <cstdint>

#include "runtime/core/types.hpp"

namespace shoal {

/// Whether a sample with key `old_key` has left a window of extent `limit`
/// that ends at `now` (both keys timestamps, or both sample numbers). The
/// unsigned difference cannot overflow because `old_key <= now`.
inline bool expired(int64_t old_key, int64_t now, int64_t limit) {
  return static_cast<uint64_t>(now) - static_cast<uint64_t>(old_key)
         >= static_cast<uint64_t>(limit);
}

inline double value_of(double x) {
  return x;
}

inline double value_of(const point& x) {
  return x.value;
}

} // namespace shoal
