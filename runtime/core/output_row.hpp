// One emitted output as a row of the output CSV: a plain value for sinks
// that keep rows in memory, and for comparing runs in tests.

#pragma once

#include <cstdint>
#include <string>
#include <tuple>

namespace shoal {

struct output_row {
  std::string node;
  int64_t ts = 0;
  double value = 0;

  friend bool operator==(const output_row& x, const output_row& y) {
    return x.node == y.node && x.ts == y.ts && x.value == y.value;
  }

  friend bool operator!=(const output_row& x, const output_row& y) {
    return !(x == y);
  }

  /// Orders by node, then ts, then value.
  friend bool operator<(const output_row& x, const output_row& y) {
    return std::tie(x.node, x.ts, x.value) < std::tie(y.node, y.ts, y.value);
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, output_row& x) {
  return f(x.node, x.ts, x.value);
}

} // namespace shoal
