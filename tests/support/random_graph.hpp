// Random graphs and faulty inputs for equivalence tests.
//
// `random_graph(seed)` builds a valid graph of sensors, built-in (SPEC
// sections 4 and 12) and Lua features, and linear and Lua models (some of which
// fail or return nothing on purpose), with random triggers and emit flags, in
// topological order. `random_input(g, seed)` writes CSV rows with every kind of
// fault the source must reject: malformed rows, unknown sensors, non-finite
// values, late and out-of-order samples, and equal timestamps across sensors.

#pragma once

#include <cstdint>
#include <string>

#include "runtime/graph/graph_spec.hpp"

namespace shoal::test_support {

struct random_graph_options {
  int min_sensors = 2;
  int max_sensors = 6;
  int max_features = 10;
  int max_models = 8;
  /// Whether some built-in features are the functions of SPEC section 12
  /// (chosen by a second generator, so that the graph's shape, inputs and
  /// the rest of its functions are those the seed gave before them).
  bool cleaning = true;
};

graph_spec random_graph(uint64_t seed, const random_graph_options& opts = {});

/// The text of an input CSV (header included) for the sensors of `g`, with
/// timestamps from about `start` on (a few steps back at most).
std::string random_input(const graph_spec& g, uint64_t seed, int rows,
                         int64_t start = 1000);

} // namespace shoal::test_support
