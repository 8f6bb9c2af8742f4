// Graphs built in code for the placement tests: nodes in topological order,
// as `validate_graph` leaves them, without parsing files.

#pragma once

#include <string>
#include <vector>

#include "runtime/graph/graph_spec.hpp"

namespace shoal::test_support {

/// Appends a sensor called `name` to `g`.
inline void add_sensor(graph_spec& g, std::string name) {
  node_spec n;
  n.name = std::move(name);
  n.kind = node_kind::sensor;
  g.nodes.push_back(std::move(n));
}

/// Appends a feature called `name` over `needs`, fired by `trigger` (empty:
/// by every input).
inline void add_feature(graph_spec& g, std::string name,
                        std::vector<std::string> needs,
                        std::vector<std::string> trigger = {}) {
  node_spec n;
  n.name = std::move(name);
  n.kind = node_kind::feature;
  n.fn = "sum";
  n.needs = std::move(needs);
  n.trigger = std::move(trigger);
  g.nodes.push_back(std::move(n));
}

/// Appends a sensor `name` and a chain of `length` features after it,
/// called `name.1`, `name.2`, ...
inline void add_chain(graph_spec& g, const std::string& name, size_t length) {
  add_sensor(g, name);
  auto last = name;
  for (size_t k = 1; k <= length; ++k) {
    auto next = name + "." + std::to_string(k);
    add_feature(g, next, {last});
    last = next;
  }
}

} // namespace shoal::test_support
