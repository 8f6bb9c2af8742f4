// A synthetic IoT plant for benchmarks: a graph built from a few numbers.
//
// Every sensor `sN` gets `features_per_sensor` features `sN.fJ` over itself
// and `models_per_sensor` linear models `sN.mJ`, spread over `layers` layers
// (model J of a sensor is in layer `J * layers / models_per_sensor`):
//
// - features are drawn round-robin over the whole plant from nine built-ins
//   (rolling_mean, rolling_std and rolling_max with count and with time
//   windows, ewma, diff, rate); an evenly spread `lua_share` of them are
//   small Lua functions instead (stateless or keeping `state`);
// - a layer-0 model is linear over all of its sensor's features (over the
//   sensor itself when it has none);
// - a model of layer k >= 1 needs all of its sensor's layer k-1 models and,
//   from `join_fanin` other sensors (distinct, chosen pseudo-randomly from
//   `seed`), one layer k-1 model each. It fires on its own sensor's inputs
//   only (`trigger`), taking the others as of that time: a join of several
//   sensors that fires once per sample of its own sensor.
//
// Models emit (the default of SPEC section 2); features do not. Names are
// short ("s123.f0", "s123.m4") so that they stay in std::string's inline
// buffer. The standard workload (the defaults) is 10,000 sensors x (1 sensor
// + 3 features + 6 models in 4 layers, joins of 2 other sensors) = 100,000
// nodes; `synthetic_for_nodes` scales it to a node count (1,000,000 nodes:
// 100,000 sensors, 300,000 features, 600,000 models).
//
// The same options always give the same graph. Pure functions; safe from any
// thread.

#pragma once

#include <cstddef>
#include <cstdint>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "runtime/graph/graph_spec.hpp"

namespace shoal {

struct synthetic_options {
  size_t sensors = 10'000;
  size_t features_per_sensor = 3;
  size_t models_per_sensor = 6;
  /// Layers of models; at least 1 and at most `models_per_sensor`.
  size_t layers = 4;
  /// Other sensors' models each model of layer >= 1 joins; less than
  /// `sensors`.
  size_t join_fanin = 2;
  /// Fraction of features that are Lua functions, in [0, 1].
  double lua_share = 0.0;
  uint64_t seed = 1;
};

/// Checks `opts`; an `errc::invalid_config` error naming the option if a
/// value is out of range.
caf::error check_synthetic_options(const synthetic_options& opts);

/// The node count of the graph `opts` describes: sensors x (1 + features +
/// models) per sensor.
size_t synthetic_node_count(const synthetic_options& opts);

/// `opts` with as many sensors as it takes to reach at least `nodes` nodes
/// (and at least one sensor).
synthetic_options synthetic_for_nodes(synthetic_options opts, size_t nodes);

/// The layer of model `j` of a sensor under `opts`.
size_t synthetic_model_layer(const synthetic_options& opts, size_t j);

/// Builds the graph of `opts` and validates it (`validate_graph`, building
/// every node's function once, as `load_graph` does). Nodes come in
/// topological order: sensors, features, then models layer by layer.
caf::expected<graph_spec> make_synthetic_graph(const synthetic_options& opts);

} // namespace shoal
