// Basic value types shared by every layer: a point of an output stream and the
// watermark sentinels.
//
// A point is a plain value; streams of points are strictly increasing in `ts`.
// A watermark `W` promises that no later point will carry `ts <= W`.

#pragma once

#include <cstdint>
#include <limits>

namespace shoal {

/// One element of a node's output stream: `ts` in nanoseconds since the Unix
/// epoch and the value at that time.
struct point {
  int64_t ts = 0;
  double value = 0;

  friend bool operator==(const point& x, const point& y) {
    return x.ts == y.ts && x.value == y.value;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, point& x) {
  return f(x.ts, x.value);
}

/// The watermark before anything is known: every timestamp is still possible.
constexpr int64_t wm_none = std::numeric_limits<int64_t>::min();

/// The watermark at end of stream: nothing more will come.
constexpr int64_t wm_end = std::numeric_limits<int64_t>::max();

} // namespace shoal
