// Outputs of many nodes as one table: each node's name once, and per row
// the index of its name and its point. A cluster replay's output pages
// travel in this form (actors/messages.hpp, `replay_page`), which costs a
// few bytes per row instead of a string per row (docs/performance.md, "The
// cluster replay").

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/core/output_row.hpp"
#include "runtime/core/types.hpp"

namespace shoal {

struct row_table {
  /// The nodes' names.
  std::vector<std::string> names;
  /// Per row: its node, an index into `names`.
  std::vector<uint32_t> name_of;
  /// Per row: its output.
  std::vector<point> points;

  size_t size() const noexcept {
    return points.size();
  }

  bool empty() const noexcept {
    return points.empty();
  }

  /// Whether every row has a name: what a table from the network must be
  /// before its rows are read.
  bool valid() const noexcept {
    if (name_of.size() != points.size())
      return false;
    for (auto i : name_of)
      if (i >= names.size())
        return false;
    return true;
  }

  /// Row `i` of a valid table.
  output_row row(size_t i) const {
    return output_row{names[name_of[i]], points[i].ts, points[i].value};
  }

  friend bool operator==(const row_table& x, const row_table& y) {
    return x.names == y.names && x.name_of == y.name_of && x.points == y.points;
  }
};

} // namespace shoal
