// The synthetic plant (synthetic_graph.hpp) as a graph file (SPEC section
// 2), so that real cluster members can run it: `shoal-bench plant` writes
// it, and scripts/bench-checkpoints applies it with `shoalctl apply`.
//
// Writes what the plant uses: sensors, built-in and Lua features, linear
// models, with `needs`, `trigger`, windows, `alpha`, weights, bias, link and
// `emit` where it differs from the kind's default. Doubles are printed so
// that they parse back to the same value, so loading the file gives the
// same nodes as `make_synthetic_graph`. Pure functions; safe from any
// thread.

#pragma once

#include <string>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// The TOML text of `g`; an `errc::invalid_input` error naming the node
/// when a node uses what the writer does not (a model file, a unit, a
/// model kind other than linear).
caf::expected<std::string> synthetic_graph_toml(const graph_spec& g);

/// Writes `synthetic_graph_toml(g)` to `path`; an `errc::io_error` naming
/// the file if it cannot be written.
caf::error write_synthetic_graph(const std::string& path, const graph_spec& g);

} // namespace shoal
